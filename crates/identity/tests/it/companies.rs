//! Registering a company: the owner's membership, the credit code rules for
//! Chinese companies, and the event that announces it.

use identity::{IdentityError, NewCompany};
use kernel::{Db, Role, storage_test};
use sqlx::Row;

use crate::support::{
    TestIdentity, assert_err, assert_invalid, chinese_company, credit_code, german_company,
    migrations,
};

storage_test!(
    the_registrant_becomes_owner_and_an_event_is_recorded,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let code = credit_code("91330782MA2HXK3P7");
        let company = identity
            .register_company(owner.id, &chinese_company("义乌保温杯有限公司", &code))
            .await
            .unwrap();
        assert_eq!(company.credit_code.as_deref(), Some(code.as_str()));

        let memberships = identity.companies_of(owner.id).await.unwrap();
        assert_eq!(memberships.len(), 1);
        assert_eq!(memberships[0].company_id, company.id);
        assert_eq!(memberships[0].legal_name, "义乌保温杯有限公司");
        assert_eq!(memberships[0].role, Role::Owner);
        assert_eq!(
            identity.role_in(owner.id, company.id).await.unwrap(),
            Some(Role::Owner)
        );

        let events = sqlx::query("SELECT name, company_id FROM kernel_outbox")
            .fetch_all(db.reader())
            .await
            .unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].get::<String, _>("name"), "CompanyRegistered");
        assert_eq!(
            events[0].get::<Option<i64>, _>("company_id"),
            Some(company.id.raw())
        );
    }
);

/// Registers the company and expects it refused for `expected_field`, with no
/// company, membership or event written.
async fn check(identity: &TestIdentity, new: NewCompany, expected_field: &str) {
    let owner = identity
        .user_by_email("chen.li@yiwu-thermos.cn")
        .await
        .unwrap()
        .unwrap();
    assert_invalid(
        identity.register_company(owner.id, &new).await,
        expected_field,
    );
    assert_eq!(
        identity.count("identity_company").await,
        0,
        "no company for {expected_field}"
    );
    assert_eq!(identity.count("identity_membership").await, 0);
    assert_eq!(identity.count("kernel_outbox").await, 0);
}

storage_test!(
    a_chinese_company_needs_a_valid_credit_code,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let valid = credit_code("91330782MA2HXK3P7");
        let without_code = NewCompany {
            credit_code: None,
            ..chinese_company("义乌保温杯有限公司", &valid)
        };
        check(&identity, without_code, "credit_code").await;
        let blank_code = NewCompany {
            credit_code: Some("  ".into()),
            ..chinese_company("义乌保温杯有限公司", &valid)
        };
        check(&identity, blank_code, "credit_code").await;

        let wrong_check = if valid.ends_with('0') {
            "91330782MA2HXK3P71"
        } else {
            "91330782MA2HXK3P70"
        };
        check(
            &identity,
            chinese_company("义乌保温杯有限公司", wrong_check),
            "credit_code",
        )
        .await;
        check(
            &identity,
            chinese_company("义乌保温杯有限公司", "91330782MA2HXK3P"),
            "credit_code",
        )
        .await;
        check(
            &identity,
            NewCompany {
                country: "XX".into(),
                ..chinese_company("义乌保温杯有限公司", &valid)
            },
            "country",
        )
        .await;
        check(&identity, chinese_company("", &valid), "legal_name").await;
    }
);

storage_test!(
    a_credit_code_registers_one_company,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let first_owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let second_owner = identity.sign_up_as("wang.fang@example.cn").await;
        let code = credit_code("91330782MA2HXK3P7");
        identity
            .register_company(
                first_owner.id,
                &chinese_company("义乌保温杯有限公司", &code),
            )
            .await
            .unwrap();

        // The same code as people type it: lower case, with spaces around.
        let typed = format!("  {}  ", code.to_lowercase());
        assert_err!(
            identity
                .register_company(second_owner.id, &chinese_company("另一家公司", &typed))
                .await,
            IdentityError::CreditCodeTaken
        );
        assert_eq!(identity.count("identity_company").await, 1);
        assert_eq!(identity.count("identity_membership").await, 1);
        assert_eq!(identity.count("kernel_outbox").await, 1);
        assert!(
            identity
                .companies_of(second_owner.id)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

storage_test!(
    a_foreign_company_gives_its_registration_number,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let owner = identity.sign_up_as("jan.meyer@hanse-import.de").await;
        let first = identity
            .register_company(owner.id, &german_company("Hanse Import GmbH"))
            .await
            .unwrap();
        assert_eq!(first.credit_code, None);
        assert_eq!(first.registration_number.as_deref(), Some("HRB 12345"));
        assert_eq!(first.country, "DE");

        // Companies without a credit code do not collide on it.
        let second = identity
            .register_company(owner.id, &german_company("Hanse Export GmbH"))
            .await
            .unwrap();
        let ids: Vec<_> = identity
            .companies_of(owner.id)
            .await
            .unwrap()
            .iter()
            .map(|m| m.company_id)
            .collect();
        assert_eq!(ids, vec![second.id, first.id], "ordered by legal name");
        assert_eq!(identity.count("kernel_outbox").await, 2);
    }
);
