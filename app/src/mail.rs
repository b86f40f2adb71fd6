//! The e-mails the espace sends, in the recipient's language. Stored in the outbox as JSON,
//! rendered when sent, so a message queued in French is sent in French.
use crate::domain::{DisputeOutcome, Lang, MembershipChange, RequestChange, RequestStatus};
use crate::i18n::*;
use crate::language::locale_of;
use serde::{Deserialize, Serialize};

/// One kind of e-mail, with what it needs to be written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "template", rename_all = "snake_case")]
pub enum MailTemplate {
    /// Confirms that the address belongs to the person who registered it.
    VerifyEmail { first_name: String, link: String },
    /// Someone tried to register with an address that already has an account.
    RegistrationAttempt { login_link: String },
    /// "Mot de passe oublié": the link to choose a new one (valid one hour).
    PasswordReset { first_name: String, link: String },
    /// The password was changed (by a reset or on the security page).
    PasswordChanged {
        first_name: String,
        reset_link: String,
    },
    /// Sent to a new address the account wants to use: the change happens when opened.
    ConfirmNewEmail { first_name: String, link: String },
    /// To an organisation's administrators: someone asks to act for it.
    AccessRequested {
        first_name: String,
        organisation: String,
        requester: String,
        function: String,
        link: String,
    },
    /// To a member: their request was accepted or refused, their role changed, their
    /// access was revoked (`change`: accepted, refused, made_admin, made_member, revoked).
    MembershipChanged {
        first_name: String,
        organisation: String,
        change: MembershipChange,
        link: String,
    },
    /// About a request: filed (`submitted`), its new status, or a message (`message`).
    RequestChanged {
        first_name: String,
        reference: String,
        procedure: String,
        change: RequestChange,
        link: String,
    },
    /// To a representative: their proof of mandate was accepted (they are verified) or
    /// refused, with the agent's reason.
    VerificationDecided {
        first_name: String,
        organisation: String,
        accepted: bool,
        reason: Option<String>,
        link: String,
    },
    /// To someone involved in a report about an organisation's profile: what an agent did
    /// (with the reason of a dismissal).
    Dispute {
        first_name: String,
        organisation: String,
        outcome: DisputeOutcome,
        reason: Option<String>,
        link: String,
    },
    /// The account was deleted at its owner's request (from "Mes données").
    AccountDeleted { first_name: String },
    /// A draft left untouched will be deleted on `date` unless it is sent or saved again.
    DraftExpiring {
        first_name: String,
        procedure: String,
        date: String,
        link: String,
    },
    /// Sent to the current address when a change to another one is asked.
    EmailChangeRequested {
        first_name: String,
        new_email: String,
        reset_link: String,
    },
}

/// A message ready for the mailer: a subject, a plain-text and an HTML body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl MailTemplate {
    pub fn render(&self, lang: Lang) -> RenderedMail {
        let locale = locale_of(lang);
        let greeting = |name: &str| td_string!(locale, mail.greeting, name = name).to_string();
        match self {
            MailTemplate::VerifyEmail { first_name, link } => compose(
                lang,
                td_string!(locale, mail.verify.subject),
                Some(greeting(first_name)),
                &[td_string!(locale, mail.verify.body).to_string()],
                Some((td_string!(locale, mail.verify.action), link)),
                td_string!(locale, mail.verify.ignore),
            ),
            MailTemplate::RegistrationAttempt { login_link } => compose(
                lang,
                td_string!(locale, mail.attempt.subject),
                None,
                &[td_string!(locale, mail.attempt.body).to_string()],
                Some((td_string!(locale, mail.attempt.action), login_link)),
                td_string!(locale, mail.attempt.ignore),
            ),
            MailTemplate::PasswordReset { first_name, link } => compose(
                lang,
                td_string!(locale, mail.reset.subject),
                Some(greeting(first_name)),
                &[td_string!(locale, mail.reset.body).to_string()],
                Some((td_string!(locale, mail.reset.action), link)),
                td_string!(locale, mail.reset.ignore),
            ),
            MailTemplate::RequestChanged {
                first_name,
                reference,
                procedure,
                change,
                link,
            } => {
                let what = match change {
                    RequestChange::Status(RequestStatus::Submitted) => td_string!(
                        locale,
                        mail.request.submitted,
                        reference = reference,
                        procedure = procedure
                    )
                    .to_string(),
                    RequestChange::Status(RequestStatus::InTreatment) => td_string!(
                        locale,
                        mail.request.in_treatment,
                        reference = reference,
                        procedure = procedure
                    )
                    .to_string(),
                    RequestChange::Status(RequestStatus::DocumentsRequested) => td_string!(
                        locale,
                        mail.request.documents_requested,
                        reference = reference,
                        procedure = procedure
                    )
                    .to_string(),
                    RequestChange::Status(RequestStatus::Accepted) => td_string!(
                        locale,
                        mail.request.accepted,
                        reference = reference,
                        procedure = procedure
                    )
                    .to_string(),
                    RequestChange::Status(RequestStatus::Refused) => td_string!(
                        locale,
                        mail.request.refused,
                        reference = reference,
                        procedure = procedure
                    )
                    .to_string(),
                    RequestChange::Status(RequestStatus::Closed) => td_string!(
                        locale,
                        mail.request.closed,
                        reference = reference,
                        procedure = procedure
                    )
                    .to_string(),
                    RequestChange::Status(RequestStatus::Draft) | RequestChange::Message => {
                        td_string!(
                            locale,
                            mail.request.message,
                            reference = reference,
                            procedure = procedure
                        )
                        .to_string()
                    }
                };
                // Each kind of change has a subject of its own: the inbox says what happened.
                let subject = match change {
                    RequestChange::Status(RequestStatus::Submitted) => td_string!(
                        locale,
                        mail.request.subject_submitted,
                        reference = reference
                    )
                    .to_string(),
                    RequestChange::Status(RequestStatus::InTreatment) => td_string!(
                        locale,
                        mail.request.subject_in_treatment,
                        reference = reference
                    )
                    .to_string(),
                    RequestChange::Status(RequestStatus::DocumentsRequested) => td_string!(
                        locale,
                        mail.request.subject_documents_requested,
                        reference = reference
                    )
                    .to_string(),
                    RequestChange::Status(RequestStatus::Accepted) => {
                        td_string!(locale, mail.request.subject_accepted, reference = reference)
                            .to_string()
                    }
                    RequestChange::Status(RequestStatus::Refused) => {
                        td_string!(locale, mail.request.subject_refused, reference = reference)
                            .to_string()
                    }
                    RequestChange::Status(RequestStatus::Closed) => {
                        td_string!(locale, mail.request.subject_closed, reference = reference)
                            .to_string()
                    }
                    RequestChange::Status(RequestStatus::Draft) | RequestChange::Message => {
                        td_string!(locale, mail.request.subject_message, reference = reference)
                            .to_string()
                    }
                };
                compose(
                    lang,
                    &subject,
                    Some(greeting(first_name)),
                    &[what],
                    Some((td_string!(locale, mail.request.action), link)),
                    td_string!(locale, mail.request.closing),
                )
            }
            MailTemplate::DraftExpiring {
                first_name,
                procedure,
                date,
                link,
            } => compose(
                lang,
                &td_string!(locale, mail.draft.subject, procedure = procedure).to_string(),
                Some(greeting(first_name)),
                &[
                    td_string!(locale, mail.draft.body, procedure = procedure, date = date)
                        .to_string(),
                ],
                Some((td_string!(locale, mail.draft.action), link)),
                td_string!(locale, mail.draft.closing),
            ),
            MailTemplate::AccountDeleted { first_name } => compose(
                lang,
                td_string!(locale, mail.deleted.subject),
                Some(greeting(first_name)),
                &[td_string!(locale, mail.deleted.body).to_string()],
                None,
                td_string!(locale, mail.deleted.ignore),
            ),
            MailTemplate::PasswordChanged {
                first_name,
                reset_link,
            } => compose(
                lang,
                td_string!(locale, mail.changed.subject),
                Some(greeting(first_name)),
                &[td_string!(locale, mail.changed.body).to_string()],
                Some((td_string!(locale, mail.changed.action), reset_link)),
                td_string!(locale, mail.changed.ignore),
            ),
            MailTemplate::ConfirmNewEmail { first_name, link } => compose(
                lang,
                td_string!(locale, mail.new_email.subject),
                Some(greeting(first_name)),
                &[td_string!(locale, mail.new_email.body).to_string()],
                Some((td_string!(locale, mail.new_email.action), link)),
                td_string!(locale, mail.new_email.ignore),
            ),
            MailTemplate::AccessRequested {
                first_name,
                organisation,
                requester,
                function,
                link,
            } => compose(
                lang,
                &td_string!(
                    locale,
                    mail.access_requested.subject,
                    organisation = organisation.as_str()
                )
                .to_string(),
                Some(greeting(first_name)),
                &[td_string!(
                    locale,
                    mail.access_requested.body,
                    requester = requester.as_str(),
                    function = function.as_str(),
                    organisation = organisation.as_str()
                )
                .to_string()],
                Some((td_string!(locale, mail.access_requested.action), link)),
                td_string!(locale, mail.access_requested.closing),
            ),
            MailTemplate::MembershipChanged {
                first_name,
                organisation,
                change,
                link,
            } => {
                let organisation = organisation.as_str();
                let body = match change {
                    MembershipChange::Accepted => td_string!(
                        locale,
                        mail.membership.accepted,
                        organisation = organisation
                    )
                    .to_string(),
                    MembershipChange::Refused => {
                        td_string!(locale, mail.membership.refused, organisation = organisation)
                            .to_string()
                    }
                    MembershipChange::MadeAdmin => td_string!(
                        locale,
                        mail.membership.made_admin,
                        organisation = organisation
                    )
                    .to_string(),
                    MembershipChange::MadeMember => td_string!(
                        locale,
                        mail.membership.made_member,
                        organisation = organisation
                    )
                    .to_string(),
                    MembershipChange::Revoked => {
                        td_string!(locale, mail.membership.revoked, organisation = organisation)
                            .to_string()
                    }
                };
                compose(
                    lang,
                    &td_string!(locale, mail.membership.subject, organisation = organisation)
                        .to_string(),
                    Some(greeting(first_name)),
                    &[body],
                    Some((td_string!(locale, mail.membership.action), link)),
                    td_string!(locale, mail.membership.closing),
                )
            }
            MailTemplate::VerificationDecided {
                first_name,
                organisation,
                accepted,
                reason,
                link,
            } => {
                let organisation = organisation.as_str();
                let mut body = vec![if *accepted {
                    td_string!(
                        locale,
                        mail.verification.accepted,
                        organisation = organisation
                    )
                    .to_string()
                } else {
                    td_string!(
                        locale,
                        mail.verification.refused,
                        organisation = organisation
                    )
                    .to_string()
                }];
                if let Some(reason) = reason {
                    body.push(
                        td_string!(locale, mail.verification.reason, reason = reason.as_str())
                            .to_string(),
                    );
                }
                compose(
                    lang,
                    &td_string!(
                        locale,
                        mail.verification.subject,
                        organisation = organisation
                    )
                    .to_string(),
                    Some(greeting(first_name)),
                    &body,
                    Some((td_string!(locale, mail.verification.action), link)),
                    td_string!(locale, mail.membership.closing),
                )
            }
            MailTemplate::Dispute {
                first_name,
                organisation,
                outcome,
                reason,
                link,
            } => {
                let org = organisation.as_str();
                let mut body = vec![match outcome {
                    DisputeOutcome::Suspended => {
                        td_string!(locale, mail.dispute.suspended, organisation = org).to_string()
                    }
                    DisputeOutcome::HandedOver => {
                        td_string!(locale, mail.dispute.handed_over, organisation = org).to_string()
                    }
                    DisputeOutcome::Removed => {
                        td_string!(locale, mail.dispute.removed, organisation = org).to_string()
                    }
                    DisputeOutcome::Dismissed => {
                        td_string!(locale, mail.dispute.dismissed, organisation = org).to_string()
                    }
                    DisputeOutcome::Reinstated => {
                        td_string!(locale, mail.dispute.reinstated, organisation = org).to_string()
                    }
                }];
                if let Some(reason) = reason {
                    body.push(
                        td_string!(locale, mail.verification.reason, reason = reason.as_str())
                            .to_string(),
                    );
                }
                let subject =
                    td_string!(locale, mail.dispute.subject, organisation = org).to_string();
                let action = Some((td_string!(locale, mail.dispute.action), link.as_str()));
                let closing = td_string!(locale, mail.membership.closing);
                compose(
                    lang,
                    &subject,
                    Some(greeting(first_name)),
                    &body,
                    action,
                    closing,
                )
            }
            MailTemplate::EmailChangeRequested {
                first_name,
                new_email,
                reset_link,
            } => compose(
                lang,
                td_string!(locale, mail.email_change.subject),
                Some(greeting(first_name)),
                &[td_string!(
                    locale,
                    mail.email_change.body,
                    new_email = new_email.as_str()
                )
                .to_string()],
                Some((td_string!(locale, mail.email_change.action), reset_link)),
                td_string!(locale, mail.email_change.ignore),
            ),
        }
    }
}

/// A message of the usual shape: greeting, paragraphs, one button (its link also written
/// out), a closing paragraph, the signature.
fn compose(
    lang: Lang,
    subject: &str,
    greeting: Option<String>,
    paragraphs: &[String],
    action: Option<(&str, &str)>,
    closing: &str,
) -> RenderedMail {
    let signature = td_string!(locale_of(lang), mail.signature);
    let mut text = String::new();
    let mut blocks = Vec::new();
    if let Some(greeting) = &greeting {
        text.push_str(greeting);
        text.push_str("\n\n");
        blocks.push(Block::Paragraph(greeting));
    }
    for paragraph in paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
        blocks.push(Block::Paragraph(paragraph));
    }
    if let Some((label, link)) = action {
        text.push_str(link);
        text.push_str("\n\n");
        blocks.push(Block::Button(label, link));
    }
    text.push_str(closing);
    text.push_str("\n\n");
    text.push_str(signature);
    text.push('\n');
    blocks.push(Block::Paragraph(closing));
    blocks.push(Block::Paragraph(signature));
    RenderedMail {
        subject: subject.to_string(),
        text,
        html: html_page(lang, &blocks),
    }
}

enum Block<'a> {
    Paragraph(&'a str),
    Button(&'a str, &'a str),
}

fn html_page(lang: Lang, blocks: &[Block<'_>]) -> String {
    let mut body = String::new();
    for block in blocks {
        match block {
            Block::Paragraph(text) => {
                body.push_str(&format!(
                    "<p style=\"margin:0 0 16px\">{}</p>\n",
                    escape_html(text)
                ));
            }
            Block::Button(label, href) => body.push_str(&format!(
                "<p style=\"margin:0 0 16px\"><a href=\"{href}\" style=\"display:inline-block;\
                 padding:10px 18px;background:#1d4f91;color:#ffffff;text-decoration:none;\
                 border-radius:4px;font-weight:bold\">{label}</a></p>\n\
                 <p style=\"margin:0 0 16px;font-size:14px;color:#4a4f55\">{href_text}</p>\n",
                href = escape_html(href),
                label = escape_html(label),
                href_text = escape_html(href),
            )),
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head><meta charset=\"utf-8\"></head>\n\
         <body style=\"font-family:system-ui,Arial,sans-serif;font-size:16px;line-height:1.5;\
         color:#0b0c0c;max-width:600px;margin:0 auto;padding:16px\">\n{body}</body>\n</html>\n",
        lang = lang.code(),
    )
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_mail_in_each_language() {
        let template = MailTemplate::VerifyEmail {
            first_name: "Amélie".into(),
            link: "https://espace.example.be/verify-email?token=abc".into(),
        };
        let fr = template.render(Lang::Fr);
        assert!(fr.subject.contains("Confirmez"), "{}", fr.subject);
        assert!(fr.text.starts_with("Bonjour Amélie,"), "{}", fr.text);
        assert!(fr
            .text
            .contains("https://espace.example.be/verify-email?token=abc"));
        assert!(fr.html.contains("lang=\"fr\""));
        let nl = template.render(Lang::Nl);
        assert!(nl.text.starts_with("Beste Amélie,"), "{}", nl.text);
        assert_ne!(nl.subject, fr.subject);
        let en = template.render(Lang::En);
        assert!(en.text.starts_with("Hello Amélie,"), "{}", en.text);
    }

    #[test]
    fn each_change_of_a_request_has_its_own_subject() {
        use std::collections::HashSet;
        let changes = [
            RequestChange::Status(RequestStatus::Submitted),
            RequestChange::Status(RequestStatus::InTreatment),
            RequestChange::Status(RequestStatus::DocumentsRequested),
            RequestChange::Status(RequestStatus::Accepted),
            RequestChange::Status(RequestStatus::Refused),
            RequestChange::Status(RequestStatus::Closed),
            RequestChange::Message,
        ];
        for lang in [Lang::Fr, Lang::Nl, Lang::En] {
            let subjects: HashSet<String> = changes
                .iter()
                .map(|change| {
                    let mail = MailTemplate::RequestChanged {
                        first_name: "Jan".into(),
                        reference: "2026-000042".into(),
                        procedure: "Permis".into(),
                        change: *change,
                        link: "https://espace.example.be/requests/2026-000042".into(),
                    }
                    .render(lang);
                    assert!(mail.subject.contains("2026-000042"), "{}", mail.subject);
                    mail.subject
                })
                .collect();
            assert_eq!(subjects.len(), changes.len(), "{lang:?}: {subjects:?}");
        }
    }

    #[test]
    fn html_is_escaped() {
        let template = MailTemplate::VerifyEmail {
            first_name: "<script>alert(1)</script>".into(),
            link: "https://x.be/?a=1&b=\"2\"".into(),
        };
        let mail = template.render(Lang::Fr);
        assert!(!mail.html.contains("<script>"));
        assert!(mail.html.contains("&lt;script&gt;"));
        assert!(mail.html.contains("a=1&amp;b=&quot;2&quot;"));
    }

    #[test]
    fn every_template_has_its_link_and_language() {
        let link = "https://espace.example.be/some-link?token=xyz";
        let templates = [
            MailTemplate::PasswordReset {
                first_name: "Jan".into(),
                link: link.into(),
            },
            MailTemplate::PasswordChanged {
                first_name: "Jan".into(),
                reset_link: link.into(),
            },
            MailTemplate::ConfirmNewEmail {
                first_name: "Jan".into(),
                link: link.into(),
            },
            MailTemplate::AccessRequested {
                first_name: "Jan".into(),
                organisation: "Boulangerie Dupont".into(),
                requester: "Marie Dupont".into(),
                function: "gérante".into(),
                link: link.into(),
            },
            MailTemplate::MembershipChanged {
                first_name: "Jan".into(),
                organisation: "Boulangerie Dupont".into(),
                change: MembershipChange::Accepted,
                link: link.into(),
            },
            MailTemplate::EmailChangeRequested {
                first_name: "Jan".into(),
                new_email: "nieuw@example.be".into(),
                reset_link: link.into(),
            },
            MailTemplate::VerificationDecided {
                first_name: "Jan".into(),
                organisation: "Boulangerie Dupont".into(),
                accepted: false,
                reason: Some("Le document est illisible.".into()),
                link: link.into(),
            },
            MailTemplate::Dispute {
                first_name: "Jan".into(),
                organisation: "Boulangerie Dupont".into(),
                outcome: DisputeOutcome::Dismissed,
                reason: Some("Les statuts vous nomment.".into()),
                link: link.into(),
            },
        ];
        for template in templates {
            let fr = template.render(Lang::Fr);
            let nl = template.render(Lang::Nl);
            assert!(fr.text.starts_with("Bonjour Jan,"), "{}", fr.text);
            assert!(nl.text.starts_with("Beste Jan,"), "{}", nl.text);
            assert_ne!(fr.subject, nl.subject);
            assert!(fr.text.contains(link) && fr.html.contains("some-link?token=xyz"));
            assert!(fr.text.ends_with("Schaerbeek\n"), "{}", fr.text);
        }
        let notice = MailTemplate::EmailChangeRequested {
            first_name: "Jan".into(),
            new_email: "nieuw@example.be".into(),
            reset_link: link.into(),
        };
        assert!(notice.render(Lang::En).text.contains("nieuw@example.be"));
    }

    #[test]
    fn the_deletion_notice_says_so_in_each_language() {
        let notice = MailTemplate::AccountDeleted {
            first_name: "Jan".into(),
        };
        let fr = notice.render(Lang::Fr);
        assert!(fr.subject.contains("supprimé"), "{}", fr.subject);
        assert!(fr.text.starts_with("Bonjour Jan,"));
        assert!(notice.render(Lang::Nl).subject.contains("verwijderd"));
        assert!(notice.render(Lang::En).subject.contains("deleted"));
        let json = serde_json::to_string(&notice).unwrap();
        assert!(json.contains("\"template\":\"account_deleted\""), "{json}");
    }

    #[test]
    fn templates_round_trip_through_json() {
        let template = MailTemplate::VerifyEmail {
            first_name: "Jan".into(),
            link: "https://x.be".into(),
        };
        let json = serde_json::to_string(&template).unwrap();
        assert!(json.contains("\"template\":\"verify_email\""), "{json}");
        assert_eq!(
            serde_json::from_str::<MailTemplate>(&json).unwrap(),
            template
        );
    }
}
