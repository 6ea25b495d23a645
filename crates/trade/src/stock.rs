//! Stock reservation, behind one small interface: a [`StockKeeper`] (the
//! supply chain, for products linked to its items) keeps what it links, and
//! the market's available quantity is the store for every other product.
//! Each call runs inside the order's transaction.

use kernel::db::Tx;
use kernel::{CompanyId, StorageError, Timestamp};

use crate::Trade;
use crate::error::{Result, TradeError};
use crate::model::{LineStock, Order, OrderId};

/// One order line's stock, as a keeper is asked about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockLine {
    pub seller: CompanyId,
    pub order_id: OrderId,
    pub line_no: i64,
    pub product_id: market::ProductId,
    /// In the product's unit.
    pub quantity: i64,
}

/// Whether a keeper keeps a line's stock, or leaves it to the market.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keeping {
    Kept,
    NotKept,
}

/// Why a keeper refused.
#[derive(Debug, thiserror::Error)]
pub enum KeeperError {
    #[error("only {available} available")]
    Insufficient { available: i64 },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Who keeps the stock of linked products (implemented by `scm`). Trade
/// never learns how: it asks, inside the order's transaction.
#[async_trait::async_trait]
pub trait StockKeeper: Send + Sync {
    /// Reserves the line's quantity, or refuses with what is available.
    async fn reserve(
        &self,
        tx: &mut Tx,
        line: &StockLine,
        now: Timestamp,
    ) -> Result<Keeping, KeeperError>;

    /// Gives back what the line still has reserved.
    async fn release(
        &self,
        tx: &mut Tx,
        line: &StockLine,
        now: Timestamp,
    ) -> Result<Keeping, KeeperError>;

    /// Whether the keeper books the line's returned goods itself (from
    /// `OrderRefunded`), so the market's quantity must not grow.
    async fn takes_returns(&self, tx: &mut Tx, line: &StockLine) -> Result<Keeping, KeeperError>;
}

impl From<KeeperError> for TradeError {
    fn from(error: KeeperError) -> Self {
        match error {
            KeeperError::Insufficient { available } => TradeError::InsufficientStock {
                field: "quantity".into(),
                available,
            },
            KeeperError::Storage(error) => TradeError::Storage(error),
        }
    }
}

fn stock_line(
    order: &Order,
    line_no: i64,
    product_id: market::ProductId,
    quantity: i64,
) -> StockLine {
    StockLine {
        seller: order.seller,
        order_id: order.id,
        line_no,
        product_id,
        quantity,
    }
}

impl Trade {
    /// Reserves every product line of a new order, or fails with the line at
    /// fault (`lines[2].quantity`) and reserves nothing: the caller's
    /// transaction rolls back.
    pub(crate) async fn reserve_lines(
        &self,
        tx: &mut Tx,
        order: &mut Order,
        now: Timestamp,
    ) -> Result<()> {
        for index in 0..order.lines.len() {
            let line = &order.lines[index];
            let Some(product) = line.product_id else {
                continue;
            };
            let asked = stock_line(order, line.line_no, product, line.quantity);
            let available = match self.keeper_reserves(tx, &asked, now).await {
                Ok(Keeping::Kept) => None,
                Ok(Keeping::NotKept) => match self
                    .market
                    .take_stock(tx, order.seller, product, asked.quantity, now)
                    .await
                {
                    Ok(()) => None,
                    Err(market::MarketError::InsufficientStock { available }) => Some(available),
                    Err(error) => return Err(error.into()),
                },
                Err(KeeperError::Insufficient { available }) => Some(available),
                Err(error) => return Err(error.into()),
            };
            if let Some(available) = available {
                return Err(TradeError::InsufficientStock {
                    field: format!("lines[{index}].quantity"),
                    available,
                });
            }
            order.lines[index].stock = LineStock::Reserved;
        }
        Ok(())
    }

    async fn keeper_reserves(
        &self,
        tx: &mut Tx,
        line: &StockLine,
        now: Timestamp,
    ) -> Result<Keeping, KeeperError> {
        match &self.stock_keeper {
            Some(keeper) => keeper.reserve(tx, line, now).await,
            None => Ok(Keeping::NotKept),
        }
    }

    /// Gives back what the order still has reserved (cancelled, declined, or
    /// refunded before shipping).
    pub(crate) async fn release_lines(
        &self,
        tx: &mut Tx,
        order: &mut Order,
        now: Timestamp,
    ) -> Result<()> {
        self.give_back(tx, order, LineStock::Reserved, LineStock::Released, now)
            .await
    }

    /// The goods left the seller: the reservation is used up.
    pub(crate) fn consume_lines(order: &mut Order) {
        for line in &mut order.lines {
            if line.stock == LineStock::Reserved {
                line.stock = LineStock::Consumed;
            }
        }
    }

    /// Returned goods are back on the seller's shelf.
    pub(crate) async fn restock_lines(
        &self,
        tx: &mut Tx,
        order: &mut Order,
        now: Timestamp,
    ) -> Result<()> {
        self.give_back(tx, order, LineStock::Consumed, LineStock::Returned, now)
            .await
    }

    /// Returns the stock of every line in `from` to its keeper, or to the
    /// product, and marks the line `to`.
    async fn give_back(
        &self,
        tx: &mut Tx,
        order: &mut Order,
        from: LineStock,
        to: LineStock,
        now: Timestamp,
    ) -> Result<()> {
        for index in 0..order.lines.len() {
            let line = &order.lines[index];
            if line.stock != from {
                continue;
            }
            if let Some(product) = line.product_id {
                let asked = stock_line(order, line.line_no, product, line.quantity);
                let keeping = match (&self.stock_keeper, from) {
                    (None, _) => Keeping::NotKept,
                    (Some(keeper), LineStock::Reserved) => keeper.release(tx, &asked, now).await?,
                    (Some(keeper), _) => keeper.takes_returns(tx, &asked).await?,
                };
                if keeping == Keeping::NotKept {
                    self.market
                        .return_stock(tx, order.seller, product, asked.quantity, now)
                        .await?;
                }
            }
            order.lines[index].stock = to;
        }
        Ok(())
    }
}
