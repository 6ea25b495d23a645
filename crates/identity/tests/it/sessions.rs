//! Sessions: found by their token until revoked or expired; each user ends and
//! switches only their own, and only to companies they belong to.

use identity::IdentityError;
use kernel::{Db, storage_test};

use crate::support::{TestIdentity, assert_err, german_company, migrations};

storage_test!(
    a_session_is_found_by_its_token_until_revoked,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let user = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let (company, _) = identity.register(&user, "义乌保温杯有限公司").await;

        let (session, secret) = identity
            .start_session(user.id, "Firefox", "203.0.113.7")
            .await
            .unwrap();
        assert!(secret.starts_with("hs_"));
        let auth = identity
            .session_by_token(&secret)
            .await
            .unwrap()
            .expect("a live session");
        assert_eq!(auth.session_id, session.id);
        assert_eq!(auth.user.id, user.id);
        assert_eq!(
            auth.active_company_id,
            Some(company.id),
            "acts for the user's company"
        );
        assert_eq!(identity.sessions(user.id).await.unwrap().len(), 1);
        assert!(
            identity
                .session_by_token("hs_not-a-token")
                .await
                .unwrap()
                .is_none()
        );

        identity.revoke_session(user.id, session.id).await.unwrap();
        assert!(identity.session_by_token(&secret).await.unwrap().is_none());
        assert!(identity.sessions(user.id).await.unwrap().is_empty());
        assert_err!(
            identity.revoke_session(user.id, session.id).await,
            IdentityError::NotFound(_)
        );
    }
);

storage_test!(
    nobody_ends_another_users_session,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let user = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let other = identity.sign_up_as("wang.fang@example.cn").await;
        let (session, secret) = identity
            .start_session(user.id, "Firefox", "203.0.113.7")
            .await
            .unwrap();

        assert_err!(
            identity.revoke_session(other.id, session.id).await,
            IdentityError::NotFound(_)
        );
        assert!(
            identity.session_by_token(&secret).await.unwrap().is_some(),
            "still live"
        );
    }
);

storage_test!(
    a_session_expires_after_thirty_days,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let user = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let (_, secret) = identity
            .start_session(user.id, "Firefox", "203.0.113.7")
            .await
            .unwrap();

        identity.advance_days(29);
        assert!(identity.session_by_token(&secret).await.unwrap().is_some());
        identity.advance_days(2);
        assert!(identity.session_by_token(&secret).await.unwrap().is_none());
        assert!(identity.sessions(user.id).await.unwrap().is_empty());
    }
);

storage_test!(
    a_session_switches_only_to_the_users_companies,
    migrations(),
    |db: Db| async move {
        let identity = TestIdentity::new(&db);
        let user = identity.sign_up_as("chen.li@yiwu-thermos.cn").await;
        let stranger = identity.sign_up_as("jan.meyer@hanse-import.de").await;
        let (first, _) = identity.register(&user, "A 义乌保温杯有限公司").await;
        let (second, _) = identity.register(&user, "B 义乌包装有限公司").await;
        let foreign = identity
            .register_company(stranger.id, &german_company("Hanse Import GmbH"))
            .await
            .unwrap();
        let (session, secret) = identity
            .start_session(user.id, "Firefox", "203.0.113.7")
            .await
            .unwrap();
        let active =
            |auth: Option<identity::SessionAuth>| auth.expect("a live session").active_company_id;
        assert_eq!(
            active(identity.session_by_token(&secret).await.unwrap()),
            Some(first.id)
        );

        identity
            .switch_company(user.id, session.id, second.id)
            .await
            .unwrap();
        assert_eq!(
            active(identity.session_by_token(&secret).await.unwrap()),
            Some(second.id)
        );

        assert_err!(
            identity
                .switch_company(user.id, session.id, foreign.id)
                .await,
            IdentityError::NotFound(_)
        );
        assert_eq!(
            active(identity.session_by_token(&secret).await.unwrap()),
            Some(second.id),
            "unchanged"
        );
    }
);
