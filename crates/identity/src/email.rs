//! An email address as Hanse accepts it: trimmed, lower-cased, one `@`, a dotted
//! domain, and short enough to store and mail.

use std::fmt;

/// The longest address accepted, as in RFC 5321.
const EMAIL_LENGTH_MAX: usize = 254;

/// A plausible, normalised email address. Only made by [`Email::parse`].
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Returns `None` for anything that cannot be an address.
    pub fn parse(text: &str) -> Option<Email> {
        let email = text.trim().to_lowercase();
        let (local, domain) = email.split_once('@')?;
        let well_formed = email.len() <= EMAIL_LENGTH_MAX
            && !local.is_empty()
            && local.len() <= 64
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !email
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c));
        well_formed.then_some(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(
            Email::parse("  Chen.Li@Yiwu-Thermos.CN ").unwrap().as_str(),
            "chen.li@yiwu-thermos.cn"
        );
        for bad in [
            "", "a", "a@b", "@b.cn", "a@.cn", "a@b.", "a b@c.cn", "a@b@c.cn", "a@b..cn", "<a@b.cn>",
        ] {
            assert!(Email::parse(bad).is_none(), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn parsed_addresses_are_stable(local in "[a-z0-9._+-]{1,20}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            let email = Email::parse(&format!("{local}@{domain}")).unwrap();
            prop_assert_eq!(Email::parse(email.as_str()), Some(email.clone()));
        }
    }
}
