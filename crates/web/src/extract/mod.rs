//! Request extractors: JSON bodies with field-precise errors, query strings, path
//! ids, and who is asking (session or API key) turned into a `Scope`.

pub mod auth;
pub mod json;
pub mod path;
pub mod query;

pub use auth::{Member, OperatorUser, SignedIn};
pub use json::ApiJson;
pub use path::IdPath;
pub use query::ApiQuery;
