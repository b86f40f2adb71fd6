//! Organisation profiles: the profile switcher, the creation wizard, access requests and the
//! representatives page, as server functions. Every one that touches an organisation checks
//! on the server that the signed-in account holds an active membership (an administrator's
//! where the change needs one).
use crate::error::AppError;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::backend::{organisations as backend, Client};

/// One organisation profile in the banner's menus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgSummary {
    pub id: i64,
    pub name: String,
    pub kind: crate::domain::OrgKind,
    /// Written `0123.456.749`.
    pub bce: String,
}

/// What the wizard holds so far (the server keeps it between steps).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftView {
    /// The kind of the icon clicked: `entreprise` or `association`.
    pub kind: String,
    /// Written `0123.456.749`.
    pub bce: String,
    pub name: String,
    pub confirmed_kind: String,
    /// `yes`, `no` or empty.
    pub vat_subject: String,
    pub function: String,
    /// The number is already registered: the name of its organisation.
    pub existing_name: Option<String>,
    /// The user already asked to join it and waits for the answer.
    pub pending: bool,
}

/// The contact details of a member for one organisation (wizard step 4).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    pub language: String,
    #[serde(default)]
    pub landline: String,
    #[serde(default)]
    pub mobile: String,
    #[serde(default)]
    pub email: String,
    /// The box "recevoir les notifications par e-mail": present when ticked.
    #[serde(default)]
    pub notify_email: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactData {
    pub organisation: OrgSummary,
    pub function: String,
    pub form: ContactForm,
}

/// A person on the representatives page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub membership_id: i64,
    pub name: String,
    pub email: String,
    pub function: String,
    pub role: crate::domain::Role,
    /// Brussels time of the decision (or of the request, for a pending one).
    pub since: String,
    pub is_me: bool,
}

/// One line of the organisation's history of memberships.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberEventView {
    pub kind: String,
    pub subject: String,
    pub actor: String,
    pub detail: Option<String>,
    pub when: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersData {
    pub organisation: OrgSummary,
    pub my_role: crate::domain::Role,
    pub members: Vec<MemberView>,
    pub pending: Vec<MemberView>,
    pub events: Vec<MemberEventView>,
}

/// One of the person's memberships, as "Mes organisations" lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipView {
    pub membership_id: i64,
    pub organisation: OrgSummary,
    pub function: String,
    pub role: crate::domain::Role,
    pub email: String,
    pub landline: String,
    pub mobile: String,
    pub notify_email: bool,
    /// The only administrator: may not leave until another one is named.
    pub last_admin: bool,
}

#[cfg(feature = "ssr")]
use crate::backend::require_signed_in as signed_in;

/// The organisation profiles the signed-in account may act for.
#[leptos::server(endpoint = "my_organisations")]
pub async fn my_organisations() -> Result<Vec<OrgSummary>, AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    backend::memberships(&db, user.account_id).await
}

/// "Mes organisations": every active membership with its function, role and contact.
#[leptos::server(endpoint = "my_memberships")]
pub async fn my_memberships() -> Result<Vec<MembershipView>, AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    backend::membership_details(&db, user.account_id).await
}

/// Makes a profile the active one for this session: an organisation (`organisation` is
/// its id) or, with an empty value, the citizen profile.
#[leptos::server(endpoint = "switch_profile")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn switch_profile(organisation: String) -> Result<(), AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let id = match organisation.trim() {
        "" => None,
        text => Some(
            text.parse::<i64>()
                .map_err(|_| AppError::Forbidden.respond())?,
        ),
    };
    backend::switch(&db, &user, id)
        .await
        .map_err(AppError::respond)?;
    leptos_axum::redirect("/dashboard");
    Ok(())
}

/// The wizard's draft, if one is under way.
#[leptos::server(endpoint = "wizard_draft")]
pub async fn wizard_draft() -> Result<Option<DraftView>, AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    backend::draft(&db, user.account_id).await
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
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let next = backend::start(&db, &user, &kind, &bce, terms.is_some())
        .await
        .map_err(AppError::respond)?;
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
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let next = backend::save_details(&db, &user, &name, &confirmed_kind, vat_subject.as_deref())
        .await
        .map_err(AppError::respond)?;
    leptos_axum::redirect(next);
    Ok(())
}

/// Step 3: the function, then "Créer".
#[leptos::server(endpoint = "organisation_create")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn organisation_create(function: String) -> Result<(), AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let next = backend::create(&db, &user, &function, &Client::from_context())
        .await
        .map_err(AppError::respond)?;
    leptos_axum::redirect(&next);
    Ok(())
}

/// Asks to join the organisation of the number typed in step 1.
#[leptos::server(endpoint = "organisation_request_access")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn organisation_request_access(function: String) -> Result<(), AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let config = crate::backend::config()?;
    backend::request_access(&db, &config, &user, &function)
        .await
        .map_err(AppError::respond)?;
    leptos_axum::redirect("/organisations/new/request?sent=1");
    Ok(())
}

#[leptos::server(endpoint = "organisation_contact")]
pub async fn organisation_contact(id: i64) -> Result<ContactData, AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    backend::contact(&db, &user, id)
        .await
        .map_err(AppError::respond)
}

/// Step 4 (and later edits): the member's contact details for this organisation.
#[leptos::server(endpoint = "organisation_save_contact")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn organisation_save_contact(id: i64, form: ContactForm) -> Result<(), AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let first = backend::save_contact(&db, &user, id, &form)
        .await
        .map_err(AppError::respond)?;
    leptos_axum::redirect(&format!(
        "/organisations/{id}/contact?{}",
        if first { "created=1" } else { "saved=1" }
    ));
    Ok(())
}

#[leptos::server(endpoint = "organisation_members")]
pub async fn organisation_members(id: i64) -> Result<MembersData, AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    backend::members(&db, &user, id)
        .await
        .map_err(AppError::respond)
}

/// What an administrator (or, for `leave`, any member) does on the representatives page.
#[leptos::server(endpoint = "organisation_member_action")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn organisation_member_action(
    id: i64,
    membership: i64,
    action: String,
) -> Result<(), AppError> {
    let user = signed_in()?;
    let db = crate::backend::db()?;
    let config = crate::backend::config()?;
    let next = backend::member_action(&db, &config, &user, id, membership, &action)
        .await
        .map_err(AppError::respond)?;
    leptos_axum::redirect(&next);
    Ok(())
}
