//! The companies and the journal of a books run, made before the clock
//! starts: entries as varied as real books (two to five lines on many
//! accounts, amounts across six orders of magnitude, dates over two years,
//! all four journals, drafts among them), one company holding a large share.

use anyhow::Context;
use books::{AccountId, Books, EntryInput, Journal, LineInput};
use kernel::{Actor, CompanyId, Currency, Role, Scope, UserId};
use rand::Rng;
use rand::seq::SliceRandom;

/// The entries are dated over this year and the next.
pub const FIRST_YEAR: i32 = 2025;

/// A company whose books are open, and the accounts a line by hand may use.
pub struct Company {
    pub scope: Scope,
    pub accounts: Vec<AccountId>,
}

/// One `import_entries` call.
#[derive(Clone)]
pub struct Batch {
    pub scope: Scope,
    pub entries: Vec<EntryInput>,
}

impl Batch {
    pub fn lines(&self) -> usize {
        self.entries.iter().map(|entry| entry.lines.len()).sum()
    }
}

/// Opens `count` companies' books with the default chart.
pub async fn open_books(books: &Books, count: usize) -> anyhow::Result<Vec<Company>> {
    let mut companies = Vec::with_capacity(count);
    for raw in 1..=count as i64 {
        let scope = Scope::new(
            CompanyId::from_raw(raw),
            Actor::User(UserId::new()),
            Role::Finance,
        );
        let accounts = books
            .accounts(&scope)
            .await
            .context("could not open the books")?
            .into_iter()
            .filter(|account| {
                !matches!(
                    account.role,
                    Some(books::AccountRole::Wallet | books::AccountRole::EscrowAdvance)
                )
            })
            .map(|account| account.id)
            .collect();
        companies.push(Company { scope, accounts });
    }
    Ok(companies)
}

const MEMOS: [&str; 12] = [
    "货款 Goods received",
    "Freight to Hamburg",
    "办公用品 Office supplies",
    "Salary December",
    "Customs duty",
    "仓库租金 Warehouse rent",
    "Sample shipment",
    "Bank charges",
    "展会费用 Trade fair stand",
    "Consulting",
    "Packaging material",
    "差旅费 Travel",
];

fn entry(rng: &mut impl Rng, accounts: &[AccountId]) -> EntryInput {
    let debits = rng.gen_range(1..=3_usize);
    let credits = rng.gen_range(1..=2_usize);
    // Amounts from ¥0.01 to ¥100,000, as small fees and large invoices mix.
    let amounts: Vec<i64> = (0..debits)
        .map(|_| 10_i64.pow(rng.gen_range(0..7)) * rng.gen_range(1..=10))
        .collect();
    let total: i64 = amounts.iter().sum();
    let mut lines: Vec<LineInput> = amounts
        .iter()
        .map(|amount| line(*accounts.choose(rng).unwrap_or(&accounts[0]), *amount, 0))
        .collect();
    let mut left = total;
    for index in 0..credits {
        let amount = if index + 1 == credits {
            left
        } else {
            rng.gen_range(1..=left.max(1)).min(left - 1).max(1)
        };
        if amount <= 0 {
            break;
        }
        left -= amount;
        lines.push(line(
            *accounts.choose(rng).unwrap_or(&accounts[0]),
            0,
            amount,
        ));
    }
    let month = rng.gen_range(0..24);
    EntryInput {
        journal: [
            Journal::Sales,
            Journal::Purchases,
            Journal::Bank,
            Journal::General,
        ][rng.gen_range(0..4)],
        date: format!(
            "{:04}-{:02}-{:02}",
            FIRST_YEAR + month / 12,
            month % 12 + 1,
            rng.gen_range(1..=28)
        ),
        memo: format!(
            "{} #{}",
            MEMOS[rng.gen_range(0..MEMOS.len())],
            rng.gen_range(1..100_000)
        ),
        lines,
        post: rng.gen_range(0..50) != 0,
    }
}

fn line(account_id: AccountId, debit_minor: i64, credit_minor: i64) -> LineInput {
    LineInput {
        account_id,
        currency: Currency::CNY,
        debit_minor,
        credit_minor,
        memo: String::new(),
    }
}

/// `entries` entries, `big` of them the first company's and the rest shared
/// evenly, in batches of `batch`, the companies taking turns.
pub fn batches(companies: &[Company], entries: usize, big: usize, batch: usize) -> Vec<Batch> {
    let mut rng = rand::thread_rng();
    let others = companies.len().saturating_sub(1);
    let mut per_company: Vec<usize> = vec![0; companies.len()];
    per_company[0] = if others == 0 { entries } else { big };
    let rest = entries - per_company[0];
    for (index, count) in per_company.iter_mut().enumerate().skip(1) {
        *count = rest / others + usize::from(index - 1 < rest % others.max(1));
    }
    let mut queues: Vec<Vec<Batch>> = companies
        .iter()
        .zip(&per_company)
        .map(|(company, count)| {
            let all: Vec<EntryInput> = (0..*count)
                .map(|_| entry(&mut rng, &company.accounts))
                .collect();
            all.chunks(batch)
                .map(|chunk| Batch {
                    scope: company.scope,
                    entries: chunk.to_vec(),
                })
                .rev()
                .collect()
        })
        .collect();
    let mut order = Vec::new();
    loop {
        let mut any = false;
        for queue in &mut queues {
            if let Some(batch) = queue.pop() {
                order.push(batch);
                any = true;
            }
        }
        if !any {
            return order;
        }
    }
}
