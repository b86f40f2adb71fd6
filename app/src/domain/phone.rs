//! Telephone numbers, stored in E.164 (`+32…`): Belgian ones checked by the Belgian rules
//! below, foreign ones (`+33 1 23 45 67 89`, `0044 20 7946 0958`) by E.164's own (a country
//! code, then at most 15 digits in all).
//!
//! Accepted: `02 123 45 67`, `02/123.45.67`, `0470 12 34 56`, `+32 470 12 34 56`,
//! `0032 470 12 34 56`, `+32 (0)2 123 45 67`. After the country code or the trunk `0`, a
//! Belgian number has 8 digits for a fixed line (zone 2, 3, 4 or 9 followed by 7 digits, or a
//! two-digit zone followed by 6 digits; also the non-geographic 70, 78, 800, 90…) and 9
//! digits for a mobile (45 to 49 followed by 7 digits). Length alone tells a Liège landline
//! `04 123 45 67` from a mobile `0471 23 45 67`.
use serde::{Deserialize, Serialize};
use std::fmt;

/// Fixed line or mobile (a Belgian number); a foreign number is not told apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhoneKind {
    Landline,
    Mobile,
    Foreign,
}

/// A valid number: Belgian, or foreign in E.164.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber {
    /// A Belgian number's national significant number (the digits after `+32`), or every
    /// digit of a foreign number after the `+`.
    nsn: String,
    belgian: bool,
}

/// E.164: at most 15 digits, country code included. Fewer than 7 is no real number.
const E164_DIGITS: std::ops::RangeInclusive<usize> = 7..=15;

/// Why a text is not the Belgian number asked for. Each variant has its translated message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PhoneError {
    #[error("the phone number is empty")]
    Empty,
    #[error("a phone number may hold only digits, spaces, dots, slashes, dashes and a leading +")]
    InvalidCharacter,
    #[error("an international number is + (or 00), a country code, then 7 to 15 digits in all")]
    InvalidInternational,
    #[error("a Belgian number starts with 0 or +32")]
    MissingPrefix,
    #[error("this is not a valid Belgian number: wrong number of digits")]
    WrongLength,
    #[error("this is a mobile number; a landline number is expected here")]
    ExpectedLandline,
    #[error("this is a landline number; a mobile number (04xx) is expected here")]
    ExpectedMobile,
}

impl PhoneError {
    /// A stable code for the UI to translate.
    pub fn code(self) -> &'static str {
        match self {
            PhoneError::Empty => "phone.empty",
            PhoneError::InvalidCharacter => "phone.invalid_character",
            PhoneError::InvalidInternational => "phone.invalid_international",
            PhoneError::MissingPrefix => "phone.missing_prefix",
            PhoneError::WrongLength => "phone.wrong_length",
            PhoneError::ExpectedLandline => "phone.expected_landline",
            PhoneError::ExpectedMobile => "phone.expected_mobile",
        }
    }
}

/// Zones whose code is one digit (Brussels, Antwerp, Liège, Ghent): 7 digits follow.
const ONE_DIGIT_ZONES: [u8; 4] = [b'2', b'3', b'4', b'9'];

impl PhoneNumber {
    /// Parses any number: Belgian (fixed or mobile) or foreign.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PhoneError::Empty);
        }
        let international = trimmed.starts_with('+');
        let mut digits = String::with_capacity(16);
        let mut rest = if international {
            &trimmed[1..]
        } else {
            trimmed
        };
        // "+32 (0)2 …": the (0) is the trunk prefix written for national callers.
        let owned;
        if international {
            owned = rest.replacen("(0)", "", 1);
            rest = &owned;
        }
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' | '/' | '-' | '(' | ')' | '\u{a0}' => {}
                _ => return Err(PhoneError::InvalidCharacter),
            }
        }
        if digits.is_empty() {
            return Err(PhoneError::Empty);
        }
        let nsn = if international {
            digits.as_str()
        } else if let Some(after_idd) = digits.strip_prefix("00") {
            after_idd
        } else {
            let nsn = digits.strip_prefix('0').ok_or(PhoneError::MissingPrefix)?;
            return Self::belgian(nsn);
        };
        match nsn.strip_prefix("32") {
            Some(belgian) => Self::belgian(belgian),
            None => Self::foreign(nsn),
        }
    }

    /// A foreign number: a country code (never starting with 0), at most 15 digits in all.
    fn foreign(digits: &str) -> Result<Self, PhoneError> {
        if digits.starts_with('0') || !E164_DIGITS.contains(&digits.len()) {
            return Err(PhoneError::InvalidInternational);
        }
        Ok(PhoneNumber {
            nsn: digits.to_string(),
            belgian: false,
        })
    }

    /// The Belgian rules, on the digits after `+32` (or the trunk `0`).
    fn belgian(nsn: &str) -> Result<Self, PhoneError> {
        let bytes = nsn.as_bytes();
        let valid = match bytes.len() {
            8 => bytes[0] != b'0',
            9 => bytes[0] == b'4' && (b'5'..=b'9').contains(&bytes[1]),
            _ => false,
        };
        if !valid {
            return Err(PhoneError::WrongLength);
        }
        Ok(PhoneNumber {
            nsn: nsn.to_string(),
            belgian: true,
        })
    }

    /// Parses a fixed-line number: a Belgian mobile number is refused (a foreign number
    /// cannot be told apart, and is taken).
    pub fn parse_landline(input: &str) -> Result<Self, PhoneError> {
        let number = Self::parse(input)?;
        match number.kind() {
            PhoneKind::Landline | PhoneKind::Foreign => Ok(number),
            PhoneKind::Mobile => Err(PhoneError::ExpectedLandline),
        }
    }

    /// Parses a mobile number: a Belgian fixed-line number is refused (a foreign number
    /// cannot be told apart, and is taken).
    pub fn parse_mobile(input: &str) -> Result<Self, PhoneError> {
        let number = Self::parse(input)?;
        match number.kind() {
            PhoneKind::Mobile | PhoneKind::Foreign => Ok(number),
            PhoneKind::Landline => Err(PhoneError::ExpectedMobile),
        }
    }

    pub fn kind(&self) -> PhoneKind {
        if !self.belgian {
            PhoneKind::Foreign
        } else if self.nsn.len() == 9 {
            PhoneKind::Mobile
        } else {
            PhoneKind::Landline
        }
    }

    /// An optional field expecting `kind`: empty means no number.
    pub fn parse_optional(input: &str, kind: PhoneKind) -> Result<Option<Self>, PhoneError> {
        if input.trim().is_empty() {
            return Ok(None);
        }
        match kind {
            PhoneKind::Landline => Self::parse_landline(input),
            PhoneKind::Mobile => Self::parse_mobile(input),
            PhoneKind::Foreign => Self::parse(input),
        }
        .map(Some)
    }

    /// A stored number as a form shows it (the national spelling); a value that does not
    /// read as a number is shown as it is.
    pub fn stored_for_form(stored: &str) -> String {
        Self::parse(stored).map_or_else(|_| stored.to_string(), |number| number.national())
    }

    /// `+3221234567`: how it is stored.
    pub fn e164(&self) -> String {
        if self.belgian {
            format!("+32{}", self.nsn)
        } else {
            format!("+{}", self.nsn)
        }
    }

    /// The national spelling Belgians read: `02 123 45 67`, `010 12 34 56`, `0470 12 34 56`;
    /// a foreign number in E.164 (`+33123456789`).
    pub fn national(&self) -> String {
        let n = &self.nsn;
        match self.kind() {
            PhoneKind::Foreign => self.e164(),
            PhoneKind::Mobile => format!("0{} {} {} {}", &n[..3], &n[3..5], &n[5..7], &n[7..]),
            PhoneKind::Landline if ONE_DIGIT_ZONES.contains(&n.as_bytes()[0]) => {
                format!("0{} {} {} {}", &n[..1], &n[1..4], &n[4..6], &n[6..])
            }
            PhoneKind::Landline => format!("0{} {} {} {}", &n[..2], &n[2..4], &n[4..6], &n[6..]),
        }
    }
}

impl fmt::Display for PhoneNumber {
    /// The international spelling: `+32 2 123 45 67`, `+32 470 12 34 56`, `+33123456789`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.belgian {
            write!(f, "+32 {}", &self.national()[1..])
        } else {
            f.write_str(&self.e164())
        }
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = PhoneError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(value: PhoneNumber) -> Self {
        value.e164()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_fields_and_stored_values() {
        assert_eq!(
            PhoneNumber::parse_optional("  ", PhoneKind::Mobile),
            Ok(None)
        );
        assert_eq!(
            PhoneNumber::parse_optional("0470 12 34 56", PhoneKind::Landline),
            Err(PhoneError::ExpectedLandline)
        );
        assert_eq!(PhoneNumber::stored_for_form("+3241234567"), "04 123 45 67");
        assert_eq!(PhoneNumber::stored_for_form(""), "");
    }
    use proptest::prelude::*;

    #[test]
    fn accepts_the_usual_spellings() {
        for (input, e164, kind) in [
            ("02 123 45 67", "+3221234567", PhoneKind::Landline),
            ("02/123.45.67", "+3221234567", PhoneKind::Landline),
            ("+32 2 123 45 67", "+3221234567", PhoneKind::Landline),
            ("+32 (0)2 123 45 67", "+3221234567", PhoneKind::Landline),
            ("0032 2 123 45 67", "+3221234567", PhoneKind::Landline),
            ("010 12 34 56", "+3210123456", PhoneKind::Landline),
            ("0470 12 34 56", "+32470123456", PhoneKind::Mobile),
            ("+32 470 12 34 56", "+32470123456", PhoneKind::Mobile),
            ("+32470123456", "+32470123456", PhoneKind::Mobile),
            ("0032470123456", "+32470123456", PhoneKind::Mobile),
            ("0456 78 90 12", "+32456789012", PhoneKind::Mobile),
            ("0800 12 345", "+3280012345", PhoneKind::Landline),
        ] {
            let number = PhoneNumber::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(number.e164(), e164, "{input}");
            assert_eq!(number.kind(), kind, "{input}");
        }
    }

    #[test]
    fn liege_landlines_start_with_04_and_are_not_mobiles() {
        let liege = PhoneNumber::parse_landline("04 123 45 67").unwrap();
        assert_eq!(liege.e164(), "+3241234567");
        assert_eq!(liege.national(), "04 123 45 67");
        assert_eq!(liege.to_string(), "+32 4 123 45 67");
        assert_eq!(
            PhoneNumber::parse_mobile("04 123 45 67"),
            Err(PhoneError::ExpectedMobile)
        );
        assert_eq!(
            PhoneNumber::parse_landline("0471 23 45 67"),
            Err(PhoneError::ExpectedLandline)
        );
        assert!(PhoneNumber::parse_mobile("0471 23 45 67").is_ok());
    }

    #[test]
    fn displays_national_and_international_spellings() {
        let brussels = PhoneNumber::parse("+3221234567").unwrap();
        assert_eq!(brussels.national(), "02 123 45 67");
        assert_eq!(brussels.to_string(), "+32 2 123 45 67");
        let namur = PhoneNumber::parse("081 23 45 67").unwrap();
        assert_eq!(namur.national(), "081 23 45 67");
        let mobile = PhoneNumber::parse("+32470123456").unwrap();
        assert_eq!(mobile.national(), "0470 12 34 56");
        assert_eq!(mobile.to_string(), "+32 470 12 34 56");
    }

    #[test]
    fn foreign_numbers_are_taken_in_e164_and_belgian_ones_keep_their_rules() {
        for (input, e164) in [
            ("+33 1 23 45 67 89", "+33123456789"),
            ("0033 6 12 34 56 78", "+33612345678"),
            ("+31 (0)20 123 4567", "+31201234567"),
            ("+44 20 7946 0958", "+442079460958"),
            ("+1 202-555-0143", "+12025550143"),
        ] {
            let number = PhoneNumber::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(number.e164(), e164, "{input}");
            assert_eq!(number.kind(), PhoneKind::Foreign);
            assert_eq!(number.to_string(), e164);
            assert_eq!(PhoneNumber::stored_for_form(e164), e164);
            // Either contact field takes it: nothing tells a foreign mobile apart.
            assert!(PhoneNumber::parse_landline(input).is_ok());
            assert!(PhoneNumber::parse_mobile(input).is_ok());
        }
        // +32 is always read by the Belgian rules.
        assert_eq!(
            PhoneNumber::parse("+32 470 12 34 567"),
            Err(PhoneError::WrongLength)
        );
        assert_eq!(
            PhoneNumber::parse_landline("+32 470 12 34 56"),
            Err(PhoneError::ExpectedLandline)
        );
    }

    #[test]
    fn typed_errors() {
        assert_eq!(PhoneNumber::parse(""), Err(PhoneError::Empty));
        assert_eq!(PhoneNumber::parse(" + "), Err(PhoneError::Empty));
        assert_eq!(
            PhoneNumber::parse("02 123 45 6x"),
            Err(PhoneError::InvalidCharacter)
        );
        assert_eq!(
            PhoneNumber::parse("+33 1"),
            Err(PhoneError::InvalidInternational)
        );
        assert_eq!(
            PhoneNumber::parse("+44 20 7946 0958 1234 56"),
            Err(PhoneError::InvalidInternational),
            "over 15 digits"
        );
        assert_eq!(
            PhoneNumber::parse("000 44 20 7946 0958"),
            Err(PhoneError::InvalidInternational),
            "no country code starts with 0"
        );
        assert_eq!(
            PhoneNumber::parse("2 123 45 67"),
            Err(PhoneError::MissingPrefix)
        );
        assert_eq!(
            PhoneNumber::parse("02 123 45 6"),
            Err(PhoneError::WrongLength)
        );
        assert_eq!(
            PhoneNumber::parse("0470 12 34 567"),
            Err(PhoneError::WrongLength)
        );
        assert_eq!(
            PhoneNumber::parse("0370 12 34 56"),
            Err(PhoneError::WrongLength)
        );
        assert_eq!(
            PhoneNumber::parse("+32 0 123 45 67"),
            Err(PhoneError::WrongLength)
        );
    }

    #[test]
    fn serde_stores_e164_and_validates() {
        let number = PhoneNumber::parse("0470 12 34 56").unwrap();
        assert_eq!(serde_json::to_string(&number).unwrap(), "\"+32470123456\"");
        let back: PhoneNumber = serde_json::from_str("\"+32470123456\"").unwrap();
        assert_eq!(back, number);
        assert!(serde_json::from_str::<PhoneNumber>("\"+3247012\"").is_err());
        let paris: PhoneNumber = serde_json::from_str("\"+33612345678\"").unwrap();
        assert_eq!(paris.kind(), PhoneKind::Foreign);
    }

    proptest! {
        #[test]
        fn every_valid_number_round_trips(
            mobile in any::<bool>(),
            second in 5u8..10,
            zone in 1u8..10,
            rest in 0u32..10_000_000,
        ) {
            let nsn = if mobile {
                format!("4{second}{rest:07}")
            } else {
                format!("{zone}{rest:07}")
            };
            let number = PhoneNumber::parse(&format!("+32{nsn}")).unwrap();
            prop_assert_eq!(number.e164(), format!("+32{nsn}"));
            prop_assert_eq!(PhoneNumber::parse(&number.national()), Ok(number.clone()));
            prop_assert_eq!(PhoneNumber::parse(&number.to_string()), Ok(number.clone()));
            prop_assert_eq!(number.kind() == PhoneKind::Mobile, mobile);
        }

        #[test]
        fn arbitrary_text_never_panics(input in ".{0,24}") {
            let _ = PhoneNumber::parse(&input);
        }
    }
}
