//! `/rfqs`: the public board of open buying requests, `/rfqs/{rfq_id}` one
//! request with the quotation form for signed-in suppliers (and their quota),
//! and the form's post. The buyer is named only when the buyer allowed it.

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use market::{
    CategoryId, CategoryTree, PublicRfq, QuotaStatus, QuotationInput, RfqId, RfqStatus,
    ShippingTerms,
};

use super::{
    CategoryOption, FormError, FormFields, TierInput, category_options, category_path, date,
    end_of_day, error_at, explain, money, parse_id, parse_tiers, tier_inputs, whole_number,
    with_status,
};
use crate::error::{ApiError, ErrorCode};
use crate::pages::{Shell, error_response, render};
use crate::pagination::{PageBody, page_of_size};
use crate::state::AppState;

const BOARD_PAGE_SIZE: u32 = 30;
/// How long a new quotation stays valid unless the supplier says otherwise.
const QUOTATION_VALID_DAYS_DEFAULT: i64 = 14;

/// A buying request as a row of a list.
pub struct RfqRow {
    pub href: String,
    pub title: String,
    pub category: String,
    pub quantity: String,
    pub target_price: Option<String>,
    pub destination: String,
    pub valid_until: String,
    /// The buyer's name when shown, else where the buyer is.
    pub buyer: String,
    pub quotation_count: i64,
    pub status: String,
}

impl RfqRow {
    pub fn of(shell: &Shell, tree: &CategoryTree, rfq: &PublicRfq, href: String) -> RfqRow {
        let summary = &rfq.rfq;
        RfqRow {
            href,
            title: summary.title.clone(),
            category: category_path(shell, tree, summary.category_id),
            quantity: format!("{} {}", summary.quantity, summary.unit),
            target_price: summary
                .target_price_minor
                .map(|minor| money(minor, summary.currency)),
            destination: summary.destination.clone(),
            valid_until: date(summary.valid_until),
            buyer: buyer_label(shell, rfq),
            quotation_count: rfq.quotation_count,
            status: shell.t(&format!("market-rfq-{}", summary.status.as_str())),
        }
    }
}

fn buyer_label(shell: &Shell, rfq: &PublicRfq) -> String {
    match &rfq.buyer_name {
        Some(name) => name.clone(),
        None => shell.t_with("market-buyer-in", &[("country", &rfq.buyer_country)]),
    }
}

#[derive(Template)]
#[template(path = "market/rfq_board.html")]
struct BoardPage<'a> {
    shell: &'a Shell,
    categories: Vec<CategoryOption>,
    rfqs: Vec<RfqRow>,
    next_page: Option<String>,
    error: Option<String>,
}

/// A category chosen by id or by slug; empty is none.
pub fn chosen_category(tree: &CategoryTree, text: &str) -> Result<Option<CategoryId>, ApiError> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<CategoryId>()
        .ok()
        .and_then(|id| tree.get(id))
        .or_else(|| tree.by_slug(text))
        .map(|category| Some(category.id))
        .ok_or_else(|| ApiError::field(ErrorCode::InvalidQuery, "category", "no such category"))
}

pub fn query_fields(query: Option<&str>) -> FormFields {
    FormFields(
        form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect(),
    )
}

pub async fn board(
    State(state): State<AppState>,
    shell: Shell,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query_fields(query.as_deref());
    let tree = match state.market.categories().await {
        Ok(tree) => tree,
        Err(error) => return error_response(&shell, error.into()),
    };
    let result = async {
        let category = chosen_category(&tree, query.get("category"))?;
        let page = page_of_size(BOARD_PAGE_SIZE, Some(query.get("cursor")))?;
        let rfqs: PageBody<PublicRfq> = state.market.rfq_board(category, page).await?.into();
        Ok::<_, ApiError>((category, rfqs))
    }
    .await;
    let (category, rfqs, error) = match result {
        Ok((category, rfqs)) => (category, rfqs, None),
        Err(error) => (
            None,
            PageBody {
                items: Vec::new(),
                next_cursor: None,
            },
            Some(error),
        ),
    };
    let page = BoardPage {
        shell: &shell,
        categories: category_options(&shell, &tree, false, category),
        rfqs: rfqs
            .items
            .iter()
            .map(|rfq| RfqRow::of(&shell, &tree, rfq, format!("/rfqs/{}", rfq.rfq.id)))
            .collect(),
        next_page: rfqs.next_cursor.map(|cursor| {
            let category = category.map(|id| id.to_string()).unwrap_or_default();
            format!("/rfqs?category={category}&cursor={cursor}")
        }),
        error: error.as_ref().map(|error| explain(&shell, error).message),
    };
    with_status(render(&page), error.as_ref())
}

/// The quotation form as typed.
#[derive(Debug, Clone, Default)]
pub struct QuotationForm {
    tiers: Vec<TierInput>,
    quantity: String,
    lead_time_days: String,
    shipping_terms: String,
    valid_until: String,
    message: String,
}

impl QuotationForm {
    fn from_fields(fields: &FormFields) -> QuotationForm {
        QuotationForm {
            tiers: tier_inputs(fields),
            quantity: fields.get("quantity").to_owned(),
            lead_time_days: fields.get("lead_time_days").to_owned(),
            shipping_terms: fields.get("shipping_terms").to_owned(),
            valid_until: fields.get("valid_until").to_owned(),
            message: fields.get("message").to_owned(),
        }
    }

    /// A form filled with what the request asks.
    fn for_request(rfq: &PublicRfq, now: kernel::Timestamp) -> QuotationForm {
        let mut tiers = vec![TierInput::default(); super::TIER_ROWS];
        tiers[0].quantity = rfq.rfq.quantity.to_string();
        QuotationForm {
            tiers,
            quantity: rfq.rfq.quantity.to_string(),
            lead_time_days: String::new(),
            shipping_terms: ShippingTerms::Fob.as_str().to_owned(),
            valid_until: date(now.plus_seconds(QUOTATION_VALID_DAYS_DEFAULT * 86_400)),
            message: String::new(),
        }
    }

    fn input(&self, rfq: &PublicRfq) -> Result<QuotationInput, ApiError> {
        let currency = rfq.rfq.currency;
        Ok(QuotationInput {
            price_tiers: parse_tiers(&self.tiers, currency)?,
            currency,
            quantity: whole_number("quantity", &self.quantity)?
                .ok_or_else(|| super::invalid("quantity", "required", "how many you offer"))?,
            lead_time_days: whole_number("lead_time_days", &self.lead_time_days)?.ok_or_else(
                || super::invalid("lead_time_days", "required", "days until shipping"),
            )?,
            shipping_terms: ShippingTerms::parse(&self.shipping_terms).ok_or_else(|| {
                super::invalid(
                    "shipping_terms",
                    "not_a_choice",
                    "one of the Incoterms listed",
                )
            })?,
            valid_until: end_of_day("valid_until", &self.valid_until)?.ok_or_else(|| {
                super::invalid("valid_until", "required", "a date like 2026-11-25")
            })?,
            message: self.message.clone(),
        })
    }
}

/// What the viewer may do with the request.
enum Viewer {
    /// Not signed in: offer to sign in.
    Visitor,
    /// Signed in without a company to quote for.
    NoCompany,
    /// The buyer itself: its comparison page is elsewhere.
    Buyer,
    /// Staff whose role does not quote.
    NotQuoting,
    /// A supplier, with its quota when it can be read.
    Supplier(Option<QuotaStatus>),
}

#[derive(Template)]
#[template(path = "market/rfq.html")]
struct RfqPage<'a> {
    shell: &'a Shell,
    rfq: PublicRfq,
    row: RfqRow,
    deliver_by: Option<String>,
    open: bool,
    viewer: Viewer,
    quota: String,
    form: QuotationForm,
    tier_inputs: Vec<TierInput>,
    currency: String,
    terms: Vec<&'static str>,
    error: Option<FormError>,
    notice: Option<String>,
}

impl RfqPage<'_> {
    fn error_at(&self, field: &str) -> &str {
        error_at(&self.error, field)
    }

    fn is_supplier(&self) -> bool {
        matches!(self.viewer, Viewer::Supplier(_))
    }

    fn viewer_is(&self, kind: &str) -> bool {
        matches!(
            (&self.viewer, kind),
            (Viewer::Visitor, "visitor")
                | (Viewer::NoCompany, "no_company")
                | (Viewer::Buyer, "buyer")
                | (Viewer::NotQuoting, "not_quoting")
        )
    }
}

async fn rfq_page(
    state: &AppState,
    shell: &Shell,
    rfq_id: &str,
    form: Option<QuotationForm>,
    error: Option<ApiError>,
    notice: Option<String>,
) -> Response {
    let result = async {
        let id: RfqId = parse_id(rfq_id)?;
        let rfq = state.market.public_rfq(id).await?;
        let tree = state.market.categories().await?;
        let viewer = match shell.member().await {
            Ok(member) => {
                if state.market.own_rfq(&member.scope, id).await.is_ok() {
                    Viewer::Buyer
                } else if !market::may_quote(member.scope.role()) {
                    Viewer::NotQuoting
                } else {
                    // The form works without the quota line; a storefront the
                    // outbox has not opened yet only hides it.
                    Viewer::Supplier(state.market.quota_status(&member.scope).await.ok())
                }
            }
            Err(error) if error.code == ErrorCode::Unauthenticated => Viewer::Visitor,
            Err(error) if error.code == ErrorCode::NoActiveCompany => Viewer::NoCompany,
            Err(error) => return Err(error),
        };
        Ok::<_, ApiError>((rfq, tree, viewer))
    }
    .await;
    let (rfq, tree, viewer) = match result {
        Ok(found) => found,
        Err(error) => return error_response(shell, error),
    };
    let now = state.clock.now();
    let form = form.unwrap_or_else(|| QuotationForm::for_request(&rfq, now));
    let quota = match &viewer {
        Viewer::Supplier(Some(quota)) => shell.t_with(
            "market-quota",
            &[
                ("used", &quota.used.to_string()),
                ("quota", &quota.quota.to_string()),
            ],
        ),
        _ => String::new(),
    };
    let page = RfqPage {
        shell,
        row: RfqRow::of(shell, &tree, &rfq, String::new()),
        deliver_by: rfq.rfq.deliver_by.map(date),
        open: rfq.rfq.status == RfqStatus::Open && rfq.rfq.valid_until > now,
        viewer,
        quota,
        tier_inputs: form.tiers.clone(),
        form,
        currency: rfq.rfq.currency.code().to_owned(),
        terms: ShippingTerms::ALL
            .iter()
            .map(|terms| terms.as_str())
            .collect(),
        error: error.as_ref().map(|error| explain(shell, error)),
        notice,
        rfq,
    };
    with_status(render(&page), error.as_ref())
}

pub async fn show(
    State(state): State<AppState>,
    shell: Shell,
    Path(rfq_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let notice = query_fields(query.as_deref())
        .get("notice")
        .eq("quotation-sent")
        .then(|| shell.t("market-notice-quotation-sent"));
    rfq_page(&state, &shell, &rfq_id, None, None, notice).await
}

pub async fn send_quotation(
    State(state): State<AppState>,
    shell: Shell,
    Path(rfq_id): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fields = match FormFields::read(form) {
        Ok(fields) => fields,
        Err(error) => return error_response(&shell, error),
    };
    let form = QuotationForm::from_fields(&fields);
    let result = async {
        let member = shell.member().await?;
        let id: RfqId = parse_id(&rfq_id)?;
        let rfq = state.market.public_rfq(id).await?;
        let input = form.input(&rfq)?;
        state
            .market
            .send_quotation(&member.scope, id, &input)
            .await?;
        Ok::<_, ApiError>(id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("/rfqs/{id}?notice=quotation-sent")).into_response(),
        Err(error)
            if matches!(
                error.code,
                ErrorCode::Unauthenticated | ErrorCode::NoActiveCompany | ErrorCode::NotFound
            ) =>
        {
            error_response(&shell, error)
        }
        Err(error) => rfq_page(&state, &shell, &rfq_id, Some(form), Some(error), None).await,
    }
}
