//! Reading trade rows back into their types, in one place.

use kernel::{CompanyId, Currency, StorageError, Timestamp};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::model::*;

pub(crate) const ORDER_COLUMNS: &str = "company_id, id, seller_company_id, state, currency, goods_total_minor, shipping_fee_minor, total_minor, fee_bp, fee_minor, refunded_minor, delivery_address, buyer_note, seller_note, terms, cross_border, category_id, quotation_id, open_claim, confirmed_at, paid_at, shipped_at, delivered_at, completed_at, settled_at, closed_at, created_at, updated_at";

pub(crate) const LINE_COLUMNS: &str = "order_id, line_no, product_id, sku, title, quantity, unit, unit_price_minor, line_total_minor, stock";

fn corrupt(what: &'static str, value: impl std::fmt::Display) -> StorageError {
    StorageError::corrupt(what, value)
}

pub(crate) fn timestamp(row: &AnyRow, column: &str) -> Result<Timestamp, StorageError> {
    Ok(Timestamp::from_micros(row.try_get(column)?))
}

pub(crate) fn optional_timestamp(
    row: &AnyRow,
    column: &str,
) -> Result<Option<Timestamp>, StorageError> {
    Ok(row
        .try_get::<Option<i64>, _>(column)?
        .map(Timestamp::from_micros))
}

pub(crate) fn flag(row: &AnyRow, column: &str) -> Result<bool, StorageError> {
    Ok(row.try_get::<i64, _>(column)? != 0)
}

pub(crate) fn currency(row: &AnyRow) -> Result<Currency, StorageError> {
    let code: String = row.try_get("currency")?;
    code.parse().map_err(|_| corrupt("currency", code))
}

/// An order without its lines; `store` adds them.
pub(crate) fn order(row: &AnyRow) -> Result<Order, StorageError> {
    let state: String = row.try_get("state")?;
    Ok(Order {
        id: OrderId::from_raw(row.try_get("id")?),
        buyer: CompanyId::from_raw(row.try_get("company_id")?),
        seller: CompanyId::from_raw(row.try_get("seller_company_id")?),
        state: OrderState::parse(&state).ok_or_else(|| corrupt("order state", &state))?,
        currency: currency(row)?,
        lines: Vec::new(),
        goods_total_minor: row.try_get("goods_total_minor")?,
        shipping_fee_minor: row.try_get("shipping_fee_minor")?,
        total_minor: row.try_get("total_minor")?,
        fee_bp: row.try_get("fee_bp")?,
        fee_minor: row.try_get("fee_minor")?,
        refunded_minor: row.try_get("refunded_minor")?,
        delivery_address: row.try_get("delivery_address")?,
        buyer_note: row.try_get("buyer_note")?,
        seller_note: row.try_get("seller_note")?,
        terms: row.try_get("terms")?,
        cross_border: flag(row, "cross_border")?,
        category_id: market::CategoryId::from_raw(row.try_get("category_id")?),
        quotation_id: row
            .try_get::<Option<i64>, _>("quotation_id")?
            .map(market::QuotationId::from_raw),
        open_claim: flag(row, "open_claim")?,
        placed_at: timestamp(row, "created_at")?,
        confirmed_at: optional_timestamp(row, "confirmed_at")?,
        paid_at: optional_timestamp(row, "paid_at")?,
        shipped_at: optional_timestamp(row, "shipped_at")?,
        delivered_at: optional_timestamp(row, "delivered_at")?,
        completed_at: optional_timestamp(row, "completed_at")?,
        settled_at: optional_timestamp(row, "settled_at")?,
        closed_at: optional_timestamp(row, "closed_at")?,
        updated_at: timestamp(row, "updated_at")?,
    })
}

pub(crate) fn line(row: &AnyRow) -> Result<(OrderId, OrderLine), StorageError> {
    let stock: String = row.try_get("stock")?;
    let product: i64 = row.try_get("product_id")?;
    Ok((
        OrderId::from_raw(row.try_get("order_id")?),
        OrderLine {
            line_no: row.try_get("line_no")?,
            product_id: (product != 0).then(|| market::ProductId::from_raw(product)),
            sku: row.try_get("sku")?,
            title: row.try_get("title")?,
            quantity: row.try_get("quantity")?,
            unit: row.try_get("unit")?,
            unit_price_minor: row.try_get("unit_price_minor")?,
            line_total_minor: row.try_get("line_total_minor")?,
            stock: LineStock::parse(&stock).ok_or_else(|| corrupt("line stock", &stock))?,
        },
    ))
}

pub(crate) const REFUND_COLUMNS: &str =
    "id, order_id, amount_minor, reason, with_return, status, answer, answer_by, created_at";

pub(crate) fn refund(row: &AnyRow) -> Result<Refund, StorageError> {
    let status: String = row.try_get("status")?;
    Ok(Refund {
        id: RefundId::from_raw(row.try_get("id")?),
        order_id: OrderId::from_raw(row.try_get("order_id")?),
        amount_minor: row.try_get("amount_minor")?,
        reason: row.try_get("reason")?,
        with_return: flag(row, "with_return")?,
        status: RefundStatus::parse(&status).ok_or_else(|| corrupt("refund status", &status))?,
        answer: row.try_get("answer")?,
        answer_by: timestamp(row, "answer_by")?,
        created_at: timestamp(row, "created_at")?,
    })
}

pub(crate) const DISPUTE_COLUMNS: &str = "company_id, id, order_id, seller_company_id, opened_by_company_id, reason, status, to_buyer_minor, to_seller_minor, decision, decided_at, created_at";

pub(crate) fn dispute(row: &AnyRow) -> Result<Dispute, StorageError> {
    Ok(Dispute {
        id: DisputeId::from_raw(row.try_get("id")?),
        order_id: OrderId::from_raw(row.try_get("order_id")?),
        buyer: CompanyId::from_raw(row.try_get("company_id")?),
        seller: CompanyId::from_raw(row.try_get("seller_company_id")?),
        opened_by: CompanyId::from_raw(row.try_get("opened_by_company_id")?),
        reason: row.try_get("reason")?,
        status: row.try_get("status")?,
        to_buyer_minor: row.try_get("to_buyer_minor")?,
        to_seller_minor: row.try_get("to_seller_minor")?,
        decision: row.try_get("decision")?,
        decided_at: optional_timestamp(row, "decided_at")?,
        created_at: timestamp(row, "created_at")?,
    })
}
