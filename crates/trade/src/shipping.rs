//! Shipping: the seller hands the goods to a carrier (the reservation is used
//! up), and the carrier's tracking events, through signed webhooks, move the
//! order to delivered. The sandbox carrier's reports come the same way.

use kernel::{Scope, Timestamp};
use serde::Deserialize;
use sqlx::Row;

use crate::carrier::{OTHER_CARRIER, ParcelViewer, SandboxParcel, ShipmentRequest, TrackingUpdate};
use crate::error::{Result, TradeError};
use crate::events::{OrderDelivered, OrderFacts, OrderShipped};
use crate::model::*;
use crate::seller::expect_state;
use crate::{Trade, may_ship, store, timers};

/// The longest tracking number or carrier name.
const TRACKING_CHARS_MAX: usize = 64;

/// The seller's shipment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipInput {
    /// A configured carrier's code (`sandbox`), or `other` for a carrier
    /// Hanse has no port to.
    pub carrier: String,
    /// Required with `other`; a configured carrier makes its own.
    #[serde(default)]
    pub tracking_number: String,
    /// What is in the boxes; by default every line in full, one package each.
    #[serde(default)]
    pub packing_list: Vec<PackingItem>,
}

impl Trade {
    pub async fn ship_order(
        &self,
        scope: &Scope,
        id: OrderId,
        input: &ShipInput,
    ) -> Result<Shipment> {
        let order = self.seller_may(scope, id, may_ship).await?;
        expect_state(order.state, OrderState::Paid)?;
        if order.open_claim {
            return Err(TradeError::state(
                "claim_open",
                "a refund request is open; answer it first",
            ));
        }
        let packing_list = packing_list(&order, &input.packing_list)?;
        let shipment_id = ShipmentId::new();
        let carrier = input.carrier.trim().to_owned();
        let tracking_number = if carrier == OTHER_CARRIER {
            market::fields::required_line(
                "tracking_number",
                &input.tracking_number,
                TRACKING_CHARS_MAX,
            )?
        } else {
            let port = self.carriers.get(&carrier).map_err(|_| {
                TradeError::invalid(
                    "carrier",
                    "unknown_carrier",
                    format!("one of {:?} or {OTHER_CARRIER}", self.carriers.codes()),
                )
            })?;
            let origin = match self.market.storefront(order.seller).await {
                Ok(storefront) => format!("{}, {}", storefront.city, storefront.country),
                Err(_) => String::new(),
            };
            let request = ShipmentRequest {
                reference: shipment_id.raw(),
                seller: order.seller,
                buyer: order.buyer,
                origin,
                destination: order.delivery_address.clone(),
                cross_border: order.cross_border,
                packages: packing_list.iter().map(|item| item.packages).sum(),
            };
            port.create_shipment(&request).await?
        };
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let mut order = store::locked(&mut tx, id).await?;
        expect_state(order.state, OrderState::Paid)?;
        if order.open_claim {
            return Err(TradeError::state(
                "claim_open",
                "a refund request is open; answer it first",
            ));
        }
        let inserted = sqlx::query(
            "INSERT INTO trade_shipment (company_id, id, order_id, seller_company_id, carrier, tracking_number, packing_list, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'created', $8, $8)
             ON CONFLICT DO NOTHING",
        )
        .bind(order.buyer)
        .bind(shipment_id)
        .bind(order.id)
        .bind(order.seller)
        .bind(&carrier)
        .bind(&tracking_number)
        .bind(serde_json::to_string(&packing_list).expect("a packing list serialises"))
        .bind(now.micros())
        .execute(tx.conn())
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(TradeError::invalid(
                "tracking_number",
                "tracking_number_taken",
                "this carrier's tracking number is on another shipment",
            ));
        }
        Self::consume_lines(&mut order);
        order.state = OrderState::Shipped;
        order.shipped_at = Some(now);
        order.updated_at = now;
        store::save(&mut tx, &order).await?;
        let event = OrderShipped {
            order: OrderFacts::of(&order, now),
            shipment_id,
            carrier: carrier.clone(),
            tracking_number: tracking_number.clone(),
        };
        let note = format!("{carrier} {tracking_number}");
        store::publish(&mut tx, &order, &event, Some(order.seller), &note, now).await?;
        tx.commit().await?;
        self.shipment(&order)
            .await?
            .ok_or(TradeError::NotFound("shipment"))
    }

    /// The order's shipment with its tracking events, once shipped.
    pub async fn shipment(&self, order: &Order) -> Result<Option<Shipment>> {
        let Some(row) = sqlx::query(
            "SELECT id, carrier, tracking_number, packing_list, status, created_at FROM trade_shipment
             WHERE company_id = $1 AND order_id = $2",
        )
        .bind(order.buyer)
        .bind(order.id)
        .fetch_optional(self.db.reader())
        .await?
        else {
            return Ok(None);
        };
        let id = ShipmentId::from_raw(row.try_get("id")?);
        let status: String = row.try_get("status")?;
        let packing_list: String = row.try_get("packing_list")?;
        let events = sqlx::query(
            "SELECT status, location, occurred_at FROM trade_tracking_event
             WHERE company_id = $1 AND shipment_id = $2 ORDER BY occurred_at, id LIMIT 200",
        )
        .bind(order.buyer)
        .bind(id)
        .fetch_all(self.db.reader())
        .await?
        .iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            Ok(TrackingEvent {
                status: TrackingStatus::parse(&status)
                    .ok_or_else(|| kernel::StorageError::corrupt("tracking status", &status))?,
                location: row.try_get("location")?,
                occurred_at: Timestamp::from_micros(row.try_get("occurred_at")?),
            })
        })
        .collect::<Result<Vec<_>>>()?;
        Ok(Some(Shipment {
            id,
            order_id: order.id,
            carrier: row.try_get("carrier")?,
            tracking_number: row.try_get("tracking_number")?,
            packing_list: serde_json::from_str(&packing_list)
                .map_err(|error| kernel::StorageError::corrupt("packing list", error))?,
            status: TrackingStatus::parse(&status)
                .ok_or_else(|| kernel::StorageError::corrupt("tracking status", &status))?,
            events,
            created_at: Timestamp::from_micros(row.try_get("created_at")?),
        }))
    }

    /// A carrier's webhook: checked against the carrier's secret, then each
    /// event applied once. A forged or stale one changes nothing; a replayed
    /// one is answered as handled.
    pub async fn receive_tracking(
        &self,
        carrier: &str,
        signature: &str,
        body: &[u8],
    ) -> Result<usize> {
        let port = self.carriers.get(carrier)?;
        let updates = port.read_webhook(signature, body, self.clock.now())?;
        let mut applied = 0;
        for update in &updates {
            if self.apply_tracking(carrier, update).await? {
                applied += 1;
            }
        }
        Ok(applied)
    }

    /// One tracking event; `false` when it was seen before.
    async fn apply_tracking(&self, carrier: &str, update: &TrackingUpdate) -> Result<bool> {
        let shipment = sqlx::query(
            "SELECT company_id, id, order_id, status FROM trade_shipment WHERE carrier = $1 AND tracking_number = $2",
        )
        .bind(carrier)
        .bind(&update.tracking_number)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(TradeError::NotFound("shipment"))?;
        let buyer: i64 = shipment.try_get("company_id")?;
        let shipment_id: i64 = shipment.try_get("id")?;
        let order_id = OrderId::from_raw(shipment.try_get("order_id")?);
        let location = market::fields::optional_line("location", &update.location, 200)?;
        let event_id = market::fields::required_line("event_id", &update.event_id, 200)?;
        let now = self.clock.now();
        let auto_confirm_days = self.policy().await?.auto_confirm_after_days;
        let mut tx = self.db.begin().await?;
        let mut order = store::locked(&mut tx, order_id).await?;
        let new = sqlx::query(
            "INSERT INTO trade_tracking_event (company_id, shipment_id, id, carrier, carrier_event_id, status, location, occurred_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
             ON CONFLICT (carrier, carrier_event_id) DO NOTHING",
        )
        .bind(buyer)
        .bind(shipment_id)
        .bind(TrackingEventId::new())
        .bind(carrier)
        .bind(&event_id)
        .bind(update.status.as_str())
        .bind(&location)
        .bind(update.occurred_at.micros())
        .bind(now.micros())
        .execute(tx.conn())
        .await?
        .rows_affected()
            == 1;
        if !new {
            return Ok(false);
        }
        // Events may arrive out of order: the shipment keeps the furthest.
        sqlx::query(
            "UPDATE trade_shipment SET status = $1, updated_at = $2 WHERE company_id = $3 AND id = $4",
        )
        .bind(furthest(&shipment.try_get::<String, _>("status")?, update.status).as_str())
        .bind(now.micros())
        .bind(buyer)
        .bind(shipment_id)
        .execute(tx.conn())
        .await?;
        let note = format!("{} {}", update.status.as_str(), location);
        store::history(&mut tx, &order, "Tracking", None, &note, update.occurred_at).await?;
        if update.status == TrackingStatus::Delivered && order.state == OrderState::Shipped {
            order.state = OrderState::Delivered;
            order.delivered_at = Some(now);
            order.updated_at = now;
            store::save(&mut tx, &order).await?;
            timers::schedule_auto_confirm(
                &mut tx,
                order.id,
                now.plus_seconds(auto_confirm_days * 86_400),
                now,
            )
            .await?;
            let event = OrderDelivered {
                order: OrderFacts::of(&order, now),
            };
            store::publish(
                &mut tx,
                &order,
                &event,
                None,
                "reported by the carrier",
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Reports every sandbox parcel step that is due: the sandbox carrier's
    /// clock. Answers how many were reported.
    pub async fn sandbox_carrier_tick(&self) -> Result<usize> {
        let Some(sandbox) = self.carriers.sandbox().cloned() else {
            return Ok(0);
        };
        let reports = sandbox.due_reports(self.clock.now()).await?;
        for report in &reports {
            self.receive_tracking(
                crate::carrier::SANDBOX_CARRIER,
                &report.signature,
                &report.body,
            )
            .await?;
            sandbox.mark_reported(report).await?;
        }
        Ok(reports.len())
    }

    /// Moves one sandbox parcel on to its next step now, for a person driving
    /// the sandbox. Only the shipment's buyer or seller may.
    pub async fn sandbox_carrier_advance(
        &self,
        scope: &Scope,
        tracking_number: &str,
    ) -> Result<()> {
        self.sandbox_parcel_advance(ParcelViewer::Member(scope.company_id()), tracking_number)
            .await
            .map(|_| ())
    }

    /// The sandbox carrier's parcels that `viewer` sees, newest first; "not
    /// found" on a network without the sandbox carrier.
    pub async fn sandbox_parcels(
        &self,
        viewer: ParcelViewer,
        limit: i64,
    ) -> Result<Vec<SandboxParcel>> {
        self.sandbox_carrier()?.parcels_of(viewer, limit).await
    }

    /// Moves a parcel that `viewer` sees on to its next step now, and answers
    /// it as it then stands.
    pub async fn sandbox_parcel_advance(
        &self,
        viewer: ParcelViewer,
        tracking_number: &str,
    ) -> Result<SandboxParcel> {
        let sandbox = self.sandbox_carrier()?.clone();
        sandbox.parcel(viewer, tracking_number).await?;
        let report = sandbox.report_next(tracking_number).await?;
        self.receive_tracking(
            crate::carrier::SANDBOX_CARRIER,
            &report.signature,
            &report.body,
        )
        .await?;
        sandbox.mark_reported(&report).await?;
        sandbox.parcel(viewer, tracking_number).await
    }

    /// The sandbox carrier, or "not found" where it is not configured: like
    /// the sandbox bank, a network without it has no such carrier to show.
    fn sandbox_carrier(&self) -> Result<&std::sync::Arc<crate::carrier::SandboxCarrier>> {
        self.carriers
            .sandbox()
            .ok_or(TradeError::NotFound("sandbox carrier"))
    }
}

/// The further of a stored status and a new one.
fn furthest(stored: &str, new: TrackingStatus) -> TrackingStatus {
    TrackingStatus::parse(stored).map_or(new, |stored| stored.max(new))
}

/// The packing list given, checked against the order's lines, or every line
/// in full, one package each.
fn packing_list(order: &Order, given: &[PackingItem]) -> Result<Vec<PackingItem>> {
    if given.is_empty() {
        return Ok(order
            .lines
            .iter()
            .map(|line| PackingItem {
                line_no: line.line_no,
                quantity: line.quantity,
                packages: 1,
            })
            .collect());
    }
    if given.len() > crate::LINES_MAX {
        return Err(TradeError::invalid(
            "packing_list",
            "too_many",
            "one item per line at most",
        ));
    }
    for (index, item) in given.iter().enumerate() {
        let line = order
            .lines
            .iter()
            .find(|line| line.line_no == item.line_no)
            .ok_or_else(|| {
                TradeError::invalid(
                    format!("packing_list[{index}].line_no"),
                    "unknown_line",
                    "no such line",
                )
            })?;
        if item.quantity != line.quantity {
            return Err(TradeError::invalid(
                format!("packing_list[{index}].quantity"),
                "not_the_ordered_quantity",
                format!(
                    "the order has {} {}; ship it whole",
                    line.quantity, line.unit
                ),
            ));
        }
        if !(1..=100_000).contains(&item.packages) {
            return Err(TradeError::invalid(
                format!("packing_list[{index}].packages"),
                "out_of_range",
                "between 1 and 100000 packages",
            ));
        }
    }
    if given.len() != order.lines.len() {
        return Err(TradeError::invalid(
            "packing_list",
            "lines_missing",
            "every line of the order is packed",
        ));
    }
    Ok(given.to_vec())
}
