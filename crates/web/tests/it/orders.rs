//! Orders over HTTP, on both engines: the whole journey from placing to
//! settlement with both wallets checked to the cent, a refund with a return,
//! a dispute the operator decides, the carrier's webhooks, the sandbox
//! carrier, the lists, the operator's terms, and every refused step with its
//! code and nothing changed.

use reqwest::Method;
use serde_json::{Value, json};
use web::app_test;
use web::testing::{TestApp, TestOptions};

use crate::orders_support::*;
use crate::support::{call, check_problem, count, read};

/// The network's default fee, 2 %, on `total_minor`, rounded half away from zero.
fn default_fee(total_minor: i64) -> i64 {
    (total_minor * 200 + 5_000) / 10_000
}

app_test!(
    an_order_travels_from_placed_to_settled_and_both_wallets_agree_to_the_cent,
    |app: TestApp| async move {
        let deal = deal(&app).await;
        top_up(&app, &deal.buyer, 300_000).await;

        let order = place(&app, &deal, 200).await;
        assert_eq!(order["state"], "placed");
        assert_eq!(order["goods_total_minor"], 200 * UNIT_PRICE_MINOR);
        assert_eq!(order["fee_bp"], 200, "the network's default fee");
        assert_eq!(stock(&app, &deal).await, STOCK - 200, "reserved");
        let order = id(&order);
        let seller_view = detail(&app, &deal.seller, &order).await;
        assert_eq!(actions(&seller_view), ["confirm", "decline", "cancel"]);
        assert_eq!(
            actions(&detail(&app, &deal.buyer, &order).await),
            ["cancel"]
        );

        let (status, confirmed) = step(
            &app,
            &deal.seller,
            &format!("/api/v1/orders/{order}/confirm"),
            "confirm",
            json!({"shipping_fee_minor": 5_000, "note": "Ships in two cartons"}),
        )
        .await;
        assert_eq!(status, 200, "{confirmed}");
        let total = 200 * UNIT_PRICE_MINOR + 5_000;
        assert_eq!(confirmed["total_minor"], total);
        let fee = default_fee(total);
        assert_eq!(confirmed["fee_minor"], fee);
        assert_eq!(
            actions(&detail(&app, &deal.buyer, &order).await),
            ["cancel", "pay"]
        );

        let (status, paid) = step(
            &app,
            &deal.buyer,
            &format!("/api/v1/orders/{order}/pay"),
            "pay",
            Value::Null,
        )
        .await;
        assert_eq!(
            (status, paid["state"].as_str()),
            (200, Some("paid")),
            "{paid}"
        );
        assert_eq!(
            wallet(&app, &deal.buyer).await,
            (300_000 - total, total),
            "held"
        );

        let tracking_number = ship(&app, &deal, &order).await;
        assert!(
            trade::carrier::is_tracking_number(&tracking_number),
            "{tracking_number}"
        );
        // Both sides see the parcel at the sandbox carrier, a third company does not.
        for actor in [&deal.seller, &deal.buyer] {
            let (status, parcels) = call(
                &app,
                &actor.client,
                Method::GET,
                "/api/v1/sandbox-carrier/parcels",
                None,
            )
            .await;
            assert_eq!(status, 200, "{parcels}");
            assert_eq!(parcels[0]["tracking_number"], tracking_number.as_str());
            assert_eq!(parcels[0]["status"], "created");
        }
        let third = app.sign_up_company("Gamma Imports").await;
        let (_, parcels) = call(
            &app,
            &third.client,
            Method::GET,
            "/api/v1/sandbox-carrier/parcels",
            None,
        )
        .await;
        assert_eq!(parcels, json!([]));
        let not_theirs = step(
            &app,
            &third,
            &format!("/api/v1/sandbox-carrier/parcels/{tracking_number}/advance"),
            "advance-not-theirs",
            Value::Null,
        )
        .await;
        check_problem(&not_theirs, 404, "not_found", None);
        let malformed = step(
            &app,
            &deal.seller,
            "/api/v1/sandbox-carrier/parcels/SBX123/advance",
            "advance-malformed",
            Value::Null,
        )
        .await;
        check_problem(&malformed, 400, "invalid_id", None);

        deliver(&app, &deal.buyer, &tracking_number).await;
        let delivered = detail(&app, &deal.buyer, &order).await;
        assert_eq!(delivered["order"]["state"], "delivered");
        assert_eq!(delivered["shipment"]["status"], "delivered");
        assert_eq!(actions(&delivered), ["confirm_receipt", "request_refund"]);
        let tracking = delivered["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|entry| entry["kind"] == "Tracking")
            .count();
        assert_eq!(
            tracking, 4,
            "picked up, departed, out for delivery, delivered"
        );
        let again = step(
            &app,
            &deal.seller,
            &format!("/api/v1/sandbox-carrier/parcels/{tracking_number}/advance"),
            "advance-after-delivery",
            Value::Null,
        )
        .await;
        check_problem(&again, 409, "invalid_transition", None);
        assert_eq!(again.1["reason"], "parcel_delivered");

        let (status, settled) = step(
            &app,
            &deal.buyer,
            &format!("/api/v1/orders/{order}/confirm-receipt"),
            "receipt",
            Value::Null,
        )
        .await;
        assert_eq!(
            (status, settled["state"].as_str()),
            (200, Some("settled")),
            "{settled}"
        );
        assert_eq!(wallet(&app, &deal.buyer).await, (300_000 - total, 0));
        assert_eq!(wallet(&app, &deal.seller).await, (total - fee, 0));
        let escrow = app
            .pay
            .escrow_of_order(order.parse::<trade::OrderId>().unwrap().raw())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (escrow.status.as_str(), escrow.fee.minor),
            ("released", fee)
        );
        assert_eq!(stock(&app, &deal).await, STOCK - 200, "consumed");
        let kinds: Vec<String> = detail(&app, &deal.seller, &order).await["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| entry["kind"].as_str().unwrap().to_owned())
            .filter(|kind| kind != "Tracking")
            .collect();
        assert_eq!(
            kinds,
            [
                "OrderPlaced",
                "OrderConfirmed",
                "OrderPaid",
                "OrderShipped",
                "OrderDelivered",
                "OrderCompleted",
                "OrderSettled"
            ]
        );
        let operator = app.sign_in_operator().await;
        let (status, ledger) = call(
            &app,
            &operator,
            Method::GET,
            "/api/v1/operator/ledger",
            None,
        )
        .await;
        assert_eq!(
            (status, &ledger["balanced"]),
            (200, &json!(true)),
            "{ledger}"
        );
    }
);

app_test!(
    a_refund_with_a_return_restocks_the_goods_and_splits_the_escrow,
    |app: TestApp| async move {
        let deal = deal(&app).await;
        top_up(&app, &deal.buyer, 300_000).await;
        let order = paid(&app, &deal, 200, 0).await;
        let total = 200 * UNIT_PRICE_MINOR;
        let tracking_number = ship(&app, &deal, &order).await;
        deliver(&app, &deal.seller, &tracking_number).await;

        let (status, refund) = step(
            &app,
            &deal.buyer,
            &format!("/api/v1/orders/{order}/refunds"),
            "refund",
            json!({"amount_minor": 100_000, "reason": "80 flasks dented", "with_return": true}),
        )
        .await;
        assert_eq!(
            (status, refund["status"].as_str()),
            (201, Some("requested")),
            "{refund}"
        );
        let refund = id(&refund);
        assert_eq!(
            actions(&detail(&app, &deal.seller, &order).await),
            ["answer_refund"]
        );
        assert_eq!(
            actions(&detail(&app, &deal.buyer, &order).await),
            Vec::<&str>::new(),
            "a claim is open"
        );
        let answer = format!("/api/v1/orders/{order}/refunds/{refund}/answer");
        let keyless = call(
            &app,
            &deal.seller.client,
            Method::POST,
            &answer,
            Some(json!({"accept": true})),
        )
        .await;
        check_problem(&keyless, 400, "idempotency_key_required", None);
        let (status, body) = step(
            &app,
            &deal.seller,
            &answer,
            "accept",
            json!({"accept": true, "answer": "Send them back"}),
        )
        .await;
        assert_eq!(
            (status, body["state"].as_str()),
            (200, Some("delivered")),
            "{body}"
        );
        let awaiting = detail(&app, &deal.seller, &order).await;
        assert_eq!(awaiting["refunds"][0]["status"], "awaiting_return");
        assert_eq!(actions(&awaiting), ["confirm_return"]);
        let twice = step(
            &app,
            &deal.seller,
            &answer,
            "accept-again",
            json!({"accept": false, "answer": "no"}),
        )
        .await;
        check_problem(&twice, 409, "invalid_transition", None);
        assert_eq!(twice.1["reason"], "refund_answered");

        let (status, body) = step(
            &app,
            &deal.seller,
            &format!("/api/v1/orders/{order}/refunds/{refund}/return-received"),
            "returned",
            Value::Null,
        )
        .await;
        assert_eq!(
            (status, body["state"].as_str()),
            (200, Some("settled")),
            "{body}"
        );
        assert_eq!(body["refunded_minor"], 100_000);
        let fee = default_fee(total);
        let to_seller = total - 100_000;
        let fee_share = pay::escrow_fee_share(fee, total, to_seller);
        assert_eq!(
            wallet(&app, &deal.buyer).await,
            (300_000 - total + 100_000, 0)
        );
        assert_eq!(wallet(&app, &deal.seller).await, (to_seller - fee_share, 0));
        assert_eq!(
            stock(&app, &deal).await,
            STOCK,
            "the goods came back to stock"
        );
        let closed = detail(&app, &deal.buyer, &order).await;
        assert_eq!(closed["refunds"][0]["status"], "refunded");
        assert_eq!(actions(&closed), Vec::<&str>::new());
    }
);

app_test!(
    a_refused_refund_goes_to_the_operator_who_divides_the_escrow,
    |app: TestApp| async move {
        let deal = deal(&app).await;
        top_up(&app, &deal.buyer, 300_000).await;
        let (order, _, dispute, _) = disputed(&app, &deal, 200).await;
        let total = 200 * UNIT_PRICE_MINOR;
        let member_view = detail(&app, &deal.buyer, &order).await;
        assert_eq!(member_view["dispute"]["id"], dispute.as_str());
        assert_eq!(actions(&member_view), Vec::<&str>::new());
        let again = step(
            &app,
            &deal.seller,
            &format!("/api/v1/orders/{order}/dispute"),
            "dispute-again",
            json!({"reason": "me too"}),
        )
        .await;
        check_problem(&again, 409, "invalid_transition", None);

        let operator = app.sign_in_operator().await;
        let (status, queue) = call(
            &app,
            &operator,
            Method::GET,
            "/api/v1/operator/disputes",
            None,
        )
        .await;
        assert_eq!(status, 200, "{queue}");
        assert_eq!(queue["items"][0]["id"], dispute.as_str());
        let (_, resolved) = call(
            &app,
            &operator,
            Method::GET,
            "/api/v1/operator/disputes?status=resolved",
            None,
        )
        .await;
        assert_eq!(resolved["items"], json!([]));
        let (status, whole) = call(
            &app,
            &operator,
            Method::GET,
            &format!("/api/v1/operator/orders/{order}"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{whole}");
        assert_eq!(actions(&whole), ["resolve_dispute"]);
        assert_eq!(whole["refunds"][0]["status"], "disputed");
        assert!(whole["shipment"]["tracking_number"].is_string());
        for path in [
            "/api/v1/operator/disputes".to_owned(),
            format!("/api/v1/operator/orders/{order}"),
        ] {
            let (status, _) = call(&app, &deal.buyer.client, Method::GET, &path, None).await;
            assert_eq!(status, 404, "{path} is the operator's");
        }

        let resolve = format!("/api/v1/operator/disputes/{dispute}/resolve");
        let decision =
            json!({"to_buyer_minor": 55_000, "decision": "44 flasks leaked on the photos"});
        let keyless = read(
            operator
                .post(app.url(&resolve))
                .json(&decision)
                .send()
                .await
                .unwrap(),
        )
        .await;
        check_problem(&keyless, 400, "idempotency_key_required", None);
        let too_much = read(
            operator
                .post(app.url(&resolve))
                .header("Idempotency-Key", "too-much")
                .json(&json!({"to_buyer_minor": total + 1, "decision": "all of it"}))
                .send()
                .await
                .unwrap(),
        )
        .await;
        check_problem(&too_much, 422, "invalid_field", Some("to_buyer_minor"));
        let (status, body) = read(
            operator
                .post(app.url(&resolve))
                .header("Idempotency-Key", "decide")
                .json(&decision)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, body["status"].as_str()),
            (200, Some("resolved")),
            "{body}"
        );
        assert_eq!(body["to_buyer_minor"], 55_000);
        let closed = detail(&app, &deal.buyer, &order).await;
        assert_eq!(closed["order"]["state"], "settled");
        assert_eq!(closed["order"]["refunded_minor"], 55_000);
        let to_seller = total - 55_000;
        let fee_share = pay::escrow_fee_share(default_fee(total), total, to_seller);
        assert_eq!(
            wallet(&app, &deal.buyer).await,
            (300_000 - total + 55_000, 0)
        );
        assert_eq!(wallet(&app, &deal.seller).await, (to_seller - fee_share, 0));
        let decided_twice = read(
            operator
                .post(app.url(&resolve))
                .header("Idempotency-Key", "decide-again")
                .json(&decision)
                .send()
                .await
                .unwrap(),
        )
        .await;
        check_problem(&decided_twice, 409, "invalid_transition", None);
        assert_eq!(decided_twice.1["reason"], "dispute_resolved");

        // A dispute on a settled order is refused, and changes nothing.
        let disputes = count(&app, "trade_dispute").await;
        top_up(&app, &deal.buyer, 100_000).await;
        let settled = paid(&app, &deal, 100, 0).await;
        let tracking_number = ship(&app, &deal, &settled).await;
        deliver(&app, &deal.buyer, &tracking_number).await;
        let (status, _) = step(
            &app,
            &deal.buyer,
            &format!("/api/v1/orders/{settled}/confirm-receipt"),
            "receipt",
            Value::Null,
        )
        .await;
        assert_eq!(status, 200);
        let late = step(
            &app,
            &deal.buyer,
            &format!("/api/v1/orders/{settled}/dispute"),
            "late",
            json!({"reason": "too late"}),
        )
        .await;
        check_problem(&late, 409, "invalid_transition", None);
        assert_eq!(late.1["reason"], "order_closed");
        assert_eq!(count(&app, "trade_dispute").await, disputes);
    }
);

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

app_test!(
    carrier_webhooks_are_verified_and_each_event_applied_once,
    |app: TestApp| async move {
        let deal = deal(&app).await;
        top_up(&app, &deal.buyer, 200_000).await;
        let order = paid(&app, &deal, MOQ, 0).await;
        let tracking_number = ship(&app, &deal, &order).await;
        let body = serde_json::to_vec(&json!({"events": [{
            "event_id": "evt-1", "tracking_number": tracking_number, "status": "delivered",
            "location": "Hamburg", "occurred_at": app.now().to_string()
        }]}))
        .unwrap();
        let client = reqwest::Client::new();
        let deliver_webhook = |carrier: &str, signature: Option<String>, body: Vec<u8>| {
            let mut request = client
                .post(app.url(&format!("/api/v1/trade/carriers/{carrier}/webhooks")))
                .header("content-type", "application/json")
                .body(body);
            if let Some(signature) = signature {
                request = request.header("hanse-signature", signature);
            }
            request.send()
        };
        use pay::PaymentProvider;
        let secret = app.pay.sandbox().unwrap().webhook_secret().to_vec();
        let timeline = |order: String| {
            let app = &app;
            let deal = &deal;
            async move {
                detail(app, &deal.buyer, &order).await["timeline"]
                    .as_array()
                    .unwrap()
                    .len()
            }
        };
        let before = timeline(order.clone()).await;
        let unsigned = read(
            deliver_webhook("sandbox", None, body.clone())
                .await
                .unwrap(),
        )
        .await;
        check_problem(&unsigned, 401, "invalid_signature", Some("hanse-signature"));
        let forged = pay::provider::sign(b"a guess at the secret", app.now(), &body);
        let forged = read(
            deliver_webhook("sandbox", Some(forged), body.clone())
                .await
                .unwrap(),
        )
        .await;
        check_problem(&forged, 401, "invalid_signature", Some("hanse-signature"));
        let stale = pay::provider::sign(&secret, app.now().plus_seconds(-3_600), &body);
        let stale = read(
            deliver_webhook("sandbox", Some(stale), body.clone())
                .await
                .unwrap(),
        )
        .await;
        check_problem(&stale, 400, "stale_webhook", None);
        let signature = pay::provider::sign(&secret, app.now(), &body);
        let unknown = read(
            deliver_webhook("pigeon", Some(signature.clone()), body.clone())
                .await
                .unwrap(),
        )
        .await;
        check_problem(&unknown, 404, "unknown_carrier", None);
        assert_eq!(
            timeline(order.clone()).await,
            before,
            "refused webhooks changed nothing"
        );
        assert_eq!(
            detail(&app, &deal.buyer, &order).await["order"]["state"],
            "shipped"
        );

        let (status, answer) = read(
            deliver_webhook("sandbox", Some(signature.clone()), body.clone())
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (
                status,
                answer["outcome"].as_str(),
                answer["applied"].as_i64()
            ),
            (200, Some("applied"), Some(1)),
            "{answer}"
        );
        let delivered = detail(&app, &deal.buyer, &order).await;
        assert_eq!(delivered["order"]["state"], "delivered");
        let after = delivered["timeline"].as_array().unwrap().len();
        assert_eq!(after, before + 2, "the tracking event and OrderDelivered");
        let (status, answer) = read(
            deliver_webhook("sandbox", Some(signature), body)
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, answer["outcome"].as_str()),
            (200, Some("already_handled")),
            "{answer}"
        );
        assert_eq!(
            timeline(order.clone()).await,
            after,
            "a replay changes nothing"
        );
        let not_json = client
            .post(app.url("/api/v1/trade/carriers/sandbox/webhooks"))
            .header("content-type", "text/plain")
            .body("{}")
            .send()
            .await
            .unwrap();
        check_problem(&read(not_json).await, 415, "unsupported_media_type", None);
        let huge = vec![b' '; trade::carrier::WEBHOOK_BODY_BYTES_MAX + 1];
        let huge = read(
            deliver_webhook("sandbox", Some("t=1,v1=00".to_owned()), huge)
                .await
                .unwrap(),
        )
        .await;
        check_problem(&huge, 413, "body_too_large", None);
    }
);

app_test!(
    lists_filter_by_side_state_counterparty_and_time,
    |app: TestApp| async move {
        let deal = deal(&app).await;
        let start = app.now();
        let first = id(&place(&app, &deal, MOQ).await);
        app.clock.advance_seconds(60);
        let middle = app.now();
        let second = confirmed(&app, &deal, MOQ, 0).await;
        let ids = |page: &Value| -> Vec<String> {
            page["items"].as_array().unwrap().iter().map(id).collect()
        };
        let list = |query: &'static str, actor: &'static str| {
            let app = &app;
            let deal = &deal;
            async move {
                let client = if actor == "buyer" {
                    &deal.buyer.client
                } else {
                    &deal.seller.client
                };
                call(
                    app,
                    client,
                    Method::GET,
                    &format!("/api/v1/orders{query}"),
                    None,
                )
                .await
            }
        };
        let (status, page) = list("", "buyer").await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(
            ids(&page),
            [second.clone(), first.clone()],
            "the buyer's, newest first"
        );
        assert_eq!(
            ids(&list("", "seller").await.1),
            Vec::<String>::new(),
            "buyer is the default side"
        );
        assert_eq!(
            ids(&list("?side=seller", "seller").await.1),
            [second.clone(), first.clone()]
        );
        assert_eq!(
            ids(&list("?side=seller&state=placed", "seller").await.1),
            [first.clone()]
        );
        let (_, page) = list("?limit=1", "buyer").await;
        assert_eq!(ids(&page), [second.clone()]);
        let cursor = page["next_cursor"].as_str().unwrap().to_owned();
        let (_, next) = call(
            &app,
            &deal.buyer.client,
            Method::GET,
            &format!("/api/v1/orders?limit=1&cursor={cursor}"),
            None,
        )
        .await;
        assert_eq!(ids(&next), [first.clone()]);
        assert!(next["next_cursor"].is_null());
        let query = |filter: String| format!("/api/v1/orders?{filter}");
        for (filter, expected) in [
            (
                format!("counterparty={}", deal.seller.company_id),
                vec![second.clone(), first.clone()],
            ),
            (format!("counterparty={}", deal.buyer.company_id), vec![]),
            (format!("placed_from={middle}"), vec![second.clone()]),
            (format!("placed_until={middle}"), vec![first.clone()]),
            (
                format!("placed_from={start}&placed_until={middle}"),
                vec![first.clone()],
            ),
        ] {
            let url = query(filter.replace('+', "%2B"));
            let (status, page) = call(&app, &deal.buyer.client, Method::GET, &url, None).await;
            assert_eq!(status, 200, "{url}: {page}");
            assert_eq!(ids(&page), expected, "{url}");
        }
        for (bad, field) in [
            ("side=both", "side"),
            ("state=lost", "state"),
            ("counterparty=prd_0000000000000", "counterparty"),
            ("placed_from=yesterday", "placed_from"),
            ("placed_until=2026-13-01T00:00:00Z", "placed_until"),
            ("limit=0", "limit"),
            ("limit=201", "limit"),
            ("cursor=after_x", "cursor"),
        ] {
            let answer = call(
                &app,
                &deal.buyer.client,
                Method::GET,
                &query(bad.to_owned()),
                None,
            )
            .await;
            check_problem(&answer, 400, "invalid_query", Some(field));
        }
    }
);

app_test!(
    the_operator_sets_the_terms_of_trade_and_members_cannot,
    |app: TestApp| async move {
        let deal = deal(&app).await;
        let operator = app.sign_in_operator().await;
        let (status, policy) = call(
            &app,
            &operator,
            Method::GET,
            "/api/v1/operator/trade/policy",
            None,
        )
        .await;
        assert_eq!(status, 200, "{policy}");
        assert_eq!(policy["fee_default_bp"], 200);
        let mut changed = policy.clone();
        changed["fee_default_bp"] = json!(3_001);
        let refused = call(
            &app,
            &operator,
            Method::PUT,
            "/api/v1/operator/trade/policy",
            Some(changed.clone()),
        )
        .await;
        check_problem(&refused, 422, "invalid_field", Some("fee_default_bp"));
        changed["fee_default_bp"] = json!(150);
        changed["refund_answer_within_days"] = json!(0);
        let refused = call(
            &app,
            &operator,
            Method::PUT,
            "/api/v1/operator/trade/policy",
            Some(changed.clone()),
        )
        .await;
        check_problem(
            &refused,
            422,
            "invalid_field",
            Some("refund_answer_within_days"),
        );
        assert_eq!(
            call(
                &app,
                &operator,
                Method::GET,
                "/api/v1/operator/trade/policy",
                None
            )
            .await
            .1,
            policy,
            "unchanged"
        );
        changed["refund_answer_within_days"] = json!(5);
        let (status, set) = call(
            &app,
            &operator,
            Method::PUT,
            "/api/v1/operator/trade/policy",
            Some(changed.clone()),
        )
        .await;
        assert_eq!((status, &set), (200, &changed));
        assert_eq!(place(&app, &deal, MOQ).await["fee_bp"], 150);

        let tree = app.market.categories().await.unwrap();
        let leaf: market::CategoryId = deal.category.parse().unwrap();
        let top = tree.path(leaf)[0].id;
        let fees = format!("/api/v1/operator/trade/category-fees/{top}");
        let not_top = call(
            &app,
            &operator,
            Method::PUT,
            &format!("/api/v1/operator/trade/category-fees/{leaf}"),
            Some(json!({"fee_bp": 300})),
        )
        .await;
        check_problem(&not_top, 422, "invalid_field", Some("category_id"));
        let too_high = call(
            &app,
            &operator,
            Method::PUT,
            &fees,
            Some(json!({"fee_bp": 5_000})),
        )
        .await;
        check_problem(&too_high, 422, "invalid_field", Some("fee_bp"));
        let (status, fee) = call(
            &app,
            &operator,
            Method::PUT,
            &fees,
            Some(json!({"fee_bp": 350})),
        )
        .await;
        assert_eq!(
            (status, &fee),
            (200, &json!({"category_id": top.to_string(), "fee_bp": 350}))
        );
        let (_, all) = call(
            &app,
            &operator,
            Method::GET,
            "/api/v1/operator/trade/category-fees",
            None,
        )
        .await;
        assert_eq!(all, json!([fee]));
        assert_eq!(place(&app, &deal, MOQ).await["fee_bp"], 350);
        let (status, _) = call(&app, &operator, Method::DELETE, &fees, None).await;
        assert_eq!(status, 204);
        assert_eq!(place(&app, &deal, MOQ).await["fee_bp"], 150);

        for (method, path, body) in [
            (
                Method::GET,
                "/api/v1/operator/trade/policy".to_owned(),
                None,
            ),
            (
                Method::PUT,
                "/api/v1/operator/trade/policy".to_owned(),
                Some(changed.clone()),
            ),
            (
                Method::GET,
                "/api/v1/operator/trade/category-fees".to_owned(),
                None,
            ),
            (Method::PUT, fees.clone(), Some(json!({"fee_bp": 1}))),
        ] {
            let answer = call(&app, &deal.seller.client, method.clone(), &path, body).await;
            check_problem(&answer, 404, "not_found", None);
        }
        assert_eq!(
            call(
                &app,
                &operator,
                Method::GET,
                "/api/v1/operator/trade/category-fees",
                None
            )
            .await
            .1,
            json!([])
        );
    }
);

app_test!(
    without_the_sandbox_there_is_no_sandbox_carrier,
    TestOptions {
        sandbox: false,
        ..TestOptions::default()
    },
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let (status, body) = call(
            &app,
            &owner.client,
            Method::GET,
            "/api/v1/sandbox-carrier/parcels",
            None,
        )
        .await;
        check_problem(&(status, body), 404, "not_found", None);
        let advance = step(
            &app,
            &owner,
            "/api/v1/sandbox-carrier/parcels/SBX000000000001/advance",
            "advance",
            Value::Null,
        )
        .await;
        check_problem(&advance, 404, "not_found", None);
    }
);
