//! Registering a company, switching between one's companies, and the
//! company's API keys.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use identity::{ApiKey, ApiKeyId, ApiScope, CompanySize, Industry, NewApiKey, NewCompany};
use kernel::page::PageRequest;
use kernel::{CompanyId, Role};
use serde::Deserialize;

use super::{Shell, error_response, render};
use crate::error::{ApiError, ErrorCode};
use crate::extract::IdPath;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct CompanyForm {
    #[serde(default)]
    legal_name: String,
    #[serde(default)]
    credit_code: String,
    #[serde(default)]
    registration_number: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    size: String,
}

#[derive(Template)]
#[template(path = "company_new.html")]
struct NewCompanyPage<'a> {
    shell: &'a Shell,
    form: CompanyForm,
    error: Option<String>,
    industries: Vec<&'static str>,
    sizes: Vec<&'static str>,
}

fn new_company_page(shell: &Shell, form: CompanyForm, error: Option<String>) -> Response {
    render(&NewCompanyPage {
        shell,
        form,
        error,
        industries: Industry::ALL.iter().map(|i| i.as_str()).collect(),
        sizes: CompanySize::ALL.iter().map(|s| s.as_str()).collect(),
    })
}

pub async fn new_form(shell: Shell) -> Response {
    if let Err(error) = shell.signed_in() {
        return error_response(&shell, error);
    }
    let form = CompanyForm {
        country: "CN".to_owned(),
        size: "10-49".to_owned(),
        ..CompanyForm::default()
    };
    new_company_page(&shell, form, None)
}

fn to_new_company(form: &CompanyForm) -> Result<NewCompany, ApiError> {
    Ok(NewCompany {
        legal_name: form.legal_name.clone(),
        credit_code: Some(form.credit_code.clone()),
        registration_number: Some(form.registration_number.clone()),
        country: form.country.clone(),
        region: form.region.clone(),
        city: form.city.clone(),
        address: form.address.clone(),
        industry: Industry::parse(&form.industry)?,
        size: CompanySize::parse(&form.size)?,
    })
}

pub async fn create(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<CompanyForm>,
) -> Response {
    let result = async {
        let signed_in = shell.signed_in()?;
        let company = state
            .identity
            .register_company(signed_in.user.id, &to_new_company(&form)?)
            .await?;
        state
            .identity
            .switch_company(signed_in.user.id, signed_in.session_id, company.id)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/company/staff").into_response(),
        Err(error) if error.code == ErrorCode::Unauthenticated => error_response(&shell, error),
        Err(error) => {
            let message = shell.error_message(&error);
            let mut response = new_company_page(&shell, form, Some(message));
            *response.status_mut() = error.status();
            response
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct SwitchForm {
    company_id: CompanyId,
}

pub async fn switch(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<SwitchForm>,
) -> Response {
    let result = async {
        let signed_in = shell.signed_in()?;
        state
            .identity
            .switch_company(signed_in.user.id, signed_in.session_id, form.company_id)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/").into_response(),
        Err(error) => error_response(&shell, error),
    }
}

#[derive(Template)]
#[template(path = "api_keys.html")]
struct ApiKeysPage<'a> {
    shell: &'a Shell,
    keys: Vec<ApiKey>,
    manages: bool,
    roles: Vec<&'static str>,
    scopes: Vec<&'static str>,
    new_secret: Option<String>,
    error: Option<String>,
}

async fn api_keys_page(
    shell: &Shell,
    new_secret: Option<String>,
    error: Option<ApiError>,
) -> Response {
    let member = match shell.member().await {
        Ok(member) => member,
        Err(error) => return error_response(shell, error),
    };
    match shell
        .state()
        .identity
        .api_keys(&member.scope, PageRequest::new(None, Some(200)))
        .await
    {
        Ok(page) => {
            let mut response = render(&ApiKeysPage {
                shell,
                keys: page.items,
                manages: member.scope.role().manages_company(),
                roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
                scopes: ApiScope::ALL.iter().map(|s| s.as_str()).collect(),
                new_secret,
                error: error.as_ref().map(|e| shell.error_message(e)),
            });
            if let Some(error) = error {
                *response.status_mut() = error.status();
            }
            response
        }
        Err(error) => error_response(shell, error.into()),
    }
}

pub async fn api_keys(shell: Shell) -> Response {
    api_keys_page(&shell, None, None).await
}

#[derive(Debug, Deserialize)]
pub struct ApiKeyForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    /// Repeated checkbox values.
    #[serde(default)]
    scopes: Vec<String>,
}

pub async fn create_api_key(
    State(state): State<AppState>,
    shell: Shell,
    Form(form): Form<ApiKeyForm>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let role = Role::parse(&form.role)
            .ok_or_else(|| ApiError::field(ErrorCode::InvalidField, "role", "choose a role"))?;
        let scopes = form
            .scopes
            .iter()
            .map(|s| {
                ApiScope::parse(s).ok_or_else(|| {
                    ApiError::field(ErrorCode::InvalidField, "scopes", "unknown scope")
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let new_key = NewApiKey {
            name: form.name.clone(),
            role,
            scopes,
        };
        let (_, secret) = state
            .identity
            .create_api_key(&member.scope, &new_key)
            .await?;
        Ok::<_, ApiError>(secret)
    }
    .await;
    match result {
        Ok(secret) => api_keys_page(&shell, Some(secret), None).await,
        Err(error) => api_keys_page(&shell, None, Some(error)).await,
    }
}

pub async fn revoke_api_key(
    State(state): State<AppState>,
    shell: Shell,
    IdPath(id): IdPath<ApiKeyId>,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        state.identity.revoke_api_key(&member.scope, id).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/company/api-keys").into_response(),
        Err(error) => error_response(&shell, error),
    }
}
