//! The notification centre, and the one place that decides how an event reaches a person.
//!
//! Delivery rules: each kind of event (a [`Topic`]) reaches the person the way their
//! préférences say: by e-mail, in the espace, or both (the default). An e-mail is sent only
//! if, for an event about an organisation, that membership's box "recevoir les
//! notifications par e-mail" is ticked too; when no e-mail goes, the event is in the espace
//! whatever the choice, so that nothing is lost. The e-mail goes to the profile's contact address (the membership's contact
//! address for organisation events, else the citizen profile's, else the account's), in
//! that profile's language, through the outbox: it is written in the same transaction as
//! the event, so it is neither lost nor written twice.
use super::session::CurrentUser;
use super::{internal, now_ms, outbox, ServerConfig};
use crate::domain::{Channel, Lang, Topic};
use crate::domain::{DisputeOutcome, MembershipChange, RequestChange};
use crate::error::AppError;
use crate::mail::MailTemplate;
use crate::model::notifications::{NotificationView, NotificationsPage};

/// Notifications shown per page of the centre.
pub const PAGE_SIZE: i64 = 30;

/// Something a person is told about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// To an organisation's administrators: someone asks to act for it.
    AccessRequested {
        organisation_id: i64,
        organisation: String,
        requester: String,
        function: String,
    },
    /// To a member: their access changed.
    MembershipChanged {
        organisation_id: i64,
        organisation: String,
        change: MembershipChange,
    },
    /// To whoever filed a request: it was filed (`submitted`), its status changed (the
    /// status' code), or the administration wrote (`message`).
    RequestChanged {
        organisation_id: Option<i64>,
        reference: String,
        procedure: crate::procedures::Localized,
        change: RequestChange,
    },
    /// To a representative: an agent decided on their proof of mandate.
    Verification {
        organisation_id: i64,
        organisation: String,
        accepted: bool,
        /// Why it was refused.
        reason: Option<String>,
    },
    /// To whoever started a draft left untouched: it will be deleted on `date` unless they
    /// send it or save it again.
    DraftExpiring {
        organisation_id: Option<i64>,
        procedure_code: String,
        procedure: crate::procedures::Localized,
        date: String,
    },
    /// To someone involved in a report about an organisation's profile: what an agent did.
    Dispute {
        organisation_id: i64,
        organisation: String,
        outcome: DisputeOutcome,
        /// Why it was dismissed.
        reason: Option<String>,
    },
}

impl Event {
    /// `notification.kind`: the centre words the notification from it.
    pub fn kind(&self) -> String {
        match self {
            Event::AccessRequested { .. } => "access_requested".to_string(),
            Event::MembershipChanged { change, .. } => format!("access_{}", change.code()),
            Event::RequestChanged { change, .. } => format!("request_{}", change.code()),
            Event::Verification { accepted: true, .. } => "verification_accepted".to_string(),
            Event::Verification { .. } => "verification_refused".to_string(),
            Event::Dispute { outcome, .. } => format!("dispute_{}", outcome.code()),
            Event::DraftExpiring { .. } => "draft_expiring".to_string(),
        }
    }

    /// The kind of event the person chose a channel for; `None`: always both (a draft about
    /// to be deleted).
    pub fn topic(&self) -> Option<Topic> {
        match self {
            Event::AccessRequested { .. }
            | Event::MembershipChanged { .. }
            | Event::Verification { .. }
            | Event::Dispute { .. } => Some(Topic::Access),
            Event::RequestChanged { change, .. } => Some(match change {
                RequestChange::Message => Topic::Messages,
                RequestChange::Status(crate::domain::RequestStatus::DocumentsRequested) => {
                    Topic::Documents
                }
                RequestChange::Status(_) => Topic::Status,
            }),
            Event::DraftExpiring { .. } => None,
        }
    }

    /// The receipt of what the person did themselves (a request filed): nothing for them to
    /// do, so it does not count in the bell.
    pub fn is_receipt(&self) -> bool {
        matches!(
            self,
            Event::RequestChanged {
                change: RequestChange::Status(crate::domain::RequestStatus::Submitted),
                ..
            }
        )
    }

    /// The organisation the event concerns; `None`: the citizen profile.
    pub fn organisation_id(&self) -> Option<i64> {
        match self {
            Event::AccessRequested {
                organisation_id, ..
            }
            | Event::MembershipChanged {
                organisation_id, ..
            }
            | Event::Verification {
                organisation_id, ..
            }
            | Event::Dispute {
                organisation_id, ..
            } => Some(*organisation_id),
            Event::RequestChanged {
                organisation_id, ..
            }
            | Event::DraftExpiring {
                organisation_id, ..
            } => *organisation_id,
        }
    }

    /// The page the notification leads to (its subject).
    pub fn link(&self) -> String {
        match self {
            Event::AccessRequested {
                organisation_id, ..
            } => format!("/organisations/{organisation_id}/members"),
            Event::MembershipChanged {
                organisation_id,
                change: MembershipChange::Accepted,
                ..
            } => format!("/organisations/{organisation_id}/contact"),
            Event::MembershipChanged { .. } => "/account/organisations".to_string(),
            Event::RequestChanged { reference, .. } => format!("/requests/{reference}"),
            Event::DraftExpiring { procedure_code, .. } => format!("/procedures/{procedure_code}"),
            Event::Verification {
                organisation_id, ..
            } => format!("/organisations/{organisation_id}/verification"),
            Event::Dispute {
                organisation_id,
                outcome: DisputeOutcome::HandedOver,
                ..
            } => format!("/organisations/{organisation_id}/members"),
            Event::Dispute {
                outcome: DisputeOutcome::Dismissed | DisputeOutcome::Suspended,
                ..
            } => "/organisations/report".to_string(),
            Event::Dispute { .. } => "/account/organisations".to_string(),
        }
    }

    /// What the centre needs to word it, kept as it was when it happened.
    pub fn payload(&self) -> serde_json::Value {
        match self {
            Event::AccessRequested {
                organisation,
                requester,
                function,
                ..
            } => serde_json::json!({
                "organisation": organisation,
                "requester": requester,
                "function": function,
            }),
            Event::MembershipChanged { organisation, .. } => {
                serde_json::json!({ "organisation": organisation })
            }
            Event::Verification {
                organisation,
                reason,
                ..
            } => serde_json::json!({ "organisation": organisation, "reason": reason }),
            Event::Dispute {
                organisation,
                reason,
                ..
            } => serde_json::json!({ "organisation": organisation, "reason": reason }),
            Event::RequestChanged {
                reference,
                procedure,
                ..
            } => serde_json::json!({
                "reference": reference,
                "procedure": { "fr": procedure.fr, "nl": procedure.nl, "en": procedure.en },
            }),
            Event::DraftExpiring {
                procedure, date, ..
            } => serde_json::json!({
                "date": date,
                "procedure": { "fr": procedure.fr, "nl": procedure.nl, "en": procedure.en },
            }),
        }
    }

    fn mail(&self, first_name: String, link: String, lang: Lang) -> MailTemplate {
        match self {
            Event::AccessRequested {
                organisation,
                requester,
                function,
                ..
            } => MailTemplate::AccessRequested {
                first_name,
                organisation: organisation.clone(),
                requester: requester.clone(),
                function: function.clone(),
                link,
            },
            Event::MembershipChanged {
                organisation,
                change,
                ..
            } => MailTemplate::MembershipChanged {
                first_name,
                organisation: organisation.clone(),
                change: *change,
                link,
            },
            Event::RequestChanged {
                reference,
                procedure,
                change,
                ..
            } => MailTemplate::RequestChanged {
                first_name,
                reference: reference.clone(),
                procedure: procedure.get(lang).to_string(),
                change: *change,
                link,
            },
            Event::Verification {
                organisation,
                accepted,
                reason,
                ..
            } => MailTemplate::VerificationDecided {
                first_name,
                organisation: organisation.clone(),
                accepted: *accepted,
                reason: reason.clone(),
                link,
            },
            Event::Dispute {
                organisation,
                outcome,
                reason,
                ..
            } => MailTemplate::Dispute {
                first_name,
                organisation: organisation.clone(),
                outcome: *outcome,
                reason: reason.clone(),
                link,
            },
            Event::DraftExpiring {
                procedure, date, ..
            } => MailTemplate::DraftExpiring {
                first_name,
                procedure: procedure.get(lang).to_string(),
                date: date.clone(),
                link,
            },
        }
    }
}

/// Where, and whether, one account gets an event by e-mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailRoute {
    pub address: String,
    pub language: Lang,
}

/// The delivery rule for e-mail, from what the account and its membership say.
pub fn mail_route(
    channel: Channel,
    membership_wants_email: Option<bool>,
    addresses: &[Option<String>],
    languages: &[Option<String>],
) -> Option<MailRoute> {
    if !channel.by_email() || membership_wants_email == Some(false) {
        return None;
    }
    let address = addresses
        .iter()
        .flatten()
        .map(|a| a.trim())
        .find(|a| !a.is_empty())?
        .to_string();
    let language = languages
        .iter()
        .flatten()
        .find_map(|code| Lang::parse(code))
        .unwrap_or_default();
    Some(MailRoute { address, language })
}

/// Tells one account about an event: in the espace, by e-mail, or both, as its préférences
/// say for that kind of event. Call it inside the transaction that makes the change.
pub async fn deliver(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    config: &ServerConfig,
    account_id: i64,
    event: &Event,
) -> Result<(), AppError> {
    let organisation_id = event.organisation_id();
    let link = event.link();
    let now = now_ms();
    // Codes stay text: an unknown one only means no e-mail.
    #[derive(sqlx::FromRow)]
    struct Recipient {
        email: Option<String>,
        language: Option<String>,
        channel: String,
        first_name: String,
        contact_email: Option<String>,
        org_email: Option<String>,
        org_language: Option<String>,
        notify_email: Option<i64>,
    }
    // The column of the event's kind (a fixed name, not the person's input).
    let channel = event.topic().map_or_else(
        || "'both'".to_string(),
        |topic| format!("a.{}", topic.column()),
    );
    let row: Option<Recipient> = sqlx::query_as(&format!(
        "SELECT a.email, a.language, {channel} AS channel, p.first_name, p.contact_email, \
                m.email AS org_email, m.language AS org_language, m.notify_email \
         FROM account a JOIN citizen_profile p ON p.account_id = a.id \
         LEFT JOIN membership m ON m.account_id = a.id AND m.organisation_id = $2 \
         WHERE a.id = $1"
    ))
    .bind(account_id)
    .bind(organisation_id.unwrap_or(0))
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Ok(());
    };
    let channel = Channel::parse(&row.channel).unwrap_or(Channel::Both);
    let (wants, addresses, languages) = if organisation_id.is_some() {
        (
            Some(row.notify_email.unwrap_or(1) != 0),
            vec![row.org_email, row.contact_email, row.email],
            vec![row.org_language, row.language],
        )
    } else {
        (None, vec![row.contact_email, row.email], vec![row.language])
    };
    let route = mail_route(channel, wants, &addresses, &languages);
    // In the espace when asked, and whenever no e-mail goes: never nowhere.
    if channel.in_app() || route.is_none() {
        // The bell counts what needs the person: the receipt of what they just did
        // themselves is in the centre, already read.
        let read_at = event.is_receipt().then_some(now);
        sqlx::query(
            "INSERT INTO notification \
             (account_id, organisation_id, kind, link, payload, created_at, read_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(account_id)
        .bind(organisation_id)
        .bind(event.kind())
        .bind(&link)
        .bind(event.payload().to_string())
        .bind(now)
        .bind(read_at)
        .execute(&mut **tx)
        .await?;
    }
    if let Some(route) = route {
        let template = event.mail(
            row.first_name,
            format!("{}{link}", config.base_url),
            route.language,
        );
        outbox::enqueue(&mut **tx, &route.address, route.language, &template).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The notification centre

pub async fn unread_count(db: &super::Db, user: &CurrentUser) -> Result<i64, AppError> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM notification WHERE account_id = $1 AND read_at IS NULL",
    )
    .bind(user.account_id)
    .fetch_one(db)
    .await
    .map_err(internal)
}

/// The person's notifications, newest first, `PAGE_SIZE` at a time (`before`: the last
/// id of the previous page).
pub async fn list(
    db: &super::Db,
    user: &CurrentUser,
    before: Option<i64>,
) -> Result<NotificationsPage, AppError> {
    #[derive(sqlx::FromRow)]
    struct NotificationRow {
        id: i64,
        kind: String,
        link: String,
        payload: String,
        created_at: i64,
        read_at: Option<i64>,
        organisation: Option<String>,
        bce: Option<String>,
    }
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "SELECT n.id, n.kind, n.link, n.payload, n.created_at, n.read_at, \
                o.name AS organisation, o.bce \
         FROM notification n LEFT JOIN organisation o ON o.id = n.organisation_id \
         WHERE n.account_id = $1 AND n.id < $2 \
         ORDER BY n.id DESC LIMIT $3",
    )
    .bind(user.account_id)
    .bind(before.unwrap_or(i64::MAX))
    .bind(PAGE_SIZE + 1)
    .fetch_all(db)
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let payload: serde_json::Value = serde_json::from_str(&row.payload).unwrap_or_default();
        let field = |name: &str| {
            payload
                .get(name)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let procedure = payload
            .get("procedure")
            .and_then(|titles| titles.get(user.language.code()))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let named = field("organisation");
        items.push(NotificationView {
            id: row.id,
            kind: row.kind,
            link: row.link,
            // The organisation as it was named when it happened.
            organisation: if named.is_empty() {
                row.organisation.unwrap_or_default()
            } else {
                named
            },
            bce: row
                .bce
                .and_then(|digits| crate::domain::BceNumber::parse(&digits).ok())
                .map(|number| number.to_string()),
            requester: field("requester"),
            reference: field("reference"),
            date: field("date"),
            procedure,
            function: field("function"),
            when: super::time::brussels_time(row.created_at),
            read: row.read_at.is_some(),
        });
    }
    let more = items.len() as i64 > PAGE_SIZE;
    items.truncate(PAGE_SIZE as usize);
    let next_before = if more {
        items.last().map(|item| item.id)
    } else {
        None
    };
    Ok(NotificationsPage {
        unread: unread_count(db, user).await?,
        items,
        next_before,
    })
}

/// Marks one of the person's notifications read (someone else's is left alone).
pub async fn mark_read(db: &super::Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE notification SET read_at = $1 \
         WHERE id = $2 AND account_id = $3 AND read_at IS NULL",
    )
    .bind(now_ms())
    .bind(id)
    .bind(user.account_id)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn mark_all_read(db: &super::Db, user: &CurrentUser) -> Result<(), AppError> {
    sqlx::query("UPDATE notification SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL")
        .bind(now_ms())
        .bind(user.account_id)
        .execute(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(text: &str) -> Option<String> {
        Some(text.to_string())
    }

    #[test]
    fn in_the_espace_only_means_no_email() {
        assert_eq!(
            mail_route(Channel::InApp, None, &[some("a@b.be")], &[some("fr")]),
            None
        );
        assert_eq!(
            mail_route(Channel::InApp, Some(true), &[some("a@b.be")], &[some("fr")]),
            None
        );
    }

    #[test]
    fn an_unticked_membership_box_means_no_email_for_its_events() {
        assert_eq!(
            mail_route(
                Channel::Email,
                Some(false),
                &[some("a@b.be")],
                &[some("fr")]
            ),
            None
        );
        assert!(mail_route(Channel::Email, Some(true), &[some("a@b.be")], &[some("fr")]).is_some());
        assert!(mail_route(Channel::Email, None, &[some("a@b.be")], &[some("fr")]).is_some());
    }

    #[test]
    fn the_first_address_and_language_given_win() {
        let route = mail_route(
            Channel::Both,
            Some(true),
            &[
                None,
                some("  "),
                some("contact@asbl.be"),
                some("login@b.be"),
            ],
            &[None, some("nl"), some("fr")],
        )
        .expect("sent");
        assert_eq!(route.address, "contact@asbl.be");
        assert_eq!(route.language, Lang::Nl);
    }

    #[test]
    fn each_event_falls_under_the_kind_the_preferences_name() {
        let request = |change| Event::RequestChanged {
            organisation_id: None,
            reference: "2026-000001".into(),
            procedure: crate::procedures::Localized::default(),
            change,
        };
        use crate::domain::RequestStatus;
        assert_eq!(
            request(RequestChange::Status(RequestStatus::Accepted)).topic(),
            Some(Topic::Status)
        );
        assert_eq!(
            request(RequestChange::Status(RequestStatus::DocumentsRequested)).topic(),
            Some(Topic::Documents)
        );
        assert_eq!(
            request(RequestChange::Message).topic(),
            Some(Topic::Messages)
        );
        let access = Event::AccessRequested {
            organisation_id: 1,
            organisation: "ASBL".into(),
            requester: "Paul".into(),
            function: "Trésorier".into(),
        };
        assert_eq!(access.topic(), Some(Topic::Access));
        let draft = Event::DraftExpiring {
            organisation_id: None,
            procedure_code: "x".into(),
            procedure: crate::procedures::Localized::default(),
            date: "01/01/2027".into(),
        };
        assert_eq!(draft.topic(), None);
    }

    #[test]
    fn each_change_has_its_kind_and_page() {
        let event = |change| Event::MembershipChanged {
            organisation_id: 7,
            organisation: "ASBL".into(),
            change,
        };
        assert_eq!(
            event(MembershipChange::Accepted).link(),
            "/organisations/7/contact"
        );
        assert_eq!(
            event(MembershipChange::Revoked).link(),
            "/account/organisations"
        );
        assert_eq!(
            event(MembershipChange::MadeAdmin).kind(),
            "access_made_admin"
        );
        for code in [
            "accepted",
            "refused",
            "made_admin",
            "made_member",
            "revoked",
        ] {
            assert_eq!(
                MembershipChange::from_event(code).map(MembershipChange::code),
                Some(code)
            );
        }
        assert_eq!(MembershipChange::from_event("left"), None);
    }
}
