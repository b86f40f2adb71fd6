//! How the configuration shows itself (in a log line, a panic): without its secrets.
use super::urls::redact_password;
use super::{EidSettings, Settings};
use std::fmt;

/// Shows the configuration without its secrets (the SMTP and database passwords, the
/// metrics token; the eID secrets are left out by [`EidSettings`]'s own).
impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("listen_addr", &self.listen_addr)
            .field("base_url", &self.base_url.as_str())
            .field("data_dir", &self.data_dir)
            .field("storage", &self.storage)
            .field("database_url", &redact_password(&self.database_url))
            .field("log_level", &self.log_level)
            .field("log_format", &self.log_format)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_password))
            .field("mail_from", &self.mail_from.to_string())
            .field("trusted_proxies", &self.trusted_proxies)
            .field("eid", &self.eid)
            .field(
                "metrics_token",
                &self.metrics_token.as_ref().map(|_| "(hidden)"),
            )
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for EidSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EidSettings")
            .field("issuer_url", &self.issuer_url.as_str())
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("acr_values", &self.acr_values)
            .field("max_age_minutes", &self.max_age_minutes)
            .field("nrn_claim", &self.nrn_claim)
            .finish_non_exhaustive()
    }
}
