//! A product's available quantity as the store that orders take stock from and
//! give it back to. `trade` reaches it only through these two calls, inside its
//! own transaction, so an order and its stock change commit together; the
//! supply-chain module will own stock later and answer the same calls.

use kernel::db::Tx;
use kernel::outbox;
use kernel::{CompanyId, Timestamp};
use sqlx::Row;

use crate::Market;
use crate::error::{MarketError, Result};
use crate::events::ProductChanged;
use crate::model::{ProductId, ProductStatus};

impl Market {
    /// Takes `quantity` of a published product's available stock, or refuses
    /// with `insufficient_stock` and takes nothing. The conditional update is
    /// the guard against overselling: on PostgreSQL it waits for a concurrent
    /// taker's row lock and checks again; on SQLite the single writer orders it.
    pub async fn take_stock(
        &self,
        tx: &mut Tx,
        company_id: CompanyId,
        product_id: ProductId,
        quantity: i64,
        now: Timestamp,
    ) -> Result<()> {
        positive(quantity)?;
        let left: Option<i64> = sqlx::query(
            "UPDATE market_product SET available_quantity = available_quantity - $1, updated_at = $2
             WHERE company_id = $3 AND id = $4 AND status = 'published' AND available_quantity >= $1
             RETURNING available_quantity",
        )
        .bind(quantity)
        .bind(now.micros())
        .bind(company_id)
        .bind(product_id)
        .fetch_optional(tx.conn())
        .await?
        .map(|row| row.try_get(0))
        .transpose()?;
        match left {
            // Search filters on "in stock": tell it only when that changes,
            // not on every order.
            Some(0) => stock_changed(tx, company_id, product_id, now).await,
            Some(_) => Ok(()),
            None => {
                let available: Option<i64> = sqlx::query(
                    "SELECT available_quantity FROM market_product
                     WHERE company_id = $1 AND id = $2 AND status = 'published'",
                )
                .bind(company_id)
                .bind(product_id)
                .fetch_optional(tx.conn())
                .await?
                .map(|row| row.try_get(0))
                .transpose()?;
                match available {
                    Some(available) => Err(MarketError::InsufficientStock { available }),
                    None => Err(MarketError::NotFound("product")),
                }
            }
        }
    }

    /// Gives `quantity` back to a product's available stock (a cancelled
    /// reservation, or goods returned), whatever the product's status now.
    pub async fn return_stock(
        &self,
        tx: &mut Tx,
        company_id: CompanyId,
        product_id: ProductId,
        quantity: i64,
        now: Timestamp,
    ) -> Result<()> {
        positive(quantity)?;
        let now_available: Option<i64> = sqlx::query(
            "UPDATE market_product SET available_quantity = available_quantity + $1, updated_at = $2
             WHERE company_id = $3 AND id = $4 RETURNING available_quantity",
        )
        .bind(quantity)
        .bind(now.micros())
        .bind(company_id)
        .bind(product_id)
        .fetch_optional(tx.conn())
        .await?
        .map(|row| row.try_get(0))
        .transpose()?;
        match now_available {
            Some(available) if available == quantity => {
                stock_changed(tx, company_id, product_id, now).await
            }
            Some(_) => Ok(()),
            None => Err(MarketError::NotFound("product")),
        }
    }

    /// A product's available quantity, read inside a transaction.
    pub async fn available_stock(
        &self,
        tx: &mut Tx,
        company_id: CompanyId,
        product_id: ProductId,
    ) -> Result<i64> {
        sqlx::query(
            "SELECT available_quantity FROM market_product WHERE company_id = $1 AND id = $2",
        )
        .bind(company_id)
        .bind(product_id)
        .fetch_optional(tx.conn())
        .await?
        .map(|row| row.try_get::<i64, _>(0))
        .transpose()?
        .ok_or(MarketError::NotFound("product"))
    }
}

fn positive(quantity: i64) -> Result<()> {
    if quantity <= 0 {
        return Err(MarketError::invalid(
            "quantity",
            "out_of_range",
            "a quantity above zero",
        ));
    }
    Ok(())
}

/// A published product went out of stock or came back: the search index
/// re-reads it. A product that is not (or no longer) the company's has
/// nothing to re-read.
pub(crate) async fn stock_changed(
    tx: &mut Tx,
    company_id: CompanyId,
    product_id: ProductId,
    now: Timestamp,
) -> Result<()> {
    let Some(row) =
        sqlx::query("SELECT status FROM market_product WHERE company_id = $1 AND id = $2")
            .bind(company_id)
            .bind(product_id)
            .fetch_optional(tx.conn())
            .await?
    else {
        return Ok(());
    };
    let status: String = row.try_get(0)?;
    let status = ProductStatus::parse(&status).unwrap_or(ProductStatus::Unlisted);
    let event = ProductChanged {
        product_id,
        company_id,
        status,
    };
    outbox::append(tx, &event, Some(company_id), now).await?;
    Ok(())
}
