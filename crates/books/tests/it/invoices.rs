//! Invoices and credit notes as documents: those of a market order in both
//! books, settled by the escrow; those by hand with a VAT rate per line,
//! paid by hand; the aging of what is open; and every refusal writing
//! nothing.

use books::{
    AccountRole, BooksError, CreditNoteInput, DocumentKind, Invoice, InvoiceFilter, InvoiceInput,
    InvoiceKind, InvoiceLineInput, InvoiceState, PaymentInput, SettingsInput,
};
use kernel::{Clock, Db, PageRequest, Scope, storage_test};
use sqlx::Row;
use trade::RefundInput;

use crate::support::{Fixture, fixture, migrations};

async fn invoice_count(db: &Db) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM books_invoice")
        .fetch_one(db.reader())
        .await
        .unwrap()
        .get("n")
}

async fn all_invoices(f: &Fixture, scope: &Scope) -> Vec<Invoice> {
    f.books
        .invoices(scope, InvoiceFilter::default(), PageRequest::first())
        .await
        .unwrap()
        .items
}

/// Every document's totals are its lines', and its entry carries its gross.
async fn assert_documents_whole(f: &Fixture, scope: &Scope) {
    for head in all_invoices(f, scope).await {
        let invoice = f.books.invoice(scope, head.id).await.unwrap();
        let net: i64 = invoice.lines.iter().map(|line| line.net_minor).sum();
        let vat: i64 = invoice.lines.iter().map(|line| line.vat_minor).sum();
        assert_eq!((invoice.net_minor, invoice.vat_minor), (net, vat));
        assert_eq!(invoice.gross_minor, net + vat);
        let entry = f.books.entry(scope, invoice.entry_id).await.unwrap();
        let debits: i64 = entry.lines.iter().map(|line| line.debit_minor).sum();
        assert_eq!(debits, invoice.gross_minor, "{}", invoice.number);
    }
}

fn line(description: &str, quantity: i64, price: i64, rate: i64) -> InvoiceLineInput {
    InvoiceLineInput {
        description: description.to_owned(),
        quantity,
        unit: "piece".to_owned(),
        unit_price_minor: price,
        vat_rate_bp: rate,
        account_id: None,
    }
}

fn sales_input(date: &str, lines: Vec<InvoiceLineInput>) -> InvoiceInput {
    InvoiceInput {
        kind: "sales".to_owned(),
        counterparty_name: "上海远景贸易有限公司".to_owned(),
        date: date.to_owned(),
        due_date: None,
        currency: "CNY".to_owned(),
        memo: "April consulting".to_owned(),
        lines,
    }
}

fn today(f: &Fixture) -> String {
    books::period::day_of(f.deal.clock.now())
}

fn field_of(error: BooksError) -> String {
    match error {
        BooksError::Invalid { field, .. } => field,
        other => panic!("expected a refusal naming a field, got {other:?}"),
    }
}

storage_test!(
    a_market_orders_invoices_are_documents_in_both_books_settled_by_the_escrow,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let (seller, buyer) = (f.deal.seller, f.deal.buyer);
        let (order, shipment) = f.deal.shipped_order(100).await;
        f.settle().await;

        let [sale] = all_invoices(&f, &seller).await.try_into().unwrap();
        assert_eq!(
            (sale.kind, sale.document, sale.state),
            (
                InvoiceKind::Sales,
                DocumentKind::Invoice,
                InvoiceState::Open
            )
        );
        assert!(sale.number.starts_with("INV-"), "{}", sale.number);
        assert_eq!(sale.gross_minor, order.total_minor);
        assert_eq!(sale.open_minor, order.total_minor);
        assert_eq!(sale.order_id, Some(order.id.to_string()));
        assert_eq!(
            sale.counterparty_company_id,
            Some(buyer.company_id().to_string())
        );
        let sale = f.books.invoice(&seller, sale.id).await.unwrap();
        assert_eq!(sale.lines[0].quantity, 100);
        assert_eq!(sale.lines[0].vat_rate_bp, 1_300);
        let [purchase] = all_invoices(&f, &buyer).await.try_into().unwrap();
        assert_eq!(purchase.kind, InvoiceKind::Purchase);
        assert!(purchase.number.starts_with("PI-"));
        assert_eq!(purchase.gross_minor, sale.gross_minor);
        assert_eq!(purchase.vat_minor, sale.vat_minor);
        assert_documents_whole(&f, &seller).await;
        assert_documents_whole(&f, &buyer).await;

        // Open in both agings until the escrow pays it.
        let receivables = f.books.aging(&seller, InvoiceKind::Sales).await.unwrap();
        assert_eq!(receivables.totals[0].total_minor, order.total_minor);
        assert_eq!(receivables.totals[0].current_minor, order.total_minor);
        let payables = f.books.aging(&buyer, InvoiceKind::Purchase).await.unwrap();
        assert_eq!(payables.rows[0].total_minor, order.total_minor);

        // A refund in part: a credit note on each side, tied to the invoice.
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
        for (scope, prefix) in [(&seller, "CN-"), (&buyer, "PCN-")] {
            let documents = f
                .books
                .invoices_of_order(scope, order.id.raw())
                .await
                .unwrap();
            let [invoice, credit] = documents.try_into().unwrap();
            assert_eq!(credit.document, DocumentKind::CreditNote);
            assert!(credit.number.starts_with(prefix), "{}", credit.number);
            assert_eq!(credit.gross_minor, 25_000);
            assert_eq!(credit.credits_invoice_id, Some(invoice.id));
            // What the escrow paid and the credit note settle it all.
            assert_eq!(invoice.state, InvoiceState::Settled);
            assert_eq!(invoice.settled_minor, invoice.gross_minor);
            assert_eq!(invoice.open_minor, 0);
        }
        assert!(
            f.books
                .aging(&seller, InvoiceKind::Sales)
                .await
                .unwrap()
                .rows
                .is_empty()
        );
        assert_documents_whole(&f, &seller).await;

        // A replay writes no document twice.
        let before = invoice_count(&db).await;
        crate::from_the_deal::replay_everything(&f).await;
        assert_eq!(invoice_count(&db).await, before);
        f.assert_reconciled().await;
    }
);

storage_test!(
    an_invoice_by_hand_takes_a_vat_rate_per_line_and_is_paid_by_hand,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let seller = f.deal.seller;
        let day = today(&f);
        let invoice = f
            .books
            .create_invoice(
                &seller,
                &sales_input(
                    &day,
                    vec![
                        line("不锈钢保温杯 500ml", 3, 3_333, 1_300),
                        line("Design service", 1, 50_000, 600),
                    ],
                ),
            )
            .await
            .unwrap();
        assert!(invoice.number.starts_with("INV-"));
        assert_eq!(invoice.net_minor, 9_999 + 50_000);
        // 9,999 × 13 % = 1,299.87 → 1,300; 50,000 × 6 % = 3,000.
        assert_eq!(invoice.vat_minor, 1_300 + 3_000);
        assert_eq!(invoice.gross_minor, 59_999 + 4_300);
        assert_eq!(invoice.lines.len(), 2);
        assert_eq!(invoice.state, InvoiceState::Open);
        let settings = f.books.settings(&seller).await.unwrap();
        assert_eq!(settings.vat_rates_bp, vec![1_300, 900, 600, 0]);
        let due = invoice.due_date.micros() - invoice.issue_date.micros();
        assert_eq!(due, settings.payment_terms_days * 86_400_000_000);
        assert_eq!(f.balance(&seller, AccountRole::Receivable).await, 64_299);
        assert_eq!(f.balance(&seller, AccountRole::OutputVat).await, 4_300);
        assert_documents_whole(&f, &seller).await;

        // Paid in two parts through the bank; then nothing is open.
        let payment = |amount_minor| PaymentInput {
            date: day.clone(),
            amount_minor,
            account_id: None,
            reference: "BOC 2026-0042".to_owned(),
        };
        let part = f
            .books
            .record_payment(&seller, invoice.id, &payment(40_000))
            .await
            .unwrap();
        assert_eq!((part.state, part.open_minor), (InvoiceState::Open, 24_299));
        assert_eq!(
            field_of(
                f.books
                    .record_payment(&seller, invoice.id, &payment(24_300))
                    .await
                    .unwrap_err()
            ),
            "amount_minor"
        );
        let paid = f
            .books
            .record_payment(&seller, invoice.id, &payment(24_299))
            .await
            .unwrap();
        assert_eq!((paid.state, paid.open_minor), (InvoiceState::Settled, 0));
        assert_eq!(f.balance(&seller, AccountRole::Receivable).await, 0);
        assert_eq!(f.balance(&seller, AccountRole::Bank).await, 64_299);
        assert!(matches!(
            f.books
                .record_payment(&seller, invoice.id, &payment(1))
                .await,
            Err(BooksError::State {
                code: "invoice_settled",
                ..
            })
        ));
        f.assert_balanced(&seller).await;
        f.assert_reconciled().await;
    }
);

storage_test!(
    a_purchase_invoice_by_hand_goes_to_the_account_chosen_and_ages_past_due,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let buyer = f.deal.buyer;
        let expense = f
            .books
            .accounts(&buyer)
            .await
            .unwrap()
            .into_iter()
            .find(|account| account.kind == books::AccountKind::Expense && account.role.is_none())
            .unwrap();
        let mut input = sales_input(&today(&f), vec![line("Warehouse rent", 1, 100_000, 900)]);
        input.kind = "purchase".to_owned();
        input.counterparty_name = "Ningbo Logistics Park".to_owned();
        input.lines[0].account_id = Some(expense.id);
        let invoice = f.books.create_invoice(&buyer, &input).await.unwrap();
        assert!(invoice.number.starts_with("PI-"));
        assert_eq!(invoice.lines[0].account_id, expense.id);
        assert_eq!(
            f.balance(&buyer, AccountRole::InputVat).await,
            -9_000,
            "a debit on a liability account"
        );
        assert_eq!(f.balance(&buyer, AccountRole::Payable).await, 109_000);

        // Forty-five days on it is 1–30 days past due (due in 30).
        f.deal.clock.advance_seconds(45 * 86_400);
        let aging = f.books.aging(&buyer, InvoiceKind::Purchase).await.unwrap();
        let row = &aging.rows[0];
        assert_eq!(row.counterparty_name, "Ningbo Logistics Park");
        assert_eq!((row.days_1_30_minor, row.current_minor), (109_000, 0));
        f.deal.clock.advance_seconds(60 * 86_400);
        let aging = f.books.aging(&buyer, InvoiceKind::Purchase).await.unwrap();
        assert_eq!(aging.totals[0].over_90_minor, 0);
        assert_eq!(aging.totals[0].days_61_90_minor, 109_000);
        f.assert_balanced(&buyer).await;
    }
);

storage_test!(
    a_bad_invoice_or_payment_names_the_field_and_writes_nothing,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let (seller, buyer) = (f.deal.seller, f.deal.buyer);
        let day = today(&f);
        let good = || sales_input(&day, vec![line("Flask", 2, 1_000, 1_300)]);
        let entries_before = crate::from_the_deal::entry_count(&db).await;
        let before = invoice_count(&db).await;
        let refused = |input: InvoiceInput| {
            let books = f.books.clone();
            async move { field_of(books.create_invoice(&seller, &input).await.unwrap_err()) }
        };

        let mut input = good();
        input.lines.push(line("Service", 1, 500, 500));
        assert_eq!(refused(input).await, "lines[1].vat_rate_bp");
        let mut input = good();
        input.lines.clear();
        assert_eq!(refused(input).await, "lines");
        let mut input = good();
        input.kind = "gift".to_owned();
        assert_eq!(refused(input).await, "kind");
        let mut input = good();
        input.counterparty_name = "  ".to_owned();
        assert_eq!(refused(input).await, "counterparty_name");
        let mut input = good();
        input.due_date = Some("2000-01-01".to_owned());
        assert_eq!(refused(input).await, "due_date");
        let mut input = good();
        input.currency = "XXQ".to_owned();
        assert_eq!(refused(input).await, "currency");
        let mut input = good();
        input.lines[0].quantity = 0;
        assert_eq!(refused(input).await, "lines[0].quantity");
        let mut input = good();
        input.lines[0].unit_price_minor = 1_000_000_000_000;
        assert_eq!(refused(input).await, "lines[0].unit_price_minor");

        // Another company's account is no account of this chart; a
        // receivable is no revenue account.
        let foreign = f.books.accounts(&buyer).await.unwrap()[0].id;
        let mut input = good();
        input.lines[0].account_id = Some(foreign);
        assert_eq!(refused(input).await, "lines[0].account_id");
        let own = f.books.accounts(&seller).await.unwrap();
        let receivable = own
            .iter()
            .find(|account| account.role == Some(AccountRole::Receivable))
            .unwrap();
        let mut input = good();
        input.lines[0].account_id = Some(receivable.id);
        assert_eq!(refused(input).await, "lines[0].account_id");
        // A purchase onto the bank: an asset, but kept for its postings.
        let bank = own
            .iter()
            .find(|account| account.role == Some(AccountRole::Bank))
            .unwrap();
        let mut input = good();
        input.kind = "purchase".to_owned();
        input.lines[0].account_id = Some(bank.id);
        let error = f.books.create_invoice(&seller, &input).await.unwrap_err();
        assert!(
            matches!(&error, BooksError::Invalid { field, code: "account_for_postings", .. } if field == "lines[0].account_id"),
            "{error:?}"
        );

        // A locked month takes no invoice.
        let last_month = books::period::period_of(f.deal.clock.now().plus_seconds(-40 * 86_400));
        f.books.lock_period(&seller, &last_month).await.unwrap();
        let mut input = good();
        input.date = format!("{last_month}-15");
        assert!(matches!(
            f.books.create_invoice(&seller, &input).await,
            Err(BooksError::PeriodLocked { .. })
        ));
        assert_eq!(invoice_count(&db).await, before);
        assert_eq!(crate::from_the_deal::entry_count(&db).await, entries_before);

        // A payment: of another company's invoice, of a market order's, of
        // nothing, into the wallet.
        let invoice = f.books.create_invoice(&seller, &good()).await.unwrap();
        let payment = PaymentInput {
            date: day.clone(),
            amount_minor: 100,
            account_id: None,
            reference: String::new(),
        };
        assert!(matches!(
            f.books.record_payment(&buyer, invoice.id, &payment).await,
            Err(BooksError::NotFound("invoice"))
        ));
        let zero = PaymentInput {
            amount_minor: 0,
            ..payment.clone()
        };
        assert_eq!(
            field_of(
                f.books
                    .record_payment(&seller, invoice.id, &zero)
                    .await
                    .unwrap_err()
            ),
            "amount_minor"
        );
        let wallet = own
            .iter()
            .find(|account| account.role == Some(AccountRole::Wallet))
            .unwrap();
        let into_wallet = PaymentInput {
            account_id: Some(wallet.id),
            ..payment.clone()
        };
        assert_eq!(
            field_of(
                f.books
                    .record_payment(&seller, invoice.id, &into_wallet)
                    .await
                    .unwrap_err()
            ),
            "account_id"
        );
        let (order, _) = f.deal.shipped_order(100).await;
        f.settle().await;
        let market = f
            .books
            .invoices_of_order(&seller, order.id.raw())
            .await
            .unwrap();
        assert!(matches!(
            f.books
                .record_payment(&seller, market[0].id, &payment)
                .await,
            Err(BooksError::State {
                code: "paid_through_escrow",
                ..
            })
        ));
        let unchanged = f.books.invoice(&seller, invoice.id).await.unwrap();
        assert_eq!(unchanged.settled_minor, 0);

        // Settings: the default rate stays one of the list.
        let change = |input: SettingsInput| {
            let books = f.books.clone();
            async move { field_of(books.change_settings(&seller, &input).await.unwrap_err()) }
        };
        assert_eq!(
            change(SettingsInput {
                vat_rates_bp: Some(vec![900, 600]),
                ..SettingsInput::default()
            })
            .await,
            "vat_rates_bp"
        );
        assert_eq!(
            change(SettingsInput {
                vat_rates_bp: Some(vec![1_300, 1_300]),
                ..SettingsInput::default()
            })
            .await,
            "vat_rates_bp[1]"
        );
        assert_eq!(
            change(SettingsInput {
                payment_terms_days: Some(366),
                ..SettingsInput::default()
            })
            .await,
            "payment_terms_days"
        );
        let changed = f
            .books
            .change_settings(
                &seller,
                &SettingsInput {
                    vat_rates_bp: Some(vec![1_300, 300]),
                    payment_terms_days: Some(60),
                    ..SettingsInput::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(changed.vat_rates_bp, vec![1_300, 300]);
        assert_eq!(
            f.books.settings(&seller).await.unwrap().payment_terms_days,
            60
        );
    }
);

storage_test!(
    a_credit_note_by_hand_takes_part_of_an_invoice_back_and_refuses_more_than_is_open,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let seller = f.deal.seller;
        let day = today(&f);
        let invoice = f
            .books
            .create_invoice(
                &seller,
                &sales_input(&day, vec![line("Pallets", 10, 1_000, 1_300)]),
            )
            .await
            .unwrap();
        assert_eq!(invoice.gross_minor, 11_300);
        let note_input = |quantity| CreditNoteInput {
            date: day.clone(),
            memo: "Two pallets broken".to_owned(),
            lines: vec![line("Pallets returned", quantity, 1_000, 1_300)],
        };
        let note = f
            .books
            .create_credit_note(&seller, invoice.id, &note_input(2))
            .await
            .unwrap();
        assert!(note.number.starts_with("CN-"));
        assert_eq!(note.document, DocumentKind::CreditNote);
        assert_eq!(note.credits_invoice_id, Some(invoice.id));
        assert_eq!((note.gross_minor, note.vat_minor), (2_260, 260));
        assert_eq!(note.lines[0].account_id, invoice.lines[0].account_id);
        let invoice = f.books.invoice(&seller, invoice.id).await.unwrap();
        assert_eq!(
            (invoice.open_minor, invoice.state),
            (9_040, InvoiceState::Open)
        );
        assert_eq!(f.balance(&seller, AccountRole::Receivable).await, 9_040);
        assert_eq!(f.balance(&seller, AccountRole::OutputVat).await, 1_040);
        assert_eq!(f.balance(&seller, AccountRole::Revenue).await, 8_000);
        assert_documents_whole(&f, &seller).await;

        // More than is open, a credit note of a credit note, and a bad
        // line: refused, nothing written.
        let before = invoice_count(&db).await;
        assert_eq!(
            field_of(
                f.books
                    .create_credit_note(&seller, invoice.id, &note_input(9))
                    .await
                    .unwrap_err()
            ),
            "lines"
        );
        assert!(matches!(
            f.books
                .create_credit_note(&seller, note.id, &note_input(1))
                .await,
            Err(BooksError::State {
                code: "credited_by_refund",
                ..
            })
        ));
        let mut bad = note_input(1);
        bad.lines[0].vat_rate_bp = 1_700;
        assert_eq!(
            field_of(
                f.books
                    .create_credit_note(&seller, invoice.id, &bad)
                    .await
                    .unwrap_err()
            ),
            "lines[0].vat_rate_bp"
        );
        let mut early = note_input(1);
        early.date = "2020-01-01".to_owned();
        assert_eq!(
            field_of(
                f.books
                    .create_credit_note(&seller, invoice.id, &early)
                    .await
                    .unwrap_err()
            ),
            "date"
        );
        assert_eq!(invoice_count(&db).await, before);
        // Another company cannot credit it.
        assert!(matches!(
            f.books
                .create_credit_note(&f.deal.buyer, invoice.id, &note_input(1))
                .await,
            Err(BooksError::NotFound(_))
        ));

        // The rest credited: settled, nothing receivable.
        let rest = f
            .books
            .create_credit_note(&seller, invoice.id, &note_input(8))
            .await
            .unwrap();
        assert_eq!(rest.gross_minor, 9_040);
        let invoice = f.books.invoice(&seller, invoice.id).await.unwrap();
        assert_eq!(invoice.state, InvoiceState::Settled);
        assert_eq!(f.balance(&seller, AccountRole::Receivable).await, 0);
        f.assert_balanced(&seller).await;
    }
);
