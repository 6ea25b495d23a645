//! The demo network's open buying requests: what the importers abroad (and a
//! few Chinese makers buying their own supplies) are looking for, and the
//! quotations the matching suppliers have already sent, so the request board
//! and the side-by-side comparison have something to show.

use kernel::Currency;
use market::{PriceTier, ShippingTerms};

use super::{
    AL_NOOR_DUBAI, HENGXIN_THERMOS, HONGDA_TEXTILE, HUAMING_FURNITURE, HUAQIANG_XUNDA_ELECTRONICS,
    HUAZHEN_MACHINE_PARTS, JAMBO_NAIROBI, JINGTUO_MOULDS, JINXIU_SILK, MEIYAN_COSMETICS_PACKAGING,
    MINGXIANGYUAN_TEA, MORETTI_MILANO, NOWAK_WOLKA_KOSOWSKA, PACIFIC_CREST_LOS_ANGELES,
    PHUONG_NAM_GARMENT, RUIBU_SHOES, SINAR_JAYA_KUALA_LUMPUR, VAN_DEN_BERG_ROTTERDAM,
    VOGEL_HAMBURG, YONGHUA_PACKAGING,
};

/// A buying request, with the quotations already answering it.
pub(super) struct BuyingRequest {
    /// The buyer, by legal name.
    pub buyer: &'static str,
    /// A category of [`super::categories::CATEGORIES`].
    pub category: &'static str,
    /// Unique among the buyer's requests: a second load finds it by title.
    pub title: &'static str,
    pub quantity: i64,
    pub unit: &'static str,
    /// Per unit, in the request's currency.
    pub target_price_minor: Option<i64>,
    pub currency: Currency,
    pub deliver_in_days: Option<i64>,
    pub destination: &'static str,
    pub details: &'static str,
    /// How long the request takes quotations; at most the market's 90 days.
    pub valid_days: i64,
    pub show_company: bool,
    pub quotations: &'static [Quote],
}

/// A supplier's quotation on the request it is listed under.
pub(super) struct Quote {
    pub supplier: &'static str,
    pub price_tiers: &'static [PriceTier],
    pub quantity: i64,
    pub lead_time_days: i64,
    pub shipping_terms: ShippingTerms,
    pub valid_days: i64,
    pub message: &'static str,
}

const fn tier(min_quantity: i64, unit_price_minor: i64) -> PriceTier {
    PriceTier {
        min_quantity,
        unit_price_minor,
    }
}

pub(super) const BUYING_REQUESTS: &[BuyingRequest] = &[
    BuyingRequest {
        buyer: VOGEL_HAMBURG,
        category: "vacuum-flasks",
        title: "5,000 vacuum flasks 500 ml, 304 steel, custom logo",
        quantity: 5_000,
        unit: "piece",
        target_price_minor: Some(3_200),
        currency: Currency::CNY,
        deliver_in_days: Some(60),
        destination: "Hamburg, DE",
        details: "Double-wall 304 stainless steel, screw lid, powder-coated in three colours (black, sage green, cream). Our logo laser-engraved on the body, one position.\n\nEach flask in a white gift box with our artwork; 24 pieces per export carton. LFGB test report required before shipment.",
        valid_days: 30,
        show_company: true,
        quotations: &[Quote {
            supplier: HENGXIN_THERMOS,
            price_tiers: &[tier(3_000, 3_350), tier(5_000, 3_150)],
            quantity: 5_000,
            lead_time_days: 35,
            shipping_terms: ShippingTerms::Fob,
            valid_days: 21,
            message: "您好 Thomas，我们的HX-VF304系列正是您要的款式，LFGB报告已有（2025年）。5000个价格含激光雕刻logo和白盒印刷，FOB宁波。可先寄三色样品，7天内寄出。\n\nHello Thomas, our HX-VF304 range is exactly this flask and we hold a 2025 LFGB report. The 5,000-piece price includes the laser-engraved logo and the printed white box, FOB Ningbo. Samples in all three colours can leave within 7 days.",
        }],
    },
    BuyingRequest {
        buyer: VOGEL_HAMBURG,
        category: "food-jars",
        title: "Insulated food jars 750 ml for autumn promotion",
        quantity: 2_000,
        unit: "piece",
        target_price_minor: Some(4_500),
        currency: Currency::CNY,
        deliver_in_days: Some(75),
        destination: "Hamburg, DE",
        details: "Stainless steel food jar with folding spoon in the lid, 750 ml. Colours: anthracite and red. Retail box with EAN barcode.",
        valid_days: 45,
        show_company: true,
        quotations: &[Quote {
            supplier: HENGXIN_THERMOS,
            price_tiers: &[tier(1_000, 4_200), tier(2_000, 3_980)],
            quantity: 2_000,
            lead_time_days: 30,
            shipping_terms: ShippingTerms::Fob,
            valid_days: 30,
            message: "Our HX-FJ-750 matches; anthracite is a standard colour for us, red is our Chinese red. Barcode printing on the retail box is free of charge.",
        }],
    },
    BuyingRequest {
        buyer: VAN_DEN_BERG_ROTTERDAM,
        category: "corrugated-boxes",
        title: "5-ply export cartons 600 × 400 × 400, 20,000 pcs",
        quantity: 20_000,
        unit: "piece",
        target_price_minor: Some(45),
        currency: Currency::EUR,
        deliver_in_days: Some(45),
        destination: "Rotterdam, NL",
        details: "BC flute, brown kraft, one-colour print of our logo on two sides. Delivered flat on pallets, max. 1,000 per pallet.",
        valid_days: 30,
        show_company: false,
        quotations: &[Quote {
            supplier: YONGHUA_PACKAGING,
            price_tiers: &[tier(10_000, 52), tier(20_000, 47)],
            quantity: 20_000,
            lead_time_days: 12,
            shipping_terms: ShippingTerms::Fob,
            valid_days: 20,
            message: "Quoted on our YH-CB5-XL with 1 colour flexo on two sides, FOB Ningbo, palletised and stretch-wrapped. One 40' HQ takes about 22,000 flat cartons.",
        }],
    },
    BuyingRequest {
        buyer: VAN_DEN_BERG_ROTTERDAM,
        category: "led-bulbs",
        title: "LED bulbs E27 9W warm white, CE/RoHS/ERP",
        quantity: 10_000,
        unit: "piece",
        target_price_minor: Some(85),
        currency: Currency::EUR,
        deliver_in_days: Some(50),
        destination: "Rotterdam, NL",
        details: "A60 shape, 806 lm, 2700–3000 K, Ra > 80, non-dimmable. Individual boxes with EU energy label (QR code, EPREL registration by supplier).",
        valid_days: 30,
        show_company: false,
        quotations: &[Quote {
            supplier: HUAQIANG_XUNDA_ELECTRONICS,
            price_tiers: &[tier(5_000, 78), tier(10_000, 72)],
            quantity: 10_000,
            lead_time_days: 25,
            shipping_terms: ShippingTerms::Fob,
            valid_days: 30,
            message: "XD-A60-9W-WW fits: 806 lm, 3000 K, Ra 82. We register the model in EPREL in your name and print the energy label on the box. FOB Shenzhen.",
        }],
    },
    BuyingRequest {
        buyer: MORETTI_MILANO,
        category: "silk-fabrics",
        title: "Charmeuse di seta 19 momme — 1.500 m, colori pastello",
        quantity: 1_500,
        unit: "metre",
        target_price_minor: Some(1_250),
        currency: Currency::EUR,
        deliver_in_days: Some(50),
        destination: "Milano, IT",
        details: "Silk charmeuse 19 momme, 114 cm, grade 6A. 500 m each in ivory, blush pink and powder blue. Lab dips required before bulk; OEKO-TEX certificate.",
        valid_days: 40,
        show_company: true,
        quotations: &[Quote {
            supplier: JINXIU_SILK,
            price_tiers: &[tier(500, 1_380), tier(1_500, 1_290)],
            quantity: 1_500,
            lead_time_days: 18,
            shipping_terms: ShippingTerms::Cif,
            valid_days: 30,
            message: "Dear Giulia, our JX-CHM19 is woven in Wujiang from 6A yarn and is OEKO-TEX certified. Lab dips in 5 days. Price CIF Genoa.",
        }],
    },
    BuyingRequest {
        buyer: MORETTI_MILANO,
        category: "cotton-fabrics",
        title: "Cotton poplin 40s, 145 cm — white and navy, 5,000 m",
        quantity: 5_000,
        unit: "metre",
        target_price_minor: Some(185),
        currency: Currency::EUR,
        deliver_in_days: Some(40),
        destination: "Milano, IT",
        details: "For shirting: 100% cotton poplin 40s × 40s, 133 × 72, mercerised, shrinkage under 3%. 2,500 m per colour.",
        valid_days: 30,
        show_company: true,
        quotations: &[Quote {
            supplier: HONGDA_TEXTILE,
            price_tiers: &[tier(2_500, 168), tier(5_000, 158)],
            quantity: 5_000,
            lead_time_days: 15,
            shipping_terms: ShippingTerms::Fob,
            valid_days: 21,
            message: "HD-POP in white and navy, mercerised, shrinkage tested under 3%. FOB Shanghai.",
        }],
    },
    BuyingRequest {
        buyer: NOWAK_WOLKA_KOSOWSKA,
        category: "slippers",
        title: "EVA slippers, mixed sizes 36–45, 6,000 pairs",
        quantity: 6_000,
        unit: "pair",
        target_price_minor: Some(105),
        currency: Currency::USD,
        deliver_in_days: Some(55),
        destination: "Wólka Kosowska, PL",
        details: "Bathroom slippers in EVA, 5 colours, size run 36–45 per carton. Polybag per pair with our sticker.",
        valid_days: 30,
        show_company: false,
        quotations: &[Quote {
            supplier: RUIBU_SHOES,
            price_tiers: &[tier(3_000, 112), tier(6_000, 98)],
            quantity: 6_000,
            lead_time_days: 20,
            shipping_terms: ShippingTerms::Fob,
            valid_days: 21,
            message: "RB-SLP in grey, sky blue, pink, green and black, assorted sizes per carton as you describe. FOB Wenzhou.",
        }],
    },
    BuyingRequest {
        buyer: NOWAK_WOLKA_KOSOWSKA,
        category: "plush-toys",
        title: "Plush toys 25 cm assorted animals, 3,000 pcs",
        quantity: 3_000,
        unit: "piece",
        target_price_minor: Some(240),
        currency: Currency::USD,
        deliver_in_days: Some(70),
        destination: "Wólka Kosowska, PL",
        details: "Bears, bunnies and dogs, about 25 cm, EN71 parts 1–3 required, CE marking on the sewn-in label.",
        valid_days: 45,
        show_company: false,
        quotations: &[],
    },
    BuyingRequest {
        buyer: AL_NOOR_DUBAI,
        category: "power-banks",
        title: "Power banks 10,000 mAh private label, 4,000 pcs",
        quantity: 4_000,
        unit: "piece",
        target_price_minor: Some(580),
        currency: Currency::USD,
        deliver_in_days: Some(45),
        destination: "Dubai, AE",
        details: "10,000 mAh, USB-C PD in/out, LED display. Our logo printed, colour box with Arabic and English text. UN38.3 and MSDS needed for air freight.",
        valid_days: 30,
        show_company: true,
        quotations: &[Quote {
            supplier: HUAQIANG_XUNDA_ELECTRONICS,
            price_tiers: &[tier(2_000, 640), tier(4_000, 610)],
            quantity: 4_000,
            lead_time_days: 22,
            shipping_terms: ShippingTerms::Cif,
            valid_days: 30,
            message: "XD-PB-10K with your logo and a bilingual colour box. UN38.3, MSDS and the air transport report are ready. CIF Jebel Ali.",
        }],
    },
    BuyingRequest {
        buyer: AL_NOOR_DUBAI,
        category: "office-chairs",
        title: "Mesh office chairs for an office fit-out, 300 pcs",
        quantity: 300,
        unit: "piece",
        target_price_minor: Some(3_800),
        currency: Currency::USD,
        deliver_in_days: Some(60),
        destination: "Dubai, AE",
        details: "Ergonomic mesh chairs with headrest, synchro mechanism, adjustable arms, black. BIFMA report required.",
        valid_days: 30,
        show_company: true,
        quotations: &[Quote {
            supplier: HUAMING_FURNITURE,
            price_tiers: &[tier(100, 7_200), tier(300, 6_900)],
            quantity: 300,
            lead_time_days: 30,
            shipping_terms: ShippingTerms::Cif,
            valid_days: 30,
            message: "Our HM-MESH-PRO in black: synchro mechanism, 4D arms, headrest, BIFMA X5.1 report attached on request. 300 chairs fill one 40' HQ knocked down.",
        }],
    },
    BuyingRequest {
        buyer: PHUONG_NAM_GARMENT,
        category: "polyester-fabrics",
        title: "Polyester oxford 600D PU coated, 8,000 m",
        quantity: 8_000,
        unit: "metre",
        target_price_minor: Some(95),
        currency: Currency::USD,
        deliver_in_days: Some(35),
        destination: "Ho Chi Minh City, VN",
        details: "600D oxford, PU coating, 150 cm, black and navy, for backpacks. Water column at least 1,000 mm.",
        valid_days: 21,
        show_company: false,
        quotations: &[Quote {
            supplier: HONGDA_TEXTILE,
            price_tiers: &[tier(4_000, 102), tier(8_000, 96)],
            quantity: 8_000,
            lead_time_days: 12,
            shipping_terms: ShippingTerms::Cfr,
            valid_days: 14,
            message: "HD-OX600 in black and navy, water column 1,500 mm. CFR Cat Lai.",
        }],
    },
    BuyingRequest {
        buyer: JAMBO_NAIROBI,
        category: "vacuum-flasks",
        title: "Stainless steel vacuum flasks 1 litre, 1,200 pcs",
        quantity: 1_200,
        unit: "piece",
        target_price_minor: Some(620),
        currency: Currency::USD,
        deliver_in_days: Some(80),
        destination: "Mombasa, KE",
        details: "1 litre flasks for tea, with a cup lid. Mixed colours. Please quote CIF Mombasa.",
        valid_days: 45,
        show_company: true,
        quotations: &[Quote {
            supplier: HENGXIN_THERMOS,
            price_tiers: &[tier(600, 690), tier(1_200, 655)],
            quantity: 1_200,
            lead_time_days: 25,
            shipping_terms: ShippingTerms::Cif,
            valid_days: 30,
            message: "Our HX-OUT-1000 has a flip lid that doubles as a cup and keeps tea hot for 24 hours. Green, black and orange mixed. CIF Mombasa.",
        }],
    },
    BuyingRequest {
        buyer: PACIFIC_CREST_LOS_ANGELES,
        category: "storage-containers",
        title: "PP food storage containers 1,000 ml, BPA free, 10,000 pcs",
        quantity: 10_000,
        unit: "piece",
        target_price_minor: Some(55),
        currency: Currency::USD,
        deliver_in_days: Some(60),
        destination: "Los Angeles, US",
        details: "Snap-lock lids with silicone seal, microwave and dishwasher safe, FDA compliant materials, Prop 65 statement. Sets of 4 in a sleeve.",
        valid_days: 30,
        show_company: true,
        quotations: &[Quote {
            supplier: JINGTUO_MOULDS,
            price_tiers: &[tier(5_000, 62), tier(10_000, 57)],
            quantity: 10_000,
            lead_time_days: 20,
            shipping_terms: ShippingTerms::Fob,
            valid_days: 30,
            message: "JT-FSC-1000 from our own moulds; FDA 21 CFR 177.1520 PP resin, test reports available. FOB Shenzhen (Yantian).",
        }],
    },
    BuyingRequest {
        buyer: PACIFIC_CREST_LOS_ANGELES,
        category: "sports-bottles",
        title: "Tritan sports bottles 1 L with custom colours, 3,000 pcs",
        quantity: 3_000,
        unit: "piece",
        target_price_minor: Some(260),
        currency: Currency::USD,
        deliver_in_days: Some(70),
        destination: "Los Angeles, US",
        details: "Eastman Tritan, locking flip lid, time markings. Pantone-matched colours (3), our logo in one colour.",
        valid_days: 40,
        show_company: true,
        quotations: &[],
    },
    BuyingRequest {
        buyer: SINAR_JAYA_KUALA_LUMPUR,
        category: "oolong-tea",
        title: "求购安溪铁观音 500公斤",
        quantity: 500,
        unit: "kg",
        target_price_minor: Some(30_000),
        currency: Currency::CNY,
        deliver_in_days: Some(40),
        destination: "Port Klang, MY",
        details: "清香型铁观音一级，8克小泡袋真空包装，需提供农残检测报告。\nLight-roast Tieguanyin grade 1 in 8 g vacuum sachets, pesticide residue report required.",
        valid_days: 30,
        show_company: true,
        quotations: &[Quote {
            supplier: MINGXIANGYUAN_TEA,
            price_tiers: &[tier(200, 33_000), tier(500, 31_500)],
            quantity: 500,
            lead_time_days: 10,
            shipping_terms: ShippingTerms::Cif,
            valid_days: 20,
            message: "谭先生您好，我司MX-TGY一级清香型正合要求，今年春茶，农残报告（SGS）可提供。CIF巴生港。",
        }],
    },
    BuyingRequest {
        buyer: SINAR_JAYA_KUALA_LUMPUR,
        category: "lotion-pump-bottles",
        title: "PET lotion pump bottles 250 ml, 20,000 pcs",
        quantity: 20_000,
        unit: "piece",
        target_price_minor: Some(140),
        currency: Currency::CNY,
        deliver_in_days: Some(45),
        destination: "Port Klang, MY",
        details: "Clear PET, 24/410 neck, white lotion pump with clip lock. Silk print in one colour.",
        valid_days: 30,
        show_company: false,
        quotations: &[Quote {
            supplier: MEIYAN_COSMETICS_PACKAGING,
            price_tiers: &[tier(10_000, 150), tier(20_000, 138)],
            quantity: 20_000,
            lead_time_days: 18,
            shipping_terms: ShippingTerms::Fob,
            valid_days: 30,
            message: "250ml为我司开模款，24/410口，白色锁扣乳液泵，含一色丝印。FOB黄埔。",
        }],
    },
    BuyingRequest {
        buyer: HENGXIN_THERMOS,
        category: "gift-boxes",
        title: "采购保温杯彩盒 30000个 (500ml杯用)",
        quantity: 30_000,
        unit: "piece",
        target_price_minor: Some(120),
        currency: Currency::CNY,
        deliver_in_days: Some(25),
        destination: "义乌, 浙江",
        details: "白卡天地盖彩盒，内尺寸75 × 75 × 240 mm，四色印刷过哑膜，分三款图案各10000个。",
        valid_days: 20,
        show_company: true,
        quotations: &[Quote {
            supplier: YONGHUA_PACKAGING,
            price_tiers: &[tier(10_000, 128), tier(30_000, 115)],
            quantity: 30_000,
            lead_time_days: 12,
            shipping_terms: ShippingTerms::Exw,
            valid_days: 15,
            message: "陈总好，三款各10000个可以一起排产，含刀模费，送货到义乌工厂另加运费。",
        }],
    },
    BuyingRequest {
        buyer: JINGTUO_MOULDS,
        category: "ball-bearings",
        title: "采购深沟球轴承 6204-2RS 5000只",
        quantity: 5_000,
        unit: "piece",
        target_price_minor: Some(280),
        currency: Currency::CNY,
        deliver_in_days: Some(20),
        destination: "东莞, 广东",
        details: "注塑机维修备件，GCr15材质，低噪音，需提供材质证明。",
        valid_days: 14,
        show_company: true,
        quotations: &[Quote {
            supplier: HUAZHEN_MACHINE_PARTS,
            price_tiers: &[tier(2_000, 300), tier(5_000, 275)],
            quantity: 5_000,
            lead_time_days: 7,
            shipping_terms: ShippingTerms::Dap,
            valid_days: 14,
            message: "HZ-62-6204-2RS现货，Z2V2低噪音，附材质证明，送货到东莞。",
        }],
    },
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_request_is_one_the_market_takes_and_quotes_fit_it() {
        let mut titles = HashSet::new();
        for request in BUYING_REQUESTS {
            let title = request.title;
            assert!(titles.insert((request.buyer, title)), "{title} twice");
            assert!(
                super::super::categories::category(request.category).is_some(),
                "{title}: {}",
                request.category
            );
            assert!((1..=90).contains(&request.valid_days), "{title}");
            assert!(
                request.deliver_in_days.is_none_or(|days| days > 0),
                "{title}"
            );
            let mut suppliers = HashSet::new();
            for quote in request.quotations {
                assert_ne!(quote.supplier, request.buyer, "{title}");
                assert!(suppliers.insert(quote.supplier), "{title}: quoted twice");
                assert!(quote.valid_days > 0, "{title}");
                let tiers = market::price::validate_tiers("price_tiers", quote.price_tiers, None);
                assert!(tiers.is_ok(), "{title}: {tiers:?}");
                assert!(
                    market::price::unit_price_at(quote.price_tiers, quote.quantity).is_some(),
                    "{title}: the quantity is below the first tier"
                );
            }
        }
        let quoted = BUYING_REQUESTS
            .iter()
            .filter(|request| !request.quotations.is_empty())
            .count();
        assert!((12..=20).contains(&BUYING_REQUESTS.len()));
        assert!(quoted >= BUYING_REQUESTS.len() / 2);
    }
}
