//! Invoices over HTTP: a deal's invoice in both books, printable; an
//! invoice by hand through the page's form, paid through its form; every
//! refusal with its code and field (and nothing written); the aging as JSON,
//! CSV and a page.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use web::app_test;
use web::testing::{Actor, TestApp};

use crate::orders_support::{deal, deliver, paid, ship, top_up};
use crate::support::{call, check_problem, count, page_text};

/// The actor's invoices once there are `at_least`.
async fn invoices(app: &TestApp, actor: &Actor, at_least: usize) -> Vec<Value> {
    for _ in 0..200 {
        let (status, body) = call(
            app,
            &actor.client,
            Method::GET,
            "/api/v1/books/invoices",
            None,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let items = body["items"].as_array().unwrap().clone();
        if items.len() >= at_least {
            return items;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("fewer than {at_least} invoices");
}

app_test!(
    a_deals_invoices_are_printable_and_open_in_the_aging_until_the_escrow_pays,
    |app: TestApp| async move {
        let deal = deal(&app).await;
        top_up(&app, &deal.buyer, 500_000).await;
        let order = paid(&app, &deal, 100, 800).await;
        let tracking = ship(&app, &deal, &order).await;
        let [sale] = invoices(&app, &deal.seller, 1).await.try_into().unwrap();
        assert_eq!(sale["order_id"], order.as_str());
        assert_eq!(sale["kind"], "sales");
        assert_eq!(sale["state"], "open");
        assert!(sale["number"].as_str().unwrap().starts_with("INV-"));
        let [purchase] = invoices(&app, &deal.buyer, 1).await.try_into().unwrap();
        assert_eq!(purchase["gross_minor"], sale["gross_minor"]);

        let id = sale["id"].as_str().unwrap();
        let (status, shown) = call(
            &app,
            &deal.seller.client,
            Method::GET,
            &format!("/api/v1/books/invoices/{id}"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{shown}");
        assert_eq!(shown["lines"][0]["quantity"], 100);
        let page = page_text(&app, &deal.seller.client, &format!("/books/invoices/{id}")).await;
        assert!(page.contains(sale["number"].as_str().unwrap()), "{page}");
        assert!(
            page.contains("Vogel Haushalt"),
            "the customer by name: {page}"
        );
        assert!(page.contains("window.print()"), "{page}");
        assert!(!page.contains("/payments"), "an escrow pays it: {page}");
        let list = page_text(&app, &deal.seller.client, "/books/invoices").await;
        assert!(list.contains(&format!("/books/invoices/{id}")), "{list}");

        let aging = call(
            &app,
            &deal.seller.client,
            Method::GET,
            "/api/v1/books/reports/aging",
            None,
        )
        .await
        .1;
        assert_eq!(aging["totals"][0]["current_minor"], sale["gross_minor"]);
        let page = page_text(&app, &deal.buyer.client, "/books/aging?kind=purchase").await;
        assert!(page.contains("Hengxin Thermos"), "{page}");
        let csv = deal
            .seller
            .client
            .get(app.url("/api/v1/books/reports/aging.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), 200);
        assert!(
            csv.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let text = csv.text().await.unwrap();
        assert!(
            text.starts_with("counterparty,currency,invoices,current"),
            "{text}"
        );
        assert!(text.contains("Vogel Haushalt,CNY,1,"), "{text}");

        // Paying it by hand is refused: the escrow settles it.
        let answer = call(
            &app,
            &deal.seller.client,
            Method::POST,
            &format!("/api/v1/books/invoices/{id}/payments"),
            Some(json!({"date": "2026-11-03", "amount_minor": 100})),
        )
        .await;
        check_problem(&answer, 409, "state_conflict", None);
        assert_eq!(answer.1["reason"], "paid_through_escrow");

        // Delivered, received, settled: the invoice is settled.
        deliver(&app, &deal.seller, &tracking).await;
        let (status, body) = crate::orders_support::step(
            &app,
            &deal.buyer,
            &format!("/api/v1/orders/{order}/confirm-receipt"),
            &format!("receipt-{order}"),
            Value::Null,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        for _ in 0..200 {
            let settled = call(
                &app,
                &deal.seller.client,
                Method::GET,
                "/api/v1/books/invoices?state=settled",
                None,
            )
            .await
            .1;
            if settled["items"].as_array().unwrap().len() == 1 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the invoice was never settled");
    }
);

app_test!(
    an_invoice_by_hand_through_the_form_is_paid_through_its_form,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let csrf = crate::pages::csrf_of(&app, &owner.client, "/books/invoices").await;
        let form = [
            ("csrf_token", csrf.as_str()),
            ("kind", "sales"),
            ("counterparty_name", "上海远景贸易有限公司"),
            ("date", "2026-11-02"),
            ("due_date", ""),
            ("currency", "CNY"),
            ("memo", "November samples"),
            ("description_0", "Vacuum flask 500 ml"),
            ("quantity_0", "3"),
            ("unit_0", "piece"),
            ("price_0", "33.33"),
            ("rate_0", "1300"),
            ("account_0", ""),
            ("description_1", "Engraving"),
            ("quantity_1", "1"),
            ("price_1", "500"),
            ("rate_1", "600"),
        ];
        let answer = owner
            .client
            .post(app.url("/books/invoices"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303);
        let to = answer.headers()["location"].to_str().unwrap().to_owned();
        assert!(to.ends_with("?notice=invoice-saved"), "{to}");
        let page = page_text(&app, &owner.client, &to).await;
        assert!(page.contains("上海远景贸易有限公司"), "{page}");
        assert!(
            page.contains("The invoice is numbered and posted."),
            "{page}"
        );
        // 99.99 at 13 % is 13.00 of VAT; 500.00 at 6 % is 30.00.
        assert!(page.contains("642.99"), "the total with VAT: {page}");
        let id = to
            .trim_start_matches("/books/invoices/")
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        let answer = owner
            .client
            .post(app.url(&format!("/books/invoices/{id}/payments")))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("date", "2026-11-20"),
                ("amount", "642.99"),
                ("reference", "BOC-20261120-7"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303);
        let (status, paid) = call(
            &app,
            &owner.client,
            Method::GET,
            &format!("/api/v1/books/invoices/{id}"),
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(paid["state"], "settled");
        assert_eq!(paid["open_minor"], 0);
        assert_eq!(paid["vat_minor"], 4_300);

        // Refusals name the field and write nothing.
        let before = count(&app, "books_invoice").await;
        let bad = |changes: Value| {
            let mut body = json!({"kind": "purchase", "counterparty_name": "Ningbo Port Logistics",
                "date": "2026-11-05", "currency": "CNY",
                "lines": [{"description": "Storage", "quantity": 1, "unit_price_minor": 10_000, "vat_rate_bp": 900}]});
            for (key, value) in changes.as_object().unwrap() {
                body[key] = value.clone();
            }
            body
        };
        for (changes, field) in [
            (
                json!({"lines": [{"description": "Storage", "quantity": 1, "unit_price_minor": 10_000, "vat_rate_bp": 1_700}]}),
                "lines[0].vat_rate_bp",
            ),
            (json!({"lines": []}), "lines"),
            (json!({"due_date": "2026-10-01"}), "due_date"),
            (json!({"kind": "gift"}), "kind"),
            (json!({"date": "2026-02-30"}), "date"),
        ] {
            let answer = call(
                &app,
                &owner.client,
                Method::POST,
                "/api/v1/books/invoices",
                Some(bad(changes)),
            )
            .await;
            check_problem(&answer, 422, "invalid_field", Some(field));
        }
        let answer = call(
            &app,
            &owner.client,
            Method::POST,
            &format!("/api/v1/books/invoices/{id}/payments"),
            Some(json!({"date": "2026-11-21", "amount_minor": 1})),
        )
        .await;
        check_problem(&answer, 409, "state_conflict", None);
        assert_eq!(count(&app, "books_invoice").await, before);
        let answer = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/books/invoices",
            Some(bad(json!({}))),
        )
        .await;
        assert_eq!(answer.0, 201, "{}", answer.1);
        let aging = page_text(&app, &owner.client, "/books/aging?kind=purchase").await;
        assert!(aging.contains("Ningbo Port Logistics"), "{aging}");
    }
);

app_test!(
    a_bank_statement_pasted_on_the_page_pays_an_invoice_by_its_number,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let (status, invoice) = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/books/invoices",
            Some(
                json!({"kind": "sales", "counterparty_name": "Alpha Trading", "date": "2026-11-02",
                "currency": "CNY", "lines": [{"description": "Flasks", "quantity": 10,
                "unit_price_minor": 1_000, "vat_rate_bp": 1300}]}),
            ),
        )
        .await;
        assert_eq!(status, 201, "{invoice}");
        let number = invoice["number"].as_str().unwrap();
        let csrf = crate::pages::csrf_of(&app, &owner.client, "/books/bank").await;
        let statement = format!(
            "date,amount,currency,reference,counterparty\n2026-11-20,113.00,CNY,{number} thanks,Alpha\n2026-11-21,-5.00,CNY,fee,\n"
        );
        let answer = owner
            .client
            .post(app.url("/books/bank-statements"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("account_id", ""),
                ("file", statement.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303);
        let page = page_text(&app, &owner.client, "/books/bank?notice=statement-imported").await;
        assert!(page.contains("The statement is imported."), "{page}");
        assert!(page.contains(&format!("{number} thanks")), "{page}");
        assert!(page.contains("selected>"), "the invoice suggested: {page}");

        // The same file again over the API adds nothing; a bad one is refused.
        let again = owner
            .client
            .post(app.url("/api/v1/books/bank-statements"))
            .header("content-type", "text/csv")
            .body(statement.clone())
            .send()
            .await
            .unwrap();
        let (status, body) = crate::support::read(again).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(
            (body["imported"].as_i64(), body["duplicates"].as_i64()),
            (Some(0), Some(2))
        );
        let bad = owner
            .client
            .post(app.url("/api/v1/books/bank-statements"))
            .header("content-type", "text/csv")
            .body("date,amount,currency,reference,counterparty\n2026-11-20,abc,CNY,,\n")
            .send()
            .await
            .unwrap();
        check_problem(
            &crate::support::read(bad).await,
            422,
            "invalid_field",
            Some("rows[0].amount"),
        );

        let lines = call(
            &app,
            &owner.client,
            Method::GET,
            "/api/v1/books/bank-lines?state=open",
            None,
        )
        .await
        .1;
        let line = lines["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|line| line["amount_minor"] == 11_300)
            .unwrap()
            .clone();
        assert_eq!(line["suggested_invoice_id"], invoice["id"]);
        let answer = owner
            .client
            .post(app.url(&format!(
                "/books/bank-lines/{}/match",
                line["id"].as_str().unwrap()
            )))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("invoice_id", invoice["id"].as_str().unwrap()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303);
        let (_, paid) = call(
            &app,
            &owner.client,
            Method::GET,
            &format!("/api/v1/books/invoices/{}", invoice["id"].as_str().unwrap()),
            None,
        )
        .await;
        assert_eq!(paid["state"], "settled");
        let again = call(
            &app,
            &owner.client,
            Method::POST,
            &format!(
                "/api/v1/books/bank-lines/{}/match",
                line["id"].as_str().unwrap()
            ),
            Some(json!({"invoice_id": invoice["id"]})),
        )
        .await;
        check_problem(&again, 409, "state_conflict", None);

        // The fee pays no invoice: posted to an expense account from the page.
        let fee = lines["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|line| line["amount_minor"] == -500)
            .unwrap()
            .clone();
        let page = page_text(&app, &owner.client, "/books/bank").await;
        assert!(page.contains("Post to this account"), "{page}");
        let (_, accounts) = call(
            &app,
            &owner.client,
            Method::GET,
            "/api/v1/books/accounts",
            None,
        )
        .await;
        let expense = accounts
            .as_array()
            .unwrap()
            .iter()
            .find(|account| account["kind"] == "expense" && account["role"].is_null())
            .unwrap()
            .clone();
        let answer = owner
            .client
            .post(app.url(&format!(
                "/books/bank-lines/{}/post",
                fee["id"].as_str().unwrap()
            )))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("account_id", expense["id"].as_str().unwrap()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303);
        let open = call(
            &app,
            &owner.client,
            Method::GET,
            "/api/v1/books/bank-lines?state=open",
            None,
        )
        .await
        .1;
        assert_eq!(open["items"].as_array().unwrap().len(), 0, "{open}");
        let posted = call(
            &app,
            &owner.client,
            Method::GET,
            "/api/v1/books/bank-lines?state=posted",
            None,
        )
        .await
        .1;
        assert_eq!(posted["items"][0]["id"], fee["id"]);
        let again = call(
            &app,
            &owner.client,
            Method::POST,
            &format!(
                "/api/v1/books/bank-lines/{}/post",
                fee["id"].as_str().unwrap()
            ),
            Some(json!({"account_id": expense["id"]})),
        )
        .await;
        check_problem(&again, 409, "state_conflict", None);
    }
);

app_test!(
    a_credit_note_by_hand_through_the_invoice_page_takes_part_of_it_back,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let (status, invoice) = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/books/invoices",
            Some(
                json!({"kind": "sales", "counterparty_name": "Alpha Trading", "date": "2026-11-02",
                "currency": "CNY", "lines": [{"description": "Flasks", "quantity": 10,
                "unit_price_minor": 1_000, "vat_rate_bp": 1300}]}),
            ),
        )
        .await;
        assert_eq!(status, 201, "{invoice}");
        let id = invoice["id"].as_str().unwrap();
        let page = format!("/books/invoices/{id}");
        let csrf = crate::pages::csrf_of(&app, &owner.client, &page).await;
        let answer = owner
            .client
            .post(app.url(&format!("{page}/credit-notes")))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("date", "2026-11-10"),
                ("description", "Two flasks dented"),
                ("amount", "20.00"),
                ("rate", "1300"),
                ("memo", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303);
        let to = answer.headers()["location"].to_str().unwrap().to_owned();
        let text = page_text(&app, &owner.client, &to).await;
        assert!(text.contains("CN-"), "{text}");
        assert!(text.contains("22.60"), "20.00 and 13 % VAT: {text}");
        let (_, invoice) = call(
            &app,
            &owner.client,
            Method::GET,
            &format!("/api/v1/books/invoices/{id}"),
            None,
        )
        .await;
        assert_eq!(invoice["open_minor"], 11_300 - 2_260);

        // More than is open: refused with the field, nothing written.
        let before = count(&app, "books_invoice").await;
        let answer = call(
            &app,
            &owner.client,
            Method::POST,
            &format!("/api/v1/books/invoices/{id}/credit-notes"),
            Some(
                json!({"date": "2026-11-11", "lines": [{"description": "All of it", "quantity": 1,
                "unit_price_minor": 10_000, "vat_rate_bp": 1300}]}),
            ),
        )
        .await;
        check_problem(&answer, 422, "invalid_field", Some("lines"));
        assert_eq!(count(&app, "books_invoice").await, before);
    }
);

app_test!(
    a_receipt_is_attached_to_an_entry_and_downloaded_as_it_was,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let (_, accounts) = call(
            &app,
            &owner.client,
            Method::GET,
            "/api/v1/books/accounts",
            None,
        )
        .await;
        let of_role = |role: &str| {
            accounts
                .as_array()
                .unwrap()
                .iter()
                .find(|account| account["role"] == role)
                .unwrap()["id"]
                .clone()
        };
        let (status, entry) = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/books/entries",
            Some(
                json!({"date": "2026-11-02", "memo": "Office chairs", "lines": [
                {"account_id": of_role("inventory"), "currency": "CNY", "debit_minor": 80_000},
                {"account_id": of_role("bank"), "currency": "CNY", "credit_minor": 80_000}]}),
            ),
        )
        .await;
        assert_eq!(status, 201, "{entry}");
        let base = format!(
            "/api/v1/books/entries/{}/attachments",
            entry["id"].as_str().unwrap()
        );
        let upload = |name: &str, content_type: &str, body: Vec<u8>| {
            owner
                .client
                .post(app.url(&format!("{base}?file_name={name}")))
                .header("content-type", content_type)
                .body(body)
                .send()
        };
        let pdf = b"%PDF-1.4\n\x00\xff receipt".to_vec();
        let (status, receipt) = crate::support::read(
            upload("%E5%8F%91%E7%A5%A8.pdf", "application/pdf", pdf.clone())
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 201, "{receipt}");
        assert_eq!(receipt["file_name"], "发票.pdf");
        let download = owner
            .client
            .get(app.url(&format!("{base}/{}", receipt["id"].as_str().unwrap())))
            .send()
            .await
            .unwrap();
        assert_eq!(download.status(), 200);
        assert_eq!(download.headers()["content-type"], "application/pdf");
        assert_eq!(
            download.headers()["content-disposition"],
            "attachment; filename*=UTF-8''%E5%8F%91%E7%A5%A8.pdf"
        );
        assert_eq!(download.bytes().await.unwrap().to_vec(), pdf);

        // Too large: 413 before anything is read; not what it says: 422.
        let before = count(&app, "books_attachment").await;
        let big = upload(
            "big.txt",
            "text/plain",
            vec![b'a'; books::ATTACHMENT_BYTES_MAX + 1],
        )
        .await
        .unwrap();
        check_problem(
            &crate::support::read(big).await,
            413,
            "body_too_large",
            None,
        );
        let fake = upload("fake.png", "image/png", b"GIF89a".to_vec())
            .await
            .unwrap();
        check_problem(
            &crate::support::read(fake).await,
            422,
            "invalid_field",
            Some("content"),
        );
        assert_eq!(count(&app, "books_attachment").await, before);
        let (_, listed) = call(&app, &owner.client, Method::GET, &base, None).await;
        assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    }
);

app_test!(
    exchange_rates_are_set_on_the_page_and_an_invoice_in_dollars_needs_one,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let invoice = json!({"kind": "sales", "counterparty_name": "Pacific Crest", "date": "2026-11-02",
            "currency": "USD", "lines": [{"description": "Flasks", "quantity": 10,
            "unit_price_minor": 1_000, "vat_rate_bp": 0}]});
        let answer = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/books/invoices",
            Some(invoice.clone()),
        )
        .await;
        check_problem(&answer, 422, "invalid_field", Some("currency"));
        assert_eq!(answer.1["reason"], "no_exchange_rate");

        let csrf = crate::pages::csrf_of(&app, &owner.client, "/books/rates").await;
        let answer = owner
            .client
            .post(app.url("/books/rates"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("currency", "usd"),
                ("date", "2026-11-01"),
                ("rate", "7.1180"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303);
        let page = page_text(&app, &owner.client, "/books/rates?notice=rate-saved").await;
        assert!(page.contains("1 USD = 7.118 CNY"), "{page}");
        let answer = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/books/invoices",
            Some(invoice),
        )
        .await;
        assert_eq!(answer.0, 201, "{}", answer.1);

        let (_, rates) = call(
            &app,
            &owner.client,
            Method::GET,
            "/api/v1/books/exchange-rates",
            None,
        )
        .await;
        assert_eq!(rates[0]["rate"], "7.118");
        let bad = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/books/exchange-rates",
            Some(json!({"currency": "USD", "date": "2026-11-01", "rate": "-7"})),
        )
        .await;
        check_problem(&bad, 422, "invalid_field", Some("rate"));
        let gone = owner
            .client
            .delete(app.url(&format!(
                "/api/v1/books/exchange-rates/{}",
                rates[0]["id"].as_str().unwrap()
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), 204);
        let (_, settings) = call(
            &app,
            &owner.client,
            Method::GET,
            "/api/v1/books/settings",
            None,
        )
        .await;
        assert_eq!(settings["functional_currency"], "CNY");
    }
);
