//! Members' bank accounts, the only place withdrawals go.

use kernel::{Currency, Scope};
use serde::Deserialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{PayError, Result};
use crate::model::{BankAccount, BankAccountId};
use crate::{Pay, may_move_money, may_view_money, rows};

/// What a member gives to register a bank account.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBankAccount {
    pub holder_name: String,
    pub bank_name: String,
    /// IBAN, or the account number at a Chinese bank.
    pub account_number: String,
    pub currency: Currency,
}

fn text(field: &'static str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(PayError::invalid(
            field,
            "required",
            "this field is required",
        ));
    }
    if value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(PayError::invalid(
            field,
            "too_long",
            format!("at most {max} characters, no control characters"),
        ));
    }
    Ok(value.to_owned())
}

/// Account numbers: letters, digits and spaces (IBANs are written in groups).
fn account_number(value: &str) -> Result<String> {
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if (8..=34).contains(&compact.len()) && compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(compact)
    } else {
        Err(PayError::invalid(
            "account_number",
            "invalid_account_number",
            "8 to 34 letters and digits, e.g. an IBAN",
        ))
    }
}

fn bank_account(row: &AnyRow) -> Result<BankAccount> {
    Ok(BankAccount {
        id: BankAccountId::from_raw(row.try_get("id")?),
        holder_name: row.try_get("holder_name")?,
        bank_name: row.try_get("bank_name")?,
        account_number: row.try_get("account_number")?,
        currency: rows::currency(row)?,
        created_at: rows::timestamp(row, "created_at")?,
    })
}

const COLUMNS: &str = "id, holder_name, bank_name, account_number, currency, created_at";

impl Pay {
    pub async fn add_bank_account(
        &self,
        scope: &Scope,
        new: &NewBankAccount,
    ) -> Result<BankAccount> {
        if !may_move_money(scope.role()) {
            return Err(PayError::Forbidden);
        }
        let account = BankAccount {
            id: BankAccountId::new(),
            holder_name: text("holder_name", &new.holder_name, 200)?,
            bank_name: text("bank_name", &new.bank_name, 200)?,
            account_number: account_number(&new.account_number)?,
            currency: new.currency,
            created_at: self.clock.now(),
        };
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO pay_bank_account (company_id, id, holder_name, bank_name, account_number, currency, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(scope.company_id())
        .bind(account.id)
        .bind(&account.holder_name)
        .bind(&account.bank_name)
        .bind(&account.account_number)
        .bind(account.currency.code())
        .bind(account.created_at.micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(account)
    }

    /// The company's bank accounts (a company has few; bounded at 100).
    pub async fn bank_accounts(&self, scope: &Scope) -> Result<Vec<BankAccount>> {
        if !may_view_money(scope.role()) {
            return Err(PayError::Forbidden);
        }
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM pay_bank_account WHERE company_id = $1 AND removed_at IS NULL ORDER BY id LIMIT 100"
        ))
        .bind(scope.company_id())
        .fetch_all(self.db.reader())
        .await?;
        rows.iter().map(bank_account).collect()
    }

    pub async fn bank_account(&self, scope: &Scope, id: BankAccountId) -> Result<BankAccount> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM pay_bank_account WHERE company_id = $1 AND id = $2 AND removed_at IS NULL"
        ))
        .bind(scope.company_id())
        .bind(id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(PayError::NotFound("bank account"))?;
        bank_account(&row)
    }

    pub async fn remove_bank_account(&self, scope: &Scope, id: BankAccountId) -> Result<()> {
        self.bank_account(scope, id).await?;
        if !may_move_money(scope.role()) {
            return Err(PayError::Forbidden);
        }
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE pay_bank_account SET removed_at = $1, updated_at = $1 WHERE company_id = $2 AND id = $3")
            .bind(self.clock.now().micros())
            .bind(scope.company_id())
            .bind(id)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
