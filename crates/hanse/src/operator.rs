//! `hanse operator create`: the first operator account of a real deployment.

use std::io::{BufRead, IsTerminal};

use anyhow::Context as _;
use identity::{Language, NewUser};

use crate::config::Config;
use crate::services;

/// The password from the terminal (asked twice), or the first line of stdin.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (at least 10 characters): ")?;
        let second = rpassword::prompt_password("Again: ")?;
        anyhow::ensure!(first == second, "the passwords differ");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from stdin")?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

pub async fn create(config: &Config, email: &str, name: &str) -> anyhow::Result<()> {
    let password = read_password()?;
    let (db, services) = services::open_for_command(config).await?;
    let new_user = NewUser {
        email: email.to_owned(),
        password,
        display_name: name.to_owned(),
        mobile: None,
        language: Language::En,
        time_zone: "UTC".to_owned(),
    };
    let user = services
        .identity
        .create_operator(&new_user)
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    println!("operator {} created ({})", user.email, user.id);
    db.close().await;
    Ok(())
}
