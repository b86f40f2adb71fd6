//! `/organisations/{id}/verification`: whether the person is a declared or a verified
//! representative, and the proof of mandate that makes them verified.
use super::helpers::{organisation_id, NotAllowed};
use super::organisation::OrganisationNav;
use crate::api::organisations::{organisation_verification, EnterPostalCode, RequestPostalCode};
use crate::components::form::field_errors;
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

pub fn proof_status_label(
    i18n: leptos_i18n::I18nContext<Locale>,
    status: ProofStatus,
) -> &'static str {
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
    let errors = Signal::derive(move || errors_from_query(query.read().get("errors")));
    let ask = ServerAction::<RequestPostalCode>::new();
    let enter = ServerAction::<EnterPostalCode>::new();
    let post_errors = Signal::derive(move || {
        let mut errors = field_errors(ask.value().get());
        errors.extend(field_errors(enter.value().get()));
        errors
    });
    let data = Resource::new(
        move || {
            (
                id.get(),
                query.read().get("sent"),
                ask.version().get(),
                enter.version().get(),
            )
        },
        |(id, _, _, _)| organisation_verification(id),
    );
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
                                    VerifiedBy::Post => t_string!(i18n, verification.verified_by_post, since = since.as_str()).to_string(),
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
                    let post = (data.verified.is_none()).then(|| {
                        let post = data.post.clone();
                        let error = move |field: &'static str| message_for(i18n, post_errors, field);
                        view! {
                            <section aria-labelledby="post-title" id="post">
                                <h2 id="post-title">{t!(i18n, verification.post_title)}</h2>
                                <ErrorSummary errors=post_errors />
                                {match (post.seat.clone(), post.pending.clone()) {
                                    (None, _) => view! { <p>{t!(i18n, verification.post_no_seat)}</p> }.into_any(),
                                    (Some(seat), None) => view! {
                                        <p>{t_string!(i18n, verification.post_intro, address = seat.as_str()).to_string()}</p>
                                        <ActionForm action=ask attr:class="form">
                                            <input type="hidden" name="id" value=org.id.to_string() />
                                            <button type="submit" class="button button-secondary">{t!(i18n, verification.post_ask)}</button>
                                        </ActionForm>
                                    }.into_any(),
                                    (Some(seat), Some(pending)) => view! {
                                        <p>{if pending.printed {
                                            t_string!(i18n, verification.post_sent, address = seat.as_str(), expires = pending.expires.as_str()).to_string()
                                        } else {
                                            t_string!(i18n, verification.post_waiting, address = seat.as_str(), requested = pending.requested.as_str(), expires = pending.expires.as_str()).to_string()
                                        }}</p>
                                        <ActionForm action=enter attr:class="form" attr:novalidate=true>
                                            <input type="hidden" name="id" value=org.id.to_string() />
                                            <div class="field" id="code" class:field-error=move || error("code").is_some()>
                                                <label for="code-input">{t!(i18n, verification.post_code)}</label>
                                                <p class="hint">{t!(i18n, verification.post_code_hint)}</p>
                                                {move || error("code").map(|m| view! { <p class="error-message">{m}</p> })}
                                                <input id="code-input" name="code" type="text" autocomplete="one-time-code" spellcheck="false" maxlength="20" />
                                            </div>
                                            <button type="submit" class="button button-primary">{t!(i18n, verification.post_check)}</button>
                                        </ActionForm>
                                    }.into_any(),
                                }}
                            </section>
                        }
                    });
                    let code_requested = query.read().get("code_requested").is_some();
                    let now_verified = query.read().get("verified").is_some();
                    view! {
                        {code_requested.then(|| view! {
                            <div class="notice notice-success" role="status"><p>{t!(i18n, verification.post_requested)}</p></div>
                        })}
                        {now_verified.then(|| view! {
                            <div class="notice notice-success" role="status"><p>{t!(i18n, verification.post_verified)}</p></div>
                        })}
                        {sent.then(|| view! {
                            <div class="notice notice-success" role="status"><p>{t!(i18n, verification.sent)}</p></div>
                        })}
                        <h1>{t_string!(i18n, verification.title, name = org.name.as_str()).to_string()}</h1>
                        <p>{org.bce.clone()}</p>
                        <OrganisationNav id=org.id />
                        {status}
                        {pending.then(|| view! { <p class="lead">{t!(i18n, verification.pending)}</p> })}
                        {form}
                        {post}
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
