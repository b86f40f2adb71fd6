//! Requests ("démarches" filed): their status machine, and what the pages show of them.
#[allow(unused_imports)]
use crate::model::requests::*;

// ---------------------------------------------------------------------------------------
// Server functions. The pages pass the language they are shown in (`lang`: fr, nl, en;
// anything else is refused as a malformed request).

#[cfg(feature = "ssr")]
use crate::backend::Ctx;

/// The catalogue, filtered to what the active profile may file (all of it when signed
/// out), searched by `q`.
#[leptos::server(endpoint = "catalogue")]
pub async fn catalogue(
    lang: crate::domain::Lang,
    q: String,
) -> Result<CatalogueView, crate::error::AppError> {
    let cx = Ctx::get()?;
    let user = crate::backend::signed_in_user();
    Ok(crate::backend::requests::catalogue(
        &cx.config,
        user.as_ref(),
        lang,
        &q,
    ))
}

#[leptos::server(endpoint = "filing")]
pub async fn filing(code: String) -> Result<FilingView, crate::error::AppError> {
    let cx = Ctx::signed_in()?;
    crate::backend::requests::filing(&cx.db, &cx.config, &cx.user, &code).await
}

#[leptos::server(endpoint = "dashboard")]
pub async fn dashboard(
    lang: crate::domain::Lang,
    filter: DashboardFilter,
) -> Result<DashboardData, crate::error::AppError> {
    let cx = Ctx::signed_in()?;
    crate::backend::requests::dashboard(&cx.db, &cx.config, &cx.user, &filter, lang).await
}

#[leptos::server(endpoint = "delete_draft")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn delete_draft(token: String) -> Result<(), crate::error::AppError> {
    let cx = Ctx::signed_in()?;
    let keys = crate::backend::requests::delete_draft(&cx.db, &cx.user, &token).await?;
    // The files go with it (a failure only leaves an orphan file behind).
    if let Some(storage) = leptos::prelude::use_context::<crate::backend::AttachmentDeleter>() {
        for key in keys {
            storage.0(key);
        }
    }
    leptos_axum::redirect("/dashboard?draft_deleted=1");
    Ok(())
}

#[leptos::server(endpoint = "request_view")]
pub async fn get_request(
    lang: crate::domain::Lang,
    reference: String,
    // The page comes from the switch below: it says for which profile the session now acts.
    #[server(default)] switched: bool,
) -> Result<RequestView, crate::error::AppError> {
    use crate::backend::requests::{other_profile_of, view, Viewer};
    use crate::model::requests::SwitchedProfile;
    let cx = Ctx::signed_in()?;
    match view(
        &cx.db,
        &cx.config,
        &cx.user,
        &reference,
        Viewer::Member,
        lang,
    )
    .await
    {
        Ok(mut found) => {
            if switched {
                found.switched_to = Some(match &cx.user.active {
                    Some(org) => SwitchedProfile::Organisation(org.name.clone()),
                    None => SwitchedProfile::Citizen,
                });
            }
            Ok(found)
        }
        // A link to a request of another of the person's profiles (a notification, an
        // e-mail): the session switches to that profile, and the page is asked again, so
        // that all of it — the banner too — shows the profile now acted for.
        Err(crate::error::AppError::NotFound) => {
            let Some(profile) = other_profile_of(&cx.db, &cx.user, &reference).await? else {
                return Err(crate::error::AppError::NotFound);
            };
            let user = crate::backend::organisations::switched(&cx.db, &cx.user, profile).await?;
            let mut found =
                view(&cx.db, &cx.config, &user, &reference, Viewer::Member, lang).await?;
            found.switched_to = Some(match user.active {
                Some(org) => SwitchedProfile::Organisation(org.name),
                None => SwitchedProfile::Citizen,
            });
            // A browser asking for the page follows to it.
            leptos_axum::redirect(&format!("/requests/{reference}?switched=1"));
            Ok(found)
        }
        Err(other) => Err(other),
    }
}

#[leptos::server(endpoint = "send_message")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn send_message(reference: String, body: String) -> Result<(), crate::error::AppError> {
    let cx = Ctx::signed_in()?;
    crate::backend::requests::post_message(
        &cx.db,
        &cx.config,
        &cx.user,
        &reference,
        &body,
        crate::backend::requests::Viewer::Member,
    )
    .await?;
    leptos_axum::redirect(&format!("/requests/{reference}?sent=1"));
    Ok(())
}

#[leptos::server(endpoint = "backoffice_queue")]
pub async fn backoffice_queue(
    lang: crate::domain::Lang,
    status: String,
    procedure: String,
    min_age: String,
    after: String,
) -> Result<QueueData, crate::error::AppError> {
    let cx = Ctx::signed_in()?;
    let filter = crate::backend::requests::QueueFilter {
        status,
        procedure,
        min_age,
        after,
    };
    crate::backend::requests::queue(&cx.db, &cx.config, &cx.user, &filter, lang).await
}

#[leptos::server(endpoint = "backoffice_request")]
pub async fn backoffice_request(
    lang: crate::domain::Lang,
    reference: String,
) -> Result<RequestView, crate::error::AppError> {
    let cx = Ctx::signed_in()?;
    crate::backend::requests::view(
        &cx.db,
        &cx.config,
        &cx.user,
        &reference,
        crate::backend::requests::Viewer::Agent,
        lang,
    )
    .await
}

#[leptos::server(endpoint = "backoffice_status")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn backoffice_status(
    reference: String,
    status: String,
    note: String,
) -> Result<(), crate::error::AppError> {
    let cx = Ctx::signed_in()?;
    crate::backend::requests::change_status(
        &cx.db, &cx.config, &cx.user, &reference, &status, &note,
    )
    .await?;
    leptos_axum::redirect(&format!("/backoffice/requests/{reference}?changed=1"));
    Ok(())
}

#[leptos::server(endpoint = "backoffice_message")]
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn backoffice_message(
    reference: String,
    body: String,
) -> Result<(), crate::error::AppError> {
    let cx = Ctx::signed_in()?;
    crate::backend::requests::post_message(
        &cx.db,
        &cx.config,
        &cx.user,
        &reference,
        &body,
        crate::backend::requests::Viewer::Agent,
    )
    .await?;
    leptos_axum::redirect(&format!("/backoffice/requests/{reference}?sent=1"));
    Ok(())
}
