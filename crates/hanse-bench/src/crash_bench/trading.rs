//! The soak's trade between its companies: the sellers' catalogs, made over
//! HTTP, and a buyer's next step on one of its orders, chosen from the order
//! as the server shows it, as a person on the order page would choose: place,
//! confirm (or decline, or cancel), pay into escrow, ship with the `other`
//! carrier and a typed tracking number, confirm receipt, or ask a refund (the
//! whole before shipping, a part after) that the seller accepts.

use anyhow::Context;
use rand::Rng;
use serde_json::{Value, json};

use crate::http::post_json;

/// Units in stock per product: ample, so no order is refused for stock and
/// the stock check sees every unit.
pub const STOCK_PER_PRODUCT: i64 = 1_000_000;
const PRODUCTS_PER_SELLER: usize = 3;
/// A buyer keeps at most this many orders open; then it only moves them on.
const OPEN_ORDERS_MAX: usize = 6;
/// A line's quantity is its product's MOQ plus up to this.
const QUANTITY_ABOVE_MOQ_MAX: i64 = 10;

/// A published product of a seller.
#[derive(Debug, Clone)]
pub struct Product {
    pub id: String,
    pub moq: i64,
}

/// A company that sells, with its owner's client.
#[derive(Clone)]
pub struct Seller {
    pub index: usize,
    pub company_id: String,
    pub client: reqwest::Client,
    pub products: Vec<Product>,
}

/// The sellers of one generation of companies, which its buyers order from.
#[derive(Clone, Default)]
pub struct Market {
    pub sellers: Vec<Seller>,
}

impl Market {
    fn seller_of(&self, company_id: &str) -> Option<&Seller> {
        self.sellers.iter().find(|s| s.company_id == company_id)
    }
}

/// What an order step does.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Place,
    Confirm,
    Decline,
    Cancel,
    Pay,
    Ship { tracking_number: String },
    RequestRefund { amount_minor: i64 },
    AcceptRefund { refund_id: String },
    ConfirmReceipt,
}

impl Action {
    /// The timeline event a step that took effect leaves, for the steps that
    /// leave one of their own.
    pub fn event(&self) -> Option<&'static str> {
        Some(match self {
            Action::Place => "OrderPlaced",
            Action::Confirm => "OrderConfirmed",
            Action::Decline => "OrderDeclined",
            Action::Cancel => "OrderCancelled",
            Action::Pay => "OrderPaid",
            Action::Ship { .. } => "OrderShipped",
            Action::RequestRefund { .. } => "RefundRequested",
            Action::ConfirmReceipt => "OrderCompleted",
            // An accepted refund closes the order; its events name the split.
            Action::AcceptRefund { .. } => return None,
        })
    }
}

/// One step on one order: which order (by its buyer and the tag in its
/// buyer note, and its id once known) and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub buyer: usize,
    pub tag: String,
    pub order_id: Option<String>,
    pub action: Action,
}

/// A step ready to send: who sends it, and its path and body.
pub struct Chosen {
    pub actor: usize,
    pub step: Step,
    pub path: String,
    pub body: Value,
}

/// The tag that names an order in its buyer note: the buyer's index and a
/// sequence number it never reuses.
pub fn tag(buyer: usize, sequence: i64) -> String {
    format!("soak order {buyer}-{sequence}")
}

/// The category of every soak product: made by the operator once a run.
pub async fn category(operator: &reqwest::Client, base_url: &str) -> anyhow::Result<String> {
    let top = post_json(
        operator,
        &format!("{base_url}/api/v1/operator/categories"),
        json!({"slug": "soak-housewares", "name_zh": "家居用品", "name_en": "Housewares"}),
    )
    .await?;
    let leaf = post_json(
        operator,
        &format!("{base_url}/api/v1/operator/categories"),
        json!({"parent_id": top["id"], "slug": "soak-flasks", "name_zh": "保温杯", "name_en": "Vacuum flasks"}),
    )
    .await?;
    Ok(leaf["id"].as_str().context("category id")?.to_owned())
}

/// Gives a company its published products, with two price tiers each.
pub async fn open_shop(
    client: &reqwest::Client,
    base_url: &str,
    category_id: &str,
    index: usize,
) -> anyhow::Result<Vec<Product>> {
    let mut rng = rand::thread_rng();
    let mut products = Vec::with_capacity(PRODUCTS_PER_SELLER);
    for number in 0..PRODUCTS_PER_SELLER {
        let moq = [1, 2, 5][rng.gen_range(0..3)];
        let price_minor = rng.gen_range(90..4_000_i64);
        let product = post_json(
            client,
            &format!("{base_url}/api/v1/catalog/products"),
            json!({
                "sku": format!("SOAK-{index}-{number}"),
                "category_id": category_id,
                "title_zh": format!("不锈钢保温杯 {index}-{number}"),
                "title_en": format!("Stainless flask {index}-{number}"),
                "description": "Double wall, keeps hot for 12 hours.",
                "unit": "piece",
                "moq": moq,
                "price_tiers": [
                    {"min_quantity": moq, "unit_price_minor": price_minor},
                    {"min_quantity": moq + 5, "unit_price_minor": price_minor * 9 / 10},
                ],
                "currency": super::workload::CURRENCY,
                "available_quantity": STOCK_PER_PRODUCT,
            }),
        )
        .await?;
        let id = product["id"].as_str().context("product id")?.to_owned();
        post_json(
            client,
            &format!("{base_url}/api/v1/catalog/products/{id}/status"),
            json!({"status": "published"}),
        )
        .await?;
        products.push(Product { id, moq });
    }
    Ok(products)
}

/// A new order from a random other seller: one or two of its products.
fn place(buyer: usize, tag: String, market: &Market, rng: &mut impl Rng) -> Option<Chosen> {
    let sellers: Vec<&Seller> = market
        .sellers
        .iter()
        .filter(|s| s.index != buyer && !s.products.is_empty())
        .collect();
    if sellers.is_empty() {
        return None;
    }
    let seller = sellers[rng.gen_range(0..sellers.len())];
    let first = rng.gen_range(0..seller.products.len());
    let mut picked = vec![&seller.products[first]];
    if seller.products.len() > 1 && rng.gen_bool(0.4) {
        picked.push(&seller.products[(first + 1) % seller.products.len()]);
    }
    let lines: Vec<Value> = picked
        .iter()
        .map(|p| json!({"product_id": p.id, "quantity": p.moq + rng.gen_range(0..=QUANTITY_ABOVE_MOQ_MAX)}))
        .collect();
    Some(Chosen {
        actor: buyer,
        step: Step {
            buyer,
            tag: tag.clone(),
            order_id: None,
            action: Action::Place,
        },
        path: "/api/v1/orders".into(),
        body: json!({"lines": lines, "delivery_address": format!("Speicherstadt {buyer}, 20457 Hamburg"),
                     "buyer_note": tag}),
    })
}

/// The next step on an order as `detail` (its `GET /api/v1/orders/{id}`)
/// shows it; `None` while it waits for the server (completed, settling) or
/// once it is closed.
pub fn next_step(
    detail: &Value,
    buyer: usize,
    market: &Market,
    rng: &mut impl Rng,
) -> Option<Chosen> {
    let order = &detail["order"];
    let id = order["id"].as_str()?.to_owned();
    let seller = market.seller_of(order["seller"].as_str()?)?.index;
    let total_minor = order["total_minor"].as_i64()?;
    let orders = format!("/api/v1/orders/{id}");
    let roll = rng.gen_range(0..100);
    let (actor, action, path, body) = match order["state"].as_str()? {
        "placed" if roll < 6 => (
            seller,
            Action::Decline,
            "decline",
            json!({"reason": "out of season"}),
        ),
        "placed" if roll < 12 => (
            buyer,
            Action::Cancel,
            "cancel",
            json!({"reason": "found it cheaper"}),
        ),
        "placed" => {
            let fee = if rng.gen_bool(0.5) {
                0
            } else {
                rng.gen_range(1..=900)
            };
            (
                seller,
                Action::Confirm,
                "confirm",
                json!({"shipping_fee_minor": fee, "note": "ships in a week"}),
            )
        }
        "confirmed" if roll < 8 => {
            let actor = if rng.gen_bool(0.5) { seller } else { buyer };
            (
                actor,
                Action::Cancel,
                "cancel",
                json!({"reason": "changed our mind"}),
            )
        }
        "confirmed" => (buyer, Action::Pay, "pay", json!({})),
        "paid" | "shipped" | "delivered" if order["open_claim"] == true => {
            let refund = detail["refunds"].as_array()?.last()?;
            if refund["status"] != "requested" {
                return None;
            }
            let refund_id = refund["id"].as_str()?.to_owned();
            let path = format!("refunds/{refund_id}/answer");
            return Some(Chosen {
                actor: seller,
                step: step(buyer, order, Action::AcceptRefund { refund_id }),
                path: format!("{orders}/{path}"),
                body: json!({"accept": true}),
            });
        }
        "paid" if roll < 25 => {
            let action = Action::RequestRefund {
                amount_minor: total_minor,
            };
            let body = json!({"amount_minor": total_minor, "reason": "we no longer need it"});
            (buyer, action, "refunds", body)
        }
        "paid" => {
            let tracking_number = format!("SOAK{buyer}X{:012X}", rng.r#gen::<u64>() >> 16);
            let body = json!({"carrier": "other", "tracking_number": tracking_number});
            (seller, Action::Ship { tracking_number }, "ship", body)
        }
        "shipped" | "delivered" if roll < 30 => {
            let amount_minor = rng.gen_range(1..=(total_minor / 2).max(1));
            let body = json!({"amount_minor": amount_minor, "reason": "two flasks arrived dented"});
            (
                buyer,
                Action::RequestRefund { amount_minor },
                "refunds",
                body,
            )
        }
        "shipped" | "delivered" => (buyer, Action::ConfirmReceipt, "confirm-receipt", json!({})),
        _ => return None,
    };
    Some(Chosen {
        actor,
        step: step(buyer, order, action),
        path: format!("{orders}/{path}"),
        body,
    })
}

fn step(buyer: usize, order: &Value, action: Action) -> Step {
    Step {
        buyer,
        tag: order["buyer_note"].as_str().unwrap_or_default().to_owned(),
        order_id: order["id"].as_str().map(str::to_owned),
        action,
    }
}

/// The buyer's next step: a new order now and then (or when it has none
/// open), otherwise the next step on one of its open orders. Closed orders
/// leave `open_orders` as they are seen.
pub async fn choose(
    client: &reqwest::Client,
    base_url: &str,
    buyer: usize,
    tag: impl FnOnce() -> String,
    market: &Market,
    open_orders: &mut Vec<String>,
    rng: &mut impl Rng,
) -> anyhow::Result<Option<Chosen>> {
    if open_orders.is_empty() || (open_orders.len() < OPEN_ORDERS_MAX && rng.gen_bool(0.3)) {
        return Ok(place(buyer, tag(), market, rng));
    }
    let at = rng.gen_range(0..open_orders.len());
    let detail: Value = client
        .get(format!("{base_url}/api/v1/orders/{}", open_orders[at]))
        .timeout(super::workload::REQUEST_TIMEOUT)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    if is_closed(detail["order"]["state"].as_str().unwrap_or_default()) {
        open_orders.swap_remove(at);
        return Ok(None);
    }
    Ok(next_step(&detail, buyer, market, rng))
}

/// Settled, declined, cancelled or refunded: nothing changes it any more.
pub fn is_closed(state: &str) -> bool {
    matches!(state, "settled" | "declined" | "cancelled" | "refunded")
}

/// The buyer's money is in escrow.
pub fn holds_escrow(state: &str) -> bool {
    matches!(state, "paid" | "shipped" | "delivered" | "completed")
}
