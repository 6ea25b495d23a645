//! `/api/v1/books/invoices` and `/api/v1/books/reports/aging`: invoices and
//! credit notes (those of market orders and those by hand), payments and
//! credit notes by hand against an invoice, and receivables and payables by
//! age, as JSON and CSV.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use books::{
    Aging, CreditNoteInput, Invoice, InvoiceFilter, InvoiceId, InvoiceInput, InvoiceKind,
    InvoiceState, PaymentInput,
};
use identity::ApiScope;
use serde::Deserialize;

use super::csv_download;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, IdPath, Member};
use crate::pages::orders::CompanyNames;
use crate::pagination::{Cursor, PageBody, PageLimit, PageQuery};
use crate::state::AppState;

/// Which invoices, and a page.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InvoiceListQuery {
    /// `sales` or `purchase`.
    #[param(inline)]
    pub kind: Option<InvoiceKind>,
    /// `open` or `settled`.
    #[param(inline)]
    pub state: Option<InvoiceState>,
    /// How many items, 1 to 200 (default 50).
    #[param(inline)]
    pub limit: Option<PageLimit>,
    /// The `next_cursor` of the previous page.
    #[param(inline)]
    pub cursor: Option<Cursor>,
}

#[utoipa::path(get, path = "/api/v1/books/invoices", tag = "books", params(InvoiceListQuery),
    responses((status = 200, body = PageBody<Invoice>, description = "Newest first, without their lines")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn list(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<InvoiceListQuery>,
) -> ApiResult<ApiJson<PageBody<Invoice>>> {
    member.require(ApiScope::BooksRead)?;
    let filter = InvoiceFilter {
        kind: query.kind,
        state: query.state,
    };
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .to_request();
    Ok(ApiJson(
        state
            .books
            .invoices(&member.scope, filter, page)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/books/invoices", tag = "books", request_body = InvoiceInput,
    responses(
        (status = 201, body = Invoice, description = "Numbered and posted"),
        (status = 409, description = "`period_locked`: the date falls in a locked period"),
        (status = 422, description = "`invalid_field`: e.g. `lines[1].vat_rate_bp` `not_a_listed_rate`, `lines[0].account_id` `wrong_account_kind`")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    ApiJson(body): ApiJson<InvoiceInput>,
) -> ApiResult<(StatusCode, ApiJson<Invoice>)> {
    member.require(ApiScope::BooksWrite)?;
    let invoice = state.books.create_invoice(&member.scope, &body).await?;
    Ok((StatusCode::CREATED, ApiJson(invoice)))
}

#[utoipa::path(get, path = "/api/v1/books/invoices/{invoice_id}", tag = "books",
    params(("invoice_id" = InvoiceId, Path)),
    responses((status = 200, body = Invoice)),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<InvoiceId>,
) -> ApiResult<ApiJson<Invoice>> {
    member.require(ApiScope::BooksRead)?;
    Ok(ApiJson(state.books.invoice(&member.scope, id).await?))
}

#[utoipa::path(post, path = "/api/v1/books/invoices/{invoice_id}/payments", tag = "books",
    params(("invoice_id" = InvoiceId, Path)), request_body = PaymentInput,
    responses(
        (status = 200, body = Invoice, description = "The invoice with the payment settled"),
        (status = 409, description = "`state_conflict` (`invoice_settled`, `paid_through_escrow`: a market order's invoice is settled by its escrow), or `period_locked`"),
        (status = 422, description = "`invalid_field`: e.g. `amount_minor` `more_than_open`, `account_id`")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn pay(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<InvoiceId>,
    ApiJson(body): ApiJson<PaymentInput>,
) -> ApiResult<ApiJson<Invoice>> {
    member.require(ApiScope::BooksWrite)?;
    Ok(ApiJson(
        state.books.record_payment(&member.scope, id, &body).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/books/invoices/{invoice_id}/credit-notes", tag = "books",
    params(("invoice_id" = InvoiceId, Path)), request_body = CreditNoteInput,
    responses(
        (status = 201, body = Invoice, description = "The credit note, numbered and posted; that much of the invoice is settled"),
        (status = 409, description = "`state_conflict` (`invoice_settled`, `credited_by_refund`: a market order's invoice is credited by its refunds), or `period_locked`"),
        (status = 422, description = "`invalid_field`: e.g. `lines` `more_than_open`, `date` `before_invoice`, `lines[0].vat_rate_bp`")),
    security(("session" = ["owner", "admin", "finance"]), ("api_key" = ["books:write"])))]
pub async fn credit(
    State(state): State<AppState>,
    member: Member,
    IdPath(id): IdPath<InvoiceId>,
    ApiJson(body): ApiJson<CreditNoteInput>,
) -> ApiResult<(StatusCode, ApiJson<Invoice>)> {
    member.require(ApiScope::BooksWrite)?;
    let note = state
        .books
        .create_credit_note(&member.scope, id, &body)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(note)))
}

/// Receivables or payables.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AgingQuery {
    /// `sales` (receivables, the default) or `purchase` (payables).
    #[param(inline)]
    pub kind: Option<InvoiceKind>,
}

#[utoipa::path(get, path = "/api/v1/books/reports/aging", tag = "books", params(AgingQuery),
    responses((status = 200, body = Aging, description = "Open invoices by days past due, per counterparty and currency, at most 1,000 rows")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn aging(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<AgingQuery>,
) -> ApiResult<ApiJson<Aging>> {
    member.require(ApiScope::BooksRead)?;
    let kind = query.kind.unwrap_or(InvoiceKind::Sales);
    Ok(ApiJson(state.books.aging(&member.scope, kind).await?))
}

#[utoipa::path(get, path = "/api/v1/books/reports/aging.csv", tag = "books", params(AgingQuery),
    responses((status = 200, content_type = "text/csv",
        description = "counterparty,currency,invoices,current,days_1_30,days_31_60,days_61_90,over_90,total, then a total row per currency")),
    security(("session" = ["owner", "admin", "finance", "viewer"]), ("api_key" = ["books:read"])))]
pub async fn aging_csv(
    State(state): State<AppState>,
    member: Member,
    ApiQuery(query): ApiQuery<AgingQuery>,
) -> ApiResult<impl IntoResponse> {
    member.require(ApiScope::BooksRead)?;
    let kind = query.kind.unwrap_or(InvoiceKind::Sales);
    let report = state.books.aging(&member.scope, kind).await?;
    let names = counterparty_names(&state, &report).await?;
    let body = books::export::aging_csv(&report, |row| names.name_of(row));
    Ok(csv_download(&format!("aging-{}", kind.code()), body))
}

/// The names of an aging report's counterparties, members' read once each.
pub(crate) struct AgingNames(std::collections::HashMap<String, String>);

impl AgingNames {
    pub(crate) fn name_of(&self, row: &books::AgingRow) -> String {
        match &row.counterparty_company_id {
            Some(company) => self
                .0
                .get(company)
                .cloned()
                .unwrap_or_else(|| company.clone()),
            None => row.counterparty_name.clone(),
        }
    }
}

pub(crate) async fn counterparty_names(state: &AppState, report: &Aging) -> ApiResult<AgingNames> {
    let mut names = CompanyNames::default();
    let mut found = std::collections::HashMap::new();
    for row in &report.rows {
        if let Some(company) = &row.counterparty_company_id
            && let Ok(id) = company.parse::<kernel::CompanyId>()
        {
            found.insert(company.clone(), names.of(state, id).await?);
        }
    }
    Ok(AgingNames(found))
}
