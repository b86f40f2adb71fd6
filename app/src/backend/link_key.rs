//! The secret e-mailed links' tokens are derived from, at the bottom of the backend: the
//! issuing of tokens, the configuration and the outbox all read it.
use std::sync::Arc;

/// Where a queued e-mail's link carries its token. The outbox keeps this placeholder and a
/// salt, never the token: the worker derives the token from the salt and `LINK_KEY` when it
/// sends the e-mail, so a copy of the database (or of a backup) opens no link.
pub const TOKEN_PLACEHOLDER: &str = "{link-token}";

/// `LINK_KEY`: the secret the e-mailed links' tokens are derived from (the same on every
/// server; never in the database).
#[derive(Clone)]
pub struct LinkKey(Arc<[u8]>);

impl LinkKey {
    pub fn new(secret: &str) -> Self {
        LinkKey(Arc::from(secret.as_bytes()))
    }

    /// The token of a link: HMAC-SHA256 of its salt, URL-safe.
    pub fn token(&self, salt: &str) -> String {
        use base64::Engine as _;
        use hmac::Mac as _;
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.0)
            .expect("HMAC takes a key of any length");
        mac.update(salt.as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }
}

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(hidden)")
    }
}

#[cfg(test)]
mod tests {
    use super::LinkKey;

    #[test]
    fn a_token_is_the_keys_and_the_salts_alone() {
        let key = LinkKey::new("a key of thirty-two characters at least");
        let token = key.token("salt-1");
        assert_eq!(
            token,
            key.token("salt-1"),
            "the worker derives the same token"
        );
        assert_ne!(token, key.token("salt-2"));
        assert_ne!(
            token,
            LinkKey::new("another key of thirty-two characters").token("salt-1")
        );
        // 32 bytes, URL-safe, no padding: it goes in a link as it is.
        assert_eq!(token.len(), 43);
        assert!(token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(format!("{key:?}"), "LinkKey(hidden)");
    }
}
