//! Helpers of the order tests: a seller with a published product, a buyer
//! with money, and each step of an order over HTTP.

use reqwest::Method;
use serde_json::{Value, json};
use web::testing::{Actor, TestApp};

use crate::support::{call, read};

/// The product's MOQ, tiers and stock (see `market::flask`): 100 pieces at
/// ¥12.50, from 500 at ¥11.00, 5000 in stock.
pub const MOQ: i64 = 100;
pub const UNIT_PRICE_MINOR: i64 = 1_250;
pub const STOCK: i64 = 5_000;

/// A seller with one published product, and a buyer, both in China.
pub struct Deal {
    pub seller: Actor,
    pub buyer: Actor,
    pub product: String,
    pub category: String,
}

pub async fn deal(app: &TestApp) -> Deal {
    let category = crate::market::flask_category(app).await;
    let seller = app.sign_up_company("Hengxin Thermos").await;
    let buyer = app.sign_up_company("Vogel Haushalt").await;
    let product = crate::market::published_flask(app, &seller, &category, "HX-500").await;
    Deal {
        seller,
        buyer,
        product,
        category,
    }
}

/// Puts `minor` CNY in the actor's wallet through the sandbox bank.
pub async fn top_up(app: &TestApp, actor: &Actor, minor: i64) {
    let key = format!("top-up-{}-{minor}", actor.company_id);
    let response = actor
        .client
        .post(app.url("/api/v1/wallet/top-ups"))
        .header("Idempotency-Key", &key)
        .json(&json!({"amount": {"minor": minor, "currency": "CNY"}}))
        .send()
        .await
        .unwrap();
    let (status, top_up) = read(response).await;
    assert_eq!(status, 201, "{top_up}");
    let (_, operations) = call(
        app,
        &actor.client,
        Method::GET,
        "/api/v1/sandbox-bank/operations",
        None,
    )
    .await;
    let operation = operations["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|operation| operation["status"] == "pending" && operation["amount"]["minor"] == minor)
        .unwrap_or_else(|| panic!("the bank's operation for {top_up}"))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = actor
        .client
        .post(app.url(&format!(
            "/api/v1/sandbox-bank/operations/{operation}/confirm"
        )))
        .header("Idempotency-Key", format!("{key}-confirm"))
        .send()
        .await
        .unwrap();
    let (status, body) = read(response).await;
    assert_eq!(status, 200, "{body}");
}

/// The CNY wallet: (available, reserved).
pub async fn wallet(app: &TestApp, actor: &Actor) -> (i64, i64) {
    let (status, balances) = call(
        app,
        &actor.client,
        Method::GET,
        "/api/v1/wallet/balances",
        None,
    )
    .await;
    assert_eq!(status, 200, "{balances}");
    balances
        .as_array()
        .unwrap()
        .iter()
        .find(|balance| balance["currency"] == "CNY")
        .map_or((0, 0), |balance| {
            (
                balance["available"]["minor"].as_i64().unwrap(),
                balance["reserved"]["minor"].as_i64().unwrap(),
            )
        })
}

/// The deal's product's stock, as its seller's catalog shows it.
pub async fn stock(app: &TestApp, deal: &Deal) -> i64 {
    let (status, body) = call(
        app,
        &deal.seller.client,
        Method::GET,
        &format!("/api/v1/catalog/products/{}", deal.product),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["available_quantity"].as_i64().unwrap()
}

/// POSTs a step of an order with an `Idempotency-Key` (required on the steps
/// that move money, accepted on the others) and `body` (none for `Null`).
pub async fn step(
    app: &TestApp,
    actor: &Actor,
    path: &str,
    key: &str,
    body: Value,
) -> (u16, Value) {
    let mut request = actor
        .client
        .post(app.url(path))
        .header("Idempotency-Key", key);
    if !body.is_null() {
        request = request.json(&body);
    }
    read(request.send().await.unwrap()).await
}

/// Places an order of `quantity` of the deal's product; answers the order.
pub async fn place(app: &TestApp, deal: &Deal, quantity: i64) -> Value {
    let (status, order) = call(
        app,
        &deal.buyer.client,
        Method::POST,
        "/api/v1/orders",
        Some(json!({
            "lines": [{"product_id": deal.product, "quantity": quantity}],
            "delivery_address": "Vogel Haushalt, Speicherstadt 1, Hamburg",
        })),
    )
    .await;
    assert_eq!(status, 201, "{order}");
    order
}

/// The order's id.
pub fn id(order: &Value) -> String {
    order["id"].as_str().unwrap().to_owned()
}

/// An order placed and confirmed with `shipping_fee_minor`.
pub async fn confirmed(
    app: &TestApp,
    deal: &Deal,
    quantity: i64,
    shipping_fee_minor: i64,
) -> String {
    let order = id(&place(app, deal, quantity).await);
    let (status, body) = step(
        app,
        &deal.seller,
        &format!("/api/v1/orders/{order}/confirm"),
        &format!("confirm-{order}"),
        json!({"shipping_fee_minor": shipping_fee_minor, "note": "Ships from Yiwu"}),
    )
    .await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("confirmed")),
        "{body}"
    );
    order
}

/// A confirmed order paid by a buyer who has the money.
pub async fn paid(app: &TestApp, deal: &Deal, quantity: i64, shipping_fee_minor: i64) -> String {
    let order = confirmed(app, deal, quantity, shipping_fee_minor).await;
    let (status, body) = step(
        app,
        &deal.buyer,
        &format!("/api/v1/orders/{order}/pay"),
        &format!("pay-{order}"),
        Value::Null,
    )
    .await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("paid")),
        "{body}"
    );
    order
}

/// Ships a paid order with the sandbox carrier; answers the tracking number.
pub async fn ship(app: &TestApp, deal: &Deal, order: &str) -> String {
    let (status, body) = step(
        app,
        &deal.seller,
        &format!("/api/v1/orders/{order}/ship"),
        &format!("ship-{order}"),
        json!({"carrier": "sandbox"}),
    )
    .await;
    assert_eq!(
        (status, body["state"].as_str()),
        (200, Some("shipped")),
        "{body}"
    );
    let detail = detail(app, &deal.seller, order).await;
    detail["shipment"]["tracking_number"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Moves a sandbox parcel on until the carrier reports it delivered.
pub async fn deliver(app: &TestApp, actor: &Actor, tracking_number: &str) {
    for attempt in 0..10 {
        let (status, parcel) = step(
            app,
            actor,
            &format!("/api/v1/sandbox-carrier/parcels/{tracking_number}/advance"),
            &format!("advance-{tracking_number}-{attempt}"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 200, "{parcel}");
        if parcel["status"] == "delivered" {
            return;
        }
    }
    panic!("{tracking_number} never delivered");
}

/// The order as `actor` reads it: `OrderDetail`.
pub async fn detail(app: &TestApp, actor: &Actor, order: &str) -> Value {
    let (status, body) = call(
        app,
        &actor.client,
        Method::GET,
        &format!("/api/v1/orders/{order}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The steps `detail` allows, as written.
pub fn actions(detail: &Value) -> Vec<&str> {
    detail["allowed_actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|action| action.as_str().unwrap())
        .collect()
}

/// A disputed order: paid, shipped, a whole refund refused, the buyer's
/// dispute open. Answers (order, refund, dispute, tracking number).
pub async fn disputed(
    app: &TestApp,
    deal: &Deal,
    quantity: i64,
) -> (String, String, String, String) {
    let order = paid(app, deal, quantity, 0).await;
    let tracking_number = ship(app, deal, &order).await;
    let total = quantity * UNIT_PRICE_MINOR;
    let (status, refund) = step(
        app,
        &deal.buyer,
        &format!("/api/v1/orders/{order}/refunds"),
        &format!("refund-{order}"),
        json!({"amount_minor": total, "reason": "Half the flasks leak"}),
    )
    .await;
    assert_eq!(status, 201, "{refund}");
    let refund = id(&refund);
    let (status, body) = step(
        app,
        &deal.seller,
        &format!("/api/v1/orders/{order}/refunds/{refund}/answer"),
        &format!("refuse-{refund}"),
        json!({"accept": false, "answer": "They were tested before packing"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, dispute) = step(
        app,
        &deal.buyer,
        &format!("/api/v1/orders/{order}/dispute"),
        &format!("dispute-{order}"),
        json!({"reason": "The seller refused a refund for leaking flasks"}),
    )
    .await;
    assert_eq!(
        (status, dispute["status"].as_str()),
        (201, Some("open")),
        "{dispute}"
    );
    (order, refund, id(&dispute), tracking_number)
}

/// The network's default fee, 2 %, on `total_minor`, rounded half away from zero.
pub fn default_fee(total_minor: i64) -> i64 {
    (total_minor * 200 + 5_000) / 10_000
}
