//! `/sandbox-carrier`: the sandbox carrier's page, like the sandbox bank's:
//! the company's parcels (the operator sees every company's) with where each
//! is, and a button that moves one on to its next step now, reported through
//! the carrier's signed webhook as the clock would. Not found where the
//! network has no sandbox.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use trade::carrier::SandboxParcel;

use super::explain;
use crate::error::ApiError;
use crate::pages::{Shell, error_response, render};
use crate::state::AppState;

/// The newest parcels shown; older ones have long been delivered.
const PARCELS_MAX: i64 = 100;

pub struct ParcelRow {
    pub tracking_number: String,
    pub cross_border: bool,
    pub status: String,
    pub next_status: Option<String>,
    pub next_at: String,
    pub created_at: String,
}

#[derive(Template)]
#[template(path = "orders/sandbox_carrier.html")]
struct SandboxCarrierPage<'a> {
    shell: &'a Shell,
    parcels: Vec<ParcelRow>,
    error: Option<String>,
}

/// Whose parcels: the operator's view of all, or a company's own.
enum Viewer {
    Operator,
    Member(kernel::Scope),
}

async fn viewer(state: &AppState, shell: &Shell) -> Result<Viewer, ApiError> {
    if state.trade.carriers().sandbox().is_none() {
        return Err(ApiError::not_found());
    }
    if shell.signed_in()?.user.is_operator {
        return Ok(Viewer::Operator);
    }
    Ok(Viewer::Member(shell.member().await?.scope))
}

fn tracking_label(shell: &Shell, status: trade::TrackingStatus) -> String {
    shell.t(&format!(
        "order-tracking-{}",
        status.as_str().replace('_', "-")
    ))
}

fn parcel_viewer(viewer: &Viewer) -> trade::ParcelViewer {
    match viewer {
        Viewer::Operator => trade::ParcelViewer::Operator,
        Viewer::Member(scope) => trade::ParcelViewer::Member(scope.company_id()),
    }
}

async fn carrier_page(state: &AppState, shell: &Shell, error: Option<ApiError>) -> Response {
    let result = async {
        let viewer = viewer(state, shell).await?;
        state
            .trade
            .carriers()
            .sandbox()
            .ok_or_else(ApiError::not_found)?;
        let parcels: Vec<SandboxParcel> = state
            .trade
            .sandbox_parcels(parcel_viewer(&viewer), PARCELS_MAX)
            .await?;
        Ok::<_, ApiError>(parcels)
    }
    .await;
    let parcels = match result {
        Ok(parcels) => parcels,
        Err(error) => return error_response(shell, error),
    };
    let page = SandboxCarrierPage {
        shell,
        parcels: parcels
            .iter()
            .map(|parcel| ParcelRow {
                tracking_number: parcel.tracking_number.clone(),
                cross_border: parcel.cross_border,
                status: tracking_label(shell, parcel.status),
                next_status: parcel
                    .next_status
                    .map(|status| tracking_label(shell, status)),
                next_at: parcel.next_at.map(|at| shell.time(&at)).unwrap_or_default(),
                created_at: shell.time(&parcel.created_at),
            })
            .collect(),
        error: error.as_ref().map(|error| explain(shell, error).message),
    };
    crate::pages::market::with_status(render(&page), error.as_ref())
}

pub async fn show(State(state): State<AppState>, shell: Shell) -> Response {
    carrier_page(&state, &shell, None).await
}

pub async fn advance(
    State(state): State<AppState>,
    shell: Shell,
    Path(tracking_number): Path<String>,
) -> Response {
    let result = async {
        let viewer = viewer(&state, &shell).await?;
        state
            .trade
            .sandbox_parcel_advance(parcel_viewer(&viewer), &tracking_number)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/sandbox-carrier").into_response(),
        Err(error) if error.code == crate::error::ErrorCode::NotFound => {
            error_response(&shell, error)
        }
        Err(error) => carrier_page(&state, &shell, Some(error)).await,
    }
}
