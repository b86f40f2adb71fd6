//! The OpenID Connect client of the eID identification: discovery, the authorisation
//! address, the code exchange and the checks of the answer.
use crate::config::EidSettings;
use app::backend::eid::{self, EidProblem, Flow, Identity};
use app::backend::session::CurrentUser;
use app::domain::Nrn;
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
    pub async fn finish(&self, flow: &Flow, code: &str) -> Result<Identity, EidProblem> {
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
}
