//! Request extractors: JSON bodies with field-precise errors, query strings with
//! bounded numbers, path ids, and who is asking (session or API key) turned into
//! a `Scope`.

pub mod auth;
pub mod bounded;
mod integers;
pub mod json;
pub mod path;
pub mod query;
pub mod raw;

pub use auth::{Member, OperatorUser, SignedIn};
pub use json::ApiJson;
pub use path::IdPath;
pub use query::ApiQuery;
pub use raw::RawBody;
