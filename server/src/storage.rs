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
