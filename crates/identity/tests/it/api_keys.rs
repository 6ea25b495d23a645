//! API keys: made by managers, never with the owner role, found by their secret
//! until revoked.

use identity::{ApiScope, IdentityError, NewApiKey};
use kernel::{Actor, Db, PageRequest, Role, Scope, storage_test};

use crate::support::{TestIdentity, assert_err, assert_invalid, migrations};

fn erp_key(role: Role, scopes: Vec<ApiScope>) -> NewApiKey {
    NewApiKey {
        name: "ERP sync".into(),
        role,
        scopes,
    }
}

storage_test!(
    a_key_is_found_by_its_secret_until_revoked,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let (company, owner_scope) = identity.register(&owner, "义乌保温杯有限公司").await;

        let new = erp_key(
            Role::Sales,
            vec![
                ApiScope::StaffRead,
                ApiScope::CompanyRead,
                ApiScope::StaffRead,
            ],
        );
        let (key, secret) = identity.create_api_key(&owner_scope, &new).await.unwrap();
        assert!(secret.starts_with("hk_"));
        assert!(secret.starts_with(&key.prefix));
        assert_eq!(
            key.scopes,
            vec![ApiScope::CompanyRead, ApiScope::StaffRead],
            "sorted, without repeats"
        );

        let auth = identity
            .api_key_by_token(&secret)
            .await
            .unwrap()
            .expect("a live key");
        assert_eq!(auth.key_id, key.id);
        assert_eq!(auth.company_id, company.id);
        assert_eq!(auth.role, Role::Sales);
        assert_eq!(
            auth.scopes,
            vec![ApiScope::CompanyRead, ApiScope::StaffRead]
        );
        let listed = identity
            .api_keys(&owner_scope, PageRequest::first())
            .await
            .unwrap()
            .items;
        assert_eq!(listed.len(), 1);
        assert!(listed[0].last_used_at.is_some(), "use is recorded");
        assert!(
            identity
                .api_key_by_token("hk_not-a-key")
                .await
                .unwrap()
                .is_none()
        );

        identity.revoke_api_key(&owner_scope, key.id).await.unwrap();
        assert!(identity.api_key_by_token(&secret).await.unwrap().is_none());
        assert!(
            identity
                .api_keys(&owner_scope, PageRequest::first())
                .await
                .unwrap()
                .items
                .is_empty()
        );
        assert_err!(
            identity.revoke_api_key(&owner_scope, key.id).await,
            IdentityError::NotFound(_)
        );
    }
);

storage_test!(
    refused_keys_are_not_written,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let (_, owner_scope) = identity.register(&owner, "义乌保温杯有限公司").await;
        let (_, sales_scope) = identity
            .join(&owner_scope, "wang.fang@example.cn", Role::Sales)
            .await;

        let owner_key = erp_key(Role::Owner, vec![ApiScope::CompanyRead]);
        assert_invalid(
            identity.create_api_key(&owner_scope, &owner_key).await,
            "role",
        );
        assert_invalid(
            identity
                .create_api_key(&owner_scope, &erp_key(Role::Admin, vec![]))
                .await,
            "scopes",
        );
        let unnamed = NewApiKey {
            name: " ".into(),
            ..erp_key(Role::Admin, vec![ApiScope::CompanyRead])
        };
        assert_invalid(
            identity.create_api_key(&owner_scope, &unnamed).await,
            "name",
        );
        assert_err!(
            identity
                .create_api_key(
                    &sales_scope,
                    &erp_key(Role::Sales, vec![ApiScope::CompanyRead])
                )
                .await,
            IdentityError::Forbidden
        );
        // A key cannot make keys: it is not a person who answers for them.
        let key_scope = Scope::new(owner_scope.company_id(), Actor::ApiKey(1), Role::Admin);
        assert_err!(
            identity
                .create_api_key(
                    &key_scope,
                    &erp_key(Role::Sales, vec![ApiScope::CompanyRead])
                )
                .await,
            IdentityError::Forbidden
        );
        assert_eq!(identity.count("identity_api_key").await, 0);
    }
);

storage_test!(
    only_managers_revoke_keys,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let (_, owner_scope) = identity.register(&owner, "义乌保温杯有限公司").await;
        let (_, viewer_scope) = identity
            .join(&owner_scope, "viewer@example.cn", Role::Viewer)
            .await;
        let new = erp_key(Role::Viewer, vec![ApiScope::CompanyRead]);
        let (key, secret) = identity.create_api_key(&owner_scope, &new).await.unwrap();

        assert_err!(
            identity.revoke_api_key(&viewer_scope, key.id).await,
            IdentityError::Forbidden
        );
        assert!(
            identity.api_key_by_token(&secret).await.unwrap().is_some(),
            "still live"
        );
    }
);
