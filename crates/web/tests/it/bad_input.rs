//! Bad input gets a clear problem response naming the field, and writes nothing.

use reqwest::Method;
use serde_json::{Value, json};
use web::app_test;
use web::testing::{TestApp, fresh_credit_code};

use crate::support::{call, check_problem, count, read};

fn new_user(email: &str) -> Value {
    json!({"email": email, "password": "a long enough password", "display_name": "Wang Jianguo",
           "language": "zh-CN", "time_zone": "Asia/Shanghai"})
}

fn new_company(credit_code: &str) -> Value {
    json!({"legal_name": "义乌市恒信保温杯有限公司", "credit_code": credit_code, "country": "CN", "region": "浙江省",
           "city": "义乌市", "address": "稠城街道工人北路1088号", "industry": "small_commodities", "size": "50-249"})
}

async fn post_raw(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let response = client
        .post(app.url(path))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    read(response).await
}

app_test!(
    malformed_bodies_name_the_field_and_write_nothing,
    |app: TestApp| async move {
        let client = app.client();
        let path = "/api/v1/auth/signup";
        check_problem(
            &post_raw(
                &app,
                &client,
                path,
                "application/json",
                b"{\"email\": ".to_vec(),
            )
            .await,
            400,
            "malformed_body",
            None,
        );
        check_problem(
            &post_raw(&app, &client, path, "text/plain", b"{}".to_vec()).await,
            415,
            "unsupported_media_type",
            None,
        );

        let mut wrong_type = new_user("a@b.test");
        wrong_type["language"] = json!(7);
        check_problem(
            &call(&app, &client, Method::POST, path, Some(wrong_type)).await,
            400,
            "malformed_body",
            Some("language"),
        );
        let mut unknown = new_user("a@b.test");
        unknown["is_operator"] = json!(true);
        let answer = call(&app, &client, Method::POST, path, Some(unknown)).await;
        check_problem(&answer, 400, "malformed_body", None);
        assert!(
            answer.1["detail"].as_str().unwrap().contains("is_operator"),
            "{}",
            answer.1
        );

        let mut missing = new_user("a@b.test");
        missing.as_object_mut().unwrap().remove("time_zone");
        let answer = call(&app, &client, Method::POST, path, Some(missing)).await;
        check_problem(&answer, 400, "malformed_body", None);
        assert!(answer.1["detail"].as_str().unwrap().contains("time_zone"));

        let huge = vec![b' '; 1024 * 1024 + 1];
        check_problem(
            &post_raw(&app, &client, path, "application/json", huge).await,
            413,
            "body_too_large",
            None,
        );
        assert_eq!(count(&app, "identity_user").await, 0);
    }
);

app_test!(
    invalid_values_are_422_with_the_field,
    |app: TestApp| async move {
        let client = app.client();
        for (field, value) in [
            ("email", json!("not-an-email")),
            ("password", json!("short")),
            ("time_zone", json!("Mars/Olympus")),
            ("display_name", json!("   ")),
        ] {
            let mut body = new_user("ok@b.test");
            body[field] = value;
            let answer = call(
                &app,
                &client,
                Method::POST,
                "/api/v1/auth/signup",
                Some(body),
            )
            .await;
            check_problem(&answer, 422, "invalid_field", Some(field));
        }
        assert_eq!(count(&app, "identity_user").await, 0);

        let (owner, _) = app.sign_up("owner@b.test").await;
        let duplicate = call(
            &app,
            &app.client(),
            Method::POST,
            "/api/v1/auth/signup",
            Some(new_user("OWNER@b.test")),
        )
        .await;
        check_problem(&duplicate, 409, "email_taken", Some("email"));
        assert_eq!(count(&app, "identity_user").await, 1);

        let code = fresh_credit_code();
        let mistyped = format!(
            "{}{}",
            &code[..17],
            if code.ends_with('0') { '1' } else { '0' }
        );
        for bad in [mistyped.as_str(), "12345", "91330782MA2HXK3PZ0"] {
            let answer = call(
                &app,
                &owner,
                Method::POST,
                "/api/v1/companies",
                Some(new_company(bad)),
            )
            .await;
            check_problem(&answer, 422, "invalid_field", Some("credit_code"));
        }
        let mut no_code = new_company(&code);
        no_code.as_object_mut().unwrap().remove("credit_code");
        check_problem(
            &call(
                &app,
                &owner,
                Method::POST,
                "/api/v1/companies",
                Some(no_code),
            )
            .await,
            422,
            "invalid_field",
            Some("credit_code"),
        );
        let mut bad_country = new_company(&code);
        bad_country["country"] = json!("XX");
        check_problem(
            &call(
                &app,
                &owner,
                Method::POST,
                "/api/v1/companies",
                Some(bad_country),
            )
            .await,
            422,
            "invalid_field",
            Some("country"),
        );
        let mut bad_size = new_company(&code);
        bad_size["size"] = json!("huge");
        check_problem(
            &call(
                &app,
                &owner,
                Method::POST,
                "/api/v1/companies",
                Some(bad_size),
            )
            .await,
            400,
            "malformed_body",
            Some("size"),
        );
        assert_eq!(count(&app, "identity_company").await, 0);
        assert_eq!(count(&app, "identity_membership").await, 0);
        assert_eq!(
            count(&app, "kernel_outbox").await,
            0,
            "no event for a company that was not made"
        );

        let (status, _) = call(
            &app,
            &owner,
            Method::POST,
            "/api/v1/companies",
            Some(new_company(&code)),
        )
        .await;
        assert_eq!(status, 201);
        let (other, _) = app.sign_up("other@b.test").await;
        let taken = call(
            &app,
            &other,
            Method::POST,
            "/api/v1/companies",
            Some(new_company(&code)),
        )
        .await;
        check_problem(&taken, 409, "credit_code_taken", Some("credit_code"));
        assert_eq!(count(&app, "identity_company").await, 1);
    }
);

app_test!(expired_invitations_are_refused, |app: TestApp| async move {
    let owner = app.sign_up_company("Hengxin Thermos").await;
    let (status, _) = call(
        &app,
        &owner.client,
        Method::POST,
        "/api/v1/company/invitations",
        Some(json!({"email": "late@b.test", "role": "sales"})),
    )
    .await;
    assert_eq!(status, 201);
    let token = app.last_invitation_token("late@b.test");
    let (late, _) = app.sign_up("late@b.test").await;
    app.clock.advance_seconds(8 * 24 * 3600);
    let answer = call(
        &app,
        &late,
        Method::POST,
        "/api/v1/invitations/accept",
        Some(json!({"token": token})),
    )
    .await;
    check_problem(&answer, 410, "invitation_expired", None);
    assert_eq!(
        count(&app, "identity_membership").await,
        1,
        "only the owner"
    );
    let unknown = call(
        &app,
        &late,
        Method::POST,
        "/api/v1/invitations/accept",
        Some(json!({"token": "inv_nothing"})),
    )
    .await;
    check_problem(&unknown, 404, "not_found", None);
});

app_test!(
    query_and_path_errors_are_problems,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        for (path, field) in [
            ("/api/v1/company/staff?limit=0", "limit"),
            ("/api/v1/company/staff?limit=201", "limit"),
            ("/api/v1/company/staff?limit=abc", "limit"),
            ("/api/v1/company/staff?cursor=!!", "cursor"),
        ] {
            let answer = call(&app, &owner.client, Method::GET, path, None).await;
            check_problem(&answer, 400, "invalid_query", Some(field));
        }
        let unknown = call(
            &app,
            &owner.client,
            Method::GET,
            "/api/v1/company/staff?colour=red",
            None,
        )
        .await;
        check_problem(&unknown, 400, "invalid_query", None);
        let company_id = owner.company_id.to_string();
        for path in [
            "/api/v1/company/staff/42",
            format!("/api/v1/company/staff/{company_id}").as_str(),
        ] {
            check_problem(
                &call(&app, &owner.client, Method::GET, path, None).await,
                400,
                "invalid_id",
                None,
            );
        }
        check_problem(
            &call(
                &app,
                &owner.client,
                Method::GET,
                "/api/v1/no/such/thing",
                None,
            )
            .await,
            404,
            "not_found",
            None,
        );
    }
);
