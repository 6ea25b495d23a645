//! Journal entries: made by hand or posted automatically, checked to balance
//! per currency before anything is written, draft → posted, never changed
//! once posted (a reversal corrects it), and numbered per company.

use kernel::db::Tx;
use kernel::page::{Page, PageRequest};
use kernel::{CompanyId, Currency, Scope, Timestamp};
use serde::Deserialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{BooksError, Result};
use crate::model::{AccountId, Entry, EntryId, EntryLine, EntryState, Journal};
use crate::period::{first_open_date, is_locked, period_start};
use crate::rates::RatesKnown;
use crate::write::{
    NewEntry, NewLine, account_use, add_to_balances_in, check_account, check_balanced,
    insert_entry_in,
};
use crate::{Books, may_keep_books, may_view_books};

const MEMO_CHARS_MAX: usize = 500;

/// An entry as a member makes it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryInput {
    #[serde(default = "general")]
    pub journal: Journal,
    /// The entry's date, `YYYY-MM-DD`.
    pub date: String,
    #[serde(default)]
    pub memo: String,
    pub lines: Vec<LineInput>,
    /// Post at once; otherwise the entry stays a draft.
    #[serde(default)]
    pub post: bool,
}

fn general() -> Journal {
    Journal::General
}

/// One line as a member writes it: a debit or a credit.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = EntryLineInput)]
pub struct LineInput {
    pub account_id: AccountId,
    pub currency: Currency,
    #[serde(default)]
    pub debit_minor: i64,
    #[serde(default)]
    pub credit_minor: i64,
    #[serde(default)]
    pub memo: String,
}

/// Which entries a list shows.
#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    pub journal: Option<Journal>,
    pub period: Option<String>,
    pub order_id: Option<i64>,
}

/// An entry as the member wrote it, checked in itself (dates, memos, lines
/// that balance) before any account is looked at; `prefix` names the entry
/// in a batch (`entries[3].`), empty for one entry.
pub(crate) fn new_entry_of(input: &EntryInput, prefix: &str) -> Result<NewEntry> {
    let date = parse_date(&format!("{prefix}date"), &input.date)?;
    let memo_text = memo(&format!("{prefix}memo"), &input.memo)?;
    let mut lines = Vec::with_capacity(input.lines.len());
    for (index, line) in input.lines.iter().enumerate() {
        lines.push(NewLine {
            account_id: line.account_id,
            currency: line.currency,
            debit_minor: line.debit_minor,
            credit_minor: line.credit_minor,
            memo: memo(&format!("{prefix}lines[{index}].memo"), &line.memo)?,
            functional_minor: None,
            clears: None,
        });
    }
    check_balanced(&lines).map_err(|error| match error {
        BooksError::Invalid {
            field,
            code,
            message,
        } => BooksError::invalid(format!("{prefix}{field}"), code, message),
        other => other,
    })?;
    Ok(NewEntry {
        journal: input.journal,
        date,
        memo: memo_text,
        source: String::new(),
        order_id: None,
        reverses: None,
        lines,
        state: if input.post {
            EntryState::Posted
        } else {
            EntryState::Draft
        },
    })
}

fn memo(field: &str, text: &str) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > MEMO_CHARS_MAX || text.chars().any(char::is_control) {
        return Err(BooksError::invalid(
            field,
            "invalid",
            format!("at most {MEMO_CHARS_MAX} characters, one line"),
        ));
    }
    Ok(text.to_owned())
}

/// `YYYY-MM-DD` as the start of that day in UTC.
pub fn parse_date(field: &str, text: &str) -> Result<Timestamp> {
    let invalid = || BooksError::invalid(field, "invalid", "a date as YYYY-MM-DD");
    let (period, day) = text.rsplit_once('-').ok_or_else(invalid)?;
    let start = period_start(period).ok_or_else(invalid)?;
    if day.len() != 2 {
        return Err(invalid());
    }
    let day: u8 = day.parse().map_err(|_| invalid())?;
    let date = start
        .to_offset_date_time()
        .date()
        .replace_day(day)
        .map_err(|_| invalid())?;
    Ok(Timestamp::from_offset_date_time(
        time::OffsetDateTime::new_utc(date, time::Time::MIDNIGHT),
    ))
}

const ENTRY_COLUMNS: &str = "id, entry_no, journal, entry_date, period, memo, state, source, order_id, reverses_id, reversed_by_id";

fn entry_head(row: &AnyRow) -> Result<Entry> {
    let journal: String = row.try_get("journal")?;
    let state: String = row.try_get("state")?;
    Ok(Entry {
        id: EntryId::from_raw(row.try_get("id")?),
        entry_no: row.try_get("entry_no")?,
        journal: Journal::parse(&journal)
            .ok_or_else(|| kernel::StorageError::corrupt("journal", journal))?,
        date: Timestamp::from_micros(row.try_get("entry_date")?),
        period: row.try_get("period")?,
        memo: row.try_get("memo")?,
        state: if state == "posted" {
            EntryState::Posted
        } else {
            EntryState::Draft
        },
        source: row.try_get("source")?,
        order_id: row
            .try_get::<Option<i64>, _>("order_id")?
            .map(|raw| kernel::id::encode("ord", raw)),
        reverses: row
            .try_get::<Option<i64>, _>("reverses_id")?
            .map(EntryId::from_raw),
        reversed_by: row
            .try_get::<Option<i64>, _>("reversed_by_id")?
            .map(EntryId::from_raw),
        lines: Vec::new(),
    })
}

async fn lines_of(tx: &mut Tx, company: CompanyId, id: EntryId) -> Result<Vec<EntryLine>> {
    let rows = sqlx::query(
        "SELECT line_no, account_id, currency, debit_minor, credit_minor, memo, functional_minor FROM books_line
         WHERE company_id = $1 AND entry_id = $2 ORDER BY line_no",
    )
    .bind(company)
    .bind(id)
    .fetch_all(tx.conn())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(EntryLine {
                line_no: row.try_get("line_no")?,
                account_id: AccountId::from_raw(row.try_get("account_id")?),
                currency: crate::rows::currency(row)?,
                debit_minor: row.try_get("debit_minor")?,
                credit_minor: row.try_get("credit_minor")?,
                memo: row.try_get("memo")?,
                functional_minor: row.try_get("functional_minor")?,
            })
        })
        .collect()
}

pub(crate) async fn entry_in(tx: &mut Tx, company: CompanyId, id: EntryId) -> Result<Entry> {
    let row = sqlx::query(&format!(
        "SELECT {ENTRY_COLUMNS} FROM books_entry WHERE company_id = $1 AND id = $2"
    ))
    .bind(company)
    .bind(id)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(BooksError::NotFound("entry"))?;
    let mut entry = entry_head(&row)?;
    entry.lines = lines_of(tx, company, id).await?;
    Ok(entry)
}

impl Books {
    /// Makes an entry by hand, a draft or posted, or refuses with the field
    /// at fault and writes nothing.
    pub async fn create_entry(&self, scope: &Scope, input: &EntryInput) -> Result<Entry> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let new = new_entry_of(input, "")?;
        self.ensure_open(scope.company_id()).await?;
        let company = scope.company_id();
        let mut tx = self.db.begin().await?;
        let mut rates = RatesKnown::of_in(&mut tx, company).await?;
        for (index, line) in new.lines.iter().enumerate() {
            let field = || format!("lines[{index}].currency");
            rates
                .require_in(&mut tx, field, line.currency, new.date)
                .await?;
            let account = sqlx::query(
                "SELECT active, role FROM books_account WHERE company_id = $1 AND id = $2",
            )
            .bind(company)
            .bind(line.account_id)
            .fetch_optional(tx.conn())
            .await?
            .map(|row| account_use(&row))
            .transpose()?;
            check_account(&format!("lines[{index}].account_id"), account)?;
        }
        let id = insert_entry_in(&mut tx, company, new, self.clock.now())
            .await?
            .ok_or(BooksError::NotFound("entry"))?;
        let entry = entry_in(&mut tx, company, id).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// One entry with its lines.
    pub async fn entry(&self, scope: &Scope, id: EntryId) -> Result<Entry> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        // Read inside a transaction so the head and its lines agree.
        let mut tx = self.db.begin().await?;
        let entry = entry_in(&mut tx, scope.company_id(), id).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// Posts a draft: from now on it never changes.
    pub async fn post_entry(&self, scope: &Scope, id: EntryId) -> Result<Entry> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let company = scope.company_id();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let entry = entry_in(&mut tx, company, id).await?;
        if entry.state == EntryState::Posted {
            return Err(BooksError::state("already_posted", "the entry is posted"));
        }
        if is_locked(&mut tx, company, &entry.period).await? {
            return Err(BooksError::PeriodLocked {
                period: entry.period,
            });
        }
        sqlx::query(
            "UPDATE books_entry SET state = 'posted', posted_at = $1, updated_at = $1
             WHERE company_id = $2 AND id = $3 AND state = 'draft'",
        )
        .bind(now.micros())
        .bind(company)
        .bind(id)
        .execute(tx.conn())
        .await?;
        sqlx::query(
            "UPDATE books_line SET posted = 1, updated_at = $1 WHERE company_id = $2 AND entry_id = $3",
        )
        .bind(now.micros())
        .bind(company)
        .bind(id)
        .execute(tx.conn())
        .await?;
        let lines: Vec<NewLine> = entry
            .lines
            .iter()
            .map(|line| NewLine {
                account_id: line.account_id,
                currency: line.currency,
                debit_minor: line.debit_minor,
                credit_minor: line.credit_minor,
                memo: String::new(),
                functional_minor: Some(line.functional_minor),
                clears: None,
            })
            .collect();
        add_to_balances_in(
            &mut tx,
            company,
            std::iter::once((entry.period.clone(), lines.as_slice())),
            now,
        )
        .await?;
        let entry = entry_in(&mut tx, company, id).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// Deletes a draft; a posted entry stays (reverse it instead).
    pub async fn delete_draft(&self, scope: &Scope, id: EntryId) -> Result<()> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let company = scope.company_id();
        let mut tx = self.db.begin().await?;
        let entry = entry_in(&mut tx, company, id).await?;
        if entry.state == EntryState::Posted {
            return Err(BooksError::state(
                "posted_entry",
                "a posted entry never changes; reverse it",
            ));
        }
        // A draft's files go with it (a posted entry keeps its own).
        for table in ["books_attachment", "books_line"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE company_id = $1 AND entry_id = $2"
            ))
            .bind(company)
            .bind(id)
            .execute(tx.conn())
            .await?;
        }
        sqlx::query("DELETE FROM books_entry WHERE company_id = $1 AND id = $2")
            .bind(company)
            .bind(id)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Corrects a posted entry with its mirror image, dated `date` (today
    /// when `None`): debits become credits. An entry is reversed once.
    pub async fn reverse_entry(
        &self,
        scope: &Scope,
        id: EntryId,
        date: Option<&str>,
    ) -> Result<Entry> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let date = match date {
            Some(text) => parse_date("date", text)?,
            None => self.clock.now(),
        };
        let company = scope.company_id();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let original = entry_in(&mut tx, company, id).await?;
        if original.state != EntryState::Posted {
            return Err(BooksError::state(
                "not_posted",
                "a draft is deleted, not reversed",
            ));
        }
        if original.reversed_by.is_some() || original.reverses.is_some() {
            return Err(BooksError::state(
                "already_reversed",
                "the entry is a reversal or already reversed",
            ));
        }
        let new = NewEntry {
            journal: original.journal,
            date,
            memo: format!("Reversal of #{} {}", original.entry_no, original.memo)
                .trim()
                .to_owned(),
            source: String::new(),
            order_id: None,
            reverses: Some(original.id),
            lines: original
                .lines
                .iter()
                .map(|line| NewLine {
                    account_id: line.account_id,
                    currency: line.currency,
                    debit_minor: line.credit_minor,
                    credit_minor: line.debit_minor,
                    memo: line.memo.clone(),
                    // The mirror image, at the original's value.
                    functional_minor: Some(-line.functional_minor),
                    clears: None,
                })
                .collect(),
            state: EntryState::Posted,
        };
        let reversal = insert_entry_in(&mut tx, company, new, now)
            .await?
            .ok_or(BooksError::NotFound("entry"))?;
        sqlx::query(
            "UPDATE books_entry SET reversed_by_id = $1, updated_at = $2 WHERE company_id = $3 AND id = $4",
        )
        .bind(reversal)
        .bind(now.micros())
        .bind(company)
        .bind(id)
        .execute(tx.conn())
        .await?;
        let entry = entry_in(&mut tx, company, reversal).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// The company's entries in the order they were written, with their
    /// lines.
    pub async fn entries(
        &self,
        scope: &Scope,
        filter: &EntryFilter,
        page: PageRequest,
    ) -> Result<Page<Entry>> {
        if !may_view_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        let company = scope.company_id();
        let mut sql =
            format!("SELECT {ENTRY_COLUMNS} FROM books_entry WHERE company_id = $1 AND id > $2");
        let mut next = 3;
        if filter.journal.is_some() {
            sql.push_str(&format!(" AND journal = ${next}"));
            next += 1;
        }
        if filter.period.is_some() {
            sql.push_str(&format!(" AND period = ${next}"));
            next += 1;
        }
        if filter.order_id.is_some() {
            sql.push_str(&format!(" AND order_id = ${next}"));
            next += 1;
        }
        sql.push_str(&format!(" ORDER BY id LIMIT ${next}"));
        let mut query = sqlx::query(&sql).bind(company).bind(page.after_raw());
        if let Some(journal) = filter.journal {
            query = query.bind(journal.code());
        }
        if let Some(period) = &filter.period {
            query = query.bind(period.clone());
        }
        if let Some(order) = filter.order_id {
            query = query.bind(order);
        }
        let mut tx = self.db.begin().await?;
        let rows = query.bind(page.fetch_limit()).fetch_all(tx.conn()).await?;
        let mut entries = rows.iter().map(entry_head).collect::<Result<Vec<_>>>()?;
        for entry in &mut entries {
            entry.lines = lines_of(&mut tx, company, entry.id).await?;
        }
        tx.commit().await?;
        Ok(Page::from_rows(entries, page, |entry| entry.id.raw()))
    }

    /// Writes an automatic posting for `company`, opening its books first;
    /// the caller's transaction commits it with what caused it.
    pub(crate) async fn post_automatic_in(
        &self,
        tx: &mut Tx,
        company: CompanyId,
        mut new: NewEntry,
    ) -> Result<Option<EntryId>> {
        let now = self.clock.now();
        crate::chart::open_books_in(tx, company, crate::chart::CHART_DEFAULT, now).await?;
        new.date = first_open_date(tx, company, new.date).await?;
        insert_entry_in(tx, company, new, now).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::period_of;

    #[test]
    fn dates_are_days_of_real_months() {
        assert_eq!(
            period_of(parse_date("date", "2026-02-28").unwrap()),
            "2026-02"
        );
        for bad in ["2026-02-30", "2026-2-01", "2026-02-1", "x", "2026-13-01"] {
            assert!(parse_date("date", bad).is_err(), "{bad}");
        }
    }
}
