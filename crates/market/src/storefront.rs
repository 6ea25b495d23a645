//! Storefronts: each company's public face on the market. One is opened when
//! identity reports a registered company; the member fills in the rest.

use kernel::db::Tx;
use kernel::outbox::{self, OutboxEvent, Subscriber, SubscriberError};
use kernel::{CompanyId, Scope, Timestamp};
use serde::Deserialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{MarketError, Result};
use crate::events::StorefrontChanged;
use crate::fields::{number_in, optional_line, paragraphs, required_line};
use crate::image_store::is_image_hash;
use crate::model::Storefront;
use crate::{Market, rows};

/// Quotations per month a new supplier may send until the operator says otherwise.
pub const QUOTATION_QUOTA_DEFAULT: i64 = 30;
const PHOTOS_MAX: usize = 12;
const LIST_ITEMS_MAX: usize = 20;

/// What a member may change on its storefront.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StorefrontInput {
    pub display_name: String,
    #[serde(default)]
    pub about: String,
    /// Content hash of an uploaded image.
    #[serde(default)]
    pub logo: Option<String>,
    #[serde(default)]
    pub photos: Vec<String>,
    /// Countries or regions sold to, e.g. `Western Europe`.
    #[serde(default)]
    pub main_markets: Vec<String>,
    /// E.g. `ISO 9001:2015`, `CE`, `BSCI`.
    #[serde(default)]
    pub certificates: Vec<String>,
    #[serde(default)]
    pub year_founded: Option<i64>,
    #[serde(default)]
    pub staff_size: String,
    #[serde(default)]
    pub province: String,
    #[serde(default)]
    pub city: String,
}

/// What identity tells about a new company.
#[derive(Debug, Clone)]
pub struct StorefrontSeed {
    pub company_id: CompanyId,
    pub display_name: String,
    pub country: String,
    pub province: String,
    pub city: String,
    pub staff_size: String,
}

pub(crate) const STOREFRONT_COLUMNS: &str = "company_id, display_name, about, logo, photos, main_markets, certificates, year_founded, staff_size, country, province, city, response_rate_bp, verified, quotation_quota_monthly";

pub(crate) fn storefront(row: &AnyRow) -> Result<Storefront> {
    Ok(Storefront {
        company_id: CompanyId::from_raw(row.try_get("company_id")?),
        display_name: row.try_get("display_name")?,
        about: row.try_get("about")?,
        logo: row.try_get("logo")?,
        photos: rows::json(row, "photos")?,
        main_markets: rows::json(row, "main_markets")?,
        certificates: rows::json(row, "certificates")?,
        year_founded: row.try_get("year_founded")?,
        staff_size: row.try_get("staff_size")?,
        country: row.try_get("country")?,
        province: row.try_get("province")?,
        city: row.try_get("city")?,
        response_rate_bp: row.try_get("response_rate_bp")?,
        verified: row.try_get::<i64, _>("verified")? != 0,
        quotation_quota_monthly: row.try_get("quotation_quota_monthly")?,
    })
}

fn line_list(field: &str, items: &[String], chars_max: usize) -> Result<Vec<String>> {
    if items.len() > LIST_ITEMS_MAX {
        return Err(MarketError::invalid(
            field,
            "too_many",
            format!("at most {LIST_ITEMS_MAX} entries"),
        ));
    }
    items
        .iter()
        .map(|item| required_line(field, item, chars_max))
        .collect()
}

pub(crate) fn image_hashes(field: &str, hashes: &[String], max: usize) -> Result<Vec<String>> {
    if hashes.len() > max {
        return Err(MarketError::invalid(
            field,
            "too_many",
            format!("at most {max} images"),
        ));
    }
    for hash in hashes {
        if !is_image_hash(hash) {
            return Err(MarketError::invalid(
                field,
                "invalid_image",
                "an image hash returned by the upload",
            ));
        }
    }
    Ok(hashes.to_vec())
}

/// Opens the storefront of a new company, unless it has one, and says so:
/// products the company published before its storefront opened (the
/// subscriber that opens it may run after the one that indexes products)
/// reach search on that event.
pub(crate) async fn open_storefront(
    tx: &mut Tx,
    seed: &StorefrontSeed,
    now: Timestamp,
) -> Result<()> {
    let opened = sqlx::query(
        "INSERT INTO market_storefront (company_id, display_name, about, logo, photos, main_markets, certificates, year_founded, staff_size, country, province, city, response_rate_bp, verified, quotation_quota_monthly, created_at, updated_at)
         VALUES ($1, $2, '', NULL, '[]', '[]', '[]', NULL, $3, $4, $5, $6, NULL, 0, $7, $8, $8)
         ON CONFLICT (company_id) DO NOTHING",
    )
    .bind(seed.company_id)
    .bind(&seed.display_name)
    .bind(&seed.staff_size)
    .bind(&seed.country)
    .bind(&seed.province)
    .bind(&seed.city)
    .bind(QUOTATION_QUOTA_DEFAULT)
    .bind(now.micros())
    .execute(tx.conn())
    .await?
    .rows_affected();
    if opened > 0 {
        let event = StorefrontChanged {
            company_id: seed.company_id,
        };
        outbox::append(tx, &event, Some(seed.company_id), now).await?;
    }
    Ok(())
}

impl Market {
    /// Opens a storefront outside the outbox (tools and tests); the same as
    /// what the `CompanyRegistered` subscriber does.
    pub async fn open_storefront(&self, seed: &StorefrontSeed) -> Result<()> {
        let mut tx = self.db.begin().await?;
        open_storefront(&mut tx, seed, self.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Any company's storefront; storefronts are public.
    pub async fn storefront(&self, company_id: CompanyId) -> Result<Storefront> {
        let row = sqlx::query(&format!(
            "SELECT {STOREFRONT_COLUMNS} FROM market_storefront WHERE company_id = $1"
        ))
        .bind(company_id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(MarketError::NotFound("storefront"))?;
        storefront(&row)
    }

    /// The storefronts of `company_ids` that exist, in no particular order.
    pub(crate) async fn storefronts(&self, company_ids: &[CompanyId]) -> Result<Vec<Storefront>> {
        let sql = format!(
            "SELECT {STOREFRONT_COLUMNS} FROM market_storefront WHERE company_id IN ({})",
            rows::numbered_placeholders(1, company_ids.len())
        );
        let mut query = sqlx::query(&sql);
        for id in company_ids {
            query = query.bind(*id);
        }
        query
            .fetch_all(self.db.reader())
            .await?
            .iter()
            .map(storefront)
            .collect()
    }

    pub async fn update_storefront(
        &self,
        scope: &Scope,
        input: &StorefrontInput,
    ) -> Result<Storefront> {
        if !scope.role().manages_company() {
            return Err(MarketError::Forbidden);
        }
        let current = self.storefront(scope.company_id()).await?;
        let this_year = i64::from(self.clock.now().to_offset_date_time().year());
        let updated = Storefront {
            display_name: required_line("display_name", &input.display_name, 200)?,
            about: paragraphs("about", &input.about, 5_000)?,
            logo: input
                .logo
                .as_ref()
                .map(|logo| image_hashes("logo", std::slice::from_ref(logo), 1))
                .transpose()?
                .and_then(|mut hashes| hashes.pop()),
            photos: image_hashes("photos", &input.photos, PHOTOS_MAX)?,
            main_markets: line_list("main_markets", &input.main_markets, 100)?,
            certificates: line_list("certificates", &input.certificates, 200)?,
            year_founded: input
                .year_founded
                .map(|year| number_in("year_founded", year, 1800..=this_year))
                .transpose()?,
            staff_size: optional_line("staff_size", &input.staff_size, 40)?,
            province: optional_line("province", &input.province, 100)?,
            city: optional_line("city", &input.city, 100)?,
            ..current
        };
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "UPDATE market_storefront SET display_name = $1, about = $2, logo = $3, photos = $4, main_markets = $5,
             certificates = $6, year_founded = $7, staff_size = $8, province = $9, city = $10, updated_at = $11
             WHERE company_id = $12",
        )
        .bind(&updated.display_name)
        .bind(&updated.about)
        .bind(&updated.logo)
        .bind(rows::to_json(&updated.photos))
        .bind(rows::to_json(&updated.main_markets))
        .bind(rows::to_json(&updated.certificates))
        .bind(updated.year_founded)
        .bind(&updated.staff_size)
        .bind(&updated.province)
        .bind(&updated.city)
        .bind(now.micros())
        .bind(scope.company_id())
        .execute(tx.conn())
        .await?;
        let event = StorefrontChanged {
            company_id: scope.company_id(),
        };
        outbox::append(&mut tx, &event, Some(scope.company_id()), now).await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Marks a company verified or not; for the operator now, for trust later.
    pub async fn set_verified(&self, company_id: CompanyId, verified: bool) -> Result<()> {
        self.set_storefront_field(company_id, "verified", FieldValue::Bool(verified))
            .await
    }

    /// The quotations a supplier may send per month; for the operator.
    pub async fn set_quotation_quota(&self, company_id: CompanyId, quota: i64) -> Result<()> {
        let quota = number_in("quotation_quota_monthly", quota, 0..=100_000)?;
        self.set_storefront_field(
            company_id,
            "quotation_quota_monthly",
            FieldValue::Number(quota),
        )
        .await
    }

    /// Sets the response rate measured by chat, in basis points.
    pub async fn set_response_rate(&self, company_id: CompanyId, rate_bp: i64) -> Result<()> {
        let rate_bp = number_in("response_rate_bp", rate_bp, 0..=10_000)?;
        self.set_storefront_field(company_id, "response_rate_bp", FieldValue::Number(rate_bp))
            .await
    }

    async fn set_storefront_field(
        &self,
        company_id: CompanyId,
        column: &'static str,
        value: FieldValue,
    ) -> Result<()> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let sql = format!(
            "UPDATE market_storefront SET {column} = $1, updated_at = $2 WHERE company_id = $3"
        );
        let query = match value {
            FieldValue::Bool(value) => sqlx::query(&sql).bind(i64::from(value)),
            FieldValue::Number(value) => sqlx::query(&sql).bind(value),
        };
        let updated = query
            .bind(now.micros())
            .bind(company_id)
            .execute(tx.conn())
            .await?;
        if updated.rows_affected() == 0 {
            return Err(MarketError::NotFound("storefront"));
        }
        outbox::append(
            &mut tx,
            &StorefrontChanged { company_id },
            Some(company_id),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A value the operator or another module sets on a storefront.
enum FieldValue {
    Bool(bool),
    Number(i64),
}

/// Opens a storefront for every company identity registers.
pub struct StorefrontOpener;

#[async_trait::async_trait]
impl Subscriber for StorefrontOpener {
    fn name(&self) -> &'static str {
        "market.storefronts"
    }

    async fn handle(&self, tx: &mut Tx, event: &OutboxEvent) -> Result<(), SubscriberError> {
        let Some(registered) = event.decode::<identity::events::CompanyRegistered>() else {
            return Ok(());
        };
        let registered = registered.map_err(|error| SubscriberError::Failed(error.to_string()))?;
        let seed = StorefrontSeed {
            company_id: registered.company_id,
            display_name: registered.legal_name,
            country: registered.country,
            province: registered.region,
            city: registered.city,
            staff_size: registered.size,
        };
        open_storefront(tx, &seed, event.created_at)
            .await
            .map_err(|error| SubscriberError::Failed(error.to_string()))
    }
}
