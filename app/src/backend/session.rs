//! Server-side sessions. The cookie holds 32 random bytes; the table holds their SHA-256,
//! so a copy of the database opens no session. A new token at every sign-in; the row is
//! deleted at sign-out, after 30 minutes unused or 12 hours after sign-in (configurable).
use super::{Db, ServerConfig};
use crate::domain::Lang;
use base64::Engine as _;
use rand::RngCore as _;
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "espace_session";
/// Over https the session cookie carries the `__Host-` prefix: the browser then takes it only
/// from this very host, over TLS, for the whole site, so that a neighbouring subdomain cannot
/// plant a session (fixation) or read it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-espace_session";

/// The session cookie's name for this deployment.
pub fn cookie_name(config: &ServerConfig) -> &'static str {
    if config.secure_cookies {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// `last_seen_at` is written at most this often, not on every request.
const TOUCH_EVERY_MS: i64 = 60_000;

/// The signed-in person, for the request being handled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentUser {
    pub account_id: i64,
    pub session_hash: String,
    pub email: String,
    pub language: Lang,
    pub first_name: String,
    pub last_name: String,
    pub email_verified: bool,
    /// The organisation this session acts for; `None`: the citizen profile.
    pub active: Option<ActiveOrganisation>,
    /// May work in the back office (`server agent add`).
    pub is_agent: bool,
    /// For an agent: the services whose requests they see and process.
    pub services: Vec<String>,
    /// The citizen profile is linked to a national register number (identified once by eID).
    pub verified: bool,
    /// When this session last identified by eID (milliseconds), and at which level.
    pub eid: Option<(i64, String)>,
    /// An agent whose server has eID configured and who has not identified with it in this
    /// session yet: the back office asks for that first (issue 13, agents' accountability).
    pub backoffice_needs_eid: bool,
    /// The organisation profiles the person may act for, by name: the banner's menus, read
    /// with the session (one statement per request for the session, the person and their
    /// profiles; issue 17).
    pub organisations: Vec<crate::model::organisations::OrgSummary>,
    /// The number on the notification bell when the request came in.
    pub unread_notifications: i64,
}

impl CurrentUser {
    /// Refuses anyone but an agent (the back office), and an agent who still has to
    /// identify with eID in this session.
    pub fn require_agent(&self) -> Result<(), crate::error::AppError> {
        if !self.is_agent {
            Err(crate::error::AppError::Forbidden)
        } else if self.backoffice_needs_eid {
            Err(crate::error::AppError::EidRequired)
        } else {
            Ok(())
        }
    }

    /// The level of the eID identification of this session, if it is recent enough.
    pub fn fresh_eid(&self, now: i64, max_age_ms: i64) -> Option<&str> {
        self.eid
            .as_ref()
            .filter(|(at, _)| now - at <= max_age_ms)
            .map(|(_, acr)| acr.as_str())
    }
}

/// An organisation profile a session acts for (its membership is active).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveOrganisation {
    pub id: i64,
    pub name: String,
    pub kind: crate::domain::OrgKind,
    pub bce: String,
    /// A verified representative (else declared): may file what needs one.
    pub verified: bool,
}

/// A fresh random token (for a cookie or an e-mail link) and the hash to store.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(64);
    for byte in Sha256::digest(token.as_bytes()) {
        hex.push(HEX[usize::from(byte >> 4)] as char);
        hex.push(HEX[usize::from(byte & 0xf)] as char);
    }
    hex
}

/// Opens a session for the account; returns the token for the cookie.
pub async fn create(
    db: &Db,
    account_id: i64,
    user_agent: Option<&str>,
    ip: Option<&str>,
) -> Result<String, sqlx::Error> {
    let (token, hash) = new_token();
    let now = super::now_ms();
    sqlx::query(
        "INSERT INTO session (id_hash, account_id, created_at, last_seen_at, user_agent, ip) \
         VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(hash)
    .bind(account_id)
    .bind(now)
    .bind(user_agent.map(|ua| ua.chars().take(300).collect::<String>()))
    .bind(ip)
    .execute(db)
    .await?;
    Ok(token)
}

/// Gives the session a new token (the old one stops working at once), keeping everything
/// else: after a change of privilege (a new password, an eID identification) a token
/// someone may have seen is worth nothing. Returns the new token, for the cookie.
///
/// The row is copied under the new hash, what refers to it (an identification under way)
/// follows, and the old row goes: the key is referenced, so it is not updated in place.
/// A column added to `session` must be added to the copy.
pub async fn rotate(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    old_hash: &str,
) -> Result<String, sqlx::Error> {
    let (token, hash) = new_token();
    sqlx::query(
        "INSERT INTO session (id_hash, account_id, created_at, last_seen_at, user_agent, ip, \
         active_organisation_id, eid_at, eid_acr) \
         SELECT $1, account_id, created_at, last_seen_at, user_agent, ip, \
         active_organisation_id, eid_at, eid_acr FROM session WHERE id_hash = $2",
    )
    .bind(&hash)
    .bind(old_hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE eid_flow SET session_hash = $1 WHERE session_hash = $2")
        .bind(&hash)
        .bind(old_hash)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM session WHERE id_hash = $1")
        .bind(old_hash)
        .execute(&mut **tx)
        .await?;
    Ok(token)
}

/// The person behind a session token, if the session exists and has not expired (an
/// expired session is deleted): the session, the person, the profile it acts for, every
/// profile they may act for and their unread count, in one statement (one row per
/// organisation profile, at least one).
pub async fn load(
    db: &Db,
    config: &ServerConfig,
    token: &str,
    now: i64,
) -> Result<Option<CurrentUser>, sqlx::Error> {
    let hash = hash_token(token);
    let rows = sqlx::query_as::<_, SessionRow>(
        "SELECT s.account_id, s.created_at, s.last_seen_at, a.email, a.language, \
                a.email_verified_at, a.is_agent, p.first_name, p.last_name, \
                p.verified_at, s.eid_at, s.eid_acr, \
                o.id AS org_id, o.name AS org_name, o.kind AS org_kind, o.bce AS org_bce, \
                m.verified_at AS org_verified_at, \
                (SELECT COUNT(*) FROM notification n \
                 WHERE n.account_id = s.account_id AND n.read_at IS NULL) AS unread, \
                mo.id AS member_id, mo.name AS member_name, mo.kind AS member_kind, \
                mo.bce AS member_bce \
         FROM session s \
         JOIN account a ON a.id = s.account_id \
         JOIN citizen_profile p ON p.account_id = a.id \
         LEFT JOIN membership m ON m.organisation_id = s.active_organisation_id \
              AND m.account_id = s.account_id AND m.status = 'active' \
         LEFT JOIN organisation o ON o.id = m.organisation_id AND o.suspended_at IS NULL \
         LEFT JOIN membership mm ON mm.account_id = s.account_id AND mm.status = 'active' \
         LEFT JOIN organisation mo ON mo.id = mm.organisation_id AND mo.suspended_at IS NULL \
         WHERE s.id_hash = $1 \
         ORDER BY mo.name, mo.id",
    )
    .bind(&hash)
    .fetch_all(db)
    .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    if now - row.last_seen_at > config.session_idle_ms
        || now - row.created_at > config.session_max_ms
    {
        delete(db, &hash).await?;
        return Ok(None);
    }
    if now - row.last_seen_at > TOUCH_EVERY_MS {
        sqlx::query("UPDATE session SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(db)
            .await?;
    }
    let mut user = SessionRow::into_user(rows, hash)?;
    // With eID on this server, an agent identifies once per session before the back office
    // opens (a session lasts at most `SESSION_MAX_HOURS`).
    user.backoffice_needs_eid = user.is_agent && config.eid.is_some() && user.eid.is_none();
    if user.is_agent {
        user.services =
            sqlx::query_scalar("SELECT service FROM agent_service WHERE account_id = $1")
                .bind(user.account_id)
                .fetch_all(db)
                .await?;
    }
    Ok(Some(user))
}

/// A session, its person, and the organisation it acts for (columns `org_*`, all null when
/// it acts for the citizen profile); then one organisation profile of the person (columns
/// `member_*`, all null when they have none, or when that organisation is suspended). Two
/// plain left joins, not a parenthesised one: for that, SQLite builds the whole membership ×
/// organisation join first (seen: 60 pages a second instead of a thousand).
#[derive(sqlx::FromRow)]
struct SessionRow {
    account_id: i64,
    created_at: i64,
    last_seen_at: i64,
    email: String,
    #[sqlx(try_from = "String")]
    language: Lang,
    email_verified_at: Option<i64>,
    is_agent: i64,
    first_name: String,
    last_name: String,
    verified_at: Option<i64>,
    eid_at: Option<i64>,
    eid_acr: Option<String>,
    org_id: Option<i64>,
    org_name: Option<String>,
    org_kind: Option<String>,
    org_bce: Option<String>,
    org_verified_at: Option<i64>,
    unread: i64,
    member_id: Option<i64>,
    member_name: Option<String>,
    member_kind: Option<String>,
    member_bce: Option<String>,
}

fn org_kind(kind: &str) -> Result<crate::domain::OrgKind, sqlx::Error> {
    crate::backend::decode("org_kind", kind, crate::domain::OrgKind::parse)
}

impl SessionRow {
    /// The person from the rows of one session (at least one).
    fn into_user(rows: Vec<SessionRow>, session_hash: String) -> Result<CurrentUser, sqlx::Error> {
        let mut organisations = Vec::new();
        let mut first = None;
        for mut row in rows {
            if let (Some(id), Some(name), Some(kind), Some(bce)) = (
                row.member_id,
                row.member_name.take(),
                row.member_kind.take(),
                row.member_bce.take(),
            ) {
                organisations.push(crate::model::organisations::OrgSummary {
                    id,
                    name,
                    kind: org_kind(&kind)?,
                    bce: crate::domain::BceNumber::formatted(&bce),
                });
            }
            first.get_or_insert(row);
        }
        let Some(row) = first else {
            return Err(sqlx::Error::RowNotFound);
        };
        let active = match (row.org_id, row.org_name, row.org_kind, row.org_bce) {
            (Some(id), Some(name), Some(kind), Some(bce)) => Some(ActiveOrganisation {
                id,
                name,
                kind: org_kind(&kind)?,
                bce: crate::domain::BceNumber::formatted(&bce),
                verified: row.org_verified_at.is_some(),
            }),
            _ => None,
        };
        Ok(CurrentUser {
            account_id: row.account_id,
            session_hash,
            email: row.email,
            language: row.language,
            first_name: row.first_name,
            last_name: row.last_name,
            email_verified: row.email_verified_at.is_some(),
            active,
            is_agent: row.is_agent != 0,
            services: Vec::new(),
            verified: row.verified_at.is_some(),
            eid: row.eid_at.zip(row.eid_acr),
            backoffice_needs_eid: false,
            organisations,
            unread_notifications: row.unread,
        })
    }
}

/// Makes the session act for an organisation (`None`: the citizen profile). The caller
/// checked the membership.
pub async fn set_active(
    db: &Db,
    hash: &str,
    organisation_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE session SET active_organisation_id = $1 WHERE id_hash = $2")
        .bind(organisation_id)
        .bind(hash)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete(db: &Db, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM session WHERE id_hash = $1")
        .bind(hash)
        .execute(db)
        .await?;
    Ok(())
}

/// The `Set-Cookie` value carrying a session token.
pub fn cookie(token: &str, config: &ServerConfig) -> String {
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax{}",
        cookie_name(config),
        if config.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(config: &ServerConfig) -> String {
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        cookie_name(config),
        if config.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    )
}

/// The session token in a `Cookie` header, if any, under the deployment's cookie name only
/// (over https a plain `espace_session` is not a session).
pub fn token_from_cookie_header<'h>(header: &'h str, config: &ServerConfig) -> Option<&'h str> {
    let wanted = cookie_name(config);
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == wanted && !value.is_empty()).then_some(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_a, hash_token(&a));
        assert_eq!(hash_a.len(), 64);
        assert_ne!(hash_a, a);
    }

    #[test]
    fn cookie_attributes() {
        let mut config = ServerConfig {
            base_url: "http://127.0.0.1:3000".into(),
            secure_cookies: false,
            session_idle_ms: 1,
            session_max_ms: 1,
            catalogue: Default::default(),
            eid: None,
            link_key: crate::backend::link_key::LinkKey::new("k"),
            send_limits: Default::default(),
            quotas: Default::default(),
        };
        assert_eq!(
            cookie("t", &config),
            "espace_session=t; Path=/; HttpOnly; SameSite=Lax"
        );
        assert_eq!(
            token_from_cookie_header("lang=nl; espace_session=abc", &config),
            Some("abc")
        );
        assert_eq!(token_from_cookie_header("espace_session=", &config), None);
        assert_eq!(token_from_cookie_header("lang=nl", &config), None);

        // Over https: the __Host- prefix (Secure, Path=/, no Domain), and only that name.
        config.secure_cookies = true;
        assert_eq!(
            cookie("t", &config),
            "__Host-espace_session=t; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        assert!(clear_cookie(&config).starts_with("__Host-espace_session=;"));
        assert!(clear_cookie(&config).contains("Max-Age=0"));
        assert_eq!(
            token_from_cookie_header("__Host-espace_session=abc; lang=fr", &config),
            Some("abc")
        );
        assert_eq!(
            token_from_cookie_header("espace_session=planted", &config),
            None
        );
    }
}
