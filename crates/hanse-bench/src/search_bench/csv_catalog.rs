//! The product import format (CSV, UTF-8, header row, RFC 4180 quoting) read
//! into search documents for `hanse-bench search --catalog`, and written from
//! the generated catalog for `--write-catalog`, so a file made here can be fed
//! to the market import as well.
//!
//! What the file does not hold is made up the way the generator makes it:
//! products are given to synthetic companies in turn, a company's
//! verification and quality follow from its number, and creation times step
//! back one second per row. Each distinct category slug becomes a one-level
//! category whose id is its order of first appearance in the file (1, 2, …),
//! so the ids are stable for a given file and dense for the facet counts.

use std::collections::HashMap;
use std::io::{Read, Write};

use anyhow::Context;

/// The columns of the import format, in the order `--write-catalog` writes
/// them; a file may order them any way and carry others, which are ignored.
pub const COLUMNS: [&str; 14] = [
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

/// Synthetic companies the rows are spread over, as many as the generator uses.
const COMPANIES: i64 = 50_000;
/// Distinct category slugs kept; rows with further new slugs are unreadable.
const CATEGORIES_MAX: usize = 100_000;
/// Price tiers per row at most.
const TIERS_MAX: usize = 20;
/// Attributes per row at most.
const ATTRIBUTES_MAX: usize = 100;
/// One second, the step back in creation time per row.
const ROW_AGE_MICROS: i64 = 1_000_000;

/// The digits after the decimal point of a currency's major unit; `None` for
/// a currency the bench does not know.
fn currency_decimals(currency: &str) -> Option<u32> {
    match currency {
        "CNY" | "EUR" | "USD" | "GBP" | "HKD" => Some(2),
        "JPY" | "KRW" => Some(0),
        _ => None,
    }
}

/// An amount in major units ("12.50") as minor units (1250), exactly: at
/// most `decimals` digits after the point, no sign, no exponent, no floats.
pub fn parse_minor_units(text: &str, decimals: u32) -> Result<i64, String> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits_only = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) {
        return Err(format!("price {text:?} is not a decimal number"));
    }
    if text.contains('.') && fraction.is_empty() {
        return Err(format!("price {text:?} ends in a point"));
    }
    if fraction.len() > decimals as usize {
        return Err(format!("price {text:?} has more than {decimals} decimals"));
    }
    let too_large = || format!("price {text:?} is too large");
    let whole: i64 = whole.parse().map_err(|_| too_large())?;
    let fraction_minor: i64 = if fraction.is_empty() {
        0
    } else {
        let padding = 10_i64.pow(decimals - fraction.len() as u32);
        fraction.parse::<i64>().map_err(|_| too_large())? * padding
    };
    whole
        .checked_mul(10_i64.pow(decimals))
        .and_then(|minor| minor.checked_add(fraction_minor))
        .ok_or_else(too_large)
}

/// Minor units as the major-unit text the import format takes.
fn format_major_units(minor: i64, decimals: u32) -> String {
    if decimals == 0 {
        return minor.to_string();
    }
    let scale = 10_i64.pow(decimals);
    format!(
        "{}.{:0width$}",
        minor / scale,
        minor % scale,
        width = decimals as usize
    )
}

/// `min_quantity:unit_price` pairs separated by `;`, prices in major units.
pub fn parse_price_tiers(text: &str, decimals: u32) -> Result<Vec<(i64, i64)>, String> {
    let mut tiers = Vec::new();
    for piece in text
        .split(';')
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
    {
        if tiers.len() == TIERS_MAX {
            return Err(format!("more than {TIERS_MAX} price tiers"));
        }
        let (quantity, price) = piece
            .split_once(':')
            .ok_or_else(|| format!("price tier {piece:?} is not quantity:price"))?;
        let quantity: i64 = quantity
            .trim()
            .parse()
            .ok()
            .filter(|quantity| *quantity > 0)
            .ok_or_else(|| format!("price tier quantity {quantity:?} is not a positive integer"))?;
        tiers.push((quantity, parse_minor_units(price.trim(), decimals)?));
    }
    if tiers.is_empty() {
        return Err("no price tiers".to_string());
    }
    Ok(tiers)
}

/// `key=value` pairs separated by `;`.
fn parse_attributes(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut attributes = Vec::new();
    for piece in text
        .split(';')
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
    {
        if attributes.len() == ATTRIBUTES_MAX {
            return Err(format!("more than {ATTRIBUTES_MAX} attributes"));
        }
        let (key, value) = piece
            .split_once('=')
            .ok_or_else(|| format!("attribute {piece:?} is not key=value"))?;
        attributes.push((key.trim().to_string(), value.trim().to_string()));
    }
    Ok(attributes)
}

/// A non-negative integer column.
fn parse_count(name: &str, text: &str) -> Result<i64, String> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|value| *value >= 0)
        .ok_or_else(|| format!("{name} {text:?} is not a non-negative integer"))
}

/// "Zhejiang, CN" → ("Zhejiang", "CN"); "DE" → ("", "DE"). A part that is not
/// a two-letter code is not taken for a country.
fn parse_origin(text: &str) -> (String, String) {
    let is_country = |part: &str| part.len() == 2 && part.bytes().all(|b| b.is_ascii_alphabetic());
    match text.rsplit_once(',') {
        Some((province, country)) if is_country(country.trim()) => (
            province.trim().to_string(),
            country.trim().to_ascii_uppercase(),
        ),
        Some((province, _)) => (province.trim().to_string(), String::new()),
        None if is_country(text.trim()) => (String::new(), text.trim().to_ascii_uppercase()),
        None => (text.trim().to_string(), String::new()),
    }
}

/// What reading a catalog came to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadReport {
    pub rows: usize,
    pub published: usize,
    /// Draft and unlisted rows, read but not indexed.
    pub not_published: usize,
    pub unreadable: usize,
    /// The first few reasons, with their row numbers (1 is the row after
    /// the header), for the report.
    pub first_errors: Vec<String>,
}

const FIRST_ERRORS_MAX: usize = 5;

/// Reads products from the import format, row by row.
pub struct CatalogReader<R: Read> {
    rows: csv::StringRecordsIntoIter<R>,
    /// The position of each of [`COLUMNS`] in the file's header.
    positions: [usize; COLUMNS.len()],
    categories: HashMap<String, i64>,
    now_micros: i64,
    next_id: i64,
    pub report: ReadReport,
}

impl<R: Read> CatalogReader<R> {
    /// Reads the header; a file without one of [`COLUMNS`] is refused whole.
    pub fn new(input: R, now_micros: i64) -> anyhow::Result<CatalogReader<R>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(input);
        let header = reader.headers().context("reading the header row")?.clone();
        let mut positions = [0; COLUMNS.len()];
        let mut missing = Vec::new();
        for (position, column) in positions.iter_mut().zip(COLUMNS) {
            match header.iter().position(|name| name.trim() == column) {
                Some(found) => *position = found,
                None => missing.push(column),
            }
        }
        anyhow::ensure!(
            missing.is_empty(),
            "the header lacks the column(s) {}",
            missing.join(", ")
        );
        Ok(CatalogReader {
            rows: reader.into_records(),
            positions,
            categories: HashMap::new(),
            now_micros,
            next_id: 1,
            report: ReadReport::default(),
        })
    }

    /// The next published product; draft, unlisted and unreadable rows are
    /// counted in [`CatalogReader::report`] and passed over.
    pub fn next_product(&mut self) -> Option<search::ProductDocument> {
        loop {
            let record = self.rows.next()?;
            self.report.rows += 1;
            let row = self.report.rows;
            let parsed = record
                .map_err(|error| error.to_string())
                .and_then(|record| self.product(&record));
            match parsed {
                Ok(Some(product)) => {
                    self.report.published += 1;
                    return Some(product);
                }
                Ok(None) => self.report.not_published += 1,
                Err(reason) => {
                    self.report.unreadable += 1;
                    if self.report.first_errors.len() < FIRST_ERRORS_MAX {
                        self.report
                            .first_errors
                            .push(format!("row {row}: {reason}"));
                    }
                }
            }
        }
    }

    /// The product of one row, `None` when it is not published.
    fn product(
        &mut self,
        record: &csv::StringRecord,
    ) -> Result<Option<search::ProductDocument>, String> {
        let field = |column: usize| record.get(self.positions[column]).unwrap_or("").trim();
        let [
            sku,
            title_zh,
            title_en,
            description,
            category,
            attributes,
            unit,
            moq,
            price_tiers,
            currency,
            lead_time_days,
            origin,
            available_quantity,
            status,
        ] = std::array::from_fn(field);
        match status {
            "published" => {}
            "draft" | "unlisted" => return Ok(None),
            other => {
                return Err(format!(
                    "status {other:?} is not draft, published or unlisted"
                ));
            }
        }
        if sku.is_empty() {
            return Err("no sku".to_string());
        }
        if title_zh.is_empty() && title_en.is_empty() {
            return Err("neither title_zh nor title_en".to_string());
        }
        if category.is_empty() {
            return Err("no category".to_string());
        }
        if unit.is_empty() {
            return Err("no unit".to_string());
        }
        let decimals = currency_decimals(currency)
            .ok_or_else(|| format!("currency {currency:?} is not one the bench knows"))?;
        let price_tiers = parse_price_tiers(price_tiers, decimals)?;
        let attributes = parse_attributes(attributes)?;
        let moq = parse_count("moq", moq)?;
        parse_count("lead_time_days", lead_time_days)?;
        let available_quantity = parse_count("available_quantity", available_quantity)?;
        let (province, country) = parse_origin(origin);
        let category_id = match self.categories.get(category) {
            Some(id) => *id,
            None if self.categories.len() < CATEGORIES_MAX => {
                let id = self.categories.len() as i64 + 1;
                self.categories.insert(category.to_string(), id);
                id
            }
            None => return Err(format!("more than {CATEGORIES_MAX} categories")),
        };
        let id = self.next_id;
        self.next_id += 1;
        let company_id = (id - 1) % COMPANIES + 1;
        let title = |text: &str| (!text.is_empty()).then(|| text.to_string());
        Ok(Some(search::ProductDocument {
            id,
            company_id,
            company_name: format!("Company {company_id}"),
            title_zh: title(title_zh),
            title_en: title(title_en),
            description: description.to_string(),
            attributes,
            category_path: vec![category_id],
            category_names: category.replace('-', " "),
            province,
            country,
            // Two companies in five are verified, as in the generator.
            verified: company_id % 5 < 2,
            in_stock: available_quantity > 0,
            moq,
            price_tiers,
            currency: currency.to_string(),
            created_at_micros: self.now_micros - id * ROW_AGE_MICROS,
            quality_score: (company_id * 7_919 % 1_000) as f32 / 1_000.0,
        }))
    }
}

/// Writes `products` in the import format, all published. Generated products
/// have no slug, so their leaf category id makes one (`category-1234`).
pub fn write_catalog<W: Write>(
    output: W,
    products: impl Iterator<Item = search::ProductDocument>,
) -> anyhow::Result<usize> {
    let mut writer = csv::Writer::from_writer(output);
    writer.write_record(COLUMNS)?;
    let mut written = 0;
    for product in products {
        let decimals = currency_decimals(&product.currency)
            .with_context(|| format!("product {}: currency {:?}", product.id, product.currency))?;
        let attributes = product
            .attributes
            .iter()
            .map(|(key, value)| {
                format!(
                    "{}={}",
                    key.replace(['=', ';'], " "),
                    value.replace(';', ",")
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let price_tiers = product
            .price_tiers
            .iter()
            .map(|(quantity, price_minor)| {
                format!("{quantity}:{}", format_major_units(*price_minor, decimals))
            })
            .collect::<Vec<_>>()
            .join("; ");
        let category = format!(
            "category-{}",
            product.category_path.last().copied().unwrap_or(0)
        );
        let origin = if product.province.is_empty() {
            product.country.clone()
        } else {
            format!("{}, {}", product.province, product.country)
        };
        let available_quantity = if product.in_stock { "10000" } else { "0" };
        writer.write_record([
            format!("SKU-{}", product.id).as_str(),
            product.title_zh.as_deref().unwrap_or(""),
            product.title_en.as_deref().unwrap_or(""),
            &product.description,
            &category,
            &attributes,
            "piece",
            &product.moq.to_string(),
            &price_tiers,
            &product.currency,
            "7",
            &origin,
            available_quantity,
            "published",
        ])?;
        written += 1;
    }
    writer.flush()?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    const NOW_MICROS: i64 = 1_800_000_000_000_000;

    fn read_all(text: &str) -> (Vec<search::ProductDocument>, ReadReport) {
        let mut reader = CatalogReader::new(text.as_bytes(), NOW_MICROS).unwrap();
        let mut products = Vec::new();
        while let Some(product) = reader.next_product() {
            products.push(product);
        }
        (products, reader.report)
    }

    fn check_price(text: &str, decimals: u32, expected: Result<i64, ()>) {
        assert_eq!(
            parse_minor_units(text, decimals).map_err(|_| ()),
            expected,
            "{text:?} with {decimals} decimals"
        );
    }

    #[test]
    fn prices_become_minor_units_exactly() {
        check_price("12.50", 2, Ok(1_250));
        check_price("12.5", 2, Ok(1_250));
        check_price("12", 2, Ok(1_200));
        check_price("0.07", 2, Ok(7));
        check_price("0.29", 2, Ok(29));
        check_price("1500", 0, Ok(1_500));
        check_price("12.505", 2, Err(()));
        check_price("12.", 2, Err(()));
        check_price(".5", 2, Err(()));
        check_price("-1.00", 2, Err(()));
        check_price("1e3", 2, Err(()));
        check_price("1.5", 0, Err(()));
        check_price("92233720368547758.07", 2, Ok(i64::MAX));
        check_price("92233720368547758.08", 2, Err(()));
        assert_eq!(
            parse_price_tiers("100:12.50; 500:11.00", 2),
            Ok(vec![(100, 1_250), (500, 1_100)])
        );
        assert!(parse_price_tiers("", 2).is_err());
        assert!(parse_price_tiers("0:1.00", 2).is_err());
        assert_eq!(format_major_units(1_205, 2), "12.05");
        assert_eq!(format_major_units(1_205, 0), "1205");
    }

    #[test]
    fn columns_are_found_by_name_and_bad_rows_are_counted() {
        let text = "status,sku,title_en,title_zh,description,category,attributes,unit,moq,price_tiers,currency,lead_time_days,origin,available_quantity,extra\n\
            published,F-1,\"Vacuum flask, 500 ml\",保温杯,\"Keeps \"\"hot\"\" 12 h\",vacuum-flasks,material=304 stainless steel; capacity=500 ml,piece,100,100:12.50; 500:11.00,CNY,15,\"Zhejiang, CN\",2000,x\n\
            draft,F-2,Draft flask,,,vacuum-flasks,,piece,1,1:1.00,CNY,1,DE,0,\n\
            published,F-3,Bad price,,,vacuum-flasks,,piece,1,1:1.005,CNY,1,DE,0,\n\
            published,F-4,Bad currency,,,vacuum-flasks,,piece,1,1:1.00,XXX,1,DE,0,\n\
            sold,F-5,Bad status,,,vacuum-flasks,,piece,1,1:1.00,CNY,1,DE,0,\n\
            published,F-6,LED bulb,,,led-bulbs,,piece,500,500:3.00,EUR,7,DE,0,\n";
        let (products, report) = read_all(text);
        assert_eq!(
            (
                report.rows,
                report.published,
                report.not_published,
                report.unreadable
            ),
            (6, 2, 1, 3)
        );
        assert!(
            report.first_errors[0].starts_with("row 3:"),
            "{:?}",
            report.first_errors
        );
        let flask = &products[0];
        assert_eq!(flask.title_en.as_deref(), Some("Vacuum flask, 500 ml"));
        assert_eq!(flask.title_zh.as_deref(), Some("保温杯"));
        assert_eq!(flask.description, "Keeps \"hot\" 12 h");
        assert_eq!(flask.price_tiers, vec![(100, 1_250), (500, 1_100)]);
        assert_eq!(
            flask.attributes,
            vec![
                ("material".to_string(), "304 stainless steel".to_string()),
                ("capacity".to_string(), "500 ml".to_string()),
            ]
        );
        assert_eq!(
            (flask.province.as_str(), flask.country.as_str()),
            ("Zhejiang", "CN")
        );
        assert_eq!(flask.category_path, vec![1]);
        assert_eq!(flask.category_names, "vacuum flasks");
        assert!(flask.in_stock);
        let bulb = &products[1];
        assert_eq!(bulb.category_path, vec![2]);
        assert_eq!((bulb.province.as_str(), bulb.country.as_str()), ("", "DE"));
        assert!(!bulb.in_stock);
    }

    #[test]
    fn a_header_without_a_column_is_refused() {
        let text = "sku,title_zh\nF-1,保温杯\n";
        let error = CatalogReader::new(text.as_bytes(), NOW_MICROS)
            .err()
            .unwrap();
        assert!(error.to_string().contains("price_tiers"), "{error}");
    }

    #[test]
    fn a_written_catalog_reads_back_whole() {
        let mut rng = StdRng::seed_from_u64(7);
        let generated: Vec<_> = (1..=500)
            .map(|id| super::super::catalog::product(&mut rng, id, NOW_MICROS))
            .collect();
        let mut file = Vec::new();
        let written = write_catalog(&mut file, generated.clone().into_iter()).unwrap();
        assert_eq!(written, 500);
        let (products, report) = read_all(std::str::from_utf8(&file).unwrap());
        assert_eq!(report.unreadable, 0, "{:?}", report.first_errors);
        assert_eq!(products.len(), generated.len());
        for (read, generated) in products.iter().zip(&generated) {
            assert_eq!(read.title_zh, generated.title_zh);
            assert_eq!(read.title_en, generated.title_en);
            assert_eq!(read.price_tiers, generated.price_tiers);
            assert_eq!(read.attributes, generated.attributes);
            assert_eq!(read.province, generated.province);
            assert_eq!(read.country, generated.country);
            assert_eq!(read.in_stock, generated.in_stock);
        }
        let index = search::SearchIndex::in_memory().unwrap();
        index.index(&products).unwrap();
        index.commit().unwrap();
        assert_eq!(index.num_docs(), 500);
    }
}
