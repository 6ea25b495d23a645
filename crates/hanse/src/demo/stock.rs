//! The Chinese suppliers' stock: each of their products kept by an item of
//! the same SKU, in one warehouse or (for the larger catalogs) two, with the
//! goods received at the start of the history at about 62 % of the
//! product's best price. The orders replayed after it reserve and ship this
//! stock, and the buyers' purchase orders and receipts follow from the
//! orders, so the supply chain agrees with the market, escrow and books.

use std::collections::HashMap;

use anyhow::Context as _;
use scm::{
    ItemInput, LinkInput, LocationInput, LocationKind, MoveInput, MoveReason, UnitConversion,
};

use super::every_page;
use super::money::DemoMember;

/// A catalog larger than this spreads over a second warehouse.
const ONE_WAREHOUSE_PRODUCTS_MAX: usize = 6;
/// What a supplier's goods cost it, in percent of its best price.
const COST_PERCENT: i64 = 62;

/// Stocks every Chinese supplier that has products and no items yet;
/// answers how many items it made.
pub(super) async fn stock_suppliers(
    services: &web::Services,
    members: &HashMap<&'static str, DemoMember>,
    clock: std::sync::Arc<dyn kernel::Clock>,
) -> anyhow::Result<usize> {
    let scm = scm::Scm::new(services.db.clone(), clock, services.market.clone());
    let mut names: Vec<&&'static str> = members.keys().collect();
    names.sort();
    let mut created = 0;
    for name in names {
        let member = &members[*name];
        let scope = &member.owner_scope;
        let storefront = services.market.storefront(member.company_id).await?;
        if storefront.country != "CN" {
            continue;
        }
        let products = every_page(|page| services.market.own_products(scope, None, page)).await?;
        let first_page = kernel::PageRequest::first();
        if products.is_empty() || !scm.items(scope, first_page).await?.items.is_empty() {
            continue;
        }
        let settings = scm.settings(scope).await?;
        let mut warehouses = vec![settings.default_warehouse_id];
        if products.len() > ONE_WAREHOUSE_PRODUCTS_MAX {
            let port = scm
                .create_location(
                    scope,
                    &LocationInput {
                        kind: LocationKind::Warehouse,
                        parent_id: None,
                        code: "WH2".to_owned(),
                        name: "宁波港保税仓 Ningbo port bonded warehouse".to_owned(),
                    },
                )
                .await?;
            warehouses.push(port.id);
        }
        for (index, product) in products.iter().enumerate() {
            let warehouse = warehouses[index % warehouses.len()];
            let units = if product.unit == "piece" {
                vec![UnitConversion {
                    unit: "carton".to_owned(),
                    factor: 24,
                }]
            } else {
                Vec::new()
            };
            let item = scm
                .create_item(
                    scope,
                    &ItemInput {
                        sku: product.sku.clone(),
                        name: if product.title_zh.is_empty() {
                            product.title_en.clone()
                        } else {
                            product.title_zh.clone()
                        },
                        unit: product.unit.clone(),
                        cost_currency: product.currency,
                        lot_tracked: false,
                        reorder_point: product.moq * 2,
                        reorder_quantity: product.moq * 10,
                        units,
                    },
                )
                .await
                .with_context(|| format!("the item for {}", product.sku))?;
            scm.link_product(
                scope,
                &LinkInput {
                    product_id: product.id,
                    item_id: item.id,
                    warehouse_id: Some(warehouse),
                },
            )
            .await?;
            let best_price = product
                .price_tiers
                .iter()
                .map(|tier| tier.unit_price_minor)
                .min()
                .unwrap_or(0);
            if product.available_quantity > 0 {
                scm.move_stock(
                    scope,
                    &MoveInput {
                        item_id: item.id,
                        quantity: product.available_quantity,
                        unit: None,
                        from_location_id: settings.supplier_location_id,
                        to_location_id: warehouse,
                        reason: MoveReason::Receipt,
                        lot: None,
                        unit_cost_minor: Some(best_price * COST_PERCENT / 100),
                        note: "期初入库 Opening stock".to_owned(),
                    },
                )
                .await
                .with_context(|| format!("the opening stock of {}", product.sku))?;
            }
            created += 1;
        }
    }
    Ok(created)
}

/// After the history: each buyer keeps the goods it bought on hand with a
/// reorder point at what it holds, so replenishment drafts its next
/// purchase orders from the same suppliers at the prices it paid; and the
/// first supplier has counted its main warehouse and found two pieces of
/// its first item broken.
pub(super) async fn after_the_history(
    services: &web::Services,
    members: &HashMap<&'static str, DemoMember>,
    clock: std::sync::Arc<dyn kernel::Clock>,
) -> anyhow::Result<()> {
    let scm = scm::Scm::new(services.db.clone(), clock, services.market.clone());
    let mut names: Vec<&&'static str> = members.keys().collect();
    names.sort();
    let mut counted = false;
    for name in names {
        let member = &members[*name];
        let scope = &member.owner_scope;
        let items = every_page(|page| scm.items(scope, page)).await?;
        if items.is_empty() {
            continue;
        }
        let storefront = services.market.storefront(member.company_id).await?;
        if storefront.country != "CN" {
            for item in items.iter().filter(|item| item.on_hand > 0) {
                let change = scm::ItemUpdate {
                    name: None,
                    reorder_point: Some(item.on_hand),
                    reorder_quantity: Some(item.on_hand),
                };
                scm.update_item(scope, item.id, &change).await?;
            }
            scm.replenish_now(scope).await?;
        } else if !counted {
            counted = count_first_item(&scm, scope).await?;
        }
    }
    Ok(())
}

/// A posted count of the default warehouse with two of its first item short.
async fn count_first_item(scm: &scm::Scm, scope: &kernel::Scope) -> anyhow::Result<bool> {
    let warehouse = scm.settings(scope).await?.default_warehouse_id;
    let sheet = scm
        .open_count(
            scope,
            &scm::CountInput {
                location_id: warehouse,
                note: "月末盘点 Month-end count".to_owned(),
            },
        )
        .await?;
    let Some(line) = sheet.lines.iter().find(|line| line.expected > 2) else {
        scm.cancel_count(scope, sheet.id).await?;
        return Ok(false);
    };
    let entries = scm::CountEntries {
        lines: vec![scm::CountEntry {
            item_id: line.item_id,
            lot: Some(line.lot.clone()),
            counted: line.expected - 2,
            reason: "搬运破损 Broken in handling".to_owned(),
        }],
    };
    scm.enter_counts(scope, sheet.id, &entries).await?;
    // Orders may hold all of it; then the sheet stays open for the member.
    match scm.post_count(scope, sheet.id).await {
        Ok(_) => Ok(true),
        Err(scm::ScmError::InsufficientStock { .. }) => Ok(false),
        Err(error) => Err(error.into()),
    }
}
