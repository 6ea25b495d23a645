//! Bank statements: imported once however often the file comes, each line
//! matched to the open invoice it pays (suggested by its number or its
//! amount), the payment posted through the statement's bank account; and a
//! bad file or match refused with the field named and nothing written.

use books::{
    AccountRole, BankLineState, BooksError, InvoiceInput, InvoiceLineInput, InvoiceState,
    MatchInput, PostLineInput,
};
use kernel::{Clock, Db, PageRequest, storage_test};
use sqlx::Row;

use crate::support::{fixture, migrations};

async fn line_count(db: &Db) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM books_bank_line")
        .fetch_one(db.reader())
        .await
        .unwrap()
        .get("n")
}

fn field_of(error: BooksError) -> String {
    match error {
        BooksError::Invalid { field, .. } => field,
        other => panic!("expected a refusal naming a field, got {other:?}"),
    }
}

fn invoice(kind: &str, party: &str, date: &str, price: i64) -> InvoiceInput {
    InvoiceInput {
        kind: kind.to_owned(),
        counterparty_name: party.to_owned(),
        date: date.to_owned(),
        due_date: None,
        currency: "CNY".to_owned(),
        memo: String::new(),
        lines: vec![InvoiceLineInput {
            description: "Goods".to_owned(),
            quantity: 1,
            unit: String::new(),
            unit_price_minor: price,
            vat_rate_bp: 1_300,
            account_id: None,
        }],
    }
}

storage_test!(
    a_statement_imports_once_and_its_lines_pay_the_invoices_they_match,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let seller = f.deal.seller;
        let day = books::period::day_of(f.deal.clock.now());
        // Two sales of 1,130.00 and one purchase of 565.00, with VAT.
        let first = f
            .books
            .create_invoice(&seller, &invoice("sales", "Alpha", &day, 100_000))
            .await
            .unwrap();
        let second = f
            .books
            .create_invoice(&seller, &invoice("sales", "Beta", &day, 100_000))
            .await
            .unwrap();
        let rent = f
            .books
            .create_invoice(&seller, &invoice("purchase", "Landlord", &day, 50_000))
            .await
            .unwrap();
        let statement = format!(
            "date,amount,currency,reference,counterparty\n\
             {day},1130.00,CNY,Payment {},Alpha Ltd\n\
             {day},-565.00,CNY,RENT NOV,Landlord\n\
             {day},-12.50,CNY,Bank fee,\n",
            second.number.to_lowercase()
        );
        let imported = f
            .books
            .import_bank_statement(&seller, None, &statement)
            .await
            .unwrap();
        assert_eq!((imported.imported, imported.duplicates), (3, 0));
        let again = f
            .books
            .import_bank_statement(&seller, None, &statement)
            .await
            .unwrap();
        assert_eq!(
            (again.imported, again.duplicates),
            (0, 3),
            "a statement imports once"
        );
        assert_eq!(line_count(&db).await, 3);

        let lines = f
            .books
            .bank_lines(&seller, Some(BankLineState::Open), PageRequest::first())
            .await
            .unwrap()
            .items;
        let by_reference = |text: &str| {
            lines
                .iter()
                .find(|line| line.reference.contains(text))
                .unwrap()
                .clone()
        };
        // The number in the reference wins over the amount both sales fit.
        let paid_in = by_reference("Payment");
        assert_eq!(paid_in.suggested_invoice_id, Some(second.id));
        let paid_out = by_reference("RENT");
        assert_eq!(
            paid_out.suggested_invoice_id,
            Some(rent.id),
            "the only one open for the amount"
        );
        assert_eq!(by_reference("fee").suggested_invoice_id, None);

        // Money in cannot pay a purchase; then it pays its sale.
        assert_eq!(
            field_of(
                f.books
                    .match_bank_line(
                        &seller,
                        paid_in.id,
                        &MatchInput {
                            invoice_id: rent.id
                        }
                    )
                    .await
                    .unwrap_err()
            ),
            "invoice_id"
        );
        let matched = f
            .books
            .match_bank_line(
                &seller,
                paid_in.id,
                &MatchInput {
                    invoice_id: second.id,
                },
            )
            .await
            .unwrap();
        assert_eq!(matched.state, BankLineState::Matched);
        assert!(matched.entry_id.is_some());
        assert!(matches!(
            f.books
                .match_bank_line(
                    &seller,
                    paid_in.id,
                    &MatchInput {
                        invoice_id: first.id
                    }
                )
                .await,
            Err(BooksError::State {
                code: "line_matched",
                ..
            })
        ));
        f.books
            .match_bank_line(
                &seller,
                paid_out.id,
                &MatchInput {
                    invoice_id: rent.id,
                },
            )
            .await
            .unwrap();
        assert_eq!(
            f.books.invoice(&seller, second.id).await.unwrap().state,
            InvoiceState::Settled
        );
        assert_eq!(
            f.books.invoice(&seller, rent.id).await.unwrap().state,
            InvoiceState::Settled
        );
        assert_eq!(
            f.books.invoice(&seller, first.id).await.unwrap().state,
            InvoiceState::Open
        );
        assert_eq!(
            f.balance(&seller, AccountRole::Bank).await,
            113_000 - 56_500
        );
        assert_eq!(f.balance(&seller, AccountRole::Receivable).await, 113_000);
        let open = f
            .books
            .bank_lines(&seller, Some(BankLineState::Open), PageRequest::first())
            .await
            .unwrap();
        assert_eq!(open.items.len(), 1);

        // The fee pays no invoice: posted to an expense account of the
        // member's choosing, not to the statement's own account nor to one
        // automatic postings keep.
        let fee = by_reference("fee");
        let accounts = f.books.accounts(&seller).await.unwrap();
        let expense = accounts
            .iter()
            .find(|account| account.kind == books::AccountKind::Expense && account.role.is_none())
            .unwrap();
        let kept = accounts
            .iter()
            .find(|account| account.role == Some(AccountRole::Receivable))
            .unwrap();
        let post_to = |account_id| PostLineInput {
            account_id,
            memo: String::new(),
        };
        for (account, code) in [
            (kept.id, "account_for_postings"),
            (fee.account_id, "same_account"),
        ] {
            match f
                .books
                .post_bank_line(&seller, fee.id, &post_to(account))
                .await
            {
                Err(BooksError::Invalid {
                    field, code: got, ..
                }) => {
                    assert_eq!((field.as_str(), got), ("account_id", code));
                }
                other => panic!("expected a refusal, got {other:?}"),
            }
        }
        let posted = f
            .books
            .post_bank_line(&seller, fee.id, &post_to(expense.id))
            .await
            .unwrap();
        assert_eq!(posted.state, BankLineState::Posted);
        let entry = f
            .books
            .entry(&seller, posted.entry_id.unwrap())
            .await
            .unwrap();
        let debit = entry
            .lines
            .iter()
            .find(|line| line.debit_minor > 0)
            .unwrap();
        assert_eq!((debit.account_id, debit.debit_minor), (expense.id, 1_250));
        assert_eq!(
            f.balance(&seller, AccountRole::Bank).await,
            113_000 - 56_500 - 1_250
        );
        assert!(matches!(
            f.books
                .post_bank_line(&seller, fee.id, &post_to(expense.id))
                .await,
            Err(BooksError::State {
                code: "line_matched",
                ..
            })
        ));
        f.assert_balanced(&seller).await;
        f.assert_reconciled().await;
    }
);

storage_test!(
    a_bad_statement_or_match_names_the_field_and_writes_nothing,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let (seller, buyer) = (f.deal.seller, f.deal.buyer);
        let refused = |text: String| {
            let books = f.books.clone();
            async move {
                field_of(
                    books
                        .import_bank_statement(&seller, None, &text)
                        .await
                        .unwrap_err(),
                )
            }
        };
        let header = "date,amount,currency,reference,counterparty";
        assert_eq!(refused("when,what\n2026-11-01,1".to_owned()).await, "file");
        assert_eq!(refused(format!("{header}\n")).await, "rows");
        assert_eq!(
            refused(format!(
                "{header}\n2026-11-01,10.00,CNY,a,b\n2026-11-31,1.00,CNY,,\n"
            ))
            .await,
            "rows[1].date"
        );
        assert_eq!(
            refused(format!("{header}\n2026-11-01,0,CNY,,\n")).await,
            "rows[0].amount"
        );
        assert_eq!(
            refused(format!("{header}\n2026-11-01,1.234,CNY,,\n")).await,
            "rows[0].amount"
        );
        assert_eq!(
            refused(format!("{header}\n2026-11-01,1.00,XXQ,,\n")).await,
            "rows[0].currency"
        );
        // The wallet is no bank account a statement comes from.
        let wallet = f
            .books
            .accounts(&seller)
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.role == Some(AccountRole::Wallet))
            .unwrap();
        let good = format!("{header}\n2026-11-01,10.00,CNY,a,b\n");
        assert_eq!(
            field_of(
                f.books
                    .import_bank_statement(&seller, Some(wallet.id), &good)
                    .await
                    .unwrap_err()
            ),
            "account_id"
        );
        let foreign = f.books.accounts(&buyer).await.unwrap()[0].id;
        assert_eq!(
            field_of(
                f.books
                    .import_bank_statement(&seller, Some(foreign), &good)
                    .await
                    .unwrap_err()
            ),
            "account_id"
        );
        assert_eq!(line_count(&db).await, 0);

        // Another company's line is not found; another company's invoice is unknown.
        f.books
            .import_bank_statement(&seller, None, &good)
            .await
            .unwrap();
        let line = f
            .books
            .bank_lines(&seller, None, PageRequest::first())
            .await
            .unwrap()
            .items[0]
            .clone();
        let day = books::period::day_of(f.deal.clock.now());
        let theirs = f
            .books
            .create_invoice(&buyer, &invoice("sales", "Gamma", &day, 1_000))
            .await
            .unwrap();
        assert!(matches!(
            f.books
                .match_bank_line(
                    &buyer,
                    line.id,
                    &MatchInput {
                        invoice_id: theirs.id
                    }
                )
                .await,
            Err(BooksError::NotFound(_))
        ));
        assert_eq!(
            field_of(
                f.books
                    .match_bank_line(
                        &seller,
                        line.id,
                        &MatchInput {
                            invoice_id: theirs.id
                        }
                    )
                    .await
                    .unwrap_err()
            ),
            "invoice_id"
        );
        // More than is open is refused.
        let small = f
            .books
            .create_invoice(&seller, &invoice("sales", "Delta", &day, 100))
            .await
            .unwrap();
        assert_eq!(
            field_of(
                f.books
                    .match_bank_line(
                        &seller,
                        line.id,
                        &MatchInput {
                            invoice_id: small.id
                        }
                    )
                    .await
                    .unwrap_err()
            ),
            "amount_minor"
        );
        let still = f
            .books
            .bank_lines(&seller, None, PageRequest::first())
            .await
            .unwrap()
            .items[0]
            .clone();
        assert_eq!(still.state, BankLineState::Open);
        assert_eq!(
            f.books
                .invoice(&seller, small.id)
                .await
                .unwrap()
                .settled_minor,
            0
        );
    }
);
