use crate::api::requests::{dashboard, DeleteDraft};
use crate::components::form::ErrorSummary;
use crate::components::{answer_with, LoadError, PageTitle};
use crate::domain::RequestStatus;
use crate::i18n::*;
use crate::language::lang_of;
use crate::model::requests::{page_numbers, status_label, DashboardFilter};
use crate::pages::requests::StatusBadge;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The tableau de bord of the active profile: every request it filed, with counts,
/// filters, search, sorting, pages, the XLSX export, and the drafts. Signed-out visitors
/// are sent to /login by the server before this renders.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let delete = ServerAction::<DeleteDraft>::new();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let get = |key: &str| q.get(key).unwrap_or_default();
        DashboardFilter {
            status: get("status"),
            procedure: get("procedure"),
            from: get("from"),
            to: get("to"),
            q: get("q"),
            sort: get("sort"),
            page: get("page"),
            as_of: get("as_of"),
        }
    };
    let data = Resource::new(
        move || (lang_of(i18n.get_locale()), filter(), delete.version().get()),
        |(lang, filter, _)| dashboard(lang, filter),
    );
    view! {
        <PageTitle text=|i18n| t_string!(i18n, dashboard.title) />
        <div class="content content-wide">
            <Transition>
                // Whom the session acts for comes with the list (the banner's own data is for
                // the banner): no second look-up of the person for the page.
                {move || Suspend::new(async move {
                    let acting = data.await.ok().map(|data| match data.organisation {
                        Some(name) => t_string!(i18n, banner.acting_for, name = name).to_string(),
                        None => t_string!(i18n, header.acting_as).to_string(),
                    });
                    view! {
                        {acting.map(|acting| view! { <p class="acting-as">{acting}</p> })}
                        <div class="page-head">
                            <h1>{t!(i18n, dashboard.title)}</h1>
                            <a class="button button-primary" href="/procedures">{t!(i18n, dashboard.new_request)}</a>
                        </div>
                    }.into_any()
                })}
            </Transition>
            {move || (query.read().get("draft_deleted").as_deref() == Some("1")).then(|| view! {
                <div class="notice notice-success" role="status"><p>{t!(i18n, dashboard.draft_deleted)}</p></div>
            })}
            <Suspense>
                {move || Suspend::new(async move {
                    let current = filter();
                    let data = match data.await {
                        Ok(data) => data,
                        Err(error) => {
                            let crate::error::AppError::Validation(fields) = &error else {
                                return view! { <LoadError error /> }.into_any();
                            };
                            answer_with(&error);
                            let fields: Vec<(String, String)> = fields.iter().map(|e| (e.field.clone(), e.code.clone())).collect();
                            let errors = Signal::derive(move || fields.clone());
                            return view! { <ErrorSummary errors /> <p><a href="/dashboard">{t!(i18n, dashboard.reset)}</a></p> }.into_any();
                        }
                    };
                    let export = {
                        let q = current.query();
                        if q.is_empty() { "/dashboard/export.xlsx".to_string() } else { format!("/dashboard/export.xlsx?{q}") }
                    };
                    let pager = (data.pages > 1).then(|| view! {
                        <Pager filter=current.clone() page=data.page pages=data.pages as_of=data.as_of />
                    });
                    let filtered = !current.query().is_empty();
                    let drafts = data.drafts.len();
                    let to_do = data.to_do.clone();
                    let nothing_to_do = to_do.documents.is_empty() && to_do.access_requests.is_empty() && drafts == 0;
                    view! {
                        <section aria-labelledby="to-do-title" class="to-do">
                            <h2 id="to-do-title">{t!(i18n, dashboard.to_do_title)}</h2>
                            {nothing_to_do.then(|| view! { <p>{t!(i18n, dashboard.to_do_none)}</p> })}
                            <ul class="to-do-list">
                                {to_do.documents.into_iter().map(|(reference, procedure)| view! {
                                    <li>
                                        <span>{
                                            let reference = reference.clone();
                                            move || t_string!(i18n, dashboard.to_do_documents, reference = reference.as_str(), procedure = procedure.as_str()).to_string()
                                        }</span>
                                        " "
                                        <a href=format!("/requests/{reference}")>{t!(i18n, dashboard.to_do_documents_action)}</a>
                                    </li>
                                }).collect_view()}
                                {to_do.access_requests.into_iter().map(|(id, organisation, count)| view! {
                                    <li>
                                        <span>{move || if count == 1 {
                                            t_string!(i18n, dashboard.to_do_access_one, organisation = organisation.as_str()).to_string()
                                        } else {
                                            t_string!(i18n, dashboard.to_do_access_many, count = count, organisation = organisation.as_str()).to_string()
                                        }}</span>
                                        " "
                                        <a href=format!("/organisations/{id}/members")>{t!(i18n, dashboard.to_do_access_action)}</a>
                                    </li>
                                }).collect_view()}
                                {(drafts > 0).then(|| view! {
                                    <li>
                                        <span>{move || if drafts == 1 {
                                            t_string!(i18n, dashboard.to_do_drafts_one).to_string()
                                        } else {
                                            t_string!(i18n, dashboard.to_do_drafts_many, count = drafts).to_string()
                                        }}</span>
                                        " "
                                        <a href="#drafts-title">{t!(i18n, dashboard.to_do_drafts_action)}</a>
                                    </li>
                                })}
                            </ul>
                        </section>
                        {(!data.drafts.is_empty()).then(|| view! {
                            <section aria-labelledby="drafts-title" class="drafts">
                                <h2 id="drafts-title">{t!(i18n, dashboard.drafts)}</h2>
                                <ul class="card-list">
                                    {data.drafts.iter().cloned().map(|draft| view! {
                                        <li class="card">
                                            <p class="card-title"><a href=format!("/procedures/{}", draft.procedure_code)>{draft.procedure.clone()}</a></p>
                                            <p class="hint">{move || t_string!(i18n, dashboard.draft_saved, when = draft.updated.as_str()).to_string()}</p>
                                            <div class="button-group">
                                                <a class="button button-secondary button-small" href=format!("/procedures/{}", draft.procedure_code)>{t!(i18n, dashboard.resume)}</a>
                                                <ActionForm action=delete attr:class="inline-form">
                                                    <input type="hidden" name="token" value=draft.token.clone() />
                                                    <button type="submit" class="button button-secondary button-small">{t!(i18n, dashboard.delete_draft)}</button>
                                                </ActionForm>
                                            </div>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        })}
                        <section aria-labelledby="requests-title">
                            <div class="page-head">
                                <h2 id="requests-title">{t!(i18n, dashboard.requests)}</h2>
                                <a class="export-link" href=export download="mes-demarches.xlsx" rel="external">
                                    <svg class="icon" aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
                                        <path d="M4 3h11l5 5v13H4zM14 4v5h5M7 11l3 4-3 4h2l2-2.7 2 2.7h2l-3-4 3-4h-2l-2 2.7L9 11z" fill="currentColor" />
                                    </svg>
                                    {t!(i18n, dashboard.export)}
                                </a>
                            </div>
                            {(data.total == 0).then(|| view! { <p class="empty-state">{t!(i18n, dashboard.empty)}</p> })}
                            {(data.total > 0).then(|| view! {
                                <ul class="status-counts" aria-label=move || t_string!(i18n, dashboard.counts)>
                                    {data.counts.iter().filter(|(_, n)| *n > 0).map(|(status, n)| {
                                        let status = *status;
                                        let n = *n;
                                        view! {
                                            <li><a href=format!("/dashboard?status={}", status.code())>
                                                {move || format!("{} : {n}", status_label(lang_of(i18n.get_locale()), status))}
                                            </a></li>
                                        }
                                    }).collect_view()}
                                </ul>
                                <form method="get" action="/dashboard" class="filters">
                                    <div class="field">
                                        <label for="q">{t!(i18n, dashboard.search)}</label>
                                        <input id="q" name="q" type="search" value=current.q.clone() />
                                    </div>
                                    <div class="field">
                                        <label for="status">{t!(i18n, dashboard.filter_status)}</label>
                                        <select id="status" name="status">
                                            <option value="">{t!(i18n, dashboard.all_statuses)}</option>
                                            {RequestStatus::FILED.into_iter().map(|s| view! {
                                                <option value=s.code() selected=current.status == s.code()>{move || status_label(lang_of(i18n.get_locale()), s)}</option>
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="field">
                                        <label for="procedure">{t!(i18n, dashboard.filter_procedure)}</label>
                                        <select id="procedure" name="procedure">
                                            <option value="">{t!(i18n, dashboard.all_procedures)}</option>
                                            {data.procedures.iter().map(|(code, title)| view! {
                                                <option value=code.clone() selected=*code == current.procedure>{title.clone()}</option>
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="field">
                                        <label for="from">{t!(i18n, dashboard.from)}</label>
                                        <input id="from" name="from" type="date" value=current.from.clone() />
                                    </div>
                                    <div class="field">
                                        <label for="to">{t!(i18n, dashboard.to)}</label>
                                        <input id="to" name="to" type="date" value=current.to.clone() />
                                    </div>
                                    <div class="field">
                                        <label for="sort">{t!(i18n, dashboard.sort)}</label>
                                        <select id="sort" name="sort">
                                            <option value="newest" selected=current.sort.is_empty() || current.sort == "newest">{t!(i18n, dashboard.sort_newest)}</option>
                                            <option value="oldest" selected=current.sort == "oldest">{t!(i18n, dashboard.sort_oldest)}</option>
                                            <option value="updated" selected=current.sort == "updated">{t!(i18n, dashboard.sort_updated)}</option>
                                        </select>
                                    </div>
                                    <div class="button-group">
                                        <button type="submit" class="button button-secondary">{t!(i18n, dashboard.filter)}</button>
                                        {filtered.then(|| view! { <a href="/dashboard">{t!(i18n, dashboard.reset)}</a> })}
                                    </div>
                                </form>
                            })}
                            {(data.total > 0 && data.rows.is_empty()).then(|| view! { <p class="empty-state">{t!(i18n, dashboard.no_match)}</p> })}
                            {(!data.rows.is_empty()).then(|| view! {
                                <table class="requests">
                                    <thead>
                                        <tr>
                                            <th scope="col">{t!(i18n, dashboard.col_reference)}</th>
                                            <th scope="col">{t!(i18n, dashboard.col_procedure)}</th>
                                            <th scope="col">{t!(i18n, dashboard.col_subject)}</th>
                                            <th scope="col">{t!(i18n, dashboard.col_status)}</th>
                                            <th scope="col">{t!(i18n, dashboard.col_submitted)}</th>
                                            <th scope="col">{t!(i18n, dashboard.col_updated)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        // On a phone each row is a card: every value says what it is.
                                        {data.rows.clone().into_iter().map(|row| view! {
                                            <tr>
                                                <td data-label=move || format!("{}{}", t_string!(i18n, dashboard.col_reference), t_string!(i18n, form.label_separator))><a href=format!("/requests/{}", row.reference)>{row.reference.clone()}</a></td>
                                                <td data-label=move || format!("{}{}", t_string!(i18n, dashboard.col_procedure), t_string!(i18n, form.label_separator))>{row.procedure.clone()}</td>
                                                <td data-label=move || format!("{}{}", t_string!(i18n, dashboard.col_subject), t_string!(i18n, form.label_separator))>
                                                    {if row.subject.is_empty() { "—".to_string() } else { row.subject.clone() }}
                                                </td>
                                                <td data-label=move || format!("{}{}", t_string!(i18n, dashboard.col_status), t_string!(i18n, form.label_separator))>
                                                    <StatusBadge status=row.status />
                                                    <crate::components::progress::ProgressLine status=row.status compact=true />
                                                </td>
                                                <td data-label=move || format!("{}{}", t_string!(i18n, dashboard.col_submitted), t_string!(i18n, form.label_separator))>{row.submitted.clone()}</td>
                                                <td data-label=move || format!("{}{}", t_string!(i18n, dashboard.col_updated), t_string!(i18n, form.label_separator))>{row.updated.clone()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            })}
                            {pager}
                        </section>
                    }
                    .into_any()
                })}
            </Suspense>
        </div>
    }
}

/// The pages of the list: previous, the numbers around this one, next (GOV.UK's pager).
#[component]
fn Pager(filter: DashboardFilter, page: i64, pages: i64, as_of: i64) -> impl IntoView {
    let i18n = use_i18n();
    let link = move |n: i64| filter.page_link(n, as_of);
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, dashboard.pager)>
            <p class="pager-position">{move || t_string!(i18n, dashboard.page_of, page = page, pages = pages).to_string()}</p>
            <ul>
                {(page > 1).then(|| view! {
                    <li class="pager-step"><a href=link(page - 1) rel="prev">{t!(i18n, dashboard.previous_page)}</a></li>
                })}
                {page_numbers(page, pages).into_iter().map(|n| match n {
                    Some(n) if n == page => view! {
                        <li><a href=link(n) aria-current="page" aria-label=move || t_string!(i18n, dashboard.page_n, n = n).to_string()>{n}</a></li>
                    }.into_any(),
                    Some(n) => view! {
                        <li><a href=link(n) aria-label=move || t_string!(i18n, dashboard.page_n, n = n).to_string()>{n}</a></li>
                    }.into_any(),
                    None => view! { <li class="pager-gap" aria-hidden="true">"…"</li> }.into_any(),
                }).collect_view()}
                {(page < pages).then(|| view! {
                    <li class="pager-step"><a href=link(page + 1) rel="next">{t!(i18n, dashboard.next_page)}</a></li>
                })}
            </ul>
        </nav>
    }
}
