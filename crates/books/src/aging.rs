//! Receivables and payables aging: what each customer owes the company (or
//! it owes each supplier) on open invoices, by how long past due, per
//! currency. Summed in SQL, one row per counterparty and currency.

use kernel::{Currency, Scope, Timestamp};
use serde::Serialize;
use sqlx::Row;

use crate::error::{BooksError, Result};
use crate::invoice::InvoiceKind;
use crate::{Books, may_view_books};

const DAY_MICROS: i64 = 86_400_000_000;
/// The most counterparties an aging report lists; the totals cover all.
pub const AGING_ROWS_MAX: i64 = 1_000;

/// The open amounts of one counterparty (or of all: the totals) by age.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AgingRow {
    /// The other company when it is a member (`co_…`).
    pub counterparty_company_id: Option<String>,
    /// The name written by hand; empty for a member and for the totals.
    pub counterparty_name: String,
    pub currency: Currency,
    /// Open invoices.
    pub invoices: i64,
    /// Not yet due.
    pub current_minor: i64,
    pub days_1_30_minor: i64,
    pub days_31_60_minor: i64,
    pub days_61_90_minor: i64,
    pub over_90_minor: i64,
    pub total_minor: i64,
}

/// Receivables (`sales`) or payables (`purchase`) by age, today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Aging {
    pub kind: InvoiceKind,
    pub as_of: Timestamp,
    /// Largest total first.
    pub rows: Vec<AgingRow>,
    /// One row per currency over every counterparty.
    pub totals: Vec<AgingRow>,
    /// More counterparties than `rows` holds (the totals still cover all).
    pub truncated: bool,
}

fn aging_row(row: &sqlx::any::AnyRow, named: bool) -> Result<AgingRow> {
    let (company, name) = if named {
        (
            row.try_get::<Option<i64>, _>("counterparty_company_id")?
                .map(|raw| kernel::CompanyId::from_raw(raw).to_string()),
            row.try_get("counterparty_name")?,
        )
    } else {
        (None, String::new())
    };
    Ok(AgingRow {
        counterparty_company_id: company,
        counterparty_name: name,
        currency: crate::rows::currency(row)?,
        invoices: row.try_get("invoices")?,
        current_minor: row.try_get("current_minor")?,
        days_1_30_minor: row.try_get("days_1_30_minor")?,
        days_31_60_minor: row.try_get("days_31_60_minor")?,
        days_61_90_minor: row.try_get("days_61_90_minor")?,
        over_90_minor: row.try_get("over_90_minor")?,
        total_minor: row.try_get("total_minor")?,
    })
}

impl Books {
    /// The company's receivables or payables on open invoices by age.
    pub async fn aging(&self, scope: &Scope, kind: InvoiceKind) -> Result<Aging> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let now = self.clock.now();
        let bucket = |from_days: Option<i64>, to_days: Option<i64>| {
            // Past due by more than `from_days` and at most `to_days`.
            let mut condition = String::from("1 = 1");
            if let Some(from) = from_days {
                condition.push_str(&format!(
                    " AND due_date < {}",
                    now.micros() - from * DAY_MICROS
                ));
            }
            if let Some(to) = to_days {
                condition.push_str(&format!(
                    " AND due_date >= {}",
                    now.micros() - to * DAY_MICROS
                ));
            }
            format!(
                "CAST(COALESCE(SUM(CASE WHEN {condition} THEN gross_minor - settled_minor ELSE 0 END), 0) AS BIGINT)"
            )
        };
        let sums = format!(
            "COUNT(*) AS invoices, {} AS current_minor, {} AS days_1_30_minor, {} AS days_31_60_minor,
             {} AS days_61_90_minor, {} AS over_90_minor,
             CAST(COALESCE(SUM(gross_minor - settled_minor), 0) AS BIGINT) AS total_minor",
            bucket(None, Some(0)),
            bucket(Some(0), Some(30)),
            bucket(Some(30), Some(60)),
            bucket(Some(60), Some(90)),
            bucket(Some(90), None),
        );
        let open = "FROM books_invoice WHERE company_id = $1 AND kind = $2 AND document = 'invoice' AND state = 'open'";
        let by_counterparty = format!(
            "SELECT counterparty_company_id, counterparty_name, currency, {sums} {open}
             GROUP BY counterparty_company_id, counterparty_name, currency
             ORDER BY total_minor DESC, currency, counterparty_name LIMIT $3"
        );
        let rows = sqlx::query(&by_counterparty)
            .bind(scope.company_id())
            .bind(kind.code())
            .bind(AGING_ROWS_MAX + 1)
            .fetch_all(self.db.reader())
            .await?;
        let truncated = rows.len() as i64 > AGING_ROWS_MAX;
        let rows = rows
            .iter()
            .take(AGING_ROWS_MAX as usize)
            .map(|row| aging_row(row, true))
            .collect::<Result<Vec<_>>>()?;
        let totals = sqlx::query(&format!(
            "SELECT currency, {sums} {open} GROUP BY currency ORDER BY currency"
        ))
        .bind(scope.company_id())
        .bind(kind.code())
        .fetch_all(self.db.reader())
        .await?
        .iter()
        .map(|row| aging_row(row, false))
        .collect::<Result<Vec<_>>>()?;
        Ok(Aging {
            kind,
            as_of: now,
            rows,
            totals,
            truncated,
        })
    }
}
