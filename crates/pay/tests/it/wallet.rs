//! Top-ups and withdrawals through the sandbox bank, webhooks, and refusals.

use kernel::{Currency, Db, Money, Role, storage_test};
use pay::provider::{SIGNATURE_HEADER, sign};
use pay::sandbox::SandboxViewer;
use pay::{NewBankAccount, PayError, PaymentProvider, WebhookEvent, WebhookKind, WebhookOutcome};

use crate::support::*;

fn bank(currency: Currency) -> NewBankAccount {
    NewBankAccount {
        holder_name: "义乌市恒信保温杯有限公司".into(),
        bank_name: "中国工商银行义乌分行".into(),
        account_number: "6222 0212 0800 1234 567".into(),
        currency,
    }
}

storage_test!(
    a_top_up_is_credited_once_however_often_confirmed,
    migrations(),
    |db: Db| async move {
        let (pay, _) = service(&db);
        let scope = member(Role::Finance);
        let top_up = pay.start_top_up(&scope, cny(500)).await.unwrap();
        assert_eq!(top_up.status, "pending");
        assert_eq!(
            available(&pay, &scope, Currency::CNY).await,
            (0, 0),
            "nothing before the bank confirms"
        );

        let event = WebhookEvent {
            event_id: "evt_1".into(),
            kind: WebhookKind::PaymentSucceeded,
            reference: top_up.id.to_string(),
        };
        let body = serde_json::to_vec(&event).unwrap();
        let signature = sign(
            pay.sandbox().unwrap().webhook_secret(),
            pay.ledger().now(),
            &body,
        );
        assert_eq!(
            pay.handle_webhook("sandbox", &signature, &body)
                .await
                .unwrap(),
            WebhookOutcome::Applied
        );
        assert_eq!(
            pay.handle_webhook("sandbox", &signature, &body)
                .await
                .unwrap(),
            WebhookOutcome::AlreadyHandled
        );
        // A new delivery of the same news under another event id moves nothing either.
        let again = WebhookEvent {
            event_id: "evt_2".into(),
            ..event
        };
        let body = serde_json::to_vec(&again).unwrap();
        let signature = sign(
            pay.sandbox().unwrap().webhook_secret(),
            pay.ledger().now(),
            &body,
        );
        pay.handle_webhook("sandbox", &signature, &body)
            .await
            .unwrap();
        assert_eq!(available(&pay, &scope, Currency::CNY).await, (50_000, 0));
        assert!(pay.check_ledger().await.unwrap().balanced());
        let _ = SIGNATURE_HEADER;
    }
);

storage_test!(
    bad_webhooks_are_refused_and_change_nothing,
    migrations(),
    |db: Db| async move {
        let (pay, clock) = service(&db);
        let scope = member(Role::Owner);
        let top_up = pay.start_top_up(&scope, cny(100)).await.unwrap();
        let event = WebhookEvent {
            event_id: "evt_x".into(),
            kind: WebhookKind::PaymentSucceeded,
            reference: top_up.id.to_string(),
        };
        let body = serde_json::to_vec(&event).unwrap();
        let forged = sign(b"not the secret", pay.ledger().now(), &body);
        assert!(matches!(
            pay.handle_webhook("sandbox", &forged, &body).await,
            Err(PayError::InvalidSignature)
        ));
        let old = sign(
            pay.sandbox().unwrap().webhook_secret(),
            pay.ledger().now(),
            &body,
        );
        clock.advance_seconds(600);
        assert!(matches!(
            pay.handle_webhook("sandbox", &old, &body).await,
            Err(PayError::StaleWebhook)
        ));
        let fresh = sign(
            pay.sandbox().unwrap().webhook_secret(),
            pay.ledger().now(),
            &body,
        );
        let mut tampered = body.clone();
        tampered[5] ^= 1;
        assert!(matches!(
            pay.handle_webhook("sandbox", &fresh, &tampered).await,
            Err(PayError::InvalidSignature)
        ));
        assert!(matches!(
            pay.handle_webhook("paypal", &fresh, &body).await,
            Err(PayError::NotFound(_))
        ));
        let unknown = serde_json::to_vec(&WebhookEvent {
            reference: "top_0000000000000".into(),
            ..event
        })
        .unwrap();
        let signature = sign(
            pay.sandbox().unwrap().webhook_secret(),
            pay.ledger().now(),
            &unknown,
        );
        assert!(matches!(
            pay.handle_webhook("sandbox", &signature, &unknown).await,
            Err(PayError::UnknownReference)
        ));
        assert_eq!(available(&pay, &scope, Currency::CNY).await, (0, 0));
    }
);

storage_test!(
    withdrawals_reserve_then_post_or_release,
    migrations(),
    |db: Db| async move {
        let (pay, _) = service(&db);
        let scope = member(Role::Finance);
        fund(&pay, &scope, cny(1_000)).await;
        let account = pay
            .add_bank_account(&scope, &bank(Currency::CNY))
            .await
            .unwrap();
        assert_eq!(account.account_number, "6222021208001234567");

        let withdrawal = pay
            .start_withdrawal(&scope, account.id, cny(300))
            .await
            .unwrap();
        assert_eq!(
            available(&pay, &scope, Currency::CNY).await,
            (70_000, 30_000),
            "reserved, not yet gone"
        );
        let failing = pay
            .start_withdrawal(&scope, account.id, cny(200))
            .await
            .unwrap();
        assert_eq!(
            available(&pay, &scope, Currency::CNY).await,
            (50_000, 50_000)
        );

        let viewer = SandboxViewer::of(&scope);
        let operations = pay
            .sandbox_operations(viewer, kernel::PageRequest::first())
            .await
            .unwrap()
            .items;
        let op = |reference: String| {
            operations
                .iter()
                .find(|o| o.reference == reference)
                .unwrap()
                .id
        };
        pay.sandbox_settle(viewer, op(withdrawal.id.to_string()), true)
            .await
            .unwrap();
        pay.sandbox_settle(viewer, op(failing.id.to_string()), false)
            .await
            .unwrap();
        assert_eq!(
            available(&pay, &scope, Currency::CNY).await,
            (70_000, 0),
            "300 paid out, 200 released"
        );
        assert!(matches!(
            pay.sandbox_settle(viewer, op(failing.id.to_string()), true)
                .await,
            Err(PayError::Invalid { .. })
        ));

        let page = pay
            .withdrawals(&scope, kernel::PageRequest::first())
            .await
            .unwrap();
        let statuses: Vec<&str> = page.items.iter().map(|w| w.status.as_str()).collect();
        assert_eq!(statuses, vec!["failed", "completed"]);
        let statement = pay
            .statement(&scope, Currency::CNY, kernel::PageRequest::first())
            .await
            .unwrap();
        let balances: Vec<i64> = statement
            .items
            .iter()
            .map(|l| l.balance_after.minor)
            .collect();
        assert_eq!(balances, vec![100_000, 100_000, 100_000, 70_000, 70_000]);
        let csv = pay.statement_csv(&scope, Currency::CNY).await.unwrap();
        assert!(csv.starts_with(
            "time,transfer,kind,amount,currency,reserved,balance_after,available_after\r\n"
        ));
        assert!(
            csv.contains(",top_up,1000.00,CNY,false,1000.00,1000.00\r\n"),
            "{csv}"
        );
        assert!(pay.check_ledger().await.unwrap().balanced());
    }
);

storage_test!(
    bad_money_requests_are_refused_and_write_nothing,
    migrations(),
    |db: Db| async move {
        let (pay, _) = service(&db);
        let scope = member(Role::Owner);
        fund(&pay, &scope, cny(100)).await;
        let account = pay
            .add_bank_account(&scope, &bank(Currency::CNY))
            .await
            .unwrap();
        let euro = pay
            .add_bank_account(&scope, &bank(Currency::EUR))
            .await
            .unwrap();
        for amount in [
            cny(0),
            Money::new(-1, Currency::CNY),
            Money::new(pay::AMOUNT_MINOR_MAX + 1, Currency::CNY),
        ] {
            assert!(matches!(
                pay.start_top_up(&scope, amount).await,
                Err(PayError::Invalid {
                    field: "amount",
                    ..
                })
            ));
            assert!(matches!(
                pay.start_withdrawal(&scope, account.id, amount).await,
                Err(PayError::Invalid {
                    field: "amount",
                    ..
                })
            ));
        }
        assert!(matches!(
            pay.start_withdrawal(&scope, account.id, cny(101)).await,
            Err(PayError::InsufficientFunds)
        ));
        assert!(matches!(
            pay.start_withdrawal(&scope, euro.id, cny(1)).await,
            Err(PayError::CurrencyMismatch { .. })
        ));
        assert!(matches!(
            pay.start_withdrawal(&scope, euro.id, Money::new(100, Currency::EUR))
                .await,
            Err(PayError::InsufficientFunds)
        ));
        let other = member(Role::Owner);
        assert!(
            matches!(
                pay.start_withdrawal(&other, account.id, cny(1)).await,
                Err(PayError::NotFound(_))
            ),
            "another company's bank account"
        );
        assert!(matches!(
            pay.start_top_up(&member(Role::Warehouse), cny(1)).await,
            Err(PayError::Forbidden)
        ));
        assert!(
            pay.withdrawals(&scope, kernel::PageRequest::first())
                .await
                .unwrap()
                .items
                .is_empty(),
            "no withdrawal record was left"
        );
        assert_eq!(available(&pay, &scope, Currency::CNY).await, (10_000, 0));
        let mut bad = bank(Currency::CNY);
        bad.account_number = "12".into();
        assert!(matches!(
            pay.add_bank_account(&scope, &bad).await,
            Err(PayError::Invalid {
                field: "account_number",
                ..
            })
        ));
    }
);
