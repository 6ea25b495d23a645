//! The books beside a real deal: trade's fixture (a seller with a flask, a
//! buyer with money), the books service, and the outbox delivered to the
//! books' subscriber on demand.

use std::sync::Arc;

use books::{Books, BooksPostings, ReportRange};
use kernel::outbox::Dispatcher;
use kernel::{Db, Scope};

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

    /// The trial balance of every company balances per currency.
    pub async fn assert_balanced(&self, scope: &Scope) {
        let trial = self
            .books
            .trial_balance(scope, ReportRange::default())
            .await
            .unwrap();
        for total in &trial.totals {
            assert_eq!(total.debit_minor, total.credit_minor, "{total:?}");
        }
    }
}
