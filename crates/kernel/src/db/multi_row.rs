//! Multi-row statements for both engines: the `VALUES` list of many rows
//! with each engine's placeholders, and owned arguments built before the
//! transaction that runs them. One statement for a few hundred rows costs
//! the driver far less than a statement per row.

use sqlx::Arguments;
use sqlx::any::AnyArguments;

use super::Engine;

/// `INSERT ... VALUES row, row, ...`: `rows` copies of `row`, each `?` in
/// them replaced by the engine's placeholder, numbered on across the rows
/// (`?` on SQLite, where numbered ones cost time quadratic in their number).
pub fn values_sql(engine: Engine, insert: &str, row: &str, rows: usize) -> String {
    let mut sql = String::with_capacity(insert.len() + rows * (row.len() * 2 + 2));
    sql.push_str(insert);
    let mut next = 1;
    for index in 0..rows {
        if index > 0 {
            sql.push_str(", ");
        }
        for piece in row.split_inclusive('?') {
            match piece.strip_suffix('?') {
                Some(text) => {
                    sql.push_str(text);
                    sql.push_str(&engine.placeholder(next));
                    next += 1;
                }
                None => sql.push_str(piece),
            }
        }
    }
    sql
}

/// Adds one argument; encoding an integer or a text into the driver's buffer
/// cannot fail.
pub fn push_argument<T>(arguments: &mut AnyArguments<'static>, value: T)
where
    T: 'static + sqlx::Encode<'static, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    let added = arguments.add(value);
    debug_assert!(added.is_ok());
}

/// `count` placeholders from number `first` on, comma-separated, for an
/// `IN (…)` list: `?, ?` on SQLite, `$3, $4` on PostgreSQL.
pub fn placeholder_list(engine: Engine, first: usize, count: usize) -> String {
    (0..count)
        .map(|index| engine.placeholder(first + index))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_number_their_parameters_on_postgres_only() {
        assert_eq!(
            values_sql(
                Engine::Postgres,
                "INSERT INTO t VALUES ",
                "(?, f(?), NULL)",
                2
            ),
            "INSERT INTO t VALUES ($1, f($2), NULL), ($3, f($4), NULL)"
        );
        assert_eq!(
            values_sql(Engine::Sqlite, "I ", "(?, ?, ?)", 2),
            "I (?, ?, ?), (?, ?, ?)"
        );
    }
}
