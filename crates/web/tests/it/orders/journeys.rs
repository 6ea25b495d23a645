//! Orders over HTTP from placing to their end, on both engines: settled with
//! both wallets checked to the cent, a refund with a return that restocks the
//! goods, and a dispute the operator divides.

use reqwest::Method;
use serde_json::{Value, json};
use web::app_test;
use web::testing::TestApp;

use crate::orders_support::*;
use crate::support::{call, check_problem, count, read};

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
