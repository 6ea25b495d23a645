//! `hanse repair withdrawals`: lists the withdrawals a crash left reserved but
//! never settled, with what their provider says, and with `--apply` settles
//! each as the operator's repair page would.

use crate::config::Config;
use crate::services;

pub async fn withdrawals(
    config: &Config,
    older_than_seconds: i64,
    apply: bool,
) -> anyhow::Result<()> {
    anyhow::ensure!(older_than_seconds >= 0, "--older-than must not be negative");
    // The sandbox bank is asked too: it answers from its own records in the
    // database, so a network that used it can repair its withdrawals even when
    // it is no longer configured. It signs nothing here.
    let payments = config.payment_settings(true)?;
    let (db, services) = services::open_for_command_with(config, payments).await?;
    let stuck = services.pay.stuck_withdrawals(older_than_seconds).await?;
    if stuck.is_empty() {
        println!("no withdrawal is stuck (older than {older_than_seconds} s)");
    }
    for item in &stuck {
        println!(
            "{}\t{}\t{}\t{}{}\tat {}: {:?}\t-> {:?}",
            item.id,
            item.company_id,
            item.amount,
            item.status,
            if item.reserved { " (reserved)" } else { "" },
            item.provider,
            item.at_provider,
            item.action
        );
    }
    if apply {
        let mut repaired = 0;
        for item in &stuck {
            services
                .pay
                .repair_withdrawal(item.id, older_than_seconds)
                .await?;
            repaired += 1;
        }
        println!("{repaired} withdrawals repaired");
    } else if !stuck.is_empty() {
        println!("run again with --apply to settle them");
    }
    db.close().await;
    Ok(())
}
