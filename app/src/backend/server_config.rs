//! What the server functions need to know of the configuration (the server builds it from
//! its settings).

/// What server functions need to know of the configuration.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The public address, without a trailing slash: `https://espace.example.be`.
    pub base_url: String,
    /// Cookies are `Secure` (the public address is https).
    pub secure_cookies: bool,
    /// A session unused for this long ends (milliseconds).
    pub session_idle_ms: i64,
    /// A session ends this long after sign-in, whatever happens (milliseconds).
    pub session_max_ms: i64,
    /// The procedures on offer.
    pub catalogue: std::sync::Arc<crate::procedures::Catalogue>,
    /// Identification by eID: `None` when no identity provider is configured.
    pub eid: Option<EidPolicy>,
    /// `LINK_KEY`: e-mailed links' tokens are derived from it when the e-mail is sent.
    pub link_key: super::link_key::LinkKey,
    /// `SEND_LIMIT_PER_IP`, `SEND_LIMIT_TOTAL`: e-mails asked for per hour.
    pub send_limits: super::sending::SendLimits,
    /// What one account may keep in drafts.
    pub quotas: Quotas,
}

/// What one account may keep in drafts (`DRAFTS_PER_ACCOUNT`, `DRAFT_MB_PER_ACCOUNT`): drafts
/// are never filed by themselves, so without a bound they would pile up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quotas {
    pub drafts: u64,
    pub draft_megabytes: u64,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            drafts: 30,
            draft_megabytes: 200,
        }
    }
}

/// What the pages and the filing need to know of the eID identification.
#[derive(Clone, Debug)]
pub struct EidPolicy {
    /// An identification counts for this long in the session that made it (milliseconds).
    pub max_age_ms: i64,
}
