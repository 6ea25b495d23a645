//! The demo history's own clock: it starts about 120 days before the load and
//! is moved forward, never back, as the history is replayed, and never as far
//! as the real time of the load, so nothing in the demo lies in the future.

use std::sync::Arc;

use kernel::Clock as _;

/// How far back the history starts.
pub(super) const HISTORY_DAYS: i64 = 120;
pub(super) const SECONDS_PER_DAY: i64 = 24 * 3600;
const MICROS_PER_SECOND: i64 = 1_000_000;

/// The demo's own clock, moved forward through the history.
pub(super) struct HistoryClock {
    pub(super) clock: Arc<kernel::ManualClock>,
    /// Midnight UTC of the history's first day.
    first_day: kernel::Timestamp,
    /// The real time of the load: no step may happen at or after it.
    loaded_at: kernel::Timestamp,
}

impl HistoryClock {
    pub(super) fn starting_days_ago(loaded_at: kernel::Timestamp, days: i64) -> Self {
        let start = loaded_at.plus_seconds(-days * SECONDS_PER_DAY);
        let micros_per_day = SECONDS_PER_DAY * MICROS_PER_SECOND;
        let first_day = kernel::Timestamp::from_micros(
            start.micros() - start.micros().rem_euclid(micros_per_day),
        );
        HistoryClock {
            clock: Arc::new(kernel::ManualClock::new(first_day)),
            first_day,
            loaded_at,
        }
    }

    /// The clock as the services take it.
    pub(super) fn shared(&self) -> Arc<dyn kernel::Clock> {
        self.clock.clone()
    }

    /// The moment `hour_utc` on the history's day `day`.
    pub(super) fn at(&self, day: i64, hour_utc: i64) -> kernel::Timestamp {
        self.first_day
            .plus_seconds(day * SECONDS_PER_DAY + hour_utc * 3600)
    }

    /// The last moment the history reaches: a minute before the load.
    pub(super) fn end(&self) -> kernel::Timestamp {
        self.loaded_at.plus_seconds(-60)
    }

    /// Moves to the step's time. Never backwards: a step in the same hour as
    /// the end of the one before simply follows it.
    pub(super) fn move_to(&self, day: i64, hour_utc: i64) -> anyhow::Result<()> {
        self.move_to_instant(self.at(day, hour_utc))
            .map_err(|_| anyhow::anyhow!("the demo history reaches into the future (day {day})"))
    }

    /// Moves to `target`, or stays where it is if that has passed already.
    pub(super) fn move_to_instant(&self, target: kernel::Timestamp) -> anyhow::Result<()> {
        anyhow::ensure!(
            target < self.loaded_at,
            "the demo history reaches into the future ({target})"
        );
        let micros_ahead = target.micros() - self.clock.now().micros();
        if micros_ahead > 0 {
            // Whole seconds, rounded up, so a timer due at `target` is due.
            self.clock
                .advance_seconds((micros_ahead + MICROS_PER_SECOND - 1) / MICROS_PER_SECOND);
        }
        Ok(())
    }

    pub(super) fn pass_minutes(&self, minutes: i64) {
        self.clock.advance_seconds(minutes * 60);
    }
}
