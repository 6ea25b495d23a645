//! `/stock/valuation`: what the company's stock was worth before a day, per
//! item and warehouse, at the moving-average or FIFO cost, and choosing the
//! method before the first move.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use kernel::PageRequest;
use scm::{LocationId, SettingsInput, Valuation, ValuationLine};
use serde::Deserialize;

use super::{locations_of, names};
use crate::error::{ApiError, ErrorCode};
use crate::extract::ApiQuery;
use crate::pages::books::amount;
use crate::pages::{Shell, done, respond};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "stock/valuation.html")]
struct ValuationPage<'a> {
    shell: &'a Shell,
    lines: Vec<ValuationLine>,
    totals: Vec<String>,
    before: String,
    location_names: HashMap<LocationId, String>,
    valuation: Valuation,
    may_keep: bool,
    error: Option<String>,
    notice: Option<String>,
}

impl ValuationPage<'_> {
    fn place(&self, id: &LocationId) -> String {
        self.location_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn value(&self, line: &ValuationLine, minor: &i64) -> String {
        amount(*minor, line.currency)
    }

    fn method_name(&self, method: &Valuation) -> String {
        self.shell
            .t(&format!("stock-valuation-{}", method.as_str()))
    }

    fn methods(&self) -> &'static [Valuation] {
        Valuation::ALL
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValuationQuery {
    #[serde(default)]
    before: Option<String>,
    #[serde(default)]
    notice: Option<String>,
}

pub async fn show(shell: Shell, ApiQuery(query): ApiQuery<ValuationQuery>) -> Response {
    let before = query.before.filter(|text| !text.is_empty());
    valuation_page(&shell, before, query.notice, None).await
}

async fn valuation_page(
    shell: &Shell,
    before: Option<String>,
    notice: Option<String>,
    error: Option<ApiError>,
) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        let at = crate::api::scm::before_day("before", before.as_deref())?
            .unwrap_or_else(|| state.clock.now());
        let all = PageRequest::new(None, Some(kernel::page::PAGE_SIZE_MAX));
        let lines: Vec<ValuationLine> = state
            .scm
            .valuation(&member.scope, at, all)
            .await?
            .items
            .into_iter()
            .filter(|line| line.quantity != 0)
            .collect();
        let mut sums: std::collections::BTreeMap<&str, (i64, kernel::Currency)> =
            Default::default();
        for line in &lines {
            sums.entry(line.currency.code())
                .or_insert((0, line.currency))
                .0 += line.value_minor;
        }
        let totals = sums
            .values()
            .map(|(minor, currency)| amount(*minor, *currency))
            .collect();
        let locations = locations_of(state, &member.scope).await?;
        Ok::<_, ApiError>(ValuationPage {
            shell,
            lines,
            totals,
            before: before.clone().unwrap_or_default(),
            location_names: names(&locations),
            valuation: state.scm.settings(&member.scope).await?.valuation,
            may_keep: scm::may_keep_stock(member.scope.role()),
            error: error.as_ref().map(|e| shell.error_message(e)),
            notice: notice.map(|key| shell.t(&format!("stock-{key}"))),
        })
    }
    .await;
    respond(shell, result, error.as_ref())
}

#[derive(Debug, Deserialize)]
pub struct MethodForm {
    #[serde(default)]
    valuation: String,
}

/// Chooses the valuation method; refused once stock has moved.
pub async fn set_method(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<MethodForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let method = Valuation::parse(&form.valuation)
            .ok_or_else(|| ApiError::field(ErrorCode::InvalidField, "valuation", "choose one"))?;
        let change = SettingsInput {
            valuation: Some(method),
            ..SettingsInput::default()
        };
        state.scm.update_settings(&member.scope, &change).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/stock/valuation", "valuation-set"),
        Err(error) => valuation_page(&shell, None, None, Some(error)).await,
    }
}
