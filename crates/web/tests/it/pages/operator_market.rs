//! The operator's market page as the operator uses it: adding categories with
//! their attribute schema, verifying a supplier and setting its quota; bad
//! input changes nothing, and no one else can see or post the forms.

use market::{AttributeKind, NewCategory};
use web::app_test;
use web::testing::TestApp;

use super::{get, post, submit};

const PAGE: &str = "/operator/market";

async fn category_count(app: &TestApp) -> usize {
    app.market.categories().await.unwrap().all().len()
}

app_test!(
    the_operator_adds_categories_with_attributes,
    |app: TestApp| async move {
        let client = app.sign_in_operator().await;
        get(&app, &client, PAGE)
            .await
            .assert_shows(200, &["Market settings", "Category tree", "Add a category"]);

        submit(
            &app,
            &client,
            PAGE,
            "/operator/market/categories",
            &[
                ("parent_id", ""),
                ("slug", "housewares"),
                ("name_zh", "家居用品"),
                ("name_en", "Housewares"),
                ("position", "3"),
                ("attributes", ""),
            ],
        )
        .await
        .assert_redirect("/operator/market?notice=category-added");
        let root = app
            .market
            .categories()
            .await
            .unwrap()
            .by_slug("housewares")
            .cloned()
            .unwrap();
        let added = submit(
            &app,
            &client,
            PAGE,
            "/operator/market/categories",
            &[
                ("parent_id", &root.id.to_string()),
                ("slug", "vacuum-flasks"),
                ("name_zh", "保温杯"),
                ("name_en", "Vacuum flasks"),
                ("position", ""),
                (
                    "attributes",
                    "material | 材质 | Material | choice | | 304 stainless steel， glass | required\n\
                     capacity | 容量 | Capacity | number | ml\n",
                ),
            ],
        )
        .await;
        added.assert_redirect("/operator/market?notice=category-added");
        get(&app, &client, &added.location.clone().unwrap())
            .await
            .assert_shows(
                200,
                &[
                    "The category was added.",
                    "Housewares › Vacuum flasks",
                    "vacuum-flasks",
                    "material, capacity",
                ],
            );
        let tree = app.market.categories().await.unwrap();
        let leaf = tree.by_slug("vacuum-flasks").unwrap();
        assert_eq!(leaf.parent_id, Some(root.id));
        assert_eq!(root.position, 3);
        let material = &leaf.attributes[0];
        assert_eq!(material.kind, AttributeKind::Choice);
        assert_eq!(material.choices, ["304 stainless steel", "glass"]);
        assert!(material.required);
        let capacity = &leaf.attributes[1];
        assert_eq!(
            (capacity.kind, capacity.unit.as_deref(), capacity.required),
            (AttributeKind::Number, Some("ml"), false)
        );
    }
);

app_test!(
    a_bad_category_form_says_what_is_wrong_and_adds_nothing,
    |app: TestApp| async move {
        let client = app.sign_in_operator().await;
        app.market
            .create_category(&NewCategory {
                parent_id: None,
                slug: "textiles".to_owned(),
                name_zh: "纺织".to_owned(),
                name_en: "Textiles".to_owned(),
                position: 0,
                attributes: Vec::new(),
            })
            .await
            .unwrap();
        let before = category_count(&app).await;
        let cases: [(&[(&str, &str)], &str); 5] = [
            (
                &[
                    ("slug", "textiles"),
                    ("name_zh", "纺织"),
                    ("name_en", "Textiles"),
                ],
                "Slug: already in use",
            ),
            (
                &[
                    ("slug", "Bad Slug"),
                    ("name_zh", "纺织"),
                    ("name_en", "Textiles"),
                ],
                "Slug: lower-case letters, digits and hyphens",
            ),
            (
                &[("slug", "toys"), ("name_zh", ""), ("name_en", "Toys")],
                "Name in Chinese: this field is required",
            ),
            (
                &[
                    ("slug", "toys"),
                    ("name_zh", "玩具"),
                    ("name_en", "Toys"),
                    ("attributes", "colour | 颜色 | Colour"),
                ],
                "Attributes: write key",
            ),
            (
                &[
                    ("slug", "toys"),
                    ("name_zh", "玩具"),
                    ("name_en", "Toys"),
                    ("attributes", "colour | 颜色 | Colour | choice"),
                ],
                "Attributes: ",
            ),
        ];
        for (fields, message) in cases {
            let refused = submit(&app, &client, PAGE, "/operator/market/categories", fields).await;
            refused.assert_shows(422, &[message]);
            // What was typed stays in the form.
            assert!(
                refused.html.contains(&format!("value=\"{}\"", fields[0].1)),
                "{}",
                refused.html
            );
        }
        let unknown_parent = submit(
            &app,
            &client,
            PAGE,
            "/operator/market/categories",
            &[
                ("parent_id", "cat_nothing"),
                ("slug", "toys"),
                ("name_zh", "玩具"),
                ("name_en", "Toys"),
            ],
        )
        .await;
        unknown_parent.assert_shows(422, &["Parent category: no such entry"]);
        assert_eq!(category_count(&app).await, before);
    }
);

app_test!(
    the_operator_verifies_a_supplier_and_sets_its_quota,
    |app: TestApp| async move {
        let client = app.sign_in_operator().await;
        let supplier = app.sign_up_company("Hengxin Thermos").await;
        let page = get(&app, &client, PAGE).await;
        page.assert_shows(200, &["Hengxin Thermos", "0 / 30"]);
        let action = format!("/operator/market/companies/{}", supplier.company_id);
        assert!(page.html.contains(&action), "{}", page.html);

        submit(
            &app,
            &client,
            PAGE,
            &action,
            &[("verified", "1"), ("quotation_quota_monthly", "5")],
        )
        .await
        .assert_redirect("/operator/market?notice=settings-saved");
        let storefront = app.market.storefront(supplier.company_id).await.unwrap();
        assert!(storefront.verified);
        assert_eq!(storefront.quotation_quota_monthly, 5);
        get(&app, &client, "/operator/market?notice=settings-saved")
            .await
            .assert_shows(
                200,
                &["The supplier settings were saved.", "0 / 5", "checked"],
            );

        // A bad quota changes nothing, not even the badge sent with it.
        for quota in ["-1", "many", "", "100001"] {
            let refused = submit(
                &app,
                &client,
                PAGE,
                &action,
                &[("quotation_quota_monthly", quota)],
            )
            .await;
            refused.assert_shows(422, &["Quotations a month"]);
            let storefront = app.market.storefront(supplier.company_id).await.unwrap();
            assert!(storefront.verified, "quota {quota:?}");
            assert_eq!(storefront.quotation_quota_monthly, 5, "quota {quota:?}");
        }

        // Unticked, the badge goes.
        submit(
            &app,
            &client,
            PAGE,
            &action,
            &[("quotation_quota_monthly", "5")],
        )
        .await
        .assert_redirect("/operator/market?notice=settings-saved");
        assert!(
            !app.market
                .storefront(supplier.company_id)
                .await
                .unwrap()
                .verified
        );

        let unknown = submit(
            &app,
            &client,
            PAGE,
            "/operator/market/companies/com_nothing",
            &[("quotation_quota_monthly", "5")],
        )
        .await;
        assert_eq!(unknown.status, 404);
    }
);

app_test!(
    no_one_but_the_operator_sees_or_posts_the_market_settings,
    |app: TestApp| async move {
        let member = app.sign_up_company("Hengxin Thermos").await;
        let before = category_count(&app).await;
        assert_eq!(get(&app, &member.client, PAGE).await.status, 404);
        // A member's own page gives a valid CSRF token; the post is still refused.
        let action = format!("/operator/market/companies/{}", member.company_id);
        let settings = submit(
            &app,
            &member.client,
            "/catalog",
            &action,
            &[("verified", "1"), ("quotation_quota_monthly", "99999")],
        )
        .await;
        assert_eq!(settings.status, 404);
        let category = submit(
            &app,
            &member.client,
            "/catalog",
            "/operator/market/categories",
            &[("slug", "toys"), ("name_zh", "玩具"), ("name_en", "Toys")],
        )
        .await;
        assert_eq!(category.status, 404);
        let storefront = app.market.storefront(member.company_id).await.unwrap();
        assert!(!storefront.verified);
        assert_eq!(storefront.quotation_quota_monthly, 30);
        assert_eq!(category_count(&app).await, before);

        let visitor = app.client();
        let page = get(&app, &visitor, PAGE).await;
        page.assert_redirect("/signin");
        // Without a session and its token, a post fails the CSRF check.
        let forged = post(
            &app,
            &visitor,
            "/operator/market/categories",
            &[("slug", "toys")],
        )
        .await;
        assert_eq!(forged.status, 403);
        assert_eq!(category_count(&app).await, before);
    }
);
