//! The operator's repair of stuck withdrawals over the API and on its page:
//! a withdrawal whose payout never reached the bank is found and released,
//! once; members never see the repair routes.

use reqwest::Method;
use serde_json::json;
use web::app_test;
use web::testing::{Actor, TestApp};

use crate::support::{call, check_problem, page_text, post_keyed};

/// A funded company with a withdrawal of 30 yuan whose payout request died
/// on the way to the bank (its record at the bank removed, as a crash leaves it).
async fn stuck_withdrawal(app: &TestApp) -> (Actor, String) {
    let owner = app.sign_up_company("Hengxin Thermos").await;
    let (status, _) = post_keyed(
        app,
        &owner.client,
        "/api/v1/wallet/top-ups",
        "t-1",
        json!({"amount": {"minor": 10_000, "currency": "CNY"}}),
    )
    .await;
    assert_eq!(status, 201);
    let (_, operations) = call(
        app,
        &owner.client,
        Method::GET,
        "/api/v1/sandbox-bank/operations",
        None,
    )
    .await;
    let operation = operations["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, _) = post_keyed(
        app,
        &owner.client,
        &format!("/api/v1/sandbox-bank/operations/{operation}/confirm"),
        "c-1",
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, account) = call(app, &owner.client, Method::POST, "/api/v1/wallet/bank-accounts",
        Some(json!({"holder_name": "Hengxin", "bank_name": "ICBC", "account_number": "6222021208001234567", "currency": "CNY"}))).await;
    let (status, withdrawal) = post_keyed(
        app,
        &owner.client,
        "/api/v1/wallet/withdrawals",
        "w-1",
        json!({"bank_account_id": account["id"], "amount": {"minor": 3_000, "currency": "CNY"}}),
    )
    .await;
    assert_eq!(status, 201, "{withdrawal}");
    let id = withdrawal["id"].as_str().unwrap().to_owned();
    let mut tx = app.identity.db().begin().await.unwrap();
    sqlx::query("DELETE FROM pay_sandbox_operation WHERE reference = $1")
        .bind(&id)
        .execute(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (owner, id)
}

async fn available_and_reserved(app: &TestApp, owner: &Actor) -> (i64, i64) {
    let (_, balances) = call(
        app,
        &owner.client,
        Method::GET,
        "/api/v1/wallet/balances",
        None,
    )
    .await;
    (
        balances[0]["available"]["minor"].as_i64().unwrap(),
        balances[0]["reserved"]["minor"].as_i64().unwrap(),
    )
}

app_test!(
    the_operator_releases_a_stuck_withdrawal_once,
    |app: TestApp| async move {
        let (owner, id) = stuck_withdrawal(&app).await;
        let operator = app.sign_in_operator().await;
        let list = "/api/v1/operator/repairs/withdrawals";
        let (status, stuck) = call(&app, &operator, Method::GET, list, None).await;
        assert_eq!(
            (status, stuck.clone()),
            (200, json!([])),
            "ten minutes must pass: it may still be running"
        );
        for bad in ["-1", "2592001", "soon"] {
            let answer = call(
                &app,
                &operator,
                Method::GET,
                &format!("{list}?older_than_seconds={bad}"),
                None,
            )
            .await;
            check_problem(&answer, 400, "invalid_query", Some("older_than_seconds"));
        }
        let (_, stuck) = call(
            &app,
            &operator,
            Method::GET,
            &format!("{list}?older_than_seconds=0"),
            None,
        )
        .await;
        assert_eq!(stuck[0]["id"], id.as_str(), "{stuck}");
        assert_eq!(
            (
                stuck[0]["at_provider"].as_str(),
                stuck[0]["action"].as_str()
            ),
            (Some("unknown"), Some("release"))
        );

        let repair = format!("{list}/{id}");
        let without_key = call(&app, &operator, Method::POST, &repair, None).await;
        check_problem(&without_key, 400, "idempotency_key_required", None);
        let too_young = post_keyed(&app, &operator, &repair, "r-0", json!({})).await;
        check_problem(&too_young, 422, "invalid_field", Some("withdrawal_id"));
        assert_eq!(
            available_and_reserved(&app, &owner).await,
            (7_000, 3_000),
            "nothing changed"
        );

        app.clock
            .advance_seconds(pay::repair::STUCK_AFTER_SECONDS_DEFAULT + 1);
        let (status, repaired) = post_keyed(&app, &operator, &repair, "r-1", json!({})).await;
        assert_eq!(status, 200, "{repaired}");
        assert_eq!(repaired["action"], "release");
        assert_eq!(available_and_reserved(&app, &owner).await, (10_000, 0));
        let again = post_keyed(&app, &operator, &repair, "r-2", json!({})).await;
        check_problem(&again, 422, "invalid_field", Some("withdrawal_id"));
        let (_, ledger) = call(
            &app,
            &operator,
            Method::GET,
            "/api/v1/operator/ledger",
            None,
        )
        .await;
        assert_eq!(ledger["balanced"], true);

        // Members: not found, on every repair route, and nothing changes.
        let (status, _) = call(
            &app,
            &owner.client,
            Method::GET,
            &format!("{list}?older_than_seconds=0"),
            None,
        )
        .await;
        assert_eq!(status, 404);
        let (status, _) = post_keyed(&app, &owner.client, &repair, "r-3", json!({})).await;
        assert_eq!(status, 404);
        let page = owner
            .client
            .get(app.url("/operator/repairs"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 404);
    }
);

app_test!(
    the_repair_page_lists_and_settles,
    |app: TestApp| async move {
        let (owner, id) = stuck_withdrawal(&app).await;
        let operator = app.sign_in_operator().await;
        let page = page_text(&app, &operator, "/operator/repairs").await;
        assert!(
            page.contains("No withdrawal is stuck."),
            "too young yet: {page}"
        );
        app.clock
            .advance_seconds(pay::repair::STUCK_AFTER_SECONDS_DEFAULT + 1);
        let page = page_text(&app, &operator, "/operator/repairs").await;
        assert!(
            page.contains(&id)
                && page.contains("never received")
                && page.contains("Release the reservation"),
            "{page}"
        );
        let marker = r#"name="csrf_token" value=""#;
        let start = page.find(marker).unwrap() + marker.len();
        let token: String = page[start..].chars().take_while(|c| *c != '"').collect();
        let forged = operator
            .post(app.url(&format!("/operator/repairs/withdrawals/{id}")))
            .form(&[("csrf_token", "forged")])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);
        assert_eq!(available_and_reserved(&app, &owner).await, (7_000, 3_000));
        let done = operator
            .post(app.url(&format!("/operator/repairs/withdrawals/{id}")))
            .form(&[("csrf_token", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), 303);
        assert_eq!(available_and_reserved(&app, &owner).await, (10_000, 0));
        let page = page_text(&app, &operator, "/operator/repairs").await;
        assert!(page.contains("No withdrawal is stuck."));
    }
);
