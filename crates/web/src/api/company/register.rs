//! `POST /api/v1/companies`: register a company; the caller becomes its owner
//! and the session switches to it.

use axum::extract::State;
use axum::http::StatusCode;
use identity::{Company, NewCompany};

use crate::error::ApiResult;
use crate::extract::{ApiJson, SignedIn};
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/companies", tag = "company", request_body = NewCompany,
    responses(
        (status = 201, body = Company),
        (status = 409, description = "`credit_code_taken`"),
        (status = 422, description = "`invalid_field`, e.g. a credit code with a wrong check character"),
    ), security(("session" = [])))]
pub async fn handler(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiJson(new_company): ApiJson<NewCompany>,
) -> ApiResult<(StatusCode, ApiJson<Company>)> {
    let company = state
        .identity
        .register_company(signed_in.user.id, &new_company)
        .await?;
    state
        .identity
        .switch_company(signed_in.user.id, signed_in.session_id, company.id)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(company)))
}
