//! Health, readiness, metrics, request ids, and the OpenAPI document.

use reqwest::Method;
use web::app_test;
use web::testing::TestApp;

use crate::support::call;

app_test!(
    health_ready_and_metrics_answer,
    web::testing::TestOptions {
        metrics_listener: true,
        ..Default::default()
    },
    |app: TestApp| async move {
        let client = app.client();
        let health = client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), 200);
        let ready = client.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(ready.status(), 200, "migrated database: ready");
        let metrics = client
            .get(format!(
                "{}/metrics",
                app.metrics_address.as_deref().unwrap()
            ))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            metrics.contains(
                "hanse_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
            ),
            "{metrics}"
        );
        assert!(metrics.contains("hanse_http_request_duration_seconds_bucket"));
    }
);

app_test!(
    every_response_carries_a_request_id,
    |app: TestApp| async move {
        let client = app.client();
        let response = client.get(app.url("/api/v1/me")).send().await.unwrap();
        let id = response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(id.len(), 36, "a uuid: {id}");
        let response = client
            .get(app.url("/healthz"))
            .header("x-request-id", "trace-me-42")
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.headers()["x-request-id"],
            "trace-me-42",
            "a caller's id is kept"
        );
    }
);

app_test!(
    the_openapi_document_describes_the_api,
    |app: TestApp| async move {
        let (status, document) = call(
            &app,
            &app.client(),
            Method::GET,
            "/api/v1/openapi.json",
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
        let paths = document["paths"].as_object().unwrap();
        for path in [
            "/api/v1/auth/signup",
            "/api/v1/companies",
            "/api/v1/company/staff/{membership_id}",
            "/api/v1/company/api-keys",
        ] {
            assert!(paths.contains_key(path), "{path} missing");
        }
        let schemas = document["components"]["schemas"].as_object().unwrap();
        assert!(schemas.contains_key("Problem") && schemas.contains_key("NewCompany"));
        assert!(document["components"]["securitySchemes"]["api_key"].is_object());
    }
);
