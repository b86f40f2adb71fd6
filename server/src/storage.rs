//! Where attachments are kept: one interface (object_store's), a folder under `DATA_DIR` by
//! default, or an S3-compatible bucket that several servers share (`S3_BUCKET`).
//!
//! A file is always written before the database row that names it, so a row never names a
//! missing file. The other way round, a file whose row never committed (a refused form, a
//! server stopped between the two) is an orphan: [`Storage::sweep`] finds and removes them.
use crate::config::{S3Settings, StorageSettings};
use crate::db::Db;
use futures_util::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

/// A file once stored: where, and its SHA-256 (hex).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub key: String,
    pub sha256: String,
}

impl Storage {
    /// A folder on this machine (created if missing).
    pub fn local(dir: &std::path::Path) -> Result<Self, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let store =
            LocalFileSystem::new_with_prefix(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Storage {
            store: Arc::new(store),
        })
    }

    /// The storage the configuration names.
    pub fn from_settings(settings: &StorageSettings) -> Result<Self, String> {
        match settings {
            StorageSettings::Local(dir) => Self::local(dir),
            StorageSettings::S3(s3) => Self::s3(s3),
        }
    }

    /// An S3-compatible bucket. Nothing is asked of the service yet: a wrong address or key
    /// shows on the first upload (and in the logs), as it would later if the service went
    /// away.
    pub fn s3(s3: &S3Settings) -> Result<Self, String> {
        // HTTPS with ring's cryptography (the process's choice, made once; a second call
        // finds it made).
        let _ = rustls::crypto::ring::default_provider().install_default();
        // The usual AWS_* variables (and the machine's role) stand in for what S3_* leaves out.
        // A store that does not answer fails the upload within seconds (the person is told
        // to try again), rather than holding the request for minutes of retries.
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(&s3.bucket)
            .with_region(&s3.region)
            .with_client_options(
                object_store::ClientOptions::new()
                    .with_connect_timeout(Duration::from_secs(3))
                    .with_timeout(Duration::from_secs(20)),
            )
            .with_retry(object_store::RetryConfig {
                backoff: object_store::BackoffConfig::default(),
                max_retries: 2,
                retry_timeout: Duration::from_secs(10),
            });
        if let Some(endpoint) = &s3.endpoint {
            builder = builder
                .with_endpoint(endpoint.as_str().trim_end_matches('/'))
                .with_virtual_hosted_style_request(false)
                .with_allow_http(endpoint.scheme() == "http");
        }
        if let Some((id, secret)) = &s3.credentials {
            builder = builder
                .with_access_key_id(id)
                .with_secret_access_key(secret);
        }
        let store = builder
            .build()
            .map_err(|e| format!("S3 bucket {}: {e}", s3.bucket))?;
        Ok(Storage {
            store: Arc::new(store),
        })
    }

    /// Keeps `bytes` under a new random key below `prefix`.
    pub async fn put(&self, prefix: &str, bytes: Vec<u8>) -> Result<Stored, object_store::Error> {
        let sha256 = hex(&Sha256::digest(&bytes));
        let key = format!("{prefix}/{}", app::backend::session::new_token().0);
        self.store
            .put(&Path::from(key.as_str()), bytes.into())
            .await?;
        Ok(Stored { key, sha256 })
    }

    pub async fn get(&self, key: &str) -> Result<bytes::Bytes, object_store::Error> {
        self.store.get(&Path::from(key)).await?.bytes().await
    }

    pub async fn delete(&self, key: &str) -> Result<(), object_store::Error> {
        self.store.delete(&Path::from(key)).await
    }
}

/// How old a file with no row must be before [`Storage::sweep`] removes it: far longer than
/// any upload takes (a request is cut after 30 s), so a file whose row is about to commit is
/// never taken for an orphan.
pub const ORPHAN_AFTER: Duration = Duration::from_secs(3600);

/// How many keys are looked up in the database at once.
const SWEEP_BATCH: usize = 200;

impl Storage {
    /// Removes the files last written before `before` (milliseconds since 1970) that no row
    /// names; returns how many. Any number of servers may sweep at once: removing a file
    /// twice changes nothing.
    pub async fn sweep(&self, db: &Db, before: i64) -> Result<usize, String> {
        let mut listing = self.store.list(None);
        let mut batch = Vec::with_capacity(SWEEP_BATCH);
        let mut removed = 0;
        while let Some(meta) = listing.next().await {
            let meta = meta.map_err(|e| e.to_string())?;
            if meta.last_modified.timestamp_millis() < before {
                batch.push(meta.location.to_string());
            }
            if batch.len() == SWEEP_BATCH {
                removed += self.remove_orphans(db, std::mem::take(&mut batch)).await?;
            }
        }
        removed += self.remove_orphans(db, batch).await?;
        Ok(removed)
    }

    async fn remove_orphans(&self, db: &Db, keys: Vec<String>) -> Result<usize, String> {
        if keys.is_empty() {
            return Ok(0);
        }
        let named = app::backend::retention::named_files(db, &keys)
            .await
            .map_err(|e| e.to_string())?;
        let mut removed = 0;
        for key in keys.iter().filter(|key| !named.contains(*key)) {
            match self.delete(key).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {
                    tracing::info!(key, "orphan file removed (no row names it)");
                    removed += 1;
                }
                Err(error) => tracing::warn!(%error, key, "cannot remove an orphan file"),
            }
        }
        Ok(removed)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The size of the parts a streamed file goes to the storage in: what an S3-compatible
/// store takes as the smallest part. At most this much of a file is in memory at a time.
const PART_BYTES: usize = 5 * 1024 * 1024;

/// A file being written to the storage as its bytes arrive (an upload read from a form).
pub struct Writing {
    key: String,
    upload: object_store::WriteMultipart,
    hasher: Sha256,
    size: u64,
    /// The first bytes, which say what the file is.
    head: Vec<u8>,
}

/// How many bytes of a file's start its type is recognised from.
const HEAD_BYTES: usize = 512;

impl Storage {
    /// Starts writing a new file under a new random key below `prefix`.
    pub async fn start(&self, prefix: &str) -> Result<Writing, object_store::Error> {
        let key = format!("{prefix}/{}", app::backend::session::new_token().0);
        let upload = self.store.put_multipart(&Path::from(key.as_str())).await?;
        Ok(Writing {
            key,
            upload: object_store::WriteMultipart::new_with_chunk_size(upload, PART_BYTES),
            hasher: Sha256::new(),
            size: 0,
            head: Vec::with_capacity(HEAD_BYTES),
        })
    }
}

impl Writing {
    /// Adds the next bytes (waiting while a part is still on its way).
    pub async fn write(&mut self, chunk: bytes::Bytes) -> Result<(), object_store::Error> {
        self.upload.wait_for_capacity(1).await?;
        self.hasher.update(&chunk);
        self.size += chunk.len() as u64;
        if self.head.len() < HEAD_BYTES {
            let take = (HEAD_BYTES - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.upload.put(chunk);
        Ok(())
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// The first bytes written (up to 512).
    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// Completes the file: it is in the storage under its key.
    pub async fn finish(self) -> Result<Stored, object_store::Error> {
        let sha256 = hex(&self.hasher.finalize());
        self.upload.finish().await?;
        Ok(Stored {
            key: self.key,
            sha256,
        })
    }

    /// Gives the file up: nothing of it stays.
    pub async fn abort(self) {
        if let Err(error) = self.upload.abort().await {
            tracing::warn!(%error, key = %self.key, "an abandoned upload may leave parts behind");
        }
    }
}
