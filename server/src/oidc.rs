//! Institutional sign-in: OpenID Connect's authorisation code flow with
//! PKCE, through the `openidconnect` crate (discovery, the code exchange,
//! ID-token validation: issuer, audience, signature against the provider's
//! JWKS, expiry, nonce, and `at_hash` when present).
//!
//! **Nothing is stored before the provider answers.** `start` puts the
//! flow's secrets (state, nonce, PKCE verifier, where to return) in a short
//! cookie signed with a key the replicas share (`server_keys`), so a flood
//! of started sign-ins costs no row, and any replica can finish a flow
//! another began. The cookie is `SameSite=Lax` (the provider's redirect back
//! is a cross-site navigation, which a `Strict` cookie would not survive),
//! `HttpOnly`, scoped to the callback path, valid ten minutes, and checked
//! in constant time against the `state` the provider echoes (login CSRF).
//!
//! What the portal then does with the validated identity (the linked
//! account, or a new researcher account) is `kairr_shared::identity`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::HeaderValue;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use kairr_shared::identity::{safe_return_path, Identity, SignInProvider};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreTokenResponse};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    EndSessionUrl, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, LogoutRequest, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, Scope,
    SignatureVerificationError, TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use tokio::sync::Mutex;
use tower_sessions::cookie::{Cookie, SameSite};

use crate::settings::{OidcProviderSettings, Settings};
use crate::storage::Storage;

/// The cookie holding a started flow.
pub const FLOW_COOKIE: &str = "kairr_oidc";
/// How long a started sign-in may take at the provider.
const FLOW_SECONDS: i64 = 600;
/// How long discovered metadata (and the signing keys) are trusted before they are read again.
const DISCOVERY_TTL: Duration = Duration::from_secs(900);

type Client =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// Claims besides the standard ones (the organisation claim is configurable).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct OtherClaims {
    #[serde(flatten)]
    claims: serde_json::Map<String, serde_json::Value>,
}
impl AdditionalClaims for OtherClaims {}

/// Why a sign-in through a provider did not happen; `code` is what the
/// sign-in page shows (translated).
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("no identity provider {0:?}")]
    UnknownProvider(String),
    /// The provider cannot be reached or its metadata is unusable.
    #[error("identity provider unavailable: {0}")]
    Unavailable(String),
    /// The provider answered with an error (the person cancelled, or was refused).
    #[error("the identity provider refused: {0}")]
    Denied(String),
    /// No, an expired, a forged or another flow's cookie.
    #[error("sign-in flow state missing, expired or not matching")]
    State,
    /// The code exchange failed or the ID token did not validate.
    #[error("the identity provider's answer did not validate: {0}")]
    Invalid(String),
}

impl OidcError {
    /// The stable code the sign-in page translates.
    pub fn code(&self) -> &'static str {
        match self {
            OidcError::UnknownProvider(_) => "oidc_unknown",
            OidcError::Unavailable(_) => "oidc_unavailable",
            OidcError::Denied(_) => "oidc_denied",
            OidcError::State => "oidc_state",
            OidcError::Invalid(_) => "oidc_invalid",
        }
    }
}

/// A started flow, as its cookie carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Flow {
    /// Provider id.
    p: String,
    /// `state`.
    s: String,
    /// `nonce`.
    n: String,
    /// PKCE verifier.
    v: String,
    /// Where to return (a checked path), if anywhere.
    r: Option<String>,
    /// Ends at (unix seconds).
    e: i64,
}

struct Discovered {
    client: Client,
    end_session: Option<EndSessionUrl>,
}

struct Provider {
    settings: OidcProviderSettings,
    cache: Mutex<Option<(Instant, Arc<Discovered>)>>,
}

/// The configured providers.
pub struct Oidc {
    providers: Vec<Provider>,
    key: Vec<u8>,
    http: reqwest::Client,
    public_url: String,
    cookie_secure: bool,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc").field("providers", &self.list()).finish_non_exhaustive()
    }
}

/// What a finished flow gives: who signed in, and where to go.
#[derive(Debug)]
pub struct SignedIn {
    pub identity: Identity,
    /// The ID token, kept for the provider's logout (`id_token_hint`).
    pub id_token: String,
    pub return_to: Option<String>,
}

impl Oidc {
    /// The providers of `settings`, with the flow cookies' key from the database.
    pub async fn load(settings: &Settings, storage: &Storage) -> anyhow::Result<Oidc> {
        let key = storage.server_key("oidc").await?.into_bytes();
        Oidc::new(settings, key)
    }

    /// The providers of `settings`, signing flow cookies with `key`.
    pub fn new(settings: &Settings, key: Vec<u8>) -> anyhow::Result<Oidc> {
        // Never follow redirects from a provider's endpoints (no SSRF through them).
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Oidc {
            providers: settings
                .oidc
                .iter()
                .map(|p| Provider { settings: p.clone(), cache: Mutex::new(None) })
                .collect(),
            key,
            http,
            public_url: settings.public_url(),
            cookie_secure: settings.cookie_secure,
        })
    }

    /// The providers as the sign-in page lists them.
    pub fn list(&self) -> Vec<SignInProvider> {
        self.providers
            .iter()
            .map(|p| SignInProvider {
                id: p.settings.id.clone(),
                name_ko: p.settings.name_ko.clone(),
                name_en: p.settings.name_en.clone(),
            })
            .collect()
    }

    fn provider(&self, id: &str) -> Result<&Provider, OidcError> {
        self.providers.iter().find(|p| p.settings.id == id).ok_or_else(|| OidcError::UnknownProvider(id.to_owned()))
    }

    /// The provider's metadata and keys (read again after [`DISCOVERY_TTL`], or when `fresh`).
    async fn discovered(&self, p: &Provider, fresh: bool) -> Result<Arc<Discovered>, OidcError> {
        let mut cache = p.cache.lock().await;
        if let Some((at, d)) = cache.as_ref() {
            if !fresh && at.elapsed() < DISCOVERY_TTL {
                return Ok(d.clone());
            }
        }
        let s = &p.settings;
        let issuer = IssuerUrl::new(s.issuer.clone()).map_err(|e| OidcError::Unavailable(e.to_string()))?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| OidcError::Unavailable(format!("discovery of {}: {e}", s.issuer)))?;
        let redirect = RedirectUrl::new(format!("{}/api/v1/auth/oidc/{}/callback", self.public_url, s.id))
            .map_err(|e| OidcError::Unavailable(e.to_string()))?;
        let end_session = metadata.additional_metadata().end_session_endpoint.clone();
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(s.client_id.clone()),
            Some(ClientSecret::new(s.client_secret.expose().to_owned())),
        )
        .set_redirect_uri(redirect);
        let d = Arc::new(Discovered { client, end_session });
        *cache = Some((Instant::now(), d.clone()));
        Ok(d)
    }

    /// Starts a sign-in at provider `id`: the provider's authorisation
    /// address to send the browser to, and the flow cookie to set.
    pub async fn start(&self, id: &str, return_to: Option<&str>, now: i64) -> Result<(String, HeaderValue), OidcError> {
        let p = self.provider(id)?;
        let d = self.discovered(p, false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut auth = d
            .client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .set_pkce_challenge(challenge);
        for scope in &p.settings.scopes {
            auth = auth.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = auth.url();
        let flow = Flow {
            p: id.to_owned(),
            s: state.secret().clone(),
            n: nonce.secret().clone(),
            v: verifier.secret().clone(),
            r: return_to.and_then(safe_return_path).map(str::to_owned),
            e: now + FLOW_SECONDS,
        };
        let cookie = self.flow_cookie(&self.seal(&flow), FLOW_SECONDS)?;
        Ok((url.to_string(), cookie))
    }

    /// The `Set-Cookie` that ends a flow (sent with every callback answer).
    pub fn clear_cookie(&self) -> Option<HeaderValue> {
        self.flow_cookie("", 0).ok()
    }

    fn flow_cookie(&self, value: &str, seconds: i64) -> Result<HeaderValue, OidcError> {
        let cookie = Cookie::build((FLOW_COOKIE, value.to_owned()))
            .path("/api/v1/auth/oidc/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.cookie_secure)
            .max_age(tower_sessions::cookie::time::Duration::seconds(seconds))
            .build();
        HeaderValue::from_str(&cookie.to_string()).map_err(|_| OidcError::State)
    }

    fn mac(&self, payload: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.key) else {
            return String::new();
        };
        mac.update(b"kairr-oidc-flow-v1\0");
        mac.update(payload.as_bytes());
        crate::auth::hex(&mac.finalize().into_bytes())
    }

    fn seal(&self, flow: &Flow) -> String {
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(flow).unwrap_or_default());
        format!("{payload}.{}", self.mac(&payload))
    }

    /// The flow of cookie value `sealed`, if this portal signed it and it has not expired.
    fn open(&self, sealed: &str, now: i64) -> Option<Flow> {
        let (payload, mac) = sealed.split_once('.')?;
        if payload.len() > 4096 || !crate::auth::same_token(mac, &self.mac(payload)) {
            return None;
        }
        let flow: Flow = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
        (flow.e > now).then_some(flow)
    }

    /// Finishes the flow the provider sent the browser back with: checks the
    /// cookie against `state`, exchanges `code` (with the PKCE verifier),
    /// validates the ID token, and reads the user info.
    pub async fn finish(
        &self,
        id: &str,
        callback: &Callback,
        cookie: Option<&str>,
        now: i64,
    ) -> Result<SignedIn, OidcError> {
        let p = self.provider(id)?;
        let flow = cookie.and_then(|c| self.open(c, now)).ok_or(OidcError::State)?;
        let state_matches = callback.state.as_deref().is_some_and(|s| crate::auth::same_token(s, &flow.s));
        if flow.p != id || !state_matches {
            return Err(OidcError::State);
        }
        if let Some(error) = &callback.error {
            return Err(OidcError::Denied(error.chars().take(100).collect()));
        }
        let code = callback.code.clone().filter(|c| !c.is_empty() && c.len() <= 2048).ok_or(OidcError::State)?;
        let d = self.discovered(p, false).await?;
        // The code is exchanged once (a code works once); if the ID token is signed with a key
        // the cached set does not have (the provider rotated its keys), the keys are read again
        // and the same token is checked against them.
        let token = self.exchange(&d, code, &flow).await?;
        match self.verify(p, &d, &token, &flow) {
            Ok(checked) => self.with_user_info(p, &d, &token, checked, &flow).await,
            Err(Verify::UnknownKey) => {
                let d = self.discovered(p, true).await?;
                match self.verify(p, &d, &token, &flow) {
                    Ok(checked) => self.with_user_info(p, &d, &token, checked, &flow).await,
                    Err(Verify::UnknownKey) => {
                        Err(OidcError::Invalid("no key of the provider signed the ID token".into()))
                    }
                    Err(Verify::Failed(e)) => Err(e),
                }
            }
            Err(Verify::Failed(e)) => Err(e),
        }
    }

    async fn exchange(&self, d: &Discovered, code: String, flow: &Flow) -> Result<CoreTokenResponse, OidcError> {
        d.client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| OidcError::Invalid(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.v.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Invalid(e.to_string()))
    }

    /// The identity the ID token of `token` vouches for, validated against `d`'s keys.
    fn verify(&self, p: &Provider, d: &Discovered, token: &CoreTokenResponse, flow: &Flow) -> Result<Checked, Verify> {
        let failed = |e: &dyn std::fmt::Display| Verify::Failed(OidcError::Invalid(e.to_string()));
        let id_token = token.id_token().ok_or_else(|| Verify::Failed(OidcError::Invalid("no ID token".into())))?;
        let verifier = d.client.id_token_verifier();
        let claims = match id_token.claims(&verifier, &Nonce::new(flow.n.clone())) {
            Ok(c) => c,
            Err(ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey)) => {
                return Err(Verify::UnknownKey)
            }
            Err(e) => return Err(failed(&e)),
        };
        if let Some(expected) = claims.access_token_hash() {
            let alg = id_token.signing_alg().map_err(|e| failed(&e))?;
            let key = id_token.signing_key(&verifier).map_err(|e| failed(&e))?;
            let actual = AccessTokenHash::from_token(token.access_token(), alg, key).map_err(|e| failed(&e))?;
            if actual != *expected {
                return Err(Verify::Failed(OidcError::Invalid("at_hash does not match the access token".into())));
            }
        }
        let raw = id_token.to_string();
        let verified_email = claims.email_verified() != Some(false);
        let identity = Identity {
            provider: p.settings.id.clone(),
            subject: claims.subject().to_string(),
            preferred_username: claims.preferred_username().map(|u| u.to_string()),
            email: claims.email().filter(|_| verified_email).map(|e| e.to_string()),
            name: claims.name().and_then(|n| n.get(None)).map(|n| n.to_string()),
            organisation: p.settings.organisation_claim.as_deref().and_then(|c| validated_payload_claim(&raw, c)),
        };
        Ok(Checked { identity, subject: claims.subject().clone(), raw })
    }

    /// Completes `checked` with the provider's user info (claims of the
    /// `profile`/`email` scopes usually come only from there).
    async fn with_user_info(
        &self,
        p: &Provider,
        d: &Discovered,
        token: &CoreTokenResponse,
        checked: Checked,
        flow: &Flow,
    ) -> Result<SignedIn, OidcError> {
        let Checked { mut identity, subject, raw } = checked;
        if let Ok(request) = d.client.user_info(token.access_token().clone(), Some(subject)) {
            let info: UserInfoClaims<OtherClaims, CoreGenderClaim> =
                request.request_async(&self.http).await.map_err(|e| OidcError::Invalid(e.to_string()))?;
            identity.preferred_username =
                identity.preferred_username.or_else(|| info.preferred_username().map(|u| u.to_string()));
            // Only an address the provider says it verified becomes where notices go.
            if info.email_verified() != Some(false) {
                identity.email = identity.email.or_else(|| info.email().map(|e| e.to_string()));
            }
            identity.name = identity.name.or_else(|| info.name().and_then(|n| n.get(None)).map(|n| n.to_string()));
            if identity.organisation.is_none() {
                if let Some(claim) = &p.settings.organisation_claim {
                    identity.organisation = info.additional_claims().claims.get(claim).and_then(claim_text);
                }
            }
        }
        Ok(SignedIn { identity, id_token: raw, return_to: flow.r.clone() })
    }

    /// Where to send the browser to end its session at the provider too
    /// (RP-initiated logout), if the provider offers it.
    pub async fn logout_url(&self, id: &str, id_token: &str) -> Option<String> {
        let p = self.provider(id).ok()?;
        let d = self.discovered(p, false).await.ok()?;
        let end = d.end_session.clone()?;
        let hint = id_token.parse::<openidconnect::core::CoreIdToken>().ok()?;
        let back = PostLogoutRedirectUrl::new(format!("{}/", self.public_url)).ok()?;
        let url = LogoutRequest::from(end)
            .set_id_token_hint(&hint)
            .set_client_id(ClientId::new(p.settings.client_id.clone()))
            .set_post_logout_redirect_uri(back)
            .http_get_url();
        Some(url.to_string())
    }
}

/// An ID token's validation: passed, failed, or signed with a key not (yet) known.
enum Verify {
    UnknownKey,
    Failed(OidcError),
}

/// What a validated ID token says.
struct Checked {
    identity: Identity,
    subject: openidconnect::SubjectIdentifier,
    raw: String,
}

/// The callback's query: `code` and `state`, or the provider's `error`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// Claim `claim` of an ID token whose signature has been validated already.
fn validated_payload_claim(jwt: &str, claim: &str) -> Option<String> {
    let payload = jwt.split('.').nth(1)?;
    let json: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    json.get(claim).and_then(claim_text)
}

/// A claim's text: a string, or the first string of a list.
fn claim_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(items) => items.iter().find_map(|i| i.as_str().map(str::to_owned)),
        _ => None,
    }
    .map(|s| s.chars().take(200).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oidc() -> Oidc {
        Oidc::new(&Settings::default(), b"key".to_vec()).unwrap()
    }

    fn flow(e: i64) -> Flow {
        Flow { p: "uni".into(), s: "state".into(), n: "nonce".into(), v: "verifier".into(), r: Some("/x".into()), e }
    }

    #[test]
    fn a_flow_cookie_opens_only_unaltered_unexpired_and_with_the_same_key() {
        let o = oidc();
        let sealed = o.seal(&flow(1_000));
        assert_eq!(o.open(&sealed, 999), Some(flow(1_000)));
        assert_eq!(o.open(&sealed, 1_000), None, "expired");
        let other = Oidc::new(&Settings::default(), b"other".to_vec()).unwrap();
        assert_eq!(other.open(&sealed, 0), None, "another key");
        let (payload, mac) = sealed.split_once('.').unwrap();
        let forged = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&flow(9_999_999)).unwrap());
        assert_eq!(o.open(&format!("{forged}.{mac}"), 0), None, "payload swapped");
        assert_eq!(o.open(payload, 0), None, "no mac");
        assert_eq!(o.open("", 0), None);
    }

    #[test]
    fn claims_are_strings_or_the_first_string_of_a_list() {
        assert_eq!(claim_text(&serde_json::json!("KAIST")).as_deref(), Some("KAIST"));
        assert_eq!(claim_text(&serde_json::json!([1, "snu.ac.kr", "x"])).as_deref(), Some("snu.ac.kr"));
        assert_eq!(claim_text(&serde_json::json!({"a": 1})), None);
        let payload = URL_SAFE_NO_PAD.encode(br#"{"org":"KISTI"}"#);
        assert_eq!(validated_payload_claim(&format!("h.{payload}.s"), "org").as_deref(), Some("KISTI"));
    }

    #[tokio::test]
    async fn an_unknown_provider_is_refused_before_anything_else() {
        let e = oidc().start("nope", None, 0).await.unwrap_err();
        assert_eq!(e.code(), "oidc_unknown");
    }
}
