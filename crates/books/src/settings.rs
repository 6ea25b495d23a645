//! How a company keeps its books: the chart's template (chosen while the
//! books are still empty), the VAT rates it invoices at and the one on its
//! market sales, its payment terms, whether a sale is invoiced when the
//! goods ship or when the order completes, and its functional currency
//! (chosen, like the chart, before the first entry).

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
    /// The rates invoices may use, 1 to 8 different ones of 0 to 3000 basis
    /// points; `vat_rate_bp` must stay one of them.
    pub vat_rates_bp: Option<Vec<i64>>,
    /// 0 to 365 days.
    pub payment_terms_days: Option<i64>,
    /// ISO 4217; only while the books have no entries. Changing it removes
    /// the exchange rates, which were against the old one.
    pub functional_currency: Option<String>,
}

/// The most VAT rates a company keeps.
pub const VAT_RATES_MAX: usize = 8;
/// The longest payment terms, in days.
pub const PAYMENT_TERMS_DAYS_MAX: i64 = 365;

/// Refuses a list of rates that is empty, too long, repeats a rate or has
/// one out of range.
fn check_rates(rates: &[i64]) -> Result<()> {
    if rates.is_empty() || rates.len() > VAT_RATES_MAX {
        return Err(BooksError::invalid(
            "vat_rates_bp",
            "out_of_range",
            format!("1 to {VAT_RATES_MAX} rates"),
        ));
    }
    for (index, rate) in rates.iter().enumerate() {
        if !(0..=VAT_RATE_BP_MAX).contains(rate) {
            return Err(BooksError::invalid(
                format!("vat_rates_bp[{index}]"),
                "out_of_range",
                format!("0 to {VAT_RATE_BP_MAX} basis points"),
            ));
        }
        if rates[..index].contains(rate) {
            return Err(BooksError::invalid(
                format!("vat_rates_bp[{index}]"),
                "duplicate",
                "each rate once",
            ));
        }
    }
    Ok(())
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
        if let Some(rates) = &input.vat_rates_bp {
            check_rates(rates)?;
        }
        if let Some(days) = input.payment_terms_days
            && !(0..=PAYMENT_TERMS_DAYS_MAX).contains(&days)
        {
            return Err(BooksError::invalid(
                "payment_terms_days",
                "out_of_range",
                format!("0 to {PAYMENT_TERMS_DAYS_MAX} days"),
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
        let functional: Option<kernel::Currency> = input
            .functional_currency
            .as_deref()
            .map(|code| {
                code.parse().map_err(|_| {
                    BooksError::invalid("functional_currency", "invalid", "an ISO 4217 code")
                })
            })
            .transpose()?;
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
        let has_entries = sqlx::query("SELECT 1 FROM books_entry WHERE company_id = $1")
            .bind(company)
            .fetch_optional(tx.conn())
            .await?
            .is_some();
        if let Some(currency) = functional
            && currency != settings.functional_currency
        {
            if has_entries {
                return Err(BooksError::invalid(
                    "functional_currency",
                    "books_not_empty",
                    "the functional currency is chosen before the first entry",
                ));
            }
            sqlx::query("DELETE FROM books_fx_rate WHERE company_id = $1")
                .bind(company)
                .execute(tx.conn())
                .await?;
            settings.functional_currency = currency;
        }
        if let Some(chart) = &input.chart
            && *chart != settings.chart
        {
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
            let functional = settings.functional_currency;
            settings = open_books_in(&mut tx, company, chart, now).await?;
            settings.functional_currency = functional;
        }
        if let Some(rate) = input.vat_rate_bp {
            settings.vat_rate_bp = rate;
        }
        if let Some(on) = &input.invoice_on {
            settings.invoice_on = on.clone();
        }
        if let Some(rates) = &input.vat_rates_bp {
            settings.vat_rates_bp = rates.clone();
        }
        if let Some(days) = input.payment_terms_days {
            settings.payment_terms_days = days;
        }
        // The rate automatic invoices use is one the member invoices at.
        if !settings.vat_rates_bp.contains(&settings.vat_rate_bp) {
            let field = if input.vat_rates_bp.is_some() {
                "vat_rates_bp"
            } else {
                "vat_rate_bp"
            };
            return Err(BooksError::invalid(
                field,
                "not_a_listed_rate",
                "the default rate must be one of vat_rates_bp",
            ));
        }
        let rates = settings
            .vat_rates_bp
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let updated = sqlx::query(
            "UPDATE books_company SET vat_rate_bp = $1, invoice_on = $2, vat_rates = $3, payment_terms_days = $4,
                 functional_currency = $5, updated_at = $6 WHERE company_id = $7",
        )
        .bind(settings.vat_rate_bp)
        .bind(&settings.invoice_on)
        .bind(rates)
        .bind(settings.payment_terms_days)
        .bind(settings.functional_currency.code())
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
