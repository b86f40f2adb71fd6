//! The routes that carry files, as plain forms (they work without JavaScript; with it the
//! page sends the same form with a progress bar): filing a procedure, answering a request
//! for documents, downloading an attachment, and the dashboard's XLSX export.
use crate::state::AppState;
use crate::storage::{Storage, Stored};
use app::backend::requests::{self, NewAttachment, Saved, Viewer};
use app::backend::session::CurrentUser;
use app::domain::Lang;
use app::error::{AppError, FieldError};
use app::procedures::{AttachmentSlot, FileType};
use axum::extract::{Multipart, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

/// The largest body of a filing form: every file of the largest procedure, and the text.
pub const UPLOAD_LIMIT_BYTES: usize = 64 * 1024 * 1024;
/// The documents sent in answer to a request, at most this many, each at most this big.
const ANSWER_FILES: usize = 5;
const ANSWER_MAX_BYTES: u64 = 10 * 1024 * 1024;
const ANSWER_TYPES: [FileType; 3] = [FileType::Pdf, FileType::Jpeg, FileType::Png];

/// The page's language: the `lang` cookie, else the account's.
pub fn language(headers: &HeaderMap, user: &CurrentUser) -> Lang {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == app::language::LANG_COOKIE)
        .and_then(|(_, value)| Lang::parse(value))
        .unwrap_or(user.language)
}

/// Where the browser goes next: a redirect for a plain form, a small JSON answer for the
/// page's own upload (it shows the progress, then goes there itself).
pub(crate) fn go(headers: &HeaderMap, location: &str) -> Response {
    if headers.contains_key("x-espace-upload") {
        return (
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(serde_json::json!({ "location": location })),
        )
            .into_response();
    }
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location.to_string())],
    )
        .into_response()
}

pub(crate) fn errors_query(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}:{}", e.field, e.code))
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn status_of(error: &AppError) -> Response {
    let status = error.status();
    if let AppError::Busy { seconds } = error {
        // The database away for a moment: sending the form again (reloading the page does)
        // files it once, whatever happened to this try.
        return (
            status,
            [(axum::http::header::RETRY_AFTER, seconds.to_string())],
            "Service momentanément indisponible : renvoyez le formulaire dans quelques secondes.\n\
             Dienst tijdelijk niet beschikbaar: verstuur het formulier over enkele seconden opnieuw.\n\
             Service unavailable for a moment: send the form again in a few seconds.\n",
        )
            .into_response();
    }
    (
        status,
        status.canonical_reason().unwrap_or("error").to_string(),
    )
        .into_response()
}

/// The file's name as the user sees it: no folders, no control characters, not too long.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(150)
        .collect();
    if cleaned.trim().is_empty() {
        "document".to_string()
    } else {
        cleaned
    }
}

/// What a form's file field may hold: where it is kept, how big it may be, which kinds.
pub(crate) struct FileRule {
    pub(crate) prefix: &'static str,
    pub(crate) limit: u64,
    pub(crate) types: Vec<FileType>,
}

/// A file of the form: written to the storage as it arrived, within its limit and of a
/// kind its rule takes (recognised by its first bytes, not its name); or why it was not.
pub(crate) struct Upload {
    pub(crate) field: String,
    file_name: String,
    /// The stored file, its kind and size; or the error's code (`attachment.too_big:10`).
    outcome: Result<(Stored, FileType, u64), String>,
}

/// Reads a multipart body: the text fields, and the files that `rules` names, each streamed
/// to the storage (at most a part of it in memory). Other files are read past and dropped.
pub(crate) async fn read_form(
    state: &AppState,
    request: Request,
    rules: impl Fn(&str) -> Option<FileRule>,
) -> Result<(BTreeMap<String, String>, Vec<Upload>), Response> {
    let mut multipart =
        <Multipart as axum::extract::FromRequest<AppState>>::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
    let mut text = BTreeMap::new();
    let mut files = Vec::new();
    let read = async {
        while let Some(mut field) = multipart.next_field().await? {
            let name = field.name().unwrap_or_default().to_string();
            match field.file_name().map(str::to_string) {
                Some(file_name) => {
                    let Some(rule) = rules(&name) else {
                        while field.chunk().await?.is_some() {}
                        continue;
                    };
                    let outcome = stream(&state.storage, &mut field, &rule).await;
                    // A file input left empty sends a nameless, empty part.
                    let outcome = match outcome {
                        Ok(None) if file_name.is_empty() => continue,
                        Ok(None) => Err("attachment.empty".to_string()),
                        Ok(Some(outcome)) => outcome,
                        Err(error) => return Err(error),
                    };
                    files.push(Upload {
                        field: name,
                        file_name: clean_name(&file_name),
                        outcome,
                    });
                }
                None => {
                    let value = field.text().await?;
                    if value.len() > 20_000 {
                        return Ok(false);
                    }
                    text.insert(name, value);
                }
            }
        }
        Ok(true)
    };
    let complete: Result<bool, axum::extract::multipart::MultipartError> = read.await;
    if !matches!(complete, Ok(true)) {
        // A broken or refused form: what it had stored goes.
        forget_uploads(&state.storage, files).await;
        return Err((StatusCode::BAD_REQUEST, "malformed form\n").into_response());
    }
    Ok((text, files))
}

/// Streams one file field to the storage. `None`: it was empty.
async fn stream(
    storage: &Storage,
    field: &mut axum::extract::multipart::Field<'_>,
    rule: &FileRule,
) -> Result<Option<Result<(Stored, FileType, u64), String>>, axum::extract::multipart::MultipartError>
{
    let mut writing: Option<crate::storage::Writing> = None;
    let mut refused: Option<String> = None;
    let mut seen: u64 = 0;
    while let Some(chunk) = field.chunk().await? {
        seen += chunk.len() as u64;
        // An empty part (a file input left empty) may come as an empty chunk: nothing to keep.
        if refused.is_some() || chunk.is_empty() {
            continue; // Read past the rest.
        }
        let problem = if seen > rule.limit {
            Some(AttachmentSlot::too_big_code(rule.limit))
        } else {
            let started = match writing.take() {
                Some(started) => Ok(started),
                None => storage.start(rule.prefix).await,
            };
            match started {
                Ok(mut started) => match started.write(chunk).await {
                    Ok(()) => {
                        writing = Some(started);
                        None
                    }
                    Err(error) => {
                        tracing::error!(%error, "cannot store an attachment");
                        started.abort().await;
                        Some("attachment.not_stored".to_string())
                    }
                },
                Err(error) => {
                    tracing::error!(%error, "cannot store an attachment");
                    Some("attachment.not_stored".to_string())
                }
            }
        };
        if let Some(code) = problem {
            if let Some(started) = writing.take() {
                started.abort().await;
            }
            refused = Some(code);
        }
    }
    if let Some(code) = refused {
        return Ok(Some(Err(code)));
    }
    let Some(written) = writing else {
        return Ok(None);
    };
    // By content, not by name: a renamed file is what it is.
    let kind = infer::get(written.head()).and_then(|kind| FileType::from_mime(kind.mime_type()));
    let Some(kind) = kind.filter(|kind| rule.types.contains(kind)) else {
        written.abort().await;
        return Ok(Some(Err(AttachmentSlot::wrong_type_code(&rule.types))));
    };
    let size = written.size();
    Ok(Some(match written.finish().await {
        Ok(stored) => Ok((stored, kind, size)),
        Err(error) => {
            tracing::error!(%error, "cannot store an attachment");
            Err("attachment.not_stored".to_string())
        }
    }))
}

/// The stored file of an upload, for the slot `slot`; otherwise its error, beside the slot.
pub(crate) fn accept(
    upload: Upload,
    slot: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NewAttachment> {
    match upload.outcome {
        Ok((stored, kind, size)) => Some(NewAttachment {
            slot: slot.to_string(),
            file_name: upload.file_name,
            content_type: kind.mime().to_string(),
            size: i64::try_from(size).unwrap_or(i64::MAX),
            sha256: stored.sha256,
            storage_key: stored.key,
        }),
        Err(code) => {
            errors.push(FieldError::new(slot, &code));
            None
        }
    }
}

/// Deletes what uploads stored that nothing will record.
pub(crate) async fn forget_uploads(storage: &Storage, uploads: Vec<Upload>) {
    let keys = uploads
        .into_iter()
        .filter_map(|upload| upload.outcome.ok().map(|(stored, _, _)| stored.key))
        .collect();
    forget(storage, keys).await;
}

pub(crate) fn user_of(request: &Request) -> Option<CurrentUser> {
    request.extensions().get::<CurrentUser>().cloned()
}

/// `POST /procedures/{code}/file`: saves the draft, and with `intent=submit` files it.
pub async fn file(
    State(state): State<AppState>,
    Path(code): Path<String>,
    request: Request,
) -> Response {
    let Some(user) = user_of(&request) else {
        return go(request.headers(), "/login");
    };
    let headers = request.headers().clone();
    let Some(procedure) = state.server_config.catalogue.get(&code).cloned() else {
        return status_of(&AppError::NotFound);
    };
    let rules = |name: &str| {
        name.strip_prefix("file.")
            .and_then(|slot| procedure.slot(slot))
            .map(|slot| FileRule {
                prefix: "requests",
                limit: slot.max_bytes(),
                types: slot.types.clone(),
            })
    };
    let (text, uploads) = match read_form(&state, request, rules).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let token = text.get("token").cloned().unwrap_or_default();
    let asked = text.get("intent").map(String::as_str);
    let intent = requests::Intent::parse(asked);
    // "M'identifier avec ma carte d'identité": keep the draft, then go and identify.
    let identify = asked == Some("identify")
        && procedure.assurance == app::procedures::Assurance::Eid
        && procedure.may_be_filed_by(requests::profile_kind(&user));
    let data: BTreeMap<String, String> = text
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("f.")
                .map(|name| (name.to_string(), v.clone()))
        })
        .collect();
    let mut errors = Vec::new();
    let mut files = Vec::new();
    // Confirming sends the draft as kept: files posted with it are not kept.
    let uploads = if intent == requests::Intent::Confirm {
        forget_uploads(&state.storage, uploads).await;
        Vec::new()
    } else {
        uploads
    };
    for upload in uploads {
        let Some(slot) = upload.field.strip_prefix("file.").map(str::to_string) else {
            continue;
        };
        if let Some(file) = accept(upload, &slot, &mut errors) {
            files.push(file);
        }
    }
    let kept: Vec<String> = files.iter().map(|f| f.storage_key.clone()).collect();
    let mut stored = requests::StoredFiles::default();
    let outcome = requests::save(
        &state.db,
        &state.server_config,
        &user,
        &code,
        &token,
        &data,
        files,
        // A refused file stops the filing (and the review); the rest is kept as a draft.
        if errors.is_empty() {
            intent
        } else {
            requests::Intent::Save
        },
        &mut stored,
    )
    .await;
    // Files nothing records: those a new one replaced, and the new ones if they were not
    // recorded (refused, or the form was filed already).
    forget(&state.storage, stored.replaced).await;
    if !stored.recorded {
        forget(&state.storage, kept).await;
    }
    let form_page = format!("/procedures/{code}");
    let check_page = format!("/procedures/{code}/check");
    match outcome {
        Ok(Saved::Submitted(reference)) => {
            go(&headers, &format!("/requests/{reference}?submitted=1"))
        }
        Ok(Saved::Reviewed) => go(&headers, &check_page),
        // Identified, the person comes back to the page they sent from.
        Ok(Saved::NeedsEid) => {
            let back = if intent == requests::Intent::Confirm {
                &check_page
            } else {
                &form_page
            };
            go(
                &headers,
                &crate::eid::start_location(&state, &user, back).await,
            )
        }
        Ok(Saved::Draft) if identify && errors.is_empty() => go(
            &headers,
            &crate::eid::start_location(&state, &user, &form_page).await,
        ),
        Ok(Saved::Draft) if errors.is_empty() => go(&headers, &format!("{form_page}?saved=1")),
        Ok(Saved::Draft) => go(
            &headers,
            &format!("{form_page}?errors={}", errors_query(&errors)),
        ),
        Err(AppError::Validation(more)) => {
            errors.extend(more);
            go(
                &headers,
                &format!("{form_page}?errors={}", errors_query(&errors)),
            )
        }
        Err(error) => {
            if matches!(error, AppError::Internal) {
                tracing::error!("filing failed");
            }
            status_of(&error)
        }
    }
}

pub(crate) async fn forget(storage: &Storage, keys: Vec<String>) {
    for key in keys {
        if let Err(error) = storage.delete(&key).await {
            tracing::warn!(%error, %key, "cannot delete an unused attachment");
        }
    }
}

/// `POST /requests/{reference}/documents`: the documents the administration asked for.
pub async fn answer(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    request: Request,
) -> Response {
    let Some(user) = user_of(&request) else {
        return go(request.headers(), "/login");
    };
    let headers = request.headers().clone();
    // One more than allowed is read (to say there are too many); the rest is read past.
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let rules = |_: &str| {
        let before = seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        (before < ANSWER_FILES + 1).then(|| FileRule {
            prefix: "requests",
            limit: ANSWER_MAX_BYTES,
            types: ANSWER_TYPES.to_vec(),
        })
    };
    let (text, uploads) = match read_form(&state, request, rules).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let page = format!("/requests/{reference}");
    let note = text.get("note").cloned().unwrap_or_default();
    // After an error the note comes back as typed (the files must be chosen again).
    let again = |errors: &[FieldError]| {
        let note: String = url::form_urlencoded::byte_serialize(note.as_bytes()).collect();
        format!("{page}?errors={}&note={note}", errors_query(errors))
    };
    let mut errors = Vec::new();
    let mut files = Vec::new();
    if uploads.len() > ANSWER_FILES {
        errors.push(FieldError::new("documents", "attachment.too_many"));
        forget_uploads(&state.storage, uploads).await;
    } else {
        for upload in uploads {
            if let Some(file) = accept(upload, "documents", &mut errors) {
                files.push(file);
            }
        }
    }
    if !errors.is_empty() {
        forget(
            &state.storage,
            files.into_iter().map(|f| f.storage_key).collect(),
        )
        .await;
        return go(&headers, &again(&errors));
    }
    let keys: Vec<String> = files.iter().map(|f| f.storage_key.clone()).collect();
    match requests::answer_documents(&state.db, &user, &reference, files, &note).await {
        Ok(()) => go(&headers, &format!("{page}?answered=1")),
        Err(AppError::Validation(errors)) => {
            forget(&state.storage, keys).await;
            go(&headers, &again(&errors))
        }
        Err(error) => {
            forget(&state.storage, keys).await;
            status_of(&error)
        }
    }
}

async fn download_as(
    state: &AppState,
    user: &CurrentUser,
    reference: &str,
    id: &str,
    viewer: Viewer,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return status_of(&AppError::NotFound);
    };
    let (key, name, content_type) =
        match requests::attachment(&state.db, &state.server_config, user, reference, id, viewer)
            .await
        {
            Ok(found) => found,
            Err(error) => return status_of(&error),
        };
    send_stored(state, &key, &name, content_type).await
}

/// A stored file as a download (never cached: it is someone's document).
pub(crate) async fn send_stored(
    state: &AppState,
    key: &str,
    name: &str,
    content_type: String,
) -> Response {
    match state.storage.get(key).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"{}\"",
                        name.replace(|c: char| !c.is_ascii() || c == '"', "_")
                    ),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, %key, "an attachment's file is missing");
            status_of(&AppError::Internal)
        }
    }
}

/// `GET /requests/{reference}/attachments/{id}`.
pub async fn download(
    State(state): State<AppState>,
    Path((reference, id)): Path<(String, String)>,
    request: Request,
) -> Response {
    let Some(user) = user_of(&request) else {
        return go(request.headers(), "/login");
    };
    download_as(&state, &user, &reference, &id, Viewer::Member).await
}

/// `GET /backoffice/requests/{reference}/attachments/{id}`.
pub async fn agent_download(
    State(state): State<AppState>,
    Path((reference, id)): Path<(String, String)>,
    request: Request,
) -> Response {
    let Some(user) = user_of(&request) else {
        return go(request.headers(), "/login");
    };
    download_as(&state, &user, &reference, &id, Viewer::Agent).await
}
