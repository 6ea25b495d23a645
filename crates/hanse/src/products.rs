//! `hanse products import|export`: a company's catalog as a CSV file in the
//! product import format, from the command line, acting as one of the
//! company's staff (whose role must allow catalog work). An import shows a
//! progress bar and imports everything or, with a bad row, nothing: the rows
//! at fault are listed with their line, SKU, field and reason.

use std::path::Path;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use kernel::{Actor, CompanyId, Scope};
use market::MarketError;

use crate::config::Config;
use crate::services;

/// The staff member `email` acting for `company` (or their only company).
async fn scope_of(
    services: &web::Services,
    email: &str,
    company: Option<&str>,
) -> anyhow::Result<Scope> {
    let user = services
        .identity
        .user_by_email(email)
        .await?
        .with_context(|| format!("no one signs in as {email}"))?;
    let memberships = services.identity.companies_of(user.id).await?;
    let membership = match company {
        Some(company) => {
            let company_id: CompanyId = company
                .parse()
                .map_err(|_| anyhow::anyhow!("{company} is not a company id (com_...)"))?;
            memberships
                .iter()
                .find(|membership| membership.company_id == company_id)
                .with_context(|| format!("{email} is not on the staff of {company}"))?
        }
        None => match memberships.as_slice() {
            [only] => only,
            [] => anyhow::bail!("{email} is on no company's staff"),
            several => anyhow::bail!(
                "{email} works for several companies; choose one with --company: {}",
                several
                    .iter()
                    .map(|membership| format!(
                        "{} ({})",
                        membership.company_id, membership.legal_name
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    };
    Ok(Scope::new(
        membership.company_id,
        Actor::User(user.id),
        membership.role,
    ))
}

pub async fn import(
    config: &Config,
    email: &str,
    company: Option<&str>,
    file: &Path,
) -> anyhow::Result<()> {
    let metadata =
        std::fs::metadata(file).with_context(|| format!("cannot read {}", file.display()))?;
    anyhow::ensure!(
        metadata.len() <= market::IMPORT_BYTES_MAX as u64,
        "{} is larger than the {} MB a product file may have",
        file.display(),
        market::IMPORT_BYTES_MAX / 1024 / 1024
    );
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let (db, services) = services::open_for_command(config).await?;
    let scope = scope_of(&services, email, company).await?;
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} rows ({per_sec}, {eta} left)")
            .context("progress bar template")?,
    );
    let imported = services
        .market
        .import_products(&scope, &bytes, |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await;
    bar.finish_and_clear();
    db.close().await;
    match imported {
        Ok(report) => {
            println!(
                "imported {}: {} products created, {} updated",
                file.display(),
                report.created,
                report.updated
            );
            Ok(())
        }
        Err(MarketError::ImportRejected(rows)) => {
            eprintln!(
                "nothing was imported: {} rows of {} cannot be imported",
                rows.len(),
                file.display()
            );
            eprintln!("line\tsku\tfield\treason");
            for row in &rows {
                eprintln!("{}\t{}\t{}\t{}", row.line, row.sku, row.field, row.message);
            }
            anyhow::bail!("the product file was rejected")
        }
        Err(error) => Err(error).context("cannot import the product file"),
    }
}

pub async fn export(
    config: &Config,
    email: &str,
    company: Option<&str>,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    let (db, services) = services::open_for_command(config).await?;
    let scope = scope_of(&services, email, company).await?;
    let exported = services.market.export_products(&scope).await;
    db.close().await;
    let csv = exported.context("cannot export the catalog")?;
    match out {
        Some(path) => {
            std::fs::write(path, &csv)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("exported the catalog to {}", path.display());
        }
        None => print!("{csv}"),
    }
    Ok(())
}
