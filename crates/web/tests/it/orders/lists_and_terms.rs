//! The order lists' filters and the operator's terms of trade over HTTP.

use reqwest::Method;
use serde_json::{Value, json};
use web::app_test;
use web::testing::TestApp;

use crate::orders_support::*;
use crate::support::{call, check_problem};

app_test!(
    lists_filter_by_side_state_counterparty_and_time,
    |app: TestApp| async move {
        let deal = deal(&app).await;
        let start = app.now();
        let first = id(&place(&app, &deal, MOQ).await);
        app.clock.advance_seconds(60);
        let middle = app.now();
        let second = confirmed(&app, &deal, MOQ, 0).await;
        let ids = |page: &Value| -> Vec<String> {
            page["items"].as_array().unwrap().iter().map(id).collect()
        };
        let list = |query: &'static str, actor: &'static str| {
            let app = &app;
            let deal = &deal;
            async move {
                let client = if actor == "buyer" {
                    &deal.buyer.client
                } else {
                    &deal.seller.client
                };
                call(
                    app,
                    client,
                    Method::GET,
                    &format!("/api/v1/orders{query}"),
                    None,
                )
                .await
            }
        };
        let (status, page) = list("", "buyer").await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(
            ids(&page),
            [second.clone(), first.clone()],
            "the buyer's, newest first"
        );
        assert_eq!(
            ids(&list("", "seller").await.1),
            Vec::<String>::new(),
            "buyer is the default side"
        );
        assert_eq!(
            ids(&list("?side=seller", "seller").await.1),
            [second.clone(), first.clone()]
        );
        assert_eq!(
            ids(&list("?side=seller&state=placed", "seller").await.1),
            vec![first.clone()]
        );
        let (_, page) = list("?limit=1", "buyer").await;
        assert_eq!(ids(&page), vec![second.clone()]);
        let cursor = page["next_cursor"].as_str().unwrap().to_owned();
        let (_, next) = call(
            &app,
            &deal.buyer.client,
            Method::GET,
            &format!("/api/v1/orders?limit=1&cursor={cursor}"),
            None,
        )
        .await;
        assert_eq!(ids(&next), vec![first.clone()]);
        assert!(next["next_cursor"].is_null());
        let query = |filter: String| format!("/api/v1/orders?{filter}");
        for (filter, expected) in [
            (
                format!("counterparty={}", deal.seller.company_id),
                vec![second.clone(), first.clone()],
            ),
            (format!("counterparty={}", deal.buyer.company_id), vec![]),
            (format!("placed_from={middle}"), vec![second.clone()]),
            (format!("placed_until={middle}"), vec![first.clone()]),
            (
                format!("placed_from={start}&placed_until={middle}"),
                vec![first.clone()],
            ),
        ] {
            let url = query(filter.replace('+', "%2B"));
            let (status, page) = call(&app, &deal.buyer.client, Method::GET, &url, None).await;
            assert_eq!(status, 200, "{url}: {page}");
            assert_eq!(ids(&page), expected, "{url}");
        }
        for (bad, field) in [
            ("side=both", "side"),
            ("state=lost", "state"),
            ("counterparty=prd_0000000000000", "counterparty"),
            ("placed_from=yesterday", "placed_from"),
            ("placed_until=2026-13-01T00:00:00Z", "placed_until"),
            ("limit=0", "limit"),
            ("limit=201", "limit"),
            ("cursor=after_x", "cursor"),
        ] {
            let answer = call(
                &app,
                &deal.buyer.client,
                Method::GET,
                &query(bad.to_owned()),
                None,
            )
            .await;
            check_problem(&answer, 400, "invalid_query", Some(field));
        }
    }
);

app_test!(
    the_operator_sets_the_terms_of_trade_and_members_cannot,
    |app: TestApp| async move {
        let deal = deal(&app).await;
        let operator = app.sign_in_operator().await;
        let (status, policy) = call(
            &app,
            &operator,
            Method::GET,
            "/api/v1/operator/trade/policy",
            None,
        )
        .await;
        assert_eq!(status, 200, "{policy}");
        assert_eq!(policy["fee_default_bp"], 200);
        let mut changed = policy.clone();
        changed["fee_default_bp"] = json!(3_001);
        let refused = call(
            &app,
            &operator,
            Method::PUT,
            "/api/v1/operator/trade/policy",
            Some(changed.clone()),
        )
        .await;
        check_problem(&refused, 422, "invalid_field", Some("fee_default_bp"));
        changed["fee_default_bp"] = json!(150);
        changed["refund_answer_within_days"] = json!(0);
        let refused = call(
            &app,
            &operator,
            Method::PUT,
            "/api/v1/operator/trade/policy",
            Some(changed.clone()),
        )
        .await;
        check_problem(
            &refused,
            422,
            "invalid_field",
            Some("refund_answer_within_days"),
        );
        assert_eq!(
            call(
                &app,
                &operator,
                Method::GET,
                "/api/v1/operator/trade/policy",
                None
            )
            .await
            .1,
            policy,
            "unchanged"
        );
        changed["refund_answer_within_days"] = json!(5);
        let (status, set) = call(
            &app,
            &operator,
            Method::PUT,
            "/api/v1/operator/trade/policy",
            Some(changed.clone()),
        )
        .await;
        assert_eq!((status, &set), (200, &changed));
        assert_eq!(place(&app, &deal, MOQ).await["fee_bp"], 150);

        let tree = app.market.categories().await.unwrap();
        let leaf: market::CategoryId = deal.category.parse().unwrap();
        let top = tree.path(leaf)[0].id;
        let fees = format!("/api/v1/operator/trade/category-fees/{top}");
        let not_top = call(
            &app,
            &operator,
            Method::PUT,
            &format!("/api/v1/operator/trade/category-fees/{leaf}"),
            Some(json!({"fee_bp": 300})),
        )
        .await;
        check_problem(&not_top, 422, "invalid_field", Some("category_id"));
        let too_high = call(
            &app,
            &operator,
            Method::PUT,
            &fees,
            Some(json!({"fee_bp": 5_000})),
        )
        .await;
        check_problem(&too_high, 422, "invalid_field", Some("fee_bp"));
        let (status, fee) = call(
            &app,
            &operator,
            Method::PUT,
            &fees,
            Some(json!({"fee_bp": 350})),
        )
        .await;
        assert_eq!(
            (status, &fee),
            (200, &json!({"category_id": top.to_string(), "fee_bp": 350}))
        );
        let (_, all) = call(
            &app,
            &operator,
            Method::GET,
            "/api/v1/operator/trade/category-fees",
            None,
        )
        .await;
        assert_eq!(all, json!([fee]));
        assert_eq!(place(&app, &deal, MOQ).await["fee_bp"], 350);
        let (status, _) = call(&app, &operator, Method::DELETE, &fees, None).await;
        assert_eq!(status, 204);
        assert_eq!(place(&app, &deal, MOQ).await["fee_bp"], 150);

        for (method, path, body) in [
            (
                Method::GET,
                "/api/v1/operator/trade/policy".to_owned(),
                None,
            ),
            (
                Method::PUT,
                "/api/v1/operator/trade/policy".to_owned(),
                Some(changed.clone()),
            ),
            (
                Method::GET,
                "/api/v1/operator/trade/category-fees".to_owned(),
                None,
            ),
            (Method::PUT, fees.clone(), Some(json!({"fee_bp": 1}))),
        ] {
            let answer = call(&app, &deal.seller.client, method.clone(), &path, body).await;
            check_problem(&answer, 404, "not_found", None);
        }
        assert_eq!(
            call(
                &app,
                &operator,
                Method::GET,
                "/api/v1/operator/trade/category-fees",
                None
            )
            .await
            .1,
            json!([])
        );
    }
);
