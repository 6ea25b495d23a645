//! Random sequences of ledger operations, some submitted concurrently, on both
//! engines. After each sequence: debits equal credits per currency, no wallet
//! is below zero, balances equal the sums of transfers, replays change
//! nothing, linked chains are all or nothing, and every reservation is open,
//! posted, voided or expired exactly once.

use std::collections::HashMap;

use kernel::Engine;
use kernel::testing::TestDb;
use ledger::{
    Account, CreateTransferResult as R, PendingState, Transfer, TransferFlags, TransferId,
};
use proptest::prelude::*;

use crate::support::*;

/// One operation, naming accounts and earlier pending transfers by index.
#[derive(Debug, Clone)]
enum Op {
    Move {
        from: usize,
        to: usize,
        amount: i64,
        linked: bool,
    },
    Reserve {
        from: usize,
        to: usize,
        amount: i64,
        timeout: bool,
    },
    Post {
        pending: usize,
        amount: i64,
    },
    Void {
        pending: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..5_usize, 0..5_usize, 1..4_000_i64, any::<bool>()).prop_map(|(from, to, amount, linked)| Op::Move { from, to, amount, linked }),
        2 => (0..5_usize, 0..5_usize, 1..3_000_i64, any::<bool>()).prop_map(|(from, to, amount, timeout)| Op::Reserve { from, to, amount, timeout }),
        1 => (0..8_usize, 1..3_000_i64).prop_map(|(pending, amount)| Op::Post { pending, amount }),
        1 => (0..8_usize).prop_map(|pending| Op::Void { pending }),
    ]
}

/// Sequences split into batches; batches in a group are submitted at once.
fn scenario() -> impl Strategy<Value = Vec<Vec<Vec<Op>>>> {
    prop::collection::vec(
        prop::collection::vec(prop::collection::vec(op(), 1..6), 1..4),
        1..5,
    )
}

async fn run(engine: Engine, groups: Vec<Vec<Vec<Op>>>) -> Result<(), TestCaseError> {
    let Some(test_db) = TestDb::migrated(engine, &migrations()).await else {
        return Ok(());
    };
    let (ledger, clock) = start(&test_db.db);
    // Account 0 is the bank money enters from; 1-4 are wallets (CNY).
    let mut accounts: Vec<Account> = vec![source(CNY)];
    accounts.extend((0..4).map(|_| wallet(CNY)));
    create(&ledger, &accounts).await;
    let funding: Vec<Transfer> = (1..5)
        .map(|i| transfer(&accounts[0], &accounts[i], 5_000))
        .collect();
    ledger.create_transfers(funding).await.unwrap();

    let mut reservations: Vec<Transfer> = Vec::new();
    let mut succeeded: Vec<Transfer> = Vec::new();
    let mut chains: Vec<Vec<(TransferId, R)>> = Vec::new();
    for group in groups {
        let batches: Vec<Vec<Transfer>> = group
            .iter()
            .map(|ops| {
                let mut batch: Vec<Transfer> = ops
                    .iter()
                    .map(|op| to_transfer(op, &accounts, &mut reservations))
                    .collect();
                // A chain may not stay open at the end of a batch, by construction
                // of the test; the open-chain rule has its own test.
                if let Some(last) = batch.last_mut() {
                    last.flags = TransferFlags(last.flags.0 & !TransferFlags::LINKED.0);
                }
                batch
            })
            .collect();
        let answers =
            futures::future::join_all(batches.iter().map(|b| ledger.create_transfers(b.clone())))
                .await;
        for (batch, answer) in batches.iter().zip(answers) {
            let results = answer.unwrap();
            prop_assert_eq!(results.len(), batch.len());
            let mut chain = Vec::new();
            for (transfer, result) in batch.iter().zip(&results) {
                if *result == R::Ok {
                    succeeded.push(transfer.clone());
                }
                chain.push((transfer.id, *result));
                if !transfer.flags.contains(TransferFlags::LINKED) {
                    chains.push(std::mem::take(&mut chain));
                }
            }
        }
        clock.advance_seconds(20);
        ledger.expire_lapsed().await.unwrap();
    }

    let check = ledger.check().await.unwrap();
    prop_assert!(check.balanced(), "{:?}", check.violations);

    for chain in &chains {
        let ok = chain.iter().filter(|(_, r)| *r == R::Ok).count();
        prop_assert!(
            ok == 0 || ok == chain.len(),
            "chain partly applied: {:?}",
            chain
        );
        let ids: Vec<TransferId> = chain.iter().map(|(id, _)| *id).collect();
        let stored = ledger.lookup_transfers(&ids).await.unwrap().len();
        prop_assert!(
            stored == 0 || stored == chain.len(),
            "chain partly stored: {:?}",
            chain
        );
    }

    // Every reservation that was made is in exactly one state, and a settled
    // one has exactly one settling transfer.
    let made: Vec<TransferId> = reservations
        .iter()
        .filter(|r| succeeded.iter().any(|s| s.id == r.id))
        .map(|r| r.id)
        .collect();
    let states: HashMap<TransferId, PendingState> = ledger
        .lookup_transfers(&made)
        .await
        .unwrap()
        .into_iter()
        .map(|(t, s)| (t.id, s))
        .collect();
    for id in &made {
        let settlements = succeeded
            .iter()
            .filter(|t| t.pending_id == Some(*id))
            .count();
        match states[id] {
            PendingState::Pending | PendingState::Expired => prop_assert_eq!(settlements, 0),
            PendingState::Posted | PendingState::Voided => prop_assert_eq!(settlements, 1),
            PendingState::None => prop_assert!(false, "a reservation without pending state"),
        }
    }

    // Replaying everything that succeeded changes nothing.
    let before = ledger
        .lookup_accounts(&accounts.iter().map(|a| a.id).collect::<Vec<_>>())
        .await
        .unwrap();
    let results = ledger.create_transfers(succeeded.clone()).await.unwrap();
    prop_assert!(results.iter().all(|r| *r == R::Exists), "{:?}", results);
    let after = ledger
        .lookup_accounts(&accounts.iter().map(|a| a.id).collect::<Vec<_>>())
        .await
        .unwrap();
    prop_assert_eq!(before, after);
    Ok(())
}

fn to_transfer(op: &Op, accounts: &[Account], reservations: &mut Vec<Transfer>) -> Transfer {
    let wallet = |i: usize| &accounts[1 + i % 4];
    match *op {
        Op::Move {
            from,
            to,
            amount,
            linked,
        } => {
            let (debit, credit) = if from == 4 {
                (&accounts[0], wallet(to))
            } else {
                (wallet(from), wallet(to))
            };
            let t = transfer(debit, credit, amount);
            if linked {
                t.with_flags(TransferFlags::LINKED)
            } else {
                t
            }
        }
        Op::Reserve {
            from,
            to,
            amount,
            timeout,
        } => {
            let t = pending(
                wallet(from),
                wallet(to),
                amount,
                if timeout { 30 } else { 0 },
            );
            reservations.push(t.clone());
            t
        }
        Op::Post {
            pending: index,
            amount,
        } => match reservations.get(index % reservations.len().max(1)) {
            Some(original) => settle(original, amount, TransferFlags::POST_PENDING),
            None => transfer(&accounts[0], wallet(index), amount),
        },
        Op::Void { pending: index } => match reservations.get(index % reservations.len().max(1)) {
            Some(original) => settle(original, 0, TransferFlags::VOID_PENDING),
            None => transfer(&accounts[0], wallet(index), 1),
        },
    }
}

fn check_engine(engine: Engine) {
    let config = ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(groups in scenario())| {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(run(engine, groups))?;
    });
}

#[test]
fn random_sequences_keep_the_invariants_on_sqlite() {
    check_engine(Engine::Sqlite);
}

#[test]
fn random_sequences_keep_the_invariants_on_postgres() {
    check_engine(Engine::Postgres);
}
