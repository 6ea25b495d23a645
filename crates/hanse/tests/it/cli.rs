//! The command line: configuration layering and its errors, `--version`,
//! `operator create`, `migrate` and `demo` twice, `products export` and
//! `import` on the demo, and `serve` printing its address and stopping
//! cleanly on SIGTERM.

use std::io::Write;
use std::process::Stdio;

use crate::support::{Server, hanse, text};

#[test]
fn flags_beat_environment_beats_file_beats_defaults() {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(
        directory.path().join("hanse.toml"),
        "listen = \"127.0.0.1:7001\"\nlog_format = \"json\"\nmail_from = \"Ops <ops@file.test>\"\n",
    )
    .unwrap();
    let output = hanse(directory.path())
        .args(["config", "--data-dir", "/srv/hanse"])
        .env("HANSE_LISTEN", "127.0.0.1:7002")
        .env("HANSE_DATA_DIR", "/from/env")
        .env(
            "HANSE_DATABASE_URL",
            "postgres://hanse:s3cret@db.example/hanse",
        )
        .env("HANSE_SMTP_URL", "smtps://mailer:hunter22@smtp.example")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stdout.contains("listen = \"127.0.0.1:7002\""),
        "environment beats file:\n{stdout}"
    );
    assert!(
        stdout.contains("data_dir = \"/srv/hanse\""),
        "flag beats environment:\n{stdout}"
    );
    assert!(
        stdout.contains("log_format = \"json\""),
        "file beats default:\n{stdout}"
    );
    assert!(stdout.contains("mail_from = \"Ops <ops@file.test>\""));
    assert!(stdout.contains("node_id = 0"), "default:\n{stdout}");
    assert!(
        stdout.contains("postgres://hanse:***@db.example/hanse"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("s3cret") && !stdout.contains("hunter22"),
        "secrets hidden:\n{stdout}"
    );
}

#[test]
fn a_bad_value_names_its_key() {
    let directory = tempfile::tempdir().unwrap();
    let output = hanse(directory.path())
        .arg("config")
        .env("HANSE_LISTEN", "not an address")
        .output()
        .unwrap();
    let (_, stderr) = text(&output);
    assert!(!output.status.success());
    assert!(
        stderr.contains("listen") && stderr.contains("HANSE_LISTEN"),
        "{stderr}"
    );

    std::fs::write(directory.path().join("hanse.toml"), "node_id = \"many\"\n").unwrap();
    let output = hanse(directory.path()).arg("config").output().unwrap();
    let (_, stderr) = text(&output);
    assert!(!output.status.success());
    assert!(
        stderr.contains("node_id") && stderr.contains("hanse.toml"),
        "{stderr}"
    );

    std::fs::write(directory.path().join("hanse.toml"), "colour = \"blue\"\n").unwrap();
    let output = hanse(directory.path()).arg("config").output().unwrap();
    assert!(
        !output.status.success(),
        "unknown keys are refused: {}",
        text(&output).1
    );
}

/// `hanse config` (or `serve`) with these environment variables: success, stdout, stderr.
fn run_with(
    directory: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> (bool, String, String) {
    let mut command = hanse(directory);
    command.args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    let (stdout, stderr) = text(&output);
    (output.status.success(), stdout, stderr)
}

#[test]
fn payment_providers_and_metrics_are_configured_and_checked() {
    let directory = tempfile::tempdir().unwrap();
    let secret = (
        "HANSE_SANDBOX_WEBHOOK_SECRET",
        "a network-wide sandbox secret of 40 chars",
    );
    let (ok, stdout, stderr) = run_with(
        directory.path(),
        &["config"],
        &[
            ("HANSE_PAYMENT_PROVIDERS", "sandbox"),
            secret,
            ("HANSE_METRICS_LISTEN", "9464"),
            ("HANSE_METRICS_TOKEN", "metrics-token-1234567"),
        ],
    );
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("payment_providers = [\"sandbox\"]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("sandbox_webhook_secret = \"[hidden]\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("metrics_listen = \"127.0.0.1:9464\""),
        "a bare port is on 127.0.0.1:\n{stdout}"
    );
    assert!(stdout.contains("metrics_token = \"[hidden]\""), "{stdout}");
    assert!(
        !stdout.contains("network-wide") && !stdout.contains("metrics-token-1234567"),
        "secrets hidden:\n{stdout}"
    );

    let (_, stdout, _) = run_with(directory.path(), &["config"], &[]);
    assert!(
        stdout.contains("payment_providers = []"),
        "none by default:\n{stdout}"
    );

    for (env, key) in [
        (
            vec![("HANSE_PAYMENT_PROVIDERS", "paypal")],
            "payment_providers",
        ),
        (
            vec![("HANSE_PAYMENT_PROVIDERS", "sandbox,sandbox")],
            "payment_providers",
        ),
        (
            vec![("HANSE_SANDBOX_WEBHOOK_SECRET", "short")],
            "sandbox_webhook_secret",
        ),
        (
            vec![("HANSE_METRICS_LISTEN", "everywhere")],
            "metrics_listen",
        ),
        (vec![("HANSE_METRICS_TOKEN", "short")], "metrics_token"),
    ] {
        let (ok, _, stderr) = run_with(directory.path(), &["config"], &env);
        assert!(!ok && stderr.contains(key), "{env:?}: {stderr}");
    }

    // The sandbox outside the demo needs the network's secret; refused
    // before anything is written.
    let (ok, _, stderr) = run_with(
        directory.path(),
        &["serve", "--listen", "127.0.0.1:0", "--data-dir", "refused"],
        &[("HANSE_PAYMENT_PROVIDERS", "sandbox")],
    );
    assert!(!ok && stderr.contains("sandbox_webhook_secret"), "{stderr}");
    assert!(
        !directory.path().join("refused").exists(),
        "nothing written"
    );
}

#[test]
fn version_is_printed() {
    let directory = tempfile::tempdir().unwrap();
    let output = hanse(directory.path()).arg("--version").output().unwrap();
    assert_eq!(
        text(&output).0.trim(),
        format!("hanse {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn migrate_demo_and_operator_on_a_fresh_directory() {
    let directory = tempfile::tempdir().unwrap();
    let data = directory.path().join("data");
    let data = data.to_str().unwrap();
    let output = hanse(directory.path())
        .args(["migrate", "--data-dir", data])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output).1);
    assert!(directory.path().join("data/hanse.db").exists());

    let first = hanse(directory.path())
        .args(["demo", "--data-dir", data])
        .output()
        .unwrap();
    let second = hanse(directory.path())
        .args(["demo", "--data-dir", data])
        .output()
        .unwrap();
    let (first, second) = (text(&first).0, text(&second).0);
    assert!(
        first.contains("21 companies") && !first.contains("(0 new)"),
        "{first}"
    );
    assert!(
        second.contains("21 companies") && second.contains("(0 new)"),
        "the demo is idempotent: {second}"
    );
    products_go_out_and_come_back(directory.path(), data);

    let mut child = hanse(directory.path())
        .args([
            "operator",
            "create",
            "--email",
            "ops@hanse.example",
            "--data-dir",
            data,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long operator password\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", text(&output).1);
    assert!(
        text(&output)
            .0
            .contains("operator ops@hanse.example created")
    );
}

/// The demo supplier's catalog exported, a bad file refused with its rows
/// listed and nothing changed, the export imported back with one new row.
fn products_go_out_and_come_back(directory: &std::path::Path, data: &str) {
    const SUPPLIER: &str = "chen.li@hengxin-thermos.demo";
    let export = |file: &str| {
        let output = hanse(directory)
            .args([
                "products",
                "export",
                "--as",
                SUPPLIER,
                "--out",
                file,
                "--data-dir",
                data,
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", text(&output).1);
        std::fs::read_to_string(directory.join(file)).unwrap()
    };
    let import = |file: &str| {
        hanse(directory)
            .args([
                "products",
                "import",
                "--as",
                SUPPLIER,
                file,
                "--data-dir",
                data,
            ])
            .output()
            .unwrap()
    };
    let catalog = export("catalog.csv");
    assert!(catalog.starts_with("sku,title_zh,title_en,"), "{catalog}");
    let rows = catalog
        .lines()
        .skip(1)
        .filter(|line| line.starts_with("HX-"))
        .count();
    assert!(rows >= 10, "the demo supplier has a catalog: {catalog}");

    let bad = "sku,title_zh,title_en,category,unit,moq,price_tiers,currency,status\n\
               HX-NEW-1,新保温杯,New flask,vacuum-flasks,piece,many,1:12.50,CNY,published\n";
    std::fs::write(directory.join("bad.csv"), bad).unwrap();
    let refused = import("bad.csv");
    let (_, stderr) = text(&refused);
    assert!(!refused.status.success());
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert!(
        stderr.contains("2\tHX-NEW-1\tmoq\t"),
        "the row, SKU and field: {stderr}"
    );
    assert_eq!(
        export("after-bad.csv"),
        catalog,
        "a refused file changes nothing"
    );

    // A row on one line (balanced quotes), its SKU replaced.
    let row = catalog
        .lines()
        .find(|line| line.starts_with("HX-") && line.matches('"').count() % 2 == 0)
        .unwrap();
    let (_, rest) = row.split_once(',').unwrap();
    std::fs::write(
        directory.join("more.csv"),
        format!("{catalog}HX-CLI-NEW,{rest}\n"),
    )
    .unwrap();
    let imported = import("more.csv");
    let (stdout, stderr) = text(&imported);
    assert!(imported.status.success(), "{stderr}");
    assert!(
        stdout.contains(&format!("1 products created, {rows} updated")),
        "{stdout}"
    );
    assert!(export("after.csv").contains("HX-CLI-NEW,"));
}

#[test]
fn serve_prints_its_address_and_stops_on_sigterm() {
    let directory = tempfile::tempdir().unwrap();
    let server = Server::start(directory.path(), &["--data-dir", "data"]);
    assert!(
        !server.address.ends_with(":0"),
        "the real port: {}",
        server.address
    );
    let mut stream = std::net::TcpStream::connect(&server.address).unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(directory.path().join("data/hanse.db").exists());
    assert!(server.stop().success(), "a clean stop exits with 0");
}
