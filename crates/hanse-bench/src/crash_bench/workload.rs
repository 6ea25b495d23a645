//! The work the soak drives, and the record of every request it sent:
//! top-ups, withdrawals, confirmations or failures at the sandbox bank, and
//! the steps of orders between the companies (`trading.rs`), each a POST with
//! its own `Idempotency-Key`, from one client per company.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use rand::Rng;
use serde_json::{Value, json};

use super::trading::{self, Market};

/// Every soak amount is in this currency.
pub const CURRENCY: &str = "EUR";
/// Top-ups get amounts from here up, withdrawals below it: with a per-company
/// sequence number in the amount, every operation's amount is its own, so a
/// record can be found (or shown absent) by amount alone.
const TOP_UP_BASE_MINOR: i64 = 1_000_000;
const WITHDRAWAL_BASE_MINOR: i64 = 100;
pub use crate::http::REQUEST_TIMEOUT;

/// Out of 100 draws of a client's next request: below the first, a bank
/// settlement; then top-ups, withdrawals, and from the last on an order step.
const SETTLE_BELOW: u32 = 20;
const TOP_UP_BELOW: u32 = 42;
const WITHDRAWAL_BELOW: u32 = 55;

/// A member company of the soak, with its owner's signed-in client.
#[derive(Clone)]
pub struct Company {
    pub index: usize,
    /// `co_…`, as orders name their buyer and seller.
    pub company_id: String,
    pub client: reqwest::Client,
    pub bank_account_id: String,
    /// The next sequence number for an amount or an order's tag; never reused.
    pub next_sequence: i64,
    /// The orders it placed that were not closed when last seen.
    pub open_orders: Vec<String>,
}

/// What a request was for.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    TopUp { amount_minor: i64 },
    Withdrawal { amount_minor: i64 },
    Settle { operation_id: String, confirm: bool },
    Order(trading::Step),
}

/// A request as sent: replaying it means the same path, body and key.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub body: Value,
    pub key: String,
}

/// The server's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// What became of a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Answered(Answer),
    /// Sent, but the connection died before an answer: it may or may not
    /// have taken effect.
    InDoubt,
    /// In doubt, and its key stays "in progress" after the restart (the first
    /// attempt died inside its handler): never known, never retried again.
    Abandoned,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub company: usize,
    pub kind: Kind,
    pub request: Request,
    pub outcome: Outcome,
    pub cycle: usize,
    pub latency: Duration,
}

impl Operation {
    pub fn answer(&self) -> Option<&Answer> {
        match &self.outcome {
            Outcome::Answered(answer) => Some(answer),
            _ => None,
        }
    }

    pub fn succeeded(&self) -> bool {
        self.answer()
            .is_some_and(|a| (200..300).contains(&a.status))
    }
}

pub fn money(minor: i64) -> Value {
    json!({"minor": minor, "currency": CURRENCY})
}

/// Sends one recorded POST. A refused connection means the server was down
/// and the request never reached it: `None`, nothing to record.
pub async fn send(
    client: &reqwest::Client,
    base_url: &str,
    request: &Request,
) -> Option<Result<(Answer, bool), ()>> {
    let sent = client
        .post(format!("{base_url}{}", request.path))
        .header("Idempotency-Key", &request.key)
        .json(&request.body)
        .timeout(REQUEST_TIMEOUT)
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(error) if error.is_connect() => return None,
        Err(_) => return Some(Err(())),
    };
    let status = response.status().as_u16();
    let replayed = response.headers().contains_key("idempotent-replayed");
    match response.text().await {
        Ok(body) => Some(Ok((Answer { status, body }, replayed))),
        Err(_) => Some(Err(())),
    }
}

/// The pending operations of a company at the sandbox bank (newest first,
/// first page), as ids with their kind.
pub async fn pending_at_bank(
    client: &reqwest::Client,
    base_url: &str,
) -> anyhow::Result<Vec<String>> {
    let page: Value = client
        .get(format!(
            "{base_url}/api/v1/sandbox-bank/operations?limit=50"
        ))
        .timeout(REQUEST_TIMEOUT)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(page["items"]
        .as_array()
        .context("operations")?
        .iter()
        .filter(|op| op["status"] == "pending")
        .filter_map(|op| op["id"].as_str().map(str::to_owned))
        .collect())
}

/// Drives one company until `stop`, recording every request that reached
/// the server (or may have).
pub async fn drive(
    company: Arc<Mutex<Company>>,
    market: Arc<Market>,
    base_url: String,
    cycle: usize,
    seed: u64,
    stop: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<Operation>>>,
) {
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
    let (client, index, bank_account_id, mut open_orders) = {
        let company = company.lock().expect("company");
        (
            company.client.clone(),
            company.index,
            company.bank_account_id.clone(),
            company.open_orders.clone(),
        )
    };
    let next_sequence = || {
        let mut company = company.lock().expect("company");
        company.next_sequence += 1;
        company.next_sequence
    };
    while !stop.load(Ordering::Relaxed) {
        let roll = rng.gen_range(0..100);
        let (actor, kind, request) = if roll < SETTLE_BELOW {
            match pending_at_bank(&client, &base_url).await {
                Ok(pending) if !pending.is_empty() => {
                    let kind = Kind::Settle {
                        operation_id: pending[rng.gen_range(0..pending.len())].clone(),
                        confirm: rng.gen_bool(0.8),
                    };
                    let request = request_for(&kind, &bank_account_id, index, cycle, &mut rng);
                    (index, kind, request)
                }
                Ok(_) => continue,
                // The server is going down; the loop ends at `stop`.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
            }
        } else if roll < WITHDRAWAL_BELOW {
            let kind = if roll < TOP_UP_BELOW {
                Kind::TopUp {
                    amount_minor: TOP_UP_BASE_MINOR + next_sequence(),
                }
            } else {
                Kind::Withdrawal {
                    amount_minor: WITHDRAWAL_BASE_MINOR + next_sequence(),
                }
            };
            let request = request_for(&kind, &bank_account_id, index, cycle, &mut rng);
            (index, kind, request)
        } else {
            let tag = || trading::tag(index, next_sequence());
            let chosen = trading::choose(
                &client,
                &base_url,
                index,
                tag,
                &market,
                &mut open_orders,
                &mut rng,
            )
            .await;
            match chosen {
                Ok(Some(chosen)) => {
                    let request = Request {
                        path: chosen.path,
                        body: chosen.body,
                        key: key(chosen.actor, cycle, &mut rng),
                    };
                    (chosen.actor, Kind::Order(chosen.step), request)
                }
                // Nothing to do on this order now (or no seller to buy
                // from): let the other clients run.
                Ok(None) => {
                    tokio::task::yield_now().await;
                    continue;
                }
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
            }
        };
        let actor_client = if actor == index {
            &client
        } else {
            match market.sellers.iter().find(|s| s.index == actor) {
                Some(seller) => &seller.client,
                None => continue,
            }
        };
        let started = Instant::now();
        let Some(result) = send(actor_client, &base_url, &request).await else {
            tokio::time::sleep(Duration::from_millis(5)).await;
            continue;
        };
        let outcome = match result {
            Ok((answer, _)) => Outcome::Answered(answer),
            Err(()) => Outcome::InDoubt,
        };
        if let (Kind::Order(step), Outcome::Answered(answer)) = (&kind, &outcome)
            && step.action == trading::Action::Place
            && answer.status == 201
            && let Ok(order) = serde_json::from_str::<Value>(&answer.body)
            && let Some(id) = order["id"].as_str()
        {
            open_orders.push(id.to_owned());
        }
        log.lock().expect("log").push(Operation {
            company: actor,
            kind,
            request,
            outcome,
            cycle,
            latency: started.elapsed(),
        });
    }
    company.lock().expect("company").open_orders = open_orders;
}

/// A fresh `Idempotency-Key` for a request of `company`.
pub fn key(company: usize, cycle: usize, rng: &mut impl Rng) -> String {
    format!("soak-{company}-{cycle}-{:016x}", rng.r#gen::<u64>())
}

pub fn request_for(
    kind: &Kind,
    bank_account_id: &str,
    company: usize,
    cycle: usize,
    rng: &mut impl Rng,
) -> Request {
    let key = key(company, cycle, rng);
    match kind {
        Kind::TopUp { amount_minor } => Request {
            path: "/api/v1/wallet/top-ups".into(),
            body: json!({"amount": money(*amount_minor)}),
            key,
        },
        Kind::Withdrawal { amount_minor } => Request {
            path: "/api/v1/wallet/withdrawals".into(),
            body: json!({"bank_account_id": bank_account_id, "amount": money(*amount_minor)}),
            key,
        },
        Kind::Settle {
            operation_id,
            confirm,
        } => Request {
            path: format!(
                "/api/v1/sandbox-bank/operations/{operation_id}/{}",
                if *confirm { "confirm" } else { "fail" }
            ),
            body: json!({}),
            key,
        },
        // An order step's path and body are chosen from the order
        // (`trading::next_step`); only money work is made here.
        Kind::Order(_) => unreachable!("an order step is made by trading::next_step"),
    }
}
