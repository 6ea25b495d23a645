//! A bank statement line that pays no invoice (the bank's fee, interest, a
//! transfer between the member's own accounts, its owner's capital) posted
//! straight to the account the member names, so every line of a statement
//! ends up in the books.

use kernel::Scope;
use serde::Deserialize;

use crate::bank::{BankLine, BankLineId, BankLineState, close_bank_line_in, open_bank_line_in};
use crate::error::{BooksError, Result};
use crate::invoice_by_hand::{line_account, text_field};
use crate::model::{AccountId, AccountKind, AccountRole, EntryState, Journal};
use crate::write::{NewEntry, NewLine, insert_entry_in};
use crate::{Books, may_keep_books};

/// Where a line that pays no invoice goes.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostLineInput {
    /// The other side of the bank (`acct_…`): an expense for a fee, revenue
    /// for interest, another bank or equity account; not one automatic
    /// postings keep (the receivable, VAT, the wallet).
    pub account_id: AccountId,
    /// Up to 200 characters; by default the line's reference.
    #[serde(default)]
    pub memo: String,
}

impl Books {
    /// Posts the open line `id` against `input.account_id`: money in is a
    /// debit on the statement's account, money out a credit.
    pub async fn post_bank_line(
        &self,
        scope: &Scope,
        id: BankLineId,
        input: &PostLineInput,
    ) -> Result<BankLine> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let memo = text_field("memo", &input.memo, false)?;
        let company = scope.company_id();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let line = open_bank_line_in(&mut tx, company, id).await?;
        let kinds = [
            AccountKind::Asset,
            AccountKind::Liability,
            AccountKind::Equity,
            AccountKind::Revenue,
            AccountKind::Expense,
        ];
        line_account(
            &mut tx,
            company,
            "account_id",
            input.account_id,
            &kinds,
            &[AccountRole::Bank],
        )
        .await?;
        if input.account_id == line.account_id {
            return Err(BooksError::invalid(
                "account_id",
                "same_account",
                "an account other than the statement's",
            ));
        }
        let amount = line.amount_minor.abs();
        let (debit, credit) = if line.amount_minor > 0 {
            (line.account_id, input.account_id)
        } else {
            (input.account_id, line.account_id)
        };
        let new_line = |account_id, debit_minor, credit_minor| NewLine {
            account_id,
            currency: line.currency,
            debit_minor,
            credit_minor,
            memo: line.reference.clone(),
            functional_minor: None,
            clears: None,
        };
        let entry = NewEntry {
            journal: Journal::Bank,
            date: line.date,
            memo: if memo.is_empty() {
                format!(
                    "银行流水 · Bank line {} {}",
                    line.reference, line.counterparty
                )
                .trim_end()
                .to_owned()
            } else {
                memo
            },
            source: String::new(),
            order_id: None,
            reverses: None,
            lines: vec![new_line(debit, amount, 0), new_line(credit, 0, amount)],
            state: EntryState::Posted,
        };
        let entry_id = insert_entry_in(&mut tx, company, entry, now)
            .await?
            .ok_or(BooksError::NotFound("entry"))?;
        let line = BankLine {
            state: BankLineState::Posted,
            entry_id: Some(entry_id),
            suggested_invoice_id: None,
            ..line
        };
        close_bank_line_in(&mut tx, company, &line, now).await?;
        tx.commit().await?;
        Ok(line)
    }
}
