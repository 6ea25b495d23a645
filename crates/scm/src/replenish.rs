//! Replenishment: once a day, for each item whose stock position (on hand,
//! less what orders hold, plus what is on order or requested) has fallen to
//! its reorder point, propose enough to rise above it: draft purchase orders
//! at the quickest then cheapest supplier's price, one per supplier, or a
//! buying request on the market in the category the item sells or is
//! bought in, as the company prefers. A durable job per company (kernel's
//! scheduled jobs) runs it, and a member may run it at any time; what is
//! proposed counts as on order, so a second run proposes nothing new.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use kernel::db::Tx;
use kernel::jobs::{self, Job, JobError, JobHandler, JobOutcome};
use kernel::{CompanyId, Currency, Page, PageRequest, Scope, Timestamp};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::company::open_in;
use crate::error::{Result, ScmError};
use crate::items::{factor_of, item_in};
use crate::model::{
    ItemId, ProposalId, PurchaseLine, PurchaseOrderId, PurchaseState, ReplenishOutcome,
    ReplenishWith, SupplierId,
};
use crate::purchase::{NewPurchase, PURCHASE_LINES_MAX, insert_purchase};
use crate::supplier_prices::preferred_price_in;
use crate::{Scm, may_purchase, may_view_stock, rows};

/// The job kind; one job per company, keyed by the company's id.
pub const REPLENISH_JOB: &str = "scm.replenish";
/// When the daily run is due: 22:00 UTC, six in the morning in Beijing.
const RUN_AT_SECOND_OF_DAY: i64 = 22 * 3_600;
const DAY_MICROS: i64 = 86_400_000_000;
/// How long a replenishment buying request takes quotations.
const BUYING_REQUEST_DAYS: i64 = 14;
/// How long proposals are kept to be looked at.
const PROPOSALS_KEPT_DAYS: i64 = 90;
/// The note on a proposed purchase order.
const PROPOSAL_NOTE: &str = "补货建议 Replenishment proposal";

/// What one run proposed for one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmProposal)]
pub struct Proposal {
    pub id: ProposalId,
    pub item_id: ItemId,
    pub outcome: ReplenishOutcome,
    /// In the item's base unit.
    pub quantity: i64,
    /// The draft purchase order it went on; absent when none (not null, so
    /// a client following it as a link finds nothing to follow).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purchase_order_id: Option<PurchaseOrderId>,
    /// The buying request posted on the market; absent when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rfq_id: Option<market::RfqId>,
    pub ran_at: Timestamp,
}

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    company_id: i64,
}

/// The next daily run strictly after `now`.
pub(crate) fn next_run_after(now: Timestamp) -> Timestamp {
    let offset = RUN_AT_SECOND_OF_DAY * 1_000_000;
    let day = (now.micros() - offset).div_euclid(DAY_MICROS);
    Timestamp::from_micros((day + 1) * DAY_MICROS + offset)
}

/// Makes sure the company's daily run is scheduled; cheap to repeat.
pub(crate) async fn ensure_job_in(tx: &mut Tx, company: CompanyId, now: Timestamp) -> Result<()> {
    let payload = Payload {
        company_id: company.raw(),
    };
    jobs::schedule(
        tx,
        REPLENISH_JOB,
        &company.raw().to_string(),
        next_run_after(now),
        &payload,
        now,
    )
    .await?;
    Ok(())
}

/// How much to propose for an item at `position` with reorder point `point`:
/// enough to rise above the point, in whole reorder quantities when one is set.
pub fn proposed_quantity(position: i64, point: i64, reorder_quantity: i64) -> i64 {
    let short = point - position + 1;
    if short <= 0 {
        return 0;
    }
    if reorder_quantity <= 0 {
        return short;
    }
    reorder_quantity * ((short + reorder_quantity - 1) / reorder_quantity)
}

/// An item at or under its reorder point, and how much it needs.
struct Short {
    item: ItemId,
    quantity: i64,
}

/// Sums of one base-unit column per item, from a grouped query.
async fn per_item(
    tx: &mut Tx,
    sql: &str,
    company: CompanyId,
    now: Timestamp,
) -> Result<HashMap<i64, i64>> {
    let rows = sqlx::query(sql)
        .bind(company)
        .bind(now.micros())
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("item_id")?, row.try_get("quantity")?)))
        .collect()
}

/// The company's items at or under their reorder point.
async fn short_items(tx: &mut Tx, company: CompanyId, now: Timestamp) -> Result<Vec<Short>> {
    let reserved = per_item(
        tx,
        "SELECT item_id, CAST(SUM(reserved) AS BIGINT) AS quantity FROM scm_warehouse_stock
         WHERE company_id = $1 AND $2 = $2 GROUP BY item_id",
        company,
        now,
    )
    .await?;
    let on_order = per_item(
        tx,
        "SELECT l.item_id, CAST(SUM((l.quantity - l.received_quantity) * l.factor) AS BIGINT) AS quantity
         FROM scm_purchase_line l JOIN scm_purchase_order o ON o.company_id = l.company_id AND o.id = l.purchase_order_id
         WHERE l.company_id = $1 AND $2 = $2 AND o.state IN ('draft', 'ordered', 'partially_received')
         GROUP BY l.item_id",
        company,
        now,
    )
    .await?;
    let requested = per_item(
        tx,
        "SELECT item_id, CAST(SUM(quantity) AS BIGINT) AS quantity FROM scm_replenishment
         WHERE company_id = $1 AND outcome = 'buying_request' AND open_until > $2 GROUP BY item_id",
        company,
        now,
    )
    .await?;
    let items = sqlx::query(
        "SELECT id, reorder_point, reorder_quantity, pool_quantity FROM scm_item
         WHERE company_id = $1 AND reorder_point > 0 ORDER BY id LIMIT $2",
    )
    .bind(company)
    .bind(crate::ITEMS_MAX)
    .fetch_all(tx.conn())
    .await?;
    let mut short = Vec::new();
    for row in items {
        let id: i64 = row.try_get("id")?;
        let of = |sums: &HashMap<i64, i64>| sums.get(&id).copied().unwrap_or(0);
        let position = row.try_get::<i64, _>("pool_quantity")? - of(&reserved)
            + of(&on_order)
            + of(&requested);
        let quantity = proposed_quantity(
            position,
            row.try_get("reorder_point")?,
            row.try_get("reorder_quantity")?,
        );
        if quantity > 0 {
            short.push(Short {
                item: ItemId::from_raw(id),
                quantity,
            });
        }
    }
    Ok(short)
}

async fn record(
    tx: &mut Tx,
    company: CompanyId,
    proposal: &Proposal,
    open_until: Timestamp,
) -> Result<()> {
    if matches!(
        proposal.outcome,
        ReplenishOutcome::NoSupplier
            | ReplenishOutcome::NoCategory
            | ReplenishOutcome::RequestRefused
    ) {
        // One standing "cannot" per item, not one a day.
        sqlx::query(
            "DELETE FROM scm_replenishment WHERE company_id = $1 AND item_id = $2 AND outcome IN ('no_supplier', 'no_category', 'request_refused')",
        )
        .bind(company)
        .bind(proposal.item_id)
        .execute(tx.conn())
        .await?;
    }
    sqlx::query(
        "INSERT INTO scm_replenishment (company_id, id, item_id, outcome, quantity, purchase_order_id, rfq_id, open_until, ran_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9)",
    )
    .bind(company)
    .bind(proposal.id)
    .bind(proposal.item_id)
    .bind(proposal.outcome.as_str())
    .bind(proposal.quantity)
    .bind(proposal.purchase_order_id.map_or(0, PurchaseOrderId::raw))
    .bind(proposal.rfq_id.map_or(0, market::RfqId::raw))
    .bind(open_until.micros())
    .bind(proposal.ran_at.micros())
    .execute(tx.conn())
    .await?;
    Ok(())
}

fn proposal(item: ItemId, outcome: ReplenishOutcome, quantity: i64, now: Timestamp) -> Proposal {
    Proposal {
        id: ProposalId::new(),
        item_id: item,
        outcome,
        quantity,
        purchase_order_id: None,
        rfq_id: None,
        ran_at: now,
    }
}

impl Scm {
    /// One run for `company`, inside `tx`: the proposals it made.
    pub(crate) async fn replenish_in(
        &self,
        tx: &mut Tx,
        company: CompanyId,
        now: Timestamp,
    ) -> Result<Vec<Proposal>> {
        let settings = open_in(tx, company, now).await?;
        sqlx::query("DELETE FROM scm_replenishment WHERE company_id = $1 AND ran_at < $2")
            .bind(company)
            .bind(now.micros() - PROPOSALS_KEPT_DAYS * DAY_MICROS)
            .execute(tx.conn())
            .await?;
        if settings.replenish_with == ReplenishWith::Off {
            return Ok(Vec::new());
        }
        let short = short_items(tx, company, now).await?;
        let proposals = match settings.replenish_with {
            ReplenishWith::BuyingRequests => {
                self.request_on_market(tx, company, &short, now).await?
            }
            _ => purchase_drafts(tx, company, settings.default_warehouse_id, &short, now).await?,
        };
        Ok(proposals)
    }

    /// Posts a buying request per short item, in the category the item is
    /// sold in (its linked product) or bought in (a supplier's product).
    async fn request_on_market(
        &self,
        tx: &mut Tx,
        company: CompanyId,
        short: &[Short],
        now: Timestamp,
    ) -> Result<Vec<Proposal>> {
        // Where the goods go: the storefront's city, else its name.
        let destination = match self.market.storefront(company).await {
            Ok(storefront) => {
                let place = [&storefront.city, &storefront.province, &storefront.country]
                    .into_iter()
                    .filter(|part| !part.trim().is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                if place.is_empty() {
                    storefront.display_name
                } else {
                    place
                }
            }
            Err(_) => "—".to_owned(),
        };
        let open_until = now.plus_seconds(BUYING_REQUEST_DAYS * 86_400);
        let mut proposals = Vec::with_capacity(short.len());
        for need in short {
            let item = item_in(tx, company, need.item, "item_id").await?;
            let Some(category) = self.category_of_item(tx, company, need.item).await? else {
                let made = proposal(need.item, ReplenishOutcome::NoCategory, need.quantity, now);
                record(tx, company, &made, now).await?;
                proposals.push(made);
                continue;
            };
            let price = preferred_price_in(tx, company, need.item).await?;
            let target_price_minor = price
                .filter(|p| {
                    p.unit.is_empty() && p.currency == item.cost_currency && p.unit_price_minor > 0
                })
                .map(|p| p.unit_price_minor);
            let input = market::RfqInput {
                title: item.name.clone(),
                category_id: category,
                quantity: need.quantity,
                unit: item.unit.clone(),
                target_price_minor,
                currency: item.cost_currency,
                deliver_by: None,
                destination: destination.clone(),
                details: format!("补货 Replenishment of {} ({})", item.name, item.sku),
                valid_until: open_until,
                show_company: true,
            };
            // The market's refusal is this item's outcome, not the end of the run.
            let made = match self.market.post_rfq_in(tx, company, &input, now).await {
                Ok(rfq) => {
                    let mut made = proposal(
                        need.item,
                        ReplenishOutcome::BuyingRequest,
                        need.quantity,
                        now,
                    );
                    made.rfq_id = Some(rfq.id);
                    record(tx, company, &made, open_until).await?;
                    made
                }
                Err(market::MarketError::Invalid { .. }) => {
                    let made = proposal(
                        need.item,
                        ReplenishOutcome::RequestRefused,
                        need.quantity,
                        now,
                    );
                    record(tx, company, &made, now).await?;
                    made
                }
                Err(error) => return Err(error.into()),
            };
            proposals.push(made);
        }
        Ok(proposals)
    }

    async fn category_of_item(
        &self,
        tx: &mut Tx,
        company: CompanyId,
        item: ItemId,
    ) -> Result<Option<market::CategoryId>> {
        let linked: Option<i64> = sqlx::query(
            "SELECT product_id FROM scm_product_link WHERE company_id = $1 AND item_id = $2 ORDER BY product_id LIMIT 1",
        )
        .bind(company)
        .bind(item)
        .fetch_optional(tx.conn())
        .await?
        .map(|row| row.try_get(0))
        .transpose()?;
        if let Some(product) = linked {
            let product = market::ProductId::from_raw(product);
            match self.market.category_of_own_product(company, product).await {
                Ok(category) => return Ok(Some(category)),
                Err(market::MarketError::NotFound(_)) => {}
                Err(error) => return Err(error.into()),
            }
        }
        let bought: Vec<i64> = sqlx::query(
            "SELECT product_id FROM scm_supplier_item WHERE company_id = $1 AND item_id = $2 AND product_id <> 0 ORDER BY lead_time_days, unit_price_minor LIMIT 5",
        )
        .bind(company)
        .bind(item)
        .fetch_all(tx.conn())
        .await?
        .iter()
        .map(|row| row.try_get(0))
        .collect::<Result<_, _>>()?;
        for product in bought {
            if let Ok(found) = self
                .market
                .published_product(market::ProductId::from_raw(product))
                .await
            {
                return Ok(Some(found.category_id));
            }
        }
        Ok(None)
    }

    /// Runs replenishment for the caller's company now.
    pub async fn replenish_now(&self, scope: &Scope) -> Result<Vec<Proposal>> {
        self.require(scope, may_purchase)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        ensure_job_in(&mut tx, scope.company_id(), now).await?;
        let proposals = self.replenish_in(&mut tx, scope.company_id(), now).await?;
        tx.commit().await?;
        Ok(proposals)
    }

    /// What replenishment proposed lately, newest first.
    pub async fn proposals(&self, scope: &Scope, page: PageRequest) -> Result<Page<Proposal>> {
        self.require(scope, may_view_stock)?;
        let rows = sqlx::query(
            "SELECT id, item_id, outcome, quantity, purchase_order_id, rfq_id, ran_at FROM scm_replenishment
             WHERE company_id = $1 AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3",
        )
        .bind(scope.company_id())
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let proposals = rows
            .iter()
            .map(stored_proposal)
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(proposals, page, |proposal| {
            proposal.id.raw()
        }))
    }
}

fn stored_proposal(row: &AnyRow) -> Result<Proposal> {
    Ok(Proposal {
        id: ProposalId::from_raw(row.try_get("id")?),
        item_id: ItemId::from_raw(row.try_get("item_id")?),
        outcome: rows::coded(row, "outcome", ReplenishOutcome::parse)?,
        quantity: row.try_get("quantity")?,
        purchase_order_id: rows::optional_id(row, "purchase_order_id")?
            .map(PurchaseOrderId::from_raw),
        rfq_id: rows::optional_id(row, "rfq_id")?.map(market::RfqId::from_raw),
        ran_at: rows::timestamp(row, "ran_at")?,
    })
}

/// Drafts one purchase order per supplier and currency, at each item's
/// preferred price, in the price's unit (rounded up to whole units).
async fn purchase_drafts(
    tx: &mut Tx,
    company: CompanyId,
    warehouse: crate::model::LocationId,
    short: &[Short],
    now: Timestamp,
) -> Result<Vec<Proposal>> {
    let mut proposals = Vec::with_capacity(short.len());
    let mut orders: BTreeMap<(SupplierId, Currency), Vec<(usize, PurchaseLine)>> = BTreeMap::new();
    for need in short {
        let Some(price) = preferred_price_in(tx, company, need.item).await? else {
            let made = proposal(need.item, ReplenishOutcome::NoSupplier, need.quantity, now);
            record(tx, company, &made, now).await?;
            proposals.push(made);
            continue;
        };
        let item = item_in(tx, company, need.item, "item_id").await?;
        let factor = factor_of(&item, &price.unit, "unit").unwrap_or(1);
        let quantity = (need.quantity + factor - 1) / factor;
        let line = PurchaseLine {
            line_no: 0,
            item_id: item.id,
            unit: if price.unit.is_empty() {
                item.unit.clone()
            } else {
                price.unit.clone()
            },
            factor,
            quantity,
            received_quantity: 0,
            returned_quantity: 0,
            unit_price_minor: price.unit_price_minor,
        };
        proposals.push(proposal(
            need.item,
            ReplenishOutcome::PurchaseOrder,
            quantity * factor,
            now,
        ));
        orders
            .entry((price.supplier_id, price.currency))
            .or_default()
            .push((proposals.len() - 1, line));
    }
    for ((supplier, currency), lines) in orders {
        for chunk in lines.chunks(PURCHASE_LINES_MAX) {
            let new = NewPurchase {
                supplier,
                market_order: None,
                state: PurchaseState::Draft,
                currency,
                shipping_fee_minor: 0,
                warehouse,
                note: PROPOSAL_NOTE.to_owned(),
                lines: chunk
                    .iter()
                    .enumerate()
                    .map(|(index, (_, line))| PurchaseLine {
                        line_no: index as i64 + 1,
                        ..line.clone()
                    })
                    .collect(),
            };
            let order = insert_purchase(tx, company, &new, now).await?;
            for (position, _) in chunk {
                proposals[*position].purchase_order_id = Some(order);
                record(tx, company, &proposals[*position], now).await?;
            }
        }
    }
    Ok(proposals)
}

/// Runs each company's daily replenishment.
pub struct Replenisher(Scm);

/// The supply chain's job handlers, for the runner.
pub fn handlers(scm: &Scm) -> Vec<Arc<dyn JobHandler>> {
    vec![Arc::new(Replenisher(scm.clone()))]
}

#[async_trait::async_trait]
impl JobHandler for Replenisher {
    fn kind(&self) -> &'static str {
        REPLENISH_JOB
    }

    async fn run(&self, tx: &mut Tx, job: &Job) -> Result<JobOutcome, JobError> {
        let payload: Payload = job.payload()?;
        let company = CompanyId::from_raw(payload.company_id);
        let now = self.0.clock.now();
        // A run the business refuses is dropped whole and tried again
        // tomorrow: the daily job never stops for one bad day.
        sqlx::query("SAVEPOINT replenish")
            .execute(tx.conn())
            .await?;
        match self.0.replenish_in(tx, company, now).await {
            Ok(_) => {
                sqlx::query("RELEASE SAVEPOINT replenish")
                    .execute(tx.conn())
                    .await?;
            }
            Err(ScmError::Storage(error)) => return Err(JobError::Storage(error)),
            Err(refused) => {
                sqlx::query("ROLLBACK TO SAVEPOINT replenish")
                    .execute(tx.conn())
                    .await?;
                tracing::warn!(%company, error = %refused, "replenishment refused; tried again tomorrow");
            }
        }
        Ok(JobOutcome::RunAgainAt(next_run_after(now)))
    }
}
