//! Signing up, signing in, and operator accounts.

use kernel::UserId;
use serde::Deserialize;

use crate::email::Email;
use crate::error::{IdentityError, Result};
use crate::fields::{Language, optional_text, parse_mobile, parse_time_zone, required_text};
use crate::model::User;
use crate::password::{self, Password};
use crate::{Identity, rows};

/// What a person gives to sign up.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    pub password: String,
    pub display_name: String,
    #[serde(default)]
    pub mobile: Option<String>,
    pub language: Language,
    pub time_zone: String,
}

struct ValidUser {
    email: Email,
    password_hash: String,
    display_name: String,
    mobile: Option<String>,
    language: Language,
    time_zone: String,
}

impl Identity {
    async fn validate_user(&self, new: &NewUser) -> Result<ValidUser> {
        let email = Email::parse(&new.email).ok_or_else(|| {
            IdentityError::invalid("email", "invalid_email", "this is not an email address")
        })?;
        let password = Password::parse(&new.password).ok_or_else(|| {
            IdentityError::invalid(
                "password",
                "weak_password",
                format!(
                    "use {} to {} characters",
                    password::PASSWORD_LENGTH_MIN,
                    password::PASSWORD_LENGTH_MAX
                ),
            )
        })?;
        let display_name = required_text("display_name", &new.display_name, 100)?;
        let mobile = optional_text("mobile", new.mobile.as_deref(), 32)?
            .map(|m| parse_mobile(&m))
            .transpose()?;
        let time_zone = parse_time_zone(&new.time_zone)?;
        // Hashing takes tens of milliseconds of CPU by design; keep it off the
        // threads that serve other requests.
        let cost = self.hash_cost;
        let password_hash = tokio::task::spawn_blocking(move || password.hash(cost))
            .await
            .map_err(|error| kernel::StorageError::corrupt("password hash", error))?;
        Ok(ValidUser {
            email,
            password_hash,
            display_name,
            mobile,
            language: new.language,
            time_zone,
        })
    }

    /// Creates an account. The email must not be taken.
    pub async fn sign_up(&self, new: &NewUser) -> Result<User> {
        self.insert_user(new, false).await
    }

    /// Creates a platform operator account (from the command line).
    pub async fn create_operator(&self, new: &NewUser) -> Result<User> {
        self.insert_user(new, true).await
    }

    async fn insert_user(&self, new: &NewUser, is_operator: bool) -> Result<User> {
        let valid = self.validate_user(new).await?;
        let now = self.clock.now();
        let id = UserId::new();
        let mut tx = self.db.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO identity_user (id, email, password_hash, display_name, mobile, language, time_zone, is_operator, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) ON CONFLICT (email) DO NOTHING",
        )
        .bind(id)
        .bind(valid.email.as_str())
        .bind(&valid.password_hash)
        .bind(&valid.display_name)
        .bind(valid.mobile.as_deref())
        .bind(valid.language.as_str())
        .bind(&valid.time_zone)
        .bind(i64::from(is_operator))
        .bind(now.micros())
        .execute(tx.conn())
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(IdentityError::EmailTaken);
        }
        tx.commit().await?;
        Ok(User {
            id,
            email: valid.email.to_string(),
            display_name: valid.display_name,
            mobile: valid.mobile,
            language: valid.language,
            time_zone: valid.time_zone,
            is_operator,
            created_at: now,
        })
    }

    /// The user with this email and password. A wrong email costs as much time
    /// as a wrong password, and both get the same error.
    pub async fn authenticate(&self, email: &str, password: &str) -> Result<User> {
        let Some(email) = Email::parse(email) else {
            return Err(IdentityError::WrongCredentials);
        };
        let row = sqlx::query(&format!(
            "SELECT {}, password_hash FROM identity_user WHERE email = $1",
            rows::USER_COLUMNS
        ))
        .bind(email.as_str())
        .fetch_optional(self.db.reader())
        .await?;
        // Without an account, verify against a decoy hash all the same, so the
        // answer takes as long as for a wrong password and reveals nothing.
        let stored: String = match &row {
            Some(row) => sqlx::Row::try_get(row, "password_hash")?,
            None => self.decoy_hash.as_ref().clone(),
        };
        let candidate = password.to_owned();
        let matches = tokio::task::spawn_blocking(move || password::verify(&candidate, &stored))
            .await
            .unwrap_or(false);
        match row {
            Some(row) if matches => Ok(rows::user(&row)?),
            _ => Err(IdentityError::WrongCredentials),
        }
    }

    pub async fn user(&self, id: UserId) -> Result<User> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM identity_user WHERE id = $1",
            rows::USER_COLUMNS
        ))
        .bind(id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(IdentityError::NotFound("user"))?;
        Ok(rows::user(&row)?)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let Some(email) = Email::parse(email) else {
            return Ok(None);
        };
        let row = sqlx::query(&format!(
            "SELECT {} FROM identity_user WHERE email = $1",
            rows::USER_COLUMNS
        ))
        .bind(email.as_str())
        .fetch_optional(self.db.reader())
        .await?;
        Ok(row.as_ref().map(rows::user).transpose()?)
    }

    /// Changes a person's language (the pages follow it).
    pub async fn set_language(&self, id: UserId, language: crate::Language) -> Result<()> {
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE identity_user SET language = $1, updated_at = $2 WHERE id = $3")
            .bind(language.as_str())
            .bind(self.clock.now().micros())
            .bind(id)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
