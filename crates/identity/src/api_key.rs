//! API keys: a company's credentials for its own ERP or shop system. Each key
//! has a role (what it may do) and scopes (which parts of the API it may use);
//! the secret is shown once and stored hashed.

use kernel::page::{Page, PageRequest};
use kernel::{CompanyId, Role, Scope};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{IdentityError, Result};
use crate::fields::required_text;
use crate::model::{ApiKey, ApiKeyAuth, ApiKeyId};
use crate::{Identity, rows, token};

/// A part of the API a key may use. Later modules add theirs here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum ApiScope {
    /// Read the company profile.
    #[serde(rename = "company:read")]
    CompanyRead,
    /// Read the staff list and invitations.
    #[serde(rename = "staff:read")]
    StaffRead,
    /// Invite, re-role and remove staff.
    #[serde(rename = "staff:write")]
    StaffWrite,
    /// Read wallet balances, statements, top-ups, withdrawals, bank accounts.
    #[serde(rename = "wallet:read")]
    WalletRead,
    /// Move money: top-ups, withdrawals, bank accounts.
    #[serde(rename = "wallet:write")]
    WalletWrite,
    /// Read the own catalog and storefront, including drafts.
    #[serde(rename = "catalog:read")]
    CatalogRead,
    /// Change products, images, the storefront; import and export.
    #[serde(rename = "catalog:write")]
    CatalogWrite,
    /// Read the own buying requests and quotations, sent and received.
    #[serde(rename = "sourcing:read")]
    SourcingRead,
    /// Post buying requests, send, accept and decline quotations.
    #[serde(rename = "sourcing:write")]
    SourcingWrite,
    /// Read the company's orders as buyer and seller, with their timelines,
    /// shipments, refunds and disputes.
    #[serde(rename = "orders:read")]
    OrdersRead,
    /// Place, confirm, decline, cancel, pay, ship and receive orders; ask for,
    /// answer and close refunds; open disputes.
    #[serde(rename = "orders:write")]
    OrdersWrite,
    /// Read the books: the chart, entries, periods, reports and the
    /// reconciliation with the wallet.
    #[serde(rename = "books:read")]
    BooksRead,
    /// Keep the books: accounts, entries, reversals, period locks, settings.
    #[serde(rename = "books:write")]
    BooksWrite,
    /// Read the supply chain: items, locations, stock, moves, valuation,
    /// suppliers and purchase orders.
    #[serde(rename = "stock:read")]
    StockRead,
    /// Keep the supply chain: items, locations, moves, product links,
    /// suppliers, purchase orders and receipts.
    #[serde(rename = "stock:write")]
    StockWrite,
}

impl ApiScope {
    pub const ALL: &'static [ApiScope] = &[
        ApiScope::CompanyRead,
        ApiScope::StaffRead,
        ApiScope::StaffWrite,
        ApiScope::WalletRead,
        ApiScope::WalletWrite,
        ApiScope::CatalogRead,
        ApiScope::CatalogWrite,
        ApiScope::SourcingRead,
        ApiScope::SourcingWrite,
        ApiScope::OrdersRead,
        ApiScope::OrdersWrite,
        ApiScope::BooksRead,
        ApiScope::BooksWrite,
        ApiScope::StockRead,
        ApiScope::StockWrite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApiScope::CompanyRead => "company:read",
            ApiScope::StaffRead => "staff:read",
            ApiScope::StaffWrite => "staff:write",
            ApiScope::WalletRead => "wallet:read",
            ApiScope::WalletWrite => "wallet:write",
            ApiScope::CatalogRead => "catalog:read",
            ApiScope::CatalogWrite => "catalog:write",
            ApiScope::SourcingRead => "sourcing:read",
            ApiScope::SourcingWrite => "sourcing:write",
            ApiScope::OrdersRead => "orders:read",
            ApiScope::OrdersWrite => "orders:write",
            ApiScope::BooksRead => "books:read",
            ApiScope::BooksWrite => "books:write",
            ApiScope::StockRead => "stock:read",
            ApiScope::StockWrite => "stock:write",
        }
    }

    pub fn parse(text: &str) -> Option<ApiScope> {
        ApiScope::ALL
            .iter()
            .copied()
            .find(|scope| scope.as_str() == text)
    }
}

/// What the company gives to create a key.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiKey {
    /// What the key is for, e.g. "ERP sync".
    pub name: String,
    /// The role the key acts in; not `owner`.
    pub role: Role,
    pub scopes: Vec<ApiScope>,
}

const COLUMNS: &str = "id, name, key_prefix, role, scopes, created_at, last_used_at";
/// Characters of the secret kept in clear, to recognise a key in the list.
const SHOWN_PREFIX_LEN: usize = 10;

fn scopes(row: &AnyRow) -> Result<Vec<ApiScope>> {
    let text: String = row.try_get("scopes")?;
    text.split_whitespace()
        .map(|name| {
            ApiScope::parse(name)
                .ok_or_else(|| kernel::StorageError::corrupt("api scope", name).into())
        })
        .collect()
}

fn api_key(row: &AnyRow) -> Result<ApiKey> {
    Ok(ApiKey {
        id: ApiKeyId::from_raw(row.try_get("id")?),
        name: row.try_get("name")?,
        prefix: row.try_get("key_prefix")?,
        role: rows::role(row, "role")?,
        scopes: scopes(row)?,
        created_at: rows::timestamp(row, "created_at")?,
        last_used_at: rows::optional_timestamp(row, "last_used_at")?,
    })
}

impl Identity {
    /// Creates a key; returns it with its secret, which is never shown again.
    pub async fn create_api_key(&self, scope: &Scope, new: &NewApiKey) -> Result<(ApiKey, String)> {
        let creator = scope.user_id().ok_or(IdentityError::Forbidden)?;
        if !scope.role().manages_company() {
            return Err(IdentityError::Forbidden);
        }
        let name = required_text("name", &new.name, 100)?;
        if new.role == Role::Owner {
            return Err(IdentityError::invalid(
                "role",
                "owner_key",
                "a key cannot act as owner; choose admin or less",
            ));
        }
        if new.scopes.is_empty() {
            return Err(IdentityError::invalid(
                "scopes",
                "required",
                "give the key at least one scope",
            ));
        }
        let mut key_scopes = new.scopes.clone();
        key_scopes.sort_by_key(|scope| scope.as_str());
        key_scopes.dedup();
        let secret = token::generate("hk_");
        let now = self.clock.now();
        let key = ApiKey {
            id: ApiKeyId::new(),
            name,
            prefix: secret.chars().take(SHOWN_PREFIX_LEN).collect(),
            role: new.role,
            scopes: key_scopes,
            created_at: now,
            last_used_at: None,
        };
        let scope_text = key
            .scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO identity_api_key (company_id, id, name, key_prefix, key_hash, role, scopes, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(scope.company_id())
        .bind(key.id)
        .bind(&key.name)
        .bind(&key.prefix)
        .bind(token::hash(&secret))
        .bind(key.role.as_str())
        .bind(scope_text)
        .bind(creator)
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok((key, secret))
    }

    /// The company's keys that are not revoked.
    pub async fn api_keys(&self, scope: &Scope, page: PageRequest) -> Result<Page<ApiKey>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM identity_api_key
             WHERE company_id = $1 AND revoked_at IS NULL AND id > $2 ORDER BY id LIMIT $3"
        ))
        .bind(scope.company_id())
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let keys = rows.iter().map(api_key).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(keys, page, |key| key.id.raw()))
    }

    pub async fn revoke_api_key(&self, scope: &Scope, id: ApiKeyId) -> Result<()> {
        let exists = sqlx::query("SELECT 1 AS one FROM identity_api_key WHERE company_id = $1 AND id = $2 AND revoked_at IS NULL")
            .bind(scope.company_id())
            .bind(id)
            .fetch_optional(self.db.reader())
            .await?;
        if exists.is_none() {
            return Err(IdentityError::NotFound("api key"));
        }
        if !scope.role().manages_company() {
            return Err(IdentityError::Forbidden);
        }
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE identity_api_key SET revoked_at = $1, updated_at = $1 WHERE company_id = $2 AND id = $3")
            .bind(self.clock.now().micros())
            .bind(scope.company_id())
            .bind(id)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The live key with this secret, if any.
    pub async fn api_key_by_token(&self, secret: &str) -> Result<Option<ApiKeyAuth>> {
        let row = sqlx::query(
            "SELECT id, company_id, role, scopes, last_used_at FROM identity_api_key
             WHERE key_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token::hash(secret))
        .fetch_optional(self.db.reader())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let auth = ApiKeyAuth {
            key_id: ApiKeyId::from_raw(row.try_get("id")?),
            company_id: CompanyId::from_raw(row.try_get("company_id")?),
            role: rows::role(&row, "role")?,
            scopes: scopes(&row)?,
        };
        let now = self.clock.now();
        let stale = rows::optional_timestamp(&row, "last_used_at")?
            .is_none_or(|used| used.plus_seconds(300) < now);
        if stale {
            let mut tx = self.db.begin().await?;
            sqlx::query(
                "UPDATE identity_api_key SET last_used_at = $1 WHERE company_id = $2 AND id = $3",
            )
            .bind(now.micros())
            .bind(auth.company_id)
            .bind(auth.key_id)
            .execute(tx.conn())
            .await?;
            tx.commit().await?;
        }
        Ok(Some(auth))
    }
}
