//! Reading identity rows back into their types, in one place.

use kernel::{CompanyId, Role, StorageError, Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::fields::{CompanySize, Industry, Language};
use crate::model::{Company, User};

pub(crate) fn timestamp(row: &AnyRow, column: &str) -> Result<Timestamp, sqlx::Error> {
    Ok(Timestamp::from_micros(row.try_get(column)?))
}

pub(crate) fn optional_timestamp(
    row: &AnyRow,
    column: &str,
) -> Result<Option<Timestamp>, sqlx::Error> {
    Ok(row
        .try_get::<Option<i64>, _>(column)?
        .map(Timestamp::from_micros))
}

pub(crate) fn role(row: &AnyRow, column: &str) -> Result<Role, StorageError> {
    let text: String = row.try_get(column)?;
    Role::parse(&text).ok_or_else(|| StorageError::corrupt("role", text))
}

pub(crate) const USER_COLUMNS: &str =
    "id, email, display_name, mobile, language, time_zone, is_operator, created_at";

pub(crate) fn user(row: &AnyRow) -> Result<User, StorageError> {
    let language: String = row.try_get("language")?;
    Ok(User {
        id: UserId::from_raw(row.try_get("id")?),
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        mobile: row.try_get("mobile")?,
        language: Language::parse(&language)
            .ok_or_else(|| StorageError::corrupt("language", language))?,
        time_zone: row.try_get("time_zone")?,
        is_operator: row.try_get::<i64, _>("is_operator")? != 0,
        created_at: timestamp(row, "created_at")?,
    })
}

pub(crate) const COMPANY_COLUMNS: &str = "id, legal_name, credit_code, registration_number, country, region, city, address, industry, size, created_at";

pub(crate) fn company(row: &AnyRow) -> Result<Company, StorageError> {
    let industry: String = row.try_get("industry")?;
    let size: String = row.try_get("size")?;
    Ok(Company {
        id: CompanyId::from_raw(row.try_get("id")?),
        legal_name: row.try_get("legal_name")?,
        credit_code: row.try_get("credit_code")?,
        registration_number: row.try_get("registration_number")?,
        country: row.try_get("country")?,
        region: row.try_get("region")?,
        city: row.try_get("city")?,
        address: row.try_get("address")?,
        industry: Industry::parse(&industry)
            .map_err(|_| StorageError::corrupt("industry", industry))?,
        size: CompanySize::parse(&size).map_err(|_| StorageError::corrupt("size", size))?,
        created_at: timestamp(row, "created_at")?,
    })
}
