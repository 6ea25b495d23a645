//! Keeping the search index current from the outbox. Every node keeps its
//! own index, so the feed does not use the dispatcher's shared checkpoints:
//! it reads the outbox after its own position, kept in a file beside the
//! index and written after each index commit. A crash between the two
//! replays a few events, which is harmless: the feed indexes each product's
//! state as it is now in the database, not the event's copy of it.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use kernel::outbox::{self, OutboxEvent};
use kernel::{CompanyId, Db};
use search::{ProductDocument, RequestDocument, RequestIndex, SearchIndex, SearchIndexOptions};
use sqlx::Row;
use tokio::sync::watch;

use crate::category::CategoryTree;
use crate::error::Result;
use crate::events::{ProductChanged, ProductPublished, RfqClosed, RfqPosted, StorefrontChanged};
use crate::model::{Product, ProductStatus, Rfq, RfqStatus, Storefront};
use crate::product::{PRODUCT_COLUMNS, product};
use crate::rfq::{RFQ_COLUMNS, rfq};
use crate::rows::numbered_placeholders;
use crate::storefront::{STOREFRONT_COLUMNS, storefront};

/// Events read per round; one index commit per round.
const EVENTS_PER_ROUND_MAX: i64 = 1_000;
/// Products loaded per query.
const PRODUCTS_PER_QUERY_MAX: usize = 500;
/// How often the outbox is read when no local commit wakes the feed: the
/// bound on how late another node's change is seen.
const POLL_INTERVAL: Duration = Duration::from_millis(250);
const RETRY_INTERVAL: Duration = Duration::from_secs(2);
const POSITION_FILE: &str = "feed-position";

/// The search indexes of one node and how far into the outbox they are.
pub struct SearchIndexes {
    pub products: SearchIndex,
    /// Open buying requests.
    pub requests: RequestIndex,
    position: Mutex<i64>,
    position_file: Option<PathBuf>,
}

impl SearchIndexes {
    /// Opens (or creates) the indexes under `dir`.
    pub fn open(dir: &Path) -> Result<SearchIndexes> {
        let products =
            SearchIndex::open_in_dir(&dir.join("products"), SearchIndexOptions::default())?;
        let requests = RequestIndex::open_in_dir(&dir.join("requests"))?;
        let position_file = dir.join(POSITION_FILE);
        let position = match std::fs::read_to_string(&position_file) {
            Ok(text) => text.trim().parse().unwrap_or(0),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => 0,
            Err(error) => return Err(error.into()),
        };
        Ok(SearchIndexes {
            products,
            requests,
            position: Mutex::new(position),
            position_file: Some(position_file),
        })
    }

    /// Indexes in memory, for tests.
    pub fn in_memory() -> Result<SearchIndexes> {
        Ok(SearchIndexes {
            products: SearchIndex::in_memory()?,
            requests: RequestIndex::in_memory()?,
            position: Mutex::new(0),
            position_file: None,
        })
    }

    /// The outbox position everything up to which is in the index.
    pub fn position(&self) -> i64 {
        *self
            .position
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn commit(&self, position: i64) -> Result<()> {
        self.products.commit()?;
        self.requests.commit()?;
        *self
            .position
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = position;
        if let Some(file) = &self.position_file {
            let temporary = file.with_extension("tmp");
            std::fs::write(&temporary, position.to_string())?;
            std::fs::rename(&temporary, file)?;
        }
        Ok(())
    }
}

/// The supplier-quality signal search ranks by, in 0..=1: verification counts
/// half, the response rate the other half (unknown counts as 50 %). Trust and
/// ads will add their signals here.
pub fn quality_score(storefront: &Storefront) -> f32 {
    let verified = if storefront.verified { 0.5 } else { 0.0 };
    let response = storefront
        .response_rate_bp
        .unwrap_or(5_000)
        .clamp(0, 10_000) as f32
        / 10_000.0;
    verified + 0.5 * response
}

/// One product as search sees it.
pub fn product_document(
    product: &Product,
    storefront: &Storefront,
    tree: &CategoryTree,
) -> ProductDocument {
    let path = tree.path(product.category_id);
    ProductDocument {
        id: product.id.raw(),
        company_id: product.company_id.raw(),
        company_name: storefront.display_name.clone(),
        title_zh: (!product.title_zh.is_empty()).then(|| product.title_zh.clone()),
        title_en: (!product.title_en.is_empty()).then(|| product.title_en.clone()),
        description: product.description.clone(),
        attributes: product
            .attributes
            .iter()
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
        category_path: path.iter().map(|category| category.id.raw()).collect(),
        category_names: path
            .iter()
            .map(|category| format!("{} {}", category.name_zh, category.name_en))
            .collect::<Vec<_>>()
            .join(" "),
        province: storefront.province.clone(),
        country: storefront.country.clone(),
        verified: storefront.verified,
        in_stock: product.available_quantity > 0,
        moq: product.moq,
        price_tiers: product
            .price_tiers
            .iter()
            .map(|tier| (tier.min_quantity, tier.unit_price_minor))
            .collect(),
        currency: product.currency.code().to_owned(),
        created_at_micros: product.published_at.unwrap_or(product.created_at).micros(),
        quality_score: quality_score(storefront),
    }
}

/// Reads the outbox and applies what it says to the indexes.
#[derive(Clone)]
pub struct SearchFeed {
    db: Db,
    indexes: std::sync::Arc<SearchIndexes>,
    linked: crate::LinkedStock,
}

impl SearchFeed {
    pub fn new(db: Db, indexes: std::sync::Arc<SearchIndexes>) -> SearchFeed {
        SearchFeed {
            db,
            indexes,
            linked: crate::LinkedStock::default(),
        }
    }

    /// Indexes linked products as in stock by their keeper's quantity.
    pub fn with_linked_stock(mut self, linked: crate::LinkedStock) -> SearchFeed {
        self.linked = linked;
        self
    }

    /// Applies everything committed so far; returns how many events it read.
    pub async fn catch_up(&self) -> Result<usize> {
        let mut read = 0;
        loop {
            let after = self.indexes.position();
            let events = {
                let mut connection = self.db.reader().acquire().await?;
                outbox::read_after(&mut connection, after, EVENTS_PER_ROUND_MAX).await?
            };
            let Some(last) = events.last().map(|event| event.position) else {
                return Ok(read);
            };
            read += events.len();
            let touched = affected(&events);
            self.refresh_requests(&touched.requests).await?;
            self.refresh(touched.products, touched.companies).await?;
            self.indexes.commit(last)?;
        }
    }

    /// Runs until `shutdown` turns true: catches up, then waits for a local
    /// commit or the poll interval.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            let wait = match self.catch_up().await {
                Ok(_) => POLL_INTERVAL,
                Err(error) => {
                    tracing::error!(%error, "search feed cannot catch up; will retry");
                    RETRY_INTERVAL
                }
            };
            tokio::select! {
                _ = self.db.outbox_committed().notified() => {}
                _ = tokio::time::sleep(wait) => {}
                changed = shutdown.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
            }
            if *shutdown.borrow() {
                return;
            }
        }
    }

    /// Indexes every published product afresh into an empty index, calling
    /// `progress(done, total)` as it goes; returns the count. The position is
    /// taken first, so changes made meanwhile are replayed afterwards.
    pub async fn rebuild(&self, progress: impl Fn(u64, u64)) -> Result<u64> {
        let position: i64 =
            sqlx::query("SELECT COALESCE(MAX(position), 0) AS p FROM kernel_outbox")
                .fetch_one(self.db.reader())
                .await?
                .try_get("p")?;
        let total: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM market_product WHERE status = 'published'")
                .fetch_one(self.db.reader())
                .await?
                .try_get("n")?;
        let tree = load_tree(&self.db).await?;
        let mut storefronts = HashMap::new();
        let mut after = 0_i64;
        let mut done = 0_u64;
        loop {
            let rows = sqlx::query(&format!(
                "SELECT {PRODUCT_COLUMNS} FROM market_product WHERE status = 'published' AND id > $1 ORDER BY id LIMIT $2"
            ))
            .bind(after)
            .bind(PRODUCTS_PER_QUERY_MAX as i64)
            .fetch_all(self.db.reader())
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.try_get("id")?;
            let products = rows.iter().map(product).collect::<Result<Vec<_>>>()?;
            let documents = self.documents(&products, &tree, &mut storefronts).await?;
            self.indexes.products.index(&documents)?;
            done += products.len() as u64;
            progress(done, total.max(0) as u64);
        }
        let open: Vec<i64> = sqlx::query("SELECT id FROM market_rfq WHERE status = 'open'")
            .fetch_all(self.db.reader())
            .await?
            .iter()
            .map(|row| row.try_get("id"))
            .collect::<Result<_, _>>()?;
        self.refresh_requests(&open.into_iter().collect()).await?;
        self.indexes.commit(position)?;
        self.indexes.products.merge_segments()?;
        Ok(done)
    }

    /// Indexes the open requests among `ids` and removes the others.
    async fn refresh_requests(&self, ids: &BTreeSet<i64>) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let tree = load_tree(&self.db).await?;
        let ids: Vec<i64> = ids.iter().copied().collect();
        for chunk in ids.chunks(PRODUCTS_PER_QUERY_MAX) {
            let sql = format!(
                "SELECT {RFQ_COLUMNS} FROM market_rfq r WHERE r.id IN ({})",
                numbered_placeholders(1, chunk.len())
            );
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            let open: Vec<Rfq> = query
                .fetch_all(self.db.reader())
                .await?
                .iter()
                .map(rfq)
                .collect::<Result<Vec<_>>>()?
                .into_iter()
                .filter(|rfq| rfq.status == RfqStatus::Open)
                .collect();
            for id in chunk {
                if !open.iter().any(|rfq| rfq.id.raw() == *id) {
                    self.indexes.requests.delete(*id)?;
                }
            }
            let documents: Vec<RequestDocument> = open
                .iter()
                .map(|rfq| request_document(rfq, &tree))
                .collect();
            self.indexes.requests.index(&documents)?;
        }
        Ok(())
    }

    async fn refresh(&self, mut products: BTreeSet<i64>, companies: BTreeSet<i64>) -> Result<()> {
        for company in companies {
            let rows = sqlx::query(
                "SELECT id FROM market_product WHERE company_id = $1 AND status = 'published'",
            )
            .bind(company)
            .fetch_all(self.db.reader())
            .await?;
            for row in rows {
                products.insert(row.try_get("id")?);
            }
        }
        if products.is_empty() {
            return Ok(());
        }
        let tree = load_tree(&self.db).await?;
        let mut storefronts = HashMap::new();
        let ids: Vec<i64> = products.into_iter().collect();
        for chunk in ids.chunks(PRODUCTS_PER_QUERY_MAX) {
            let sql = format!(
                "SELECT {PRODUCT_COLUMNS} FROM market_product WHERE id IN ({})",
                numbered_placeholders(1, chunk.len())
            );
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            let found = query
                .fetch_all(self.db.reader())
                .await?
                .iter()
                .map(product)
                .collect::<Result<Vec<_>>>()?;
            let published: Vec<Product> = found
                .into_iter()
                .filter(|product| product.status == ProductStatus::Published)
                .collect();
            for id in chunk {
                if !published.iter().any(|product| product.id.raw() == *id) {
                    self.indexes.products.delete(*id)?;
                }
            }
            let documents = self.documents(&published, &tree, &mut storefronts).await?;
            self.indexes.products.index(&documents)?;
        }
        Ok(())
    }

    async fn documents(
        &self,
        products: &[Product],
        tree: &CategoryTree,
        storefronts: &mut HashMap<CompanyId, Option<Storefront>>,
    ) -> Result<Vec<ProductDocument>> {
        let mut products = products.to_vec();
        self.linked.overlay(&mut products).await?;
        let mut documents = Vec::with_capacity(products.len());
        for product in &products {
            if let std::collections::hash_map::Entry::Vacant(entry) =
                storefronts.entry(product.company_id)
            {
                let row = sqlx::query(&format!(
                    "SELECT {STOREFRONT_COLUMNS} FROM market_storefront WHERE company_id = $1"
                ))
                .bind(product.company_id)
                .fetch_optional(self.db.reader())
                .await?;
                entry.insert(row.as_ref().map(storefront).transpose()?);
            }
            // A storefront not open yet: its opening event indexes the
            // company's products; waiting here would stall everyone's.
            if let Some(storefront) = &storefronts[&product.company_id] {
                documents.push(product_document(product, storefront, tree));
            }
        }
        Ok(documents)
    }
}

async fn load_tree(db: &Db) -> Result<CategoryTree> {
    crate::category::load_tree(db).await
}

/// What the events touch in the indexes.
#[derive(Default)]
struct Affected {
    products: BTreeSet<i64>,
    companies: BTreeSet<i64>,
    requests: BTreeSet<i64>,
}

fn affected(events: &[OutboxEvent]) -> Affected {
    let mut products = BTreeSet::new();
    let mut companies = BTreeSet::new();
    let mut requests = BTreeSet::new();
    for event in events {
        if let Some(Ok(published)) = event.decode::<ProductPublished>() {
            products.insert(published.product_id.raw());
        } else if let Some(Ok(changed)) = event.decode::<ProductChanged>() {
            products.insert(changed.product_id.raw());
        } else if let Some(Ok(changed)) = event.decode::<StorefrontChanged>() {
            companies.insert(changed.company_id.raw());
        } else if let Some(Ok(posted)) = event.decode::<RfqPosted>() {
            requests.insert(posted.rfq_id.raw());
        } else if let Some(Ok(closed)) = event.decode::<RfqClosed>() {
            requests.insert(closed.rfq_id.raw());
        }
    }
    Affected {
        products,
        companies,
        requests,
    }
}

/// A buying request as search sees it.
pub fn request_document(rfq: &Rfq, tree: &CategoryTree) -> RequestDocument {
    let path = tree.path(rfq.category_id);
    // "Hamburg, DE": the country code is the last part when it is one.
    let destination_country = rfq
        .destination
        .rsplit(',')
        .next()
        .map(str::trim)
        .filter(|part| part.len() == 2 && part.bytes().all(|b| b.is_ascii_uppercase()))
        .unwrap_or("")
        .to_owned();
    RequestDocument {
        id: rfq.id.raw(),
        company_id: rfq.company_id.raw(),
        title: rfq.title.clone(),
        details: rfq.details.clone(),
        category_path: path.iter().map(|category| category.id.raw()).collect(),
        category_names: path
            .iter()
            .map(|category| format!("{} {}", category.name_zh, category.name_en))
            .collect::<Vec<_>>()
            .join(" "),
        quantity: rfq.quantity,
        unit: rfq.unit.clone(),
        destination_country,
        created_at_micros: rfq.created_at.micros(),
        valid_until_micros: rfq.valid_until.micros(),
    }
}
