//! Products: what a member offers, checked against its category's attribute
//! schema, priced in tiers, kept as draft, published or unlisted. Drafts and
//! unlisted products are read only through their own company's scope.

use std::collections::BTreeMap;

use kernel::db::Tx;
use kernel::outbox;
use kernel::{CompanyId, Currency, Page, PageRequest, Role, Scope, Timestamp};
use serde::Deserialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::category::CategoryTree;
use crate::error::{MarketError, Result};
use crate::events::{ProductChanged, ProductPublished};
use crate::fields::{number_in, optional_line, paragraphs, required_line};
use crate::model::{AttributeKind, CategoryId, PriceTier, Product, ProductId, ProductStatus};
use crate::price::{QUANTITY_MAX, validate_tiers};
use crate::storefront::image_hashes;
use crate::{Market, rows};

/// Images per product.
pub const PRODUCT_IMAGES_MAX: usize = 10;
/// Products per company: a bound on runaway imports, far above real catalogs.
pub const PRODUCTS_PER_COMPANY_MAX: i64 = 100_000;
const LEAD_TIME_DAYS_MAX: i64 = 365;

/// Who may change the catalog.
pub fn may_edit_catalog(role: Role) -> bool {
    matches!(role, Role::Owner | Role::Admin | Role::Sales)
}

/// A product as a member writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    /// The member's own article number, unique in its catalog.
    pub sku: String,
    pub category_id: CategoryId,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    pub unit: String,
    pub moq: i64,
    pub price_tiers: Vec<PriceTier>,
    pub currency: Currency,
    #[serde(default)]
    pub lead_time_days: i64,
    #[serde(default)]
    pub origin: String,
    #[serde(default)]
    pub available_quantity: i64,
    #[serde(default)]
    pub images: Vec<String>,
}

/// A product input that passed every check, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckedProduct(pub ProductInput);

fn sku(value: &str) -> Result<String> {
    let value = required_line("sku", value, 64)?;
    if value.contains([',', ';', '"']) {
        return Err(MarketError::invalid(
            "sku",
            "invalid_sku",
            "no commas, semicolons or quotes",
        ));
    }
    Ok(value)
}

fn is_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

fn attributes(
    tree: &CategoryTree,
    category_id: CategoryId,
    given: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    let specs = tree.attributes(category_id);
    let mut checked = BTreeMap::new();
    for (key, value) in given {
        let field = format!("attributes.{key}");
        let spec = specs.iter().find(|spec| spec.key == *key).ok_or_else(|| {
            MarketError::invalid(
                &field,
                "unknown_attribute",
                "this category does not describe this attribute",
            )
        })?;
        let value = optional_line(&field, value, 200)?;
        if value.is_empty() {
            continue;
        }
        match spec.kind {
            AttributeKind::Text => {}
            AttributeKind::Number if is_decimal(&value) => {}
            AttributeKind::Number => {
                return Err(MarketError::invalid(
                    &field,
                    "not_a_number",
                    "a number such as 500 or 0.75",
                ));
            }
            AttributeKind::Choice if spec.choices.contains(&value) => {}
            AttributeKind::Choice => {
                return Err(MarketError::invalid(
                    &field,
                    "not_a_choice",
                    format!("one of: {}", spec.choices.join(", ")),
                ));
            }
        }
        checked.insert(key.clone(), value);
    }
    if let Some(missing) = specs
        .iter()
        .find(|spec| spec.required && !checked.contains_key(&spec.key))
    {
        return Err(MarketError::invalid(
            format!("attributes.{}", missing.key),
            "required",
            "this category requires this attribute",
        ));
    }
    Ok(checked)
}

/// Checks a product against the tree; every rule of a product lives here, so
/// the API, the pages and the CSV import agree.
pub(crate) fn check_product(tree: &CategoryTree, input: &ProductInput) -> Result<CheckedProduct> {
    if tree.get(input.category_id).is_none() {
        return Err(MarketError::invalid(
            "category_id",
            "not_found",
            "no such category",
        ));
    }
    if !tree.is_leaf(input.category_id) {
        return Err(MarketError::invalid(
            "category_id",
            "not_a_leaf",
            "choose the most specific category",
        ));
    }
    let title_zh = optional_line("title_zh", &input.title_zh, 200)?;
    let title_en = optional_line("title_en", &input.title_en, 200)?;
    if title_zh.is_empty() && title_en.is_empty() {
        return Err(MarketError::invalid(
            "title_en",
            "required",
            "a title in Chinese or English is required",
        ));
    }
    let moq = number_in("moq", input.moq, 1..=QUANTITY_MAX)?;
    Ok(CheckedProduct(ProductInput {
        sku: sku(&input.sku)?,
        category_id: input.category_id,
        title_zh,
        title_en,
        description: paragraphs("description", &input.description, 20_000)?,
        attributes: attributes(tree, input.category_id, &input.attributes)?,
        unit: required_line("unit", &input.unit, 20)?,
        moq,
        price_tiers: validate_tiers("price_tiers", &input.price_tiers, Some(moq))?,
        currency: input.currency,
        lead_time_days: number_in(
            "lead_time_days",
            input.lead_time_days,
            0..=LEAD_TIME_DAYS_MAX,
        )?,
        origin: optional_line("origin", &input.origin, 100)?,
        available_quantity: number_in(
            "available_quantity",
            input.available_quantity,
            0..=QUANTITY_MAX,
        )?,
        images: image_hashes("images", &input.images, PRODUCT_IMAGES_MAX)?,
    }))
}

fn sku_taken() -> MarketError {
    MarketError::invalid("sku", "taken", "another product of yours has this SKU")
}

pub(crate) const PRODUCT_COLUMNS: &str = "company_id, id, sku, category_id, title_zh, title_en, description, attributes, unit, moq, price_tiers, currency, lead_time_days, origin, available_quantity, images, status, published_at, created_at, updated_at";

pub(crate) fn product(row: &AnyRow) -> Result<Product> {
    let status: String = row.try_get("status")?;
    Ok(Product {
        id: ProductId::from_raw(row.try_get("id")?),
        company_id: CompanyId::from_raw(row.try_get("company_id")?),
        sku: row.try_get("sku")?,
        category_id: CategoryId::from_raw(row.try_get("category_id")?),
        title_zh: row.try_get("title_zh")?,
        title_en: row.try_get("title_en")?,
        description: row.try_get("description")?,
        attributes: rows::json(row, "attributes")?,
        unit: row.try_get("unit")?,
        moq: row.try_get("moq")?,
        price_tiers: rows::json(row, "price_tiers")?,
        currency: rows::currency(row)?,
        lead_time_days: row.try_get("lead_time_days")?,
        origin: row.try_get("origin")?,
        available_quantity: row.try_get("available_quantity")?,
        stock_linked: false,
        images: rows::json(row, "images")?,
        status: ProductStatus::parse(&status)
            .ok_or_else(|| kernel::StorageError::corrupt("product status", status))?,
        published_at: rows::optional_timestamp(row, "published_at")?,
        created_at: rows::timestamp(row, "created_at")?,
        updated_at: rows::timestamp(row, "updated_at")?,
    })
}

/// Writes a new product in `tx` and announces it.
pub(crate) async fn insert_product(
    tx: &mut Tx,
    company_id: CompanyId,
    checked: &CheckedProduct,
    status: ProductStatus,
    now: Timestamp,
) -> Result<Product> {
    let input = &checked.0;
    let id = ProductId::new();
    let published_at = (status == ProductStatus::Published).then_some(now.micros());
    let inserted = sqlx::query(
        "INSERT INTO market_product (company_id, id, sku, category_id, title_zh, title_en, description, attributes, unit, moq,
         price_tiers, currency, lead_time_days, origin, available_quantity, images, status, published_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)",
    )
    .bind(company_id)
    .bind(id)
    .bind(&input.sku)
    .bind(input.category_id)
    .bind(&input.title_zh)
    .bind(&input.title_en)
    .bind(&input.description)
    .bind(rows::to_json(&input.attributes))
    .bind(&input.unit)
    .bind(input.moq)
    .bind(rows::to_json(&input.price_tiers))
    .bind(input.currency.code())
    .bind(input.lead_time_days)
    .bind(&input.origin)
    .bind(input.available_quantity)
    .bind(rows::to_json(&input.images))
    .bind(status.as_str())
    .bind(published_at)
    .bind(now.micros())
    .execute(tx.conn())
    .await;
    rows::unique_or(inserted, sku_taken)?;
    announce(tx, company_id, id, status, now).await?;
    Ok(Product {
        id,
        company_id,
        sku: input.sku.clone(),
        category_id: input.category_id,
        title_zh: input.title_zh.clone(),
        title_en: input.title_en.clone(),
        description: input.description.clone(),
        attributes: input.attributes.clone(),
        unit: input.unit.clone(),
        moq: input.moq,
        price_tiers: input.price_tiers.clone(),
        currency: input.currency,
        lead_time_days: input.lead_time_days,
        origin: input.origin.clone(),
        available_quantity: input.available_quantity,
        stock_linked: false,
        images: input.images.clone(),
        status,
        published_at: published_at.map(Timestamp::from_micros),
        created_at: now,
        updated_at: now,
    })
}

/// Rewrites a product's content in `tx` (not its status) and announces it.
pub(crate) async fn rewrite_product(
    tx: &mut Tx,
    current: &Product,
    checked: &CheckedProduct,
    now: Timestamp,
) -> Result<()> {
    let input = &checked.0;
    let updated = sqlx::query(
        "UPDATE market_product SET sku = $1, category_id = $2, title_zh = $3, title_en = $4, description = $5, attributes = $6,
         unit = $7, moq = $8, price_tiers = $9, currency = $10, lead_time_days = $11, origin = $12, available_quantity = $13,
         images = $14, updated_at = $15 WHERE company_id = $16 AND id = $17",
    )
    .bind(&input.sku)
    .bind(input.category_id)
    .bind(&input.title_zh)
    .bind(&input.title_en)
    .bind(&input.description)
    .bind(rows::to_json(&input.attributes))
    .bind(&input.unit)
    .bind(input.moq)
    .bind(rows::to_json(&input.price_tiers))
    .bind(input.currency.code())
    .bind(input.lead_time_days)
    .bind(&input.origin)
    .bind(input.available_quantity)
    .bind(rows::to_json(&input.images))
    .bind(now.micros())
    .bind(current.company_id)
    .bind(current.id)
    .execute(tx.conn())
    .await;
    rows::unique_or(updated, sku_taken)?;
    announce(tx, current.company_id, current.id, current.status, now).await
}

async fn announce(
    tx: &mut Tx,
    company_id: CompanyId,
    product_id: ProductId,
    status: ProductStatus,
    now: Timestamp,
) -> Result<()> {
    if status == ProductStatus::Published {
        let event = ProductPublished {
            product_id,
            company_id,
        };
        outbox::append(tx, &event, Some(company_id), now).await?;
    } else {
        let event = ProductChanged {
            product_id,
            company_id,
            status,
        };
        outbox::append(tx, &event, Some(company_id), now).await?;
    }
    Ok(())
}

impl Market {
    /// Creates a product as a draft.
    pub async fn create_product(&self, scope: &Scope, input: &ProductInput) -> Result<Product> {
        if !may_edit_catalog(scope.role()) {
            return Err(MarketError::Forbidden);
        }
        let tree = self.categories().await?;
        let checked = check_product(&tree, input)?;
        self.check_images_exist(&checked.0.images).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        self.check_catalog_room(&mut tx, scope.company_id(), 1)
            .await?;
        let product = insert_product(
            &mut tx,
            scope.company_id(),
            &checked,
            ProductStatus::Draft,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(product)
    }

    /// Replaces a product's content; its status stays.
    pub async fn update_product(
        &self,
        scope: &Scope,
        id: ProductId,
        input: &ProductInput,
    ) -> Result<Product> {
        let current = self.own_product(scope, id).await?;
        if !may_edit_catalog(scope.role()) {
            return Err(MarketError::Forbidden);
        }
        let tree = self.categories().await?;
        let checked = check_product(&tree, input)?;
        self.check_images_exist(&checked.0.images).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        rewrite_product(&mut tx, &current, &checked, now).await?;
        tx.commit().await?;
        self.own_product(scope, id).await
    }

    /// Publishes, unlists or returns a product to draft.
    pub async fn set_product_status(
        &self,
        scope: &Scope,
        id: ProductId,
        status: ProductStatus,
    ) -> Result<Product> {
        let current = self.own_product(scope, id).await?;
        if !may_edit_catalog(scope.role()) {
            return Err(MarketError::Forbidden);
        }
        if current.status == status {
            return Ok(current);
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "UPDATE market_product SET status = $1, published_at = COALESCE(published_at, $2), updated_at = $3
             WHERE company_id = $4 AND id = $5",
        )
        .bind(status.as_str())
        .bind((status == ProductStatus::Published).then_some(now.micros()))
        .bind(now.micros())
        .bind(scope.company_id())
        .bind(id)
        .execute(tx.conn())
        .await?;
        announce(&mut tx, scope.company_id(), id, status, now).await?;
        tx.commit().await?;
        self.own_product(scope, id).await
    }

    /// One of the company's own products, in any status.
    pub async fn own_product(&self, scope: &Scope, id: ProductId) -> Result<Product> {
        let row = sqlx::query(&format!(
            "SELECT {PRODUCT_COLUMNS} FROM market_product WHERE company_id = $1 AND id = $2"
        ))
        .bind(scope.company_id())
        .bind(id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(MarketError::NotFound("product"))?;
        self.shown(product(&row)?).await
    }

    /// The category of one of `company`'s products, in any status, for a
    /// module acting for the company on its standing instructions (the
    /// supply chain's replenishment posts its buying requests there).
    pub async fn category_of_own_product(
        &self,
        company: CompanyId,
        id: ProductId,
    ) -> Result<CategoryId> {
        let row =
            sqlx::query("SELECT category_id FROM market_product WHERE company_id = $1 AND id = $2")
                .bind(company)
                .bind(id)
                .fetch_optional(self.db.reader())
                .await?
                .ok_or(MarketError::NotFound("product"))?;
        Ok(CategoryId::from_raw(row.try_get("category_id")?))
    }

    /// The company's own products, newest first, optionally of one status.
    pub async fn own_products(
        &self,
        scope: &Scope,
        status: Option<ProductStatus>,
        page: PageRequest,
    ) -> Result<Page<Product>> {
        let rows = sqlx::query(&format!(
            "SELECT {PRODUCT_COLUMNS} FROM market_product
             WHERE company_id = $1 AND ($2 = '' OR status = $2) AND ($3 = 0 OR id < $3)
             ORDER BY id DESC LIMIT $4"
        ))
        .bind(scope.company_id())
        .bind(status.map_or("", ProductStatus::as_str))
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let mut products = rows.iter().map(product).collect::<Result<Vec<_>>>()?;
        self.linked.overlay(&mut products).await?;
        Ok(Page::from_rows(products, page, |product| product.id.raw()))
    }

    /// A published product, for anyone.
    pub async fn published_product(&self, id: ProductId) -> Result<Product> {
        let row = sqlx::query(&format!(
            "SELECT {PRODUCT_COLUMNS} FROM market_product WHERE id = $1 AND status = 'published'"
        ))
        .bind(id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(MarketError::NotFound("product"))?;
        self.shown(product(&row)?).await
    }

    /// A company's published products, newest first: its storefront's shelf.
    pub async fn published_products_of(
        &self,
        company_id: CompanyId,
        page: PageRequest,
    ) -> Result<Page<Product>> {
        let rows = sqlx::query(&format!(
            "SELECT {PRODUCT_COLUMNS} FROM market_product
             WHERE company_id = $1 AND status = 'published' AND ($2 = 0 OR id < $2)
             ORDER BY id DESC LIMIT $3"
        ))
        .bind(company_id)
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let mut products = rows.iter().map(product).collect::<Result<Vec<_>>>()?;
        self.linked.overlay(&mut products).await?;
        Ok(Page::from_rows(products, page, |product| product.id.raw()))
    }

    /// A product as shown: with its keeper's available quantity when linked.
    async fn shown(&self, product: Product) -> Result<Product> {
        let mut one = [product];
        self.linked.overlay(&mut one).await?;
        let [product] = one;
        Ok(product)
    }

    /// Refuses image hashes that were never uploaded.
    pub(crate) async fn check_images_exist(&self, hashes: &[String]) -> Result<()> {
        for hash in hashes {
            let found = sqlx::query("SELECT hash FROM market_image WHERE hash = $1")
                .bind(hash)
                .fetch_optional(self.db.reader())
                .await?;
            if found.is_none() {
                return Err(MarketError::invalid(
                    "images",
                    "invalid_image",
                    "an image hash returned by the upload",
                ));
            }
        }
        Ok(())
    }

    /// Refuses to grow a catalog past [`PRODUCTS_PER_COMPANY_MAX`].
    pub(crate) async fn check_catalog_room(
        &self,
        tx: &mut Tx,
        company_id: CompanyId,
        adding: i64,
    ) -> Result<()> {
        let count: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM market_product WHERE company_id = $1")
                .bind(company_id)
                .fetch_one(tx.conn())
                .await?
                .try_get("n")?;
        if count + adding > PRODUCTS_PER_COMPANY_MAX {
            return Err(MarketError::Conflict(
                "the catalog holds the most products allowed",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::is_decimal;

    #[test]
    fn numbers_are_plain_decimals() {
        for good in ["500", "0.75", "-3", "12.0"] {
            assert!(is_decimal(good), "{good}");
        }
        for bad in ["", ".5", "5.", "1e3", "1,000", "abc", "-"] {
            assert!(!is_decimal(bad), "{bad}");
        }
    }
}
