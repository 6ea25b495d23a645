//! Invoices by hand in the demo: the README's supplier (Hengxin, the first
//! demo company) also sells to customers outside Hanse and pays its rent,
//! so its invoices page has more than its market orders' invoices, one of
//! them paid by a bank transfer matched from a statement, one past due in
//! the aging with a credit note for goods returned, and the rent with its
//! receipt attached.

use std::collections::HashMap;

use anyhow::Context as _;
use books::{CreditNoteInput, InvoiceInput, InvoiceLineInput, MatchInput};

use super::money::DemoMember;

const DAY_SECONDS: i64 = 86_400;

/// The landlord's receipt attached to the rent's entry.
const RENT_RECEIPT: &str = include_str!("money/rent_receipt.txt");

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

/// Writes Hengxin's invoices by hand, once: a sale paid by bank (its
/// statement line matched), a sale 45 days past due and open less a credit
/// note, and a month's rent with its receipt.
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
    // Its payment came in by bank: the statement's line is matched to it;
    // the bank's fee beside it stays open for the member to book.
    let statement = format!(
        "date,amount,currency,reference,counterparty\n{},{},CNY,{} 货款,杭州西湖文创\n{},-25.00,CNY,跨行手续费 Bank fee,\n",
        day(5),
        kernel::Money::new(paid.gross_minor, kernel::Currency::CNY).decimal(),
        paid.number,
        day(5),
    );
    books
        .import_bank_statement(scope, None, &statement)
        .await
        .context("a demo bank statement")?;
    let lines = books
        .bank_lines(scope, None, kernel::PageRequest::first())
        .await?;
    let payment = lines
        .items
        .iter()
        .find(|line| line.suggested_invoice_id == Some(paid.id))
        .context("the statement's line suggests its invoice")?;
    books
        .match_bank_line(
            scope,
            payment.id,
            &MatchInput {
                invoice_id: paid.id,
            },
        )
        .await
        .context("its payment matched")?;
    let past_due = books
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
    // Six boxes came back dented: a credit note takes them off what is owed.
    books
        .create_credit_note(
            scope,
            past_due.id,
            &CreditNoteInput {
                date: day(60),
                memo: "6 盒运输破损退回 · 6 boxes returned damaged".to_owned(),
                lines: vec![line("退回礼盒 Gift boxes returned", 6, 8_800, 1_300)],
            },
        )
        .await
        .context("a demo credit note")?;
    // Rent is an administrative expense, not stock.
    let administrative = books
        .accounts(scope)
        .await?
        .into_iter()
        .find(|account| account.name_en == "Administrative expenses")
        .map(|account| account.id);
    let mut rent = line("仓库租金 Warehouse rent", 1, 1_200_000, 900);
    rent.account_id = administrative;
    let rent = books
        .create_invoice(
            scope,
            &invoice("purchase", "宁波保税区物流园", 10, vec![rent]),
        )
        .await
        .context("a demo purchase by hand")?;
    // The landlord's receipt, kept with the entry it backs.
    books
        .attach(
            scope,
            rent.entry_id,
            "租金收据 rent receipt.txt",
            "text/plain",
            RENT_RECEIPT.as_bytes(),
        )
        .await
        .context("a demo attachment")?;
    Ok(())
}
