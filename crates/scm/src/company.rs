//! Opening a company's supply chain: its settings, the virtual supplier,
//! customer and loss locations, and a first warehouse, written the first
//! time anything of the company's supply chain is touched.

use kernel::db::Tx;
use kernel::{CompanyId, Scope, Timestamp};
use serde::Deserialize;
use sqlx::Row;

use crate::error::Result;
use crate::model::{LocationId, LocationKind, ReplenishWith, ScmSettings, Valuation};
use crate::rows;
use crate::{Scm, may_view_stock};

/// The first warehouse's code and name, until the member renames it.
const FIRST_WAREHOUSE_CODE: &str = "WH1";
const FIRST_WAREHOUSE_NAME: &str = "主仓库 Main warehouse";

/// The company's settings, opening its supply chain if it is not open yet.
pub(crate) async fn open_in(
    tx: &mut Tx,
    company: CompanyId,
    now: Timestamp,
) -> Result<ScmSettings> {
    if let Some(settings) = settings_in(tx, company).await? {
        return Ok(settings);
    }
    let settings = ScmSettings {
        valuation: Valuation::Average,
        replenish_with: ReplenishWith::PurchaseOrders,
        default_warehouse_id: LocationId::new(),
        supplier_location_id: LocationId::new(),
        customer_location_id: LocationId::new(),
        loss_location_id: LocationId::new(),
    };
    // A concurrent first touch waits here on PostgreSQL and then finds the
    // row; only the transaction that wrote it writes the locations.
    let inserted = sqlx::query(
        "INSERT INTO scm_company (company_id, valuation, supplier_location_id, customer_location_id, loss_location_id, default_warehouse_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (company_id) DO NOTHING",
    )
    .bind(company)
    .bind(settings.valuation.as_str())
    .bind(settings.supplier_location_id)
    .bind(settings.customer_location_id)
    .bind(settings.loss_location_id)
    .bind(settings.default_warehouse_id)
    .bind(now.micros())
    .execute(tx.conn())
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(settings_in(tx, company)
            .await?
            .expect("the row that conflicted is there"));
    }
    let locations = [
        (
            settings.supplier_location_id,
            LocationKind::Supplier,
            "SUPPLIERS",
            "供应商 Suppliers",
        ),
        (
            settings.customer_location_id,
            LocationKind::Customer,
            "CUSTOMERS",
            "客户 Customers",
        ),
        (
            settings.loss_location_id,
            LocationKind::Loss,
            "LOSS",
            "盘亏与损耗 Inventory loss",
        ),
        (
            settings.default_warehouse_id,
            LocationKind::Warehouse,
            FIRST_WAREHOUSE_CODE,
            FIRST_WAREHOUSE_NAME,
        ),
    ];
    for (id, kind, code, name) in locations {
        let warehouse = if kind == LocationKind::Warehouse {
            id.raw()
        } else {
            0
        };
        sqlx::query(
            "INSERT INTO scm_location (company_id, id, parent_id, warehouse_id, kind, code, name, created_at, updated_at)
             VALUES ($1, $2, 0, $3, $4, $5, $6, $7, $7)",
        )
        .bind(company)
        .bind(id)
        .bind(warehouse)
        .bind(kind.as_str())
        .bind(code)
        .bind(name)
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
    }
    Ok(settings)
}

pub(crate) async fn settings_in(tx: &mut Tx, company: CompanyId) -> Result<Option<ScmSettings>> {
    let row = sqlx::query(
        "SELECT valuation, replenish_with, supplier_location_id, customer_location_id, loss_location_id, default_warehouse_id
         FROM scm_company WHERE company_id = $1",
    )
    .bind(company)
    .fetch_optional(tx.conn())
    .await?;
    row.map(|row| {
        Ok(ScmSettings {
            valuation: rows::coded(&row, "valuation", Valuation::parse)?,
            replenish_with: rows::coded(&row, "replenish_with", ReplenishWith::parse)?,
            supplier_location_id: LocationId::from_raw(row.try_get("supplier_location_id")?),
            customer_location_id: LocationId::from_raw(row.try_get("customer_location_id")?),
            loss_location_id: LocationId::from_raw(row.try_get("loss_location_id")?),
            default_warehouse_id: LocationId::from_raw(row.try_get("default_warehouse_id")?),
        })
    })
    .transpose()
}

impl Scm {
    /// The company's supply-chain settings (opening it on first use).
    pub async fn settings(&self, scope: &Scope) -> Result<ScmSettings> {
        self.require(scope, may_view_stock)?;
        let mut tx = self.db.begin().await?;
        let settings = open_in(&mut tx, scope.company_id(), self.clock.now()).await?;
        tx.commit().await?;
        Ok(settings)
    }

    /// Makes `warehouse` where market purchases arrive unless a receipt says otherwise.
    pub async fn set_default_warehouse(
        &self,
        scope: &Scope,
        warehouse: LocationId,
    ) -> Result<ScmSettings> {
        let change = SettingsInput {
            default_warehouse_id: Some(warehouse),
            ..SettingsInput::default()
        };
        self.update_settings(scope, &change).await
    }

    /// Changes the settings given, all or none.
    pub async fn update_settings(
        &self,
        scope: &Scope,
        change: &SettingsInput,
    ) -> Result<ScmSettings> {
        self.require(scope, crate::may_keep_stock)?;
        let company = scope.company_id();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let mut settings = open_in(&mut tx, company, now).await?;
        if let Some(warehouse) = change.default_warehouse_id {
            crate::locations::warehouse_in(&mut tx, company, warehouse, "default_warehouse_id")
                .await?;
            settings.default_warehouse_id = warehouse;
        }
        if let Some(valuation) = change.valuation.filter(|v| *v != settings.valuation) {
            let moved = sqlx::query("SELECT id FROM scm_move WHERE company_id = $1 LIMIT 1")
                .bind(company)
                .fetch_optional(tx.conn())
                .await?;
            if moved.is_some() {
                return Err(crate::error::ScmError::state(
                    "valuation_locked",
                    "the valuation method is fixed once stock has moved",
                ));
            }
            settings.valuation = valuation;
        }
        if let Some(replenish_with) = change.replenish_with {
            settings.replenish_with = replenish_with;
            crate::replenish::ensure_job_in(&mut tx, company, now).await?;
        }
        sqlx::query(
            "UPDATE scm_company SET default_warehouse_id = $1, replenish_with = $2, valuation = $3, updated_at = $4 WHERE company_id = $5",
        )
        .bind(settings.default_warehouse_id)
        .bind(settings.replenish_with.as_str())
        .bind(settings.valuation.as_str())
        .bind(now.micros())
        .bind(company)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(settings)
    }
}

/// A change of settings: only what is given changes.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmSettingsInput)]
#[serde(deny_unknown_fields)]
pub struct SettingsInput {
    /// Where market purchases arrive unless a receipt says otherwise.
    #[serde(default)]
    pub default_warehouse_id: Option<LocationId>,
    #[serde(default)]
    pub replenish_with: Option<ReplenishWith>,
    /// Moving average (the default) or FIFO; chosen before the first move.
    #[serde(default)]
    pub valuation: Option<Valuation>,
}
