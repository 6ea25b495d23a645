//! Every demo company's books open before the history, as a company that
//! joins Hanse brings its balance sheet: the bank holds the money it will
//! pay into its wallets, and a Chinese supplier's opening stock is its
//! inventory, both the owners' capital. So the cost of the goods shipped
//! comes out of inventory the books have, and no bank account runs below
//! zero from the top-ups. A company bringing other currencies than the yuan
//! books them at the platform's reference rates.

use std::collections::HashMap;

use anyhow::Context as _;
use kernel::Money;

use super::every_page;
use super::money::{DemoMember, collected_top_ups};

/// Imports each demo company's opening balances on the history's first day.
pub(super) async fn open_books(
    services: &web::Services,
    members: &HashMap<&'static str, DemoMember>,
    clock: std::sync::Arc<dyn kernel::Clock>,
) -> anyhow::Result<()> {
    let books = books::Books::new(services.db.clone(), clock.clone(), services.pay.clone());
    let scm = scm::Scm::new(services.db.clone(), clock.clone(), services.market.clone());
    let today = books::period::day_of(clock.now());
    let mut names: Vec<&&'static str> = members.keys().collect();
    names.sort();
    for name in names {
        let scope = &members[*name].owner_scope;
        let bank = collected_top_ups(name)?;
        let mut stock: Vec<Money> = Vec::new();
        for item in every_page(|page| scm.items(scope, page)).await? {
            match stock
                .iter_mut()
                .find(|sum| sum.currency == item.cost_currency)
            {
                Some(sum) => sum.minor += item.stock_value_minor,
                None => stock.push(Money::new(item.stock_value_minor, item.cost_currency)),
            }
        }
        let accounts = books.accounts(scope).await?;
        let code_of = |role| {
            accounts
                .iter()
                .find(|account| account.role == Some(role))
                .map(|account| account.code.clone())
                .context("every chart has every role")
        };
        let (bank_code, inventory_code, capital_code) = (
            code_of(books::AccountRole::Bank)?,
            code_of(books::AccountRole::Inventory)?,
            code_of(books::AccountRole::Capital)?,
        );
        let mut csv = String::from("account_code,currency,debit,credit\n");
        let mut capital: Vec<Money> = Vec::new();
        let assets = bank
            .iter()
            .map(|money| (&bank_code, money))
            .chain(stock.iter().map(|money| (&inventory_code, money)));
        for (code, money) in assets.filter(|(_, money)| money.minor > 0) {
            let currency = money.currency;
            csv.push_str(&format!("{code},{currency},{},\n", money.decimal()));
            match capital.iter_mut().find(|sum| sum.currency == currency) {
                Some(sum) => sum.minor += money.minor,
                None => capital.push(*money),
            }
        }
        if capital.is_empty() {
            continue;
        }
        for money in &capital {
            csv.push_str(&format!(
                "{capital_code},{},,{}\n",
                money.currency,
                money.decimal()
            ));
        }
        // The rates of the currencies it brings, booked in yuan.
        for money in &capital {
            if money.currency == kernel::Currency::CNY {
                continue;
            }
            let rate = books::reference_rate_decimal(money.currency, kernel::Currency::CNY)
                .with_context(|| format!("a reference rate for {}", money.currency))?;
            let input = books::RateInput {
                currency: money.currency.code().to_owned(),
                date: today.clone(),
                rate,
            };
            books.set_exchange_rate(scope, &input).await?;
        }
        books
            .import_opening_balances(scope, &today, &csv)
            .await
            .with_context(|| format!("the opening balances of {name}"))?;
    }
    Ok(())
}
