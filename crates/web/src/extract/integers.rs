//! Integral numbers written with a fraction or an exponent (`5.0`, `1e3`) are
//! rewritten as integers before a JSON body is read: to JSON Schema, and so to
//! the OpenAPI document, `5.0` is an integer, but serde reads it as a float and
//! refuses it where an `i64` is wanted. The rewrite works on the text, so it is
//! exact at any size; `12.5` stays as it is and is refused as before.

use std::borrow::Cow;

/// Digits an integer may have once written out; longer ones are left alone
/// (serde refuses them anyway), so `1e999999` cannot make a huge string.
const DIGITS_MAX: usize = 40;

/// `body` with every integral number literal outside strings written as an
/// integer; borrowed when there is none to rewrite.
pub fn integral_numbers(body: &[u8]) -> Cow<'_, [u8]> {
    let mut out: Option<Vec<u8>> = None;
    let mut index = 0;
    let mut in_string = false;
    while index < body.len() {
        let byte = body[index];
        if in_string {
            match byte {
                b'\\' => index += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else if byte == b'"' {
            in_string = true;
        } else if byte == b'-' || byte.is_ascii_digit() {
            let end = number_end(body, index);
            if let Some(integer) = as_integer(&body[index..end]) {
                let out = out.get_or_insert_with(|| body[..index].to_vec());
                out.extend_from_slice(integer.as_bytes());
            } else if let Some(out) = out.as_mut() {
                out.extend_from_slice(&body[index..end]);
            }
            index = end;
            continue;
        }
        if let Some(out) = out.as_mut() {
            // An escape's second byte is copied on the next round.
            out.push(byte);
            if in_string && byte == b'\\' && index < body.len() {
                out.push(body[index]);
            }
        }
        index += 1;
    }
    match out {
        Some(out) => Cow::Owned(out),
        None => Cow::Borrowed(body),
    }
}

fn number_end(body: &[u8], start: usize) -> usize {
    let mut end = start + 1;
    while end < body.len() && matches!(body[end], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') {
        end += 1;
    }
    end
}

/// The integer a literal with a fraction or exponent stands for, if it is one.
fn as_integer(literal: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(literal).ok()?;
    if !text.contains(['.', 'e', 'E']) {
        return None;
    }
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i32>().ok()?),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let well_formed = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && !(mantissa.contains('.') && fraction.is_empty());
    if !well_formed {
        return None;
    }
    // digits × 10^shift, with the fraction's trailing zeros dropped.
    let mut digits = format!("{whole}{fraction}");
    let mut shift = i64::from(exponent) - i64::try_from(fraction.len()).ok()?;
    while shift < 0 && digits.ends_with('0') {
        digits.pop();
        shift += 1;
    }
    if shift < 0 {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some("0".to_owned());
    }
    let zeros = usize::try_from(shift).ok()?;
    if digits.len() + zeros > DIGITS_MAX {
        return None;
    }
    let sign = if negative { "-" } else { "" };
    Some(format!("{sign}{digits}{}", "0".repeat(zeros)))
}

#[cfg(test)]
mod tests {
    use super::integral_numbers;

    #[track_caller]
    fn check(body: &str, expected: &str) {
        let rewritten = integral_numbers(body.as_bytes());
        assert_eq!(std::str::from_utf8(&rewritten).unwrap(), expected);
    }

    #[test]
    fn integral_literals_become_integers() {
        check(r#"{"a": 5.0}"#, r#"{"a": 5}"#);
        check(
            r#"[-14773623.0, 1e3, 1.50e1, 12.340E+3]"#,
            "[-14773623, 1000, 15, 12340]",
        );
        check("[0.0, -0.0, 0e5]", "[0, 0, 0]");
        check("[-4219117641724458.0]", "[-4219117641724458]");
        check("[9.223372036854776e18]", "[9223372036854776000]");
    }

    #[test]
    fn everything_else_stays() {
        for body in [
            r#"{"a": 12.5, "b": 1e-3, "c": 7, "d": -3}"#,
            r#"{"5.0": "1.0", "e": "a\"5.0\\", "f": [1e999999]}"#,
            "[1.]",
            "[.5]",
            "[--1.0]",
            "not json 2.0",
        ] {
            let rewritten = integral_numbers(body.as_bytes());
            if body.contains("not json") {
                assert_eq!(&*rewritten, b"not json 2");
            } else {
                assert_eq!(std::str::from_utf8(&rewritten).unwrap(), body);
            }
        }
    }

    #[test]
    fn strings_after_a_rewrite_are_copied_whole() {
        check(r#"[1.0, "x\"2.0\\", 3.0]"#, r#"[1, "x\"2.0\\", 3]"#);
    }
}
