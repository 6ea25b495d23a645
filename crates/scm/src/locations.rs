//! Warehouses, zones and bins: a tree under each warehouse, where stock is
//! kept. The virtual supplier, customer and loss locations are opened with
//! the company and cannot be made by hand.

use kernel::db::Tx;
use kernel::{CompanyId, Page, PageRequest, Scope};
use serde::Deserialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::company::open_in;
use crate::error::{Result, ScmError};
use crate::fields::required_text;
use crate::model::{Location, LocationId, LocationKind};
use crate::{Scm, may_keep_stock, may_view_stock, rows};

/// Locations a company may have, virtual ones included.
pub const LOCATIONS_MAX: i64 = 5_000;
const CODE_CHARS_MAX: usize = 30;
const NAME_CHARS_MAX: usize = 120;

/// A new warehouse (no parent), zone (in a warehouse) or bin (in either).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmLocationInput)]
pub struct LocationInput {
    pub kind: LocationKind,
    pub parent_id: Option<LocationId>,
    /// Unique in the company, up to 30 characters.
    pub code: String,
    pub name: String,
}

pub(crate) const LOCATION_COLUMNS: &str = "id, parent_id, warehouse_id, kind, code, name";

pub(crate) fn location(row: &AnyRow) -> Result<Location> {
    Ok(Location {
        id: LocationId::from_raw(row.try_get("id")?),
        parent_id: rows::optional_id(row, "parent_id")?.map(LocationId::from_raw),
        warehouse_id: rows::optional_id(row, "warehouse_id")?.map(LocationId::from_raw),
        kind: rows::coded(row, "kind", LocationKind::parse)?,
        code: row.try_get("code")?,
        name: row.try_get("name")?,
    })
}

/// The company's location `id`, or an error naming `field`.
pub(crate) async fn location_in(
    tx: &mut Tx,
    company: CompanyId,
    id: LocationId,
    field: &str,
) -> Result<Location> {
    let row = sqlx::query(&format!(
        "SELECT {LOCATION_COLUMNS} FROM scm_location WHERE company_id = $1 AND id = $2"
    ))
    .bind(company)
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or_else(|| ScmError::invalid(field, "unknown_location", "no such location of yours"))?;
    location(&row)
}

/// One of the company's own locations (a warehouse, zone or bin), or an
/// error naming `field`.
pub(crate) async fn own_location_in(
    tx: &mut Tx,
    company: CompanyId,
    id: LocationId,
    field: &str,
) -> Result<Location> {
    let found = location_in(tx, company, id, field).await?;
    if !found.kind.is_own() {
        return Err(ScmError::invalid(
            field,
            "not_own",
            "one of your warehouses, zones or bins",
        ));
    }
    Ok(found)
}

/// The company's warehouse `id`, or an error naming `field`.
pub(crate) async fn warehouse_in(
    tx: &mut Tx,
    company: CompanyId,
    id: LocationId,
    field: &str,
) -> Result<Location> {
    let found = location_in(tx, company, id, field).await?;
    if found.kind != LocationKind::Warehouse {
        return Err(ScmError::invalid(field, "not_a_warehouse", "a warehouse"));
    }
    Ok(found)
}

impl Scm {
    pub async fn create_location(&self, scope: &Scope, input: &LocationInput) -> Result<Location> {
        self.require(scope, may_keep_stock)?;
        let company = scope.company_id();
        let code = required_text("code", &input.code, CODE_CHARS_MAX)?;
        let name = required_text("name", &input.name, NAME_CHARS_MAX)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        open_in(&mut tx, company, now).await?;
        let id = LocationId::new();
        let (parent, warehouse) = match (input.kind, input.parent_id) {
            (LocationKind::Warehouse, None) => (0, id.raw()),
            (LocationKind::Warehouse, Some(_)) => {
                return Err(ScmError::invalid(
                    "parent_id",
                    "not_allowed",
                    "a warehouse is not inside another location",
                ));
            }
            (LocationKind::Zone | LocationKind::Bin, Some(parent_id)) => {
                let parent = location_in(&mut tx, company, parent_id, "parent_id").await?;
                let fits = match input.kind {
                    LocationKind::Zone => parent.kind == LocationKind::Warehouse,
                    _ => matches!(parent.kind, LocationKind::Warehouse | LocationKind::Zone),
                };
                if !fits {
                    return Err(ScmError::invalid(
                        "parent_id",
                        "wrong_parent",
                        "a zone sits in a warehouse; a bin in a warehouse or a zone",
                    ));
                }
                (
                    parent.id.raw(),
                    parent.warehouse_id.map_or(0, LocationId::raw),
                )
            }
            (LocationKind::Zone | LocationKind::Bin, None) => {
                return Err(ScmError::invalid(
                    "parent_id",
                    "required",
                    "the warehouse or zone it is in",
                ));
            }
            (_, _) => {
                return Err(ScmError::invalid(
                    "kind",
                    "not_allowed",
                    "warehouse, zone or bin",
                ));
            }
        };
        let count: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM scm_location WHERE company_id = $1")
                .bind(company)
                .fetch_one(tx.conn())
                .await?
                .try_get("n")?;
        if count >= LOCATIONS_MAX {
            return Err(ScmError::state(
                "too_many_locations",
                format!("a company has at most {LOCATIONS_MAX} locations"),
            ));
        }
        let taken = sqlx::query("SELECT id FROM scm_location WHERE company_id = $1 AND code = $2")
            .bind(company)
            .bind(&code)
            .fetch_optional(tx.conn())
            .await?;
        if taken.is_some() {
            return Err(ScmError::invalid(
                "code",
                "taken",
                "another location has this code",
            ));
        }
        sqlx::query(
            "INSERT INTO scm_location (company_id, id, parent_id, warehouse_id, kind, code, name, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(company)
        .bind(id)
        .bind(parent)
        .bind(warehouse)
        .bind(input.kind.as_str())
        .bind(&code)
        .bind(&name)
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        let created = location_in(&mut tx, company, id, "id").await?;
        tx.commit().await?;
        Ok(created)
    }

    /// One of the company's locations.
    pub async fn location(&self, scope: &Scope, id: LocationId) -> Result<Location> {
        self.require(scope, may_view_stock)?;
        let row = sqlx::query(&format!(
            "SELECT {LOCATION_COLUMNS} FROM scm_location WHERE company_id = $1 AND id = $2"
        ))
        .bind(scope.company_id())
        .bind(id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(ScmError::NotFound("location"))?;
        location(&row)
    }

    /// The company's locations, oldest first (warehouses before what they hold).
    pub async fn locations(&self, scope: &Scope, page: PageRequest) -> Result<Page<Location>> {
        self.settings(scope).await?;
        let rows = sqlx::query(&format!(
            "SELECT {LOCATION_COLUMNS} FROM scm_location
             WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3"
        ))
        .bind(scope.company_id())
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let locations = rows.iter().map(location).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(locations, page, |location| {
            location.id.raw()
        }))
    }
}
