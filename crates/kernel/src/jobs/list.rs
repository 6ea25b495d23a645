//! Reading jobs back: one job by kind and key, and a bounded page of jobs for
//! an operator's page.

use crate::db::Db;
use crate::error::StorageError;
use crate::page::{Page, PageRequest};

use super::schedule::check_kind_and_key;
use super::{JOB_COLUMNS, Job, JobState, job_from_row};

/// The job `kind`/`key`, in whatever state, as committed.
pub async fn find(db: &Db, kind: &str, key: &str) -> Result<Option<Job>, StorageError> {
    check_kind_and_key(kind, key)?;
    let row = sqlx::query(&format!(
        "SELECT {JOB_COLUMNS} FROM kernel_job WHERE kind = $1 AND key = $2"
    ))
    .bind(kind)
    .bind(key)
    .fetch_optional(db.reader())
    .await?;
    row.as_ref().map(job_from_row).transpose()
}

/// A page of jobs in id (creation) order, of one state or of all.
pub async fn list(
    db: &Db,
    state: Option<JobState>,
    page: PageRequest,
) -> Result<Page<Job>, StorageError> {
    // Two texts rather than `$1 IS NULL OR state = $1`, whose parameter
    // PostgreSQL cannot give a type when it is NULL.
    let rows = match state {
        Some(state) => {
            sqlx::query(&format!(
                "SELECT {JOB_COLUMNS} FROM kernel_job WHERE state = $1 AND id > $2
                 ORDER BY id LIMIT $3"
            ))
            .bind(state.as_str())
            .bind(page.after_raw())
            .bind(page.fetch_limit())
            .fetch_all(db.reader())
            .await?
        }
        None => {
            sqlx::query(&format!(
                "SELECT {JOB_COLUMNS} FROM kernel_job WHERE id > $1 ORDER BY id LIMIT $2"
            ))
            .bind(page.after_raw())
            .bind(page.fetch_limit())
            .fetch_all(db.reader())
            .await?
        }
    };
    let jobs = rows
        .iter()
        .map(job_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_rows(jobs, page, |job| job.id.raw()))
}
