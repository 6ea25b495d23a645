//! The money work the soak drives, and the record of every request it sent:
//! top-ups, withdrawals, and confirmations or failures at the sandbox bank,
//! each a POST with its own `Idempotency-Key`, from one client per company.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use rand::Rng;
use serde_json::{Value, json};

/// Every soak amount is in this currency.
pub const CURRENCY: &str = "EUR";
/// Top-ups get amounts from here up, withdrawals below it: with a per-company
/// sequence number in the amount, every operation's amount is its own, so a
/// record can be found (or shown absent) by amount alone.
const TOP_UP_BASE_MINOR: i64 = 1_000_000;
const WITHDRAWAL_BASE_MINOR: i64 = 100;
pub use crate::http::REQUEST_TIMEOUT;

/// A member company of the soak, with its owner's signed-in client.
pub struct Company {
    pub index: usize,
    pub client: reqwest::Client,
    pub bank_account_id: String,
    /// The next sequence number for an amount; never reused.
    pub next_sequence: i64,
}

/// What a request was for.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    TopUp { amount_minor: i64 },
    Withdrawal { amount_minor: i64 },
    Settle { operation_id: String, confirm: bool },
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
    base_url: String,
    cycle: usize,
    seed: u64,
    stop: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<Operation>>>,
) {
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
    let (client, index, bank_account_id) = {
        let company = company.lock().expect("company");
        (
            company.client.clone(),
            company.index,
            company.bank_account_id.clone(),
        )
    };
    while !stop.load(Ordering::Relaxed) {
        let roll = rng.gen_range(0..100);
        let kind = if roll < 35 {
            None
        } else {
            let sequence = {
                let mut company = company.lock().expect("company");
                company.next_sequence += 1;
                company.next_sequence
            };
            Some(if roll < 75 {
                Kind::TopUp {
                    amount_minor: TOP_UP_BASE_MINOR + sequence,
                }
            } else {
                Kind::Withdrawal {
                    amount_minor: WITHDRAWAL_BASE_MINOR + sequence,
                }
            })
        };
        let kind = match kind {
            Some(kind) => kind,
            None => match pending_at_bank(&client, &base_url).await {
                Ok(pending) if !pending.is_empty() => Kind::Settle {
                    operation_id: pending[rng.gen_range(0..pending.len())].clone(),
                    confirm: rng.gen_bool(0.8),
                },
                Ok(_) => continue,
                // The server is going down; the loop ends at `stop`.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
            },
        };
        let request = request_for(&kind, &bank_account_id, index, cycle, &mut rng);
        let started = Instant::now();
        let Some(result) = send(&client, &base_url, &request).await else {
            tokio::time::sleep(Duration::from_millis(5)).await;
            continue;
        };
        let outcome = match result {
            Ok((answer, _)) => Outcome::Answered(answer),
            Err(()) => Outcome::InDoubt,
        };
        log.lock().expect("log").push(Operation {
            company: index,
            kind,
            request,
            outcome,
            cycle,
            latency: started.elapsed(),
        });
    }
}

pub fn request_for(
    kind: &Kind,
    bank_account_id: &str,
    company: usize,
    cycle: usize,
    rng: &mut impl Rng,
) -> Request {
    let key = format!("soak-{company}-{cycle}-{:016x}", rng.r#gen::<u64>());
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
    }
}
