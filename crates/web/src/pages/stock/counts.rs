//! `/stock/counts`: count sheets: opening one for a location, entering what
//! is on the shelf (and anything found that was not expected), posting the
//! differences, or dropping the sheet.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use kernel::PageRequest;
use scm::{
    CountEntries, CountEntry, CountId, CountInput, CountLine, CountSummary, Item, ItemId, Location,
    LocationId, StockCount,
};
use serde::Deserialize;

use super::{NoticeQuery, id_of, locations_of, names, whole};
use crate::error::ApiError;
use crate::extract::{ApiQuery, IdPath};
use crate::pages::{Shell, done, respond};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "stock/counts.html")]
struct CountsPage<'a> {
    shell: &'a Shell,
    counts: Vec<CountSummary>,
    locations: Vec<Location>,
    location_names: HashMap<LocationId, String>,
    may_keep: bool,
    error: Option<String>,
    notice: Option<String>,
}

impl CountsPage<'_> {
    fn place(&self, id: &LocationId) -> String {
        self.location_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn state_name(&self, count: &CountSummary) -> String {
        self.shell
            .t(&format!("stock-count-{}", count.state.as_str()))
    }

    fn when(&self, count: &CountSummary) -> String {
        self.shell.time(&count.created_at)
    }

    fn own_locations(&self) -> Vec<&Location> {
        self.locations.iter().filter(|l| l.kind.is_own()).collect()
    }
}

async fn counts_page(shell: &Shell, notice: Option<String>, error: Option<ApiError>) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        let scope = &member.scope;
        let locations = locations_of(state, scope).await?;
        Ok::<_, ApiError>(CountsPage {
            shell,
            counts: state.scm.counts(scope, PageRequest::first()).await?.items,
            location_names: names(&locations),
            locations,
            may_keep: scm::may_keep_stock(scope.role()),
            error: error.as_ref().map(|e| shell.error_message(e)),
            notice: notice.map(|key| shell.t(&format!("stock-{key}"))),
        })
    }
    .await;
    respond(shell, result, error.as_ref())
}

pub async fn list(shell: Shell, ApiQuery(query): ApiQuery<NoticeQuery>) -> Response {
    counts_page(&shell, query.notice, None).await
}

#[derive(Debug, Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    location_id: String,
    #[serde(default)]
    note: String,
}

pub async fn open(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<OpenForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let input = CountInput {
            location_id: id_of("location_id", &form.location_id)?,
            note: form.note.clone(),
        };
        Ok::<_, ApiError>(state.scm.open_count(&member.scope, &input).await?)
    }
    .await;
    match result {
        Ok(count) => done(&format!("/stock/counts/{}", count.id), "count-opened"),
        Err(error) => counts_page(&shell, None, Some(error)).await,
    }
}

#[derive(Template)]
#[template(path = "stock/count.html")]
struct CountPage<'a> {
    shell: &'a Shell,
    count: StockCount,
    items: Vec<Item>,
    location_names: HashMap<LocationId, String>,
    may_keep: bool,
    error: Option<String>,
    notice: Option<String>,
}

impl CountPage<'_> {
    fn place(&self) -> String {
        self.location_names
            .get(&self.count.location_id)
            .cloned()
            .unwrap_or_else(|| self.count.location_id.to_string())
    }

    fn item(&self, id: &ItemId) -> String {
        self.items.iter().find(|item| item.id == *id).map_or_else(
            || id.to_string(),
            |item| format!("{} {} ({})", item.sku, item.name, item.unit),
        )
    }

    fn state_name(&self) -> String {
        self.shell
            .t(&format!("stock-count-{}", self.count.state.as_str()))
    }

    fn is_open(&self) -> bool {
        self.count.state == scm::CountState::Open
    }

    fn counted(&self, line: &CountLine) -> String {
        line.counted.map(|c| c.to_string()).unwrap_or_default()
    }
}

async fn count_page(
    shell: &Shell,
    id: CountId,
    notice: Option<String>,
    error: Option<ApiError>,
) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        let scope = &member.scope;
        let all = PageRequest::new(None, Some(kernel::page::PAGE_SIZE_MAX));
        let locations = locations_of(state, scope).await?;
        Ok::<_, ApiError>(CountPage {
            shell,
            count: state.scm.count(scope, id).await?,
            items: state.scm.items(scope, all).await?.items,
            location_names: names(&locations),
            may_keep: scm::may_keep_stock(scope.role()),
            error: error.as_ref().map(|e| shell.error_message(e)),
            notice: notice.map(|key| shell.t(&format!("stock-{key}"))),
        })
    }
    .await;
    respond(shell, result, error.as_ref())
}

pub async fn show(
    shell: Shell,
    IdPath(id): IdPath<CountId>,
    ApiQuery(query): ApiQuery<NoticeQuery>,
) -> Response {
    count_page(&shell, id, query.notice, None).await
}

/// The counting form: `counted_{line_no}` per line (blank: not counted
/// yet), and one found item (`found_item_id`, `found_counted`).
pub async fn enter(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<CountId>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let sheet = state.scm.count(&member.scope, id).await?;
        let mut lines = Vec::new();
        // Only what changed goes in, so a long sheet is saved a part at a time.
        for line in &sheet.lines {
            let key = format!("counted_{}", line.line_no);
            let Some(text) = form.get(&key).filter(|text| !text.trim().is_empty()) else {
                continue;
            };
            let counted = whole(&key, text)?;
            let reason = form
                .get(&format!("reason_{}", line.line_no))
                .map(|reason| reason.trim().to_owned())
                .unwrap_or_default();
            if line.counted == Some(counted) && line.reason == reason {
                continue;
            }
            lines.push(CountEntry {
                item_id: line.item_id,
                lot: Some(line.lot.clone()),
                counted,
                reason,
            });
        }
        let found = form.get("found_item_id").filter(|id| !id.trim().is_empty());
        if let Some(found) = found {
            lines.push(CountEntry {
                item_id: id_of("found_item_id", found)?,
                lot: form
                    .get("found_lot")
                    .filter(|lot| !lot.trim().is_empty())
                    .cloned(),
                counted: whole(
                    "found_counted",
                    form.get("found_counted").map_or("", String::as_str),
                )?,
                reason: form.get("found_reason").cloned().unwrap_or_default(),
            });
        }
        if lines.is_empty() {
            return Ok(());
        }
        for part in lines.chunks(scm::COUNT_ENTRIES_MAX) {
            let entries = CountEntries {
                lines: part.to_vec(),
            };
            state.scm.enter_counts(&member.scope, id, &entries).await?;
        }
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done(&format!("/stock/counts/{id}"), "counts-saved"),
        Err(error) => count_page(&shell, id, None, Some(error)).await,
    }
}

pub async fn post(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<CountId>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        state.scm.post_count(&member.scope, id).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done(&format!("/stock/counts/{id}"), "count-posted-notice"),
        Err(error) => count_page(&shell, id, None, Some(error)).await,
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<CountId>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        state.scm.cancel_count(&member.scope, id).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done(&format!("/stock/counts/{id}"), "count-cancelled-notice"),
        Err(error) => count_page(&shell, id, None, Some(error)).await,
    }
}
