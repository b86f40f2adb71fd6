//! The Banque-Carrefour des Entreprises / Kruispuntbank van Ondernemingen number.
//!
//! Ten digits, the first one 0 or 1, and the last two equal to `97 - (first eight mod 97)`.
//! Accepted spellings: `0123.456.749`, `0123 456 749`, `0123456749`, `BE0123456749`,
//! `BE 0123.456.749`, `123456749` (nine digits: an older number, a leading 0 is added).
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A valid BCE/KBO number, stored as its ten digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BceNumber([u8; 10]);

/// Why a text is not a BCE number. Each variant has its own translated message in the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum BceError {
    #[error("the BCE number is empty")]
    Empty,
    #[error("the BCE number may hold only digits, spaces, dots and the BE prefix")]
    InvalidCharacter,
    #[error("the BCE number has {0} digits; it must have 10 (or 9 for older numbers)")]
    WrongLength(usize),
    #[error("a BCE number starts with 0 or 1")]
    BadLeadingDigit,
    #[error("the check digits of this BCE number do not match")]
    BadCheckDigits,
}

impl BceError {
    /// A stable code for the UI to translate.
    pub fn code(self) -> &'static str {
        match self {
            BceError::Empty => "bce.empty",
            BceError::InvalidCharacter => "bce.invalid_character",
            BceError::WrongLength(_) => "bce.wrong_length",
            BceError::BadLeadingDigit => "bce.bad_leading_digit",
            BceError::BadCheckDigits => "bce.bad_check_digits",
        }
    }
}

impl BceNumber {
    /// A stored number as people read it (`0123.456.749`); as stored when it does not parse.
    pub fn formatted(stored: &str) -> String {
        BceNumber::parse(stored).map_or_else(|_| stored.to_string(), |n| n.to_string())
    }

    /// Parses any accepted spelling.
    pub fn parse(input: &str) -> Result<Self, BceError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(BceError::Empty);
        }
        let without_prefix = match trimmed.get(..2) {
            Some(prefix) if prefix.eq_ignore_ascii_case("BE") => &trimmed[2..],
            _ => trimmed,
        };
        let mut digits = Vec::with_capacity(10);
        for c in without_prefix.chars() {
            match c {
                '0'..='9' => digits.push(c as u8 - b'0'),
                ' ' | '.' | '\u{a0}' | '-' => {}
                _ => return Err(BceError::InvalidCharacter),
            }
        }
        match digits.len() {
            10 => {}
            9 => digits.insert(0, 0),
            0 => return Err(BceError::Empty),
            n => return Err(BceError::WrongLength(n)),
        }
        let mut number = [0u8; 10];
        number.copy_from_slice(&digits);
        if number[0] > 1 {
            return Err(BceError::BadLeadingDigit);
        }
        if check_digits(&number) != u32::from(number[8]) * 10 + u32::from(number[9]) {
            return Err(BceError::BadCheckDigits);
        }
        Ok(BceNumber(number))
    }

    /// The ten digits, as stored in the database: `0123456749`.
    pub fn digits(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }
}

/// `97 - (first eight digits mod 97)`.
fn check_digits(number: &[u8; 10]) -> u32 {
    let base = number[..8]
        .iter()
        .fold(0u32, |acc, d| acc * 10 + u32::from(*d));
    97 - base % 97
}

impl fmt::Display for BceNumber {
    /// The official display: `0123.456.749`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        write!(f, "{}.{}.{}", &d[..4], &d[4..7], &d[7..])
    }
}

impl FromStr for BceNumber {
    type Err = BceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for BceNumber {
    type Error = BceError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<BceNumber> for String {
    fn from(value: BceNumber) -> Self {
        value.digits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_every_documented_spelling() {
        for input in [
            "0123.456.749",
            "0123 456 749",
            "0123456749",
            "BE0123456749",
            "be 0123.456.749",
            "123456749",
            "  0123.456.749  ",
        ] {
            let number = BceNumber::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(number.digits(), "0123456749", "{input}");
            assert_eq!(number.to_string(), "0123.456.749", "{input}");
        }
    }

    #[test]
    fn accepts_real_numbers_starting_with_1() {
        // 10000000 mod 97 = 76, so the check digits are 97 - 76 = 21.
        assert_eq!(
            BceNumber::parse("1000.000.021").map(|n| n.to_string()),
            Ok("1000.000.021".to_string())
        );
    }

    #[test]
    fn typed_errors() {
        assert_eq!(BceNumber::parse(""), Err(BceError::Empty));
        assert_eq!(BceNumber::parse("   "), Err(BceError::Empty));
        assert_eq!(BceNumber::parse("BE"), Err(BceError::Empty));
        assert_eq!(
            BceNumber::parse("0123.456.74x"),
            Err(BceError::InvalidCharacter)
        );
        assert_eq!(BceNumber::parse("01234567"), Err(BceError::WrongLength(8)));
        assert_eq!(
            BceNumber::parse("012345674912"),
            Err(BceError::WrongLength(12))
        );
        assert_eq!(
            BceNumber::parse("2123456749"),
            Err(BceError::BadLeadingDigit)
        );
        assert_eq!(
            BceNumber::parse("0123.456.748"),
            Err(BceError::BadCheckDigits)
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for input in ["é", "BEé", "Bé", "ＢＥ0123456749", "0123.456.749\u{0}"] {
            assert!(BceNumber::parse(input).is_err(), "{input}");
        }
    }

    #[test]
    fn serde_uses_the_ten_digits_and_validates() {
        let number = BceNumber::parse("0123.456.749").unwrap();
        assert_eq!(serde_json::to_string(&number).unwrap(), "\"0123456749\"");
        let back: BceNumber = serde_json::from_str("\"0123456749\"").unwrap();
        assert_eq!(back, number);
        assert!(serde_json::from_str::<BceNumber>("\"0123456748\"").is_err());
    }

    fn valid_number() -> impl Strategy<Value = String> {
        (0u32..2, 0u32..10_000_000).prop_map(|(first, rest)| {
            let base = first * 10_000_000 + rest;
            format!("{base:08}{:02}", 97 - base % 97)
        })
    }

    proptest! {
        #[test]
        fn every_valid_number_round_trips(digits in valid_number()) {
            let parsed = BceNumber::parse(&digits).unwrap();
            prop_assert_eq!(parsed.digits(), digits.clone());
            let displayed = parsed.to_string();
            prop_assert_eq!(BceNumber::parse(&displayed), Ok(parsed));
            prop_assert_eq!(BceNumber::parse(&format!("BE{digits}")), Ok(parsed));
        }

        #[test]
        fn changing_any_single_digit_is_rejected(
            digits in valid_number(),
            position in 0usize..10,
            delta in 1u8..10,
        ) {
            let mut bytes = digits.into_bytes();
            bytes[position] = b'0' + (bytes[position] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(BceNumber::parse(&changed).is_err(), "{} was accepted", changed);
        }

        #[test]
        fn arbitrary_text_never_panics(input in ".{0,20}") {
            let _ = BceNumber::parse(&input);
        }
    }
}
