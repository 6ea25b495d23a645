//! Inviting people onto a company's staff by email, and accepting or withdrawing
//! an invitation.

use kernel::page::{Page, PageRequest};
use kernel::{CompanyId, Role, Scope, Timestamp, UserId, outbox};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::email::Email;
use crate::error::{IdentityError, Result};
use crate::events::StaffJoined;
use crate::mail::OutgoingMail;
use crate::model::{Invitation, InvitationId, InvitationPreview, InvitationStatus, MembershipId};
use crate::{INVITATION_LIFETIME_SECONDS, Identity, rows, token};

fn status(row: &AnyRow, now: Timestamp) -> Result<InvitationStatus, sqlx::Error> {
    Ok(if rows::optional_timestamp(row, "accepted_at")?.is_some() {
        InvitationStatus::Accepted
    } else if rows::optional_timestamp(row, "revoked_at")?.is_some() {
        InvitationStatus::Revoked
    } else if rows::timestamp(row, "expires_at")? <= now {
        InvitationStatus::Expired
    } else {
        InvitationStatus::Open
    })
}

fn invitation(row: &AnyRow, now: Timestamp) -> Result<Invitation> {
    Ok(Invitation {
        id: InvitationId::from_raw(row.try_get("id")?),
        company_id: CompanyId::from_raw(row.try_get("company_id")?),
        email: row.try_get("email")?,
        role: rows::role(row, "role")?,
        status: status(row, now)?,
        expires_at: rows::timestamp(row, "expires_at")?,
        created_at: rows::timestamp(row, "created_at")?,
    })
}

const COLUMNS: &str =
    "id, company_id, email, role, expires_at, accepted_at, revoked_at, created_at";

impl Identity {
    /// Invites `email` into `role` and mails the link. Returns the invitation
    /// and its secret token (also in the mail).
    pub async fn invite(
        &self,
        scope: &Scope,
        email: &str,
        role: Role,
    ) -> Result<(Invitation, String)> {
        let inviter = scope.user_id().ok_or(IdentityError::Forbidden)?;
        if !scope.role().manages_company() || (role == Role::Owner && scope.role() != Role::Owner) {
            return Err(IdentityError::Forbidden);
        }
        let email = Email::parse(email).ok_or_else(|| {
            IdentityError::invalid("email", "invalid_email", "this is not an email address")
        })?;
        let already = sqlx::query(
            "SELECT 1 AS one FROM identity_membership m JOIN identity_user u ON u.id = m.user_id
             WHERE m.company_id = $1 AND u.email = $2",
        )
        .bind(scope.company_id())
        .bind(email.as_str())
        .fetch_optional(self.db.reader())
        .await?;
        if already.is_some() {
            return Err(IdentityError::AlreadyMember);
        }
        let now = self.clock.now();
        let secret = token::generate("inv_");
        let invitation = Invitation {
            id: InvitationId::new(),
            company_id: scope.company_id(),
            email: email.to_string(),
            role,
            status: InvitationStatus::Open,
            expires_at: now.plus_seconds(INVITATION_LIFETIME_SECONDS),
            created_at: now,
        };
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO identity_invitation (company_id, id, email, role, token_hash, invited_by, expires_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(invitation.company_id)
        .bind(invitation.id)
        .bind(&invitation.email)
        .bind(role.as_str())
        .bind(token::hash(&secret))
        .bind(inviter)
        .bind(invitation.expires_at.micros())
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;

        let company = self.company(scope).await?;
        let inviter = self.user(inviter).await?;
        let mail = OutgoingMail {
            to: invitation.email.clone(),
            subject: format!(
                "{} invites you to {} on Hanse / 邀请您加入",
                inviter.display_name, company.legal_name
            ),
            body: format!(
                "{inviter} invites you to join {company} on Hanse as {role}.\n\
                 {inviter} 邀请您以 {role} 身份加入 Hanse 上的 {company}。\n\n\
                 {url}/invitations/{secret}\n\n\
                 The link is valid for 7 days. / 链接 7 天内有效。\n",
                inviter = inviter.display_name,
                company = company.legal_name,
                role = role.as_str(),
                url = self.public_url.trim_end_matches('/'),
            ),
        };
        // The invitation stands even if the relay is down; the inviter can resend.
        if let Err(error) = self.mailer.send(mail).await {
            tracing::warn!(invitation.id = %invitation.id, %error, "invitation mail not sent");
        }
        Ok((invitation, secret))
    }

    pub async fn invitations(&self, scope: &Scope, page: PageRequest) -> Result<Page<Invitation>> {
        let now = self.clock.now();
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM identity_invitation WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3"
        ))
        .bind(scope.company_id())
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let items = rows
            .iter()
            .map(|row| invitation(row, now))
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |item| item.id.raw()))
    }

    pub async fn revoke_invitation(&self, scope: &Scope, id: InvitationId) -> Result<()> {
        if !scope.role().manages_company() {
            // Still "not found" for an id of another company, checked below.
            self.invitation(scope, id).await?;
            return Err(IdentityError::Forbidden);
        }
        let mut tx = self.db.begin().await?;
        let changed = sqlx::query(
            "UPDATE identity_invitation SET revoked_at = $1, updated_at = $1
             WHERE company_id = $2 AND id = $3 AND accepted_at IS NULL AND revoked_at IS NULL",
        )
        .bind(self.clock.now().micros())
        .bind(scope.company_id())
        .bind(id)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if changed == 0 {
            self.invitation(scope, id).await?;
            return Err(IdentityError::InvitationClosed);
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn invitation(&self, scope: &Scope, id: InvitationId) -> Result<Invitation> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM identity_invitation WHERE company_id = $1 AND id = $2"
        ))
        .bind(scope.company_id())
        .bind(id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(IdentityError::NotFound("invitation"))?;
        invitation(&row, self.clock.now())
    }

    /// What an invitation link offers, for the page that accepts it.
    pub async fn preview_invitation(&self, secret: &str) -> Result<InvitationPreview> {
        let row = sqlx::query(
            "SELECT i.email, i.role, i.expires_at, i.accepted_at, i.revoked_at, c.legal_name
             FROM identity_invitation i JOIN identity_company c ON c.id = i.company_id
             WHERE i.token_hash = $1",
        )
        .bind(token::hash(secret))
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(IdentityError::NotFound("invitation"))?;
        Ok(InvitationPreview {
            company_name: row.try_get("legal_name")?,
            email: row.try_get("email")?,
            role: rows::role(&row, "role")?,
            status: status(&row, self.clock.now())?,
            expires_at: rows::timestamp(&row, "expires_at")?,
        })
    }

    /// Puts the signed-in person on the inviting company's staff. The person's
    /// email must be the one invited.
    pub async fn accept_invitation(&self, user: UserId, secret: &str) -> Result<CompanyId> {
        let person = self.user(user).await?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM identity_invitation WHERE token_hash = $1"
        ))
        .bind(token::hash(secret))
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(IdentityError::NotFound("invitation"))?;
        let now = self.clock.now();
        let offer = invitation(&row, now)?;
        match offer.status {
            InvitationStatus::Open => {}
            InvitationStatus::Expired => return Err(IdentityError::InvitationExpired),
            InvitationStatus::Accepted | InvitationStatus::Revoked => {
                return Err(IdentityError::InvitationClosed);
            }
        }
        if offer.email != person.email {
            return Err(IdentityError::InvitationForAnotherEmail);
        }
        let mut tx = self.db.begin().await?;
        // Conditional, so that two tabs accepting at once join only once.
        let claimed = sqlx::query(
            "UPDATE identity_invitation SET accepted_at = $1, updated_at = $1
             WHERE company_id = $2 AND id = $3 AND accepted_at IS NULL AND revoked_at IS NULL",
        )
        .bind(now.micros())
        .bind(offer.company_id)
        .bind(offer.id)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if claimed == 0 {
            return Err(IdentityError::InvitationClosed);
        }
        let joined = sqlx::query(
            "INSERT INTO identity_membership (company_id, id, user_id, role, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (company_id, user_id) DO NOTHING",
        )
        .bind(offer.company_id)
        .bind(MembershipId::new())
        .bind(user)
        .bind(offer.role.as_str())
        .bind(now.micros())
        .execute(tx.conn())
        .await?
        .rows_affected();
        if joined == 0 {
            return Err(IdentityError::AlreadyMember);
        }
        let event = StaffJoined {
            company_id: offer.company_id,
            user_id: user,
            role: offer.role,
        };
        outbox::append(&mut tx, &event, Some(offer.company_id), now).await?;
        tx.commit().await?;
        Ok(offer.company_id)
    }
}
