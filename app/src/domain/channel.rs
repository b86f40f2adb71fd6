//! How a person wants to be told about their requests: in the espace only, or also by
//! e-mail ("Préférences").
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    InApp,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::InApp => "in_app",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Channel::Email, Channel::InApp]
            .into_iter()
            .find(|channel| channel.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_read_back_their_codes_and_nothing_else() {
        for channel in [Channel::Email, Channel::InApp] {
            assert_eq!(Channel::parse(channel.code()), Some(channel));
        }
        assert_eq!(Channel::parse("sms"), None);
        assert_eq!(Channel::parse("Email"), None);
    }
}
