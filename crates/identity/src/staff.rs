//! A company's staff: who is on it, in what role; changing roles and removing
//! people, with the rule that a company always keeps an owner.

use kernel::page::{Page, PageRequest};
use kernel::{Role, Scope, UserId};
use sqlx::Row;

use crate::error::{IdentityError, Result};
use crate::model::{MembershipId, StaffMember};
use crate::{Identity, rows};

/// Only owners and admins manage staff, and only owners touch owners.
fn may_manage(scope: &Scope, current: Role, wanted: Option<Role>) -> Result<()> {
    if !scope.role().manages_company() {
        return Err(IdentityError::Forbidden);
    }
    let touches_owner = current == Role::Owner || wanted == Some(Role::Owner);
    if touches_owner && scope.role() != Role::Owner {
        return Err(IdentityError::Forbidden);
    }
    Ok(())
}

impl Identity {
    /// The company's staff in the order they joined.
    pub async fn staff(&self, scope: &Scope, page: PageRequest) -> Result<Page<StaffMember>> {
        let rows = sqlx::query(
            "SELECT m.id, m.user_id, m.role, m.created_at, u.email, u.display_name
             FROM identity_membership m JOIN identity_user u ON u.id = m.user_id
             WHERE m.company_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3",
        )
        .bind(scope.company_id())
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let members = rows
            .iter()
            .map(|row| {
                Ok(StaffMember {
                    id: MembershipId::from_raw(row.try_get("id")?),
                    user_id: UserId::from_raw(row.try_get("user_id")?),
                    email: row.try_get("email")?,
                    display_name: row.try_get("display_name")?,
                    role: rows::role(row, "role")?,
                    joined_at: rows::timestamp(row, "created_at")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(members, page, |member| member.id.raw()))
    }

    /// One staff member of the scope's company; another company's is "not found".
    pub async fn staff_member(&self, scope: &Scope, id: MembershipId) -> Result<StaffMember> {
        let mut connection = self.db.reader().acquire().await?;
        read_member(&mut connection, scope, id).await
    }

    pub async fn change_role(
        &self,
        scope: &Scope,
        id: MembershipId,
        role: Role,
    ) -> Result<StaffMember> {
        let mut tx = self.db.begin().await?;
        lock_staff(&mut tx, scope).await?;
        // Read under the lock, so the permission check sees the role as it is now.
        let member = read_member(tx.conn(), scope, id).await?;
        may_manage(scope, member.role, Some(role))?;
        sqlx::query("UPDATE identity_membership SET role = $1, updated_at = $2 WHERE company_id = $3 AND id = $4")
            .bind(role.as_str())
            .bind(self.clock.now().micros())
            .bind(scope.company_id())
            .bind(id)
            .execute(tx.conn())
            .await?;
        ensure_an_owner_remains(&mut tx, scope).await?;
        tx.commit().await?;
        Ok(StaffMember { role, ..member })
    }

    pub async fn remove_staff(&self, scope: &Scope, id: MembershipId) -> Result<()> {
        let mut tx = self.db.begin().await?;
        lock_staff(&mut tx, scope).await?;
        let member = read_member(tx.conn(), scope, id).await?;
        may_manage(scope, member.role, None)?;
        sqlx::query("DELETE FROM identity_membership WHERE company_id = $1 AND id = $2")
            .bind(scope.company_id())
            .bind(id)
            .execute(tx.conn())
            .await?;
        ensure_an_owner_remains(&mut tx, scope).await?;
        // Sessions acting for this company fall back to no active company.
        sqlx::query(
            "UPDATE identity_session SET active_company_id = NULL, updated_at = $1
             WHERE user_id = $2 AND active_company_id = $3",
        )
        .bind(self.clock.now().micros())
        .bind(member.user_id)
        .bind(scope.company_id())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn read_member(
    connection: &mut sqlx::AnyConnection,
    scope: &Scope,
    id: MembershipId,
) -> Result<StaffMember> {
    let row = sqlx::query(
        "SELECT m.id, m.user_id, m.role, m.created_at, u.email, u.display_name
         FROM identity_membership m JOIN identity_user u ON u.id = m.user_id
         WHERE m.company_id = $1 AND m.id = $2",
    )
    .bind(scope.company_id())
    .bind(id)
    .fetch_optional(connection)
    .await?
    .ok_or(IdentityError::NotFound("staff member"))?;
    Ok(StaffMember {
        id,
        user_id: UserId::from_raw(row.try_get("user_id")?),
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: rows::role(&row, "role")?,
        joined_at: rows::timestamp(&row, "created_at")?,
    })
}

/// Serialises changes to one company's staff by locking its company row until
/// the transaction ends. Without it, on PostgreSQL (read committed) two
/// concurrent demotions each count the other's owner, both pass, and the company
/// is left without one. On SQLite the single writer serialises them already.
async fn lock_staff(tx: &mut kernel::Tx, scope: &Scope) -> Result<()> {
    sqlx::query("UPDATE identity_company SET updated_at = updated_at WHERE id = $1")
        .bind(scope.company_id())
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Checked inside the transaction, after the change and under [`lock_staff`], so
/// that two concurrent demotions cannot both pass and leave a company without an owner.
async fn ensure_an_owner_remains(tx: &mut kernel::Tx, scope: &Scope) -> Result<()> {
    let owners: i64 = sqlx::query("SELECT COUNT(*) AS owners FROM identity_membership WHERE company_id = $1 AND role = 'owner'")
        .bind(scope.company_id())
        .fetch_one(tx.conn())
        .await?
        .try_get("owners")?;
    if owners == 0 {
        Err(IdentityError::LastOwner)
    } else {
        Ok(())
    }
}
