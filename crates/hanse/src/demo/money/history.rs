//! The demo network's money history as data: who banks where, who tops up
//! and who withdraws, day by day over four months. `money.rs` replays it
//! through the payment service, interleaved with the orders of
//! `orders.toml`, whose payments and releases move the rest of the money.

// The companies, by legal name as in `companies.rs`; a test checks every one.
pub(super) use crate::demo::company_names::*;

/// One thing that happened to the demo network's money. Amounts are in whole
/// yuan, euros, dong...: the demo deals in round sums, and converting them to
/// minor units is exact.
pub(super) enum MoneyStep {
    RegisterBankAccount {
        company: &'static str,
        bank_name: &'static str,
        /// Written in groups, as people type it; the service stores it compact.
        account_number: &'static str,
        currency: &'static str,
    },
    /// A top-up the sandbox bank collects a little later, or refuses.
    TopUp {
        company: &'static str,
        amount_whole_units: i64,
        currency: &'static str,
        collected: bool,
    },
    /// A payout to the company's bank account in that currency; the bank
    /// confirms it in a later `CompleteWithdrawal`, or never (still pending).
    StartWithdrawal {
        withdrawal: &'static str,
        company: &'static str,
        amount_whole_units: i64,
        currency: &'static str,
    },
    CompleteWithdrawal {
        withdrawal: &'static str,
    },
}

/// A step at a time of day: `day` days after the history starts (midnight
/// UTC), at `hour_utc`. The hours are office hours where the actor sits:
/// 01–09 UTC in China, 07–16 in Europe, 16–23 in Los Angeles.
pub(in crate::demo) struct TimedMoneyStep {
    pub(in crate::demo) day: i64,
    pub(in crate::demo) hour_utc: i64,
    pub(super) step: MoneyStep,
}

const fn at(day: i64, hour_utc: i64, step: MoneyStep) -> TimedMoneyStep {
    TimedMoneyStep {
        day,
        hour_utc,
        step,
    }
}

const fn bank_account(
    company: &'static str,
    bank_name: &'static str,
    account_number: &'static str,
    currency: &'static str,
) -> MoneyStep {
    MoneyStep::RegisterBankAccount {
        company,
        bank_name,
        account_number,
        currency,
    }
}

const fn top_up(
    company: &'static str,
    amount_whole_units: i64,
    currency: &'static str,
) -> MoneyStep {
    MoneyStep::TopUp {
        company,
        amount_whole_units,
        currency,
        collected: true,
    }
}

const fn withdraw(
    withdrawal: &'static str,
    company: &'static str,
    amount_whole_units: i64,
    currency: &'static str,
) -> MoneyStep {
    MoneyStep::StartWithdrawal {
        withdrawal,
        company,
        amount_whole_units,
        currency,
    }
}

const fn paid_out(withdrawal: &'static str) -> MoneyStep {
    MoneyStep::CompleteWithdrawal { withdrawal }
}

/// The four months, in the order they happened. Withdrawal names only tie a
/// later step to an earlier one; they are stored nowhere.
#[rustfmt::skip] // One step a line reads as a diary; wrapped, it would not.
pub(in crate::demo) static MONEY_HISTORY: &[TimedMoneyStep] = &[
    // Week one: everyone registers a bank account and pays in working money.
    at(0, 1, bank_account(HENGXIN_THERMOS, "中国工商银行义乌分行", "1208 0201 0920 0358 471", "CNY")),
    at(0, 2, top_up(HENGXIN_THERMOS, 50_000, "CNY")),
    at(0, 3, bank_account(HUAQIANG_XUNDA_ELECTRONICS, "招商银行深圳华强北支行", "7559 1234 5610 801", "CNY")),
    at(0, 4, top_up(HUAQIANG_XUNDA_ELECTRONICS, 80_000, "CNY")),
    at(0, 8, bank_account(VOGEL_HAMBURG, "Hamburger Sparkasse", "DE87 2005 0550 1262 3847 90", "EUR")),
    at(0, 9, top_up(VOGEL_HAMBURG, 25_000, "EUR")),
    at(1, 2, bank_account(HONGDA_TEXTILE, "浙江萧山农村商业银行衙前支行", "2010 0018 6632 547", "CNY")),
    at(1, 2, top_up(HONGDA_TEXTILE, 200_000, "CNY")),
    at(1, 3, bank_account(YONGHUA_PACKAGING, "宁波银行鄞州支行", "5101 0122 0004 37862", "CNY")),
    at(1, 4, top_up(YONGHUA_PACKAGING, 30_000, "CNY")),
    at(1, 9, bank_account(VAN_DEN_BERG_ROTTERDAM, "ABN AMRO Bank", "NL97 ABNA 0417 1642 89", "EUR")),
    at(1, 10, top_up(VAN_DEN_BERG_ROTTERDAM, 40_000, "EUR")),
    at(2, 1, bank_account(HUAMING_FURNITURE, "广东顺德农村商业银行乐从支行", "8011 0100 0876 5432 10", "CNY")),
    at(2, 2, top_up(HUAMING_FURNITURE, 120_000, "CNY")),
    at(2, 3, bank_account(JINGTUO_MOULDS, "中国建设银行东莞长安支行", "4405 0177 7308 0000 1265", "CNY")),
    at(2, 3, top_up(JINGTUO_MOULDS, 60_000, "CNY")),
    at(2, 6, bank_account(AL_NOOR_DUBAI, "Emirates NBD", "AE13 2600 0010 1533 7289 401", "AED")),
    at(2, 7, top_up(AL_NOOR_DUBAI, 150_000, "AED")),
    at(2, 10, bank_account(MORETTI_MILANO, "Intesa Sanpaolo", "IT34 R030 6909 6061 0000 0063 518", "EUR")),
    at(2, 11, top_up(MORETTI_MILANO, 60_000, "EUR")),
    at(3, 1, bank_account(RUIBU_SHOES, "温州银行鹿城支行", "9050 0012 0190 0377 28", "CNY")),
    at(3, 1, top_up(RUIBU_SHOES, 45_000, "CNY")),
    at(3, 2, bank_account(MINGXIANGYUAN_TEA, "厦门国际银行思明支行", "8011 0010 0000 6528", "CNY")),
    at(3, 2, top_up(MINGXIANGYUAN_TEA, 25_000, "CNY")),
    at(3, 3, bank_account(HUAZHEN_MACHINE_PARTS, "青岛银行黄岛支行", "8027 9020 0145 628", "CNY")),
    at(3, 4, top_up(HUAZHEN_MACHINE_PARTS, 150_000, "CNY")),
    at(3, 8, bank_account(NOWAK_WOLKA_KOSOWSKA, "PKO Bank Polski", "PL36 1020 1097 0000 7102 0184 3361", "PLN")),
    at(3, 9, top_up(NOWAK_WOLKA_KOSOWSKA, 180_000, "PLN")),
    at(4, 1, bank_account(MEIYAN_COSMETICS_PACKAGING, "中国农业银行广州白云支行", "4408 9901 0400 21657", "CNY")),
    at(4, 1, top_up(MEIYAN_COSMETICS_PACKAGING, 35_000, "CNY")),
    at(4, 2, bank_account(JINXIU_SILK, "江苏苏州农村商业银行盛泽支行", "0706 6780 1201 2010 0052 47", "CNY")),
    at(4, 2, top_up(JINXIU_SILK, 80_000, "CNY")),
    at(4, 3, bank_account(XINGLE_TOYS, "中国银行汕头澄海支行", "6853 7702 4516", "CNY")),
    at(4, 3, top_up(XINGLE_TOYS, 100_000, "CNY")),
    at(4, 3, bank_account(PHUONG_NAM_GARMENT, "Vietcombank – Chi nhánh Thành phố Hồ Chí Minh", "0071 0012 3456 7", "VND")),
    at(4, 4, top_up(PHUONG_NAM_GARMENT, 1_200_000_000, "VND")),
    // Kenya's shilling is not a Hanse currency; the Nairobi importer keeps dollars.
    at(4, 7, bank_account(JAMBO_NAIROBI, "Equity Bank (Kenya) Limited", "1180 2798 7654 3", "USD")),
    // Its first transfer is refused by the sandbox bank and paid again next day,
    // so the top-up list shows a failed one.
    at(4, 8, MoneyStep::TopUp { company: JAMBO_NAIROBI, amount_whole_units: 20_000, currency: "USD", collected: false }),
    at(4, 17, bank_account(PACIFIC_CREST_LOS_ANGELES, "Bank of America, N.A.", "3250 8194 7265", "USD")),
    at(4, 18, top_up(PACIFIC_CREST_LOS_ANGELES, 60_000, "USD")),
    at(5, 2, bank_account(SINAR_JAYA_KUALA_LUMPUR, "Maybank (Malayan Banking Berhad)", "5140 1234 5678", "MYR")),
    at(5, 3, top_up(SINAR_JAYA_KUALA_LUMPUR, 80_000, "MYR")),
    at(5, 7, top_up(JAMBO_NAIROBI, 20_000, "USD")),
    // The makers sell in yuan, the electronics and machine parts in dollars:
    // the importers buy yuan ahead of each order.
    at(8, 2, top_up(PHUONG_NAM_GARMENT, 150_000, "CNY")),
    at(10, 3, top_up(SINAR_JAYA_KUALA_LUMPUR, 45_000, "CNY")),
    at(12, 9, top_up(VOGEL_HAMBURG, 250_000, "CNY")),
    at(14, 8, top_up(NOWAK_WOLKA_KOSOWSKA, 100_000, "CNY")),
    at(18, 2, top_up(HENGXIN_THERMOS, 120_000, "CNY")),
    at(20, 9, top_up(MORETTI_MILANO, 150_000, "CNY")),
    at(30, 9, top_up(VAN_DEN_BERG_ROTTERDAM, 100_000, "CNY")),
    at(35, 9, top_up(VOGEL_HAMBURG, 150_000, "CNY")),
    at(36, 7, top_up(JAMBO_NAIROBI, 80_000, "CNY")),
    at(38, 6, top_up(AL_NOOR_DUBAI, 50_000, "USD")),
    at(41, 2, withdraw("hongda-cny-1", HONGDA_TEXTILE, 100_000, "CNY")),
    at(42, 2, paid_out("hongda-cny-1")),
    at(46, 6, top_up(AL_NOOR_DUBAI, 200_000, "CNY")),
    at(48, 2, withdraw("huaqiang-cny", HUAQIANG_XUNDA_ELECTRONICS, 50_000, "CNY")),
    at(49, 2, paid_out("huaqiang-cny")),
    at(50, 3, top_up(SINAR_JAYA_KUALA_LUMPUR, 80_000, "CNY")),
    at(50, 9, top_up(VOGEL_HAMBURG, 100_000, "CNY")),
    at(55, 9, top_up(VAN_DEN_BERG_ROTTERDAM, 120_000, "CNY")),
    at(58, 2, withdraw("hengxin-cny-1", HENGXIN_THERMOS, 80_000, "CNY")),
    at(58, 9, top_up(MORETTI_MILANO, 100_000, "CNY")),
    at(59, 2, paid_out("hengxin-cny-1")),
    at(60, 2, top_up(PHUONG_NAM_GARMENT, 150_000, "CNY")),
    at(62, 17, top_up(PACIFIC_CREST_LOS_ANGELES, 30_000, "USD")),
    at(65, 2, withdraw("jinxiu-cny", JINXIU_SILK, 100_000, "CNY")),
    at(66, 2, paid_out("jinxiu-cny")),
    at(68, 2, withdraw("yonghua-cny", YONGHUA_PACKAGING, 25_000, "CNY")),
    at(69, 2, paid_out("yonghua-cny")),
    at(70, 8, top_up(NOWAK_WOLKA_KOSOWSKA, 150_000, "CNY")),
    at(72, 2, withdraw("jingtuo-cny", JINGTUO_MOULDS, 100_000, "CNY")),
    at(73, 2, paid_out("jingtuo-cny")),
    at(78, 1, top_up(HUAZHEN_MACHINE_PARTS, 200_000, "CNY")),
    at(82, 2, withdraw("ruibu-cny", RUIBU_SHOES, 60_000, "CNY")),
    at(83, 2, paid_out("ruibu-cny")),
    at(85, 9, top_up(MORETTI_MILANO, 150_000, "CNY")),
    at(86, 1, top_up(MEIYAN_COSMETICS_PACKAGING, 60_000, "CNY")),
    at(86, 2, top_up(SINAR_JAYA_KUALA_LUMPUR, 100_000, "CNY")),
    at(89, 2, top_up(PHUONG_NAM_GARMENT, 60_000, "CNY")),
    at(90, 9, top_up(VAN_DEN_BERG_ROTTERDAM, 60_000, "CNY")),
    at(96, 2, withdraw("huaming-cny", HUAMING_FURNITURE, 100_000, "CNY")),
    at(96, 9, top_up(VOGEL_HAMBURG, 350_000, "CNY")),
    at(97, 2, paid_out("huaming-cny")),
    at(103, 2, withdraw("xingle-cny", XINGLE_TOYS, 80_000, "CNY")),
    at(104, 2, paid_out("xingle-cny")),
    at(108, 3, withdraw("mingxiangyuan-cny", MINGXIANGYUAN_TEA, 50_000, "CNY")),
    at(109, 2, paid_out("mingxiangyuan-cny")),
    // Two payouts are still at the bank, so their wallets show money reserved.
    at(110, 2, withdraw("hengxin-cny-2", HENGXIN_THERMOS, 120_000, "CNY")),
    at(110, 3, top_up(SINAR_JAYA_KUALA_LUMPUR, 40_000, "CNY")),
    at(112, 3, bank_account(HUAQIANG_XUNDA_ELECTRONICS, "中国银行深圳华强支行", "7564 8210 3397", "USD")),
    at(114, 2, withdraw("huaqiang-usd", HUAQIANG_XUNDA_ELECTRONICS, 15_000, "USD")),
    at(115, 6, top_up(AL_NOOR_DUBAI, 50_000, "CNY")),
    at(116, 8, top_up(NOWAK_WOLKA_KOSOWSKA, 80_000, "CNY")),
];
