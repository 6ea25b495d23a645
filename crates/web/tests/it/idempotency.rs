//! The Idempotency-Key mechanism: a retried POST replays the first answer, a
//! reused key with another body is refused, and routes can require a key.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use reqwest::Method;
use serde_json::json;
use tower::ServiceExt;
use web::app_test;
use web::testing::TestApp;

use crate::support::{check_problem, count, read};

app_test!(a_retried_post_is_answered_once, |app: TestApp| async move {
    let owner = app.sign_up_company("Hengxin Thermos").await;
    let send = |key: &str, email: &str| {
        owner
            .client
            .request(Method::POST, app.url("/api/v1/company/invitations"))
            .header("Idempotency-Key", key)
            .json(&json!({"email": email, "role": "sales"}))
            .send()
    };
    let first = send("invite-1", "a@b.test").await.unwrap();
    assert_eq!(first.status(), 201);
    assert!(!first.headers().contains_key("idempotent-replayed"));
    let first_body = first.text().await.unwrap();
    let again = send("invite-1", "a@b.test").await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.headers()["content-type"], "application/json");
    assert_eq!(
        again.text().await.unwrap(),
        first_body,
        "the same answer, byte for byte"
    );
    assert_eq!(
        count(&app, "identity_invitation").await,
        1,
        "the work was done once"
    );

    let other_body = read(send("invite-1", "c@d.test").await.unwrap()).await;
    check_problem(
        &other_body,
        422,
        "idempotency_key_reused",
        Some("idempotency-key"),
    );
    assert_eq!(count(&app, "identity_invitation").await, 1);

    let too_long = read(send(&"k".repeat(256), "c@d.test").await.unwrap()).await;
    check_problem(&too_long, 400, "invalid_idempotency_key", None);

    // Another caller's key space is separate.
    let other = app.sign_up_company("Huaqiang Xunda").await;
    let response = other
        .client
        .post(app.url("/api/v1/company/invitations"))
        .header("Idempotency-Key", "invite-1")
        .json(&json!({"email": "a@b.test", "role": "sales"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert!(!response.headers().contains_key("idempotent-replayed"));
});

app_test!(
    a_refused_request_can_be_retried_with_its_answer,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let send = || {
            owner
                .client
                .post(app.url("/api/v1/company/invitations"))
                .header("Idempotency-Key", "bad-1")
                .json(&json!({"email": "not an email", "role": "sales"}))
                .send()
        };
        check_problem(
            &read(send().await.unwrap()).await,
            422,
            "invalid_field",
            Some("email"),
        );
        let replay = send().await.unwrap();
        assert_eq!(
            replay.headers()["idempotent-replayed"],
            "true",
            "a 4xx answer is an answer too"
        );
    }
);

#[tokio::test]
async fn money_routes_can_require_a_key() {
    let router = axum::Router::new()
        .route("/pay", axum::routing::post(|| async { "paid" }))
        .layer(axum::middleware::from_fn(web::idempotency::require_key));
    let without = router
        .clone()
        .oneshot(Request::post("/pay").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(without.status(), StatusCode::BAD_REQUEST);
    let body = axum::body::to_bytes(without.into_body(), 10_000)
        .await
        .unwrap();
    let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(problem["code"], "idempotency_key_required");
    let with = router
        .oneshot(
            Request::post("/pay")
                .header("Idempotency-Key", "k")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(with.status(), StatusCode::OK);
}
