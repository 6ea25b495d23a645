//! The supply chain over HTTP: a seller links its product to an item and
//! receives stock, the market shows the item's stock, an order reserves it
//! and the shipment moves it; the buyer's purchase order appears; every
//! refusal carries its code and field and writes nothing; and who may keep
//! stock.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use web::app_test;
use web::testing::{Actor, TestApp};

use crate::orders_support::{deal, paid, ship, top_up};
use crate::support::{call, check_problem, count};

/// Company B's supply chain for the tenancy walk: ids of each kind.
pub struct SupplyChain {
    pub item: String,
    pub location: String,
    pub supplier: String,
    pub purchase_order: String,
    pub count: String,
}

pub(crate) async fn created(app: &TestApp, actor: &Actor, path: &str, body: Value) -> Value {
    let (status, answer) = call(app, &actor.client, Method::POST, path, Some(body)).await;
    assert_eq!(status, 201, "{path}: {answer}");
    answer
}

pub(crate) fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn settings(app: &TestApp, actor: &Actor) -> Value {
    let (status, body) = call(
        app,
        &actor.client,
        Method::GET,
        "/api/v1/scm/settings",
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

pub(crate) fn item_body(sku: &str) -> Value {
    json!({"sku": sku, "name": "真空保温杯 Vacuum flask", "unit": "piece", "cost_currency": "CNY",
           "units": [{"unit": "carton", "factor": 24}]})
}

/// An item, a zone, a supplier off the network with a draft purchase order,
/// and `product` linked to the item.
pub async fn supply_chain_of(app: &TestApp, owner: &Actor, product: &str) -> SupplyChain {
    let warehouse = settings(app, owner).await["default_warehouse_id"].clone();
    let item = created(app, owner, "/api/v1/scm/items", item_body("B-ITEM")).await;
    let zone = created(
        app,
        owner,
        "/api/v1/scm/locations",
        json!({"kind": "zone", "parent_id": warehouse, "code": "Z-B", "name": "Zone B"}),
    )
    .await;
    let supplier = created(
        app,
        owner,
        "/api/v1/scm/suppliers",
        json!({"name": "Ningbo Haitian"}),
    )
    .await;
    let purchase = created(
        app,
        owner,
        "/api/v1/scm/purchase-orders",
        json!({"supplier_id": supplier["id"], "currency": "CNY",
               "lines": [{"item_id": item["id"], "quantity": 5, "unit_price_minor": 900}]}),
    )
    .await;
    created(
        app,
        owner,
        "/api/v1/scm/product-links",
        json!({"product_id": product, "item_id": item["id"]}),
    )
    .await;
    let (status, price) = call(
        app,
        &owner.client,
        Method::PUT,
        &format!(
            "/api/v1/scm/suppliers/{}/prices/{}",
            id(&supplier),
            id(&item)
        ),
        Some(json!({"unit_price_minor": 900, "currency": "CNY", "lead_time_days": 7})),
    )
    .await;
    assert_eq!(status, 200, "{price}");
    let count = created(
        app,
        owner,
        "/api/v1/scm/counts",
        json!({"location_id": warehouse, "note": "year end"}),
    )
    .await;
    SupplyChain {
        item: id(&item),
        location: id(&zone),
        supplier: id(&supplier),
        purchase_order: id(&purchase),
        count: id(&count),
    }
}

async fn shown_quantity(app: &TestApp, actor: &Actor, product: &str) -> i64 {
    let (status, body) = call(
        app,
        &actor.client,
        Method::GET,
        &format!("/api/v1/catalog/products/{product}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["available_quantity"].as_i64().unwrap()
}

async fn level(app: &TestApp, actor: &Actor, item: &str) -> (i64, i64) {
    let (status, body) = call(
        app,
        &actor.client,
        Method::GET,
        &format!("/api/v1/scm/levels?item_id={item}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let line = &body["items"][0];
    (
        line["on_hand"].as_i64().unwrap(),
        line["reserved"].as_i64().unwrap(),
    )
}

app_test!(
    a_linked_product_sells_from_the_item_and_the_buyer_gets_a_purchase_order,
    |app: TestApp| async move {
        let deal = deal(&app).await;
        let seller = &deal.seller;
        let places = settings(&app, seller).await;
        let item = created(&app, seller, "/api/v1/scm/items", item_body("HX-500")).await;
        created(
            &app,
            seller,
            "/api/v1/scm/product-links",
            json!({"product_id": deal.product, "item_id": item["id"]}),
        )
        .await;
        assert_eq!(shown_quantity(&app, seller, &deal.product).await, 0);
        let (_, product) = call(
            &app,
            &seller.client,
            Method::GET,
            &format!("/api/v1/catalog/products/{}", deal.product),
            None,
        )
        .await;
        assert_eq!(product["stock_linked"], true, "{product}");
        let editor = crate::support::page_text(
            &app,
            &seller.client,
            &format!("/catalog/{}/edit", deal.product),
        )
        .await;
        assert!(
            editor.contains("available_quantity_note"),
            "the editor says the stock is the item's"
        );
        // 50 cartons of 24 received at ¥240 a carton.
        let moved = created(
        &app,
        seller,
        "/api/v1/scm/moves",
        json!({"item_id": item["id"], "quantity": 50, "unit": "carton", "reason": "receipt",
               "from_location_id": places["supplier_location_id"], "to_location_id": places["default_warehouse_id"],
               "unit_cost_minor": 24_000}),
    )
    .await;
        assert_eq!(
            (moved["quantity"].as_i64(), moved["value_minor"].as_i64()),
            (Some(1_200), Some(1_200_000))
        );
        assert_eq!(shown_quantity(&app, seller, &deal.product).await, 1_200);

        top_up(&app, &deal.buyer, 10_000_000).await;
        let order = paid(&app, &deal, 300, 0).await;
        let item_id = id(&item);
        assert_eq!(level(&app, seller, &item_id).await, (1_200, 300));
        assert_eq!(shown_quantity(&app, seller, &deal.product).await, 900);
        ship(&app, &deal, &order).await;
        // The shipment move follows from the outbox.
        let mut last = (0, 0);
        for _ in 0..200 {
            last = level(&app, seller, &item_id).await;
            if last == (900, 0) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(last, (900, 0), "the shipment left the warehouse");
        let (_, valuation) = call(
            &app,
            &seller.client,
            Method::GET,
            "/api/v1/scm/valuation",
            None,
        )
        .await;
        assert_eq!(valuation["items"][0]["value_minor"], 900_000);

        // The buyer's purchase order mirrors the market order.
        let mut purchases = Value::Null;
        for _ in 0..200 {
            purchases = call(
                &app,
                &deal.buyer.client,
                Method::GET,
                "/api/v1/scm/purchase-orders",
                None,
            )
            .await
            .1;
            if purchases["items"]
                .as_array()
                .is_some_and(|items| !items.is_empty())
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(purchases["items"][0]["market_order_id"], order.as_str());
        assert_eq!(purchases["items"][0]["state"], "ordered");
        assert_eq!(purchases["items"][0]["lines"][0]["quantity"], 300);
    }
);

app_test!(
    refusals_carry_their_code_and_field_and_write_nothing,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let other = app.sign_up_company("Vogel Haushalt").await;
        let places = settings(&app, &owner).await;
        let theirs = settings(&app, &other).await;
        let item = created(&app, &owner, "/api/v1/scm/items", item_body("CUP")).await;
        created(
        &app,
        &owner,
        "/api/v1/scm/moves",
        json!({"item_id": item["id"], "quantity": 10, "reason": "receipt", "unit_cost_minor": 100,
               "from_location_id": places["supplier_location_id"], "to_location_id": places["default_warehouse_id"]}),
    )
    .await;
        let moves_before = count(&app, "scm_move").await;
        let a_move = |extra: Value| {
            let mut body = json!({"item_id": item["id"], "quantity": 1, "reason": "adjustment",
            "from_location_id": places["default_warehouse_id"], "to_location_id": places["loss_location_id"]});
            body.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            body
        };
        let post = |body: Value| {
            let client = owner.client.clone();
            let url = app.url("/api/v1/scm/moves");
            async move { crate::support::read(client.post(url).json(&body).send().await.unwrap()).await }
        };
        check_problem(
            &post(a_move(json!({"quantity": 11}))).await,
            409,
            "insufficient_stock",
            Some("quantity"),
        );
        check_problem(
            &post(a_move(json!({"quantity": 0}))).await,
            422,
            "invalid_field",
            Some("quantity"),
        );
        check_problem(
            &post(a_move(json!({"unit": "pallet"}))).await,
            422,
            "invalid_field",
            Some("unit"),
        );
        check_problem(
            &post(a_move(
                json!({"to_location_id": theirs["loss_location_id"]}),
            ))
            .await,
            422,
            "invalid_field",
            Some("to_location_id"),
        );
        check_problem(
            &post(a_move(json!({"reason": "transfer"}))).await,
            422,
            "invalid_field",
            Some("reason"),
        );
        assert_eq!(count(&app, "scm_move").await, moves_before);

        let refused = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/scm/items",
            Some(item_body("CUP")),
        )
        .await;
        check_problem(&refused, 422, "invalid_field", Some("sku"));
        assert_eq!(refused.1["reason"], "taken");

        // A viewer reads stock but keeps none.
        let viewer = app
            .add_staff(&owner, "viewer@hengxin.example", "viewer")
            .await;
        let (status, _) = call(&app, &viewer.client, Method::GET, "/api/v1/scm/items", None).await;
        assert_eq!(status, 200);
        let refused = call(
            &app,
            &viewer.client,
            Method::POST,
            "/api/v1/scm/items",
            Some(item_body("MUG")),
        )
        .await;
        check_problem(&refused, 403, "forbidden", None);
    }
);

/// POSTs a page form; answers the status, the redirect and the page text.
pub(crate) async fn submit(
    app: &TestApp,
    actor: &Actor,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String, String) {
    let response = actor
        .client
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, response.text().await.unwrap())
}

app_test!(
    the_stock_pages_add_an_item_move_it_and_show_a_refusal,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let csrf = crate::pages::csrf_of(&app, &owner.client, "/stock").await;
        let (status, location, _) = submit(
            &app,
            &owner,
            "/stock/items",
            &[
                ("csrf_token", &csrf),
                ("sku", "HX-500"),
                ("name", "真空保温杯"),
                ("unit", "piece"),
                ("cost_currency", "CNY"),
                ("other_unit", "carton"),
                ("other_factor", "24"),
                ("reorder_point", ""),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let item_page = location.split('?').next().unwrap().to_owned();
        assert!(item_page.starts_with("/stock/items/itm_"), "{location}");
        let item = item_page.trim_start_matches("/stock/items/").to_owned();
        let places = settings(&app, &owner).await;
        let supplier = places["supplier_location_id"].as_str().unwrap();
        let warehouse = places["default_warehouse_id"].as_str().unwrap();
        let loss = places["loss_location_id"].as_str().unwrap();
        let (status, _, _) = submit(
            &app,
            &owner,
            "/stock/moves",
            &[
                ("csrf_token", &csrf),
                ("item_id", &item),
                ("reason", "receipt"),
                ("from_location_id", supplier),
                ("to_location_id", warehouse),
                ("quantity", "2"),
                ("unit", "carton"),
                ("unit_cost", "240.00"),
                ("lot", ""),
                ("note", "first lot"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let page = crate::support::page_text(&app, &owner.client, &item_page).await;
        assert!(page.contains("48 piece"), "on hand in the base unit");
        assert!(page.contains("480.00 CNY"), "valued at the receipt's price");
        // More than is on hand: the page again, with the refusal and 409.
        let (status, _, page) = submit(
            &app,
            &owner,
            "/stock/moves",
            &[
                ("csrf_token", &csrf),
                ("item_id", &item),
                ("reason", "adjustment"),
                ("from_location_id", warehouse),
                ("to_location_id", loss),
                ("quantity", "49"),
                ("unit", ""),
                ("unit_cost", ""),
                ("lot", ""),
                ("note", ""),
            ],
        )
        .await;
        assert_eq!(status, 409);
        assert!(page.contains("class=\"error\""), "{page}");
        assert_eq!(count(&app, "scm_move").await, 1);
        for path in [
            "/stock",
            "/stock/locations",
            "/stock/purchases",
            "/stock/valuation",
        ] {
            let (status, _) = (
                owner
                    .client
                    .get(app.url(path))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16(),
                (),
            );
            assert_eq!(status, 200, "{path}");
        }
        let valuation = crate::support::page_text(&app, &owner.client, "/stock/valuation").await;
        assert!(valuation.contains("480.00 CNY"));
    }
);
