//! Escrow: hold, release with the fee, full and partial refunds.

use kernel::{Currency, Db, Role, storage_test};
use pay::PayError;

use crate::support::*;

storage_test!(
    escrow_holds_releases_and_refunds,
    migrations(),
    |db: Db| async move {
        let (pay, _) = service(&db);
        let (buyer, seller) = (member(Role::Owner), member(Role::Owner));
        fund(&pay, &buyer, cny(10_000)).await;

        let order = kernel::id::next_raw();
        let escrow = pay
            .hold_escrow(
                order,
                buyer.company_id(),
                seller.company_id(),
                cny(6_000),
                cny(120),
            )
            .await
            .unwrap();
        assert_eq!(
            available(&pay, &buyer, Currency::CNY).await,
            (400_000, 600_000)
        );
        let again = pay
            .hold_escrow(
                order,
                buyer.company_id(),
                seller.company_id(),
                cny(6_000),
                cny(120),
            )
            .await
            .unwrap();
        assert_eq!(again.id, escrow.id, "holding an order twice is one hold");
        assert!(matches!(
            pay.hold_escrow(
                order,
                buyer.company_id(),
                seller.company_id(),
                cny(1),
                cny(0)
            )
            .await,
            Err(PayError::Invalid { .. })
        ));

        let released = pay.release_escrow(escrow.id).await.unwrap();
        assert_eq!(released.status, "released");
        assert_eq!(available(&pay, &buyer, Currency::CNY).await, (400_000, 0));
        assert_eq!(
            available(&pay, &seller, Currency::CNY).await,
            (588_000, 0),
            "6,000 less the 120 fee"
        );
        assert!(matches!(
            pay.release_escrow(escrow.id).await,
            Err(PayError::EscrowClosed(_))
        ));
        assert!(matches!(
            pay.refund_escrow(escrow.id, cny(1)).await,
            Err(PayError::EscrowClosed(_))
        ));

        let full = pay
            .hold_escrow(
                kernel::id::next_raw(),
                buyer.company_id(),
                seller.company_id(),
                cny(1_000),
                cny(20),
            )
            .await
            .unwrap();
        assert_eq!(
            pay.refund_escrow(full.id, cny(1_000)).await.unwrap().status,
            "refunded"
        );
        assert_eq!(available(&pay, &buyer, Currency::CNY).await, (400_000, 0));

        let part = pay
            .hold_escrow(
                kernel::id::next_raw(),
                buyer.company_id(),
                seller.company_id(),
                cny(2_000),
                cny(40),
            )
            .await
            .unwrap();
        let refunded = pay.refund_escrow(part.id, cny(500)).await.unwrap();
        assert_eq!(
            (refunded.status.as_str(), refunded.released.minor),
            ("partially_refunded", 150_000)
        );
        assert_eq!(
            available(&pay, &buyer, Currency::CNY).await,
            (250_000, 0),
            "paid 1,500, got 500 back"
        );
        assert_eq!(
            available(&pay, &seller, Currency::CNY).await,
            (588_000 + 147_000, 0),
            "1,500 less a 30 fee"
        );

        assert!(matches!(
            pay.hold_escrow(
                kernel::id::next_raw(),
                buyer.company_id(),
                seller.company_id(),
                cny(2_501),
                cny(0)
            )
            .await,
            Err(PayError::InsufficientFunds)
        ));
        let check = pay.check_ledger().await.unwrap();
        assert!(check.balanced(), "{:?}", check.violations);
    }
);
