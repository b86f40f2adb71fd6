//! The routes that carry a proof of mandate, as plain forms (they work without
//! JavaScript): a representative sends one from the organisation's "Vérification" page, or
//! with a report ("Signaler un profil"); an agent reads it from the back office's queues.
use crate::filing::{
    accept, errors_query, forget, forget_uploads, go, read_form, send_stored, status_of, user_of,
    FileRule,
};
use crate::state::AppState;
use app::backend::organisations::{self, NewProof};
use app::backend::requests::NewAttachment;
use app::error::{AppError, FieldError};
use app::procedures::FileType;
use axum::extract::{Path, Request, State};
use axum::response::Response;

/// One file, at most this big: a PDF of statutes, a scan of a power of attorney.
const PROOF_MAX_BYTES: u64 = 10 * 1024 * 1024;
const PROOF_TYPES: [FileType; 3] = [FileType::Pdf, FileType::Jpeg, FileType::Png];

/// `POST /organisations/{id}/verification/proof`: `kind` and the file `proof`.
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let Some(user) = user_of(&request) else {
        return go(request.headers(), "/login");
    };
    let Ok(organisation_id) = id.parse::<i64>() else {
        return status_of(&AppError::NotFound);
    };
    let headers = request.headers().clone();
    let (text, uploads) = match read_form(&state, request, proof_rule).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let page = format!("/organisations/{organisation_id}/verification");
    let kind = text.get("kind").cloned().unwrap_or_default();
    let mut errors = Vec::new();
    let stored = one_proof(&state, uploads, &mut errors).await;
    // What was chosen comes back with the errors (the file must be chosen again: no
    // browser lets a page fill a file input).
    let again = |errors: &[FieldError]| {
        let kind = app::domain::ProofKind::parse(&kind).map_or("", |kind| kind.code());
        format!("{page}?errors={}&kind={kind}", errors_query(errors))
    };
    let file = match stored {
        Some(file) if errors.is_empty() => file,
        other => {
            if let Some(file) = other {
                forget(&state.storage, vec![file.storage_key]).await;
            }
            return go(&headers, &again(&errors));
        }
    };
    let key = file.storage_key.clone();
    let recorded =
        organisations::submit_proof(&state.db, &user, organisation_id, &kind, as_proof(file)).await;
    answer(
        &state,
        &headers,
        key,
        recorded,
        &format!("{page}?sent=1"),
        again,
    )
    .await
}

/// The answer once a stored proof was recorded, or refused: to `done`; back to the form
/// with the errors (`again`); or the error's status. A refused proof's file is removed.
async fn answer(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    key: String,
    recorded: Result<(), AppError>,
    done: &str,
    again: impl Fn(&[FieldError]) -> String,
) -> Response {
    match recorded {
        Ok(()) => go(headers, done),
        Err(error) => {
            forget(&state.storage, vec![key]).await;
            match error {
                AppError::Validation(errors) => go(headers, &again(&errors)),
                error => status_of(&error),
            }
        }
    }
}

/// `GET /backoffice/verifications/{id}/file`: an agent reads a proof.
pub async fn file(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let Some(user) = user_of(&request) else {
        return go(request.headers(), "/login");
    };
    let Ok(id) = id.parse::<i64>() else {
        return status_of(&AppError::NotFound);
    };
    match organisations::proof_file(&state.db, &user, id).await {
        Ok((key, name, content_type)) => send_stored(&state, &key, &name, content_type).await,
        Err(error) => status_of(&error),
    }
}

/// The field `proof`, streamed to the storage as it arrives; other files are read past.
fn proof_rule(name: &str) -> Option<FileRule> {
    (name == "proof").then(|| FileRule {
        prefix: "mandates",
        limit: PROOF_MAX_BYTES,
        types: PROOF_TYPES.to_vec(),
    })
}

/// The one file of the field `proof`, kept in storage; an error beside it otherwise.
async fn one_proof(
    state: &AppState,
    uploads: Vec<crate::filing::Upload>,
    errors: &mut Vec<FieldError>,
) -> Option<NewAttachment> {
    match uploads.len() {
        0 => {
            errors.push(FieldError::new("proof", "attachment.required"));
            None
        }
        1 => uploads
            .into_iter()
            .next()
            .and_then(|upload| accept(upload, "proof", errors)),
        _ => {
            errors.push(FieldError::new("proof", "attachment.too_many"));
            forget_uploads(&state.storage, uploads).await;
            None
        }
    }
}

fn as_proof(file: NewAttachment) -> NewProof {
    NewProof {
        file_name: file.file_name,
        content_type: file.content_type,
        size: file.size,
        sha256: file.sha256,
        storage_key: file.storage_key,
    }
}

/// `POST /organisations/report/send`: a report that an organisation's profile is held by
/// the wrong people — `bce`, `function`, `explanation`, `kind` and the file `proof`. After
/// an error the page comes back with everything typed (the file must be chosen again).
pub async fn report(State(state): State<AppState>, request: Request) -> Response {
    let Some(user) = user_of(&request) else {
        return go(request.headers(), "/login");
    };
    let headers = request.headers().clone();
    let (text, uploads) = match read_form(&state, request, proof_rule).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let value = |name: &str| text.get(name).cloned().unwrap_or_default();
    let (bce, function, explanation, kind) = (
        value("bce"),
        value("function"),
        value("explanation"),
        value("kind"),
    );
    let form = organisations::ReportForm {
        bce: &bce,
        function: &function,
        explanation: &explanation,
        kind: &kind,
    };
    let mut errors = organisations::report_errors(&form);
    let stored = one_proof(&state, uploads, &mut errors).await;
    let again = |errors: &[FieldError]| {
        let typed: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("bce", &bce)
            .append_pair("function", &function)
            .append_pair("explanation", &explanation)
            .append_pair("kind", &kind)
            .finish();
        format!(
            "/organisations/report?errors={}&{typed}",
            errors_query(errors)
        )
    };
    let file = match stored {
        Some(file) if errors.is_empty() => file,
        other => {
            if let Some(file) = other {
                forget(&state.storage, vec![file.storage_key]).await;
            }
            return go(&headers, &again(&errors));
        }
    };
    let key = file.storage_key.clone();
    let recorded = organisations::report(&state.db, &user, &form, as_proof(file)).await;
    answer(
        &state,
        &headers,
        key,
        recorded,
        "/organisations/report?sent=1",
        again,
    )
    .await
}

/// `GET /backoffice/disputes/{id}/file`: an agent reads the proof sent with a report.
pub async fn dispute_file(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let Some(user) = user_of(&request) else {
        return go(request.headers(), "/login");
    };
    let Ok(id) = id.parse::<i64>() else {
        return status_of(&AppError::NotFound);
    };
    match organisations::dispute_file(&state.db, &user, id).await {
        Ok((key, name, content_type)) => send_stored(&state, &key, &name, content_type).await,
        Err(error) => status_of(&error),
    }
}
