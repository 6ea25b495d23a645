//! What the supply chain's CSV imports share: the file's limits, reading its
//! header against the known columns, the rows with their line numbers, and
//! the report of bad rows (the product import's `RowError`): a file with any
//! bad row imports nothing.

use std::collections::HashMap;

use market::product_csv::RowError;

use crate::error::{Result, ScmError};

/// The largest file accepted.
pub const IMPORT_BYTES_MAX: usize = 5 * 1024 * 1024;
/// The most rows in one file.
pub const IMPORT_ROWS_MAX: usize = 20_000;
/// Bad rows listed in one report.
const ROW_ERRORS_MAX: usize = 500;

/// A file refused as a whole (no header, an unknown column, too large).
pub(crate) fn file_error(message: impl Into<String>) -> ScmError {
    ScmError::ImportRejected(vec![RowError {
        line: 1,
        sku: String::new(),
        field: "file".to_owned(),
        code: "invalid_file".to_owned(),
        message: message.into(),
    }])
}

/// A read file: where each known column is, and the records by line.
pub(crate) struct CsvRows {
    columns: HashMap<&'static str, usize>,
    pub records: Vec<(u64, csv::StringRecord)>,
}

impl CsvRows {
    /// The trimmed text of `column` in `record` ('' when absent).
    pub fn get<'a>(&self, record: &'a csv::StringRecord, column: &str) -> &'a str {
        self.columns
            .get(column)
            .and_then(|&index| record.get(index))
            .unwrap_or("")
            .trim()
    }
}

/// Reads a file whose columns are among `known`, with every one of
/// `required`; a row that cannot be read is a bad row.
pub(crate) fn read(
    bytes: &[u8],
    known: &[&'static str],
    required: &[&str],
    errors: &mut RowErrors,
) -> Result<CsvRows> {
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
        let Some(column) = known.iter().find(|column| **column == header.trim()) else {
            return Err(file_error(format!(
                "unknown column `{header}`; the columns are {}",
                known.join(", ")
            )));
        };
        columns.insert(*column, index);
    }
    if let Some(missing) = required
        .iter()
        .find(|column| !columns.contains_key(**column))
    {
        return Err(file_error(format!("the column `{missing}` is missing")));
    }
    let mut records = Vec::new();
    for (index, record) in reader.records().enumerate() {
        if index >= IMPORT_ROWS_MAX {
            return Err(file_error(format!(
                "the file has more than {IMPORT_ROWS_MAX} rows"
            )));
        }
        let line = index as u64 + 2;
        match record {
            Ok(record) => records.push((line, record)),
            Err(error) => errors.push(line, "", "row", "unreadable_row", error.to_string()),
        }
    }
    Ok(CsvRows { columns, records })
}

/// The bad rows found so far.
#[derive(Default)]
pub(crate) struct RowErrors(Vec<RowError>);

impl RowErrors {
    pub fn push(
        &mut self,
        line: u64,
        key: &str,
        field: &str,
        code: &str,
        message: impl Into<String>,
    ) {
        self.0.push(RowError {
            line,
            sku: key.to_owned(),
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        });
    }

    /// A business refusal of a row, as its report line; other failures stay errors.
    pub fn refused(&mut self, line: u64, key: &str, error: ScmError) -> Result<()> {
        match error {
            ScmError::Invalid {
                field,
                code,
                message,
            } => self.push(line, key, &field, code, message),
            ScmError::InsufficientStock { field, available } => self.push(
                line,
                key,
                &field,
                "insufficient_stock",
                format!("only {available} free"),
            ),
            other => return Err(other),
        }
        Ok(())
    }

    /// Nothing imports when any row is bad.
    pub fn into_result(mut self) -> Result<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        self.0.truncate(ROW_ERRORS_MAX);
        Err(ScmError::ImportRejected(self.0))
    }
}

/// A CSV file in memory, header first.
pub(crate) fn write(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing into memory fails only on a bug.
    let in_memory = "a CSV writer over a Vec cannot fail";
    writer.write_record(header).expect(in_memory);
    for row in rows {
        writer.write_record(&row).expect(in_memory);
    }
    String::from_utf8(writer.into_inner().expect(in_memory)).expect("CSV of UTF-8 text is UTF-8")
}

/// A whole number cell, '' being zero, or the field named.
pub(crate) fn whole(text: &str, field: &str) -> std::result::Result<i64, ScmError> {
    if text.is_empty() {
        return Ok(0);
    }
    text.parse()
        .map_err(|_| ScmError::invalid(field, "invalid", format!("`{text}` is not a whole number")))
}
