//! Where attachments are kept: one interface (object_store's), a folder under `DATA_DIR` by
//! default; an S3-compatible bucket can take its place without touching the callers.
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};
use sha2::{Digest, Sha256};
use std::sync::Arc;

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
