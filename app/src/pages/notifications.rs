//! `/notifications`: the notification centre, newest first.
use crate::api::notifications::{notifications, MarkAllNotificationsRead, MarkNotificationRead};
use crate::components::{LoadError, PageTitle};
use crate::i18n::*;
use crate::model::notifications::NotificationView;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The sentence of one notification, in the reader's language.
fn wording(i18n: leptos_i18n::I18nContext<Locale>, item: &NotificationView) -> String {
    let organisation = item.organisation.as_str();
    match item.kind.as_str() {
        "access_requested" => t_string!(
            i18n,
            notifications.access_requested,
            requester = item.requester.as_str(),
            organisation = organisation,
            function = item.function.as_str()
        )
        .to_string(),
        "access_accepted" => t_string!(
            i18n,
            notifications.access_accepted,
            organisation = organisation
        )
        .to_string(),
        "access_refused" => t_string!(
            i18n,
            notifications.access_refused,
            organisation = organisation
        )
        .to_string(),
        "access_made_admin" => t_string!(
            i18n,
            notifications.access_made_admin,
            organisation = organisation
        )
        .to_string(),
        "access_made_member" => t_string!(
            i18n,
            notifications.access_made_member,
            organisation = organisation
        )
        .to_string(),
        "access_revoked" => t_string!(
            i18n,
            notifications.access_revoked,
            organisation = organisation
        )
        .to_string(),
        "verification_accepted" => t_string!(
            i18n,
            notifications.verification_accepted,
            organisation = organisation
        )
        .to_string(),
        "verification_refused" => t_string!(
            i18n,
            notifications.verification_refused,
            organisation = organisation
        )
        .to_string(),
        "dispute_suspended" => t_string!(
            i18n,
            notifications.dispute_suspended,
            organisation = organisation
        )
        .to_string(),
        "dispute_handed_over" => t_string!(
            i18n,
            notifications.dispute_handed_over,
            organisation = organisation
        )
        .to_string(),
        "dispute_removed" => t_string!(
            i18n,
            notifications.dispute_removed,
            organisation = organisation
        )
        .to_string(),
        "dispute_dismissed" => t_string!(
            i18n,
            notifications.dispute_dismissed,
            organisation = organisation
        )
        .to_string(),
        "dispute_reinstated" => t_string!(
            i18n,
            notifications.dispute_reinstated,
            organisation = organisation
        )
        .to_string(),
        "draft_expiring" => t_string!(
            i18n,
            notifications.draft_expiring,
            procedure = item.procedure.as_str(),
            date = item.date.as_str()
        )
        .to_string(),
        kind if kind.starts_with("request_") => {
            let (reference, procedure) = (item.reference.as_str(), item.procedure.as_str());
            match kind {
                "request_submitted" => t_string!(
                    i18n,
                    notifications.request_submitted,
                    reference = reference,
                    procedure = procedure
                )
                .to_string(),
                "request_in_treatment" => t_string!(
                    i18n,
                    notifications.request_in_treatment,
                    reference = reference,
                    procedure = procedure
                )
                .to_string(),
                "request_documents_requested" => t_string!(
                    i18n,
                    notifications.request_documents_requested,
                    reference = reference,
                    procedure = procedure
                )
                .to_string(),
                "request_accepted" => t_string!(
                    i18n,
                    notifications.request_accepted,
                    reference = reference,
                    procedure = procedure
                )
                .to_string(),
                "request_refused" => t_string!(
                    i18n,
                    notifications.request_refused,
                    reference = reference,
                    procedure = procedure
                )
                .to_string(),
                "request_closed" => t_string!(
                    i18n,
                    notifications.request_closed,
                    reference = reference,
                    procedure = procedure
                )
                .to_string(),
                _ => t_string!(
                    i18n,
                    notifications.request_message,
                    reference = reference,
                    procedure = procedure
                )
                .to_string(),
            }
        }
        _ => t_string!(i18n, notifications.other).to_string(),
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let mark = ServerAction::<MarkNotificationRead>::new();
    let mark_all = ServerAction::<MarkAllNotificationsRead>::new();
    let query = use_query_map();
    let before = move || {
        query
            .read()
            .get("before")
            .and_then(|text| text.parse::<i64>().ok())
    };
    let page = Resource::new(
        move || (before(), mark.version().get(), mark_all.version().get()),
        |(before, _, _)| notifications(before),
    );
    view! {
        <PageTitle text=|i18n| t_string!(i18n, notifications.title) />
        <div class="content">
            <h1>{t!(i18n, notifications.title)}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let data = match page.await {
                        Ok(data) => data,
                        Err(error) => return view! { <LoadError error /> }.into_any(),
                    };
                    let unread = data.unread;
                    view! {
                        <div class="notifications-head">
                            <p role="status">
                                {match unread {
                                    0 => t_string!(i18n, notifications.none_unread).to_string(),
                                    1 => t_string!(i18n, notifications.one_unread).to_string(),
                                    n => t_string!(i18n, notifications.many_unread, count = n).to_string(),
                                }}
                            </p>
                            {(unread > 0).then(|| view! {
                                <ActionForm action=mark_all attr:class="inline-form">
                                    <button type="submit" class="button button-secondary button-small">
                                        {t!(i18n, notifications.mark_all)}
                                    </button>
                                </ActionForm>
                            })}
                        </div>
                        {data.items.is_empty().then(|| view! {
                            <p class="empty-state">{t!(i18n, notifications.empty)}</p>
                        })}
                        <ul class="notification-list">
                            {data.items.into_iter().map(|item| {
                                let text = wording(i18n, &item);
                                let profile = if item.organisation.is_empty() {
                                    t_string!(i18n, header.citizen_space).to_string()
                                } else {
                                    match &item.bce {
                                        Some(bce) => format!("{} ({bce})", item.organisation),
                                        None => item.organisation.clone(),
                                    }
                                };
                                let read = item.read;
                                view! {
                                    <li class="notification" class:notification-unread=!read>
                                        <p class="notification-text">
                                            {(!read).then(|| view! {
                                                <span class="notification-dot" aria-hidden="true"></span>
                                                <span class="visually-hidden">{t!(i18n, notifications.unread_marker)} " "</span>
                                            })}
                                            <a href=item.link.clone()>{text}</a>
                                        </p>
                                        <p class="notification-meta">
                                            {t!(i18n, notifications.concerns)} " " <strong>{profile}</strong>
                                            " · " <span>{item.when.clone()}</span>
                                        </p>
                                        {(!read).then(|| view! {
                                            <ActionForm action=mark attr:class="inline-form">
                                                <input type="hidden" name="id" value=item.id.to_string() />
                                                <button type="submit" class="link-button">
                                                    {t!(i18n, notifications.mark_read)}
                                                </button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {data.next_before.map(|next| view! {
                            <p>
                                <a href=format!("/notifications?before={next}")>{t!(i18n, notifications.older)}</a>
                            </p>
                        })}
                    }
                    .into_any()
                })}
            </Suspense>
        </div>
    }
}
