//! The marketplace API: the catalog through to search, bad input of every
//! kind without a 500, the product file, buying requests and quotations, and
//! API key scopes.

use reqwest::Method;
use serde_json::{Value, json};
use web::app_test;
use web::testing::{Actor, TestApp};

use crate::support::{call, check_problem, count};

/// A small tree: housewares › vacuum flasks; returns the leaf's id.
pub async fn flask_category(app: &TestApp) -> String {
    let root = app
        .market
        .create_category(&market::NewCategory {
            parent_id: None,
            slug: "housewares".into(),
            name_zh: "家居日用".into(),
            name_en: "Housewares".into(),
            position: 0,
            attributes: vec![],
        })
        .await
        .unwrap();
    let leaf = app
        .market
        .create_category(&market::NewCategory {
            parent_id: Some(root.id),
            slug: "vacuum-flasks".into(),
            name_zh: "保温杯".into(),
            name_en: "Vacuum flasks".into(),
            position: 0,
            attributes: vec![market::AttributeSpec {
                key: "capacity".into(),
                name_zh: "容量".into(),
                name_en: "Capacity".into(),
                kind: market::AttributeKind::Number,
                unit: Some("ml".into()),
                choices: vec![],
                required: true,
            }],
        })
        .await
        .unwrap();
    leaf.id.to_string()
}

pub fn flask(category: &str, sku: &str) -> Value {
    json!({
        "sku": sku,
        "category_id": category,
        "title_zh": "不锈钢真空保温杯 500ml",
        "title_en": "Stainless vacuum flask 500 ml",
        "description": "Double wall, keeps hot for 12 hours.",
        "attributes": {"capacity": "500"},
        "unit": "piece",
        "moq": 100,
        "price_tiers": [{"min_quantity": 100, "unit_price_minor": 1250}, {"min_quantity": 500, "unit_price_minor": 1100}],
        "currency": "CNY",
        "lead_time_days": 15,
        "origin": "Yiwu, Zhejiang",
        "available_quantity": 5000
    })
}

async fn search_total(app: &TestApp, query: &str) -> u64 {
    let (status, body) = call(
        app,
        &app.client(),
        Method::GET,
        &format!("/api/v1/search/products?{query}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["total"].as_u64().unwrap()
}

/// Creates and publishes a product; returns its id.
pub async fn published_flask(app: &TestApp, owner: &Actor, category: &str, sku: &str) -> String {
    let (status, product) = call(
        app,
        &owner.client,
        Method::POST,
        "/api/v1/catalog/products",
        Some(flask(category, sku)),
    )
    .await;
    assert_eq!(status, 201, "{product}");
    let id = product["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/catalog/products/{id}/status");
    let (status, body) = call(
        app,
        &owner.client,
        Method::POST,
        &path,
        Some(json!({"status": "published"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    id
}

app_test!(
    a_published_product_is_found_and_an_unlisted_one_is_not,
    |app: TestApp| async move {
        let category = flask_category(&app).await;
        let hengxin = app.sign_up_company("Hengxin Thermos").await;
        let (status, draft) = call(
            &app,
            &hengxin.client,
            Method::POST,
            "/api/v1/catalog/products",
            Some(flask(&category, "HX-500")),
        )
        .await;
        assert_eq!((status, draft["status"].as_str()), (201, Some("draft")));
        let id = draft["id"].as_str().unwrap().to_owned();
        let public = call(
            &app,
            &app.client(),
            Method::GET,
            &format!("/api/v1/products/{id}"),
            None,
        )
        .await;
        check_problem(&public, 404, "not_found", None);

        let (status, _) = call(
            &app,
            &hengxin.client,
            Method::POST,
            &format!("/api/v1/catalog/products/{id}/status"),
            Some(json!({"status": "published"})),
        )
        .await;
        assert_eq!(status, 200);
        let (status, page) = call(
            &app,
            &app.client(),
            Method::GET,
            &format!("/api/v1/products/{id}"),
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(page["supplier"]["display_name"], "Hengxin Thermos");
        for query in [
            "q=保温杯",
            "q=vacuum+flask",
            "q=baowenbei",
            "q=%E4%BF%9D%E6%B8%A9%E6%9D%AF+flask",
            "q=vacuun+flask",
        ] {
            let app_ref = &app;
            app.wait_for_search(
                query,
                || async move { search_total(app_ref, query).await == 1 },
            )
            .await;
        }
        let (_, found) = call(
            &app,
            &app.client(),
            Method::GET,
            "/api/v1/search/products?q=flask&verified=false&sort=price_asc&quantity=500",
            None,
        )
        .await;
        assert_eq!(found["hits"][0]["unit_price_minor"], 1100);
        assert_eq!(found["hits"][0]["id"], id.as_str());
        assert!(
            found["hits"][0]["title_en_html"]
                .as_str()
                .unwrap()
                .contains("<mark>")
        );
        assert_eq!(found["categories"][0]["count"], 1);
        let (_, suggestions) = call(
            &app,
            &app.client(),
            Method::GET,
            "/api/v1/search/suggestions?q=vacu",
            None,
        )
        .await;
        assert!(
            suggestions
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "vacuum"),
            "{suggestions}"
        );

        let (status, _) = call(
            &app,
            &hengxin.client,
            Method::POST,
            &format!("/api/v1/catalog/products/{id}/status"),
            Some(json!({"status": "unlisted"})),
        )
        .await;
        assert_eq!(status, 200);
        let app_ref = &app;
        app.wait_for_search("unlisted gone", || async move {
            search_total(app_ref, "q=flask").await == 0
        })
        .await;
        let public = call(
            &app,
            &app.client(),
            Method::GET,
            &format!("/api/v1/products/{id}"),
            None,
        )
        .await;
        check_problem(&public, 404, "not_found", None);
    }
);

app_test!(
    bad_search_input_never_fails_the_server,
    |app: TestApp| async move {
        let long = "bluetooth ".repeat(1_000);
        for query in [
            "q=",
            "q=%22",
            "q=%22%22%22",
            "q=a+OR+b+AND+NOT",
            "q=*",
            "q=-",
            "q=%5C",
            &format!("q={long}"),
            "q=()[]{}~^:!",
        ] {
            let (status, body) = call(
                &app,
                &app.client(),
                Method::GET,
                &format!("/api/v1/search/products?{query}"),
                None,
            )
            .await;
            assert_eq!(status, 200, "{query}: {body}");
        }
        for (query, field) in [
            ("sort=weird", "sort"),
            ("category=abc", "category"),
            ("category=prd_0000000000001", "category"),
            ("currency=XYZ", "currency"),
            ("price_min_minor=twelve", "price_min_minor"),
            ("price_max_minor=-1", "price_max_minor"),
            ("limit=0", "limit"),
            ("limit=1000", "limit"),
            ("offset=5000", "offset"),
            ("quantity=0", "quantity"),
            ("colour=red", "colour"),
            ("moq_max=many", "moq_max"),
        ] {
            let answer = call(
                &app,
                &app.client(),
                Method::GET,
                &format!("/api/v1/search/products?{query}"),
                None,
            )
            .await;
            assert_eq!(answer.0, 400, "{query}: {}", answer.1);
            assert_eq!(answer.1["code"], "invalid_query", "{query}");
            if field != "moq_max" && field != "colour" {
                assert_eq!(answer.1["field"], field, "{query}");
            }
        }
        let (status, _) = call(
            &app,
            &app.client(),
            Method::GET,
            &format!("/api/v1/search/suggestions?q={long}"),
            None,
        )
        .await;
        assert_eq!(status, 200);
        // Out of range is refused, not clamped, like every limit.
        for query in ["limit=0", "limit=21"] {
            let answer = call(
                &app,
                &app.client(),
                Method::GET,
                &format!("/api/v1/search/suggestions?q=vacu&{query}"),
                None,
            )
            .await;
            check_problem(&answer, 400, "invalid_query", Some("limit"));
        }
    }
);

app_test!(
    bad_products_and_uploads_are_refused_with_the_field,
    |app: TestApp| async move {
        let category = flask_category(&app).await;
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let mut no_capacity = flask(&category, "A");
        no_capacity["attributes"] = json!({});
        let answer = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/catalog/products",
            Some(no_capacity),
        )
        .await;
        check_problem(&answer, 422, "invalid_field", Some("attributes.capacity"));
        let mut float_price = flask(&category, "A");
        float_price["price_tiers"][0]["unit_price_minor"] = json!(12.5);
        let answer = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/catalog/products",
            Some(float_price),
        )
        .await;
        assert_eq!(answer.0, 400, "{}", answer.1);
        assert_eq!(count(&app, "market_product").await, 0);

        let too_big = owner
            .client
            .post(app.url("/api/v1/images"))
            .header("content-type", "image/png")
            .body(vec![0_u8; market::IMAGE_BYTES_MAX + 1])
            .send()
            .await
            .unwrap();
        assert_eq!(too_big.status(), 413);
        let not_image = owner
            .client
            .post(app.url("/api/v1/images"))
            .header("content-type", "image/png")
            .body(b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec())
            .send()
            .await
            .unwrap();
        let answer = crate::support::read(not_image).await;
        check_problem(&answer, 422, "invalid_field", Some("image"));
        assert_eq!(count(&app, "market_image").await, 0);
    }
);

app_test!(
    a_product_file_is_imported_whole_or_not_at_all,
    |app: TestApp| async move {
        flask_category(&app).await;
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let header =
            "sku,title_zh,title_en,category,attributes,unit,moq,price_tiers,currency,status\n";
        let bad = format!(
            "{header}A,保温杯,,vacuum-flasks,capacity=500,piece,100,100:12.50,CNY,published\nB,,Flask,vacuum-flasks,capacity=lots,piece,100,100:12.50,CNY,published\n"
        );
        let response = owner
            .client
            .post(app.url("/api/v1/catalog/import"))
            .header("content-type", "text/csv")
            .body(bad)
            .send()
            .await
            .unwrap();
        let answer = crate::support::read(response).await;
        check_problem(&answer, 422, "import_rejected", Some("file"));
        assert_eq!(answer.1["rows"][0]["line"], 3);
        assert_eq!(answer.1["rows"][0]["field"], "attributes.capacity");
        assert_eq!(count(&app, "market_product").await, 0);

        let good = format!(
            "{header}A,保温杯,,vacuum-flasks,capacity=500,piece,100,100:12.50,CNY,published\n"
        );
        let response = owner
            .client
            .post(app.url("/api/v1/catalog/import"))
            .header("content-type", "text/csv")
            .body(good)
            .send()
            .await
            .unwrap();
        let (status, report) = crate::support::read(response).await;
        assert_eq!((status, report["created"].as_u64()), (200, Some(1)));
        let export = owner
            .client
            .get(app.url("/api/v1/catalog/export"))
            .send()
            .await
            .unwrap();
        assert_eq!(export.headers()["content-type"], "text/csv; charset=utf-8");
        assert!(
            export
                .text()
                .await
                .unwrap()
                .contains("A,保温杯,,,vacuum-flasks,capacity=500,piece,100,100:12.50,CNY")
        );
    }
);

app_test!(
    a_buying_request_gets_quotations_that_the_buyer_compares,
    |app: TestApp| async move {
        let category = flask_category(&app).await;
        let hengxin = app.sign_up_company("Hengxin Thermos").await;
        published_flask(&app, &hengxin, &category, "F-1").await;
        let vogel = app.sign_up_company("Vogel Haushalt").await;
        let now = app.now();
        let request = json!({
            "title": "5,000 vacuum flasks 500 ml",
            "category_id": category,
            "quantity": 5000,
            "unit": "piece",
            "target_price_minor": 1000,
            "currency": "CNY",
            "destination": "Hamburg, DE",
            "valid_until": now.plus_seconds(30 * 86_400).to_string(),
            "show_company": true
        });
        let (status, rfq) = call(
            &app,
            &vogel.client,
            Method::POST,
            "/api/v1/sourcing/rfqs",
            Some(request),
        )
        .await;
        assert_eq!(status, 201, "{rfq}");
        let rfq_id = rfq["id"].as_str().unwrap();
        let (_, matched) = call(
            &app,
            &hengxin.client,
            Method::GET,
            "/api/v1/sourcing/matched-rfqs",
            None,
        )
        .await;
        assert_eq!(matched["items"][0]["id"], rfq_id);
        let (_, board) = call(&app, &app.client(), Method::GET, "/api/v1/rfqs", None).await;
        assert_eq!(board["items"][0]["buyer_name"], "Vogel Haushalt");
        // Buying requests are searchable too, in either language.
        let app_ref = &app;
        for query in ["q=vacuum+flasks", "q=%E4%BF%9D%E6%B8%A9%E6%9D%AF"] {
            app.wait_for_search(query, || async move {
                let path = format!("/api/v1/search/rfqs?{query}");
                let (_, found) = call(app_ref, &app_ref.client(), Method::GET, &path, None).await;
                found["hits"].as_array().is_some_and(|hits| hits.len() == 1)
            })
            .await;
        }
        let (_, found) = call(
            &app,
            &app.client(),
            Method::GET,
            "/api/v1/search/rfqs?q=flasks",
            None,
        )
        .await;
        assert_eq!(found["hits"][0]["rfq"]["id"], rfq_id);
        assert!(
            found["hits"][0]["title_html"]
                .as_str()
                .unwrap()
                .contains("<mark>")
        );

        let quotation = json!({
            "price_tiers": [{"min_quantity": 1000, "unit_price_minor": 1050}],
            "currency": "CNY",
            "quantity": 5000,
            "lead_time_days": 25,
            "shipping_terms": "FOB",
            "valid_until": now.plus_seconds(14 * 86_400).to_string(),
            "message": "Logo included"
        });
        let (status, sent) = call(
            &app,
            &hengxin.client,
            Method::POST,
            &format!("/api/v1/rfqs/{rfq_id}/quotations"),
            Some(quotation.clone()),
        )
        .await;
        assert_eq!(status, 201, "{sent}");
        let again = call(
            &app,
            &hengxin.client,
            Method::POST,
            &format!("/api/v1/rfqs/{rfq_id}/quotations"),
            Some(quotation),
        )
        .await;
        check_problem(&again, 409, "state_conflict", None);
        let (_, quota) = call(
            &app,
            &hengxin.client,
            Method::GET,
            "/api/v1/sourcing/quota",
            None,
        )
        .await;
        assert_eq!(quota["used"], 1);

        let (_, compared) = call(
            &app,
            &vogel.client,
            Method::GET,
            &format!("/api/v1/sourcing/rfqs/{rfq_id}"),
            None,
        )
        .await;
        assert_eq!(
            compared["quotations"][0]["supplier_name"],
            "Hengxin Thermos"
        );
        let quotation_id = sent["id"].as_str().unwrap();
        let (status, accepted) = call(
            &app,
            &vogel.client,
            Method::POST,
            &format!("/api/v1/sourcing/quotations/{quotation_id}/accept"),
            None,
        )
        .await;
        assert_eq!(
            (status, accepted["status"].as_str()),
            (200, Some("accepted")),
            "{accepted}"
        );
        let (_, seen_by_supplier) = call(
            &app,
            &hengxin.client,
            Method::GET,
            &format!("/api/v1/sourcing/quotations/{quotation_id}"),
            None,
        )
        .await;
        assert_eq!(seen_by_supplier["status"], "accepted");
    }
);

app_test!(
    api_keys_need_the_catalog_and_sourcing_scopes,
    |app: TestApp| async move {
        let category = flask_category(&app).await;
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let (status, created) = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/company/api-keys",
            Some(json!({"name": "shop", "role": "admin", "scopes": ["catalog:read"]})),
        )
        .await;
        assert_eq!(status, 201);
        let secret = created["secret"].as_str().unwrap().to_owned();
        let key = reqwest::Client::new();
        let list = key
            .get(app.url("/api/v1/catalog/products"))
            .bearer_auth(&secret)
            .send()
            .await
            .unwrap();
        assert_eq!(list.status(), 200);
        let create = key
            .post(app.url("/api/v1/catalog/products"))
            .bearer_auth(&secret)
            .json(&flask(&category, "K"))
            .send()
            .await
            .unwrap();
        assert_eq!(create.status(), 403);
        let rfqs = key
            .get(app.url("/api/v1/sourcing/rfqs"))
            .bearer_auth(&secret)
            .send()
            .await
            .unwrap();
        assert_eq!(rfqs.status(), 403);
    }
);
