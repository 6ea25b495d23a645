//! Entries posted from the deal and the wallet, with no retyping: both
//! companies' books follow a settled order, a refund in part after delivery
//! and a full refund before shipping, top-ups and withdrawals; the books
//! always reconcile with the ledger, and a replay of the outbox changes
//! nothing.

use books::{AccountRole, EntryFilter, postings::vat_split};
use kernel::outbox::{OutboxEvent, Subscriber};
use kernel::{Clock, Currency, Db, Money, PageRequest, Timestamp, storage_test};
use sqlx::Row;
use trade::RefundInput;

use crate::support::{Fixture, fixture, migrations};

/// Every entry the books hold, across companies.
pub async fn entry_count(db: &Db) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM books_entry")
        .fetch_one(db.reader())
        .await
        .unwrap()
        .get("n")
}

/// Hands the whole outbox to the books' subscriber once more.
pub async fn replay_everything(f: &Fixture) {
    let rows = sqlx::query(
        "SELECT position, event_id, name, version, company_id, payload, created_at FROM kernel_outbox ORDER BY position",
    )
    .fetch_all(f.deal.db.reader())
    .await
    .unwrap();
    let subscriber = books::BooksPostings::new(f.books.clone());
    let mut tx = f.deal.db.begin().await.unwrap();
    for row in &rows {
        let event = OutboxEvent {
            position: row.get("position"),
            event_id: row.get("event_id"),
            name: row.get("name"),
            version: row.get("version"),
            company_id: row
                .get::<Option<i64>, _>("company_id")
                .map(kernel::CompanyId::from_raw),
            payload: row.get("payload"),
            created_at: Timestamp::from_micros(row.get("created_at")),
        };
        subscriber.handle(&mut tx, &event).await.unwrap();
    }
    tx.commit().await.unwrap();
}

storage_test!(
    a_settled_order_posts_in_both_books_and_they_reconcile,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let (seller, buyer) = (f.deal.seller, f.deal.buyer);
        assert_eq!(f.balance(&buyer, AccountRole::Wallet).await, 100_000_000);
        assert_eq!(f.balance(&buyer, AccountRole::Bank).await, -100_000_000);

        let (order, shipment) = f.deal.shipped_order(100).await;
        f.settle().await;
        let total = order.total_minor;
        let (net, vat) = vat_split(total, 1_300);
        assert_eq!(f.balance(&buyer, AccountRole::EscrowAdvance).await, total);
        assert_eq!(f.balance(&buyer, AccountRole::Payable).await, total);
        assert_eq!(f.balance(&buyer, AccountRole::Inventory).await, net);
        assert_eq!(f.balance(&seller, AccountRole::Receivable).await, total);
        assert_eq!(f.balance(&seller, AccountRole::Revenue).await, net);
        assert_eq!(f.balance(&seller, AccountRole::OutputVat).await, vat);
        // The VAT summary reads the same from the balances per month.
        let sales = f.books.vat_summary(&seller, None, None).await.unwrap();
        assert_eq!(sales.totals[0].output_vat_minor, vat);
        assert_eq!(sales.totals[0].payable_minor, vat);
        let purchases = f.books.vat_summary(&buyer, None, None).await.unwrap();
        assert_eq!(purchases.totals[0].input_vat_minor, vat);
        assert_eq!(purchases.totals[0].payable_minor, -vat);
        let period = books::period::period_of(f.deal.clock.now());
        let month = f
            .books
            .vat_summary(&seller, Some(&period), Some(&period))
            .await
            .unwrap();
        assert_eq!(month.months.len(), 1);
        assert_eq!(month.months[0].period, period);
        assert!(matches!(
            f.books.vat_summary(&seller, Some("2026-13"), None).await,
            Err(books::BooksError::Invalid { .. })
        ));
        f.assert_reconciled().await;

        f.deal.deliver(&shipment.tracking_number).await;
        f.deal
            .trade
            .confirm_receipt(&buyer, order.id)
            .await
            .unwrap();
        f.settle().await;
        assert_eq!(f.balance(&buyer, AccountRole::EscrowAdvance).await, 0);
        assert_eq!(f.balance(&buyer, AccountRole::Payable).await, 0);
        assert_eq!(f.balance(&seller, AccountRole::Receivable).await, 0);
        let fee = order.fee_minor;
        assert!(fee > 0, "the operator's default fee applies");
        assert_eq!(f.balance(&seller, AccountRole::PlatformFees).await, fee);
        assert_eq!(f.balance(&seller, AccountRole::Wallet).await, total - fee);
        f.assert_reconciled().await;
        f.assert_balanced(&seller).await;
        f.assert_balanced(&buyer).await;

        let linked = f
            .books
            .entries(
                &seller,
                &EntryFilter {
                    order_id: Some(order.id.raw()),
                    ..EntryFilter::default()
                },
                PageRequest::first(),
            )
            .await
            .unwrap();
        assert_eq!(linked.items.len(), 2, "the invoice and the settlement");
        assert!(
            linked
                .items
                .iter()
                .all(|e| e.order_id == Some(order.id.to_string()))
        );

        let before = entry_count(&db).await;
        replay_everything(&f).await;
        assert_eq!(entry_count(&db).await, before, "a replay changes nothing");
        f.assert_reconciled().await;
    }
);

storage_test!(
    a_refund_in_part_after_delivery_writes_credit_notes_on_both_sides,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let (seller, buyer) = (f.deal.seller, f.deal.buyer);
        let (order, shipment) = f.deal.shipped_order(100).await;
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
        let total = order.total_minor;
        let (net, _) = vat_split(total, 1_300);
        let (refund_net, _) = vat_split(25_000, 1_300);
        assert_eq!(
            f.balance(&seller, AccountRole::Revenue).await,
            net - refund_net
        );
        assert_eq!(f.balance(&seller, AccountRole::Receivable).await, 0);
        assert_eq!(f.balance(&buyer, AccountRole::Payable).await, 0);
        assert_eq!(f.balance(&buyer, AccountRole::EscrowAdvance).await, 0);
        assert_eq!(
            f.balance(&buyer, AccountRole::Inventory).await,
            net - refund_net
        );
        f.assert_reconciled().await;
        f.assert_balanced(&seller).await;
        f.assert_balanced(&buyer).await;
    }
);

storage_test!(
    a_full_refund_before_shipping_gives_the_money_back_and_invoices_nothing,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let (seller, buyer) = (f.deal.seller, f.deal.buyer);
        let order = f.deal.paid_order(100).await;
        let refund = f
            .deal
            .trade
            .request_refund(
                &buyer,
                order.id,
                &RefundInput {
                    amount_minor: order.total_minor,
                    reason: "we ordered the wrong size".to_owned(),
                    with_return: false,
                },
            )
            .await
            .unwrap();
        f.deal
            .trade
            .answer_refund(&seller, order.id, refund.id, true, "")
            .await
            .unwrap();
        f.settle().await;
        assert_eq!(f.balance(&buyer, AccountRole::Wallet).await, 100_000_000);
        assert_eq!(f.balance(&buyer, AccountRole::EscrowAdvance).await, 0);
        assert_eq!(f.balance(&buyer, AccountRole::Payable).await, 0);
        assert_eq!(f.balance(&seller, AccountRole::Revenue).await, 0);
        f.assert_reconciled().await;
    }
);

storage_test!(
    a_withdrawal_passes_through_transit_to_the_bank_and_a_failed_one_comes_back,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let buyer = f.deal.buyer;
        let bank = f
            .deal
            .pay
            .add_bank_account(
                &buyer,
                &pay::NewBankAccount {
                    holder_name: "Vogel Import GmbH".to_owned(),
                    bank_name: "Hamburger Sparkasse".to_owned(),
                    account_number: "DE89370400440532013000".to_owned(),
                    currency: Currency::CNY,
                },
            )
            .await
            .unwrap();
        let viewer = pay::sandbox::SandboxViewer::of(&buyer);
        for (amount, succeed) in [(30_000_000, true), (5_000_000, false)] {
            let withdrawal = f
                .deal
                .pay
                .start_withdrawal(&buyer, bank.id, Money::new(amount, Currency::CNY))
                .await
                .unwrap();
            f.settle().await;
            assert_eq!(
                f.balance(&buyer, AccountRole::WithdrawalsInTransit).await,
                amount
            );
            f.assert_reconciled().await;
            let operations = f
                .deal
                .pay
                .sandbox_operations(viewer, PageRequest::first())
                .await
                .unwrap();
            let operation = operations
                .items
                .iter()
                .find(|op| op.reference == withdrawal.id.to_string())
                .unwrap();
            f.deal
                .pay
                .sandbox_settle(viewer, operation.id, succeed)
                .await
                .unwrap();
            f.settle().await;
            assert_eq!(
                f.balance(&buyer, AccountRole::WithdrawalsInTransit).await,
                0
            );
            f.assert_reconciled().await;
        }
        assert_eq!(f.balance(&buyer, AccountRole::Wallet).await, 70_000_000);
        assert_eq!(f.balance(&buyer, AccountRole::Bank).await, -70_000_000);
    }
);

storage_test!(
    the_cost_of_goods_shipped_and_returned_posts_from_the_supply_chains_events,
    migrations(),
    |db: Db| async move {
        use scm::events::{CostInCurrency, CostedReason, OrderGoodsCosted};
        let f = fixture(db.clone()).await;
        let seller = f.deal.seller;
        let (order, _) = f.deal.shipped_order(100).await;
        let now = f.deal.clock.now();
        let costed = |reason, value_minor| OrderGoodsCosted {
            company_id: seller.company_id(),
            order_id: order.id,
            reason,
            costs: vec![CostInCurrency {
                currency: Currency::CNY,
                value_minor,
            }],
            at: now,
        };
        let mut tx = db.begin().await.unwrap();
        let shipped = costed(CostedReason::Shipment, 240_000);
        kernel::outbox::append(&mut tx, &shipped, Some(seller.company_id()), now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        f.settle().await;
        assert_eq!(f.balance(&seller, AccountRole::CostOfSales).await, 240_000);
        assert_eq!(f.balance(&seller, AccountRole::Inventory).await, -240_000);

        // Part of the goods back: that part of the cost undone.
        let mut tx = db.begin().await.unwrap();
        let returned = costed(CostedReason::CustomerReturn, 90_000);
        kernel::outbox::append(&mut tx, &returned, Some(seller.company_id()), now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        f.settle().await;
        assert_eq!(f.balance(&seller, AccountRole::CostOfSales).await, 150_000);
        assert_eq!(f.balance(&seller, AccountRole::Inventory).await, -150_000);

        // Both entries link to the order, in the general journal.
        let filter = EntryFilter {
            order_id: Some(order.id.raw()),
            ..EntryFilter::default()
        };
        let entries = f
            .books
            .entries(&seller, &filter, PageRequest::first())
            .await
            .unwrap();
        let costs: Vec<_> = entries
            .items
            .iter()
            .filter(|entry| entry.source.contains(":cost_of_goods:"))
            .collect();
        assert_eq!(costs.len(), 2);
        assert!(
            costs
                .iter()
                .all(|entry| entry.journal == books::Journal::General)
        );

        // A replay posts nothing twice.
        let before = entry_count(&db).await;
        replay_everything(&f).await;
        assert_eq!(entry_count(&db).await, before);
        f.assert_reconciled().await;
    }
);
