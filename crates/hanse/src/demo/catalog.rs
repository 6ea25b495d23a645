//! The demo network's marketplace: the category tree, a few hundred products
//! of the Chinese suppliers with pictures drawn on the spot, open buying
//! requests from the importers and the quotations already sent on them.
//!
//! Everything goes through the market service as a member would do it, so
//! every rule a product, a request or a quotation must follow holds for the
//! demo too. Loading is idempotent: categories are found by slug, products by
//! SKU, requests by title and quotations by request, and only what is missing
//! is made. Call [`load_catalog`] after the demo companies exist and the
//! outbox has been delivered once, since storefronts open on `CompanyRegistered`.

mod categories;
mod images;
mod products;
mod requests;

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::Context as _;
use kernel::{Actor, Role, Scope};

use super::{DEMO_COMPANIES, every_page};

// The companies, by legal name as in `companies.rs`; a test checks every one.
use super::company_names::*;

/// The suppliers the operator has checked already: the long-established ones,
/// so that buyers see verified and unverified suppliers side by side.
const VERIFIED_SUPPLIERS: &[&str] = &[
    HENGXIN_THERMOS,
    HUAQIANG_XUNDA_ELECTRONICS,
    HONGDA_TEXTILE,
    YONGHUA_PACKAGING,
    HUAZHEN_MACHINE_PARTS,
    MINGXIANGYUAN_TEA,
];

const SECONDS_PER_DAY: i64 = 24 * 3600;
/// Pictures drawn and uploaded at once: drawing and decoding are CPU work on
/// blocking threads, so a few at a time use the cores without flooding them.
const PICTURES_IN_FLIGHT_MAX: usize = 4;

/// What a load of the demo catalog found and made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogSummary {
    /// Categories of the demo tree present in the market.
    pub categories: usize,
    /// Products the demo companies list, in any status.
    pub products: usize,
    /// Of those, the ones on the market.
    pub published: usize,
    /// Distinct pictures those products show.
    pub images: usize,
    /// Buying requests the demo companies have posted.
    pub requests: usize,
    /// Quotations the demo companies have sent.
    pub quotations: usize,
    /// Categories, pictures, products, requests, quotations and verifications
    /// made by this load; zero when the catalog was complete already.
    pub created: usize,
}

/// A demo product as an order sees it: for the tests of the demo's orders,
/// which must buy what is listed, at least the MOQ and within the stock.
#[cfg(test)]
pub(super) struct ListedProduct {
    pub company: &'static str,
    pub sku: String,
    pub status: market::ProductStatus,
    pub moq: i64,
    pub price_tiers: Vec<market::PriceTier>,
    pub currency: kernel::Currency,
    /// The stock it is listed with.
    pub available_quantity: i64,
}

#[cfg(test)]
pub(super) fn listed_products() -> Vec<ListedProduct> {
    products::demo_products()
        .into_iter()
        .map(|product| ListedProduct {
            company: product.company,
            sku: product.sku,
            status: product.status,
            moq: product.moq,
            price_tiers: product.price_tiers,
            currency: product.currency,
            available_quantity: product.available_quantity,
        })
        .collect()
}

/// Loads the demo catalog, making only what is missing; running it again
/// changes nothing. `now` dates the buying requests and quotations, which
/// stay open for a few weeks from it.
pub async fn load_catalog(
    market: &market::Market,
    identity: &identity::Identity,
    now: kernel::Timestamp,
) -> anyhow::Result<CatalogSummary> {
    let members = demo_members(identity).await?;
    let mut created = 0;
    let (tree, categories_created) = ensure_categories(market)
        .await
        .context("the demo category tree")?;
    created += categories_created;
    created += ensure_products(market, &members, &tree)
        .await
        .context("the demo products")?;
    created += ensure_verified(market, &members)
        .await
        .context("verifying the demo suppliers")?;
    created += ensure_requests(market, &members, &tree, now)
        .await
        .context("the demo buying requests")?;
    let summary = CatalogSummary {
        created,
        ..count_catalog(market, &members, &tree).await?
    };
    tracing::info!(
        demo.categories = summary.categories,
        demo.products = summary.products,
        demo.published = summary.published,
        demo.images = summary.images,
        demo.requests = summary.requests,
        demo.quotations = summary.quotations,
        demo.created = summary.created,
        "demo catalog loaded"
    );
    Ok(summary)
}

/// The owner's scope of every demo company the demo owner still owns. A
/// company of a demo name owned by someone else is a real member; the demo
/// lists nothing in its name.
async fn demo_members(
    identity: &identity::Identity,
) -> anyhow::Result<HashMap<&'static str, Scope>> {
    let mut members = HashMap::new();
    for demo_company in DEMO_COMPANIES {
        let demo_owner = demo_company.owner()?;
        let company = identity
            .company_by_legal_name(demo_company.legal_name)
            .await?
            .with_context(|| {
                format!(
                    "{} is missing; load the demo network first",
                    demo_company.legal_name
                )
            })?;
        let owner = identity
            .user_by_email(demo_owner.email)
            .await?
            .with_context(|| {
                format!(
                    "{} is missing; load the demo network first",
                    demo_owner.email
                )
            })?;
        if identity.role_in(owner.id, company.id).await? != Some(Role::Owner) {
            tracing::warn!(
                company.legal_name = demo_company.legal_name,
                "a company of the demo's name is not owned by the demo owner; its demo catalog is left out"
            );
            continue;
        }
        members.insert(
            demo_company.legal_name,
            Scope::new(company.id, Actor::User(owner.id), Role::Owner),
        );
    }
    Ok(members)
}

/// Makes the categories of the table that are missing, parents first; returns
/// the tree as it is now and how many were made.
async fn ensure_categories(
    market: &market::Market,
) -> anyhow::Result<(market::CategoryTree, usize)> {
    let mut tree = market.categories().await?;
    let mut created = 0;
    // Siblings keep the table's order: each takes the next position under its parent.
    let mut positions: HashMap<Option<&str>, i64> = HashMap::new();
    for seed in categories::CATEGORIES {
        let position = positions.entry(seed.parent).or_insert(0);
        *position += 10;
        if tree.by_slug(seed.slug).is_some() {
            continue;
        }
        let parent_id = match seed.parent {
            Some(parent) => Some(
                tree.by_slug(parent)
                    .with_context(|| format!("the parent of {} is missing", seed.slug))?
                    .id,
            ),
            None => None,
        };
        market
            .create_category(&seed.new_category(parent_id, *position))
            .await
            .with_context(|| format!("the category {}", seed.slug))?;
        created += 1;
        tree = market.categories().await?;
    }
    Ok((tree, created))
}

/// Lists the demo products a supplier does not list yet (by SKU), with their
/// pictures; returns how many products and pictures were made.
async fn ensure_products(
    market: &market::Market,
    members: &HashMap<&'static str, Scope>,
    tree: &market::CategoryTree,
) -> anyhow::Result<usize> {
    let mut listed_skus: HashMap<&str, HashSet<String>> = HashMap::new();
    for (&legal_name, scope) in members {
        let products = every_page(|page| market.own_products(scope, None, page)).await?;
        listed_skus.insert(
            legal_name,
            products.into_iter().map(|product| product.sku).collect(),
        );
    }
    let missing: Vec<(products::DemoProduct, Scope)> = products::demo_products()
        .into_iter()
        .filter_map(|product| {
            let scope = *members.get(product.company)?;
            let listed = listed_skus.get(product.company)?;
            (!listed.contains(&product.sku)).then_some((product, scope))
        })
        .collect();

    let pictures = upload_pictures(market, &missing).await?;
    let mut created = pictures.len();
    for (product, scope) in &missing {
        let category = tree
            .by_slug(product.category)
            .with_context(|| format!("the category {} is missing", product.category))?;
        let picture = pictures
            .get(&(product.drawing, product.rgb))
            .context("a product's picture was not uploaded")?;
        let input = market::ProductInput {
            sku: product.sku.clone(),
            category_id: category.id,
            title_zh: product.title_zh.clone(),
            title_en: product.title_en.clone(),
            description: product.description.clone(),
            attributes: product.attributes.clone(),
            unit: product.unit.to_owned(),
            moq: product.moq,
            price_tiers: product.price_tiers.clone(),
            currency: product.currency,
            lead_time_days: product.lead_time_days,
            origin: product.origin.to_owned(),
            available_quantity: product.available_quantity,
            images: vec![picture.clone()],
        };
        let listed = market
            .create_product(scope, &input)
            .await
            .with_context(|| format!("the product {}", product.sku))?;
        if product.status != market::ProductStatus::Draft {
            market
                .set_product_status(scope, listed.id, product.status)
                .await
                .with_context(|| format!("listing the product {}", product.sku))?;
        }
        created += 1;
    }
    Ok(created)
}

/// Draws and uploads each picture the products need once, a few at a time;
/// returns each picture's content hash.
async fn upload_pictures(
    market: &market::Market,
    missing: &[(products::DemoProduct, Scope)],
) -> anyhow::Result<BTreeMap<(images::Drawing, images::Rgb8), String>> {
    let mut wanted: BTreeMap<(images::Drawing, images::Rgb8), Scope> = BTreeMap::new();
    for (product, scope) in missing {
        // The first supplier showing a picture uploads it; uploads are stored
        // by content, so the others simply name the same hash.
        wanted
            .entry((product.drawing, product.rgb))
            .or_insert(*scope);
    }
    let mut hashes = BTreeMap::new();
    let mut in_flight = tokio::task::JoinSet::new();
    for (key, scope) in wanted {
        if in_flight.len() >= PICTURES_IN_FLIGHT_MAX
            && let Some(finished) = in_flight.join_next().await
        {
            let (key, hash) = finished.context("a picture upload panicked")??;
            hashes.insert(key, hash);
        }
        let market = market.clone();
        in_flight.spawn(async move {
            let (drawing, rgb) = key;
            let png = tokio::task::spawn_blocking(move || images::draw_png(drawing, rgb))
                .await
                .context("drawing a picture panicked")?;
            let uploaded = market
                .upload_image(&scope, png)
                .await
                .with_context(|| format!("uploading the picture of {drawing:?}"))?;
            anyhow::Ok((key, uploaded.hash))
        });
    }
    while let Some(finished) = in_flight.join_next().await {
        let (key, hash) = finished.context("a picture upload panicked")??;
        hashes.insert(key, hash);
    }
    Ok(hashes)
}

/// Marks the established suppliers verified; returns how many were not yet.
async fn ensure_verified(
    market: &market::Market,
    members: &HashMap<&'static str, Scope>,
) -> anyhow::Result<usize> {
    let mut created = 0;
    for legal_name in VERIFIED_SUPPLIERS {
        let Some(scope) = members.get(legal_name) else {
            continue;
        };
        let storefront = market
            .storefront(scope.company_id())
            .await
            .with_context(|| {
                format!("the storefront of {legal_name}; deliver the outbox after loading the demo network")
            })?;
        if !storefront.verified {
            market.set_verified(scope.company_id(), true).await?;
            created += 1;
        }
    }
    Ok(created)
}

/// Posts the buying requests the buyers have not posted yet (by title) and
/// sends the quotations not yet sent; returns how many were made.
async fn ensure_requests(
    market: &market::Market,
    members: &HashMap<&'static str, Scope>,
    tree: &market::CategoryTree,
    now: kernel::Timestamp,
) -> anyhow::Result<usize> {
    let days_from_now = |days: i64| now.plus_seconds(days * SECONDS_PER_DAY);
    let mut created = 0;
    let mut posted: HashMap<&str, Vec<market::Rfq>> = HashMap::new();
    let mut quoted: HashMap<&str, HashSet<market::RfqId>> = HashMap::new();
    for request in requests::BUYING_REQUESTS {
        let Some(buyer) = members.get(request.buyer) else {
            continue;
        };
        if !posted.contains_key(request.buyer) {
            let rfqs = every_page(|page| market.own_rfqs(buyer, page)).await?;
            posted.insert(request.buyer, rfqs);
        }
        let existing = posted
            .get(request.buyer)
            .and_then(|rfqs| rfqs.iter().find(|rfq| rfq.title == request.title))
            .cloned();
        let rfq = match existing {
            Some(rfq) => rfq,
            None => {
                let category = tree
                    .by_slug(request.category)
                    .with_context(|| format!("the category {} is missing", request.category))?;
                let input = market::RfqInput {
                    title: request.title.to_owned(),
                    category_id: category.id,
                    quantity: request.quantity,
                    unit: request.unit.to_owned(),
                    target_price_minor: request.target_price_minor,
                    currency: request.currency,
                    deliver_by: request.deliver_in_days.map(days_from_now),
                    destination: request.destination.to_owned(),
                    details: request.details.to_owned(),
                    valid_until: days_from_now(request.valid_days),
                    show_company: request.show_company,
                };
                created += 1;
                market
                    .post_rfq(buyer, &input)
                    .await
                    .with_context(|| format!("posting {}", request.title))?
            }
        };
        // A request the buyer has since closed or awarded, or one that ran
        // out, takes no more quotations.
        if !rfq.is_open_at(now) {
            continue;
        }
        for quote in request.quotations {
            let Some(supplier) = members.get(quote.supplier) else {
                continue;
            };
            if !quoted.contains_key(quote.supplier) {
                let sent = every_page(|page| market.own_quotations(supplier, page)).await?;
                quoted.insert(
                    quote.supplier,
                    sent.into_iter().map(|quotation| quotation.rfq_id).collect(),
                );
            }
            if quoted
                .get(quote.supplier)
                .is_some_and(|rfqs| rfqs.contains(&rfq.id))
            {
                continue;
            }
            let input = market::QuotationInput {
                price_tiers: quote.price_tiers.to_vec(),
                currency: rfq.currency,
                quantity: quote.quantity,
                lead_time_days: quote.lead_time_days,
                shipping_terms: quote.shipping_terms,
                valid_until: days_from_now(quote.valid_days),
                message: quote.message.to_owned(),
            };
            market
                .send_quotation(supplier, rfq.id, &input)
                .await
                .with_context(|| format!("{} quoting on {}", quote.supplier, request.title))?;
            created += 1;
        }
    }
    Ok(created)
}

/// Counts what the demo companies have now, made by this load or an earlier one.
async fn count_catalog(
    market: &market::Market,
    members: &HashMap<&'static str, Scope>,
    tree: &market::CategoryTree,
) -> anyhow::Result<CatalogSummary> {
    let mut summary = CatalogSummary {
        categories: categories::CATEGORIES
            .iter()
            .filter(|seed| tree.by_slug(seed.slug).is_some())
            .count(),
        products: 0,
        published: 0,
        images: 0,
        requests: 0,
        quotations: 0,
        created: 0,
    };
    let mut pictures = HashSet::new();
    for scope in members.values() {
        let products = every_page(|page| market.own_products(scope, None, page)).await?;
        summary.products += products.len();
        summary.published += products
            .iter()
            .filter(|product| product.status == market::ProductStatus::Published)
            .count();
        pictures.extend(products.into_iter().flat_map(|product| product.images));
        summary.requests += every_page(|page| market.own_rfqs(scope, page)).await?.len();
        summary.quotations += every_page(|page| market.own_quotations(scope, page))
            .await?
            .len();
    }
    summary.images = pictures.len();
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn every_company_named_in_the_catalog_is_a_demo_company() {
        let named = products::FAMILIES
            .iter()
            .map(|family| family.company)
            .chain(VERIFIED_SUPPLIERS.iter().copied())
            .chain(requests::BUYING_REQUESTS.iter().flat_map(|request| {
                std::iter::once(request.buyer)
                    .chain(request.quotations.iter().map(|quote| quote.supplier))
            }));
        for legal_name in named {
            assert!(
                DEMO_COMPANIES
                    .iter()
                    .any(|demo_company| demo_company.legal_name == legal_name),
                "{legal_name} is not a demo company"
            );
        }
    }

    #[test]
    fn the_category_table_is_a_tree_the_market_accepts() {
        let mut slugs = HashSet::new();
        for seed in categories::CATEGORIES {
            assert!(slugs.insert(seed.slug), "{} twice", seed.slug);
            // Parents come first, so one pass creates the tree.
            if let Some(parent) = seed.parent {
                assert!(slugs.contains(parent), "{} before its parent", seed.slug);
            }
            let depth = categories::depth(seed.slug);
            assert!(
                (1..=market::CATEGORY_DEPTH_MAX).contains(&depth),
                "{}",
                seed.slug
            );
            let mut keys = HashSet::new();
            for attribute in categories::schema(seed.slug) {
                // A key asked twice on one path would leave the product's
                // value to the first of two specs.
                assert!(
                    keys.insert(attribute.key),
                    "{}: {} twice",
                    seed.slug,
                    attribute.key
                );
                assert!(
                    attribute.kind != market::AttributeKind::Choice
                        || !attribute.choices.is_empty(),
                    "{}: {}",
                    seed.slug,
                    attribute.key
                );
            }
        }
        let roots = categories::CATEGORIES
            .iter()
            .filter(|seed| seed.parent.is_none())
            .count();
        assert_eq!(roots, 10);
        // Every leaf has something on sale.
        let products = products::demo_products();
        for seed in categories::CATEGORIES {
            if categories::is_leaf(seed.slug) {
                assert!(
                    products.iter().any(|product| product.category == seed.slug),
                    "nothing is listed in {}",
                    seed.slug
                );
            }
        }
    }

    async fn identity_on(
        db: &kernel::Db,
        mailbox_directory: &std::path::Path,
    ) -> identity::Identity {
        let mailer = identity::mail::MailboxMailer::new(
            mailbox_directory.join("mailbox"),
            "Hanse <noreply@hanse.demo>".parse().unwrap(),
        )
        .unwrap();
        identity::Identity::new(
            db.clone(),
            Arc::new(kernel::SystemClock),
            Arc::new(mailer),
            identity::HashCost::FAST_INSECURE,
            "http://127.0.0.1:8080".into(),
        )
    }

    #[tokio::test]
    async fn loading_twice_lists_everything_once() {
        let migrations = [
            kernel::migrate::kernel_migrations(),
            identity::migrations(),
            market::migrations(),
        ]
        .concat();
        let test_db = kernel::testing::TestDb::migrated(kernel::Engine::Sqlite, &migrations)
            .await
            .unwrap();
        let directory = tempfile::tempdir().unwrap();
        let identity = identity_on(&test_db.db, directory.path()).await;
        let clock: Arc<dyn kernel::Clock> = Arc::new(kernel::SystemClock);
        let market = market::Market::new(
            test_db.db.clone(),
            clock.clone(),
            directory.path().join("images"),
            Arc::new(market::search_feed::SearchIndexes::in_memory().unwrap()),
        );
        super::super::load(&identity).await.unwrap();
        // Storefronts open when identity's CompanyRegistered events are delivered.
        let dispatcher = kernel::outbox::Dispatcher::new(
            test_db.db.clone(),
            clock.clone(),
            vec![Arc::new(market::StorefrontOpener)],
        );
        dispatcher.run_once().await.unwrap();

        let first = load_catalog(&market, &identity, clock.now()).await.unwrap();
        let expected_products = products::demo_products();
        assert_eq!(first.categories, categories::CATEGORIES.len());
        assert_eq!(first.products, expected_products.len());
        assert_eq!(
            first.published,
            expected_products
                .iter()
                .filter(|product| product.status == market::ProductStatus::Published)
                .count()
        );
        assert_eq!(first.requests, requests::BUYING_REQUESTS.len());
        assert_eq!(
            first.quotations,
            requests::BUYING_REQUESTS
                .iter()
                .map(|request| request.quotations.len())
                .sum::<usize>()
        );
        assert_eq!(
            first.created,
            first.categories
                + first.images
                + first.products
                + first.requests
                + first.quotations
                + VERIFIED_SUPPLIERS.len()
        );

        let second = load_catalog(&market, &identity, clock.now()).await.unwrap();
        assert_eq!(
            second,
            CatalogSummary {
                created: 0,
                ..first
            }
        );

        let hengxin = identity
            .company_by_legal_name(HENGXIN_THERMOS)
            .await
            .unwrap()
            .unwrap();
        assert!(market.storefront(hengxin.id).await.unwrap().verified);
        let on_sale = market
            .published_products_of(hengxin.id, kernel::PageRequest::new(None, Some(200)))
            .await
            .unwrap();
        assert!(
            on_sale
                .items
                .iter()
                .any(|product| product.title_en.contains("Vacuum Flask")
                    && product.title_en.contains("500ml")
                    && product.title_zh.contains("保温杯"))
        );
        let (hash, size) = (&on_sale.items[0].images[0], market::ImageSize::Thumbnail);
        let (thumbnail, _) = market.image_store().file(hash, size).unwrap();
        assert!(thumbnail.exists());
    }
}
