//! Entries by hand: they balance per currency or nothing is written, a
//! posted entry never changes and is corrected by a reversal, a locked
//! period takes nothing, another company's account is unknown, and the chart
//! is chosen before the first entry.

use books::{
    AccountChange, AccountInput, AccountKind, AccountRole, BooksError, EntryFilter, EntryInput,
    EntryState, LineInput, ReportRange, SettingsInput,
};
use kernel::{Currency, Db, PageRequest, Role, Scope, storage_test};

use crate::deal::colleague;
use crate::support::{fixture, migrations};

fn invalid<T: std::fmt::Debug>(result: books::Result<T>) -> (String, &'static str) {
    match result {
        Err(BooksError::Invalid { field, code, .. }) => (field, code),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

async fn account_of(
    f: &crate::support::Fixture,
    scope: &Scope,
    role: AccountRole,
) -> books::AccountId {
    f.books
        .accounts(scope)
        .await
        .unwrap()
        .iter()
        .find(|a| a.role == Some(role))
        .unwrap()
        .id
}

fn line(account_id: books::AccountId, debit: i64, credit: i64) -> LineInput {
    LineInput {
        account_id,
        currency: Currency::CNY,
        debit_minor: debit,
        credit_minor: credit,
        memo: String::new(),
    }
}

fn capital_in(
    bank: books::AccountId,
    capital: books::AccountId,
    date: &str,
    post: bool,
) -> EntryInput {
    EntryInput {
        journal: books::Journal::General,
        date: date.to_owned(),
        memo: "Paid-in capital".to_owned(),
        lines: vec![line(bank, 5_000_000, 0), line(capital, 0, 5_000_000)],
        post,
    }
}

async fn entry_total(f: &crate::support::Fixture, scope: &Scope) -> usize {
    f.books
        .entries(scope, &EntryFilter::default(), PageRequest::first())
        .await
        .unwrap()
        .items
        .len()
}

storage_test!(
    an_entry_balances_is_posted_and_is_corrected_only_by_a_reversal,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let owner = f.deal.seller;
        let bank = account_of(&f, &owner, AccountRole::Bank).await;
        let capital = account_of(&f, &owner, AccountRole::Capital).await;
        let before = entry_total(&f, &owner).await;

        let draft = f
            .books
            .create_entry(&owner, &capital_in(bank, capital, "2026-11-02", false))
            .await
            .unwrap();
        assert_eq!(draft.state, EntryState::Draft);
        let trial = f
            .books
            .trial_balance(&owner, ReportRange::default())
            .await
            .unwrap();
        assert!(
            trial.lines.iter().all(|l| l.account_id != capital),
            "drafts are not in reports"
        );

        let posted = f.books.post_entry(&owner, draft.id).await.unwrap();
        assert_eq!(posted.state, EntryState::Posted);
        assert_eq!(f.balance(&owner, AccountRole::Capital).await, 5_000_000);
        assert_eq!(
            f.books
                .post_entry(&owner, draft.id)
                .await
                .unwrap_err()
                .to_string(),
            "the entry is posted"
        );
        assert!(matches!(
            f.books.delete_draft(&owner, draft.id).await,
            Err(BooksError::State {
                code: "posted_entry",
                ..
            })
        ));

        let reversal = f
            .books
            .reverse_entry(&owner, draft.id, Some("2026-11-03"))
            .await
            .unwrap();
        assert_eq!(reversal.reverses, Some(draft.id));
        assert_eq!(reversal.lines[0].credit_minor, 5_000_000);
        assert_eq!(f.balance(&owner, AccountRole::Capital).await, 0);
        assert!(matches!(
            f.books.reverse_entry(&owner, draft.id, None).await,
            Err(BooksError::State {
                code: "already_reversed",
                ..
            })
        ));
        assert_eq!(entry_total(&f, &owner).await, before + 2);
        f.assert_balanced(&owner).await;
    }
);

storage_test!(
    bad_entries_are_refused_and_nothing_is_written,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let owner = f.deal.seller;
        let bank = account_of(&f, &owner, AccountRole::Bank).await;
        let capital = account_of(&f, &owner, AccountRole::Capital).await;
        let other_company_bank = account_of(&f, &f.deal.buyer, AccountRole::Bank).await;
        let before = entry_total(&f, &owner).await;
        let check = |input: EntryInput, field: &'static str, code: &'static str| {
            let books = f.books.clone();
            async move {
                assert_eq!(
                    invalid(books.create_entry(&owner, &input).await),
                    (field.to_owned(), code)
                );
            }
        };

        let mut unbalanced = capital_in(bank, capital, "2026-11-02", true);
        unbalanced.lines[1].credit_minor = 4_999_999;
        check(unbalanced, "lines", "unbalanced").await;
        let mut two_currencies = capital_in(bank, capital, "2026-11-02", true);
        two_currencies.lines[1].currency = Currency::EUR;
        check(two_currencies, "lines", "unbalanced").await;
        let mut both_sides = capital_in(bank, capital, "2026-11-02", true);
        both_sides.lines[0].credit_minor = 1;
        check(both_sides, "lines[0].debit_minor", "one_side").await;
        let mut foreign = capital_in(bank, capital, "2026-11-02", true);
        foreign.lines[0].account_id = other_company_bank;
        check(foreign, "lines[0].account_id", "unknown_account").await;
        check(
            capital_in(bank, capital, "2026-02-30", true),
            "date",
            "invalid",
        )
        .await;
        let mut one_line = capital_in(bank, capital, "2026-11-02", true);
        one_line.lines.pop();
        check(one_line, "lines", "too_few").await;

        f.books.lock_period(&owner, "2026-10").await.unwrap();
        assert!(matches!(
            f.books
                .create_entry(&owner, &capital_in(bank, capital, "2026-10-31", true))
                .await,
            Err(BooksError::PeriodLocked { period }) if period == "2026-10"
        ));
        // A draft neither: a locked month holds none (locking refuses while
        // it has some).
        assert!(matches!(
            f.books
                .create_entry(&owner, &capital_in(bank, capital, "2026-10-31", false))
                .await,
            Err(BooksError::PeriodLocked { .. })
        ));

        let sales = colleague(&owner, Role::Sales);
        assert!(matches!(
            f.books
                .create_entry(&sales, &capital_in(bank, capital, "2026-11-02", true))
                .await,
            Err(BooksError::Forbidden)
        ));
        assert!(matches!(
            f.books.accounts(&sales).await,
            Err(BooksError::Forbidden)
        ));
        assert_eq!(entry_total(&f, &owner).await, before, "nothing was written");
        assert_eq!(f.balance(&owner, AccountRole::Capital).await, 0);
    }
);

storage_test!(
    the_chart_is_chosen_before_the_first_entry_and_accounts_with_a_balance_stay,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let owner = f.deal.seller;
        let settings = f
            .books
            .change_settings(
                &owner,
                &SettingsInput {
                    chart: Some("ifrs".to_owned()),
                    vat_rate_bp: Some(600),
                    invoice_on: Some("completed".to_owned()),
                    ..SettingsInput::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(settings.chart, "ifrs");
        let accounts = f.books.accounts(&owner).await.unwrap();
        assert!(
            accounts
                .iter()
                .any(|a| a.code == "1020" && a.role == Some(AccountRole::Wallet))
        );
        for role in AccountRole::ALL {
            assert!(accounts.iter().any(|a| a.role == Some(role)), "{role:?}");
        }
        assert_eq!(
            invalid(
                f.books
                    .change_settings(
                        &owner,
                        &SettingsInput {
                            vat_rate_bp: Some(3_001),
                            ..SettingsInput::default()
                        }
                    )
                    .await
            ),
            ("vat_rate_bp".to_owned(), "out_of_range")
        );

        let added = f
            .books
            .add_account(
                &owner,
                &AccountInput {
                    code: "6110".to_owned(),
                    name_zh: "展会费".to_owned(),
                    name_en: "Trade fair costs".to_owned(),
                    kind: AccountKind::Expense,
                },
            )
            .await
            .unwrap();
        assert_eq!(
            invalid(
                f.books
                    .add_account(
                        &owner,
                        &AccountInput {
                            code: "6110".to_owned(),
                            name_zh: "x".to_owned(),
                            name_en: "x".to_owned(),
                            kind: AccountKind::Expense,
                        },
                    )
                    .await
            ),
            ("code".to_owned(), "taken")
        );
        let bank = account_of(&f, &owner, AccountRole::Bank).await;
        f.books
            .create_entry(
                &owner,
                &EntryInput {
                    journal: books::Journal::General,
                    date: "2026-11-05".to_owned(),
                    memo: "Canton Fair booth".to_owned(),
                    lines: vec![line(added.id, 800_000, 0), line(bank, 0, 800_000)],
                    post: true,
                },
            )
            .await
            .unwrap();
        let deactivate = AccountChange {
            active: Some(false),
            ..AccountChange::default()
        };
        assert_eq!(
            invalid(f.books.change_account(&owner, added.id, &deactivate).await),
            ("active".to_owned(), "account_has_balance")
        );
        assert_eq!(
            invalid(f.books.change_account(&owner, bank, &deactivate).await),
            ("active".to_owned(), "account_in_use")
        );
        assert_eq!(
            invalid(
                f.books
                    .change_settings(
                        &owner,
                        &SettingsInput {
                            chart: Some("cas_small".to_owned()),
                            ..SettingsInput::default()
                        }
                    )
                    .await
            ),
            ("chart".to_owned(), "books_not_empty")
        );
        let renamed = f
            .books
            .change_account(
                &owner,
                added.id,
                &AccountChange {
                    name_en: Some("Trade fairs".to_owned()),
                    ..AccountChange::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(renamed.name_en, "Trade fairs");
        let pnl = f
            .books
            .profit_and_loss(&owner, ReportRange::default())
            .await
            .unwrap();
        assert_eq!(pnl.totals[0].expenses_minor, 800_000);
        let sheet = f.books.balance_sheet(&owner, None).await.unwrap();
        let cny = &sheet.totals[0];
        assert_eq!(
            cny.assets_minor,
            cny.liabilities_minor + cny.equity_minor + cny.earnings_minor
        );
    }
);

storage_test!(
    an_import_writes_every_entry_in_order_or_none,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let owner = f.deal.seller;
        let bank = account_of(&f, &owner, AccountRole::Bank).await;
        let capital = account_of(&f, &owner, AccountRole::Capital).await;
        let wallet = account_of(&f, &owner, AccountRole::Wallet).await;
        let rows = async || crate::from_the_deal::entry_count(&f.deal.db).await;
        let before = rows().await;

        // 1,200 entries: more rows than one statement holds.
        let batch: Vec<EntryInput> = (0..1_200)
            .map(|n| {
                let mut entry = capital_in(bank, capital, "2026-11-02", n % 3 != 0);
                entry.memo = format!("Opening figure {n}");
                entry.lines[0].debit_minor = 100 + n;
                entry.lines[1].credit_minor = 100 + n;
                entry
            })
            .collect();
        let ids = f.books.import_entries(&owner, &batch).await.unwrap();
        assert_eq!(ids.len(), 1_200);
        let first = f.books.entry(&owner, ids[0]).await.unwrap();
        let last = f.books.entry(&owner, ids[1_199]).await.unwrap();
        assert_eq!(last.entry_no, first.entry_no + 1_199, "consecutive numbers");
        assert_eq!(last.memo, "Opening figure 1199");
        assert_eq!(last.lines[1].credit_minor, 1_299);
        assert_eq!(first.state, EntryState::Draft);
        assert_eq!(
            f.books.entry(&owner, ids[1]).await.unwrap().state,
            EntryState::Posted
        );
        let trial = f
            .books
            .trial_balance(&owner, ReportRange::default())
            .await
            .unwrap();
        assert!(trial.totals.iter().all(|t| t.debit_minor == t.credit_minor));

        // One bad entry refuses the whole batch, naming it; nothing is written.
        let total = rows().await;
        assert_eq!(total, before + 1_200);
        let mut bad = batch.clone();
        bad[7].lines[1].credit_minor += 1;
        assert_eq!(
            invalid(f.books.import_entries(&owner, &bad).await),
            ("entries[7].lines".to_owned(), "unbalanced")
        );
        let mut bad = batch.clone();
        bad[9].lines[0].account_id = wallet;
        assert_eq!(
            invalid(f.books.import_entries(&owner, &bad).await),
            (
                "entries[9].lines[0].account_id".to_owned(),
                "account_kept_by_platform"
            )
        );
        let mut bad = batch.clone();
        bad[3].date = "2026-13-01".to_owned();
        assert_eq!(
            invalid(f.books.import_entries(&owner, &bad).await),
            ("entries[3].date".to_owned(), "invalid")
        );
        let buyer_bank = account_of(&f, &f.deal.buyer, AccountRole::Bank).await;
        let mut bad = batch.clone();
        bad[0].lines[0].account_id = buyer_bank;
        assert_eq!(
            invalid(f.books.import_entries(&owner, &bad).await),
            (
                "entries[0].lines[0].account_id".to_owned(),
                "unknown_account"
            )
        );
        assert_eq!(
            invalid(f.books.import_entries(&owner, &[]).await).1,
            "out_of_range"
        );
        f.books.lock_period(&owner, "2026-09").await.unwrap();
        let mut bad = batch[..10].to_vec();
        bad[5].date = "2026-09-30".to_owned();
        assert!(matches!(
            f.books.import_entries(&owner, &bad).await,
            Err(BooksError::PeriodLocked { period }) if period == "2026-09"
        ));
        assert_eq!(rows().await, total);
    }
);

storage_test!(
    opening_balances_come_from_a_csv_as_one_posted_entry,
    migrations(),
    |db: Db| async move {
        let f = fixture(db).await;
        let owner = f.deal.seller;
        let code = async |role| {
            let id = account_of(&f, &owner, role).await;
            f.books
                .accounts(&owner)
                .await
                .unwrap()
                .into_iter()
                .find(|a| a.id == id)
                .unwrap()
                .code
        };
        let bank = code(AccountRole::Bank).await;
        let capital = code(AccountRole::Capital).await;
        let payable = code(AccountRole::Payable).await;
        let wallet = code(AccountRole::Wallet).await;
        let file = format!(
            "account_code,currency,debit,credit\n{bank},CNY,250000.00,\n{capital},CNY,,200000\n{payable},CNY,,50000.00\n"
        );
        let entry = f
            .books
            .import_opening_balances(&owner, "2026-01-01", &file)
            .await
            .unwrap();
        assert_eq!(entry.state, EntryState::Posted);
        assert_eq!(entry.lines.len(), 3);
        assert_eq!(entry.lines[0].debit_minor, 25_000_000);
        assert_eq!(entry.lines[2].credit_minor, 5_000_000);
        assert_eq!(entry.period, "2026-01");

        let before = crate::from_the_deal::entry_count(&f.deal.db).await;
        let refused = async |file: String| {
            invalid(
                f.books
                    .import_opening_balances(&owner, "2026-01-01", &file)
                    .await,
            )
        };
        assert_eq!(
            refused(format!(
                "account_code,currency,debit,credit\n{bank},CNY,100,\n{capital},CNY,,99\n"
            ))
            .await,
            ("rows".to_owned(), "unbalanced")
        );
        assert_eq!(
            refused(format!(
                "account_code,currency,debit,credit\n{bank},CNY,100,\n999999,CNY,,100\n"
            ))
            .await,
            ("rows[1].account_code".to_owned(), "unknown_account")
        );
        assert_eq!(
            refused(format!(
                "account_code,currency,debit,credit\n{bank},CNY,1.005,\n{capital},CNY,,1.005\n"
            ))
            .await,
            ("rows[0].debit".to_owned(), "invalid_amount")
        );
        assert_eq!(
            refused(format!(
                "account_code,currency,debit,credit\n{wallet},CNY,100,\n{capital},CNY,,100\n"
            ))
            .await,
            (
                "rows[0].account_code".to_owned(),
                "account_kept_by_platform"
            )
        );
        assert_eq!(
            refused(format!("code,currency,debit,credit\n{bank},CNY,100,\n")).await,
            ("file".to_owned(), "wrong_header")
        );
        assert_eq!(
            refused(format!(
                "account_code,currency,debit,credit\n{bank},XXX,100,\n"
            ))
            .await,
            ("rows[0].currency".to_owned(), "unknown_currency")
        );
        assert_eq!(crate::from_the_deal::entry_count(&f.deal.db).await, before);
    }
);
