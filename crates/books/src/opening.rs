//! Opening balances from a CSV: the figures a company brings from its old
//! books, written as one posted entry on the day its books begin here. One
//! row per account and currency (`account_code,currency,debit,credit`,
//! amounts as decimals); the rows must balance per currency like any entry.
//! The wallet and the escrow advances are not among them: they open from
//! the ledger.

use std::collections::HashMap;

use kernel::{Currency, Money, Scope};

use crate::Books;
use crate::entry::{EntryInput, LineInput};
use crate::error::{BooksError, Result};
use crate::model::{Entry, Journal};
use crate::write::LINES_MAX;

/// The largest opening-balances file taken.
pub const OPENING_CSV_BYTES_MAX: usize = 256 * 1024;

const HEADER: [&str; 4] = ["account_code", "currency", "debit", "credit"];

/// `rows[3].debit` for the fourth row's debit: rows count from 0 after the
/// header, as the lines of the entry they become.
fn row_field(row: usize, column: &str) -> String {
    format!("rows[{row}].{column}")
}

/// An amount cell: empty is zero, else a decimal in the currency's digits.
fn amount(row: usize, column: &str, text: &str, currency: Currency) -> Result<i64> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    Money::parse_decimal(text, currency)
        .map(|money| money.minor)
        .map_err(|error| {
            BooksError::invalid(row_field(row, column), "invalid_amount", error.to_string())
        })
}

/// The file's rows as the lines of one entry, accounts found by code.
fn lines_of(text: &str, accounts: &HashMap<String, crate::AccountId>) -> Result<Vec<LineInput>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|_| BooksError::invalid("file", "malformed", "a CSV file with a header row"))?;
    if header.iter().collect::<Vec<_>>() != HEADER {
        return Err(BooksError::invalid(
            "file",
            "wrong_header",
            format!("the header row is {}", HEADER.join(",")),
        ));
    }
    let mut lines = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|_| {
            BooksError::invalid(
                format!("rows[{row}]"),
                "malformed",
                "four cells: account_code,currency,debit,credit",
            )
        })?;
        if lines.len() == LINES_MAX {
            return Err(BooksError::invalid(
                "rows",
                "too_many",
                format!("at most {LINES_MAX} rows"),
            ));
        }
        let code = &record[0];
        let account_id = *accounts.get(code).ok_or_else(|| {
            BooksError::invalid(
                row_field(row, "account_code"),
                "unknown_account",
                "no account with this code in your chart",
            )
        })?;
        let currency: Currency = record[1].parse().map_err(|_| {
            BooksError::invalid(
                row_field(row, "currency"),
                "unknown_currency",
                "an ISO 4217 code such as CNY",
            )
        })?;
        lines.push(LineInput {
            account_id,
            currency,
            debit_minor: amount(row, "debit", &record[2], currency)?,
            credit_minor: amount(row, "credit", &record[3], currency)?,
            memo: String::new(),
        });
    }
    Ok(lines)
}

/// Names the row for a refusal that `import_entries` named by line.
fn as_row(error: BooksError) -> BooksError {
    match error {
        BooksError::Invalid {
            field,
            code,
            message,
        } => {
            let field = field
                .replacen("entries[0].lines[", "rows[", 1)
                .replacen("entries[0].lines", "rows", 1)
                .replace("].account_id", "].account_code")
                .replace("].debit_minor", "].debit")
                .replacen("entries[0].", "", 1);
            BooksError::Invalid {
                field,
                code,
                message,
            }
        }
        other => other,
    }
}

impl Books {
    /// Writes the file's opening balances as one posted entry dated `date`
    /// (`YYYY-MM-DD`), or refuses naming the row and column at fault and
    /// writes nothing.
    pub async fn import_opening_balances(
        &self,
        scope: &Scope,
        date: &str,
        csv_text: &str,
    ) -> Result<Entry> {
        if csv_text.len() > OPENING_CSV_BYTES_MAX {
            return Err(BooksError::invalid(
                "file",
                "too_large",
                format!("at most {OPENING_CSV_BYTES_MAX} bytes"),
            ));
        }
        let accounts: HashMap<String, crate::AccountId> = self
            .accounts(scope)
            .await?
            .into_iter()
            .map(|account| (account.code, account.id))
            .collect();
        let input = EntryInput {
            journal: Journal::General,
            date: date.to_owned(),
            memo: "期初余额 Opening balances".to_owned(),
            lines: lines_of(csv_text, &accounts)?,
            post: true,
        };
        let ids = self
            .import_entries(scope, std::slice::from_ref(&input))
            .await
            .map_err(as_row)?;
        let id = ids.first().copied().ok_or(BooksError::NotFound("entry"))?;
        self.entry(scope, id).await
    }
}
