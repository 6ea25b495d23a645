//! The suppliers as CSV: exported (also those on Hanse, marked), imported
//! back by name (a known name gets the row's contact details, a new one is
//! a supplier off the network). All or nothing, with every bad row reported.

use std::collections::{BTreeMap, HashSet};

use kernel::{CompanyId, Scope};
use market::product_csv::ImportReport;

use crate::company::open_in;
use crate::csv_file::{self, RowErrors};
use crate::error::Result;
use crate::model::Supplier;
use crate::suppliers::{
    SUPPLIER_COLUMNS, SUPPLIERS_MAX, SupplierInput, checked_supplier, insert_supplier, supplier,
};
use crate::{Scm, may_purchase, may_view_stock};

/// The columns of the suppliers file; `on_hanse` is written, and ignored on import.
pub const SUPPLIER_CSV_COLUMNS: [&str; 5] = ["name", "contact", "email", "phone", "on_hanse"];

async fn all_suppliers(scm: &Scm, company: CompanyId) -> Result<Vec<Supplier>> {
    sqlx::query(&format!(
        "SELECT {SUPPLIER_COLUMNS} FROM scm_supplier WHERE company_id = $1 ORDER BY name, id LIMIT $2"
    ))
    .bind(company)
    .bind(SUPPLIERS_MAX)
    .fetch_all(scm.db.reader())
    .await?
    .iter()
    .map(supplier)
    .collect()
}

impl Scm {
    /// Every supplier as CSV (RFC 4180), by name.
    pub async fn suppliers_csv(&self, scope: &Scope) -> Result<String> {
        self.require(scope, may_view_stock)?;
        let suppliers = all_suppliers(self, scope.company_id()).await?;
        Ok(csv_file::write(
            &SUPPLIER_CSV_COLUMNS,
            suppliers.into_iter().map(|found| {
                let on_hanse = if found.network_company_id.is_some() {
                    "yes"
                } else {
                    "no"
                };
                vec![
                    found.name,
                    found.contact,
                    found.email,
                    found.phone,
                    on_hanse.to_owned(),
                ]
            }),
        ))
    }

    /// Imports a suppliers file, all or nothing.
    pub async fn import_suppliers(&self, scope: &Scope, bytes: &[u8]) -> Result<ImportReport> {
        self.require(scope, may_purchase)?;
        let company = scope.company_id();
        let mut errors = RowErrors::default();
        let rows = csv_file::read(bytes, &SUPPLIER_CSV_COLUMNS, &["name"], &mut errors)?;
        let existing: BTreeMap<String, Supplier> = all_suppliers(self, company)
            .await?
            .into_iter()
            .map(|found| (found.name.clone(), found))
            .collect();
        let mut read = Vec::new();
        let mut names = HashSet::new();
        for (line, record) in &rows.records {
            let input = SupplierInput {
                name: rows.get(record, "name").to_owned(),
                contact: rows.get(record, "contact").to_owned(),
                email: rows.get(record, "email").to_owned(),
                phone: rows.get(record, "phone").to_owned(),
                network_company_id: None,
            };
            match checked_supplier(&input) {
                Ok(made) if !names.insert(made.name.clone()) => {
                    errors.push(
                        *line,
                        &made.name,
                        "name",
                        "duplicate",
                        "this name appears on an earlier line",
                    );
                }
                Ok(made) => read.push(made),
                Err(error) => errors.refused(*line, &input.name, error)?,
            }
        }
        errors.into_result()?;
        let new = read
            .iter()
            .filter(|made| !existing.contains_key(&made.name))
            .count();
        if existing.len() + new > SUPPLIERS_MAX as usize {
            return Err(crate::error::ScmError::state(
                "too_many_suppliers",
                format!("a company has at most {SUPPLIERS_MAX} suppliers"),
            ));
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        open_in(&mut tx, company, now).await?;
        let mut report = ImportReport {
            created: 0,
            updated: 0,
        };
        for made in &read {
            match existing.get(&made.name) {
                Some(known) => {
                    sqlx::query(
                        "UPDATE scm_supplier SET contact = $1, email = $2, phone = $3, updated_at = $4 WHERE company_id = $5 AND id = $6",
                    )
                    .bind(&made.contact)
                    .bind(&made.email)
                    .bind(&made.phone)
                    .bind(now.micros())
                    .bind(company)
                    .bind(known.id)
                    .execute(tx.conn())
                    .await?;
                    report.updated += 1;
                }
                None => {
                    insert_supplier(&mut tx, company, made, now).await?;
                    report.created += 1;
                }
            }
        }
        tx.commit().await?;
        Ok(report)
    }
}
