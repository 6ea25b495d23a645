//! Escrow of an order: the buyer's money is held (a pending transfer that never
//! expires on its own), released to the seller less the platform fee when the
//! buyer confirms receipt, or refunded in whole or in part.

use kernel::page::{Page, PageRequest};
use kernel::{CompanyId, Money, Scope};
use ledger::{AccountId, CreateTransferResult, PendingState, Transfer, TransferFlags, TransferId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::accounts::ledger_of;
use crate::error::{PayError, Result};
use crate::model::{Escrow, EscrowId, TransferKind};
use crate::{AccountKind, Pay, check_amount, may_view_money, rows};

const COLUMNS: &str = "company_id, id, seller_company_id, order_reference, currency, amount_minor, fee_minor, status, released_minor,
    hold_transfer_id, settle_transfer_id, payout_transfer_id, fee_transfer_id, created_at";

struct EscrowRow {
    escrow: Escrow,
    hold: TransferId,
    settle: TransferId,
    payout: TransferId,
    fee: TransferId,
}

fn escrow_row(row: &AnyRow) -> Result<EscrowRow> {
    let transfer =
        |column: &str| -> Result<TransferId> { Ok(TransferId::from_raw(row.try_get(column)?)) };
    Ok(EscrowRow {
        escrow: Escrow {
            id: EscrowId::from_raw(row.try_get("id")?),
            buyer: CompanyId::from_raw(row.try_get("company_id")?),
            seller: CompanyId::from_raw(row.try_get("seller_company_id")?),
            order_reference: row.try_get("order_reference")?,
            amount: rows::money(row, "amount_minor")?,
            fee: rows::money(row, "fee_minor")?,
            status: row.try_get("status")?,
            released: rows::money(row, "released_minor")?,
            created_at: rows::timestamp(row, "created_at")?,
        },
        hold: transfer("hold_transfer_id")?,
        settle: transfer("settle_transfer_id")?,
        payout: transfer("payout_transfer_id")?,
        fee: transfer("fee_transfer_id")?,
    })
}

/// The part of an escrow's fee taken when `to_seller_minor` of its
/// `amount_minor` goes to the seller: in proportion, rounded down in the
/// seller's favour; all of it when the whole amount is released.
pub fn escrow_fee_share(fee_minor: i64, amount_minor: i64, to_seller_minor: i64) -> i64 {
    if amount_minor <= 0 {
        return 0;
    }
    i64::try_from(i128::from(fee_minor) * i128::from(to_seller_minor) / i128::from(amount_minor))
        .unwrap_or(0)
}

impl Pay {
    /// The escrow of an order, if it was ever held (also while being held).
    pub async fn escrow_of_order(&self, order_reference: i64) -> Result<Option<Escrow>> {
        Ok(self
            .escrow_by_order(order_reference)
            .await?
            .map(|record| record.escrow))
    }

    /// Whether the order's money is held in the ledger: its escrow is `held`,
    /// or still `holding` because a crash fell between the ledger's hold and
    /// the record of it ([`Pay::hold_escrow`] again finishes that record).
    /// Only reads, so a job's transaction may ask.
    pub async fn escrow_hold_made(&self, order_reference: i64) -> Result<bool> {
        let Some(record) = self.escrow_by_order(order_reference).await? else {
            return Ok(false);
        };
        Ok(match record.escrow.status.as_str() {
            "held" => true,
            "holding" => matches!(
                self.ledger.lookup_transfers(&[record.hold]).await?.first(),
                Some((_, PendingState::Pending))
            ),
            _ => false,
        })
    }

    /// Holds `amount` of the buyer's wallet for an order. Idempotent per order:
    /// holding the same order again returns the same escrow.
    pub async fn hold_escrow(
        &self,
        order_reference: i64,
        buyer: CompanyId,
        seller: CompanyId,
        amount: Money,
        fee: Money,
    ) -> Result<Escrow> {
        check_amount(amount)?;
        if fee.currency != amount.currency {
            return Err(PayError::CurrencyMismatch {
                given: fee.currency.code().to_owned(),
                expected: amount.currency.code().to_owned(),
            });
        }
        if fee.minor < 0 || fee.minor > amount.minor {
            return Err(PayError::invalid(
                "fee",
                "fee_out_of_range",
                "the fee is between zero and the amount",
            ));
        }
        if buyer == seller {
            return Err(PayError::invalid(
                "seller",
                "same_company",
                "a company cannot pay itself through escrow",
            ));
        }
        if let Some(existing) = self.escrow_by_order(order_reference).await? {
            let same = existing.escrow.buyer == buyer
                && existing.escrow.seller == seller
                && existing.escrow.amount == amount
                && existing.escrow.fee == fee;
            if !same {
                return Err(PayError::invalid(
                    "order_reference",
                    "order_already_held",
                    "this order already has an escrow with other terms",
                ));
            }
            if existing.escrow.status != "holding" {
                return Ok(existing.escrow);
            }
            // An earlier attempt stopped between recording and reserving:
            // finish it with the transfer id it chose.
            return self.reserve(existing).await;
        }
        // A buyer without a wallet in the currency cannot pay: refuse before
        // recording anything.
        self.existing_wallet(buyer, amount.currency)
            .await?
            .ok_or(PayError::InsufficientFunds)?;
        let now = self.clock.now();
        let record = EscrowRow {
            escrow: Escrow {
                id: EscrowId::new(),
                buyer,
                seller,
                order_reference,
                amount,
                fee,
                status: "held".to_owned(),
                released: Money::zero(amount.currency),
                created_at: now,
            },
            hold: TransferId::new(),
            settle: TransferId::new(),
            payout: TransferId::new(),
            fee: TransferId::new(),
        };
        let mut tx = self.db.begin().await?;
        sqlx::query(&format!(
            "INSERT INTO pay_escrow ({}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'holding', 0, $8, $9, $10, $11, $12, $12)",
            COLUMNS.replace('\n', " ")
        ))
        .bind(buyer)
        .bind(record.escrow.id)
        .bind(seller)
        .bind(order_reference)
        .bind(amount.currency.code())
        .bind(amount.minor)
        .bind(fee.minor)
        .bind(record.hold.raw())
        .bind(record.settle.raw())
        .bind(record.payout.raw())
        .bind(record.fee.raw())
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;

        self.reserve(record).await
    }

    /// Makes the hold in the ledger for a recorded escrow and marks it held;
    /// if the ledger refuses, the record goes too, so nothing is left behind.
    async fn reserve(&self, mut record: EscrowRow) -> Result<Escrow> {
        let amount = record.escrow.amount;
        let wallet = self
            .existing_wallet(record.escrow.buyer, amount.currency)
            .await?
            .ok_or(PayError::InsufficientFunds)?;
        let escrow_account = self
            .operator_account(amount.currency, AccountKind::Escrow, "")
            .await?;
        // Escrow never expires silently: the hold has no timeout.
        let hold = Transfer {
            user_ref: record.escrow.order_reference,
            ..Transfer::new(
                record.hold,
                wallet,
                escrow_account,
                amount.minor,
                ledger_of(amount.currency),
                TransferKind::EscrowHold.code(),
            )
            .with_flags(TransferFlags::PENDING)
        };
        match self.ledger.create_transfers(vec![hold]).await?.first() {
            Some(CreateTransferResult::Ok | CreateTransferResult::Exists) => {}
            Some(refusal) => {
                let mut tx = self.db.begin().await?;
                sqlx::query("DELETE FROM pay_escrow WHERE company_id = $1 AND id = $2")
                    .bind(record.escrow.buyer)
                    .bind(record.escrow.id)
                    .execute(tx.conn())
                    .await?;
                tx.commit().await?;
                return Err(if *refusal == CreateTransferResult::ExceedsCredits {
                    PayError::InsufficientFunds
                } else {
                    PayError::Refused(*refusal)
                });
            }
            None => return Err(PayError::Provider("no answer from the ledger".into())),
        }
        self.set_escrow_status(record.escrow.id, "holding", "held", 0)
            .await?;
        record.escrow.status = "held".to_owned();
        Ok(record.escrow)
    }

    /// Pays the held money to the seller, less the fee, which goes to the
    /// operator: one linked chain, all or nothing.
    pub async fn release_escrow(&self, id: EscrowId) -> Result<Escrow> {
        let record = self.escrow_record(id).await?;
        let amount = record.escrow.amount;
        self.settle_escrow(&record, amount).await?;
        self.set_escrow_status(id, "held", "released", amount.minor)
            .await?;
        Ok(self.escrow_record(id).await?.escrow)
    }

    /// Returns `refund` to the buyer: all of it voids the hold; part of it
    /// posts the rest to the seller, with the fee in proportion, and the
    /// unposted part returns to the buyer.
    pub async fn refund_escrow(&self, id: EscrowId, refund: Money) -> Result<Escrow> {
        let record = self.escrow_record(id).await?;
        let amount = record.escrow.amount;
        if refund.currency != amount.currency {
            return Err(PayError::CurrencyMismatch {
                given: refund.currency.code().to_owned(),
                expected: amount.currency.code().to_owned(),
            });
        }
        if refund.minor <= 0 || refund.minor > amount.minor {
            return Err(PayError::invalid(
                "amount",
                "refund_out_of_range",
                "refund between zero and the held amount",
            ));
        }
        if refund.minor == amount.minor {
            self.ensure_held(&record)?;
            let void = Transfer {
                pending_id: Some(record.hold),
                ..self
                    .escrow_transfer(
                        record.settle,
                        &record,
                        self.operator_account(amount.currency, AccountKind::Escrow, "")
                            .await?,
                        amount.minor,
                        TransferKind::EscrowSettled,
                    )
                    .await?
                    .with_flags(TransferFlags::VOID_PENDING)
            };
            self.expect_ok(self.ledger.create_transfers(vec![void]).await?)?;
            self.set_escrow_status(id, "held", "refunded", 0).await?;
        } else {
            let to_seller = amount.checked_sub(refund).map_err(|_| {
                PayError::invalid("amount", "refund_out_of_range", "refund too large")
            })?;
            self.settle_escrow(&record, to_seller).await?;
            self.set_escrow_status(id, "held", "partially_refunded", to_seller.minor)
                .await?;
        }
        Ok(self.escrow_record(id).await?.escrow)
    }

    fn ensure_held(&self, record: &EscrowRow) -> Result<()> {
        match record.escrow.status.as_str() {
            "held" => Ok(()),
            "released" => Err(PayError::EscrowClosed("released")),
            "refunded" => Err(PayError::EscrowClosed("refunded")),
            "partially_refunded" => Err(PayError::EscrowClosed("partially refunded")),
            _ => Err(PayError::EscrowClosed("being held")),
        }
    }

    /// Posts `to_seller` of the hold to escrow and pays it on: to the seller
    /// less the fee share, and the fee share to fee revenue.
    async fn settle_escrow(&self, record: &EscrowRow, to_seller: Money) -> Result<()> {
        self.ensure_held(record)?;
        let amount = record.escrow.amount;
        let fee_share = escrow_fee_share(record.escrow.fee.minor, amount.minor, to_seller.minor);
        let seller_wallet = self
            .wallet_account(record.escrow.seller, amount.currency)
            .await?;
        let escrow_account = self
            .operator_account(amount.currency, AccountKind::Escrow, "")
            .await?;
        let fee_account = self
            .operator_account(amount.currency, AccountKind::FeeRevenue, "")
            .await?;
        let ledger_id = ledger_of(amount.currency);
        let mut chain = vec![Transfer {
            pending_id: Some(record.hold),
            ..self
                .escrow_transfer(
                    record.settle,
                    record,
                    escrow_account,
                    to_seller.minor,
                    TransferKind::EscrowSettled,
                )
                .await?
                .with_flags(TransferFlags::POST_PENDING)
        }];
        let payout = to_seller.minor - fee_share;
        if payout > 0 {
            chain.push(Transfer {
                user_ref: record.escrow.order_reference,
                ..Transfer::new(
                    record.payout,
                    escrow_account,
                    seller_wallet,
                    payout,
                    ledger_id,
                    TransferKind::EscrowPayout.code(),
                )
            });
        }
        if fee_share > 0 {
            chain.push(Transfer {
                user_ref: record.escrow.order_reference,
                ..Transfer::new(
                    record.fee,
                    escrow_account,
                    fee_account,
                    fee_share,
                    ledger_id,
                    TransferKind::PlatformFee.code(),
                )
            });
        }
        let last = chain.len() - 1;
        for transfer in &mut chain[..last] {
            transfer.flags = transfer.flags.union(TransferFlags::LINKED);
        }
        self.expect_ok(self.ledger.create_transfers(chain).await?)
    }

    /// The settling transfer of the hold: buyer wallet → `escrow_account`, as
    /// the hold.
    async fn escrow_transfer(
        &self,
        id: TransferId,
        record: &EscrowRow,
        escrow_account: AccountId,
        amount: i64,
        kind: TransferKind,
    ) -> Result<Transfer> {
        let currency = record.escrow.amount.currency;
        let buyer_wallet = self
            .existing_wallet(record.escrow.buyer, currency)
            .await?
            .ok_or(PayError::NotFound("wallet"))?;
        Ok(Transfer {
            user_ref: record.escrow.order_reference,
            ..Transfer::new(
                id,
                buyer_wallet,
                escrow_account,
                amount,
                ledger_of(currency),
                kind.code(),
            )
        })
    }

    fn expect_ok(&self, results: Vec<CreateTransferResult>) -> Result<()> {
        match results
            .iter()
            .find(|r| !matches!(r, CreateTransferResult::Ok | CreateTransferResult::Exists))
        {
            None => Ok(()),
            Some(refusal) => Err(PayError::Refused(*refusal)),
        }
    }

    async fn set_escrow_status(
        &self,
        id: EscrowId,
        from: &str,
        to: &str,
        released_minor: i64,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE pay_escrow SET status = $1, released_minor = $2, updated_at = $3 WHERE id = $4 AND status = $5")
            .bind(to)
            .bind(released_minor)
            .bind(self.clock.now().micros())
            .bind(id)
            .bind(from)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn escrow_record(&self, id: EscrowId) -> Result<EscrowRow> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM pay_escrow WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.db.reader())
            .await?
            .ok_or(PayError::NotFound("escrow"))?;
        escrow_row(&row)
    }

    async fn escrow_by_order(&self, order_reference: i64) -> Result<Option<EscrowRow>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM pay_escrow WHERE order_reference = $1"
        ))
        .bind(order_reference)
        .fetch_optional(self.db.reader())
        .await?;
        row.as_ref().map(escrow_row).transpose()
    }

    /// Escrows where the company buys or sells, newest first.
    pub async fn escrows(&self, scope: &Scope, page: PageRequest) -> Result<Page<Escrow>> {
        if !may_view_money(scope.role()) {
            return Err(PayError::Forbidden);
        }
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM pay_escrow WHERE (company_id = $1 OR seller_company_id = $1) AND status <> 'holding' AND id < $2
             ORDER BY id DESC LIMIT $3"
        ))
        .bind(scope.company_id())
        .bind(page.after.unwrap_or(i64::MAX))
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let items = rows
            .iter()
            .map(|row| escrow_row(row).map(|r| r.escrow))
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(items, page, |item| item.id.raw()))
    }
}
