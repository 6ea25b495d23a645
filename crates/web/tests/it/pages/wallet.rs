//! The money pages as a person uses them: the wallet, the sandbox bank and the
//! operator's ledger page, with the same browser-like client as the other pages.

use web::app_test;
use web::testing::TestApp;

use super::{get, submit};

/// The first `action` of a form whose path starts with `prefix` and ends with `suffix`.
fn form_action(html: &str, prefix: &str, suffix: &str) -> String {
    html.split("action=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|action| action.starts_with(prefix) && action.ends_with(suffix))
        .unwrap_or_else(|| panic!("no form {prefix}…{suffix} in {html}"))
        .to_owned()
}

app_test!(
    wallet_pages_top_up_confirm_and_withdraw,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        get(&app, &owner.client, "/wallet")
            .await
            .assert_shows(200, &["Wallet", "No money yet"]);

        let started = submit(
            &app,
            &owner.client,
            "/wallet",
            "/wallet/top-ups",
            &[("amount", "1234.50"), ("currency", "CNY")],
        )
        .await;
        started.assert_redirect("/wallet?currency=CNY&notice=top-up-started");
        let bank = get(&app, &owner.client, "/sandbox-bank").await;
        bank.assert_shows(200, &["Sandbox bank", "1234.50 CNY", "pending"]);
        let confirm = form_action(&bank.html, "/sandbox-bank/operations/", "/confirm");
        submit(&app, &owner.client, "/sandbox-bank", &confirm, &[])
            .await
            .assert_redirect("/sandbox-bank");
        get(&app, &owner.client, "/sandbox-bank")
            .await
            .assert_shows(200, &["confirmed"]);
        get(&app, &owner.client, "/wallet?currency=CNY")
            .await
            .assert_shows(200, &["1234.50 CNY", "Top-up", "Download as CSV"]);

        let bad = submit(
            &app,
            &owner.client,
            "/wallet",
            "/wallet/top-ups",
            &[("amount", "12.345"), ("currency", "CNY")],
        )
        .await;
        bad.assert_shows(422, &["Amount: write the amount like 500.00"]);
        let zero = submit(
            &app,
            &owner.client,
            "/wallet",
            "/wallet/top-ups",
            &[("amount", "0"), ("currency", "CNY")],
        )
        .await;
        zero.assert_shows(422, &["Amount: the amount must be more than zero"]);

        let added = submit(
            &app,
            &owner.client,
            "/wallet",
            "/wallet/bank-accounts",
            &[
                ("holder_name", "义乌市恒信保温杯有限公司"),
                ("bank_name", "中国工商银行义乌分行"),
                ("account_number", "6222 0212 0800 1234 567"),
                ("currency", "CNY"),
            ],
        )
        .await;
        added.assert_redirect("/wallet?currency=CNY&notice=bank-account-added");
        let wallet = get(&app, &owner.client, "/wallet?currency=CNY").await;
        let marker = "name=\"bank_account_id\"><option value=\"";
        let start = wallet.html.find(marker).expect("a bank account to choose") + marker.len();
        let account: String = wallet.html[start..]
            .chars()
            .take_while(|c| *c != '"')
            .collect();

        let too_much = submit(
            &app,
            &owner.client,
            "/wallet",
            "/wallet/withdrawals",
            &[("bank_account_id", &account), ("amount", "2000.00")],
        )
        .await;
        too_much.assert_shows(409, &["does not hold enough"]);
        let withdrawn = submit(
            &app,
            &owner.client,
            "/wallet",
            "/wallet/withdrawals",
            &[("bank_account_id", &account), ("amount", "234.50")],
        )
        .await;
        withdrawn.assert_redirect("/wallet?currency=CNY&notice=withdrawal-started");
        get(&app, &owner.client, "/wallet?currency=CNY")
            .await
            .assert_shows(
                200,
                &["<strong>1000.00 CNY</strong>", "234.50 CNY", "reserved"],
            );

        // Another company cannot settle this company's operations at the sandbox bank.
        let other = app.sign_up_company("Huaqiang Xunda").await;
        let bank = get(&app, &owner.client, "/sandbox-bank").await;
        let payout = form_action(&bank.html, "/sandbox-bank/operations/", "/confirm");
        let refused = submit(&app, &other.client, "/sandbox-bank", &payout, &[]).await;
        assert_eq!(refused.status, 404);
        let check = get(&app, &other.client, "/sandbox-bank").await;
        assert!(!check.html.contains("234.50"), "{}", check.html);
    }
);

app_test!(
    the_operator_sees_the_ledger_page,
    |app: TestApp| async move {
        let client = app.sign_in_operator().await;
        get(&app, &client, "/operator/ledger")
            .await
            .assert_shows(200, &["Ledger", "The ledger balances"]);
        let member = app.sign_up_company("Hengxin Thermos").await;
        assert_eq!(
            get(&app, &member.client, "/operator/ledger").await.status,
            404
        );
    }
);
