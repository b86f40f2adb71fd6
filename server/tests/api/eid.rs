//! Identification by eID against an OpenID Connect provider that signs real ID tokens (RS256,
//! keys in `tests/fixtures/oidc`), served here on a free port and told by each test how to
//! answer: valid, wrong signature, wrong audience, expired, without or with an insufficient
//! `acr`, another national number. Every refusal lands on `/identification` and changes
//! nothing.
use crate::helpers::*;
use crate::requests::{confirmed, errors_of, file, form_token};
use axum::extract::{Form, State};
use axum::routing::{get, post as post_route};
use axum::{Json, Router};
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
    CoreRsaPrivateSigningKey,
};
use openidconnect::{
    Audience, AuthenticationContextClass, EmptyAdditionalClaims, IssuerUrl, JsonWebKeyId, Nonce,
    PrivateSigningKey, StandardClaims, SubjectIdentifier,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const PROCEDURE: &str = "composition-menage";
const LEVEL500: &str = "urn:be:fedict:iam:fas:Level500";
/// Valid national register numbers (check digits right).
const NRN_A: &str = "85073003328";
const NRN_B: &str = "90020212372";
const CLIENT_ID: &str = "espace-test";
const CODE: &str = "the-authorization-code";

/// How the provider answers the next exchange.
#[derive(Clone)]
struct Answer {
    audience: String,
    acr: Option<String>,
    nrn: Option<String>,
    given_name: String,
    family_name: String,
    expired: bool,
    wrong_key: bool,
    /// Signed as another provider.
    issuer: Option<String>,
    /// Another nonce than the one of the request.
    nonce: Option<String>,
    /// How long ago the person last authenticated at the provider (`None`: not said).
    authenticated_minutes_ago: Option<i64>,
}

impl Default for Answer {
    fn default() -> Self {
        Answer {
            audience: CLIENT_ID.into(),
            acr: Some(LEVEL500.into()),
            nrn: Some(NRN_A.into()),
            given_name: "Marie".into(),
            family_name: "Dupont".into(),
            expired: false,
            wrong_key: false,
            issuer: None,
            nonce: None,
            authenticated_minutes_ago: Some(0),
        }
    }
}

#[derive(Default)]
struct Flow {
    nonce: String,
    challenge: String,
    answer: Answer,
}

#[derive(Clone)]
struct Provider {
    issuer: String,
    flow: Arc<Mutex<Flow>>,
}

fn key(name: &str) -> CoreRsaPrivateSigningKey {
    let pem = std::fs::read_to_string(format!(
        "{}/tests/fixtures/oidc/{name}.pem",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    // The impostor uses the same key id: only the signature can tell.
    CoreRsaPrivateSigningKey::from_pem(&pem, Some(JsonWebKeyId::new("k1".into()))).unwrap()
}

async fn discovery(State(p): State<Provider>) -> Json<Value> {
    Json(json!({
        "issuer": p.issuer,
        "authorization_endpoint": format!("{}/authorize", p.issuer),
        "token_endpoint": format!("{}/token", p.issuer),
        "userinfo_endpoint": format!("{}/userinfo", p.issuer),
        "jwks_uri": format!("{}/jwks", p.issuer),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

async fn jwks() -> Json<CoreJsonWebKeySet> {
    Json(CoreJsonWebKeySet::new(vec![
        key("provider").as_verification_key()
    ]))
}

async fn token(
    State(p): State<Provider>,
    Form(form): Form<HashMap<String, String>>,
) -> (axum::http::StatusCode, Json<Value>) {
    let flow = p.flow.lock().unwrap();
    // PKCE: the verifier must match the challenge of the authorization request.
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    let challenge = base64_url(&Sha256::digest(verifier.as_bytes()));
    if form.get("code").map(String::as_str) != Some(CODE) || challenge != flow.challenge {
        return (
            axum::http::StatusCode::BAD_REQUEST,
            Json(json!({ "error": "invalid_grant" })),
        );
    }
    let answer = &flow.answer;
    let now = chrono::Utc::now();
    let (issued, expires) = if answer.expired {
        (
            now - chrono::Duration::hours(2),
            now - chrono::Duration::hours(1),
        )
    } else {
        (now, now + chrono::Duration::minutes(5))
    };
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(answer.issuer.clone().unwrap_or_else(|| p.issuer.clone())).unwrap(),
        vec![Audience::new(answer.audience.clone())],
        expires,
        issued,
        StandardClaims::new(SubjectIdentifier::new("csam-subject-1".into())),
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(
        answer.nonce.clone().unwrap_or_else(|| flow.nonce.clone()),
    )))
    .set_auth_time(
        answer
            .authenticated_minutes_ago
            .map(|minutes| now - chrono::Duration::minutes(minutes)),
    )
    .set_auth_context_ref(answer.acr.clone().map(AuthenticationContextClass::new));
    let signer = key(if answer.wrong_key {
        "impostor"
    } else {
        "provider"
    });
    let id_token = CoreIdToken::new(
        claims,
        &signer,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .unwrap();
    (
        axum::http::StatusCode::OK,
        Json(json!({
            "access_token": "an-access-token",
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token.to_string(),
        })),
    )
}

async fn userinfo(State(p): State<Provider>) -> Json<Value> {
    let answer = p.flow.lock().unwrap().answer.clone();
    let mut claims = json!({
        "sub": "csam-subject-1",
        "givenName": answer.given_name,
        "surname": answer.family_name,
    });
    if let Some(nrn) = answer.nrn {
        claims["egovNRN"] = json!(nrn);
    }
    Json(claims)
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

async fn provider() -> Provider {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let provider = Provider {
        issuer: format!("http://{}", listener.local_addr().unwrap()),
        flow: Arc::new(Mutex::new(Flow::default())),
    };
    let router = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/token", post_route(token))
        .route("/userinfo", get(userinfo))
        .with_state(provider.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    provider
}

/// The app with this provider configured.
async fn app_with(provider: &Provider) -> TestApp {
    spawn_app_with(&[
        ("OUTBOX_INTERVAL_SECONDS", "0"),
        ("EID_ISSUER_URL", provider.issuer.as_str()),
        ("EID_CLIENT_ID", CLIENT_ID),
        ("EID_CLIENT_SECRET", "a-client-secret"),
        (
            "EID_NRN_KEY",
            "a test key of at least thirty-two characters",
        ),
    ])
    .await
}

/// The query of an address, by name.
fn query_of(url: &str) -> HashMap<String, String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Starts an identification from `return_to`: the provider's authorization address.
async fn start(app: &TestApp, cookie: &str, return_to: &str) -> String {
    let r = post(
        app,
        "/auth/eid/start",
        form(&[("return_to", return_to)]),
        Some(cookie),
    )
    .await;
    assert_eq!(r.status(), 303);
    location(&r)
}

/// What the provider does with an authorization request: remembers its nonce and PKCE
/// challenge and answers as told; returns the state to come back with.
fn authorize(provider: &Provider, authorization_url: &str, answer: Answer) -> String {
    let query = query_of(authorization_url);
    let mut flow = provider.flow.lock().unwrap();
    flow.nonce = query["nonce"].clone();
    flow.challenge = query["code_challenge"].clone();
    flow.answer = answer;
    query["state"].clone()
}

async fn callback(app: &TestApp, cookie: &str, state: &str) -> reqwest::Response {
    app.get_with(
        &format!("/auth/eid/callback?code={CODE}&state={state}"),
        &[("cookie", cookie)],
    )
    .await
}

/// A whole identification; where the browser is sent at the end. A success gives the
/// session a new token: `cookie` follows it, as a browser's would.
async fn identify(
    app: &TestApp,
    provider: &Provider,
    cookie: &mut String,
    answer: Answer,
) -> String {
    let url = start(app, cookie, &format!("/procedures/{PROCEDURE}")).await;
    let state = authorize(provider, &url, answer);
    let r = callback(app, cookie, &state).await;
    assert_eq!(r.status(), 303);
    if let Some(renewed) = session_cookie(&r) {
        *cookie = renewed;
    }
    location(&r)
}

async fn profile_row(app: &TestApp, email: &str) -> (Option<String>, Option<i64>, String, String) {
    use sqlx::Row;
    let row = sqlx::query(
        "SELECT p.nrn_hash, p.verified_at, p.first_name, p.last_name FROM citizen_profile p \
         JOIN account a ON a.id = p.account_id WHERE a.email = $1",
    )
    .bind(email)
    .fetch_one(&app.db)
    .await
    .unwrap();
    (
        row.try_get("nrn_hash").unwrap(),
        row.try_get("verified_at").unwrap(),
        row.try_get("first_name").unwrap(),
        row.try_get("last_name").unwrap(),
    )
}

async fn events(app: &TestApp, kind: &str) -> i64 {
    count(
        app,
        &format!("SELECT COUNT(*) FROM security_event WHERE kind = '{kind}'"),
    )
    .await
}

fn household() -> Vec<(&'static str, String)> {
    vec![
        ("f.usage", "banque".into()),
        ("f.langue", "nl".into()),
        ("f.envoi", "email".into()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submitting_an_eid_procedure_steps_up_then_files_at_eid_level() {
    let provider = provider().await;
    let app = app_with(&provider).await;
    let email = "marie.dupont@example.be";
    let cookie = confirmed(&app, email).await;

    // The form says what will happen; nothing asks for eID on a basic procedure.
    let page = app
        .get_with(&format!("/procedures/{PROCEDURE}"), &[("cookie", &cookie)])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("eid-needed"), "the eID notice");
    let basic = app
        .get_with("/procedures/changement-adresse", &[("cookie", &cookie)])
        .await
        .text()
        .await
        .unwrap();
    assert!(!basic.contains("eid-needed"));

    // Submitting without an identification keeps the draft and goes to the provider,
    // asking for the configured levels, with PKCE, a nonce and a state.
    let token = form_token(&app, &cookie, PROCEDURE).await;
    let r = file(
        &app,
        &cookie,
        PROCEDURE,
        &token,
        "submit",
        &household(),
        &[],
    )
    .await;
    assert_eq!(r.status(), 303);
    let url = location(&r);
    assert!(
        url.starts_with(&format!("{}/authorize?", provider.issuer)),
        "{url}"
    );
    let query = query_of(&url);
    assert_eq!(query["response_type"], "code");
    assert_eq!(
        query["max_age"], "1800",
        "a recent authentication is asked for"
    );
    assert_eq!(query["client_id"], CLIENT_ID);
    assert_eq!(query["code_challenge_method"], "S256");
    assert!(query["scope"].split(' ').any(|s| s == "openid"));
    assert!(query["scope"].split(' ').any(|s| s == "egovnrn"));
    assert_eq!(
        query["acr_values"],
        "urn:be:fedict:iam:fas:Level500 urn:be:fedict:iam:fas:Level450"
    );
    assert!(query["redirect_uri"].ends_with("/auth/eid/callback"));
    assert!(!query["nonce"].is_empty() && !query["state"].is_empty());
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM request WHERE status = 'submitted'"
        )
        .await,
        0
    );

    // The provider answers; the person is back on the very same form, with what they typed.
    let state = authorize(&provider, &url, Answer::default());
    let r = callback(&app, &cookie, &state).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/procedures/{PROCEDURE}"));
    // The session goes on under a new token; the one from before the identification is dead.
    let before = cookie;
    let cookie = session_cookie(&r).expect("a new session token");
    assert_ne!(cookie, before);
    assert_eq!(
        app.get_with("/dashboard", &[("cookie", &before)])
            .await
            .status(),
        303
    );
    let page = app
        .get_with(&format!("/procedures/{PROCEDURE}"), &[("cookie", &cookie)])
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&token), "the same draft");
    assert!(
        page.contains("value=\"banque\" checked") || page.contains("value=\"banque\" selected"),
        "the typed answer"
    );
    assert!(!page.contains("eid-needed"));

    // The number is linked, hashed; the names are the register's; the profile is verified.
    let (hash, verified_at, first, last) = profile_row(&app, email).await;
    let hash = hash.expect("a linked number");
    assert_eq!(hash.len(), 64);
    let nrn = app::domain::Nrn::parse(NRN_A).unwrap();
    assert_eq!(
        hash,
        server::eid::nrn_hash("a test key of at least thirty-two characters", &nrn),
        "the keyed hash, not the number"
    );
    assert!(verified_at.is_some());
    assert_eq!((first.as_str(), last.as_str()), ("Marie", "Dupont"));
    assert_eq!(events(&app, "eid_identified").await, 1);
    let profile = app
        .get_with("/account/profile", &[("cookie", &cookie)])
        .await
        .text()
        .await
        .unwrap();
    assert!(profile.contains("names-verified"));
    assert!(profile.contains("••.••.••-•••.28"));
    assert!(
        !profile.contains("850730"),
        "the number is never shown in full"
    );
    let export = app
        .get_with("/account/data/export", &[("cookie", &cookie)])
        .await
        .text()
        .await
        .unwrap();
    let export: Value = serde_json::from_str(&export).unwrap();
    assert_eq!(
        export["identity_verified_by_eid"]["national_register_number"],
        "••.••.••-•••.28"
    );
    assert!(!export.to_string().contains("850730"));
    assert!(!export.to_string().contains(&hash), "not even its hash");
    // The names cannot be changed any more (the rest of the profile can).
    let r = call(
        &app,
        "save_profile",
        &[
            ("form[first_name]", "Mallory"),
            ("form[last_name]", "Impostor"),
            ("form[language]", "fr"),
            ("form[city]", ""),
        ],
        &cookie,
    )
    .await;
    assert!(r.status().as_u16() < 400, "{:?}", r.text().await);
    let (_, _, first, last) = profile_row(&app, email).await;
    assert_eq!((first.as_str(), last.as_str()), ("Marie", "Dupont"));

    // Now it files, and the request records the level.
    let r = file(
        &app,
        &cookie,
        PROCEDURE,
        &token,
        "submit",
        &household(),
        &[],
    )
    .await;
    assert_eq!(r.status(), 303, "{:?}", errors_of(&r));
    let to = location(&r);
    assert!(
        to.starts_with("/requests/") && to.ends_with("?submitted=1"),
        "{to}"
    );
    let reference = to["/requests/".len()..]
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let (assurance, acr): (String, Option<String>) =
        sqlx::query_as("SELECT assurance, identification_acr FROM request WHERE reference = $1")
            .bind(&reference)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(assurance, "eid");
    assert_eq!(acr.as_deref(), Some(LEVEL500));

    // With eID on this server, the back office first asks the agent to identify, on its
    // pages and in its server functions alike.
    let mut agent = confirmed(&app, "agent@commune.example.be").await;
    app::backend::requests::set_agent(&app.db, "agent@commune.example.be", EVERY_SERVICE)
        .await
        .unwrap();
    let asked = format!("/backoffice/requests/{reference}");
    let r = app.get_with(&asked, &[("cookie", &agent)]).await;
    assert_eq!(r.status(), 403);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"backoffice-eid\""), "{page}");
    assert!(page.contains("action=\"/auth/eid/start\""));
    assert!(
        !page.contains("Demandeur identifié par eID"),
        "nothing of the file"
    );
    let queue = "lang=fr&status=&procedure=&min_age=&after=";
    let r = post(
        &app,
        "/api/backoffice_queue",
        queue.to_string(),
        Some(&agent),
    )
    .await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("EidRequired"));
    let reads = "SELECT COUNT(*) FROM request_access";
    assert_eq!(count(&app, reads).await, 0, "no read was recorded");
    // The agent identifies (their own card), and comes back to the page asked for.
    let url = start(&app, &agent, &asked).await;
    let state = authorize(
        &provider,
        &url,
        Answer {
            nrn: Some(NRN_B.into()),
            given_name: "Jan".into(),
            family_name: "Janssens".into(),
            ..Answer::default()
        },
    );
    let r = callback(&app, &agent, &state).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), asked);
    agent = session_cookie(&r).expect("a new token");
    let r = post(
        &app,
        "/api/backoffice_queue",
        queue.to_string(),
        Some(&agent),
    )
    .await;
    assert_eq!(r.status(), 200);

    // The back office shows that the requester was identified with eID.
    let page = app
        .get_with(
            &format!("/backoffice/requests/{reference}"),
            &[("cookie", &agent)],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Demandeur identifié par eID"), "{page}");
    assert!(page.contains(LEVEL500));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_answer_is_refused_and_changes_nothing() {
    let provider = provider().await;
    let app = app_with(&provider).await;
    let email = "lucas.peeters@example.be";
    let mut cookie = confirmed(&app, email).await;
    let cases: Vec<(&str, Answer, &str)> = vec![
        (
            "wrong signature",
            Answer {
                wrong_key: true,
                ..Answer::default()
            },
            "invalid",
        ),
        (
            "wrong audience",
            Answer {
                audience: "another-client".into(),
                ..Answer::default()
            },
            "invalid",
        ),
        (
            "expired",
            Answer {
                expired: true,
                ..Answer::default()
            },
            "invalid",
        ),
        (
            "another issuer",
            Answer {
                issuer: Some("https://idp.elsewhere.example".into()),
                ..Answer::default()
            },
            "invalid",
        ),
        (
            "another nonce",
            Answer {
                nonce: Some("a-nonce-of-another-request".into()),
                ..Answer::default()
            },
            "invalid",
        ),
        (
            "an authentication at the provider too long ago",
            Answer {
                authenticated_minutes_ago: Some(45),
                ..Answer::default()
            },
            "invalid",
        ),
        (
            "no authentication time",
            Answer {
                authenticated_minutes_ago: None,
                ..Answer::default()
            },
            "invalid",
        ),
        (
            "no names",
            Answer {
                given_name: String::new(),
                ..Answer::default()
            },
            "number",
        ),
        (
            "no acr",
            Answer {
                acr: None,
                ..Answer::default()
            },
            "level",
        ),
        (
            "insufficient acr",
            Answer {
                acr: Some("urn:be:fedict:iam:fas:Level100".into()),
                ..Answer::default()
            },
            "level",
        ),
        (
            "no national number",
            Answer {
                nrn: None,
                ..Answer::default()
            },
            "number",
        ),
        (
            "a malformed national number",
            Answer {
                nrn: Some("85073003329".into()),
                ..Answer::default()
            },
            "number",
        ),
    ];
    for (case, answer, problem) in cases {
        let to = identify(&app, &provider, &mut cookie, answer).await;
        assert_eq!(
            to,
            format!("/identification?problem={problem}&back=%2Fprocedures%2F{PROCEDURE}"),
            "{case}"
        );
        let (hash, verified_at, first, _) = profile_row(&app, email).await;
        assert_eq!((hash, verified_at), (None, None), "{case}");
        assert_eq!(first, "Amélie", "{case}: the names are untouched");
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM session WHERE eid_at IS NOT NULL"
            )
            .await,
            0,
            "{case}"
        );
    }
    // The page explains, in the person's language, and leads back.
    let page = app
        .get_with(
            &format!("/identification?problem=level&back=%2Fprocedures%2F{PROCEDURE}"),
            &[("cookie", &cookie)],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Le niveau d&#x27;identification reçu ne suffit pas")
            || page.contains("Le niveau d'identification reçu ne suffit pas")
    );
    assert!(page.contains(&format!("href=\"/procedures/{PROCEDURE}\"")));

    // Cancelled at the provider.
    let url = start(&app, &cookie, "/dashboard").await;
    let state = authorize(&provider, &url, Answer::default());
    let r = app
        .get_with(
            &format!("/auth/eid/callback?error=access_denied&state={state}"),
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(
        location(&r),
        "/identification?problem=denied&back=%2Fdashboard"
    );
    // Some providers leave the state out when the person cancels: still "cancelled", back
    // to where this session's open identification started — and a code without its state
    // is never accepted.
    start(&app, &cookie, "/procedures/composition-menage").await;
    let r = app
        .get_with(
            "/auth/eid/callback?error=access_denied",
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(
        location(&r),
        "/identification?problem=denied&back=%2Fprocedures%2Fcomposition-menage"
    );
    let r = app
        .get_with(
            &format!("/auth/eid/callback?code={CODE}"),
            &[("cookie", &cookie)],
        )
        .await;
    assert!(location(&r).starts_with("/identification?problem=state"));

    // A state is good once, and only for the session that started it.
    let url = start(&app, &cookie, "/dashboard").await;
    let state = authorize(&provider, &url, Answer::default());
    let other = signed_in(&app, "someone.else@example.be").await;
    let r = callback(&app, &other, &state).await;
    assert!(location(&r).starts_with("/identification?problem=state"));
    let r = callback(&app, &cookie, &state).await;
    assert_eq!(location(&r), "/dashboard", "the owner's session still can");
    // Identified: the session goes on under a new token.
    cookie = session_cookie(&r).expect("a new session token");
    let r = callback(&app, &cookie, &state).await;
    assert!(
        location(&r).starts_with("/identification?problem=state"),
        "replayed: {}",
        location(&r)
    );
    let r = callback(&app, &cookie, "a-state-never-issued").await;
    assert!(location(&r).starts_with("/identification?problem=state"));
    // Signed out, the callback goes to sign in.
    let r = app
        .get_with(
            &format!("/auth/eid/callback?code={CODE}&state={state}"),
            &[],
        )
        .await;
    assert_eq!(location(&r), "/login");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_national_number_per_account_and_one_account_per_number() {
    let provider = provider().await;
    let app = app_with(&provider).await;
    let mut cookie = confirmed(&app, "first@example.be").await;
    assert_eq!(
        identify(&app, &provider, &mut cookie, Answer::default()).await,
        format!("/procedures/{PROCEDURE}")
    );
    let (linked, ..) = profile_row(&app, "first@example.be").await;

    // Another card later: refused, recorded, nothing changed.
    let to = identify(
        &app,
        &provider,
        &mut cookie,
        Answer {
            nrn: Some(NRN_B.into()),
            given_name: "Other".into(),
            ..Answer::default()
        },
    )
    .await;
    assert!(to.starts_with("/identification?problem=mismatch"), "{to}");
    let (still, _, first, _) = profile_row(&app, "first@example.be").await;
    assert_eq!(still, linked);
    assert_eq!(first, "Marie");
    assert_eq!(events(&app, "eid_mismatch").await, 1);
    let security = app
        .get_with("/account/security", &[("cookie", &cookie)])
        .await
        .text()
        .await
        .unwrap();
    assert!(security.contains("autre numéro de registre national"));

    // The same card on another account: refused, recorded.
    let mut second = confirmed(&app, "second@example.be").await;
    let to = identify(&app, &provider, &mut second, Answer::default()).await;
    assert!(to.starts_with("/identification?problem=taken"), "{to}");
    let (hash, verified_at, ..) = profile_row(&app, "second@example.be").await;
    assert_eq!((hash, verified_at), (None, None));
    assert_eq!(events(&app, "eid_taken").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_provider_eid_procedures_say_so_and_cannot_be_sent() {
    let app = spawn_app_with(NO_WORKER).await;
    let cookie = confirmed(&app, "nadia@example.be").await;
    let page = app
        .get_with(&format!("/procedures/{PROCEDURE}"), &[("cookie", &cookie)])
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("n&#x27;est pas disponible sur ce serveur")
            || page.contains("n'est pas disponible sur ce serveur")
    );
    let r = post(
        &app,
        "/auth/eid/start",
        form(&[("return_to", "/procedures/composition-menage")]),
        Some(&cookie),
    )
    .await;
    assert_eq!(
        location(&r),
        "/identification?problem=unavailable&back=%2Fprocedures%2Fcomposition-menage"
    );
    let token = form_token(&app, &cookie, PROCEDURE).await;
    let r = file(
        &app,
        &cookie,
        PROCEDURE,
        &token,
        "identify",
        &household(),
        &[],
    )
    .await;
    assert!(location(&r).starts_with("/identification?problem=unavailable"));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM request WHERE status = 'submitted'"
        )
        .await,
        0
    );
}
