//! The demo network's money: wallets with four months of history, so that the
//! wallet pages, statements and escrows show a trading network rather than
//! empty tables.
//!
//! The history is replayed through the real payment service, not written into
//! tables, so every balance is one the ledger itself reached and the ledger
//! check holds. A clock of its own starts about 120 days ago and is moved
//! forward between steps; the sandbox bank signs and checks its webhooks
//! against that same clock, so the backdated confirmations verify.
//!
//! The story: Chinese makers keep yuan and are paid by importers abroad, in
//! yuan where the importer buys yuan for it (Hamburg, Kuala Lumpur), in dollars
//! or euros where the maker sells in them. Most orders were delivered and their
//! escrow released; one arrived partly broken and was partly refunded; two are
//! still on their way, their money held. Two withdrawals are still at the bank,
//! so their money shows as reserved.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Context as _;
use kernel::page::PageRequest;
use kernel::{Actor, Clock as _, Currency, Money, Role, Scope};

use super::{DEMO_COMPANIES, DemoCompany, every_page};

/// What a load of the demo money found and made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoneySummary {
    /// Wallets the demo companies hold, one per company and currency.
    pub wallets: usize,
    /// Lines on those wallets' statements: money in, money out, reservations.
    pub statement_lines: usize,
    /// Escrows between demo companies, whatever their state.
    pub escrows: usize,
    /// Bank accounts, top-ups, withdrawals and escrows made by this load; zero
    /// when the demo money was there already.
    pub created: usize,
}

/// How far back the history starts. The last step is a few days before now,
/// so nothing in the demo lies in the future.
const HISTORY_DAYS: i64 = 120;
const SECONDS_PER_DAY: i64 = 24 * 3600;
/// The platform fee on escrowed orders, in basis points: 2%.
const PLATFORM_FEE_BASIS_POINTS: i64 = 200;
/// How long the sandbox bank takes to collect a top-up.
const TOP_UP_COLLECTION_MINUTES: i64 = 35;

mod history;

use history::*;

/// A demo company as the payment service sees it: its id and its owner's scope.
struct DemoMember {
    company_id: kernel::CompanyId,
    owner_scope: Scope,
}

/// The demo's own clock, moved forward through the history.
struct HistoryClock {
    clock: Arc<kernel::ManualClock>,
    /// Midnight UTC of the history's first day.
    first_day: kernel::Timestamp,
    /// The real time of the load: no step may happen at or after it.
    loaded_at: kernel::Timestamp,
}

impl HistoryClock {
    fn starting_days_ago(loaded_at: kernel::Timestamp, days: i64) -> Self {
        let start = loaded_at.plus_seconds(-days * SECONDS_PER_DAY);
        let micros_per_day = SECONDS_PER_DAY * 1_000_000;
        let first_day = kernel::Timestamp::from_micros(
            start.micros() - start.micros().rem_euclid(micros_per_day),
        );
        HistoryClock {
            clock: Arc::new(kernel::ManualClock::new(first_day)),
            first_day,
            loaded_at,
        }
    }

    /// Moves to the step's time. Never backwards: a step in the same hour as
    /// the end of the one before simply follows it.
    fn move_to(&self, day: i64, hour_utc: i64) -> anyhow::Result<()> {
        let target = self
            .first_day
            .plus_seconds(day * SECONDS_PER_DAY + hour_utc * 3600);
        anyhow::ensure!(
            target < self.loaded_at,
            "the demo money history reaches into the future (day {day})"
        );
        let seconds_ahead = (target.micros() - self.clock.now().micros()) / 1_000_000;
        if seconds_ahead > 0 {
            self.clock.advance_seconds(seconds_ahead);
        }
        Ok(())
    }

    fn pass_minutes(&self, minutes: i64) {
        self.clock.advance_seconds(minutes * 60);
    }
}

fn currency(code: &str) -> anyhow::Result<Currency> {
    code.parse()
        .with_context(|| format!("{code} is not a Hanse currency"))
}

fn whole_units(amount_whole_units: i64, code: &str) -> anyhow::Result<Money> {
    let currency = currency(code)?;
    let minor_per_whole = 10_i64.pow(u32::from(currency.minor_digits()));
    let minor = amount_whole_units
        .checked_mul(minor_per_whole)
        .context("a demo amount overflows")?;
    Ok(Money::new(minor, currency))
}

/// Loads the demo network's money: bank accounts, top-ups, withdrawals and
/// escrows over the last four months. Call it after [`super::load`], which makes
/// the companies. If any demo company has money records already, nothing is
/// made, so running it again changes nothing. The ledger is checked afterwards.
pub async fn load_money(
    identity: &identity::Identity,
    db: &kernel::Db,
) -> anyhow::Result<MoneySummary> {
    let Some(members) = demo_members(identity).await? else {
        return Ok(MoneySummary {
            wallets: 0,
            statement_lines: 0,
            escrows: 0,
            created: 0,
        });
    };
    let history_clock = HistoryClock::starting_days_ago(kernel::SystemClock.now(), HISTORY_DAYS);
    let clock: Arc<dyn kernel::Clock> = history_clock.clock.clone();
    let ledger = ledger::Ledger::start(
        db.clone(),
        clock.clone(),
        ledger::GroupCommitOptions::default(),
    );
    let pay = pay::Pay::new(db.clone(), clock.clone(), ledger, sandbox_only(db, clock));

    let mut created = 0;
    if !money_already_loaded(&pay, &members).await? {
        created = replay_history(&pay, &members, &history_clock).await?;
        let check = pay.check_ledger().await?;
        anyhow::ensure!(
            check.balanced(),
            "the ledger does not balance after loading the demo money: {:?}",
            check.violations
        );
    }
    let summary = MoneySummary {
        created,
        ..count_money(&pay, &members).await?
    };
    tracing::info!(
        demo.wallets = summary.wallets,
        demo.statement_lines = summary.statement_lines,
        demo.escrows = summary.escrows,
        demo.created = summary.created,
        "demo money loaded"
    );
    Ok(summary)
}

/// Every demo company with its owner's scope, or `None` if one of them is not
/// owned by its demo owner: then a real member holds that name, and the demo
/// must not move money in its name.
async fn demo_members(
    identity: &identity::Identity,
) -> anyhow::Result<Option<HashMap<&'static str, DemoMember>>> {
    let mut members = HashMap::new();
    for demo_company in DEMO_COMPANIES {
        let member = demo_member(identity, demo_company)
            .await
            .with_context(|| format!("the demo company {}", demo_company.legal_name))?;
        let Some(member) = member else {
            tracing::warn!(
                company.legal_name = demo_company.legal_name,
                "a company of the demo's name is not owned by the demo owner; no demo money is loaded"
            );
            return Ok(None);
        };
        members.insert(demo_company.legal_name, member);
    }
    Ok(Some(members))
}

async fn demo_member(
    identity: &identity::Identity,
    demo_company: &DemoCompany,
) -> anyhow::Result<Option<DemoMember>> {
    let demo_owner = demo_company.owner()?;
    let company = identity
        .company_by_legal_name(demo_company.legal_name)
        .await?
        .context("the company is missing; load the demo network first")?;
    let owner = identity
        .user_by_email(demo_owner.email)
        .await?
        .with_context(|| {
            format!(
                "{} is missing; load the demo network first",
                demo_owner.email
            )
        })?;
    if identity.role_in(owner.id, company.id).await? != Some(Role::Owner) {
        return Ok(None);
    }
    Ok(Some(DemoMember {
        company_id: company.id,
        owner_scope: Scope::new(company.id, Actor::User(owner.id), Role::Owner),
    }))
}

/// Whether any demo company has a wallet, a top-up or a bank account. Then the
/// money was loaded before, perhaps in part; loading it again would double it.
async fn money_already_loaded(
    pay: &pay::Pay,
    members: &HashMap<&'static str, DemoMember>,
) -> anyhow::Result<bool> {
    for member in members.values() {
        let scope = &member.owner_scope;
        if !pay.balances(scope).await?.is_empty()
            || !pay
                .top_ups(scope, PageRequest::first())
                .await?
                .items
                .is_empty()
            || !pay.bank_accounts(scope).await?.is_empty()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Replays [`MONEY_HISTORY`]; returns how many records it made.
async fn replay_history(
    pay: &pay::Pay,
    members: &HashMap<&'static str, DemoMember>,
    history_clock: &HistoryClock,
) -> anyhow::Result<usize> {
    let member = |legal_name: &str| {
        members
            .get(legal_name)
            .with_context(|| format!("{legal_name} is not a demo company"))
    };
    let mut bank_accounts = HashMap::new();
    let mut withdrawals = HashMap::new();
    let mut escrows = HashMap::new();
    let mut created = 0;
    for timed in MONEY_HISTORY {
        history_clock.move_to(timed.day, timed.hour_utc)?;
        let context = || format!("the demo money step on day {}", timed.day);
        match &timed.step {
            MoneyStep::RegisterBankAccount {
                company,
                bank_name,
                account_number,
                currency: code,
            } => {
                let currency = currency(code)?;
                let new_bank_account = pay::NewBankAccount {
                    holder_name: (*company).to_owned(),
                    bank_name: (*bank_name).to_owned(),
                    account_number: (*account_number).to_owned(),
                    currency,
                };
                let account = pay
                    .add_bank_account(&member(company)?.owner_scope, &new_bank_account)
                    .await
                    .with_context(context)?;
                bank_accounts.insert((*company, currency), account.id);
                created += 1;
            }
            MoneyStep::TopUp {
                company,
                amount_whole_units,
                currency: code,
                collected,
            } => {
                let scope = &member(company)?.owner_scope;
                let amount = whole_units(*amount_whole_units, code)?;
                let top_up = pay
                    .start_top_up(scope, amount)
                    .await
                    .with_context(context)?;
                history_clock.pass_minutes(TOP_UP_COLLECTION_MINUTES);
                settle_at_sandbox_bank(pay, scope, &top_up.id.to_string(), *collected)
                    .await
                    .with_context(context)?;
                created += 1;
            }
            MoneyStep::StartWithdrawal {
                withdrawal,
                company,
                amount_whole_units,
                currency: code,
            } => {
                let scope = &member(company)?.owner_scope;
                let amount = whole_units(*amount_whole_units, code)?;
                let bank_account_id = *bank_accounts
                    .get(&(*company, amount.currency))
                    .with_context(|| format!("{company} has no {code} bank account yet"))?;
                let started = pay
                    .start_withdrawal(scope, bank_account_id, amount)
                    .await
                    .with_context(context)?;
                withdrawals.insert(*withdrawal, (scope, started.id.to_string()));
                created += 1;
            }
            MoneyStep::CompleteWithdrawal { withdrawal } => {
                let (scope, reference) = withdrawals
                    .get(withdrawal)
                    .with_context(|| format!("the withdrawal {withdrawal} was never started"))?;
                settle_at_sandbox_bank(pay, scope, reference, true)
                    .await
                    .with_context(context)?;
            }
            MoneyStep::HoldEscrow {
                order,
                buyer,
                seller,
                amount_whole_units,
                currency: code,
            } => {
                let amount = whole_units(*amount_whole_units, code)?;
                let fee = amount.checked_basis_points(PLATFORM_FEE_BASIS_POINTS)?;
                let escrow = pay
                    .hold_escrow(
                        kernel::id::next_raw(),
                        member(buyer)?.company_id,
                        member(seller)?.company_id,
                        amount,
                        fee,
                    )
                    .await
                    .with_context(context)?;
                escrows.insert(*order, escrow);
                created += 1;
            }
            MoneyStep::ReleaseEscrow { order } => {
                let escrow = escrows
                    .get(order)
                    .with_context(|| format!("the order {order} was never held"))?;
                pay.release_escrow(escrow.id).await.with_context(context)?;
            }
            MoneyStep::RefundEscrowPartly {
                order,
                refund_whole_units,
            } => {
                let escrow = escrows
                    .get(order)
                    .with_context(|| format!("the order {order} was never held"))?;
                let refund = whole_units(*refund_whole_units, escrow.amount.currency.code())?;
                pay.refund_escrow(escrow.id, refund)
                    .await
                    .with_context(context)?;
            }
        }
    }
    Ok(created)
}

/// The demo's history is paid in and out at a sandbox bank of its own, with a
/// secret of this process: the bank signs and checks its webhooks itself.
fn sandbox_only(db: &kernel::Db, clock: Arc<dyn kernel::Clock>) -> pay::PaymentProviders {
    pay::PaymentProviders::none().with_sandbox(Arc::new(pay::SandboxBank::with_random_secret(
        db.clone(),
        clock,
    )))
}

/// The sandbox bank confirms (or refuses) the payment or payout whose
/// reference is `reference`, as the operator would on the sandbox page.
async fn settle_at_sandbox_bank(
    pay: &pay::Pay,
    scope: &Scope,
    reference: &str,
    confirm: bool,
) -> anyhow::Result<()> {
    // The company's newest operations; the one just started is among them.
    let operations = pay
        .sandbox_operations(
            pay::sandbox::SandboxViewer::of(scope),
            PageRequest::new(None, Some(kernel::page::PAGE_SIZE_MAX)),
        )
        .await?;
    let operation = operations
        .items
        .iter()
        .find(|operation| operation.reference == reference)
        .with_context(|| format!("the sandbox bank has no operation {reference}"))?;
    pay.sandbox_settle(pay::sandbox::SandboxViewer::Operator, operation.id, confirm)
        .await?;
    Ok(())
}

/// Counts what the demo companies hold now, loaded by this call or an earlier one.
async fn count_money(
    pay: &pay::Pay,
    members: &HashMap<&'static str, DemoMember>,
) -> anyhow::Result<MoneySummary> {
    let mut wallets = 0;
    let mut statement_lines = 0;
    let mut escrow_ids = std::collections::HashSet::new();
    for member in members.values() {
        let scope = &member.owner_scope;
        let balances = pay.balances(scope).await?;
        wallets += balances.len();
        for balance in &balances {
            statement_lines += every_page(|page| pay.statement(scope, balance.currency, page))
                .await?
                .len();
        }
        // Both sides of an escrow list it; a set counts it once.
        escrow_ids.extend(
            every_page(|page| pay.escrows(scope, page))
                .await?
                .into_iter()
                .map(|escrow| escrow.id),
        );
    }
    Ok(MoneySummary {
        wallets,
        statement_lines,
        escrows: escrow_ids.len(),
        created: 0,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn demo_companies_in(step: &MoneyStep) -> Vec<&'static str> {
        match step {
            MoneyStep::RegisterBankAccount { company, .. }
            | MoneyStep::TopUp { company, .. }
            | MoneyStep::StartWithdrawal { company, .. } => vec![company],
            MoneyStep::HoldEscrow { buyer, seller, .. } => vec![buyer, seller],
            MoneyStep::CompleteWithdrawal { .. }
            | MoneyStep::ReleaseEscrow { .. }
            | MoneyStep::RefundEscrowPartly { .. } => Vec::new(),
        }
    }

    /// An IBAN's check digits hold: the ISO 13616 remainder is 1.
    fn iban_is_valid(iban: &str) -> bool {
        let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.len() < 15 || !compact.is_ascii() {
            return false;
        }
        let (front, rest) = compact.split_at(4);
        rest.chars()
            .chain(front.chars())
            .try_fold(0_u32, |remainder, character| {
                let value = character.to_digit(36)?;
                Some(if value < 10 {
                    (remainder * 10 + value) % 97
                } else {
                    (remainder * 100 + value) % 97
                })
            })
            == Some(1)
    }

    #[test]
    fn the_iban_check_finds_a_slip() {
        assert!(iban_is_valid("DE89 3704 0044 0532 0130 00"));
        assert!(!iban_is_valid("DE89 3704 0044 0532 0130 01"));
    }

    #[test]
    fn the_history_is_in_order_and_ends_days_before_now() {
        let mut previous = (0, 0);
        for timed in MONEY_HISTORY {
            assert!((0..24).contains(&timed.hour_utc), "day {}", timed.day);
            let time = (timed.day, timed.hour_utc);
            assert!(
                time >= previous,
                "day {} comes after day {}",
                timed.day,
                previous.0
            );
            previous = time;
        }
        assert!(previous.0 > 90, "the history covers about four months");
        assert!(
            previous.0 < HISTORY_DAYS - 3,
            "the history ends days before now"
        );
    }

    #[test]
    fn every_company_is_a_demo_company_with_a_bank_account_and_every_amount_is_valid() {
        let demo_names: HashSet<&str> = DEMO_COMPANIES
            .iter()
            .map(|demo_company| demo_company.legal_name)
            .collect();
        let mut companies_with_bank_account = HashSet::new();
        for timed in MONEY_HISTORY {
            for company in demo_companies_in(&timed.step) {
                assert!(
                    demo_names.contains(company),
                    "{company} is not a demo company"
                );
            }
            match &timed.step {
                MoneyStep::RegisterBankAccount {
                    company,
                    account_number,
                    currency: code,
                    ..
                } => {
                    companies_with_bank_account.insert(*company);
                    assert!(currency(code).is_ok(), "{code}");
                    let looks_like_iban = account_number
                        .chars()
                        .take(2)
                        .all(|c| c.is_ascii_uppercase());
                    if looks_like_iban {
                        assert!(iban_is_valid(account_number), "{account_number}");
                    }
                }
                MoneyStep::TopUp {
                    amount_whole_units,
                    currency: code,
                    ..
                }
                | MoneyStep::StartWithdrawal {
                    amount_whole_units,
                    currency: code,
                    ..
                }
                | MoneyStep::HoldEscrow {
                    amount_whole_units,
                    currency: code,
                    ..
                } => {
                    let amount = whole_units(*amount_whole_units, code).unwrap();
                    assert!(
                        amount.minor > 0 && amount.minor <= pay::AMOUNT_MINOR_MAX,
                        "{amount}"
                    );
                }
                _ => {}
            }
        }
        assert_eq!(
            companies_with_bank_account, demo_names,
            "every company has a bank account"
        );
    }

    #[test]
    fn every_order_and_withdrawal_is_started_once_before_it_is_settled() {
        let mut orders_held = HashSet::new();
        let mut orders_settled = HashSet::new();
        let mut withdrawals_started = HashSet::new();
        let mut withdrawals_completed = HashSet::new();
        for timed in MONEY_HISTORY {
            match &timed.step {
                MoneyStep::HoldEscrow {
                    order,
                    buyer,
                    seller,
                    ..
                } => {
                    assert_ne!(buyer, seller);
                    assert!(orders_held.insert(*order), "{order} is held twice");
                }
                MoneyStep::ReleaseEscrow { order }
                | MoneyStep::RefundEscrowPartly { order, .. } => {
                    assert!(
                        orders_held.contains(order),
                        "{order} is settled before it is held"
                    );
                    assert!(orders_settled.insert(*order), "{order} is settled twice");
                }
                MoneyStep::StartWithdrawal { withdrawal, .. } => {
                    assert!(withdrawals_started.insert(*withdrawal), "{withdrawal}");
                }
                MoneyStep::CompleteWithdrawal { withdrawal } => {
                    assert!(withdrawals_started.contains(withdrawal), "{withdrawal}");
                    assert!(withdrawals_completed.insert(*withdrawal), "{withdrawal}");
                }
                _ => {}
            }
        }
        assert_eq!(
            orders_held.len() - orders_settled.len(),
            2,
            "two orders still held"
        );
        assert_eq!(
            withdrawals_started.len() - withdrawals_completed.len(),
            2,
            "two withdrawals still at the bank"
        );
    }

    async fn identity_on(
        db: &kernel::Db,
        mailbox_directory: &std::path::Path,
    ) -> identity::Identity {
        let mailer = identity::mail::MailboxMailer::new(
            mailbox_directory.join("mailbox"),
            "Hanse <noreply@hanse.demo>".parse().unwrap(),
        )
        .unwrap();
        identity::Identity::new(
            db.clone(),
            Arc::new(kernel::SystemClock),
            Arc::new(mailer),
            identity::HashCost::FAST_INSECURE,
            "http://127.0.0.1:8080".into(),
        )
    }

    /// The payment service as the application builds it, on the real clock.
    fn application_pay(db: &kernel::Db) -> pay::Pay {
        let clock: Arc<dyn kernel::Clock> = Arc::new(kernel::SystemClock);
        let ledger = ledger::Ledger::start(
            db.clone(),
            clock.clone(),
            ledger::GroupCommitOptions::default(),
        );
        pay::Pay::new(
            db.clone(),
            clock.clone(),
            ledger,
            super::sandbox_only(db, clock),
        )
    }

    #[tokio::test]
    async fn loading_twice_makes_the_history_once_and_the_ledger_balances() {
        let migrations = [
            kernel::migrate::kernel_migrations(),
            identity::migrations(),
            ledger::migrations(),
            pay::migrations(),
        ]
        .concat();
        let test_db = kernel::testing::TestDb::migrated(kernel::Engine::Sqlite, &migrations)
            .await
            .unwrap();
        let mailbox_directory = tempfile::tempdir().unwrap();
        let identity = identity_on(&test_db.db, mailbox_directory.path()).await;
        // As in `hanse serve`, the application's own payment service is already
        // running when the demo is loaded.
        let pay = application_pay(&test_db.db);

        super::super::load(&identity).await.unwrap();
        let first = load_money(&identity, &test_db.db).await.unwrap();
        assert_eq!(first.wallets, 33);
        assert_eq!(first.escrows, 14);
        // 27 bank accounts, 34 top-ups, 12 withdrawals and 14 escrows.
        assert_eq!(first.created, 87);
        // 33 top-ups collected; 12 withdrawals reserved, 10 of them paid out;
        // 14 escrows held, 12 of them settled from the buyer and paid to the seller.
        assert_eq!(first.statement_lines, 33 + 12 + 10 + 14 + 12 + 12);

        super::super::load(&identity).await.unwrap();
        let second = load_money(&identity, &test_db.db).await.unwrap();
        assert_eq!(
            second,
            MoneySummary {
                created: 0,
                ..first
            }
        );

        let check = pay.check_ledger().await.unwrap();
        assert!(check.balanced(), "{:?}", check.violations);

        let hengxin = identity
            .company_by_legal_name(HENGXIN_THERMOS)
            .await
            .unwrap()
            .unwrap();
        let chen = identity
            .user_by_email(super::super::DEMO_SUPPLIER_EMAIL)
            .await
            .unwrap()
            .unwrap();
        let chen_scope = Scope::new(hengxin.id, Actor::User(chen.id), Role::Owner);
        let balances = pay.balances(&chen_scope).await.unwrap();
        let yuan = balances
            .iter()
            .find(|balance| balance.currency == Currency::CNY)
            .expect("Ms Chen has a yuan wallet");
        assert!(yuan.available.minor > 0, "{yuan:?}");
        // ¥120,000 at the bank and ¥18,750 held for gift boxes.
        assert_eq!(yuan.reserved, whole_units(138_750, "CNY").unwrap());
        assert!(
            balances
                .iter()
                .any(|balance| balance.currency == Currency::USD)
        );

        let escrows = pay
            .escrows(&chen_scope, PageRequest::first())
            .await
            .unwrap();
        assert!(escrows.items.iter().any(|escrow| escrow.status == "held"));
        let top_ups = pay
            .top_ups(&chen_scope, PageRequest::first())
            .await
            .unwrap();
        assert_eq!(top_ups.items.len(), 3);
        let withdrawals = pay
            .withdrawals(&chen_scope, PageRequest::first())
            .await
            .unwrap();
        assert!(
            withdrawals
                .items
                .iter()
                .any(|withdrawal| withdrawal.status == "pending")
        );

        let statement = pay
            .statement(
                &chen_scope,
                Currency::CNY,
                PageRequest::new(None, Some(200)),
            )
            .await
            .unwrap();
        let (first_line, last_line) = (
            statement.items.first().unwrap(),
            statement.items.last().unwrap(),
        );
        let spread_seconds = (last_line.at.micros() - first_line.at.micros()) / 1_000_000;
        assert!(
            spread_seconds > 60 * SECONDS_PER_DAY,
            "{first_line:?} .. {last_line:?}"
        );
        assert!(
            last_line.at < kernel::SystemClock.now(),
            "nothing lies in the future"
        );
        assert!(
            statement
                .items
                .windows(2)
                .all(|pair| pair[0].at < pair[1].at)
        );

        // The withdrawal left at the sandbox bank can be confirmed today by the
        // application's own sandbox, whose webhook secret is a different one.
        let waiting = pay
            .sandbox_operations(
                pay::sandbox::SandboxViewer::of(&chen_scope),
                PageRequest::first(),
            )
            .await
            .unwrap()
            .items
            .into_iter()
            .find(|operation| operation.status == "pending")
            .unwrap();
        pay.sandbox_settle(pay::sandbox::SandboxViewer::Operator, waiting.id, true)
            .await
            .unwrap();
        let yuan_after = pay
            .balances(&chen_scope)
            .await
            .unwrap()
            .into_iter()
            .find(|balance| balance.currency == Currency::CNY)
            .unwrap();
        assert_eq!(yuan_after.reserved, whole_units(18_750, "CNY").unwrap());
        assert!(pay.check_ledger().await.unwrap().balanced());
    }
}
