//! Trade's background round: the sandbox carrier's clock and the settlement of
//! completed orders, run by every node beside the job runner.
//!
//! Settlement is a sweep, not a job: releasing escrow runs `pay`'s own
//! transactions, which a job handler cannot open while it holds SQLite's one
//! writer. Both steps are idempotent (a carrier event id is applied once, an
//! escrow already divided answers its split), so two nodes sweeping at once
//! do no harm.

use std::time::Duration;

use tokio::sync::watch;

use crate::Trade;

/// How often a node looks for parcels to move on and orders to settle.
pub const ROUND_INTERVAL: Duration = Duration::from_secs(1);

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub tracking_reported: usize,
    pub settled: usize,
}

impl Trade {
    /// One round: the sandbox carrier's due reports, then the settlements.
    /// A failure of one step is logged and the other still runs.
    pub async fn run_round_once(&self) -> Round {
        let mut round = Round::default();
        match self.sandbox_carrier_tick().await {
            Ok(reported) => round.tracking_reported = reported,
            Err(error) => tracing::error!(%error, "the sandbox carrier's round failed"),
        }
        match self.finish_settlements().await {
            Ok(settled) => round.settled = settled,
            Err(error) => tracing::error!(%error, "the settlement round failed"),
        }
        round
    }

    /// Runs rounds every [`ROUND_INTERVAL`] until `shutdown` turns true or its
    /// sender is dropped.
    pub async fn run_rounds(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            self.run_round_once().await;
            tokio::select! {
                _ = tokio::time::sleep(ROUND_INTERVAL) => {}
                changed = shutdown.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
            }
            if *shutdown.borrow() {
                return;
            }
        }
    }
}
