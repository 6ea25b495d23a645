//! Invitations: who may invite whom, and how an invitation is accepted once, by
//! the invited address, before it expires, unless it was withdrawn.

use identity::{IdentityError, InvitationStatus};
use kernel::{Db, Role, storage_test};

use crate::support::{TestIdentity, assert_err, migrations};

storage_test!(
    an_invited_person_joins_in_the_offered_role,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let (company, owner_scope) = identity.register(&owner, "义乌保温杯有限公司").await;

        let (invitation, secret) = identity
            .invite(&owner_scope, " Wang.Fang@Example.cn", Role::Sales)
            .await
            .unwrap();
        assert_eq!(invitation.email, "wang.fang@example.cn");
        assert_eq!(invitation.status, InvitationStatus::Open);
        assert!(secret.starts_with("inv_"));
        assert_eq!(
            identity.mailed_invitation_secret("wang.fang@example.cn"),
            secret,
            "the mail carries the link"
        );

        let preview = identity.preview_invitation(&secret).await.unwrap();
        assert_eq!(preview.company_name, "义乌保温杯有限公司");
        assert_eq!(preview.role, Role::Sales);

        let person = identity.sign_up_as("wang.fang@example.cn").await;
        assert_eq!(
            identity
                .accept_invitation(person.id, &secret)
                .await
                .unwrap(),
            company.id
        );
        assert_eq!(
            identity.role_in(person.id, company.id).await.unwrap(),
            Some(Role::Sales)
        );
        assert_eq!(
            identity
                .invitation(&owner_scope, invitation.id)
                .await
                .unwrap()
                .status,
            InvitationStatus::Accepted
        );
        let events = sqlx::query("SELECT name FROM kernel_outbox ORDER BY position")
            .fetch_all(db.reader())
            .await
            .unwrap();
        let names: Vec<String> = events
            .iter()
            .map(|row| sqlx::Row::get(row, "name"))
            .collect();
        assert_eq!(names, vec!["CompanyRegistered", "StaffJoined"]);

        assert_err!(
            identity.accept_invitation(person.id, &secret).await,
            IdentityError::InvitationClosed
        );
        assert_eq!(
            identity.count("identity_membership").await,
            2,
            "joined once"
        );
    }
);

storage_test!(
    an_invitation_is_for_the_address_it_was_sent_to,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let (company, owner_scope) = identity.register(&owner, "义乌保温杯有限公司").await;
        let (_, secret) = identity
            .invite(&owner_scope, "wang.fang@example.cn", Role::Sales)
            .await
            .unwrap();

        let someone_else = identity.sign_up_as("zhao.lei@example.cn").await;
        assert_err!(
            identity.accept_invitation(someone_else.id, &secret).await,
            IdentityError::InvitationForAnotherEmail
        );
        assert_eq!(
            identity.role_in(someone_else.id, company.id).await.unwrap(),
            None
        );

        // Still open for the right person.
        let person = identity.sign_up_as("wang.fang@example.cn").await;
        identity
            .accept_invitation(person.id, &secret)
            .await
            .unwrap();
    }
);

storage_test!(
    an_invitation_expires_after_seven_days,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let (company, owner_scope) = identity.register(&owner, "义乌保温杯有限公司").await;
        let (invitation, secret) = identity
            .invite(&owner_scope, "wang.fang@example.cn", Role::Sales)
            .await
            .unwrap();
        let person = identity.sign_up_as("wang.fang@example.cn").await;

        identity.advance_days(8);
        assert_err!(
            identity.accept_invitation(person.id, &secret).await,
            IdentityError::InvitationExpired
        );
        assert_eq!(identity.role_in(person.id, company.id).await.unwrap(), None);
        assert_eq!(
            identity
                .invitation(&owner_scope, invitation.id)
                .await
                .unwrap()
                .status,
            InvitationStatus::Expired
        );
    }
);

storage_test!(
    a_revoked_invitation_cannot_be_accepted,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let (company, owner_scope) = identity.register(&owner, "义乌保温杯有限公司").await;
        let (invitation, secret) = identity
            .invite(&owner_scope, "wang.fang@example.cn", Role::Sales)
            .await
            .unwrap();

        identity
            .revoke_invitation(&owner_scope, invitation.id)
            .await
            .unwrap();
        assert_err!(
            identity
                .revoke_invitation(&owner_scope, invitation.id)
                .await,
            IdentityError::InvitationClosed
        );
        let person = identity.sign_up_as("wang.fang@example.cn").await;
        assert_err!(
            identity.accept_invitation(person.id, &secret).await,
            IdentityError::InvitationClosed
        );
        assert_eq!(identity.role_in(person.id, company.id).await.unwrap(), None);
        assert_eq!(
            identity
                .invitation(&owner_scope, invitation.id)
                .await
                .unwrap()
                .status,
            InvitationStatus::Revoked
        );
    }
);

storage_test!(
    only_managers_invite_and_only_owners_invite_owners,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let (_, owner_scope) = identity.register(&owner, "义乌保温杯有限公司").await;
        let (_, viewer_scope) = identity
            .join(&owner_scope, "viewer@example.cn", Role::Viewer)
            .await;
        let (_, admin_scope) = identity
            .join(&owner_scope, "admin@example.cn", Role::Admin)
            .await;
        let invitations_before = identity.count("identity_invitation").await;

        assert_err!(
            identity
                .invite(&viewer_scope, "wang.fang@example.cn", Role::Sales)
                .await,
            IdentityError::Forbidden
        );
        assert_err!(
            identity
                .invite(&admin_scope, "wang.fang@example.cn", Role::Owner)
                .await,
            IdentityError::Forbidden
        );
        assert_eq!(
            identity.count("identity_invitation").await,
            invitations_before,
            "nothing written"
        );

        identity
            .invite(&admin_scope, "wang.fang@example.cn", Role::Sales)
            .await
            .unwrap();
        identity
            .invite(&owner_scope, "partner@example.cn", Role::Owner)
            .await
            .unwrap();
    }
);

storage_test!(
    staff_members_are_not_invited_again,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let (_, owner_scope) = identity.register(&owner, "义乌保温杯有限公司").await;
        identity
            .join(&owner_scope, "wang.fang@example.cn", Role::Sales)
            .await;

        assert_err!(
            identity
                .invite(&owner_scope, "Wang.Fang@example.cn", Role::Admin)
                .await,
            IdentityError::AlreadyMember
        );
        let owner_again = identity
            .invite(&owner_scope, "chen.li@yiwu-thermos.cn", Role::Owner)
            .await;
        assert_err!(owner_again, IdentityError::AlreadyMember);
        assert_eq!(
            identity.count("identity_invitation").await,
            1,
            "only the first invitation"
        );
    }
);
