//! A pay service on a fresh database, and members to act as.

use std::sync::Arc;

use kernel::{
    Actor, Clock, CompanyId, Currency, Db, ManualClock, Money, Role, Scope, SystemClock, UserId,
};
use ledger::{GroupCommitOptions, Ledger};
use pay::{Pay, PaymentProviders, SandboxBank};

pub fn migrations() -> Vec<kernel::migrate::Migration> {
    [
        kernel::migrate::kernel_migrations(),
        ledger::migrations(),
        pay::migrations(),
    ]
    .concat()
}

/// The service with the sandbox bank as its one provider.
pub fn service(db: &Db) -> (Pay, Arc<ManualClock>) {
    service_with(db, |db, clock| {
        PaymentProviders::none()
            .with_sandbox(Arc::new(SandboxBank::with_random_secret(db.clone(), clock)))
    })
}

/// The service over the providers `providers` makes.
pub fn service_with(
    db: &Db,
    providers: impl FnOnce(&Db, Arc<dyn Clock>) -> PaymentProviders,
) -> (Pay, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let dyn_clock: Arc<dyn Clock> = clock.clone();
    let ledger = Ledger::start(db.clone(), dyn_clock.clone(), GroupCommitOptions::default());
    let providers = providers(db, dyn_clock.clone());
    (Pay::new(db.clone(), dyn_clock, ledger, providers), clock)
}

pub fn member(role: Role) -> Scope {
    Scope::new(CompanyId::new(), Actor::User(UserId::new()), role)
}

pub fn cny(yuan: i64) -> Money {
    Money::new(yuan * 100, Currency::CNY)
}

/// Tops the wallet up through the sandbox bank, confirming at once.
pub async fn fund(pay: &Pay, scope: &Scope, amount: Money) {
    let top_up = pay.start_top_up(scope, amount).await.unwrap();
    let viewer = pay::sandbox::SandboxViewer::of(scope);
    let page = pay
        .sandbox_operations(viewer, kernel::PageRequest::first())
        .await
        .unwrap();
    let operation = page
        .items
        .iter()
        .find(|op| op.reference == top_up.id.to_string())
        .unwrap();
    pay.sandbox_settle(viewer, operation.id, true)
        .await
        .unwrap();
}

pub async fn available(pay: &Pay, scope: &Scope, currency: Currency) -> (i64, i64) {
    let balances = pay.balances(scope).await.unwrap();
    balances
        .iter()
        .find(|b| b.currency == currency)
        .map_or((0, 0), |b| (b.available.minor, b.reserved.minor))
}
