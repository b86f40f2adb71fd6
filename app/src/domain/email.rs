//! An e-mail address: the account's identifier, unique without regard to case.
use email_address::{EmailAddress, Options};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A valid address, trimmed and in lower case (how it is stored and compared).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum EmailError {
    #[error("the e-mail address is empty")]
    Empty,
    #[error("the e-mail address is too long (254 characters at most)")]
    TooLong,
    #[error("this is not a valid e-mail address")]
    Invalid,
}

impl EmailError {
    pub fn code(self) -> &'static str {
        match self {
            EmailError::Empty => "email.empty",
            EmailError::TooLong => "email.too_long",
            EmailError::Invalid => "email.invalid",
        }
    }
}

impl Email {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.chars().count() > 254 {
            return Err(EmailError::TooLong);
        }
        // A real mailbox: no display name, no IP literal, a domain with a dot.
        let options = Options::default()
            .with_required_tld()
            .without_domain_literal()
            .without_display_text();
        let address =
            EmailAddress::parse_with_options(trimmed, options).map_err(|_| EmailError::Invalid)?;
        Ok(Email(address.as_str().to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(
            Email::parse("  Jan.Peeters@Example.BE ").unwrap().as_str(),
            "jan.peeters@example.be"
        );
        assert!(Email::parse("a+tag@sub.example.be").is_ok());
    }

    #[test]
    fn typed_errors() {
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
        assert_eq!(Email::parse("jan"), Err(EmailError::Invalid));
        assert_eq!(Email::parse("jan@"), Err(EmailError::Invalid));
        assert_eq!(Email::parse("jan@localhost"), Err(EmailError::Invalid));
        assert_eq!(Email::parse("jan@[127.0.0.1]"), Err(EmailError::Invalid));
        assert_eq!(
            Email::parse("Jan <jan@example.be>"),
            Err(EmailError::Invalid)
        );
        assert_eq!(Email::parse("jan @example.be"), Err(EmailError::Invalid));
        let long = format!("{}@example.be", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }

    proptest! {
        #[test]
        fn never_panics(input in ".{0,64}") {
            let _ = Email::parse(&input);
        }

        #[test]
        fn parsing_is_idempotent(local in "[a-z0-9._%+-]{1,20}", domain in "[a-z0-9-]{1,20}\\.(be|eu|com)") {
            if let Ok(email) = Email::parse(&format!("{local}@{domain}")) {
                prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
            }
        }
    }
}
