//! A fresh PostgreSQL database for a benchmark that starts its own `hanse
//! serve`, created on the given server and dropped at the end, so a run never
//! sees another run's rows.

use anyhow::Context;

/// A fresh PostgreSQL database for the run, dropped at the end.
pub struct FreshPostgres {
    admin_url: String,
    name: String,
}

impl FreshPostgres {
    pub async fn create(admin_url: &str) -> anyhow::Result<(FreshPostgres, String)> {
        let name = format!("hanse_bench_{:012x}", rand::random::<u64>() >> 16);
        let admin = kernel::Db::connect(&kernel::DbOptions {
            max_connections: 1,
            ..kernel::DbOptions::new(admin_url)
        })
        .await
        .context("cannot connect to PostgreSQL")?;
        anyhow::ensure!(
            admin.engine() == kernel::Engine::Postgres,
            "--database-url must be a postgres:// URL"
        );
        kernel::sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(admin.reader())
            .await?;
        admin.close().await;
        let url = match admin_url.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => anyhow::bail!("--database-url names no database"),
        };
        Ok((
            FreshPostgres {
                admin_url: admin_url.to_owned(),
                name,
            },
            url,
        ))
    }

    pub async fn drop_database(self) -> anyhow::Result<()> {
        let admin = kernel::Db::connect(&kernel::DbOptions {
            max_connections: 1,
            ..kernel::DbOptions::new(&self.admin_url)
        })
        .await?;
        kernel::sqlx::query(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(admin.reader())
        .await?;
        admin.close().await;
        Ok(())
    }
}
