//! The demo network's money history as data: who banks where, who tops up,
//! withdraws and orders from whom, day by day over four months. `money.rs`
//! replays it through the payment service.

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
    /// The buyer's money held for an order, with the platform fee.
    HoldEscrow {
        order: &'static str,
        buyer: &'static str,
        seller: &'static str,
        amount_whole_units: i64,
        currency: &'static str,
    },
    ReleaseEscrow {
        order: &'static str,
    },
    /// Part of the held money back to the buyer, the rest to the seller.
    RefundEscrowPartly {
        order: &'static str,
        refund_whole_units: i64,
    },
}

/// A step at a time of day: `day` days after the history starts (midnight
/// UTC), at `hour_utc`. The hours are office hours where the actor sits:
/// 01–09 UTC in China, 07–16 in Europe, 16–23 in Los Angeles.
pub(super) struct TimedMoneyStep {
    pub(super) day: i64,
    pub(super) hour_utc: i64,
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

const fn hold(
    order: &'static str,
    buyer: &'static str,
    seller: &'static str,
    amount_whole_units: i64,
    currency: &'static str,
) -> MoneyStep {
    MoneyStep::HoldEscrow {
        order,
        buyer,
        seller,
        amount_whole_units,
        currency,
    }
}

const fn release(order: &'static str) -> MoneyStep {
    MoneyStep::ReleaseEscrow { order }
}

/// The four months, in the order they happened. Order and withdrawal names
/// only tie a later step to an earlier one; they are stored nowhere.
#[rustfmt::skip] // One step a line reads as a diary; wrapped, it would not.
pub(super) static MONEY_HISTORY: &[TimedMoneyStep] = &[
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
    // Buyers pay in the currency their suppliers sell in.
    at(8, 2, top_up(PHUONG_NAM_GARMENT, 40_000, "USD")),
    at(10, 3, top_up(SINAR_JAYA_KUALA_LUMPUR, 45_000, "CNY")),
    at(12, 9, top_up(VOGEL_HAMBURG, 90_000, "CNY")),
    at(14, 8, top_up(NOWAK_WOLKA_KOSOWSKA, 25_000, "USD")),
    // Injection moulds for a new line of toy cars, paid on acceptance of the trial shots.
    at(15, 2, hold("xingle-jingtuo-moulds", XINGLE_TOYS, JINGTUO_MOULDS, 68_000, "CNY")),
    at(18, 2, top_up(HENGXIN_THERMOS, 120_000, "CNY")),
    // Ms Chen buys gift boxes for her flasks from Ningbo: 20,000 boxes at ¥0.75.
    at(20, 2, hold("hengxin-yonghua-boxes-1", HENGXIN_THERMOS, YONGHUA_PACKAGING, 15_000, "CNY")),
    // Knitted fabric for Ho Chi Minh City, sold in dollars.
    at(22, 3, hold("phuongnam-hongda-fabric", PHUONG_NAM_GARMENT, HONGDA_TEXTILE, 38_250, "USD")),
    // Hamburg's first order: 12,000 vacuum flasks at ¥7.20, paid in yuan.
    at(25, 9, hold("vogel-hengxin-flasks-1", VOGEL_HAMBURG, HENGXIN_THERMOS, 86_400, "CNY")),
    at(28, 2, release("hengxin-yonghua-boxes-1")),
    at(30, 17, hold("pacificcrest-huaqiang-speakers", PACIFIC_CREST_LOS_ANGELES, HUAQIANG_XUNDA_ELECTRONICS, 24_500, "USD")),
    at(33, 2, release("xingle-jingtuo-moulds")),
    at(34, 3, release("phuongnam-hongda-fabric")),
    at(35, 9, hold("vandenberg-xingle-toys-1", VAN_DEN_BERG_ROTTERDAM, XINGLE_TOYS, 14_850, "EUR")),
    at(38, 8, hold("nowak-ruibu-shoes", NOWAK_WOLKA_KOSOWSKA, RUIBU_SHOES, 21_000, "USD")),
    // 3,600 flasks for Nairobi at $2.60, shipped through Mombasa.
    at(40, 7, hold("jambo-hengxin-flasks", JAMBO_NAIROBI, HENGXIN_THERMOS, 9_360, "USD")),
    // Exporters open a foreign-currency account when the first foreign money arrives.
    at(41, 2, bank_account(HONGDA_TEXTILE, "中国银行杭州萧山支行", "3681 7720 5519", "USD")),
    at(41, 3, withdraw("hongda-usd", HONGDA_TEXTILE, 30_000, "USD")),
    at(42, 2, paid_out("hongda-usd")),
    at(44, 6, top_up(AL_NOOR_DUBAI, 50_000, "USD")),
    at(45, 10, hold("moretti-jinxiu-silk", MORETTI_MILANO, JINXIU_SILK, 32_400, "EUR")),
    at(45, 17, release("pacificcrest-huaqiang-speakers")),
    at(48, 2, withdraw("huaqiang-cny", HUAQIANG_XUNDA_ELECTRONICS, 50_000, "CNY")),
    at(49, 2, paid_out("huaqiang-cny")),
    // Hotel lobby furniture for Dubai.
    at(50, 6, hold("alnoor-huaming-furniture", AL_NOOR_DUBAI, HUAMING_FURNITURE, 46_800, "USD")),
    at(52, 9, release("vogel-hengxin-flasks-1")),
    // Oolong and Tieguanyin for Kuala Lumpur, paid in yuan.
    at(55, 2, hold("sinarjaya-mingxiangyuan-tea", SINAR_JAYA_KUALA_LUMPUR, MINGXIANGYUAN_TEA, 42_600, "CNY")),
    at(56, 8, top_up(VAN_DEN_BERG_ROTTERDAM, 20_000, "EUR")),
    at(58, 2, withdraw("hengxin-cny-1", HENGXIN_THERMOS, 80_000, "CNY")),
    at(59, 2, paid_out("hengxin-cny-1")),
    at(60, 9, hold("vandenberg-xingle-toys-2", VAN_DEN_BERG_ROTTERDAM, XINGLE_TOYS, 9_600, "EUR")),
    at(62, 10, release("moretti-jinxiu-silk")),
    at(64, 2, bank_account(JINXIU_SILK, "中国银行苏州吴江支行", "4721 0563 8812", "EUR")),
    at(65, 2, withdraw("jinxiu-eur", JINXIU_SILK, 25_000, "EUR")),
    at(66, 2, paid_out("jinxiu-eur")),
    at(68, 2, withdraw("yonghua-cny", YONGHUA_PACKAGING, 25_000, "CNY")),
    at(69, 2, paid_out("yonghua-cny")),
    at(70, 9, release("vandenberg-xingle-toys-1")),
    at(72, 2, withdraw("jingtuo-cny", JINGTUO_MOULDS, 100_000, "CNY")),
    at(73, 2, paid_out("jingtuo-cny")),
    at(75, 2, release("sinarjaya-mingxiangyuan-tea")),
    at(78, 1, top_up(HUAZHEN_MACHINE_PARTS, 200_000, "CNY")),
    at(80, 8, release("nowak-ruibu-shoes")),
    at(81, 2, bank_account(RUIBU_SHOES, "中国银行温州分行", "3592 6684 1207", "USD")),
    at(82, 2, withdraw("ruibu-usd", RUIBU_SHOES, 15_000, "USD")),
    at(83, 2, paid_out("ruibu-usd")),
    at(85, 7, release("jambo-hengxin-flasks")),
    at(86, 1, top_up(MEIYAN_COSMETICS_PACKAGING, 60_000, "CNY")),
    at(88, 9, top_up(VOGEL_HAMBURG, 135_000, "CNY")),
    at(92, 6, release("alnoor-huaming-furniture")),
    at(95, 2, bank_account(HUAMING_FURNITURE, "中国银行佛山顺德支行", "6873 5520 1948", "USD")),
    // 160 of the 1,200 plush sets arrived crushed: Rotterdam gets €1,200 back.
    at(95, 9, MoneyStep::RefundEscrowPartly { order: "vandenberg-xingle-toys-2", refund_whole_units: 1_200 }),
    at(96, 2, withdraw("huaming-usd", HUAMING_FURNITURE, 40_000, "USD")),
    at(97, 2, paid_out("huaming-usd")),
    at(98, 2, top_up(HENGXIN_THERMOS, 300_000, "CNY")),
    // Hamburg's second order, 18,000 flasks, is at sea: its money stays held.
    at(100, 9, hold("vogel-hengxin-flasks-2", VOGEL_HAMBURG, HENGXIN_THERMOS, 129_600, "CNY")),
    at(101, 17, top_up(PACIFIC_CREST_LOS_ANGELES, 30_000, "USD")),
    at(102, 3, bank_account(XINGLE_TOYS, "中国银行汕头澄海支行", "6853 7702 4530", "EUR")),
    at(103, 2, withdraw("xingle-eur", XINGLE_TOYS, 20_000, "EUR")),
    at(104, 2, paid_out("xingle-eur")),
    // The next 25,000 gift boxes are being printed: held too.
    at(105, 2, hold("hengxin-yonghua-boxes-2", HENGXIN_THERMOS, YONGHUA_PACKAGING, 18_750, "CNY")),
    at(108, 3, withdraw("mingxiangyuan-cny", MINGXIANGYUAN_TEA, 50_000, "CNY")),
    at(109, 2, paid_out("mingxiangyuan-cny")),
    // Two payouts are still at the bank, so their wallets show money reserved.
    at(110, 2, withdraw("hengxin-cny-2", HENGXIN_THERMOS, 120_000, "CNY")),
    at(112, 3, bank_account(HUAQIANG_XUNDA_ELECTRONICS, "中国银行深圳华强支行", "7564 8210 3397", "USD")),
    at(114, 2, withdraw("huaqiang-usd", HUAQIANG_XUNDA_ELECTRONICS, 15_000, "USD")),
];
