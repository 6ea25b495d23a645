//! Sessions: a random token per sign-in, stored hashed; listed and revoked by
//! their owner; each remembers which company it currently acts for.

use kernel::{CompanyId, UserId};
use sqlx::Row;

use crate::error::{IdentityError, Result};
use crate::model::{Session, SessionAuth, SessionId};
use crate::{Identity, SESSION_LIFETIME_SECONDS, rows, token};

/// `last_seen_at` is written at most this often, so busy sessions don't turn
/// every read request into a write.
const LAST_SEEN_RESOLUTION_SECONDS: i64 = 300;

impl Identity {
    /// Starts a session for a signed-in user, acting for their first company.
    /// Returns the session and its secret token (for the cookie).
    pub async fn start_session(
        &self,
        user: UserId,
        user_agent: &str,
        ip: &str,
    ) -> Result<(Session, String)> {
        let now = self.clock.now();
        let secret = token::generate("hs_");
        let active_company = self.companies_of(user).await?.first().map(|m| m.company_id);
        let session = Session {
            id: SessionId::new(),
            user_agent: user_agent.chars().take(300).collect(),
            ip: ip.chars().take(64).collect(),
            created_at: now,
            last_seen_at: now,
            expires_at: now.plus_seconds(SESSION_LIFETIME_SECONDS),
        };
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO identity_session (id, user_id, token_hash, active_company_id, user_agent, ip, expires_at, last_seen_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)",
        )
        .bind(session.id)
        .bind(user)
        .bind(token::hash(&secret))
        .bind(active_company.map(CompanyId::raw))
        .bind(&session.user_agent)
        .bind(&session.ip)
        .bind(session.expires_at.micros())
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok((session, secret))
    }

    /// The live session with this token, or `None` if unknown, expired or revoked.
    pub async fn session_by_token(&self, secret: &str) -> Result<Option<SessionAuth>> {
        let now = self.clock.now();
        let row = sqlx::query(
            "SELECT id, user_id, active_company_id, last_seen_at FROM identity_session
             WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2",
        )
        .bind(token::hash(secret))
        .bind(now.micros())
        .fetch_optional(self.db.reader())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let session_id = SessionId::from_raw(row.try_get("id")?);
        if rows::timestamp(&row, "last_seen_at")?.plus_seconds(LAST_SEEN_RESOLUTION_SECONDS) < now {
            let mut tx = self.db.begin().await?;
            sqlx::query(
                "UPDATE identity_session SET last_seen_at = $1, updated_at = $1 WHERE id = $2",
            )
            .bind(now.micros())
            .bind(session_id)
            .execute(tx.conn())
            .await?;
            tx.commit().await?;
        }
        let user = self.user(UserId::from_raw(row.try_get("user_id")?)).await?;
        Ok(Some(SessionAuth {
            session_id,
            user,
            active_company_id: row
                .try_get::<Option<i64>, _>("active_company_id")?
                .map(CompanyId::from_raw),
        }))
    }

    /// The user's live sessions, newest first (bounded: sessions expire).
    pub async fn sessions(&self, user: UserId) -> Result<Vec<Session>> {
        let rows = sqlx::query(
            "SELECT id, user_agent, ip, created_at, last_seen_at, expires_at FROM identity_session
             WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY id DESC LIMIT 200",
        )
        .bind(user)
        .bind(self.clock.now().micros())
        .fetch_all(self.db.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Session {
                    id: SessionId::from_raw(row.try_get("id")?),
                    user_agent: row.try_get("user_agent")?,
                    ip: row.try_get("ip")?,
                    created_at: rows::timestamp(row, "created_at")?,
                    last_seen_at: rows::timestamp(row, "last_seen_at")?,
                    expires_at: rows::timestamp(row, "expires_at")?,
                })
            })
            .collect()
    }

    /// Ends one of the user's own sessions; someone else's is "not found".
    pub async fn revoke_session(&self, user: UserId, session: SessionId) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let changed = sqlx::query(
            "UPDATE identity_session SET revoked_at = $1, updated_at = $1
             WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(self.clock.now().micros())
        .bind(session)
        .bind(user)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(IdentityError::NotFound("session"));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Switches which company the session acts for; the user must be on its staff.
    pub async fn switch_company(
        &self,
        user: UserId,
        session: SessionId,
        company: CompanyId,
    ) -> Result<()> {
        if self.role_in(user, company).await?.is_none() {
            return Err(IdentityError::NotFound("company"));
        }
        let mut tx = self.db.begin().await?;
        let changed = sqlx::query(
            "UPDATE identity_session SET active_company_id = $1, updated_at = $2
             WHERE id = $3 AND user_id = $4 AND revoked_at IS NULL",
        )
        .bind(company)
        .bind(self.clock.now().micros())
        .bind(session)
        .bind(user)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(IdentityError::NotFound("session"));
        }
        tx.commit().await?;
        Ok(())
    }
}
