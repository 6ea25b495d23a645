//! `/api/v1/orders`: orders between companies, for the buyer and the seller.
//! One file per group of steps; every step answers the order as it now stands
//! (or the refund or dispute it created), and refuses a step the order's
//! state, the caller's side or role does not allow with `invalid_transition`
//! and the rule's `reason`.

pub mod dispute;
pub mod list;
pub mod payment;
pub mod place;
pub mod refunds;
pub mod seller;
pub mod shipping;
pub mod show;

use serde::Deserialize;

/// Why a step is taken: told to the other side and kept on the timeline.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    /// Up to 2000 characters; may be empty.
    #[serde(default)]
    pub reason: String,
}
