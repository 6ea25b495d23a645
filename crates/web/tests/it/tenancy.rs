//! No company sees another's private data: for every route of the OpenAPI
//! document that names a resource, company A's owner asks for company B's and
//! gets 404; lists never show B's items; B's data is unchanged afterwards. A new
//! route with an id parameter fails this test until a fixture is added for it.

use std::collections::HashMap;

use reqwest::Method;
use serde_json::{Value, json};
use web::app_test;
use web::testing::TestApp;

use crate::support::call;

/// B's resources, by the path parameter name that addresses them.
struct CompanyB {
    ids_by_parameter: HashMap<&'static str, String>,
    all_ids: Vec<String>,
}

async fn company_b(app: &TestApp) -> (web::testing::Actor, CompanyB) {
    let owner = app.sign_up_company("Beta Trading").await;
    let staff = app.add_staff(&owner, "sales@beta.test", "sales").await;
    let (_, invitation) = call(
        app,
        &owner.client,
        Method::POST,
        "/api/v1/company/invitations",
        Some(json!({"email": "pending@beta.test", "role": "viewer"})),
    )
    .await;
    let (_, key) = call(
        app,
        &owner.client,
        Method::POST,
        "/api/v1/company/api-keys",
        Some(json!({"name": "ERP", "role": "viewer", "scopes": ["company:read"]})),
    )
    .await;
    let (_, sessions) = call(app, &owner.client, Method::GET, "/api/v1/me/sessions", None).await;
    let (_, bank_account) = call(
        app,
        &owner.client,
        Method::POST,
        "/api/v1/wallet/bank-accounts",
        Some(json!({"holder_name": "Beta Trading", "bank_name": "Bank of Ningbo", "account_number": "6222021208001234567", "currency": "CNY"})),
    )
    .await;
    let top_up = owner
        .client
        .post(app.url("/api/v1/wallet/top-ups"))
        .header("Idempotency-Key", "beta-top-up")
        .json(&json!({"amount": {"minor": 50_000, "currency": "CNY"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(top_up.status(), 201);
    let (_, operations) = call(
        app,
        &owner.client,
        Method::GET,
        "/api/v1/sandbox-bank/operations",
        None,
    )
    .await;
    // A withdrawal of B's, paid for by the top-up once the bank confirms it.
    let operation = operations["items"][0]["id"].as_str().unwrap();
    let confirmed = owner
        .client
        .post(app.url(&format!(
            "/api/v1/sandbox-bank/operations/{operation}/confirm"
        )))
        .header("Idempotency-Key", "beta-confirm")
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    let withdrawal = owner
        .client
        .post(app.url("/api/v1/wallet/withdrawals"))
        .header("Idempotency-Key", "beta-withdrawal")
        .json(&json!({"bank_account_id": bank_account["id"], "amount": {"minor": 100, "currency": "CNY"}}))
        .send()
        .await
        .unwrap();
    let (status, withdrawal) = crate::support::read(withdrawal).await;
    assert_eq!(status, 201, "{withdrawal}");
    let (_, staff_list) = call(
        app,
        &owner.client,
        Method::GET,
        "/api/v1/company/staff",
        None,
    )
    .await;
    let membership = staff_list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["user_id"] == staff.user_id.to_string())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // B's market records: a draft product, a buying request, and a quotation
    // B sent on a third company's request.
    let category = crate::market::flask_category(app).await;
    let (status, product) = call(
        app,
        &owner.client,
        Method::POST,
        "/api/v1/catalog/products",
        Some(crate::market::flask(&category, "B-1")),
    )
    .await;
    assert_eq!(status, 201, "{product}");
    let now = app.now();
    let request = json!({
        "title": "Flasks", "category_id": category, "quantity": 1000, "unit": "piece",
        "currency": "CNY", "destination": "Ningbo, CN",
        "valid_until": now.plus_seconds(86_400).to_string()
    });
    let (status, rfq) = call(
        app,
        &owner.client,
        Method::POST,
        "/api/v1/sourcing/rfqs",
        Some(request.clone()),
    )
    .await;
    assert_eq!(status, 201, "{rfq}");
    let third = app.sign_up_company("Gamma Imports").await;
    let (_, third_rfq) = call(
        app,
        &third.client,
        Method::POST,
        "/api/v1/sourcing/rfqs",
        Some(request),
    )
    .await;
    let (status, quotation) = call(
        app,
        &owner.client,
        Method::POST,
        &format!(
            "/api/v1/rfqs/{}/quotations",
            third_rfq["id"].as_str().unwrap()
        ),
        Some(json!({
            "price_tiers": [{"min_quantity": 1000, "unit_price_minor": 900}], "currency": "CNY",
            "quantity": 1000, "lead_time_days": 20, "shipping_terms": "FOB",
            "valid_until": now.plus_seconds(86_400).to_string()
        })),
    )
    .await;
    assert_eq!(status, 201, "{quotation}");
    // An order B placed with the third company: shipped with the sandbox
    // carrier, a refund refused, a dispute open.
    crate::orders_support::top_up(app, &owner, 200_000).await;
    let product_of_third = crate::market::published_flask(app, &third, &category, "G-1").await;
    let deal = crate::orders_support::Deal {
        seller: third,
        buyer: owner,
        product: product_of_third,
        category: category.clone(),
    };
    let (order, refund, dispute, tracking_number) =
        crate::orders_support::disputed(app, &deal, 100).await;
    let crate::orders_support::Deal { buyer: owner, .. } = deal;
    // B's books: an account of its own and an entry by hand.
    let (status, account) = call(
        app,
        &owner.client,
        Method::POST,
        "/api/v1/books/accounts",
        Some(
            json!({"code": "560277", "name_zh": "样品费", "name_en": "Samples", "kind": "expense"}),
        ),
    )
    .await;
    assert_eq!(status, 201, "{account}");
    let (_, accounts) = call(
        app,
        &owner.client,
        Method::GET,
        "/api/v1/books/accounts",
        None,
    )
    .await;
    let wallet_account = accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["role"] == "bank")
        .unwrap()["id"]
        .clone();
    let (status, entry) = call(
        app,
        &owner.client,
        Method::POST,
        "/api/v1/books/entries",
        Some(
            json!({"date": "2026-11-02", "memo": "Samples for Gamma", "lines": [
            {"account_id": account["id"], "currency": "CNY", "debit_minor": 700},
            {"account_id": wallet_account, "currency": "CNY", "credit_minor": 700}]}),
        ),
    )
    .await;
    assert_eq!(status, 201, "{entry}");
    let (status, invoice) = call(
        app,
        &owner.client,
        Method::POST,
        "/api/v1/books/invoices",
        Some(
            json!({"kind": "sales", "counterparty_name": "Gamma Trading", "date": "2026-11-02",
            "currency": "CNY", "lines": [{"description": "Samples", "quantity": 2,
            "unit_price_minor": 500, "vat_rate_bp": 1300}]}),
        ),
    )
    .await;
    assert_eq!(status, 201, "{invoice}");
    let statement = owner
        .client
        .post(app.url("/api/v1/books/bank-statements"))
        .header("content-type", "text/csv")
        .body(
            "date,amount,currency,reference,counterparty\n2026-11-03,11.30,CNY,Gamma pays,Gamma\n",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(statement.status(), 201);
    let entry_id = entry["id"].as_str().unwrap().to_owned();
    let receipt = owner
        .client
        .post(app.url(&format!(
            "/api/v1/books/entries/{entry_id}/attachments?file_name=samples.txt"
        )))
        .header("content-type", "text/plain")
        .body("Samples for Gamma, 2 × 3.50")
        .send()
        .await
        .unwrap();
    let (status, receipt) = crate::support::read(receipt).await;
    assert_eq!(status, 201, "{receipt}");
    let (status, rate) = call(
        app,
        &owner.client,
        Method::POST,
        "/api/v1/books/exchange-rates",
        Some(json!({"currency": "USD", "date": "2026-11-01", "rate": "7.1180"})),
    )
    .await;
    assert_eq!(status, 200, "{rate}");
    let (_, bank_lines) = call(
        app,
        &owner.client,
        Method::GET,
        "/api/v1/books/bank-lines",
        None,
    )
    .await;
    let scm = crate::scm::supply_chain_of(app, &owner, product["id"].as_str().unwrap()).await;
    let ids_by_parameter = HashMap::from([
        ("item_id", scm.item),
        ("location_id", scm.location),
        ("supplier_id", scm.supplier),
        ("purchase_order_id", scm.purchase_order),
        ("count_id", scm.count),
        ("order_id", order),
        ("account_id", account["id"].as_str().unwrap().to_owned()),
        ("entry_id", entry_id),
        ("attachment_id", receipt["id"].as_str().unwrap().to_owned()),
        ("exchange_rate_id", rate["id"].as_str().unwrap().to_owned()),
        ("invoice_id", invoice["id"].as_str().unwrap().to_owned()),
        (
            "bank_line_id",
            bank_lines["items"][0]["id"].as_str().unwrap().to_owned(),
        ),
        ("refund_id", refund),
        ("dispute_id", dispute),
        ("tracking_number", tracking_number),
        ("category_id", category.clone()),
        ("product_id", product["id"].as_str().unwrap().to_owned()),
        ("rfq_id", rfq["id"].as_str().unwrap().to_owned()),
        ("quotation_id", quotation["id"].as_str().unwrap().to_owned()),
        ("company_id", owner.company_id.to_string()),
        ("membership_id", membership),
        (
            "invitation_id",
            invitation["id"].as_str().unwrap().to_owned(),
        ),
        ("api_key_id", key["key"]["id"].as_str().unwrap().to_owned()),
        (
            "session_id",
            sessions["current"].as_str().unwrap().to_owned(),
        ),
        (
            "bank_account_id",
            bank_account["id"].as_str().unwrap().to_owned(),
        ),
        (
            "operation_id",
            operations["items"][0]["id"].as_str().unwrap().to_owned(),
        ),
        (
            "withdrawal_id",
            withdrawal["id"].as_str().unwrap().to_owned(),
        ),
    ]);
    let mut all_ids: Vec<String> = ids_by_parameter.values().cloned().collect();
    // The category is the network's, not B's.
    all_ids.retain(|id| *id != category);
    all_ids.push(owner.company_id.to_string());
    all_ids.push(owner.user_id.to_string());
    all_ids.push(staff.user_id.to_string());
    (
        owner,
        CompanyB {
            ids_by_parameter,
            all_ids,
        },
    )
}

/// Paths with a parameter that names no company's resource: a provider's or
/// carrier's webhook is addressed by provider or carrier and authenticated by
/// its signature.
/// Storefronts and the buying-request board are public by design, and any
/// supplier may quote on any open request.
const NOT_TENANT_RESOURCES: &[&str] = &[
    "/api/v1/pay/webhooks/{provider}",
    "/api/v1/trade/carriers/{carrier}/webhooks",
    "/api/v1/storefronts/{company_id}",
    "/api/v1/storefronts/{company_id}/products",
    "/api/v1/rfqs/{rfq_id}",
    "/api/v1/rfqs/{rfq_id}/quotations",
];

/// A body the operation accepts, so that only the id decides the answer.
fn body_for(method: &Method, path: &str) -> Option<Value> {
    match (method.as_str(), path) {
        ("PATCH", "/api/v1/company/staff/{membership_id}") => Some(json!({"role": "viewer"})),
        ("POST", "/api/v1/catalog/products/{product_id}/status") => {
            Some(json!({"status": "published"}))
        }
        ("POST", "/api/v1/sourcing/quotations/{quotation_id}/decline") => {
            Some(json!({"reason": "no"}))
        }
        ("POST", "/api/v1/orders/{order_id}/ship") => Some(json!({"carrier": "sandbox"})),
        ("POST", "/api/v1/orders/{order_id}/refunds") => {
            Some(json!({"amount_minor": 1, "reason": "mine now"}))
        }
        ("POST", "/api/v1/orders/{order_id}/refunds/{refund_id}/answer") => {
            Some(json!({"accept": true}))
        }
        ("POST", "/api/v1/orders/{order_id}/dispute") => Some(json!({"reason": "mine now"})),
        ("POST", "/api/v1/books/bank-lines/{bank_line_id}/match") => {
            Some(json!({"invoice_id": books::InvoiceId::from_raw(1).to_string()}))
        }
        ("POST", "/api/v1/books/bank-lines/{bank_line_id}/post") => {
            Some(json!({"account_id": books::AccountId::from_raw(1).to_string()}))
        }
        ("POST", "/api/v1/books/invoices/{invoice_id}/payments") => {
            Some(json!({"date": "2026-11-03", "amount_minor": 1}))
        }
        ("POST", "/api/v1/books/invoices/{invoice_id}/credit-notes") => Some(json!({
            "date": "2026-11-03",
            "lines": [{"description": "back", "quantity": 1, "unit_price_minor": 1, "vat_rate_bp": 0}]
        })),
        (
            "POST",
            "/api/v1/scm/purchase-orders/{purchase_order_id}/receipts"
            | "/api/v1/scm/purchase-orders/{purchase_order_id}/returns",
        ) => Some(json!({"lines": [{"line_no": 1, "quantity": 1}]})),
        ("POST", "/api/v1/scm/purchase-orders/{purchase_order_id}/send-to-market") => {
            Some(json!({"delivery_address": "Hamburg"}))
        }
        ("PUT", "/api/v1/scm/counts/{count_id}/lines") => Some(
            json!({"lines": [{"item_id": scm::ItemId::from_raw(1).to_string(), "counted": 1}]}),
        ),
        ("PUT", "/api/v1/scm/suppliers/{supplier_id}/prices/{item_id}") => {
            Some(json!({"unit_price_minor": 1, "currency": "CNY"}))
        }
        ("POST", "/api/v1/operator/disputes/{dispute_id}/resolve") => {
            Some(json!({"to_buyer_minor": 1, "decision": "mine now"}))
        }
        ("PUT", "/api/v1/operator/trade/category-fees/{category_id}") => Some(json!({"fee_bp": 1})),
        ("PUT", "/api/v1/operator/companies/{company_id}/market") => {
            Some(json!({"verified": true}))
        }
        ("PUT", "/api/v1/catalog/products/{product_id}") => Some(crate::market::flask(
            &market::CategoryId::from_raw(1).to_string(),
            "A-1",
        )),
        ("GET" | "DELETE", _) => None,
        _ => Some(json!({})),
    }
}

/// B's data as B sees it, to compare before and after A's attempts.
async fn snapshot_of_b(app: &TestApp, owner_b: &web::testing::Actor, b: &CompanyB) -> Vec<Value> {
    let mut views = Vec::new();
    let order = format!("/api/v1/orders/{}", b.ids_by_parameter["order_id"]);
    let entry = format!("/api/v1/books/entries/{}", b.ids_by_parameter["entry_id"]);
    let invoice = format!(
        "/api/v1/books/invoices/{}",
        b.ids_by_parameter["invoice_id"]
    );
    let attachments = format!("{entry}/attachments");
    for path in [
        order.as_str(),
        entry.as_str(),
        invoice.as_str(),
        attachments.as_str(),
        "/api/v1/books/accounts",
        "/api/v1/books/bank-lines",
        "/api/v1/books/exchange-rates",
        "/api/v1/scm/items",
        "/api/v1/scm/levels",
        "/api/v1/scm/product-links",
        "/api/v1/scm/purchase-orders",
        "/api/v1/orders",
        "/api/v1/sandbox-carrier/parcels",
        "/api/v1/company",
        "/api/v1/company/staff",
        "/api/v1/company/invitations",
        "/api/v1/company/api-keys",
        "/api/v1/wallet/bank-accounts",
        "/api/v1/wallet/top-ups",
        "/api/v1/wallet/balances",
        "/api/v1/sandbox-bank/operations",
        "/api/v1/catalog/products",
        "/api/v1/sourcing/rfqs",
        "/api/v1/sourcing/quotations",
        "/api/v1/storefront",
    ] {
        let (status, mut body) = call(app, &owner_b.client, Method::GET, path, None).await;
        assert_eq!(status, 200, "{path}: {body}");
        if let Some(items) = body.get_mut("items").and_then(Value::as_array_mut) {
            // `last_used_at` moves when B's key is used; it is not B's data changing.
            for item in items {
                item.as_object_mut().map(|o| o.remove("last_used_at"));
            }
        }
        views.push(body);
    }
    views
}

app_test!(
    every_route_answers_404_for_another_companys_resources,
    |app: TestApp| async move {
        let owner_a = app.sign_up_company("Alpha Housewares").await;
        let (owner_b, b) = company_b(&app).await;
        let before = snapshot_of_b(&app, &owner_b, &b).await;

        let (_, document) = call(
            &app,
            &owner_a.client,
            Method::GET,
            "/api/v1/openapi.json",
            None,
        )
        .await;
        let mut checked = 0;
        for (path, operations) in document["paths"].as_object().unwrap() {
            let parameters: Vec<&str> = path
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split('}').next())
                .collect();
            if parameters.is_empty() || NOT_TENANT_RESOURCES.contains(&path.as_str()) {
                continue;
            }
            for method in operations.as_object().unwrap().keys() {
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                let mut concrete = path.clone();
                for parameter in &parameters {
                    let id = b.ids_by_parameter.get(parameter).unwrap_or_else(|| {
                    panic!("no fixture for `{parameter}` of {method} {path}: add company B's resource to this test")
                });
                    concrete = concrete.replace(&format!("{{{parameter}}}"), id);
                }
                // Every POST carries an Idempotency-Key, so that routes that
                // require one reach the question of whose resource it is.
                let mut request = owner_a
                    .client
                    .request(method.clone(), app.url(&concrete))
                    .header("Idempotency-Key", format!("walk-{checked}"));
                if path.ends_with("/attachments") && method == Method::POST {
                    // A file, as the raw body, named in the query.
                    request = owner_a
                        .client
                        .post(app.url(&format!("{concrete}?file_name=mine.txt")))
                        .header("content-type", "text/plain")
                        .body("mine now");
                } else if let Some(body) = body_for(&method, path) {
                    request = request.json(&body);
                }
                let answer = crate::support::read(request.send().await.unwrap()).await;
                assert_eq!(answer.0, 404, "{method} {path} as company A: {}", answer.1);
                assert_eq!(answer.1["code"], "not_found");
                checked += 1;
            }
        }
        assert!(checked >= 6, "walked {checked} operations");

        // Ids in bodies are checked too: switching to B's company is "not found".
        let answer = call(
            &app,
            &owner_a.client,
            Method::PUT,
            "/api/v1/me/active-company",
            Some(json!({"company_id": owner_b.company_id})),
        )
        .await;
        assert_eq!(answer.0, 404, "{}", answer.1);

        // Lists never show B's items, and the operator's list is not for members.
        for path in [
            "/api/v1/company",
            "/api/v1/company/staff",
            "/api/v1/company/invitations",
            "/api/v1/company/api-keys",
            "/api/v1/me",
            "/api/v1/me/sessions",
            "/api/v1/wallet/bank-accounts",
            "/api/v1/wallet/top-ups",
            "/api/v1/wallet/withdrawals",
            "/api/v1/wallet/balances",
            "/api/v1/wallet/statement?currency=CNY",
            "/api/v1/sandbox-bank/operations",
            "/api/v1/catalog/products",
            "/api/v1/catalog/export",
            "/api/v1/sourcing/rfqs",
            "/api/v1/sourcing/quotations",
            "/api/v1/sourcing/matched-rfqs",
            "/api/v1/storefront",
            "/api/v1/orders",
            "/api/v1/orders?side=seller",
            "/api/v1/sandbox-carrier/parcels",
            "/api/v1/books/accounts",
            "/api/v1/books/entries",
            "/api/v1/books/journal.csv",
            "/api/v1/books/periods",
            "/api/v1/books/reconciliation",
            "/api/v1/books/reports/trial-balance",
            "/api/v1/books/invoices",
            "/api/v1/books/reports/aging",
            "/api/v1/books/reports/aging?kind=purchase",
            "/api/v1/books/reports/aging.csv",
            "/api/v1/books/bank-lines",
        ] {
            let (status, body) = call(&app, &owner_a.client, Method::GET, path, None).await;
            assert_eq!(status, 200, "{path}");
            let text = body.to_string();
            for id in &b.all_ids {
                assert!(!text.contains(id.as_str()), "{path} shows B's {id}");
            }
        }
        for operator_only in [
            "/api/v1/operator/companies",
            "/api/v1/operator/ledger",
            "/api/v1/operator/repairs/withdrawals",
            "/api/v1/operator/disputes",
            "/api/v1/operator/trade/policy",
            "/api/v1/operator/trade/category-fees",
            "/api/v1/operator/books/reconciliation",
        ] {
            let (status, _) = call(&app, &owner_a.client, Method::GET, operator_only, None).await;
            assert_eq!(status, 404, "{operator_only}");
        }

        assert_eq!(
            snapshot_of_b(&app, &owner_b, &b).await,
            before,
            "B's data is unchanged"
        );
    }
);

app_test!(
    an_api_key_sees_only_its_own_company,
    |app: TestApp| async move {
        let owner_a = app.sign_up_company("Alpha Housewares").await;
        let (_, b) = company_b(&app).await;
        let (status, created) = call(
        &app,
        &owner_a.client,
        Method::POST,
        "/api/v1/company/api-keys",
        Some(json!({"name": "shop", "role": "admin", "scopes": ["company:read", "staff:read", "staff:write"]})),
    )
    .await;
        assert_eq!(status, 201);
        let key_client = reqwest::Client::new();
        let secret = created["secret"].as_str().unwrap();
        let membership_b = &b.ids_by_parameter["membership_id"];
        for (method, path) in [
            (Method::GET, format!("/api/v1/company/staff/{membership_b}")),
            (
                Method::DELETE,
                format!("/api/v1/company/staff/{membership_b}"),
            ),
            (
                Method::DELETE,
                format!(
                    "/api/v1/company/invitations/{}",
                    b.ids_by_parameter["invitation_id"]
                ),
            ),
        ] {
            let response = key_client
                .request(method.clone(), app.url(&path))
                .bearer_auth(secret)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 404, "{method} {path} with A's key");
        }
        let response = key_client
            .get(app.url("/api/v1/company"))
            .bearer_auth(secret)
            .send()
            .await
            .unwrap();
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["id"], owner_a.company_id.to_string());
    }
);
