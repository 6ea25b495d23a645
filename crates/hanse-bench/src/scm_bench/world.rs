//! The bench's companies and the moves they make, drawn as real warehouses
//! see them: receipts from suppliers into bins, transfers between bins and
//! warehouses, shipments to customers and the odd loss, with quantities
//! that never take more than a bin holds. The world tracks every bin's
//! stock and every item's valued pool, so the history it writes is one the
//! supply chain would have written, and the batches it sends are accepted.

use std::collections::HashMap;

use kernel::Scope;
use rand::Rng;
use rand::rngs::StdRng;
use scm::{ItemId, LocationId, MoveInput, MoveReason};

/// Bins per warehouse, and warehouses per company.
pub const BINS_PER_WAREHOUSE: usize = 4;
pub const WAREHOUSES: usize = 2;

/// One company's places and goods.
pub struct Company {
    pub scope: Scope,
    pub supplier: LocationId,
    pub customer: LocationId,
    pub loss: LocationId,
    /// (bin, its warehouse), every bin of every warehouse.
    pub bins: Vec<(LocationId, LocationId)>,
    /// Items the bench's moves use.
    pub items: Vec<ItemId>,
    /// Items kept for reservations only, each with its product link.
    pub reserved_items: Vec<(ItemId, LocationId, market::ProductId)>,
}

/// A move drawn and valued: what the history writes and the batches send.
#[derive(Debug, Clone)]
pub struct DrawnMove {
    pub company: usize,
    pub item: ItemId,
    pub quantity: i64,
    pub from: LocationId,
    pub to: LocationId,
    pub reason: MoveReason,
    pub unit_cost_minor: Option<i64>,
    /// The value it carries and the item's pool after it.
    pub value_minor: i64,
    pub pool_after: (i64, i64),
}

impl DrawnMove {
    pub fn input(&self) -> MoveInput {
        MoveInput {
            item_id: self.item,
            quantity: self.quantity,
            unit: None,
            from_location_id: self.from,
            to_location_id: self.to,
            reason: self.reason,
            lot: None,
            unit_cost_minor: self.unit_cost_minor,
            note: String::new(),
        }
    }
}

/// Every company's stock per bin and item, and each item's pool.
pub struct World {
    pub companies: Vec<Company>,
    stock: HashMap<(LocationId, ItemId), i64>,
    pools: HashMap<ItemId, (i64, i64)>,
    warehouse_of: HashMap<LocationId, LocationId>,
}

impl World {
    pub fn new(companies: Vec<Company>) -> World {
        let warehouse_of = companies
            .iter()
            .flat_map(|company| company.bins.iter().copied())
            .collect();
        World {
            companies,
            stock: HashMap::new(),
            pools: HashMap::new(),
            warehouse_of,
        }
    }

    pub fn warehouse_of(&self, location: LocationId) -> Option<LocationId> {
        self.warehouse_of.get(&location).copied()
    }

    /// Stock per bin and item, and pools, as the history left them.
    pub fn stock(&self) -> &HashMap<(LocationId, ItemId), i64> {
        &self.stock
    }

    pub fn pools(&self) -> &HashMap<ItemId, (i64, i64)> {
        &self.pools
    }

    /// Draws the next move of `company` and applies it to the world.
    pub fn draw(&mut self, rng: &mut StdRng, company: usize) -> DrawnMove {
        let (item, bin, other_bin, supplier, customer, loss) = {
            let c = &self.companies[company];
            (
                c.items[rng.gen_range(0..c.items.len())],
                c.bins[rng.gen_range(0..c.bins.len())].0,
                c.bins[rng.gen_range(0..c.bins.len())].0,
                c.supplier,
                c.customer,
                c.loss,
            )
        };
        let held = self.stock.get(&(bin, item)).copied().unwrap_or(0);
        let roll = rng.gen_range(0..100);
        let (from, to, reason, quantity, cost) = if held < 4 || roll < 25 {
            let quantity = rng.gen_range(50..500);
            let cost = rng.gen_range(100..2_000);
            (supplier, bin, MoveReason::Receipt, quantity, Some(cost))
        } else if roll < 60 && other_bin != bin {
            (
                bin,
                other_bin,
                MoveReason::Transfer,
                rng.gen_range(1..=held / 2),
                None,
            )
        } else if roll < 95 {
            (
                bin,
                customer,
                MoveReason::Shipment,
                rng.gen_range(1..=held / 3),
                None,
            )
        } else {
            (
                bin,
                loss,
                MoveReason::Adjustment,
                rng.gen_range(1..=held / 4),
                None,
            )
        };
        self.apply(company, item, from, to, reason, quantity, cost)
    }

    #[allow(clippy::too_many_arguments)]
    fn apply(
        &mut self,
        company: usize,
        item: ItemId,
        from: LocationId,
        to: LocationId,
        reason: MoveReason,
        quantity: i64,
        unit_cost_minor: Option<i64>,
    ) -> DrawnMove {
        let from_own = self.warehouse_of.contains_key(&from);
        let to_own = self.warehouse_of.contains_key(&to);
        let pool = self.pools.entry(item).or_insert((0, 0));
        let value = match unit_cost_minor {
            Some(cost) if !from_own => cost * quantity,
            _ => scm::average_share(pool.1, pool.0, quantity),
        };
        match (from_own, to_own) {
            (true, false) => *pool = (pool.0 - quantity, pool.1 - value),
            (false, true) => *pool = (pool.0 + quantity, pool.1 + value),
            _ => {}
        }
        let pool_after = *pool;
        if from_own {
            *self.stock.entry((from, item)).or_default() -= quantity;
        }
        if to_own {
            *self.stock.entry((to, item)).or_default() += quantity;
        }
        DrawnMove {
            company,
            item,
            quantity,
            from,
            to,
            reason,
            unit_cost_minor,
            value_minor: value,
            pool_after,
        }
    }
}
