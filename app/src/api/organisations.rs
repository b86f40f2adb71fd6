//! Organisation profiles: the profile switcher, the creation wizard, access requests and the
//! representatives page, as server functions. Every one that touches an organisation checks
//! on the server that the signed-in account holds an active membership (an administrator's
//! where the change needs one).
#[cfg(feature = "ssr")]
use crate::backend::organisations as backend;
use crate::error::AppError;
use crate::model::disputes::{DisputeReview, DisputeView};
#[allow(unused_imports)]
use crate::model::organisations::*;

#[cfg(feature = "ssr")]
use crate::backend::Ctx;

/// The organisation profiles the signed-in account may act for.
#[leptos::server(endpoint = "my_organisations")]
pub async fn my_organisations() -> Result<Vec<OrgSummary>, AppError> {
    let cx = Ctx::signed_in()?;
    backend::memberships(&cx.db, cx.user.account_id).await
}

/// "Mes organisations": every active membership with its function, role and contact.
#[leptos::server(endpoint = "my_memberships")]
pub async fn my_memberships() -> Result<Vec<MembershipView>, AppError> {
    let cx = Ctx::signed_in()?;
    backend::membership_details(&cx.db, cx.user.account_id).await
}

/// Makes a profile the active one for this session: an organisation (`organisation` is
/// its id) or, with an empty value, the citizen profile.
#[leptos::server(endpoint = "switch_profile")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn switch_profile(organisation: String) -> Result<(), AppError> {
    let cx = Ctx::signed_in()?;
    let id = match organisation.trim() {
        "" => None,
        text => Some(text.parse::<i64>().map_err(|_| AppError::Forbidden)?),
    };
    backend::switch(&cx.db, &cx.user, id).await?;
    leptos_axum::redirect("/dashboard");
    Ok(())
}

/// The wizard's draft, if one is under way.
#[leptos::server(endpoint = "wizard_draft")]
pub async fn wizard_draft() -> Result<Option<DraftView>, AppError> {
    let cx = Ctx::signed_in()?;
    backend::draft(&cx.db, cx.user.account_id).await
}

/// Step 1: the BCE number and the conditions. Leads to step 2 for a new number, to the
/// access request for a number someone registered already.
#[leptos::server(endpoint = "organisation_start")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn organisation_start(
    kind: String,
    bce: String,
    terms: Option<String>,
) -> Result<(), AppError> {
    let cx = Ctx::signed_in()?;
    let next = backend::start(&cx.db, &cx.user, &kind, &bce, terms.is_some()).await?;
    leptos_axum::redirect(next);
    Ok(())
}

/// Step 2: name, type confirmed, VAT.
#[leptos::server(endpoint = "organisation_details")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn organisation_details(
    name: String,
    confirmed_kind: String,
    vat_subject: Option<String>,
) -> Result<(), AppError> {
    let cx = Ctx::signed_in()?;
    let next = backend::save_details(
        &cx.db,
        &cx.user,
        &name,
        &confirmed_kind,
        vat_subject.as_deref(),
    )
    .await?;
    leptos_axum::redirect(next);
    Ok(())
}

/// Step 3: the function, then "Créer".
#[leptos::server(endpoint = "organisation_create")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn organisation_create(function: String) -> Result<(), AppError> {
    let cx = Ctx::signed_in()?;
    let next = backend::create(&cx.db, &cx.user, &function, &cx.client).await?;
    leptos_axum::redirect(&next);
    Ok(())
}

/// Asks to join the organisation of the number typed in step 1.
#[leptos::server(endpoint = "organisation_request_access")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn organisation_request_access(function: String) -> Result<(), AppError> {
    let cx = Ctx::signed_in()?;
    backend::request_access(&cx.db, &cx.config, &cx.user, &function).await?;
    leptos_axum::redirect("/organisations/new/request?sent=1");
    Ok(())
}

#[leptos::server(endpoint = "organisation_contact")]
pub async fn organisation_contact(id: i64) -> Result<ContactData, AppError> {
    let cx = Ctx::signed_in()?;
    backend::contact(&cx.db, &cx.user, id).await
}

/// Step 4 (and later edits): the member's contact details for this organisation.
#[leptos::server(endpoint = "organisation_save_contact")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn organisation_save_contact(id: i64, form: ContactForm) -> Result<(), AppError> {
    let cx = Ctx::signed_in()?;
    let first = backend::save_contact(&cx.db, &cx.user, id, &form).await?;
    leptos_axum::redirect(&format!(
        "/organisations/{id}/contact?{}",
        if first { "created=1" } else { "saved=1" }
    ));
    Ok(())
}

#[leptos::server(endpoint = "organisation_members")]
pub async fn organisation_members(id: i64) -> Result<MembersData, AppError> {
    let cx = Ctx::signed_in()?;
    backend::members(&cx.db, &cx.user, id).await
}

/// What an administrator (or, for `leave`, any member) does on the representatives page.
#[leptos::server(endpoint = "organisation_member_action")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn organisation_member_action(
    id: i64,
    membership: i64,
    action: String,
) -> Result<(), AppError> {
    let cx = Ctx::signed_in()?;
    let next =
        backend::member_action(&cx.db, &cx.config, &cx.user, id, membership, &action).await?;
    leptos_axum::redirect(&next);
    Ok(())
}

/// The person's verification as a representative of this organisation, and their proofs.
#[leptos::server(endpoint = "organisation_verification")]
pub async fn organisation_verification(id: i64) -> Result<VerificationData, AppError> {
    let cx = Ctx::signed_in()?;
    backend::verification(&cx.db, &cx.user, id).await
}

/// The back office's "Vérifications": the proofs of mandate waiting for an agent.
#[leptos::server(endpoint = "verification_queue")]
pub async fn verification_queue() -> Result<Vec<ProofReview>, AppError> {
    let cx = Ctx::signed_in()?;
    backend::queue(&cx.db, &cx.user).await
}

/// An agent accepts (`decision=accept`) or refuses (`decision=refuse`, with a reason) a
/// proof of mandate.
#[leptos::server(endpoint = "verification_decide")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn verification_decide(
    proof: i64,
    decision: String,
    reason: String,
) -> Result<(), AppError> {
    let cx = Ctx::signed_in()?;
    let accept = match decision.as_str() {
        "accept" => true,
        "refuse" => false,
        _ => {
            return Err(AppError::Validation(vec![crate::error::FieldError::new(
                "decision",
                "proof.decision_required",
            )]))
        }
    };
    backend::decide(&cx.db, &cx.config, &cx.user, proof, accept, &reason).await?;
    leptos_axum::redirect(&format!(
        "/backoffice/verifications?{}",
        if accept { "accepted=1" } else { "refused=1" }
    ));
    Ok(())
}

/// Asks for a code by post, sent to the organisation's registered seat.
#[leptos::server(endpoint = "request_postal_code")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn request_postal_code(id: i64) -> Result<(), AppError> {
    let cx = Ctx::signed_in()?;
    backend::request_code(&cx.db, &cx.user, id).await?;
    leptos_axum::redirect(&format!(
        "/organisations/{id}/verification?code_requested=1"
    ));
    Ok(())
}

/// The code received by post: the right one makes the person a verified representative.
#[leptos::server(endpoint = "enter_postal_code")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn enter_postal_code(id: i64, code: String) -> Result<(), AppError> {
    let cx = Ctx::signed_in()?;
    backend::enter_code(&cx.db, &cx.user, id, &code).await?;
    leptos_axum::redirect(&format!("/organisations/{id}/verification?verified=1"));
    Ok(())
}

/// The back office's letters not printed yet.
#[leptos::server(endpoint = "postal_letters")]
pub async fn postal_letters() -> Result<Vec<LetterView>, AppError> {
    let cx = Ctx::signed_in()?;
    backend::letters(&cx.db, &cx.user).await
}

/// The person's own reports about organisations' profiles ("Signaler un profil").
#[leptos::server(endpoint = "my_disputes")]
pub async fn my_disputes() -> Result<Vec<DisputeView>, AppError> {
    let cx = Ctx::signed_in()?;
    backend::my_disputes(&cx.db, &cx.user).await
}

/// The back office's "Signalements": the reports waiting for an agent.
#[leptos::server(endpoint = "dispute_queue")]
pub async fn dispute_queue() -> Result<Vec<DisputeReview>, AppError> {
    let cx = Ctx::signed_in()?;
    backend::disputes(&cx.db, &cx.user).await
}

/// An agent suspends the profile (`action=suspend`), hands it to the person who reported
/// (`hand_over`) or dismisses the report (`dismiss`, with a reason).
#[leptos::server(endpoint = "dispute_decide")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn dispute_decide(dispute: i64, action: String, reason: String) -> Result<(), AppError> {
    let cx = Ctx::signed_in()?;
    let status =
        backend::decide_dispute(&cx.db, &cx.config, &cx.user, dispute, &action, &reason).await?;
    leptos_axum::redirect(&format!("/backoffice/disputes?done={}", status.code()));
    Ok(())
}
