//! The signed-in person: profile, companies, the company the session acts for,
//! and their sessions.

pub mod sessions;
pub mod show;
pub mod switch_company;
