//! The downloads of "Mes données": `GET /account/data/export`, a JSON file of everything the
//! espace keeps about the signed-in person, and `GET /account/data/export.zip`, the same
//! with a copy of every document they sent. (Signed-out visitors are sent to /login by the
//! session layer, as for every page under /account.)
use crate::state::AppState;
use app::backend::session::CurrentUser;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

pub const PATH: &str = "/account/data/export";
const FILE_NAME: &str = "espace-personnel-mes-donnees.json";

pub async fn download(State(state): State<AppState>, request: Request) -> Response {
    let Some(user) = request.extensions().get::<CurrentUser>() else {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/login")]).into_response();
    };
    match app::backend::data::export(&state.db, user).await {
        Ok(document) => {
            let body = serde_json::to_string_pretty(&document).unwrap_or_default();
            (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/json; charset=utf-8".to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{FILE_NAME}\""),
                    ),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                ],
                body,
            )
                .into_response()
        }
        Err(error) => {
            tracing::error!(?error, "cannot export the account's data");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
        }
    }
}

/// `GET /account/data/export.zip`: the same JSON, and a copy of every document the person
/// sent (to their requests, drafts included, their proofs of mandate and their reports),
/// in one ZIP. Written to an anonymous temporary file on a blocking thread, one document
/// in memory at a time, then streamed: a large account takes no more memory than its
/// largest document.
pub const ZIP_PATH: &str = "/account/data/export.zip";
const ZIP_NAME: &str = "espace-personnel-mes-donnees.zip";

pub async fn download_zip(State(state): State<AppState>, request: Request) -> Response {
    let Some(user) = request.extensions().get::<CurrentUser>() else {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, "/login")]).into_response();
    };
    let (document, files) = match (
        app::backend::data::export(&state.db, user).await,
        app::backend::data::documents(&state.db, user).await,
    ) {
        (Ok(document), Ok(files)) => (document, files),
        (Err(error), _) | (_, Err(error)) => {
            tracing::error!(?error, "cannot export the account's data");
            return (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response();
        }
    };
    match write_zip(&state.storage, &document, files).await {
        Ok(file) => {
            let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file));
            (
                [
                    (header::CONTENT_TYPE, "application/zip".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{ZIP_NAME}\""),
                    ),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                ],
                axum::body::Body::from_stream(stream),
            )
                .into_response()
        }
        Err(error) => {
            tracing::error!(%error, "cannot write the account's ZIP");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
        }
    }
}

/// A name fit for a ZIP entry: no folders, no control characters, not empty.
fn entry_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    if clean.is_empty() {
        "document".to_string()
    } else {
        clean.chars().take(120).collect()
    }
}

async fn write_zip(
    storage: &crate::storage::Storage,
    document: &serde_json::Value,
    files: Vec<app::backend::data::PersonFile>,
) -> Result<std::fs::File, String> {
    use std::io::{Seek, Write};
    use zip::write::SimpleFileOptions;
    let json = serde_json::to_vec_pretty(document).map_err(|e| e.to_string())?;
    // One document travels at a time from the storage to the writer.
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<(String, bytes::Bytes)>(1);
    let writer = tokio::task::spawn_blocking(move || -> Result<std::fs::File, String> {
        let fail = |e: &dyn std::fmt::Display| e.to_string();
        let mut zip = zip::ZipWriter::new(tempfile::tempfile().map_err(|e| fail(&e))?);
        let deflated =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("mes-donnees.json", deflated)
            .map_err(|e| fail(&e))?;
        zip.write_all(&json).map_err(|e| fail(&e))?;
        // PDF, JPEG and PNG are compressed already: stored as they are.
        let stored = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(true);
        while let Some((name, bytes)) = receiver.blocking_recv() {
            zip.start_file(name, stored).map_err(|e| fail(&e))?;
            zip.write_all(&bytes).map_err(|e| fail(&e))?;
        }
        let mut file = zip.finish().map_err(|e| fail(&e))?;
        file.rewind().map_err(|e| fail(&e))?;
        Ok(file)
    });
    for file in files {
        match storage.get(&file.storage_key).await {
            Ok(bytes) => {
                let name = format!(
                    "documents/{}/{}-{}",
                    file.folder,
                    file.id,
                    entry_name(&file.file_name)
                );
                if sender.send((name, bytes)).await.is_err() {
                    break; // The writer failed: its error is below.
                }
            }
            Err(error) => {
                tracing::error!(%error, key = %file.storage_key, "a document of the export is missing");
            }
        }
    }
    drop(sender);
    writer.await.map_err(|e| e.to_string())?
}
