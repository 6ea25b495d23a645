//! The payment providers a deployment is configured with: none at all (a
//! network that moves no money in or out yet), the sandbox bank (test money,
//! for the demo and for trying Hanse), or real providers.

use std::sync::Arc;

use crate::error::{PayError, Result};
use crate::provider::PaymentProvider;
use crate::sandbox::SandboxBank;

/// The providers, in the order the configuration names them; the first is the
/// one new top-ups and withdrawals go through.
#[derive(Clone, Default)]
pub struct PaymentProviders {
    ordered: Vec<Arc<dyn PaymentProvider>>,
    /// The sandbox bank when it is one of them: its page and API exist only then.
    sandbox: Option<Arc<SandboxBank>>,
}

impl PaymentProviders {
    /// No provider: top-ups and withdrawals are refused with `NoProvider`.
    pub fn none() -> Self {
        PaymentProviders::default()
    }

    /// Adds the sandbox bank, which hands out test money.
    pub fn with_sandbox(mut self, bank: Arc<SandboxBank>) -> Self {
        self.ordered.push(bank.clone());
        self.sandbox = Some(bank);
        self
    }

    /// Adds a real provider.
    pub fn with(mut self, provider: Arc<dyn PaymentProvider>) -> Self {
        self.ordered.push(provider);
        self
    }

    /// The provider named `name`, e.g. in a webhook's URL.
    pub fn find(&self, name: &str) -> Result<&dyn PaymentProvider> {
        self.ordered
            .iter()
            .find(|provider| provider.name() == name)
            .map(|provider| provider.as_ref())
            .ok_or(PayError::NotFound("payment provider"))
    }

    /// The provider new top-ups and withdrawals go through.
    pub fn default_provider(&self) -> Result<&dyn PaymentProvider> {
        self.ordered
            .first()
            .map(|provider| provider.as_ref())
            .ok_or(PayError::NoProvider)
    }

    /// The sandbox bank, when it is configured.
    pub fn sandbox(&self) -> Option<&SandboxBank> {
        self.sandbox.as_deref()
    }

    /// The names, in order, for logs and `hanse config`.
    pub fn names(&self) -> Vec<&'static str> {
        self.ordered
            .iter()
            .map(|provider| provider.name())
            .collect()
    }
}
