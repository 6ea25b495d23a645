//! The operator's repair of withdrawals a crash left half done, and the
//! settlements that must respect what the ledger already holds. Each crash is
//! made by putting the rows where a killed process would have left them.

use kernel::{Currency, Db, Role, Scope, storage_test};
use pay::provider::sign;
use pay::repair::{RepairAction, STUCK_AFTER_SECONDS_DEFAULT};
use pay::{
    NewBankAccount, Pay, PayError, PaymentProvider, ProviderStatus, WebhookEvent, WebhookKind,
    Withdrawal,
};

use crate::support::*;

fn bank_account() -> NewBankAccount {
    NewBankAccount {
        holder_name: "义乌市恒信保温杯有限公司".into(),
        bank_name: "中国工商银行义乌分行".into(),
        account_number: "6222 0212 0800 1234 567".into(),
        currency: Currency::CNY,
    }
}

async fn execute(db: &Db, sql: &str, reference: &str) {
    let mut tx = db.begin().await.unwrap();
    sqlx::query(sql)
        .bind(reference)
        .execute(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Puts `withdrawal`'s rows where a killed process would have left them.
async fn as_a_crash_left(db: &Db, withdrawal: &Withdrawal, sql: &str) {
    execute(db, sql, &withdrawal.id.to_string()).await;
}

/// Moves the clock past the repair's wait and lists what is stuck.
async fn stuck_once_old(
    pay: &Pay,
    clock: &kernel::ManualClock,
) -> Vec<pay::repair::StuckWithdrawal> {
    clock.advance_seconds(STUCK_AFTER_SECONDS_DEFAULT + 1);
    pay.stuck_withdrawals(STUCK_AFTER_SECONDS_DEFAULT)
        .await
        .unwrap()
}

/// A funded company with one withdrawal of 30 yuan waiting at the bank.
async fn withdrawal_at_the_bank(pay: &Pay) -> (Scope, Withdrawal) {
    let scope = member(Role::Owner);
    fund(pay, &scope, cny(100)).await;
    let account = pay.add_bank_account(&scope, &bank_account()).await.unwrap();
    let withdrawal = pay
        .start_withdrawal(&scope, account.id, cny(30))
        .await
        .unwrap();
    assert_eq!(available(pay, &scope, Currency::CNY).await, (7_000, 3_000));
    (scope, withdrawal)
}

/// Delivers a webhook for a payout as the sandbox bank would sign it.
async fn payout_webhook(
    pay: &Pay,
    withdrawal: &Withdrawal,
    kind: WebhookKind,
    event_id: &str,
) -> pay::Result<pay::WebhookOutcome> {
    let event = WebhookEvent {
        event_id: event_id.into(),
        kind,
        reference: withdrawal.id.to_string(),
    };
    let body = serde_json::to_vec(&event).unwrap();
    let signature = sign(
        pay.sandbox().unwrap().webhook_secret(),
        pay.ledger().now(),
        &body,
    );
    pay.handle_webhook("sandbox", &signature, &body).await
}

storage_test!(
    a_payout_that_never_reached_the_bank_is_released,
    migrations(),
    |db: Db| async move {
        let (pay, clock) = service(&db);
        let (scope, withdrawal) = withdrawal_at_the_bank(&pay).await;
        // Killed between `pending` and the payout request: the bank never heard.
        as_a_crash_left(
            &db,
            &withdrawal,
            "DELETE FROM pay_sandbox_operation WHERE reference = $1",
        )
        .await;

        assert!(
            pay.stuck_withdrawals(STUCK_AFTER_SECONDS_DEFAULT)
                .await
                .unwrap()
                .is_empty(),
            "too young: it may still be running"
        );
        assert!(matches!(
            pay.repair_withdrawal(withdrawal.id, STUCK_AFTER_SECONDS_DEFAULT)
                .await,
            Err(PayError::Invalid {
                code: "not_stuck",
                ..
            })
        ));
        assert_eq!(
            available(&pay, &scope, Currency::CNY).await,
            (7_000, 3_000),
            "nothing changed"
        );

        let stuck = stuck_once_old(&pay, &clock).await;
        assert_eq!(stuck.len(), 1);
        assert_eq!(stuck[0].id, withdrawal.id);
        assert_eq!(stuck[0].at_provider, ProviderStatus::Unknown);
        assert_eq!(stuck[0].action, RepairAction::Release);
        assert!(stuck[0].reserved);

        pay.repair_withdrawal(withdrawal.id, STUCK_AFTER_SECONDS_DEFAULT)
            .await
            .unwrap();
        assert_eq!(available(&pay, &scope, Currency::CNY).await, (10_000, 0));
        let listed = pay
            .withdrawals(&scope, kernel::PageRequest::first())
            .await
            .unwrap();
        assert_eq!(listed.items[0].status, "failed");
        assert!(
            matches!(
                pay.repair_withdrawal(withdrawal.id, STUCK_AFTER_SECONDS_DEFAULT)
                    .await,
                Err(PayError::Invalid {
                    code: "not_stuck",
                    ..
                })
            ),
            "a second repair changes nothing"
        );
        assert!(pay.stuck_withdrawals(0).await.unwrap().is_empty());
        assert!(pay.check_ledger().await.unwrap().balanced());
    }
);

storage_test!(
    a_reservation_left_before_pending_is_released,
    migrations(),
    |db: Db| async move {
        let (pay, clock) = service(&db);
        let (scope, withdrawal) = withdrawal_at_the_bank(&pay).await;
        // Killed between the hold and `pending`: no payout was asked for.
        as_a_crash_left(
            &db,
            &withdrawal,
            "DELETE FROM pay_sandbox_operation WHERE reference = $1",
        )
        .await;
        as_a_crash_left(
            &db,
            &withdrawal,
            "UPDATE pay_withdrawal SET status = 'requested' WHERE provider_reference = $1",
        )
        .await;
        let stuck = stuck_once_old(&pay, &clock).await;
        assert_eq!(
            (stuck[0].status.as_str(), stuck[0].reserved, stuck[0].action),
            ("requested", true, RepairAction::Release)
        );
        pay.repair_withdrawal(withdrawal.id, STUCK_AFTER_SECONDS_DEFAULT)
            .await
            .unwrap();
        assert_eq!(available(&pay, &scope, Currency::CNY).await, (10_000, 0));
        assert!(pay.check_ledger().await.unwrap().balanced());
    }
);

storage_test!(
    a_record_without_its_reservation_is_closed,
    migrations(),
    |db: Db| async move {
        let (pay, clock) = service(&db);
        let (scope, withdrawal) = withdrawal_at_the_bank(&pay).await;
        // Killed after the record and before the hold: the wallet holds
        // nothing for it. Made by settling the hold away, then rewinding.
        payout_webhook(&pay, &withdrawal, WebhookKind::PayoutFailed, "evt_void")
            .await
            .unwrap();
        as_a_crash_left(
            &db,
            &withdrawal,
            "DELETE FROM pay_sandbox_operation WHERE reference = $1",
        )
        .await;
        execute(&db, "UPDATE pay_withdrawal SET status = 'requested', hold_transfer_id = hold_transfer_id + 1 WHERE provider_reference = $1", &withdrawal.id.to_string()).await;
        let stuck = stuck_once_old(&pay, &clock).await;
        assert_eq!(
            (stuck[0].reserved, stuck[0].action),
            (false, RepairAction::Release)
        );
        pay.repair_withdrawal(withdrawal.id, STUCK_AFTER_SECONDS_DEFAULT)
            .await
            .unwrap();
        let listed = pay
            .withdrawals(&scope, kernel::PageRequest::first())
            .await
            .unwrap();
        assert_eq!(listed.items[0].status, "failed");
        assert_eq!(available(&pay, &scope, Currency::CNY).await, (10_000, 0));
        assert!(pay.check_ledger().await.unwrap().balanced());
    }
);

storage_test!(
    a_payout_the_bank_made_without_telling_is_completed,
    migrations(),
    |db: Db| async move {
        let (pay, clock) = service(&db);
        let (scope, withdrawal) = withdrawal_at_the_bank(&pay).await;
        // The bank paid out; its webhook never arrived.
        as_a_crash_left(
            &db,
            &withdrawal,
            "UPDATE pay_sandbox_operation SET status = 'confirmed' WHERE reference = $1",
        )
        .await;
        let stuck = stuck_once_old(&pay, &clock).await;
        assert_eq!(
            (stuck[0].at_provider, stuck[0].action),
            (ProviderStatus::Succeeded, RepairAction::Complete)
        );
        pay.repair_withdrawal(withdrawal.id, STUCK_AFTER_SECONDS_DEFAULT)
            .await
            .unwrap();
        assert_eq!(
            available(&pay, &scope, Currency::CNY).await,
            (7_000, 0),
            "paid out once"
        );
        let balance = pay.balances(&scope).await.unwrap();
        assert_eq!(balance[0].balance.minor, 7_000);
        // The late webhook finds it done.
        payout_webhook(&pay, &withdrawal, WebhookKind::PayoutCompleted, "evt_late")
            .await
            .unwrap();
        assert_eq!(available(&pay, &scope, Currency::CNY).await, (7_000, 0));
        assert!(pay.check_ledger().await.unwrap().balanced());
    }
);

storage_test!(
    a_payout_still_at_the_bank_is_left_to_its_webhook,
    migrations(),
    |db: Db| async move {
        let (pay, clock) = service(&db);
        let (scope, withdrawal) = withdrawal_at_the_bank(&pay).await;
        clock.advance_seconds(STUCK_AFTER_SECONDS_DEFAULT + 1);
        assert!(
            pay.stuck_withdrawals(STUCK_AFTER_SECONDS_DEFAULT)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            pay.repair_withdrawal(withdrawal.id, STUCK_AFTER_SECONDS_DEFAULT)
                .await,
            Err(PayError::Invalid {
                code: "not_stuck",
                ..
            })
        ));
        assert_eq!(available(&pay, &scope, Currency::CNY).await, (7_000, 3_000));
    }
);

storage_test!(
    a_settlement_made_before_a_crash_outranks_a_later_contrary_report,
    migrations(),
    |db: Db| async move {
        let (pay, _) = service(&db);
        let (scope, withdrawal) = withdrawal_at_the_bank(&pay).await;
        // Paid out, then killed before `completed` was written.
        payout_webhook(&pay, &withdrawal, WebhookKind::PayoutCompleted, "evt_done")
            .await
            .unwrap();
        as_a_crash_left(
            &db,
            &withdrawal,
            "UPDATE pay_withdrawal SET status = 'pending' WHERE provider_reference = $1",
        )
        .await;
        payout_webhook(&pay, &withdrawal, WebhookKind::PayoutFailed, "evt_contrary")
            .await
            .unwrap();
        let listed = pay
            .withdrawals(&scope, kernel::PageRequest::first())
            .await
            .unwrap();
        assert_eq!(listed.items[0].status, "completed", "the post stands");
        assert_eq!(available(&pay, &scope, Currency::CNY).await, (7_000, 0));

        // A top-up credited, then killed before `succeeded`: a later failure
        // report leaves the money where it is, and the record says so.
        let top_up = pay.start_top_up(&scope, cny(5)).await.unwrap();
        let deliver = |id: &'static str, kind| {
            let event = WebhookEvent {
                event_id: id.into(),
                kind,
                reference: top_up.id.to_string(),
            };
            let body = serde_json::to_vec(&event).unwrap();
            let signature = sign(
                pay.sandbox().unwrap().webhook_secret(),
                pay.ledger().now(),
                &body,
            );
            let pay = pay.clone();
            async move {
                pay.handle_webhook("sandbox", &signature, &body)
                    .await
                    .unwrap()
            }
        };
        deliver("evt_paid", WebhookKind::PaymentSucceeded).await;
        execute(
            &db,
            "UPDATE pay_top_up SET status = 'pending' WHERE provider_reference = $1",
            &top_up.id.to_string(),
        )
        .await;
        deliver("evt_unpaid", WebhookKind::PaymentFailed).await;
        let top_ups = pay
            .top_ups(&scope, kernel::PageRequest::first())
            .await
            .unwrap();
        assert_eq!(top_ups.items[0].status, "succeeded", "the credit stands");
        assert_eq!(available(&pay, &scope, Currency::CNY).await, (7_500, 0));
        assert!(pay.check_ledger().await.unwrap().balanced());
    }
);

storage_test!(
    the_bank_decides_before_it_tells_and_tells_again_when_asked,
    migrations(),
    |db: Db| async move {
        let (pay, _) = service(&db);
        let scope = member(Role::Owner);
        let top_up = pay.start_top_up(&scope, cny(20)).await.unwrap();
        let viewer = pay::sandbox::SandboxViewer::of(&scope);
        let operation = pay
            .sandbox_operations(viewer, kernel::PageRequest::first())
            .await
            .unwrap()
            .items[0]
            .id;
        // Killed after the bank decided, before its notice arrived.
        execute(
            &db,
            "UPDATE pay_sandbox_operation SET status = 'confirmed' WHERE reference = $1",
            &top_up.id.to_string(),
        )
        .await;
        assert_eq!(available(&pay, &scope, Currency::CNY).await, (0, 0));
        assert!(
            matches!(
                pay.sandbox_settle(viewer, operation, false).await,
                Err(PayError::Invalid {
                    code: "already_settled",
                    ..
                })
            ),
            "the bank never says both"
        );
        pay.sandbox_settle(viewer, operation, true).await.unwrap();
        assert_eq!(
            available(&pay, &scope, Currency::CNY).await,
            (2_000, 0),
            "told again, credited once"
        );
        pay.sandbox_settle(viewer, operation, true).await.unwrap();
        assert_eq!(available(&pay, &scope, Currency::CNY).await, (2_000, 0));
        let top_ups = pay
            .top_ups(&scope, kernel::PageRequest::first())
            .await
            .unwrap();
        assert_eq!(top_ups.items[0].status, "succeeded");
        assert!(pay.check_ledger().await.unwrap().balanced());
    }
);

storage_test!(
    a_wallet_mapped_before_a_crash_gets_its_ledger_account_on_next_use,
    migrations(),
    |db: Db| async move {
        let (pay, _) = service(&db);
        let scope = member(Role::Owner);
        // Killed after the mapping committed, before the ledger account was made.
        let mut tx = db.begin().await.unwrap();
        sqlx::query(
            "INSERT INTO pay_wallet (company_id, currency, account_id, created_at, updated_at) VALUES ($1, 'CNY', $2, 0, 0)",
        )
        .bind(scope.company_id())
        .bind(ledger::AccountId::new().raw())
        .execute(tx.conn())
        .await
        .unwrap();
        tx.commit().await.unwrap();
        fund(&pay, &scope, cny(40)).await;
        assert_eq!(available(&pay, &scope, Currency::CNY).await, (4_000, 0));
        assert!(pay.check_ledger().await.unwrap().balanced());
    }
);
