//! The rules a new password must meet: 12 to 128 characters, no composition rules, and not
//! one of the passwords attackers try first (checked on the server with the zxcvbn
//! estimator, which knows the common passwords, names, words and keyboard patterns).
use serde::{Deserialize, Serialize};

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

/// A password that meets the rules. Never serialised: it only goes from a form to the hasher.
pub struct NewPassword(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PasswordError {
    #[error("the password has fewer than 12 characters")]
    TooShort,
    #[error("the password has more than 128 characters")]
    TooLong,
    #[error("the password is too easy to guess")]
    TooCommon,
    #[error("the two passwords differ")]
    Mismatch,
}

impl PasswordError {
    pub fn code(self) -> &'static str {
        match self {
            PasswordError::TooShort => "password.too_short",
            PasswordError::TooLong => "password.too_long",
            PasswordError::TooCommon => "password.too_common",
            PasswordError::Mismatch => "password.mismatch",
        }
    }
}

impl NewPassword {
    /// Checks the length (in characters, whatever the script), then, on the server, how easy
    /// it is to guess. `context` holds what must not make the password easy: the e-mail
    /// address and the names of the person.
    pub fn parse(input: &str, context: &[&str]) -> Result<Self, PasswordError> {
        let chars = input.chars().count();
        if chars < MIN_CHARS || input.trim().is_empty() {
            return Err(PasswordError::TooShort);
        }
        if chars > MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        #[cfg(feature = "ssr")]
        if zxcvbn::zxcvbn(input, context).score() < zxcvbn::Score::Three {
            return Err(PasswordError::TooCommon);
        }
        #[cfg(not(feature = "ssr"))]
        let _ = context;
        Ok(NewPassword(input.to_string()))
    }

    /// The password and its confirmation, as a form sends them.
    pub fn parse_confirmed(
        input: &str,
        confirmation: &str,
        context: &[&str],
    ) -> Result<Self, PasswordError> {
        let password = Self::parse(input, context)?;
        if input != confirmation {
            return Err(PasswordError::Mismatch);
        }
        Ok(password)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters() {
        assert_eq!(
            NewPassword::parse("short", &[]).unwrap_err(),
            PasswordError::TooShort
        );
        assert_eq!(
            NewPassword::parse("            ", &[]).unwrap_err(),
            PasswordError::TooShort
        );
        assert_eq!(
            NewPassword::parse(&"é".repeat(11), &[]).unwrap_err(),
            PasswordError::TooShort
        );
        assert_eq!(
            NewPassword::parse(&"x".repeat(129), &[]).unwrap_err(),
            PasswordError::TooLong
        );
        assert!(NewPassword::parse("vélo rouge sous la pluie de mars", &[]).is_ok());
        let long: String = (0u32..128)
            .map(|i| char::from(b'!' + ((i * 37 + i * i * 11) % 90) as u8))
            .collect();
        assert_eq!(long.chars().count(), 128);
        assert!(NewPassword::parse(&long, &[]).is_ok());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn common_passwords_are_refused() {
        for common in [
            "password1234",
            "123456789012",
            "azertyuiopqs",
            "qwertyuiop12",
            "iloveyou1234",
        ] {
            assert_eq!(
                NewPassword::parse(common, &[]).unwrap_err(),
                PasswordError::TooCommon,
                "{common}"
            );
        }
        assert_eq!(
            NewPassword::parse(
                "jan.peeters@example.be",
                &["jan.peeters@example.be", "Jan", "Peeters"]
            )
            .unwrap_err(),
            PasswordError::TooCommon
        );
    }

    #[test]
    fn confirmation_must_match() {
        assert_eq!(
            NewPassword::parse_confirmed(
                "vélo rouge sous la pluie",
                "vélo rouge sous la pluiE",
                &[]
            )
            .unwrap_err(),
            PasswordError::Mismatch
        );
        assert!(NewPassword::parse_confirmed(
            "vélo rouge sous la pluie",
            "vélo rouge sous la pluie",
            &[]
        )
        .is_ok());
    }

    #[test]
    fn never_printed() {
        let password = NewPassword::parse("vélo rouge sous la pluie", &[]).unwrap();
        assert_eq!(format!("{password:?}"), "NewPassword(***)");
    }
}
