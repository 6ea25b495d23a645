//! The tenancy `Scope`: which company a request acts for, who acts, and in what
//! role. Every read or write of a member's data takes one.

use serde::{Deserialize, Serialize};

use crate::id::{CompanyId, UserId};

/// A member's staff role. The order of variants is not a hierarchy; what a role
/// may do is asked through the methods below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Admin,
    Sales,
    Purchasing,
    Warehouse,
    Finance,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Owner,
        Role::Admin,
        Role::Sales,
        Role::Purchasing,
        Role::Warehouse,
        Role::Finance,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Sales => "sales",
            Role::Purchasing => "purchasing",
            Role::Warehouse => "warehouse",
            Role::Finance => "finance",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }

    /// Invite, remove and re-role staff, and manage API keys.
    pub fn manages_company(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }
}

/// Who is acting: a signed-in person or one of the company's API keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    User(UserId),
    /// The raw id of an API key; its typed id lives in the module that owns keys.
    ApiKey(i64),
}

/// The company a request acts for, and who acts in what role. Built by `web`
/// after authentication, passed to every tenant-owned query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    company_id: CompanyId,
    actor: Actor,
    role: Role,
}

impl Scope {
    pub fn new(company_id: CompanyId, actor: Actor, role: Role) -> Self {
        Scope {
            company_id,
            actor,
            role,
        }
    }

    pub fn company_id(&self) -> CompanyId {
        self.company_id
    }

    pub fn actor(&self) -> Actor {
        self.actor
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// The person acting, when it is a person rather than an API key.
    pub fn user_id(&self) -> Option<UserId> {
        match self.actor {
            Actor::User(user) => Some(user),
            Actor::ApiKey(_) => None,
        }
    }
}
