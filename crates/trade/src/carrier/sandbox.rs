//! The sandbox carrier: believable tracking for test shipments. Each parcel
//! follows a plan (picked up, departed, customs when it crosses a border, out
//! for delivery, delivered) on the server's clock, and a person can move it on
//! from the sandbox carrier's page. Its reports reach Hanse as signed
//! webhooks, checked exactly as a real carrier's would be.

use kernel::{Clock, Db, Timestamp};
use rand::RngCore;
use serde::Serialize;
use sqlx::Row;

use super::{
    Carrier, ShipmentRequest, TrackingUpdate, TrackingWebhook, parse_webhook, verify_signature,
};
use crate::error::{Result, TradeError};
use crate::model::TrackingStatus;

pub const SANDBOX_CARRIER: &str = "sandbox";

/// The sandbox carrier's tracking numbers: `SBX` and twelve digits.
pub const TRACKING_NUMBER_PATTERN: &str = "^SBX[0-9]{12}$";

/// Whether `text` is written like a sandbox tracking number
/// ([`TRACKING_NUMBER_PATTERN`]).
pub fn is_tracking_number(text: &str) -> bool {
    text.strip_prefix("SBX")
        .is_some_and(|digits| digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// Whose parcels a person sees and moves on at the sandbox carrier.
#[derive(Debug, Clone, Copy)]
pub enum ParcelViewer {
    /// A member: the parcels of its own company's shipments, as seller or buyer.
    Member(kernel::CompanyId),
    /// The operator: all.
    Operator,
}

/// The shortest webhook secret the sandbox carrier accepts.
pub const SECRET_BYTES_MIN: usize = 32;

/// Parcels reported per tick: a bound on one round of work.
const TICK_PARCELS_MAX: i64 = 200;

/// A parcel at the sandbox carrier, for its page.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SandboxParcel {
    pub tracking_number: String,
    pub cross_border: bool,
    /// The last status reported, or `created`.
    pub status: TrackingStatus,
    /// The next status it will report, if any.
    pub next_status: Option<TrackingStatus>,
    pub next_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

pub struct SandboxCarrier {
    db: Db,
    clock: std::sync::Arc<dyn Clock>,
    secret: Vec<u8>,
}

/// A step of a parcel's plan: the status, and how long after the previous
/// step it is reported.
fn plan(cross_border: bool) -> Vec<(TrackingStatus, i64)> {
    let mut steps = vec![
        (TrackingStatus::PickedUp, 2 * 3_600),
        (TrackingStatus::Departed, 10 * 3_600),
    ];
    if cross_border {
        steps.push((TrackingStatus::Customs, 3 * 86_400));
    }
    steps.push((TrackingStatus::OutForDelivery, 2 * 86_400));
    steps.push((TrackingStatus::Delivered, 6 * 3_600));
    steps
}

impl SandboxCarrier {
    pub fn new(
        db: Db,
        clock: std::sync::Arc<dyn Clock>,
        secret: Vec<u8>,
    ) -> Result<SandboxCarrier> {
        if secret.len() < SECRET_BYTES_MIN {
            return Err(TradeError::invalid(
                "sandbox_webhook_secret",
                "secret_too_short",
                format!("the sandbox's webhook secret needs at least {SECRET_BYTES_MIN} bytes"),
            ));
        }
        Ok(SandboxCarrier { db, clock, secret })
    }

    /// For the demo and tests, where one process signs and checks.
    pub fn with_random_secret(db: Db, clock: std::sync::Arc<dyn Clock>) -> SandboxCarrier {
        let mut secret = vec![0_u8; SECRET_BYTES_MIN];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        SandboxCarrier { db, clock, secret }
    }

    /// The signed webhooks of every parcel whose next step is due at `now`,
    /// with the parcels' steps they report. The caller delivers each and then
    /// calls [`SandboxCarrier::mark_reported`]; a delivery lost in between is
    /// sent again next time, and the event id makes the repeat harmless.
    pub async fn due_reports(&self, now: Timestamp) -> Result<Vec<SandboxReport>> {
        let rows = sqlx::query(
            "SELECT tracking_number, cross_border, reported, destination FROM trade_sandbox_parcel
             WHERE next_at <= $1 ORDER BY next_at LIMIT $2",
        )
        .bind(now.micros())
        .bind(TICK_PARCELS_MAX)
        .fetch_all(self.db.reader())
        .await?;
        let mut reports = Vec::with_capacity(rows.len());
        for row in &rows {
            let tracking_number: String = row.try_get("tracking_number")?;
            let cross_border = row.try_get::<i64, _>("cross_border")? != 0;
            let reported: i64 = row.try_get("reported")?;
            let destination: String = row.try_get("destination")?;
            reports.push(self.report(
                &tracking_number,
                cross_border,
                reported,
                &destination,
                now,
            )?);
        }
        Ok(reports)
    }

    /// The next step of one parcel, now, whatever its plan says: for a person
    /// driving the sandbox from its page.
    pub async fn report_next(&self, tracking_number: &str) -> Result<SandboxReport> {
        let row = sqlx::query(
            "SELECT cross_border, reported, destination FROM trade_sandbox_parcel WHERE tracking_number = $1",
        )
        .bind(tracking_number)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(TradeError::NotFound("parcel"))?;
        let cross_border = row.try_get::<i64, _>("cross_border")? != 0;
        let reported: i64 = row.try_get("reported")?;
        let destination: String = row.try_get("destination")?;
        if reported >= i64::try_from(plan(cross_border).len()).unwrap_or(0) {
            return Err(TradeError::state(
                "parcel_delivered",
                "the parcel was delivered",
            ));
        }
        self.report(
            tracking_number,
            cross_border,
            reported,
            &destination,
            self.clock.now(),
        )
    }

    fn report(
        &self,
        tracking_number: &str,
        cross_border: bool,
        reported: i64,
        destination: &str,
        now: Timestamp,
    ) -> Result<SandboxReport> {
        let steps = plan(cross_border);
        let index = usize::try_from(reported).unwrap_or(usize::MAX);
        let (status, _) = *steps.get(index).ok_or(TradeError::state(
            "parcel_delivered",
            "the parcel was delivered",
        ))?;
        let location = match status {
            TrackingStatus::PickedUp | TrackingStatus::Departed => "origin hub".to_owned(),
            TrackingStatus::Customs => "customs at destination".to_owned(),
            _ => destination
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(120)
                .collect(),
        };
        let webhook = TrackingWebhook {
            events: vec![TrackingUpdate {
                event_id: format!("{tracking_number}-{reported}"),
                tracking_number: tracking_number.to_owned(),
                status,
                location,
                occurred_at: now,
            }],
        };
        let body = serde_json::to_vec(&webhook).expect("a webhook serialises");
        let signature = pay::provider::sign(&self.secret, now, &body);
        Ok(SandboxReport {
            tracking_number: tracking_number.to_owned(),
            step: reported,
            signature,
            body,
        })
    }

    /// Moves a parcel past a step that was delivered; a step already marked
    /// (by another node, or an earlier try) is left alone.
    pub async fn mark_reported(&self, report: &SandboxReport) -> Result<()> {
        let row =
            sqlx::query("SELECT cross_border FROM trade_sandbox_parcel WHERE tracking_number = $1")
                .bind(&report.tracking_number)
                .fetch_optional(self.db.reader())
                .await?;
        let Some(row) = row else { return Ok(()) };
        let steps = plan(row.try_get::<i64, _>("cross_border")? != 0);
        let next = usize::try_from(report.step + 1).unwrap_or(usize::MAX);
        // After the last step the parcel waits for nothing: next_at is never.
        let next_at = steps.get(next).map_or(i64::MAX, |(_, after)| {
            self.clock.now().plus_seconds(*after).micros()
        });
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "UPDATE trade_sandbox_parcel SET reported = $1, next_at = $2, updated_at = $3
             WHERE tracking_number = $4 AND reported = $5",
        )
        .bind(report.step + 1)
        .bind(next_at)
        .bind(self.clock.now().micros())
        .bind(&report.tracking_number)
        .bind(report.step)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether the parcel is one of `company`'s shipments, as seller or buyer.
    pub async fn belongs_to(
        &self,
        tracking_number: &str,
        company: kernel::CompanyId,
    ) -> Result<bool> {
        Ok(sqlx::query(
            "SELECT 1 FROM trade_sandbox_parcel WHERE tracking_number = $1 AND (seller_company_id = $2 OR buyer_company_id = $2)",
        )
        .bind(tracking_number)
        .bind(company)
        .fetch_optional(self.db.reader())
        .await?
        .is_some())
    }

    /// The parcels of a company's shipments (as seller or buyer), newest first.
    pub async fn parcels(
        &self,
        company: kernel::CompanyId,
        limit: i64,
    ) -> Result<Vec<SandboxParcel>> {
        self.parcels_of(ParcelViewer::Member(company), limit).await
    }

    /// The parcels `viewer` sees, newest first, at most `limit` (1 to a page's
    /// maximum).
    pub async fn parcels_of(&self, viewer: ParcelViewer, limit: i64) -> Result<Vec<SandboxParcel>> {
        let rows = sqlx::query(&format!(
            "SELECT {PARCEL_COLUMNS} FROM trade_sandbox_parcel
             WHERE $1 = 0 OR seller_company_id = $1 OR buyer_company_id = $1 ORDER BY created_at DESC, tracking_number LIMIT $2"
        ))
        .bind(viewer.company_raw())
        .bind(limit.clamp(1, kernel::page::PAGE_SIZE_MAX.into()))
        .fetch_all(self.db.reader())
        .await?;
        rows.iter().map(parcel).collect()
    }

    /// One parcel `viewer` sees; another company's is not found.
    pub async fn parcel(
        &self,
        viewer: ParcelViewer,
        tracking_number: &str,
    ) -> Result<SandboxParcel> {
        let row = sqlx::query(&format!(
            "SELECT {PARCEL_COLUMNS} FROM trade_sandbox_parcel
             WHERE tracking_number = $1 AND ($2 = 0 OR seller_company_id = $2 OR buyer_company_id = $2)"
        ))
        .bind(tracking_number)
        .bind(viewer.company_raw())
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(TradeError::NotFound("parcel"))?;
        parcel(&row)
    }
}

impl ParcelViewer {
    /// The company's raw id, or 0 (no company has it) for the operator.
    fn company_raw(self) -> i64 {
        match self {
            ParcelViewer::Member(company) => company.raw(),
            ParcelViewer::Operator => 0,
        }
    }
}

const PARCEL_COLUMNS: &str = "tracking_number, cross_border, reported, next_at, created_at";

/// A parcel row of [`PARCEL_COLUMNS`], with its plan read into the last and
/// next steps.
fn parcel(row: &sqlx::any::AnyRow) -> Result<SandboxParcel> {
    let cross_border = row.try_get::<i64, _>("cross_border")? != 0;
    let steps = plan(cross_border);
    let reported = usize::try_from(row.try_get::<i64, _>("reported")?).unwrap_or(0);
    let next_at: i64 = row.try_get("next_at")?;
    Ok(SandboxParcel {
        tracking_number: row.try_get("tracking_number")?,
        cross_border,
        status: reported
            .checked_sub(1)
            .and_then(|last| steps.get(last))
            .map_or(TrackingStatus::Created, |(status, _)| *status),
        next_status: steps.get(reported).map(|(status, _)| *status),
        next_at: (next_at != i64::MAX).then(|| Timestamp::from_micros(next_at)),
        created_at: Timestamp::from_micros(row.try_get("created_at")?),
    })
}

/// One signed webhook the sandbox carrier is about to deliver.
#[derive(Debug, Clone)]
pub struct SandboxReport {
    pub tracking_number: String,
    pub step: i64,
    pub signature: String,
    pub body: Vec<u8>,
}

#[async_trait::async_trait]
impl Carrier for SandboxCarrier {
    fn code(&self) -> &'static str {
        SANDBOX_CARRIER
    }

    async fn create_shipment(&self, request: &ShipmentRequest) -> Result<String> {
        let mut digits = [0_u8; 6];
        rand::rngs::OsRng.fill_bytes(&mut digits);
        let tracking_number = format!(
            "SBX{}",
            digits
                .iter()
                .map(|byte| format!("{:02}", byte % 100))
                .collect::<String>()
        );
        let now = self.clock.now();
        let first_after = plan(request.cross_border)
            .first()
            .map_or(0, |(_, after)| *after);
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO trade_sandbox_parcel (tracking_number, seller_company_id, buyer_company_id, shipment_reference, cross_border, destination, reported, next_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $8)",
        )
        .bind(&tracking_number)
        .bind(request.seller)
        .bind(request.buyer)
        .bind(request.reference)
        .bind(i64::from(request.cross_border))
        .bind(&request.destination)
        .bind(now.plus_seconds(first_after).micros())
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(tracking_number)
    }

    fn read_webhook(
        &self,
        signature: &str,
        body: &[u8],
        now: Timestamp,
    ) -> Result<Vec<TrackingUpdate>> {
        verify_signature(&self.secret, signature, body, now)?;
        parse_webhook(body)
    }
}
