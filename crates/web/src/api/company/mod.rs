//! The company a request acts for: registering one, its profile, staff,
//! invitations and API keys.

pub mod api_keys;
pub mod invitations;
pub mod register;
pub mod show;
pub mod staff;
