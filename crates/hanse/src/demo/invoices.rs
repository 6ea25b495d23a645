//! Invoices by hand in the demo: the README's supplier (Hengxin, the first
//! demo company) also sells to customers outside Hanse and pays its rent,
//! so its invoices page has more than its market orders' invoices, one of
//! them paid by bank transfer and one past due in the aging.

use std::collections::HashMap;

use anyhow::Context as _;
use books::{InvoiceInput, InvoiceLineInput, PaymentInput};

use super::money::DemoMember;

const DAY_SECONDS: i64 = 86_400;

fn line(description: &str, quantity: i64, price: i64, rate: i64) -> InvoiceLineInput {
    InvoiceLineInput {
        description: description.to_owned(),
        quantity,
        unit: String::new(),
        unit_price_minor: price,
        vat_rate_bp: rate,
        account_id: None,
    }
}

/// Writes Hengxin's invoices by hand, once: a sale paid
/// by bank, a sale 45 days past due and open, and a month's rent.
pub(super) async fn invoices_by_hand(
    services: &web::Services,
    members: &HashMap<&'static str, DemoMember>,
    clock: std::sync::Arc<dyn kernel::Clock>,
) -> anyhow::Result<()> {
    let books = books::Books::new(services.db.clone(), clock.clone(), services.pay.clone());
    // The README's supplier, whom a newcomer signs in as first.
    let Some(member) = members.get(super::DEMO_COMPANIES[0].legal_name) else {
        return Ok(());
    };
    let scope = &member.owner_scope;
    let day =
        |days_ago: i64| books::period::day_of(clock.now().plus_seconds(-days_ago * DAY_SECONDS));
    let invoice = |kind: &str, party: &str, days_ago: i64, lines| InvoiceInput {
        kind: kind.to_owned(),
        counterparty_name: party.to_owned(),
        date: day(days_ago),
        due_date: None,
        currency: "CNY".to_owned(),
        memo: String::new(),
        lines,
    };
    let paid = books
        .create_invoice(
            scope,
            &invoice(
                "sales",
                "杭州西湖文创礼品有限公司",
                20,
                vec![
                    line("定制刻字 Custom engraving", 400, 350, 1_300),
                    line("包装设计服务 Packaging design", 1, 180_000, 600),
                ],
            ),
        )
        .await
        .context("a demo sale by hand")?;
    books
        .record_payment(
            scope,
            paid.id,
            &PaymentInput {
                date: day(5),
                amount_minor: paid.gross_minor,
                account_id: None,
                reference: "ICBC 20261128-0571".to_owned(),
            },
        )
        .await
        .context("its payment by bank")?;
    books
        .create_invoice(
            scope,
            &invoice(
                "sales",
                "苏州工业园区员工福利社",
                75,
                vec![line("员工节日礼盒 Staff gift boxes", 120, 8_800, 1_300)],
            ),
        )
        .await
        .context("a demo sale past due")?;
    // Rent is an administrative expense, not stock.
    let administrative = books
        .accounts(scope)
        .await?
        .into_iter()
        .find(|account| account.name_en == "Administrative expenses")
        .map(|account| account.id);
    let mut rent = line("仓库租金 Warehouse rent", 1, 1_200_000, 900);
    rent.account_id = administrative;
    books
        .create_invoice(
            scope,
            &invoice("purchase", "宁波保税区物流园", 10, vec![rent]),
        )
        .await
        .context("a demo purchase by hand")?;
    Ok(())
}
