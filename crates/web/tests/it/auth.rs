//! Signing up, in and out; sessions; API keys as Bearer tokens; rate limits.

use reqwest::Method;
use serde_json::json;
use web::app_test;
use web::testing::TestApp;

use crate::support::{call, check_problem};

fn credentials(email: &str, password: &str) -> serde_json::Value {
    json!({"email": email, "password": password})
}

app_test!(sign_up_sign_in_and_out, |app: TestApp| async move {
    let (client, user_id) = app.sign_up("  Chen.Li@Example.CN ").await;
    let (status, me) = call(&app, &client, Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, 200);
    assert_eq!(me["user"]["id"], user_id.to_string());
    assert_eq!(
        me["user"]["email"], "chen.li@example.cn",
        "emails are normalised"
    );
    assert_eq!(me["companies"], json!([]));

    let (status, _) = call(&app, &client, Method::POST, "/api/v1/auth/signout", None).await;
    assert_eq!(status, 204);
    check_problem(
        &call(&app, &client, Method::GET, "/api/v1/me", None).await,
        401,
        "unauthenticated",
        None,
    );

    let fresh = app.client();
    let wrong = call(
        &app,
        &fresh,
        Method::POST,
        "/api/v1/auth/signin",
        Some(credentials("chen.li@example.cn", "not the password")),
    )
    .await;
    check_problem(&wrong, 401, "wrong_credentials", None);
    let unknown = call(
        &app,
        &fresh,
        Method::POST,
        "/api/v1/auth/signin",
        Some(credentials("nobody@example.cn", "a long enough password")),
    )
    .await;
    check_problem(&unknown, 401, "wrong_credentials", None);
    let (status, _) = call(
        &app,
        &fresh,
        Method::POST,
        "/api/v1/auth/signin",
        Some(credentials("CHEN.LI@example.cn", "a long enough password")),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = call(&app, &fresh, Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, 200);
});

app_test!(
    session_cookie_is_http_only_and_lax,
    |app: TestApp| async move {
        let response = app
        .client()
        .post(app.url("/api/v1/auth/signup"))
        .json(&json!({"email": "a@b.test", "password": "a long enough password", "display_name": "A",
                      "language": "zh-CN", "time_zone": "Asia/Shanghai"}))
        .send()
        .await
        .unwrap();
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(cookie.starts_with("hanse_session=hs_"), "{cookie}");
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && cookie.contains("Path=/"),
            "{cookie}"
        );
        assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
    }
);

app_test!(
    sessions_are_listed_and_revoked_elsewhere,
    |app: TestApp| async move {
        let (laptop, _) = app.sign_up("vogel@example.de").await;
        let phone = app.client();
        let (status, _) = call(
            &app,
            &phone,
            Method::POST,
            "/api/v1/auth/signin",
            Some(credentials("vogel@example.de", "a long enough password")),
        )
        .await;
        assert_eq!(status, 200);
        let (_, sessions) = call(&app, &laptop, Method::GET, "/api/v1/me/sessions", None).await;
        assert_eq!(sessions["items"].as_array().unwrap().len(), 2);
        let (_, phone_sessions) =
            call(&app, &phone, Method::GET, "/api/v1/me/sessions", None).await;
        let phone_session = phone_sessions["current"].as_str().unwrap().to_owned();
        let (status, _) = call(
            &app,
            &laptop,
            Method::DELETE,
            &format!("/api/v1/me/sessions/{phone_session}"),
            None,
        )
        .await;
        assert_eq!(status, 204);
        check_problem(
            &call(&app, &phone, Method::GET, "/api/v1/me", None).await,
            401,
            "unauthenticated",
            None,
        );
        let (status, _) = call(&app, &laptop, Method::GET, "/api/v1/me", None).await;
        assert_eq!(status, 200, "the laptop stays signed in");
    }
);

app_test!(
    sign_in_attempts_are_rate_limited,
    |app: TestApp| async move {
        app.sign_up("target@example.cn").await;
        let attacker = app.client();
        let mut last = (0, serde_json::Value::Null);
        for _ in 0..6 {
            last = call(
                &app,
                &attacker,
                Method::POST,
                "/api/v1/auth/signin",
                Some(credentials("target@example.cn", "guess guess guess")),
            )
            .await;
        }
        check_problem(&last, 429, "rate_limited", None);
        // Even the right password waits now: the limit is on the account.
        let right = call(
            &app,
            &attacker,
            Method::POST,
            "/api/v1/auth/signin",
            Some(credentials("target@example.cn", "a long enough password")),
        )
        .await;
        check_problem(&right, 429, "rate_limited", None);
        let response = attacker
            .post(app.url("/api/v1/auth/signin"))
            .json(&credentials("target@example.cn", "x"))
            .send()
            .await
            .unwrap();
        assert!(response.headers().contains_key("retry-after"));
    }
);

app_test!(
    api_keys_authenticate_with_their_scopes,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let (status, created) = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/company/api-keys",
            Some(json!({"name": "ERP", "role": "viewer", "scopes": ["company:read"]})),
        )
        .await;
        assert_eq!(status, 201, "{created}");
        let secret = created["secret"].as_str().unwrap().to_owned();
        assert!(secret.starts_with("hk_"));
        let key_id = created["key"]["id"].as_str().unwrap().to_owned();

        let erp = reqwest::Client::new();
        let get = |path: &str| erp.get(app.url(path)).bearer_auth(&secret).send();
        let company = get("/api/v1/company").await.unwrap();
        assert_eq!(company.status(), 200);
        assert_eq!(
            get("/api/v1/company/staff").await.unwrap().status(),
            403,
            "no staff:read scope"
        );
        assert_eq!(
            get("/api/v1/me").await.unwrap().status(),
            401,
            "a key is not a person"
        );
        let minted = erp
            .post(app.url("/api/v1/company/api-keys"))
            .bearer_auth(&secret)
            .json(&json!({"name": "more", "role": "viewer", "scopes": ["company:read"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(minted.status(), 403, "keys cannot mint keys");

        let (_, listed) = call(
            &app,
            &owner.client,
            Method::GET,
            "/api/v1/company/api-keys",
            None,
        )
        .await;
        assert!(
            !listed.to_string().contains(&secret),
            "the secret is shown once only"
        );
        let (status, _) = call(
            &app,
            &owner.client,
            Method::DELETE,
            &format!("/api/v1/company/api-keys/{key_id}"),
            None,
        )
        .await;
        assert_eq!(status, 204);
        assert_eq!(
            get("/api/v1/company").await.unwrap().status(),
            401,
            "a revoked key is refused"
        );
        assert_eq!(
            erp.get(app.url("/api/v1/company"))
                .bearer_auth("hk_made_up")
                .send()
                .await
                .unwrap()
                .status(),
            401
        );
    }
);
