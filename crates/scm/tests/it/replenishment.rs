//! Supplier prices and replenishment: an item at its reorder point gets a
//! draft purchase order at the quickest supplier's price, or a buying
//! request on the market; what is proposed counts as on order, so a second
//! run proposes nothing new; the daily job runs it and comes back tomorrow.

use std::sync::Arc;

use kernel::jobs::{JobRunner, JobRunnerOptions, JobState};
use kernel::{Clock, Currency, Db, storage_test};
use scm::{
    ItemUpdate, PurchaseState, REPLENISH_JOB, ReplenishOutcome, ReplenishWith, ScmError,
    SettingsInput, SupplierInput, SupplierPriceInput, proposed_quantity,
};

use crate::support::*;

fn price(unit_price_minor: i64, unit: Option<&str>, lead_time_days: i64) -> SupplierPriceInput {
    SupplierPriceInput {
        unit_price_minor,
        currency: Currency::CNY,
        unit: unit.map(str::to_owned),
        lead_time_days,
        supplier_sku: String::new(),
        product_id: None,
    }
}

fn supplier(name: &str) -> SupplierInput {
    SupplierInput {
        name: name.to_owned(),
        contact: String::new(),
        email: String::new(),
        phone: String::new(),
        network_company_id: None,
    }
}

#[test]
fn a_proposal_rises_above_the_reorder_point_in_whole_reorder_quantities() {
    assert_eq!(proposed_quantity(51, 50, 100), 0);
    assert_eq!(proposed_quantity(50, 50, 100), 100);
    assert_eq!(proposed_quantity(-150, 50, 100), 300);
    assert_eq!(proposed_quantity(40, 50, 0), 11);
}

storage_test!(
    replenishment_drafts_an_order_at_the_quickest_suppliers_price_once,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let buyer = &f.deal.buyer;
        let mut boxes_input = item_input("BOX");
        boxes_input.reorder_point = 50;
        boxes_input.reorder_quantity = 100;
        let boxes = f.scm.create_item(buyer, &boxes_input).await.unwrap();
        let tape = f.scm.create_item(buyer, &item_input("TAPE")).await.unwrap();
        let tape = f
            .scm
            .update_item(
                buyer,
                tape.id,
                &ItemUpdate {
                    reorder_point: Some(10),
                    ..ItemUpdate::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(tape.reorder_point, 10);
        f.receive(buyer, &boxes, 40, 200).await;
        let slow = f
            .scm
            .create_supplier(buyer, &supplier("慢 Slow Cartons"))
            .await
            .unwrap();
        let quick = f
            .scm
            .create_supplier(buyer, &supplier("快 Quick Cartons"))
            .await
            .unwrap();

        // Price refusals name the field and change nothing.
        let theirs = f
            .scm
            .create_supplier(&f.deal.seller, &supplier("x"))
            .await
            .unwrap();
        let before = db.row_counts().await.unwrap();
        let refusals = [
            (price(100, None, 400), "lead_time_days", "out_of_range"),
            (price(-1, None, 1), "unit_price_minor", "out_of_range"),
            (price(100, Some("pallet"), 1), "unit", "no_unit_conversion"),
            (
                SupplierPriceInput {
                    product_id: Some(f.deal.flask),
                    ..price(100, None, 1)
                },
                "product_id",
                "not_on_network",
            ),
        ];
        for (input, field, code) in refusals {
            match f
                .scm
                .set_supplier_price(buyer, slow.id, boxes.id, &input)
                .await
            {
                Err(ScmError::Invalid {
                    field: f, code: c, ..
                }) => {
                    assert_eq!((f.as_str(), c), (field, code));
                }
                other => panic!("expected {field} {code}, got {other:?}"),
            }
        }
        assert!(matches!(
            f.scm
                .set_supplier_price(buyer, theirs.id, boxes.id, &price(1, None, 1))
                .await,
            Err(ScmError::NotFound("supplier"))
        ));
        assert_eq!(db.row_counts().await.unwrap(), before);

        // 48.00 a carton in 10 days, or 2.10 a piece in 3: the quicker wins.
        f.scm
            .set_supplier_price(buyer, slow.id, boxes.id, &price(4_800, Some("carton"), 10))
            .await
            .unwrap();
        f.scm
            .set_supplier_price(buyer, quick.id, boxes.id, &price(210, None, 3))
            .await
            .unwrap();
        let listed = f.scm.item_suppliers(buyer, boxes.id).await.unwrap();
        assert_eq!(listed[0].supplier_id, quick.id);

        let proposals = f.scm.replenish_now(buyer).await.unwrap();
        assert_eq!(proposals.len(), 2, "{proposals:?}");
        let for_boxes = proposals.iter().find(|p| p.item_id == boxes.id).unwrap();
        assert_eq!(
            (for_boxes.outcome, for_boxes.quantity),
            (ReplenishOutcome::PurchaseOrder, 100)
        );
        let for_tape = proposals.iter().find(|p| p.item_id == tape.id).unwrap();
        assert_eq!(for_tape.outcome, ReplenishOutcome::NoSupplier);
        let draft = f
            .scm
            .purchase_order(buyer, for_boxes.purchase_order_id.unwrap())
            .await
            .unwrap();
        assert_eq!(draft.state, PurchaseState::Draft);
        assert_eq!(draft.supplier_id, quick.id);
        assert_eq!(
            (draft.lines[0].quantity, draft.lines[0].unit_price_minor),
            (100, 210)
        );

        // What was proposed is on order: nothing new, one standing "no supplier".
        let again = f.scm.replenish_now(buyer).await.unwrap();
        assert!(
            again
                .iter()
                .all(|p| p.outcome == ReplenishOutcome::NoSupplier)
        );
        let kept = f
            .scm
            .proposals(buyer, kernel::PageRequest::first())
            .await
            .unwrap();
        assert_eq!(kept.items.len(), 2);

        // The daily job: scheduled, and when the draft was dropped it
        // proposes again the next morning and comes back the day after.
        let key = buyer.company_id().raw().to_string();
        let job = kernel::jobs::find(&db, REPLENISH_JOB, &key)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(job.state, JobState::Scheduled);
        f.scm.cancel_purchase_order(buyer, draft.id).await.unwrap();
        f.deal.clock.advance_seconds(86_400);
        let clock: Arc<dyn Clock> = f.deal.clock.clone();
        let runner = JobRunner::new(
            db.clone(),
            clock,
            scm::handlers(&f.scm),
            JobRunnerOptions::default(),
        );
        let round = runner.run_due_once().await.unwrap();
        assert_eq!((round.failed, round.retried), (0, 0));
        let job_after = kernel::jobs::find(&db, REPLENISH_JOB, &key)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(job_after.state, JobState::Scheduled);
        assert!(job_after.scheduled_at > job.scheduled_at);
        let drafts = f
            .scm
            .purchase_orders(
                buyer,
                Some(PurchaseState::Draft),
                kernel::PageRequest::first(),
            )
            .await
            .unwrap();
        assert_eq!(drafts.items.len(), 1);
        assert_ne!(drafts.items[0].id, draft.id);
        f.assert_consistent().await;
    }
);

storage_test!(
    replenishment_posts_a_buying_request_where_the_member_prefers_it,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let seller = &f.deal.seller;
        let flask = f.linked_flask(5, 500).await;
        f.scm
            .update_item(
                seller,
                flask.id,
                &ItemUpdate {
                    reorder_point: Some(10),
                    reorder_quantity: Some(200),
                    ..ItemUpdate::default()
                },
            )
            .await
            .unwrap();
        let settings = f
            .scm
            .update_settings(
                seller,
                &SettingsInput {
                    replenish_with: Some(ReplenishWith::BuyingRequests),
                    ..SettingsInput::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(settings.replenish_with, ReplenishWith::BuyingRequests);
        let proposals = f.scm.replenish_now(seller).await.unwrap();
        assert_eq!(proposals.len(), 1);
        assert_eq!(proposals[0].outcome, ReplenishOutcome::BuyingRequest);
        let rfq = f
            .deal
            .market
            .own_rfq(seller, proposals[0].rfq_id.unwrap())
            .await
            .unwrap();
        let product = f
            .deal
            .market
            .own_product(seller, f.deal.flask)
            .await
            .unwrap();
        assert_eq!((rfq.category_id, rfq.quantity), (product.category_id, 200));
        // The request counts as on order while it takes quotations.
        assert!(f.scm.replenish_now(seller).await.unwrap().is_empty());
        // Off means off.
        f.scm
            .update_settings(
                seller,
                &SettingsInput {
                    replenish_with: Some(ReplenishWith::Off),
                    ..SettingsInput::default()
                },
            )
            .await
            .unwrap();
        f.deal.clock.advance_seconds(30 * 86_400);
        assert!(f.scm.replenish_now(seller).await.unwrap().is_empty());
    }
);
