//! Identification by eID: an OpenID Connect client (authorization code with PKCE, state and
//! nonce) against the federal authentication service (FAS/CSAM), or any provider configured
//! by `EID_*`. It is a step-up for a signed-in person, not a sign-in: the session that starts
//! the flow must be the one that finishes it.
//!
//! `POST /auth/eid/start` (or the filing form, when a procedure needs eID) sends the person
//! to the provider; `GET /auth/eid/callback` checks the answer — the ID token's signature,
//! issuer, audience, expiry and nonce (the `openidconnect` crate), then the `acr` the
//! provider vouched for (what was asked can be tampered with on the way) — fetches the
//! national register number from the user info, and applies it
//! (`app::backend::eid::identified`). Every refusal lands on `/identification?problem=…`
//! with its message and changes nothing.
use crate::config::EidSettings;
use crate::startup::AppState;
use app::backend::eid::{self, EidProblem, Flow, Identity};
use app::backend::session::CurrentUser;
use app::backend::Client as ClientInfo;
use app::domain::Nrn;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use hmac::{Hmac, Mac};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreProviderMetadata,
};
use openidconnect::{
    AccessToken, AdditionalClaims, AuthenticationContextClass, AuthorizationCode, ClientId,
    ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, SubjectIdentifier, TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

/// The provider's discovery document and keys are fetched again after this long.
const METADATA_TTL: Duration = Duration::from_secs(3600);
pub const CALLBACK_PATH: &str = "/auth/eid/callback";

/// The client once the provider's endpoints are known.
type ProviderClient = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// What the code exchange established: the ID token checked, its subject, level and time
/// of authentication, and the token for the user info.
struct Exchanged {
    client: ProviderClient,
    subject: SubjectIdentifier,
    acr: Option<String>,
    /// Milliseconds.
    auth_time: Option<i64>,
    access_token: AccessToken,
}

/// Every claim of the user info, by name (the names differ between providers).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Claims {
    #[serde(flatten)]
    all: HashMap<String, serde_json::Value>,
}
impl AdditionalClaims for Claims {}

impl Claims {
    fn text(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|name| match self.all.get(*name) {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
                Some(s.trim().to_string())
            }
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
    }
}

/// The client, shared by every request: settings, HTTP client, cached provider metadata.
#[derive(Clone)]
pub struct Eid {
    settings: Arc<EidSettings>,
    redirect_url: RedirectUrl,
    http: openidconnect::reqwest::Client,
    metadata: Arc<RwLock<Option<(Instant, CoreProviderMetadata)>>>,
    /// The origin of the provider's authorization endpoint, once discovered (for the
    /// Content-Security-Policy: forms lead there).
    authorization_origin: Arc<std::sync::RwLock<Option<String>>>,
}

impl Eid {
    pub fn new(settings: EidSettings, base_url: &url::Url) -> Result<Self, String> {
        let redirect_url = RedirectUrl::new(format!(
            "{}{CALLBACK_PATH}",
            base_url.as_str().trim_end_matches('/')
        ))
        .map_err(|e| e.to_string())?;
        let http = openidconnect::reqwest::ClientBuilder::new()
            // The provider's endpoints answer directly; following redirects would open
            // the door to request forgery from this server.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Eid {
            settings: Arc::new(settings),
            redirect_url,
            http,
            metadata: Arc::new(RwLock::new(None)),
            authorization_origin: Arc::new(std::sync::RwLock::new(None)),
        })
    }

    /// The origins forms may lead to (Content-Security-Policy `form-action`): the issuer's,
    /// and its authorization endpoint's once discovered, if that differs.
    pub fn form_origins(&self) -> String {
        let issuer = self.settings.issuer_url.origin().ascii_serialization();
        match self
            .authorization_origin
            .read()
            .ok()
            .and_then(|o| o.clone())
        {
            Some(endpoint) if endpoint != issuer => format!("{issuer} {endpoint}"),
            _ => issuer,
        }
    }

    /// Reads the discovery document now (at start), so that the pages' policy names the
    /// authorization endpoint before anyone is sent there. A failure is only logged: it is
    /// tried again at the first identification.
    pub async fn prefetch(&self) {
        let _ = self.metadata(false).await;
    }

    async fn metadata(&self, fresh: bool) -> Result<CoreProviderMetadata, EidProblem> {
        if !fresh {
            if let Some((at, metadata)) = self.metadata.read().await.as_ref() {
                if at.elapsed() < METADATA_TTL {
                    return Ok(metadata.clone());
                }
            }
        }
        let issuer =
            IssuerUrl::new(self.settings.issuer.clone()).map_err(|_| EidProblem::ProviderDown)?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|error| {
                tracing::error!(%error, "cannot read the eID provider's discovery document");
                EidProblem::ProviderDown
            })?;
        if let Ok(mut origin) = self.authorization_origin.write() {
            *origin = Some(
                metadata
                    .authorization_endpoint()
                    .url()
                    .origin()
                    .ascii_serialization(),
            );
        }
        *self.metadata.write().await = Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    fn client(&self, metadata: CoreProviderMetadata) -> ProviderClient {
        CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(self.redirect_url.clone())
    }

    /// Starts a flow for this session: the provider's address to send the person to.
    pub async fn start(
        &self,
        db: &app::backend::Db,
        user: &CurrentUser,
        return_to: &str,
    ) -> Result<String, EidProblem> {
        let client = self.client(self.metadata(false).await?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in self.settings.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        for acr in &self.settings.acr_values {
            request = request.add_auth_context_value(AuthenticationContextClass::new(acr.clone()));
        }
        // The card must have been used recently, not only a single sign-on session at the
        // provider long ago: the answer's auth_time is checked against the same limit.
        let (url, state, nonce) = request
            .set_pkce_challenge(challenge)
            .set_max_age(Duration::from_secs(self.settings.max_age_minutes * 60))
            .url();
        let flow = Flow {
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            return_to: return_to.to_string(),
        };
        eid::start_flow(db, user, state.secret(), &flow)
            .await
            .map_err(|_| EidProblem::ProviderDown)?;
        Ok(url.to_string())
    }

    /// Exchanges the code and checks everything the provider says; the person's identity.
    async fn finish(&self, flow: &Flow, code: &str) -> Result<Identity, EidProblem> {
        let Exchanged {
            client,
            subject,
            acr,
            auth_time,
            access_token,
        } = self.exchange(flow, code).await?;
        // When the person last authenticated at the provider: required (max_age was asked
        // for), and within the limit (a minute of clock difference allowed).
        let limit_ms = i64::try_from(self.settings.max_age_minutes * 60_000).unwrap_or(i64::MAX);
        let fresh = auth_time
            .is_some_and(|at| app::backend::now_ms() - at <= limit_ms.saturating_add(60_000));
        if !fresh {
            tracing::warn!("eID answer without a recent authentication (auth_time)");
            return Err(EidProblem::Invalid);
        }
        // The acr the provider vouched for, not the one asked for.
        let Some(acr) = acr.filter(|acr| self.settings.acr_values.contains(acr)) else {
            return Err(EidProblem::Level);
        };
        let info: UserInfoClaims<Claims, CoreGenderClaim> = client
            .user_info(access_token, Some(subject))
            .map_err(|error| {
                tracing::error!(%error, "the eID provider has no user info endpoint");
                EidProblem::ProviderDown
            })?
            .request_async(&self.http)
            .await
            .map_err(|error| {
                tracing::warn!(%error, "eID user info refused");
                EidProblem::Invalid
            })?;
        let claims = info.additional_claims();
        let nrn = claims
            .text(&[self.settings.nrn_claim.as_str()])
            .and_then(|number| Nrn::parse(&number).ok())
            .ok_or(EidProblem::NoNumber)?;
        // The register's names: both, or the answer is incomplete (a profile is only marked
        // verified with names that come from the register).
        let name = |standard: Option<String>, names: &[&str]| {
            standard
                .or_else(|| claims.text(names))
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty() && n.chars().count() <= 100)
                .ok_or(EidProblem::NoNumber)
        };
        let given_name = name(
            info.given_name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string()),
            &["givenName", "given_name"],
        )?;
        let family_name = name(
            info.family_name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string()),
            &["surname", "family_name"],
        )?;
        Ok(Identity {
            nrn_hash: nrn_hash(&self.settings.nrn_key, &nrn),
            nrn_hint: nrn.hint(),
            given_name,
            family_name,
            acr,
        })
    }

    async fn exchange(&self, flow: &Flow, code: &str) -> Result<Exchanged, EidProblem> {
        let mut client = self.client(self.metadata(false).await?);
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|error| {
                tracing::error!(%error, "the eID provider has no token endpoint");
                EidProblem::ProviderDown
            })?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|error| {
                tracing::warn!(%error, "eID code exchange refused");
                EidProblem::Invalid
            })?;
        let id_token = response.id_token().ok_or_else(|| {
            tracing::warn!("the eID provider sent no ID token");
            EidProblem::Invalid
        })?;
        let nonce = Nonce::new(flow.nonce.clone());
        let verified = {
            let verifier = client.id_token_verifier();
            id_token.claims(&verifier, &nonce)
        };
        let claims = match verified {
            Ok(claims) => claims,
            // Signed with a key this server has not seen yet: the provider may have rotated
            // its keys since they were cached. Read them again, once.
            Err(openidconnect::ClaimsVerificationError::SignatureVerification(_)) => {
                client = self.client(self.metadata(true).await?);
                id_token
                    .claims(&client.id_token_verifier(), &nonce)
                    .map_err(|error| {
                        tracing::warn!(%error, "eID ID token refused");
                        EidProblem::Invalid
                    })?
            }
            Err(error) => {
                tracing::warn!(%error, "eID ID token refused");
                return Err(EidProblem::Invalid);
            }
        };
        Ok(Exchanged {
            subject: claims.subject().clone(),
            acr: claims.auth_context_ref().map(|acr| acr.to_string()),
            auth_time: claims.auth_time().map(|at| at.timestamp_millis()),
            access_token: response.access_token().clone(),
            client,
        })
    }
}

/// The keyed hash a national register number is found by (HMAC-SHA256, hex).
pub fn nrn_hash(key: &str, nrn: &Nrn) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(nrn.digits().as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where a refusal is explained.
pub fn problem_page(problem: EidProblem, back: &str) -> String {
    let back = eid::safe_return_to(back);
    let back: String = url::form_urlencoded::byte_serialize(back.as_bytes()).collect();
    format!("/identification?problem={}&back={back}", problem.code())
}

fn see_other(location: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, location.to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
    )
        .into_response()
}

fn client_info(headers: &HeaderMap, request_ip: Option<String>) -> ClientInfo {
    ClientInfo {
        ip: request_ip,
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(300).collect()),
    }
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    return_to: String,
}

/// `POST /auth/eid/start`: sends the signed-in person to the provider.
pub async fn start(State(state): State<AppState>, request: Request) -> Response {
    let Some(user) = request.extensions().get::<CurrentUser>().cloned() else {
        return see_other("/login");
    };
    let form = match <Form<StartForm> as axum::extract::FromRequest<AppState>>::from_request(
        request, &state,
    )
    .await
    {
        Ok(Form(form)) => form,
        Err(_) => StartForm {
            return_to: String::new(),
        },
    };
    let return_to = eid::safe_return_to(&form.return_to);
    see_other(&start_location(&state, &user, &return_to).await)
}

/// The provider's address for a new flow, or the page that says why there is none.
pub async fn start_location(state: &AppState, user: &CurrentUser, return_to: &str) -> String {
    let Some(client) = &state.eid else {
        return problem_page(EidProblem::Unavailable, return_to);
    };
    match client.start(&state.db, user, return_to).await {
        Ok(url) => url,
        Err(problem) => problem_page(problem, return_to),
    }
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /auth/eid/callback`: the provider sends the person back here.
pub async fn callback(
    State(state): State<AppState>,
    Query(answer): Query<Callback>,
    request: Request,
) -> Response {
    let Some(user) = request.extensions().get::<CurrentUser>().cloned() else {
        return see_other("/login");
    };
    let ip = request
        .extensions()
        .get::<app::backend::ClientIp>()
        .map(|ip| ip.0.clone());
    let client = client_info(request.headers(), ip);
    let Some(eid_client) = &state.eid else {
        return see_other(&problem_page(EidProblem::Unavailable, "/dashboard"));
    };
    let Some(state_param) = answer
        .state
        .as_deref()
        .filter(|s| !s.is_empty() && s.len() <= 200)
    else {
        if answer.error.is_some() {
            // Cancelled, and the provider left the state out.
            let back = eid::latest_return_to(&state.db, &user)
                .await
                .unwrap_or_else(|| "/dashboard".to_string());
            return see_other(&problem_page(EidProblem::Denied, &back));
        }
        return see_other(&problem_page(EidProblem::State, "/dashboard"));
    };
    // The flow is used up whatever follows: an answer is never accepted twice.
    let flow = match eid::take_flow(&state.db, &user, state_param).await {
        Ok(flow) => flow,
        Err(problem) => {
            let back = eid::return_to_of(&state.db, state_param)
                .await
                .unwrap_or_else(|| "/dashboard".to_string());
            tracing::warn!(
                account = user.account_id,
                "eID answer with an unusable state"
            );
            return see_other(&problem_page(problem, &back));
        }
    };
    if answer.error.is_some() {
        return see_other(&problem_page(EidProblem::Denied, &flow.return_to));
    }
    let Some(code) = answer
        .code
        .as_deref()
        .filter(|c| !c.is_empty() && c.len() <= 2000)
    else {
        return see_other(&problem_page(EidProblem::Invalid, &flow.return_to));
    };
    let outcome = match eid_client.finish(&flow, code).await {
        Ok(identity) => eid::identified(&state.db, &user, &identity, &client).await,
        Err(problem) => Err(problem),
    };
    metrics::counter!(
        "eid_identifications_total",
        "outcome" => outcome.err().map_or("identified", EidProblem::code)
    )
    .increment(1);
    match outcome {
        Ok(()) => see_other(&flow.return_to),
        Err(problem) => see_other(&problem_page(problem, &flow.return_to)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keyed_hash_depends_on_the_key_and_hides_the_number() {
        let nrn = Nrn::parse("85073003328").unwrap();
        let a = nrn_hash("a key of at least thirty-two characters", &nrn);
        let b = nrn_hash("another key of at least thirty-two chars", &nrn);
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(!a.contains("85073003328"));
        assert_eq!(a, nrn_hash("a key of at least thirty-two characters", &nrn));
    }

    #[test]
    fn problem_pages_only_lead_back_inside_the_site() {
        assert_eq!(
            problem_page(EidProblem::Mismatch, "/procedures/x"),
            "/identification?problem=mismatch&back=%2Fprocedures%2Fx"
        );
        assert_eq!(
            problem_page(EidProblem::Level, "https://evil.example"),
            "/identification?problem=level&back=%2Fdashboard"
        );
    }
}
