//! Every refused step of an order over HTTP, with its code, and nothing
//! changed: not the stock, not the wallets, not the order.

use reqwest::Method;
use serde_json::{Value, json};
use web::app_test;
use web::testing::TestApp;

use crate::orders_support::*;
use crate::support::{call, check_problem, count, read};

app_test!(
    refused_steps_give_their_code_and_change_nothing,
    |app: TestApp| async move {
        let deal = deal(&app).await;
        let orders = count(&app, "trade_order").await;
        let new_order = |quantity: i64| json!({"lines": [{"product_id": deal.product, "quantity": quantity}], "delivery_address": "Hamburg"});
        let below_moq = call(
            &app,
            &deal.buyer.client,
            Method::POST,
            "/api/v1/orders",
            Some(new_order(MOQ - 1)),
        )
        .await;
        check_problem(&below_moq, 422, "invalid_field", Some("lines[0].quantity"));
        assert_eq!(below_moq.1["reason"], "below_moq");
        let too_many = call(
            &app,
            &deal.buyer.client,
            Method::POST,
            "/api/v1/orders",
            Some(new_order(STOCK + 1)),
        )
        .await;
        check_problem(
            &too_many,
            409,
            "insufficient_stock",
            Some("lines[0].quantity"),
        );
        let own = call(
            &app,
            &deal.seller.client,
            Method::POST,
            "/api/v1/orders",
            Some(new_order(MOQ)),
        )
        .await;
        check_problem(&own, 422, "invalid_field", None);
        assert_eq!(own.1["reason"], "own_product");
        assert_eq!(count(&app, "trade_order").await, orders, "nothing placed");
        assert_eq!(stock(&app, &deal).await, STOCK, "nothing reserved");

        // Shipping and paying too early.
        let order = confirmed(&app, &deal, MOQ, 0).await;
        let unpaid = step(
            &app,
            &deal.seller,
            &format!("/api/v1/orders/{order}/ship"),
            "ship-unpaid",
            json!({"carrier": "sandbox"}),
        )
        .await;
        check_problem(&unpaid, 409, "invalid_transition", None);
        assert_eq!(unpaid.1["reason"], "not_paid");
        assert_eq!(
            count(&app, "trade_sandbox_parcel").await,
            0,
            "no parcel booked"
        );
        let pay = format!("/api/v1/orders/{order}/pay");
        let broke = step(&app, &deal.buyer, &pay, "pay-broke", Value::Null).await;
        check_problem(&broke, 409, "insufficient_funds", None);
        assert_eq!(
            detail(&app, &deal.buyer, &order).await["order"]["state"],
            "confirmed"
        );
        let keyless = call(&app, &deal.buyer.client, Method::POST, &pay, None).await;
        check_problem(&keyless, 400, "idempotency_key_required", None);

        // Paying twice: the same key is answered once, another key is refused.
        top_up(&app, &deal.buyer, 10_000).await;
        top_up(&app, &deal.buyer, 200_000).await;
        let total = MOQ * UNIT_PRICE_MINOR;
        let first = deal
            .buyer
            .client
            .post(app.url(&pay))
            .header("Idempotency-Key", "pay-1")
            .send()
            .await
            .unwrap();
        let first = read(first).await;
        assert_eq!(first.0, 200, "{}", first.1);
        let retry = deal
            .buyer
            .client
            .post(app.url(&pay))
            .header("Idempotency-Key", "pay-1")
            .send()
            .await
            .unwrap();
        assert_eq!(retry.headers()["idempotent-replayed"], "true");
        assert_eq!(read(retry).await, first);
        let second = step(&app, &deal.buyer, &pay, "pay-2", Value::Null).await;
        check_problem(&second, 409, "invalid_transition", None);
        assert_eq!(second.1["reason"], "already_paid");
        assert_eq!(
            wallet(&app, &deal.buyer).await,
            (210_000 - total, total),
            "paid once"
        );

        // The wrong side, the wrong amount, the wrong company.
        let receipt = step(
            &app,
            &deal.seller,
            &format!("/api/v1/orders/{order}/confirm-receipt"),
            "seller-receipt",
            Value::Null,
        )
        .await;
        check_problem(&receipt, 409, "invalid_transition", None);
        assert_eq!(receipt.1["reason"], "buyer_only");
        let refund = step(
            &app,
            &deal.buyer,
            &format!("/api/v1/orders/{order}/refunds"),
            "refund-too-much",
            json!({"amount_minor": total + 1, "reason": "all and more"}),
        )
        .await;
        check_problem(&refund, 422, "invalid_field", Some("amount_minor"));
        assert_eq!(refund.1["reason"], "exceeds_paid");
        assert_eq!(count(&app, "trade_refund").await, 0);
        let third = app.sign_up_company("Gamma Imports").await;
        for (path, body) in [
            (
                format!("/api/v1/orders/{order}/cancel"),
                json!({"reason": "mine now"}),
            ),
            (
                format!("/api/v1/orders/{order}/refunds"),
                json!({"amount_minor": 1, "reason": "mine"}),
            ),
            (
                format!("/api/v1/orders/{order}/confirm-receipt"),
                Value::Null,
            ),
        ] {
            let answer = step(&app, &third, &path, &format!("third-{path}"), body).await;
            check_problem(&answer, 404, "not_found", None);
        }
        let (status, _) = call(
            &app,
            &third.client,
            Method::GET,
            &format!("/api/v1/orders/{order}"),
            None,
        )
        .await;
        assert_eq!(status, 404);
        let after = detail(&app, &deal.buyer, &order).await;
        assert_eq!(after["order"]["state"], "paid");
        assert_eq!(after["refunds"], json!([]));
        assert_eq!(
            wallet(&app, &deal.buyer).await,
            (210_000 - total, total),
            "nothing moved"
        );

        // A viewer sees the order and may take no step; a read-only key neither.
        let viewer = app
            .add_staff(&deal.buyer, "viewer@vogel.test", "viewer")
            .await;
        assert_eq!(
            actions(&detail(&app, &viewer, &order).await),
            Vec::<&str>::new()
        );
        let cancel = step(
            &app,
            &viewer,
            &format!("/api/v1/orders/{order}/refunds"),
            "viewer-refund",
            json!({"amount_minor": total, "reason": "no"}),
        )
        .await;
        check_problem(&cancel, 403, "forbidden", None);
        let (status, key) = call(
            &app,
            &deal.buyer.client,
            Method::POST,
            "/api/v1/company/api-keys",
            Some(json!({"name": "ERP", "role": "purchasing", "scopes": ["orders:read"]})),
        )
        .await;
        assert_eq!(status, 201, "{key}");
        let secret = key["secret"].as_str().unwrap();
        let reader = reqwest::Client::new();
        let read_detail = reader
            .get(app.url(&format!("/api/v1/orders/{order}")))
            .bearer_auth(secret)
            .send()
            .await
            .unwrap();
        let (status, body) = read(read_detail).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            actions(&body),
            Vec::<&str>::new(),
            "a reading key takes no step"
        );
        let write = reader
            .post(app.url(&format!("/api/v1/orders/{order}/refunds")))
            .bearer_auth(secret)
            .json(&json!({"amount_minor": total, "reason": "no"}))
            .send()
            .await
            .unwrap();
        check_problem(&read(write).await, 403, "forbidden", None);
    }
);
