//! The reconciliation, the point of one system: for every currency, the
//! wallet account in a company's books equals its wallet in the ledger, and
//! its escrow advances equal what it holds in escrow for paid orders. Read
//! from `pay`'s public answers, never its tables.

use std::collections::BTreeMap;

use kernel::{Actor, CompanyId, Currency, Role, Scope, UserId};
use serde::Serialize;

use crate::error::{BooksError, Result};
use crate::model::AccountRole;
use crate::reports::ReportRange;
use crate::{Books, may_view_books};

/// Companies the operator's reconciliation reads at most in one answer.
pub const COMPANIES_RECONCILED_MAX: i64 = 500;

/// One comparison: the books' figure and the ledger's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReconciliationLine {
    pub company_id: CompanyId,
    pub currency: Currency,
    /// `wallet` or `escrow_advance`.
    pub what: String,
    pub books_minor: i64,
    pub ledger_minor: i64,
    pub matches: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Reconciliation {
    pub lines: Vec<ReconciliationLine>,
    /// Every line matches.
    pub all_match: bool,
}

impl Reconciliation {
    fn of(lines: Vec<ReconciliationLine>) -> Reconciliation {
        Reconciliation {
            all_match: lines.iter().all(|line| line.matches),
            lines,
        }
    }
}

impl Books {
    /// The company's books against the ledger.
    pub async fn reconciliation(&self, scope: &Scope) -> Result<Reconciliation> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        Ok(Reconciliation::of(
            self.reconcile(scope.company_id()).await?,
        ))
    }

    /// Every company's books against the ledger, for the operator: the first
    /// `COMPANIES_RECONCILED_MAX` companies with books.
    pub async fn reconciliation_of_network(&self) -> Result<Reconciliation> {
        let mut lines = Vec::new();
        for company in self.companies_with_books(COMPANIES_RECONCILED_MAX).await? {
            lines.extend(self.reconcile(company).await?);
        }
        Ok(Reconciliation::of(lines))
    }

    async fn reconcile(&self, company: CompanyId) -> Result<Vec<ReconciliationLine>> {
        // The books read for the company as its owner would; nobody acts.
        let scope = Scope::new(company, Actor::User(UserId::from_raw(0)), Role::Owner);
        let (balances, _) = self.balances(&scope, ReportRange::default()).await?;
        let mut wallet_books: BTreeMap<&'static str, (Currency, i64)> = BTreeMap::new();
        let mut advance_books: BTreeMap<&'static str, (Currency, i64)> = BTreeMap::new();
        let roles = self.role_accounts(company).await?;
        for line in &balances {
            let target = match roles.get(&line.account_id.raw()) {
                Some(AccountRole::Wallet) => &mut wallet_books,
                Some(AccountRole::EscrowAdvance) => &mut advance_books,
                _ => continue,
            };
            target
                .entry(line.currency.code())
                .or_insert((line.currency, 0))
                .1 += line.balance_minor;
        }
        let mut wallet_ledger: BTreeMap<&'static str, (Currency, i64)> = BTreeMap::new();
        for wallet in self.pay.balances(&scope).await? {
            wallet_ledger.insert(
                wallet.currency.code(),
                (wallet.currency, wallet.available.minor),
            );
        }
        let mut advance_ledger: BTreeMap<&'static str, (Currency, i64)> = BTreeMap::new();
        for held in self.pay.escrow_held_as_buyer(&scope).await? {
            advance_ledger.insert(held.currency.code(), (held.currency, held.minor));
        }
        let mut lines = compare(company, "wallet", &wallet_books, &wallet_ledger);
        lines.extend(compare(
            company,
            "escrow_advance",
            &advance_books,
            &advance_ledger,
        ));
        Ok(lines)
    }
}

/// One line per currency either side knows.
fn compare(
    company: CompanyId,
    what: &str,
    books: &BTreeMap<&'static str, (Currency, i64)>,
    ledger: &BTreeMap<&'static str, (Currency, i64)>,
) -> Vec<ReconciliationLine> {
    let mut codes: Vec<&'static str> = books.keys().chain(ledger.keys()).copied().collect();
    codes.sort_unstable();
    codes.dedup();
    codes
        .into_iter()
        .filter_map(|code| {
            let currency = books.get(code).or(ledger.get(code))?.0;
            let books_minor = books.get(code).map_or(0, |(_, minor)| *minor);
            let ledger_minor = ledger.get(code).map_or(0, |(_, minor)| *minor);
            Some(ReconciliationLine {
                company_id: company,
                currency,
                what: what.to_owned(),
                books_minor,
                ledger_minor,
                matches: books_minor == ledger_minor,
            })
        })
        .collect()
}
