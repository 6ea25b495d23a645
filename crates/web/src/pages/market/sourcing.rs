//! The buying side of a member: `/sourcing` its buying requests and
//! `/sourcing/new` the form to post one, `/sourcing/{rfq_id}` the quotations
//! on one side by side with accept and decline, and the supplier's lists:
//! `/sourcing/quotations` (sent) and `/sourcing/matched` (requests it was
//! told about). Another company's request is not found here.

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use market::{
    CategoryTree, PublicRfq, Quotation, QuotationId, QuotationStatus, Rfq, RfqId, RfqInput,
    RfqStatus,
};

use super::rfqs::{RfqRow, chosen_category, query_fields};
use super::{
    CategoryOption, FormError, FormFields, OFFERED_CURRENCIES, category_options, category_path,
    date, decimal_amount, end_of_day, error_at, explain, money, parse_id, tier_rows, whole_number,
    with_status,
};
use crate::error::{ApiError, ErrorCode};
use crate::pages::{Shell, error_response, render};
use crate::pagination::{PageBody, page_of_size};
use crate::state::AppState;

const LIST_PAGE_SIZE: u32 = 50;
/// How long a new request takes quotations unless the buyer says otherwise.
const RFQ_VALID_DAYS_DEFAULT: i64 = 30;

fn page_request(fields: &FormFields) -> Result<kernel::PageRequest, ApiError> {
    page_of_size(LIST_PAGE_SIZE, Some(fields.get("cursor")))
}

fn read_form(form: Result<Form<Vec<(String, String)>>, FormRejection>) -> FormFields {
    form.map(|Form(fields)| FormFields(fields))
        .unwrap_or_default()
}

/// One of the member's own requests in its list.
struct OwnRfqRow {
    href: String,
    title: String,
    category: String,
    quantity: String,
    valid_until: String,
    status: String,
}

#[derive(Template)]
#[template(path = "market/sourcing.html")]
struct MinePage<'a> {
    shell: &'a Shell,
    rfqs: Vec<OwnRfqRow>,
    next_page: Option<String>,
    notice: Option<String>,
}

pub async fn mine(
    State(state): State<AppState>,
    shell: Shell,
    RawQuery(query): RawQuery,
) -> Response {
    let fields = query_fields(query.as_deref());
    let result = async {
        let member = shell.member().await?;
        let rfqs: PageBody<Rfq> = state
            .market
            .own_rfqs(&member.scope, page_request(&fields)?)
            .await?
            .into();
        let tree = state.market.categories().await?;
        Ok::<_, ApiError>((rfqs, tree))
    }
    .await;
    let (rfqs, tree) = match result {
        Ok(found) => found,
        Err(error) => return error_response(&shell, error),
    };
    let page = MinePage {
        shell: &shell,
        rfqs: rfqs
            .items
            .iter()
            .map(|rfq| OwnRfqRow {
                href: format!("/sourcing/{}", rfq.id),
                title: rfq.title.clone(),
                category: category_path(&shell, &tree, rfq.category_id),
                quantity: format!("{} {}", rfq.quantity, rfq.unit),
                valid_until: date(rfq.valid_until),
                status: shell.t(&format!("market-rfq-{}", rfq.status.as_str())),
            })
            .collect(),
        next_page: rfqs
            .next_cursor
            .map(|cursor| format!("/sourcing?cursor={cursor}")),
        notice: None,
    };
    render(&page)
}

/// The buying request form as typed.
#[derive(Debug, Clone, Default)]
struct RfqForm {
    title: String,
    category_id: String,
    quantity: String,
    unit: String,
    target_price: String,
    currency: String,
    deliver_by: String,
    destination: String,
    details: String,
    valid_until: String,
    show_company: bool,
}

impl RfqForm {
    fn from_fields(fields: &FormFields) -> RfqForm {
        RfqForm {
            title: fields.get("title").to_owned(),
            category_id: fields.get("category_id").to_owned(),
            quantity: fields.get("quantity").to_owned(),
            unit: fields.get("unit").to_owned(),
            target_price: fields.get("target_price").to_owned(),
            currency: fields.get("currency").to_owned(),
            deliver_by: fields.get("deliver_by").to_owned(),
            destination: fields.get("destination").to_owned(),
            details: fields.get("details").to_owned(),
            valid_until: fields.get("valid_until").to_owned(),
            show_company: fields.checked("show_company"),
        }
    }

    fn input(&self, tree: &CategoryTree) -> Result<RfqInput, ApiError> {
        let category_id = chosen_category(tree, &self.category_id)
            .ok()
            .flatten()
            .ok_or_else(|| super::invalid("category_id", "not_found", "choose a category"))?;
        let currency = super::currency("currency", &self.currency)?;
        Ok(RfqInput {
            title: self.title.clone(),
            category_id,
            quantity: whole_number("quantity", &self.quantity)?
                .ok_or_else(|| super::invalid("quantity", "required", "how many you need"))?,
            unit: self.unit.clone(),
            target_price_minor: decimal_amount("target_price_minor", &self.target_price, currency)?,
            currency,
            deliver_by: end_of_day("deliver_by", &self.deliver_by)?,
            destination: self.destination.clone(),
            details: self.details.clone(),
            valid_until: end_of_day("valid_until", &self.valid_until)?.ok_or_else(|| {
                super::invalid("valid_until", "required", "a date like 2026-11-25")
            })?,
            show_company: self.show_company,
        })
    }
}

#[derive(Template)]
#[template(path = "market/rfq_new.html")]
struct NewRfqPage<'a> {
    shell: &'a Shell,
    form: RfqForm,
    categories: Vec<CategoryOption>,
    currencies: Vec<(&'static str, bool)>,
    error: Option<FormError>,
}

impl NewRfqPage<'_> {
    fn error_at(&self, field: &str) -> &str {
        error_at(&self.error, field)
    }
}

fn new_rfq_page(
    shell: &Shell,
    tree: &CategoryTree,
    form: RfqForm,
    error: Option<ApiError>,
) -> Response {
    let chosen = chosen_category(tree, &form.category_id).ok().flatten();
    let page = NewRfqPage {
        shell,
        categories: category_options(shell, tree, false, chosen),
        currencies: OFFERED_CURRENCIES
            .iter()
            .map(|code| (*code, form.currency.eq_ignore_ascii_case(code)))
            .collect(),
        form,
        error: error.as_ref().map(|error| explain(shell, error)),
    };
    with_status(render(&page), error.as_ref())
}

pub async fn new_form(State(state): State<AppState>, shell: Shell) -> Response {
    let result = async {
        shell.member().await?;
        Ok::<_, ApiError>(state.market.categories().await?)
    }
    .await;
    match result {
        Ok(tree) => {
            let form = RfqForm {
                currency: "CNY".to_owned(),
                valid_until: date(
                    state
                        .clock
                        .now()
                        .plus_seconds(RFQ_VALID_DAYS_DEFAULT * 86_400),
                ),
                ..RfqForm::default()
            };
            new_rfq_page(&shell, &tree, form, None)
        }
        Err(error) => error_response(&shell, error),
    }
}

pub async fn post(
    State(state): State<AppState>,
    shell: Shell,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let form = RfqForm::from_fields(&read_form(form));
    let prepared = async {
        let member = shell.member().await?;
        Ok::<_, ApiError>((member, state.market.categories().await?))
    }
    .await;
    let (member, tree) = match prepared {
        Ok(prepared) => prepared,
        Err(error) => return error_response(&shell, error),
    };
    let posted = async {
        let input = form.input(&tree)?;
        Ok::<_, ApiError>(state.market.post_rfq(&member.scope, &input).await?)
    }
    .await;
    match posted {
        Ok(rfq) => Redirect::to(&format!("/sourcing/{}?notice=posted", rfq.id)).into_response(),
        Err(error) => new_rfq_page(&shell, &tree, form, Some(error)),
    }
}

/// One quotation as a column of the comparison.
struct QuotationColumn {
    id: String,
    supplier: String,
    supplier_href: String,
    verified: bool,
    tiers: Vec<String>,
    quantity: i64,
    unit_price: String,
    total: String,
    lead_time: String,
    shipping_terms: &'static str,
    valid_until: String,
    message: String,
    status: String,
    decline_reason: String,
    /// Still awaiting the buyer's answer while the request is open.
    answerable: bool,
}

fn column(
    shell: &Shell,
    rfq: &Rfq,
    quotation: &Quotation,
    now: kernel::Timestamp,
) -> QuotationColumn {
    let unit_price = market::price::unit_price_at(&quotation.price_tiers, quotation.quantity);
    QuotationColumn {
        id: quotation.id.to_string(),
        supplier: quotation.supplier_name.clone(),
        supplier_href: format!("/companies/{}", quotation.company_id),
        verified: quotation.supplier_verified,
        tiers: tier_rows(&quotation.price_tiers, quotation.currency)
            .into_iter()
            .map(|row| format!("{}: {}", row.quantities, row.unit_price))
            .collect(),
        quantity: quotation.quantity,
        unit_price: unit_price
            .map(|minor| money(minor, quotation.currency))
            .unwrap_or_default(),
        total: quotation
            .total_minor()
            .map(|minor| money(minor, quotation.currency))
            .unwrap_or_default(),
        lead_time: shell.t_with(
            "market-days",
            &[("days", &quotation.lead_time_days.to_string())],
        ),
        shipping_terms: quotation.shipping_terms.as_str(),
        valid_until: date(quotation.valid_until),
        message: quotation.message.clone(),
        status: shell.t(&format!("market-quotation-{}", quotation.status.as_str())),
        decline_reason: quotation.decline_reason.clone().unwrap_or_default(),
        answerable: quotation.status == QuotationStatus::Sent
            && rfq.status == RfqStatus::Open
            && quotation.valid_until > now,
    }
}

#[derive(Template)]
#[template(path = "market/compare.html")]
struct ComparePage<'a> {
    shell: &'a Shell,
    rfq: Rfq,
    category: String,
    valid_until: String,
    status: String,
    open: bool,
    quotations: Vec<QuotationColumn>,
    error: Option<String>,
    notice: Option<String>,
}

async fn compare_page(
    state: &AppState,
    shell: &Shell,
    rfq_id: RfqId,
    error: Option<ApiError>,
    notice: Option<String>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let (rfq, quotations) = state
            .market
            .quotations_for_rfq(&member.scope, rfq_id)
            .await?;
        let tree = state.market.categories().await?;
        Ok::<_, ApiError>((rfq, quotations, tree))
    }
    .await;
    let (rfq, quotations, tree) = match result {
        Ok(found) => found,
        Err(error) => return error_response(shell, error),
    };
    let now = state.clock.now();
    let page = ComparePage {
        shell,
        category: category_path(shell, &tree, rfq.category_id),
        valid_until: date(rfq.valid_until),
        status: shell.t(&format!("market-rfq-{}", rfq.status.as_str())),
        open: rfq.status == RfqStatus::Open,
        quotations: quotations
            .iter()
            .map(|quotation| column(shell, &rfq, quotation, now))
            .collect(),
        error: error.as_ref().map(|error| explain(shell, error).message),
        notice,
        rfq,
    };
    with_status(render(&page), error.as_ref())
}

pub async fn compare(
    State(state): State<AppState>,
    shell: Shell,
    Path(rfq_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let rfq_id: RfqId = match parse_id(&rfq_id) {
        Ok(id) => id,
        Err(error) => return error_response(&shell, error),
    };
    let notice = match query_fields(query.as_deref()).get("notice") {
        "posted" => Some(shell.t("market-notice-rfq-posted")),
        "accepted" => Some(shell.t("market-notice-accepted")),
        "declined" => Some(shell.t("market-notice-declined")),
        "closed" => Some(shell.t("market-notice-rfq-closed")),
        _ => None,
    };
    compare_page(&state, &shell, rfq_id, None, notice).await
}

pub async fn close(
    State(state): State<AppState>,
    shell: Shell,
    Path(rfq_id): Path<String>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let id: RfqId = parse_id(&rfq_id)?;
        state.market.close_rfq(&member.scope, id).await?;
        Ok::<_, ApiError>(id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("/sourcing/{id}?notice=closed")).into_response(),
        Err(error) => match parse_id::<RfqId>(&rfq_id) {
            Ok(id) if error.code != ErrorCode::NotFound => {
                compare_page(&state, &shell, id, Some(error), None).await
            }
            _ => error_response(&shell, error),
        },
    }
}

/// Answers a received quotation, then back to its comparison; a refusal is
/// shown on the comparison when the quotation is the member's to see.
async fn answer(
    state: &AppState,
    shell: &Shell,
    quotation_id: &str,
    accept: bool,
    reason: &str,
) -> Response {
    let member = match shell.member().await {
        Ok(member) => member,
        Err(error) => return error_response(shell, error),
    };
    let found = async {
        let id: QuotationId = parse_id(quotation_id)?;
        Ok::<_, ApiError>(state.market.received_quotation(&member.scope, id).await?)
    }
    .await;
    let quotation = match found {
        Ok(quotation) => quotation,
        Err(error) => return error_response(shell, error),
    };
    let answered = if accept {
        state
            .market
            .accept_quotation(&member.scope, quotation.id)
            .await
    } else {
        state
            .market
            .decline_quotation(&member.scope, quotation.id, reason)
            .await
    };
    match answered {
        Ok(_) => Redirect::to(&format!(
            "/sourcing/{}?notice={}",
            quotation.rfq_id,
            if accept { "accepted" } else { "declined" }
        ))
        .into_response(),
        Err(error) => compare_page(state, shell, quotation.rfq_id, Some(error.into()), None).await,
    }
}

pub async fn accept(
    State(state): State<AppState>,
    shell: Shell,
    Path(quotation_id): Path<String>,
) -> Response {
    answer(&state, &shell, &quotation_id, true, "").await
}

pub async fn decline(
    State(state): State<AppState>,
    shell: Shell,
    Path(quotation_id): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fields = read_form(form);
    answer(&state, &shell, &quotation_id, false, fields.get("reason")).await
}

/// A quotation the member's company sent, in its list.
struct SentRow {
    rfq_href: String,
    tiers: String,
    quantity: i64,
    total: String,
    valid_until: String,
    status: String,
    decline_reason: String,
    sent_at: String,
}

#[derive(Template)]
#[template(path = "market/quotations.html")]
struct SentPage<'a> {
    shell: &'a Shell,
    quotations: Vec<SentRow>,
    quota: String,
    next_page: Option<String>,
}

pub async fn sent_quotations(
    State(state): State<AppState>,
    shell: Shell,
    RawQuery(query): RawQuery,
) -> Response {
    let fields = query_fields(query.as_deref());
    let result = async {
        let member = shell.member().await?;
        let quotations: PageBody<Quotation> = state
            .market
            .own_quotations(&member.scope, page_request(&fields)?)
            .await?
            .into();
        let quota = state.market.quota_status(&member.scope).await?;
        Ok::<_, ApiError>((quotations, quota))
    }
    .await;
    let (quotations, quota) = match result {
        Ok(found) => found,
        Err(error) => return error_response(&shell, error),
    };
    let page = SentPage {
        shell: &shell,
        quotations: quotations
            .items
            .iter()
            .map(|quotation| SentRow {
                rfq_href: format!("/rfqs/{}", quotation.rfq_id),
                tiers: tier_rows(&quotation.price_tiers, quotation.currency)
                    .into_iter()
                    .map(|row| format!("{}: {}", row.quantities, row.unit_price))
                    .collect::<Vec<_>>()
                    .join(" · "),
                quantity: quotation.quantity,
                total: quotation
                    .total_minor()
                    .map(|minor| money(minor, quotation.currency))
                    .unwrap_or_default(),
                valid_until: date(quotation.valid_until),
                status: shell.t(&format!("market-quotation-{}", quotation.status.as_str())),
                decline_reason: quotation.decline_reason.clone().unwrap_or_default(),
                sent_at: shell.time(&quotation.created_at),
            })
            .collect(),
        quota: shell.t_with(
            "market-quota",
            &[
                ("used", &quota.used.to_string()),
                ("quota", &quota.quota.to_string()),
            ],
        ),
        next_page: quotations
            .next_cursor
            .map(|cursor| format!("/sourcing/quotations?cursor={cursor}")),
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "market/matched.html")]
struct MatchedPage<'a> {
    shell: &'a Shell,
    rfqs: Vec<RfqRow>,
    next_page: Option<String>,
}

pub async fn matched(
    State(state): State<AppState>,
    shell: Shell,
    RawQuery(query): RawQuery,
) -> Response {
    let fields = query_fields(query.as_deref());
    let result = async {
        let member = shell.member().await?;
        let rfqs: PageBody<PublicRfq> = state
            .market
            .matched_rfqs(&member.scope, page_request(&fields)?)
            .await?
            .into();
        let tree = state.market.categories().await?;
        Ok::<_, ApiError>((rfqs, tree))
    }
    .await;
    let (rfqs, tree) = match result {
        Ok(found) => found,
        Err(error) => return error_response(&shell, error),
    };
    let page = MatchedPage {
        shell: &shell,
        rfqs: rfqs
            .items
            .iter()
            .map(|rfq| RfqRow::of(&shell, &tree, rfq, format!("/rfqs/{}", rfq.rfq.id)))
            .collect(),
        next_page: rfqs
            .next_cursor
            .map(|cursor| format!("/sourcing/matched?cursor={cursor}")),
    };
    render(&page)
}
