//! The demo network: a platform operator and about twenty member companies from
//! China and abroad, each with its staff, so that a newcomer who starts Hanse for
//! the first time has suppliers and buyers to sign in as and trade with.
//!
//! Loading is idempotent: people are found by email and companies by legal name,
//! and only what is missing is made, so the demo may be loaded again after an
//! interrupted first run without anyone appearing twice.
//!
//! [`load_network`] loads the whole network: the people and companies here,
//! then the catalog (`demo/catalog.rs`), then four months of history replayed
//! on a clock of their own (`demo/replay.rs`): the wallets' top-ups and
//! withdrawals (`demo/money.rs`) and the orders in every state
//! (`demo/orders.rs`, planned in `demo/orders.toml`), on the Chinese
//! suppliers' stock received at its start (`demo/stock.rs`).

mod catalog;
mod clock;
mod companies;
mod company_names;
mod invoices;
mod money;
mod opening;
mod orders;
mod replay;
mod stock;

use anyhow::Context as _;
use kernel::{Actor, Role, Scope};

pub use catalog::{CatalogSummary, load_catalog};
pub use companies::DEMO_COMPANIES;
pub use money::MoneySummary;
pub use orders::OrdersSummary;

/// What a load of the whole demo network found and made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NetworkSummary {
    pub people: DemoSummary,
    pub catalog: CatalogSummary,
    pub money: MoneySummary,
    pub orders: OrdersSummary,
}

impl NetworkSummary {
    /// Everything this load made; zero when the demo was complete already.
    pub fn created(&self) -> usize {
        self.people.created + self.catalog.created + self.money.created + self.orders.created
    }
}

/// Loads the whole demo network: people and companies, their catalog and
/// buying requests, then four months of money and orders. The outbox is
/// delivered between, since storefronts open when identity's
/// `CompanyRegistered` reaches the market.
pub async fn load_network(services: &web::Services) -> anyhow::Result<NetworkSummary> {
    let people = load(&services.identity).await?;
    deliver_outbox(services).await?;
    let catalog = load_catalog(&services.market, &services.identity, services.clock.now()).await?;
    let (money, orders) = replay::load_history(services).await?;
    Ok(NetworkSummary {
        people,
        catalog,
        money,
        orders,
    })
}

/// Hands every event committed so far to every module's subscribers.
async fn deliver_outbox(services: &web::Services) -> anyhow::Result<()> {
    let round = kernel::outbox::Dispatcher::new(
        services.db.clone(),
        services.clock.clone(),
        services.subscribers(),
    )
    .run_once()
    .await
    .context("cannot deliver the outbox")?;
    anyhow::ensure!(
        round.failed_subscribers == 0,
        "a subscriber failed on the demo's events; see the log"
    );
    Ok(())
}

/// The password of every demo account. It is published in the README, which is
/// why a database holding the demo must never hold real business.
pub const DEMO_PASSWORD: &str = "hanse-demo-2026";
/// The platform operator, who verifies members and arbitrates disputes.
pub const DEMO_OPERATOR_EMAIL: &str = "operator@hanse.demo";
/// Ms Chen Li (陈丽), owner of the Yiwu thermos-flask maker: the README's supplier.
pub const DEMO_SUPPLIER_EMAIL: &str = "chen.li@hengxin-thermos.demo";
/// Mr Thomas Vogel, owner of the Hamburg housewares importer: the README's buyer.
pub const DEMO_BUYER_EMAIL: &str = "thomas.vogel@vogel-haushalt.demo";

const DEMO_OPERATOR_DISPLAY_NAME: &str = "Hanse 运营 / Operations";
/// The operations team sits in China, like most of the suppliers it verifies.
const DEMO_OPERATOR_TIME_ZONE: &str = "Asia/Shanghai";

/// A member company of the demo network, as written in the static table.
pub struct DemoCompany {
    pub legal_name: &'static str,
    /// The first 17 characters of the unified social credit code, for companies
    /// registered in China. The 18th, the check character, is computed so that a
    /// typing slip in the table cannot produce a code the platform would refuse.
    pub credit_code_body: Option<&'static str>,
    /// The registration number outside China, e.g. `HRB 158423`.
    pub registration_number: Option<&'static str>,
    pub country: &'static str,
    pub region: &'static str,
    pub city: &'static str,
    pub address: &'static str,
    pub industry: identity::Industry,
    pub size: identity::CompanySize,
    /// The language of everyone on the staff; the pages follow it.
    pub language: identity::Language,
    /// The time zone of everyone on the staff.
    pub time_zone: &'static str,
    /// Exactly one owner, who registers the company; the others join by invitation.
    pub staff: &'static [DemoPerson],
}

/// A person on a demo company's staff.
pub struct DemoPerson {
    pub email: &'static str,
    pub display_name: &'static str,
    pub mobile: Option<&'static str>,
    pub role: Role,
}

/// What a load of the demo network found and made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    /// Member companies in the demo network.
    pub companies: usize,
    /// Demo accounts: every company's staff and the operator.
    pub people: usize,
    /// People and companies made by this load; zero when the demo was already complete.
    pub created: usize,
}

impl DemoCompany {
    /// The full credit code, with its GB 32100 check character, or `None` for a
    /// company registered outside China.
    pub fn credit_code(&self) -> anyhow::Result<Option<String>> {
        let Some(body) = self.credit_code_body else {
            return Ok(None);
        };
        let check = identity::credit_code::check_character(body)
            .with_context(|| format!("the credit code body {body:?} is not 17 valid characters"))?;
        Ok(Some(format!("{body}{check}")))
    }

    /// The one owner, who registers the company and invites the others.
    pub fn owner(&self) -> anyhow::Result<&DemoPerson> {
        let mut owners = self
            .staff
            .iter()
            .filter(|person| person.role == Role::Owner);
        match (owners.next(), owners.next()) {
            (Some(owner), None) => Ok(owner),
            _ => anyhow::bail!("a demo company needs exactly one owner"),
        }
    }

    fn new_company(&self) -> anyhow::Result<identity::NewCompany> {
        Ok(identity::NewCompany {
            legal_name: self.legal_name.to_owned(),
            credit_code: self.credit_code()?,
            registration_number: self.registration_number.map(str::to_owned),
            country: self.country.to_owned(),
            region: self.region.to_owned(),
            city: self.city.to_owned(),
            address: self.address.to_owned(),
            industry: self.industry,
            size: self.size,
        })
    }
}

/// Loads the demo network, making only the people, companies and staff places
/// that are missing. Running it again changes nothing.
pub async fn load(identity: &identity::Identity) -> anyhow::Result<DemoSummary> {
    let mut created = 0;
    if ensure_operator(identity)
        .await
        .context("the demo operator")?
    {
        created += 1;
    }
    for demo_company in DEMO_COMPANIES {
        created += ensure_company(identity, demo_company)
            .await
            .with_context(|| format!("the demo company {}", demo_company.legal_name))?;
    }
    let summary = DemoSummary {
        companies: DEMO_COMPANIES.len(),
        people: 1 + DEMO_COMPANIES
            .iter()
            .map(|demo_company| demo_company.staff.len())
            .sum::<usize>(),
        created,
    };
    tracing::info!(
        demo.companies = summary.companies,
        demo.people = summary.people,
        demo.created = summary.created,
        "demo network loaded"
    );
    Ok(summary)
}

/// Makes the operator account if it is missing; true if it was made.
async fn ensure_operator(identity: &identity::Identity) -> anyhow::Result<bool> {
    if let Some(operator) = identity.user_by_email(DEMO_OPERATOR_EMAIL).await? {
        if !operator.is_operator {
            // Someone signed up with the operator's address as a member; making
            // them operator here would hand out the platform's keys, so only warn.
            tracing::warn!(user.id = %operator.id, "the demo operator's email belongs to a member account");
        }
        return Ok(false);
    }
    let new_operator = identity::NewUser {
        email: DEMO_OPERATOR_EMAIL.to_owned(),
        password: DEMO_PASSWORD.to_owned(),
        display_name: DEMO_OPERATOR_DISPLAY_NAME.to_owned(),
        mobile: None,
        language: identity::Language::ZhCn,
        time_zone: DEMO_OPERATOR_TIME_ZONE.to_owned(),
    };
    match identity.create_operator(&new_operator).await {
        Ok(_) => Ok(true),
        // Another load running at the same moment made it first.
        Err(identity::IdentityError::EmailTaken) => Ok(false),
        Err(error) => Err(error.into()),
    }
}

/// Makes the company, its people and their staff places where missing; returns
/// how many people and companies it made.
async fn ensure_company(
    identity: &identity::Identity,
    demo_company: &DemoCompany,
) -> anyhow::Result<usize> {
    let mut created = 0;
    let demo_owner = demo_company.owner()?;
    let (owner, owner_is_new) = ensure_person(identity, demo_company, demo_owner).await?;
    created += usize::from(owner_is_new);

    let company = match identity
        .company_by_legal_name(demo_company.legal_name)
        .await?
    {
        Some(company) => {
            // A company of this name that the demo owner does not own belongs to
            // a real member; the demo must not put its people on that staff.
            if identity.role_in(owner.id, company.id).await? != Some(Role::Owner) {
                tracing::warn!(
                    company.id = %company.id,
                    company.legal_name = demo_company.legal_name,
                    "a company of the demo's name exists without the demo owner; its demo staff are left out"
                );
                return Ok(created);
            }
            company
        }
        None => {
            let company = identity
                .register_company(owner.id, &demo_company.new_company()?)
                .await?;
            created += 1;
            company
        }
    };

    // Staff join the way real staff do, by an invitation the owner sends, so the
    // demo also leaves the invitation mails and the StaffJoined events behind.
    let owner_scope = Scope::new(company.id, Actor::User(owner.id), Role::Owner);
    for demo_person in demo_company
        .staff
        .iter()
        .filter(|person| person.role != Role::Owner)
    {
        let (user, user_is_new) = ensure_person(identity, demo_company, demo_person).await?;
        created += usize::from(user_is_new);
        if identity.role_in(user.id, company.id).await?.is_some() {
            continue;
        }
        let (_invitation, secret) = identity
            .invite(&owner_scope, demo_person.email, demo_person.role)
            .await
            .with_context(|| format!("inviting {}", demo_person.email))?;
        identity
            .accept_invitation(user.id, &secret)
            .await
            .with_context(|| format!("{} accepting the invitation", demo_person.email))?;
    }
    Ok(created)
}

/// The person's account, made if missing; true if it was made now. An existing
/// account is left as it is, password included, since its owner may have changed it.
async fn ensure_person(
    identity: &identity::Identity,
    demo_company: &DemoCompany,
    demo_person: &DemoPerson,
) -> anyhow::Result<(identity::User, bool)> {
    if let Some(user) = identity.user_by_email(demo_person.email).await? {
        return Ok((user, false));
    }
    let new_user = identity::NewUser {
        email: demo_person.email.to_owned(),
        password: DEMO_PASSWORD.to_owned(),
        display_name: demo_person.display_name.to_owned(),
        mobile: demo_person.mobile.map(str::to_owned),
        language: demo_company.language,
        time_zone: demo_company.time_zone.to_owned(),
    };
    match identity.sign_up(&new_user).await {
        Ok(user) => Ok((user, true)),
        // Another load running at the same moment made the account first.
        Err(identity::IdentityError::EmailTaken) => {
            let user = identity
                .user_by_email(demo_person.email)
                .await?
                .with_context(|| format!("{} is taken but cannot be found", demo_person.email))?;
            Ok((user, false))
        }
        Err(error) => {
            Err(anyhow::Error::from(error).context(format!("signing up {}", demo_person.email)))
        }
    }
}

/// The most items read while counting one demo list; the demo makes far
/// fewer, so reaching it means a bug, not a big network.
const COUNTED_ITEMS_MAX: usize = 10_000;

/// All items of a paginated list of any module, up to [`COUNTED_ITEMS_MAX`].
async fn every_page<T, E, Fetched>(
    mut fetch_page: impl FnMut(kernel::PageRequest) -> Fetched,
) -> anyhow::Result<Vec<T>>
where
    Fetched: std::future::Future<Output = Result<kernel::Page<T>, E>>,
    E: std::error::Error + Send + Sync + 'static,
{
    let mut items = Vec::new();
    let mut after = None;
    loop {
        let page = fetch_page(kernel::PageRequest::new(
            after,
            Some(kernel::page::PAGE_SIZE_MAX),
        ))
        .await?;
        items.extend(page.items);
        anyhow::ensure!(
            items.len() <= COUNTED_ITEMS_MAX,
            "more than {COUNTED_ITEMS_MAX} items in one demo list"
        );
        match page.next_after {
            Some(next_after) => after = Some(next_after),
            None => return Ok(items),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::Arc;

    use super::*;

    fn all_demo_people() -> impl Iterator<Item = &'static DemoPerson> {
        DEMO_COMPANIES
            .iter()
            .flat_map(|demo_company| demo_company.staff.iter())
    }

    #[test]
    fn chinese_companies_have_valid_credit_codes_and_others_a_registration_number() {
        let mut codes_seen = HashSet::new();
        for demo_company in DEMO_COMPANIES {
            let code = demo_company.credit_code().unwrap();
            if demo_company.country == "CN" {
                let code = code
                    .unwrap_or_else(|| panic!("{} needs a credit code", demo_company.legal_name));
                let parsed = identity::credit_code::CreditCode::parse(&code);
                assert!(
                    parsed.is_ok(),
                    "{}: {code} is refused: {parsed:?}",
                    demo_company.legal_name
                );
                assert!(
                    codes_seen.insert(code),
                    "{}: credit code used twice",
                    demo_company.legal_name
                );
                assert!(
                    demo_company.registration_number.is_none(),
                    "{}",
                    demo_company.legal_name
                );
            } else {
                assert!(
                    code.is_none(),
                    "{} is not registered in China",
                    demo_company.legal_name
                );
                assert!(
                    demo_company.registration_number.is_some(),
                    "{}",
                    demo_company.legal_name
                );
            }
        }
    }

    #[test]
    fn every_email_parses_as_written_and_is_unique() {
        let mut emails_seen = HashSet::new();
        for email in all_demo_people()
            .map(|person| person.email)
            .chain([DEMO_OPERATOR_EMAIL])
        {
            // Stored addresses are normalised; writing them normalised here keeps
            // the look-up by email that makes loading idempotent exact.
            let parsed = identity::email::Email::parse(email);
            assert_eq!(
                parsed.as_ref().map(|parsed| parsed.as_str()),
                Some(email),
                "{email}"
            );
            assert!(
                email.ends_with(".demo"),
                "{email} could reach a real mailbox"
            );
            assert!(emails_seen.insert(email), "{email} is used twice");
        }
    }

    #[test]
    fn every_time_zone_country_mobile_and_the_password_are_accepted() {
        assert!(identity::fields::parse_time_zone(DEMO_OPERATOR_TIME_ZONE).is_ok());
        assert!(identity::password::Password::parse(DEMO_PASSWORD).is_some());
        for demo_company in DEMO_COMPANIES {
            let name = demo_company.legal_name;
            assert!(
                identity::fields::parse_time_zone(demo_company.time_zone).is_ok(),
                "{name}"
            );
            assert_eq!(
                identity::fields::parse_country(demo_company.country).unwrap(),
                demo_company.country,
                "{name}"
            );
            for mobile in demo_company.staff.iter().filter_map(|person| person.mobile) {
                assert!(
                    identity::fields::parse_mobile(mobile).is_ok(),
                    "{name}: {mobile}"
                );
            }
        }
    }

    #[test]
    fn every_company_has_two_to_five_staff_and_exactly_one_owner() {
        let mut legal_names_seen = HashSet::new();
        for demo_company in DEMO_COMPANIES {
            let name = demo_company.legal_name;
            assert!(
                (2..=5).contains(&demo_company.staff.len()),
                "{name} has {} staff",
                demo_company.staff.len()
            );
            assert!(demo_company.owner().is_ok(), "{name}");
            assert!(legal_names_seen.insert(name), "{name} is used twice");
        }
    }

    #[test]
    fn the_readme_accounts_own_a_chinese_supplier_and_a_foreign_buyer() {
        let company_owned_by = |email: &str| {
            DEMO_COMPANIES
                .iter()
                .find(|demo_company| demo_company.owner().unwrap().email == email)
                .unwrap()
        };
        assert_eq!(company_owned_by(DEMO_SUPPLIER_EMAIL).country, "CN");
        assert_eq!(
            company_owned_by(DEMO_BUYER_EMAIL).legal_name,
            "Vogel Haushaltswaren GmbH"
        );
    }

    async fn row_count(db: &kernel::Db, table: &str) -> i64 {
        use kernel::sqlx::Row as _;
        kernel::sqlx::query(&format!("SELECT COUNT(*) AS row_count FROM {table}"))
            .fetch_one(db.reader())
            .await
            .unwrap()
            .try_get("row_count")
            .unwrap()
    }

    async fn identity_row_counts(db: &kernel::Db) -> [i64; 4] {
        [
            row_count(db, "identity_user").await,
            row_count(db, "identity_company").await,
            row_count(db, "identity_membership").await,
            row_count(db, "identity_invitation").await,
        ]
    }

    #[tokio::test]
    async fn loading_twice_makes_everything_once_and_keeps_people_who_came_first() {
        let migrations = [kernel::migrate::kernel_migrations(), identity::migrations()].concat();
        let test_db = kernel::testing::TestDb::migrated(kernel::Engine::Sqlite, &migrations)
            .await
            .unwrap();
        let mailbox_directory = tempfile::tempdir().unwrap();
        let mailer = identity::mail::MailboxMailer::new(
            mailbox_directory.path().join("mailbox"),
            "Hanse <noreply@hanse.demo>".parse().unwrap(),
        )
        .unwrap();
        let identity = identity::Identity::new(
            test_db.db.clone(),
            Arc::new(kernel::SystemClock),
            Arc::new(mailer),
            identity::HashCost::FAST_INSECURE,
            "http://127.0.0.1:8080".into(),
        );

        // A staff member who signed up on their own before the demo was loaded
        // is put on the staff rather than refused as a taken email.
        let early_person = &DEMO_COMPANIES[0].staff[1];
        let early_user = identity
            .sign_up(&identity::NewUser {
                email: early_person.email.to_owned(),
                password: "chosen-by-the-person".to_owned(),
                display_name: early_person.display_name.to_owned(),
                mobile: None,
                language: identity::Language::ZhCn,
                time_zone: "Asia/Shanghai".to_owned(),
            })
            .await
            .unwrap();

        let first = load(&identity).await.unwrap();
        assert_eq!(first.companies, DEMO_COMPANIES.len());
        assert_eq!(
            first.created,
            first.companies + first.people - 1,
            "all but the early person are new"
        );
        let counts_after_first = identity_row_counts(&test_db.db).await;
        let staff_places = all_demo_people().count() as i64;
        let companies = DEMO_COMPANIES.len() as i64;
        assert_eq!(
            counts_after_first,
            [
                first.people as i64,
                companies,
                staff_places,
                staff_places - companies
            ]
        );

        let second = load(&identity).await.unwrap();
        assert_eq!(
            second,
            DemoSummary {
                created: 0,
                ..first
            }
        );
        assert_eq!(identity_row_counts(&test_db.db).await, counts_after_first);

        let hengxin = identity
            .company_by_legal_name(DEMO_COMPANIES[0].legal_name)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            identity.role_in(early_user.id, hengxin.id).await.unwrap(),
            Some(early_person.role)
        );
        assert!(
            identity
                .authenticate(early_person.email, DEMO_PASSWORD)
                .await
                .is_err(),
            "their own password stays"
        );

        let supplier = identity
            .authenticate(DEMO_SUPPLIER_EMAIL, DEMO_PASSWORD)
            .await
            .unwrap();
        assert_eq!(
            identity.role_in(supplier.id, hengxin.id).await.unwrap(),
            Some(Role::Owner)
        );
        let buyer = identity
            .authenticate(DEMO_BUYER_EMAIL, DEMO_PASSWORD)
            .await
            .unwrap();
        assert_eq!(buyer.time_zone, "Europe/Berlin");
        let operator = identity
            .authenticate(DEMO_OPERATOR_EMAIL, DEMO_PASSWORD)
            .await
            .unwrap();
        assert!(operator.is_operator);
    }
}
