//! Buying requests and quotations: matching suppliers, the public board,
//! the quota, side-by-side comparison, accept and decline, and that no
//! supplier reads another's quotations.

use kernel::{Clock, Currency, PageRequest, Role, Scope, Timestamp};
use market::{
    MarketError, PriceTier, ProductStatus, QuotationInput, QuotationStatus, RfqInput, RfqStatus,
    ShippingTerms,
};

use crate::support::{Fixture, event_names, fixture, invalid_code, migrations};

fn flask_request(f: &Fixture, now: Timestamp) -> RfqInput {
    RfqInput {
        title: "5,000 vacuum flasks 500 ml with our logo".to_owned(),
        category_id: f.flasks.id,
        quantity: 5_000,
        unit: "piece".to_owned(),
        target_price_minor: Some(1_000),
        currency: Currency::CNY,
        deliver_by: Some(now.plus_seconds(60 * 86_400)),
        destination: "Hamburg, DE".to_owned(),
        details: "304 steel, laser-engraved logo, gift box.".to_owned(),
        valid_until: now.plus_seconds(30 * 86_400),
        show_company: false,
    }
}

fn quote(unit_price_minor: i64, now: Timestamp) -> QuotationInput {
    QuotationInput {
        price_tiers: vec![PriceTier {
            min_quantity: 1_000,
            unit_price_minor,
        }],
        currency: Currency::CNY,
        quantity: 5_000,
        lead_time_days: 25,
        shipping_terms: ShippingTerms::Fob,
        valid_until: now.plus_seconds(14 * 86_400),
        message: "Logo engraving included.".to_owned(),
    }
}

/// A supplier with a published flask, so it matches flask requests.
async fn flask_supplier(f: &Fixture, name: &str) -> Scope {
    let supplier = f.company(name, "浙江省", Role::Owner).await;
    let product = f
        .market
        .create_product(&supplier, &f.flask("F-1", "Flask"))
        .await
        .unwrap();
    f.market
        .set_product_status(&supplier, product.id, ProductStatus::Published)
        .await
        .unwrap();
    supplier
}

kernel::storage_test!(
    a_request_reaches_matching_suppliers_and_the_board,
    migrations(),
    |db| async move {
        let f = fixture(db).await;
        let now = f.clock.now();
        let hengxin = flask_supplier(&f, "恒信保温杯").await;
        let earphone_maker = f.company("讯达电子", "广东省", Role::Owner).await;
        let vogel = f
            .company("Vogel Haushaltswaren", "Hamburg", Role::Purchasing)
            .await;
        let rfq = f
            .market
            .post_rfq(&vogel, &flask_request(&f, now))
            .await
            .unwrap();
        assert_eq!(rfq.status, RfqStatus::Open);

        let told = f
            .market
            .matched_rfqs(&hengxin, PageRequest::first())
            .await
            .unwrap();
        assert_eq!(told.items.len(), 1);
        assert!(
            f.market
                .matched_rfqs(&earphone_maker, PageRequest::first())
                .await
                .unwrap()
                .items
                .is_empty()
        );

        // The board hides the buyer, who did not allow its name to be shown.
        let board = f
            .market
            .rfq_board(None, PageRequest::first())
            .await
            .unwrap();
        assert_eq!(board.items.len(), 1);
        assert_eq!(board.items[0].buyer_name, None);
        assert_eq!(board.items[0].buyer_company_id, None);
        let in_housewares = f
            .market
            .rfq_board(Some(f.housewares.id), PageRequest::first())
            .await
            .unwrap();
        assert_eq!(in_housewares.items.len(), 1);
        let in_electronics = f
            .market
            .rfq_board(Some(f.earphones.id), PageRequest::first())
            .await
            .unwrap();
        assert!(in_electronics.items.is_empty());

        let mut named = flask_request(&f, now);
        named.show_company = true;
        let named = f.market.post_rfq(&vogel, &named).await.unwrap();
        let shown = f.market.public_rfq(named.id).await.unwrap();
        assert_eq!(shown.buyer_name.as_deref(), Some("Vogel Haushaltswaren"));

        // Expired requests leave the board.
        f.clock.advance_seconds(31 * 86_400);
        assert!(
            f.market
                .rfq_board(None, PageRequest::first())
                .await
                .unwrap()
                .items
                .is_empty()
        );
        assert!(
            event_names(&f.db)
                .await
                .iter()
                .filter(|name| *name == "RfqPosted")
                .count()
                == 2
        );
    }
);

kernel::storage_test!(bad_requests_are_refused, migrations(), |db| async move {
    let f = fixture(db).await;
    let now = f.clock.now();
    let vogel = f.company("Vogel", "Hamburg", Role::Owner).await;
    let mut past = flask_request(&f, now);
    past.valid_until = now.plus_seconds(-1);
    assert_eq!(
        invalid_code(f.market.post_rfq(&vogel, &past).await),
        ("valid_until".into(), "out_of_range")
    );
    let mut far = flask_request(&f, now);
    far.valid_until = now.plus_seconds(91 * 86_400);
    assert_eq!(
        invalid_code(f.market.post_rfq(&vogel, &far).await).1,
        "out_of_range"
    );
    let mut none = flask_request(&f, now);
    none.quantity = 0;
    assert_eq!(
        invalid_code(f.market.post_rfq(&vogel, &none).await),
        ("quantity".into(), "out_of_range")
    );
    let sales = f.colleague(&vogel, Role::Sales);
    assert!(matches!(
        f.market.post_rfq(&sales, &flask_request(&f, now)).await,
        Err(MarketError::Forbidden)
    ));
    assert!(event_names(&f.db).await.is_empty());
});

kernel::storage_test!(
    quotations_are_compared_accepted_and_declined,
    migrations(),
    |db| async move {
        let f = fixture(db).await;
        let now = f.clock.now();
        let hengxin = flask_supplier(&f, "恒信保温杯").await;
        let rival = flask_supplier(&f, "永康保温杯").await;
        let third = flask_supplier(&f, "Third").await;
        let vogel = f.company("Vogel", "Hamburg", Role::Owner).await;
        let rfq = f
            .market
            .post_rfq(&vogel, &flask_request(&f, now))
            .await
            .unwrap();

        let from_hengxin = f
            .market
            .send_quotation(&hengxin, rfq.id, &quote(1_050, now))
            .await
            .unwrap();
        let from_rival = f
            .market
            .send_quotation(&rival, rfq.id, &quote(990, now))
            .await
            .unwrap();
        let from_third = f
            .market
            .send_quotation(&third, rfq.id, &quote(1_200, now))
            .await
            .unwrap();
        assert_eq!(from_hengxin.supplier_name, "恒信保温杯");
        assert!(matches!(
            f.market
                .send_quotation(&hengxin, rfq.id, &quote(1_000, now))
                .await,
            Err(MarketError::Conflict(_))
        ));

        // Side by side, cheapest total first.
        let (_, compared) = f.market.quotations_for_rfq(&vogel, rfq.id).await.unwrap();
        let order: Vec<_> = compared.iter().map(|q| q.id).collect();
        assert_eq!(order, vec![from_rival.id, from_hengxin.id, from_third.id]);
        assert_eq!(compared[0].total_minor(), Some(4_950_000));

        // Suppliers see their own quotation only; nobody else sees the buyer's list.
        assert!(matches!(
            f.market.own_quotation(&rival, from_hengxin.id).await,
            Err(MarketError::NotFound(_))
        ));
        assert!(matches!(
            f.market.received_quotation(&rival, from_hengxin.id).await,
            Err(MarketError::NotFound(_))
        ));
        assert!(matches!(
            f.market.quotations_for_rfq(&hengxin, rfq.id).await,
            Err(MarketError::NotFound(_))
        ));
        let own = f
            .market
            .own_quotations(&hengxin, PageRequest::first())
            .await
            .unwrap();
        assert_eq!(
            own.items.iter().map(|q| q.id).collect::<Vec<_>>(),
            vec![from_hengxin.id]
        );
        // A supplier cannot accept on the buyer's behalf.
        assert!(matches!(
            f.market.accept_quotation(&hengxin, from_hengxin.id).await,
            Err(MarketError::NotFound(_))
        ));

        let declined = f
            .market
            .decline_quotation(&vogel, from_third.id, "Too expensive")
            .await
            .unwrap();
        assert_eq!(declined.status, QuotationStatus::Declined);
        assert_eq!(declined.decline_reason.as_deref(), Some("Too expensive"));
        assert_eq!(
            invalid_code(
                f.market
                    .decline_quotation(&vogel, from_rival.id, "  ")
                    .await
            )
            .1,
            "required"
        );

        let accepted = f
            .market
            .accept_quotation(&vogel, from_hengxin.id)
            .await
            .unwrap();
        assert_eq!(accepted.status, QuotationStatus::Accepted);
        let rfq = f.market.own_rfq(&vogel, rfq.id).await.unwrap();
        assert_eq!(rfq.status, RfqStatus::Awarded);
        let rival_view = f.market.own_quotation(&rival, from_rival.id).await.unwrap();
        assert_eq!(rival_view.status, QuotationStatus::Declined);
        assert!(matches!(
            f.market.accept_quotation(&vogel, from_rival.id).await,
            Err(MarketError::Conflict(_))
        ));
        let events = event_names(&f.db).await;
        for name in [
            "RfqPosted",
            "QuotationSent",
            "QuotationAccepted",
            "QuotationDeclined",
            "RfqClosed",
        ] {
            assert!(
                events.iter().any(|event| event == name),
                "{name} in {events:?}"
            );
        }
        // An awarded request takes no more quotations.
        let late = flask_supplier(&f, "Late").await;
        assert!(matches!(
            f.market
                .send_quotation(&late, rfq.id, &quote(900, now))
                .await,
            Err(MarketError::Conflict(_))
        ));
    }
);

kernel::storage_test!(
    the_monthly_quota_bounds_quotations,
    migrations(),
    |db| async move {
        let f = fixture(db).await;
        let now = f.clock.now();
        let supplier = flask_supplier(&f, "恒信保温杯").await;
        f.market
            .set_quotation_quota(supplier.company_id(), 2)
            .await
            .unwrap();
        let vogel = f.company("Vogel", "Hamburg", Role::Owner).await;
        let mut requests = Vec::new();
        for _ in 0..3 {
            requests.push(
                f.market
                    .post_rfq(&vogel, &flask_request(&f, now))
                    .await
                    .unwrap(),
            );
        }
        f.market
            .send_quotation(&supplier, requests[0].id, &quote(1_000, now))
            .await
            .unwrap();
        f.market
            .send_quotation(&supplier, requests[1].id, &quote(1_000, now))
            .await
            .unwrap();
        assert!(matches!(
            f.market
                .send_quotation(&supplier, requests[2].id, &quote(1_000, now))
                .await,
            Err(MarketError::QuotaExhausted { quota: 2 })
        ));
        let status = f.market.quota_status(&supplier).await.unwrap();
        assert_eq!((status.quota, status.used), (2, 2));
        // A refused quotation wrote nothing.
        let (_, third) = f
            .market
            .quotations_for_rfq(&vogel, requests[2].id)
            .await
            .unwrap();
        assert!(third.is_empty());
        // Another month, a fresh quota.
        f.clock.advance_seconds(32 * 86_400);
        let next_month = f.clock.now();
        let later = f
            .market
            .post_rfq(&vogel, &flask_request(&f, next_month))
            .await
            .unwrap();
        f.market
            .send_quotation(&supplier, later.id, &quote(1_000, next_month))
            .await
            .unwrap();
        assert_eq!(f.market.quota_status(&supplier).await.unwrap().used, 1);
    }
);

kernel::storage_test!(bad_quotations_are_refused, migrations(), |db| async move {
    let f = fixture(db).await;
    let now = f.clock.now();
    let supplier = flask_supplier(&f, "恒信保温杯").await;
    let vogel = f.company("Vogel", "Hamburg", Role::Owner).await;
    let rfq = f
        .market
        .post_rfq(&vogel, &flask_request(&f, now))
        .await
        .unwrap();
    let mut euros = quote(1_000, now);
    euros.currency = Currency::EUR;
    assert_eq!(
        invalid_code(f.market.send_quotation(&supplier, rfq.id, &euros).await),
        ("currency".into(), "currency_mismatch")
    );
    let mut below = quote(1_000, now);
    below.quantity = 10;
    assert_eq!(
        invalid_code(f.market.send_quotation(&supplier, rfq.id, &below).await).1,
        "below_first_tier"
    );
    assert!(matches!(
        f.market
            .send_quotation(&vogel, rfq.id, &quote(1_000, now))
            .await,
        Err(MarketError::Conflict(_)) | Err(MarketError::Forbidden)
    ));
    assert_eq!(f.market.quota_status(&supplier).await.unwrap().used, 0);
});
