//! Where attachments are kept: a folder under `DATA_DIR` (the default, one server), or an
//! S3-compatible bucket that every server shares (`S3_BUCKET` and the variables beside it).
use super::error::ConfigError;
use super::urls::is_loopback;
use std::fmt;
use std::path::PathBuf;
use url::Url;

#[derive(Clone, Debug)]
pub enum StorageSettings {
    /// `$DATA_DIR/attachments` on this machine.
    Local(PathBuf),
    S3(S3Settings),
}

#[derive(Clone)]
pub struct S3Settings {
    /// `S3_BUCKET`: the bucket (it must exist; the servers never create it).
    pub bucket: String,
    /// `S3_ENDPOINT`: an S3-compatible service's address (`https://s3.example.be`); unset:
    /// Amazon S3 itself. Buckets are addressed by path (`endpoint/bucket/key`), which every
    /// S3-compatible service understands.
    pub endpoint: Option<Url>,
    /// `S3_REGION`: default `us-east-1` (what most S3-compatible services accept).
    pub region: String,
    /// `S3_ACCESS_KEY_ID` and `S3_SECRET_ACCESS_KEY`, both or neither; neither: the usual
    /// `AWS_*` variables, or the machine's role.
    pub credentials: Option<(String, String)>,
}

/// Without the secret.
impl fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Settings")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint.as_ref().map(Url::as_str))
            .field("region", &self.region)
            .field(
                "access_key_id",
                &self.credentials.as_ref().map(|(id, _)| id.as_str()),
            )
            .finish_non_exhaustive()
    }
}

/// Reads `S3_*` (through `get`, which gives only non-blank values).
pub(super) fn from(
    get: impl Fn(&str) -> Option<String>,
    data_dir: &std::path::Path,
) -> Result<StorageSettings, ConfigError> {
    let error = |variable: &'static str, value: &str, reason: &str| ConfigError {
        variable,
        value: value.to_string(),
        reason: reason.to_string(),
    };
    let Some(bucket) = get("S3_BUCKET").map(|b| b.trim().to_string()) else {
        for variable in ["S3_ENDPOINT", "S3_REGION", "S3_ACCESS_KEY_ID"] {
            if let Some(value) = get(variable) {
                return Err(error(
                    variable,
                    &value,
                    "set S3_BUCKET too, or attachments stay in DATA_DIR",
                ));
            }
        }
        return Ok(StorageSettings::Local(data_dir.join("attachments")));
    };
    // S3's rules for a bucket's name: 3 to 63 lower-case letters, digits, dots and hyphens.
    let valid_name = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    if !valid_name {
        return Err(error(
            "S3_BUCKET",
            &bucket,
            "expected a bucket name: 3 to 63 lower-case letters, digits, dots or hyphens",
        ));
    }
    let allow_http = get("S3_ALLOW_HTTP").is_some_and(|v| v.trim() == "true");
    let endpoint = match get("S3_ENDPOINT") {
        None => None,
        Some(value) => {
            let url = Url::parse(value.trim())
                .ok()
                .filter(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
                .ok_or_else(|| {
                    error(
                        "S3_ENDPOINT",
                        &value,
                        "expected an http:// or https:// URL such as https://s3.example.be",
                    )
                })?;
            // Documents of citizens do not travel in clear over a network.
            if url.scheme() == "http" && !is_loopback(&url) && !allow_http {
                return Err(error(
                    "S3_ENDPOINT",
                    &value,
                    "http:// only on the loopback address: use https://, or \
                     S3_ALLOW_HTTP=true for a network you trust",
                ));
            }
            Some(url)
        }
    };
    let region = get("S3_REGION").map_or_else(|| "us-east-1".to_string(), |r| r.trim().to_string());
    let credentials = match (get("S3_ACCESS_KEY_ID"), get("S3_SECRET_ACCESS_KEY")) {
        (Some(id), Some(secret)) => Some((id.trim().to_string(), secret.trim().to_string())),
        (None, None) => None,
        (Some(_), None) => {
            return Err(error(
                "S3_SECRET_ACCESS_KEY",
                "",
                "required with S3_ACCESS_KEY_ID",
            ))
        }
        (None, Some(_)) => {
            return Err(error(
                "S3_ACCESS_KEY_ID",
                "",
                "required with S3_SECRET_ACCESS_KEY",
            ))
        }
    };
    Ok(StorageSettings::S3(S3Settings {
        bucket,
        endpoint,
        region,
        credentials,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::path::Path;

    fn read(vars: &[(&str, &str)]) -> Result<StorageSettings, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        from(|name| vars.get(name).cloned(), Path::new("/srv/espace"))
    }

    #[test]
    fn a_folder_by_default() {
        match read(&[]).unwrap() {
            StorageSettings::Local(dir) => assert_eq!(dir, Path::new("/srv/espace/attachments")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_bucket_with_its_endpoint_region_and_keys() {
        let StorageSettings::S3(s3) = read(&[
            ("S3_BUCKET", "espace-documents"),
            ("S3_ENDPOINT", "https://s3.example.be"),
            ("S3_REGION", "eu-west-3"),
            ("S3_ACCESS_KEY_ID", "AKIA1"),
            ("S3_SECRET_ACCESS_KEY", "the secret"),
        ])
        .unwrap() else {
            panic!("not S3")
        };
        assert_eq!(s3.bucket, "espace-documents");
        assert_eq!(s3.endpoint.unwrap().as_str(), "https://s3.example.be/");
        assert_eq!(s3.region, "eu-west-3");
        assert_eq!(s3.credentials, Some(("AKIA1".into(), "the secret".into())));
        let StorageSettings::S3(defaults) = read(&[("S3_BUCKET", "espace")]).unwrap() else {
            panic!("not S3")
        };
        assert_eq!(defaults.region, "us-east-1");
        assert!(defaults.endpoint.is_none() && defaults.credentials.is_none());
    }

    #[test]
    fn the_secret_is_not_shown() {
        let settings = read(&[
            ("S3_BUCKET", "espace"),
            ("S3_ACCESS_KEY_ID", "AKIA1"),
            ("S3_SECRET_ACCESS_KEY", "do-not-print-me"),
        ])
        .unwrap();
        let shown = format!("{settings:?}");
        assert!(
            shown.contains("AKIA1") && !shown.contains("do-not-print-me"),
            "{shown}"
        );
    }

    #[test]
    fn bad_values_name_their_variable() {
        let variable = |vars: &[(&str, &str)]| read(vars).unwrap_err().variable;
        assert_eq!(variable(&[("S3_BUCKET", "Espace_Docs")]), "S3_BUCKET");
        assert_eq!(variable(&[("S3_BUCKET", "ab")]), "S3_BUCKET");
        assert_eq!(
            variable(&[("S3_BUCKET", "espace"), ("S3_ENDPOINT", "s3.example.be")]),
            "S3_ENDPOINT"
        );
        // In clear over a network: refused unless said on purpose.
        assert_eq!(
            variable(&[
                ("S3_BUCKET", "espace"),
                ("S3_ENDPOINT", "http://10.0.0.5:9000")
            ]),
            "S3_ENDPOINT"
        );
        assert!(read(&[
            ("S3_BUCKET", "espace"),
            ("S3_ENDPOINT", "http://10.0.0.5:9000"),
            ("S3_ALLOW_HTTP", "true")
        ])
        .is_ok());
        assert!(read(&[
            ("S3_BUCKET", "espace"),
            ("S3_ENDPOINT", "http://127.0.0.1:9000")
        ])
        .is_ok());
        assert_eq!(
            variable(&[("S3_BUCKET", "espace"), ("S3_ACCESS_KEY_ID", "AKIA1")]),
            "S3_SECRET_ACCESS_KEY"
        );
        // An endpoint without a bucket would silently keep files on this machine.
        assert_eq!(
            variable(&[("S3_ENDPOINT", "https://s3.example.be")]),
            "S3_ENDPOINT"
        );
    }
}
