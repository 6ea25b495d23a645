//! `/companies/{company_id}`: a company's storefront with its published
//! products, for anyone; and `/storefront/edit`, where a member keeps its own
//! storefront: profile, logo, photos, markets and certificates.

use askama::Template;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use kernel::CompanyId;
use market::{Product, Storefront, StorefrontInput};

use super::{
    FormError, FormFields, error_at, explain, image_url, parse_id, read_upload, upload_action,
    whole_number, with_status,
};
use crate::error::{ApiError, ErrorCode};
use crate::extract::auth::Member;
use crate::pages::{Shell, error_response, render};
use crate::pagination::{PageBody, page_of_size};
use crate::state::AppState;

/// Products on one page of a storefront.
const SHELF_PAGE_SIZE: u32 = 24;

/// A product as a card on a shelf or a list.
pub struct ProductCard {
    pub href: String,
    pub title: String,
    pub thumbnail: Option<String>,
    pub price: String,
    pub moq: i64,
    pub unit: String,
}

impl ProductCard {
    pub fn of(shell: &Shell, product: &Product) -> ProductCard {
        ProductCard {
            href: format!("/products/{}", product.id),
            title: product.title(shell.chinese()).to_owned(),
            thumbnail: product.images.first().map(|hash| image_url(hash, "thumb")),
            price: product
                .price_tiers
                .first()
                .map(|tier| super::money(tier.unit_price_minor, product.currency))
                .unwrap_or_default(),
            moq: product.moq,
            unit: product.unit.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "market/storefront.html")]
struct StorefrontPage<'a> {
    shell: &'a Shell,
    storefront: Storefront,
    logo: Option<String>,
    photos: Vec<(String, String)>,
    response_rate: Option<String>,
    products: Vec<ProductCard>,
    next_page: Option<String>,
    /// The viewer's own storefront: offer the editor.
    own: bool,
    /// A signed-in member of another company: offer to add it as a supplier.
    may_add_supplier: bool,
}

fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

pub async fn show(
    State(state): State<AppState>,
    shell: Shell,
    Path(company_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let result = async {
        let company_id: CompanyId = parse_id(&company_id)?;
        let storefront = state.market.storefront(company_id).await?;
        let cursor = query_value(query.as_deref(), "cursor");
        let page = page_of_size(SHELF_PAGE_SIZE, cursor.as_deref())?;
        let products: PageBody<Product> = state
            .market
            .published_products_of(company_id, page)
            .await?
            .into();
        Ok::<_, ApiError>((storefront, products))
    }
    .await;
    let (storefront, products) = match result {
        Ok(found) => found,
        Err(error) => return error_response(&shell, error),
    };
    let page = StorefrontPage {
        shell: &shell,
        logo: storefront
            .logo
            .as_deref()
            .map(|hash| image_url(hash, "thumb")),
        photos: storefront
            .photos
            .iter()
            .map(|hash| (image_url(hash, "medium"), image_url(hash, "thumb")))
            .collect(),
        response_rate: storefront.response_rate_bp.map(super::product::percent),
        products: products
            .items
            .iter()
            .map(|product| ProductCard::of(&shell, product))
            .collect(),
        next_page: products
            .next_cursor
            .map(|cursor| format!("/companies/{}?cursor={cursor}", storefront.company_id)),
        own: shell.active_company_id == Some(storefront.company_id),
        may_add_supplier: shell
            .active_company_id
            .is_some_and(|active| active != storefront.company_id),
        storefront,
    };
    render(&page)
}

/// The editor's fields as typed, so a refused form comes back as it was.
#[derive(Debug, Default, Clone)]
struct StorefrontForm {
    display_name: String,
    about: String,
    main_markets: String,
    certificates: String,
    year_founded: String,
    staff_size: String,
    province: String,
    city: String,
    logo: Option<String>,
    photos: Vec<String>,
}

impl StorefrontForm {
    fn of(storefront: &Storefront) -> StorefrontForm {
        StorefrontForm {
            display_name: storefront.display_name.clone(),
            about: storefront.about.clone(),
            main_markets: storefront.main_markets.join("\n"),
            certificates: storefront.certificates.join("\n"),
            year_founded: storefront
                .year_founded
                .map(|year| year.to_string())
                .unwrap_or_default(),
            staff_size: storefront.staff_size.clone(),
            province: storefront.province.clone(),
            city: storefront.city.clone(),
            logo: storefront.logo.clone(),
            photos: storefront.photos.clone(),
        }
    }

    fn from_fields(fields: &FormFields) -> StorefrontForm {
        let removed = fields.all("remove_photo");
        StorefrontForm {
            display_name: fields.get("display_name").to_owned(),
            about: fields.get("about").to_owned(),
            main_markets: fields.get("main_markets").to_owned(),
            certificates: fields.get("certificates").to_owned(),
            year_founded: fields.get("year_founded").to_owned(),
            staff_size: fields.get("staff_size").to_owned(),
            province: fields.get("province").to_owned(),
            city: fields.get("city").to_owned(),
            logo: Some(fields.get("logo").to_owned())
                .filter(|logo| !logo.is_empty() && !fields.checked("remove_logo")),
            photos: fields
                .all("photo")
                .into_iter()
                .filter(|photo| !removed.contains(photo))
                .map(str::to_owned)
                .collect(),
        }
    }

    fn input(&self) -> Result<StorefrontInput, ApiError> {
        let lines = |text: &str| -> Vec<String> {
            text.lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect()
        };
        Ok(StorefrontInput {
            display_name: self.display_name.clone(),
            about: self.about.clone(),
            logo: self.logo.clone(),
            photos: self.photos.clone(),
            main_markets: lines(&self.main_markets),
            certificates: lines(&self.certificates),
            year_founded: whole_number("year_founded", &self.year_founded)?,
            staff_size: self.staff_size.clone(),
            province: self.province.clone(),
            city: self.city.clone(),
        })
    }
}

#[derive(Template)]
#[template(path = "market/storefront_edit.html")]
struct EditorPage<'a> {
    shell: &'a Shell,
    company_id: CompanyId,
    form: StorefrontForm,
    action: String,
    error: Option<FormError>,
    notice: Option<String>,
}

impl EditorPage<'_> {
    fn error_at(&self, field: &str) -> &str {
        error_at(&self.error, field)
    }

    fn thumbnail(&self, hash: &str) -> String {
        image_url(hash, "thumb")
    }
}

fn editor_page(
    shell: &Shell,
    member: &Member,
    form: StorefrontForm,
    error: Option<ApiError>,
    notice: Option<String>,
) -> Response {
    let page = EditorPage {
        shell,
        company_id: member.scope.company_id(),
        form,
        action: upload_action(shell, "/storefront/edit"),
        error: error.as_ref().map(|error| explain(shell, error)),
        notice,
    };
    with_status(render(&page), error.as_ref())
}

pub async fn edit_form(shell: Shell, RawQuery(query): RawQuery) -> Response {
    let result = async {
        let member = shell.member().await?;
        let storefront = shell
            .state()
            .market
            .storefront(member.scope.company_id())
            .await?;
        Ok::<_, ApiError>((member, storefront))
    }
    .await;
    match result {
        Ok((member, storefront)) => {
            let notice = query_value(query.as_deref(), "notice")
                .filter(|notice| notice == "saved")
                .map(|_| shell.t("market-storefront-saved"));
            editor_page(
                &shell,
                &member,
                StorefrontForm::of(&storefront),
                None,
                notice,
            )
        }
        Err(error) => error_response(&shell, error),
    }
}

pub async fn update(
    State(state): State<AppState>,
    shell: Shell,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let member = match shell.member().await {
        Ok(member) => member,
        Err(error) => return error_response(&shell, error),
    };
    let upload = match multipart {
        Ok(multipart) => read_upload(multipart).await,
        Err(_) => Err(ApiError::new(
            ErrorCode::MalformedBody,
            "send the form as multipart/form-data",
        )),
    };
    let upload = match upload {
        Ok(upload) => upload,
        Err(error) => return error_response(&shell, error),
    };
    let mut form = StorefrontForm::from_fields(&upload.fields);
    let result = async {
        // Uploads first, so a refused form comes back with them kept.
        if let Some(bytes) = upload.files_named("logo_file").next() {
            let image = state
                .market
                .upload_image(&member.scope, bytes.clone())
                .await;
            form.logo = Some(image.map_err(|error| logo_error(error.into()))?.hash);
        }
        for bytes in upload.files_named("photo_files") {
            let image = state
                .market
                .upload_image(&member.scope, bytes.clone())
                .await?;
            if !form.photos.contains(&image.hash) {
                form.photos.push(image.hash);
            }
        }
        let input = form.input()?;
        state
            .market
            .update_storefront(&member.scope, &input)
            .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/storefront/edit?notice=saved").into_response(),
        Err(error) => editor_page(&shell, &member, form, Some(error), None),
    }
}

/// An image error of the logo upload is shown at the logo.
fn logo_error(error: ApiError) -> ApiError {
    match error.field.as_deref() {
        Some("image") => ApiError {
            field: Some("logo".to_owned()),
            ..error
        },
        _ => error,
    }
}
