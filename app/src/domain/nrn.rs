//! The Belgian national register number (numéro de registre national / rijksregisternummer):
//! eleven digits `YY.MM.DD-SSS.CC`, where `CC` is 97 minus the first nine digits modulo 97
//! (for people born from 2000 on, the nine digits are prefixed with a 2 before the modulo).
//!
//! It arrives only from the identity provider; it is never shown in full (see [`Nrn::hint`]).
use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct Nrn(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NrnError {
    /// Not eleven digits once the usual separators are removed.
    Format,
    /// The check digits do not match.
    Checksum,
}

impl Nrn {
    /// Accepts `85073003328`, `85.07.30-033.28` and the like.
    pub fn parse(input: &str) -> Result<Self, NrnError> {
        let digits: String = input
            .chars()
            .filter(|c| !matches!(c, '.' | '-' | ' '))
            .collect();
        if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NrnError::Format);
        }
        let base: u64 = digits[..9].parse().map_err(|_| NrnError::Format)?;
        let check: u64 = digits[9..].parse().map_err(|_| NrnError::Format)?;
        let before_2000 = 97 - base % 97;
        let from_2000 = 97 - (2_000_000_000 + base) % 97;
        if check == before_2000 || check == from_2000 {
            Ok(Nrn(digits))
        } else {
            Err(NrnError::Checksum)
        }
    }

    /// The eleven digits, for the keyed hash only.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// What may be shown: the check digits only, `••.••.••-•••.28`.
    pub fn hint(&self) -> String {
        format!("••.••.••-•••.{}", &self.0[9..])
    }
}

/// Never prints the number itself, even in logs.
impl fmt::Debug for Nrn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nrn({})", self.hint())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_numbers_born_before_and_after_2000() {
        // 850730 033: 97 - (850730033 mod 97) = 28.
        assert_eq!(Nrn::parse("85073003328").unwrap().digits(), "85073003328");
        assert_eq!(
            Nrn::parse("85.07.30-033.28").unwrap().digits(),
            "85073003328"
        );
        // 010101 001 (born 2001): 97 - (2010101001 mod 97).
        let check = 97 - (2_010_101_001u64 % 97);
        let number = format!("010101001{check:02}");
        assert!(Nrn::parse(&number).is_ok(), "{number}");
    }

    #[test]
    fn refuses_bad_numbers() {
        assert_eq!(Nrn::parse("85073003329"), Err(NrnError::Checksum));
        assert_eq!(Nrn::parse("8507300332"), Err(NrnError::Format));
        assert_eq!(Nrn::parse("8507300332a"), Err(NrnError::Format));
        assert_eq!(Nrn::parse(""), Err(NrnError::Format));
    }

    #[test]
    fn shows_only_the_check_digits() {
        let nrn = Nrn::parse("85073003328").unwrap();
        assert_eq!(nrn.hint(), "••.••.••-•••.28");
        assert!(!format!("{nrn:?}").contains("850730"));
    }
}
