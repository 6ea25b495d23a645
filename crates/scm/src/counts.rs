//! Stock counts: a count sheet of one location lists what the books expect of
//! each item and lot when it is opened; the member enters what is on the
//! shelf (and anything found that was not expected), and posting books each
//! difference from the quantity on hand at that moment as a count move to or
//! from the loss location, with its reason. Posting happens once.

use kernel::db::Tx;
use kernel::{CompanyId, Page, PageRequest, Scope, Timestamp};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::company::open_in;
use crate::error::{Result, ScmError};
use crate::fields::{entry_count, optional_text, quantity_or_zero};
use crate::items::item_in;
use crate::locations::own_location_in;
use crate::manual::{LOT_CHARS_MAX, NOTE_CHARS_MAX};
use crate::model::{CountId, CountState, ItemId, LocationId, MoveReason};
use crate::moves::{MoveSpec, MoveValue, write_move};
use crate::{Scm, may_keep_stock, may_view_stock, rows};

/// The most lines a count sheet may have.
pub const COUNT_LINES_MAX: i64 = 5_000;
/// The most lines one entry of counts may carry.
pub const COUNT_ENTRIES_MAX: usize = 500;

/// One item and lot on a count sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmCountLine)]
pub struct CountLine {
    pub line_no: i64,
    pub item_id: ItemId,
    pub lot: String,
    /// On hand when the sheet was opened (0 for goods found that were not expected).
    pub expected: i64,
    /// What was counted, in base units; absent until counted. Lines not
    /// counted are left as they are when the sheet is posted.
    pub counted: Option<i64>,
    /// What posting booked: counted less on hand at that moment.
    pub difference: i64,
    pub reason: String,
}

/// A count sheet of one location, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmCountSummary)]
pub struct CountSummary {
    pub id: CountId,
    pub count_no: i64,
    pub location_id: LocationId,
    pub state: CountState,
    pub note: String,
    pub line_count: i64,
    /// Lines counted so far.
    pub counted_lines: i64,
    pub posted_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// A count sheet with its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ScmCount)]
pub struct StockCount {
    pub id: CountId,
    pub count_no: i64,
    pub location_id: LocationId,
    pub state: CountState,
    pub note: String,
    pub posted_at: Option<Timestamp>,
    pub lines: Vec<CountLine>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmCountInput)]
pub struct CountInput {
    /// One of the company's warehouses, zones or bins.
    pub location_id: LocationId,
    #[serde(default)]
    pub note: String,
}

/// What was found of one item and lot.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmCountEntry)]
pub struct CountEntry {
    pub item_id: ItemId,
    #[serde(default)]
    pub lot: Option<String>,
    /// In base units; 0 when none is there.
    pub counted: i64,
    /// Why it differs (breakage, theft, found behind the shelf).
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ScmCountEntries)]
pub struct CountEntries {
    pub lines: Vec<CountEntry>,
}

const COUNT_COLUMNS: &str = "id, count_no, location_id, state, note, posted_at, created_at";
const LINE_COLUMNS: &str = "line_no, item_id, lot, expected, counted, difference, reason";

fn count_line(row: &AnyRow) -> Result<CountLine> {
    Ok(CountLine {
        line_no: row.try_get("line_no")?,
        item_id: ItemId::from_raw(row.try_get("item_id")?),
        lot: row.try_get("lot")?,
        expected: row.try_get("expected")?,
        counted: row.try_get("counted")?,
        difference: row.try_get("difference")?,
        reason: row.try_get("reason")?,
    })
}

/// The company's count `id` with its lines, locked for update.
async fn count_in(tx: &mut Tx, company: CompanyId, id: CountId) -> Result<StockCount> {
    let row = sqlx::query(&format!(
        "SELECT {COUNT_COLUMNS} FROM scm_count WHERE company_id = $1 AND id = $2{}",
        tx.engine().lock_rows_clause()
    ))
    .bind(company)
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(ScmError::NotFound("count"))?;
    let lines = sqlx::query(&format!(
        "SELECT {LINE_COLUMNS} FROM scm_count_line WHERE company_id = $1 AND count_id = $2 ORDER BY line_no"
    ))
    .bind(company)
    .bind(id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(count_line)
    .collect::<Result<Vec<_>>>()?;
    Ok(StockCount {
        id: CountId::from_raw(row.try_get("id")?),
        count_no: row.try_get("count_no")?,
        location_id: LocationId::from_raw(row.try_get("location_id")?),
        state: rows::coded(&row, "state", CountState::parse)?,
        note: row.try_get("note")?,
        posted_at: row
            .try_get::<Option<i64>, _>("posted_at")?
            .map(Timestamp::from_micros),
        lines,
        created_at: rows::timestamp(&row, "created_at")?,
    })
}

/// Refuses a change to a sheet that is no longer open.
fn still_open(count: &StockCount) -> Result<()> {
    if count.state == CountState::Open {
        return Ok(());
    }
    Err(ScmError::state(
        "wrong_state",
        format!("count {} is {}", count.count_no, count.state.as_str()),
    ))
}

async fn insert_line(
    tx: &mut Tx,
    company: CompanyId,
    count: CountId,
    line: &CountLine,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO scm_count_line (company_id, count_id, line_no, item_id, lot, expected, counted, difference, reason, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $9)",
    )
    .bind(company)
    .bind(count)
    .bind(line.line_no)
    .bind(line.item_id)
    .bind(&line.lot)
    .bind(line.expected)
    .bind(line.counted)
    .bind(&line.reason)
    .bind(now.micros())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// On hand of an item and lot in exactly `location`.
async fn on_hand_in(
    tx: &mut Tx,
    company: CompanyId,
    location: LocationId,
    item: ItemId,
    lot: &str,
) -> Result<i64> {
    Ok(sqlx::query(
        "SELECT quantity FROM scm_stock WHERE company_id = $1 AND location_id = $2 AND item_id = $3 AND lot = $4",
    )
    .bind(company)
    .bind(location)
    .bind(item)
    .bind(lot)
    .fetch_optional(tx.conn())
    .await?
    .map(|row| row.try_get::<i64, _>("quantity"))
    .transpose()?
    .unwrap_or(0))
}

impl Scm {
    /// Opens a count sheet of a location with a line per item and lot it holds.
    pub async fn open_count(&self, scope: &Scope, input: &CountInput) -> Result<StockCount> {
        self.require(scope, may_keep_stock)?;
        let company = scope.company_id();
        let note = optional_text("note", &input.note, NOTE_CHARS_MAX)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        open_in(&mut tx, company, now).await?;
        let location = own_location_in(&mut tx, company, input.location_id, "location_id").await?;
        let held = sqlx::query(
            "SELECT item_id, lot, quantity FROM scm_stock
             WHERE company_id = $1 AND location_id = $2 AND quantity <> 0
             ORDER BY item_id, lot LIMIT $3",
        )
        .bind(company)
        .bind(location.id)
        .bind(COUNT_LINES_MAX + 1)
        .fetch_all(tx.conn())
        .await?;
        if held.len() as i64 > COUNT_LINES_MAX {
            return Err(ScmError::invalid(
                "location_id",
                "too_many_lines",
                format!(
                    "more than {COUNT_LINES_MAX} items and lots here: count its zones or bins one by one"
                ),
            ));
        }
        let count_no: i64 = sqlx::query(
            "SELECT COALESCE(MAX(count_no), 0) + 1 AS next FROM scm_count WHERE company_id = $1",
        )
        .bind(company)
        .fetch_one(tx.conn())
        .await?
        .try_get("next")?;
        let id = CountId::new();
        sqlx::query(
            "INSERT INTO scm_count (company_id, id, count_no, location_id, state, note, posted_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'open', $5, NULL, $6, $6)",
        )
        .bind(company)
        .bind(id)
        .bind(count_no)
        .bind(location.id)
        .bind(&note)
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        for (index, row) in held.iter().enumerate() {
            let line = CountLine {
                line_no: index as i64 + 1,
                item_id: ItemId::from_raw(row.try_get("item_id")?),
                lot: row.try_get("lot")?,
                expected: row.try_get("quantity")?,
                counted: None,
                difference: 0,
                reason: String::new(),
            };
            insert_line(&mut tx, company, id, &line, now).await?;
        }
        let opened = count_in(&mut tx, company, id).await?;
        tx.commit().await?;
        Ok(opened)
    }

    /// Records what was counted: a line per item and lot, added to the sheet
    /// when it was not expected there.
    pub async fn enter_counts(
        &self,
        scope: &Scope,
        id: CountId,
        entries: &CountEntries,
    ) -> Result<StockCount> {
        self.require(scope, may_keep_stock)?;
        let company = scope.company_id();
        entry_count("lines", entries.lines.len(), COUNT_ENTRIES_MAX)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let count = count_in(&mut tx, company, id).await?;
        still_open(&count)?;
        let mut next_line = count.lines.last().map_or(1, |line| line.line_no + 1);
        for (index, entry) in entries.lines.iter().enumerate() {
            let field = |name: &str| format!("lines[{index}].{name}");
            item_in(&mut tx, company, entry.item_id, &field("item_id")).await?;
            let lot = optional_text(
                &field("lot"),
                entry.lot.as_deref().unwrap_or(""),
                LOT_CHARS_MAX,
            )?;
            let counted = quantity_or_zero(&field("counted"), entry.counted)?;
            let reason = optional_text(&field("reason"), &entry.reason, NOTE_CHARS_MAX)?;
            let updated = sqlx::query(
                "UPDATE scm_count_line SET counted = $1, reason = $2, updated_at = $3
                 WHERE company_id = $4 AND count_id = $5 AND item_id = $6 AND lot = $7",
            )
            .bind(counted)
            .bind(&reason)
            .bind(now.micros())
            .bind(company)
            .bind(id)
            .bind(entry.item_id)
            .bind(&lot)
            .execute(tx.conn())
            .await?
            .rows_affected();
            if updated == 1 {
                continue;
            }
            if next_line > COUNT_LINES_MAX {
                return Err(ScmError::invalid(
                    field("item_id"),
                    "too_many_lines",
                    format!("a count sheet has at most {COUNT_LINES_MAX} lines"),
                ));
            }
            let line = CountLine {
                line_no: next_line,
                item_id: entry.item_id,
                lot,
                expected: 0,
                counted: Some(counted),
                difference: 0,
                reason,
            };
            insert_line(&mut tx, company, id, &line, now).await?;
            next_line += 1;
        }
        let entered = count_in(&mut tx, company, id).await?;
        tx.commit().await?;
        Ok(entered)
    }

    /// Books every counted line's difference from what is on hand now as a
    /// count move, and closes the sheet; all or nothing.
    pub async fn post_count(&self, scope: &Scope, id: CountId) -> Result<StockCount> {
        self.require(scope, may_keep_stock)?;
        let company = scope.company_id();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let count = count_in(&mut tx, company, id).await?;
        still_open(&count)?;
        let settings = open_in(&mut tx, company, now).await?;
        for (index, line) in count.lines.iter().enumerate() {
            let Some(counted) = line.counted else {
                continue;
            };
            let on_hand =
                on_hand_in(&mut tx, company, count.location_id, line.item_id, &line.lot).await?;
            let difference = counted - on_hand;
            if difference != 0 {
                let (from, to) = if difference > 0 {
                    (settings.loss_location_id, count.location_id)
                } else {
                    (count.location_id, settings.loss_location_id)
                };
                let why = if line.reason.is_empty() {
                    &count.note
                } else {
                    &line.reason
                };
                let spec = MoveSpec {
                    item: line.item_id,
                    lot: line.lot.clone(),
                    quantity: difference.abs(),
                    from,
                    to,
                    value: MoveValue::Average,
                    reason: MoveReason::Count,
                    note: format!("盘点 Count {}: {why}", count.count_no)
                        .trim_end_matches([':', ' '])
                        .to_owned(),
                    source: format!("count:{}:{}", count.id, line.line_no),
                    consumes_reserved: 0,
                    moved_at: now,
                };
                write_move(&mut tx, company, &spec, now)
                    .await
                    .map_err(|error| error.at_field(&format!("lines[{index}].counted")))?;
            }
            sqlx::query(
                "UPDATE scm_count_line SET difference = $1, updated_at = $2
                 WHERE company_id = $3 AND count_id = $4 AND line_no = $5",
            )
            .bind(difference)
            .bind(now.micros())
            .bind(company)
            .bind(id)
            .bind(line.line_no)
            .execute(tx.conn())
            .await?;
        }
        self.close_count(&mut tx, company, id, CountState::Posted, now)
            .await?;
        let posted = count_in(&mut tx, company, id).await?;
        tx.commit().await?;
        Ok(posted)
    }

    /// Drops an open sheet without booking anything.
    pub async fn cancel_count(&self, scope: &Scope, id: CountId) -> Result<StockCount> {
        self.require(scope, may_keep_stock)?;
        let company = scope.company_id();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let count = count_in(&mut tx, company, id).await?;
        still_open(&count)?;
        self.close_count(&mut tx, company, id, CountState::Cancelled, now)
            .await?;
        let cancelled = count_in(&mut tx, company, id).await?;
        tx.commit().await?;
        Ok(cancelled)
    }

    async fn close_count(
        &self,
        tx: &mut Tx,
        company: CompanyId,
        id: CountId,
        state: CountState,
        now: Timestamp,
    ) -> Result<()> {
        let posted_at = (state == CountState::Posted).then_some(now.micros());
        sqlx::query(
            "UPDATE scm_count SET state = $1, posted_at = $2, updated_at = $3 WHERE company_id = $4 AND id = $5",
        )
        .bind(state.as_str())
        .bind(posted_at)
        .bind(now.micros())
        .bind(company)
        .bind(id)
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    pub async fn count(&self, scope: &Scope, id: CountId) -> Result<StockCount> {
        self.require(scope, may_view_stock)?;
        let mut tx = self.db.begin().await?;
        let found = count_in(&mut tx, scope.company_id(), id).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// The company's count sheets, newest first.
    pub async fn counts(&self, scope: &Scope, page: PageRequest) -> Result<Page<CountSummary>> {
        self.require(scope, may_view_stock)?;
        let rows = sqlx::query(
            "SELECT c.id, c.count_no, c.location_id, c.state, c.note, c.posted_at, c.created_at,
                    (SELECT COUNT(*) FROM scm_count_line l WHERE l.company_id = c.company_id AND l.count_id = c.id) AS line_count,
                    (SELECT COUNT(*) FROM scm_count_line l WHERE l.company_id = c.company_id AND l.count_id = c.id AND l.counted IS NOT NULL) AS counted_lines
             FROM scm_count c WHERE c.company_id = $1 AND ($2 = 0 OR c.id < $2)
             ORDER BY c.id DESC LIMIT $3",
        )
        .bind(scope.company_id())
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let counts = rows
            .iter()
            .map(|row| {
                Ok(CountSummary {
                    id: CountId::from_raw(row.try_get("id")?),
                    count_no: row.try_get("count_no")?,
                    location_id: LocationId::from_raw(row.try_get("location_id")?),
                    state: rows::coded(row, "state", CountState::parse)?,
                    note: row.try_get("note")?,
                    line_count: row.try_get("line_count")?,
                    counted_lines: row.try_get("counted_lines")?,
                    posted_at: row
                        .try_get::<Option<i64>, _>("posted_at")?
                        .map(Timestamp::from_micros),
                    created_at: rows::timestamp(row, "created_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(counts, page, |count| count.id.raw()))
    }
}
