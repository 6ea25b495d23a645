//! Tiered prices: which tier a quantity falls in, and the rules a list of
//! tiers must follow before it is stored.

use crate::error::{MarketError, Result};
use crate::model::PriceTier;

/// A product or quotation has at most this many tiers.
pub const TIERS_MAX: usize = 8;
/// The largest unit price, in minor units: a bound on typing mistakes.
pub const UNIT_PRICE_MINOR_MAX: i64 = 100_000_000_000;
/// The largest quantity anything is sold in.
pub const QUANTITY_MAX: i64 = 1_000_000_000;

/// The unit price when buying `quantity`: the tier with the largest minimum
/// at or below it. `None` below the first tier.
pub fn unit_price_at(tiers: &[PriceTier], quantity: i64) -> Option<i64> {
    tiers
        .iter()
        .rev()
        .find(|tier| tier.min_quantity <= quantity)
        .map(|tier| tier.unit_price_minor)
}

/// Checks tiers as a buyer would read them: ascending minimum quantities, the
/// first at `first_quantity` (the MOQ) when given, positive bounded prices
/// that do not rise with quantity.
pub fn validate_tiers(
    field: &str,
    tiers: &[PriceTier],
    first_quantity: Option<i64>,
) -> Result<Vec<PriceTier>> {
    if tiers.is_empty() {
        return Err(MarketError::invalid(
            field,
            "required",
            "at least one price tier is required",
        ));
    }
    if tiers.len() > TIERS_MAX {
        return Err(MarketError::invalid(
            field,
            "too_many",
            format!("at most {TIERS_MAX} price tiers"),
        ));
    }
    for (index, tier) in tiers.iter().enumerate() {
        if !(1..=QUANTITY_MAX).contains(&tier.min_quantity) {
            return Err(MarketError::invalid(
                format!("{field}[{index}].min_quantity"),
                "out_of_range",
                format!("between 1 and {QUANTITY_MAX}"),
            ));
        }
        if !(1..=UNIT_PRICE_MINOR_MAX).contains(&tier.unit_price_minor) {
            return Err(MarketError::invalid(
                format!("{field}[{index}].unit_price_minor"),
                "out_of_range",
                "a price above zero and below one billion",
            ));
        }
        if let Some(previous) = index.checked_sub(1).map(|i| tiers[i]) {
            if tier.min_quantity <= previous.min_quantity {
                return Err(MarketError::invalid(
                    format!("{field}[{index}].min_quantity"),
                    "not_ascending",
                    "each tier starts at a larger quantity than the one before",
                ));
            }
            if tier.unit_price_minor > previous.unit_price_minor {
                return Err(MarketError::invalid(
                    format!("{field}[{index}].unit_price_minor"),
                    "price_rises",
                    "a larger quantity may not cost more per unit",
                ));
            }
        }
    }
    if let Some(first) = first_quantity
        && tiers[0].min_quantity != first
    {
        return Err(MarketError::invalid(
            format!("{field}[0].min_quantity"),
            "first_tier_not_moq",
            "the first tier starts at the minimum order quantity",
        ));
    }
    Ok(tiers.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiers(pairs: &[(i64, i64)]) -> Vec<PriceTier> {
        pairs
            .iter()
            .map(|&(min_quantity, unit_price_minor)| PriceTier {
                min_quantity,
                unit_price_minor,
            })
            .collect()
    }

    #[test]
    fn a_quantity_gets_the_price_of_its_tier() {
        let tiers = tiers(&[(100, 1250), (500, 1100)]);
        assert_eq!(unit_price_at(&tiers, 99), None);
        assert_eq!(unit_price_at(&tiers, 100), Some(1250));
        assert_eq!(unit_price_at(&tiers, 499), Some(1250));
        assert_eq!(unit_price_at(&tiers, 500), Some(1100));
        assert_eq!(unit_price_at(&tiers, 1_000_000), Some(1100));
    }

    #[test]
    fn tiers_must_read_like_a_price_list() {
        let check = |pairs: &[(i64, i64)], moq: Option<i64>, expected: Option<&str>| {
            let result = validate_tiers("price_tiers", &tiers(pairs), moq);
            match (result, expected) {
                (Ok(_), None) => {}
                (Err(MarketError::Invalid { code, .. }), Some(expected)) => {
                    assert_eq!(code, expected, "{pairs:?}")
                }
                (other, expected) => panic!("{pairs:?}: {other:?}, expected {expected:?}"),
            }
        };
        check(&[(100, 1250), (500, 1100)], Some(100), None);
        check(&[], None, Some("required"));
        check(&[(100, 1250), (100, 1100)], None, Some("not_ascending"));
        check(&[(100, 1250), (500, 1300)], None, Some("price_rises"));
        check(&[(0, 1250)], None, Some("out_of_range"));
        check(&[(10, 0)], None, Some("out_of_range"));
        check(&[(50, 1250)], Some(100), Some("first_tier_not_moq"));
        check(&[(1, 9); 9], None, Some("too_many"));
    }
}
