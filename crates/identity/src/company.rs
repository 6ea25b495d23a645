//! Registering a company, reading it, and the companies a person belongs to.

use kernel::page::{Page, PageRequest};
use kernel::{CompanyId, Role, Scope, UserId, outbox};
use serde::Deserialize;
use sqlx::Row;

use crate::credit_code::CreditCode;
use crate::error::{IdentityError, Result};
use crate::events::CompanyRegistered;
use crate::fields::{CompanySize, Industry, optional_text, parse_country, required_text};
use crate::model::{Company, CompanyMembership, MembershipId};
use crate::{Identity, rows};

/// What an owner gives to register a company.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCompany {
    pub legal_name: String,
    /// Required for companies registered in China (country `CN`).
    #[serde(default)]
    pub credit_code: Option<String>,
    /// For companies registered elsewhere, e.g. `HRB 12345`.
    #[serde(default)]
    pub registration_number: Option<String>,
    /// ISO 3166-1 alpha-2, e.g. `CN`, `DE`.
    pub country: String,
    /// Province, state or region, e.g. 浙江省 or Hamburg.
    pub region: String,
    pub city: String,
    pub address: String,
    pub industry: Industry,
    pub size: CompanySize,
}

struct ValidCompany {
    legal_name: String,
    credit_code: Option<CreditCode>,
    registration_number: Option<String>,
    country: String,
    region: String,
    city: String,
    address: String,
}

fn validate(new: &NewCompany) -> Result<ValidCompany> {
    let legal_name = required_text("legal_name", &new.legal_name, 200)?;
    let country = parse_country(&new.country)?;
    let credit_code = match optional_text("credit_code", new.credit_code.as_deref(), 32)? {
        Some(text) => Some(CreditCode::parse(&text).map_err(|e| {
            IdentityError::invalid("credit_code", "invalid_credit_code", e.to_string())
        })?),
        None if country == "CN" => {
            return Err(IdentityError::invalid(
                "credit_code",
                "required",
                "companies registered in China give their unified social credit code",
            ));
        }
        None => None,
    };
    Ok(ValidCompany {
        legal_name,
        credit_code,
        registration_number: optional_text(
            "registration_number",
            new.registration_number.as_deref(),
            64,
        )?,
        country,
        region: required_text("region", &new.region, 100)?,
        city: required_text("city", &new.city, 100)?,
        address: required_text("address", &new.address, 300)?,
    })
}

impl Identity {
    /// Registers a company with `owner` as its first owner, in one transaction
    /// with the `CompanyRegistered` event.
    pub async fn register_company(&self, owner: UserId, new: &NewCompany) -> Result<Company> {
        let valid = validate(new)?;
        let now = self.clock.now();
        let company = Company {
            id: CompanyId::new(),
            legal_name: valid.legal_name,
            credit_code: valid.credit_code.map(|code| code.to_string()),
            registration_number: valid.registration_number,
            country: valid.country,
            region: valid.region,
            city: valid.city,
            address: valid.address,
            industry: new.industry,
            size: new.size,
            created_at: now,
        };
        let mut tx = self.db.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO identity_company (id, legal_name, credit_code, registration_number, country, region, city, address, industry, size, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) ON CONFLICT (credit_code) DO NOTHING",
        )
        .bind(company.id)
        .bind(&company.legal_name)
        .bind(company.credit_code.as_deref())
        .bind(company.registration_number.as_deref())
        .bind(&company.country)
        .bind(&company.region)
        .bind(&company.city)
        .bind(&company.address)
        .bind(company.industry.as_str())
        .bind(company.size.as_str())
        .bind(now.micros())
        .execute(tx.conn())
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(IdentityError::CreditCodeTaken);
        }
        sqlx::query(
            "INSERT INTO identity_membership (company_id, id, user_id, role, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(company.id)
        .bind(MembershipId::new())
        .bind(owner)
        .bind(Role::Owner.as_str())
        .bind(now.micros())
        .execute(tx.conn())
        .await?;
        let event = CompanyRegistered {
            company_id: company.id,
            legal_name: company.legal_name.clone(),
            country: company.country.clone(),
            region: company.region.clone(),
            city: company.city.clone(),
            size: company.size.as_str().to_owned(),
            owner,
        };
        outbox::append(&mut tx, &event, Some(company.id), now).await?;
        tx.commit().await?;
        Ok(company)
    }

    /// The scope's own company.
    pub async fn company(&self, scope: &Scope) -> Result<Company> {
        self.company_by_id(scope.company_id()).await
    }

    /// The companies a person belongs to, with the role in each.
    pub async fn companies_of(&self, user: UserId) -> Result<Vec<CompanyMembership>> {
        let rows = sqlx::query(
            "SELECT m.company_id, m.role, c.legal_name FROM identity_membership m
             JOIN identity_company c ON c.id = m.company_id
             WHERE m.user_id = $1 ORDER BY c.legal_name LIMIT 500",
        )
        .bind(user)
        .fetch_all(self.db.reader())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(CompanyMembership {
                    company_id: CompanyId::from_raw(row.try_get("company_id")?),
                    legal_name: row.try_get("legal_name")?,
                    role: rows::role(row, "role")?,
                })
            })
            .collect()
    }

    /// The person's role in the company, or `None` if not on its staff.
    pub async fn role_in(&self, user: UserId, company: CompanyId) -> Result<Option<Role>> {
        let row = sqlx::query(
            "SELECT role FROM identity_membership WHERE company_id = $1 AND user_id = $2",
        )
        .bind(company)
        .bind(user)
        .fetch_optional(self.db.reader())
        .await?;
        Ok(row
            .as_ref()
            .map(|row| rows::role(row, "role"))
            .transpose()?)
    }

    /// Every company, for the operator, oldest first.
    pub async fn all_companies(&self, page: PageRequest) -> Result<Page<Company>> {
        let rows = sqlx::query(&format!(
            "SELECT {} FROM identity_company WHERE id > $1 ORDER BY id LIMIT $2",
            rows::COMPANY_COLUMNS
        ))
        .bind(page.after_raw())
        .bind(page.fetch_limit())
        .fetch_all(self.db.reader())
        .await?;
        let companies = rows
            .iter()
            .map(rows::company)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_rows(companies, page, |company| company.id.raw()))
    }

    pub async fn company_by_credit_code(&self, code: &str) -> Result<Option<Company>> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM identity_company WHERE credit_code = $1",
            rows::COMPANY_COLUMNS
        ))
        .bind(code)
        .fetch_optional(self.db.reader())
        .await?;
        Ok(row.as_ref().map(rows::company).transpose()?)
    }

    /// Finds a company by its legal name (used to keep the demo idempotent).
    pub async fn company_by_legal_name(&self, legal_name: &str) -> Result<Option<Company>> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM identity_company WHERE legal_name = $1 LIMIT 1",
            rows::COMPANY_COLUMNS
        ))
        .bind(legal_name)
        .fetch_optional(self.db.reader())
        .await?;
        Ok(row.as_ref().map(rows::company).transpose()?)
    }

    async fn company_by_id(&self, id: CompanyId) -> Result<Company> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM identity_company WHERE id = $1",
            rows::COMPANY_COLUMNS
        ))
        .bind(id)
        .fetch_optional(self.db.reader())
        .await?
        .ok_or(IdentityError::NotFound("company"))?;
        Ok(rows::company(&row)?)
    }
}
