//! Stock reservation, behind one small interface: today the market's
//! available quantity is the store; when the supply-chain module owns stock,
//! only this file changes. Each call runs inside the order's transaction.

use kernel::Timestamp;
use kernel::db::Tx;

use crate::Trade;
use crate::error::{Result, TradeError};
use crate::model::{LineStock, Order};

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
        for (index, line) in order.lines.iter_mut().enumerate() {
            let Some(product) = line.product_id else {
                continue;
            };
            match self
                .market
                .take_stock(tx, order.seller, product, line.quantity, now)
                .await
            {
                Ok(()) => line.stock = LineStock::Reserved,
                Err(market::MarketError::InsufficientStock { available }) => {
                    return Err(TradeError::InsufficientStock {
                        field: format!("lines[{index}].quantity"),
                        available,
                    });
                }
                Err(error) => return Err(error.into()),
            }
        }
        Ok(())
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

    /// Returns the stock of every line in `from` to the product and marks the
    /// line `to`.
    async fn give_back(
        &self,
        tx: &mut Tx,
        order: &mut Order,
        from: LineStock,
        to: LineStock,
        now: Timestamp,
    ) -> Result<()> {
        for line in &mut order.lines {
            if line.stock != from {
                continue;
            }
            if let Some(product) = line.product_id {
                self.market
                    .return_stock(tx, order.seller, product, line.quantity, now)
                    .await?;
            }
            line.stock = to;
        }
        Ok(())
    }
}
