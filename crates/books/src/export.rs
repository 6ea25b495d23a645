//! Every report and the journal as CSV, as a spreadsheet opens it: a header
//! row, account names in both languages, amounts as decimals with the
//! currency's own digits (never floats), and the report's totals as the last
//! rows.

use std::collections::BTreeMap;

use kernel::page::{PAGE_SIZE_MAX, PageRequest};
use kernel::{Currency, Money, Scope};

use crate::entry::EntryFilter;
use crate::error::Result;
use crate::general_ledger::GeneralLedger;
use crate::model::Account;
use crate::reports::{
    AccountBalance, BalanceLine, BalanceSheet, ProfitAndLoss, ProfitLine, TrialBalance,
};
use crate::{Books, BooksError};

/// Entries one journal export holds at most; a longer journal is exported a
/// period at a time.
pub const JOURNAL_CSV_ENTRIES_MAX: usize = 20_000;

/// Rows written into a CSV held in memory.
struct Sheet(csv::Writer<Vec<u8>>);

impl Sheet {
    fn new(header: &[&str]) -> Sheet {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        // Writing into a Vec cannot fail.
        let _ = writer.write_record(header);
        Sheet(writer)
    }

    fn row<I, T>(&mut self, cells: I)
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let _ = self.0.write_record(cells);
    }

    fn finish(self) -> String {
        let bytes = self.0.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

fn amount(minor: i64, currency: kernel::Currency) -> String {
    Money::new(minor, currency).decimal()
}

const BALANCE_HEADER: [&str; 10] = [
    "code",
    "name_zh",
    "name_en",
    "kind",
    "currency",
    "debit",
    "credit",
    "balance",
    "functional_currency",
    "functional_balance",
];

/// An account's row: its amounts in its currency, and its balance's value
/// in the functional currency.
fn balance_row(sheet: &mut Sheet, line: &AccountBalance, functional: Currency) {
    sheet.row([
        line.code.clone(),
        line.name_zh.clone(),
        line.name_en.clone(),
        line.kind.code().to_owned(),
        line.currency.code().to_owned(),
        amount(line.debit_minor, line.currency),
        amount(line.credit_minor, line.currency),
        amount(line.balance_minor, line.currency),
        functional.code().to_owned(),
        amount(line.functional_balance_minor, functional),
    ]);
}

/// Which columns a total row fills: one currency's balance, or all
/// currencies together in the functional columns.
#[derive(Clone, Copy)]
enum TotalOf {
    Currency(Currency),
    Functional(Currency),
}

/// A report's sums as rows after its accounts: the code, the name in both
/// languages and the amount in the balance column of its currency, or in
/// the functional one.
fn total_rows<const N: usize>(
    sheet: &mut Sheet,
    of: TotalOf,
    totals: [(&str, &str, &str, i64); N],
) {
    for (code, zh, en, minor) in totals {
        let cells: [String; 6] = match of {
            TotalOf::Currency(currency) => [
                currency.code().to_owned(),
                String::new(),
                String::new(),
                amount(minor, currency),
                String::new(),
                String::new(),
            ],
            TotalOf::Functional(currency) => [
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                currency.code().to_owned(),
                amount(minor, currency),
            ],
        };
        sheet.row(
            [code, zh, en, ""]
                .into_iter()
                .map(str::to_owned)
                .chain(cells),
        );
    }
}

/// The trial balance, with a total row per currency and one of the
/// functional values.
pub fn trial_balance_csv(report: &TrialBalance) -> String {
    let functional = report.functional_totals.currency;
    let mut sheet = Sheet::new(&BALANCE_HEADER);
    for line in &report.lines {
        balance_row(&mut sheet, line, functional);
    }
    for total in &report.totals {
        let currency = total.currency;
        sheet.row([
            "total",
            "合计",
            "Total",
            "",
            currency.code(),
            &amount(total.debit_minor, currency),
            &amount(total.credit_minor, currency),
            "",
            "",
            "",
        ]);
    }
    let totals = &report.functional_totals;
    total_rows(
        &mut sheet,
        TotalOf::Functional(functional),
        [
            ("debits", "借方合计", "Debits", totals.debit_minor),
            ("credits", "贷方合计", "Credits", totals.credit_minor),
        ],
    );
    sheet.finish()
}

fn profit_rows(sheet: &mut Sheet, of: TotalOf, total: &ProfitLine) {
    total_rows(
        sheet,
        of,
        [
            ("revenue", "收入合计", "Revenue", total.revenue_minor),
            ("expenses", "费用合计", "Expenses", total.expenses_minor),
            ("profit", "利润", "Profit", total.profit_minor),
        ],
    );
}

/// Profit and loss: the revenue and expense accounts, then revenue,
/// expenses and profit per currency and in the functional currency.
pub fn profit_and_loss_csv(report: &ProfitAndLoss) -> String {
    let functional = report.functional_total.currency;
    let mut sheet = Sheet::new(&BALANCE_HEADER);
    for line in &report.lines {
        balance_row(&mut sheet, line, functional);
    }
    for total in &report.totals {
        profit_rows(&mut sheet, TotalOf::Currency(total.currency), total);
    }
    profit_rows(
        &mut sheet,
        TotalOf::Functional(functional),
        &report.functional_total,
    );
    sheet.finish()
}

fn balance_sheet_rows(sheet: &mut Sheet, of: TotalOf, total: &BalanceLine) {
    total_rows(
        sheet,
        of,
        [
            ("assets", "资产合计", "Assets", total.assets_minor),
            (
                "liabilities",
                "负债合计",
                "Liabilities",
                total.liabilities_minor,
            ),
            ("equity", "所有者权益合计", "Equity", total.equity_minor),
            ("earnings", "未结转利润", "Earnings", total.earnings_minor),
        ],
    );
}

/// The balance sheet: the accounts with a balance, then the sums per
/// currency and in the functional currency.
pub fn balance_sheet_csv(report: &BalanceSheet) -> String {
    let functional = report.functional_total.currency;
    let mut sheet = Sheet::new(&BALANCE_HEADER);
    for line in &report.lines {
        balance_row(&mut sheet, line, functional);
    }
    for total in &report.totals {
        balance_sheet_rows(&mut sheet, TotalOf::Currency(total.currency), total);
    }
    balance_sheet_rows(
        &mut sheet,
        TotalOf::Functional(functional),
        &report.functional_total,
    );
    sheet.finish()
}

/// One account's general ledger: opening rows, the lines with the running
/// balance, closing rows.
pub fn general_ledger_csv(report: &GeneralLedger) -> String {
    let mut sheet = Sheet::new(&[
        "date", "entry_no", "memo", "currency", "debit", "credit", "balance",
    ]);
    for opening in &report.opening {
        let currency = opening.currency;
        sheet.row([
            "",
            "",
            "opening",
            currency.code(),
            "",
            "",
            &amount(opening.balance_minor, currency),
        ]);
    }
    for line in &report.lines {
        let currency = line.currency;
        sheet.row([
            crate::period::day_of(line.date),
            line.entry_no.to_string(),
            line.memo.clone(),
            currency.code().to_owned(),
            amount(line.debit_minor, currency),
            amount(line.credit_minor, currency),
            amount(line.balance_minor, currency),
        ]);
    }
    for closing in &report.closing {
        let currency = closing.currency;
        sheet.row([
            "",
            "",
            "closing",
            currency.code(),
            "",
            "",
            &amount(closing.balance_minor, currency),
        ]);
    }
    sheet.finish()
}

/// The VAT summary: a row per month and currency, then the totals.
pub fn vat_summary_csv(report: &crate::vat::VatSummary) -> String {
    let mut sheet = Sheet::new(&["period", "currency", "output_vat", "input_vat", "payable"]);
    for (label, month) in report
        .months
        .iter()
        .map(|month| (month.period.as_str(), month))
        .chain(report.totals.iter().map(|total| ("total", total)))
    {
        let currency = month.currency;
        sheet.row([
            label,
            currency.code(),
            &amount(month.output_vat_minor, currency),
            &amount(month.input_vat_minor, currency),
            &amount(month.payable_minor, currency),
        ]);
    }
    sheet.finish()
}

/// The aging: a row per counterparty and currency, named by `name_of`
/// (a member's storefront name, which the books do not keep), then a total
/// row per currency.
pub fn aging_csv(
    report: &crate::aging::Aging,
    name_of: impl Fn(&crate::aging::AgingRow) -> String,
) -> String {
    let mut sheet = Sheet::new(&[
        "counterparty",
        "currency",
        "invoices",
        "current",
        "days_1_30",
        "days_31_60",
        "days_61_90",
        "over_90",
        "total",
    ]);
    let rows = report.rows.iter().map(|row| (name_of(row), row));
    let totals = report.totals.iter().map(|row| ("total".to_owned(), row));
    for (name, row) in rows.chain(totals) {
        let currency = row.currency;
        sheet.row([
            name,
            currency.code().to_owned(),
            row.invoices.to_string(),
            amount(row.current_minor, currency),
            amount(row.days_1_30_minor, currency),
            amount(row.days_31_60_minor, currency),
            amount(row.days_61_90_minor, currency),
            amount(row.over_90_minor, currency),
            amount(row.total_minor, currency),
        ]);
    }
    sheet.finish()
}

impl Books {
    /// The journal: one row per line of every entry the filter selects, in
    /// the order they were written, at most `JOURNAL_CSV_ENTRIES_MAX` entries.
    pub async fn journal_csv(&self, scope: &Scope, filter: &EntryFilter) -> Result<String> {
        let accounts: BTreeMap<i64, Account> = self
            .accounts(scope)
            .await?
            .into_iter()
            .map(|account| (account.id.raw(), account))
            .collect();
        let mut sheet = Sheet::new(&[
            "entry_no",
            "date",
            "journal",
            "state",
            "memo",
            "order",
            "line_no",
            "account_code",
            "account_name_zh",
            "account_name_en",
            "currency",
            "debit",
            "credit",
            "line_memo",
            "functional_currency",
            "functional_value",
        ]);
        let functional = self.settings(scope).await?.functional_currency;
        let mut after = None;
        let mut written = 0;
        loop {
            let page = self
                .entries(scope, filter, PageRequest::new(after, Some(PAGE_SIZE_MAX)))
                .await?;
            for entry in &page.items {
                for line in &entry.lines {
                    let account = accounts
                        .get(&line.account_id.raw())
                        .ok_or(BooksError::NotFound("account"))?;
                    let currency = line.currency;
                    sheet.row([
                        entry.entry_no.to_string(),
                        crate::period::day_of(entry.date),
                        entry.journal.code().to_owned(),
                        entry.state.code().to_owned(),
                        entry.memo.clone(),
                        entry.order_id.clone().unwrap_or_default(),
                        line.line_no.to_string(),
                        account.code.clone(),
                        account.name_zh.clone(),
                        account.name_en.clone(),
                        currency.code().to_owned(),
                        amount(line.debit_minor, currency),
                        amount(line.credit_minor, currency),
                        line.memo.clone(),
                        functional.code().to_owned(),
                        amount(line.functional_minor, functional),
                    ]);
                }
                written += 1;
            }
            if written >= JOURNAL_CSV_ENTRIES_MAX || page.next_after.is_none() {
                return Ok(sheet.finish());
            }
            after = page.next_after;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountId, AccountKind};
    use crate::reports::CurrencyTotals;
    use kernel::Currency;

    #[test]
    fn a_trial_balance_reads_as_a_spreadsheet_with_exact_decimals() {
        let line = AccountBalance {
            account_id: AccountId::from_raw(1),
            code: "1002".into(),
            name_zh: "银行存款".into(),
            name_en: "Bank, \"Hanse\" wallet".into(),
            kind: AccountKind::Asset,
            currency: Currency::CNY,
            debit_minor: 1_234_567,
            credit_minor: 5,
            balance_minor: 1_234_562,
            functional_balance_minor: 1_234_562,
        };
        let report = TrialBalance {
            lines: vec![line],
            totals: vec![CurrencyTotals {
                currency: Currency::CNY,
                debit_minor: 1_234_567,
                credit_minor: 1_234_567,
            }],
            functional_totals: CurrencyTotals {
                currency: Currency::CNY,
                debit_minor: 1_234_562,
                credit_minor: 1_234_562,
            },
        };
        let text = trial_balance_csv(&report);
        let rows: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            rows[0],
            "code,name_zh,name_en,kind,currency,debit,credit,balance,functional_currency,functional_balance"
        );
        assert_eq!(
            rows[1],
            "1002,银行存款,\"Bank, \"\"Hanse\"\" wallet\",asset,CNY,12345.67,0.05,12345.62,CNY,12345.62"
        );
        assert_eq!(rows[2], "total,合计,Total,,CNY,12345.67,12345.67,,,");
        assert_eq!(rows[3], "debits,借方合计,Debits,,,,,,CNY,12345.62");
    }
}
