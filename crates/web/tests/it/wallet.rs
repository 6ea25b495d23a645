//! The wallet over HTTP: top-up through the sandbox bank, webhooks, withdrawals,
//! statements, and every refusal with its code.

use reqwest::Method;
use serde_json::{Value, json};
use web::app_test;
use web::testing::{Actor, TestApp};

use crate::support::{call, check_problem, read};

fn cny(minor: i64) -> Value {
    json!({"minor": minor, "currency": "CNY"})
}

async fn post_money(
    app: &TestApp,
    actor: &Actor,
    path: &str,
    key: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut request = actor.client.post(app.url(path)).json(&body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    read(request.send().await.unwrap()).await
}

async fn available(app: &TestApp, actor: &Actor) -> (i64, i64) {
    let (_, balances) = call(
        app,
        &actor.client,
        Method::GET,
        "/api/v1/wallet/balances",
        None,
    )
    .await;
    balances
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["currency"] == "CNY")
        .map_or((0, 0), |b| {
            (
                b["available"]["minor"].as_i64().unwrap(),
                b["reserved"]["minor"].as_i64().unwrap(),
            )
        })
}

/// Confirms (or fails) the newest pending sandbox operation of the actor.
async fn bank_settles(app: &TestApp, actor: &Actor, confirm: bool) -> Value {
    let (_, operations) = call(
        app,
        &actor.client,
        Method::GET,
        "/api/v1/sandbox-bank/operations",
        None,
    )
    .await;
    let id = operations["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|op| op["status"] == "pending")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let action = if confirm { "confirm" } else { "fail" };
    let response = actor
        .client
        .post(app.url(&format!("/api/v1/sandbox-bank/operations/{id}/{action}")))
        .header("Idempotency-Key", format!("bank-{id}-{action}"))
        .send()
        .await
        .unwrap();
    let (status, body) = read(response).await;
    assert_eq!(status, 200, "{body}");
    body
}

app_test!(top_up_through_the_sandbox_bank, |app: TestApp| async move {
    let owner = app.sign_up_company("Hengxin Thermos").await;
    let missing = post_money(
        &app,
        &owner,
        "/api/v1/wallet/top-ups",
        None,
        json!({"amount": cny(50_000)}),
    )
    .await;
    check_problem(
        &missing,
        400,
        "idempotency_key_required",
        Some("idempotency-key"),
    );

    let (status, top_up) = post_money(
        &app,
        &owner,
        "/api/v1/wallet/top-ups",
        Some("t-1"),
        json!({"amount": cny(50_000)}),
    )
    .await;
    assert_eq!(status, 201, "{top_up}");
    assert_eq!(top_up["status"], "pending");
    let (_, again) = post_money(
        &app,
        &owner,
        "/api/v1/wallet/top-ups",
        Some("t-1"),
        json!({"amount": cny(50_000)}),
    )
    .await;
    assert_eq!(again["id"], top_up["id"], "a retry is the same top-up");
    assert_eq!(available(&app, &owner).await, (0, 0));

    let (_, operations) = call(
        &app,
        &owner.client,
        Method::GET,
        "/api/v1/sandbox-bank/operations",
        None,
    )
    .await;
    let operation = operations["items"][0]["id"].as_str().unwrap().to_owned();
    let keyless = call(
        &app,
        &owner.client,
        Method::POST,
        &format!("/api/v1/sandbox-bank/operations/{operation}/confirm"),
        None,
    )
    .await;
    check_problem(
        &keyless,
        400,
        "idempotency_key_required",
        Some("idempotency-key"),
    );
    let settled = bank_settles(&app, &owner, true).await;
    assert_eq!(settled["status"], "confirmed");
    assert_eq!(available(&app, &owner).await, (50_000, 0));
    let (_, operations) = call(
        &app,
        &owner.client,
        Method::GET,
        "/api/v1/sandbox-bank/operations",
        None,
    )
    .await;
    assert_eq!(
        operations["items"].as_array().unwrap().len(),
        1,
        "one operation for the retried request"
    );

    for (amount, code) in [(cny(0), "invalid_field"), (cny(-100), "invalid_field")] {
        let answer = post_money(
            &app,
            &owner,
            "/api/v1/wallet/top-ups",
            Some(&format!("bad-{amount}")),
            json!({"amount": amount}),
        )
        .await;
        check_problem(&answer, 422, code, Some("amount"));
    }
    let unknown = post_money(
        &app,
        &owner,
        "/api/v1/wallet/top-ups",
        Some("bad-ccy"),
        json!({"amount": {"minor": 1, "currency": "XXX"}}),
    )
    .await;
    check_problem(&unknown, 400, "malformed_body", Some("amount.currency"));
});

app_test!(
    webhooks_are_verified_and_handled_once,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let (_, top_up) = post_money(
            &app,
            &owner,
            "/api/v1/wallet/top-ups",
            Some("t-1"),
            json!({"amount": cny(12_345)}),
        )
        .await;
        let body = serde_json::to_vec(
            &json!({"event_id": "evt_1", "type": "payment.succeeded", "reference": top_up["id"]}),
        )
        .unwrap();
        let client = reqwest::Client::new();
        let deliver = |signature: Option<String>, body: Vec<u8>| {
            let mut request = client
                .post(app.url("/api/v1/pay/webhooks/sandbox"))
                .header("content-type", "application/json")
                .body(body);
            if let Some(signature) = signature {
                request = request.header("hanse-signature", signature);
            }
            request.send()
        };
        check_problem(
            &read(deliver(None, body.clone()).await.unwrap()).await,
            401,
            "invalid_signature",
            None,
        );
        let forged = pay::provider::sign(b"guess", app.now(), &body);
        check_problem(
            &read(deliver(Some(forged), body.clone()).await.unwrap()).await,
            401,
            "invalid_signature",
            None,
        );
        let stale = pay::provider::sign(
            app.pay.sandbox().unwrap().webhook_secret(),
            app.now().plus_seconds(-3_600),
            &body,
        );
        check_problem(
            &read(deliver(Some(stale), body.clone()).await.unwrap()).await,
            400,
            "stale_webhook",
            None,
        );
        assert_eq!(
            available(&app, &owner).await,
            (0, 0),
            "refused webhooks moved nothing"
        );

        use pay::PaymentProvider;
        let signature = pay::provider::sign(
            app.pay.sandbox().unwrap().webhook_secret(),
            app.now(),
            &body,
        );
        let (status, answer) = read(
            deliver(Some(signature.clone()), body.clone())
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((status, answer["outcome"].as_str()), (200, Some("applied")));
        let (status, answer) = read(deliver(Some(signature), body).await.unwrap()).await;
        assert_eq!(
            (status, answer["outcome"].as_str()),
            (200, Some("already_handled"))
        );
        assert_eq!(available(&app, &owner).await, (12_345, 0));
    }
);

app_test!(withdrawals_reserve_and_settle, |app: TestApp| async move {
    let owner = app.sign_up_company("Hengxin Thermos").await;
    post_money(
        &app,
        &owner,
        "/api/v1/wallet/top-ups",
        Some("t-1"),
        json!({"amount": cny(100_000)}),
    )
    .await;
    bank_settles(&app, &owner, true).await;
    let (status, account) = call(&app, &owner.client, Method::POST, "/api/v1/wallet/bank-accounts",
        Some(json!({"holder_name": "义乌市恒信保温杯有限公司", "bank_name": "中国工商银行", "account_number": "6222 0212 0800 1234 567", "currency": "CNY"}))).await;
    assert_eq!(status, 201, "{account}");
    let (_, euro) = call(&app, &owner.client, Method::POST, "/api/v1/wallet/bank-accounts",
        Some(json!({"holder_name": "Hengxin", "bank_name": "Deutsche Bank", "account_number": "DE89370400440532013000", "currency": "EUR"}))).await;

    let too_much = post_money(
        &app,
        &owner,
        "/api/v1/wallet/withdrawals",
        Some("w-0"),
        json!({"bank_account_id": account["id"], "amount": cny(100_001)}),
    )
    .await;
    check_problem(&too_much, 409, "insufficient_funds", Some("amount"));
    let mismatch = post_money(
        &app,
        &owner,
        "/api/v1/wallet/withdrawals",
        Some("w-x"),
        json!({"bank_account_id": euro["id"], "amount": cny(1)}),
    )
    .await;
    check_problem(&mismatch, 422, "currency_mismatch", Some("amount"));

    let (status, withdrawal) = post_money(
        &app,
        &owner,
        "/api/v1/wallet/withdrawals",
        Some("w-1"),
        json!({"bank_account_id": account["id"], "amount": cny(30_000)}),
    )
    .await;
    assert_eq!(status, 201, "{withdrawal}");
    assert_eq!(available(&app, &owner).await, (70_000, 30_000));
    bank_settles(&app, &owner, false).await;
    assert_eq!(
        available(&app, &owner).await,
        (100_000, 0),
        "a failed payout releases the money"
    );
    post_money(
        &app,
        &owner,
        "/api/v1/wallet/withdrawals",
        Some("w-2"),
        json!({"bank_account_id": account["id"], "amount": cny(30_000)}),
    )
    .await;
    bank_settles(&app, &owner, true).await;
    assert_eq!(available(&app, &owner).await, (70_000, 0));

    let (status, statement) = call(
        &app,
        &owner.client,
        Method::GET,
        "/api/v1/wallet/statement?currency=CNY&limit=2",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(statement["items"][0]["kind"], "top_up");
    assert_eq!(statement["items"][0]["balance_after"]["minor"], 100_000);
    assert!(statement["next_cursor"].is_string());
    let csv = owner
        .client
        .get(app.url("/api/v1/wallet/statement.csv?currency=CNY"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    assert_eq!(
        text.lines().count(),
        1 + 5,
        "header, top-up, hold, release, hold, payout:\n{text}"
    );
    assert!(
        text.contains(",withdrawal_settled,0.00,CNY,false,1000.00,1000.00"),
        "a void moves nothing: {text}"
    );
    assert!(
        text.lines().last().unwrap().ends_with(",700.00,700.00"),
        "{text}"
    );
    check_problem(
        &call(
            &app,
            &owner.client,
            Method::GET,
            "/api/v1/wallet/statement?currency=ABC",
            None,
        )
        .await,
        400,
        "invalid_query",
        Some("currency"),
    );
});

app_test!(
    money_routes_respect_roles_and_key_scopes,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let stock = app
            .add_staff(&owner, "stock@hengxin.test", "warehouse")
            .await;
        let refused = post_money(
            &app,
            &stock,
            "/api/v1/wallet/top-ups",
            Some("s-1"),
            json!({"amount": cny(100)}),
        )
        .await;
        check_problem(&refused, 403, "forbidden", None);
        let (_, created) = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/company/api-keys",
            Some(json!({"name": "ERP", "role": "finance", "scopes": ["wallet:read"]})),
        )
        .await;
        let secret = created["secret"].as_str().unwrap();
        let erp = reqwest::Client::new();
        let read_only = erp
            .get(app.url("/api/v1/wallet/balances"))
            .bearer_auth(secret)
            .send()
            .await
            .unwrap();
        assert_eq!(read_only.status(), 200);
        let write = erp
            .post(app.url("/api/v1/wallet/top-ups"))
            .bearer_auth(secret)
            .header("Idempotency-Key", "k")
            .json(&json!({"amount": cny(100)}))
            .send()
            .await
            .unwrap();
        assert_eq!(write.status(), 403, "wallet:write is missing");
    }
);

app_test!(the_operator_checks_the_ledger, |app: TestApp| async move {
    let owner = app.sign_up_company("Hengxin Thermos").await;
    post_money(
        &app,
        &owner,
        "/api/v1/wallet/top-ups",
        Some("t-1"),
        json!({"amount": cny(100_000)}),
    )
    .await;
    bank_settles(&app, &owner, true).await;
    let client = app.sign_in_operator().await;
    let (status, report) = call(&app, &client, Method::GET, "/api/v1/operator/ledger", None).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["balanced"], true);
    let cny = report["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["currency"] == "CNY")
        .unwrap();
    assert_eq!(cny["debits_posted"], 100_000);
    assert_eq!(cny["credits_posted"], 100_000);
});
