//! Changing roles and removing staff, with the rule that a company always keeps
//! an owner.

use identity::IdentityError;
use kernel::{Db, Role, storage_test};

use crate::support::{TestIdentity, assert_err, migrations};

storage_test!(
    an_owner_changes_roles_and_removes_staff,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let (company, owner_scope) = identity.register(&owner, "义乌保温杯有限公司").await;
        let (sales, _) = identity
            .join(&owner_scope, "wang.fang@example.cn", Role::Sales)
            .await;
        let member = identity.member(&owner_scope, "wang.fang@example.cn").await;

        let changed = identity
            .change_role(&owner_scope, member.id, Role::Purchasing)
            .await
            .unwrap();
        assert_eq!(changed.role, Role::Purchasing);
        assert_eq!(
            identity.role_in(sales.id, company.id).await.unwrap(),
            Some(Role::Purchasing)
        );

        identity
            .remove_staff(&owner_scope, member.id)
            .await
            .unwrap();
        assert_eq!(identity.role_in(sales.id, company.id).await.unwrap(), None);
        assert_err!(
            identity.staff_member(&owner_scope, member.id).await,
            IdentityError::NotFound(_)
        );
        assert_eq!(
            identity.staff_roles(&owner_scope).await,
            vec![("chen.li@yiwu-thermos.cn".to_owned(), Role::Owner)]
        );
    }
);

storage_test!(the_last_owner_stays, migrations(), |db: Db| async move {
    let identity = TestIdentity::new(&db);
    let owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
    let (_, owner_scope) = identity.register(&owner, "义乌保温杯有限公司").await;
    identity
        .join(&owner_scope, "wang.fang@example.cn", Role::Admin)
        .await;
    let owner_member = identity
        .member(&owner_scope, "chen.li@yiwu-thermos.cn")
        .await;
    let before = identity.staff_roles(&owner_scope).await;

    assert_err!(
        identity
            .change_role(&owner_scope, owner_member.id, Role::Admin)
            .await,
        IdentityError::LastOwner
    );
    assert_err!(
        identity.remove_staff(&owner_scope, owner_member.id).await,
        IdentityError::LastOwner
    );
    assert_eq!(
        identity.staff_roles(&owner_scope).await,
        before,
        "nothing changed"
    );

    // With a second owner, the first may step down.
    let admin_member = identity.member(&owner_scope, "wang.fang@example.cn").await;
    identity
        .change_role(&owner_scope, admin_member.id, Role::Owner)
        .await
        .unwrap();
    identity
        .change_role(&owner_scope, owner_member.id, Role::Admin)
        .await
        .unwrap();
    assert_eq!(
        identity.staff_roles(&owner_scope).await,
        vec![
            ("chen.li@yiwu-thermos.cn".to_owned(), Role::Admin),
            ("wang.fang@example.cn".to_owned(), Role::Owner)
        ]
    );
});

storage_test!(
    only_owners_touch_owners,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let (_, owner_scope) = identity.register(&owner, "义乌保温杯有限公司").await;
        let (_, admin_scope) = identity
            .join(&owner_scope, "admin@example.cn", Role::Admin)
            .await;
        let (_, sales_scope) = identity
            .join(&owner_scope, "sales@example.cn", Role::Sales)
            .await;
        let owner_member = identity
            .member(&owner_scope, "chen.li@yiwu-thermos.cn")
            .await;
        let sales_member = identity.member(&owner_scope, "sales@example.cn").await;
        let before = identity.staff_roles(&owner_scope).await;

        assert_err!(
            identity
                .change_role(&admin_scope, owner_member.id, Role::Viewer)
                .await,
            IdentityError::Forbidden
        );
        assert_err!(
            identity.remove_staff(&admin_scope, owner_member.id).await,
            IdentityError::Forbidden
        );
        assert_err!(
            identity
                .change_role(&admin_scope, sales_member.id, Role::Owner)
                .await,
            IdentityError::Forbidden
        );
        assert_err!(
            identity
                .change_role(&sales_scope, sales_member.id, Role::Admin)
                .await,
            IdentityError::Forbidden
        );
        assert_err!(
            identity.remove_staff(&sales_scope, owner_member.id).await,
            IdentityError::Forbidden
        );
        assert_eq!(
            identity.staff_roles(&owner_scope).await,
            before,
            "nothing changed"
        );

        identity
            .change_role(&admin_scope, sales_member.id, Role::Finance)
            .await
            .unwrap();
    }
);

storage_test!(
    two_owners_demoted_at_once_leave_one,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let (_, owner_scope) = identity.register(&owner, "义乌保温杯有限公司").await;
        identity
            .join(&owner_scope, "wang.fang@example.cn", Role::Owner)
            .await;
        let first = identity
            .member(&owner_scope, "chen.li@yiwu-thermos.cn")
            .await;
        let second = identity.member(&owner_scope, "wang.fang@example.cn").await;

        // A race: one round may pass by luck, so several are run.
        for _ in 0..20 {
            let (a, b) = tokio::join!(
                identity.change_role(&owner_scope, first.id, Role::Admin),
                identity.change_role(&owner_scope, second.id, Role::Admin),
            );
            let demoted = match (a, b) {
                (Ok(_), Err(IdentityError::LastOwner)) => first.id,
                (Err(IdentityError::LastOwner), Ok(_)) => second.id,
                other => panic!("expected one demotion and one LastOwner, got {other:?}"),
            };
            let staff = identity.staff_roles(&owner_scope).await;
            assert_eq!(
                staff
                    .iter()
                    .filter(|(_, role)| *role == Role::Owner)
                    .count(),
                1
            );
            identity
                .change_role(&owner_scope, demoted, Role::Owner)
                .await
                .unwrap();
        }
    }
);
