//! Shared pieces of the identity tests: the service on a manual clock with a
//! mailer that keeps what it is given, and people and companies to act with.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use identity::mail::{MailError, Mailer, OutgoingMail};
use identity::{
    Company, CompanySize, HashCost, Identity, Industry, Language, NewCompany, NewUser, StaffMember,
    User,
};
use kernel::migrate::Migration;
use kernel::{Actor, Clock, Db, ManualClock, PageRequest, Role, Scope, Timestamp};

/// 2026-01-01T00:00:00Z, where every test's clock starts.
pub const START_MICROS: i64 = 1_767_225_600_000_000;
pub const DAY_SECONDS: i64 = 24 * 3600;
pub const PASSWORD: &str = "correct horse battery";

/// Expects `Err` matching the pattern, and shows what came instead.
macro_rules! assert_err {
    ($result:expr, $pattern:pat $(if $guard:expr)? $(,)?) => {
        match $result {
            Err($pattern) $(if $guard)? => {}
            other => panic!("expected Err({}), got {:?}", stringify!($pattern), other),
        }
    };
}
pub(crate) use assert_err;

/// Expects `IdentityError::Invalid` about `field`.
pub fn assert_invalid<T: std::fmt::Debug>(result: identity::Result<T>, field: &str) {
    assert_err!(result, identity::IdentityError::Invalid { field: actual, .. } if actual == field);
}

pub fn migrations() -> Vec<Migration> {
    [kernel::migrate::kernel_migrations(), identity::migrations()].concat()
}

/// Keeps every mail instead of sending it.
#[derive(Default)]
pub struct RecordingMailer {
    pub sent: Mutex<Vec<OutgoingMail>>,
}

#[async_trait::async_trait]
impl Mailer for RecordingMailer {
    async fn send(&self, mail: OutgoingMail) -> Result<(), MailError> {
        self.sent.lock().unwrap().push(mail);
        Ok(())
    }
}

/// The identity service under test, with the clock and mailer it was given.
pub struct TestIdentity {
    pub identity: Identity,
    pub db: Db,
    pub clock: Arc<ManualClock>,
    pub mailer: Arc<RecordingMailer>,
}

impl std::ops::Deref for TestIdentity {
    type Target = Identity;

    fn deref(&self) -> &Identity {
        &self.identity
    }
}

impl TestIdentity {
    pub fn new(db: &Db) -> TestIdentity {
        let clock = Arc::new(ManualClock::new(Timestamp::from_micros(START_MICROS)));
        let mailer = Arc::new(RecordingMailer::default());
        let identity = Identity::new(
            db.clone(),
            clock.clone() as Arc<dyn Clock>,
            mailer.clone() as Arc<dyn Mailer>,
            HashCost::FAST_INSECURE,
            "http://127.0.0.1:8080".into(),
        );
        TestIdentity {
            identity,
            db: db.clone(),
            clock,
            mailer,
        }
    }

    pub fn advance_days(&self, days: i64) {
        self.clock.advance_seconds(days * DAY_SECONDS);
    }

    pub async fn sign_up_as(&self, email: &str) -> User {
        self.sign_up(&new_user(email)).await.expect("sign up")
    }

    /// Registers a Chinese company, with a credit code of its own, owned by `owner`;
    /// returns it with the owner's scope.
    pub async fn register(&self, owner: &User, legal_name: &str) -> (Company, Scope) {
        let company = self
            .register_company(owner.id, &chinese_company(legal_name, &next_credit_code()))
            .await
            .expect("register company");
        let scope = user_scope(&company, owner, Role::Owner);
        (company, scope)
    }

    /// Invites `email` into `role`, signs the person up and accepts; returns the
    /// person and their scope in the company.
    pub async fn join(&self, inviter: &Scope, email: &str, role: Role) -> (User, Scope) {
        let (_, secret) = self.invite(inviter, email, role).await.expect("invite");
        let person = self.sign_up_as(email).await;
        let company_id = self
            .accept_invitation(person.id, &secret)
            .await
            .expect("accept");
        assert_eq!(company_id, inviter.company_id());
        let scope = Scope::new(company_id, Actor::User(person.id), role);
        (person, scope)
    }

    /// The company's staff as (email, role), in the order they joined.
    pub async fn staff_roles(&self, scope: &Scope) -> Vec<(String, Role)> {
        let page = self
            .staff(scope, PageRequest::first())
            .await
            .expect("staff list");
        page.items
            .into_iter()
            .map(|member| (member.email, member.role))
            .collect()
    }

    pub async fn member(&self, scope: &Scope, email: &str) -> StaffMember {
        let page = self
            .staff(scope, PageRequest::first())
            .await
            .expect("staff list");
        page.items
            .into_iter()
            .find(|member| member.email == email)
            .expect("on the staff")
    }

    /// The secret of the last invitation mailed to `email`, read from its link.
    pub fn mailed_invitation_secret(&self, email: &str) -> String {
        let sent = self.mailer.sent.lock().unwrap();
        let mail = sent
            .iter()
            .rev()
            .find(|mail| mail.to == email)
            .expect("an invitation mail");
        let link_start = mail
            .body
            .find("http://127.0.0.1:8080/invitations/")
            .expect("a link in the mail");
        let link = mail.body[link_start..].split_whitespace().next().unwrap();
        link.rsplit('/').next().unwrap().to_owned()
    }

    /// `SELECT COUNT(*) AS n FROM {table}`.
    pub async fn count(&self, table: &str) -> i64 {
        let row = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .fetch_one(self.db.reader())
            .await
            .expect("count rows");
        sqlx::Row::get(&row, "n")
    }
}

pub fn user_scope(company: &Company, user: &User, role: Role) -> Scope {
    Scope::new(company.id, Actor::User(user.id), role)
}

/// A valid sign-up for `email`.
pub fn new_user(email: &str) -> NewUser {
    NewUser {
        email: email.to_owned(),
        password: PASSWORD.to_owned(),
        display_name: "Chen Li".to_owned(),
        mobile: Some("+86 138 0013 8000".to_owned()),
        language: Language::ZhCn,
        time_zone: "Asia/Shanghai".to_owned(),
    }
}

/// A company registered in China, which must give its credit code.
pub fn chinese_company(legal_name: &str, credit_code: &str) -> NewCompany {
    NewCompany {
        legal_name: legal_name.to_owned(),
        credit_code: Some(credit_code.to_owned()),
        registration_number: None,
        country: "CN".to_owned(),
        region: "浙江省".to_owned(),
        city: "义乌市".to_owned(),
        address: "稠州北路 1 号".to_owned(),
        industry: Industry::SmallCommodities,
        size: CompanySize::Small,
    }
}

/// A company registered in Germany, which gives a registration number instead.
pub fn german_company(legal_name: &str) -> NewCompany {
    NewCompany {
        legal_name: legal_name.to_owned(),
        credit_code: None,
        registration_number: Some("HRB 12345".to_owned()),
        country: "DE".to_owned(),
        region: "Hamburg".to_owned(),
        city: "Hamburg".to_owned(),
        address: "Großer Burstah 1".to_owned(),
        industry: Industry::Wholesale,
        size: CompanySize::Medium,
    }
}

/// The 17 characters before the check character, followed by the right one.
pub fn credit_code(first_17: &str) -> String {
    let check = identity::credit_code::check_character(first_17).expect("17 valid characters");
    format!("{first_17}{check}")
}

/// A valid credit code no earlier call returned.
pub fn next_credit_code() -> String {
    static SERIAL: AtomicU32 = AtomicU32::new(0);
    credit_code(&format!(
        "91330782MA2H{:05}",
        SERIAL.fetch_add(1, Ordering::Relaxed)
    ))
}
