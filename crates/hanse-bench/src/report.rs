//! What a run measured, summarised: latency percentiles from the raw samples
//! (sorted, nearest rank, so no histogram crate and no bucket rounding), and
//! the one-line JSON summary that scripts compare between runs.

use std::time::Duration;

use serde::Serialize;

/// Percentiles of a set of latencies, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencySummary {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl LatencySummary {
    /// Summarises `samples`; all zero when there are none.
    pub fn from_samples(mut samples: Vec<Duration>) -> LatencySummary {
        samples.sort_unstable();
        LatencySummary {
            p50_ms: milliseconds(nearest_rank(&samples, 50.0)),
            p99_ms: milliseconds(nearest_rank(&samples, 99.0)),
            max_ms: milliseconds(samples.last().copied().unwrap_or_default()),
        }
    }
}

/// The smallest sample with at least `percent` of the samples at or below it.
fn nearest_rank(sorted_samples: &[Duration], percent: f64) -> Duration {
    if sorted_samples.is_empty() {
        return Duration::ZERO;
    }
    let rank = (percent / 100.0 * sorted_samples.len() as f64).ceil() as usize;
    sorted_samples[rank.clamp(1, sorted_samples.len()) - 1]
}

pub fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1_000.0
}

/// The last line of `hanse-bench ledger`: one JSON object, so a script can
/// take the final line of the output and compare runs.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerBenchSummary {
    pub engine: &'static str,
    pub accounts: usize,
    pub transfers: usize,
    pub concurrency: usize,
    pub batch: usize,
    pub group_max: usize,
    pub transfers_per_s: f64,
    pub load_s: f64,
    pub batch_p50_ms: f64,
    pub batch_p99_ms: f64,
    pub batch_max_ms: f64,
    pub ok: u64,
    pub refused: u64,
    pub check_ms: f64,
    pub balanced: bool,
}

impl LedgerBenchSummary {
    pub fn json_line(&self) -> anyhow::Result<String> {
        Ok(serde_json::to_string(self)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(samples_ms: &[u64], expected: (f64, f64, f64)) {
        let samples = samples_ms
            .iter()
            .map(|ms| Duration::from_millis(*ms))
            .collect();
        let summary = LatencySummary::from_samples(samples);
        assert_eq!((summary.p50_ms, summary.p99_ms, summary.max_ms), expected);
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        check(&[], (0.0, 0.0, 0.0));
        check(&[7], (7.0, 7.0, 7.0));
        check(&[4, 1, 3, 2], (2.0, 4.0, 4.0));
        check(&(1..=100).rev().collect::<Vec<_>>(), (50.0, 99.0, 100.0));
        check(&(1..=1_000).collect::<Vec<_>>(), (500.0, 990.0, 1_000.0));
    }
}
