//! Quotations: a supplier's answer to a buying request, counted against its
//! monthly quota; the buyer compares them side by side, accepts one (trade
//! turns it into an order) or declines with a reason.

use std::collections::HashMap;

use kernel::db::Tx;
use kernel::outbox;
use kernel::{CompanyId, Currency, Page, PageRequest, Role, Scope, Timestamp};
use serde::Deserialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{MarketError, Result};
use crate::events::{QuotationAccepted, QuotationDeclined, QuotationSent, RfqClosed};
use crate::fields::{number_in, paragraphs, required_line};
use crate::model::{
    PriceTier, QuotaStatus, Quotation, QuotationId, QuotationStatus, Rfq, RfqId, RfqStatus,
    ShippingTerms, Storefront,
};
use crate::price::{QUANTITY_MAX, validate_tiers};
use crate::{Market, rows};

/// Quotations one request can gather; more would not be compared anyway.
pub const QUOTATIONS_PER_RFQ_MAX: i64 = 200;
/// The reason given to the others when one quotation is accepted.
pub const ANOTHER_ACCEPTED_REASON: &str = "The buyer accepted another quotation.";

/// Who may answer buying requests.
pub fn may_quote(role: Role) -> bool {
    matches!(role, Role::Owner | Role::Admin | Role::Sales)
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotationInput {
    /// One tier for a single price per unit, several for quantity breaks.
    pub price_tiers: Vec<PriceTier>,
    /// Must be the request's currency, so quotations compare side by side.
    pub currency: Currency,
    pub quantity: i64,
    pub lead_time_days: i64,
    pub shipping_terms: ShippingTerms,
    pub valid_until: Timestamp,
    #[serde(default)]
    pub message: String,
}

const QUOTATION_SELECT: &str = "SELECT q.company_id, q.id, q.rfq_id, q.buyer_company_id, q.price_tiers, q.currency, q.quantity,
    q.lead_time_days, q.shipping_terms, q.valid_until, q.message, q.status, q.decline_reason, q.created_at,
    s.display_name AS supplier_name, s.verified AS supplier_verified
    FROM market_quotation q JOIN market_storefront s ON s.company_id = q.company_id";

fn quotation(row: &AnyRow) -> Result<Quotation> {
    let status: String = row.try_get("status")?;
    let terms: String = row.try_get("shipping_terms")?;
    Ok(Quotation {
        id: QuotationId::from_raw(row.try_get("id")?),
        company_id: CompanyId::from_raw(row.try_get("company_id")?),
        supplier_name: row.try_get("supplier_name")?,
        supplier_verified: row.try_get::<i64, _>("supplier_verified")? != 0,
        rfq_id: RfqId::from_raw(row.try_get("rfq_id")?),
        buyer_company_id: CompanyId::from_raw(row.try_get("buyer_company_id")?),
        price_tiers: rows::json(row, "price_tiers")?,
        currency: rows::currency(row)?,
        quantity: row.try_get("quantity")?,
        lead_time_days: row.try_get("lead_time_days")?,
        shipping_terms: ShippingTerms::parse(&terms)
            .ok_or_else(|| kernel::StorageError::corrupt("shipping terms", terms))?,
        valid_until: rows::timestamp(row, "valid_until")?,
        message: row.try_get("message")?,
        status: QuotationStatus::parse(&status)
            .ok_or_else(|| kernel::StorageError::corrupt("quotation status", status))?,
        decline_reason: row.try_get("decline_reason")?,
        created_at: rows::timestamp(row, "created_at")?,
    })
}

/// `2026-11` for a time in November 2026 (UTC): the quota's period.
pub(crate) fn quota_month(now: Timestamp) -> String {
    let date = now.to_offset_date_time();
    format!("{:04}-{:02}", date.year(), u8::from(date.month()))
}

/// Counts one quotation against the quota, or refuses when it is used up.
/// The conditional update is atomic on both engines, so two quotations sent
/// at once cannot both take the last one.
async fn take_quota(tx: &mut Tx, company_id: CompanyId, quota: i64, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO market_quota_usage (company_id, month, used, created_at, updated_at) VALUES ($1, $2, 0, $3, $3)
         ON CONFLICT (company_id, month) DO NOTHING",
    )
    .bind(company_id)
    .bind(quota_month(now))
    .bind(now.micros())
    .execute(tx.conn())
    .await?;
    let taken = sqlx::query(
        "UPDATE market_quota_usage SET used = used + 1, updated_at = $1 WHERE company_id = $2 AND month = $3 AND used < $4",
    )
    .bind(now.micros())
    .bind(company_id)
    .bind(quota_month(now))
    .bind(quota)
    .execute(tx.conn())
    .await?;
    if taken.rows_affected() == 0 {
        return Err(MarketError::QuotaExhausted { quota });
    }
    Ok(())
}

impl Market {
    pub async fn send_quotation(
        &self,
        scope: &Scope,
        rfq_id: RfqId,
        input: &QuotationInput,
    ) -> Result<Quotation> {
        if !may_quote(scope.role()) {
            return Err(MarketError::Forbidden);
        }
        let rfq = self.rfq_by_id(rfq_id).await?;
        let now = self.clock.now();
        if rfq.company_id == scope.company_id() {
            return Err(MarketError::Conflict(
                "a company cannot quote on its own request",
            ));
        }
        if !rfq.is_open_at(now) {
            return Err(MarketError::Conflict(
                "the buying request is no longer open",
            ));
        }
        if input.currency != rfq.currency {
            return Err(MarketError::invalid(
                "currency",
                "currency_mismatch",
                format!("quote in {}, the request's currency", rfq.currency.code()),
            ));
        }
        if input.valid_until <= now {
            return Err(MarketError::invalid(
                "valid_until",
                "in_the_past",
                "a time in the future",
            ));
        }
        let price_tiers = validate_tiers("price_tiers", &input.price_tiers, None)?;
        let quantity = number_in("quantity", input.quantity, 1..=QUANTITY_MAX)?;
        if crate::price::unit_price_at(&price_tiers, quantity).is_none() {
            return Err(MarketError::invalid(
                "quantity",
                "below_first_tier",
                "the quoted quantity is below the first price tier",
            ));
        }
        let lead_time_days = number_in("lead_time_days", input.lead_time_days, 0..=365)?;
        let message = paragraphs("message", &input.message, 5_000)?;
        let supplier = self.storefront(scope.company_id()).await?;
        let id = QuotationId::new();
        let mut tx = self.db.begin().await?;
        let gathered: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM market_quotation WHERE rfq_id = $1")
                .bind(rfq_id)
                .fetch_one(tx.conn())
                .await?
                .try_get("n")?;
        if gathered >= QUOTATIONS_PER_RFQ_MAX {
            return Err(MarketError::Conflict(
                "the buying request has all the quotations it can take",
            ));
        }
        take_quota(
            &mut tx,
            scope.company_id(),
            supplier.quotation_quota_monthly,
            now,
        )
        .await?;
        let inserted = sqlx::query(
            "INSERT INTO market_quotation (company_id, id, rfq_id, buyer_company_id, price_tiers, currency, quantity, lead_time_days,
             shipping_terms, valid_until, message, status, decline_reason, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'sent', NULL, $12, $12)",
        )
        .bind(scope.company_id())
        .bind(id)
        .bind(rfq_id)
        .bind(rfq.company_id)
        .bind(rows::to_json(&price_tiers))
        .bind(input.currency.code())
        .bind(quantity)
        .bind(lead_time_days)
        .bind(input.shipping_terms.as_str())
        .bind(input.valid_until.micros())
        .bind(&message)
        .bind(now.micros())
        .execute(tx.conn())
        .await;
        rows::unique_or(inserted, || {
            MarketError::Conflict("your company has already quoted on this request")
        })?;
        let event = QuotationSent {
            quotation_id: id,
            rfq_id,
            supplier_company_id: scope.company_id(),
            buyer_company_id: rfq.company_id,
        };
        outbox::append(&mut tx, &event, Some(scope.company_id()), now).await?;
        tx.commit().await?;
        self.own_quotation(scope, id).await
    }

    /// A quotation the company sent.
    pub async fn own_quotation(&self, scope: &Scope, id: QuotationId) -> Result<Quotation> {
        let row = sqlx::query(&format!(
            "{QUOTATION_SELECT} WHERE q.company_id = $1 AND q.id = $2"
        ))
        .bind(scope.company_id())
        .bind(id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(MarketError::NotFound("quotation"))?;
        quotation(&row)
    }

    /// Quotations the company sent, newest first.
    pub async fn own_quotations(
        &self,
        scope: &Scope,
        page: PageRequest,
    ) -> Result<Page<Quotation>> {
        let rows = sqlx::query(&format!(
            "{QUOTATION_SELECT} WHERE q.company_id = $1 AND ($2 = 0 OR q.id < $2) ORDER BY q.id DESC LIMIT $3"
        ))
        .bind(scope.company_id())
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let quotations = rows.iter().map(quotation).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(quotations, page, |quotation| {
            quotation.id.raw()
        }))
    }

    /// The quotations on one of the company's own requests, cheapest total
    /// first: the side-by-side comparison.
    pub async fn quotations_for_rfq(
        &self,
        scope: &Scope,
        rfq_id: RfqId,
    ) -> Result<(Rfq, Vec<Quotation>)> {
        let rfq = self.own_rfq(scope, rfq_id).await?;
        let rows = sqlx::query(&format!(
            "{QUOTATION_SELECT} WHERE q.buyer_company_id = $1 AND q.rfq_id = $2 ORDER BY q.id LIMIT $3"
        ))
        .bind(scope.company_id())
        .bind(rfq_id)
        .bind(QUOTATIONS_PER_RFQ_MAX)
        .fetch_all(self.db.reader())
        .await?;
        let mut quotations = rows.iter().map(quotation).collect::<Result<Vec<_>>>()?;
        quotations.sort_by_key(|quotation| {
            (
                quotation.total_minor().unwrap_or(i64::MAX),
                quotation.id.raw(),
            )
        });
        Ok((rfq, quotations))
    }

    /// A quotation the company received.
    pub async fn received_quotation(&self, scope: &Scope, id: QuotationId) -> Result<Quotation> {
        let row = sqlx::query(&format!(
            "{QUOTATION_SELECT} WHERE q.buyer_company_id = $1 AND q.id = $2"
        ))
        .bind(scope.company_id())
        .bind(id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(MarketError::NotFound("quotation"))?;
        quotation(&row)
    }

    /// Accepts a quotation: the request is awarded, the other quotations are
    /// declined, and trade hears `QuotationAccepted`.
    pub async fn accept_quotation(&self, scope: &Scope, id: QuotationId) -> Result<Quotation> {
        let accepted = self.received_quotation(scope, id).await?;
        if !may_buy(scope.role()) {
            return Err(MarketError::Forbidden);
        }
        let rfq = self.own_rfq(scope, accepted.rfq_id).await?;
        let now = self.clock.now();
        if accepted.status != QuotationStatus::Sent {
            return Err(MarketError::Conflict("the quotation was already answered"));
        }
        if accepted.valid_until <= now {
            return Err(MarketError::Conflict("the quotation has expired"));
        }
        if rfq.status != RfqStatus::Open {
            return Err(MarketError::Conflict(
                "the buying request is no longer open",
            ));
        }
        let (_, others) = self.quotations_for_rfq(scope, rfq.id).await?;
        let mut tx = self.db.begin().await?;
        // The status condition makes a second, concurrent accept find nothing.
        let awarded = sqlx::query(
            "UPDATE market_rfq SET status = 'awarded', updated_at = $1 WHERE company_id = $2 AND id = $3 AND status = 'open'",
        )
        .bind(now.micros())
        .bind(scope.company_id())
        .bind(rfq.id)
        .execute(tx.conn())
        .await?;
        if awarded.rows_affected() == 0 {
            return Err(MarketError::Conflict(
                "the buying request is no longer open",
            ));
        }
        set_quotation_status(&mut tx, &accepted, QuotationStatus::Accepted, None, now).await?;
        let event = QuotationAccepted {
            quotation_id: accepted.id,
            rfq_id: rfq.id,
            supplier_company_id: accepted.company_id,
            buyer_company_id: scope.company_id(),
            title: rfq.title.clone(),
            quantity: accepted.quantity,
            unit: rfq.unit.clone(),
            price_tiers: accepted.price_tiers.clone(),
            currency: accepted.currency,
            lead_time_days: accepted.lead_time_days,
            shipping_terms: accepted.shipping_terms,
        };
        outbox::append(&mut tx, &event, Some(scope.company_id()), now).await?;
        for other in others
            .iter()
            .filter(|other| other.id != accepted.id && other.status == QuotationStatus::Sent)
        {
            decline_in(&mut tx, other, ANOTHER_ACCEPTED_REASON, now).await?;
        }
        let closed = RfqClosed {
            rfq_id: rfq.id,
            company_id: scope.company_id(),
        };
        outbox::append(&mut tx, &closed, Some(scope.company_id()), now).await?;
        tx.commit().await?;
        self.received_quotation(scope, id).await
    }

    pub async fn decline_quotation(
        &self,
        scope: &Scope,
        id: QuotationId,
        reason: &str,
    ) -> Result<Quotation> {
        let quotation = self.received_quotation(scope, id).await?;
        if !may_buy(scope.role()) {
            return Err(MarketError::Forbidden);
        }
        let reason = required_line("reason", reason, 500)?;
        if quotation.status != QuotationStatus::Sent {
            return Err(MarketError::Conflict("the quotation was already answered"));
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        decline_in(&mut tx, &quotation, &reason, now).await?;
        tx.commit().await?;
        self.received_quotation(scope, id).await
    }

    /// How much of this month's quota the company has used.
    pub async fn quota_status(&self, scope: &Scope) -> Result<QuotaStatus> {
        let storefront = self.storefront(scope.company_id()).await?;
        let month = quota_month(self.clock.now());
        let used: Option<i64> =
            sqlx::query("SELECT used FROM market_quota_usage WHERE company_id = $1 AND month = $2")
                .bind(scope.company_id())
                .bind(&month)
                .fetch_optional(self.db.reader())
                .await?
                .map(|row| row.try_get("used"))
                .transpose()?;
        Ok(QuotaStatus {
            month,
            quota: storefront.quotation_quota_monthly,
            used: used.unwrap_or(0),
        })
    }

    /// The storefronts of `company_ids` with this month's quota use, for the
    /// operator's list of suppliers; companies without a storefront yet are
    /// left out. At most [`STANDINGS_MAX`] ids.
    pub async fn supplier_standings(
        &self,
        company_ids: &[CompanyId],
    ) -> Result<HashMap<CompanyId, (Storefront, QuotaStatus)>> {
        if company_ids.len() > STANDINGS_MAX {
            return Err(MarketError::invalid(
                "company_ids",
                "too_many",
                format!("at most {STANDINGS_MAX} companies at once"),
            ));
        }
        if company_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let storefronts = self.storefronts(company_ids).await?;
        let month = quota_month(self.clock.now());
        let sql = format!(
            "SELECT company_id, used FROM market_quota_usage WHERE month = $1 AND company_id IN ({})",
            rows::numbered_placeholders(2, company_ids.len())
        );
        let mut query = sqlx::query(&sql).bind(&month);
        for id in company_ids {
            query = query.bind(*id);
        }
        let mut used: HashMap<CompanyId, i64> = HashMap::new();
        for row in query.fetch_all(self.db.reader()).await? {
            used.insert(
                CompanyId::from_raw(row.try_get("company_id")?),
                row.try_get("used")?,
            );
        }
        Ok(storefronts
            .into_iter()
            .map(|storefront| {
                let status = QuotaStatus {
                    month: month.clone(),
                    quota: storefront.quotation_quota_monthly,
                    used: used.get(&storefront.company_id).copied().unwrap_or(0),
                };
                (storefront.company_id, (storefront, status))
            })
            .collect())
    }
}

/// Companies looked up at once by [`Market::supplier_standings`].
pub const STANDINGS_MAX: usize = 100;

use crate::rfq::may_buy;

async fn set_quotation_status(
    tx: &mut Tx,
    quotation: &Quotation,
    status: QuotationStatus,
    reason: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    let updated = sqlx::query(
        "UPDATE market_quotation SET status = $1, decline_reason = $2, updated_at = $3
         WHERE company_id = $4 AND id = $5 AND status = 'sent'",
    )
    .bind(status.as_str())
    .bind(reason)
    .bind(now.micros())
    .bind(quotation.company_id)
    .bind(quotation.id)
    .execute(tx.conn())
    .await?;
    if updated.rows_affected() == 0 {
        return Err(MarketError::Conflict("the quotation was already answered"));
    }
    Ok(())
}

async fn decline_in(
    tx: &mut Tx,
    quotation: &Quotation,
    reason: &str,
    now: Timestamp,
) -> Result<()> {
    set_quotation_status(tx, quotation, QuotationStatus::Declined, Some(reason), now).await?;
    let event = QuotationDeclined {
        quotation_id: quotation.id,
        rfq_id: quotation.rfq_id,
        supplier_company_id: quotation.company_id,
        buyer_company_id: quotation.buyer_company_id,
        reason: reason.to_owned(),
    };
    outbox::append(tx, &event, Some(quotation.buyer_company_id), now).await?;
    Ok(())
}
