//! The sandbox provider: a simulated bank inside Hanse. Payments and payouts
//! wait here until a person confirms or fails them; the bank then sends a
//! signed webhook through the same path a real provider's takes.

use kernel::page::{Page, PageRequest};
use kernel::{Clock, CompanyId, Db, Scope};
use rand::RngCore;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{PayError, Result};
use crate::model::{SandboxOperation, SandboxOperationId};
use crate::provider::{
    self, PaymentProvider, PaymentRequest, PayoutRequest, ProviderStatus, WebhookEvent, WebhookKind,
};
use crate::webhook::WebhookOutcome;
use crate::{Pay, rows};

pub const SANDBOX: &str = "sandbox";

/// The shortest webhook secret the sandbox bank accepts from configuration.
pub const SECRET_BYTES_MIN: usize = 32;

/// The simulated bank. Its webhook secret comes from configuration, so every
/// node of a network signs and checks the same way; only the demo makes one at
/// random per process.
pub struct SandboxBank {
    db: Db,
    clock: std::sync::Arc<dyn Clock>,
    secret: Vec<u8>,
}

impl SandboxBank {
    /// The bank signing with `secret`, which must have at least
    /// [`SECRET_BYTES_MIN`] bytes.
    pub fn new(db: Db, clock: std::sync::Arc<dyn Clock>, secret: Vec<u8>) -> Result<Self> {
        if secret.len() < SECRET_BYTES_MIN {
            return Err(PayError::invalid(
                "sandbox_webhook_secret",
                "secret_too_short",
                format!("the sandbox's webhook secret needs at least {SECRET_BYTES_MIN} bytes"),
            ));
        }
        Ok(SandboxBank { db, clock, secret })
    }

    /// The bank with a random secret of this process alone: for the demo and
    /// tests, where one process signs and checks.
    pub fn with_random_secret(db: Db, clock: std::sync::Arc<dyn Clock>) -> Self {
        let mut secret = vec![0_u8; SECRET_BYTES_MIN];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        SandboxBank { db, clock, secret }
    }

    async fn record(
        &self,
        kind: &str,
        company: CompanyId,
        amount: kernel::Money,
        reference: &str,
        description: &str,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO pay_sandbox_operation (id, kind, reference, company_id, currency, amount_minor, description, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8)",
        )
        .bind(SandboxOperationId::new())
        .bind(kind)
        .bind(reference)
        .bind(company)
        .bind(amount.currency.code())
        .bind(amount.minor)
        .bind(description)
        .bind(self.clock.now().micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl PaymentProvider for SandboxBank {
    fn name(&self) -> &'static str {
        SANDBOX
    }

    async fn start_payment(&self, request: PaymentRequest) -> Result<()> {
        self.record(
            "payment",
            request.company_id,
            request.amount,
            &request.reference,
            &request.description,
        )
        .await
    }

    async fn start_payout(&self, request: PayoutRequest) -> Result<()> {
        let description = format!(
            "{} · {} · {}",
            request.holder_name, request.bank_name, request.account_number
        );
        self.record(
            "payout",
            request.company_id,
            request.amount,
            &request.reference,
            &description,
        )
        .await
    }

    fn webhook_secret(&self) -> &[u8] {
        &self.secret
    }

    /// From the bank's own records, as a real bank's status query would.
    async fn payout_status(&self, reference: &str) -> Result<ProviderStatus> {
        let status: Option<String> = sqlx::query_scalar(
            "SELECT status FROM pay_sandbox_operation WHERE kind = 'payout' AND reference = $1",
        )
        .bind(reference)
        .fetch_optional(self.db.reader())
        .await?;
        Ok(match status.as_deref() {
            None => ProviderStatus::Unknown,
            Some("confirmed") => ProviderStatus::Succeeded,
            Some("failed") => ProviderStatus::Failed,
            Some(_) => ProviderStatus::Pending,
        })
    }
}

fn operation(row: &AnyRow) -> Result<SandboxOperation> {
    Ok(SandboxOperation {
        id: SandboxOperationId::from_raw(row.try_get("id")?),
        kind: row.try_get("kind")?,
        reference: row.try_get("reference")?,
        company_id: CompanyId::from_raw(row.try_get("company_id")?),
        amount: rows::money(row, "amount_minor")?,
        description: row.try_get("description")?,
        status: row.try_get("status")?,
        created_at: rows::timestamp(row, "created_at")?,
    })
}

const COLUMNS: &str =
    "id, kind, reference, company_id, currency, amount_minor, description, status, created_at";

/// Whose operations a person sees at the sandbox bank.
#[derive(Debug, Clone, Copy)]
pub enum SandboxViewer {
    /// A member sees its own company's payments and payouts.
    Member(CompanyId),
    /// The operator sees all.
    Operator,
}

impl SandboxViewer {
    pub fn of(scope: &Scope) -> Self {
        SandboxViewer::Member(scope.company_id())
    }

    fn company(self) -> Option<CompanyId> {
        match self {
            SandboxViewer::Member(company) => Some(company),
            SandboxViewer::Operator => None,
        }
    }
}

impl Pay {
    /// The sandbox bank, or "not found" where it is not configured: a network
    /// without it has no such bank to show or drive.
    fn sandbox_bank(&self) -> Result<&SandboxBank> {
        self.sandbox().ok_or(PayError::NotFound("sandbox bank"))
    }

    /// Operations at the sandbox bank, newest first.
    pub async fn sandbox_operations(
        &self,
        viewer: SandboxViewer,
        page: PageRequest,
    ) -> Result<Page<SandboxOperation>> {
        self.sandbox_bank()?;
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM pay_sandbox_operation
             WHERE ($1 = 0 OR company_id = $1) AND id < $2 ORDER BY id DESC LIMIT $3"
        ))
        .bind(viewer.company().map_or(0, CompanyId::raw))
        .bind(page.after.unwrap_or(i64::MAX))
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let items = rows.iter().map(operation).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |item| item.id.raw()))
    }

    /// The bank confirms (or fails) an operation: it records its decision
    /// first, as a real bank does, then signs a webhook and delivers it to
    /// Hanse's own webhook handling. A crash between the two leaves the
    /// decision; settling again the same way delivers the same event again
    /// (its id is the operation's and the decision's), while the contrary
    /// decision is refused, so the bank never says both.
    pub async fn sandbox_settle(
        &self,
        viewer: SandboxViewer,
        id: SandboxOperationId,
        confirm: bool,
    ) -> Result<SandboxOperation> {
        let secret = self.sandbox_bank()?.webhook_secret().to_vec();
        let find = || async {
            let row = sqlx::query(&format!("SELECT {COLUMNS} FROM pay_sandbox_operation WHERE id = $1 AND ($2 = 0 OR company_id = $2)"))
                .bind(id)
                .bind(viewer.company().map_or(0, CompanyId::raw))
                .fetch_optional(self.db.reader())
                .await?
                .ok_or(PayError::NotFound("sandbox operation"))?;
            operation(&row)
        };
        let decided = if confirm { "confirmed" } else { "failed" };
        let mut op = find().await?;
        if op.status == "pending"
            && !self
                .transition("pay_sandbox_operation", id.raw(), "pending", decided)
                .await?
        {
            // Another settlement decided meanwhile; its decision stands.
            op = find().await?;
        } else if op.status == "pending" {
            op.status = decided.to_owned();
        }
        if op.status != decided {
            return Err(PayError::invalid(
                "status",
                "already_settled",
                format!("the operation is already {}", op.status),
            ));
        }
        let kind = match (op.kind.as_str(), confirm) {
            ("payment", true) => WebhookKind::PaymentSucceeded,
            ("payment", false) => WebhookKind::PaymentFailed,
            (_, true) => WebhookKind::PayoutCompleted,
            (_, false) => WebhookKind::PayoutFailed,
        };
        let event = WebhookEvent {
            event_id: format!("evt_{id}_{decided}"),
            kind,
            reference: op.reference.clone(),
        };
        let body =
            serde_json::to_vec(&event).map_err(|error| PayError::Provider(error.to_string()))?;
        let signature = provider::sign(&secret, self.clock.now(), &body);
        match self.handle_webhook(SANDBOX, &signature, &body).await? {
            WebhookOutcome::Applied | WebhookOutcome::AlreadyHandled => {}
        }
        Ok(op)
    }
}
