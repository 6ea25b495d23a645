//! One buyer's work: place an order for a random product of a random seller,
//! have the seller confirm it, pay it into escrow, and optionally carry it on
//! (ship, confirm receipt) so the server settles it. Each step's latency is
//! recorded; any answer other than success is an error of the run.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use rand::Rng;
use serde_json::{Value, json};

use super::network::{Buyer, QUANTITY_MAX, Seller};

/// The steps of an order, in the order they are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Place,
    Confirm,
    Pay,
    Ship,
    ConfirmReceipt,
}

pub const STEPS: [Step; 5] = [
    Step::Place,
    Step::Confirm,
    Step::Pay,
    Step::Ship,
    Step::ConfirmReceipt,
];

impl Step {
    pub fn name(self) -> &'static str {
        match self {
            Step::Place => "place",
            Step::Confirm => "confirm",
            Step::Pay => "pay",
            Step::Ship => "ship",
            Step::ConfirmReceipt => "confirm_receipt",
        }
    }

    fn index(self) -> usize {
        STEPS.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// What one buyer measured.
#[derive(Debug, Default)]
pub struct BuyerLog {
    /// Latencies per step, indexed like [`STEPS`].
    pub latencies: [Vec<Duration>; 5],
    /// Orders placed and paid.
    pub paid: usize,
    /// Total paid into escrow, in minor units.
    pub paid_minor: i64,
    /// Orders carried to receipt (with `--settle`).
    pub received: Vec<String>,
    pub errors: Vec<String>,
}

/// Takes orders from the shared counter until `orders` have been taken.
pub async fn drive(
    base_url: Arc<str>,
    buyer: Arc<Buyer>,
    sellers: Arc<Vec<Seller>>,
    taken: Arc<AtomicUsize>,
    orders: usize,
    settle: bool,
    seed: u64,
) -> BuyerLog {
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
    let mut log = BuyerLog::default();
    loop {
        let number = taken.fetch_add(1, Ordering::Relaxed);
        if number >= orders {
            return log;
        }
        let seller = &sellers[rng.gen_range(0..sellers.len())];
        let product = &seller.products[rng.gen_range(0..seller.products.len())];
        let quantity = rng.gen_range(product.moq..=QUANTITY_MAX.max(product.moq));
        let result = one_order(
            &base_url,
            &buyer.client,
            &seller.client,
            &product.id,
            quantity,
            number,
            settle,
            &mut log,
        )
        .await;
        if let Err(error) = result {
            log.errors.push(format!("order {number}: {error:#}"));
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn one_order(
    base_url: &str,
    buyer: &reqwest::Client,
    seller: &reqwest::Client,
    product_id: &str,
    quantity: i64,
    number: usize,
    settle: bool,
    log: &mut BuyerLog,
) -> anyhow::Result<()> {
    let order = step(
        log,
        Step::Place,
        buyer,
        &format!("{base_url}/api/v1/orders"),
        json!({"lines": [{"product_id": product_id, "quantity": quantity}],
               "delivery_address": "Speicherstadt 1, 20457 Hamburg, Germany",
               "terms": "FOB"}),
        None,
    )
    .await?;
    let id = order["id"].as_str().context("order id")?.to_owned();
    let orders = format!("{base_url}/api/v1/orders/{id}");
    step(
        log,
        Step::Confirm,
        seller,
        &format!("{orders}/confirm"),
        json!({}),
        None,
    )
    .await?;
    let paid = step(
        log,
        Step::Pay,
        buyer,
        &format!("{orders}/pay"),
        json!({}),
        Some(format!("bench-pay-{number}")),
    )
    .await?;
    anyhow::ensure!(
        paid["state"] == "paid",
        "paid order in state {}",
        paid["state"]
    );
    log.paid += 1;
    log.paid_minor += paid["total_minor"].as_i64().unwrap_or(0);
    if settle {
        step(
            log,
            Step::Ship,
            seller,
            &format!("{orders}/ship"),
            json!({"carrier": "other", "tracking_number": format!("BENCH{number:010}")}),
            None,
        )
        .await?;
        step(
            log,
            Step::ConfirmReceipt,
            buyer,
            &format!("{orders}/confirm-receipt"),
            json!({}),
            Some(format!("bench-receipt-{number}")),
        )
        .await?;
        log.received.push(id);
    }
    Ok(())
}

async fn step(
    log: &mut BuyerLog,
    step: Step,
    client: &reqwest::Client,
    url: &str,
    body: Value,
    idempotency_key: Option<String>,
) -> anyhow::Result<Value> {
    let started = Instant::now();
    let mut request = client.post(url).json(&body);
    if let Some(key) = idempotency_key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await?;
    let status = response.status();
    let text = response.text().await?;
    log.latencies[step.index()].push(started.elapsed());
    anyhow::ensure!(status.is_success(), "{}: {status} {text}", step.name());
    Ok(serde_json::from_str(&text)?)
}
