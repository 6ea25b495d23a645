//! `hanse-bench search`: generates a bilingual product catalog, indexes it
//! into a temporary directory through the `search` crate's real interface,
//! merges the segments, then runs a mix of searches (words, several words,
//! pinyin, typos, filters, facets, price and date sorts) from concurrent
//! clients and reports throughput and latency.

mod catalog;
mod csv_catalog;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::builder::RangedU64ValueParser;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::Serialize;

use crate::report::{LatencySummary, milliseconds};

const PRODUCTS_MAX: u64 = 20_000_000;
const QUERIES_MAX: u64 = 10_000_000;
const CONCURRENCY_MAX: u64 = 256;
/// Products handed to the index per call while loading.
const INDEX_BATCH: usize = 10_000;
/// Query lines read from --query-file at most.
const QUERY_FILE_LINES_MAX: usize = 1_000_000;

#[derive(Debug, clap::Args)]
pub struct SearchBenchArgs {
    /// Products to generate and index (with --catalog, the most rows read).
    #[arg(long, default_value_t = 1_000_000, value_parser = RangedU64ValueParser::<usize>::new().range(1..=PRODUCTS_MAX))]
    products: usize,
    /// Concurrent clients, each sending its next search when one returns.
    #[arg(long, default_value_t = 2, value_parser = RangedU64ValueParser::<usize>::new().range(1..=CONCURRENCY_MAX))]
    concurrency: usize,
    /// Searches to run in total.
    #[arg(long, default_value_t = 20_000, value_parser = RangedU64ValueParser::<usize>::new().range(1..=QUERIES_MAX))]
    queries: usize,
    /// Indexing threads of the search index writer.
    #[arg(long, default_value_t = 2, value_parser = RangedU64ValueParser::<usize>::new().range(1..=8))]
    index_threads: usize,
    /// Texts to search for, one a line (blank lines skipped), used in turn
    /// instead of the generated mix (without filters).
    #[arg(long, value_name = "FILE")]
    query_file: Option<PathBuf>,
    /// Products to index, read from a CSV file in the product import format,
    /// instead of generated ones.
    #[arg(long, value_name = "FILE")]
    catalog: Option<PathBuf>,
    /// Writes the generated catalog (--products, --seed) to FILE in the
    /// product import format, then stops without indexing.
    #[arg(long, value_name = "FILE", conflicts_with = "catalog")]
    write_catalog: Option<PathBuf>,
    /// Searches kept in the index's result cache (0 turns it off, to measure
    /// every search collected afresh).
    #[arg(long, default_value_t = 256, value_parser = RangedU64ValueParser::<usize>::new().range(0..=10_000))]
    result_cache: usize,
    /// Seed of the generated catalog and query mix.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// The last line of `hanse-bench search`: one JSON object for scripts.
#[derive(Debug, Clone, Serialize)]
pub struct SearchBenchSummary {
    pub products: usize,
    pub index_threads: usize,
    pub index_s: f64,
    pub index_docs_per_s: f64,
    pub merge_s: f64,
    pub index_bytes: u64,
    pub segments: usize,
    pub queries: usize,
    pub concurrency: usize,
    pub qps: f64,
    pub query_p50_ms: f64,
    pub query_p99_ms: f64,
    pub query_max_ms: f64,
    pub mean_hits_total: f64,
}

pub fn run(args: SearchBenchArgs) -> anyhow::Result<()> {
    let now_micros = 1_800_000_000_000_000;
    let mut rng = StdRng::seed_from_u64(args.seed);
    if let Some(path) = &args.write_catalog {
        let file =
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let products =
            (1..=args.products as i64).map(|id| catalog::product(&mut rng, id, now_micros));
        let written = csv_catalog::write_catalog(std::io::BufWriter::new(file), products)
            .with_context(|| format!("writing {}", path.display()))?;
        println!(
            "hanse-bench search: wrote {written} products to {}",
            path.display()
        );
        return Ok(());
    }
    let directory = tempfile::tempdir().context("creating the index directory")?;
    println!(
        "hanse-bench search: {} products{} into {}",
        args.products,
        match &args.catalog {
            Some(path) => format!(" at most from {}", path.display()),
            None => String::new(),
        },
        directory.path().display()
    );
    let options = search::SearchIndexOptions {
        writer_threads: args.index_threads,
        writer_memory_bytes: args.index_threads * 300_000_000,
        result_cache_entries: args.result_cache,
        ..search::SearchIndexOptions::default()
    };
    let index = search::SearchIndex::open_in_dir(directory.path(), options)?;

    let load_started = Instant::now();
    let mut batch = Vec::with_capacity(INDEX_BATCH);
    let mut products = 0;
    let mut add = |product: search::ProductDocument| -> anyhow::Result<()> {
        batch.push(product);
        products += 1;
        if batch.len() == INDEX_BATCH {
            index.index(&batch)?;
            batch.clear();
        }
        Ok(())
    };
    match &args.catalog {
        Some(path) => {
            let file =
                std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
            let mut reader =
                csv_catalog::CatalogReader::new(std::io::BufReader::new(file), now_micros)
                    .with_context(|| format!("reading {}", path.display()))?;
            while reader.report.rows < args.products
                && let Some(product) = reader.next_product()
            {
                add(product)?;
            }
            let report = &reader.report;
            println!(
                "read {} rows: {} published, {} draft or unlisted, {} unreadable",
                report.rows, report.published, report.not_published, report.unreadable
            );
            for error in &report.first_errors {
                println!("  unreadable {error}");
            }
        }
        None => {
            for id in 1..=args.products as i64 {
                add(catalog::product(&mut rng, id, now_micros))?;
            }
        }
    }
    index.index(&batch)?;
    index.commit()?;
    let index_elapsed = load_started.elapsed();
    let index_docs_per_s = products as f64 / index_elapsed.as_secs_f64();
    println!(
        "indexed {} products in {:.1} s: {:.0} docs/s ({} segments)",
        index.num_docs(),
        index_elapsed.as_secs_f64(),
        index_docs_per_s,
        index.segment_count()
    );
    let merge_started = Instant::now();
    index.merge_segments()?;
    let merge_elapsed = merge_started.elapsed();
    let index_bytes = directory_bytes(directory.path())?;
    println!(
        "merged into {} segment(s) in {:.1} s: {:.1} MiB on disk",
        index.segment_count(),
        merge_elapsed.as_secs_f64(),
        index_bytes as f64 / (1024.0 * 1024.0)
    );

    let requests = match &args.query_file {
        Some(path) => query_file_requests(path)?,
        None => (0..args.queries.min(100_000))
            .map(|_| catalog::request(&mut rng))
            .collect(),
    };
    anyhow::ensure!(!requests.is_empty(), "no queries to run");
    // Warm the page cache and jieba once, outside the measurement.
    for request in requests.iter().take(200) {
        index.search(request)?;
    }

    let queries_started = Instant::now();
    let per_client: Vec<anyhow::Result<(Vec<Duration>, u64)>> = std::thread::scope(|scope| {
        let clients: Vec<_> = (0..args.concurrency)
            .map(|client| {
                let index = &index;
                let requests = &requests;
                let queries = args.queries / args.concurrency
                    + usize::from(client < args.queries % args.concurrency);
                scope.spawn(move || -> anyhow::Result<(Vec<Duration>, u64)> {
                    let mut latencies = Vec::with_capacity(queries);
                    let mut hits_total = 0;
                    for query in 0..queries {
                        let request =
                            &requests[(client + query * args.concurrency) % requests.len()];
                        let started = Instant::now();
                        let results = index.search(request)?;
                        latencies.push(started.elapsed());
                        hits_total += results.total;
                    }
                    Ok((latencies, hits_total))
                })
            })
            .collect();
        clients
            .into_iter()
            .map(|client| {
                client
                    .join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a client panicked")))
            })
            .collect()
    });
    let queries_elapsed = queries_started.elapsed();
    let mut latencies = Vec::with_capacity(args.queries);
    let mut hits_total = 0;
    for client in per_client {
        let (client_latencies, client_hits_total) = client?;
        latencies.extend(client_latencies);
        hits_total += client_hits_total;
    }
    let queries = latencies.len();
    let latency = LatencySummary::from_samples(latencies);
    let qps = queries as f64 / queries_elapsed.as_secs_f64();
    println!(
        "{queries} searches from {} clients in {:.1} s: {qps:.0} per second, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        args.concurrency,
        milliseconds(queries_elapsed) / 1_000.0,
        latency.p50_ms,
        latency.p99_ms,
        latency.max_ms
    );
    let summary = SearchBenchSummary {
        products,
        index_threads: args.index_threads,
        index_s: index_elapsed.as_secs_f64(),
        index_docs_per_s,
        merge_s: merge_elapsed.as_secs_f64(),
        index_bytes,
        segments: index.segment_count(),
        queries,
        concurrency: args.concurrency,
        qps,
        query_p50_ms: latency.p50_ms,
        query_p99_ms: latency.p99_ms,
        query_max_ms: latency.max_ms,
        mean_hits_total: hits_total as f64 / queries.max(1) as f64,
    };
    println!("{}", serde_json::to_string(&summary)?);
    Ok(())
}

fn query_file_requests(path: &Path) -> anyhow::Result<Vec<search::SearchRequest>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading queries from {}", path.display()))?;
    Ok(text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .take(QUERY_FILE_LINES_MAX)
        .map(|line| search::SearchRequest {
            text: line.to_string(),
            limit: 10,
            ..search::SearchRequest::default()
        })
        .collect())
}

/// Bytes of all files under `path`.
fn directory_bytes(path: &Path) -> anyhow::Result<u64> {
    let mut bytes = 0;
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let metadata = entry.metadata()?;
        bytes += if metadata.is_dir() {
            directory_bytes(&entry.path())?
        } else {
            metadata.len()
        };
    }
    Ok(bytes)
}
