//! The books' outbox subscriber: every event of the deal and of the wallet
//! posts through the rules of `postings`, in the dispatcher's transaction,
//! so each takes effect exactly once, also across a crash; the entries'
//! source keys make a replay change nothing all the same.

use kernel::CompanyId;
use kernel::db::Tx;
use kernel::outbox::{OutboxEvent, Subscriber, SubscriberError};
use trade::events::{
    OrderCompleted, OrderFacts, OrderPaid, OrderRefunded, OrderSettled, OrderShipped,
};

use crate::Books;
use crate::chart::{CHART_DEFAULT, account_of_role, open_books_in};
use crate::error::Result;
use crate::exchange::OpenItem;
use crate::invoice_store::{insert_invoice_in, settle_order_invoice_in};
use crate::model::EntryState;
use crate::period::first_open_date;
use crate::postings::{self, Invoiced, Posting};
use crate::write::{NewEntry, NewLine};

/// The subscriber that keeps every member's books from the outbox.
pub struct BooksPostings {
    books: Books,
}

impl BooksPostings {
    pub fn new(books: Books) -> BooksPostings {
        BooksPostings { books }
    }
}

fn failed(error: impl std::fmt::Display) -> SubscriberError {
    SubscriberError::Failed(error.to_string())
}

#[async_trait::async_trait]
impl Subscriber for BooksPostings {
    fn name(&self) -> &'static str {
        "books.postings"
    }

    async fn handle(&self, tx: &mut Tx, event: &OutboxEvent) -> Result<(), SubscriberError> {
        let postings = self.postings_for(tx, event).await.map_err(failed)?;
        for posting in postings {
            self.write(tx, posting).await.map_err(failed)?;
        }
        Ok(())
    }
}

/// Decodes `event` as `E`, or says it is not one.
fn decode<E: kernel::outbox::Event>(event: &OutboxEvent) -> Result<Option<E>> {
    event
        .decode::<E>()
        .transpose()
        .map_err(|error| crate::BooksError::state("bad_event", error.to_string()))
}

impl BooksPostings {
    async fn postings_for(&self, tx: &mut Tx, event: &OutboxEvent) -> Result<Vec<Posting>> {
        use pay::events::{
            TopUpSucceeded, WithdrawalCompleted, WithdrawalFailed, WithdrawalStarted,
        };
        let id = event.event_id;
        if let Some(paid) = decode::<OrderPaid>(event)? {
            return Ok(postings::order_paid(&paid.order));
        }
        if let Some(shipped) = decode::<OrderShipped>(event)? {
            return self.invoices_on(tx, &shipped.order, "shipped").await;
        }
        if let Some(completed) = decode::<OrderCompleted>(event)? {
            return self.invoices_on(tx, &completed.order, "completed").await;
        }
        if let Some(settled) = decode::<OrderSettled>(event)? {
            // Settled without an invoice (a refund in part before shipping):
            // the deal is done, so it is invoiced now.
            let mut all = self.invoices_on(tx, &settled.order, "settled").await?;
            all.extend(postings::order_settled(
                &settled.order,
                settled.to_seller_minor,
                settled.fee_taken_minor,
                id,
            ));
            return Ok(all);
        }
        if let Some(refunded) = decode::<OrderRefunded>(event)? {
            let order = &refunded.order;
            let rate = self.vat_rate(tx, order).await?;
            let invoiced = Invoiced {
                seller: self.invoiced(tx, order.seller_company_id, order).await?,
                buyer: self.invoiced(tx, order.buyer_company_id, order).await?,
            };
            return Ok(postings::order_refunded(
                order,
                refunded.to_buyer_minor,
                id,
                invoiced,
                rate,
            ));
        }
        if let Some(costed) = decode::<scm::events::OrderGoodsCosted>(event)? {
            return Ok(postings::goods_costed(&costed, id).into_iter().collect());
        }
        let movement = if let Some(top_up) = decode::<TopUpSucceeded>(event)? {
            Some((top_up.movement, "topup"))
        } else if let Some(started) = decode::<WithdrawalStarted>(event)? {
            Some((started.movement, "withdrawal_started"))
        } else if let Some(completed) = decode::<WithdrawalCompleted>(event)? {
            Some((completed.movement, "withdrawal_completed"))
        } else if let Some(failed) = decode::<WithdrawalFailed>(event)? {
            Some((failed.movement, "withdrawal_failed"))
        } else {
            None
        };
        Ok(movement
            .and_then(|(movement, step)| postings::wallet_movement(&movement, step))
            .into_iter()
            .collect())
    }

    /// The order's invoices when `trigger` is the seller's moment for them
    /// (`settled` always is, for an order not invoiced yet).
    async fn invoices_on(
        &self,
        tx: &mut Tx,
        order: &OrderFacts,
        trigger: &str,
    ) -> Result<Vec<Posting>> {
        let now = self.books.clock.now();
        let settings = open_books_in(tx, order.seller_company_id, CHART_DEFAULT, now).await?;
        if trigger != "settled" && settings.invoice_on != trigger {
            return Ok(Vec::new());
        }
        if self.invoiced(tx, order.seller_company_id, order).await? {
            return Ok(Vec::new());
        }
        let rate = postings::invoice_vat_rate_bp(order, settings.vat_rate_bp);
        Ok(postings::invoices(order, rate))
    }

    async fn vat_rate(&self, tx: &mut Tx, order: &OrderFacts) -> Result<i64> {
        let now = self.books.clock.now();
        let settings = open_books_in(tx, order.seller_company_id, CHART_DEFAULT, now).await?;
        Ok(postings::invoice_vat_rate_bp(order, settings.vat_rate_bp))
    }

    async fn invoiced(&self, tx: &mut Tx, company: CompanyId, order: &OrderFacts) -> Result<bool> {
        Ok(
            sqlx::query("SELECT 1 FROM books_entry WHERE company_id = $1 AND source = $2")
                .bind(company)
                .bind(format!("order:{}:invoice", order.order_id))
                .fetch_optional(tx.conn())
                .await?
                .is_some(),
        )
    }

    /// Looks the roles up in the company's chart and posts the entry.
    async fn write(&self, tx: &mut Tx, posting: Posting) -> Result<()> {
        let now = self.books.clock.now();
        open_books_in(tx, posting.company, CHART_DEFAULT, now).await?;
        let mut lines = Vec::with_capacity(posting.lines.len());
        for line in &posting.lines {
            lines.push(NewLine {
                account_id: account_of_role(tx, posting.company, line.role).await?,
                currency: line.currency,
                debit_minor: line.debit_minor,
                credit_minor: line.credit_minor,
                memo: String::new(),
                functional_minor: None,
                clears: posting
                    .order_id
                    .filter(|_| line.clears_order)
                    .map(OpenItem::Order),
            });
        }
        let new = NewEntry {
            journal: posting.journal,
            date: posting.date,
            memo: posting.memo,
            source: posting.source,
            order_id: posting.order_id,
            reverses: None,
            lines,
            state: EntryState::Posted,
        };
        let Some(entry_id) = self
            .books
            .post_automatic_in(tx, posting.company, new)
            .await?
        else {
            // Posted before: its document and settlement were written then.
            return Ok(());
        };
        if let Some(mut document) = posting.document {
            // Dated as its entry: in the next open month if the event's
            // month is locked.
            document.issue_date = first_open_date(tx, posting.company, document.issue_date).await?;
            insert_invoice_in(tx, posting.company, &document, entry_id, now).await?;
        }
        if let Some(order) = posting.order_id
            && posting.settles_order_invoice_minor != 0
        {
            let amount = posting.settles_order_invoice_minor;
            settle_order_invoice_in(tx, posting.company, order, amount, now).await?;
        }
        Ok(())
    }
}
