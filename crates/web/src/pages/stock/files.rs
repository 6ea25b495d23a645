//! The CSV imports of the stock page: items, suppliers and stock levels,
//! each a multipart upload that imports the whole file or shows every bad
//! row on the stock page and imports nothing.

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, State};
use axum::response::Response;
use market::product_csv::ImportReport;

use super::overview::overview_page;
use crate::error::{ApiError, ErrorCode};
use crate::pages::market::multipart_of;
use crate::pages::market::read_upload;
use crate::pages::{Shell, done};
use crate::state::AppState;

/// A CSV file, plus room for the form around it.
pub(super) fn upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(scm::IMPORT_BYTES_MAX + 256 * 1024)
}

/// Which file an upload is.
#[derive(Debug, Clone, Copy)]
enum File {
    Items,
    Suppliers,
    Stock,
}

async fn import(
    state: &AppState,
    shell: &Shell,
    multipart: Result<Multipart, MultipartRejection>,
    file: File,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let multipart = multipart_of(multipart)?;
        let upload = read_upload(multipart).await?;
        let bytes = upload
            .files_named("file")
            .next()
            .ok_or_else(|| ApiError::field(ErrorCode::InvalidField, "file", "choose a CSV file"))?;
        let scope = &member.scope;
        let report: ImportReport = match file {
            File::Items => state.scm.import_items(scope, bytes).await?,
            File::Suppliers => state.scm.import_suppliers(scope, bytes).await?,
            File::Stock => state.scm.import_stock(scope, bytes).await?,
        };
        Ok::<_, ApiError>(report)
    }
    .await;
    match result {
        Ok(_) => done("/stock", "imported"),
        Err(error) => overview_page(shell, None, Some(error)).await,
    }
}

pub async fn items(
    State(state): State<AppState>,
    shell: Shell,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    import(&state, &shell, multipart, File::Items).await
}

pub async fn suppliers(
    State(state): State<AppState>,
    shell: Shell,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    import(&state, &shell, multipart, File::Suppliers).await
}

pub async fn stock(
    State(state): State<AppState>,
    shell: Shell,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    import(&state, &shell, multipart, File::Stock).await
}
