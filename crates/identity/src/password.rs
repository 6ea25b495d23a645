//! Passwords: a length policy, and argon2id hashing with a per-hash salt.

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

/// Shorter passwords are refused; length matters more than character classes.
pub const PASSWORD_LENGTH_MIN: usize = 10;
/// Longer ones are refused too, so hashing cost stays bounded.
pub const PASSWORD_LENGTH_MAX: usize = 256;

/// How much work each hash costs.
#[derive(Debug, Clone, Copy)]
pub struct HashCost {
    memory_kib: u32,
    iterations: u32,
}

impl HashCost {
    /// OWASP's argon2id recommendation (19 MiB, 2 iterations, 1 lane).
    pub const PRODUCTION: HashCost = HashCost {
        memory_kib: 19 * 1024,
        iterations: 2,
    };
    /// The minimum argon2 allows: for tests and demo data only, where thousands
    /// of hashes would otherwise dominate the run.
    pub const FAST_INSECURE: HashCost = HashCost {
        memory_kib: 8,
        iterations: 1,
    };

    fn hasher(self) -> Argon2<'static> {
        let params = Params::new(self.memory_kib, self.iterations, 1, None).unwrap_or_default();
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }
}

/// A password that meets the policy. Only made by [`Password::parse`].
pub struct Password(String);

impl Password {
    pub fn parse(text: &str) -> Option<Password> {
        let length = text.chars().count();
        (PASSWORD_LENGTH_MIN..=PASSWORD_LENGTH_MAX)
            .contains(&length)
            .then(|| Password(text.to_owned()))
    }

    /// A PHC string (`$argon2id$v=19$...`) that records its own parameters.
    pub fn hash(&self, cost: HashCost) -> String {
        let salt = SaltString::generate(&mut OsRng);
        cost.hasher()
            .hash_password(self.0.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(..)")
    }
}

/// True when `candidate` matches the stored hash. The parameters come from the
/// hash, so hashes made with another cost still verify.
pub fn verify(candidate: &str, stored_hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored_hash) else {
        return false;
    };
    Argon2::default()
        .verify_password(candidate.as_bytes(), &parsed)
        .is_ok()
}

/// A hash to verify against when the account does not exist, so that a wrong
/// email takes as long as a wrong password and reveals nothing. Made once.
pub fn decoy_hash(cost: HashCost) -> String {
    Password("decoy-password-never-matches".to_owned()).hash(cost)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let password = Password::parse("correct horse battery").unwrap();
        let (a, b) = (
            password.hash(HashCost::FAST_INSECURE),
            password.hash(HashCost::FAST_INSECURE),
        );
        assert_ne!(a, b, "each hash has its own salt");
        assert!(a.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &a));
        assert!(!verify("correct horse batterY", &a));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn policy() {
        assert!(Password::parse("short").is_none());
        assert!(Password::parse(&"x".repeat(257)).is_none());
        assert!(
            Password::parse("长城长城长城长城长城").is_some(),
            "ten characters, not bytes"
        );
    }
}
