//! Buying and counting over HTTP and on the pages: a supplier's price, a
//! replenishment run drafting a purchase order, goods received and some
//! sent back, a count sheet opened, counted and posted; refusals carry
//! their code and field.

use reqwest::Method;
use serde_json::json;
use web::app_test;
use web::testing::TestApp;

use crate::scm::{created, id, item_body, settings, submit};
use crate::support::{call, check_problem, count, page_text};

app_test!(
    a_reorder_point_drafts_an_order_that_is_received_returned_and_counted,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hamburg Kontor").await;
        // FIFO, chosen on the valuation page before anything moved.
        let csrf = crate::pages::csrf_of(&app, &owner.client, "/stock/valuation").await;
        let (status, location, _) = submit(
            &app,
            &owner,
            "/stock/valuation/method",
            &[("csrf_token", &csrf), ("valuation", "fifo")],
        )
        .await;
        assert_eq!(
            (status, location.as_str()),
            (303, "/stock/valuation?notice=valuation-set")
        );
        assert_eq!(settings(&app, &owner).await["valuation"], "fifo");
        let mut body = item_body("HX-500");
        body["reorder_point"] = json!(50);
        body["reorder_quantity"] = json!(96);
        let item = created(&app, &owner, "/api/v1/scm/items", body).await;
        let supplier = created(
            &app,
            &owner,
            "/api/v1/scm/suppliers",
            json!({"name": "义乌 Yiwu Flasks"}),
        )
        .await;
        let prices = format!(
            "/api/v1/scm/suppliers/{}/prices/{}",
            id(&supplier),
            id(&item)
        );
        let refused = call(
            &app,
            &owner.client,
            Method::PUT,
            &prices,
            Some(json!({"unit_price_minor": 4_800, "currency": "CNY", "unit": "pallet"})),
        )
        .await;
        check_problem(&refused, 422, "invalid_field", Some("unit"));
        let (status, price) = call(
            &app,
            &owner.client,
            Method::PUT,
            &prices,
            Some(json!({"unit_price_minor": 4_800, "currency": "CNY", "unit": "carton", "lead_time_days": 12})),
        )
        .await;
        assert_eq!(status, 200, "{price}");

        let (status, proposals) = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/scm/replenishment/run",
            None,
        )
        .await;
        assert_eq!(status, 200, "{proposals}");
        assert_eq!(proposals[0]["outcome"], "purchase_order", "{proposals}");
        let po = proposals[0]["purchase_order_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, order) = call(
            &app,
            &owner.client,
            Method::GET,
            &format!("/api/v1/scm/purchase-orders/{po}"),
            None,
        )
        .await;
        // 96 pieces are four cartons at 48.00.
        assert_eq!(order["lines"][0]["quantity"], 4, "{order}");
        assert_eq!(order["lines"][0]["unit"], "carton");
        let page = page_text(&app, &owner.client, "/stock/replenishment").await;
        assert!(page.contains("HX-500"), "{page}");

        for step in ["place", "receipts"] {
            let body =
                (step == "receipts").then(|| json!({"lines": [{"line_no": 1, "quantity": 4}]}));
            let (status, answer) = call(
                &app,
                &owner.client,
                Method::POST,
                &format!("/api/v1/scm/purchase-orders/{po}/{step}"),
                body,
            )
            .await;
            assert_eq!(status, 200, "{step}: {answer}");
        }
        let returns = format!("/api/v1/scm/purchase-orders/{po}/returns");
        let moves_before = count(&app, "scm_move").await;
        let refused = call(
            &app,
            &owner.client,
            Method::POST,
            &returns,
            Some(json!({"lines": [{"line_no": 1, "quantity": 5}]})),
        )
        .await;
        check_problem(&refused, 422, "invalid_field", Some("lines[0].quantity"));
        assert_eq!(refused.1["reason"], "over_return");
        assert_eq!(count(&app, "scm_move").await, moves_before);

        // One carton goes back from the page.
        let csrf =
            crate::pages::csrf_of(&app, &owner.client, &format!("/stock/purchases/{po}")).await;
        let (status, location, page) = submit(
            &app,
            &owner,
            &format!("/stock/purchases/{po}/return"),
            &[
                ("csrf_token", &csrf),
                ("return_1", "1"),
                ("location_id", ""),
                ("lot", ""),
                ("reason", "dented"),
            ],
        )
        .await;
        assert_eq!(status, 303, "{page}");
        assert!(location.contains("notice=goods-returned"), "{location}");

        // A count from the pages: 70 on the shelf, 72 expected.
        let warehouse = settings(&app, &owner).await["default_warehouse_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (status, location, page) = submit(
            &app,
            &owner,
            "/stock/counts",
            &[
                ("csrf_token", &csrf),
                ("location_id", &warehouse),
                ("note", "月末 month end"),
            ],
        )
        .await;
        assert_eq!(status, 303, "{page}");
        let sheet = location.split('?').next().unwrap().to_owned();
        let page = page_text(&app, &owner.client, &sheet).await;
        assert!(page.contains("72"), "{page}");
        let (status, _, page) = submit(
            &app,
            &owner,
            &format!("{sheet}/lines"),
            &[("csrf_token", &csrf), ("counted_1", "-3"), ("reason_1", "")],
        )
        .await;
        assert_eq!(status, 422, "{page}");
        assert!(page.contains("class=\"error\""), "{page}");
        let (status, _, _) = submit(
            &app,
            &owner,
            &format!("{sheet}/lines"),
            &[
                ("csrf_token", &csrf),
                ("counted_1", "70"),
                ("reason_1", "broken"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let (status, location, _) = submit(
            &app,
            &owner,
            &format!("{sheet}/post"),
            &[("csrf_token", &csrf)],
        )
        .await;
        assert_eq!(status, 303);
        assert!(location.contains("count-posted"), "{location}");
        let (_, item_now) = call(
            &app,
            &owner.client,
            Method::GET,
            &format!("/api/v1/scm/items/{}", id(&item)),
            None,
        )
        .await;
        assert_eq!(item_now["on_hand"], 70, "{item_now}");
        let page = page_text(&app, &owner.client, "/stock/counts").await;
        assert!(page.contains("month end"), "{page}");

        // The settings: buying requests instead, from the page.
        let (status, _, _) = submit(
            &app,
            &owner,
            "/stock/replenishment/settings",
            &[("csrf_token", &csrf), ("replenish_with", "buying_requests")],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(
            settings(&app, &owner).await["replenish_with"],
            "buying_requests"
        );
        // Stock has moved: the method stays.
        let refused = call(
            &app,
            &owner.client,
            Method::PATCH,
            "/api/v1/scm/settings",
            Some(json!({"valuation": "average"})),
        )
        .await;
        check_problem(&refused, 409, "state_conflict", None);
        assert_eq!(refused.1["reason"], "valuation_locked");
        // A body is an object, never an array of its fields.
        let refused = call(
            &app,
            &owner.client,
            Method::PATCH,
            "/api/v1/scm/settings",
            Some(json!([null, null])),
        )
        .await;
        check_problem(&refused, 400, "malformed_body", None);
    }
);

app_test!(
    the_csv_files_import_over_the_api_whole_or_not_at_all,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hamburg Kontor").await;
        let import = |path: &'static str, body: &'static str| {
            let request = owner
                .client
                .post(app.url(path))
                .header("content-type", "text/csv")
                .body(body);
            async move { crate::support::read(request.send().await.unwrap()).await }
        };
        let refused = import(
            "/api/v1/scm/items/import",
            "sku,name,unit,cost_currency\nHX-500,Flask,piece,CNY\nHX-500,Flask,piece,CNY\n",
        )
        .await;
        check_problem(&refused, 422, "import_rejected", Some("file"));
        assert_eq!(refused.1["rows"][0]["line"], 3);
        assert_eq!(refused.1["rows"][0]["code"], "duplicate");
        assert_eq!(count(&app, "scm_item").await, 0);
        let (status, report) = import(
            "/api/v1/scm/items/import",
            "sku,name,unit,units,cost_currency\nHX-500,真空保温杯,piece,carton=24,CNY\n",
        )
        .await;
        assert_eq!(
            (status, report["created"].as_u64()),
            (200, Some(1)),
            "{report}"
        );
        let (status, report) = import(
            "/api/v1/scm/stock/import",
            "sku,location,quantity,unit_cost\nHX-500,WH1,48,2.00\n",
        )
        .await;
        assert_eq!(status, 200, "{report}");
        let (status, report) = import(
            "/api/v1/scm/suppliers/import",
            "name,contact\n义乌 Yiwu Flasks,Mr Wang\n",
        )
        .await;
        assert_eq!(
            (status, report["created"].as_u64()),
            (200, Some(1)),
            "{report}"
        );
        for (path, expected) in [
            (
                "/api/v1/scm/items.csv",
                "HX-500,真空保温杯,piece,carton=24,CNY,no,0,0",
            ),
            ("/api/v1/scm/suppliers.csv", "义乌 Yiwu Flasks,Mr Wang,,,no"),
            ("/api/v1/scm/stock.csv", "HX-500"),
        ] {
            let response = owner.client.get(app.url(path)).send().await.unwrap();
            assert_eq!(
                response.headers()["content-type"],
                "text/csv; charset=utf-8"
            );
            let text = response.text().await.unwrap();
            assert!(text.contains(expected), "{path}: {text}");
        }
        let page = page_text(&app, &owner.client, "/stock").await;
        assert!(page.contains("/stock/import/items"), "{page}");
    }
);

app_test!(
    a_replenishment_draft_goes_to_a_supplier_on_hanse_as_a_market_order,
    |app: TestApp| async move {
        let deal = crate::orders_support::deal(&app).await;
        crate::orders_support::top_up(&app, &deal.buyer, 10_000_000).await;
        let first = crate::orders_support::paid(&app, &deal, 300, 0).await;
        // The first purchase brings the seller in as a supplier, with its product.
        let mut purchases = serde_json::Value::Null;
        for _ in 0..200 {
            purchases = call(
                &app,
                &deal.buyer.client,
                Method::GET,
                "/api/v1/scm/purchase-orders",
                None,
            )
            .await
            .1;
            if purchases["items"]
                .as_array()
                .is_some_and(|items| !items.is_empty())
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(purchases["items"][0]["market_order_id"], first.as_str());
        let item = purchases["items"][0]["lines"][0]["item_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (status, _) = call(
            &app,
            &deal.buyer.client,
            Method::PATCH,
            &format!("/api/v1/scm/items/{item}"),
            Some(json!({"reorder_point": 400, "reorder_quantity": 300})),
        )
        .await;
        assert_eq!(status, 200);
        let (_, proposals) = call(
            &app,
            &deal.buyer.client,
            Method::POST,
            "/api/v1/scm/replenishment/run",
            None,
        )
        .await;
        let draft = proposals[0]["purchase_order_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let send = format!("/api/v1/scm/purchase-orders/{draft}/send-to-market");
        let refused = call(
            &app,
            &deal.buyer.client,
            Method::POST,
            &send,
            Some(json!({"delivery_address": ""})),
        )
        .await;
        check_problem(&refused, 422, "invalid_field", Some("delivery_address"));
        let (status, sent) = call(
            &app,
            &deal.buyer.client,
            Method::POST,
            &send,
            Some(json!({"delivery_address": "Vogel Haushalt GmbH, Speicherstadt 1, Hamburg", "terms": "FOB"})),
        )
        .await;
        assert_eq!(status, 200, "{sent}");
        assert_eq!(sent["state"], "ordered");
        let order = sent["market_order_id"].as_str().unwrap().to_owned();
        let (status, placed) = call(
            &app,
            &deal.buyer.client,
            Method::GET,
            &format!("/api/v1/orders/{order}"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{placed}");
        assert_eq!(placed["order"]["buyer_note"], "PO-2", "{placed}");
        assert_eq!(placed["order"]["lines"][0]["quantity"], 300);
        // Once the feed has seen the order, it is still this one purchase order.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let (_, all) = call(
            &app,
            &deal.buyer.client,
            Method::GET,
            "/api/v1/scm/purchase-orders",
            None,
        )
        .await;
        let following: Vec<_> = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|po| po["market_order_id"] == order.as_str())
            .collect();
        assert_eq!(following.len(), 1, "{all}");
        assert_eq!(following[0]["id"], draft.as_str());
    }
);
