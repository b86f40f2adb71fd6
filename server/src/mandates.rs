//! The routes that carry a proof of mandate, as plain forms (they work without
//! JavaScript): a representative sends one from the organisation's "Vérification" page, an
//! agent reads it from the back office's "Vérifications" queue.
use crate::filing::{errors_query, forget, go, keep, read_form, send_stored, status_of, user_of};
use crate::state::AppState;
use app::backend::organisations::{self, NewProof};
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
    let (text, uploads) = match read_form(&state, request, |_| PROOF_MAX_BYTES).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let page = format!("/organisations/{organisation_id}/verification");
    let kind = text.get("kind").cloned().unwrap_or_default();
    let mut errors = Vec::new();
    let mut uploads = uploads.into_iter().filter(|upload| upload.field == "proof");
    let stored = match (uploads.next(), uploads.next()) {
        (Some(upload), None) => {
            keep(
                &state.storage,
                "mandates",
                upload,
                "proof",
                &PROOF_TYPES,
                &mut errors,
            )
            .await
        }
        (None, _) => {
            errors.push(FieldError::new("proof", "attachment.required"));
            None
        }
        (Some(_), Some(_)) => {
            errors.push(FieldError::new("proof", "attachment.too_many"));
            None
        }
    };
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
    let proof = NewProof {
        file_name: file.file_name,
        content_type: file.content_type,
        size: file.size,
        sha256: file.sha256,
        storage_key: file.storage_key,
    };
    match organisations::submit_proof(&state.db, &user, organisation_id, &kind, proof).await {
        Ok(()) => go(&headers, &format!("{page}?sent=1")),
        Err(AppError::Validation(errors)) => {
            forget(&state.storage, vec![key]).await;
            go(&headers, &again(&errors))
        }
        Err(error) => {
            forget(&state.storage, vec![key]).await;
            status_of(&error)
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
