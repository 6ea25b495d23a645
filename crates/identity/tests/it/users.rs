//! Signing up and signing in: the right password works, everything else gets
//! one answer, and a refused sign-up writes nothing.

use identity::{IdentityError, NewUser};
use kernel::{Db, storage_test};

use crate::support::{PASSWORD, TestIdentity, assert_err, assert_invalid, migrations, new_user};

storage_test!(sign_up_then_sign_in, migrations(), |db: Db| async move {
    let identity = TestIdentity::new(&db);
    let user = identity
        .sign_up(&new_user("  Chen.Li@Yiwu-Thermos.CN "))
        .await
        .unwrap();
    assert_eq!(
        user.email, "chen.li@yiwu-thermos.cn",
        "stored trimmed and lower-cased"
    );
    assert_eq!(user.mobile.as_deref(), Some("+8613800138000"));
    assert!(!user.is_operator);

    let signed_in = identity
        .authenticate("CHEN.LI@yiwu-thermos.cn", PASSWORD)
        .await
        .unwrap();
    assert_eq!(signed_in.id, user.id);
    assert_eq!(signed_in.time_zone, "Asia/Shanghai");
    assert_eq!(identity.user(user.id).await.unwrap().email, user.email);
});

storage_test!(
    wrong_password_and_unknown_email_get_the_same_answer,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let wrong_password = identity
            .authenticate("chen.li@yiwu-thermos.cn", "wrong horse battery")
            .await;
        assert_err!(wrong_password, IdentityError::WrongCredentials);
        assert_err!(
            identity
                .authenticate("nobody@yiwu-thermos.cn", PASSWORD)
                .await,
            IdentityError::WrongCredentials
        );
        assert_err!(
            identity.authenticate("not an email", PASSWORD).await,
            IdentityError::WrongCredentials
        );
    }
);

storage_test!(
    an_email_is_taken_whatever_its_case_and_spaces,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let first = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let again = NewUser {
            password: "another long password".into(),
            ..new_user(" Chen.LI@Yiwu-Thermos.cn  ")
        };
        assert_err!(identity.sign_up(&again).await, IdentityError::EmailTaken);
        assert_eq!(identity.count("identity_user").await, 1, "nothing written");
        let signed_in = identity
            .authenticate("chen.li@yiwu-thermos.cn", PASSWORD)
            .await
            .unwrap();
        assert_eq!(
            signed_in.id, first.id,
            "the first account keeps its password"
        );
    }
);

/// Signs up with one field spoiled and expects it refused for that field, with
/// nothing written.
async fn check(identity: &TestIdentity, spoil: impl FnOnce(&mut NewUser), expected_field: &str) {
    let mut new = new_user("chen.li@yiwu-thermos.cn");
    spoil(&mut new);
    assert_invalid(identity.sign_up(&new).await, expected_field);
    assert_eq!(
        identity.count("identity_user").await,
        0,
        "nothing written for {expected_field}"
    );
}

storage_test!(
    invalid_sign_ups_name_the_field_and_write_nothing,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        check(&identity, |new| new.email = "chen.li@".into(), "email").await;
        check(
            &identity,
            |new| new.email = "chen li@yiwu-thermos.cn".into(),
            "email",
        )
        .await;
        check(&identity, |new| new.password = "short".into(), "password").await;
        check(
            &identity,
            |new| new.password = "123456789".into(),
            "password",
        )
        .await;
        check(
            &identity,
            |new| new.display_name = "   ".into(),
            "display_name",
        )
        .await;
        check(
            &identity,
            |new| new.time_zone = "Europe/Hamburg".into(),
            "time_zone",
        )
        .await;
        check(
            &identity,
            |new| new.time_zone = "Mars/Olympus_Mons".into(),
            "time_zone",
        )
        .await;
        check(
            &identity,
            |new| new.mobile = Some("13800138000".into()),
            "mobile",
        )
        .await;
        check(
            &identity,
            |new| new.mobile = Some("+86 call me".into()),
            "mobile",
        )
        .await;
    }
);
