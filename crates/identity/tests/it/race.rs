//! Scratch: concurrent demotions of two owners.

use kernel::{Db, Role, storage_test};

use crate::support::{TestIdentity, migrations};

storage_test!(two_owners_demoted_at_once, migrations(), |db: Db| async move {
    let identity = TestIdentity::new(&db);
    let owner = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
    let (_, owner_scope) = identity.register(&owner, "义乌保温杯有限公司").await;
    identity.join(&owner_scope, "wang.fang@example.cn", Role::Owner).await;
    let first = identity.member(&owner_scope, "chen.li@yiwu-thermos.cn").await;
    let second = identity.member(&owner_scope, "wang.fang@example.cn").await;
    let mut broken = 0;
    for _ in 0..200 {
        let (a, b) = tokio::join!(
            identity.change_role(&owner_scope, first.id, Role::Admin),
            identity.change_role(&owner_scope, second.id, Role::Admin),
        );
        let owners = identity.staff_roles(&owner_scope).await.iter().filter(|(_, r)| *r == Role::Owner).count();
        if owners == 0 {
            broken += 1;
        }
        let _ = (a, b);
        // Restore both owners (direct SQL, since no owner may remain).
        sqlx::query("UPDATE identity_membership SET role = 'owner'").execute(db.reader()).await.unwrap();
    }
    assert_eq!(broken, 0, "times no owner remained");
});
