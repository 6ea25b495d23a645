//! Realised exchange differences: in books kept in euros, an order in yuan
//! paid, invoiced, partly refunded and settled on days with different rates
//! clears the advance, the payable and the receivable at what they were
//! booked at, so they end at nothing in euros too, and the rate's move lands
//! on the exchange-differences account; so do a payment and a credit note
//! of an invoice written by hand. The entries stay balanced in euros, and a
//! replay changes nothing.

use books::{
    AccountRole, CreditNoteInput, InvoiceInput, InvoiceLineInput, PaymentInput, RateInput,
    ReportRange, SettingsInput,
};
use kernel::{Clock, Db, Scope, storage_test};
use trade::RefundInput;

use crate::from_the_deal::{entry_count, replay_everything};
use crate::support::{Fixture, fixture, migrations};

const DAY_SECONDS: i64 = 86_400;

/// Books kept in euros, from before their first entry.
async fn in_euros(f: &Fixture, scope: &Scope) {
    f.books
        .change_settings(
            scope,
            &SettingsInput {
                functional_currency: Some("EUR".to_owned()),
                ..SettingsInput::default()
            },
        )
        .await
        .unwrap();
}

/// Sets the yuan's rate in euros from today for each of `scopes`.
async fn yuan_at(f: &Fixture, scopes: &[&Scope], rate: &str) {
    let date = books::period::day_of(f.deal.clock.now());
    for scope in scopes {
        f.books
            .set_exchange_rate(
                scope,
                &RateInput {
                    currency: "CNY".to_owned(),
                    date: date.clone(),
                    rate: rate.to_owned(),
                },
            )
            .await
            .unwrap();
    }
}

/// An account's balance in the functional currency, by role, in its
/// normal direction.
async fn value_of(f: &Fixture, scope: &Scope, role: AccountRole) -> i64 {
    let accounts = f.books.accounts(scope).await.unwrap();
    let Some(account) = accounts.iter().find(|a| a.role == Some(role)) else {
        return 0;
    };
    f.books
        .trial_balance(scope, ReportRange::default())
        .await
        .unwrap()
        .lines
        .iter()
        .filter(|line| line.account_id == account.id)
        .map(|line| line.functional_balance_minor)
        .sum()
}

storage_test!(
    an_order_in_yuan_clears_at_its_booked_euros_and_the_move_is_realised,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let seller = f.deal.seller;
        // A buyer of its own, whose books are in euros from the start.
        let buyer = crate::deal::company(&f.deal.market, "CN").await;
        in_euros(&f, &seller).await;
        in_euros(&f, &buyer).await;
        yuan_at(&f, &[&seller, &buyer], "0.13").await;
        f.deal.fund(&buyer, 100_000_000).await;

        let order = f
            .deal
            .trade
            .place_order(&buyer, &f.deal.order_input(100))
            .await
            .unwrap();
        f.deal
            .trade
            .confirm_order(&seller, order.id, &trade::ConfirmInput::default())
            .await
            .unwrap();
        let order = f.deal.trade.pay_order(&buyer, order.id).await.unwrap();
        f.settle().await;

        f.deal.clock.advance_seconds(DAY_SECONDS);
        yuan_at(&f, &[&seller, &buyer], "0.125").await;
        let shipment = f
            .deal
            .trade
            .ship_order(&seller, order.id, &crate::deal::sandbox_shipment())
            .await
            .unwrap();
        f.settle().await;
        let total = order.total_minor;
        // Invoiced at 0.125: what the order owes, in cents.
        let invoiced_value = (total * 125 + 500) / 1_000;
        assert_eq!(
            value_of(&f, &seller, AccountRole::Receivable).await,
            invoiced_value
        );
        assert_eq!(
            value_of(&f, &buyer, AccountRole::Payable).await,
            invoiced_value
        );
        assert_eq!(
            value_of(&f, &buyer, AccountRole::EscrowAdvance).await,
            (total * 13 + 50) / 100,
            "the advance stays at the day it was paid"
        );

        f.deal.clock.advance_seconds(DAY_SECONDS);
        yuan_at(&f, &[&seller, &buyer], "0.12").await;
        // Delivered, then partly refunded: that settles the rest.
        f.deal.deliver(&shipment.tracking_number).await;
        let refund = f
            .deal
            .trade
            .request_refund(
                &buyer,
                order.id,
                &RefundInput {
                    amount_minor: 25_000,
                    reason: "20 flasks arrived dented".to_owned(),
                    with_return: false,
                },
            )
            .await
            .unwrap();
        f.deal
            .trade
            .answer_refund(&seller, order.id, refund.id, true, "sorry")
            .await
            .unwrap();
        f.settle().await;

        for scope in [&seller, &buyer] {
            for role in [
                AccountRole::Receivable,
                AccountRole::Payable,
                AccountRole::EscrowAdvance,
            ] {
                assert_eq!(value_of(&f, scope, role).await, 0, "{role:?} is cleared");
            }
            f.assert_balanced(scope).await;
        }
        // The yuan fell: the seller, owed yuan, lost; so did the buyer,
        // whose advance was paid in dearer yuan than the goods were invoiced.
        let seller_loss = value_of(&f, &seller, AccountRole::ExchangeDifferences).await;
        let buyer_loss = value_of(&f, &buyer, AccountRole::ExchangeDifferences).await;
        assert!(seller_loss > 0, "{seller_loss}");
        assert!(buyer_loss > 0, "{buyer_loss}");
        // The seller's is what the receivable was worth at 0.125 less what
        // came of it at 0.12 (the credit note's revenue and VAT, the wallet,
        // the fee): 0.005 € on each yuan it was owed.
        let owed_value = invoiced_value;
        let came_value = (total * 12 + 50) / 100;
        assert!((seller_loss - (owed_value - came_value)).abs() <= 2);
        f.assert_reconciled().await;

        let before = entry_count(&db).await;
        replay_everything(&f).await;
        assert_eq!(entry_count(&db).await, before);
        assert_eq!(
            value_of(&f, &seller, AccountRole::ExchangeDifferences).await,
            seller_loss
        );
    }
);

storage_test!(
    a_payment_and_a_credit_note_by_hand_clear_an_invoice_at_its_booked_value,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let owner = crate::deal::company(&f.deal.market, "DE").await;
        in_euros(&f, &owner).await;
        let usd = |rate: &str, date: &str| RateInput {
            currency: "USD".to_owned(),
            date: date.to_owned(),
            rate: rate.to_owned(),
        };
        for (rate, date) in [
            ("0.90", "2026-10-01"),
            ("0.95", "2026-10-10"),
            ("0.80", "2026-10-20"),
        ] {
            f.books
                .set_exchange_rate(&owner, &usd(rate, date))
                .await
                .unwrap();
        }
        let invoice = f
            .books
            .create_invoice(
                &owner,
                &InvoiceInput {
                    kind: "sales".to_owned(),
                    counterparty_name: "Acme Inc.".to_owned(),
                    date: "2026-10-01".to_owned(),
                    due_date: None,
                    currency: "USD".to_owned(),
                    memo: String::new(),
                    lines: vec![InvoiceLineInput {
                        description: "Flasks".to_owned(),
                        quantity: 1,
                        unit: String::new(),
                        unit_price_minor: 100_000,
                        vat_rate_bp: 0,
                        account_id: None,
                    }],
                },
            )
            .await
            .unwrap();
        // 1,000.00 USD booked at 0.90: 900.00 EUR owed.
        assert_eq!(value_of(&f, &owner, AccountRole::Receivable).await, 90_000);

        // Half paid at 0.95: 475.00 EUR in the bank for 450.00 of the
        // receivable, a gain of 25.00.
        f.books
            .record_payment(
                &owner,
                invoice.id,
                &PaymentInput {
                    date: "2026-10-10".to_owned(),
                    amount_minor: 50_000,
                    account_id: None,
                    reference: "wire 1".to_owned(),
                },
            )
            .await
            .unwrap();
        assert_eq!(value_of(&f, &owner, AccountRole::Receivable).await, 45_000);
        assert_eq!(
            value_of(&f, &owner, AccountRole::ExchangeDifferences).await,
            -2_500
        );

        // The rest credited at 0.80: 400.00 EUR of revenue back for 450.00
        // of the receivable, a loss of 50.00.
        f.books
            .create_credit_note(
                &owner,
                invoice.id,
                &CreditNoteInput {
                    date: "2026-10-20".to_owned(),
                    memo: String::new(),
                    lines: vec![InvoiceLineInput {
                        description: "Flasks returned".to_owned(),
                        quantity: 1,
                        unit: String::new(),
                        unit_price_minor: 50_000,
                        vat_rate_bp: 0,
                        account_id: None,
                    }],
                },
            )
            .await
            .unwrap();
        assert_eq!(value_of(&f, &owner, AccountRole::Receivable).await, 0);
        assert_eq!(
            value_of(&f, &owner, AccountRole::ExchangeDifferences).await,
            2_500
        );
        f.assert_balanced(&owner).await;
    }
);
