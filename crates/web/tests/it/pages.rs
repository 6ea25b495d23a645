//! The pages as a person uses them: a browser-like client with a cookie jar that
//! loads a page, reads the form's CSRF token from the HTML and posts the form,
//! without following redirects, so each step's status and target can be checked.

use reqwest::Client;
use reqwest::header::{ACCEPT_LANGUAGE, LOCATION, SET_COOKIE};
use serde_json::{Value, json};
use web::app_test;
use web::testing::{Actor, TestApp, fresh_credit_code};

const PASSWORD: &str = "a long enough password";
const ENGLISH: &str = "en";
const CHINESE: &str = "zh-CN,zh;q=0.9";

mod market;
mod operator_market;
mod orders;
mod wallet;

/// A page as a browser got it.
struct Page {
    status: u16,
    /// Where a redirect points.
    location: Option<String>,
    /// The `Set-Cookie` headers.
    cookies: Vec<String>,
    html: String,
}

impl Page {
    async fn from(response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let header_text =
            |value: &reqwest::header::HeaderValue| value.to_str().unwrap_or_default().to_owned();
        let location = response.headers().get(LOCATION).map(header_text);
        let cookies = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .map(header_text)
            .collect();
        let html = response.text().await.expect("page body");
        Page {
            status,
            location,
            cookies,
            html,
        }
    }

    /// The page's main heading.
    fn h1(&self) -> &str {
        let start = self
            .html
            .find("<h1>")
            .map(|at| at + "<h1>".len())
            .unwrap_or_else(|| panic!("no <h1> in {}", self.html));
        let end = start + self.html[start..].find("</h1>").expect("</h1>");
        &self.html[start..end]
    }

    /// The CSRF token of the page's forms.
    fn csrf(&self) -> String {
        csrf_token(&self.html)
    }

    /// Whether the response sets cookie `name` to a non-empty value.
    fn sets_cookie(&self, name: &str) -> bool {
        self.cookies.iter().any(|cookie| {
            cookie.starts_with(&format!("{name}=")) && !cookie.starts_with(&format!("{name}=;"))
        })
    }

    #[track_caller]
    fn assert_redirect(&self, to: &str) {
        assert_eq!(
            self.status, 303,
            "expected a redirect to {to}: {}",
            self.html
        );
        assert_eq!(self.location.as_deref(), Some(to), "redirect target");
    }

    #[track_caller]
    fn assert_shows(&self, status: u16, texts: &[&str]) {
        assert_eq!(self.status, status, "status of page: {}", self.html);
        for text in texts {
            assert!(
                self.html.contains(text),
                "page should show {text:?}: {}",
                self.html
            );
        }
    }
}

/// The value of the first `csrf_token` hidden field in `html`.
/// The CSRF token of the form on the page at `path`.
pub async fn csrf_of(app: &TestApp, client: &Client, path: &str) -> String {
    csrf_token(&crate::support::page_text(app, client, path).await)
}

fn csrf_token(html: &str) -> String {
    let marker = r#"name="csrf_token" value=""#;
    let start = html
        .find(marker)
        .map(|at| at + marker.len())
        .unwrap_or_else(|| panic!("no CSRF field in {html}"));
    let token: String = html[start..].chars().take_while(|c| *c != '"').collect();
    assert!(token.len() >= 32, "a real token, not {token:?}");
    token
}

async fn get(app: &TestApp, client: &Client, path: &str) -> Page {
    Page::from(client.get(app.url(path)).send().await.expect("GET")).await
}

async fn get_in(app: &TestApp, client: &Client, path: &str, accept_language: &str) -> Page {
    let response = client
        .get(app.url(path))
        .header(ACCEPT_LANGUAGE, accept_language)
        .send()
        .await
        .expect("GET");
    Page::from(response).await
}

/// Posts `fields` as a form, exactly as given (no token added).
async fn post(app: &TestApp, client: &Client, path: &str, fields: &[(&str, &str)]) -> Page {
    Page::from(
        client
            .post(app.url(path))
            .form(fields)
            .send()
            .await
            .expect("POST"),
    )
    .await
}

/// Loads `page` like a browser (getting the CSRF cookie and token), then posts
/// `fields` and the token to `action`.
async fn submit(
    app: &TestApp,
    client: &Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> Page {
    let form = get(app, client, page).await;
    assert_eq!(
        form.status, 200,
        "the page with the form, {page}: {}",
        form.html
    );
    let token = form.csrf();
    let mut with_token = vec![("csrf_token", token.as_str())];
    with_token.extend_from_slice(fields);
    post(app, client, action, &with_token).await
}

/// A JSON API call as `client`; the status and the body.
async fn api(
    app: &TestApp,
    client: &Client,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = client.request(method, app.url(path));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("API request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("API body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// The staff of the actor's company, through the API.
async fn staff_emails(app: &TestApp, actor: &Actor) -> Vec<String> {
    let (status, body) = api(
        app,
        &actor.client,
        reqwest::Method::GET,
        "/api/v1/company/staff",
        None,
    )
    .await;
    assert_eq!(status, 200, "staff: {body}");
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|m| m["email"].as_str().expect("email").to_owned())
        .collect()
}

fn signup_fields<'a>(
    email: &'a str,
    display_name: &'a str,
    time_zone: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("email", email),
        ("password", PASSWORD),
        ("display_name", display_name),
        ("mobile", ""),
        ("language", "en"),
        ("time_zone", time_zone),
    ]
}

fn company_fields<'a>(legal_name: &'a str, credit_code: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("legal_name", legal_name),
        ("credit_code", credit_code),
        ("registration_number", ""),
        ("country", "CN"),
        ("region", "Zhejiang"),
        ("city", "Yiwu"),
        ("address", "1088 Gongren North Road"),
        ("industry", "small_commodities"),
        ("size", "10-49"),
    ]
}

// The front page in the visitor's language, and switching it.
app_test!(
    front_page_speaks_the_visitors_language,
    |app: TestApp| async move {
        let english_title = "Hanse: meet, trade and run your business";
        let chinese_title = "Hanse：相识、交易、经营";
        let visitor = app.client();

        let english = get_in(&app, &visitor, "/", ENGLISH).await;
        assert_eq!(english.status, 200);
        assert_eq!(english.h1(), english_title);
        assert!(english.html.contains(r#"<html lang="en">"#));

        let chinese = get_in(&app, &visitor, "/", CHINESE).await;
        assert_eq!(chinese.h1(), chinese_title);
        assert!(chinese.html.contains(r#"<html lang="zh-CN">"#));

        // The switch on an English page: the choice sticks in a cookie and wins over
        // the browser's Accept-Language.
        let token = english.csrf();
        let switched = post(
            &app,
            &visitor,
            "/language",
            &[("csrf_token", &token), ("language", "zh-CN")],
        )
        .await;
        switched.assert_redirect("/");
        assert!(
            switched.sets_cookie("hanse_lang"),
            "language cookie: {:?}",
            switched.cookies
        );
        assert_eq!(
            get_in(&app, &visitor, "/", ENGLISH).await.h1(),
            chinese_title
        );

        let token = get(&app, &visitor, "/").await.csrf();
        post(
            &app,
            &visitor,
            "/language",
            &[("csrf_token", &token), ("language", "en")],
        )
        .await
        .assert_redirect("/");
        assert_eq!(
            get_in(&app, &visitor, "/", CHINESE).await.h1(),
            english_title
        );

        // A cookie set some other time counts the same.
        let returning = reqwest::Client::new()
            .get(app.url("/"))
            .header(ACCEPT_LANGUAGE, ENGLISH)
            .header(reqwest::header::COOKIE, "hanse_lang=zh-CN")
            .send()
            .await
            .expect("GET");
        assert_eq!(Page::from(returning).await.h1(), chinese_title);
    }
);

// A signed-in person's language is their account's, and the switch saves it there.
app_test!(
    language_switch_is_saved_on_the_account,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Lang Trading").await;
        let page = get_in(&app, &owner.client, "/", CHINESE).await;
        assert_eq!(
            page.h1(),
            "Hanse: meet, trade and run your business",
            "the account says English"
        );

        post(
            &app,
            &owner.client,
            "/language",
            &[("csrf_token", &page.csrf()), ("language", "zh-CN")],
        )
        .await
        .assert_redirect("/");
        let user = app.identity.user(owner.user_id).await.expect("user");
        assert_eq!(user.language, identity::Language::ZhCn);
        assert_eq!(
            get_in(&app, &owner.client, "/company/staff", ENGLISH)
                .await
                .h1(),
            "员工 · Lang Trading"
        );
    }
);

/// Posts the sign-up form with `token` (none when `None`) and checks it is
/// refused as a forged form and creates no account.
async fn check_forged_signup(app: &TestApp, client: &Client, token: Option<&str>, email: &str) {
    let mut fields = signup_fields(email, "Forged", "Europe/Berlin");
    if let Some(token) = token {
        fields.push(("csrf_token", token));
    }
    let page = post(app, client, "/signup", &fields).await;
    page.assert_shows(403, &["The form expired. Reload the page and try again."]);
    assert!(
        !page.sets_cookie("hanse_session"),
        "no session: {:?}",
        page.cookies
    );
    assert!(
        app.identity
            .user_by_email(email)
            .await
            .expect("lookup")
            .is_none(),
        "no account for {email}"
    );
}

// Forms posted without the page's CSRF token are refused and change nothing.
app_test!(
    forms_without_the_csrf_token_are_refused,
    |app: TestApp| async move {
        let visitor = app.client();
        let real_token = get(&app, &visitor, "/signup").await.csrf();

        check_forged_signup(&app, &visitor, None, "no-token@example.test").await;
        check_forged_signup(
            &app,
            &visitor,
            Some("forged-token-forged-token-forged-token"),
            "wrong@example.test",
        )
        .await;
        check_forged_signup(&app, &visitor, Some(""), "empty@example.test").await;
        // Another site's page cannot read the cookie: a token without the cookie fails.
        check_forged_signup(
            &app,
            &app.client(),
            Some(&real_token),
            "no-cookie@example.test",
        )
        .await;

        // Signed-in actions too: an invitation sent from another site goes nowhere.
        let owner = app.sign_up_company("Guarded Goods").await;
        get(&app, &owner.client, "/company/staff").await;
        let page = post(
            &app,
            &owner.client,
            "/company/staff/invite",
            &[("email", "victim@example.test"), ("role", "admin")],
        )
        .await;
        assert_eq!(page.status, 403, "{}", page.html);
        let (_, invitations) = api(
            &app,
            &owner.client,
            reqwest::Method::GET,
            "/api/v1/company/invitations",
            None,
        )
        .await;
        assert_eq!(invitations["items"], json!([]), "no invitation was sent");

        // The real token still works afterwards.
        let page = submit(
            &app,
            &visitor,
            "/signup",
            "/signup",
            &signup_fields("real@example.test", "Real", "Europe/Berlin"),
        )
        .await;
        page.assert_redirect("/companies/new");
    }
);

// Signing up and registering a company through the forms.
app_test!(
    sign_up_and_register_a_company_through_the_forms,
    |app: TestApp| async move {
        let visitor = app.client();
        let email = "li.wei@yiwu-trading.test";
        let page = submit(
            &app,
            &visitor,
            "/signup",
            "/signup",
            &signup_fields(email, "Li Wei", "Europe/Berlin"),
        )
        .await;
        page.assert_redirect("/companies/new");
        assert!(
            page.sets_cookie("hanse_session"),
            "signed in: {:?}",
            page.cookies
        );
        let user = app
            .identity
            .user_by_email(email)
            .await
            .expect("lookup")
            .expect("the account");
        assert_eq!(
            (
                user.display_name.as_str(),
                user.time_zone.as_str(),
                user.mobile
            ),
            ("Li Wei", "Europe/Berlin", None)
        );

        // Without a company the company pages send one to register it.
        get(&app, &visitor, "/company/staff")
            .await
            .assert_redirect("/companies/new");

        let credit_code = fresh_credit_code();
        let page = submit(
            &app,
            &visitor,
            "/companies/new",
            "/companies/new",
            &company_fields("Yiwu Trading", &credit_code),
        )
        .await;
        page.assert_redirect("/company/staff");
        let company = app
            .identity
            .company_by_credit_code(&credit_code)
            .await
            .expect("lookup")
            .expect("the company");
        assert_eq!(company.legal_name, "Yiwu Trading");

        let staff = get(&app, &visitor, "/company/staff").await;
        staff.assert_shows(200, &["Yiwu Trading", "Li Wei", email]);
        assert_eq!(staff.h1(), "Staff · Yiwu Trading");
        // The front page lists the company with the person's role.
        get(&app, &visitor, "/").await.assert_shows(
            200,
            &["Welcome, Li Wei.", "<td>Yiwu Trading</td><td>Owner</td>"],
        );
    }
);

// A form with a bad value comes back with the field named and what was typed.
app_test!(
    bad_input_shows_the_form_again_with_the_error,
    |app: TestApp| async move {
        let visitor = app.client();
        let page = submit(
            &app,
            &visitor,
            "/signup",
            "/signup",
            &signup_fields("mei@example.test", "Mei Chen", "Mars/Olympus"),
        )
        .await;
        page.assert_shows(
            422,
            &[
                "Time zone: ",
                r#"action="/signup""#,
                r#"value="mei@example.test""#,
                r#"value="Mei Chen""#,
                r#"value="Mars/Olympus""#,
            ],
        );
        assert!(
            !page.html.contains(PASSWORD),
            "the password is never sent back"
        );
        assert!(
            app.identity
                .user_by_email("mei@example.test")
                .await
                .expect("lookup")
                .is_none()
        );

        let taken = app.sign_up_company("Taken Trading").await;
        let page = submit(
            &app,
            &visitor,
            "/signup",
            "/signup",
            &signup_fields(&taken.email, "Copycat", "Europe/Berlin"),
        )
        .await;
        page.assert_shows(
            409,
            &[
                "An account with this email already exists.",
                r#"value="Copycat""#,
            ],
        );

        let page = submit(
            &app,
            &visitor,
            "/signup",
            "/signup",
            &signup_fields("mei@example.test", "Mei Chen", "Asia/Shanghai"),
        )
        .await;
        page.assert_redirect("/companies/new");

        let fields = company_fields("Broken Code Ltd", "91330782MA0000000");
        let page = submit(&app, &visitor, "/companies/new", "/companies/new", &fields).await;
        page.assert_shows(
            422,
            &[
                "Credit code: ",
                r#"action="/companies/new""#,
                r#"value="Broken Code Ltd""#,
                r#"value="91330782MA0000000""#,
                r#"value="1088 Gongren North Road""#,
            ],
        );
        assert!(
            app.identity
                .company_by_legal_name("Broken Code Ltd")
                .await
                .expect("lookup")
                .is_none(),
            "no company"
        );

        // In Chinese the field's label is Chinese.
        let token = get(&app, &visitor, "/companies/new").await.csrf();
        post(
            &app,
            &visitor,
            "/language",
            &[("csrf_token", &token), ("language", "zh-CN")],
        )
        .await
        .assert_redirect("/");
        let page = submit(&app, &visitor, "/companies/new", "/companies/new", &fields).await;
        page.assert_shows(422, &["信用代码: "]);
    }
);

/// Signs in through the form; the page it answers with.
async fn sign_in(app: &TestApp, client: &Client, email: &str, password: &str) -> Page {
    submit(
        app,
        client,
        "/signin",
        "/signin",
        &[("email", email), ("password", password)],
    )
    .await
}

// Wrong passwords are told on the page, and guessing is slowed down.
app_test!(
    sign_in_errors_and_the_attempt_limit,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Careful Co").await;
        let browser = app.client();

        let page = sign_in(&app, &browser, &owner.email, "not the password at all").await;
        page.assert_shows(
            401,
            &[
                "The email or password is wrong.",
                &format!(r#"value="{}""#, owner.email),
            ],
        );
        assert!(!page.sets_cookie("hanse_session"));
        // An unknown account reads the same.
        sign_in(&app, &browser, "nobody@example.test", PASSWORD)
            .await
            .assert_shows(401, &["The email or password is wrong."]);

        for _ in 0..4 {
            sign_in(&app, &browser, &owner.email, "still not the password")
                .await
                .assert_shows(401, &["The email or password is wrong."]);
        }
        // The sixth try within a minute is refused, even with the right password.
        let page = sign_in(&app, &browser, &owner.email, PASSWORD).await;
        page.assert_shows(429, &["Too many attempts. Wait a minute and try again."]);
        assert!(
            !page.sets_cookie("hanse_session"),
            "not signed in: {:?}",
            page.cookies
        );

        // Another account is not held up, and a right password signs in.
        let other = app.sign_up_company("Other Co").await;
        let page = sign_in(&app, &app.client(), &other.email, PASSWORD).await;
        page.assert_redirect("/");
        assert!(page.sets_cookie("hanse_session"));
    }
);

// One company's owner cannot remove another's staff or revoke its keys.
app_test!(pages_keep_companies_apart, |app: TestApp| async move {
    let alpha = app.sign_up_company("Alpha Trading").await;
    let beta = app.sign_up_company("Beta Trading").await;
    let (_, staff) = api(
        &app,
        &beta.client,
        reqwest::Method::GET,
        "/api/v1/company/staff",
        None,
    )
    .await;
    let beta_membership = staff["items"][0]["id"]
        .as_str()
        .expect("membership id")
        .to_owned();
    let (status, created) = api(
        &app,
        &beta.client,
        reqwest::Method::POST,
        "/api/v1/company/api-keys",
        Some(json!({ "name": "ERP", "role": "viewer", "scopes": ["company:read"] })),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let beta_key = created["key"]["id"].as_str().expect("key id").to_owned();
    let beta_secret = created["secret"].as_str().expect("secret").to_owned();

    let remove = format!("/company/staff/{beta_membership}/remove");
    let page = submit(&app, &alpha.client, "/company/staff", &remove, &[]).await;
    page.assert_shows(404, &["Nothing found here.", "Alpha Trading"]);
    assert!(!page.html.contains("Beta Trading"), "nothing of Beta shows");
    let revoke = format!("/company/api-keys/{beta_key}/revoke");
    submit(&app, &alpha.client, "/company/api-keys", &revoke, &[])
        .await
        .assert_shows(404, &["Nothing found here."]);

    assert_eq!(
        staff_emails(&app, &beta).await,
        vec![beta.email.clone()],
        "Beta keeps its owner"
    );
    let still_works = reqwest::Client::new()
        .get(app.url("/api/v1/company"))
        .bearer_auth(&beta_secret)
        .send()
        .await
        .expect("GET with key");
    assert_eq!(still_works.status(), 200, "Beta's key still works");
    assert_eq!(
        staff_emails(&app, &alpha).await,
        vec![alpha.email.clone()],
        "Alpha unchanged too"
    );
});

/// `path` for this client is a redirect to `to`.
async fn check_redirect(app: &TestApp, client: &Client, path: &str, to: &str) {
    let page = get(app, client, path).await;
    assert_eq!(
        (page.status, page.location.as_deref()),
        (303, Some(to)),
        "GET {path}"
    );
}

// Pages that need a person send visitors to sign in; the operator page is hidden.
app_test!(
    signed_out_visitors_are_sent_to_sign_in,
    |app: TestApp| async move {
        let visitor = app.client();
        for path in [
            "/company/staff",
            "/company/api-keys",
            "/account/sessions",
            "/companies/new",
            "/operator",
            "/operator/ledger",
            "/operator/market",
        ] {
            check_redirect(&app, &visitor, path, "/signin").await;
        }
        // A page that does not exist is a page saying so.
        get(&app, &visitor, "/no-such-page")
            .await
            .assert_shows(404, &["Nothing found here."]);
        // Posting a form signed out does the same.
        let page = submit(
            &app,
            &visitor,
            "/",
            "/company/staff/invite",
            &[("email", "x@example.test"), ("role", "sales")],
        )
        .await;
        page.assert_redirect("/signin");

        let owner = app.sign_up_company("Hidden Ops").await;
        let member = app
            .add_staff(&owner, "clerk@hidden-ops.test", "sales")
            .await;
        for person in [&owner, &member] {
            for path in ["/operator", "/operator/ledger", "/operator/market"] {
                let page = get(&app, &person.client, path).await;
                page.assert_shows(404, &["Nothing found here."]);
                assert!(
                    !page.html.contains("Member companies") && !page.html.contains("Suppliers"),
                    "no operator content on {path}"
                );
            }
        }
        get(&app, &member.client, "/account/sessions")
            .await
            .assert_shows(200, &["This session"]);
    }
);

// Inviting from the staff page, the invitation link, and joining.
app_test!(
    invite_from_the_staff_page_and_join,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Ningbo Packaging").await;
        let email = "wang.fang@example.test";
        let page = submit(
            &app,
            &owner.client,
            "/company/staff",
            "/company/staff/invite",
            &[("email", email), ("role", "purchasing")],
        )
        .await;
        page.assert_shows(
            200,
            &[
                &format!("Invitation sent to {email}"),
                "<td>Purchasing</td><td>open</td>",
            ],
        );

        let token = app.last_invitation_token(email);
        let invitation = format!("/invitations/{token}");
        let page = get(&app, &app.client(), &invitation).await;
        page.assert_shows(
            200,
            &[
                "Ningbo Packaging",
                "Purchasing",
                email,
                "Sign in or sign up with the invited email address to accept.",
            ],
        );
        assert!(
            !page.html.contains("/accept"),
            "no accept button signed out"
        );

        let (invitee, _) = app.sign_up(email).await;
        let page = submit(
            &app,
            &invitee,
            &invitation,
            &format!("{invitation}/accept"),
            &[],
        )
        .await;
        page.assert_redirect("/company/staff");
        get(&app, &invitee, "/company/staff").await.assert_shows(
            200,
            &["Ningbo Packaging", email, "Person wang.fang@example.test"],
        );
        assert_eq!(staff_emails(&app, &owner).await.len(), 2);
        assert!(staff_emails(&app, &owner).await.contains(&email.to_owned()));

        // The link is spent.
        let page = get(&app, &invitee, &invitation).await;
        page.assert_shows(200, &["This invitation can no longer be accepted."]);
        get(&app, &owner.client, "/company/staff")
            .await
            .assert_shows(200, &["<td>Purchasing</td><td>accepted</td>"]);
    }
);

// Someone else cannot use an invitation meant for another address.
app_test!(
    invitation_for_another_email_is_refused_on_the_page,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Strict Co").await;
        submit(
            &app,
            &owner.client,
            "/company/staff",
            "/company/staff/invite",
            &[("email", "meant@example.test"), ("role", "sales")],
        )
        .await
        .assert_shows(200, &["Invitation sent to meant@example.test"]);
        let token = app.last_invitation_token("meant@example.test");
        let invitation = format!("/invitations/{token}");
        let (stranger, _) = app.sign_up("stranger@example.test").await;
        let page = submit(
            &app,
            &stranger,
            &invitation,
            &format!("{invitation}/accept"),
            &[],
        )
        .await;
        page.assert_shows(422, &["This invitation was sent to another email address."]);
        assert_eq!(staff_emails(&app, &owner).await, vec![owner.email.clone()]);
    }
);

// A new key's secret is shown once; afterwards only its prefix.
app_test!(api_key_secret_is_shown_once, |app: TestApp| async move {
    let owner = app.sign_up_company("Key Holders").await;
    let fields = [
        ("name", "ERP"),
        ("role", "viewer"),
        ("scopes", "company:read"),
        ("scopes", "staff:read"),
    ];
    let page = submit(
        &app,
        &owner.client,
        "/company/api-keys",
        "/company/api-keys",
        &fields,
    )
    .await;
    page.assert_shows(200, &["Copy this key now. It will not be shown again."]);
    let marker = r#"<p class="secret">"#;
    let start = page.html.find(marker).expect("the secret") + marker.len();
    let secret: String = page.html[start..]
        .chars()
        .take_while(|c| *c != '<')
        .collect();
    assert!(
        secret.starts_with("hk_") && secret.len() > 20,
        "a key: {secret}"
    );

    let listing = get(&app, &owner.client, "/company/api-keys").await;
    let prefix: String = secret.chars().take(10).collect();
    listing.assert_shows(
        200,
        &[
            "<td>ERP</td>",
            &format!("<code>{prefix}…</code>"),
            "<code>company:read</code> <code>staff:read</code>",
        ],
    );
    assert!(
        !listing.html.contains(&secret),
        "the secret is not shown again"
    );
    assert!(!listing.html.contains("Copy this key now"));

    // Both ticked scopes arrived: the key reads the staff.
    let response = reqwest::Client::new()
        .get(app.url("/api/v1/company/staff"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);

    // No scope ticked: the form says so.
    let page = submit(
        &app,
        &owner.client,
        "/company/api-keys",
        "/company/api-keys",
        &[("name", "Shop"), ("role", "viewer")],
    )
    .await;
    page.assert_shows(422, &["Scopes: "]);
    assert!(!page.html.contains("<td>Shop</td>"));

    // People who do not manage the company see no form and cannot create keys.
    let clerk = app
        .add_staff(&owner, "clerk@key-holders.test", "sales")
        .await;
    let page = get(&app, &clerk.client, "/company/api-keys").await;
    page.assert_shows(200, &["<td>ERP</td>"]);
    assert!(
        !page.html.contains(r#"action="/company/api-keys""#),
        "no create form"
    );
    let page = submit(
        &app,
        &clerk.client,
        "/company/api-keys",
        "/company/api-keys",
        &fields,
    )
    .await;
    page.assert_shows(403, &["Your role does not allow this."]);
    assert!(!page.html.contains(r#"class="secret""#));
});

// A member sees the staff but cannot manage them; the owner changes roles.
app_test!(
    staff_page_for_members_and_owners,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Role Play").await;
        let clerk = app.add_staff(&owner, "clerk@role-play.test", "sales").await;

        let page = get(&app, &clerk.client, "/company/staff").await;
        page.assert_shows(200, &["Role Play", &owner.email, "clerk@role-play.test"]);
        assert!(
            !page.html.contains("/company/staff/invite"),
            "no invite form for a clerk"
        );
        assert!(
            !page.html.contains("/remove"),
            "no remove buttons for a clerk"
        );

        let (_, staff) = api(
            &app,
            &owner.client,
            reqwest::Method::GET,
            "/api/v1/company/staff",
            None,
        )
        .await;
        let membership = |email: &str| {
            staff["items"]
                .as_array()
                .expect("items")
                .iter()
                .find(|m| m["email"] == email)
                .expect("member")["id"]
                .as_str()
                .expect("id")
                .to_owned()
        };
        let (owner_membership, clerk_membership) =
            (membership(&owner.email), membership(&clerk.email));

        let remove_owner = format!("/company/staff/{owner_membership}/remove");
        submit(&app, &clerk.client, "/company/staff", &remove_owner, &[])
            .await
            .assert_shows(403, &["Your role does not allow this."]);
        assert_eq!(staff_emails(&app, &owner).await.len(), 2, "nobody removed");

        let change = format!("/company/staff/{clerk_membership}/role");
        submit(
            &app,
            &owner.client,
            "/company/staff",
            &change,
            &[("role", "finance")],
        )
        .await
        .assert_redirect("/company/staff");
        get(&app, &clerk.client, "/company/staff")
            .await
            .assert_shows(200, &["<td>Finance</td>"]);
        let page = submit(
            &app,
            &owner.client,
            "/company/staff",
            &change,
            &[("role", "emperor")],
        )
        .await;
        page.assert_shows(422, &["Role: "]);

        // The only owner cannot leave the company without an owner.
        let page = submit(&app, &owner.client, "/company/staff", &remove_owner, &[]).await;
        page.assert_shows(409, &["A company must keep at least one owner."]);

        let remove_clerk = format!("/company/staff/{clerk_membership}/remove");
        submit(&app, &owner.client, "/company/staff", &remove_clerk, &[])
            .await
            .assert_redirect("/company/staff");
        assert_eq!(staff_emails(&app, &owner).await, vec![owner.email.clone()]);
        // The removed clerk's session no longer acts for the company.
        get(&app, &clerk.client, "/company/staff")
            .await
            .assert_redirect("/companies/new");
    }
);

// A person in two companies switches between them in the header, only to their own.
app_test!(
    switching_between_ones_companies,
    |app: TestApp| async move {
        let owner = app.sign_up_company("First Co").await;
        let stranger = app.sign_up_company("Stranger Co").await;
        let code = fresh_credit_code();
        submit(
            &app,
            &owner.client,
            "/companies/new",
            "/companies/new",
            &company_fields("Second Co", &code),
        )
        .await
        .assert_redirect("/company/staff");
        assert_eq!(
            get(&app, &owner.client, "/company/staff").await.h1(),
            "Staff · Second Co"
        );

        let first = owner.company_id.to_string();
        submit(
            &app,
            &owner.client,
            "/",
            "/switch-company",
            &[("company_id", &first)],
        )
        .await
        .assert_redirect("/");
        assert_eq!(
            get(&app, &owner.client, "/company/staff").await.h1(),
            "Staff · First Co"
        );

        let foreign = stranger.company_id.to_string();
        let page = submit(
            &app,
            &owner.client,
            "/",
            "/switch-company",
            &[("company_id", &foreign)],
        )
        .await;
        assert_eq!(page.status, 404, "{}", page.html);
        let staff = get(&app, &owner.client, "/company/staff").await;
        assert_eq!(staff.h1(), "Staff · First Co", "still acting for First Co");
        assert!(!staff.html.contains("Stranger Co"));
    }
);

// The sessions page signs one out elsewhere, but only from one's own sessions.
app_test!(
    sessions_page_signs_out_elsewhere,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Many Devices").await;
        let laptop = app.client();
        sign_in(&app, &laptop, &owner.email, PASSWORD)
            .await
            .assert_redirect("/");

        let page = get(&app, &laptop, "/account/sessions").await;
        page.assert_shows(200, &["This session"]);
        let marker = r#"action="/account/sessions/"#;
        let start = page
            .html
            .find(marker)
            .expect("a revoke button for the other session")
            + marker.len();
        let other_session: String = page.html[start..]
            .chars()
            .take_while(|c| *c != '/')
            .collect();
        assert_eq!(
            page.html.matches(marker).count(),
            1,
            "only the other session has a button"
        );

        // Someone else cannot sign the owner out.
        let intruder = app.sign_up_company("Intruder").await;
        let revoke = format!("/account/sessions/{other_session}/revoke");
        submit(&app, &intruder.client, "/account/sessions", &revoke, &[])
            .await
            .assert_shows(404, &["Nothing found here."]);
        get(&app, &owner.client, "/account/sessions")
            .await
            .assert_shows(200, &["This session"]);

        submit(&app, &laptop, "/account/sessions", &revoke, &[])
            .await
            .assert_redirect("/account/sessions");
        check_redirect(&app, &owner.client, "/account/sessions", "/signin").await;
        get(&app, &laptop, "/account/sessions")
            .await
            .assert_shows(200, &["This session"]);

        // Signing out ends the session itself.
        let page = submit(&app, &laptop, "/", "/signout", &[]).await;
        page.assert_redirect("/");
        check_redirect(&app, &laptop, "/account/sessions", "/signin").await;
    }
);

#[test]
fn every_message_is_in_both_catalogs() {
    assert_eq!(
        web::i18n::I18n::default().missing_keys(),
        Vec::<String>::new()
    );
}

/// Every `shell.t("...")` key in the templates has a translation.
#[test]
fn every_key_the_templates_use_is_translated() {
    let i18n = web::i18n::I18n::default();
    let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut untranslated = Vec::new();
    // Templates sit in the folder and one level of sub-folders (`market/`).
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(&templates).expect("templates") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            for inner in std::fs::read_dir(&path).expect("template folder") {
                paths.push(inner.expect("entry").path());
            }
        } else {
            paths.push(path);
        }
    }
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("template");
        for piece in text.split(r#"shell.t(""#).skip(1) {
            let key = piece.split('"').next().unwrap_or_default();
            for language in [identity::Language::En, identity::Language::ZhCn] {
                if i18n.message(language, key, &[]) == key {
                    untranslated.push(format!("{} {key} ({})", path.display(), language.as_str()));
                }
            }
        }
    }
    // Keys built from values: roles, industries and the field labels of errors.
    let mut built: Vec<String> = kernel::Role::ALL
        .iter()
        .map(|r| r.as_str().to_owned())
        .collect();
    built.extend(
        identity::Industry::ALL
            .iter()
            .map(|i| i.as_str().to_owned()),
    );
    for field in [
        "email",
        "password",
        "display_name",
        "mobile",
        "time_zone",
        "legal_name",
        "credit_code",
        "registration_number",
        "country",
        "region",
        "city",
        "address",
        "industry",
        "size",
        "role",
        "name",
        "scopes",
    ] {
        built.push(format!("label-{}", field.replace('_', "-")));
    }
    for key in &built {
        for language in [identity::Language::En, identity::Language::ZhCn] {
            if i18n.message(language, key, &[]) == *key {
                untranslated.push(format!("{key} ({})", language.as_str()));
            }
        }
    }
    assert_eq!(untranslated, Vec::<String>::new());
}

/// The page's `<body>`, with the CSRF token blanked.
fn snapshot_body(page: &Page) -> String {
    let body = &page.html[page.html.find("<body>").expect("<body>")..];
    body.replace(&page.csrf(), "[csrf]")
}

// The sign-in page, as an English and a Chinese visitor see it.
app_test!(signin_page_snapshot, |app: TestApp| async move {
    let visitor = app.client();
    let english = get_in(&app, &visitor, "/signin", ENGLISH).await;
    assert_eq!(english.status, 200);
    insta::assert_snapshot!("signin_en", snapshot_body(&english));
    let chinese = get_in(&app, &visitor, "/signin", CHINESE).await;
    assert_eq!(chinese.status, 200);
    insta::assert_snapshot!("signin_zh_cn", snapshot_body(&chinese));
});
