//! `hanse backup` and `hanse restore` as an operator runs them: the demo
//! backed up while a server takes payments, restored into a fresh data
//! directory with the snapshot's rows, a balanced ledger and searchable
//! products; and every refusal (a target that is not empty, PostgreSQL, no
//! or a broken manifest, a wrong hash, a database in the way, a running
//! server) changes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::support::{Server, fails, succeeds};

const PASSWORD: &str = "hanse-demo-2026";
/// Demo staff who may move money, each with the currency of their company.
const PAYERS: [(&str, &str); 2] = [
    ("chen.li@hengxin-thermos.demo", "CNY"),
    ("thomas.vogel@vogel-haushalt.demo", "EUR"),
];
const FLASKS: &str = "保温杯";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_load_restores_the_snapshot() {
    let directory = tempfile::tempdir().unwrap();
    let root = directory.path().to_owned();
    let server = Server::start(&root, &["--demo", "--data-dir", "data"]);

    // Money moves through the ledger's group commit while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let confirmed = Arc::new(AtomicU64::new(0));
    let payers: Vec<_> = PAYERS
        .iter()
        .map(|(email, currency)| {
            tokio::spawn(pay_in_until(
                server.url(""),
                email,
                currency,
                stop.clone(),
                confirmed.clone(),
            ))
        })
        .collect();
    wait_until(|| confirmed.load(Ordering::SeqCst) >= 4).await;
    let before_backup = confirmed.load(Ordering::SeqCst);
    let backup_root = root.clone();
    let printed = tokio::task::spawn_blocking(move || {
        succeeds(&backup_root, &["backup", "backup", "--data-dir", "data"])
    })
    .await
    .unwrap();
    let after_backup = confirmed.load(Ordering::SeqCst);
    wait_until(|| confirmed.load(Ordering::SeqCst) >= after_backup + 2).await;
    stop.store(true, Ordering::SeqCst);
    for payer in payers {
        payer.await.unwrap();
    }
    assert!(printed.contains("one snapshot"), "{printed}");
    assert!(
        after_backup > before_backup,
        "payments were confirmed while the backup ran ({before_backup} before, {after_backup} after)"
    );
    let flasks = search_total(&server, FLASKS).await;
    let browsed = search_total(&server, "").await;
    assert!(flasks > 0, "the demo has flasks");
    assert!(server.stop().success());

    let manifest: Value =
        serde_json::from_slice(&std::fs::read(root.join("backup/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["engine"], "sqlite");
    assert_eq!(manifest["hanse_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(manifest["search_index"]["copied"], false);
    assert!(!root.join("backup/search").exists(), "no live index copied");
    let tables: BTreeMap<String, i64> = serde_json::from_value(manifest["tables"].clone()).unwrap();
    assert_eq!(
        row_counts(&root.join("backup/hanse.db")).await,
        tables,
        "the manifest counts the copy's rows"
    );

    let restored = succeeds(&root, &["restore", "backup", "--data-dir", "restored"]);
    assert!(restored.contains("ledger    balanced"), "{restored}");
    assert!(restored.contains("index rebuilt"), "{restored}");
    let restored_db = root.join("restored/hanse.db");
    assert_eq!(
        row_counts(&restored_db).await,
        tables,
        "the restored database holds the snapshot's rows"
    );
    assert!(ledger_balances(&restored_db).await);
    let payments_in_snapshot = succeeded_top_ups(&restored_db).await
        - succeeded_top_ups(&root.join("data/hanse.db")).await
        + confirmed.load(Ordering::SeqCst) as i64;
    assert!(
        payments_in_snapshot >= before_backup as i64
            && payments_in_snapshot <= after_backup as i64 + PAYERS.len() as i64,
        "the snapshot has every payment confirmed before the backup began and none from after it \
         ended: {payments_in_snapshot} of {before_backup}..{after_backup}"
    );
    assert_eq!(
        file_count(&root.join("restored/images")),
        file_count(&root.join("data/images")),
        "every image came back"
    );
    assert_eq!(
        file_count(&root.join("restored/mailbox")),
        file_count(&root.join("backup/mailbox"))
    );

    let server = Server::start(&root, &["--data-dir", "restored"]);
    assert_eq!(search_total(&server, FLASKS).await, flasks);
    assert_eq!(search_total(&server, "").await, browsed);
    let hash: String = kernel::sqlx::query_scalar("SELECT hash FROM market_image LIMIT 1")
        .fetch_one(open(&restored_db).await.reader())
        .await
        .unwrap();
    let image = reqwest::get(server.url(&format!("/images/{hash}?size=thumb")))
        .await
        .unwrap();
    assert_eq!(image.status(), 200, "the restored images are served");
    assert!(server.stop().success());
}

/// Tops up `currency` and confirms it at the sandbox bank, again and again
/// until `stop`, counting the confirmed top-ups.
async fn pay_in_until(
    base: String,
    email: &str,
    currency: &str,
    stop: Arc<AtomicBool>,
    confirmed: Arc<AtomicU64>,
) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let signed_in = client
        .post(format!("{base}/api/v1/auth/signin"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(signed_in.status().is_success(), "{email} signs in");
    let mut round = 0;
    while !stop.load(Ordering::SeqCst) {
        round += 1;
        let key = format!("backup-load-{email}-{round}");
        let started = client
            .post(format!("{base}/api/v1/wallet/top-ups"))
            .header("Idempotency-Key", &key)
            .json(&json!({"amount": {"minor": 100 + round, "currency": currency}}))
            .send()
            .await
            .unwrap();
        assert_eq!(started.status(), 201, "{}", started.text().await.unwrap());
        // Newest first: the payment just started.
        let operations =
            json_of(client.get(format!("{base}/api/v1/sandbox-bank/operations?limit=1"))).await;
        let operation = &operations["items"][0];
        assert_eq!(operation["status"], "pending", "{operations}");
        let settled = client
            .post(format!(
                "{base}/api/v1/sandbox-bank/operations/{}/confirm",
                operation["id"].as_str().unwrap()
            ))
            .header("Idempotency-Key", format!("{key}-confirm"))
            .send()
            .await
            .unwrap();
        assert_eq!(settled.status(), 200, "{}", settled.text().await.unwrap());
        confirmed.fetch_add(1, Ordering::SeqCst);
    }
}

async fn wait_until(condition: impl Fn() -> bool) {
    for _ in 0..1_200 {
        if condition() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("gave up waiting after a minute");
}

async fn json_of(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

async fn search_total(server: &Server, text: &str) -> u64 {
    let request = reqwest::Client::new()
        .get(server.url("/api/v1/search/products"))
        .query(&[("q", text)]);
    json_of(request).await["total"].as_u64().unwrap()
}

async fn open(database: &Path) -> kernel::Db {
    kernel::Db::connect(&kernel::DbOptions::new(format!(
        "sqlite://{}",
        database.display()
    )))
    .await
    .unwrap()
}

async fn row_counts(database: &Path) -> BTreeMap<String, i64> {
    let db = kernel::Db::open_sqlite_read_only(database).await.unwrap();
    let counts = db.row_counts().await.unwrap();
    db.close().await;
    counts
}

async fn ledger_balances(database: &Path) -> bool {
    let db = open(database).await;
    let check = ledger::check::check(&db).await.unwrap();
    db.close().await;
    assert!(check.violations.is_empty(), "{:?}", check.violations);
    !check.totals.is_empty() && check.balanced()
}

async fn succeeded_top_ups(database: &Path) -> i64 {
    let db = open(database).await;
    let count =
        kernel::sqlx::query_scalar("SELECT COUNT(*) FROM pay_top_up WHERE status = 'succeeded'")
            .fetch_one(db.reader())
            .await
            .unwrap();
    db.close().await;
    count
}

fn file_count(root: &Path) -> usize {
    every_file(root).len()
}

/// Every file under `root` with its size and SHA-256, but SQLite's
/// shared-memory index, which readers write to.
fn every_file(root: &Path) -> BTreeMap<PathBuf, (u64, String)> {
    let mut files = BTreeMap::new();
    let mut folders = vec![root.to_owned()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if !path.to_string_lossy().ends_with("-shm") {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(
                    path.strip_prefix(root).unwrap().to_owned(),
                    (bytes.len() as u64, format!("{:x}", Sha256::digest(&bytes))),
                );
            }
        }
    }
    files
}

/// The PostgreSQL of the storage tests when one is configured; otherwise a
/// URL that nothing answers, which is as good here, since the refusal comes
/// before any connection.
fn postgres_url() -> String {
    std::env::var(kernel::testing::POSTGRES_URL_VAR)
        .ok()
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| "postgres://hanse@127.0.0.1:1/hanse".to_owned())
}

#[test]
fn a_refused_backup_copies_nothing() {
    let directory = tempfile::tempdir().unwrap();
    let root = directory.path();
    succeeds(root, &["migrate", "--data-dir", "data"]);
    let data = every_file(&root.join("data"));

    std::fs::create_dir(root.join("full")).unwrap();
    std::fs::write(root.join("full/notes.txt"), "mine").unwrap();
    let error = fails(root, &["backup", "full", "--data-dir", "data"]);
    assert!(error.contains("is not empty"), "{error}");
    assert_eq!(
        every_file(&root.join("full"))
            .into_keys()
            .collect::<Vec<_>>(),
        [PathBuf::from("notes.txt")]
    );

    let error = fails(
        root,
        &[
            "backup",
            "pg",
            "--database-url",
            &postgres_url(),
            "--data-dir",
            "data",
        ],
    );
    assert!(
        error.contains("PostgreSQL") && error.contains("pg_dump"),
        "{error}"
    );
    assert!(!root.join("pg").exists(), "nothing copied for PostgreSQL");

    let error = fails(root, &["backup", "none", "--data-dir", "no-data"]);
    assert!(error.contains("no database"), "{error}");
    assert!(!root.join("none").exists() && !root.join("no-data").exists());

    let error = fails(root, &["backup", "data/images/inner", "--data-dir", "data"]);
    assert!(error.contains("inside the data directory"), "{error}");
    assert_eq!(
        every_file(&root.join("data")),
        data,
        "the data is untouched"
    );

    // An empty directory is fine, and the backup restores.
    std::fs::create_dir(root.join("empty")).unwrap();
    let printed = succeeds(root, &["backup", "empty", "--data-dir", "data"]);
    assert!(printed.contains("written to empty"), "{printed}");
    assert!(root.join("empty/manifest.json").exists());
}

#[test]
fn a_refused_restore_changes_nothing() {
    let directory = tempfile::tempdir().unwrap();
    let root = directory.path();
    succeeds(root, &["migrate", "--data-dir", "data"]);
    succeeds(root, &["backup", "good", "--data-dir", "data"]);
    let untouched = |name: &str| assert!(!root.join(name).exists(), "{name} was created");

    std::fs::create_dir(root.join("no-manifest")).unwrap();
    let error = fails(root, &["restore", "no-manifest", "--data-dir", "fresh"]);
    assert!(error.contains("not a Hanse backup"), "{error}");
    untouched("fresh");

    let damaged = |name: &str, damage: &dyn Fn(&Path)| {
        copy_tree(&root.join("good"), &root.join(name));
        damage(&root.join(name));
        fails(root, &["restore", name, "--data-dir", "fresh"])
    };
    let error = damaged("garbled", &|backup| {
        std::fs::write(backup.join("manifest.json"), "{\"format\": ").unwrap();
    });
    assert!(error.contains("not a valid backup manifest"), "{error}");
    let error = damaged("flipped", &|backup| {
        let mut bytes = std::fs::read(backup.join("hanse.db")).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xff;
        std::fs::write(backup.join("hanse.db"), bytes).unwrap();
    });
    assert!(
        error.contains("does not match its manifest") && error.contains("hanse.db"),
        "{error}"
    );
    let error = damaged("escaping", &|backup| {
        let path = backup.join("manifest.json");
        let mut manifest: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        manifest["files"][0]["path"] = json!("../../outside");
        std::fs::write(&path, manifest.to_string()).unwrap();
    });
    assert!(error.contains("not a file a backup holds"), "{error}");
    untouched("fresh");
    let error = fails(
        root,
        &[
            "restore",
            "good",
            "--database-url",
            &postgres_url(),
            "--data-dir",
            "fresh",
        ],
    );
    assert!(error.contains("pg_restore"), "{error}");
    untouched("fresh");

    let data = every_file(&root.join("data"));
    let error = fails(root, &["restore", "good", "--data-dir", "data"]);
    assert!(
        error.contains("already holds a database") && error.contains("--force"),
        "{error}"
    );
    assert_eq!(every_file(&root.join("data")), data, "nothing changed");

    let server = Server::start(root, &["--data-dir", "busy"]);
    let busy = settled(&root.join("busy"));
    let error = fails(root, &["restore", "good", "--force", "--data-dir", "busy"]);
    assert!(error.contains("stop `hanse serve`"), "{error}");
    assert_eq!(every_file(&root.join("busy")), busy, "nothing changed");
    assert!(server.stop().success());

    // Stopped, and with --force, the present database is moved aside.
    let printed = succeeds(root, &["restore", "good", "--force", "--data-dir", "busy"]);
    assert!(printed.contains("previous  database moved to"), "{printed}");
    let aside: Vec<PathBuf> = std::fs::read_dir(root.join("busy"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().contains("replaced-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(aside[0].join("hanse.db").exists());
}

/// The files under `root` once a server starting on it has stopped writing
/// (its dispatcher records its first checkpoints just after it listens).
fn settled(root: &Path) -> BTreeMap<PathBuf, (u64, String)> {
    let mut files = every_file(root);
    for _ in 0..50 {
        std::thread::sleep(std::time::Duration::from_millis(300));
        let again = every_file(root);
        if again == files {
            return files;
        }
        files = again;
    }
    panic!("{} kept changing", root.display());
}

fn copy_tree(from: &Path, to: &Path) {
    for relative in every_file(from).into_keys() {
        let target = to.join(&relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(relative), target).unwrap();
    }
}
