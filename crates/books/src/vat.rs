//! The VAT summary: per month and currency, the output VAT on sales (credit
//! notes deducted), the input VAT on purchases, and what is payable, the one
//! less the other (negative: input VAT carried forward, 留抵). Read from the
//! balances per month of the two VAT accounts, so a year costs a few rows.

use std::collections::BTreeMap;

use kernel::{Currency, Scope};
use serde::Serialize;
use sqlx::Row;

use crate::error::{BooksError, Result};
use crate::{Books, may_view_books};

/// Rows (a month in a currency) one summary shows at most: the latest.
pub const VAT_MONTHS_MAX: i64 = 120;

/// One month's VAT in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VatMonth {
    /// `YYYY-MM`.
    pub period: String,
    pub currency: Currency,
    /// Charged on sales, less credit notes.
    pub output_vat_minor: i64,
    /// Paid on purchases, less credit notes received.
    pub input_vat_minor: i64,
    /// Output less input.
    pub payable_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct VatSummary {
    /// Oldest month first.
    pub months: Vec<VatMonth>,
    /// Sums over the months, per currency.
    pub totals: Vec<VatMonth>,
}

impl Books {
    /// The VAT of the months from `from` to `to` (`YYYY-MM`, both included;
    /// either open), at most `VAT_MONTHS_MAX` rows, the latest.
    pub async fn vat_summary(
        &self,
        scope: &Scope,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<VatSummary> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        for (field, period) in [("from", from), ("to", to)] {
            if let Some(period) = period
                && crate::period::period_start(period).is_none()
            {
                return Err(BooksError::invalid(field, "invalid", "a month as YYYY-MM"));
            }
        }
        let rows = sqlx::query(
            "SELECT b.period, b.currency, a.role,
                    CAST(SUM(b.debit_minor) AS BIGINT) AS debits,
                    CAST(SUM(b.credit_minor) AS BIGINT) AS credits
             FROM books_balance b
             JOIN books_account a ON a.company_id = b.company_id AND a.id = b.account_id
             WHERE b.company_id = $1 AND a.role IN ('output_vat', 'input_vat')
               AND b.period >= $2 AND b.period <= $3
             GROUP BY b.period, b.currency, a.role",
        )
        .bind(scope.company_id())
        .bind(from.unwrap_or(""))
        .bind(to.unwrap_or("~"))
        .fetch_all(self.db.reader())
        .await?;
        let mut months: BTreeMap<(String, &'static str), VatMonth> = BTreeMap::new();
        for row in &rows {
            let period: String = row.try_get("period")?;
            let currency = crate::rows::currency(row)?;
            let role: String = row.try_get("role")?;
            let debits: i64 = row.try_get("debits")?;
            let credits: i64 = row.try_get("credits")?;
            let month = months
                .entry((period.clone(), currency.code()))
                .or_insert_with(|| VatMonth {
                    period,
                    currency,
                    output_vat_minor: 0,
                    input_vat_minor: 0,
                    payable_minor: 0,
                });
            // Output VAT is a liability (credit-normal), input VAT is
            // claimed back (debit-normal).
            if role == "output_vat" {
                month.output_vat_minor += credits - debits;
            } else {
                month.input_vat_minor += debits - credits;
            }
            month.payable_minor = month.output_vat_minor - month.input_vat_minor;
        }
        let months: Vec<VatMonth> = months
            .into_values()
            .rev()
            .take(VAT_MONTHS_MAX as usize)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let mut totals: BTreeMap<&'static str, VatMonth> = BTreeMap::new();
        for month in &months {
            let total = totals
                .entry(month.currency.code())
                .or_insert_with(|| VatMonth {
                    period: String::new(),
                    currency: month.currency,
                    output_vat_minor: 0,
                    input_vat_minor: 0,
                    payable_minor: 0,
                });
            total.output_vat_minor += month.output_vat_minor;
            total.input_vat_minor += month.input_vat_minor;
            total.payable_minor += month.payable_minor;
        }
        Ok(VatSummary {
            months,
            totals: totals.into_values().collect(),
        })
    }
}
