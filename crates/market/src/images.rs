//! Uploading images: the file goes to the [`ImageStore`], its record to
//! `market_image`, so products and storefronts can only name images that
//! were uploaded and decoded.

use kernel::{Db, Scope};

use crate::Market;
use crate::error::{MarketError, Result};
use crate::image_store::ImageStore;
use crate::model::ImageRef;
use crate::product::may_edit_catalog;

impl Market {
    pub fn image_store(&self) -> &ImageStore {
        &self.images
    }

    /// Stores an uploaded image (decoding it on a blocking thread: a 5 MB
    /// JPEG takes tens of milliseconds).
    pub async fn upload_image(&self, scope: &Scope, bytes: Vec<u8>) -> Result<ImageRef> {
        if !may_edit_catalog(scope.role()) && !scope.role().manages_company() {
            return Err(MarketError::Forbidden);
        }
        let store = self.images.clone();
        let image = tokio::task::spawn_blocking(move || store.put(&bytes))
            .await
            .map_err(|error| std::io::Error::other(error.to_string()))??;
        let now = self.clock.now().micros();
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO market_image (hash, company_id, format, width, height, size_bytes, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(&image.hash)
        .bind(scope.company_id())
        .bind(&image.format)
        .bind(i64::from(image.width))
        .bind(i64::from(image.height))
        .bind(image.size_bytes as i64)
        .bind(now)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(image)
    }
}

/// The hashes of recorded images after `after` in hash order, at most
/// `limit` of them: which files the database names, for `hanse backup` to
/// prove its copy of the images folder complete. Every image file is written
/// before its record commits and never removed, so a copy of the folder made
/// after a snapshot of the database has every file the snapshot names.
pub async fn recorded_image_hashes(db: &Db, after: &str, limit: u32) -> Result<Vec<String>> {
    let hashes =
        sqlx::query_scalar("SELECT hash FROM market_image WHERE hash > $1 ORDER BY hash LIMIT $2")
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(db.reader())
            .await?;
    Ok(hashes)
}
