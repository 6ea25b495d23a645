//! Many entries at once, all or nothing: a journal brought over from another
//! system, a year of opening figures. Checked as a whole first (every entry
//! balanced, every account the company's own, every period open, every
//! currency the functional one or one with a rate), then
//! written in one transaction a few hundred rows per statement, so a batch
//! costs a handful of round trips instead of a dozen per entry.

use kernel::Scope;

use crate::entry::{EntryInput, new_entry_of};
use crate::error::{BooksError, Result};
use crate::functional::{RateSource, value_lines_in};
use crate::model::EntryId;
use crate::period::period_of;
use crate::rates::RatesKnown;
use crate::write::{EntryWrites, account_uses_in, check_account, locked_periods_in};
use crate::{Books, may_keep_books};

/// Entries one import takes at most.
pub const IMPORT_ENTRIES_MAX: usize = 5_000;

impl Books {
    /// Writes `inputs` as the company's next entries, in order, or refuses
    /// the whole batch naming the entry and field at fault
    /// (`entries[12].lines[1].account_id`) and writes nothing.
    pub async fn import_entries(
        &self,
        scope: &Scope,
        inputs: &[EntryInput],
    ) -> Result<Vec<EntryId>> {
        if !may_keep_books(scope.role()) {
            return Err(BooksError::Forbidden);
        }
        if inputs.is_empty() || inputs.len() > IMPORT_ENTRIES_MAX {
            return Err(BooksError::invalid(
                "entries",
                "out_of_range",
                format!("1 to {IMPORT_ENTRIES_MAX} entries"),
            ));
        }
        let mut entries = inputs
            .iter()
            .enumerate()
            .map(|(index, input)| new_entry_of(input, &format!("entries[{index}].")))
            .collect::<Result<Vec<_>>>()?;
        let company = scope.company_id();
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        crate::chart::open_books_in(&mut tx, company, crate::chart::CHART_DEFAULT, now).await?;
        let accounts = account_uses_in(&mut tx, company).await?;
        let locked = locked_periods_in(&mut tx, company).await?;
        let mut rates = RatesKnown::of_in(&mut tx, company).await?;
        for (index, entry) in entries.iter().enumerate() {
            let period = period_of(entry.date);
            if locked.contains(&period) {
                return Err(BooksError::PeriodLocked { period });
            }
            for (line_index, line) in entry.lines.iter().enumerate() {
                let field = || format!("entries[{index}].lines[{line_index}].currency");
                rates
                    .require_in(&mut tx, field, line.currency, entry.date)
                    .await?;
                check_account(
                    &format!("entries[{index}].lines[{line_index}].account_id"),
                    accounts.get(&line.account_id.raw()).cloned(),
                )?;
            }
        }
        value_lines_in(&mut tx, company, &mut entries, RateSource::Member).await?;
        let ids = EntryWrites::build(self.db.engine(), company, &entries, now)
            .run(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(ids)
    }
}
