//! `/procedures`: the catalogue; `/procedures/{code}`: filing one, with its attachments.
use crate::api::requests::{catalogue, filing};
use crate::components::form::{error_message, errors_from_query, ErrorSummary};
use crate::components::{answer_with, LoadError, PageTitle};
use crate::domain::Lang;
use crate::i18n::*;
use crate::language::{lang_of, locale_of};
use crate::model::requests::{EidState, FilingView};
use crate::procedures::{Field, FieldKind, FileType, ADDRESS_PARTS};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The name of a theme of the catalogue.
pub fn theme_name(i18n: leptos_i18n::I18nContext<Locale>, theme: &str) -> &'static str {
    match theme {
        "population" => t_string!(i18n, procedures.theme_population),
        "mobility" => t_string!(i18n, procedures.theme_mobility),
        "public_space" => t_string!(i18n, procedures.theme_public_space),
        "economy" => t_string!(i18n, procedures.theme_economy),
        "associations" => t_string!(i18n, procedures.theme_associations),
        _ => t_string!(i18n, procedures.theme_events),
    }
}

#[component]
pub fn CataloguePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let list = Resource::new(
        move || (lang_of(i18n.get_locale()), q()),
        |(lang, q)| catalogue(lang, q),
    );
    view! {
        <PageTitle text=|i18n| t_string!(i18n, procedures.title) />
        <div class="content content-wide">
            <h1>{t!(i18n, procedures.title)}</h1>
            <p class="lead">{t!(i18n, procedures.lead)}</p>
            <form method="get" action="/procedures" class="search-form" role="search">
                <label for="q">{t!(i18n, procedures.search)}</label>
                <div class="search-row">
                    <input id="q" name="q" type="search" value=q />
                    <button type="submit" class="button button-secondary">{t!(i18n, procedures.search_button)}</button>
                </div>
            </form>
            <Suspense>
                {move || Suspend::new(async move {
                    let view = match list.await {
                        Ok(view) => view,
                        Err(error) => return view! { <LoadError error /> }.into_any(),
                    };
                    let signed_out = view.profile.is_none();
                    let (shown, total) = (view.entries.len(), view.total);
                    let mut themes: Vec<String> = view.entries.iter().map(|e| e.theme.clone()).collect();
                    themes.dedup();
                    view! {
                        {signed_out.then(|| view! {
                            <div class="notice" role="note">
                                <p>{t!(i18n, procedures.signed_out)} " " <a href="/login">{t!(i18n, header.login)}</a></p>
                            </div>
                        })}
                        <p role="status">
                            {move || t_string!(i18n, procedures.count, shown = shown, total = total).to_string()}
                        </p>
                        {view.entries.is_empty().then(|| view! { <p class="empty-state">{t!(i18n, procedures.none)}</p> })}
                        {themes.into_iter().map(|theme| {
                            let entries: Vec<_> = view.entries.iter().filter(|e| e.theme == theme).cloned().collect();
                            view! {
                                <section class="theme">
                                    <h2>{theme_name(i18n, &theme)}</h2>
                                    <ul class="card-list">
                                        {entries.into_iter().map(|entry| view! {
                                            <li class="card">
                                                <h3 class="card-title">
                                                    <a href=format!("/procedures/{}", entry.code)>{entry.title.clone()}</a>
                                                </h3>
                                                <p>{entry.description.clone()}</p>
                                                <p class="hint">{entry.service.clone()}</p>
                                                {entry.needs_eid.then(|| view! { <p class="badge">{t!(i18n, procedures.needs_eid)}</p> })}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            }
                        }).collect_view()}
                    }
                    .into_any()
                })}
            </Suspense>
        </div>
    }
}

/// One field of a procedure's form, rendered from its definition.
#[component]
fn ProcedureField(
    field: Field,
    value: std::collections::BTreeMap<String, String>,
    errors: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || lang_of(i18n.get_locale());
    let name = field.name.clone();
    let error = {
        let name = name.clone();
        move || {
            errors
                .read()
                .iter()
                .find(|(f, _)| *f == name)
                .map(|(_, code)| error_message(i18n, code))
        }
    };
    let id = name.clone();
    let label = field.label.clone();
    let hint = field.hint.clone();
    let required = field.required;
    let get = |key: &str| value.get(key).cloned().unwrap_or_default();
    let input_name = format!("f.{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        let error = error.clone();
        let has_hint = hint.is_some();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = {
        let error = error.clone();
        move || error().is_some().then_some("true")
    };
    let optional =
        move || (!required).then(|| format!(" {}", t_string!(i18n, procedures.optional)));
    let heading = {
        let label = label.clone();
        move || format!("{}{}", label.get(lang()), optional().unwrap_or_default())
    };
    let hint_view = hint.clone().map(|hint| {
        let hint_id = hint_id.clone();
        view! { <p class="hint" id=hint_id>{move || hint.get(lang()).to_string()}</p> }
    });
    let error_view = {
        let error = error.clone();
        move || {
            error()
                .map(|message| view! { <p class="error-message" id=error_id.clone()>{message}</p> })
        }
    };
    let control = match field.kind {
        FieldKind::LongText => view! {
            <textarea id=id.clone() name=input_name rows="5" aria-invalid=invalid.clone() aria-describedby=described.clone()>
                {get(&name)}
            </textarea>
        }
        .into_any(),
        FieldKind::Choice => {
            let current = get(&name);
            view! {
                <select id=id.clone() name=input_name aria-invalid=invalid.clone() aria-describedby=described.clone()>
                    <option value="">{t!(i18n, procedures.choose)}</option>
                    {field.options.iter().map(|option| {
                        let label = option.label.clone();
                        view! {
                            <option value=option.value.clone() selected=option.value == current>
                                {move || label.get(lang()).to_string()}
                            </option>
                        }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        FieldKind::YesNo => {
            let current = get(&name);
            let yes = format!("{id}-yes");
            let no = format!("{id}-no");
            view! {
                <div class="radio-row" role="radiogroup" aria-describedby=described.clone()>
                    // Each choice carries the question's hint and error, as it takes the focus.
                    <div class="radio">
                        <input type="radio" id=yes.clone() name=input_name.clone() value="yes" checked=current == "yes"
                            aria-describedby=described.clone() aria-invalid=invalid.clone() />
                        <label for=yes>{t!(i18n, wizard.yes)}</label>
                    </div>
                    <div class="radio">
                        <input type="radio" id=no.clone() name=input_name value="no" checked=current == "no"
                            aria-describedby=described.clone() aria-invalid=invalid.clone() />
                        <label for=no>{t!(i18n, wizard.no)}</label>
                    </div>
                </div>
            }
            .into_any()
        }
        FieldKind::Address => view! {
            <div class="address-parts" aria-describedby=described.clone()>
                {ADDRESS_PARTS.iter().map(|part| {
                    let part_id = format!("{id}.{part}");
                    let label = match *part {
                        "street" => t_string!(i18n, account.street),
                        "number" => t_string!(i18n, account.house_number),
                        "box" => t_string!(i18n, account.box_number),
                        "postal_code" => t_string!(i18n, account.postal_code),
                        _ => t_string!(i18n, account.city),
                    };
                    let autocomplete = match *part {
                        "street" => "address-line1",
                        "postal_code" => "postal-code",
                        "city" => "address-level2",
                        _ => "off",
                    };
                    view! {
                        <div class=format!("address-{part}")>
                            <label for=part_id.clone()>{label}</label>
                            <input id=part_id.clone() name=format!("f.{part_id}") type="text" autocomplete=autocomplete
                                value=get(&part_id) inputmode=(*part == "postal_code").then_some("numeric")
                                aria-describedby=described.clone() aria-invalid=invalid.clone() />
                        </div>
                    }
                }).collect_view()}
            </div>
        }
        .into_any(),
        kind => {
            let (kind_attr, inputmode, autocomplete) = match kind {
                FieldKind::Number => ("text", Some("numeric"), "off"),
                FieldKind::Date => ("date", None, "off"),
                FieldKind::Time => ("time", None, "off"),
                FieldKind::Email => ("email", None, "email"),
                FieldKind::Phone => ("tel", None, "tel"),
                _ => ("text", None, "off"),
            };
            view! {
                <input id=id.clone() name=input_name type=kind_attr inputmode=inputmode autocomplete=autocomplete
                    value=get(&name) aria-invalid=invalid.clone() aria-describedby=described.clone() />
            }
            .into_any()
        }
    };
    let is_group = matches!(field.kind, FieldKind::YesNo | FieldKind::Address);
    let error_class = error.clone();
    if is_group {
        view! {
            <fieldset class="field" id=id.clone() class:field-error=move || error_class().is_some()>
                <legend>{heading}</legend>
                {hint_view}
                {error_view}
                {control}
            </fieldset>
        }
        .into_any()
    } else {
        view! {
            <div class="field" class:field-error=move || error_class().is_some()>
                <label for=id.clone()>{heading}</label>
                {hint_view}
                {error_view}
                {control}
            </div>
        }
        .into_any()
    }
}

#[component]
pub fn FilingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(code, filing);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => {
                        let lang = lang_of(i18n.get_locale_untracked());
                        // Errors of the last post, named in the address.
                        let errors = errors_from_query(query.read_untracked().get("errors"));
                        let saved = query.read_untracked().get("saved").as_deref() == Some("1");
                        let page_title = view.procedure.title.get(lang).to_string();
                        view! {
                            <leptos_meta::Title text=page_title />
                            <FilingForm view errors saved lang />
                        }
                        .into_any()
                    }
                    Err(error) => view! {
                        <PageTitle text=|i18n| t_string!(i18n, not_found.title) />
                        <ProcedureNotFound error />
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// A procedure this profile cannot open (unknown, or not for it): the answer's status,
/// and the way back to the catalogue.
#[component]
pub(super) fn ProcedureNotFound(error: crate::error::AppError) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {answer_with(&error)}
        <div class="content">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p><a href="/procedures">{t!(i18n, procedures.back)}</a></p>
        </div>
    }
}

/// The form of a procedure: rendered on the server, and an island in the browser, where it
/// checks the answers as the server will before sending, sends the files with a progress
/// bar and keeps what is typed until it is sent. Its code is a WASM chunk of its own,
/// loaded only by the pages that show a procedure's form.
#[island(lazy)]
fn FilingForm(
    view: FilingView,
    errors: Vec<(String, String)>,
    saved: bool,
    lang: Lang,
) -> impl IntoView {
    view! {
        <I18nSubContextProvider initial_locale=locale_of(lang)>
            <FilingFormContent view server_errors=errors saved />
        </I18nSubContextProvider>
    }
}

#[component]
fn FilingFormContent(
    view: FilingView,
    server_errors: Vec<(String, String)>,
    saved: bool,
) -> AnyView {
    let i18n = use_i18n();
    // The errors of the last post, until the browser's own check finds some.
    let client_errors = RwSignal::new(Vec::<(String, String)>::new());
    let errors = Signal::derive(move || {
        let local = client_errors.get();
        if local.is_empty() {
            server_errors.clone()
        } else {
            local
        }
    });
    let lang = move || lang_of(i18n.get_locale());
    let procedure = view.procedure.clone();
    let title = procedure.title.clone();
    let description = procedure.description.clone();
    let service = procedure.service.clone();
    let code = procedure.code.clone();
    let eid = view.eid;
    let can_submit = view.allowed
        && eid != EidState::Unavailable
        && view.email_verified
        && view.verify_at.is_none();
    let progress = RwSignal::new(None::<u32>);
    let form_ref = NodeRef::<leptos::html::Form>::new();
    #[cfg(feature = "hydrate")]
    let on_submit = {
        let procedure = procedure.clone();
        let today = view.today;
        let attached: Vec<String> = view.attachments.iter().map(|a| a.slot.clone()).collect();
        let owner = view.keep_as.clone();
        move |event: leptos::ev::SubmitEvent| {
            crate::components::upload::submit(
                event,
                form_ref,
                crate::components::upload::FormFacts {
                    procedure: &procedure,
                    today,
                    attached: &attached,
                    owner: &owner,
                },
                client_errors,
                progress,
            );
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_submit = move |_: leptos::ev::SubmitEvent| {
        let _ = (client_errors, progress, form_ref);
    };
    #[cfg(feature = "hydrate")]
    {
        let code = code.clone();
        let owner = view.keep_as.clone();
        Effect::new(move |_| {
            if let Some(form) = form_ref.get() {
                crate::components::upload::restore(&owner, &code, &form);
                // This island arrives after the others (its chunk loads first): the page is
                // interactive once it runs.
                if let Some(body) = document().body() {
                    let _ = body.set_attribute("data-hydrated", "true");
                }
            }
        });
    }
    let on_input = {
        let code = code.clone();
        let owner = view.keep_as.clone();
        move |_: leptos::ev::Event| {
            #[cfg(feature = "hydrate")]
            if let Some(form) = form_ref.get_untracked() {
                crate::components::upload::remember(&owner, &code, &form);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (&code, &owner);
        }
    };
    view! {
        <div class="content" data-hydrates-later="true">
            <p><a href="/procedures">{t!(i18n, procedures.back)}</a></p>
            {saved.then(|| view! {
                <div class="notice notice-success" role="status"><p>{t!(i18n, procedures.saved)}</p></div>
            })}
            <h1>{
                let title = title.clone();
                move || title.get(lang()).to_string()
            }</h1>
            <p class="lead">{move || description.get(lang()).to_string()}</p>
            <p class="hint">{t!(i18n, procedures.service)} " " {move || service.get(lang()).to_string()}</p>
            {(!view.allowed).then(|| view! {
                <div class="notice notice-warning" role="status"><p>{t!(i18n, procedures.not_for_profile)}</p></div>
            })}
            {view.verify_at.filter(|_| view.allowed).map(|organisation| view! {
                <div class="notice notice-warning" id="representative-needed">
                    <p>{t!(i18n, procedures.verified_needed)}</p>
                    <p><a href=format!("/organisations/{organisation}/verification")>{t!(i18n, procedures.verified_link)}</a></p>
                </div>
            })}
            {match eid {
                EidState::NotNeeded => None,
                EidState::Unavailable => Some(view! {
                    <div class="notice notice-warning" role="status"><p>{t!(i18n, procedures.eid_unavailable)}</p></div>
                }.into_any()),
                EidState::Needed => Some(view! {
                    <div class="notice notice-info" id="eid-needed">
                        <p>{t!(i18n, procedures.eid_needed)}</p>
                        <button type="submit" form="filing-form" name="intent" value="identify"
                            class="button button-secondary" disabled=!view.allowed>
                            {t!(i18n, procedures.eid_button)}
                        </button>
                    </div>
                }.into_any()),
                EidState::Done => Some(view! {
                    <div class="notice notice-success" role="status"><p>{t!(i18n, procedures.eid_done)}</p></div>
                }.into_any()),
            }}
            {(!view.email_verified).then(|| view! {
                <div class="notice notice-warning" role="status"><p>{t!(i18n, procedures.unverified)}</p></div>
            })}
            <ErrorSummary errors labels=Signal::derive({
                let procedure = procedure.clone();
                move || {
                    let lang = lang();
                    procedure
                        .fields
                        .iter()
                        .map(|f| (f.name.clone(), f.label.get(lang).to_string()))
                        .chain(procedure.attachments.iter().map(|a| (a.name.clone(), a.label.get(lang).to_string())))
                        .collect::<Vec<_>>()
                }
            }) />
            <form
                id="filing-form"
                method="post"
                action=format!("/procedures/{code}/file")
                enctype="multipart/form-data"
                class="form"
                novalidate=true
                node_ref=form_ref
                on:submit=on_submit
                on:input=on_input.clone()
                on:change=on_input
            >
                <input type="hidden" name="token" value=view.token.clone() />
                {procedure.fields.iter().cloned().map(|field| {
                    view! { <ProcedureField field value=view.data.clone() errors /> }
                }).collect_view()}
                {(!procedure.attachments.is_empty()).then(|| view! {
                    <h2>{t!(i18n, procedures.attachments)}</h2>
                })}
                {procedure.attachments.clone().into_iter().map(|slot| {
                    let id = format!("file.{}", slot.name);
                    let name = slot.name.clone();
                    let existing = view.attachments.iter().find(|a| a.slot == slot.name).cloned();
                    let error = {
                        let name = name.clone();
                        move || errors.read().iter().find(|(f, _)| *f == name).map(|(_, code)| error_message(i18n, code))
                    };
                    let has_error = {
                        let error = error.clone();
                        move || error().is_some()
                    };
                    let types = slot.types.iter().map(|t: &FileType| t.label()).collect::<Vec<_>>().join(", ");
                    let max_mb = slot.max_mb;
                    let label = slot.label.clone();
                    let required = slot.required;
                    view! {
                        <div class="field" id=slot.name.clone() class:field-error=has_error>
                            <label for=id.clone()>
                                {move || label.get(lang()).to_string()}
                                {move || (!required).then(|| format!(" {}", t_string!(i18n, procedures.optional)))}
                            </label>
                            <p class="hint" id=format!("{id}-hint")>{move || t_string!(i18n, procedures.file_rules, types = types.clone(), max = max_mb).to_string()}</p>
                            {
                                let error_id = format!("{id}-error");
                                let error = error.clone();
                                move || error().map(|message| view! { <p class="error-message" id=error_id.clone()>{message}</p> })
                            }
                            {existing.map(|file| view! {
                                <p class="attached">
                                    {t!(i18n, procedures.attached)} " " <strong>{file.file_name.clone()}</strong>
                                    {format!(" ({})", crate::components::format::size_text(file.size, lang_of(i18n.get_locale_untracked())))}
                                </p>
                            })}
                            <input id=id.clone() name=id.clone() type="file" accept=slot.accept()
                                aria-describedby={
                                    let error = error.clone();
                                    let id = id.clone();
                                    move || if error().is_some() { format!("{id}-hint {id}-error") } else { format!("{id}-hint") }
                                }
                                aria-invalid={
                                    let error = error.clone();
                                    move || error().is_some().then_some("true")
                                } />
                        </div>
                    }
                }).collect_view()}
                {move || progress.get().map(|percent| view! {
                    <div class="upload-progress">
                        <label for="upload-progress">{t!(i18n, procedures.sending)}</label>
                        <progress id="upload-progress" max="100" value=percent>{format!("{percent} %")}</progress>
                    </div>
                })}
                <div class="button-group">
                    // "Continuer" leads to "Vérifiez votre demande", which sends it.
                    <button type="submit" name="intent" value="review" class="button button-primary" disabled=!can_submit>
                        {t!(i18n, procedures.continue_button)}
                    </button>
                    <button type="submit" name="intent" value="save" class="button button-secondary" disabled=!view.allowed>
                        {t!(i18n, procedures.save_draft)}
                    </button>
                </div>
            </form>
        </div>
    }
    // Type-erased: the island's view type would otherwise overflow the compiler's depth
    // limit in builds without `erase_components`.
    .into_any()
}
