//! The provider switch: without a provider no money comes in or goes out; the
//! sandbox bank exists only where configured, and its configured secret lets
//! every node check the webhooks another node's bank signed.

use std::sync::Arc;

use kernel::{Currency, Db, Role, storage_test};
use pay::provider::sign;
use pay::sandbox::SandboxViewer;
use pay::{
    NewBankAccount, PayError, PaymentProvider, PaymentProviders, SandboxBank, WebhookEvent,
    WebhookKind, WebhookOutcome,
};

use crate::support::*;

const SHARED_SECRET: &[u8] = b"a network's sandbox secret, 32+ bytes long";

fn bank_account() -> NewBankAccount {
    NewBankAccount {
        holder_name: "Vogel Haushaltswaren GmbH".into(),
        bank_name: "Hamburger Sparkasse".into(),
        account_number: "DE89370400440532013000".into(),
        currency: Currency::CNY,
    }
}

storage_test!(
    without_a_provider_no_money_comes_in_or_goes_out,
    migrations(),
    |db: Db| async move {
        let (pay, _) = service_with(&db, |_, _| PaymentProviders::none());
        assert!(!pay.is_test_money());
        let scope = member(Role::Owner);
        assert!(matches!(
            pay.start_top_up(&scope, cny(100)).await,
            Err(PayError::NoProvider)
        ));
        let account = pay.add_bank_account(&scope, &bank_account()).await.unwrap();
        assert!(matches!(
            pay.start_withdrawal(&scope, account.id, cny(1)).await,
            Err(PayError::NoProvider)
        ));
        let page = kernel::PageRequest::first();
        assert!(pay.top_ups(&scope, page).await.unwrap().items.is_empty());
        assert!(
            pay.withdrawals(&scope, page)
                .await
                .unwrap()
                .items
                .is_empty()
        );
        assert!(matches!(
            pay.sandbox_operations(SandboxViewer::Operator, page).await,
            Err(PayError::NotFound("sandbox bank"))
        ));
        let event = WebhookEvent {
            event_id: "evt_1".into(),
            kind: WebhookKind::PaymentSucceeded,
            reference: "top_0000000000000".into(),
        };
        let body = serde_json::to_vec(&event).unwrap();
        let signature = sign(SHARED_SECRET, pay.ledger().now(), &body);
        assert!(matches!(
            pay.handle_webhook("sandbox", &signature, &body).await,
            Err(PayError::NotFound("payment provider"))
        ));
        assert!(pay.check_ledger().await.unwrap().balanced());
    }
);

storage_test!(
    nodes_sharing_the_configured_secret_check_each_others_webhooks,
    migrations(),
    |db: Db| async move {
        let configured = |secret: &'static [u8]| {
            move |db: &Db, clock| {
                PaymentProviders::none().with_sandbox(Arc::new(
                    SandboxBank::new(db.clone(), clock, secret.to_vec()).unwrap(),
                ))
            }
        };
        let (first_node, _) = service_with(&db, configured(SHARED_SECRET));
        let (second_node, _) = service_with(&db, configured(SHARED_SECRET));
        let (stranger, _) = service_with(&db, configured(b"another network's secret, 32+ bytes"));
        assert!(first_node.is_test_money());
        let scope = member(Role::Finance);
        let top_up = first_node.start_top_up(&scope, cny(70)).await.unwrap();
        let event = WebhookEvent {
            event_id: "evt_node_1".into(),
            kind: WebhookKind::PaymentSucceeded,
            reference: top_up.id.to_string(),
        };
        let body = serde_json::to_vec(&event).unwrap();
        let signed_by_first = sign(
            first_node.sandbox().unwrap().webhook_secret(),
            first_node.ledger().now(),
            &body,
        );
        assert!(matches!(
            stranger
                .handle_webhook("sandbox", &signed_by_first, &body)
                .await,
            Err(PayError::InvalidSignature)
        ));
        assert_eq!(available(&first_node, &scope, Currency::CNY).await, (0, 0));
        assert_eq!(
            second_node
                .handle_webhook("sandbox", &signed_by_first, &body)
                .await
                .unwrap(),
            WebhookOutcome::Applied
        );
        assert_eq!(
            available(&first_node, &scope, Currency::CNY).await,
            (7_000, 0)
        );
    }
);

#[test]
fn a_short_configured_secret_is_refused() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let db = kernel::testing::TestDb::migrated(kernel::Engine::Sqlite, &migrations())
            .await
            .unwrap();
        let clock: Arc<dyn kernel::Clock> = Arc::new(kernel::SystemClock);
        assert!(matches!(
            SandboxBank::new(db.db.clone(), clock, b"too short".to_vec()),
            Err(PayError::Invalid {
                field: "sandbox_webhook_secret",
                ..
            })
        ));
    });
}
