//! Which ledger account is whose: a wallet per company and currency, and the
//! operator's escrow, fee-revenue and provider-settlement accounts per
//! currency, each created on first use.

use kernel::{CompanyId, Currency};
use ledger::{Account, AccountFlags, AccountId, CreateAccountResult};
use sqlx::Row;

use crate::Pay;
use crate::error::{PayError, Result};

/// The kinds of accounts, as ledger account codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    /// A member's money; never overdrawn; keeps history for statements.
    Wallet,
    /// Money held for orders between hold and release or refund.
    Escrow,
    /// The operator's fees.
    FeeRevenue,
    /// Money at a payment provider: debited when members top up, credited when
    /// they withdraw. It mirrors the provider's account, so it has no limit.
    ProviderSettlement,
}

impl AccountKind {
    pub const fn code(self) -> u16 {
        match self {
            AccountKind::Wallet => 1,
            AccountKind::Escrow => 2,
            AccountKind::FeeRevenue => 3,
            AccountKind::ProviderSettlement => 4,
        }
    }

    fn name(self) -> &'static str {
        match self {
            AccountKind::Wallet => "wallet",
            AccountKind::Escrow => "escrow",
            AccountKind::FeeRevenue => "fee_revenue",
            AccountKind::ProviderSettlement => "provider_settlement",
        }
    }

    fn flags(self) -> AccountFlags {
        match self {
            AccountKind::Wallet => {
                AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS.union(AccountFlags::HISTORY)
            }
            AccountKind::Escrow | AccountKind::FeeRevenue => {
                AccountFlags::DEBITS_MUST_NOT_EXCEED_CREDITS
            }
            AccountKind::ProviderSettlement => AccountFlags::default(),
        }
    }
}

/// The ledger that holds a currency: its ISO 4217 number.
pub(crate) fn ledger_of(currency: Currency) -> u32 {
    u32::from(currency.numeric())
}

/// The currency a ledger holds, the inverse of `ledger_of`; `None` for a
/// ledger number that is no currency's.
pub fn currency_of_ledger(ledger: u32) -> Option<Currency> {
    Currency::from_numeric(u16::try_from(ledger).ok()?)
}

impl Pay {
    /// The company's wallet account in `currency`, created on first use.
    pub async fn wallet_account(
        &self,
        company: CompanyId,
        currency: Currency,
    ) -> Result<AccountId> {
        if let Some(account) = self.existing_wallet(company, currency).await? {
            return Ok(account);
        }
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO pay_wallet (company_id, currency, account_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $4) ON CONFLICT (company_id, currency) DO NOTHING",
        )
        .bind(company)
        .bind(currency.code())
        .bind(AccountId::new().raw())
        .bind(self.clock.now().micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        self.existing_wallet(company, currency)
            .await?
            .ok_or(PayError::NotFound("wallet"))
    }

    /// The company's wallet account if it has one, its ledger account made.
    pub(crate) async fn existing_wallet(
        &self,
        company: CompanyId,
        currency: Currency,
    ) -> Result<Option<AccountId>> {
        let row = sqlx::query(
            "SELECT account_id, ledger_account_made FROM pay_wallet WHERE company_id = $1 AND currency = $2",
        )
        .bind(company)
        .bind(currency.code())
        .fetch_optional(self.db.reader())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let account = AccountId::from_raw(row.try_get("account_id")?);
        if row.try_get::<i64, _>("ledger_account_made")? == 0 {
            self.ensure_ledger_account(account, currency, AccountKind::Wallet, Some(company))
                .await?;
            self.mark_made("pay_wallet", account).await?;
        }
        Ok(Some(account))
    }

    /// An operator account of `kind` in `currency` (for settlement: at `provider`).
    pub async fn operator_account(
        &self,
        currency: Currency,
        kind: AccountKind,
        provider: &str,
    ) -> Result<AccountId> {
        if let Some(account) = self
            .existing_operator_account(currency, kind, provider)
            .await?
        {
            return Ok(account);
        }
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO pay_operator_account (currency, kind, provider, account_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (currency, kind, provider) DO NOTHING",
        )
        .bind(currency.code())
        .bind(kind.name())
        .bind(provider)
        .bind(AccountId::new().raw())
        .bind(self.clock.now().micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        self.existing_operator_account(currency, kind, provider)
            .await?
            .ok_or(PayError::NotFound("operator account"))
    }

    async fn existing_operator_account(
        &self,
        currency: Currency,
        kind: AccountKind,
        provider: &str,
    ) -> Result<Option<AccountId>> {
        let row = sqlx::query(
            "SELECT account_id, ledger_account_made FROM pay_operator_account WHERE currency = $1 AND kind = $2 AND provider = $3",
        )
        .bind(currency.code())
        .bind(kind.name())
        .bind(provider)
        .fetch_optional(self.db.reader())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let account = AccountId::from_raw(row.try_get("account_id")?);
        if row.try_get::<i64, _>("ledger_account_made")? == 0 {
            self.ensure_ledger_account(account, currency, kind, None)
                .await?;
            self.mark_made("pay_operator_account", account).await?;
        }
        Ok(Some(account))
    }

    /// Records that the mapping's ledger account exists. The mapping commits
    /// before the account is created, so a crash between the two leaves 0,
    /// and the next use creates the account (idempotently) first.
    async fn mark_made(&self, table: &'static str, account: AccountId) -> Result<()> {
        let mut tx = self.db.begin().await?;
        sqlx::query(&format!(
            "UPDATE {table} SET ledger_account_made = 1, updated_at = $1 WHERE account_id = $2"
        ))
        .bind(self.clock.now().micros())
        .bind(account.raw())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn ensure_ledger_account(
        &self,
        id: AccountId,
        currency: Currency,
        kind: AccountKind,
        company: Option<CompanyId>,
    ) -> Result<()> {
        let account = Account::new(id, ledger_of(currency), kind.code(), company, kind.flags());
        match self.ledger.create_accounts(&[account]).await?.first() {
            Some(CreateAccountResult::Ok | CreateAccountResult::Exists) => Ok(()),
            other => Err(PayError::Provider(format!(
                "ledger account not created: {other:?}"
            ))),
        }
    }
}
