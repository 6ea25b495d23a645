//! Test money only where asked for: without a payment provider top-ups and
//! withdrawals are refused and there is no sandbox bank; with the sandbox every
//! page shows a banner and every response a header. And `/metrics` answers
//! only on its private address or to the configured token.

use reqwest::Method;
use serde_json::json;
use web::app_test;
use web::testing::{TestApp, TestOptions};

use crate::support::{call, check_problem, count, post_keyed, read};

const TEST_MONEY: &str = web::app::TEST_MONEY_HEADER;

fn no_provider() -> TestOptions {
    TestOptions {
        sandbox: false,
        ..TestOptions::default()
    }
}

app_test!(
    without_a_provider_no_money_comes_in_or_goes_out,
    no_provider(),
    |app: TestApp| async move {
        let owner = app.sign_up_company("Vogel Haushaltswaren").await;
        let top_up = owner
            .client
            .post(app.url("/api/v1/wallet/top-ups"))
            .header("Idempotency-Key", "t-1")
            .json(&json!({"amount": {"minor": 1_000_000_000, "currency": "EUR"}}))
            .send()
            .await
            .unwrap();
        assert!(top_up.headers().get(TEST_MONEY).is_none());
        check_problem(&read(top_up).await, 409, "no_payment_provider", None);
        let (status, account) = call(&app, &owner.client, Method::POST, "/api/v1/wallet/bank-accounts",
            Some(json!({"holder_name": "Vogel", "bank_name": "Haspa", "account_number": "DE89370400440532013000", "currency": "EUR"}))).await;
        assert_eq!(status, 201, "{account}");
        let withdrawal = post_keyed(
            &app,
            &owner.client,
            "/api/v1/wallet/withdrawals",
            "w-1",
            json!({"bank_account_id": account["id"], "amount": {"minor": 100, "currency": "EUR"}}),
        )
        .await;
        check_problem(&withdrawal, 409, "no_payment_provider", None);
        assert_eq!(count(&app, "pay_top_up").await, 0);
        assert_eq!(count(&app, "pay_withdrawal").await, 0);
        assert_eq!(count(&app, "pay_sandbox_operation").await, 0);

        let bank = call(
            &app,
            &owner.client,
            Method::GET,
            "/api/v1/sandbox-bank/operations",
            None,
        )
        .await;
        check_problem(&bank, 404, "not_found", None);
        let operator = app.sign_in_operator().await;
        let bank = call(
            &app,
            &operator,
            Method::GET,
            "/api/v1/sandbox-bank/operations",
            None,
        )
        .await;
        check_problem(&bank, 404, "not_found", None);
        let page = owner
            .client
            .get(app.url("/sandbox-bank"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 404);

        let wallet = owner.client.get(app.url("/wallet")).send().await.unwrap();
        assert!(wallet.headers().get(TEST_MONEY).is_none());
        let wallet = wallet.text().await.unwrap();
        assert!(
            !wallet.contains("class=\"test-money\""),
            "no banner:\n{wallet}"
        );
        assert!(
            !wallet.contains("/sandbox-bank"),
            "no link to a bank that is not there"
        );
        assert!(
            !wallet.contains("action=\"/wallet/top-ups\""),
            "no top-up form"
        );
        assert!(wallet.contains("no payment provider yet"), "{wallet}");
    }
);

app_test!(
    with_the_sandbox_every_answer_says_test_money,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        for path in [
            "/api/v1/me",
            "/api/v1/search/products?q=flask",
            "/healthz",
            "/no-such-page",
        ] {
            let response = owner.client.get(app.url(path)).send().await.unwrap();
            assert_eq!(response.headers()[TEST_MONEY], "sandbox", "{path}");
        }
        for path in ["/wallet", "/search", "/signin"] {
            let page = owner
                .client
                .get(app.url(path))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(page.contains("class=\"test-money\""), "banner on {path}");
            assert!(page.contains("No real money moves here"), "{path}");
        }
        let wallet = owner
            .client
            .get(app.url("/wallet"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(wallet.contains("action=\"/wallet/top-ups\""));
        let (status, _) = post_keyed(
            &app,
            &owner.client,
            "/api/v1/wallet/top-ups",
            "t-1",
            json!({"amount": {"minor": 5_000, "currency": "CNY"}}),
        )
        .await;
        assert_eq!(status, 201);
        assert_eq!(count(&app, "pay_sandbox_operation").await, 1);
    }
);

app_test!(
    metrics_are_not_public_on_the_main_address,
    |app: TestApp| async move {
        let metrics = app.client().get(app.url("/metrics")).send().await.unwrap();
        assert_eq!(metrics.status(), 404);
        assert!(app.metrics_address.is_none());
    }
);

app_test!(
    metrics_answer_the_configured_token,
    TestOptions {
        metrics_token: Some("a-token-of-32-characters-or-so!!".into()),
        ..TestOptions::default()
    },
    |app: TestApp| async move {
        let client = app.client();
        for offered in [
            None,
            Some("Bearer wrong-token"),
            Some("a-token-of-32-characters-or-so!!"),
        ] {
            let mut request = client.get(app.url("/metrics"));
            if let Some(offered) = offered {
                request = request.header("authorization", offered);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 401, "{offered:?}");
            assert_eq!(
                response.headers()["www-authenticate"],
                "Bearer realm=\"metrics\""
            );
        }
        let metrics = client
            .get(app.url("/metrics"))
            .bearer_auth("a-token-of-32-characters-or-so!!")
            .send()
            .await
            .unwrap();
        assert_eq!(metrics.status(), 200);
        assert!(
            metrics
                .text()
                .await
                .unwrap()
                .contains("hanse_http_requests_total")
        );
    }
);

app_test!(
    metrics_answer_on_their_private_address,
    TestOptions {
        metrics_listener: true,
        ..TestOptions::default()
    },
    |app: TestApp| async move {
        let client = app.client();
        client.get(app.url("/healthz")).send().await.unwrap();
        let private = app.metrics_address.clone().expect("a metrics address");
        assert_ne!(private, app.address);
        let metrics = client
            .get(format!("{private}/metrics"))
            .send()
            .await
            .unwrap();
        let status = metrics.status();
        let text = metrics.text().await.unwrap();
        assert_eq!(status, 200, "{private}: {text}");
        assert!(
            text.contains(
                "hanse_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
            ),
            "{text}"
        );
        let nothing_else = client
            .get(format!("{private}/api/v1/me"))
            .send()
            .await
            .unwrap();
        assert_eq!(nothing_else.status(), 404, "only the metrics live there");
        let public = client.get(app.url("/metrics")).send().await.unwrap();
        assert_eq!(public.status(), 404);
    }
);
