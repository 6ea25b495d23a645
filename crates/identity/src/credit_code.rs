//! The unified social credit code (统一社会信用代码) of a Chinese organisation,
//! checked against its GB 32100-2015 check character.

use std::fmt;

/// The 31 characters a code may use: digits and capitals without I, O, S, V, Z.
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weight of each of the first 17 positions: 3^i mod 31.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A valid 18-character credit code. Only made by [`CreditCode::parse`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

/// Why a text is not a credit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("a credit code has 18 characters")]
    Length,
    #[error("a credit code uses digits and capital letters except I, O, S, V and Z")]
    Character,
    #[error("characters 3 to 8 of a credit code are the region's digits")]
    Region,
    #[error("the check character does not match; the code is mistyped")]
    CheckCharacter,
}

fn value_of(byte: u8) -> Option<u32> {
    CHARSET
        .iter()
        .position(|&c| c == byte)
        .map(|index| index as u32)
}

/// The check character for the first 17 characters, if they are all valid.
pub fn check_character(first_17: &str) -> Option<char> {
    if first_17.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (byte, weight) in first_17.bytes().zip(WEIGHTS) {
        sum += value_of(byte)? * weight;
    }
    let check = (31 - sum % 31) % 31;
    Some(CHARSET[check as usize] as char)
}

impl CreditCode {
    /// Accepts surrounding spaces and lower case, as people type them.
    pub fn parse(text: &str) -> Result<CreditCode, CreditCodeError> {
        let code = text.trim().to_ascii_uppercase();
        if code.chars().count() != 18 {
            return Err(CreditCodeError::Length);
        }
        if !code.bytes().all(|byte| value_of(byte).is_some()) {
            return Err(CreditCodeError::Character);
        }
        if !code[2..8].bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(CreditCodeError::Region);
        }
        if check_character(&code[..17]) != code[17..].chars().next() {
            return Err(CreditCodeError::CheckCharacter);
        }
        Ok(CreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(input: &str, expected: Result<&str, CreditCodeError>) {
        let parsed = CreditCode::parse(input);
        assert_eq!(
            parsed
                .as_ref()
                .map(CreditCode::as_str)
                .map_err(Clone::clone),
            expected,
            "{input:?}"
        );
    }

    #[test]
    fn known_codes() {
        // A published code of a Shenzhen company, and mistypings of it.
        check("91440300708461136T", Ok("91440300708461136T"));
        check(" 91440300708461136t ", Ok("91440300708461136T"));
        check("91440300708461136A", Err(CreditCodeError::CheckCharacter));
        check("91440300708416136T", Err(CreditCodeError::CheckCharacter));
        check("91440300708461136", Err(CreditCodeError::Length));
        check("9144030070846113OT", Err(CreditCodeError::Character));
        check("91AB0300708461136T", Err(CreditCodeError::Region));
    }

    proptest! {
        #[test]
        fn a_computed_check_character_always_validates(body in "[1-9Y][1-9][0-9]{6}[0-9A-HJ-NP-RT-UW-Y]{9}") {
            let check = check_character(&body).unwrap();
            let code = format!("{body}{check}");
            prop_assert!(CreditCode::parse(&code).is_ok());
        }

        #[test]
        fn changing_one_character_is_caught(body in "[1-9][1-9][0-9]{6}[0-9A-HJ-NP-RT-UW-Y]{9}", at in 0usize..17, replacement in 0usize..31) {
            let code = format!("{body}{}", check_character(&body).unwrap());
            let mut bytes = code.clone().into_bytes();
            prop_assume!(bytes[at] != CHARSET[replacement]);
            bytes[at] = CHARSET[replacement];
            let altered = String::from_utf8(bytes).unwrap();
            prop_assert!(CreditCode::parse(&altered).is_err());
        }

        #[test]
        fn any_text_is_answered_without_panic(text in ".{0,30}") {
            let _ = CreditCode::parse(&text);
        }
    }
}
