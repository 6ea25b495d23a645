//! The network the orders run trades on, made over HTTP as members would make
//! it: a category, sellers in China each with a catalog of products (tiered
//! prices, stock enough for the whole run), and buyers in Germany with money
//! topped up through the sandbox bank.

use anyhow::Context;
use rand::Rng;
use serde_json::{Value, json};

use crate::http::{client, post_json};

pub const PASSWORD: &str = "orders-bench-password-2026";
pub const CURRENCY: &str = "EUR";
/// Units in stock per product: no order is refused for stock.
const STOCK_PER_PRODUCT: i64 = 900_000_000;
/// The largest order line, in units; the smallest is the product's MOQ.
pub const QUANTITY_MAX: i64 = 120;

/// A seller company with its signed-in owner and its products.
pub struct Seller {
    pub client: reqwest::Client,
    pub products: Vec<Product>,
}

#[derive(Debug, Clone)]
pub struct Product {
    pub id: String,
    pub moq: i64,
}

/// A buyer company with its signed-in owner.
pub struct Buyer {
    pub client: reqwest::Client,
}

/// A valid unified social credit code for the `index`th seller: Chinese
/// companies register with one.
fn credit_code(index: usize) -> anyhow::Result<String> {
    let body = format!("913307825{index:08}");
    let check = identity::credit_code::check_character(&body)
        .context("a credit code's first 17 characters")?;
    Ok(format!("{body}{check}"))
}

async fn sign_up(
    base_url: &str,
    email: &str,
    name: &str,
    country: &str,
    index: usize,
) -> anyhow::Result<reqwest::Client> {
    let client = client()?;
    post_json(
        &client,
        &format!("{base_url}/api/v1/auth/signup"),
        json!({"email": email, "password": PASSWORD, "display_name": name,
               "language": "en", "time_zone": "Europe/Berlin"}),
    )
    .await?;
    let (region, city) = match country {
        "CN" => ("浙江", "义乌"),
        _ => ("Hamburg", "Hamburg"),
    };
    let mut company = json!({"legal_name": name, "country": country, "region": region, "city": city,
        "address": format!("{name}, {city}"), "industry": "wholesale_import_export", "size": "10-49"});
    if country == "CN" {
        company["credit_code"] = json!(credit_code(index)?);
    }
    post_json(&client, &format!("{base_url}/api/v1/companies"), company).await?;
    Ok(client)
}

/// A leaf category for the run's products, made by the operator.
pub async fn category(operator: &reqwest::Client, base_url: &str) -> anyhow::Result<String> {
    let top = post_json(
        operator,
        &format!("{base_url}/api/v1/operator/categories"),
        json!({"slug": "bench-housewares", "name_zh": "家居用品", "name_en": "Housewares"}),
    )
    .await?;
    let leaf = post_json(
        operator,
        &format!("{base_url}/api/v1/operator/categories"),
        json!({"parent_id": top["id"], "slug": "bench-flasks", "name_zh": "保温杯", "name_en": "Vacuum flasks"}),
    )
    .await?;
    Ok(leaf["id"].as_str().context("category id")?.to_owned())
}

/// `count` sellers with `products` products each, made side by side. Prices,
/// MOQs and tiers differ from product to product, as in a real catalog.
pub async fn sellers(
    base_url: &str,
    category_id: &str,
    count: usize,
    products: usize,
) -> anyhow::Result<Vec<Seller>> {
    let mut making = tokio::task::JoinSet::new();
    for index in 0..count {
        let (base_url, category_id) = (base_url.to_owned(), category_id.to_owned());
        making.spawn(async move {
            (
                index,
                seller(&base_url, &category_id, index, products).await,
            )
        });
    }
    let mut sellers: Vec<(usize, Seller)> = Vec::with_capacity(count);
    while let Some(made) = making.join_next().await {
        let (index, seller) = made?;
        sellers.push((index, seller?));
    }
    sellers.sort_by_key(|(index, _)| *index);
    Ok(sellers.into_iter().map(|(_, seller)| seller).collect())
}

async fn seller(
    base_url: &str,
    category_id: &str,
    index: usize,
    products: usize,
) -> anyhow::Result<Seller> {
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(index as u64);
    let name = format!("义乌 Bench Supplier {index} 有限公司");
    let client = sign_up(
        base_url,
        &format!("seller{index}@orders-bench.test"),
        &name,
        "CN",
        index,
    )
    .await?;
    let mut made = Vec::with_capacity(products);
    for number in 0..products {
        let moq = [1, 5, 10, 20][rng.gen_range(0..4)];
        let base_price = rng.gen_range(150..9_000_i64);
        let body = json!({
            "sku": format!("B{index}-{number}"),
            "category_id": category_id,
            "title_zh": format!("不锈钢保温杯 {number} 号"),
            "title_en": format!("Stainless flask model {index}-{number}"),
            "description": "Double wall, keeps hot for 12 hours.",
            "unit": "piece",
            "moq": moq,
            "price_tiers": [
                {"min_quantity": moq, "unit_price_minor": base_price},
                {"min_quantity": moq * 10, "unit_price_minor": base_price * 9 / 10},
            ],
            "currency": CURRENCY,
            "available_quantity": STOCK_PER_PRODUCT,
        });
        let product = post_json(
            &client,
            &format!("{base_url}/api/v1/catalog/products"),
            body,
        )
        .await?;
        let id = product["id"].as_str().context("product id")?.to_owned();
        post_json(
            &client,
            &format!("{base_url}/api/v1/catalog/products/{id}/status"),
            json!({"status": "published"}),
        )
        .await?;
        made.push(Product { id, moq });
    }
    Ok(Seller {
        client,
        products: made,
    })
}

/// `count` buyers, each with `amount_minor` in its wallet, made side by side.
pub async fn buyers(base_url: &str, count: usize, amount_minor: i64) -> anyhow::Result<Vec<Buyer>> {
    let mut making = tokio::task::JoinSet::new();
    for index in 0..count {
        let base_url = base_url.to_owned();
        making.spawn(async move {
            let client = sign_up(
                &base_url,
                &format!("buyer{index}@orders-bench.test"),
                &format!("Bench Einkauf {index} GmbH"),
                "DE",
                index,
            )
            .await?;
            top_up(&client, &base_url, amount_minor, index).await?;
            anyhow::Ok(Buyer { client })
        });
    }
    let mut buyers = Vec::with_capacity(count);
    while let Some(made) = making.join_next().await {
        buyers.push(made??);
    }
    Ok(buyers)
}

/// Starts a top-up, confirms it at the sandbox bank as the bank would, and
/// waits until the wallet shows it.
async fn top_up(
    client: &reqwest::Client,
    base_url: &str,
    amount_minor: i64,
    index: usize,
) -> anyhow::Result<()> {
    let response = client
        .post(format!("{base_url}/api/v1/wallet/top-ups"))
        .header("Idempotency-Key", format!("bench-top-up-{index}"))
        .json(&json!({"amount": {"minor": amount_minor, "currency": CURRENCY}}))
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "top-up: {}",
        response.text().await?
    );
    let operations: Value = client
        .get(format!(
            "{base_url}/api/v1/sandbox-bank/operations?limit=10"
        ))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let pending = operations["items"]
        .as_array()
        .context("operations")?
        .iter()
        .find(|op| op["status"] == "pending")
        .and_then(|op| op["id"].as_str())
        .context("the top-up is not at the sandbox bank")?
        .to_owned();
    let confirmed = client
        .post(format!(
            "{base_url}/api/v1/sandbox-bank/operations/{pending}/confirm"
        ))
        .header("Idempotency-Key", format!("bench-confirm-{index}"))
        .send()
        .await?;
    anyhow::ensure!(
        confirmed.status().is_success(),
        "sandbox confirm: {}",
        confirmed.text().await?
    );
    for _ in 0..200 {
        if available_minor(client, base_url).await? >= amount_minor {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    anyhow::bail!("the top-up never reached the wallet")
}

/// The wallet's available money in the run's currency.
pub async fn available_minor(client: &reqwest::Client, base_url: &str) -> anyhow::Result<i64> {
    let balances: Value = client
        .get(format!("{base_url}/api/v1/wallet/balances"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(balances
        .as_array()
        .into_iter()
        .flatten()
        .find(|balance| balance["currency"] == CURRENCY)
        .and_then(|balance| balance["available"]["minor"].as_i64())
        .unwrap_or(0))
}
