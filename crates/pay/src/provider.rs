//! The port to payment providers (a bank, Alipay, WeChat Pay, ...), and the
//! signature every provider's webhook carries: HMAC-SHA256 over the timestamp
//! and the body, refused when stale.

use hmac::{Hmac, Mac};
use kernel::{CompanyId, Money, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::{PayError, Result};

/// How far a webhook's timestamp may be from now, either way.
pub const WEBHOOK_TOLERANCE_SECONDS: i64 = 300;
/// The header a webhook's signature travels in: `t=<unix seconds>,v1=<hex>`.
pub const SIGNATURE_HEADER: &str = "hanse-signature";

/// Money a member pays in, to be collected by the provider.
#[derive(Debug, Clone)]
pub struct PaymentRequest {
    pub company_id: CompanyId,
    pub amount: Money,
    /// Hanse's own reference, echoed back in the webhook.
    pub reference: String,
    pub description: String,
}

/// Money paid out to a member's bank account.
#[derive(Debug, Clone)]
pub struct PayoutRequest {
    pub company_id: CompanyId,
    pub amount: Money,
    pub reference: String,
    pub holder_name: String,
    pub bank_name: String,
    pub account_number: String,
}

/// A payment provider. The sandbox is one; a real provider is one more.
#[async_trait::async_trait]
pub trait PaymentProvider: Send + Sync {
    /// The name in URLs and records, e.g. `sandbox`.
    fn name(&self) -> &'static str;
    /// Starts collecting a payment; the provider confirms by webhook.
    async fn start_payment(&self, request: PaymentRequest) -> Result<()>;
    /// Starts a payout; the provider confirms or fails it by webhook.
    async fn start_payout(&self, request: PayoutRequest) -> Result<()>;
    /// The secret its webhooks are signed with.
    fn webhook_secret(&self) -> &[u8];
    /// What the provider knows of the payout with Hanse's `reference`: the
    /// operator's repair settles a withdrawal left stuck by a crash from this.
    async fn payout_status(&self, reference: &str) -> Result<ProviderStatus>;
}

/// A payment's or payout's state as its provider reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProviderStatus {
    /// The provider never received it.
    Unknown,
    /// Received, not yet done.
    Pending,
    Succeeded,
    Failed,
}

/// What a provider tells Hanse, after its own format is translated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEvent {
    /// Unique per event; retries of one event carry the same id.
    pub event_id: String,
    #[serde(rename = "type")]
    pub kind: WebhookKind,
    /// Hanse's reference of the top-up or withdrawal.
    pub reference: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WebhookKind {
    #[serde(rename = "payment.succeeded")]
    PaymentSucceeded,
    #[serde(rename = "payment.failed")]
    PaymentFailed,
    #[serde(rename = "payout.completed")]
    PayoutCompleted,
    #[serde(rename = "payout.failed")]
    PayoutFailed,
}

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The signature header value for `body` at `now`.
pub fn sign(secret: &[u8], now: Timestamp, body: &[u8]) -> String {
    let timestamp = now.micros() / 1_000_000;
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

/// Checks a signature header: well formed, fresh, and matching in constant time.
pub fn verify(secret: &[u8], header: &str, body: &[u8], now: Timestamp) -> Result<()> {
    let mut timestamp = None;
    let mut signature = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signature = decode_hex(value),
            _ => {}
        }
    }
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return Err(PayError::InvalidSignature);
    };
    mac(secret, timestamp, body)
        .verify_slice(&signature)
        .map_err(|_| PayError::InvalidSignature)?;
    let age = now.micros() / 1_000_000 - timestamp;
    if age.abs() > WEBHOOK_TOLERANCE_SECONDS {
        return Err(PayError::StaleWebhook);
    }
    Ok(())
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SECRET: &[u8] = b"whsec_test";

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_micros(seconds * 1_000_000)
    }

    #[test]
    fn a_signed_body_verifies_and_a_changed_one_does_not() {
        let header = sign(SECRET, at(1_800_000_000), b"{\"a\":1}");
        assert!(verify(SECRET, &header, b"{\"a\":1}", at(1_800_000_010)).is_ok());
        assert!(matches!(
            verify(SECRET, &header, b"{\"a\":2}", at(1_800_000_010)),
            Err(PayError::InvalidSignature)
        ));
        assert!(matches!(
            verify(b"other", &header, b"{\"a\":1}", at(1_800_000_010)),
            Err(PayError::InvalidSignature)
        ));
        assert!(matches!(
            verify(SECRET, &header, b"{\"a\":1}", at(1_800_000_301)),
            Err(PayError::StaleWebhook)
        ));
        assert!(matches!(
            verify(SECRET, "t=1,v1=zz", b"", at(1)),
            Err(PayError::InvalidSignature)
        ));
        assert!(matches!(
            verify(SECRET, "", b"", at(1)),
            Err(PayError::InvalidSignature)
        ));
    }

    proptest! {
        #[test]
        fn any_header_is_answered_without_panic(header in ".{0,200}", body in prop::collection::vec(any::<u8>(), 0..64)) {
            let _ = verify(SECRET, &header, &body, at(1_800_000_000));
        }
    }
}
