//! `/stock/locations`: warehouses with their zones and bins, the virtual
//! locations, adding one, and choosing where market purchases arrive.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use scm::{Location, LocationId, LocationInput, LocationKind, ScmSettings};
use serde::Deserialize;

use super::{NoticeQuery, id_of, locations_of, names};
use crate::error::{ApiError, ErrorCode};
use crate::extract::ApiQuery;
use crate::pages::{Shell, done, respond};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "stock/locations.html")]
struct LocationsPage<'a> {
    shell: &'a Shell,
    settings: ScmSettings,
    locations: Vec<Location>,
    location_names: HashMap<LocationId, String>,
    may_keep: bool,
    error: Option<String>,
    notice: Option<String>,
}

impl LocationsPage<'_> {
    fn place(&self, id: &LocationId) -> String {
        self.location_names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn kind_name(&self, kind: &LocationKind) -> String {
        self.shell.t(&format!("stock-kind-{}", kind.as_str()))
    }

    fn holds_stock(&self) -> Vec<&Location> {
        self.locations.iter().filter(|l| l.kind.is_own()).collect()
    }
}

async fn locations_page(
    shell: &Shell,
    notice: Option<String>,
    error: Option<ApiError>,
) -> Response {
    let state = shell.state();
    let result = async {
        let member = shell.member().await?;
        let settings = state.scm.settings(&member.scope).await?;
        let locations = locations_of(state, &member.scope).await?;
        Ok::<_, ApiError>(LocationsPage {
            shell,
            settings,
            location_names: names(&locations),
            locations,
            may_keep: scm::may_keep_stock(member.scope.role()),
            error: error.as_ref().map(|e| shell.error_message(e)),
            notice: notice.map(|key| shell.t(&format!("stock-{key}"))),
        })
    }
    .await;
    respond(shell, result, error.as_ref())
}

pub async fn show(shell: Shell, ApiQuery(query): ApiQuery<NoticeQuery>) -> Response {
    locations_page(&shell, query.notice, None).await
}

#[derive(Debug, Deserialize)]
pub struct LocationForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
}

pub async fn create(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<LocationForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let kind = LocationKind::parse(&form.kind).ok_or_else(|| {
            ApiError::field(ErrorCode::InvalidField, "kind", "warehouse, zone or bin")
        })?;
        let input = LocationInput {
            kind,
            parent_id: if form.parent_id.is_empty() || kind == LocationKind::Warehouse {
                None
            } else {
                Some(id_of("parent_id", &form.parent_id)?)
            },
            code: form.code.clone(),
            name: form.name.clone(),
        };
        state.scm.create_location(&member.scope, &input).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/stock/locations", "location-created"),
        Err(error) => locations_page(&shell, None, Some(error)).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct DefaultForm {
    #[serde(default)]
    default_warehouse_id: String,
}

pub async fn set_default(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<DefaultForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let warehouse = id_of("default_warehouse_id", &form.default_warehouse_id)?;
        state
            .scm
            .set_default_warehouse(&member.scope, warehouse)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => done("/stock/locations", "default-set"),
        Err(error) => locations_page(&shell, None, Some(error)).await,
    }
}
