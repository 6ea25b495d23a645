//! Ordering from a product page: the "Order now" box (quantity from the MOQ
//! with the unit price and total at that quantity, the delivery address
//! prefilled from the company's, the buyer's note, and trade terms, required
//! when the storefronts' countries differ), and `POST
//! /products/{product_id}/order`, which places the order and goes to it, or
//! shows the product page again with the refusal and the form as typed.

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use market::{Product, ProductId, ShippingTerms};
use trade::{LineInput, OrderInput};

use super::{explain, trade_error};
use crate::error::{ApiError, ErrorCode};
use crate::pages::market::product::product_page;
use crate::pages::market::{FormError, FormFields, invalid, money, parse_id, whole_number};
use crate::pages::{Shell, error_response};
use crate::state::AppState;

/// The order form as typed.
#[derive(Debug, Clone, Default)]
pub struct OrderForm {
    pub quantity: String,
    pub delivery_address: String,
    pub buyer_note: String,
    pub terms: String,
}

impl OrderForm {
    fn from_fields(fields: &FormFields) -> OrderForm {
        OrderForm {
            quantity: fields.get("quantity").to_owned(),
            delivery_address: fields.get("delivery_address").to_owned(),
            buyer_note: fields.get("buyer_note").to_owned(),
            terms: fields.get("terms").to_owned(),
        }
    }
}

pub struct TermsOption {
    pub code: &'static str,
    pub selected: bool,
}

/// The form, with what it shows beside the fields.
pub struct OrderFormView {
    pub action: String,
    pub form: OrderForm,
    pub terms: Vec<TermsOption>,
    /// Buyer and seller are in different countries.
    pub terms_required: bool,
    /// `100:1250,500:1100`: the tiers for the script that updates the price.
    pub tiers_data: String,
    pub currency: String,
    pub minor_digits: u8,
    pub unit: String,
    pub moq: i64,
    /// At the quantity typed, or empty when it buys nothing.
    pub unit_price: String,
    pub total: String,
}

/// What a product page shows about ordering.
#[derive(Default)]
pub struct OrderBox {
    /// A visitor: signing in comes first.
    pub sign_in: bool,
    /// Why this person cannot order here (no company yet, or a role that
    /// does not buy).
    pub note: Option<String>,
    pub form: Option<OrderFormView>,
    pub error: Option<FormError>,
}

/// The order box for `product`, or `None` on the seller's own product.
pub async fn order_box(
    state: &AppState,
    shell: &Shell,
    product: &Product,
    typed: Option<OrderForm>,
    error: Option<&ApiError>,
) -> Result<Option<OrderBox>, ApiError> {
    let error = error.map(|error| explain(shell, error));
    if shell.user.is_none() {
        return Ok(Some(OrderBox {
            sign_in: true,
            ..OrderBox::default()
        }));
    }
    let member = match shell.member().await {
        Ok(member) => member,
        Err(failure) if failure.code == ErrorCode::NoActiveCompany => {
            return Ok(Some(OrderBox {
                note: Some(shell.t("order-register-company-first")),
                ..OrderBox::default()
            }));
        }
        Err(failure) => return Err(failure),
    };
    if member.scope.company_id() == product.company_id {
        return Ok(None);
    }
    if !trade::may_buy(member.scope.role()) {
        return Ok(Some(OrderBox {
            note: Some(shell.t("order-role-cannot-buy")),
            error,
            ..OrderBox::default()
        }));
    }
    let form = match typed {
        Some(form) => form,
        None => {
            let company = state.identity.company(&member.scope).await?;
            let address = [
                company.address.as_str(),
                &format!("{} {}", company.city, company.region),
                company.country.as_str(),
            ]
            .iter()
            .map(|part| part.trim())
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
            OrderForm {
                quantity: product.moq.to_string(),
                delivery_address: address,
                ..OrderForm::default()
            }
        }
    };
    let country = |company| async move {
        match state.market.storefront(company).await {
            Ok(storefront) => Ok(storefront.country),
            Err(market::MarketError::NotFound(_)) => Ok(String::new()),
            Err(error) => Err(ApiError::from(error)),
        }
    };
    let (ours, theirs) = (
        country(member.scope.company_id()).await?,
        country(product.company_id).await?,
    );
    let terms_required =
        !ours.is_empty() && !theirs.is_empty() && !ours.eq_ignore_ascii_case(&theirs);
    let at_quantity = whole_number("quantity", &form.quantity)
        .ok()
        .flatten()
        .and_then(|quantity| {
            let unit_price = product.unit_price_minor_at(quantity)?;
            Some((unit_price, unit_price.checked_mul(quantity)?))
        });
    let view = OrderFormView {
        action: format!("/products/{}/order", product.id),
        terms: ShippingTerms::ALL
            .iter()
            .map(|terms| TermsOption {
                code: terms.as_str(),
                selected: form.terms.eq_ignore_ascii_case(terms.as_str()),
            })
            .collect(),
        form,
        terms_required,
        tiers_data: product
            .price_tiers
            .iter()
            .map(|tier| format!("{}:{}", tier.min_quantity, tier.unit_price_minor))
            .collect::<Vec<_>>()
            .join(","),
        currency: product.currency.code().to_owned(),
        minor_digits: product.currency.minor_digits(),
        unit: product.unit.clone(),
        moq: product.moq,
        unit_price: at_quantity
            .map(|(unit_price, _)| money(unit_price, product.currency))
            .unwrap_or_default(),
        total: at_quantity
            .map(|(_, total)| money(total, product.currency))
            .unwrap_or_default(),
    };
    Ok(Some(OrderBox {
        form: Some(view),
        error,
        ..OrderBox::default()
    }))
}

pub async fn place(
    State(state): State<AppState>,
    shell: Shell,
    Path(product_id): Path<String>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let fields = match FormFields::read(form) {
        Ok(fields) => fields,
        Err(error) => return error_response(&shell, error),
    };
    let form = OrderForm::from_fields(&fields);
    let result = async {
        let member = shell.member().await?;
        let id: ProductId = parse_id(&product_id)?;
        let quantity = whole_number("quantity", &form.quantity)?
            .ok_or_else(|| invalid("quantity", "required", "how many to buy"))?;
        let input = OrderInput {
            lines: vec![LineInput {
                product_id: id,
                quantity,
            }],
            delivery_address: form.delivery_address.clone(),
            buyer_note: form.buyer_note.clone(),
            terms: form.terms.clone(),
        };
        state
            .trade
            .place_order(&member.scope, &input)
            .await
            .map_err(|error| trade_error(&shell, error))
    }
    .await;
    match result {
        Ok(order) => Redirect::to(&format!("/orders/{}?notice=placed", order.id)).into_response(),
        Err(error)
            if matches!(
                error.code,
                ErrorCode::Unauthenticated | ErrorCode::NoActiveCompany | ErrorCode::NotFound
            ) =>
        {
            error_response(&shell, error)
        }
        Err(error) => product_page(&state, &shell, &product_id, Some(form), Some(error)).await,
    }
}
