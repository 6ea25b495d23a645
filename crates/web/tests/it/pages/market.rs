//! The market pages as people use them: a buyer searching in three
//! languages, a supplier keeping a catalog through the editor and a CSV
//! file, a buying request quoted, compared and accepted, and what one
//! company must never see of another's.

use std::time::Duration;

use base64::Engine;
use kernel::{Actor as ScopeActor, Role, Scope};
use market::{
    AttributeKind, AttributeSpec, CategoryId, NewCategory, PriceTier, ProductInput, ProductStatus,
};
use reqwest::Client;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE};
use web::app_test;
use web::testing::{Actor, TestApp};

use super::{CHINESE, ENGLISH, Page, get, get_in, submit};

/// How long the outbox and the search feed may take in a test.
const CATCH_UP: Duration = Duration::from_secs(15);
/// A 1×1 PNG, the smallest image the store accepts.
const PIXEL_PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

fn pixel_png() -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(PIXEL_PNG)
        .expect("PNG")
}

/// Housewares › Vacuum flasks, the leaf with a material choice and a capacity.
async fn flask_category(app: &TestApp) -> CategoryId {
    let root = app
        .market
        .create_category(&NewCategory {
            parent_id: None,
            slug: "housewares".to_owned(),
            name_zh: "家居用品".to_owned(),
            name_en: "Housewares".to_owned(),
            position: 0,
            attributes: Vec::new(),
        })
        .await
        .expect("root category");
    app.market
        .create_category(&NewCategory {
            parent_id: Some(root.id),
            slug: "vacuum-flasks".to_owned(),
            name_zh: "保温杯".to_owned(),
            name_en: "Vacuum flasks".to_owned(),
            position: 0,
            attributes: vec![
                AttributeSpec {
                    key: "material".to_owned(),
                    name_zh: "材质".to_owned(),
                    name_en: "Material".to_owned(),
                    kind: AttributeKind::Choice,
                    unit: None,
                    choices: vec!["304 stainless steel".to_owned(), "glass".to_owned()],
                    required: true,
                },
                AttributeSpec {
                    key: "capacity".to_owned(),
                    name_zh: "容量".to_owned(),
                    name_en: "Capacity".to_owned(),
                    kind: AttributeKind::Number,
                    unit: Some("ml".to_owned()),
                    choices: Vec::new(),
                    required: false,
                },
            ],
        })
        .await
        .expect("leaf category")
        .id
}

/// A company whose storefront the outbox has opened.
async fn company(app: &TestApp, name: &str) -> Actor {
    let actor = app.sign_up_company(name).await;
    let deadline = tokio::time::Instant::now() + CATCH_UP;
    while app.market.storefront(actor.company_id).await.is_err() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the storefront of {name} never opened"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    actor
}

fn owner_scope(actor: &Actor) -> Scope {
    Scope::new(
        actor.company_id,
        ScopeActor::User(actor.user_id),
        Role::Owner,
    )
}

fn flask(category_id: CategoryId, sku: &str, images: Vec<String>) -> ProductInput {
    ProductInput {
        sku: sku.to_owned(),
        category_id,
        title_zh: "真空保温杯 500ml".to_owned(),
        title_en: "Vacuum flask 500ml".to_owned(),
        description: "Double-wall stainless steel vacuum flask, keeps drinks hot for 12 hours."
            .to_owned(),
        attributes: [
            ("material".to_owned(), "304 stainless steel".to_owned()),
            ("capacity".to_owned(), "500".to_owned()),
        ]
        .into(),
        unit: "piece".to_owned(),
        moq: 100,
        price_tiers: vec![
            PriceTier {
                min_quantity: 100,
                unit_price_minor: 1250,
            },
            PriceTier {
                min_quantity: 500,
                unit_price_minor: 1100,
            },
        ],
        currency: "CNY".parse().expect("CNY"),
        lead_time_days: 15,
        origin: "Yiwu, Zhejiang".to_owned(),
        available_quantity: 8000,
        images,
    }
}

/// GETs `path` until the page shows `text`, or fails after [`CATCH_UP`]:
/// the search index follows the outbox a moment after each change.
async fn eventually_shows(app: &TestApp, client: &Client, path: &str, text: &str) -> Page {
    let deadline = tokio::time::Instant::now() + CATCH_UP;
    loop {
        let page = get_in(app, client, path, ENGLISH).await;
        if page.status == 200 && page.html.contains(text) {
            return page;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{path} never showed {text:?}: {}",
            page.html
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A multipart body with text fields and one file; its content type and bytes.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "hanse-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, file_name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_multipart(
    app: &TestApp,
    client: &Client,
    action: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &[u8])>,
) -> Page {
    let (content_type, body) = multipart(fields, file);
    let response = client
        .post(app.url(action))
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("POST");
    Page::from(response).await
}

/// The action of the page's multipart form (it carries the CSRF token).
fn upload_action(page: &Page) -> String {
    let marker = r#"enctype="multipart/form-data""#;
    let form = page
        .html
        .split("<form")
        .find(|form| form.contains(marker))
        .unwrap_or_else(|| panic!("no upload form in {}", page.html));
    let start = form.find(r#"action=""#).expect("action") + r#"action=""#.len();
    form[start..]
        .split('"')
        .next()
        .expect("action")
        .replace("&amp;", "&")
}

// A buyer finds a published product by Chinese, English and pinyin words,
// with facet counts, then opens it, its supplier and its photo.
app_test!(
    search_finds_products_in_three_languages,
    |app: TestApp| async move {
        let category = flask_category(&app).await;
        let supplier = company(&app, "Hengxin Thermos").await;
        let scope = owner_scope(&supplier);
        let image = app
            .market
            .upload_image(&scope, pixel_png())
            .await
            .expect("image");
        let product = app
            .market
            .create_product(&scope, &flask(category, "HX-500", vec![image.hash.clone()]))
            .await
            .expect("product");
        app.market
            .set_product_status(&scope, product.id, ProductStatus::Published)
            .await
            .expect("publish");
        let draft = app
            .market
            .create_product(
                &scope,
                &ProductInput {
                    title_en: "Secret prototype flask".to_owned(),
                    ..flask(category, "HX-DRAFT", Vec::new())
                },
            )
            .await
            .expect("draft");
        let buyer = app.client();
        let link = format!("/products/{}", product.id);

        let page =
            eventually_shows(&app, &buyer, "/search?q=%E4%BF%9D%E6%B8%A9%E6%9D%AF", &link).await;
        page.assert_shows(
            200,
            &[
                "<mark>",
                "Housewares (1)",
                "浙江省 (1)",
                "12.50 CNY",
                "Hengxin Thermos",
                &format!("/images/{}?size=thumb", image.hash),
            ],
        );
        eventually_shows(&app, &buyer, "/search?q=vacuum+flask", &link).await;
        eventually_shows(&app, &buyer, "/search?q=baowenbei", &link).await;
        let filtered = eventually_shows(
            &app,
            &buyer,
            &format!("/search?q=flask&category={category}&sort=price_asc&moq_max=100&price_min=10&price_max=13&currency=CNY"),
            &link,
        )
        .await;
        assert!(filtered.html.contains("Vacuum flasks"), "{}", filtered.html);
        assert!(
            !page.html.contains(&draft.id.to_string()),
            "a draft is never found"
        );

        let product_page = get_in(&app, &buyer, &link, ENGLISH).await;
        product_page.assert_shows(
            200,
            &[
                "Vacuum flask 500ml",
                "100–499",
                "500+",
                "11.00 CNY",
                "Material",
                "304 stainless steel",
                "500 ml",
                "Yiwu, Zhejiang",
                "Hengxin Thermos",
                &format!("/images/{}?size=medium", image.hash),
            ],
        );
        let chinese = get_in(&app, &buyer, &link, CHINESE).await;
        chinese.assert_shows(200, &["真空保温杯 500ml", "材质"]);

        let storefront = get(&app, &buyer, &format!("/companies/{}", supplier.company_id)).await;
        storefront.assert_shows(200, &["Hengxin Thermos", &link]);

        let photo = buyer
            .get(app.url(&format!("/images/{}?size=thumb", image.hash)))
            .send()
            .await
            .expect("image");
        assert_eq!(photo.status(), 200);
        assert_eq!(photo.headers()[CONTENT_TYPE], "image/jpeg");
        assert_eq!(
            photo.headers()[CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        assert!(
            photo.headers().get(reqwest::header::SET_COOKIE).is_none(),
            "a cached image carries no cookie"
        );
        let original = buyer
            .get(app.url(&format!("/images/{}", image.hash)))
            .send()
            .await
            .expect("image");
        assert_eq!(original.headers()[CONTENT_TYPE], "image/png");
        assert_eq!(original.bytes().await.expect("bytes").to_vec(), pixel_png());
        for missing in [
            format!("/images/{}", "0".repeat(64)),
            "/images/not-a-hash".to_owned(),
            "/images/..%2F..%2Fetc%2Fpasswd".to_owned(),
        ] {
            assert_eq!(get(&app, &buyer, &missing).await.status, 404, "{missing}");
        }
        assert_eq!(
            get(&app, &buyer, &format!("/images/{}?size=huge", image.hash))
                .await
                .status,
            400
        );
    }
);

// Odd search input is answered with a page, never with a server error.
app_test!(search_survives_bad_input, |app: TestApp| async move {
    let visitor = app.client();
    let long = "a".repeat(10_000);
    let long_query = format!("/search?q={long}");
    for path in [
        "/search",
        "/search?q=",
        "/search?q=%22",
        "/search?q=%22%22%22%27%5C",
        long_query.as_str(),
        "/search?q=*:*+AND+(",
        "/search?category=abc",
        "/search?category=cat_999999",
        "/search?sort=weird",
        "/search?page=abc",
        "/search?page=0",
        "/search?page=99999",
        "/search?price_min=abc",
        "/search?price_min=1&currency=XXX",
        "/search?price_max=1e9&quantity=-5",
        "/search?moq_max=lots",
        "/search?verified=1&in_stock=1&province=%00",
        "/search?q=%FF%FE",
        "/search/suggest",
        "/search/suggest?q=%22",
        "/rfqs?category=abc",
        "/rfqs?cursor=garbage",
    ] {
        let page = get(&app, &visitor, path).await;
        assert!(
            page.status == 200 || page.status == 400,
            "{path}: {} {}",
            page.status,
            page.html
        );
    }
    get(&app, &visitor, "/search?sort=weird")
        .await
        .assert_shows(400, &["sort by relevance"]);
    get(&app, &visitor, "/search?category=abc")
        .await
        .assert_shows(400, &["no such category"]);
});

// A draft is the supplier's own business: not found for the public or for
// another company, in the shop or in the editor.
app_test!(drafts_are_not_found_by_others, |app: TestApp| async move {
    let category = flask_category(&app).await;
    let supplier = company(&app, "Draft Works").await;
    let rival = company(&app, "Rival Works").await;
    let draft = app
        .market
        .create_product(
            &owner_scope(&supplier),
            &flask(category, "DW-1", Vec::new()),
        )
        .await
        .expect("draft");
    let product_page = format!("/products/{}", draft.id);
    let editor = format!("/catalog/{}/edit", draft.id);

    assert_eq!(get(&app, &app.client(), &product_page).await.status, 404);
    assert_eq!(get(&app, &rival.client, &product_page).await.status, 404);
    assert_eq!(get(&app, &supplier.client, &product_page).await.status, 404);
    get(&app, &supplier.client, &editor)
        .await
        .assert_shows(200, &["DW-1", "Draft"]);
    let refused = get(&app, &rival.client, &editor).await;
    assert_eq!(refused.status, 404, "{}", refused.html);
    assert!(!refused.html.contains("DW-1"));
    // Nor may the rival publish it.
    submit(
        &app,
        &rival.client,
        "/catalog",
        &format!("/catalog/{}/status", draft.id),
        &[("status", "published")],
    )
    .await
    .assert_shows(404, &["Nothing found here."]);
    assert_eq!(get(&app, &app.client(), &product_page).await.status, 404);
    // Visitors are sent to sign in.
    let page = get(&app, &app.client(), "/catalog").await;
    assert_eq!(page.location.as_deref(), Some("/signin"));
});

// The editor: choose the category, fill in the form with an image, fix a
// mistake, save, publish.
app_test!(
    the_editor_creates_and_publishes_a_product,
    |app: TestApp| async move {
        let category = flask_category(&app).await;
        let supplier = company(&app, "Editor Thermos").await;
        let client = &supplier.client;

        get(&app, client, "/catalog/new")
            .await
            .assert_shows(200, &["Vacuum flasks", "Choose this category"]);
        let form = get(&app, client, &format!("/catalog/new?category={category}")).await;
        form.assert_shows(200, &["Material", "Capacity (ml)", "Price tiers"]);
        let action = upload_action(&form);
        assert!(action.starts_with("/catalog/new?csrf_token="), "{action}");
        let category_text = category.to_string();
        let mut fields = vec![
            ("category_id", category_text.as_str()),
            ("sku", "ET-750"),
            ("title_zh", "不锈钢保温杯 750ml"),
            ("title_en", "Stainless steel flask 750ml"),
            ("description", "Keeps drinks cold for 24 hours."),
            ("attr_material", "304 stainless steel"),
            ("attr_capacity", "750"),
            ("unit", "piece"),
            ("moq", "two hundred"),
            ("currency", "CNY"),
            ("tier_quantity_0", "200"),
            ("tier_price_0", "15.80"),
            ("tier_quantity_1", "1000"),
            ("tier_price_1", "14.20"),
            ("lead_time_days", "20"),
            ("origin", "Yongkang, Zhejiang"),
            ("available_quantity", "5000"),
        ];
        let png = pixel_png();
        let refused = post_multipart(
            &app,
            client,
            &action,
            &fields,
            Some(("new_images", "flask.png", &png)),
        )
        .await;
        refused.assert_shows(
            422,
            &[
                "Minimum order quantity: a whole number such as 500",
                r#"value="Stainless steel flask 750ml""#,
                "?size=thumb",
            ],
        );
        // The image uploaded with the refused form comes back as kept.
        let kept = refused
            .html
            .split(r#"name="image" value=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the uploaded image is kept")
            .to_owned();
        fields.retain(|(name, _)| *name != "moq");
        fields.push(("moq", "200"));
        fields.push(("image", kept.as_str()));
        // Without the token in the action the upload is a forged form.
        post_multipart(&app, client, "/catalog/new", &fields, None)
            .await
            .assert_shows(403, &["The form expired."]);
        let created = post_multipart(&app, client, &upload_action(&refused), &fields, None).await;
        assert_eq!(created.status, 303, "{}", created.html);
        let location = created.location.clone().expect("redirect");
        assert!(location.ends_with("/edit?notice=created"), "{location}");
        let editor = get(&app, client, &location).await;
        editor.assert_shows(
            200,
            &["ET-750", "Draft", "The product is saved as a draft.", &kept],
        );

        let product_id = location
            .trim_start_matches("/catalog/")
            .split('/')
            .next()
            .expect("id")
            .to_owned();
        submit(
            &app,
            client,
            &location,
            &format!("/catalog/{product_id}/status"),
            &[("status", "published")],
        )
        .await
        .assert_redirect("/catalog?notice=status-changed");
        get(&app, client, "/catalog")
            .await
            .assert_shows(200, &["ET-750", "Published", "Download as CSV"]);
        get(&app, &app.client(), &format!("/products/{product_id}"))
            .await
            .assert_shows(
                200,
                &[
                    "Stainless steel flask 750ml",
                    "200–999",
                    "1000+",
                    "14.20 CNY",
                    "750 ml",
                ],
            );
        let export = client
            .get(app.url("/catalog/export.csv"))
            .send()
            .await
            .expect("export");
        assert_eq!(export.status(), 200);
        assert!(export.text().await.expect("csv").contains("ET-750"));
    }
);

// A product file with a bad row shows each bad row and imports nothing; a
// good one imports and says how many.
app_test!(
    csv_import_reports_bad_rows_and_imports_nothing,
    |app: TestApp| async move {
        flask_category(&app).await;
        let supplier = company(&app, "Import Thermos").await;
        let client = &supplier.client;
        let header = "sku,title_zh,title_en,description,category,attributes,unit,moq,price_tiers,currency,lead_time_days,origin,available_quantity,status\n";
        let good = "IM-1,保温杯,Flask,,vacuum-flasks,material=glass,piece,100,100:12.50; 500:11.00,CNY,10,Yiwu,100,published\n";
        let bad = "IM-2,保温杯,Flask two,,vacuum-flasks,material=glass,piece,100,100:12.50; 500:13.00,CNY,10,Yiwu,100,draft\n";
        let bad_file = format!("{header}{good}{bad}");

        let page = get(&app, client, "/catalog").await;
        let action = upload_action(&page);
        let refused = post_multipart(
            &app,
            client,
            &action,
            &[],
            Some(("file", "products.csv", bad_file.as_bytes())),
        )
        .await;
        refused.assert_shows(422, &["<td>3</td>", "IM-2", "price_tiers"]);
        assert!(
            app.market
                .own_products(&owner_scope(&supplier), None, kernel::PageRequest::first())
                .await
                .expect("catalog")
                .items
                .is_empty(),
            "nothing was imported"
        );

        let good_file = format!("{header}{good}");
        let imported = post_multipart(
            &app,
            client,
            &action,
            &[],
            Some(("file", "products.csv", good_file.as_bytes())),
        )
        .await;
        imported.assert_redirect("/catalog?notice=imported&created=1&updated=0");
        get(&app, client, "/catalog?notice=imported&created=1&updated=0")
            .await
            .assert_shows(200, &["Imported: 1 created, 0 updated.", "IM-1"]);
    }
);

fn date_in_days(app: &TestApp, days: i64) -> String {
    let at = app.now().plus_seconds(days * 86_400).to_offset_date_time();
    format!(
        "{:04}-{:02}-{:02}",
        at.year(),
        u8::from(at.month()),
        at.day()
    )
}

// A buyer posts a request, a supplier quotes through the form, the buyer
// compares and accepts; nobody else sees the comparison.
app_test!(
    buying_request_is_quoted_compared_and_accepted,
    |app: TestApp| async move {
        let category = flask_category(&app).await;
        let buyer = company(&app, "Vogel Import").await;
        let supplier = company(&app, "Quote Thermos").await;
        let stranger = company(&app, "Nosy Trading").await;
        let valid_until = date_in_days(&app, 30);
        let category_text = category.to_string();

        let posted = submit(
            &app,
            &buyer.client,
            "/sourcing/new",
            "/sourcing/new",
            &[
                ("title", "5,000 vacuum flasks 500ml"),
                ("category_id", &category_text),
                ("quantity", "5000"),
                ("unit", "piece"),
                ("target_price", "11.50"),
                ("currency", "CNY"),
                ("deliver_by", ""),
                ("destination", "Hamburg, DE"),
                ("details", "Logo printed on the side."),
                ("valid_until", &valid_until),
                ("show_company", "1"),
            ],
        )
        .await;
        assert_eq!(posted.status, 303, "{}", posted.html);
        let location = posted.location.clone().expect("redirect");
        let rfq_id = location
            .trim_start_matches("/sourcing/")
            .split('?')
            .next()
            .expect("id")
            .to_owned();
        get(&app, &buyer.client, &location)
            .await
            .assert_shows(200, &["5,000 vacuum flasks 500ml", "No quotations yet."]);

        let board = get(&app, &app.client(), "/rfqs").await;
        board.assert_shows(
            200,
            &["5,000 vacuum flasks 500ml", "Vogel Import", "11.50 CNY"],
        );
        let request_page = format!("/rfqs/{rfq_id}");
        get(&app, &app.client(), &request_page)
            .await
            .assert_shows(200, &["Sign in to quote"]);
        get(&app, &supplier.client, &request_page)
            .await
            .assert_shows(200, &["Quotations this month: 0 of 30", "Send a quotation"]);

        let quotation_action = format!("/rfqs/{rfq_id}/quotations");
        let quote_valid = date_in_days(&app, 10);
        let mut quote = vec![
            ("tier_quantity_0", "1000"),
            ("tier_price_0", "11.80"),
            ("tier_quantity_1", "5000"),
            ("tier_price_1", "abc"),
            ("quantity", "5000"),
            ("lead_time_days", "25"),
            ("shipping_terms", "FOB"),
            ("valid_until", quote_valid.as_str()),
            ("message", "Logo printing included."),
        ];
        submit(
            &app,
            &supplier.client,
            &request_page,
            &quotation_action,
            &quote,
        )
        .await
        .assert_shows(
            422,
            &[
                "Price tiers: write the amount like 500.00",
                r#"value="abc""#,
            ],
        );
        quote[3] = ("tier_price_1", "10.90");
        submit(
            &app,
            &supplier.client,
            &request_page,
            &quotation_action,
            &quote,
        )
        .await
        .assert_redirect(&format!("/rfqs/{rfq_id}?notice=quotation-sent"));
        get(&app, &supplier.client, "/sourcing/quotations")
            .await
            .assert_shows(
                200,
                &["54500.00 CNY", "Sent", "Quotations this month: 1 of 30"],
            );

        let compare = format!("/sourcing/{rfq_id}");
        let comparison = get(&app, &buyer.client, &compare).await;
        comparison.assert_shows(
            200,
            &[
                "Quote Thermos",
                "1000–4999: 11.80 CNY",
                "5000+: 10.90 CNY",
                "54500.00 CNY",
                "FOB",
                "Logo printing included.",
            ],
        );
        for (who, path) in [
            (&stranger, compare.clone()),
            (&supplier, compare.clone()),
            (&stranger, format!("{compare}/close")),
        ] {
            let page = if path.ends_with("/close") {
                submit(&app, &who.client, "/sourcing", &path, &[]).await
            } else {
                get(&app, &who.client, &path).await
            };
            assert_eq!(page.status, 404, "{path}: {}", page.html);
            assert!(!page.html.contains("Logo printing included."));
        }

        let accept = comparison
            .html
            .split(r#"action=""#)
            .filter_map(|rest| rest.split('"').next())
            .find(|action| action.ends_with("/accept"))
            .expect("an accept button")
            .to_owned();
        // Another company cannot accept it for the buyer.
        submit(&app, &stranger.client, "/sourcing", &accept, &[])
            .await
            .assert_shows(404, &["Nothing found here."]);
        submit(&app, &buyer.client, &compare, &accept, &[])
            .await
            .assert_redirect(&format!("{compare}?notice=accepted"));
        get(&app, &buyer.client, &format!("{compare}?notice=accepted"))
            .await
            .assert_shows(200, &["Accepted", "Awarded", "The quotation is accepted"]);
        // Answered once is answered.
        submit(&app, &buyer.client, &compare, &accept, &[])
            .await
            .assert_shows(409, &["Quote Thermos"]);
    }
);

// The storefront editor: a mistake shown at its field, then the profile and
// a logo saved and shown to the public.
app_test!(
    the_storefront_editor_saves_profile_and_logo,
    |app: TestApp| async move {
        let supplier = company(&app, "Front Thermos").await;
        let client = &supplier.client;
        let form = get(&app, client, "/storefront/edit").await;
        form.assert_shows(200, &["Edit the storefront", r#"value="Front Thermos""#]);
        let action = upload_action(&form);
        let mut fields = vec![
            ("display_name", "Front Thermos Co."),
            ("about", "Vacuum flasks since 2009."),
            ("main_markets", "Western Europe\nMiddle East"),
            ("certificates", "ISO 9001:2015"),
            ("year_founded", "two thousand"),
            ("staff_size", "50-99"),
            ("province", "浙江省"),
            ("city", "永康市"),
        ];
        post_multipart(&app, client, &action, &fields, None)
            .await
            .assert_shows(
                422,
                &[
                    "Year founded: a whole number such as 500",
                    "Vacuum flasks since 2009.",
                ],
            );
        fields[4] = ("year_founded", "2009");
        let png = pixel_png();
        post_multipart(
            &app,
            client,
            &action,
            &fields,
            Some(("logo_file", "logo.png", &png)),
        )
        .await
        .assert_redirect("/storefront/edit?notice=saved");
        let storefront = app
            .market
            .storefront(supplier.company_id)
            .await
            .expect("storefront");
        let logo = storefront.logo.expect("a logo");
        get(
            &app,
            &app.client(),
            &format!("/companies/{}", supplier.company_id),
        )
        .await
        .assert_shows(
            200,
            &[
                "Front Thermos Co.",
                "Vacuum flasks since 2009.",
                "Western Europe, Middle East",
                "ISO 9001:2015",
                "2009",
                &format!("/images/{logo}?size=thumb"),
            ],
        );
    }
);
