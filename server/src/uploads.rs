//! A bound on the uploads a server takes at once (`UPLOAD_SLOTS`): each holds its files in
//! memory while they are checked, so a crowd of them must not take all of it. Beyond, a new
//! one waits two seconds for a slot, then is answered 503 with `Retry-After` and nothing is
//! read of it.
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

const WAIT: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct UploadSlots(Arc<Semaphore>);

impl UploadSlots {
    pub fn new(slots: u64) -> Self {
        UploadSlots(Arc::new(Semaphore::new(
            usize::try_from(slots.max(1)).unwrap_or(usize::MAX),
        )))
    }
}

/// Holds a slot for the whole handling of an upload (reading, checking, storing).
pub async fn limit(State(slots): State<UploadSlots>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(WAIT, slots.0.clone().acquire_owned()).await {
        Ok(Ok(_slot)) => next.run(request).await,
        _ => {
            tracing::warn!("every upload slot is taken: answering 503");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [
                    (header::RETRY_AFTER, "5"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                "Le service est très sollicité : réessayez dans quelques secondes. — \
                 De dienst is zeer druk: probeer het over enkele seconden opnieuw. — \
                 The service is very busy: try again in a few seconds.\n",
            )
                .into_response()
        }
    }
}
