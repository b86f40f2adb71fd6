//! `/backoffice/verifications`: the proofs of mandate waiting for an agent, each beside the
//! organisation and the person, to accept, or to refuse with a reason.
use crate::api::organisations::{postal_letters, verification_queue, VerificationDecide};
use crate::components::form::{field_errors, ErrorSummary};
use crate::components::format::size_text;
use crate::components::{answer_with, LoadError, PageTitle};
use crate::error::AppError;
use crate::i18n::*;
use crate::language::lang_of;
use crate::pages::organisations::proof_kind_label;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The links between the back office's queues.
#[component]
pub fn BackofficeNav() -> impl IntoView {
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    let current = move |path: &'static str| (location.pathname.get() == path).then_some("page");
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, backoffice.nav_label)>
            <a href="/backoffice" aria-current=move || current("/backoffice")>{t!(i18n, backoffice.requests_nav)}</a>
            <a href="/backoffice/verifications" aria-current=move || current("/backoffice/verifications")>{t!(i18n, verification.queue_nav)}</a>
            <a href="/backoffice/letters" aria-current=move || current("/backoffice/letters")>{t!(i18n, verification.letters_nav)}</a>
            <a href="/backoffice/disputes" aria-current=move || current("/backoffice/disputes")>{t!(i18n, dispute.queue_nav)}</a>
        </nav>
    }
}

#[component]
pub fn BackofficeVerificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let decide = ServerAction::<VerificationDecide>::new();
    let errors = Signal::derive(move || field_errors(decide.value().get()));
    let data = Resource::new(
        move || {
            (
                decide.version().get(),
                query.read().get("accepted"),
                query.read().get("refused"),
            )
        },
        |_| verification_queue(),
    );
    view! {
        <PageTitle text=|i18n| t_string!(i18n, verification.queue_title) />
        <div class="content content-wide">
            <h1>{t!(i18n, verification.queue_title)}</h1>
            <BackofficeNav />
            <Suspense>
                {move || Suspend::new(async move {
                    let proofs = match data.await {
                        Ok(proofs) => proofs,
                        Err(AppError::Forbidden) => {
                            answer_with(&AppError::Forbidden);
                            return view! { <p>{t!(i18n, backoffice.agents_only)}</p> }.into_any();
                        }
                        Err(error) => return view! { <LoadError error /> }.into_any(),
                    };
                    let lang = lang_of(i18n.get_locale_untracked());
                    let done = if query.read().get("accepted").is_some() {
                        Some(t_string!(i18n, verification.done_accepted))
                    } else if query.read().get("refused").is_some() {
                        Some(t_string!(i18n, verification.done_refused))
                    } else {
                        None
                    };
                    view! {
                        {done.map(|m| view! { <div class="notice notice-success" role="status"><p>{m}</p></div> })}
                        <ErrorSummary errors />
                        <p class="lead">{t!(i18n, verification.queue_intro)}</p>
                        {proofs.is_empty().then(|| view! { <p>{t!(i18n, verification.queue_empty)}</p> })}
                        <ul class="card-list">
                            {proofs.into_iter().map(|proof| {
                                let reason_id = format!("reason-{}", proof.id);
                                view! {
                                    <li class="card">
                                        <h2 class="card-title">{proof.organisation.name.clone()} " — " {proof.organisation.bce.clone()}</h2>
                                        <dl class="facts">
                                            <dt>{t!(i18n, verification.person)}</dt><dd>{proof.person.clone()} " (" {proof.email.clone()} ")"</dd>
                                            <dt>{t!(i18n, members.function)}</dt><dd>{proof.function.clone()}</dd>
                                            <dt>{t!(i18n, verification.kind)}</dt><dd>{proof_kind_label(i18n, proof.kind)}</dd>
                                            <dt>{t!(i18n, verification.file)}</dt>
                                            <dd>
                                                <a href=format!("/backoffice/verifications/{}/file", proof.id) rel="external">{proof.file_name.clone()}</a>
                                                {format!(" ({})", size_text(proof.size, lang))}
                                            </dd>
                                            <dt>{t!(i18n, verification.submitted)}</dt><dd>{proof.submitted.clone()}</dd>
                                        </dl>
                                        {if proof.own {
                                            view! { <p class="notice notice-warning">{t!(i18n, verification.own)}</p> }.into_any()
                                        } else {
                                            view! {
                                                <div class="decision">
                                                    <ActionForm action=decide attr:class="inline-form">
                                                        <input type="hidden" name="proof" value=proof.id.to_string() />
                                                        <input type="hidden" name="decision" value="accept" />
                                                        <input type="hidden" name="reason" value="" />
                                                        <button type="submit" class="button button-save">{t!(i18n, verification.accept)}</button>
                                                    </ActionForm>
                                                    <ActionForm action=decide attr:class="form" attr:novalidate=true>
                                                        <input type="hidden" name="proof" value=proof.id.to_string() />
                                                        <input type="hidden" name="decision" value="refuse" />
                                                        <div class="field">
                                                            <label for=reason_id.clone()>{t!(i18n, verification.refuse_reason)}</label>
                                                            <textarea id=reason_id name="reason" rows="2" maxlength="500"></textarea>
                                                        </div>
                                                        <button type="submit" class="button button-secondary">{t!(i18n, verification.refuse)}</button>
                                                    </ActionForm>
                                                </div>
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

/// `/backoffice/letters`: the codes by post waiting for their letter, printed as one PDF.
#[component]
pub fn BackofficeLettersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let data = Resource::new(|| (), |_| postal_letters());
    view! {
        <PageTitle text=|i18n| t_string!(i18n, verification.letters_title) />
        <div class="content content-wide">
            <h1 id="letters-title">{t!(i18n, verification.letters_title)}</h1>
            <BackofficeNav />
            <Suspense>
                {move || Suspend::new(async move {
                    let letters = match data.await {
                        Ok(letters) => letters,
                        Err(AppError::Forbidden) => {
                            answer_with(&AppError::Forbidden);
                            return view! { <p>{t!(i18n, backoffice.agents_only)}</p> }.into_any();
                        }
                        Err(error) => return view! { <LoadError error /> }.into_any(),
                    };
                    let none = query.read().get("none").is_some();
                    let count = letters.len().to_string();
                    view! {
                        {none.then(|| view! { <div class="notice notice-info" role="status"><p>{t!(i18n, verification.letters_none)}</p></div> })}
                        <p class="lead">{t!(i18n, verification.letters_intro)}</p>
                        {if letters.is_empty() {
                            view! { <p>{t!(i18n, verification.letters_empty)}</p> }.into_any()
                        } else {
                            view! {
                                <p>{t_string!(i18n, verification.letters_count, count = count.as_str()).to_string()}</p>
                                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="letters-title">
                                    <table class="table">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t!(i18n, verification.letters_recipient)}</th>
                                                <th scope="col">{t!(i18n, verification.letters_address)}</th>
                                                <th scope="col">{t!(i18n, verification.letters_requested)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {letters.into_iter().map(|letter| view! {
                                                <tr><td>{letter.recipient}</td><td>{letter.address}</td><td>{letter.requested}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <form method="post" action="/backoffice/letters.pdf" class="form">
                                    <button type="submit" class="button button-primary">{t!(i18n, verification.letters_print)}</button>
                                </form>
                            }.into_any()
                        }}
                    }
                    .into_any()
                })}
            </Suspense>
        </div>
    }
}
