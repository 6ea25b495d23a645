//! `/stock/valuation`: what the company's stock was worth before a day, per
//! item and warehouse, at the moving-average cost.

use std::collections::HashMap;

use askama::Template;
use axum::response::Response;
use kernel::PageRequest;
use scm::{LocationId, ValuationLine};
use serde::Deserialize;

use super::{locations_of, names};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::pages::books::amount;
use crate::pages::{Shell, respond};

#[derive(Template)]
#[template(path = "stock/valuation.html")]
struct ValuationPage<'a> {
    shell: &'a Shell,
    lines: Vec<ValuationLine>,
    totals: Vec<String>,
    before: String,
    location_names: HashMap<LocationId, String>,
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
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValuationQuery {
    #[serde(default)]
    before: Option<String>,
}

pub async fn show(shell: Shell, ApiQuery(query): ApiQuery<ValuationQuery>) -> Response {
    let state = shell.state();
    let before = query.before.filter(|text| !text.is_empty());
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
            shell: &shell,
            lines,
            totals,
            before: before.clone().unwrap_or_default(),
            location_names: names(&locations),
        })
    }
    .await;
    respond(&shell, result, None)
}
