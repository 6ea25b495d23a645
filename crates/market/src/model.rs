//! The records of the marketplace, as the rest of Hanse sees them.

use std::collections::BTreeMap;

use kernel::{CompanyId, Currency, Timestamp, define_id};
use serde::{Deserialize, Serialize};

define_id!(
    /// A node of the operator's category tree.
    CategoryId,
    "cat"
);
define_id!(
    /// A product a member offers.
    ProductId,
    "prd"
);
define_id!(
    /// A buying request (request for quotation).
    RfqId,
    "rfq"
);
define_id!(
    /// A supplier's answer to a buying request.
    QuotationId,
    "quo"
);

/// How an attribute's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttributeKind {
    Text,
    /// A decimal number, in `unit` when one is given.
    Number,
    /// One of `choices`.
    Choice,
}

/// One attribute a category asks its products to describe, e.g. material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttributeSpec {
    /// Stable and ASCII, e.g. `material`; the key in a product's attributes.
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: AttributeKind,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub choices: Vec<String>,
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Category {
    pub id: CategoryId,
    pub parent_id: Option<CategoryId>,
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub position: i64,
    pub attributes: Vec<AttributeSpec>,
}

/// A storefront: the company as buyers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Storefront {
    pub company_id: CompanyId,
    pub display_name: String,
    pub about: String,
    /// Content hash of the logo image.
    pub logo: Option<String>,
    pub photos: Vec<String>,
    pub main_markets: Vec<String>,
    pub certificates: Vec<String>,
    pub year_founded: Option<i64>,
    pub staff_size: String,
    pub country: String,
    pub province: String,
    pub city: String,
    /// Basis points of inquiries answered within a day, once chat measures it.
    pub response_rate_bp: Option<i64>,
    pub verified: bool,
    pub quotation_quota_monthly: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    /// Seen by its own company only.
    Draft,
    /// On the market and in search.
    Published,
    /// Taken off the market; seen by its own company only.
    Unlisted,
}

impl ProductStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProductStatus::Draft => "draft",
            ProductStatus::Published => "published",
            ProductStatus::Unlisted => "unlisted",
        }
    }

    pub fn parse(text: &str) -> Option<ProductStatus> {
        match text {
            "draft" => Some(ProductStatus::Draft),
            "published" => Some(ProductStatus::Published),
            "unlisted" => Some(ProductStatus::Unlisted),
            _ => None,
        }
    }
}

/// From `min_quantity` units on, each costs `unit_price_minor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PriceTier {
    pub min_quantity: i64,
    pub unit_price_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Product {
    pub id: ProductId,
    pub company_id: CompanyId,
    pub sku: String,
    pub category_id: CategoryId,
    pub title_zh: String,
    pub title_en: String,
    pub description: String,
    pub attributes: BTreeMap<String, String>,
    /// The unit of sale, e.g. `piece`, `carton`, `kg`.
    pub unit: String,
    pub moq: i64,
    /// Ascending by quantity; the first starts at the MOQ.
    pub price_tiers: Vec<PriceTier>,
    pub currency: Currency,
    pub lead_time_days: i64,
    /// Place of origin, e.g. `Yiwu, Zhejiang`.
    pub origin: String,
    /// Units on hand to sell; trade reserves against it.
    pub available_quantity: i64,
    /// The available quantity is the free stock of an item of the seller's
    /// supply chain (kept there, not here); the product's own quantity is
    /// then not used.
    #[serde(default)]
    pub stock_linked: bool,
    /// Content hashes of the images, the first is the main one.
    pub images: Vec<String>,
    pub status: ProductStatus,
    pub published_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Product {
    /// The title in the reader's language, or the other one when it is empty.
    pub fn title(&self, chinese_first: bool) -> &str {
        let (first, second) = if chinese_first {
            (&self.title_zh, &self.title_en)
        } else {
            (&self.title_en, &self.title_zh)
        };
        if first.is_empty() { second } else { first }
    }

    /// The unit price when buying `quantity`, or `None` below the MOQ.
    pub fn unit_price_minor_at(&self, quantity: i64) -> Option<i64> {
        crate::price::unit_price_at(&self.price_tiers, quantity)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RfqStatus {
    /// Taking quotations until `valid_until`.
    Open,
    /// A quotation was accepted.
    Awarded,
    /// Closed by the buyer without an award.
    Closed,
}

impl RfqStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RfqStatus::Open => "open",
            RfqStatus::Awarded => "awarded",
            RfqStatus::Closed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<RfqStatus> {
        match text {
            "open" => Some(RfqStatus::Open),
            "awarded" => Some(RfqStatus::Awarded),
            "closed" => Some(RfqStatus::Closed),
            _ => None,
        }
    }
}

/// A buying request. On the public board `company_id` is hidden unless the
/// buyer allowed it (`show_company`); see [`crate::PublicRfq`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Rfq {
    pub id: RfqId,
    pub company_id: CompanyId,
    pub title: String,
    pub category_id: CategoryId,
    pub quantity: i64,
    pub unit: String,
    pub target_price_minor: Option<i64>,
    pub currency: Currency,
    pub deliver_by: Option<Timestamp>,
    pub destination: String,
    pub details: String,
    pub valid_until: Timestamp,
    pub show_company: bool,
    pub status: RfqStatus,
    pub created_at: Timestamp,
}

/// A buying request as the public board shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PublicRfq {
    #[serde(flatten)]
    pub rfq: RfqSummary,
    /// The buyer's name when the buyer allowed it.
    pub buyer_name: Option<String>,
    pub buyer_company_id: Option<CompanyId>,
    pub buyer_country: String,
    pub quotation_count: i64,
}

/// The fields of a buying request anyone may read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RfqSummary {
    pub id: RfqId,
    pub title: String,
    pub category_id: CategoryId,
    pub quantity: i64,
    pub unit: String,
    pub target_price_minor: Option<i64>,
    pub currency: Currency,
    pub deliver_by: Option<Timestamp>,
    pub destination: String,
    pub details: String,
    pub valid_until: Timestamp,
    pub status: RfqStatus,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuotationStatus {
    Sent,
    Accepted,
    Declined,
}

impl QuotationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            QuotationStatus::Sent => "sent",
            QuotationStatus::Accepted => "accepted",
            QuotationStatus::Declined => "declined",
        }
    }

    pub fn parse(text: &str) -> Option<QuotationStatus> {
        match text {
            "sent" => Some(QuotationStatus::Sent),
            "accepted" => Some(QuotationStatus::Accepted),
            "declined" => Some(QuotationStatus::Declined),
            _ => None,
        }
    }
}

/// Who pays for carriage and bears risk, as Incoterms 2020 name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum ShippingTerms {
    Exw,
    Fca,
    Fob,
    Cfr,
    Cif,
    Dap,
    Ddp,
}

impl ShippingTerms {
    pub const ALL: [ShippingTerms; 7] = [
        ShippingTerms::Exw,
        ShippingTerms::Fca,
        ShippingTerms::Fob,
        ShippingTerms::Cfr,
        ShippingTerms::Cif,
        ShippingTerms::Dap,
        ShippingTerms::Ddp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ShippingTerms::Exw => "EXW",
            ShippingTerms::Fca => "FCA",
            ShippingTerms::Fob => "FOB",
            ShippingTerms::Cfr => "CFR",
            ShippingTerms::Cif => "CIF",
            ShippingTerms::Dap => "DAP",
            ShippingTerms::Ddp => "DDP",
        }
    }

    pub fn parse(text: &str) -> Option<ShippingTerms> {
        ShippingTerms::ALL
            .into_iter()
            .find(|terms| terms.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Quotation {
    pub id: QuotationId,
    /// The supplier who quotes.
    pub company_id: CompanyId,
    pub supplier_name: String,
    pub supplier_verified: bool,
    pub rfq_id: RfqId,
    pub buyer_company_id: CompanyId,
    pub price_tiers: Vec<PriceTier>,
    pub currency: Currency,
    pub quantity: i64,
    pub lead_time_days: i64,
    pub shipping_terms: ShippingTerms,
    pub valid_until: Timestamp,
    pub message: String,
    pub status: QuotationStatus,
    pub decline_reason: Option<String>,
    pub created_at: Timestamp,
}

impl Quotation {
    /// The total for the quoted quantity at its tier, if it does not overflow.
    pub fn total_minor(&self) -> Option<i64> {
        crate::price::unit_price_at(&self.price_tiers, self.quantity)?.checked_mul(self.quantity)
    }
}

/// How many quotations a supplier has sent this month, of how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct QuotaStatus {
    pub month: String,
    pub quota: i64,
    pub used: i64,
}

/// A stored image: its content hash and what decoding it showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImageRef {
    pub hash: String,
    /// `jpeg`, `png` or `webp`.
    pub format: String,
    pub width: u32,
    pub height: u32,
    pub size_bytes: u64,
}
