//! What must hold after every restart: each answered operation is there (or,
//! answered as refused, absent), each company's records agree with its
//! wallet to the cent, the ledger balances, and every key replays its first
//! answer. Stuck withdrawals are repaired first, through the operator's API.

use std::collections::HashMap;

use anyhow::Context;
use serde_json::Value;

use super::order_checks::{self, OrderRecords};
use super::workload::{self, Company, Kind, Operation, Outcome, REQUEST_TIMEOUT};

/// How many older answered operations are replayed per cycle, beside all of
/// the cycle's own: the keys of the crash's moment are the interesting ones.
const REPLAYS_OF_OLDER_OPERATIONS: usize = 20;

/// A company's records as the server has them after the restart.
struct Records {
    top_ups: Vec<Value>,
    withdrawals: Vec<Value>,
    operations: Vec<Value>,
    balance: Value,
    orders: OrderRecords,
}

/// What one verification found.
#[derive(Debug, Default)]
pub struct Findings {
    /// Each distinct violation once, though every cycle checks the whole log.
    pub violations: std::collections::BTreeSet<String>,
    pub repaired: usize,
    pub healed: usize,
    pub replays: usize,
    pub resolved_in_doubt: usize,
    pub abandoned: usize,
    /// Orders found closed and checked: nothing changes them any more, so
    /// they are not read whole again.
    pub final_orders: std::collections::HashSet<String>,
}

pub(super) async fn get_json(client: &reqwest::Client, url: &str) -> anyhow::Result<Value> {
    let response = client.get(url).timeout(REQUEST_TIMEOUT).send().await?;
    let status = response.status();
    let text = response.text().await?;
    anyhow::ensure!(status.is_success(), "GET {url}: {status} {text}");
    Ok(serde_json::from_str(&text)?)
}

/// Every item of a paged list; `path` may carry a query of its own.
pub(super) async fn all_pages(
    client: &reqwest::Client,
    base_url: &str,
    path: &str,
) -> anyhow::Result<Vec<Value>> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    let joint = if path.contains('?') { '&' } else { '?' };
    loop {
        let url = match &cursor {
            Some(cursor) => format!("{base_url}{path}{joint}limit=200&cursor={cursor}"),
            None => format!("{base_url}{path}{joint}limit=200"),
        };
        let page = get_json(client, &url).await?;
        items.extend(page["items"].as_array().context("items")?.iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return Ok(items),
        }
    }
}

async fn records(client: &reqwest::Client, base_url: &str) -> anyhow::Result<Records> {
    let balances = get_json(client, &format!("{base_url}/api/v1/wallet/balances")).await?;
    let balance = balances
        .as_array()
        .context("balances")?
        .iter()
        .find(|b| b["currency"] == workload::CURRENCY)
        .cloned()
        .unwrap_or(Value::Null);
    Ok(Records {
        top_ups: all_pages(client, base_url, "/api/v1/wallet/top-ups").await?,
        withdrawals: all_pages(client, base_url, "/api/v1/wallet/withdrawals").await?,
        operations: all_pages(client, base_url, "/api/v1/sandbox-bank/operations").await?,
        balance,
        orders: order_checks::order_records(client, base_url).await?,
    })
}

fn minor(value: &Value) -> i64 {
    value["minor"].as_i64().unwrap_or(0)
}

/// Resends each in-doubt request with its key: a stored answer replays, a key
/// left "in progress" by a request that died in its handler stays unknown,
/// and a request that never ran runs now.
pub async fn resolve_in_doubt(
    companies: &[Company],
    base_url: &str,
    log: &mut [Operation],
    findings: &mut Findings,
) -> anyhow::Result<()> {
    for operation in log.iter_mut().filter(|op| op.outcome == Outcome::InDoubt) {
        let client = &companies[operation.company].client;
        let sent = workload::send(client, base_url, &operation.request)
            .await
            .context("the server stopped answering")?;
        let Ok((answer, _)) = sent else {
            anyhow::bail!("no answer from a live server to {}", operation.request.path);
        };
        if answer.status == 409 && answer.body.contains("idempotency_key_in_progress") {
            operation.outcome = Outcome::Abandoned;
            findings.abandoned += 1;
        } else {
            operation.outcome = Outcome::Answered(answer);
            findings.resolved_in_doubt += 1;
        }
    }
    Ok(())
}

/// The operator's repair of withdrawals a crash left stuck. Nothing else runs
/// now, so none is too young to repair.
pub async fn repair(
    operator: &reqwest::Client,
    base_url: &str,
    cycle: usize,
    findings: &mut Findings,
) -> anyhow::Result<()> {
    let stuck = get_json(
        operator,
        &format!("{base_url}/api/v1/operator/repairs/withdrawals?older_than_seconds=0"),
    )
    .await?;
    for item in stuck.as_array().context("stuck withdrawals")? {
        let id = item["id"].as_str().context("id")?;
        let response = operator
            .post(format!(
                "{base_url}/api/v1/operator/repairs/withdrawals/{id}?older_than_seconds=0"
            ))
            .header("Idempotency-Key", format!("repair-{id}-{cycle}"))
            .timeout(REQUEST_TIMEOUT)
            .send()
            .await?;
        let status = response.status();
        anyhow::ensure!(
            status.is_success(),
            "repair of {id}: {status} {}",
            response.text().await?
        );
        findings.repaired += 1;
    }
    let left = get_json(
        operator,
        &format!("{base_url}/api/v1/operator/repairs/withdrawals?older_than_seconds=0"),
    )
    .await?;
    if left.as_array().is_some_and(|left| !left.is_empty()) {
        findings
            .violations
            .insert(format!("withdrawals still stuck after the repair: {left}"));
    }
    Ok(())
}

/// What the bank has not settled in Hanse yet: operations still pending (to
/// confirm), and operations the bank decided whose notice a crash cut off,
/// so their record is still pending (to tell again, the same way).
async fn unsettled(
    client: &reqwest::Client,
    base_url: &str,
) -> anyhow::Result<Vec<(String, bool)>> {
    let records = records(client, base_url).await?;
    let still_pending = |reference: &str| {
        records
            .top_ups
            .iter()
            .chain(&records.withdrawals)
            .any(|item| item["id"] == reference && item["status"] == "pending")
    };
    Ok(records
        .operations
        .iter()
        .filter_map(|op| {
            let id = op["id"].as_str()?.to_owned();
            match op["status"].as_str()? {
                "pending" => Some((id, true)),
                decided if still_pending(op["reference"].as_str()?) => {
                    Some((id, decided == "confirmed"))
                }
                _ => None,
            }
        })
        .collect())
}

/// Settles everything the bank has not settled in Hanse yet, as a person
/// would, so the records can be compared with the wallet to the cent.
pub async fn heal(
    companies: &[Company],
    base_url: &str,
    cycle: usize,
    log: &mut Vec<Operation>,
    findings: &mut Findings,
) -> anyhow::Result<()> {
    for company in companies {
        for (operation_id, confirm) in unsettled(&company.client, base_url).await? {
            let kind = Kind::Settle {
                operation_id: operation_id.clone(),
                confirm,
            };
            let request = workload::Request {
                key: format!("heal-{operation_id}-{cycle}"),
                ..workload::request_for(
                    &kind,
                    &company.bank_account_id,
                    company.index,
                    cycle,
                    &mut rand::thread_rng(),
                )
            };
            let started = std::time::Instant::now();
            let Some(Ok((answer, _))) = workload::send(&company.client, base_url, &request).await
            else {
                anyhow::bail!("no answer while settling {operation_id}");
            };
            log.push(Operation {
                company: company.index,
                kind,
                request,
                outcome: Outcome::Answered(answer),
                cycle,
                latency: started.elapsed(),
            });
            findings.healed += 1;
        }
    }
    Ok(())
}

/// Checks one company's answered operations against its records, and its
/// records against its wallet.
fn check_company(
    company: usize,
    records: &Records,
    log: &[Operation],
    violations: &mut std::collections::BTreeSet<String>,
) {
    let by_amount = |list: &[Value], amount_minor: i64| {
        list.iter()
            .filter(|item| minor(&item["amount"]) == amount_minor)
            .cloned()
            .collect::<Vec<_>>()
    };
    let operations: HashMap<&str, &Value> = records
        .operations
        .iter()
        .filter_map(|op| Some((op["id"].as_str()?, op)))
        .collect();
    for op in log.iter().filter(|op| op.company == company) {
        let Some(answer) = op.answer() else { continue };
        let answered_ok = op.succeeded();
        if answer.status >= 500 {
            violations.insert(format!(
                "company {company}: a server error {} to {}",
                answer.status, op.request.path
            ));
            continue;
        }
        match &op.kind {
            Kind::TopUp { amount_minor } | Kind::Withdrawal { amount_minor } => {
                let list = if matches!(op.kind, Kind::TopUp { .. }) {
                    &records.top_ups
                } else {
                    &records.withdrawals
                };
                let found = by_amount(list, *amount_minor);
                match (answered_ok, found.len()) {
                    (true, 1) => {
                        let body: Value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
                        if body["id"] != found[0]["id"] {
                            violations.insert(format!(
                                "company {company}: answered {} but the record is {}",
                                body["id"], found[0]["id"]
                            ));
                        }
                    }
                    (false, 0) => {}
                    (answered, n) => {
                        violations.insert(format!(
                            "company {company}: {:?} answered {} ({}) has {n} records",
                            op.kind,
                            answer.status,
                            if answered { "done" } else { "refused" }
                        ));
                    }
                }
            }
            Kind::Settle {
                operation_id,
                confirm,
            } if answered_ok => {
                let Some(bank_op) = operations.get(operation_id.as_str()) else {
                    violations.insert(format!(
                        "company {company}: settled {operation_id} is not at the bank"
                    ));
                    continue;
                };
                let wanted = if *confirm { "confirmed" } else { "failed" };
                // Answered as settled; a later settle cannot change it.
                if bank_op["status"] != wanted {
                    violations.insert(format!(
                        "company {company}: {operation_id} answered {wanted} but is {}",
                        bank_op["status"]
                    ));
                }
                let reference = bank_op["reference"].as_str().unwrap_or_default();
                let (list, done) = if bank_op["kind"] == "payment" {
                    (
                        &records.top_ups,
                        if *confirm { "succeeded" } else { "failed" },
                    )
                } else {
                    (
                        &records.withdrawals,
                        if *confirm { "completed" } else { "failed" },
                    )
                };
                let record = list.iter().find(|item| item["id"] == reference);
                let status = record.map(|r| r["status"].as_str().unwrap_or_default());
                if status != Some(done) {
                    violations.insert(format!("company {company}: {operation_id} answered {wanted} but {reference} is {status:?}"));
                }
            }
            Kind::Settle { .. } => {}
            // Checked against the orders, in `order_checks`.
            Kind::Order(_) => {}
        }
    }
    // The records and the wallet agree to the cent: the bank's money, and
    // what orders paid, hold in escrow and brought in as seller.
    let sum = |list: &[Value], status: &str| -> i64 {
        list.iter()
            .filter(|item| item["status"] == status)
            .map(|item| minor(&item["amount"]))
            .sum()
    };
    let orders = order_checks::wallet_terms(&records.orders);
    let expected_balance =
        sum(&records.top_ups, "succeeded") - sum(&records.withdrawals, "completed") - orders.paid
            + orders.received;
    let expected_reserved = sum(&records.withdrawals, "pending") + orders.held;
    let balance = minor(&records.balance["balance"]);
    let reserved = minor(&records.balance["reserved"]);
    if (balance, reserved) != (expected_balance, expected_reserved) {
        violations.insert(format!(
            "company {company}: wallet balance {balance} reserved {reserved}, records say {expected_balance} and {expected_reserved}"
        ));
    }
}

/// All the checks after a restart. Answers the orders each active company
/// bought that are still open, by company index, to go on with.
pub async fn check(
    companies: &[Company],
    active: &[Company],
    operator: &reqwest::Client,
    base_url: &str,
    cycle: usize,
    log: &[Operation],
    findings: &mut Findings,
) -> anyhow::Result<HashMap<usize, Vec<String>>> {
    // Only the active companies changed since their last check.
    let mut open_orders = HashMap::new();
    for company in active {
        let records = records(&company.client, base_url).await?;
        check_company(company.index, &records, log, &mut findings.violations);
        order_checks::check_orders(
            company,
            base_url,
            &records.orders,
            log,
            &mut findings.final_orders,
            &mut findings.violations,
        )
        .await?;
        open_orders.insert(company.index, order_checks::open_orders(&records.orders));
    }
    let ledger = get_json(operator, &format!("{base_url}/api/v1/operator/ledger")).await?;
    if ledger["balanced"] != true {
        findings.violations.insert(format!(
            "the ledger does not balance: {}",
            ledger["violations"]
        ));
    }
    // Replays: all of this cycle's answers, and a sample of older ones.
    let answered: Vec<&Operation> = log.iter().filter(|op| op.answer().is_some()).collect();
    let older: Vec<&Operation> = answered
        .iter()
        .copied()
        .filter(|op| op.cycle < cycle)
        .collect();
    let mut sample: Vec<&Operation> = answered
        .iter()
        .copied()
        .filter(|op| op.cycle == cycle)
        .collect();
    for _ in 0..REPLAYS_OF_OLDER_OPERATIONS.min(older.len()) {
        sample.push(older[rand::Rng::gen_range(&mut rand::thread_rng(), 0..older.len())]);
    }
    for op in sample {
        let first = op.answer().context("answered")?;
        let Some(Ok((again, replayed))) =
            workload::send(&companies[op.company].client, base_url, &op.request).await
        else {
            anyhow::bail!("no answer to a replay");
        };
        findings.replays += 1;
        if !replayed || &again != first {
            findings.violations.insert(format!(
                "key {} answered {} {} first, {} {} (replayed: {replayed}) now",
                op.request.key, first.status, first.body, again.status, again.body
            ));
        }
    }
    Ok(open_orders)
}
