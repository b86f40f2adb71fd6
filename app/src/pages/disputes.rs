//! Reports that an organisation's profile is held by the wrong people: `/organisations/report`
//! where someone who cannot get access sends one ("Signaler un profil"), and the back
//! office's `/backoffice/disputes` where an agent decides, beside both parties' proofs.
use crate::api::organisations::{dispute_queue, my_disputes, DisputeDecide};
use crate::components::form::{errors_from_query, field_errors, message_for, ErrorSummary};
use crate::components::format::size_text;
use crate::components::{answer_with, LoadError, PageTitle};
use crate::domain::{DisputeStatus, ProofKind, Role, VerifiedBy};
use crate::error::AppError;
use crate::i18n::*;
use crate::language::lang_of;
use crate::model::disputes::HolderView;
use crate::pages::organisations::{proof_kind_label, proof_status_label};
use crate::pages::BackofficeNav;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

type I18n = leptos_i18n::I18nContext<Locale>;

fn status_label(i18n: I18n, status: DisputeStatus) -> &'static str {
    match status {
        DisputeStatus::Open => t_string!(i18n, dispute.status_open),
        DisputeStatus::Suspended => t_string!(i18n, dispute.status_suspended),
        DisputeStatus::HandedOver => t_string!(i18n, dispute.status_handed_over),
        DisputeStatus::Dismissed => t_string!(i18n, dispute.status_dismissed),
    }
}

/// `/organisations/report`: the form (a plain multipart form: it works without
/// JavaScript), and the person's reports with where each stands.
#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let errors = Signal::derive(move || errors_from_query(query.read().get("errors")));
    let error = move |field: &'static str| message_for(i18n, errors, field);
    let typed = move |name: &str| query.read_untracked().get(name).unwrap_or_default();
    let sent = move || query.read().get("sent").is_some();
    let mine = Resource::new(sent, |_| my_disputes());
    let chosen = move || ProofKind::parse(&typed("kind"));
    view! {
        <PageTitle text=|i18n| t_string!(i18n, dispute.title) />
        <div class="content">
            {move || sent().then(|| view! {
                <div class="notice notice-success" role="status"><p>{t!(i18n, dispute.sent)}</p></div>
            })}
            <h1>{t!(i18n, dispute.title)}</h1>
            <p class="lead">{t!(i18n, dispute.intro)}</p>
            <p>{t!(i18n, dispute.what_next)}</p>
            <ErrorSummary errors />
            <form method="post" action="/organisations/report/send" enctype="multipart/form-data" class="form" novalidate>
                <div class="field" id="bce" class:field-error=move || error("bce").is_some()>
                    <label for="bce-input">{t!(i18n, wizard.bce)}</label>
                    <p class="hint" id="bce-hint">{t!(i18n, dispute.bce_hint)}</p>
                    {move || error("bce").map(|m| view! { <p class="error-message" id="bce-error">{m}</p> })}
                    <input id="bce-input" name="bce" type="text" inputmode="numeric" autocomplete="off" spellcheck="false"
                        aria-describedby=move || if error("bce").is_some() { "bce-hint bce-error" } else { "bce-hint" }
                        value=typed("bce") />
                </div>
                <div class="field" id="function" class:field-error=move || error("function").is_some()>
                    <label for="function-input">{t!(i18n, dispute.function)}</label>
                    {move || error("function").map(|m| view! { <p class="error-message" id="function-error">{m}</p> })}
                    <input id="function-input" name="function" type="text" maxlength="100"
                        aria-describedby=move || error("function").is_some().then_some("function-error")
                        value=typed("function") />
                </div>
                <div class="field" id="explanation" class:field-error=move || error("explanation").is_some()>
                    <label for="explanation-input">{t!(i18n, dispute.explanation)}</label>
                    <p class="hint" id="explanation-hint">{t!(i18n, dispute.explanation_hint)}</p>
                    {move || error("explanation").map(|m| view! { <p class="error-message" id="explanation-error">{m}</p> })}
                    <textarea id="explanation-input" name="explanation" rows="6" maxlength="2000"
                        aria-describedby=move || if error("explanation").is_some() { "explanation-hint explanation-error" } else { "explanation-hint" }
                        >{typed("explanation")}</textarea>
                </div>
                <fieldset class="field" id="kind" class:field-error=move || error("kind").is_some()
                    aria-describedby=move || error("kind").is_some().then_some("kind-error")>
                    <legend>{t!(i18n, verification.kind)}</legend>
                    {move || error("kind").map(|m| view! { <p class="error-message" id="kind-error">{m}</p> })}
                    {ProofKind::ALL.into_iter().map(|kind| {
                        let input_id = format!("kind-{}", kind.code());
                        view! {
                            <div class="radio">
                                <input type="radio" id=input_id.clone() name="kind" value=kind.code() checked=chosen() == Some(kind) />
                                <label for=input_id>{proof_kind_label(i18n, kind)}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field" id="proof" class:field-error=move || error("proof").is_some()>
                    <label for="proof-file">{t!(i18n, verification.file)}</label>
                    <p class="hint" id="proof-hint">{t!(i18n, verification.file_rules)}</p>
                    {move || error("proof").map(|m| view! { <p class="error-message" id="proof-error">{m}</p> })}
                    <input id="proof-file" name="proof" type="file" accept=".pdf,.jpg,.jpeg,.png"
                        aria-describedby=move || if error("proof").is_some() { "proof-hint proof-error" } else { "proof-hint" } />
                </div>
                <button type="submit" class="button button-primary">{t!(i18n, dispute.send)}</button>
            </form>
            <Suspense>
                {move || Suspend::new(async move {
                    let mine = mine.await.unwrap_or_default();
                    (!mine.is_empty()).then(|| view! {
                        <section aria-labelledby="mine-title">
                            <h2 id="mine-title">{t!(i18n, dispute.mine_title)}</h2>
                            <ul class="card-list">
                                {mine.into_iter().map(|dispute| view! {
                                    <li class="card">
                                        <p class="card-title">{dispute.organisation.name.clone()} " — " {dispute.organisation.bce.clone()}</p>
                                        <dl class="facts">
                                            <dt>{t!(i18n, verification.submitted)}</dt><dd>{dispute.sent}</dd>
                                            <dt>{t!(i18n, verification.status)}</dt><dd>{status_label(i18n, dispute.status)}</dd>
                                            {dispute.reason.map(|reason| view! {
                                                <dt>{t!(i18n, verification.reason)}</dt><dd>{reason}</dd>
                                            })}
                                        </dl>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })
                })}
            </Suspense>
        </div>
    }
}

/// One member of a reported profile, with the proofs they sent.
#[component]
fn Holder(holder: HolderView) -> impl IntoView {
    let i18n = use_i18n();
    let role = match holder.role {
        Role::Admin => t_string!(i18n, members.role_admin),
        Role::Member => t_string!(i18n, members.role_member),
    };
    let verified = match holder.verified {
        Some(VerifiedBy::Mandate) => t_string!(i18n, dispute.verified_mandate),
        Some(VerifiedBy::Post) => t_string!(i18n, dispute.verified_post),
        Some(VerifiedBy::Admin) => t_string!(i18n, dispute.verified_admin),
        None => t_string!(i18n, verification.declared),
    };
    view! {
        <li>
            <p><strong>{holder.name}</strong> " (" {holder.email} ") — " {holder.function} ", " {role} " — " {verified}</p>
            {if holder.proofs.is_empty() {
                view! { <p class="hint">{t!(i18n, dispute.no_proof)}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {holder.proofs.into_iter().map(|proof| view! {
                            <li>
                                {proof_kind_label(i18n, proof.kind)} " : "
                                <a href=format!("/backoffice/verifications/{}/file", proof.id) rel="external">{proof.file_name}</a>
                                " (" {proof_status_label(i18n, proof.status)} ")"
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </li>
    }
}

/// `/backoffice/disputes`: the reports waiting for an agent.
#[component]
pub fn BackofficeDisputesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let decide = ServerAction::<DisputeDecide>::new();
    let errors = Signal::derive(move || field_errors(decide.value().get()));
    let data = Resource::new(
        move || (decide.version().get(), query.read().get("done")),
        |_| dispute_queue(),
    );
    view! {
        <PageTitle text=|i18n| t_string!(i18n, dispute.queue_title) />
        <div class="content content-wide">
            <h1>{t!(i18n, dispute.queue_title)}</h1>
            <BackofficeNav />
            <Suspense>
                {move || Suspend::new(async move {
                    let disputes = match data.await {
                        Ok(disputes) => disputes,
                        Err(AppError::Forbidden) => {
                            answer_with(&AppError::Forbidden);
                            return view! { <p>{t!(i18n, backoffice.agents_only)}</p> }.into_any();
                        }
                        Err(error) => return view! { <LoadError error /> }.into_any(),
                    };
                    let lang = lang_of(i18n.get_locale_untracked());
                    // The green notice of the last decision, unless a refusal came after it.
                    let done = query.read().get("done").and_then(|code| DisputeStatus::parse(&code))
                        .filter(|_| errors.get_untracked().is_empty())
                        .map(|status| match status {
                            DisputeStatus::Suspended => t_string!(i18n, dispute.done_suspended),
                            DisputeStatus::HandedOver => t_string!(i18n, dispute.done_handed_over),
                            _ => t_string!(i18n, dispute.done_dismissed),
                        });
                    view! {
                        {done.map(|m| view! { <div class="notice notice-success" role="status"><p>{m}</p></div> })}
                        <ErrorSummary errors />
                        <p class="lead">{t!(i18n, dispute.queue_intro)}</p>
                        {disputes.is_empty().then(|| view! { <p>{t!(i18n, dispute.queue_empty)}</p> })}
                        <ul class="card-list">
                            {disputes.into_iter().map(|dispute| {
                                let reason_id = format!("dispute-reason-{}", dispute.id);
                                let id = dispute.id.to_string();
                                let suspended = dispute.status == DisputeStatus::Suspended;
                                view! {
                                    <li class="card">
                                        <h2 class="card-title">{dispute.organisation.name.clone()} " — " {dispute.organisation.bce.clone()}</h2>
                                        <p>{status_label(i18n, dispute.status)}</p>
                                        <div class="dispute-parties">
                                            <section>
                                                <h3>{t!(i18n, dispute.reporter)}</h3>
                                                <dl class="facts">
                                                    <dt>{t!(i18n, verification.person)}</dt><dd>{dispute.person.clone()} " (" {dispute.email.clone()} ")"</dd>
                                                    <dt>{t!(i18n, members.function)}</dt><dd>{dispute.function.clone()}</dd>
                                                    <dt>{t!(i18n, dispute.explanation)}</dt><dd class="prose">{dispute.explanation.clone()}</dd>
                                                    <dt>{t!(i18n, verification.kind)}</dt><dd>{proof_kind_label(i18n, dispute.kind)}</dd>
                                                    <dt>{t!(i18n, verification.file)}</dt>
                                                    <dd>
                                                        <a href=format!("/backoffice/disputes/{}/file", dispute.id) rel="external">{dispute.file_name.clone()}</a>
                                                        {format!(" ({})", size_text(dispute.size, lang))}
                                                    </dd>
                                                    <dt>{t!(i18n, verification.submitted)}</dt><dd>{dispute.sent.clone()}</dd>
                                                </dl>
                                            </section>
                                            <section>
                                                <h3>{t!(i18n, dispute.holders)}</h3>
                                                {dispute.holders.is_empty().then(|| view! { <p>{t!(i18n, dispute.no_holders)}</p> })}
                                                <ul>
                                                    {dispute.holders.clone().into_iter().map(|holder| view! { <Holder holder /> }).collect_view()}
                                                </ul>
                                            </section>
                                        </div>
                                        {if dispute.own {
                                            view! { <p class="notice notice-warning">{t!(i18n, dispute.own)}</p> }.into_any()
                                        } else {
                                            view! {
                                                <ActionForm action=decide attr:class="form" attr:novalidate=true>
                                                    <input type="hidden" name="dispute" value=id.clone() />
                                                    <div class="field">
                                                        <label for=reason_id.clone()>{t!(i18n, dispute.reason)}</label>
                                                        <p class="hint">{t!(i18n, dispute.reason_hint)}</p>
                                                        <textarea id=reason_id name="reason" rows="2" maxlength="500"></textarea>
                                                    </div>
                                                    <div class="button-group">
                                                        {(!suspended).then(|| view! {
                                                            <button type="submit" name="action" value="suspend" class="button button-secondary">{t!(i18n, dispute.suspend)}</button>
                                                        })}
                                                        <button type="submit" name="action" value="hand_over" class="button button-primary">{t!(i18n, dispute.hand_over)}</button>
                                                        <button type="submit" name="action" value="dismiss" class="button button-secondary">{t!(i18n, dispute.dismiss)}</button>
                                                    </div>
                                                </ActionForm>
                                            }.into_any()
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                })}
            </Suspense>
        </div>
    }
}
