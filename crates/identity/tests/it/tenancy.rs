//! No cross-company reach: a scope of company A asking for company B's staff,
//! invitations or API keys finds nothing, and B's data stays as it was.

use identity::{ApiScope, IdentityError, InvitationStatus, NewApiKey};
use kernel::{Db, PageRequest, Role, storage_test};

use crate::support::{TestIdentity, assert_err, migrations};

storage_test!(
    a_scope_never_reaches_another_company,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let owner_a = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let owner_b = identity.sign_up_as("jan.meyer@hanse-import.de").await;
        let (_, scope_a) = identity.register(&owner_a, "A 义乌保温杯有限公司").await;
        let (company_b, scope_b) = identity.register(&owner_b, "B 宁波包装有限公司").await;

        let (staff_b, _) = identity
            .join(&scope_b, "sales@b.example.cn", Role::Sales)
            .await;
        let member_b = identity.member(&scope_b, "sales@b.example.cn").await;
        let owner_member_b = identity.member(&scope_b, "jan.meyer@hanse-import.de").await;
        let (invitation_b, _) = identity
            .invite(&scope_b, "buyer@b.example.cn", Role::Purchasing)
            .await
            .unwrap();
        let new_key = NewApiKey {
            name: "ERP".into(),
            role: Role::Admin,
            scopes: vec![ApiScope::StaffRead],
        };
        let (key_b, secret_b) = identity.create_api_key(&scope_b, &new_key).await.unwrap();
        let staff_before = identity.staff_roles(&scope_b).await;

        assert_err!(
            identity.staff_member(&scope_a, member_b.id).await,
            IdentityError::NotFound(_)
        );
        assert_err!(
            identity
                .change_role(&scope_a, member_b.id, Role::Owner)
                .await,
            IdentityError::NotFound(_)
        );
        assert_err!(
            identity
                .change_role(&scope_a, owner_member_b.id, Role::Viewer)
                .await,
            IdentityError::NotFound(_)
        );
        assert_err!(
            identity.remove_staff(&scope_a, member_b.id).await,
            IdentityError::NotFound(_)
        );
        assert_err!(
            identity.remove_staff(&scope_a, owner_member_b.id).await,
            IdentityError::NotFound(_)
        );
        assert_err!(
            identity.invitation(&scope_a, invitation_b.id).await,
            IdentityError::NotFound(_)
        );
        assert_err!(
            identity.revoke_invitation(&scope_a, invitation_b.id).await,
            IdentityError::NotFound(_)
        );
        assert_err!(
            identity.revoke_api_key(&scope_a, key_b.id).await,
            IdentityError::NotFound(_)
        );

        // Lists show only the scope's own company.
        let staff_a = identity.staff_roles(&scope_a).await;
        assert_eq!(
            staff_a,
            vec![("chen.li@yiwu-thermos.cn".to_owned(), Role::Owner)]
        );
        assert!(
            identity
                .invitations(&scope_a, PageRequest::first())
                .await
                .unwrap()
                .items
                .is_empty()
        );
        assert!(
            identity
                .api_keys(&scope_a, PageRequest::first())
                .await
                .unwrap()
                .items
                .is_empty()
        );

        // B's data is as it was.
        assert_eq!(identity.staff_roles(&scope_b).await, staff_before);
        assert_eq!(
            identity.role_in(staff_b.id, company_b.id).await.unwrap(),
            Some(Role::Sales)
        );
        assert_eq!(
            identity
                .invitation(&scope_b, invitation_b.id)
                .await
                .unwrap()
                .status,
            InvitationStatus::Open
        );
        let auth = identity
            .api_key_by_token(&secret_b)
            .await
            .unwrap()
            .expect("B's key still works");
        assert_eq!(auth.company_id, company_b.id);
    }
);
