//! The chart of accounts: the templates (data files under `data/charts`),
//! opening a company's books from one, and the member's own changes (add,
//! rename, deactivate an account without a balance).

use std::sync::OnceLock;

use kernel::db::Tx;
use kernel::{CompanyId, Scope, Timestamp};
use serde::Deserialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{BooksError, Result};
use crate::model::{Account, AccountId, AccountKind, AccountRole, BooksSettings};
use crate::{Books, may_keep_books, may_view_books};

/// The chart a company's books open with when the member chose none: the
/// network's home is China's small-enterprise standard.
pub const CHART_DEFAULT: &str = "cas_small";
/// VAT on sales until the member sets its own: China's general rate.
pub const VAT_RATE_BP_DEFAULT: i64 = 1_300;
/// The highest VAT rate a member may set: 30 %.
pub const VAT_RATE_BP_MAX: i64 = 3_000;
/// Accounts a company may have at most.
pub const ACCOUNTS_MAX: i64 = 2_000;
const NAME_CHARS_MAX: usize = 120;
const CODE_CHARS_MAX: usize = 20;

/// A chart template as its data file has it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartTemplate {
    pub name_zh: String,
    pub name_en: String,
    #[serde(rename = "account")]
    pub accounts: Vec<TemplateAccount>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateAccount {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: String,
    #[serde(default)]
    pub role: Option<String>,
}

/// The templates by name: `cas_small` and `ifrs`. Parsed once; a template
/// that does not parse, or lacks a role, fails the tests, not a member.
pub fn templates() -> &'static [(&'static str, ChartTemplate)] {
    static TEMPLATES: OnceLock<Vec<(&'static str, ChartTemplate)>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        [
            ("cas_small", include_str!("../data/charts/cas_small.toml")),
            ("ifrs", include_str!("../data/charts/ifrs.toml")),
        ]
        .into_iter()
        .map(|(name, text)| {
            let template: ChartTemplate = toml::from_str(text)
                .unwrap_or_else(|error| panic!("chart template {name}: {error}"));
            (name, template)
        })
        .collect()
    })
}

pub fn template(name: &str) -> Option<&'static ChartTemplate> {
    templates()
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, template)| template)
}

pub(crate) const ACCOUNT_COLUMNS: &str = "id, code, name_zh, name_en, kind, role, active";

pub(crate) fn account(row: &AnyRow) -> Result<Account> {
    let kind: String = row.try_get("kind")?;
    let role: String = row.try_get("role")?;
    Ok(Account {
        id: AccountId::from_raw(row.try_get("id")?),
        code: row.try_get("code")?,
        name_zh: row.try_get("name_zh")?,
        name_en: row.try_get("name_en")?,
        kind: AccountKind::parse(&kind)
            .ok_or_else(|| kernel::StorageError::corrupt("account kind", kind))?,
        role: if role.is_empty() {
            None
        } else {
            Some(
                AccountRole::parse(&role)
                    .ok_or_else(|| kernel::StorageError::corrupt("account role", role))?,
            )
        },
        active: row.try_get::<i64, _>("active")? != 0,
    })
}

/// Opens the company's books with `chart` unless they are open; either way
/// answers the settings they have.
pub(crate) async fn open_books_in(
    tx: &mut Tx,
    company: CompanyId,
    chart: &str,
    now: Timestamp,
) -> Result<BooksSettings> {
    if let Some(settings) = settings_in(tx, company).await? {
        return Ok(settings);
    }
    let template = template(chart)
        .ok_or_else(|| BooksError::invalid("chart", "unknown_chart", "cas_small or ifrs"))?;
    sqlx::query(
        "INSERT INTO books_company (company_id, chart, vat_rate_bp, invoice_on, next_entry_no, created_at, updated_at)
         VALUES ($1, $2, $3, 'shipped', 1, $4, $4)",
    )
    .bind(company)
    .bind(chart)
    .bind(VAT_RATE_BP_DEFAULT)
    .bind(now.micros())
    .execute(tx.conn())
    .await?;
    for account in &template.accounts {
        insert_template_account_in(tx, company, account, &account.code, now).await?;
    }
    // Read back, so the defaults of the columns (the VAT rates, the terms)
    // are stated once, in the schema.
    settings_in(tx, company)
        .await?
        .ok_or(BooksError::NotFound("books"))
}

pub(crate) async fn settings_in(tx: &mut Tx, company: CompanyId) -> Result<Option<BooksSettings>> {
    let row = sqlx::query(
        "SELECT chart, vat_rate_bp, invoice_on, vat_rates, payment_terms_days, functional_currency
         FROM books_company WHERE company_id = $1",
    )
    .bind(company)
    .fetch_optional(tx.conn())
    .await?;
    row.map(|row| {
        Ok(BooksSettings {
            chart: row.try_get("chart")?,
            vat_rate_bp: row.try_get("vat_rate_bp")?,
            invoice_on: row.try_get("invoice_on")?,
            vat_rates_bp: parse_rates(&row.try_get::<String, _>("vat_rates")?),
            payment_terms_days: row.try_get("payment_terms_days")?,
            functional_currency: {
                let code: String = row.try_get("functional_currency")?;
                code.parse().map_err(|_| {
                    BooksError::Storage(kernel::StorageError::corrupt("functional currency", code))
                })?
            },
        })
    })
    .transpose()
}

/// The stored list of VAT rates (`1300,900,600,0`).
pub(crate) fn parse_rates(text: &str) -> Vec<i64> {
    text.split(',')
        .filter_map(|rate| rate.trim().parse().ok())
        .collect()
}

async fn insert_template_account_in(
    tx: &mut Tx,
    company: CompanyId,
    account: &TemplateAccount,
    code: &str,
    now: Timestamp,
) -> Result<AccountId> {
    let id = AccountId::new();
    sqlx::query(
        "INSERT INTO books_account (company_id, id, code, name_zh, name_en, kind, role, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
    )
    .bind(company)
    .bind(id)
    .bind(code)
    .bind(&account.name_zh)
    .bind(&account.name_en)
    .bind(&account.kind)
    .bind(account.role.as_deref().unwrap_or(""))
    .bind(now.micros())
    .execute(tx.conn())
    .await?;
    Ok(id)
}

async fn role_account_in(
    tx: &mut Tx,
    company: CompanyId,
    role: AccountRole,
) -> Result<Option<AccountId>> {
    let row = sqlx::query("SELECT id FROM books_account WHERE company_id = $1 AND role = $2")
        .bind(company)
        .bind(role.code())
        .fetch_optional(tx.conn())
        .await?;
    row.map(|row| Ok(AccountId::from_raw(row.try_get("id")?)))
        .transpose()
}

/// The company's account for `role`, inside `tx`.
pub(crate) async fn account_of_role(
    tx: &mut Tx,
    company: CompanyId,
    role: AccountRole,
) -> Result<AccountId> {
    role_account_in(tx, company, role)
        .await?
        .ok_or(BooksError::NotFound("account"))
}

/// The company's account for `role`, added from its chart's template when
/// its books opened before the template had one (as the exchange
/// differences were added later): under the template's code, or that code
/// with a `9` more while a member's own account has it.
pub(crate) async fn account_of_role_or_template(
    tx: &mut Tx,
    company: CompanyId,
    role: AccountRole,
    now: Timestamp,
) -> Result<AccountId> {
    if let Some(id) = role_account_in(tx, company, role).await? {
        return Ok(id);
    }
    let settings = settings_in(tx, company)
        .await?
        .ok_or(BooksError::NotFound("books"))?;
    let account = template(&settings.chart)
        .and_then(|template| {
            template
                .accounts
                .iter()
                .find(|account| account.role.as_deref() == Some(role.code()))
        })
        .ok_or(BooksError::NotFound("account"))?;
    let mut code = account.code.clone();
    while sqlx::query("SELECT 1 FROM books_account WHERE company_id = $1 AND code = $2")
        .bind(company)
        .bind(&code)
        .fetch_optional(tx.conn())
        .await?
        .is_some()
    {
        code.push('9');
    }
    insert_template_account_in(tx, company, account, &code, now).await
}

/// An account the member adds to its chart.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountInput {
    /// Digits, unique in the chart, e.g. `560102`.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: AccountKind,
}

/// A change to an account: its names, or whether it is in use.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountChange {
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    /// `false` deactivates an account that carries no balance.
    pub active: Option<bool>,
}

fn name(field: &str, value: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(BooksError::invalid(field, "required", "a name"));
    }
    if value.chars().count() > NAME_CHARS_MAX || value.chars().any(char::is_control) {
        return Err(BooksError::invalid(
            field,
            "invalid",
            format!("at most {NAME_CHARS_MAX} characters, one line"),
        ));
    }
    Ok(value.to_owned())
}

impl Books {
    /// The company's chart, by code; opens the books with the default chart
    /// the first time.
    pub async fn accounts(&self, scope: &Scope) -> Result<Vec<Account>> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        self.ensure_open(scope.company_id()).await?;
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM books_account WHERE company_id = $1 ORDER BY code LIMIT $2"
        ))
        .bind(scope.company_id())
        .bind(ACCOUNTS_MAX)
        .fetch_all(self.db.reader())
        .await?;
        rows.iter().map(account).collect()
    }

    /// Opens the company's books with the default chart unless they are open.
    pub(crate) async fn ensure_open(&self, company: CompanyId) -> Result<BooksSettings> {
        let mut tx = self.db.begin().await?;
        let settings = open_books_in(&mut tx, company, CHART_DEFAULT, self.clock.now()).await?;
        tx.commit().await?;
        Ok(settings)
    }

    /// Adds an account of the member's own to the chart.
    pub async fn add_account(&self, scope: &Scope, input: &AccountInput) -> Result<Account> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let code = input.code.trim();
        if code.is_empty()
            || code.len() > CODE_CHARS_MAX
            || !code.bytes().all(|byte| byte.is_ascii_digit())
        {
            return Err(BooksError::invalid(
                "code",
                "invalid",
                format!("1 to {CODE_CHARS_MAX} digits"),
            ));
        }
        let name_zh = name("name_zh", &input.name_zh)?;
        let name_en = name("name_en", &input.name_en)?;
        self.ensure_open(scope.company_id()).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let count: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM books_account WHERE company_id = $1")
                .bind(scope.company_id())
                .fetch_one(tx.conn())
                .await?
                .try_get("n")?;
        if count >= ACCOUNTS_MAX {
            return Err(BooksError::invalid(
                "code",
                "too_many",
                format!("at most {ACCOUNTS_MAX} accounts"),
            ));
        }
        let taken = sqlx::query("SELECT 1 FROM books_account WHERE company_id = $1 AND code = $2")
            .bind(scope.company_id())
            .bind(code)
            .fetch_optional(tx.conn())
            .await?
            .is_some();
        if taken {
            return Err(BooksError::invalid(
                "code",
                "taken",
                "another account has this code",
            ));
        }
        let account = Account {
            id: AccountId::new(),
            code: code.to_owned(),
            name_zh,
            name_en,
            kind: input.kind,
            role: None,
            active: true,
        };
        sqlx::query(
            "INSERT INTO books_account (company_id, id, code, name_zh, name_en, kind, role, active, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, '', 1, $7, $7)",
        )
        .bind(scope.company_id())
        .bind(account.id)
        .bind(&account.code)
        .bind(&account.name_zh)
        .bind(&account.name_en)
        .bind(account.kind.code())
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(account)
    }

    /// Renames an account, or (de)activates it. An account that carries a
    /// balance, or that automatic postings use, stays active.
    pub async fn change_account(
        &self,
        scope: &Scope,
        id: AccountId,
        change: &AccountChange,
    ) -> Result<Account> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let name_zh = change
            .name_zh
            .as_deref()
            .map(|v| name("name_zh", v))
            .transpose()?;
        let name_en = change
            .name_en
            .as_deref()
            .map(|v| name("name_en", v))
            .transpose()?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM books_account WHERE company_id = $1 AND id = $2"
        ))
        .bind(scope.company_id())
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(BooksError::NotFound("account"))?;
        let mut updated = account(&row)?;
        if change.active == Some(false) && updated.active {
            if updated.role.is_some() {
                return Err(BooksError::invalid(
                    "active",
                    "account_in_use",
                    "postings from orders and the wallet use this account",
                ));
            }
            let carries = sqlx::query(
                "SELECT currency FROM books_line WHERE company_id = $1 AND account_id = $2
                 GROUP BY currency HAVING SUM(debit_minor) <> SUM(credit_minor)",
            )
            .bind(scope.company_id())
            .bind(id)
            .fetch_optional(tx.conn())
            .await?
            .is_some();
            if carries {
                return Err(BooksError::invalid(
                    "active",
                    "account_has_balance",
                    "an account with a balance stays active",
                ));
            }
        }
        if let Some(name_zh) = name_zh {
            updated.name_zh = name_zh;
        }
        if let Some(name_en) = name_en {
            updated.name_en = name_en;
        }
        if let Some(active) = change.active {
            updated.active = active;
        }
        sqlx::query(
            "UPDATE books_account SET name_zh = $1, name_en = $2, active = $3, updated_at = $4
             WHERE company_id = $5 AND id = $6",
        )
        .bind(&updated.name_zh)
        .bind(&updated.name_en)
        .bind(i64::from(updated.active))
        .bind(now.micros())
        .bind(scope.company_id())
        .bind(id)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(updated)
    }
}

impl Books {
    /// The company's accounts that have a role, by raw id.
    pub(crate) async fn role_accounts(
        &self,
        company: CompanyId,
    ) -> Result<std::collections::BTreeMap<i64, AccountRole>> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM books_account WHERE company_id = $1 AND role <> ''"
        ))
        .bind(company)
        .fetch_all(self.db.reader())
        .await?;
        let mut roles = std::collections::BTreeMap::new();
        for row in &rows {
            let account = account(row)?;
            if let Some(role) = account.role {
                roles.insert(account.id.raw(), role);
            }
        }
        Ok(roles)
    }
}
