//! Events the marketplace publishes to the outbox. Search keeps its index
//! from them; trade turns an accepted quotation into an order; chat and the
//! suppliers' inboxes hear about buying requests.

use kernel::outbox::Event;
use kernel::{CompanyId, Currency};
use serde::{Deserialize, Serialize};

use crate::model::{
    CategoryId, PriceTier, ProductId, ProductStatus, QuotationId, RfqId, ShippingTerms,
};

/// A product went on the market (first time or again).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProductPublished {
    pub product_id: ProductId,
    pub company_id: CompanyId,
}

impl Event for ProductPublished {
    const NAME: &'static str = "ProductPublished";
    const VERSION: i64 = 1;
}

/// A product was created, edited, unlisted or returned to draft.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProductChanged {
    pub product_id: ProductId,
    pub company_id: CompanyId,
    pub status: ProductStatus,
}

impl Event for ProductChanged {
    const NAME: &'static str = "ProductChanged";
    const VERSION: i64 = 1;
}

/// What buyers see of a company changed: its name, place, verification.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StorefrontChanged {
    pub company_id: CompanyId,
}

impl Event for StorefrontChanged {
    const NAME: &'static str = "StorefrontChanged";
    const VERSION: i64 = 1;
}

/// A buyer posted a buying request; `matched_suppliers` were told.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RfqPosted {
    pub rfq_id: RfqId,
    pub company_id: CompanyId,
    pub category_id: CategoryId,
    pub matched_suppliers: Vec<CompanyId>,
}

impl Event for RfqPosted {
    const NAME: &'static str = "RfqPosted";
    const VERSION: i64 = 1;
}

/// A buying request stopped taking quotations: awarded or closed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RfqClosed {
    pub rfq_id: RfqId,
    pub company_id: CompanyId,
}

impl Event for RfqClosed {
    const NAME: &'static str = "RfqClosed";
    const VERSION: i64 = 1;
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuotationSent {
    pub quotation_id: QuotationId,
    pub rfq_id: RfqId,
    pub supplier_company_id: CompanyId,
    pub buyer_company_id: CompanyId,
}

impl Event for QuotationSent {
    const NAME: &'static str = "QuotationSent";
    const VERSION: i64 = 1;
}

/// The buyer accepted a quotation: everything trade needs to open the order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuotationAccepted {
    pub quotation_id: QuotationId,
    pub rfq_id: RfqId,
    pub supplier_company_id: CompanyId,
    pub buyer_company_id: CompanyId,
    pub title: String,
    pub quantity: i64,
    pub unit: String,
    pub price_tiers: Vec<PriceTier>,
    pub currency: Currency,
    pub lead_time_days: i64,
    pub shipping_terms: ShippingTerms,
}

impl Event for QuotationAccepted {
    const NAME: &'static str = "QuotationAccepted";
    const VERSION: i64 = 1;
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuotationDeclined {
    pub quotation_id: QuotationId,
    pub rfq_id: RfqId,
    pub supplier_company_id: CompanyId,
    pub buyer_company_id: CompanyId,
    pub reason: String,
}

impl Event for QuotationDeclined {
    const NAME: &'static str = "QuotationDeclined";
    const VERSION: i64 = 1;
}
