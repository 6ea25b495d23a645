//! The frame every page shares: language, the signed-in person and their
//! companies, the CSRF token, and translation helpers for templates.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use identity::{CompanyMembership, Language, SessionId, User};
use kernel::{CompanyId, Timestamp};

use crate::csrf::CsrfToken;
use crate::error::{ApiError, ErrorCode};
use crate::extract::auth::{Member, SignedIn, member_of, session_of};
use crate::i18n::negotiate;
use crate::state::AppState;

pub struct Shell {
    state: AppState,
    pub language: Language,
    pub user: Option<User>,
    pub session_id: Option<SessionId>,
    pub companies: Vec<CompanyMembership>,
    pub active_company_id: Option<CompanyId>,
    pub csrf: String,
}

impl Shell {
    pub fn anonymous(state: &AppState, headers: &HeaderMap) -> Shell {
        Shell {
            state: state.clone(),
            language: negotiate(headers, None),
            user: None,
            session_id: None,
            companies: Vec::new(),
            active_company_id: None,
            csrf: String::new(),
        }
    }

    /// A message in the page's language.
    pub fn t(&self, key: &str) -> String {
        self.state.i18n.message(self.language, key, &[])
    }

    /// A message in the page's language, with Fluent arguments such as a count.
    pub fn t_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.state.i18n.message(self.language, key, args)
    }

    /// Whether Chinese is the page's language, to pick `name_zh` over `name_en`.
    pub fn chinese(&self) -> bool {
        self.language == Language::ZhCn
    }

    /// Whether this network's money is test money (the sandbox bank is on):
    /// every page then says so in a banner.
    pub fn test_money(&self) -> bool {
        self.state.pay.is_test_money()
    }

    /// Whether money can come in and go out at all: some payment provider is
    /// configured.
    pub fn has_payment_provider(&self) -> bool {
        self.state.pay.providers().default_provider().is_ok()
    }

    /// Whether the sandbox carrier runs here (it does exactly where the
    /// sandbox bank does), for its link.
    pub fn sandbox_carrier(&self) -> bool {
        self.state.trade.carriers().sandbox().is_some()
    }

    pub fn is_active(&self, company: &CompanyId) -> bool {
        self.active_company_id == Some(*company)
    }

    /// An instant in the person's time zone, `2026-11-25 17:04`.
    pub fn time(&self, at: &Timestamp) -> String {
        let zone = self
            .user
            .as_ref()
            .and_then(|user| jiff::tz::TimeZone::get(&user.time_zone).ok())
            .unwrap_or(jiff::tz::TimeZone::UTC);
        match jiff::Timestamp::from_microsecond(at.micros()) {
            Ok(instant) => instant
                .to_zoned(zone)
                .strftime("%Y-%m-%d %H:%M %Z")
                .to_string(),
            Err(_) => at.to_string(),
        }
    }

    /// What to tell a person about an error: the translated reason, and the
    /// field when one is at fault.
    pub fn error_message(&self, error: &ApiError) -> String {
        let key = format!("error-{}", error.code.as_str().replace('_', "-"));
        let general = self.t(&key);
        let general = if general == key {
            error.detail.clone()
        } else {
            general
        };
        match (&error.field, error.code) {
            (Some(field), ErrorCode::InvalidField) => {
                let label = self.t(&format!("label-{}", field.replace('_', "-")));
                // The stable reason, translated; the English detail only when
                // no translation exists.
                let reason = error.reason.as_deref().map(|reason| {
                    let key = format!("reason-{}", reason.replace('_', "-"));
                    (self.t(&key), key)
                });
                let explanation = match reason {
                    Some((text, key)) if text != key => text,
                    _ => error.detail.clone(),
                };
                format!("{label}: {explanation}")
            }
            _ => general,
        }
    }

    /// The signed-in person, or the error that sends them to sign in.
    pub fn signed_in(&self) -> Result<SignedIn, ApiError> {
        match (&self.user, self.session_id) {
            (Some(user), Some(session_id)) => Ok(SignedIn {
                user: user.clone(),
                session_id,
                active_company_id: self.active_company_id,
            }),
            _ => Err(ApiError::unauthenticated()),
        }
    }

    /// The person acting for the active company.
    pub async fn member(&self) -> Result<Member, ApiError> {
        member_of(&self.state, self.signed_in()?).await
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }
}

impl FromRequestParts<AppState> for Shell {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let mut shell = Shell::anonymous(state, &parts.headers);
        shell.csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|t| t.0.clone())
            .unwrap_or_default();
        // A database hiccup while reading the session shows the page signed out
        // rather than failing it; the error is logged where it happened.
        if let Ok(Some(signed_in)) = session_of(parts, state).await {
            shell.language = negotiate(&parts.headers, Some(signed_in.user.language));
            shell.companies = state
                .identity
                .companies_of(signed_in.user.id)
                .await
                .unwrap_or_default();
            shell.active_company_id = signed_in.active_company_id;
            shell.session_id = Some(signed_in.session_id);
            shell.user = Some(signed_in.user);
        }
        Ok(shell)
    }
}
