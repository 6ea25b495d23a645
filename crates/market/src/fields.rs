//! Reading free text from members: trimmed, bounded, without control
//! characters (a newline is allowed where a text has paragraphs).

use crate::error::{MarketError, Result};

/// A one-line text that must not be empty.
pub fn required_line(field: &str, value: &str, chars_max: usize) -> Result<String> {
    let value = optional_line(field, value, chars_max)?;
    if value.is_empty() {
        return Err(MarketError::invalid(
            field,
            "required",
            "this field is required",
        ));
    }
    Ok(value)
}

/// A one-line text that may be empty.
pub fn optional_line(field: &str, value: &str, chars_max: usize) -> Result<String> {
    let value = value.trim();
    bounded(field, value, chars_max)?;
    if value.chars().any(char::is_control) {
        return Err(MarketError::invalid(
            field,
            "control_characters",
            "a single line without control characters",
        ));
    }
    Ok(value.to_owned())
}

/// A text of paragraphs: newlines and tabs are kept, other control
/// characters refused.
pub fn paragraphs(field: &str, value: &str, chars_max: usize) -> Result<String> {
    let value = value.trim().replace("\r\n", "\n");
    bounded(field, &value, chars_max)?;
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(MarketError::invalid(
            field,
            "control_characters",
            "text without control characters",
        ));
    }
    Ok(value)
}

fn bounded(field: &str, value: &str, chars_max: usize) -> Result<()> {
    if value.chars().count() > chars_max {
        return Err(MarketError::invalid(
            field,
            "too_long",
            format!("at most {chars_max} characters"),
        ));
    }
    Ok(())
}

/// A whole number in `range`.
pub fn number_in(field: &str, value: i64, range: std::ops::RangeInclusive<i64>) -> Result<i64> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(MarketError::invalid(
            field,
            "out_of_range",
            format!("between {} and {}", range.start(), range.end()),
        ))
    }
}
