//! The raw engine beside the books: the same entries and lines written into a
//! plain SQLite file with the books' own schema and Hanse's settings (WAL,
//! `synchronous=FULL`), through rusqlite's prepared statements, one
//! transaction a batch; and the trial balance's query timed there. What
//! Hanse adds on top (checks, numbering, the async driver) is the ratio.

use std::path::Path;
use std::time::{Duration, Instant};

use books::ReportRange;
use kernel::{CompanyId, Timestamp};

use super::generate::Batch;

pub struct RawRun {
    pub elapsed: Duration,
    pub report_samples: Vec<Duration>,
}

pub fn run(
    path: &Path,
    batches: &[Batch],
    big_company: CompanyId,
    ranges: &[ReportRange],
) -> anyhow::Result<RawRun> {
    let mut connection = rusqlite::Connection::open(path)?;
    connection.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536;",
    )?;
    for migration in books::migrations() {
        connection.execute_batch(migration.sql)?;
    }
    let now = kernel::Clock::now(&kernel::SystemClock).micros();
    let mut next_id: i64 = 1;
    let started = Instant::now();
    for batch in batches {
        let company = batch.scope.company_id().raw();
        let tx = connection.transaction()?;
        {
            let mut entry_insert = tx.prepare_cached(
                "INSERT INTO books_entry (company_id, id, entry_no, journal, entry_date, period, memo, state, source, order_id, reverses_id, reversed_by_id, posted_at, created_at, updated_at)
                 VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, '', NULL, NULL, NULL, ?8, ?9, ?9)",
            )?;
            let mut line_insert = tx.prepare_cached(
                "INSERT INTO books_line (company_id, entry_id, line_no, account_id, currency, debit_minor, credit_minor, memo, posted, entry_date, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
            )?;
            for entry in &batch.entries {
                let date = books::parse_date("date", &entry.date)?;
                let posted = entry.post;
                entry_insert.execute(rusqlite::params![
                    company,
                    next_id,
                    entry.journal.code(),
                    date.micros(),
                    books::period::period_of(date),
                    entry.memo,
                    if posted { "posted" } else { "draft" },
                    posted.then_some(now),
                    now,
                ])?;
                for (index, line) in entry.lines.iter().enumerate() {
                    line_insert.execute(rusqlite::params![
                        company,
                        next_id,
                        index as i64 + 1,
                        line.account_id.raw(),
                        line.currency.code(),
                        line.debit_minor,
                        line.credit_minor,
                        line.memo,
                        i64::from(posted),
                        date.micros(),
                        now,
                    ])?;
                }
                next_id += 1;
            }
        }
        tx.commit()?;
    }
    let elapsed = started.elapsed();
    let mut report_samples = Vec::with_capacity(ranges.len());
    let mut query = connection.prepare(
        "SELECT account_id, currency, SUM(debit_minor), SUM(credit_minor) FROM books_line
         WHERE company_id = ?1 AND posted = 1 AND entry_date >= ?2 AND entry_date < ?3
         GROUP BY account_id, currency",
    )?;
    for range in ranges {
        let started = Instant::now();
        let rows = query
            .query_map(
                rusqlite::params![
                    big_company.raw(),
                    range.from.map_or(i64::MIN, Timestamp::micros),
                    range.to.map_or(i64::MAX, Timestamp::micros)
                ],
                |row| row.get::<_, i64>(2),
            )?
            .collect::<Result<Vec<_>, _>>()?;
        std::hint::black_box(rows);
        report_samples.push(started.elapsed());
    }
    Ok(RawRun {
        elapsed,
        report_samples,
    })
}
