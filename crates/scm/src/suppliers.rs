//! Suppliers: companies on the network (found by their company, named from
//! their storefront) and companies off it, each with its prices and lead
//! times per item.

use kernel::db::Tx;
use kernel::{CompanyId, Page, PageRequest, Scope, Timestamp};
use serde::Deserialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::company::open_in;
use crate::error::{Result, ScmError};
use crate::fields::{optional_text, required_text};
use crate::model::{Supplier, SupplierId};
use crate::{Scm, may_purchase, may_view_stock, rows};

/// Suppliers a company may have.
pub const SUPPLIERS_MAX: i64 = 10_000;
const NAME_CHARS_MAX: usize = 200;
const CONTACT_CHARS_MAX: usize = 120;

/// A supplier: a company on Hanse (by its company, named after its
/// storefront unless a name is given), or one off the network. Suppliers on
/// Hanse also arrive with the company's first market order to them.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmSupplierInput)]
pub struct SupplierInput {
    /// Required for a supplier off the network.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// The supplier's company on Hanse.
    #[serde(default)]
    pub network_company_id: Option<CompanyId>,
}

pub(crate) const SUPPLIER_COLUMNS: &str = "id, name, network_company_id, contact, email, phone";

pub(crate) fn supplier(row: &AnyRow) -> Result<Supplier> {
    Ok(Supplier {
        id: SupplierId::from_raw(row.try_get("id")?),
        name: row.try_get("name")?,
        network_company_id: rows::optional_id(row, "network_company_id")?.map(CompanyId::from_raw),
        contact: row.try_get("contact")?,
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
    })
}

/// A new supplier off the network from `input`, or the field at fault.
pub(crate) fn checked_supplier(input: &SupplierInput) -> Result<Supplier> {
    let made = Supplier {
        id: SupplierId::new(),
        name: required_text("name", &input.name, NAME_CHARS_MAX)?,
        network_company_id: None,
        contact: optional_text("contact", &input.contact, CONTACT_CHARS_MAX)?,
        email: optional_text("email", &input.email, CONTACT_CHARS_MAX)?,
        phone: optional_text("phone", &input.phone, CONTACT_CHARS_MAX)?,
    };
    if !made.email.is_empty() && !made.email.contains('@') {
        return Err(ScmError::invalid("email", "invalid", "an email address"));
    }
    Ok(made)
}

pub(crate) async fn supplier_in(
    tx: &mut Tx,
    company: CompanyId,
    id: SupplierId,
    field: &str,
) -> Result<Supplier> {
    let row = sqlx::query(&format!(
        "SELECT {SUPPLIER_COLUMNS} FROM scm_supplier WHERE company_id = $1 AND id = $2"
    ))
    .bind(company)
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or_else(|| ScmError::invalid(field, "unknown_supplier", "no such supplier of yours"))?;
    supplier(&row)
}

pub(crate) async fn insert_supplier(
    tx: &mut Tx,
    company: CompanyId,
    supplier: &Supplier,
    now: Timestamp,
) -> Result<()> {
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM scm_supplier WHERE company_id = $1")
        .bind(company)
        .fetch_one(tx.conn())
        .await?
        .try_get("n")?;
    if count >= SUPPLIERS_MAX {
        return Err(ScmError::state(
            "too_many_suppliers",
            format!("a company has at most {SUPPLIERS_MAX} suppliers"),
        ));
    }
    sqlx::query(
        "INSERT INTO scm_supplier (company_id, id, name, network_company_id, contact, email, phone, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(company)
    .bind(supplier.id)
    .bind(&supplier.name)
    .bind(supplier.network_company_id.map_or(0, CompanyId::raw))
    .bind(&supplier.contact)
    .bind(&supplier.email)
    .bind(&supplier.phone)
    .bind(now.micros())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The buyer's supplier that is `seller` on the network, made if new and
/// named `name`.
pub(crate) async fn network_supplier_in(
    tx: &mut Tx,
    buyer: CompanyId,
    seller: CompanyId,
    name: &str,
    now: Timestamp,
) -> Result<Supplier> {
    let row = sqlx::query(&format!(
        "SELECT {SUPPLIER_COLUMNS} FROM scm_supplier WHERE company_id = $1 AND network_company_id = $2"
    ))
    .bind(buyer)
    .bind(seller)
    .fetch_optional(tx.conn())
    .await?;
    if let Some(row) = row {
        return supplier(&row);
    }
    let made = Supplier {
        id: SupplierId::new(),
        name: name.chars().take(NAME_CHARS_MAX).collect(),
        network_company_id: Some(seller),
        contact: String::new(),
        email: String::new(),
        phone: String::new(),
    };
    insert_supplier(tx, buyer, &made, now).await?;
    Ok(made)
}

impl Scm {
    pub async fn create_supplier(&self, scope: &Scope, input: &SupplierInput) -> Result<Supplier> {
        self.require(scope, may_purchase)?;
        let company = scope.company_id();
        let mut named = input.clone();
        if let Some(network) = input.network_company_id {
            let storefront = match self.market.storefront(network).await {
                Ok(storefront) if network != company => storefront,
                _ => {
                    return Err(ScmError::invalid(
                        "network_company_id",
                        "unknown_company",
                        "no other company on Hanse has this id",
                    ));
                }
            };
            if named.name.trim().is_empty() {
                named.name = storefront
                    .display_name
                    .chars()
                    .take(NAME_CHARS_MAX)
                    .collect();
            }
        }
        let mut made = checked_supplier(&named)?;
        made.network_company_id = input.network_company_id;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        open_in(&mut tx, company, now).await?;
        if let Some(network) = made.network_company_id {
            let known = sqlx::query(
                "SELECT id FROM scm_supplier WHERE company_id = $1 AND network_company_id = $2",
            )
            .bind(company)
            .bind(network)
            .fetch_optional(tx.conn())
            .await?;
            if known.is_some() {
                return Err(ScmError::invalid(
                    "network_company_id",
                    "taken",
                    "this company is one of your suppliers already",
                ));
            }
        }
        insert_supplier(&mut tx, scope.company_id(), &made, now).await?;
        tx.commit().await?;
        Ok(made)
    }

    pub async fn supplier(&self, scope: &Scope, id: SupplierId) -> Result<Supplier> {
        self.require(scope, may_view_stock)?;
        let mut tx = self.db.begin().await?;
        let found = supplier_in(&mut tx, scope.company_id(), id, "id")
            .await
            .map_err(|error| error.in_path("supplier"))?;
        tx.commit().await?;
        Ok(found)
    }

    pub async fn suppliers(&self, scope: &Scope, page: PageRequest) -> Result<Page<Supplier>> {
        self.require(scope, may_view_stock)?;
        let rows = sqlx::query(&format!(
            "SELECT {SUPPLIER_COLUMNS} FROM scm_supplier WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3"
        ))
        .bind(scope.company_id())
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let suppliers = rows.iter().map(supplier).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(suppliers, page, |supplier| {
            supplier.id.raw()
        }))
    }
}
