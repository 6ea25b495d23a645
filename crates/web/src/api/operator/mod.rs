//! Routes for the network's operator; members get 404 here.

pub mod companies;
pub mod disputes;
pub mod ledger;
pub mod market;
pub mod repairs;
pub mod terms;
