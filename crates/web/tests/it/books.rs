//! The books over HTTP: a deal's postings on both sides reconciled with the
//! wallet, the reports and their CSV, an entry by hand and every refusal with
//! its code (and nothing written), and who may read and keep the books.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};
use web::app_test;
use web::testing::{Actor, TestApp};

use crate::orders_support::{Deal, deal, deliver, paid, ship, step, top_up};
use crate::support::{call, check_problem, count, read};

/// The actor's reconciliation once the books have caught up with the
/// outbox: every line agrees and there is at least one.
pub async fn reconciled(app: &TestApp, actor: &Actor) -> Value {
    let mut last = Value::Null;
    for _ in 0..200 {
        let (status, body) = call(
            app,
            &actor.client,
            Method::GET,
            "/api/v1/books/reconciliation",
            None,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        if body["all_match"] == true && !body["lines"].as_array().unwrap().is_empty() {
            return body;
        }
        last = body;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the books never caught up: {last}");
}

/// The entries the books posted for `order`, once there are `at_least`.
async fn order_entries(app: &TestApp, actor: &Actor, order: &str, at_least: usize) -> Vec<Value> {
    for _ in 0..200 {
        let (status, body) = call(
            app,
            &actor.client,
            Method::GET,
            &format!("/api/v1/books/entries?order_id={order}"),
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
    panic!("fewer than {at_least} entries for {order}");
}

/// A completed order: paid, shipped, delivered, received and settled.
async fn completed(app: &TestApp, deal: &Deal) -> String {
    top_up(app, &deal.buyer, 500_000).await;
    let order = paid(app, deal, 100, 800).await;
    let tracking = ship(app, deal, &order).await;
    deliver(app, &deal.seller, &tracking).await;
    let (status, body) = step(
        app,
        &deal.buyer,
        &format!("/api/v1/orders/{order}/confirm-receipt"),
        &format!("receipt-{order}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    order
}

async fn get(app: &TestApp, actor: &Actor, path: &str) -> Value {
    let (status, body) = call(app, &actor.client, Method::GET, path, None).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// The account with `role` in the actor's chart.
async fn account_with_role(app: &TestApp, actor: &Actor, role: &str) -> Value {
    get(app, actor, "/api/v1/books/accounts")
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|account| account["role"] == role)
        .cloned()
        .unwrap_or_else(|| panic!("no {role} account"))
}

app_test!(
    a_deal_posts_into_both_books_and_they_reconcile,
    |app: TestApp| async move {
        let deal = deal(&app).await;
        let order = completed(&app, &deal).await;
        // Seller: the invoice and the settlement; buyer: the advance, the
        // purchase invoice and its clearing.
        let seller_entries = order_entries(&app, &deal.seller, &order, 2).await;
        let buyer_entries = order_entries(&app, &deal.buyer, &order, 3).await;
        for entry in seller_entries.iter().chain(&buyer_entries) {
            assert_eq!(entry["order_id"], order.as_str());
            assert_eq!(entry["state"], "posted");
        }
        reconciled(&app, &deal.seller).await;
        let buyer = reconciled(&app, &deal.buyer).await;
        assert!(
            buyer["lines"]
                .as_array()
                .unwrap()
                .iter()
                .any(|line| line["what"] == "wallet" && line["books_minor"].as_i64() > Some(0)),
            "{buyer}"
        );

        // The seller earned: 100 flasks at ¥12.50 and ¥8 shipping, VAT inside.
        let pl = get(&app, &deal.seller, "/api/v1/books/reports/profit-and-loss").await;
        let cny = &pl["totals"][0];
        assert_eq!(cny["currency"], "CNY");
        assert!(cny["revenue_minor"].as_i64().unwrap() > 100_000, "{pl}");
        assert!(
            cny["revenue_minor"].as_i64().unwrap() < 125_800,
            "net of VAT: {pl}"
        );
        let trial = get(&app, &deal.seller, "/api/v1/books/reports/trial-balance").await;
        for total in trial["totals"].as_array().unwrap() {
            assert_eq!(total["debit_minor"], total["credit_minor"], "{trial}");
        }
        let sheet = get(&app, &deal.buyer, "/api/v1/books/reports/balance-sheet").await;
        for total in sheet["totals"].as_array().unwrap() {
            let sum = total["liabilities_minor"].as_i64().unwrap()
                + total["equity_minor"].as_i64().unwrap()
                + total["earnings_minor"].as_i64().unwrap();
            assert_eq!(total["assets_minor"].as_i64().unwrap(), sum, "{sheet}");
        }

        // The wallet account's general ledger ends where the wallet stands.
        let wallet = account_with_role(&app, &deal.seller, "wallet").await;
        let ledger = get(
            &app,
            &deal.seller,
            &format!(
                "/api/v1/books/accounts/{}/ledger",
                wallet["id"].as_str().unwrap()
            ),
        )
        .await;
        let (available, reserved) = crate::orders_support::wallet(&app, &deal.seller).await;
        assert_eq!(
            ledger["closing"][0]["balance_minor"].as_i64().unwrap(),
            available + reserved,
            "{ledger}"
        );
        assert_eq!(ledger["truncated"], false);
        let last_line = ledger["lines"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(
            last_line["balance_minor"],
            ledger["closing"][0]["balance_minor"]
        );

        // CSV: the journal names the order; the reports have their totals.
        let csv = deal
            .seller
            .client
            .get(app.url(&format!("/api/v1/books/journal.csv?order_id={order}")))
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
            text.starts_with("entry_no,date,journal,state,memo,order,line_no"),
            "{text}"
        );
        assert!(text.contains(&order), "{text}");
        for report in ["trial-balance", "profit-and-loss", "balance-sheet"] {
            let text = deal
                .seller
                .client
                .get(app.url(&format!("/api/v1/books/reports/{report}.csv")))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(
                text.starts_with(
                    "code,name_zh,name_en,kind,currency,debit,credit,balance,functional_currency,functional_balance\r\n"
                ),
                "{report}: {text}"
            );
            assert!(text.lines().count() > 2, "{report}: {text}");
        }

        // The VAT summary and its CSV answer; a bad month is the query's fault.
        let vat = get(&app, &deal.seller, "/api/v1/books/reports/vat-summary").await;
        assert!(vat["months"].is_array(), "{vat}");
        let (status, body) = call(
            &app,
            &deal.seller.client,
            Method::GET,
            "/api/v1/books/reports/vat-summary?from=2026-13",
            None,
        )
        .await;
        check_problem(&(status, body), 400, "invalid_query", Some("from"));
        let text = deal
            .seller
            .client
            .get(app.url("/api/v1/books/reports/vat-summary.csv"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            text.starts_with("period,currency,output_vat,input_vat,payable\r\n"),
            "{text}"
        );

        // The operator sees every member reconciled; members do not see that page.
        let operator = app.sign_in_operator().await;
        let (status, network) = call(
            &app,
            &operator,
            Method::GET,
            "/api/v1/operator/books/reconciliation",
            None,
        )
        .await;
        assert_eq!(status, 200, "{network}");
        assert_eq!(network["all_match"], true, "{network}");
        let (status, _) = call(
            &app,
            &deal.seller.client,
            Method::GET,
            "/api/v1/operator/books/reconciliation",
            None,
        )
        .await;
        assert_eq!(status, 404);
    }
);

/// An entry of two lines in CNY.
fn entry(debit_account: &str, credit_account: &str, debit: i64, credit: i64, date: &str) -> Value {
    json!({
        "journal": "general",
        "date": date,
        "memo": "Office rent, December",
        "lines": [
            {"account_id": debit_account, "currency": "CNY", "debit_minor": debit},
            {"account_id": credit_account, "currency": "CNY", "credit_minor": credit},
        ],
    })
}

app_test!(
    entries_by_hand_balance_post_once_and_refuse_with_a_field,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Lindqvist Trading").await;
        let (status, rent) = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/books/accounts",
            Some(
                json!({"code": "560299", "name_zh": "房租", "name_en": "Rent", "kind": "expense"}),
            ),
        )
        .await;
        assert_eq!(status, 201, "{rent}");
        let rent = rent["id"].as_str().unwrap().to_owned();
        let wallet = account_with_role(&app, &owner, "bank").await;
        let wallet = wallet["id"].as_str().unwrap().to_owned();
        let entries_before = count(&app, "books_entry").await;
        let lines_before = count(&app, "books_line").await;

        // Refusals, each naming the field, none writing anything.
        let post = |body: Value| {
            let client = owner.client.clone();
            let url = app.url("/api/v1/books/entries");
            async move { read(client.post(url).json(&body).send().await.unwrap()).await }
        };
        check_problem(
            &post(entry(&rent, &wallet, 10_000, 9_999, "2026-12-01")).await,
            422,
            "invalid_field",
            Some("lines"),
        );
        check_problem(
            &post(entry(&rent, &wallet, 10_000, 10_000, "2026-02-30")).await,
            422,
            "invalid_field",
            Some("date"),
        );
        let other = app.sign_up_company("Other Co").await;
        let theirs = account_with_role(&app, &other, "bank").await;
        let answer = post(entry(
            &rent,
            theirs["id"].as_str().unwrap(),
            100,
            100,
            "2026-12-01",
        ))
        .await;
        check_problem(&answer, 422, "invalid_field", Some("lines[1].account_id"));
        assert_eq!(answer.1["reason"], "unknown_account");
        let mirror = account_with_role(&app, &owner, "wallet").await;
        let answer = post(entry(
            &rent,
            mirror["id"].as_str().unwrap(),
            100,
            100,
            "2026-12-01",
        ))
        .await;
        check_problem(&answer, 422, "invalid_field", Some("lines[1].account_id"));
        assert_eq!(answer.1["reason"], "account_kept_by_platform");
        check_problem(
            &post(
                entry(&rent, &wallet, 10_000, 10_000, "2026-12-01")
                    .as_object()
                    .map(|o| {
                        let mut o = o.clone();
                        o.insert("colour".into(), json!("red"));
                        Value::Object(o)
                    })
                    .unwrap(),
            )
            .await,
            400,
            "malformed_body",
            None,
        );
        assert_eq!(count(&app, "books_entry").await, entries_before);
        assert_eq!(count(&app, "books_line").await, lines_before);

        // A draft, posted once; a posted entry is not deleted but reversed, once.
        let (status, draft) = post(entry(&rent, &wallet, 10_000, 10_000, "2026-11-03")).await;
        assert_eq!(status, 201, "{draft}");
        assert_eq!(draft["state"], "draft");
        let id = draft["id"].as_str().unwrap().to_owned();
        let act = |path: String, body: Value| {
            let client = owner.client.clone();
            let url = app.url(&path);
            async move { read(client.post(url).json(&body).send().await.unwrap()).await }
        };
        let (status, posted) = act(format!("/api/v1/books/entries/{id}/post"), json!(null)).await;
        assert_eq!(
            (status, posted["state"].as_str()),
            (200, Some("posted")),
            "{posted}"
        );
        let again = act(format!("/api/v1/books/entries/{id}/post"), json!(null)).await;
        check_problem(&again, 409, "state_conflict", None);
        assert_eq!(again.1["reason"], "already_posted");
        let (status, body) = call(
            &app,
            &owner.client,
            Method::DELETE,
            &format!("/api/v1/books/entries/{id}"),
            None,
        )
        .await;
        check_problem(&(status, body), 409, "state_conflict", None);
        let (status, reversal) = act(
            format!("/api/v1/books/entries/{id}/reverse"),
            json!({"date": "2026-11-30"}),
        )
        .await;
        assert_eq!(status, 201, "{reversal}");
        assert_eq!(reversal["reverses"], id.as_str());
        assert_eq!(reversal["lines"][0]["credit_minor"], 10_000);
        let twice = act(format!("/api/v1/books/entries/{id}/reverse"), json!({})).await;
        assert_eq!(twice.1["reason"], "already_reversed", "{}", twice.1);
        let shown = get(&app, &owner, &format!("/api/v1/books/entries/{id}")).await;
        assert_eq!(shown["reversed_by"], reversal["id"]);

        // A locked month takes nothing, by hand or by posting a draft.
        let (status, draft) = post(entry(&rent, &wallet, 500, 500, "2026-10-15")).await;
        assert_eq!(status, 201);
        let locked = act(
            "/api/v1/books/periods/lock".into(),
            json!({"period": "2026-10"}),
        )
        .await;
        check_problem(&locked, 409, "state_conflict", None);
        assert_eq!(locked.1["reason"], "drafts_open");
        let draft = draft["id"].as_str().unwrap();
        let (status, _) = call(
            &app,
            &owner.client,
            Method::DELETE,
            &format!("/api/v1/books/entries/{draft}"),
            None,
        )
        .await;
        assert_eq!(status, 204);
        let (status, periods) = act(
            "/api/v1/books/periods/lock".into(),
            json!({"period": "2026-10"}),
        )
        .await;
        assert_eq!(status, 200, "{periods}");
        assert!(
            periods
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["period"] == "2026-10" && p["locked"] == true),
            "{periods}"
        );
        let entries_before = count(&app, "books_entry").await;
        let refused = post(entry(&rent, &wallet, 500, 500, "2026-10-20")).await;
        check_problem(&refused, 409, "period_locked", Some("date"));
        assert_eq!(count(&app, "books_entry").await, entries_before);
        check_problem(
            &act(
                "/api/v1/books/periods/lock".into(),
                json!({"period": "2026-13"}),
            )
            .await,
            422,
            "invalid_field",
            Some("period"),
        );
        let (status, _) = act(
            "/api/v1/books/periods/unlock".into(),
            json!({"period": "2026-10"}),
        )
        .await;
        assert_eq!(status, 200);

        // Queries are checked, lists are bounded.
        for bad in [
            "/api/v1/books/entries?period=2026-1",
            "/api/v1/books/entries?limit=201",
            "/api/v1/books/entries?order_id=42",
            "/api/v1/books/reports/trial-balance?from=yesterday",
            "/api/v1/books/reports/balance-sheet?at=2026-02-30",
        ] {
            let (status, body) = call(&app, &owner.client, Method::GET, bad, None).await;
            check_problem(&(status, body), 400, "invalid_query", None);
        }
        let page = get(&app, &owner, "/api/v1/books/entries?period=2026-11&limit=1").await;
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        assert!(page["next_cursor"].is_string(), "{page}");

        // The accountant's roles keep the books; sales does not read them;
        // a key needs the books scopes.
        let sales = app.add_staff(&owner, "sales@lindqvist.test", "sales").await;
        let (status, _) = call(
            &app,
            &sales.client,
            Method::GET,
            "/api/v1/books/accounts",
            None,
        )
        .await;
        assert_eq!(status, 403);
        let viewer = app
            .add_staff(&owner, "viewer@lindqvist.test", "viewer")
            .await;
        let (status, _) = call(
            &app,
            &viewer.client,
            Method::GET,
            "/api/v1/books/accounts",
            None,
        )
        .await;
        assert_eq!(status, 200);
        let (status, _) = call(
            &app,
            &viewer.client,
            Method::POST,
            "/api/v1/books/entries",
            Some(entry(&rent, &wallet, 1, 1, "2026-12-01")),
        )
        .await;
        assert_eq!(status, 403);
        let (status, key) = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/company/api-keys",
            Some(json!({"name": "ERP", "role": "finance", "scopes": ["books:read"]})),
        )
        .await;
        assert_eq!(status, 201, "{key}");
        let secret = key["secret"].as_str().unwrap();
        let by_key = reqwest::Client::new();
        let read_answer = by_key
            .get(app.url("/api/v1/books/reports/trial-balance"))
            .bearer_auth(secret)
            .send()
            .await
            .unwrap();
        assert_eq!(read_answer.status(), 200);
        let write_answer = by_key
            .post(app.url("/api/v1/books/entries"))
            .bearer_auth(secret)
            .json(&entry(&rent, &wallet, 1, 1, "2026-12-01"))
            .send()
            .await
            .unwrap();
        assert_eq!(write_answer.status(), 403);
    }
);

app_test!(
    the_books_pages_show_the_deal_and_keep_entries,
    |app: TestApp| async move {
        let deal = deal(&app).await;
        let order = completed(&app, &deal).await;
        order_entries(&app, &deal.seller, &order, 2).await;
        order_entries(&app, &deal.buyer, &order, 3).await;
        reconciled(&app, &deal.seller).await;
        reconciled(&app, &deal.buyer).await;
        let page = crate::support::page_text(&app, &deal.seller.client, "/books").await;
        assert!(page.contains("id=\"reconciliation-status\""), "{page}");
        assert!(page.contains("agree with your Hanse wallet"), "{page}");
        assert!(page.contains("class=\"bar\""), "the monthly chart: {page}");
        let journal = crate::support::page_text(&app, &deal.seller.client, "/books/journal").await;
        assert!(journal.contains(&format!("/orders/{order}")), "{journal}");
        let vat =
            crate::support::page_text(&app, &deal.seller.client, "/books/reports/vat-summary")
                .await;
        assert!(vat.contains("VAT summary"), "{vat}");
        for report in ["trial-balance", "profit-and-loss", "balance-sheet"] {
            let text = crate::support::page_text(
                &app,
                &deal.seller.client,
                &format!("/books/reports/{report}"),
            )
            .await;
            assert!(text.contains("Hengxin Thermos"), "{report}: {text}");
            assert!(text.contains(".csv"), "{report}: {text}");
        }
        let chart = crate::support::page_text(&app, &deal.seller.client, "/books/accounts").await;
        assert!(chart.contains("1002") || chart.contains("1012"), "{chart}");
        let periods = crate::support::page_text(&app, &deal.seller.client, "/books/periods").await;
        assert!(periods.contains("Lock"), "{periods}");

        // An entry through the form, then the month locked through its form.
        let accounts = get(&app, &deal.seller, "/api/v1/books/accounts").await;
        let cash = account_with_role(&app, &deal.seller, "bank").await;
        let expense = accounts
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["kind"] == "expense" && a["role"].is_null() && a["active"] == true)
            .unwrap()
            .clone();
        let csrf = crate::pages::csrf_of(&app, &deal.seller.client, "/books/journal").await;
        let form = [
            ("csrf_token", csrf.as_str()),
            ("date", "2026-09-30"),
            ("journal", "general"),
            ("memo", "Tea for the office"),
            ("currency", "CNY"),
            ("account_0", expense["id"].as_str().unwrap()),
            ("debit_0", "88.00"),
            ("account_1", cash["id"].as_str().unwrap()),
            ("credit_1", "88.00"),
            ("post", "1"),
        ];
        let answer = deal
            .seller
            .client
            .post(app.url("/books/journal"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303);
        let to = answer.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(to, "/books/journal?period=2026-09&notice=entry-saved");
        let text = crate::support::page_text(&app, &deal.seller.client, &to).await;
        assert!(text.contains("Tea for the office"), "{text}");
        assert!(text.contains("The entry is saved."), "{text}");
        let unbalanced = [
            ("csrf_token", csrf.as_str()),
            ("date", "2026-09-30"),
            ("journal", "general"),
            ("memo", "Lopsided"),
            ("currency", "CNY"),
            ("account_0", expense["id"].as_str().unwrap()),
            ("debit_0", "88.00"),
            ("account_1", cash["id"].as_str().unwrap()),
            ("credit_1", "80.00"),
        ];
        let answer = deal
            .seller
            .client
            .post(app.url("/books/journal"))
            .form(&unbalanced)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 422);
        assert!(answer.text().await.unwrap().contains("class=\"error\""));
        let answer = deal
            .seller
            .client
            .post(app.url("/books/periods/lock"))
            .form(&[("csrf_token", csrf.as_str()), ("period", "2026-09")])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303);
        let periods = crate::support::page_text(
            &app,
            &deal.seller.client,
            "/books/periods?notice=period-locked",
        )
        .await;
        assert!(periods.contains("The month is locked."), "{periods}");
        assert!(periods.contains("2026-09"), "{periods}");

        // The operator's page across members.
        let operator = app.sign_in_operator().await;
        let network = crate::support::page_text(&app, &operator, "/operator/books").await;
        assert!(network.contains("Every member"), "{network}");
    }
);

app_test!(
    opening_balances_arrive_as_a_csv_over_the_api_and_the_page,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Lindqvist Trading").await;
        let code_of = async |role: &str| {
            account_with_role(&app, &owner, role).await["code"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        let (bank, capital) = (code_of("bank").await, code_of("capital").await);
        let send = |query: &'static str, body: String| {
            let request = owner
                .client
                .post(app.url(&format!("/api/v1/books/opening-balances{query}")))
                .header("content-type", "text/csv")
                .body(body);
            async move { read(request.send().await.unwrap()).await }
        };
        let good = format!(
            "account_code,currency,debit,credit\n{bank},CNY,80000.00,\n{capital},CNY,,80000.00\n"
        );
        let (status, entry) = send("?date=2026-01-01", good.clone()).await;
        assert_eq!(status, 201, "{entry}");
        assert_eq!(entry["state"], "posted");
        assert_eq!(entry["lines"][0]["debit_minor"], 8_000_000);

        let entries = count(&app, "books_entry").await;
        let answer = send(
            "?date=2026-01-01",
            format!("account_code,currency,debit,credit\n{bank},CNY,1,\n424242,CNY,,1\n"),
        )
        .await;
        check_problem(&answer, 422, "invalid_field", Some("rows[1].account_code"));
        check_problem(
            &send("?date=2026-02-30", good.clone()).await,
            400,
            "invalid_query",
            Some("date"),
        );
        check_problem(&send("", good.clone()).await, 400, "invalid_query", None);
        let huge = format!("{good}{}", "x".repeat(books::OPENING_CSV_BYTES_MAX));
        check_problem(
            &send("?date=2026-01-01", huge).await,
            413,
            "body_too_large",
            None,
        );
        assert_eq!(count(&app, "books_entry").await, entries);

        // The same file through the chart page's form.
        let csrf = crate::pages::csrf_of(&app, &owner.client, "/books/accounts").await;
        let answer = owner
            .client
            .post(app.url("/books/opening-balances"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("date", "2026-02-01"),
                ("file", good.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303);
        assert_eq!(
            answer.headers()["location"],
            "/books/journal?period=2026-02&notice=opening-saved"
        );
        let refused = owner
            .client
            .post(app.url("/books/opening-balances"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("date", "2026-02-01"),
                ("file", "nonsense"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("class=\"error\""));
    }
);
