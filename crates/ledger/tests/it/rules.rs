//! The ledger's rules, one case at a time, on both engines.

use kernel::page::PageRequest;
use kernel::{Db, storage_test};
use ledger::{
    CreateAccountResult as A, CreateTransferResult as R, PendingState, Transfer, TransferFlags,
};

use crate::support::*;

storage_test!(
    transfers_move_money_and_wallets_cannot_overdraw,
    migrations(),
    |db: Db| async move {
        let (ledger, _) = start(&db);
        let (bank, alice, bob) = (source(CNY), wallet(CNY), wallet(CNY));
        create(&ledger, &[bank.clone(), alice.clone(), bob.clone()]).await;

        let results = ledger
            .create_transfers(vec![
                transfer(&bank, &alice, 10_000),
                transfer(&alice, &bob, 2_500),
                transfer(&alice, &bob, 7_501),
            ])
            .await
            .unwrap();
        assert_eq!(results, vec![R::Ok, R::Ok, R::ExceedsCredits]);
        assert_eq!(account(&ledger, &alice).await.credit_balance(), 7_500);
        assert_eq!(account(&ledger, &bob).await.credit_balance(), 2_500);
        assert!(ledger.check().await.unwrap().balanced());
    }
);

storage_test!(
    bad_transfers_get_precise_results,
    migrations(),
    |db: Db| async move {
        let (ledger, _) = start(&db);
        let (bank, alice, euro) = (source(CNY), wallet(CNY), wallet(EUR));
        create(&ledger, &[bank.clone(), alice.clone(), euro.clone()]).await;
        let unknown = wallet(CNY);
        let cases: Vec<(Transfer, R)> = vec![
            (transfer(&bank, &alice, 0), R::AmountMustNotBeZero),
            (transfer(&bank, &alice, -5), R::AmountMustNotBeZero),
            (transfer(&alice, &alice, 5), R::AccountsMustBeDifferent),
            (transfer(&unknown, &alice, 5), R::DebitAccountNotFound),
            (transfer(&bank, &unknown, 5), R::CreditAccountNotFound),
            (transfer(&bank, &euro, 5), R::AccountsMustHaveTheSameLedger),
            (
                Transfer {
                    ledger: EUR,
                    ..transfer(&bank, &alice, 5)
                },
                R::TransferMustHaveTheSameLedgerAsAccounts,
            ),
            (
                transfer(&bank, &alice, 5).with_flags(TransferFlags(64)),
                R::UnknownFlags,
            ),
            (
                transfer(&bank, &alice, 5)
                    .with_flags(TransferFlags::PENDING.union(TransferFlags::POST_PENDING)),
                R::FlagsAreMutuallyExclusive,
            ),
            (
                Transfer {
                    timeout_seconds: 5,
                    ..transfer(&bank, &alice, 5)
                },
                R::TimeoutReservedForPendingTransfer,
            ),
            (
                transfer(&bank, &alice, 5).with_flags(TransferFlags::POST_PENDING),
                R::PendingIdMustBeSet,
            ),
            (
                settle(&transfer(&bank, &alice, 5), 5, TransferFlags::POST_PENDING),
                R::PendingTransferNotFound,
            ),
        ];
        let (transfers, expected): (Vec<_>, Vec<_>) = cases.into_iter().unzip();
        assert_eq!(ledger.create_transfers(transfers).await.unwrap(), expected);
        let check = ledger.check().await.unwrap();
        assert!(check.balanced());
        assert!(
            check.totals.iter().all(|t| t.debits_posted == 0),
            "nothing moved"
        );
    }
);

storage_test!(
    a_transfer_id_is_an_idempotency_key,
    migrations(),
    |db: Db| async move {
        let (ledger, _) = start(&db);
        let (bank, alice) = (source(CNY), wallet(CNY));
        create(&ledger, &[bank.clone(), alice.clone()]).await;
        let first = transfer(&bank, &alice, 1_000);
        assert_eq!(
            ledger.create_transfers(vec![first.clone()]).await.unwrap(),
            vec![R::Ok]
        );
        assert_eq!(
            ledger.create_transfers(vec![first.clone()]).await.unwrap(),
            vec![R::Exists]
        );
        let changed = Transfer {
            amount: 2_000,
            ..first.clone()
        };
        assert_eq!(
            ledger.create_transfers(vec![changed]).await.unwrap(),
            vec![R::ExistsWithDifferentFields]
        );
        // The same id twice in one batch: the second is a replay.
        let twice = transfer(&bank, &alice, 10);
        assert_eq!(
            ledger
                .create_transfers(vec![twice.clone(), twice])
                .await
                .unwrap(),
            vec![R::Ok, R::Exists]
        );
        assert_eq!(account(&ledger, &alice).await.credit_balance(), 1_010);

        assert_eq!(
            ledger
                .create_accounts(std::slice::from_ref(&alice))
                .await
                .unwrap(),
            vec![A::Exists]
        );
        let mut other = alice.clone();
        other.code = 9;
        assert_eq!(
            ledger.create_accounts(&[other]).await.unwrap(),
            vec![A::ExistsWithDifferentFields]
        );
        let mut funded = wallet(CNY);
        funded.credits_posted = 5;
        assert_eq!(
            ledger.create_accounts(&[funded]).await.unwrap(),
            vec![A::BalancesMustBeZero]
        );
    }
);

storage_test!(
    linked_transfers_succeed_or_fail_together,
    migrations(),
    |db: Db| async move {
        let (ledger, _) = start(&db);
        let (bank, alice, bob, fees) = (source(CNY), wallet(CNY), wallet(CNY), wallet(CNY));
        create(
            &ledger,
            &[bank.clone(), alice.clone(), bob.clone(), fees.clone()],
        )
        .await;
        ledger
            .create_transfers(vec![transfer(&bank, &alice, 1_000)])
            .await
            .unwrap();

        let linked = TransferFlags::LINKED;
        let chain = vec![
            transfer(&alice, &bob, 900).with_flags(linked),
            transfer(&alice, &fees, 200),
            transfer(&alice, &bob, 100),
        ];
        assert_eq!(
            ledger.create_transfers(chain).await.unwrap(),
            vec![R::LinkedEventFailed, R::ExceedsCredits, R::Ok]
        );
        assert_eq!(
            account(&ledger, &alice).await.credit_balance(),
            900,
            "only the unlinked transfer applied"
        );
        assert_eq!(account(&ledger, &bob).await.credit_balance(), 100);

        let open = vec![
            transfer(&alice, &bob, 1),
            transfer(&alice, &bob, 1).with_flags(linked),
        ];
        assert_eq!(
            ledger.create_transfers(open).await.unwrap(),
            vec![R::Ok, R::LinkedEventChainOpen]
        );
        let good = vec![
            transfer(&alice, &bob, 500).with_flags(linked),
            transfer(&alice, &fees, 50),
        ];
        assert_eq!(
            ledger.create_transfers(good).await.unwrap(),
            vec![R::Ok, R::Ok]
        );
        assert_eq!(account(&ledger, &alice).await.credit_balance(), 349);
        assert!(ledger.check().await.unwrap().balanced());
    }
);

storage_test!(
    pending_transfers_post_partly_void_and_expire,
    migrations(),
    |db: Db| async move {
        let (ledger, clock) = start(&db);
        let (bank, buyer, escrow, seller) = (source(CNY), wallet(CNY), wallet(CNY), wallet(CNY));
        create(
            &ledger,
            &[bank.clone(), buyer.clone(), escrow.clone(), seller.clone()],
        )
        .await;
        ledger
            .create_transfers(vec![transfer(&bank, &buyer, 10_000)])
            .await
            .unwrap();

        let hold = pending(&buyer, &escrow, 6_000, 0);
        assert_eq!(
            ledger.create_transfers(vec![hold.clone()]).await.unwrap(),
            vec![R::Ok]
        );
        let held = account(&ledger, &buyer).await;
        assert_eq!((held.available(), held.debits_pending), (4_000, 6_000));
        assert_eq!(
            ledger
                .create_transfers(vec![transfer(&buyer, &seller, 4_001)])
                .await
                .unwrap(),
            vec![R::ExceedsCredits],
            "reserved money cannot be spent twice"
        );
        assert_eq!(
            ledger
                .create_transfers(vec![settle(&hold, 6_001, TransferFlags::POST_PENDING)])
                .await
                .unwrap(),
            vec![R::ExceedsPendingTransferAmount]
        );
        assert_eq!(
            ledger
                .create_transfers(vec![settle(&hold, 5_000, TransferFlags::POST_PENDING)])
                .await
                .unwrap(),
            vec![R::Ok]
        );
        let after = account(&ledger, &buyer).await;
        assert_eq!(
            (after.debits_pending, after.credit_balance()),
            (0, 5_000),
            "the unposted 1,000 returns"
        );
        assert_eq!(
            ledger
                .create_transfers(vec![settle(&hold, 0, TransferFlags::VOID_PENDING)])
                .await
                .unwrap(),
            vec![R::PendingTransferAlreadyPosted]
        );

        let second = pending(&buyer, &escrow, 1_000, 0);
        ledger.create_transfers(vec![second.clone()]).await.unwrap();
        assert_eq!(
            ledger
                .create_transfers(vec![settle(&second, 0, TransferFlags::VOID_PENDING)])
                .await
                .unwrap(),
            vec![R::Ok]
        );
        assert_eq!(
            ledger
                .create_transfers(vec![settle(&second, 1_000, TransferFlags::POST_PENDING)])
                .await
                .unwrap(),
            vec![R::PendingTransferAlreadyVoided]
        );

        let lapsing = pending(&buyer, &escrow, 2_000, 60);
        ledger
            .create_transfers(vec![lapsing.clone()])
            .await
            .unwrap();
        assert_eq!(account(&ledger, &buyer).await.available(), 3_000);
        clock.advance_seconds(61);
        assert_eq!(ledger.expire_lapsed().await.unwrap(), 1);
        assert_eq!(
            account(&ledger, &buyer).await.available(),
            5_000,
            "an expired reservation is released"
        );
        assert_eq!(
            ledger
                .create_transfers(vec![settle(&lapsing, 2_000, TransferFlags::POST_PENDING)])
                .await
                .unwrap(),
            vec![R::PendingTransferExpired]
        );
        let states: Vec<PendingState> = ledger
            .lookup_transfers(&[hold.id, second.id, lapsing.id])
            .await
            .unwrap()
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        assert!(
            states.contains(&PendingState::Posted)
                && states.contains(&PendingState::Voided)
                && states.contains(&PendingState::Expired)
        );
        assert!(ledger.check().await.unwrap().balanced());
    }
);

storage_test!(
    statements_show_the_running_balance,
    migrations(),
    |db: Db| async move {
        let (ledger, _) = start(&db);
        let (bank, alice, bob) = (source(CNY), wallet(CNY), wallet(CNY));
        create(&ledger, &[bank.clone(), alice.clone(), bob.clone()]).await;
        for amount in [1_000, 2_000, 3_000] {
            ledger
                .create_transfers(vec![transfer(&bank, &alice, amount)])
                .await
                .unwrap();
        }
        ledger
            .create_transfers(vec![transfer(&alice, &bob, 1_500)])
            .await
            .unwrap();
        let first = ledger
            .statement(alice.id, PageRequest::new(None, Some(3)))
            .await
            .unwrap();
        let running: Vec<i64> = first
            .items
            .iter()
            .map(|l| l.after.unwrap().credits_posted - l.after.unwrap().debits_posted)
            .collect();
        assert_eq!(running, vec![1_000, 3_000, 6_000]);
        let rest = ledger
            .statement(alice.id, PageRequest::new(first.next_after, Some(3)))
            .await
            .unwrap();
        assert_eq!(rest.items.len(), 1);
        let last = rest.items[0].after.unwrap();
        assert_eq!(last.credits_posted - last.debits_posted, 4_500);
        assert_eq!(rest.next_after, None);
    }
);

storage_test!(
    two_writers_on_one_database_never_overdraw,
    migrations(),
    |db: Db| async move {
        // Two ledgers on one database stand for two processes (on PostgreSQL, two
        // nodes): each has its own group-commit writer and no shared memory.
        let (first, _) = start(&db);
        let (second, _) = start(&db);
        let (bank, wallets) = (source(CNY), [wallet(CNY), wallet(CNY), wallet(CNY)]);
        create(
            &first,
            &[
                bank.clone(),
                wallets[0].clone(),
                wallets[1].clone(),
                wallets[2].clone(),
            ],
        )
        .await;
        first
            .create_transfers(wallets.iter().map(|w| transfer(&bank, w, 1_000)).collect())
            .await
            .unwrap();
        let spend = |ledger: ledger::Ledger, offset: usize| {
            let wallets = wallets.clone();
            async move {
                let mut ok = 0;
                for round in 0..30 {
                    let from = &wallets[(round + offset) % 3];
                    let to = &wallets[(round + offset + 1) % 3];
                    let results = ledger
                        .create_transfers(vec![transfer(from, to, 90), transfer(from, to, 90)])
                        .await
                        .unwrap();
                    ok += results.iter().filter(|r| **r == R::Ok).count();
                }
                ok
            }
        };
        let (a, b) = tokio::join!(spend(first.clone(), 0), spend(second.clone(), 1));
        assert!(a + b > 0);
        let check = first.check().await.unwrap();
        assert!(check.balanced(), "{:?}", check.violations);
        let total: i64 = first
            .lookup_accounts(&wallets.iter().map(|w| w.id).collect::<Vec<_>>())
            .await
            .unwrap()
            .iter()
            .map(|account| {
                assert!(account.available() >= 0, "overdrawn: {account:?}");
                account.credit_balance()
            })
            .sum();
        assert_eq!(
            total, 3_000,
            "money moved between wallets, none made or lost"
        );
    }
);

// Callers that create the same account at the same moment (two first
// payments in a new currency, each making the operator's escrow account)
// all succeed: one creates it, the others find it, on both engines.
storage_test!(
    the_same_account_created_at_once_is_made_once,
    migrations(),
    |db: Db| async move {
        let (ledger, _clock) = start(&db);
        let account = wallet(EUR);
        let callers: Vec<_> = (0..16)
            .map(|_| {
                let (ledger, account) = (ledger.clone(), account.clone());
                tokio::spawn(async move { ledger.create_accounts(&[account]).await })
            })
            .collect();
        let mut created = 0;
        for caller in callers {
            match caller.await.unwrap().unwrap().as_slice() {
                [A::Ok] => created += 1,
                [A::Exists] => {}
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(created, 1);
    }
);
