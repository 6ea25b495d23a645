//! Buying requests (RFQs): a buyer says what it needs; suppliers listing in
//! the same category are told, and the open requests stand on a public board
//! that names the buyer only when the buyer allows it.

use kernel::db::Tx;
use kernel::outbox;
use kernel::{CompanyId, Currency, Page, PageRequest, Role, Scope, Timestamp};
use serde::Deserialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{MarketError, Result};
use crate::events::{RfqClosed, RfqPosted};
use crate::fields::{number_in, paragraphs, required_line};
use crate::model::{CategoryId, PublicRfq, Rfq, RfqId, RfqStatus, RfqSummary};
use crate::price::{QUANTITY_MAX, UNIT_PRICE_MINOR_MAX};
use crate::rows::numbered_placeholders;
use crate::{Market, rows};

/// A request takes quotations for at most this long.
pub const RFQ_VALID_DAYS_MAX: i64 = 90;
/// Suppliers told about one request: the most active in its category first
/// would be better; for now, the first this many found.
pub const MATCHED_SUPPLIERS_MAX: i64 = 500;

/// Who may post buying requests and accept quotations.
pub fn may_buy(role: Role) -> bool {
    matches!(role, Role::Owner | Role::Admin | Role::Purchasing)
}

/// A buying request as a buyer writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RfqInput {
    pub title: String,
    pub category_id: CategoryId,
    pub quantity: i64,
    pub unit: String,
    /// The price per unit the buyer hopes for, in minor units.
    #[serde(default)]
    pub target_price_minor: Option<i64>,
    pub currency: Currency,
    #[serde(default)]
    pub deliver_by: Option<Timestamp>,
    /// Where the goods go, e.g. `Hamburg, DE`.
    pub destination: String,
    #[serde(default)]
    pub details: String,
    pub valid_until: Timestamp,
    /// Name the buyer on the public board.
    #[serde(default)]
    pub show_company: bool,
}

pub(crate) const RFQ_COLUMNS: &str = "r.company_id, r.id, r.title, r.category_id, r.quantity, r.unit, r.target_price_minor, r.currency, r.deliver_by, r.destination, r.details, r.valid_until, r.show_company, r.status, r.created_at";

pub(crate) fn rfq(row: &AnyRow) -> Result<Rfq> {
    let status: String = row.try_get("status")?;
    Ok(Rfq {
        id: RfqId::from_raw(row.try_get("id")?),
        company_id: CompanyId::from_raw(row.try_get("company_id")?),
        title: row.try_get("title")?,
        category_id: CategoryId::from_raw(row.try_get("category_id")?),
        quantity: row.try_get("quantity")?,
        unit: row.try_get("unit")?,
        target_price_minor: row.try_get("target_price_minor")?,
        currency: rows::currency(row)?,
        deliver_by: rows::optional_timestamp(row, "deliver_by")?,
        destination: row.try_get("destination")?,
        details: row.try_get("details")?,
        valid_until: rows::timestamp(row, "valid_until")?,
        show_company: row.try_get::<i64, _>("show_company")? != 0,
        status: RfqStatus::parse(&status)
            .ok_or_else(|| kernel::StorageError::corrupt("rfq status", status))?,
        created_at: rows::timestamp(row, "created_at")?,
    })
}

impl Rfq {
    /// The fields anyone may read.
    pub fn summary(&self) -> RfqSummary {
        RfqSummary {
            id: self.id,
            title: self.title.clone(),
            category_id: self.category_id,
            quantity: self.quantity,
            unit: self.unit.clone(),
            target_price_minor: self.target_price_minor,
            currency: self.currency,
            deliver_by: self.deliver_by,
            destination: self.destination.clone(),
            details: self.details.clone(),
            valid_until: self.valid_until,
            status: self.status,
            created_at: self.created_at,
        }
    }

    /// Whether suppliers may still quote at `now`.
    pub fn is_open_at(&self, now: Timestamp) -> bool {
        self.status == RfqStatus::Open && self.valid_until > now
    }
}

/// Board rows: the request, the buyer's storefront and the quotation count.
const BOARD_SELECT: &str = "SELECT r.company_id, r.id, r.title, r.category_id, r.quantity, r.unit, r.target_price_minor, r.currency,
    r.deliver_by, r.destination, r.details, r.valid_until, r.show_company, r.status, r.created_at,
    s.display_name AS buyer_name, s.country AS buyer_country,
    (SELECT COUNT(*) FROM market_quotation q WHERE q.rfq_id = r.id) AS quotation_count
    FROM market_rfq r JOIN market_storefront s ON s.company_id = r.company_id";

fn public_rfq(row: &AnyRow) -> Result<PublicRfq> {
    let rfq = rfq(row)?;
    let shown = rfq.show_company;
    Ok(PublicRfq {
        buyer_name: shown.then(|| row.try_get("buyer_name")).transpose()?,
        buyer_company_id: shown.then_some(rfq.company_id),
        buyer_country: row.try_get("buyer_country")?,
        quotation_count: row.try_get("quotation_count")?,
        rfq: rfq.summary(),
    })
}

impl Market {
    pub async fn post_rfq(&self, scope: &Scope, input: &RfqInput) -> Result<Rfq> {
        if !may_buy(scope.role()) {
            return Err(MarketError::Forbidden);
        }
        let mut tx = self.db.begin().await?;
        let rfq = self
            .post_rfq_in(&mut tx, scope.company_id(), input, self.clock.now())
            .await?;
        tx.commit().await?;
        Ok(rfq)
    }

    /// Posts a buying request for `company` inside the caller's transaction,
    /// for a module acting on the company's standing instructions (the supply
    /// chain's replenishment); the caller has checked who may.
    pub async fn post_rfq_in(
        &self,
        tx: &mut Tx,
        company: CompanyId,
        input: &RfqInput,
        now: Timestamp,
    ) -> Result<Rfq> {
        let tree = self.categories().await?;
        if tree.get(input.category_id).is_none() {
            return Err(MarketError::invalid(
                "category_id",
                "not_found",
                "no such category",
            ));
        }
        if input.valid_until <= now
            || input.valid_until > now.plus_seconds(RFQ_VALID_DAYS_MAX * 86_400)
        {
            return Err(MarketError::invalid(
                "valid_until",
                "out_of_range",
                format!("a time in the next {RFQ_VALID_DAYS_MAX} days"),
            ));
        }
        if input.deliver_by.is_some_and(|deliver_by| deliver_by <= now) {
            return Err(MarketError::invalid(
                "deliver_by",
                "in_the_past",
                "a date in the future",
            ));
        }
        let rfq = Rfq {
            id: RfqId::new(),
            company_id: company,
            title: required_line("title", &input.title, 200)?,
            category_id: input.category_id,
            quantity: number_in("quantity", input.quantity, 1..=QUANTITY_MAX)?,
            unit: required_line("unit", &input.unit, 20)?,
            target_price_minor: input
                .target_price_minor
                .map(|price| number_in("target_price_minor", price, 1..=UNIT_PRICE_MINOR_MAX))
                .transpose()?,
            currency: input.currency,
            deliver_by: input.deliver_by,
            destination: required_line("destination", &input.destination, 200)?,
            details: paragraphs("details", &input.details, 5_000)?,
            valid_until: input.valid_until,
            show_company: input.show_company,
            status: RfqStatus::Open,
            created_at: now,
        };
        sqlx::query(
            "INSERT INTO market_rfq (company_id, id, title, category_id, quantity, unit, target_price_minor, currency, deliver_by,
             destination, details, valid_until, show_company, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'open', $14, $14)",
        )
        .bind(rfq.company_id)
        .bind(rfq.id)
        .bind(&rfq.title)
        .bind(rfq.category_id)
        .bind(rfq.quantity)
        .bind(&rfq.unit)
        .bind(rfq.target_price_minor)
        .bind(rfq.currency.code())
        .bind(rfq.deliver_by.map(Timestamp::micros))
        .bind(&rfq.destination)
        .bind(&rfq.details)
        .bind(rfq.valid_until.micros())
        .bind(i64::from(rfq.show_company))
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        // Suppliers with something published in the request's sub-tree.
        let subtree = tree.subtree(rfq.category_id);
        let placeholders = numbered_placeholders(3, subtree.len());
        let sql = format!(
            "SELECT DISTINCT company_id FROM market_product
             WHERE status = 'published' AND company_id <> $1 AND category_id IN ({placeholders})
             ORDER BY company_id LIMIT $2"
        );
        let mut query = sqlx::query(&sql).bind(company).bind(MATCHED_SUPPLIERS_MAX);
        for category in &subtree {
            query = query.bind(*category);
        }
        let matched = query
            .fetch_all(tx.conn())
            .await?
            .iter()
            .map(|row| row.try_get::<i64, _>("company_id").map(CompanyId::from_raw))
            .collect::<Result<Vec<_>, _>>()?;
        for supplier in &matched {
            sqlx::query(
                "INSERT INTO market_rfq_match (company_id, rfq_id, created_at, updated_at) VALUES ($1, $2, $3, $3)",
            )
            .bind(*supplier)
            .bind(rfq.id)
            .bind(now.micros())
            .execute(tx.conn())
            .await?;
        }
        let event = RfqPosted {
            rfq_id: rfq.id,
            company_id: rfq.company_id,
            category_id: rfq.category_id,
            matched_suppliers: matched,
        };
        outbox::append(tx, &event, Some(rfq.company_id), now).await?;
        Ok(rfq)
    }

    /// Open requests still taking quotations, newest first, optionally in
    /// one category's sub-tree.
    pub async fn rfq_board(
        &self,
        category: Option<CategoryId>,
        page: PageRequest,
    ) -> Result<Page<PublicRfq>> {
        let now = self.clock.now();
        let subtree = match category {
            Some(category) => self.categories().await?.subtree(category),
            None => Vec::new(),
        };
        let category_clause = if subtree.is_empty() {
            String::new()
        } else {
            format!(
                "AND r.category_id IN ({})",
                numbered_placeholders(4, subtree.len())
            )
        };
        let sql = format!(
            "{BOARD_SELECT} WHERE r.status = 'open' AND r.valid_until > $1 AND ($2 = 0 OR r.id < $2) {category_clause}
             ORDER BY r.id DESC LIMIT $3"
        );
        let mut query = sqlx::query(&sql)
            .bind(now.micros())
            .bind(page.after_raw())
            .bind(page.fetch_limit());
        for category in &subtree {
            query = query.bind(*category);
        }
        let rows = query.fetch_all(self.db.reader()).await?;
        let rfqs = rows.iter().map(public_rfq).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(rfqs, page, |rfq| rfq.rfq.id.raw()))
    }

    /// Any buying request as the public sees it.
    pub async fn public_rfq(&self, id: RfqId) -> Result<PublicRfq> {
        let row = sqlx::query(&format!("{BOARD_SELECT} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(self.db.reader())
            .await?
            .ok_or(MarketError::NotFound("buying request"))?;
        public_rfq(&row)
    }

    /// One of the company's own buying requests.
    pub async fn own_rfq(&self, scope: &Scope, id: RfqId) -> Result<Rfq> {
        let row = sqlx::query(&format!(
            "SELECT {RFQ_COLUMNS} FROM market_rfq r WHERE r.company_id = $1 AND r.id = $2"
        ))
        .bind(scope.company_id())
        .bind(id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(MarketError::NotFound("buying request"))?;
        rfq(&row)
    }

    /// The company's buying requests, newest first.
    pub async fn own_rfqs(&self, scope: &Scope, page: PageRequest) -> Result<Page<Rfq>> {
        let rows = sqlx::query(&format!(
            "SELECT {RFQ_COLUMNS} FROM market_rfq r WHERE r.company_id = $1 AND ($2 = 0 OR r.id < $2)
             ORDER BY r.id DESC LIMIT $3"
        ))
        .bind(scope.company_id())
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let rfqs = rows.iter().map(rfq).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(rfqs, page, |rfq| rfq.id.raw()))
    }

    /// Open requests the company was told about as a matching supplier.
    pub async fn matched_rfqs(&self, scope: &Scope, page: PageRequest) -> Result<Page<PublicRfq>> {
        let rows = sqlx::query(&format!(
            "{BOARD_SELECT} JOIN market_rfq_match m ON m.rfq_id = r.id AND m.company_id = $1
             WHERE r.status = 'open' AND r.valid_until > $2 AND ($3 = 0 OR r.id < $3)
             ORDER BY r.id DESC LIMIT $4"
        ))
        .bind(scope.company_id())
        .bind(self.clock.now().micros())
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let rfqs = rows.iter().map(public_rfq).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(rfqs, page, |rfq| rfq.rfq.id.raw()))
    }

    /// Stops a request from taking quotations, without an award.
    pub async fn close_rfq(&self, scope: &Scope, id: RfqId) -> Result<Rfq> {
        let current = self.own_rfq(scope, id).await?;
        if !may_buy(scope.role()) {
            return Err(MarketError::Forbidden);
        }
        if current.status != RfqStatus::Open {
            return Err(MarketError::Conflict(
                "the buying request is no longer open",
            ));
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE market_rfq SET status = 'closed', updated_at = $1 WHERE company_id = $2 AND id = $3 AND status = 'open'")
            .bind(now.micros())
            .bind(scope.company_id())
            .bind(id)
            .execute(tx.conn())
            .await?;
        let event = RfqClosed {
            rfq_id: id,
            company_id: scope.company_id(),
        };
        outbox::append(&mut tx, &event, Some(scope.company_id()), now).await?;
        tx.commit().await?;
        self.own_rfq(scope, id).await
    }

    /// A request by id whatever its owner, for the quotation flow.
    pub(crate) async fn rfq_by_id(&self, id: RfqId) -> Result<Rfq> {
        let row = sqlx::query(&format!(
            "SELECT {RFQ_COLUMNS} FROM market_rfq r WHERE r.id = $1"
        ))
        .bind(id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(MarketError::NotFound("buying request"))?;
        rfq(&row)
    }
}
