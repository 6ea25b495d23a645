//! The carrier over HTTP: signed webhooks, each event applied once, and the
//! sandbox carrier, which exists only where the sandbox bank does.

use reqwest::Method;
use serde_json::{Value, json};
use web::app_test;
use web::testing::{TestApp, TestOptions};

use crate::orders_support::*;
use crate::support::{call, check_problem, read};

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
