//! The books beside a real deal: trade's fixture (a seller with a flask, a
//! buyer with money), the books service, and the outbox delivered to the
//! books' subscriber on demand.

use std::sync::Arc;

use books::{Books, BooksPostings, ReportRange};
use kernel::outbox::Dispatcher;
use kernel::{Clock, Db, Scope};

use crate::deal;

pub fn migrations() -> Vec<kernel::migrate::Migration> {
    [deal::migrations(), books::migrations()].concat()
}

pub struct Fixture {
    pub deal: deal::Fixture,
    pub books: Books,
    dispatcher: Dispatcher,
}

pub async fn fixture(db: Db) -> Fixture {
    let deal = deal::fixture(db.clone()).await;
    let clock: Arc<dyn kernel::Clock> = deal.clock.clone();
    let books = Books::new(db.clone(), clock.clone(), deal.pay.clone());
    let dispatcher = Dispatcher::new(db, clock, vec![Arc::new(BooksPostings::new(books.clone()))]);
    let fixture = Fixture {
        deal,
        books,
        dispatcher,
    };
    fixture.settle().await;
    fixture
}

impl Fixture {
    /// Delivers every event in the outbox to the books.
    pub async fn settle(&self) {
        loop {
            let round = self.dispatcher.run_once().await.unwrap();
            assert_eq!(round.failed_subscribers, 0, "the books refused an event");
            if round.delivered == 0 {
                return;
            }
        }
    }

    /// An account's balance in CNY, in its normal direction, by role code.
    pub async fn balance(&self, scope: &Scope, role: books::AccountRole) -> i64 {
        let accounts = self.books.accounts(scope).await.unwrap();
        let account = accounts.iter().find(|a| a.role == Some(role)).unwrap();
        self.books
            .trial_balance(scope, ReportRange::default())
            .await
            .unwrap()
            .lines
            .iter()
            .filter(|line| line.account_id == account.id)
            .map(|line| line.balance_minor)
            .sum()
    }

    /// Every company's books match the ledger.
    pub async fn assert_reconciled(&self) {
        let reconciliation = self.books.reconciliation_of_network().await.unwrap();
        assert!(
            reconciliation.all_match,
            "books and ledger differ: {:#?}",
            reconciliation
                .lines
                .iter()
                .filter(|line| !line.matches)
                .collect::<Vec<_>>()
        );
    }

    /// The balances per month are the posted lines summed, for every
    /// company, month, account and currency; and a report over days that cut
    /// months (read partly from the lines) agrees with the lines too.
    pub async fn assert_balances_are_the_lines(&self, scope: &Scope) {
        use sqlx::Row;
        let by_lines = "SELECT e.company_id, e.period, l.account_id, l.currency,
                    CAST(SUM(l.debit_minor) AS BIGINT) AS d, CAST(SUM(l.credit_minor) AS BIGINT) AS c,
                    CAST(SUM(l.functional_minor) AS BIGINT) AS f
             FROM books_line l JOIN books_entry e ON e.company_id = l.company_id AND e.id = l.entry_id
             WHERE l.posted = 1 GROUP BY e.company_id, e.period, l.account_id, l.currency
             ORDER BY 1, 2, 3, 4";
        let by_balances =
            "SELECT company_id, period, account_id, currency, debit_minor AS d, credit_minor AS c,
                    functional_minor AS f
             FROM books_balance WHERE debit_minor <> 0 OR credit_minor <> 0 OR functional_minor <> 0
             ORDER BY 1, 2, 3, 4";
        let rows = |sql: &'static str| async move {
            sqlx::query(sql)
                .fetch_all(self.deal.db.reader())
                .await
                .unwrap()
                .iter()
                .map(|row| {
                    (
                        row.get::<i64, _>(0),
                        row.get::<String, _>(1),
                        row.get::<i64, _>(2),
                        row.get::<String, _>(3),
                        row.get::<i64, _>("d"),
                        row.get::<i64, _>("c"),
                        row.get::<i64, _>("f"),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(rows(by_balances).await, rows(by_lines).await);
        let now = self.deal.clock.now();
        let range = ReportRange {
            from: Some(now.plus_seconds(-40 * 86_400)),
            to: Some(now.plus_seconds(86_400)),
        };
        let report = self.books.trial_balance(scope, range).await.unwrap();
        let direct: i64 = sqlx::query(
            "SELECT CAST(COALESCE(SUM(debit_minor), 0) AS BIGINT) AS d FROM books_line
             WHERE company_id = $1 AND posted = 1 AND entry_date >= $2 AND entry_date < $3",
        )
        .bind(scope.company_id())
        .bind(range.from.unwrap().micros())
        .bind(range.to.unwrap().micros())
        .fetch_one(self.deal.db.reader())
        .await
        .unwrap()
        .get("d");
        let reported: i64 = report.lines.iter().map(|line| line.debit_minor).sum();
        assert_eq!(reported, direct, "a report over days cutting months");
    }

    /// The trial balance of every company balances per currency.
    pub async fn assert_balanced(&self, scope: &Scope) {
        self.assert_balances_are_the_lines(scope).await;
        let trial = self
            .books
            .trial_balance(scope, ReportRange::default())
            .await
            .unwrap();
        for total in &trial.totals {
            assert_eq!(total.debit_minor, total.credit_minor, "{total:?}");
        }
        // Every entry balances in the functional currency too.
        use sqlx::Row;
        let unbalanced: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM (SELECT entry_id FROM books_line WHERE company_id = $1
             GROUP BY entry_id HAVING SUM(functional_minor) <> 0) AS off",
        )
        .bind(scope.company_id())
        .fetch_one(self.deal.db.reader())
        .await
        .unwrap()
        .get("n");
        assert_eq!(
            unbalanced, 0,
            "entries off balance in the functional currency"
        );
    }
}
