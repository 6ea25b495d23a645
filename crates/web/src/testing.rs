//! `TestApp`: the real application started in-process on port 0 against a fresh
//! database of either engine, with helpers to sign up companies and act as their
//! staff. Every module's HTTP tests use it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use identity::mail::MailboxMailer;
use identity::{HashCost, Identity};
use kernel::testing::TestDb;
use kernel::{Clock, CompanyId, Engine, ManualClock, Timestamp, UserId};
use serde_json::{Value, json};

use crate::{App, Services, WebSettings, migrations};

/// A running Hanse for one test.
pub struct TestApp {
    pub address: String,
    /// The private metrics address, with `TestOptions::metrics_listener`.
    pub metrics_address: Option<String>,
    pub engine: Engine,
    pub identity: Identity,
    pub pay: pay::Pay,
    pub market: market::Market,
    /// Starts at the real time; tests move it forward to expire things.
    pub clock: Arc<ManualClock>,
    pub mailbox: PathBuf,
    _test_db: TestDb,
    _data_dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

/// A person signed in to a company, with a client that carries their cookie.
pub struct Actor {
    pub client: reqwest::Client,
    pub email: String,
    pub user_id: UserId,
    pub company_id: CompanyId,
}

static NEXT_CREDIT_CODE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

/// A valid credit code, different on each call.
pub fn fresh_credit_code() -> String {
    let serial = NEXT_CREDIT_CODE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let body = format!("91330782MA{:07}", serial % 10_000_000);
    let check = identity::credit_code::check_character(&body).expect("valid body");
    format!("{body}{check}")
}

/// How a test's application is configured; the default is the sandbox bank
/// on, metrics on no address.
#[derive(Debug, Clone)]
pub struct TestOptions {
    pub sandbox: bool,
    pub metrics_token: Option<String>,
    /// Serve `/metrics` on a second, private port too.
    pub metrics_listener: bool,
}

impl Default for TestOptions {
    fn default() -> Self {
        TestOptions {
            sandbox: true,
            metrics_token: None,
            metrics_listener: false,
        }
    }
}

impl TestApp {
    /// Starts the application, or `None` for PostgreSQL when no server is set.
    pub async fn spawn(engine: Engine) -> Option<TestApp> {
        TestApp::spawn_with(engine, TestOptions::default()).await
    }

    /// Starts the application configured by `options`.
    pub async fn spawn_with(engine: Engine, options: TestOptions) -> Option<TestApp> {
        let test_db = TestDb::migrated(engine, &migrations()).await?;
        let listen: SocketAddr = "127.0.0.1:0".parse().expect("address");
        let listener = App::bind(listen).await.expect("bind");
        let address = format!("http://{}", listener.local_addr().expect("address"));
        let data_dir = tempfile::tempdir().expect("temporary data dir");
        let mailbox = data_dir.path().join("mailbox");
        let clock = Arc::new(ManualClock::new(kernel::SystemClock.now()));
        let mailer = MailboxMailer::new(
            mailbox.clone(),
            "Hanse <noreply@hanse.test>".parse().expect("address"),
        )
        .expect("mailbox folder");
        let dyn_clock: Arc<dyn Clock> = clock.clone();
        let services = Services::new(
            test_db.db.clone(),
            dyn_clock,
            Arc::new(mailer),
            HashCost::FAST_INSECURE,
            address.clone(),
            crate::NodeFiles {
                images_dir: data_dir.path().join("images"),
                search: Arc::new(
                    market::search_feed::SearchIndexes::open(&data_dir.path().join("search"))
                        .expect("search index"),
                ),
            },
            if options.sandbox {
                crate::PaymentSettings::random_sandbox()
            } else {
                crate::PaymentSettings::default()
            },
        )
        .expect("services");
        let identity = services.identity.clone();
        let pay = services.pay.clone();
        let market = services.market.clone();
        let mut settings = WebSettings::new(address.clone());
        settings.metrics_token = options.metrics_token.map(Into::into);
        let mut app = App::build(settings, listener, services).expect("build");
        if options.metrics_listener {
            let private = App::bind(listen).await.expect("bind the metrics port");
            app = app.with_metrics_listener(private);
        }
        let metrics_address = app
            .metrics_address()
            .map(|address| format!("http://{address}"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run(async {
            let _ = stopped.await;
        }));
        Some(TestApp {
            address,
            metrics_address,
            engine,
            identity,
            pay,
            market,
            clock,
            mailbox,
            _test_db: test_db,
            _data_dir: data_dir,
            stop: Some(stop),
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A client with its own cookie jar and no redirects followed.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Creates the network operator `ops@hanse.test` and returns a client
    /// signed in as them.
    pub async fn sign_in_operator(&self) -> reqwest::Client {
        let operator = identity::NewUser {
            email: "ops@hanse.test".into(),
            password: "a long enough password".into(),
            display_name: "Ops".into(),
            mobile: None,
            language: identity::Language::En,
            time_zone: "UTC".into(),
        };
        self.identity
            .create_operator(&operator)
            .await
            .expect("create the operator");
        let client = self.client();
        let response = client
            .post(self.url("/api/v1/auth/signin"))
            .json(&json!({"email": "ops@hanse.test", "password": "a long enough password"}))
            .send()
            .await
            .expect("signin request");
        assert_eq!(response.status(), 200, "the operator signs in");
        client
    }

    /// Signs up a new person (not in any company) and returns their client.
    pub async fn sign_up(&self, email: &str) -> (reqwest::Client, UserId) {
        let client = self.client();
        let response = client
            .post(self.url("/api/v1/auth/signup"))
            .json(&json!({
                "email": email,
                "password": "a long enough password",
                "display_name": format!("Person {email}"),
                "language": "en",
                "time_zone": "Europe/Berlin",
            }))
            .send()
            .await
            .expect("signup request");
        assert_eq!(
            response.status(),
            201,
            "sign up {email}: {}",
            response.text().await.unwrap_or_default()
        );
        let body: Value = response.json().await.expect("json");
        let user_id = body["id"].as_str().expect("id").parse().expect("user id");
        (client, user_id)
    }

    /// Signs up an owner and registers a company; returns the owner.
    pub async fn sign_up_company(&self, name: &str) -> Actor {
        let email = format!("owner@{}.test", name.to_lowercase().replace(' ', "-"));
        let (client, user_id) = self.sign_up(&email).await;
        let response = client
            .post(self.url("/api/v1/companies"))
            .json(&json!({
                "legal_name": name,
                "credit_code": fresh_credit_code(),
                "country": "CN",
                "region": "浙江省",
                "city": "义乌市",
                "address": "稠城街道工人北路1088号",
                "industry": "small_commodities",
                "size": "10-49",
            }))
            .send()
            .await
            .expect("company request");
        assert_eq!(
            response.status(),
            201,
            "register {name}: {}",
            response.text().await.unwrap_or_default()
        );
        let body: Value = response.json().await.expect("json");
        let company_id = body["id"]
            .as_str()
            .expect("id")
            .parse()
            .expect("company id");
        self.wait_for_storefront(company_id).await;
        Actor {
            client,
            email,
            user_id,
            company_id,
        }
    }

    /// Waits until the outbox dispatcher has opened the company's storefront
    /// (it runs in the background, woken by the registration's commit).
    pub async fn wait_for_storefront(&self, company_id: CompanyId) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while self.market.storefront(company_id).await.is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "no storefront for {company_id} after 10 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    /// Waits until `check` holds for the search index, which follows the
    /// outbox in the background; panics after 10 s.
    pub async fn wait_for_search<F, Fut>(&self, what: &str, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !check().await {
            assert!(
                std::time::Instant::now() < deadline,
                "search never showed: {what}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Invites a new person into `role` of the owner's company and has them accept.
    pub async fn add_staff(&self, owner: &Actor, email: &str, role: &str) -> Actor {
        let response = owner
            .client
            .post(self.url("/api/v1/company/invitations"))
            .json(&json!({ "email": email, "role": role }))
            .send()
            .await
            .expect("invite");
        assert_eq!(
            response.status(),
            201,
            "invite: {}",
            response.text().await.unwrap_or_default()
        );
        let token = self.last_invitation_token(email);
        let (client, user_id) = self.sign_up(email).await;
        let response = client
            .post(self.url("/api/v1/invitations/accept"))
            .json(&json!({ "token": token }))
            .send()
            .await
            .expect("accept");
        assert_eq!(
            response.status(),
            200,
            "accept: {}",
            response.text().await.unwrap_or_default()
        );
        Actor {
            client,
            email: email.to_owned(),
            user_id,
            company_id: owner.company_id,
        }
    }

    /// The invitation secret from the newest mail to `email` in the mailbox.
    pub fn last_invitation_token(&self, email: &str) -> String {
        let mut mails: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(&self.mailbox)
            .expect("mailbox")
            .filter_map(|entry| entry.ok())
            .filter_map(|entry| {
                let modified = entry.metadata().ok()?.modified().ok()?;
                let text = std::fs::read_to_string(entry.path()).ok()?;
                Some((modified, text))
            })
            .filter(|(_, text)| text.contains(&format!("To: {email}")))
            .collect();
        mails.sort_by_key(|(modified, _)| *modified);
        let text = readable_body(&mails.last().expect("an invitation mail").1);
        let start = text.find("/invitations/").expect("a link") + "/invitations/".len();
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect()
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}

/// A mail's body as text: lettre picks base64 or quoted-printable by content.
fn readable_body(mail: &str) -> String {
    use base64::Engine;
    let (headers, body) = mail.split_once("\r\n\r\n").unwrap_or((mail, ""));
    if headers.contains("Content-Transfer-Encoding: base64") {
        let compact: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(compact)
            .unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        body.replace("=\r\n", "").replace("=\n", "")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Runs an HTTP test once per engine: `app_test!(name, |app: TestApp| async move { ... })`,
/// or with the application configured: `app_test!(name, TestOptions { .. }, |app| ...)`.
#[macro_export]
macro_rules! app_test {
    ($name:ident, $body:expr) => {
        $crate::app_test!($name, $crate::testing::TestOptions::default(), $body);
    };
    ($name:ident, $options:expr, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::testing::TestApp::spawn_with(kernel::Engine::Sqlite, $options)
                    .await
                    .expect("sqlite");
                ($body)(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match $crate::testing::TestApp::spawn_with(kernel::Engine::Postgres, $options).await
                {
                    Some(app) => ($body)(app).await,
                    None => eprintln!(
                        "{} not set: PostgreSQL run not possible here",
                        kernel::testing::POSTGRES_URL_VAR
                    ),
                }
            }
        }
    };
}
