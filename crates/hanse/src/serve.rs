//! `hanse serve`: migrate, optionally load the demo, serve until SIGINT/SIGTERM.

use std::io::Write as _;

use anyhow::Context as _;

use crate::config::Config;
use crate::{demo, services};

pub async fn run(config: Config, load_demo: bool) -> anyhow::Result<()> {
    // Settings first: a bad one stops start-up before anything is bound or written.
    let payments = config.payment_settings(load_demo)?;
    let listener = web::App::bind(config.listen).await?;
    let metrics_listener = match config.metrics_listen {
        Some(address) => Some(
            web::App::bind(address)
                .await
                .with_context(|| format!("cannot listen on metrics_listen {address}"))?,
        ),
        None => None,
    };
    // With port 0 the real port is known only now; links in mail must carry it.
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| match listener.local_addr() {
            Ok(address) => format!("http://{address}"),
            Err(_) => config.public_url(),
        });
    let db = services::open_database(&config).await?;
    let services = services::build(
        &config,
        db.clone(),
        &public_url,
        services::open_search_index(&config)?,
        payments,
    )?;
    let providers = services.pay.providers().names();
    if services.pay.is_test_money() {
        tracing::warn!(
            ?providers,
            "the sandbox bank is on: the money in this network is test money"
        );
    } else if providers.is_empty() {
        tracing::info!("no payment provider is configured: top-ups and withdrawals are refused");
    }
    if load_demo {
        // Loaded before serving, while nothing else writes.
        let network = demo::load_network(&services).await?;
        tracing::info!(
            companies = network.people.companies,
            people = network.people.people,
            wallets = network.money.wallets,
            escrows = network.money.escrows,
            products = network.catalog.products,
            requests = network.catalog.requests,
            orders = network.orders.orders,
            created = network.created(),
            "demo network loaded"
        );
    }
    let mut settings = web::WebSettings::new(public_url);
    settings.metrics_token = config.metrics_token.clone();
    let mut app = web::App::build(settings, listener, services)?;
    if let Some(listener) = metrics_listener {
        app = app.with_metrics_listener(listener);
    }
    let address = app.address();
    if let Some(metrics) = app.metrics_address() {
        println!("metrics on http://{metrics}/metrics");
    }
    // The one line scripts wait for; with port 0 it carries the real port.
    println!("listening on http://{address}");
    if load_demo {
        println!(
            "demo supplier: {} / {}",
            demo::DEMO_SUPPLIER_EMAIL,
            demo::DEMO_PASSWORD
        );
        println!(
            "demo buyer:    {} / {}",
            demo::DEMO_BUYER_EMAIL,
            demo::DEMO_PASSWORD
        );
        println!(
            "operator:      {} / {}",
            demo::DEMO_OPERATOR_EMAIL,
            demo::DEMO_PASSWORD
        );
    }
    std::io::stdout().flush()?;
    app.run(shutdown_signal()).await?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
}
