//! The order pages as people use them: a buyer orders from a product page,
//! the seller confirms, the buyer tops up at the sandbox bank and pays, the
//! seller ships with the sandbox carrier, the parcel is moved on at the
//! sandbox carrier's page until delivered, the buyer confirms receipt and
//! the money lands; a refund refused and a dispute decided on the operator's
//! pages; the operator's terms of trade; refused forms that change nothing;
//! and a company that is no party finding nothing.

use std::time::Duration;

use reqwest::Client;
use web::app_test;
use web::testing::{Actor, TestApp, TestOptions};

use super::{Page, get, post, submit};
use crate::market::{flask_category, published_flask};
use crate::support::count;

/// How long the background round may take to settle an order.
const SETTLE_WITHIN: Duration = Duration::from_secs(10);

/// The first form action in `html` that starts with `prefix` and ends with `suffix`.
fn form_action(html: &str, prefix: &str, suffix: &str) -> Option<String> {
    html.split("action=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|action| action.starts_with(prefix) && action.ends_with(suffix))
        .map(str::to_owned)
}

/// A seller with a published flask (MOQ 100; 12.50 CNY, 11.00 CNY from 500;
/// 5000 in stock) and a buyer; both owners of their companies.
async fn seller_and_buyer(app: &TestApp) -> (Actor, Actor, String) {
    let category = flask_category(app).await;
    let seller = app.sign_up_company("Hengxin Thermos").await;
    let buyer = app.sign_up_company("Vogel Housewares").await;
    let product = published_flask(app, &seller, &category, "HX-500").await;
    (seller, buyer, product)
}

/// Places an order for `quantity` from the product page; answers the order's path.
async fn order_from_product_page(
    app: &TestApp,
    buyer: &Client,
    product: &str,
    quantity: &str,
) -> String {
    let product_page = format!("/products/{product}");
    let placed = submit(
        app,
        buyer,
        &product_page,
        &format!("{product_page}/order"),
        &[
            ("quantity", quantity),
            (
                "delivery_address",
                "Vogel Housewares\nSpeicherstadt 1, Hamburg",
            ),
            ("buyer_note", "Pack 20 to a carton, please."),
            ("terms", ""),
        ],
    )
    .await;
    assert_eq!(placed.status, 303, "placed: {}", placed.html);
    let location = placed.location.expect("to the order");
    let (path, notice) = location.split_once('?').expect("a notice");
    assert!(path.starts_with("/orders/ord_"), "{location}");
    assert_eq!(notice, "notice=placed");
    path.to_owned()
}

/// Posts the form of `order`'s page whose action ends with `suffix`.
async fn step(
    app: &TestApp,
    client: &Client,
    order: &str,
    suffix: &str,
    fields: &[(&str, &str)],
) -> Page {
    let page = get(app, client, order).await;
    let action = form_action(&page.html, order, suffix)
        .unwrap_or_else(|| panic!("no {suffix} form on {order}: {}", page.html));
    submit(app, client, order, &action, fields).await
}

/// Checks a step went through: back to the order with its notice.
#[track_caller]
fn assert_done(page: &Page, order: &str, notice: &str) {
    page.assert_redirect(&format!("{order}?notice={notice}"));
}

/// Tops up the company's CNY wallet through the wallet page and the sandbox bank.
async fn top_up(app: &TestApp, client: &Client, amount: &str) {
    submit(
        app,
        client,
        "/wallet",
        "/wallet/top-ups",
        &[("amount", amount), ("currency", "CNY")],
    )
    .await
    .assert_redirect("/wallet?currency=CNY&notice=top-up-started");
    let bank = get(app, client, "/sandbox-bank").await;
    let confirm = form_action(&bank.html, "/sandbox-bank/operations/", "/confirm")
        .expect("the top-up at the bank");
    submit(app, client, "/sandbox-bank", &confirm, &[])
        .await
        .assert_redirect("/sandbox-bank");
}

/// GETs `path` until it shows `text`, or fails after [`SETTLE_WITHIN`].
async fn eventually_shows(app: &TestApp, client: &Client, path: &str, text: &str) -> Page {
    let deadline = tokio::time::Instant::now() + SETTLE_WITHIN;
    loop {
        let page = get(app, client, path).await;
        if page.html.contains(text) {
            return page;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{path} never showed {text:?}: {}",
            page.html
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

app_test!(
    an_order_goes_from_the_product_page_to_settled,
    |app: TestApp| async move {
        let (seller, buyer, product) = seller_and_buyer(&app).await;

        // The product page offers the order at the MOQ, priced, to the
        // address of the buyer's company; the seller sees no such box.
        let product_page = format!("/products/{product}");
        get(&app, &buyer.client, &product_page).await.assert_shows(
            200,
            &[
                "Order now",
                r#"name="quantity" value="100""#,
                "1250.00 CNY",
                "稠城街道工人北路1088号",
                r#"data-tiers="100:1250,500:1100""#,
            ],
        );
        let own = get(&app, &seller.client, &product_page).await;
        assert!(!own.html.contains("Order now"), "{}", own.html);
        assert!(
            own.html.contains(r#"href="/orders""#)
                && own.html.contains(r#"href="/sandbox-carrier""#),
            "the top bar links the orders and the sandbox carrier: {}",
            own.html
        );
        let visitor = get(&app, &app.client(), &product_page).await;
        visitor.assert_shows(200, &["Sign in to order"]);

        let order = order_from_product_page(&app, &buyer.client, &product, "500").await;
        let placed = format!("{order}?notice=placed");
        get(&app, &buyer.client, &placed).await.assert_shows(
            200,
            &[
                "The order is placed",
                "Waiting for the seller",
                "5500.00 CNY",
                "Hengxin Thermos",
                "Pack 20 to a carton, please.",
                "/cancel\"",
            ],
        );
        let buyer_view = get(&app, &buyer.client, &order).await;
        assert!(
            !buyer_view.html.contains("/confirm\""),
            "the buyer does not confirm"
        );

        // The seller agrees a lower price and adds the shipping fee.
        let confirmed = step(
            &app,
            &seller.client,
            &order,
            "/confirm",
            &[
                ("price_1", "10.00"),
                ("shipping_fee", "120.00"),
                ("note", "Ships in 15 days"),
            ],
        )
        .await;
        assert_done(&confirmed, &order, "confirmed");
        get(&app, &seller.client, &order).await.assert_shows(
            200,
            &[
                "Waiting for payment",
                "5000.00 CNY",
                "120.00 CNY",
                "5120.00 CNY",
                "Hanse fee (2 %)",
                "102.40 CNY",
                "5017.60 CNY",
            ],
        );

        // An empty wallet: the pay form says so and links to the wallet; paying is refused.
        let to_pay = get(&app, &buyer.client, &order).await;
        to_pay.assert_shows(
            200,
            &[
                "0.00 CNY",
                "The wallet holds less than the total",
                "/wallet?currency=CNY",
            ],
        );
        assert!(
            !to_pay.html.contains("Hanse fee"),
            "the fee is the seller's business"
        );
        let refused = step(&app, &buyer.client, &order, "/pay", &[]).await;
        refused.assert_shows(409, &["does not hold enough", "Waiting for payment"]);

        top_up(&app, &buyer.client, "6000.00").await;
        get(&app, &buyer.client, &order)
            .await
            .assert_shows(200, &["6000.00 CNY"]);
        assert_done(
            &step(&app, &buyer.client, &order, "/pay", &[]).await,
            &order,
            "paid",
        );
        get(&app, &buyer.client, &order)
            .await
            .assert_shows(200, &["Paid, waiting for shipment"]);

        // Shipped with the sandbox carrier, in two cartons.
        let ship_form = get(&app, &seller.client, &order).await;
        ship_form.assert_shows(
            200,
            &[r#"<option value="sandbox""#, r#"<option value="other""#],
        );
        let shipped = step(
            &app,
            &seller.client,
            &order,
            "/ship",
            &[
                ("carrier", "sandbox"),
                ("tracking_number", ""),
                ("packages_1", "2"),
            ],
        )
        .await;
        assert_done(&shipped, &order, "shipped");
        let shipped = get(&app, &buyer.client, &order).await;
        shipped.assert_shows(200, &["Shipped", "SBX", "Handed over"]);

        // The parcel moves on at the sandbox carrier's page until delivered.
        let mut steps = 0;
        loop {
            let carrier = get(&app, &buyer.client, "/sandbox-carrier").await;
            assert_eq!(carrier.status, 200, "{}", carrier.html);
            let Some(advance) =
                form_action(&carrier.html, "/sandbox-carrier/parcels/SBX", "/advance")
            else {
                carrier.assert_shows(200, &["Delivered"]);
                break;
            };
            submit(&app, &buyer.client, "/sandbox-carrier", &advance, &[])
                .await
                .assert_redirect("/sandbox-carrier");
            steps += 1;
            assert!(steps <= 5, "a domestic parcel has four steps");
        }
        assert_eq!(steps, 4, "picked up, departed, out for delivery, delivered");
        get(&app, &buyer.client, &order).await.assert_shows(
            200,
            &[
                "Delivered",
                "Carrier: Picked up",
                "Out for delivery",
                "/receipt\"",
            ],
        );

        assert_done(
            &step(&app, &buyer.client, &order, "/receipt", &[]).await,
            &order,
            "received",
        );
        eventually_shows(&app, &buyer.client, &order, "Settled").await;
        get(&app, &seller.client, &order)
            .await
            .assert_shows(200, &["Settled", "Escrow released to the seller"]);

        // The money: the buyer keeps what it did not pay, the seller has the
        // total less the fee.
        get(&app, &buyer.client, "/wallet?currency=CNY")
            .await
            .assert_shows(200, &["<strong>880.00 CNY</strong>"]);
        get(&app, &seller.client, "/wallet?currency=CNY")
            .await
            .assert_shows(200, &["<strong>5017.60 CNY</strong>"]);

        // Both lists show it, each naming the other side.
        get(&app, &buyer.client, "/orders").await.assert_shows(
            200,
            &["Purchases", "Hengxin Thermos", "5120.00 CNY", "Settled"],
        );
        get(&app, &seller.client, "/orders?side=seller")
            .await
            .assert_shows(
                200,
                &["Sales", "Vogel Housewares", "5120.00 CNY", "Settled"],
            );
        let filtered = get(&app, &seller.client, "/orders?side=seller&state=placed").await;
        filtered.assert_shows(200, &["No orders here yet."]);
        let bad = get(&app, &seller.client, "/orders?state=lost").await;
        assert_eq!(bad.status, 400, "{}", bad.html);
    }
);

app_test!(
    a_refused_refund_goes_to_the_operator_who_decides,
    |app: TestApp| async move {
        let (seller, buyer, product) = seller_and_buyer(&app).await;
        let order = order_from_product_page(&app, &buyer.client, &product, "100").await;
        assert_done(
            &step(&app, &seller.client, &order, "/confirm", &[]).await,
            &order,
            "confirmed",
        );
        top_up(&app, &buyer.client, "2000.00").await;
        assert_done(
            &step(&app, &buyer.client, &order, "/pay", &[]).await,
            &order,
            "paid",
        );
        // Another carrier: the seller types the tracking number.
        let no_number = step(
            &app,
            &seller.client,
            &order,
            "/ship",
            &[("carrier", "other")],
        )
        .await;
        no_number.assert_shows(422, &["Tracking number: this field is required"]);
        assert_done(
            &step(
                &app,
                &seller.client,
                &order,
                "/ship",
                &[("carrier", "other"), ("tracking_number", "SF1234567890")],
            )
            .await,
            &order,
            "shipped",
        );

        // Part of the money back, refused by the seller.
        assert_done(
            &step(
                &app,
                &buyer.client,
                &order,
                "/refunds",
                &[("amount", "300.00"), ("reason", "24 flasks arrived dented")],
            )
            .await,
            &order,
            "refund-requested",
        );
        get(&app, &seller.client, &order)
            .await
            .assert_shows(200, &["24 flasks arrived dented", "Waiting for the seller"]);
        let no_reason = step(
            &app,
            &seller.client,
            &order,
            "/answer",
            &[("decision", "refuse"), ("answer", "")],
        )
        .await;
        no_reason.assert_shows(422, &["Answer: this field is required"]);
        assert_done(
            &step(
                &app,
                &seller.client,
                &order,
                "/answer",
                &[
                    ("decision", "refuse"),
                    ("answer", "The photos show no dent"),
                ],
            )
            .await,
            &order,
            "refund-answered",
        );
        get(&app, &buyer.client, &order)
            .await
            .assert_shows(200, &["Refused", "The photos show no dent", "/dispute\""]);
        assert_done(
            &step(
                &app,
                &buyer.client,
                &order,
                "/dispute",
                &[("reason", "The dents are on the photos we sent in chat")],
            )
            .await,
            &order,
            "dispute-opened",
        );

        // The operator's queue and the whole record.
        let operator = app.sign_in_operator().await;
        get(&app, &operator, "/operator")
            .await
            .assert_shows(200, &["/operator/disputes", "/operator/trade"]);
        let queue = get(&app, &operator, "/operator/disputes").await;
        queue.assert_shows(
            200,
            &[
                "Vogel Housewares",
                "Hengxin Thermos",
                "The dents are on the photos",
            ],
        );
        let dispute = queue
            .html
            .split("href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .find(|href| href.starts_with("/operator/disputes/dsp_"))
            .expect("the dispute in the queue")
            .to_owned();
        get(&app, &operator, &dispute).await.assert_shows(
            200,
            &[
                "1250.00 CNY",
                "SF1234567890",
                "24 flasks arrived dented",
                "The photos show no dent",
                "Refund refused",
                "Hanse fee (2 %)",
            ],
        );
        let decide = format!("{dispute}/decide");
        let too_much = submit(
            &app,
            &operator,
            &dispute,
            &decide,
            &[("to_buyer", "5000.00"), ("decision", "All of it")],
        )
        .await;
        too_much.assert_shows(422, &["Back to the buyer: more than was paid"]);
        submit(
            &app,
            &operator,
            &dispute,
            &decide,
            &[
                ("to_buyer", "300.00"),
                ("decision", "The photos show the dents"),
            ],
        )
        .await
        .assert_redirect(&format!("{dispute}?notice=decided"));
        let decided = get(&app, &operator, &dispute).await;
        decided.assert_shows(200, &["decided", "300.00 CNY", "950.00 CNY", "Settled"]);
        assert!(!decided.html.contains("/decide\""), "decided once");
        get(&app, &operator, "/operator/disputes")
            .await
            .assert_shows(200, &["No open disputes.", "300.00 CNY"]);

        // The buyer has 300.00 back; the seller the rest less its fee
        // (2 % of 950.00).
        get(&app, &buyer.client, "/wallet?currency=CNY")
            .await
            .assert_shows(200, &["<strong>1050.00 CNY</strong>"]);
        get(&app, &seller.client, "/wallet?currency=CNY")
            .await
            .assert_shows(200, &["<strong>931.00 CNY</strong>"]);
        get(&app, &buyer.client, &order).await.assert_shows(
            200,
            &["Settled", "Dispute decided", "The photos show the dents"],
        );

        // Members find no operator page.
        for path in ["/operator/disputes", &dispute, "/operator/trade"] {
            assert_eq!(get(&app, &buyer.client, path).await.status, 404, "{path}");
        }
    }
);

app_test!(
    the_operator_sets_the_terms_of_trade,
    |app: TestApp| async move {
        let (seller, buyer, product) = seller_and_buyer(&app).await;
        let operator = app.sign_in_operator().await;
        let page = "/operator/trade";
        get(&app, &operator, page).await.assert_shows(
            200,
            &["Terms of trade", "2 %", "Housewares", r#"value="200""#],
        );

        let bad = submit(
            &app,
            &operator,
            page,
            "/operator/trade/policy",
            &[
                ("fee_default_bp", "5000"),
                ("auto_confirm_after_days", "10"),
                ("unpaid_cancel_after_hours", "72"),
                ("refund_answer_within_days", "3"),
            ],
        )
        .await;
        bad.assert_shows(
            422,
            &["Network fee (basis points): out of the allowed range"],
        );
        submit(
            &app,
            &operator,
            page,
            "/operator/trade/policy",
            &[
                ("fee_default_bp", "250"),
                ("auto_confirm_after_days", "7"),
                ("unpaid_cancel_after_hours", "48"),
                ("refund_answer_within_days", "5"),
            ],
        )
        .await
        .assert_redirect("/operator/trade?notice=policy-saved");
        get(&app, &operator, page)
            .await
            .assert_shows(200, &["2.5 %", r#"value="48""#]);

        // Housewares gets a fee of its own; an order placed now carries it.
        let settings = get(&app, &operator, page).await;
        let category_form = form_action(&settings.html, "/operator/trade/categories/", "")
            .expect("a top category's form");
        submit(&app, &operator, page, &category_form, &[("fee_bp", "125")])
            .await
            .assert_redirect("/operator/trade?notice=fee-saved");
        get(&app, &operator, page)
            .await
            .assert_shows(200, &["1.25 %"]);
        let order = order_from_product_page(&app, &buyer.client, &product, "100").await;
        get(&app, &seller.client, &order)
            .await
            .assert_shows(200, &["Hanse fee (1.25 %)", "15.63 CNY"]);

        assert_eq!(get(&app, &seller.client, page).await.status, 404);
    }
);

app_test!(refused_forms_change_nothing, |app: TestApp| async move {
    let (seller, buyer, product) = seller_and_buyer(&app).await;
    let product_page = format!("/products/{product}");
    let order_action = format!("{product_page}/order");
    let below_moq = submit(
        &app,
        &buyer.client,
        &product_page,
        &order_action,
        &[
            ("quantity", "50"),
            ("delivery_address", "Speicherstadt 1, Hamburg"),
            ("terms", ""),
        ],
    )
    .await;
    below_moq.assert_shows(
        422,
        &[
            "Quantity: below the minimum order quantity",
            r#"name="quantity" value="50""#,
            "Speicherstadt 1, Hamburg",
            "5000 piece",
        ],
    );
    let too_many = submit(
        &app,
        &buyer.client,
        &product_page,
        &order_action,
        &[("quantity", "9000"), ("delivery_address", "Hamburg")],
    )
    .await;
    too_many.assert_shows(409, &["Only 5000 available."]);
    let no_address = submit(
        &app,
        &buyer.client,
        &product_page,
        &order_action,
        &[("quantity", "100"), ("delivery_address", " ")],
    )
    .await;
    no_address.assert_shows(422, &["Delivery address: this field is required"]);
    assert_eq!(count(&app, "trade_order").await, 0, "no order was placed");
    get(&app, &buyer.client, &product_page)
        .await
        .assert_shows(200, &["5000 piece"]);

    // A refused step on the order page: the page again, the order as it was.
    let order = order_from_product_page(&app, &buyer.client, &product, "100").await;
    let bad_price = step(
        &app,
        &seller.client,
        &order,
        "/confirm",
        &[("price_1", "ten"), ("shipping_fee", "0")],
    )
    .await;
    bad_price.assert_shows(
        422,
        &[
            "Agreed unit price: write the amount like 500.00",
            r#"value="ten""#,
            "Waiting for the seller",
        ],
    );
    // A second tab's stale form: the order was cancelled in between.
    let stale = get(&app, &seller.client, &order).await;
    assert_done(
        &step(
            &app,
            &buyer.client,
            &order,
            "/cancel",
            &[("reason", "Ordered twice")],
        )
        .await,
        &order,
        "cancelled",
    );
    let confirm = form_action(&stale.html, &order, "/confirm").expect("confirm form");
    let late = submit(&app, &seller.client, &order, &confirm, &[]).await;
    late.assert_shows(409, &["The order is closed.", "Cancelled"]);
    get(&app, &buyer.client, &product_page)
        .await
        .assert_shows(200, &["5000 piece"]);

    // The same pages in Chinese, once the buyer chooses it.
    let token = get(&app, &buyer.client, "/orders").await.csrf();
    post(
        &app,
        &buyer.client,
        "/language",
        &[("csrf_token", token.as_str()), ("language", "zh-CN")],
    )
    .await
    .assert_redirect("/");
    get(&app, &buyer.client, &order)
        .await
        .assert_shows(200, &["已取消", "订单记录", "卖方"]);
    get(&app, &buyer.client, &product_page)
        .await
        .assert_shows(200, &["立即订购", "收货地址", "提交订单"]);
    get(&app, &buyer.client, "/orders")
        .await
        .assert_shows(200, &["采购订单", "销售订单", "已取消"]);
});

app_test!(
    a_company_that_is_no_party_finds_nothing,
    |app: TestApp| async move {
        let (seller, buyer, product) = seller_and_buyer(&app).await;
        let order = order_from_product_page(&app, &buyer.client, &product, "100").await;
        assert_done(
            &step(&app, &seller.client, &order, "/confirm", &[]).await,
            &order,
            "confirmed",
        );
        top_up(&app, &buyer.client, "2000.00").await;
        assert_done(
            &step(&app, &buyer.client, &order, "/pay", &[]).await,
            &order,
            "paid",
        );
        assert_done(
            &step(
                &app,
                &seller.client,
                &order,
                "/ship",
                &[("carrier", "sandbox")],
            )
            .await,
            &order,
            "shipped",
        );

        let stranger = app.sign_up_company("Huaqiang Xunda").await;
        let page = get(&app, &stranger.client, &order).await;
        assert_eq!(page.status, 404, "{}", page.html);
        assert!(!page.html.contains("Hengxin"), "{}", page.html);
        // Its own forms' token, posted at the order: still nothing there.
        let refund = submit(
            &app,
            &stranger.client,
            "/orders",
            &format!("{order}/refunds"),
            &[("amount", "10.00"), ("reason", "mine")],
        )
        .await;
        assert_eq!(refund.status, 404, "{}", refund.html);
        let lists = get(&app, &stranger.client, "/orders").await;
        lists.assert_shows(200, &["No orders here yet."]);

        // The parcel is not the stranger's to see or move.
        let carrier = get(&app, &seller.client, "/sandbox-carrier").await;
        let advance = form_action(&carrier.html, "/sandbox-carrier/parcels/SBX", "/advance")
            .expect("the seller's parcel");
        let theirs = get(&app, &stranger.client, "/sandbox-carrier").await;
        theirs.assert_shows(200, &["No parcels yet."]);
        let moved = submit(&app, &stranger.client, "/sandbox-carrier", &advance, &[]).await;
        assert_eq!(moved.status, 404, "{}", moved.html);
        get(&app, &buyer.client, &order)
            .await
            .assert_shows(200, &["Paid", "Shipped"]);
        let parcel = get(&app, &seller.client, "/sandbox-carrier").await;
        parcel.assert_shows(200, &["Handed over", "Picked up"]);
        // The operator sees every parcel and may move any on.
        let operator = app.sign_in_operator().await;
        let all = get(&app, &operator, "/sandbox-carrier").await;
        assert!(all.html.contains(&advance), "{}", all.html);
        submit(&app, &operator, "/sandbox-carrier", &advance, &[])
            .await
            .assert_redirect("/sandbox-carrier");
        get(&app, &buyer.client, &order)
            .await
            .assert_shows(200, &["Carrier: Picked up"]);
    }
);

app_test!(
    no_sandbox_no_sandbox_carrier,
    TestOptions {
        sandbox: false,
        ..TestOptions::default()
    },
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let page = get(&app, &owner.client, "/sandbox-carrier").await;
        assert_eq!(page.status, 404);
        let orders = get(&app, &owner.client, "/orders").await;
        orders.assert_shows(200, &["Purchases"]);
        assert!(!orders.html.contains("/sandbox-carrier"), "{}", orders.html);
    }
);
