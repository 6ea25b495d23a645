//! How a company keeps its books: the chart's template (chosen while the
//! books are still empty), the VAT rate on its sales, and whether a sale is
//! invoiced when the goods ship or when the order completes.

use kernel::Scope;
use serde::Deserialize;
use sqlx::Row;

use crate::chart::{VAT_RATE_BP_MAX, open_books_in, settings_in, template};
use crate::error::{BooksError, Result};
use crate::model::BooksSettings;
use crate::{Books, may_close_periods, may_view_books};

/// A change of the settings; what is left out stays.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsInput {
    /// `cas_small` or `ifrs`; only while the books have no entries.
    pub chart: Option<String>,
    /// 0 to 3000 basis points.
    pub vat_rate_bp: Option<i64>,
    /// `shipped` or `completed`.
    pub invoice_on: Option<String>,
}

impl Books {
    /// The company's settings; opens its books with the default chart the
    /// first time.
    pub async fn settings(&self, scope: &Scope) -> Result<BooksSettings> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        self.ensure_open(scope.company_id()).await
    }

    /// Changes the settings, or refuses with the field at fault and changes
    /// nothing.
    pub async fn change_settings(
        &self,
        scope: &Scope,
        input: &SettingsInput,
    ) -> Result<BooksSettings> {
        if !may_close_periods(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        if let Some(chart) = &input.chart
            && template(chart).is_none()
        {
            return Err(BooksError::invalid(
                "chart",
                "unknown_chart",
                "cas_small or ifrs",
            ));
        }
        if let Some(rate) = input.vat_rate_bp
            && !(0..=VAT_RATE_BP_MAX).contains(&rate)
        {
            return Err(BooksError::invalid(
                "vat_rate_bp",
                "out_of_range",
                format!("0 to {VAT_RATE_BP_MAX} basis points"),
            ));
        }
        if let Some(on) = &input.invoice_on
            && on != "shipped"
            && on != "completed"
        {
            return Err(BooksError::invalid(
                "invoice_on",
                "invalid",
                "shipped or completed",
            ));
        }
        let company = scope.company_id();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let mut settings = match settings_in(&mut tx, company).await? {
            Some(settings) => settings,
            None => {
                let chart = input
                    .chart
                    .as_deref()
                    .unwrap_or(crate::chart::CHART_DEFAULT);
                open_books_in(&mut tx, company, chart, now).await?
            }
        };
        if let Some(chart) = &input.chart
            && *chart != settings.chart
        {
            let has_entries = sqlx::query("SELECT 1 FROM books_entry WHERE company_id = $1")
                .bind(company)
                .fetch_optional(tx.conn())
                .await?
                .is_some();
            if has_entries {
                return Err(BooksError::invalid(
                    "chart",
                    "books_not_empty",
                    "the chart is chosen before the first entry",
                ));
            }
            sqlx::query("DELETE FROM books_account WHERE company_id = $1")
                .bind(company)
                .execute(tx.conn())
                .await?;
            sqlx::query("DELETE FROM books_company WHERE company_id = $1")
                .bind(company)
                .execute(tx.conn())
                .await?;
            settings = open_books_in(&mut tx, company, chart, now).await?;
        }
        if let Some(rate) = input.vat_rate_bp {
            settings.vat_rate_bp = rate;
        }
        if let Some(on) = &input.invoice_on {
            settings.invoice_on = on.clone();
        }
        let updated = sqlx::query(
            "UPDATE books_company SET vat_rate_bp = $1, invoice_on = $2, updated_at = $3 WHERE company_id = $4",
        )
        .bind(settings.vat_rate_bp)
        .bind(&settings.invoice_on)
        .bind(now.micros())
        .bind(company)
        .execute(tx.conn())
        .await?
        .rows_affected();
        debug_assert_eq!(updated, 1);
        tx.commit().await?;
        Ok(settings)
    }

    /// Companies whose books are open, for the operator's reconciliation.
    pub(crate) async fn companies_with_books(&self, limit: i64) -> Result<Vec<kernel::CompanyId>> {
        let rows = sqlx::query("SELECT company_id FROM books_company ORDER BY company_id LIMIT $1")
            .bind(limit)
            .fetch_all(self.db.reader())
            .await?;
        rows.iter()
            .map(|row| Ok(kernel::CompanyId::from_raw(row.try_get("company_id")?)))
            .collect()
    }
}
