//! Who may call what: one table with a rule for every server function, checked for every
//! kind of caller. A server function that is registered but missing from the table fails
//! the test, so a new endpoint cannot ship without its rule.
use crate::helpers::*;
use crate::requests::{confirmed, make_agent};
use std::collections::BTreeSet;

/// Who may call an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account, even before its address is confirmed (confirm, resend,
    /// change the address, security, data, deletion).
    SignedIn,
    /// A signed-in account whose address is confirmed.
    Confirmed,
    /// An active member of the organisation named in the arguments.
    Member,
    /// An agent of the administration.
    Agent,
}

/// The kinds of caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    Anonymous,
    Unconfirmed,
    Citizen,
    /// A citizen who created the organisation the arguments name (a declared administrator).
    Representative,
    Agent,
}

const CALLERS: [Caller; 5] = [
    Caller::Anonymous,
    Caller::Unconfirmed,
    Caller::Citizen,
    Caller::Representative,
    Caller::Agent,
];

impl Rule {
    /// The refusal `caller` must get, if any.
    fn refusal(self, caller: Caller) -> Option<&'static str> {
        use Caller::*;
        match (self, caller) {
            (Rule::Public, _) => None,
            (_, Anonymous) => Some("NotSignedIn"),
            (Rule::SignedIn, _) => None,
            (_, Unconfirmed) => Some("EmailNotVerified"),
            (Rule::Confirmed, _) => None,
            (Rule::Member, Representative) => None,
            (Rule::Member, _) => Some("Forbidden"),
            (Rule::Agent, Agent) => None,
            (Rule::Agent, _) => Some("Forbidden"),
        }
    }
}

/// Every server function: its rule and arguments that decode (`{org}` is the
/// organisation of the representative, `{membership}` their membership, `{who}` the
/// caller's name, to keep what the call creates apart).
const TABLE: &[(&str, Rule, &str)] = &[
    // Accounts and signing in.
    ("register", Rule::Public, "form[email]=new-{who}@example.be&form[password]=x&form[password_confirm]=y&form[first_name]=A&form[last_name]=B&form[language]=fr"),
    ("verify_email", Rule::Public, "token=not-a-token"),
    ("login", Rule::Public, "email=nobody@example.be&password=wrong"),
    ("forgot_password", Rule::Public, "email=nobody@example.be"),
    ("check_reset_token", Rule::Public, "token=not-a-token"),
    ("reset_password", Rule::Public, "token=not-a-token&password=x&password_confirm=x"),
    ("set_language", Rule::Public, "lang=nl"),
    ("current_user", Rule::Public, ""),
    ("catalogue", Rule::Public, "lang=fr&q="),
    ("resend_verification", Rule::SignedIn, ""),
    ("security", Rule::SignedIn, ""),
    ("change_password", Rule::Confirmed, "current_password=wrong&password=x&password_confirm=x"),
    ("change_email", Rule::SignedIn, "new_email=other-{who}@example.be&email_password=wrong"),
    ("end_session", Rule::SignedIn, "id=none"),
    ("my_data", Rule::SignedIn, ""),
    ("delete_account", Rule::SignedIn, "delete_password=wrong"),
    ("profile", Rule::Confirmed, ""),
    ("save_profile", Rule::Confirmed, "form[first_name]=Anna&form[last_name]=Peeters&form[language]=fr"),
    ("preferences", Rule::Confirmed, ""),
    (
        "save_preferences",
        Rule::Confirmed,
        "default_profile=&notify_status=both&notify_documents=both&notify_messages=both&notify_access=both",
    ),
    // Notifications.
    ("unread_notifications", Rule::Confirmed, ""),
    ("notifications", Rule::Confirmed, ""),
    ("mark_notification_read", Rule::Confirmed, "id=999999"),
    ("mark_all_notifications_read", Rule::Confirmed, ""),
    // Organisations: the wizard and one's own memberships.
    ("my_organisations", Rule::Confirmed, ""),
    ("my_memberships", Rule::Confirmed, ""),
    ("switch_profile", Rule::Confirmed, "organisation="),
    ("wizard_draft", Rule::Confirmed, ""),
    ("organisation_start", Rule::Confirmed, "kind=entreprise&bce=0000.000.000"),
    ("organisation_details", Rule::Confirmed, "name=&confirmed_kind=entreprise"),
    ("organisation_create", Rule::Confirmed, "function=g%C3%A9rant"),
    ("organisation_request_access", Rule::Confirmed, "function=g%C3%A9rant"),
    // An organisation's own pages: its members only.
    ("organisation_contact", Rule::Member, "id={org}"),
    ("organisation_save_contact", Rule::Member, "id={org}&form[language]=xx"),
    ("organisation_members", Rule::Member, "id={org}"),
    ("organisation_member_action", Rule::Member, "id={org}&membership={membership}&action=make_member"),
    ("organisation_verification", Rule::Member, "id={org}"),
    ("request_postal_code", Rule::Member, "id={org}"),
    ("enter_postal_code", Rule::Member, "id={org}&code=AAAA-AAAA"),
    // Reports about a profile held by the wrong people: anyone confirmed sends one.
    ("my_disputes", Rule::Confirmed, ""),
    // Démarches.
    ("filing", Rule::Confirmed, "code=changement-adresse"),
    ("dashboard", Rule::Confirmed, "lang=fr&filter[status]="),
    ("delete_draft", Rule::Confirmed, "token=none"),
    ("request_view", Rule::Confirmed, "lang=fr&reference=2026-000999"),
    ("send_message", Rule::Confirmed, "reference=2026-000999&body=Bonjour"),
    // The back office.
    ("backoffice_queue", Rule::Agent, "lang=fr&status=&procedure=&min_age=&after="),
    ("backoffice_request", Rule::Agent, "lang=fr&reference=2026-000999"),
    ("backoffice_status", Rule::Agent, "reference=2026-000999&status=accepted&note="),
    ("backoffice_message", Rule::Agent, "reference=2026-000999&body=Bonjour"),
    ("verification_queue", Rule::Agent, ""),
    ("postal_letters", Rule::Agent, ""),
    ("verification_decide", Rule::Agent, "proof=999999&decision=accept&reason="),
    ("dispute_queue", Rule::Agent, ""),
    ("dispute_decide", Rule::Agent, "dispute=999999&action=suspend&reason="),

    // Last: it ends the session.
    ("logout", Rule::Public, ""),
];

#[test]
fn every_server_function_has_a_rule() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let ruled: BTreeSet<String> = TABLE.iter().map(|(name, ..)| name.to_string()).collect();
    let missing: Vec<_> = registered.difference(&ruled).collect();
    assert!(
        missing.is_empty(),
        "server functions without a rule in TABLE: {missing:?}"
    );
    let stale: Vec<_> = ruled.difference(&registered).collect();
    assert!(
        stale.is_empty(),
        "rules for server functions that do not exist: {stale:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_kind_of_caller_gets_what_the_rule_says_from_every_server_function() {
    let app = spawn_app_with(NO_WORKER).await;
    // Building the router registers the server functions.
    assert!(leptos::server_fn::axum::server_fn_paths().count() >= TABLE.len());
    let unconfirmed = signed_in_unverified(&app, "unconfirmed@example.be").await;
    let citizen = confirmed(&app, "citizen@example.be").await;
    let representative = confirmed(&app, "representative@example.be").await;
    let org = create_organisation(&app, &representative, "0403.170.701", "Boulangerie").await;
    let membership: i64 =
        sqlx::query_scalar("SELECT id FROM membership WHERE organisation_id = $1")
            .bind(org)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let agent = make_agent(&app, "agent@schaerbeek.be").await;

    let methods: std::collections::BTreeMap<&str, http::Method> =
        leptos::server_fn::axum::server_fn_paths().collect();
    let mut wrong = Vec::new();
    for (name, rule, args) in TABLE {
        for caller in CALLERS {
            let (cookie, who) = match caller {
                Caller::Anonymous => (None, "anonymous"),
                Caller::Unconfirmed => (Some(unconfirmed.as_str()), "unconfirmed"),
                Caller::Citizen => (Some(citizen.as_str()), "citizen"),
                Caller::Representative => (Some(representative.as_str()), "representative"),
                Caller::Agent => (Some(agent.as_str()), "agent"),
            };
            let body = args
                .replace("{org}", &org.to_string())
                .replace("{membership}", &membership.to_string())
                .replace("{who}", who);
            let path = format!("/api/{name}");
            let response = if methods.get(path.as_str()) == Some(&http::Method::GET) {
                let mut request = app.client.get(app.url(&format!("{path}?{body}")));
                if let Some(cookie) = cookie {
                    request = request.header("cookie", cookie);
                }
                request.send().await.unwrap()
            } else {
                post(&app, &path, body, cookie).await
            };
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            let refused = ["\"NotSignedIn\"", "\"EmailNotVerified\"", "\"Forbidden\""]
                .into_iter()
                .find(|refusal| text.trim() == *refusal);
            let expected = rule.refusal(caller).map(|r| format!("\"{r}\""));
            let ok = match &expected {
                Some(refusal) => refused == Some(refusal.as_str()) && matches!(status, 401 | 403),
                None => {
                    refused.is_none() && status != 500 && status != 400 || {
                        // Arguments that decode but are wrong are fine; refusals are not.
                        refused.is_none() && status == 400
                    }
                }
            };
            if !ok {
                wrong.push(format!(
                    "{name} as {caller:?}: expected {}, got {status} {text}",
                    expected.as_deref().unwrap_or("no refusal")
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
