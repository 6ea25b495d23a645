//! Limits on sign-in attempts, per account and per client address, so passwords
//! cannot be guessed at speed. In memory: each node limits on its own.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::{ApiError, ErrorCode};

/// Attempts per account per minute (a person mistyping gets several tries).
const PER_ACCOUNT_PER_MINUTE: u32 = 5;
/// Attempts per address per minute (an office behind one NAT signs in together).
const PER_ADDRESS_PER_MINUTE: u32 = 30;

pub struct SignInLimits {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
}

impl Default for SignInLimits {
    fn default() -> Self {
        let per_minute = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        SignInLimits {
            per_account: RateLimiter::keyed(per_minute(PER_ACCOUNT_PER_MINUTE)),
            per_address: RateLimiter::keyed(per_minute(PER_ADDRESS_PER_MINUTE)),
        }
    }
}

impl SignInLimits {
    /// Counts one attempt; refuses it when either limit is spent.
    pub fn check(&self, email: &str, address: IpAddr) -> Result<(), ApiError> {
        let account = email.trim().to_lowercase();
        let refused = self
            .per_address
            .check_key(&address)
            .and_then(|_| self.per_account.check_key(&account))
            .err();
        match refused {
            None => Ok(()),
            Some(not_until) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                Err(ApiError {
                    retry_after_seconds: Some(wait.as_secs().max(1)),
                    ..ApiError::new(
                        ErrorCode::RateLimited,
                        "too many sign-in attempts; wait a minute",
                    )
                })
            }
        }
    }
}
