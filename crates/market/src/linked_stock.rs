//! Products whose stock another module keeps (the supply chain, for products
//! linked to its items): their available quantity is read from that keeper
//! whenever a product is shown or indexed, so there is one truth and no copy
//! to keep in step.

use std::collections::HashMap;
use std::sync::Arc;

use kernel::db::Tx;
use kernel::{CompanyId, StorageError, Timestamp};

use crate::error::Result;
use crate::model::{Product, ProductId};

/// The available quantity of linked products, in each product's unit.
#[async_trait::async_trait]
pub trait LinkedAvailability: Send + Sync {
    /// The available quantity of those of `products` (all of `company`)
    /// that are linked; the others are absent from the answer.
    async fn available(
        &self,
        company: CompanyId,
        products: &[ProductId],
    ) -> Result<HashMap<ProductId, i64>, StorageError>;
}

/// The market's view of the keeper, if there is one. Cheap to clone.
#[derive(Clone, Default)]
pub struct LinkedStock(Option<Arc<dyn LinkedAvailability>>);

impl LinkedStock {
    pub fn new(keeper: Arc<dyn LinkedAvailability>) -> LinkedStock {
        LinkedStock(Some(keeper))
    }

    /// Replaces the available quantity of every linked product in `products`
    /// with the keeper's.
    pub async fn overlay(&self, products: &mut [Product]) -> Result<()> {
        let Some(keeper) = &self.0 else {
            return Ok(());
        };
        let mut by_company: HashMap<CompanyId, Vec<ProductId>> = HashMap::new();
        for product in products.iter() {
            by_company
                .entry(product.company_id)
                .or_default()
                .push(product.id);
        }
        for (company, ids) in by_company {
            let available = keeper.available(company, &ids).await?;
            for product in products.iter_mut().filter(|p| p.company_id == company) {
                if let Some(quantity) = available.get(&product.id) {
                    product.available_quantity = *quantity;
                    product.stock_linked = true;
                }
            }
        }
        Ok(())
    }
}

/// The keeper says a linked product's availability changed (it ran out or
/// came back): search re-reads the product. Runs in the keeper's transaction.
pub async fn announce_stock_changed(
    tx: &mut Tx,
    company_id: CompanyId,
    product_id: ProductId,
    now: Timestamp,
) -> Result<()> {
    crate::stock::stock_changed(tx, company_id, product_id, now).await
}
