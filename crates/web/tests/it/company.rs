//! Companies and their staff over the API: registering, the staff list with
//! pagination, invitations, roles, the last owner, several companies per person,
//! and the operator's view.

use reqwest::Method;
use serde_json::{Value, json};
use web::app_test;
use web::testing::TestApp;

use crate::support::{call, check_problem};

app_test!(
    staff_are_invited_paged_and_re_roled,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let sales = app.add_staff(&owner, "sales@hengxin.test", "sales").await;
        app.add_staff(&owner, "stock@hengxin.test", "warehouse")
            .await;

        let (_, first) = call(
            &app,
            &owner.client,
            Method::GET,
            "/api/v1/company/staff?limit=2",
            None,
        )
        .await;
        assert_eq!(first["items"].as_array().unwrap().len(), 2);
        let cursor = first["next_cursor"]
            .as_str()
            .expect("a second page")
            .to_owned();
        let (_, second) = call(
            &app,
            &owner.client,
            Method::GET,
            &format!("/api/v1/company/staff?limit=2&cursor={cursor}"),
            None,
        )
        .await;
        assert_eq!(second["items"].as_array().unwrap().len(), 1);
        assert_eq!(second["next_cursor"], Value::Null);
        assert_eq!(second["items"][0]["email"], "stock@hengxin.test");

        let sales_membership = first["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["email"] == "sales@hengxin.test")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        // Sales staff may read the staff list but not change it.
        let (status, _) = call(
            &app,
            &sales.client,
            Method::GET,
            "/api/v1/company/staff",
            None,
        )
        .await;
        assert_eq!(status, 200);
        let refused = call(
            &app,
            &sales.client,
            Method::PATCH,
            &format!("/api/v1/company/staff/{sales_membership}"),
            Some(json!({"role": "admin"})),
        )
        .await;
        check_problem(&refused, 403, "forbidden", None);
        let (status, changed) = call(
            &app,
            &owner.client,
            Method::PATCH,
            &format!("/api/v1/company/staff/{sales_membership}"),
            Some(json!({"role": "admin"})),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(changed["role"], "admin");

        let (_, me) = call(&app, &owner.client, Method::GET, "/api/v1/me", None).await;
        let owner_membership = first["items"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(first["items"][0]["user_id"], me["user"]["id"]);
        let last_owner = call(
            &app,
            &owner.client,
            Method::PATCH,
            &format!("/api/v1/company/staff/{owner_membership}"),
            Some(json!({"role": "viewer"})),
        )
        .await;
        check_problem(&last_owner, 409, "last_owner", None);
        let last_owner = call(
            &app,
            &owner.client,
            Method::DELETE,
            &format!("/api/v1/company/staff/{owner_membership}"),
            None,
        )
        .await;
        check_problem(&last_owner, 409, "last_owner", None);

        let (status, _) = call(
            &app,
            &owner.client,
            Method::DELETE,
            &format!("/api/v1/company/staff/{sales_membership}"),
            None,
        )
        .await;
        assert_eq!(status, 204);
        let gone = call(&app, &sales.client, Method::GET, "/api/v1/company", None).await;
        check_problem(&gone, 409, "no_active_company", None);
    }
);

app_test!(
    invitations_are_listed_withdrawn_and_checked,
    |app: TestApp| async move {
        let owner = app.sign_up_company("Hengxin Thermos").await;
        let (status, invitation) = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/company/invitations",
            Some(json!({"email": "Finance@Hengxin.test", "role": "finance"})),
        )
        .await;
        assert_eq!(status, 201);
        assert_eq!(invitation["status"], "open");
        assert_eq!(invitation["email"], "finance@hengxin.test");
        let token = app.last_invitation_token("finance@hengxin.test");
        let mail_count = std::fs::read_dir(&app.mailbox).unwrap().count();
        assert_eq!(
            mail_count, 1,
            "the invitation was mailed into the mailbox folder"
        );

        let (stranger, _) = app.sign_up("stranger@else.test").await;
        let wrong_person = call(
            &app,
            &stranger,
            Method::POST,
            "/api/v1/invitations/accept",
            Some(json!({"token": token})),
        )
        .await;
        check_problem(&wrong_person, 422, "invitation_for_another_email", None);

        let id = invitation["id"].as_str().unwrap();
        let (status, _) = call(
            &app,
            &owner.client,
            Method::DELETE,
            &format!("/api/v1/company/invitations/{id}"),
            None,
        )
        .await;
        assert_eq!(status, 204);
        let (_, list) = call(
            &app,
            &owner.client,
            Method::GET,
            "/api/v1/company/invitations",
            None,
        )
        .await;
        assert_eq!(list["items"][0]["status"], "revoked");
        let (invited, _) = app.sign_up("finance@hengxin.test").await;
        let withdrawn = call(
            &app,
            &invited,
            Method::POST,
            "/api/v1/invitations/accept",
            Some(json!({"token": token})),
        )
        .await;
        check_problem(&withdrawn, 410, "invitation_closed", None);

        let member = call(
            &app,
            &owner.client,
            Method::POST,
            "/api/v1/company/invitations",
            Some(json!({"email": owner.email, "role": "admin"})),
        )
        .await;
        check_problem(&member, 409, "already_member", None);
    }
);

app_test!(
    a_person_switches_between_companies,
    |app: TestApp| async move {
        let first = app.sign_up_company("Hengxin Thermos").await;
        let (status, second) = call(&app, &first.client, Method::POST, "/api/v1/companies", Some(json!({
        "legal_name": "Vogel Haushaltswaren GmbH", "registration_number": "HRB 158423", "country": "DE",
        "region": "Hamburg", "city": "Hamburg", "address": "Spaldingstraße 64, 20097 Hamburg",
        "industry": "wholesale_import_export", "size": "10-49"}))).await;
        assert_eq!(status, 201, "{second}");
        let (_, me) = call(&app, &first.client, Method::GET, "/api/v1/me", None).await;
        assert_eq!(me["companies"].as_array().unwrap().len(), 2);
        assert_eq!(
            me["active_company_id"], second["id"],
            "registering switches to the new company"
        );
        let (status, _) = call(
            &app,
            &first.client,
            Method::PUT,
            "/api/v1/me/active-company",
            Some(json!({"company_id": first.company_id})),
        )
        .await;
        assert_eq!(status, 204);
        let (_, company) = call(&app, &first.client, Method::GET, "/api/v1/company", None).await;
        assert_eq!(company["id"], first.company_id.to_string());
        assert_eq!(company["legal_name"], "Hengxin Thermos");
    }
);

app_test!(
    the_operator_lists_every_company,
    |app: TestApp| async move {
        app.sign_up_company("Hengxin Thermos").await;
        app.sign_up_company("Huaqiang Xunda").await;
        let client = app.sign_in_operator().await;
        let (status, page) = call(
            &app,
            &client,
            Method::GET,
            "/api/v1/operator/companies?limit=1",
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        assert!(page["next_cursor"].is_string());
    }
);
