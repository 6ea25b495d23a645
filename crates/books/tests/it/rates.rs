//! Exchange rates: set and replaced per currency and day, listed newest
//! first; what a member writes by hand in a currency without a rate by its
//! date is refused naming the field and writes nothing; what is written is
//! valued in the functional currency at the rate of its day, and a reversal
//! at its original's value; the functional currency is chosen before the
//! first entry.

use books::{
    AccountRole, BooksError, EntryInput, InvoiceInput, InvoiceLineInput, LineInput, RateInput,
    SettingsInput,
};
use kernel::{Currency, Db, storage_test};
use sqlx::Row;

use crate::support::{fixture, migrations};

async fn entry_count(db: &Db) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM books_entry")
        .fetch_one(db.reader())
        .await
        .unwrap()
        .get("n")
}

fn invalid<T: std::fmt::Debug>(result: books::Result<T>) -> (String, &'static str) {
    match result {
        Err(BooksError::Invalid { field, code, .. }) => (field, code),
        other => panic!("expected a refusal naming a field, got {other:?}"),
    }
}

fn rate(currency: &str, date: &str, rate: &str) -> RateInput {
    RateInput {
        currency: currency.to_owned(),
        date: date.to_owned(),
        rate: rate.to_owned(),
    }
}

storage_test!(
    a_foreign_currency_by_hand_needs_a_rate_by_its_date,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let owner = f.deal.seller;
        let accounts = f.books.accounts(&owner).await.unwrap();
        let role = |role| accounts.iter().find(|a| a.role == Some(role)).unwrap().id;
        let usd_entry = |date: &str| EntryInput {
            journal: books::Journal::General,
            date: date.to_owned(),
            memo: "Dollar cash in".to_owned(),
            lines: vec![
                LineInput {
                    account_id: role(AccountRole::Bank),
                    currency: Currency::USD,
                    debit_minor: 10_000,
                    credit_minor: 0,
                    memo: String::new(),
                },
                LineInput {
                    account_id: role(AccountRole::Capital),
                    currency: Currency::USD,
                    debit_minor: 0,
                    credit_minor: 10_000,
                    memo: String::new(),
                },
            ],
            post: true,
        };
        let before = entry_count(&db).await;
        assert_eq!(
            invalid(f.books.create_entry(&owner, &usd_entry("2026-11-02")).await),
            ("lines[0].currency".to_owned(), "no_exchange_rate")
        );
        assert_eq!(
            invalid(
                f.books
                    .import_entries(&owner, &[usd_entry("2026-11-02")])
                    .await
            ),
            (
                "entries[0].lines[0].currency".to_owned(),
                "no_exchange_rate"
            )
        );
        let invoice = InvoiceInput {
            kind: "sales".to_owned(),
            counterparty_name: "Acme Inc.".to_owned(),
            date: "2026-11-02".to_owned(),
            due_date: None,
            currency: "USD".to_owned(),
            memo: String::new(),
            lines: vec![InvoiceLineInput {
                description: "Flasks".to_owned(),
                quantity: 1,
                unit: String::new(),
                unit_price_minor: 10_000,
                vat_rate_bp: 0,
                account_id: None,
            }],
        };
        assert_eq!(
            invalid(f.books.create_invoice(&owner, &invoice).await),
            ("currency".to_owned(), "no_exchange_rate")
        );
        let statement =
            "date,amount,currency,reference,counterparty\n2026-11-02,100.00,USD,wire,Acme\n";
        assert_eq!(
            invalid(f.books.import_bank_statement(&owner, None, statement).await),
            ("rows[0].currency".to_owned(), "no_exchange_rate")
        );
        assert_eq!(entry_count(&db).await, before);

        // A rate from the 1st holds on the 2nd; set again for the same day,
        // it is replaced, not repeated.
        f.books
            .set_exchange_rate(&owner, &rate("USD", "2026-11-01", "7.1"))
            .await
            .unwrap();
        let replaced = f
            .books
            .set_exchange_rate(&owner, &rate("USD", "2026-11-01", "7.12345678"))
            .await
            .unwrap();
        assert_eq!(replaced.rate, "7.12345678");
        f.books
            .set_exchange_rate(&owner, &rate("EUR", "2026-11-03", "7.7"))
            .await
            .unwrap();
        let rates = f.books.exchange_rates(&owner).await.unwrap();
        assert_eq!(
            rates
                .iter()
                .map(|r| (r.currency, r.date.as_str()))
                .collect::<Vec<_>>(),
            vec![(Currency::EUR, "2026-11-03"), (Currency::USD, "2026-11-01")]
        );
        let entry = f
            .books
            .create_entry(&owner, &usd_entry("2026-11-02"))
            .await
            .unwrap();
        // 100.00 USD at 7.12345678 is 712.35 CNY, on both sides.
        assert_eq!(
            entry
                .lines
                .iter()
                .map(|line| line.functional_minor)
                .collect::<Vec<_>>(),
            vec![71_235, -71_235]
        );
        let reversal = f.books.reverse_entry(&owner, entry.id, None).await.unwrap();
        assert_eq!(
            reversal
                .lines
                .iter()
                .map(|line| line.functional_minor)
                .collect::<Vec<_>>(),
            vec![-71_235, 71_235],
            "a reversal mirrors the original's value, whatever the rate today"
        );
        f.books.create_invoice(&owner, &invoice).await.unwrap();
        let trial = f
            .books
            .trial_balance(&owner, books::ReportRange::default())
            .await
            .unwrap();
        assert_eq!(trial.functional_totals.currency, Currency::CNY);
        assert_eq!(
            trial.functional_totals.debit_minor,
            trial.functional_totals.credit_minor
        );
        assert!(trial.functional_totals.debit_minor > 0);
        f.assert_balanced(&owner).await;
        // Not before the rate's day.
        assert_eq!(
            invalid(f.books.create_entry(&owner, &usd_entry("2026-10-31")).await),
            ("lines[0].currency".to_owned(), "no_exchange_rate")
        );

        // Bad rates, and the functional currency, are refused.
        for (input, field, code) in [
            (rate("USD", "2026-11-01", "0"), "rate", "invalid"),
            (rate("USD", "2026-11-01", "7.123456789"), "rate", "invalid"),
            (
                rate("CNY", "2026-11-01", "1"),
                "currency",
                "functional_currency",
            ),
            (rate("XXX", "2026-11-01", "1"), "currency", "invalid"),
            (rate("USD", "2026-11-31", "7"), "date", "invalid"),
        ] {
            assert_eq!(
                invalid(f.books.set_exchange_rate(&owner, &input).await),
                (field.to_owned(), code)
            );
        }
        // Another company sees none of them and removes none.
        let stranger = f.deal.buyer;
        assert!(f.books.exchange_rates(&stranger).await.unwrap().is_empty());
        assert!(matches!(
            f.books.remove_exchange_rate(&stranger, rates[0].id).await,
            Err(BooksError::NotFound(_))
        ));
        f.books
            .remove_exchange_rate(&owner, rates[0].id)
            .await
            .unwrap();
        assert_eq!(f.books.exchange_rates(&owner).await.unwrap().len(), 1);

        // With entries written, the functional currency stays.
        let change = SettingsInput {
            functional_currency: Some("EUR".to_owned()),
            ..SettingsInput::default()
        };
        assert_eq!(
            invalid(f.books.change_settings(&owner, &change).await),
            ("functional_currency".to_owned(), "books_not_empty")
        );
    }
);

storage_test!(
    the_functional_currency_is_chosen_before_the_first_entry,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let owner = f.deal.seller;
        f.books
            .set_exchange_rate(&owner, &rate("EUR", "2026-11-01", "7.7"))
            .await
            .unwrap();
        let change = SettingsInput {
            functional_currency: Some("EUR".to_owned()),
            ..SettingsInput::default()
        };
        let settings = f.books.change_settings(&owner, &change).await.unwrap();
        assert_eq!(settings.functional_currency, Currency::EUR);
        assert!(
            f.books.exchange_rates(&owner).await.unwrap().is_empty(),
            "rates against the old functional currency are gone"
        );
        assert_eq!(
            f.books.settings(&owner).await.unwrap().functional_currency,
            Currency::EUR
        );
    }
);
