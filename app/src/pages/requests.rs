//! `/requests/{reference}`: one request as filed, its documents, its history and the
//! messages with the administration; and the agents' back office (`/backoffice`).
use crate::api::requests::{
    backoffice_queue, backoffice_request, get_request, BackofficeMessage, BackofficeStatus,
    SendMessage,
};
use crate::components::form::errors_from_query;
use crate::components::form::{field_errors, ErrorSummary};
use crate::components::format::size_text;
use crate::components::{answer_with, LoadError, PageTitle};
use crate::domain::RequestStatus;
use crate::i18n::*;
use crate::language::lang_of;
use crate::model::requests::{status_label, RequestView, SwitchedProfile};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn StatusBadge(status: RequestStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("status status-{}", status.code())>
            {move || status_label(lang_of(i18n.get_locale()), status)}
        </span>
    }
}

/// What both sides see: the answers, the documents, the history, the messages.
#[component]
fn RequestDetails(
    view: RequestView,
    /// `/requests/…` or `/backoffice/requests/…`: where attachments download from.
    base: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let who = move |by: String, by_agent: bool| {
        if by_agent && by.is_empty() {
            t_string!(i18n, request.administration).to_string()
        } else {
            by
        }
    };
    view! {
        <dl class="facts">
            <dt>{t!(i18n, request.procedure)}</dt><dd>{view.procedure.clone()}</dd>
            <dt>{t!(i18n, request.status)}</dt><dd><StatusBadge status=view.status /></dd>
            <dt>{t!(i18n, request.submitted)}</dt><dd>{view.submitted.clone()}</dd>
            {view.answer_by.clone().map(|date| view! {
                <dt>{t!(i18n, request.answer_by)}</dt><dd>{date}</dd>
            })}
            <dt>{t!(i18n, request.profile)}</dt>
            <dd>{if view.profile.is_empty() { t_string!(i18n, header.citizen_space).to_string() } else { view.profile.clone() }}</dd>
            <dt>{t!(i18n, request.filed_by)}</dt><dd>{view.filed_by.clone()}</dd>
            <dt>{t!(i18n, request.identification)}</dt>
            <dd>{match view.identification.clone() {
                Some(acr) => view! {
                    <span class="badge badge-eid">{t!(i18n, request.identified_eid)}</span>
                    " " <span class="hint">{format!("({acr})")}</span>
                }.into_any(),
                None => view! { <span>{t!(i18n, request.identified_basic)}</span> }.into_any(),
            }}</dd>
            <dt>{t!(i18n, request.service)}</dt><dd>{view.service.clone()}</dd>
        </dl>
        <section aria-labelledby="answers-title">
            <h2 id="answers-title">{t!(i18n, request.answers)}</h2>
            <dl class="facts">
                {view.answers.iter().map(|a| view! {
                    <dt>{a.label.clone()}</dt>
                    <dd>{if a.value.is_empty() { "—".to_string() } else { a.value.clone() }}</dd>
                }).collect_view()}
            </dl>
        </section>
        <section aria-labelledby="documents-title">
            <h2 id="documents-title">{t!(i18n, request.documents)}</h2>
            {view.attachments.is_empty().then(|| view! { <p>{t!(i18n, request.no_documents)}</p> })}
            <ul class="file-list">
                {view.attachments.iter().map(|file| view! {
                    <li>
                        <a href=format!("{base}/attachments/{}", file.id) download=file.file_name.clone() rel="external">{file.file_name.clone()}</a>
                        {format!(" ({}, {})", size_text(file.size, lang_of(i18n.get_locale_untracked())), file.when)}
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="history-title">
            <h2 id="history-title">{t!(i18n, request.history)}</h2>
            <ol class="timeline">
                {view.events.clone().into_iter().map(|event| {
                    let by = who(event.by.clone(), event.by_agent);
                    view! {
                        <li>
                            <p><StatusBadge status=event.status /> " " <span class="hint">{event.when.clone()} " · " {by}</span></p>
                            {(!event.note.is_empty()).then(|| view! { <p class="note">{event.note.clone()}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
        <section aria-labelledby="messages-title" id="messages">
            <h2 id="messages-title">{t!(i18n, request.messages)}</h2>
            {view.messages.is_empty().then(|| view! { <p>{t!(i18n, request.no_messages)}</p> })}
            <ul class="thread">
                {view.messages.clone().into_iter().map(|message| {
                    let by = who(message.by.clone(), message.by_agent);
                    view! {
                        <li class:from-agent=message.by_agent>
                            <p class="hint">{by} " · " {message.when.clone()}</p>
                            <p class="message-body">{message.body.clone()}</p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// "Consultations par l'administration": which service read the request, or downloaded
/// which of its files, and when.
#[component]
fn AccessLog(accesses: Vec<crate::model::requests::AccessView>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="accesses-title" id="accesses">
            <h2 id="accesses-title">{t!(i18n, request.accesses)}</h2>
            <p class="hint">{t!(i18n, request.accesses_hint)}</p>
            {accesses.is_empty().then(|| view! { <p>{t!(i18n, request.no_accesses)}</p> })}
            <ul class="history">
                {accesses.into_iter().map(|access| {
                    let (service, date, time) = (access.service.as_str(), access.date.as_str(), access.time.as_str());
                    let line = match &access.file_name {
                        None => t_string!(i18n, request.accessed, service = service, date = date, time = time).to_string(),
                        Some(file) => t_string!(i18n, request.downloaded, service = service, date = date, time = time, file = file.as_str()).to_string(),
                    };
                    view! { <li>{line}</li> }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn RequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    let send = ServerAction::<SendMessage>::new();
    let message_errors = Signal::derive(move || field_errors(send.value().get()));
    let data = Resource::new(
        move || {
            (
                lang_of(i18n.get_locale()),
                reference(),
                send.version().get(),
                query.read().get("answered"),
                query.read().get("switched").as_deref() == Some("1"),
            )
        },
        |(lang, reference, _, _, switched)| get_request(lang, reference, switched),
    );
    let upload_errors = Signal::derive(move || errors_from_query(query.read().get("errors")));
    let flag = move |key: &str| query.read().get(key).as_deref() == Some("1");
    view! {
        <PageTitle text=|i18n| t_string!(i18n, request.title_short) />
        <div class="content">
            <p><a href="/dashboard">{t!(i18n, request.back)}</a></p>
            <Suspense>
                {move || Suspend::new(async move {
                    let view = match data.await {
                        Ok(view) => view,
                        Err(error) => {
                            answer_with(&error);
                            return view! {
                                <h1>{t!(i18n, not_found.title)}</h1>
                                <p>{t!(i18n, request.not_found)}</p>
                            }.into_any();
                        }
                    };
                    let reference = view.reference.clone();
                    let asked = view.documents_asked.clone();
                    let switched = view.switched_to.clone().map(|profile| {
                        match profile {
                            SwitchedProfile::Citizen => t_string!(i18n, request.switched_citizen).to_string(),
                            SwitchedProfile::Organisation(name) => {
                                t_string!(i18n, request.switched_organisation, name = name.as_str()).to_string()
                            }
                        }
                    });
                    view! {
                        {switched.map(|text| view! {
                            <div class="notice notice-info" role="status"><p>{text}</p></div>
                        })}
                        {
                        let (reference, service, answer_by) =
                            (reference.clone(), view.service.clone(), view.answer_by.clone());
                        move || flag("submitted").then(|| {
                            let reference = reference.clone();
                            let service = service.clone();
                            let answer_by = answer_by.clone();
                            view! {
                                // GOV.UK's confirmation: the reference first, then what happens next.
                                <div class="panel-confirmation" role="status">
                                    <p class="panel-title">{t!(i18n, request.submitted_title)}</p>
                                    <p>{t!(i18n, request.your_reference)}<br /><strong class="panel-reference">{reference.clone()}</strong></p>
                                    <p>{t!(i18n, request.submitted_notice)}</p>
                                </div>
                                <section aria-labelledby="next-title" class="next-steps-box">
                                    <h2 id="next-title">{t!(i18n, request.next_title)}</h2>
                                    <p>{
                                        let service = service.clone();
                                        move || match answer_by.clone() {
                                            Some(date) => t_string!(i18n, request.next_answer_by, service = service.as_str(), date = date.as_str()).to_string(),
                                            None => t_string!(i18n, request.next_answer, service = service.as_str()).to_string(),
                                        }
                                    }</p>
                                    <p>{t!(i18n, request.next_told)}</p>
                                </section>
                            }
                        })
                        }
                        {move || flag("answered").then(|| view! {
                            <div class="notice notice-success" role="status"><p>{t!(i18n, request.answered_notice)}</p></div>
                        })}
                        {move || flag("sent").then(|| view! {
                            <div class="notice notice-success" role="status"><p>{t!(i18n, request.sent_notice)}</p></div>
                        })}
                        <h1>{
                            let reference = reference.clone();
                            move || t_string!(i18n, request.title, reference = reference.as_str()).to_string()
                        }</h1>
                        {asked.map(|asked| {
                            let action = format!("/requests/{reference}/documents");
                            view! {
                                <section class="notice notice-warning documents-asked" aria-labelledby="asked-title">
                                    <h2 id="asked-title">{t!(i18n, request.asked_title)}</h2>
                                    <p class="note">{asked}</p>
                                    <ErrorSummary errors=upload_errors />
                                    <form method="post" action=action enctype="multipart/form-data" class="form">
                                        <div class="field" id="documents">
                                            <label for="documents-files">{t!(i18n, request.asked_files)}</label>
                                            <p class="hint">{t!(i18n, request.asked_rules)}</p>
                                            <input id="documents-files" name="file.documents" type="file" multiple=true accept=".pdf,.jpg,.jpeg,.png" />
                                        </div>
                                        <div class="field">
                                            <label for="documents-note">{t!(i18n, request.asked_note)}</label>
                                            <textarea id="documents-note" name="note" rows="3">{query.read_untracked().get("note").unwrap_or_default()}</textarea>
                                        </div>
                                        <button type="submit" class="button button-primary">{t!(i18n, request.asked_send)}</button>
                                    </form>
                                </section>
                            }
                        })}
                        <crate::components::progress::ProgressLine status=view.status />
                        <RequestDetails view=view.clone() base=format!("/requests/{reference}") />
                        // A PDF of what was filed, when and by whom, and what is due when: the
                        // person's proof, in the page's language.
                        <p class="receipt-link">
                            <a href={
                                let reference = reference.clone();
                                move || format!("/requests/{reference}/receipt.pdf?lang={}", lang_of(i18n.get_locale()).code())
                            } download="" rel="external">
                                {t!(i18n, request.receipt)}
                            </a>
                        </p>
                        <AccessLog accesses=view.accesses.clone() />
                        <ErrorSummary errors=message_errors />
                        {if view.status == crate::domain::RequestStatus::Closed {
                            // A closed request takes no more messages.
                            view! { <p class="hint">{t!(i18n, request.closed_no_messages)}</p> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=send attr:class="form" attr:novalidate=true>
                                    <input type="hidden" name="reference" value=reference.clone() />
                                    <div class="field" id="body">
                                        <label for="body-text">{t!(i18n, request.write)}</label>
                                        <textarea id="body-text" name="body" rows="4"></textarea>
                                    </div>
                                    <button type="submit" class="button button-secondary">{t!(i18n, request.send)}</button>
                                </ActionForm>
                            }.into_any()
                        }}
                    }
                    .into_any()
                })}
            </Suspense>
        </div>
    }
}

// ---------------------------------------------------------------------------------------
// Back office

#[component]
pub fn BackofficePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let get = move |key: &str| query.read().get(key).unwrap_or_default();
    let data = Resource::new(
        move || {
            (
                lang_of(i18n.get_locale()),
                get("status"),
                get("procedure"),
                get("min_age"),
                get("after"),
            )
        },
        |(lang, status, procedure, min_age, after)| {
            backoffice_queue(lang, status, procedure, min_age, after)
        },
    );
    view! {
        <PageTitle text=|i18n| t_string!(i18n, backoffice.title) />
        <div class="content content-wide">
            <h1>{t!(i18n, backoffice.title)}</h1>
            <crate::pages::BackofficeNav />
            <Suspense>
                {move || Suspend::new(async move {
                    let data = match data.await {
                        Ok(data) => data,
                        Err(crate::error::AppError::Forbidden) => {
                            answer_with(&crate::error::AppError::Forbidden);
                            return view! { <p>{t!(i18n, backoffice.agents_only)}</p> }.into_any()
                        }
                        Err(error) => return view! { <LoadError error /> }.into_any(),
                    };
                    let status = get("status");
                    let procedure = get("procedure");
                    let next_link = data.next.clone().map(|after| {
                        format!(
                            "/backoffice?status={}&procedure={}&min_age={}&after={after}",
                            crate::model::requests::encode(&get("status")),
                            crate::model::requests::encode(&get("procedure")),
                            crate::model::requests::encode(&get("min_age")),
                        )
                    });
                    view! {
                        <form method="get" action="/backoffice" class="filters">
                            <div class="field">
                                <label for="status">{t!(i18n, dashboard.filter_status)}</label>
                                <select id="status" name="status">
                                    <option value="open" selected=status.is_empty() || status == "open">{t!(i18n, backoffice.open)}</option>
                                    <option value="all" selected=status == "all">{t!(i18n, backoffice.all)}</option>
                                    {RequestStatus::FILED.into_iter().map(|s| view! {
                                        <option value=s.code() selected=status == s.code()>{move || status_label(lang_of(i18n.get_locale()), s)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="procedure">{t!(i18n, dashboard.filter_procedure)}</label>
                                <select id="procedure" name="procedure">
                                    <option value="">{t!(i18n, dashboard.all_procedures)}</option>
                                    {data.procedures.iter().map(|(code, title)| view! {
                                        <option value=code.clone() selected=*code == procedure>{title.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="min_age">{t!(i18n, backoffice.min_age)}</label>
                                <input id="min_age" name="min_age" type="text" inputmode="numeric" value=get("min_age") />
                            </div>
                            <button type="submit" class="button button-secondary">{t!(i18n, dashboard.filter)}</button>
                        </form>
                        {data.rows.is_empty().then(|| view! { <p class="empty-state">{t!(i18n, backoffice.empty)}</p> })}
                        <table class="requests">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, dashboard.col_reference)}</th>
                                    <th scope="col">{t!(i18n, dashboard.col_procedure)}</th>
                                    <th scope="col">{t!(i18n, dashboard.col_status)}</th>
                                    <th scope="col">{t!(i18n, dashboard.col_submitted)}</th>
                                    <th scope="col">{t!(i18n, backoffice.age)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {data.rows.iter().cloned().map(|row| view! {
                                    <tr>
                                        <td><a href=format!("/backoffice/requests/{}", row.reference)>{row.reference.clone()}</a></td>
                                        <td>{row.procedure.clone()}</td>
                                        <td><StatusBadge status=row.status /></td>
                                        <td>{row.submitted.clone()}</td>
                                        <td>{move || t_string!(i18n, backoffice.days, count = row.age_days).to_string()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {next_link.map(|href| view! { <p><a href=href>{t!(i18n, dashboard.next_page)}</a></p> })}
                    }
                    .into_any()
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn BackofficeRequestPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let reference = move || params.read().get("reference").unwrap_or_default();
    let change = ServerAction::<BackofficeStatus>::new();
    let reply = ServerAction::<BackofficeMessage>::new();
    let change_errors = Signal::derive(move || match change.value().get() {
        Some(Err(crate::error::AppError::Conflict)) => {
            vec![("status".to_string(), "request.conflict".to_string())]
        }
        other => field_errors(other),
    });
    let reply_errors = Signal::derive(move || field_errors(reply.value().get()));
    let data = Resource::new(
        move || {
            (
                lang_of(i18n.get_locale()),
                reference(),
                change.version().get(),
                reply.version().get(),
            )
        },
        |(lang, reference, _, _)| backoffice_request(lang, reference),
    );
    let flag = move |key: &str| query.read().get(key).as_deref() == Some("1");
    view! {
        <PageTitle text=|i18n| t_string!(i18n, backoffice.title) />
        <div class="content">
            <p><a href="/backoffice">{t!(i18n, backoffice.back)}</a></p>
            <Suspense>
                {move || Suspend::new(async move {
                    let view = match data.await {
                        Ok(view) => view,
                        Err(crate::error::AppError::Forbidden) => {
                            answer_with(&crate::error::AppError::Forbidden);
                            return view! { <p>{t!(i18n, backoffice.agents_only)}</p> }.into_any()
                        }
                        Err(error @ crate::error::AppError::EidRequired) => {
                            return view! { <LoadError error /> }.into_any()
                        }
                        Err(error) => {
                            answer_with(&error);
                            return view! { <h1>{t!(i18n, not_found.title)}</h1> }.into_any();
                        }
                    };
                    let reference = view.reference.clone();
                    let next = view.next_statuses.clone();
                    view! {
                        // One answer at a time: a new error replaces the notice of the
                        // change before it (issue 14, bug 6).
                        {move || (flag("changed") && change_errors.read().is_empty() && reply_errors.read().is_empty()).then(|| view! {
                            <div class="notice notice-success" role="status"><p>{t!(i18n, backoffice.changed)}</p></div>
                        })}
                        {move || (flag("sent") && change_errors.read().is_empty() && reply_errors.read().is_empty()).then(|| view! {
                            <div class="notice notice-success" role="status"><p>{t!(i18n, request.sent_notice)}</p></div>
                        })}
                        <h1>{
                            let reference = reference.clone();
                            move || t_string!(i18n, request.title, reference = reference.as_str()).to_string()
                        }</h1>
                        {view.documents_asked.clone().map(|asked| view! {
                            <div class="notice notice-warning"><p><strong>{t!(i18n, request.asked_title)}</strong></p><p class="note">{asked}</p></div>
                        })}
                        {view.own_request.then(|| view! {
                            <div class="notice notice-warning" role="status"><p>{t!(i18n, field_error.own_request)}</p></div>
                        })}
                        {(!next.is_empty()).then(|| {
                            let reference = reference.clone();
                            view! {
                            <section aria-labelledby="change-title">
                                <h2 id="change-title">{t!(i18n, backoffice.change_title)}</h2>
                                <ErrorSummary errors=change_errors />
                                <ActionForm action=change attr:class="form" attr:novalidate=true>
                                    <input type="hidden" name="reference" value=reference.clone() />
                                    <div class="field" id="status">
                                        <label for="status-select">{t!(i18n, backoffice.new_status)}</label>
                                        <select id="status-select" name="status">
                                            {next.iter().map(|s| {
                                                let s = *s;
                                                view! { <option value=s.code()>{move || status_label(lang_of(i18n.get_locale()), s)}</option> }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="field" id="note">
                                        <label for="note-text">{t!(i18n, backoffice.note)}</label>
                                        <p class="hint">{t!(i18n, backoffice.note_hint)}</p>
                                        <textarea id="note-text" name="note" rows="3"></textarea>
                                    </div>
                                    <button type="submit" class="button button-primary">{t!(i18n, backoffice.change)}</button>
                                </ActionForm>
                            </section>
                        }})}
                        <RequestDetails view=view.clone() base=format!("/backoffice/requests/{reference}") />
                        {(!view.own_request).then(|| view! {
                        <ErrorSummary errors=reply_errors />
                        <ActionForm action=reply attr:class="form" attr:novalidate=true>
                            <input type="hidden" name="reference" value=reference.clone() />
                            <div class="field" id="body">
                                <label for="reply-text">{t!(i18n, backoffice.reply)}</label>
                                <textarea id="reply-text" name="body" rows="4"></textarea>
                            </div>
                            <button type="submit" class="button button-secondary">{t!(i18n, request.send)}</button>
                        </ActionForm>
                        })}
                    }
                    .into_any()
                })}
            </Suspense>
        </div>
    }
}
