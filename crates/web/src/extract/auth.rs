//! Who is asking: a session cookie or an API key (Bearer), turned into the
//! signed-in person, or into a `Scope` for the company the request acts for.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use identity::{ApiScope, SessionId, User};
use kernel::{Actor, CompanyId, Scope};

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "hanse_session";

/// A person signed in with a session (API keys are not people).
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub session_id: SessionId,
    pub active_company_id: Option<CompanyId>,
}

/// A caller acting for a company: a staff member through a session, or one of
/// the company's API keys.
#[derive(Debug, Clone)]
pub struct Member {
    pub scope: Scope,
    /// The person, when signed in with a session.
    pub user: Option<User>,
    /// The key's scopes, when calling with an API key; people have all the
    /// scopes their role allows.
    pub key_scopes: Option<Vec<ApiScope>>,
}

impl Member {
    /// Refuses API keys that lack `needed`.
    pub fn require(&self, needed: ApiScope) -> ApiResult<()> {
        match &self.key_scopes {
            Some(scopes) if !scopes.contains(&needed) => Err(ApiError::forbidden()),
            _ => Ok(()),
        }
    }
}

/// A signed-in platform operator.
#[derive(Debug, Clone)]
pub struct OperatorUser(pub User);

fn bearer_token(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(str::trim)
}

/// The signed-in session, if the request carries a live one.
pub async fn session_of(parts: &Parts, state: &AppState) -> ApiResult<Option<SignedIn>> {
    let jar = CookieJar::from_headers(&parts.headers);
    let Some(cookie) = jar.get(SESSION_COOKIE) else {
        return Ok(None);
    };
    let session = state.identity.session_by_token(cookie.value()).await?;
    Ok(session.map(|auth| SignedIn {
        user: auth.user,
        session_id: auth.session_id,
        active_company_id: auth.active_company_id,
    }))
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        session_of(parts, state)
            .await?
            .ok_or_else(ApiError::unauthenticated)
    }
}

impl FromRequestParts<AppState> for Member {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(secret) = bearer_token(parts) {
            let key = state
                .identity
                .api_key_by_token(secret)
                .await?
                .ok_or_else(ApiError::unauthenticated)?;
            return Ok(Member {
                scope: Scope::new(key.company_id, Actor::ApiKey(key.key_id.raw()), key.role),
                user: None,
                key_scopes: Some(key.scopes),
            });
        }
        let signed_in = session_of(parts, state)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        member_of(state, signed_in).await
    }
}

/// The scope of a signed-in person in the session's active company.
pub async fn member_of(state: &AppState, signed_in: SignedIn) -> ApiResult<Member> {
    let no_company = || {
        ApiError::new(
            ErrorCode::NoActiveCompany,
            "register a company or switch to one first",
        )
    };
    let company_id = signed_in.active_company_id.ok_or_else(no_company)?;
    let role = state
        .identity
        .role_in(signed_in.user.id, company_id)
        .await?
        .ok_or_else(no_company)?;
    Ok(Member {
        scope: Scope::new(company_id, Actor::User(signed_in.user.id), role),
        user: Some(signed_in.user),
        key_scopes: None,
    })
}

impl FromRequestParts<AppState> for OperatorUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let signed_in = SignedIn::from_request_parts(parts, state).await?;
        if signed_in.user.is_operator {
            Ok(OperatorUser(signed_in.user))
        } else {
            // Operator routes do not exist for members.
            Err(ApiError::not_found())
        }
    }
}

/// Who looks at a sandbox (the bank or the carrier): the operator, who sees
/// everything, or a signed-in member acting for its company.
pub enum SandboxUser {
    Operator,
    Member(Scope),
}

impl FromRequestParts<AppState> for SandboxUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let signed_in = session_of(parts, state)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        if signed_in.user.is_operator {
            return Ok(SandboxUser::Operator);
        }
        Ok(SandboxUser::Member(
            member_of(state, signed_in).await?.scope,
        ))
    }
}
