//! Checks of the fields members type: names, codes, quantities.

use crate::error::{Result, ScmError};

/// A name or code: trimmed, not empty, at most `max` characters, no control
/// characters.
pub(crate) fn required_text(field: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ScmError::invalid(field, "required", "required"));
    }
    optional_text(field, value, max)
}

/// Free text such as a note: at most `max` characters, no control
/// characters but line breaks.
pub(crate) fn optional_text(field: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(ScmError::invalid(
            field,
            "too_long",
            format!("at most {max} characters"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        return Err(ScmError::invalid(field, "invalid", "no control characters"));
    }
    Ok(value.to_owned())
}

/// A quantity of at least one, and at most [`crate::QUANTITY_MAX`].
pub(crate) fn positive_quantity(field: &str, quantity: i64) -> Result<i64> {
    if quantity <= 0 || quantity > crate::QUANTITY_MAX {
        return Err(ScmError::invalid(
            field,
            "out_of_range",
            format!("a whole number from 1 to {}", crate::QUANTITY_MAX),
        ));
    }
    Ok(quantity)
}

/// A quantity of zero or more, and at most [`crate::QUANTITY_MAX`].
pub(crate) fn quantity_or_zero(field: &str, quantity: i64) -> Result<i64> {
    if quantity == 0 {
        return Ok(0);
    }
    positive_quantity(field, quantity)
}

/// A list of `field` (lines, moves) holding from 1 to `max` entries.
pub(crate) fn entry_count(field: &str, count: usize, max: usize) -> Result<()> {
    if count == 0 || count > max {
        return Err(ScmError::invalid(
            field,
            "out_of_range",
            format!("from 1 to {max} {field}"),
        ));
    }
    Ok(())
}
