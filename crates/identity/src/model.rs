//! The records identity keeps, as the rest of Hanse sees them.

use kernel::{CompanyId, Role, Timestamp, UserId, define_id};
use serde::Serialize;

use crate::fields::{CompanySize, Industry, Language};

define_id!(
    /// A person's place on a company's staff.
    MembershipId,
    "mem"
);
define_id!(
    /// An invitation to join a company's staff.
    InvitationId,
    "inv"
);
define_id!(
    /// A signed-in browser or client.
    SessionId,
    "ses"
);
define_id!(
    /// A company's API key.
    ApiKeyId,
    "key"
);

/// A person who signs in. The password hash never leaves this crate.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub mobile: Option<String>,
    pub language: Language,
    pub time_zone: String,
    /// Platform operator: verifies members and arbitrates; not a company role.
    pub is_operator: bool,
    pub created_at: Timestamp,
}

/// A member company as its own staff see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Company {
    pub id: CompanyId,
    pub legal_name: String,
    /// The unified social credit code, for companies registered in China.
    pub credit_code: Option<String>,
    /// The registration number elsewhere, e.g. `HRB 12345` in Germany.
    pub registration_number: Option<String>,
    pub country: String,
    pub region: String,
    pub city: String,
    pub address: String,
    pub industry: Industry,
    pub size: CompanySize,
    pub created_at: Timestamp,
}

/// A company the user belongs to, and the user's role there.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CompanyMembership {
    pub company_id: CompanyId,
    pub legal_name: String,
    pub role: Role,
}

/// A person on a company's staff.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StaffMember {
    pub id: MembershipId,
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub joined_at: Timestamp,
}

/// The state of an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    Open,
    Accepted,
    Revoked,
    Expired,
}

/// An invitation as the inviting company sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Invitation {
    pub id: InvitationId,
    pub company_id: CompanyId,
    pub email: String,
    pub role: Role,
    pub status: InvitationStatus,
    pub expires_at: Timestamp,
    pub created_at: Timestamp,
}

/// What the invited person sees before accepting.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InvitationPreview {
    pub company_name: String,
    pub email: String,
    pub role: Role,
    pub status: InvitationStatus,
    pub expires_at: Timestamp,
}

/// A session as its owner sees it in the list of sign-ins.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Session {
    pub id: SessionId,
    pub user_agent: String,
    pub ip: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A valid session found by its token: whose it is and which company it acts for.
#[derive(Debug, Clone)]
pub struct SessionAuth {
    pub session_id: SessionId,
    pub user: User,
    pub active_company_id: Option<CompanyId>,
}

/// An API key as the company sees it; the secret is shown only at creation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub name: String,
    /// The first characters of the key, to recognise it.
    pub prefix: String,
    pub role: Role,
    pub scopes: Vec<crate::api_key::ApiScope>,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

/// A valid API key found by its secret.
#[derive(Debug, Clone)]
pub struct ApiKeyAuth {
    pub key_id: ApiKeyId,
    pub company_id: CompanyId,
    pub role: Role,
    pub scopes: Vec<crate::api_key::ApiScope>,
}
