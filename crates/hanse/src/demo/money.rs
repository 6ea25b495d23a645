//! The demo network's money: bank accounts, top-ups and withdrawals over four
//! months, so that the wallet pages and statements show a trading network
//! rather than empty tables.
//!
//! The history is replayed through the real payment service, not written into
//! tables, so every balance is one the ledger itself reached and the ledger
//! check holds. `replay.rs` applies these steps one by one on the demo's own
//! clock, between the orders of `orders.toml`; the sandbox bank signs and
//! checks its webhooks against that same clock, so the backdated
//! confirmations verify.
//!
//! The story: the Chinese makers keep yuan and sell in yuan (the electronics
//! and machine parts in dollars), so the importers abroad keep working money
//! in their own currency and buy yuan or dollars ahead of each order. The
//! makers take their sales out to the bank; two withdrawals are still at the
//! bank, so their money shows as reserved.

use std::collections::HashMap;
use std::sync::Arc;

use anyhow::Context as _;
use kernel::page::PageRequest;
use kernel::{Actor, Currency, Money, Role, Scope};

use super::clock::HistoryClock;
use super::{DEMO_COMPANIES, DemoCompany, every_page};

/// What a load of the demo money found and made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoneySummary {
    /// Wallets the demo companies hold, one per company and currency.
    pub wallets: usize,
    /// Lines on those wallets' statements: money in, money out, reservations.
    pub statement_lines: usize,
    /// Escrows of the demo companies' orders, whatever their state.
    pub escrows: usize,
    /// Bank accounts, top-ups and withdrawals made by this load; zero when
    /// the demo money was there already.
    pub created: usize,
}

impl MoneySummary {
    pub(super) const NONE: MoneySummary = MoneySummary {
        wallets: 0,
        statement_lines: 0,
        escrows: 0,
        created: 0,
    };
}

/// How long the sandbox bank takes to collect a top-up.
const TOP_UP_COLLECTION_MINUTES: i64 = 35;

mod history;

use history::MoneyStep;
pub(super) use history::{MONEY_HISTORY, TimedMoneyStep};

/// A demo company as the payment and trade services see it: its id and its
/// owner's scope.
pub(super) struct DemoMember {
    pub(super) company_id: kernel::CompanyId,
    pub(super) owner_scope: Scope,
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

/// What the company pays into its wallets over the history, per currency:
/// the money its bank account must hold before it.
pub(super) fn collected_top_ups(company: &str) -> anyhow::Result<Vec<Money>> {
    let mut sums: Vec<Money> = Vec::new();
    for timed in MONEY_HISTORY {
        let MoneyStep::TopUp {
            company: payer,
            amount_whole_units,
            currency: code,
            collected: true,
        } = &timed.step
        else {
            continue;
        };
        if *payer != company {
            continue;
        }
        let amount = whole_units(*amount_whole_units, code)?;
        match sums.iter_mut().find(|sum| sum.currency == amount.currency) {
            Some(sum) => sum.minor += amount.minor,
            None => sums.push(amount),
        }
    }
    Ok(sums)
}

/// Every demo company with its owner's scope, or `None` if one of them is not
/// owned by its demo owner: then a real member holds that name, and the demo
/// must not move money or goods in its name.
pub(super) async fn demo_members(
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
                "a company of the demo's name is not owned by the demo owner; no demo money or orders are loaded"
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
pub(super) async fn money_already_loaded(
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

/// Applies the steps of [`MONEY_HISTORY`] one at a time, remembering the bank
/// accounts and withdrawals that later steps name.
pub(super) struct MoneyReplay<'a> {
    pay: &'a pay::Pay,
    members: &'a HashMap<&'static str, DemoMember>,
    bank_accounts: HashMap<(&'static str, Currency), pay::BankAccountId>,
    withdrawals: HashMap<&'static str, (&'a Scope, String)>,
    /// Bank accounts, top-ups and withdrawals made so far.
    pub(super) created: usize,
}

impl<'a> MoneyReplay<'a> {
    pub(super) fn new(pay: &'a pay::Pay, members: &'a HashMap<&'static str, DemoMember>) -> Self {
        MoneyReplay {
            pay,
            members,
            bank_accounts: HashMap::new(),
            withdrawals: HashMap::new(),
            created: 0,
        }
    }

    fn member(&self, legal_name: &str) -> anyhow::Result<&'a DemoMember> {
        self.members
            .get(legal_name)
            .with_context(|| format!("{legal_name} is not a demo company"))
    }

    /// One step, at the clock's time (which a top-up moves on while the bank
    /// collects it).
    pub(super) async fn apply(
        &mut self,
        timed: &TimedMoneyStep,
        history_clock: &HistoryClock,
    ) -> anyhow::Result<()> {
        let pay = self.pay;
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
                    .add_bank_account(&self.member(company)?.owner_scope, &new_bank_account)
                    .await?;
                self.bank_accounts.insert((*company, currency), account.id);
                self.created += 1;
            }
            MoneyStep::TopUp {
                company,
                amount_whole_units,
                currency: code,
                collected,
            } => {
                let scope = &self.member(company)?.owner_scope;
                let amount = whole_units(*amount_whole_units, code)?;
                let top_up = pay.start_top_up(scope, amount).await?;
                history_clock.pass_minutes(TOP_UP_COLLECTION_MINUTES);
                settle_at_sandbox_bank(pay, scope, &top_up.id.to_string(), *collected).await?;
                self.created += 1;
            }
            MoneyStep::StartWithdrawal {
                withdrawal,
                company,
                amount_whole_units,
                currency: code,
            } => {
                let scope = &self.member(company)?.owner_scope;
                let amount = whole_units(*amount_whole_units, code)?;
                let bank_account_id = *self
                    .bank_accounts
                    .get(&(*company, amount.currency))
                    .with_context(|| format!("{company} has no {code} bank account yet"))?;
                let started = pay.start_withdrawal(scope, bank_account_id, amount).await?;
                self.withdrawals
                    .insert(*withdrawal, (scope, started.id.to_string()));
                self.created += 1;
            }
            MoneyStep::CompleteWithdrawal { withdrawal } => {
                let (scope, reference) = self
                    .withdrawals
                    .get(withdrawal)
                    .with_context(|| format!("the withdrawal {withdrawal} was never started"))?;
                settle_at_sandbox_bank(pay, scope, reference, true).await?;
            }
        }
        Ok(())
    }
}

/// How many records a whole replay of [`MONEY_HISTORY`] makes: a bank
/// account, a top-up or a withdrawal per step, but for the bank's payouts.
#[cfg(test)]
pub(super) fn records_in_history() -> usize {
    MONEY_HISTORY
        .iter()
        .filter(|timed| !matches!(timed.step, MoneyStep::CompleteWithdrawal { .. }))
        .count()
}

/// The demo's history is paid in and out at a sandbox bank of its own, with a
/// secret of this process: the bank signs and checks its webhooks itself.
pub(super) fn sandbox_only(
    db: &kernel::Db,
    clock: Arc<dyn kernel::Clock>,
) -> pay::PaymentProviders {
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
pub(super) async fn count_money(
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
    use crate::demo::clock::HISTORY_DAYS;

    fn demo_companies_in(step: &MoneyStep) -> Vec<&'static str> {
        match step {
            MoneyStep::RegisterBankAccount { company, .. }
            | MoneyStep::TopUp { company, .. }
            | MoneyStep::StartWithdrawal { company, .. } => vec![company],
            MoneyStep::CompleteWithdrawal { .. } => Vec::new(),
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
    fn every_withdrawal_is_started_once_before_it_is_paid_out() {
        let mut withdrawals_started = HashSet::new();
        let mut withdrawals_completed = HashSet::new();
        for timed in MONEY_HISTORY {
            match &timed.step {
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
            withdrawals_started.len() - withdrawals_completed.len(),
            2,
            "two withdrawals still at the bank"
        );
    }
}
