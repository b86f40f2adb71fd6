//! `/organisations/{id}/verification`: whether the person is a declared or a verified
//! representative, and the proof of mandate that makes them verified.
use super::helpers::{organisation_id, NotAllowed};
use super::organisation::OrganisationNav;
use crate::api::organisations::organisation_verification;
use crate::components::form::{errors_from_query, message_for, ErrorSummary};
use crate::components::{answer_with, PageTitle};
use crate::domain::{ProofKind, ProofStatus, VerifiedBy};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub fn proof_kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: ProofKind) -> &'static str {
    match kind {
        ProofKind::Statutes => t_string!(i18n, verification.kind_statutes),
        ProofKind::Moniteur => t_string!(i18n, verification.kind_moniteur),
        ProofKind::PowerOfAttorney => t_string!(i18n, verification.kind_power_of_attorney),
    }
}

fn proof_status_label(i18n: leptos_i18n::I18nContext<Locale>, status: ProofStatus) -> &'static str {
    match status {
        ProofStatus::Pending => t_string!(i18n, verification.status_pending),
        ProofStatus::Accepted => t_string!(i18n, verification.status_accepted),
        ProofStatus::Refused => t_string!(i18n, verification.status_refused),
    }
}

#[component]
pub fn OrganisationVerificationPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = organisation_id();
    let query = use_query_map();
    let data = Resource::new(
        move || (id.get(), query.read().get("sent")),
        |(id, _)| organisation_verification(id),
    );
    let errors = Signal::derive(move || errors_from_query(query.read().get("errors")));
    view! {
        <PageTitle text=|i18n| t_string!(i18n, verification.nav) />
        <div class="content">
            <Suspense>
                {move || Suspend::new(async move {
                    let data = match data.await {
                        Ok(data) => data,
                        Err(error) => {
                            answer_with(&error);
                            return view! { <NotAllowed /> }.into_any();
                        }
                    };
                    let sent = query.read().get("sent").is_some();
                    let org = data.organisation.clone();
                    let pending = data.pending();
                    let status = match data.verified.clone() {
                        Some((since, by)) => view! {
                            <div class="notice notice-success verification-status">
                                <p><strong>{t!(i18n, verification.verified)}</strong></p>
                                <p>{match by {
                                    VerifiedBy::Mandate => t_string!(i18n, verification.verified_by_mandate, since = since.as_str()).to_string(),
                                    VerifiedBy::Admin => t_string!(i18n, verification.verified_by_admin, since = since.as_str()).to_string(),
                                }}</p>
                            </div>
                        }.into_any(),
                        None => view! {
                            <div class="notice notice-warning verification-status">
                                <p><strong>{t!(i18n, verification.declared)}</strong></p>
                                <p>{t!(i18n, verification.declared_explained)}</p>
                            </div>
                        }.into_any(),
                    };
                    // The kind chosen before an error comes back chosen.
                    let chosen = query.read().get("kind").and_then(|kind| ProofKind::parse(&kind));
                    let form = (data.verified.is_none() && !pending).then(|| {
                        let error = move |field: &'static str| message_for(i18n, errors, field);
                        view! {
                            <section aria-labelledby="proof-title">
                                <h2 id="proof-title">{t!(i18n, verification.proof_title)}</h2>
                                <p>{t!(i18n, verification.proof_intro)}</p>
                                <ErrorSummary errors />
                                <form method="post" action=format!("/organisations/{}/verification/proof", org.id) enctype="multipart/form-data" class="form">
                                    <fieldset class="field" id="kind" class:field-error=move || error("kind").is_some()>
                                        <legend>{t!(i18n, verification.kind)}</legend>
                                        {move || error("kind").map(|m| view! { <p class="error-message">{m}</p> })}
                                        {ProofKind::ALL.into_iter().map(|kind| {
                                            let input_id = format!("kind-{}", kind.code());
                                            view! {
                                                <div class="radio">
                                                    <input type="radio" id=input_id.clone() name="kind" value=kind.code() checked=chosen == Some(kind) />
                                                    <label for=input_id>{proof_kind_label(i18n, kind)}</label>
                                                </div>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                    <div class="field" id="proof" class:field-error=move || error("proof").is_some()>
                                        <label for="proof-file">{t!(i18n, verification.file)}</label>
                                        <p class="hint">{t!(i18n, verification.file_rules)}</p>
                                        {move || error("proof").map(|m| view! { <p class="error-message">{m}</p> })}
                                        <input id="proof-file" name="proof" type="file" accept=".pdf,.jpg,.jpeg,.png" />
                                    </div>
                                    <button type="submit" class="button button-primary">{t!(i18n, verification.send)}</button>
                                </form>
                            </section>
                        }
                    });
                    view! {
                        {sent.then(|| view! {
                            <div class="notice notice-success" role="status"><p>{t!(i18n, verification.sent)}</p></div>
                        })}
                        <h1>{t_string!(i18n, verification.title, name = org.name.as_str()).to_string()}</h1>
                        <p>{org.bce.clone()}</p>
                        <OrganisationNav id=org.id />
                        {status}
                        {pending.then(|| view! { <p class="lead">{t!(i18n, verification.pending)}</p> })}
                        {form}
                        {(!data.proofs.is_empty()).then(|| view! {
                            <section aria-labelledby="proofs-title">
                                <h2 id="proofs-title">{t!(i18n, verification.proofs_title)}</h2>
                                <ul class="card-list">
                                    {data.proofs.clone().into_iter().map(|proof| view! {
                                        <li class="card">
                                            <p class="card-title">{proof_kind_label(i18n, proof.kind)} " — " {proof.file_name}</p>
                                            <dl class="facts">
                                                <dt>{t!(i18n, verification.submitted)}</dt><dd>{proof.submitted}</dd>
                                                <dt>{t!(i18n, verification.status)}</dt><dd>{proof_status_label(i18n, proof.status)}</dd>
                                                {proof.reason.map(|reason| view! {
                                                    <dt>{t!(i18n, verification.reason)}</dt><dd>{reason}</dd>
                                                })}
                                            </dl>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        })}
                    }
                    .into_any()
                })}
            </Suspense>
        </div>
    }
}
