//! How a person wants to be told of each kind of event ("Préférences"): by e-mail, in the
//! espace, or both.
use serde::{Deserialize, Serialize};

/// Where a notification goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// By e-mail only.
    Email,
    /// In the espace only (the bell and the "Notifications" page).
    InApp,
    /// Both.
    Both,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Both, Channel::Email, Channel::InApp];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::InApp => "in_app",
            Channel::Both => "both",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|channel| channel.code() == code)
    }

    pub fn by_email(self) -> bool {
        self != Channel::InApp
    }

    pub fn in_app(self) -> bool {
        self != Channel::Email
    }
}

/// The kinds of event a person chooses a channel for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// A request's status changes (filed, in treatment, accepted, refused…).
    Status,
    /// The administration asks for documents.
    Documents,
    /// A message about a request.
    Messages,
    /// Access to the organisation profiles: asked, granted, refused, ended, and the
    /// decisions on a representative's verification or a dispute.
    Access,
}

impl Topic {
    pub const ALL: [Topic; 4] = [
        Topic::Status,
        Topic::Documents,
        Topic::Messages,
        Topic::Access,
    ];

    /// Its column in `account` (`notify_status`…).
    pub fn column(self) -> &'static str {
        match self {
            Topic::Status => "notify_status",
            Topic::Documents => "notify_documents",
            Topic::Messages => "notify_messages",
            Topic::Access => "notify_access",
        }
    }

    /// Its field in the préférences form (`status`…).
    pub fn code(self) -> &'static str {
        match self {
            Topic::Status => "status",
            Topic::Documents => "documents",
            Topic::Messages => "messages",
            Topic::Access => "access",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_read_back_their_codes_and_nothing_else() {
        for channel in Channel::ALL {
            assert_eq!(Channel::parse(channel.code()), Some(channel));
        }
        assert_eq!(Channel::parse("sms"), None);
        assert_eq!(Channel::parse("Email"), None);
    }

    #[test]
    fn each_channel_says_where_it_goes() {
        assert!(Channel::Both.by_email() && Channel::Both.in_app());
        assert!(Channel::Email.by_email() && !Channel::Email.in_app());
        assert!(!Channel::InApp.by_email() && Channel::InApp.in_app());
    }
}
