//! Helpers shared by the web tests: JSON requests and checking problem responses.

use reqwest::{Client, Method, Response};
use serde_json::Value;
use web::testing::TestApp;

/// Sends `body` as JSON (or nothing) and returns status and parsed body.
pub async fn call(
    app: &TestApp,
    client: &Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = client.request(method, app.url(path));
    if let Some(body) = body {
        request = request.json(&body);
    }
    read(request.send().await.expect("request")).await
}

/// POSTs `body` as JSON with an `Idempotency-Key`, as money-moving routes need.
pub async fn post_keyed(
    app: &TestApp,
    client: &Client,
    path: &str,
    key: &str,
    body: Value,
) -> (u16, Value) {
    let request = client
        .post(app.url(path))
        .header("Idempotency-Key", key)
        .json(&body);
    read(request.send().await.expect("request")).await
}

/// A page's HTML.
pub async fn page_text(app: &TestApp, client: &Client, path: &str) -> String {
    client
        .get(app.url(path))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("page body")
}

pub async fn read(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, body)
}

/// Asserts a problem response with this status, code and (when given) field.
#[track_caller]
pub fn check_problem(actual: &(u16, Value), status: u16, code: &str, field: Option<&str>) {
    let (actual_status, body) = actual;
    assert_eq!(*actual_status, status, "status of {body}");
    assert_eq!(body["code"], code, "code of {body}");
    assert_eq!(body["status"], status, "problem status of {body}");
    assert!(
        body["type"].as_str().is_some_and(|t| t.ends_with(code)),
        "type of {body}"
    );
    if let Some(field) = field {
        assert_eq!(body["field"], field, "field of {body}");
    }
}

/// Rows in a table, to show that a refused request wrote nothing.
pub async fn count(app: &TestApp, table: &str) -> i64 {
    use sqlx::Row;
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(app.identity.db().reader())
        .await
        .expect("count")
        .get("n")
}
