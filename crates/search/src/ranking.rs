//! How a product's place in the results is decided: text relevance combined
//! with the supplier's quality score, in one function so the formula that
//! trust and ads feed into is written down once.

/// How much the supplier's quality can lift relevance: at quality 1 a
/// product ranks as if its text matched 1.5 times as well.
pub(crate) const QUALITY_WEIGHT: f64 = 0.5;

/// The ranking score of a product: `text × (1 + QUALITY_WEIGHT × quality)`.
///
/// `text_score` is tantivy's BM25 score (title matches boosted), or `None`
/// when the search has no text, in which case every product matches equally
/// (a text score of 1) and quality alone orders them. Multiplying rather
/// than adding keeps quality a tie-breaker among comparable text matches: a
/// good supplier cannot push an unrelated product above a close match,
/// whatever the scale of BM25 scores for the query. `quality` is clamped to
/// 0..=1 so a bad feed cannot outweigh the text.
pub(crate) fn ranking_score(text_score: Option<f32>, quality: f64) -> f32 {
    let text = text_score.map_or(1.0, f64::from).max(0.0);
    let quality = if quality.is_nan() {
        0.0
    } else {
        quality.clamp(0.0, 1.0)
    };
    (text * (1.0 + QUALITY_WEIGHT * quality)) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text_score: Option<f32>, quality: f64, expected: f32) {
        let score = ranking_score(text_score, quality);
        assert!(
            (score - expected).abs() < 1e-6,
            "{text_score:?} at quality {quality}: {score}, expected {expected}"
        );
    }

    #[test]
    fn quality_lifts_the_text_score_by_at_most_half() {
        check(Some(2.0), 0.0, 2.0);
        check(Some(2.0), 1.0, 3.0);
        check(Some(2.0), 0.5, 2.5);
        check(None, 0.0, 1.0);
        check(None, 1.0, 1.5);
        check(Some(2.0), 7.0, 3.0);
        check(Some(2.0), -1.0, 2.0);
        check(Some(2.0), f64::NAN, 2.0);
        check(Some(-3.0), 1.0, 0.0);
    }
}
