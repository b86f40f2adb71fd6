//! Configuration from environment variables, each with a working default. An invalid value
//! stops the server at start with a message that names the variable.
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::path::PathBuf;
use url::Url;
use urls::{is_loopback, redact_password, smtp_with_tls};

mod debug;
mod error;
mod storage;
mod urls;

pub use error::ConfigError;
pub use storage::{S3Settings, StorageSettings};

#[derive(Clone)]
pub struct Settings {
    /// `LISTEN_ADDR`: where the server listens. Default `127.0.0.1:3000`.
    pub listen_addr: SocketAddr,
    /// `BASE_URL`: the public address, used in links sent by e-mail and to decide whether
    /// cookies are `Secure` and HSTS is sent. Default `http://` + the listen address.
    pub base_url: Url,
    /// `DATA_DIR`: where the SQLite database and the attachments live. Default `data`.
    pub data_dir: PathBuf,
    /// Where attachments are kept: `$DATA_DIR/attachments`, or the S3-compatible bucket of
    /// `S3_BUCKET` (with `S3_ENDPOINT`, `S3_REGION`, `S3_ACCESS_KEY_ID`,
    /// `S3_SECRET_ACCESS_KEY`) that several servers share.
    pub storage: StorageSettings,
    /// `DATABASE_URL`: `sqlite://…` or `postgres://…`. Default `sqlite://$DATA_DIR/espace.sqlite`.
    pub database_url: String,
    /// `LOG_LEVEL`: a tracing filter (`info`, `server=debug,info`, …). Default `info`.
    pub log_level: String,
    /// `LOG_FORMAT`: `text` or `json`. Default `text`.
    pub log_format: LogFormat,
    /// `BODY_LIMIT_BYTES`: the largest request body accepted. Default 1 MiB.
    pub body_limit_bytes: usize,
    /// `SMTP_URL`: `smtp://user:password@host:587` (STARTTLS, required) or `smtps://…:465`;
    /// a relay without TLS only when the URL says so (`?tls=none`). Unset: every e-mail is
    /// written as a file under `$DATA_DIR/mail` and its path is logged. Held here as lettre
    /// reads it (`?tls=required` added).
    pub smtp_url: Option<String>,
    /// `MAIL_FROM`: the sender of every e-mail. Default `Espace personnel <no-reply@localhost>`.
    pub mail_from: lettre::message::Mailbox,
    /// `OUTBOX_INTERVAL_SECONDS`: how often the outbox worker looks for e-mails to send.
    /// Default 5; 0 turns the worker off on this server (another server sends).
    pub outbox_interval_seconds: u64,
    /// `SESSION_IDLE_MINUTES`: a session unused this long ends. Default 30.
    pub session_idle_minutes: u64,
    /// `SESSION_MAX_HOURS`: a session ends this long after sign-in. Default 12.
    pub session_max_hours: u64,
    /// `PASSWORD_HASHING_SLOTS`: how many passwords this server hashes or checks at once
    /// (Argon2 takes a core each). Default: the number of cores.
    pub password_hashing_slots: u64,
    /// `PASSWORD_HASHING_WAIT_MS`: how long a sign-in or registration waits for a slot before
    /// it is answered 503 with `Retry-After`. Default 2000; 0 answers at once.
    pub password_hashing_wait_ms: u64,
    /// `TRUST_PROXY`: the addresses or ranges of the reverse proxies in front of this server
    /// (`127.0.0.1`, `10.0.0.0/8, ::1`); a request from one of them is the client named in
    /// `X-Forwarded-For`. Default: none (the peer of the connection is the client).
    pub trusted_proxies: crate::proxies::TrustedProxies,
    /// `PROCEDURES_DIR`: the folder of procedure definitions (one `.toml` each), read and
    /// checked at start. Default `app/procedures` (from the repository's root).
    pub procedures_dir: PathBuf,
    /// Identification by eID through an OpenID Connect provider (`EID_*`); unset
    /// `EID_ISSUER_URL`: not available on this server.
    pub eid: Option<EidSettings>,
    /// `METRICS_TOKEN`: `/metrics` asks for `Authorization: Bearer <token>`. Unset: it
    /// answers only to the loopback address.
    pub metrics_token: Option<String>,
    /// `SEND_LIMIT_PER_IP`, `SEND_LIMIT_TOTAL`: requests that send an e-mail (registration,
    /// a new confirmation link, a forgotten password, a change of address) accepted per hour
    /// from one client address, and in all. Defaults 20 and 1,000 (5 per address, fixed).
    pub send_limits: app::backend::sending::SendLimits,
    /// `UPLOAD_SLOTS`: uploads this server takes at once. Default 8.
    pub upload_slots: u64,
    /// `DRAFTS_PER_ACCOUNT`, `DRAFT_MB_PER_ACCOUNT`: an account's drafts, and the documents
    /// attached to them. Defaults 30 and 200 MB.
    pub quotas: app::backend::Quotas,
    /// `HEADER_READ_TIMEOUT_SECONDS`: a client has this long to send a request's headers
    /// (slow clients hold no connection for ever). Default 10.
    pub header_read_timeout_seconds: u64,
    /// `DRAFT_RETENTION_DAYS`: a draft left untouched this long is deleted (its person told
    /// a week before). Default 90.
    pub draft_retention_days: u64,
    /// `REQUEST_RETENTION_YEARS`: a decided request is kept this long after its last change,
    /// then deleted with its documents. Default 10.
    pub request_retention_years: u64,
    /// `MAIL_RETENTION_DAYS`: sent (or given up) e-mails are deleted this long after. Default
    /// 30.
    pub mail_retention_days: u64,
    /// `LINK_KEY`: the secret e-mailed links' tokens are derived from when the outbox sends
    /// them (32 characters or more, the same on every server). Required over https; on this
    /// machine a development key stands in.
    pub link_key: String,
}

/// The `LINK_KEY` of a server on the loopback address that was given none.
pub const DEVELOPMENT_LINK_KEY: &str = "development-only-link-key-never-use-in-production";

/// The OpenID Connect client for the eID step-up.
#[derive(Clone)]
pub struct EidSettings {
    /// `EID_ISSUER_URL`: the provider (its discovery document is under
    /// `/.well-known/openid-configuration`). https, except on the loopback address.
    pub issuer_url: Url,
    /// The same, exactly as written: the provider's `iss` must match it character for
    /// character (a trailing slash included).
    pub issuer: String,
    /// `EID_CLIENT_ID`, `EID_CLIENT_SECRET`: this server at the provider.
    pub client_id: String,
    pub client_secret: String,
    /// `EID_SCOPES`: default `openid profile egovnrn` (the federal service's scope for the
    /// national register number).
    pub scopes: Vec<String>,
    /// `EID_ACR_VALUES`: the levels that count as eID, asked for and checked in the answer.
    /// Default `urn:be:fedict:iam:fas:Level500 urn:be:fedict:iam:fas:Level450` (eID card,
    /// itsme).
    pub acr_values: Vec<String>,
    /// `EID_MAX_AGE_MINUTES`: how long an identification counts in a session. Default 30.
    pub max_age_minutes: u64,
    /// `EID_NRN_CLAIM`: the claim that carries the national register number. Default
    /// `egovNRN`.
    pub nrn_claim: String,
    /// `EID_NRN_KEY`: the secret key of the national numbers' keyed hash (at least 32
    /// characters; the same on every server, kept out of the database).
    pub nrn_key: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// `app/procedures` from the current folder (the repository's root, as `make run` and the
/// browser tests start the server), else the one of the source tree the binary was built from.
fn default_procedures_dir() -> PathBuf {
    let relative = PathBuf::from("app/procedures");
    if relative.is_dir() {
        relative
    } else {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../app/procedures"))
    }
}

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the variables through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let error = |variable: &'static str, value: &str, reason: &str| ConfigError {
            variable,
            value: value.to_string(),
            reason: reason.to_string(),
        };

        let listen_addr = match get("LISTEN_ADDR") {
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
            Some(value) => value.trim().parse().map_err(|_| {
                error(
                    "LISTEN_ADDR",
                    &value,
                    "expected an address and port such as 127.0.0.1:3000",
                )
            })?,
        };

        let base_url = match get("BASE_URL") {
            None => Url::parse(&format!("http://{listen_addr}"))
                .map_err(|e| error("LISTEN_ADDR", &listen_addr.to_string(), &e.to_string()))?,
            Some(value) => {
                let url = Url::parse(value.trim()).map_err(|_| {
                    error(
                        "BASE_URL",
                        &value,
                        "expected an absolute URL such as https://espace.example.be",
                    )
                })?;
                if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
                    return Err(error(
                        "BASE_URL",
                        &value,
                        "expected an http:// or https:// URL with a host",
                    ));
                }
                if url.query().is_some() || url.fragment().is_some() {
                    return Err(error(
                        "BASE_URL",
                        &value,
                        "must not have a query or a fragment",
                    ));
                }
                url
            }
        };
        // In clear over a network, session cookies and e-mailed links could be read on the
        // way: plain http only on this machine, unless said on purpose.
        let allow_http = get("ALLOW_HTTP_BASE_URL").is_some_and(|v| v.trim() == "true");
        if base_url.scheme() == "http" && !is_loopback(&base_url) && !allow_http {
            return Err(error(
                "BASE_URL",
                base_url.as_str(),
                "http:// only on the loopback address: set the public https:// address, or \
                 ALLOW_HTTP_BASE_URL=true for a network you trust",
            ));
        }

        let data_dir = PathBuf::from(get("DATA_DIR").unwrap_or_else(|| "data".to_string()));
        let storage = storage::from(get, &data_dir)?;

        let database_url = match get("DATABASE_URL") {
            None => format!("sqlite://{}", data_dir.join("espace.sqlite").display()),
            Some(value) => {
                let value = value.trim().to_string();
                if crate::db::Backend::of_url(&value).is_none() {
                    return Err(error(
                        "DATABASE_URL",
                        &redact_password(&value),
                        "expected a sqlite://… or postgres://… URL",
                    ));
                }
                value
            }
        };

        let log_level = get("LOG_LEVEL").unwrap_or_else(|| "info".to_string());
        if let Err(e) = tracing_subscriber::EnvFilter::try_new(&log_level) {
            return Err(error(
                "LOG_LEVEL",
                &log_level,
                &format!("not a log filter ({e})"),
            ));
        }

        let log_format = match get("LOG_FORMAT").as_deref().map(str::trim) {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => return Err(error("LOG_FORMAT", other, "expected text or json")),
        };

        let body_limit_bytes = match get("BODY_LIMIT_BYTES") {
            None => 1024 * 1024,
            Some(value) => match value.trim().parse::<usize>() {
                Ok(bytes) if bytes >= 1024 => bytes,
                _ => {
                    return Err(error(
                        "BODY_LIMIT_BYTES",
                        &value,
                        "expected a number of bytes, at least 1024",
                    ))
                }
            },
        };

        let smtp_url = match get("SMTP_URL") {
            None => None,
            Some(value) => {
                let value = value.trim().to_string();
                match Url::parse(&value) {
                    Ok(url) if matches!(url.scheme(), "smtp" | "smtps") && url.host().is_some() => {
                        Some(
                            smtp_with_tls(url)
                                .map_err(|why| error("SMTP_URL", &redact_password(&value), why))?,
                        )
                    }
                    _ => return Err(error(
                        "SMTP_URL",
                        &redact_password(&value),
                        "expected smtp://user:password@host:587 or smtps://user:password@host:465",
                    )),
                }
            }
        };

        let mail_from_text =
            get("MAIL_FROM").unwrap_or_else(|| "Espace personnel <no-reply@localhost>".to_string());
        let mail_from = mail_from_text.trim().parse().map_err(|_| {
            error(
                "MAIL_FROM",
                &mail_from_text,
                "expected an address such as Espace personnel <no-reply@example.be>",
            )
        })?;

        let outbox_interval_seconds = match get("OUTBOX_INTERVAL_SECONDS") {
            None => 5,
            Some(value) => value.trim().parse::<u64>().map_err(|_| {
                error(
                    "OUTBOX_INTERVAL_SECONDS",
                    &value,
                    "expected a whole number of seconds (0 turns the worker off)",
                )
            })?,
        };

        let positive = |variable: &'static str, default: u64| -> Result<u64, ConfigError> {
            match get(variable) {
                None => Ok(default),
                Some(value) => match value.trim().parse::<u64>() {
                    Ok(n) if n > 0 && n <= 24 * 60 => Ok(n),
                    _ => Err(error(
                        variable,
                        &value,
                        "expected a whole number, at least 1",
                    )),
                },
            }
        };
        let session_idle_minutes = positive("SESSION_IDLE_MINUTES", 30)?;
        let header_read_timeout_seconds = positive("HEADER_READ_TIMEOUT_SECONDS", 10)?;
        let upload_slots = positive("UPLOAD_SLOTS", 8)?;
        let draft_retention_days = positive("DRAFT_RETENTION_DAYS", 90)?.max(14);
        let request_retention_years = positive("REQUEST_RETENTION_YEARS", 10)?;
        let quotas = app::backend::Quotas {
            drafts: positive("DRAFTS_PER_ACCOUNT", 30)?,
            draft_megabytes: positive("DRAFT_MB_PER_ACCOUNT", 200)?,
        };
        let session_max_hours = positive("SESSION_MAX_HOURS", 12)?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u64);
        let password_hashing_slots = positive("PASSWORD_HASHING_SLOTS", cores)?;
        let password_hashing_wait_ms = match get("PASSWORD_HASHING_WAIT_MS") {
            None => 2000,
            Some(value) => match value.trim().parse::<u64>() {
                Ok(ms) if ms <= 60_000 => ms,
                _ => {
                    return Err(error(
                        "PASSWORD_HASHING_WAIT_MS",
                        &value,
                        "expected a number of milliseconds, at most 60000",
                    ))
                }
            },
        };

        let trusted_proxies = match get("TRUST_PROXY") {
            None => crate::proxies::TrustedProxies::default(),
            Some(value) => crate::proxies::TrustedProxies::parse(&value)
                .map_err(|why| error("TRUST_PROXY", &value, &why))?,
        };

        let procedures_dir = match get("PROCEDURES_DIR") {
            Some(value) => PathBuf::from(value.trim()),
            None => default_procedures_dir(),
        };

        let eid = match get("EID_ISSUER_URL") {
            None => None,
            Some(value) => {
                let issuer_url = Url::parse(value.trim()).map_err(|_| {
                    error(
                        "EID_ISSUER_URL",
                        &value,
                        "expected the provider's URL, such as https://idp.iamfas.belgium.be/fas/oauth2",
                    )
                })?;
                let loopback = matches!(
                    issuer_url.host(),
                    Some(url::Host::Ipv4(ip)) if ip.is_loopback()
                ) || issuer_url.host_str() == Some("localhost");
                if !(issuer_url.scheme() == "https" || issuer_url.scheme() == "http" && loopback) {
                    return Err(error(
                        "EID_ISSUER_URL",
                        &value,
                        "must be https:// (http:// only on 127.0.0.1 or localhost)",
                    ));
                }
                let required = |variable: &'static str| {
                    get(variable)
                        .map(|v| v.trim().to_string())
                        .ok_or_else(|| error(variable, "", "required when EID_ISSUER_URL is set"))
                };
                let client_id = required("EID_CLIENT_ID")?;
                let client_secret = required("EID_CLIENT_SECRET")?;
                let nrn_key = required("EID_NRN_KEY")?;
                if nrn_key.len() < 32 {
                    return Err(error(
                        "EID_NRN_KEY",
                        "(hidden)",
                        "expected a secret of at least 32 characters",
                    ));
                }
                let words = |variable: &'static str, default: &str| -> Vec<String> {
                    get(variable)
                        .unwrap_or_else(|| default.to_string())
                        .split(|c: char| c == ',' || c.is_whitespace())
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect()
                };
                let scopes = words("EID_SCOPES", "openid profile egovnrn");
                if !scopes.iter().any(|s| s == "openid") {
                    return Err(error(
                        "EID_SCOPES",
                        &scopes.join(" "),
                        "must include openid",
                    ));
                }
                let acr_values = words(
                    "EID_ACR_VALUES",
                    "urn:be:fedict:iam:fas:Level500 urn:be:fedict:iam:fas:Level450",
                );
                if acr_values.is_empty() {
                    return Err(error(
                        "EID_ACR_VALUES",
                        "",
                        "expected at least one level, such as urn:be:fedict:iam:fas:Level500",
                    ));
                }
                Some(EidSettings {
                    issuer: value.trim().to_string(),
                    issuer_url,
                    client_id,
                    client_secret,
                    scopes,
                    acr_values,
                    max_age_minutes: positive("EID_MAX_AGE_MINUTES", 30)?,
                    nrn_claim: get("EID_NRN_CLAIM")
                        .map(|v| v.trim().to_string())
                        .unwrap_or_else(|| "egovNRN".to_string()),
                    nrn_key,
                })
            }
        };

        let metrics_token = match get("METRICS_TOKEN") {
            None => None,
            Some(token) if token.trim().len() >= 16 => Some(token.trim().to_string()),
            Some(_) => {
                return Err(error(
                    "METRICS_TOKEN",
                    "(hidden)",
                    "expected a secret of at least 16 characters",
                ))
            }
        };

        let per_hour = |variable: &'static str, default: i64| match get(variable) {
            None => Ok(default),
            Some(value) => match value.trim().parse::<i64>() {
                Ok(n) if n >= 1 => Ok(n),
                _ => Err(error(
                    variable,
                    &value,
                    "expected a whole number per hour, at least 1",
                )),
            },
        };
        let defaults = app::backend::sending::SendLimits::default();
        let send_limits = app::backend::sending::SendLimits {
            per_ip: per_hour("SEND_LIMIT_PER_IP", defaults.per_ip)?,
            total: per_hour("SEND_LIMIT_TOTAL", defaults.total)?,
        };

        let mail_retention_days = match get("MAIL_RETENTION_DAYS") {
            None => 30,
            Some(value) => match value.trim().parse::<u64>() {
                Ok(days) if (1..=3650).contains(&days) => days,
                _ => {
                    return Err(error(
                        "MAIL_RETENTION_DAYS",
                        &value,
                        "expected a number of days, 1 to 3650",
                    ))
                }
            },
        };

        let link_key = match get("LINK_KEY") {
            Some(key) if key.trim().len() >= 32 => key.trim().to_string(),
            Some(_) => {
                return Err(error(
                    "LINK_KEY",
                    "(hidden)",
                    "expected a secret of at least 32 characters",
                ))
            }
            None if base_url.scheme() == "https" => {
                return Err(error(
                    "LINK_KEY",
                    "",
                    "required with an https:// BASE_URL: a secret of at least 32 characters, \
                     the same on every server",
                ))
            }
            None => DEVELOPMENT_LINK_KEY.to_string(),
        };

        Ok(Settings {
            draft_retention_days,
            request_retention_years,
            upload_slots,
            quotas,
            header_read_timeout_seconds,
            send_limits,
            mail_retention_days,
            link_key,
            metrics_token,
            eid,
            procedures_dir,
            listen_addr,
            base_url,
            data_dir,
            storage,
            database_url,
            log_level,
            log_format,
            body_limit_bytes,
            smtp_url,
            mail_from,
            outbox_interval_seconds,
            session_idle_minutes,
            session_max_hours,
            password_hashing_slots,
            password_hashing_wait_ms,
            trusted_proxies,
        })
    }

    /// What the server functions need of the configuration.
    pub fn server_config(
        &self,
        catalogue: std::sync::Arc<app::procedures::Catalogue>,
    ) -> app::backend::ServerConfig {
        let to_ms = |minutes: u64| i64::try_from(minutes * 60_000).unwrap_or(i64::MAX);
        app::backend::ServerConfig {
            base_url: self.base_url.as_str().trim_end_matches('/').to_string(),
            secure_cookies: self.is_https(),
            session_idle_ms: to_ms(self.session_idle_minutes),
            session_max_ms: to_ms(self.session_max_hours * 60),
            catalogue,
            eid: self.eid.as_ref().map(|eid| app::backend::EidPolicy {
                max_age_ms: to_ms(eid.max_age_minutes),
            }),
            link_key: app::backend::LinkKey::new(&self.link_key),
            send_limits: self.send_limits,
            quotas: self.quotas,
        }
    }

    /// How long the traces of using the espace are kept.
    pub fn retention(&self) -> app::backend::retention::Retention {
        let to_ms = |minutes: u64| i64::try_from(minutes * 60_000).unwrap_or(i64::MAX);
        app::backend::retention::Retention {
            session_idle_ms: to_ms(self.session_idle_minutes),
            session_max_ms: to_ms(self.session_max_hours * 60),
            mail_ms: to_ms(self.mail_retention_days * 24 * 60),
            draft_ms: to_ms(self.draft_retention_days * 24 * 60),
            // A year counted as 365.25 days.
            request_ms: to_ms(self.request_retention_years * 525_960),
        }
    }

    /// Whether the public address is served over TLS (cookies `Secure`, HSTS).
    pub fn is_https(&self) -> bool {
        self.base_url.scheme() == "https"
    }
}

/// The Leptos options: from the `LEPTOS_*` variables that cargo-leptos sets (and that a
/// deployment sets), else the defaults of this workspace.
pub fn leptos_options(settings: &Settings) -> Result<LeptosOptions, ConfigError> {
    let mut options = if std::env::var_os("LEPTOS_OUTPUT_NAME").is_some() {
        leptos::config::get_configuration(None)
            .map_err(|e| ConfigError {
                variable: "LEPTOS_OUTPUT_NAME",
                value: std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_default(),
                reason: e.to_string(),
            })?
            .leptos_options
    } else {
        LeptosOptions::builder()
            .output_name("espace")
            .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
            .site_pkg_dir("pkg")
            .build()
    };
    options.site_addr = settings.listen_addr;
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_work() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.listen_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(s.base_url.as_str(), "http://127.0.0.1:3000/");
        assert_eq!(s.database_url, "sqlite://data/espace.sqlite");
        assert_eq!(s.log_format, LogFormat::Text);
        assert!(!s.is_https());
        assert_eq!(s.smtp_url, None);
        assert_eq!(s.mail_from.email.to_string(), "no-reply@localhost");
        assert_eq!(s.outbox_interval_seconds, 5);
        assert_eq!(s.trusted_proxies, crate::proxies::TrustedProxies::default());
    }

    #[test]
    fn plain_http_only_on_this_machine_unless_said_on_purpose() {
        for local in [
            "http://127.0.0.1:3000",
            "http://localhost:8080",
            "http://[::1]:3000",
        ] {
            assert!(settings(&[("BASE_URL", local)]).is_ok(), "{local}");
        }
        let err = settings(&[("BASE_URL", "http://espace.example.be")]).unwrap_err();
        assert_eq!(err.variable, "BASE_URL");
        assert!(err.reason.contains("ALLOW_HTTP_BASE_URL"), "{err}");
        // The default follows LISTEN_ADDR: listening on every interface needs a BASE_URL.
        assert!(settings(&[("LISTEN_ADDR", "0.0.0.0:3000")]).is_err());
        assert!(settings(&[
            ("BASE_URL", "http://10.0.0.5:3000"),
            ("ALLOW_HTTP_BASE_URL", "true")
        ])
        .is_ok());
        let key = ("LINK_KEY", "a link key of thirty-two characters or more");
        assert!(settings(&[("BASE_URL", "https://espace.example.be"), key]).is_ok());
    }

    #[test]
    fn the_link_key_is_required_over_https_and_stands_in_on_this_machine() {
        let err = settings(&[("BASE_URL", "https://espace.example.be")]).unwrap_err();
        assert_eq!(err.variable, "LINK_KEY");
        let err = settings(&[("LINK_KEY", "short")]).unwrap_err();
        assert_eq!(err.variable, "LINK_KEY");
        assert!(
            !err.to_string().contains("short"),
            "a secret is never printed"
        );
        assert_eq!(settings(&[]).unwrap().link_key, DEVELOPMENT_LINK_KEY);
    }

    #[test]
    fn mails_are_kept_thirty_days_unless_configured() {
        assert_eq!(
            settings(&[]).unwrap().retention().mail_ms,
            30 * 24 * 3_600_000
        );
        let s = settings(&[("MAIL_RETENTION_DAYS", "7")]).unwrap();
        assert_eq!(s.retention().mail_ms, 7 * 24 * 3_600_000);
        for bad in ["0", "forever", "4000"] {
            assert_eq!(
                settings(&[("MAIL_RETENTION_DAYS", bad)])
                    .unwrap_err()
                    .variable,
                "MAIL_RETENTION_DAYS"
            );
        }
    }

    #[test]
    fn debug_leaves_the_secrets_out() {
        let s = settings(&[
            ("SMTP_URL", "smtp://mailer:s3cr3t-smtp@mail.example.be:587"),
            ("METRICS_TOKEN", "a-long-metrics-token-value"),
            (
                "DATABASE_URL",
                "postgres://espace:s3cr3t-db@db.example.be/espace",
            ),
        ])
        .unwrap();
        let shown = format!("{s:?}");
        assert!(shown.contains("mail.example.be"), "{shown}");
        for secret in ["s3cr3t-smtp", "a-long-metrics-token-value", "s3cr3t-db"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }

    #[test]
    fn values_are_read() {
        let s = settings(&[
            ("LISTEN_ADDR", "0.0.0.0:8080"),
            ("BASE_URL", "https://espace.1030.be"),
            ("LINK_KEY", "a link key of thirty-two characters or more"),
            ("DATA_DIR", "/var/lib/espace"),
            ("LOG_FORMAT", "json"),
            ("LOG_LEVEL", "server=debug,info"),
            ("BODY_LIMIT_BYTES", "2048"),
            ("TRUST_PROXY", "10.0.0.0/8, 127.0.0.1"),
        ])
        .unwrap();
        assert_eq!(
            s.trusted_proxies,
            crate::proxies::TrustedProxies::parse("10.0.0.0/8,127.0.0.1").unwrap()
        );
        assert_eq!(s.listen_addr.port(), 8080);
        assert!(s.is_https());
        assert_eq!(s.database_url, "sqlite:///var/lib/espace/espace.sqlite");
        assert_eq!(s.log_format, LogFormat::Json);
        assert_eq!(s.body_limit_bytes, 2048);
    }

    #[test]
    fn invalid_values_name_their_variable() {
        for (var, value) in [
            ("LISTEN_ADDR", "localhost"),
            ("BASE_URL", "espace.be"),
            ("BASE_URL", "ftp://espace.be"),
            ("BASE_URL", "https://espace.be/?x=1"),
            ("DATABASE_URL", "mysql://root@localhost/espace"),
            ("LOG_LEVEL", "info,,=["),
            ("LOG_FORMAT", "xml"),
            ("BODY_LIMIT_BYTES", "lots"),
            ("BODY_LIMIT_BYTES", "10"),
            ("SMTP_URL", "mail.example.be"),
            ("SMTP_URL", "http://mail.example.be"),
            ("MAIL_FROM", "not an address"),
            ("OUTBOX_INTERVAL_SECONDS", "-1"),
            ("SESSION_IDLE_MINUTES", "0"),
            ("SESSION_MAX_HOURS", "soon"),
            ("TRUST_PROXY", "yes"),
            ("TRUST_PROXY", "true"),
            ("SEND_LIMIT_PER_IP", "0"),
            ("SEND_LIMIT_TOTAL", "lots"),
            ("METRICS_TOKEN", "short"),
        ] {
            let err = settings(&[(var, value)]).expect_err(value);
            assert_eq!(err.variable, var, "{value}");
            assert!(err.to_string().contains(var), "{err}");
        }
    }

    #[test]
    fn eid_is_off_by_default_and_read_when_configured() {
        assert!(settings(&[]).unwrap().eid.is_none());
        let key = "k".repeat(32);
        let s = settings(&[
            ("EID_ISSUER_URL", "https://idp.iamfas.belgium.be/fas/oauth2"),
            ("EID_CLIENT_ID", "espace"),
            ("EID_CLIENT_SECRET", "s3cret"),
            ("EID_NRN_KEY", &key),
            ("EID_ACR_VALUES", "urn:be:fedict:iam:fas:Level500"),
            ("EID_MAX_AGE_MINUTES", "15"),
        ])
        .unwrap();
        let eid = s.eid.unwrap();
        assert_eq!(eid.acr_values, vec!["urn:be:fedict:iam:fas:Level500"]);
        assert_eq!(eid.scopes, vec!["openid", "profile", "egovnrn"]);
        assert_eq!(eid.max_age_minutes, 15);
        assert_eq!(eid.nrn_claim, "egovNRN");
        let printed = format!("{eid:?}");
        assert!(
            !printed.contains("s3cret") && !printed.contains(&key),
            "{printed}"
        );
    }

    #[test]
    fn bad_eid_settings_name_their_variable() {
        let key = "k".repeat(32);
        let base = [
            ("EID_ISSUER_URL", "https://idp.example.be"),
            ("EID_CLIENT_ID", "espace"),
            ("EID_CLIENT_SECRET", "s3cret"),
            ("EID_NRN_KEY", key.as_str()),
        ];
        for (var, value) in [
            ("EID_ISSUER_URL", "not a url"),
            ("EID_ISSUER_URL", "http://idp.example.be"),
            ("EID_CLIENT_ID", ""),
            ("EID_CLIENT_SECRET", " "),
            ("EID_NRN_KEY", "short"),
            ("EID_SCOPES", "profile egovnrn"),
            ("EID_ACR_VALUES", " , "),
            ("EID_MAX_AGE_MINUTES", "0"),
        ] {
            let mut vars: Vec<(&str, &str)> = base
                .iter()
                .copied()
                .filter(|(name, _)| *name != var)
                .collect();
            vars.push((var, value));
            let err = settings(&vars).expect_err(value);
            assert_eq!(err.variable, var, "{value}");
        }
        // http is fine for a provider on this machine (development, tests).
        let mut local = base.to_vec();
        local[0] = ("EID_ISSUER_URL", "http://127.0.0.1:9400");
        assert!(settings(&local).unwrap().eid.is_some());
    }

    #[test]
    fn passwords_are_not_printed() {
        let err = settings(&[("DATABASE_URL", "mysql://user:secret@db/espace")]).unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
        let err = settings(&[("SMTP_URL", "http://user:secret@mail.example.be")]).unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
    }

    #[test]
    fn mail_settings_are_read() {
        let s = settings(&[
            ("SMTP_URL", "smtp://user:pw@mail.example.be:587"),
            ("MAIL_FROM", "Commune de Schaerbeek <espace@example.be>"),
            ("OUTBOX_INTERVAL_SECONDS", "0"),
        ])
        .unwrap();
        assert_eq!(
            s.smtp_url.as_deref(),
            Some("smtp://user:pw@mail.example.be:587?tls=required")
        );
        assert_eq!(s.mail_from.email.domain(), "example.be");
        assert_eq!(s.outbox_interval_seconds, 0);
    }

    #[test]
    fn smtp_requires_tls_unless_told_otherwise() {
        let url = |value: &str| settings(&[("SMTP_URL", value)]).map(|s| s.smtp_url.unwrap());
        // STARTTLS, required, by default and when asked.
        assert_eq!(
            url("smtp://mail.example.be:587?tls=required").unwrap(),
            "smtp://mail.example.be:587?tls=required"
        );
        // Implicit TLS stays as it is.
        assert_eq!(
            url("smtps://user:pw@mail.example.be:465").unwrap(),
            "smtps://user:pw@mail.example.be:465"
        );
        // A relay without TLS only when the URL says so (lettre then sends in clear).
        assert_eq!(
            url("smtp://127.0.0.1:2525?tls=none").unwrap(),
            "smtp://127.0.0.1:2525"
        );
        // Opportunistic TLS can be stripped on the way: refused, with the reason.
        let err = url("smtp://user:secret@mail.example.be:587?tls=opportunistic").unwrap_err();
        assert!(err.to_string().contains("tls=none"), "{err}");
        assert!(!err.to_string().contains("secret"), "{err}");
    }
}
