//! The marketplace API: search, categories, products, storefronts, images,
//! buying requests and quotations.

pub mod catalog;
pub mod images;
pub mod quotations;
pub mod rfqs;
pub mod search;
pub mod storefronts;
