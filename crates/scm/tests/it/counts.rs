//! Count sheets: opened with what a location holds, counted (also goods
//! nobody expected there), posted once as count moves against the loss
//! location; refusals name the field and change nothing.

use kernel::{Db, storage_test};
use scm::{CountEntries, CountEntry, CountInput, CountState, MoveReason, ScmError};

use crate::support::*;

fn entry(item: scm::ItemId, counted: i64, reason: &str) -> CountEntry {
    CountEntry {
        item_id: item,
        lot: None,
        counted,
        reason: reason.to_owned(),
    }
}

fn entries(lines: Vec<CountEntry>) -> CountEntries {
    CountEntries { lines }
}

fn field_of<T: std::fmt::Debug>(result: scm::Result<T>) -> (String, &'static str) {
    match result {
        Err(ScmError::Invalid { field, code, .. }) => (field, code),
        other => panic!("expected an invalid field, got {other:?}"),
    }
}

storage_test!(
    a_count_books_what_the_shelf_holds_once,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let buyer = &f.deal.buyer;
        let settings = f.scm.settings(buyer).await.unwrap();
        let boxes = f.scm.create_item(buyer, &item_input("BOX")).await.unwrap();
        let tape = f.scm.create_item(buyer, &item_input("TAPE")).await.unwrap();
        f.receive(buyer, &boxes, 100, 200).await;

        let before = db.row_counts().await.unwrap();
        let refused = f
            .scm
            .open_count(
                buyer,
                &CountInput {
                    location_id: settings.customer_location_id,
                    note: String::new(),
                },
            )
            .await;
        assert_eq!(field_of(refused), ("location_id".to_owned(), "not_own"));
        assert_eq!(db.row_counts().await.unwrap(), before);

        let sheet = f
            .scm
            .open_count(
                buyer,
                &CountInput {
                    location_id: settings.default_warehouse_id,
                    note: "年终盘点 year end".to_owned(),
                },
            )
            .await
            .unwrap();
        assert_eq!(sheet.state, CountState::Open);
        assert_eq!(sheet.lines.len(), 1);
        assert_eq!(
            (sheet.lines[0].item_id, sheet.lines[0].expected),
            (boxes.id, 100)
        );
        assert_eq!(sheet.lines[0].counted, None);

        // Refusals: another company's item, a negative count.
        let theirs = f
            .scm
            .create_item(&f.deal.seller, &item_input("BOX"))
            .await
            .unwrap();
        let before = db.row_counts().await.unwrap();
        assert_eq!(
            field_of(
                f.scm
                    .enter_counts(buyer, sheet.id, &entries(vec![entry(theirs.id, 1, "")]))
                    .await
            ),
            ("lines[0].item_id".to_owned(), "unknown_item")
        );
        assert_eq!(
            field_of(
                f.scm
                    .enter_counts(
                        buyer,
                        sheet.id,
                        &entries(vec![entry(boxes.id, 90, ""), entry(boxes.id, -1, "")])
                    )
                    .await
            ),
            ("lines[1].counted".to_owned(), "out_of_range")
        );
        assert_eq!(
            db.row_counts().await.unwrap(),
            before,
            "refusals write nothing"
        );

        // Counted: three boxes short, and tape nobody expected there.
        let counted = f
            .scm
            .enter_counts(
                buyer,
                sheet.id,
                &entries(vec![
                    entry(boxes.id, 97, "破损 crushed"),
                    entry(tape.id, 5, ""),
                ]),
            )
            .await
            .unwrap();
        assert_eq!(counted.lines.len(), 2);
        assert_eq!(counted.lines[1].expected, 0);
        // Goods arrive before posting: the count says what is there now.
        f.receive(buyer, &boxes, 10, 200).await;

        let posted = f.scm.post_count(buyer, sheet.id).await.unwrap();
        assert_eq!(posted.state, CountState::Posted);
        assert!(posted.posted_at.is_some());
        assert_eq!(
            posted
                .lines
                .iter()
                .map(|l| l.difference)
                .collect::<Vec<_>>(),
            vec![-13, 5]
        );
        let boxes_now = f.scm.item(buyer, boxes.id).await.unwrap();
        assert_eq!(
            (boxes_now.on_hand, boxes_now.stock_value_minor),
            (97, 19_400)
        );
        assert_eq!(f.scm.item(buyer, tape.id).await.unwrap().on_hand, 5);
        let moves = f
            .scm
            .moves(buyer, Some(boxes.id), None, kernel::PageRequest::first())
            .await
            .unwrap();
        let counted_move = moves
            .items
            .iter()
            .find(|m| m.reason == MoveReason::Count)
            .unwrap();
        assert_eq!(
            (counted_move.quantity, counted_move.to_location_id),
            (13, settings.loss_location_id)
        );
        assert!(
            counted_move.note.contains("crushed"),
            "{}",
            counted_move.note
        );

        // Once: a posted sheet takes no more counts and posts nothing twice.
        let before = db.row_counts().await.unwrap();
        for result in [
            f.scm.post_count(buyer, sheet.id).await,
            f.scm.cancel_count(buyer, sheet.id).await,
            f.scm
                .enter_counts(buyer, sheet.id, &entries(vec![entry(boxes.id, 1, "")]))
                .await,
        ] {
            assert!(matches!(
                result,
                Err(ScmError::State {
                    code: "wrong_state",
                    ..
                })
            ));
        }
        assert_eq!(db.row_counts().await.unwrap(), before);
        let listed = f
            .scm
            .counts(buyer, kernel::PageRequest::first())
            .await
            .unwrap();
        assert_eq!(listed.items.len(), 1);
        assert_eq!(
            (listed.items[0].line_count, listed.items[0].counted_lines),
            (2, 2)
        );
        assert!(
            f.scm
                .counts(&f.deal.seller, kernel::PageRequest::first())
                .await
                .unwrap()
                .items
                .is_empty()
        );
        f.assert_consistent().await;
    }
);

storage_test!(
    a_shortfall_below_what_orders_hold_is_refused_whole,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let seller = &f.deal.seller;
        let flask = f.linked_flask(110, 500).await;
        f.deal.paid_order(100).await;
        f.settle().await;
        let warehouse = f.scm.settings(seller).await.unwrap().default_warehouse_id;
        let sheet = f
            .scm
            .open_count(
                seller,
                &CountInput {
                    location_id: warehouse,
                    note: String::new(),
                },
            )
            .await
            .unwrap();
        f.scm
            .enter_counts(seller, sheet.id, &entries(vec![entry(flask.id, 5, "")]))
            .await
            .unwrap();
        let before = db.row_counts().await.unwrap();
        match f.scm.post_count(seller, sheet.id).await {
            Err(ScmError::InsufficientStock { field, .. }) => {
                assert_eq!(field, "lines[0].counted");
            }
            other => panic!("expected insufficient stock, got {other:?}"),
        }
        assert_eq!(db.row_counts().await.unwrap(), before);
        assert_eq!(
            f.scm.count(seller, sheet.id).await.unwrap().state,
            CountState::Open
        );
        // Dropping the sheet books nothing.
        let dropped = f.scm.cancel_count(seller, sheet.id).await.unwrap();
        assert_eq!(dropped.state, CountState::Cancelled);
        assert_eq!(f.scm.item(seller, flask.id).await.unwrap().on_hand, 110);
        f.assert_consistent().await;
    }
);
