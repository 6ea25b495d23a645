//! CSV import and export of a company's products. An import is all or
//! nothing: every row is checked first, and a file with any bad row imports
//! nothing and answers with a report naming each bad row, its field and why.
//! Rows match existing products by SKU, so exporting, editing in a
//! spreadsheet and importing again updates in place.

use std::collections::{BTreeMap, HashMap, HashSet};

use kernel::{Currency, Money, Scope};
use serde::Serialize;

use crate::Market;
use crate::category::CategoryTree;
use crate::error::{MarketError, Result};
use crate::model::{PriceTier, Product, ProductStatus};
use crate::product::{
    CheckedProduct, PRODUCT_COLUMNS, ProductInput, check_product, insert_product, may_edit_catalog,
    product, rewrite_product,
};

/// The columns of the product file, in the order export writes them.
pub const CSV_COLUMNS: [&str; 14] = [
    "sku",
    "title_zh",
    "title_en",
    "description",
    "category",
    "attributes",
    "unit",
    "moq",
    "price_tiers",
    "currency",
    "lead_time_days",
    "origin",
    "available_quantity",
    "status",
];
/// The largest file accepted.
pub const IMPORT_BYTES_MAX: usize = 10 * 1024 * 1024;
/// The most rows in one file.
pub const IMPORT_ROWS_MAX: usize = 20_000;
/// Bad rows listed in one report; a file with more is mostly wrong anyway.
const ROW_ERRORS_MAX: usize = 500;

/// Why one row of a file cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    /// The line in the file, counting the header as line 1.
    pub line: u64,
    pub sku: String,
    pub field: String,
    pub code: String,
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub created: u64,
    pub updated: u64,
}

/// One row, read and checked.
#[derive(Debug, Clone)]
struct ImportRow {
    checked: CheckedProduct,
    status: ProductStatus,
}

/// `100:12.50; 500:11.00` for tiers in CNY.
pub fn tiers_to_text(tiers: &[PriceTier], currency: Currency) -> String {
    tiers
        .iter()
        .map(|tier| {
            format!(
                "{}:{}",
                tier.min_quantity,
                decimal(tier.unit_price_minor, currency)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// An amount as a plain decimal with the currency's digits: `12.50`.
pub fn decimal(minor: i64, currency: Currency) -> String {
    Money::new(minor, currency).decimal()
}

fn parse_tiers(text: &str, currency: Currency) -> std::result::Result<Vec<PriceTier>, String> {
    text.split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (quantity, price) = part
                .split_once(':')
                .ok_or_else(|| format!("`{part}` is not quantity:price, e.g. 100:12.50"))?;
            let min_quantity = quantity
                .trim()
                .parse()
                .map_err(|_| format!("`{}` is not a whole quantity", quantity.trim()))?;
            let unit_price_minor = Money::parse_decimal(price.trim(), currency)
                .map_err(|_| {
                    format!(
                        "`{}` is not a price in {} with at most {} decimals",
                        price.trim(),
                        currency.code(),
                        currency.minor_digits()
                    )
                })?
                .minor;
            Ok(PriceTier {
                min_quantity,
                unit_price_minor,
            })
        })
        .collect()
}

fn attributes_to_text(attributes: &BTreeMap<String, String>) -> String {
    attributes
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn parse_attributes(text: &str) -> std::result::Result<BTreeMap<String, String>, String> {
    text.split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.split_once('=')
                .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
                .ok_or_else(|| format!("`{part}` is not key=value"))
        })
        .collect()
}

fn whole(text: &str, field: &str) -> std::result::Result<i64, (String, String)> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse()
        .map_err(|_| (field.to_owned(), format!("`{text}` is not a whole number")))
}

/// Reads one record into a product input, naming the field at fault.
fn read_record(
    record: &csv::StringRecord,
    columns: &HashMap<&'static str, usize>,
    tree: &CategoryTree,
) -> std::result::Result<(ProductInput, ProductStatus), (String, String)> {
    let get = |name: &str| {
        columns
            .get(name)
            .and_then(|&index| record.get(index))
            .unwrap_or("")
    };
    let currency: Currency = get("currency")
        .trim()
        .to_ascii_uppercase()
        .parse()
        .map_err(|_| {
            (
                "currency".to_owned(),
                format!("`{}` is not a currency code", get("currency")),
            )
        })?;
    let category = tree.by_slug(get("category").trim()).ok_or_else(|| {
        (
            "category".to_owned(),
            format!("no category `{}`", get("category")),
        )
    })?;
    let status = match get("status").trim() {
        "" => ProductStatus::Draft,
        text => ProductStatus::parse(text).ok_or_else(|| {
            (
                "status".to_owned(),
                "draft, published or unlisted".to_owned(),
            )
        })?,
    };
    let input = ProductInput {
        sku: get("sku").to_owned(),
        category_id: category.id,
        title_zh: get("title_zh").to_owned(),
        title_en: get("title_en").to_owned(),
        description: get("description").to_owned(),
        attributes: parse_attributes(get("attributes"))
            .map_err(|why| ("attributes".to_owned(), why))?,
        unit: get("unit").to_owned(),
        moq: whole(get("moq"), "moq")?,
        price_tiers: parse_tiers(get("price_tiers"), currency)
            .map_err(|why| ("price_tiers".to_owned(), why))?,
        currency,
        lead_time_days: whole(get("lead_time_days"), "lead_time_days")?,
        origin: get("origin").to_owned(),
        available_quantity: whole(get("available_quantity"), "available_quantity")?,
        images: Vec::new(),
    };
    Ok((input, status))
}

/// Reads and checks a whole file: the rows, or every error found.
fn read_file(bytes: &[u8], tree: &CategoryTree) -> Result<Vec<ImportRow>> {
    let file_error = |message: String| {
        MarketError::ImportRejected(vec![RowError {
            line: 1,
            sku: String::new(),
            field: "file".to_owned(),
            code: "invalid_file".to_owned(),
            message,
        }])
    };
    if bytes.len() > IMPORT_BYTES_MAX {
        return Err(file_error(format!(
            "the file is larger than {} MB",
            IMPORT_BYTES_MAX / 1024 / 1024
        )));
    }
    // A spreadsheet's UTF-8 export often starts with a byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|error| file_error(format!("the header row cannot be read: {error}")))?
        .clone();
    let mut columns = HashMap::new();
    for (index, header) in headers.iter().enumerate() {
        match CSV_COLUMNS.iter().find(|column| **column == header.trim()) {
            Some(column) => {
                columns.insert(*column, index);
            }
            None => {
                return Err(file_error(format!(
                    "unknown column `{header}`; the columns are {}",
                    CSV_COLUMNS.join(", ")
                )));
            }
        }
    }
    for required in ["sku", "category", "unit", "moq", "price_tiers", "currency"] {
        if !columns.contains_key(required) {
            return Err(file_error(format!("the column `{required}` is missing")));
        }
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut skus = HashSet::new();
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 2;
        if index >= IMPORT_ROWS_MAX {
            return Err(file_error(format!(
                "the file has more than {IMPORT_ROWS_MAX} rows"
            )));
        }
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                errors.push(RowError {
                    line,
                    sku: String::new(),
                    field: "row".to_owned(),
                    code: "unreadable_row".to_owned(),
                    message: error.to_string(),
                });
                continue;
            }
        };
        let sku = columns
            .get("sku")
            .and_then(|&i| record.get(i))
            .unwrap_or("")
            .trim()
            .to_owned();
        let mut fail = |field: String, code: &str, message: String| {
            errors.push(RowError {
                line,
                sku: sku.clone(),
                field,
                code: code.to_owned(),
                message,
            })
        };
        let (input, status) = match read_record(&record, &columns, tree) {
            Ok(read) => read,
            Err((field, message)) => {
                fail(field, "invalid", message);
                continue;
            }
        };
        let checked = match check_product(tree, &input) {
            Ok(checked) => checked,
            Err(MarketError::Invalid {
                field,
                code,
                message,
            }) => {
                fail(field, code, message);
                continue;
            }
            Err(other) => return Err(other),
        };
        if !skus.insert(checked.0.sku.clone()) {
            fail(
                "sku".to_owned(),
                "duplicate",
                "this SKU appears on an earlier line".to_owned(),
            );
            continue;
        }
        rows.push(ImportRow { checked, status });
    }
    if !errors.is_empty() {
        errors.truncate(ROW_ERRORS_MAX);
        return Err(MarketError::ImportRejected(errors));
    }
    Ok(rows)
}

impl Market {
    /// Imports a product file: new SKUs become products, known SKUs are
    /// updated (their images kept), each row's status applied. Calls
    /// `progress(done, total)` as rows are written.
    pub async fn import_products(
        &self,
        scope: &Scope,
        bytes: &[u8],
        progress: impl Fn(u64, u64),
    ) -> Result<ImportReport> {
        if !may_edit_catalog(scope.role()) {
            return Err(MarketError::Forbidden);
        }
        let tree = self.categories().await?;
        let rows = read_file(bytes, &tree)?;
        let existing: HashMap<String, Product> = self
            .all_own_products(scope)
            .await?
            .into_iter()
            .map(|product| (product.sku.clone(), product))
            .collect();
        let now = self.clock.now();
        let mut report = ImportReport {
            created: 0,
            updated: 0,
        };
        let total = rows.len() as u64;
        let mut tx = self.db.begin().await?;
        let new_rows = rows
            .iter()
            .filter(|row| !existing.contains_key(&row.checked.0.sku))
            .count();
        self.check_catalog_room(&mut tx, scope.company_id(), new_rows as i64)
            .await?;
        for (index, row) in rows.into_iter().enumerate() {
            match existing.get(&row.checked.0.sku) {
                Some(current) => {
                    let mut checked = row.checked;
                    checked.0.images = current.images.clone();
                    let changed = Product {
                        status: row.status,
                        ..current.clone()
                    };
                    rewrite_product(&mut tx, &changed, &checked, now).await?;
                    if current.status != row.status {
                        sqlx::query(
                            "UPDATE market_product SET status = $1, published_at = COALESCE(published_at, $2) WHERE company_id = $3 AND id = $4",
                        )
                        .bind(row.status.as_str())
                        .bind((row.status == ProductStatus::Published).then_some(now.micros()))
                        .bind(scope.company_id())
                        .bind(current.id)
                        .execute(tx.conn())
                        .await?;
                    }
                    report.updated += 1;
                }
                None => {
                    insert_product(&mut tx, scope.company_id(), &row.checked, row.status, now)
                        .await?;
                    report.created += 1;
                }
            }
            progress(index as u64 + 1, total);
        }
        tx.commit().await?;
        Ok(report)
    }

    /// The company's whole catalog as a product file.
    pub async fn export_products(&self, scope: &Scope) -> Result<String> {
        let tree = self.categories().await?;
        let products = self.all_own_products(scope).await?;
        let mut writer = csv::Writer::from_writer(Vec::new());
        // Writing into memory fails only on a bug.
        let in_memory = "a CSV writer over a Vec cannot fail";
        writer.write_record(CSV_COLUMNS).expect(in_memory);
        for product in products.iter().rev() {
            let slug = tree
                .get(product.category_id)
                .map_or("", |category| category.slug.as_str());
            writer
                .write_record([
                    product.sku.as_str(),
                    &product.title_zh,
                    &product.title_en,
                    &product.description,
                    slug,
                    &attributes_to_text(&product.attributes),
                    &product.unit,
                    &product.moq.to_string(),
                    &tiers_to_text(&product.price_tiers, product.currency),
                    product.currency.code(),
                    &product.lead_time_days.to_string(),
                    &product.origin,
                    &product.available_quantity.to_string(),
                    product.status.as_str(),
                ])
                .expect(in_memory);
        }
        let bytes = writer.into_inner().expect(in_memory);
        Ok(String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8"))
    }

    /// Every product of the company (bounded by the catalog maximum).
    async fn all_own_products(&self, scope: &Scope) -> Result<Vec<Product>> {
        let rows = sqlx::query(&format!(
            "SELECT {PRODUCT_COLUMNS} FROM market_product WHERE company_id = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(scope.company_id())
        .bind(crate::product::PRODUCTS_PER_COMPANY_MAX)
        .fetch_all(self.db.reader())
        .await?;
        let mut products = rows.iter().map(product).collect::<Result<Vec<_>>>()?;
        self.linked.overlay(&mut products).await?;
        Ok(products)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_read_back_as_written() {
        let cny: Currency = "CNY".parse().unwrap();
        let tiers = vec![
            PriceTier {
                min_quantity: 100,
                unit_price_minor: 1250,
            },
            PriceTier {
                min_quantity: 500,
                unit_price_minor: 1100,
            },
        ];
        let text = tiers_to_text(&tiers, cny);
        assert_eq!(text, "100:12.50; 500:11.00");
        assert_eq!(parse_tiers(&text, cny).unwrap(), tiers);
        assert!(parse_tiers("100:12.505", cny).is_err());
        assert!(parse_tiers("100=12.50", cny).is_err());
        assert!(parse_tiers("ten:12.50", cny).is_err());
    }

    #[test]
    fn attributes_read_back_as_written() {
        let attributes: BTreeMap<String, String> =
            [("capacity", "500"), ("material", "304 stainless steel")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
        let text = attributes_to_text(&attributes);
        assert_eq!(parse_attributes(&text).unwrap(), attributes);
        assert!(parse_attributes("no equals sign").is_err());
    }
}
