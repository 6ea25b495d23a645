//! Events identity publishes to the outbox.

use kernel::outbox::Event;
use kernel::{CompanyId, UserId};
use serde::{Deserialize, Serialize};

/// A company was registered by its first owner.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CompanyRegistered {
    pub company_id: CompanyId,
    pub legal_name: String,
    pub country: String,
    /// Province or state, city and staff size; added after the first
    /// version, so older payloads read as empty.
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub size: String,
    pub owner: UserId,
}

impl Event for CompanyRegistered {
    const NAME: &'static str = "CompanyRegistered";
    const VERSION: i64 = 1;
}

/// A person joined a company's staff by accepting an invitation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaffJoined {
    pub company_id: CompanyId,
    pub user_id: UserId,
    pub role: kernel::Role,
}

impl Event for StaffJoined {
    const NAME: &'static str = "StaffJoined";
    const VERSION: i64 = 1;
}
