//! Identity: people and their sign-in, companies and their staff in roles,
//! invitations, sessions, API keys, and the mail that invites people.

pub mod api_key;
mod company;
pub mod credit_code;
pub mod email;
pub mod error;
pub mod events;
pub mod fields;
mod invitation;
pub mod mail;
mod model;
pub mod password;
mod rows;
mod session;
mod staff;
pub mod token;
mod user;

use std::sync::Arc;

use kernel::migrate::Migration;
use kernel::{Clock, Db};

pub use api_key::{ApiScope, NewApiKey};
pub use company::NewCompany;
pub use error::{IdentityError, Result};
pub use fields::{CompanySize, Industry, Language};
pub use model::*;
pub use password::HashCost;
pub use user::NewUser;

/// How long an invitation stays open.
pub const INVITATION_LIFETIME_SECONDS: i64 = 7 * 24 * 3600;
/// How long a session lasts without signing in again.
pub const SESSION_LIFETIME_SECONDS: i64 = 30 * 24 * 3600;

/// Identity's migrations, after the kernel's.
pub fn migrations() -> Vec<Migration> {
    vec![Migration {
        module: "identity",
        version: 1,
        name: "people_companies_sessions",
        sql: include_str!("../migrations/0001_identity.sql"),
    }]
}

/// The identity service. Cheap to clone.
#[derive(Clone)]
pub struct Identity {
    db: Db,
    clock: Arc<dyn Clock>,
    mailer: Arc<dyn mail::Mailer>,
    hash_cost: HashCost,
    /// Verified against when an email is unknown; see `authenticate`.
    decoy_hash: Arc<String>,
    /// Where links in mail point, e.g. `http://127.0.0.1:8080`.
    public_url: String,
}

impl Identity {
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        mailer: Arc<dyn mail::Mailer>,
        hash_cost: HashCost,
        public_url: String,
    ) -> Self {
        let decoy_hash = Arc::new(password::decoy_hash(hash_cost));
        Identity {
            db,
            clock,
            mailer,
            hash_cost,
            decoy_hash,
            public_url,
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}
