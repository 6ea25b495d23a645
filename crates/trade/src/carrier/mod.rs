//! The port to logistics: a carrier creates shipments and reports tracking
//! events through signed webhooks, as a payment provider reports payments.
//! The sandbox carrier is the built-in one; a real carrier implements
//! [`Carrier`] and is added to [`Carriers`].

mod sandbox;

use std::collections::BTreeMap;
use std::sync::Arc;

use kernel::{CompanyId, Timestamp};
use serde::{Deserialize, Serialize};

use crate::error::{Result, TradeError};
use crate::model::TrackingStatus;

pub use sandbox::{
    ParcelViewer, SANDBOX_CARRIER, SandboxCarrier, SandboxParcel, TRACKING_NUMBER_PATTERN,
    is_tracking_number,
};

/// The carrier code for goods sent with a carrier Hanse has no port to: the
/// seller types the tracking number, and the buyer confirms delivery.
pub const OTHER_CARRIER: &str = "other";

/// The largest webhook body a carrier may send.
pub const WEBHOOK_BODY_BYTES_MAX: usize = 64 * 1024;
/// Tracking events per webhook.
pub const WEBHOOK_EVENTS_MAX: usize = 100;

/// What the carrier needs to collect and deliver.
#[derive(Debug, Clone)]
pub struct ShipmentRequest {
    /// The shipment's raw id, which the carrier echoes back.
    pub reference: i64,
    pub seller: CompanyId,
    pub buyer: CompanyId,
    pub origin: String,
    pub destination: String,
    pub cross_border: bool,
    pub packages: i64,
}

/// A tracking event as a carrier reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackingUpdate {
    /// The carrier's own id of the event: a replayed one changes nothing.
    pub event_id: String,
    pub tracking_number: String,
    pub status: TrackingStatus,
    pub location: String,
    pub occurred_at: Timestamp,
}

/// A carrier's webhook body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrackingWebhook {
    pub events: Vec<TrackingUpdate>,
}

/// A logistics provider.
#[async_trait::async_trait]
pub trait Carrier: Send + Sync {
    /// The code stored with a shipment and named in the webhook's URL.
    fn code(&self) -> &'static str;

    /// Books the pickup; answers the tracking number.
    async fn create_shipment(&self, request: &ShipmentRequest) -> Result<String>;

    /// Checks a webhook's signature and age and reads its events.
    fn read_webhook(
        &self,
        signature: &str,
        body: &[u8],
        now: Timestamp,
    ) -> Result<Vec<TrackingUpdate>>;
}

/// The carriers a network has configured, by code.
#[derive(Clone, Default)]
pub struct Carriers {
    by_code: BTreeMap<&'static str, Arc<dyn Carrier>>,
    sandbox: Option<Arc<SandboxCarrier>>,
}

impl Carriers {
    pub fn none() -> Carriers {
        Carriers::default()
    }

    pub fn with(mut self, carrier: Arc<dyn Carrier>) -> Carriers {
        self.by_code.insert(carrier.code(), carrier);
        self
    }

    pub fn with_sandbox(mut self, sandbox: Arc<SandboxCarrier>) -> Carriers {
        self.by_code.insert(SANDBOX_CARRIER, sandbox.clone());
        self.sandbox = Some(sandbox);
        self
    }

    pub fn get(&self, code: &str) -> Result<&Arc<dyn Carrier>> {
        self.by_code
            .get(code)
            .ok_or_else(|| TradeError::UnknownCarrier(code.to_owned()))
    }

    /// The configured carriers' codes, for the shipping form.
    pub fn codes(&self) -> Vec<&'static str> {
        self.by_code.keys().copied().collect()
    }

    pub fn sandbox(&self) -> Option<&Arc<SandboxCarrier>> {
        self.sandbox.as_ref()
    }
}

/// Checks a signature made with the payment webhooks' scheme
/// (`t=…,v1=…`, HMAC-SHA256 of `timestamp.body`), mapped to trade's errors.
pub(crate) fn verify_signature(
    secret: &[u8],
    header: &str,
    body: &[u8],
    now: Timestamp,
) -> Result<()> {
    pay::provider::verify(secret, header, body, now).map_err(|error| match error {
        pay::PayError::StaleWebhook => TradeError::StaleWebhook,
        _ => TradeError::InvalidSignature,
    })
}

/// Reads a webhook body, bounded.
pub(crate) fn parse_webhook(body: &[u8]) -> Result<Vec<TrackingUpdate>> {
    if body.len() > WEBHOOK_BODY_BYTES_MAX {
        return Err(TradeError::invalid(
            "body",
            "too_large",
            "the webhook body is too large",
        ));
    }
    let webhook: TrackingWebhook = serde_json::from_slice(body)
        .map_err(|_| TradeError::invalid("body", "malformed", "not a tracking webhook"))?;
    if webhook.events.len() > WEBHOOK_EVENTS_MAX {
        return Err(TradeError::invalid(
            "events",
            "too_many",
            format!("at most {WEBHOOK_EVENTS_MAX} events"),
        ));
    }
    Ok(webhook.events)
}
