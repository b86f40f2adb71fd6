use crate::api::auth::{current_user, Logout};
use crate::domain::{Lang, OrgKind};
use crate::i18n::*;
use crate::language::{lang_of, locale_of};
use crate::model::auth::UserSummary;
use crate::model::organisations::OrgSummary;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

/// Where the banner's forms post: a plain form, not an action, so that the whole page
/// reloads acting for the profile chosen.
const SWITCH_URL: &str = "/api/switch_profile";

/// Top right, once signed in: the profile banner (the active profile's blue button,
/// expanded, then the "association" and "entreprise" menus), and the person's name, which
/// opens "mon compte" and "se déconnecter". Rendered on the server for every page; the few
/// parts that react in the browser are islands.
#[component]
pub fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let logout = ServerAction::<Logout>::new();
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <Transition>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => {
                        let name = format!("{} {}", user.first_name, user.last_name);
                        let unread = user.unread_notifications;
                        let is_agent = user.is_agent;
                        let lang = lang_of(i18n.get_locale_untracked());
                        view! {
                            <ActingFor user=user.clone() />
                            <ProfileBanner user />
                            <NotificationBell unread lang />
                            // A disclosure: works with the keyboard and without JavaScript.
                            <UserDisclosure name signed_in_as=t_string!(i18n, header.signed_in_as).to_string()>
                                <ul class="user-menu-list">
                                    <li>
                                        <a href="/dashboard">{t!(i18n, header.my_requests)}</a>
                                    </li>
                                    <li>
                                        <a href="/account">{t!(i18n, header.my_account)}</a>
                                    </li>
                                    {is_agent.then(|| view! {
                                        <li>
                                            <a href="/backoffice">{t!(i18n, backoffice.title)}</a>
                                        </li>
                                    })}
                                    <li>
                                        <ActionForm action=logout>
                                            <button type="submit" class="link-button">
                                                {t!(i18n, header.logout)}
                                            </button>
                                        </ActionForm>
                                    </li>
                                </ul>
                            </UserDisclosure>
                        }
                            .into_any()
                    }
                    _ => view! { <a class="header-link" href="/login">{t!(i18n, header.login)}</a> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The person's menu (a `<details>`). In the browser, Escape closes it, and signing out
/// forgets what this browser kept of forms not yet sent (a shared computer keeps nothing).
#[island]
fn UserDisclosure(name: String, signed_in_as: String, children: Children) -> impl IntoView {
    let menu = NodeRef::<leptos::html::Details>::new();
    let close_on_escape = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" {
            if let Some(details) = menu.get_untracked() {
                let _ = details.remove_attribute("open");
                // Back to the name, which stays visible.
                if let Some(summary) = details
                    .first_element_child()
                    .and_then(|el| el.dyn_into::<leptos::web_sys::HtmlElement>().ok())
                {
                    let _ = summary.focus();
                }
            }
        }
    };
    // The only form in the menu is "Se déconnecter".
    let forget_on_sign_out = move |_: leptos::ev::SubmitEvent| {
        crate::components::draft_mirror::clear_wizard_mirror();
        #[cfg(feature = "hydrate")]
        crate::components::upload::forget_all();
    };
    let full_name = name.clone();
    view! {
        <details class="user-menu" node_ref=menu on:keydown=close_on_escape on:submit=forget_on_sign_out>
            // The summary is the island's own: the server's part (the list) comes after it.
            <summary class="user-name">
                {person_icon()}
                <span class="visually-hidden">{signed_in_as} " "</span>
                // A long name is cut with an ellipsis; all of it shows on hover.
                <span class="user-name-text" title=full_name>{name}</span>
            </summary>
            {children()}
        </details>
    }
}

/// How often the bell asks for the number of unread notifications while the page is open.
#[cfg(feature = "hydrate")]
const BELL_POLL: std::time::Duration = std::time::Duration::from_secs(30);

/// The bell: the number of unread notifications, a link to the centre. The page brings
/// the number; in the browser it is asked again every 30 seconds (while the tab is
/// visible) and when the window gets the focus back.
#[island]
fn NotificationBell(unread: i64, lang: Lang) -> impl IntoView {
    let locale = locale_of(lang);
    let count = RwSignal::new(unread);
    #[cfg(feature = "hydrate")]
    {
        let refresh = move || {
            leptos::task::spawn_local(async move {
                if let Ok(n) = crate::api::notifications::unread_notifications().await {
                    count.set(n);
                }
            });
        };
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if document().visibility_state() == leptos::web_sys::VisibilityState::Visible {
                    refresh();
                }
            },
            BELL_POLL,
        ) {
            on_cleanup(move || handle.clear());
        }
        // Coming back to the tab asks at once.
        let on_focus = window_event_listener(leptos::ev::focus, move |_| refresh());
        on_cleanup(move || on_focus.remove());
    }
    let label = move || {
        let n = count.get();
        match n {
            0 => td_string!(locale, notifications.bell_none).to_string(),
            1 => td_string!(locale, notifications.bell_one).to_string(),
            _ => td_string!(locale, notifications.bell_many, count = n).to_string(),
        }
    };
    view! {
        <a class="bell" href="/notifications" aria-label=label title=label>
            <svg class="icon" aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
                <path d="M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22zm7-6V11c0-3.3-2.1-6-5-6.8V3.5a2 2 0 0 0-4 0v.7C7.1 5 5 7.7 5 11v5l-2 2v1h18v-1z" fill="currentColor" />
            </svg>
            <span class="bell-count" class:bell-count-zero=move || count.get() == 0 aria-hidden="true">
                {move || count.get()}
            </span>
        </a>
    }
}

fn person_icon() -> impl IntoView {
    view! {
        <svg class="icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
            <circle cx="12" cy="8" r="4" fill="currentColor" />
            <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7z" fill="currentColor" />
        </svg>
    }
}

fn kind_icon(kind: OrgKind) -> impl IntoView {
    match kind {
        // A building.
        OrgKind::Entreprise => view! {
            <svg class="icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
                <path d="M4 21V5l8-3v5l8 3v11h-6v-5h-4v5z" fill="currentColor" />
            </svg>
        }
        .into_any(),
        // Three people.
        OrgKind::Association => view! {
            <svg class="icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
                <circle cx="12" cy="7" r="3" fill="currentColor" />
                <circle cx="5" cy="9" r="2.3" fill="currentColor" />
                <circle cx="19" cy="9" r="2.3" fill="currentColor" />
                <path d="M6 20c0-3.6 2.7-6 6-6s6 2.4 6 6zM0.5 19c0-2.8 1.8-4.6 4.5-4.6 1 0 1.8.2 2.5.6-1.3 1.2-2.1 2.6-2.3 4zM23.5 19c0-2.8-1.8-4.6-4.5-4.6-1 0-1.8.2-2.5.6 1.3 1.2 2.1 2.6 2.3 4z" fill="currentColor" />
            </svg>
        }
        .into_any(),
    }
}

#[component]
fn ProfileBanner(user: UserSummary) -> impl IntoView {
    let i18n = use_i18n();
    let of_kind = |kind: OrgKind| -> Vec<OrgSummary> {
        user.organisations
            .iter()
            .filter(|org| org.kind == kind)
            .cloned()
            .collect()
    };
    let associations = of_kind(OrgKind::Association);
    let entreprises = of_kind(OrgKind::Entreprise);
    let active = user.active.clone();
    let lang = lang_of(i18n.get_locale_untracked());
    view! {
        <nav class="profile-banner" aria-label=move || t_string!(i18n, banner.profiles_label)>
            {match active.clone() {
                None => view! {
                    <a class="profile-button profile-button-active" href="/dashboard" aria-current="true">
                        {person_icon()}
                        <span>{t!(i18n, header.citizen_space)}</span>
                    </a>
                }
                    .into_any(),
                Some(org) => {
                    let full_name = org.name.clone();
                    view! {
                    <a class="profile-button profile-button-active" href="/dashboard" aria-current="true">
                        {kind_icon(org.kind)}
                        <span class="profile-name" title=full_name>{org.name}</span>
                    </a>
                    <form method="post" action=SWITCH_URL class="profile-icon-form">
                        <input type="hidden" name="organisation" value="" />
                        <button type="submit" class="profile-icon" title=move || t_string!(i18n, banner.back_to_citizen)>
                            <span class="profile-icon-badge">{person_icon()}</span>
                            <span class="profile-icon-caption">{t!(i18n, banner.caption_citizen)}</span>
                        </button>
                    </form>
                    }
                    .into_any()
                }
            }}
            <ProfileMenu kind=OrgKind::Association profiles=associations active=active.clone() lang />
            <ProfileMenu kind=OrgKind::Entreprise profiles=entreprises active lang />
        </nav>
    }
}

/// Below the widest screens, the banner in one line: "Vous agissez pour : X ▾", which opens
/// the list of the person's profiles, each a button that switches to it, and the ways to
/// create one. A `<details>`: it opens with the keyboard and without JavaScript.
#[component]
fn ActingFor(user: UserSummary) -> AnyView {
    let i18n = use_i18n();
    let active_id = user.active.as_ref().map(|org| org.id);
    let name = match &user.active {
        Some(org) => org.name.clone(),
        None => t_string!(i18n, header.citizen_space).to_string(),
    };
    let icon = match &user.active {
        Some(org) => kind_icon(org.kind).into_any(),
        None => person_icon().into_any(),
    };
    let item = move |id: Option<i64>,
                     label: String,
                     detail: Option<String>,
                     kind: Option<OrgKind>| {
        let current = id == active_id;
        view! {
            <li>
                <form method="post" action=SWITCH_URL>
                    <input type="hidden" name="organisation" value=id.map(|id| id.to_string()).unwrap_or_default() />
                    <button type="submit" class="acting-for-item" aria-current=current.then_some("true")>
                        {match kind {
                            Some(kind) => kind_icon(kind).into_any(),
                            None => person_icon().into_any(),
                        }}
                        <span class="acting-for-item-text">
                            <span class="acting-for-item-name">{label}</span>
                            {detail.map(|bce| view! { <span class="acting-for-item-bce">{bce}</span> })}
                        </span>
                    </button>
                </form>
            </li>
        }
    };
    view! {
        <details class="acting-for">
            <summary class="acting-for-summary">
                {icon}
                <span class="acting-for-text">
                    <span class="acting-for-label">{t!(i18n, banner.acting_for_label)}</span>
                    " "
                    <span class="acting-for-name">{name}</span>
                </span>
            </summary>
            <div class="acting-for-panel">
                <p class="acting-for-hint">{t!(i18n, banner.switch_hint)}</p>
                <ul class="acting-for-list">
                    {item(None, t_string!(i18n, header.citizen_space).to_string(), None, None)}
                    {user.organisations.iter().map(|org| {
                        item(Some(org.id), org.name.clone(), Some(org.bce.clone()), Some(org.kind))
                    }).collect_view()}
                </ul>
                <p class="acting-for-create">
                    <a href="/organisations/new?kind=association">{t!(i18n, banner.create_association)}</a>
                </p>
                <p class="acting-for-create">
                    <a href="/organisations/new?kind=entreprise">{t!(i18n, banner.create_entreprise)}</a>
                </p>
            </div>
        </details>
    }
    // Type-erased: the header's view type would otherwise overflow the compiler's depth limit.
    .into_any()
}

/// An icon button that opens the list of the person's profiles of one kind and the link to
/// create one (the menu-button pattern). Without JavaScript the button is a plain form that
/// leads to the same list on a page of its own.
#[island]
fn ProfileMenu(
    kind: OrgKind,
    profiles: Vec<OrgSummary>,
    active: Option<OrgSummary>,
    lang: Lang,
) -> impl IntoView {
    let locale = locale_of(lang);
    let open = RwSignal::new(false);
    let menu = NodeRef::<leptos::html::Div>::new();
    let button = NodeRef::<leptos::html::Button>::new();
    let button_id = format!("profiles-{}-button", kind.code());
    let menu_id = format!("profiles-{}-menu", kind.code());

    let items = move || -> Vec<leptos::web_sys::HtmlElement> {
        let Some(menu) = menu.get_untracked() else {
            return Vec::new();
        };
        let Ok(list) = menu.query_selector_all("[role=menuitem]") else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|node| node.dyn_into::<leptos::web_sys::HtmlElement>().ok())
            .collect()
    };
    let focus_item = move |index: i32| {
        let items = items();
        if items.is_empty() {
            return;
        }
        let len = i32::try_from(items.len()).unwrap_or(i32::MAX);
        let index = usize::try_from(index.rem_euclid(len)).unwrap_or(0);
        let _ = items[index].focus();
    };
    let close = move |refocus: bool| {
        open.set(false);
        if refocus {
            if let Some(button) = button.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    let open_at = move |index: i32| {
        open.set(true);
        // The menu shows on the next frame; focus its item then.
        request_animation_frame(move || focus_item(index));
    };
    let on_button_click = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        if open.get_untracked() {
            close(false);
        } else {
            open_at(0);
        }
    };
    let on_button_key = move |event: leptos::ev::KeyboardEvent| match event.key().as_str() {
        "ArrowDown" => {
            event.prevent_default();
            open_at(0);
        }
        "ArrowUp" => {
            event.prevent_default();
            open_at(-1);
        }
        "Escape" => close(true),
        _ => {}
    };
    let on_menu_key = move |event: leptos::ev::KeyboardEvent| {
        let items = items();
        let current = leptos::prelude::document()
            .active_element()
            .and_then(|el| items.iter().position(|item| item.is_same_node(Some(&el))))
            .and_then(|i| i32::try_from(i).ok())
            .unwrap_or(0);
        match event.key().as_str() {
            "ArrowDown" => {
                event.prevent_default();
                focus_item(current + 1);
            }
            "ArrowUp" => {
                event.prevent_default();
                focus_item(current - 1);
            }
            "Home" => {
                event.prevent_default();
                focus_item(0);
            }
            "End" => {
                event.prevent_default();
                focus_item(-1);
            }
            "Escape" => {
                event.prevent_default();
                close(true);
            }
            "Tab" => close(false),
            _ => {}
        }
    };
    // Focus leaving the button and its menu closes the menu.
    let on_focus_out = move |event: leptos::ev::FocusEvent| {
        let inside = event
            .related_target()
            .and_then(|target| target.dyn_into::<leptos::web_sys::Node>().ok())
            .zip(menu.get_untracked())
            .is_some_and(|(target, menu)| {
                menu.parent_element()
                    .is_some_and(|wrapper| wrapper.contains(Some(&target)))
            });
        if !inside {
            open.set(false);
        }
    };

    let (label, create_label) = match kind {
        OrgKind::Association => (
            td_string!(locale, banner.caption_association),
            td_string!(locale, banner.create_association),
        ),
        OrgKind::Entreprise => (
            td_string!(locale, banner.caption_entreprise),
            td_string!(locale, banner.create_entreprise),
        ),
    };
    let has_active = active.as_ref().is_some_and(|a| a.kind == kind);
    view! {
        <div class="profile-menu" on:focusout=on_focus_out>
            <form method="get" action=format!("/profiles/{}", kind.code()) class="profile-icon-form">
                <button
                    type="submit"
                    class="profile-icon"
                    class:profile-icon-current=has_active
                    id=button_id.clone()
                    node_ref=button
                    aria-haspopup="menu"
                    aria-controls=menu_id.clone()
                    aria-expanded=move || if open.get() { "true" } else { "false" }
                    on:click=on_button_click
                    on:keydown=on_button_key
                >
                    <span class="profile-icon-badge">{kind_icon(kind)}</span>
                    // The icon's name, visible (issue 14): "Associations", "Entreprises".
                    <span class="profile-icon-caption">{label}</span>
                </button>
            </form>
            <div
                class="profile-menu-list"
                role="menu"
                id=menu_id
                aria-labelledby=button_id
                node_ref=menu
                hidden=move || !open.get()
                on:keydown=on_menu_key
            >
                {profiles
                    .into_iter()
                    .map(|org| {
                        let current = active.as_ref().is_some_and(|a| a.id == org.id);
                        view! {
                            <form method="post" action=SWITCH_URL role="none" class="profile-menu-form">
                                <input type="hidden" name="organisation" value=org.id.to_string() />
                                <button type="submit" role="menuitem" tabindex="-1" class="profile-menu-item" aria-current=current.then_some("true")>
                                    <span class="profile-menu-name">{org.name}</span>
                                    <span class="profile-menu-bce">{org.bce}</span>
                                </button>
                            </form>
                        }
                    })
                    .collect_view()}
                <a role="menuitem" tabindex="-1" class="profile-menu-item profile-menu-create" href=format!("/organisations/new?kind={}", kind.code())>
                    {create_label}
                </a>
            </div>
        </div>
    }
}
