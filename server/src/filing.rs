//! The routes that carry files, as plain forms (they work without JavaScript; with it the
//! page sends the same form with a progress bar): filing a procedure, answering a request
//! for documents, downloading an attachment, and the dashboard's XLSX export.
use crate::state::AppState;
use crate::storage::Storage;
use app::backend::requests::{self, NewAttachment, Saved, Viewer};
use app::backend::session::CurrentUser;
use app::domain::Lang;
use app::error::{AppError, FieldError};
use app::model::requests::DashboardFilter;
use app::procedures::{AttachmentSlot, FileType};
use axum::extract::{Multipart, Path, Query, Request, State};
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

/// A file of the form, read whole (within its limit) and recognised by its content.
pub(crate) struct Upload {
    pub(crate) field: String,
    file_name: String,
    bytes: Vec<u8>,
    too_big: bool,
    /// The size it had to stay within (the error states it).
    limit: u64,
}

/// Reads a multipart body: the text fields, and the files (each cut off past `max`).
pub(crate) async fn read_form(
    state: &AppState,
    request: Request,
    max: impl Fn(&str) -> u64,
) -> Result<(BTreeMap<String, String>, Vec<Upload>), Response> {
    let mut multipart =
        <Multipart as axum::extract::FromRequest<AppState>>::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
    let bad = || (StatusCode::BAD_REQUEST, "malformed form\n").into_response();
    let mut text = BTreeMap::new();
    let mut files = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(|_| bad())? {
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => {
                let limit = max(&name);
                let mut bytes = Vec::new();
                let mut too_big = false;
                while let Some(chunk) = field.chunk().await.map_err(|_| bad())? {
                    if too_big {
                        continue;
                    }
                    if (bytes.len() + chunk.len()) as u64 > limit {
                        too_big = true;
                        bytes = Vec::new();
                    } else {
                        bytes.extend_from_slice(&chunk);
                    }
                }
                // A file input left empty sends a nameless, empty part.
                if file_name.is_empty() && bytes.is_empty() && !too_big {
                    continue;
                }
                files.push(Upload {
                    field: name,
                    file_name: clean_name(&file_name),
                    bytes,
                    too_big,
                    limit,
                });
            }
            None => {
                let value = field.text().await.map_err(|_| bad())?;
                if value.len() > 20_000 {
                    return Err(bad());
                }
                text.insert(name, value);
            }
        }
    }
    Ok((text, files))
}

/// Checks one file against what its slot accepts, and keeps it.
pub(crate) async fn keep(
    storage: &Storage,
    prefix: &str,
    upload: Upload,
    slot: &str,
    types: &[FileType],
    errors: &mut Vec<FieldError>,
) -> Option<NewAttachment> {
    if upload.too_big {
        errors.push(FieldError::new(
            slot,
            &AttachmentSlot::too_big_code(upload.limit),
        ));
        return None;
    }
    if upload.bytes.is_empty() {
        errors.push(FieldError::new(slot, "attachment.empty"));
        return None;
    }
    // By content, not by name: a renamed file is what it is.
    let detected = infer::get(&upload.bytes).and_then(|kind| FileType::from_mime(kind.mime_type()));
    let Some(kind) = detected.filter(|kind| types.contains(kind)) else {
        errors.push(FieldError::new(
            slot,
            &AttachmentSlot::wrong_type_code(types),
        ));
        return None;
    };
    let size = upload.bytes.len() as i64;
    match storage.put(prefix, upload.bytes).await {
        Ok(stored) => Some(NewAttachment {
            slot: slot.to_string(),
            file_name: upload.file_name,
            content_type: kind.mime().to_string(),
            size,
            sha256: stored.sha256,
            storage_key: stored.key,
        }),
        Err(error) => {
            tracing::error!(%error, "cannot store an attachment");
            errors.push(FieldError::new(slot, "attachment.not_stored"));
            None
        }
    }
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
    let slot_max = |name: &str| {
        name.strip_prefix("file.")
            .and_then(|slot| procedure.slot(slot))
            .map_or(0, |slot| slot.max_bytes())
    };
    let (text, uploads) = match read_form(&state, request, slot_max).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let token = text.get("token").cloned().unwrap_or_default();
    let intent = text.get("intent").map(String::as_str);
    let submit = intent == Some("submit");
    // "M'identifier avec ma carte d'identité": keep the draft, then go and identify.
    let identify = intent == Some("identify")
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
    for upload in uploads {
        let Some(slot) = upload
            .field
            .strip_prefix("file.")
            .and_then(|s| procedure.slot(s))
            .cloned()
        else {
            continue;
        };
        if let Some(file) = keep(
            &state.storage,
            "requests",
            upload,
            &slot.name,
            &slot.types,
            &mut errors,
        )
        .await
        {
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
        // A refused file stops the filing; the rest is kept as a draft.
        submit && errors.is_empty(),
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
    match outcome {
        Ok(Saved::Submitted(reference)) => {
            go(&headers, &format!("/requests/{reference}?submitted=1"))
        }
        Ok(Saved::NeedsEid) => go(
            &headers,
            &crate::eid::start_location(&state, &user, &form_page).await,
        ),
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
    let (text, uploads) = match read_form(&state, request, |_| ANSWER_MAX_BYTES).await {
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
    if uploads.len() > ANSWER_FILES {
        errors.push(FieldError::new("documents", "attachment.too_many"));
    }
    let mut files = Vec::new();
    if errors.is_empty() {
        for upload in uploads {
            if let Some(file) = keep(
                &state.storage,
                "requests",
                upload,
                "documents",
                &ANSWER_TYPES,
                &mut errors,
            )
            .await
            {
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

/// The dashboard as a workbook: `GET /dashboard/export.xlsx?status=…` (the page's filters).
pub async fn export(
    State(state): State<AppState>,
    Query(filter): Query<DashboardFilter>,
    request: Request,
) -> Response {
    let Some(user) = user_of(&request) else {
        return go(request.headers(), "/login");
    };
    let lang = language(request.headers(), &user);
    let rows =
        match requests::export_rows(&state.db, &state.server_config, &user, &filter, lang).await {
            Ok(rows) => rows,
            Err(error) => return status_of(&error),
        };
    // Writing a workbook is CPU work (zipping): off the async threads, so that a long export
    // does not hold up the pages served beside it.
    let workbook = tokio::task::spawn_blocking(move || crate::xlsx::dashboard(&rows, lang)).await;
    let workbook = match workbook {
        Ok(written) => written.map_err(|error| error.to_string()),
        Err(error) => Err(error.to_string()),
    };
    match workbook {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"mes-demarches.xlsx\"".to_string(),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot write the workbook");
            status_of(&AppError::Internal)
        }
    }
}
