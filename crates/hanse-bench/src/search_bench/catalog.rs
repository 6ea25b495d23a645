//! A generated product catalog for `hanse-bench search`: bilingual titles
//! drawn from a vocabulary of product words, brands, materials, colours and
//! sizes, in a category tree, so the term frequencies look like a market's
//! (a few very common words, a long tail) rather than uniform noise.

use rand::Rng;
use rand::seq::SliceRandom;

/// (Chinese, English, top-level category, second-level category).
pub const PRODUCTS: &[(&str, &str, i64, i64)] = &[
    ("保温杯", "vacuum flask", 1, 11),
    ("咖啡杯", "coffee mug", 1, 11),
    ("玻璃杯", "glass cup", 1, 11),
    ("餐具套装", "cutlery set", 1, 12),
    ("炒锅", "wok", 1, 12),
    ("砧板", "cutting board", 1, 12),
    ("收纳盒", "storage box", 1, 13),
    ("衣架", "clothes hanger", 1, 13),
    ("蓝牙耳机", "bluetooth earphones", 2, 21),
    ("头戴式耳机", "headphones", 2, 21),
    ("蓝牙音箱", "bluetooth speaker", 2, 21),
    ("充电宝", "power bank", 2, 22),
    ("数据线", "usb cable", 2, 22),
    ("手机壳", "phone case", 2, 22),
    ("LED灯泡", "led bulb", 2, 23),
    ("吸顶灯", "ceiling light", 2, 23),
    ("台灯", "desk lamp", 2, 23),
    ("丝巾", "silk scarf", 3, 31),
    ("围巾", "scarf", 3, 31),
    ("帽子", "hat", 3, 31),
    ("T恤", "t-shirt", 3, 32),
    ("衬衫", "shirt", 3, 32),
    ("连衣裙", "dress", 3, 32),
    ("牛仔裤", "jeans", 3, 32),
    ("运动鞋", "sneakers", 3, 33),
    ("拖鞋", "slippers", 3, 33),
    ("背包", "backpack", 4, 41),
    ("行李箱", "suitcase", 4, 41),
    ("钱包", "wallet", 4, 42),
    ("手提包", "handbag", 4, 42),
    ("瑜伽垫", "yoga mat", 5, 51),
    ("哑铃", "dumbbell", 5, 51),
    ("帐篷", "tent", 5, 52),
    ("睡袋", "sleeping bag", 5, 52),
    ("螺丝刀", "screwdriver", 6, 61),
    ("电钻", "electric drill", 6, 61),
    ("卷尺", "tape measure", 6, 61),
    ("口罩", "face mask", 7, 71),
    ("牙刷", "toothbrush", 7, 71),
    ("毛巾", "towel", 7, 72),
    ("床单", "bed sheet", 7, 72),
    ("积木", "building blocks", 8, 81),
    ("毛绒玩具", "plush toy", 8, 81),
];

pub const MATERIALS: &[(&str, &str)] = &[
    ("不锈钢", "stainless steel"),
    ("纯棉", "cotton"),
    ("真丝", "silk"),
    ("塑料", "plastic"),
    ("陶瓷", "ceramic"),
    ("竹制", "bamboo"),
    ("皮革", "leather"),
    ("铝合金", "aluminium"),
    ("硅胶", "silicone"),
    ("木质", "wooden"),
];

pub const ADJECTIVES: &[(&str, &str)] = &[
    ("新款", "new"),
    ("便携", "portable"),
    ("防水", "waterproof"),
    ("无线", "wireless"),
    ("儿童", "kids"),
    ("男士", "men's"),
    ("女士", "women's"),
    ("环保", "eco-friendly"),
    ("迷你", "mini"),
    ("加厚", "thick"),
    ("户外", "outdoor"),
    ("高端", "premium"),
];

pub const COLOURS: &[(&str, &str)] = &[
    ("黑色", "black"),
    ("白色", "white"),
    ("红色", "red"),
    ("蓝色", "blue"),
    ("绿色", "green"),
    ("灰色", "grey"),
    ("粉色", "pink"),
];

pub const BRANDS: &[&str] = &[
    "Haier",
    "Xiaomi",
    "Anker",
    "Midea",
    "Lenovo",
    "Supor",
    "Li-Ning",
    "Anta",
    "Deli",
    "Joyoung",
    "Baseus",
    "Ugreen",
    "Hanse",
    "Oakwood",
    "Nordlicht",
    "Sunrise",
    "Goldfish",
    "Panda",
];

pub const SIZES: &[&str] = &[
    "500ml", "1L", "S", "M", "L", "XL", "10W", "20W", "30cm", "1.5m", "2m", "10000mAh", "64GB",
];

pub const PROVINCES: &[&str] = &[
    "Guangdong",
    "Zhejiang",
    "Jiangsu",
    "Fujian",
    "Shandong",
    "Shanghai",
    "Beijing",
    "Hebei",
    "Henan",
    "Sichuan",
    "Hubei",
    "Anhui",
];

const DESCRIPTION_PHRASES: &[&str] = &[
    "工厂直销，支持定制。",
    "质量保证，批发价格优惠。",
    "Factory direct, OEM and ODM welcome.",
    "Fast shipping from our warehouse.",
    "出口欧美，符合CE认证。",
    "Meets CE and RoHS requirements.",
    "可印刷LOGO，包装可定制。",
    "Custom logo printing available.",
    "样品3天发货。",
    "Samples ship within 3 days.",
];

fn pick<'a, T, R: Rng>(rng: &mut R, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

/// Product `id` of a generated catalog; `now_micros` is the newest creation time.
pub fn product<R: Rng>(rng: &mut R, id: i64, now_micros: i64) -> search::ProductDocument {
    let (noun_zh, noun_en, top, second) = *pick(rng, PRODUCTS);
    let (material_zh, material_en) = *pick(rng, MATERIALS);
    let (adjective_zh, adjective_en) = *pick(rng, ADJECTIVES);
    let (colour_zh, colour_en) = *pick(rng, COLOURS);
    let brand = *pick(rng, BRANDS);
    let size = *pick(rng, SIZES);
    let language = rng.gen_range(0..10);
    // Most listings carry both titles; some only one, as on the market.
    let title_zh = (language < 8)
        .then(|| format!("{brand} {adjective_zh}{material_zh}{noun_zh} {colour_zh} {size}"));
    let title_en = (language >= 3)
        .then(|| format!("{brand} {adjective_en} {material_en} {noun_en} {colour_en} {size}"));
    let mut phrases: Vec<&str> = DESCRIPTION_PHRASES.to_vec();
    phrases.shuffle(rng);
    let description = format!(
        "{material_zh}{noun_zh}，{colour_zh}。{} {} {material_en} {noun_en}, {colour_en}. {}",
        phrases[0], phrases[1], phrases[2]
    );
    let leaf = second * 10 + rng.gen_range(0..4);
    let moq = *pick(rng, &[1, 10, 50, 100, 500, 1_000]);
    let base_price_minor = rng.gen_range(100..50_000);
    let price_tiers = vec![
        (moq, base_price_minor),
        (moq * 10, base_price_minor * 9 / 10),
        (moq * 100, base_price_minor * 8 / 10),
    ];
    let abroad = rng.gen_range(0..20) == 0;
    search::ProductDocument {
        id,
        company_id: rng.gen_range(1..50_000),
        company_name: format!("{brand} Trading Co."),
        title_zh,
        title_en,
        description,
        attributes: vec![
            ("material".to_string(), material_en.to_string()),
            ("colour".to_string(), colour_en.to_string()),
            ("size".to_string(), size.to_string()),
        ],
        category_path: vec![top, second, leaf],
        category_names: String::new(),
        province: if abroad {
            String::new()
        } else {
            pick(rng, PROVINCES).to_string()
        },
        country: if abroad { "DE" } else { "CN" }.to_string(),
        verified: rng.gen_bool(0.4),
        in_stock: rng.gen_bool(0.85),
        moq,
        price_tiers,
        currency: "CNY".to_string(),
        created_at_micros: now_micros - rng.gen_range(0..365 * 86_400_000_000_i64),
        quality_score: rng.r#gen::<f32>(),
    }
}

/// One search of the benchmark mix: words alone, several words, pinyin,
/// typos, filters, facets and other sorts, in rough market proportions.
pub fn request<R: Rng>(rng: &mut R) -> search::SearchRequest {
    let (noun_zh, noun_en, top, second) = *pick(rng, PRODUCTS);
    let (material_zh, material_en) = *pick(rng, MATERIALS);
    let (_, colour_en) = *pick(rng, COLOURS);
    let text = match rng.gen_range(0..100) {
        0..=24 => noun_zh.to_string(),
        25..=44 => noun_en.to_string(),
        45..=59 => format!("{material_zh}{noun_zh}"),
        60..=74 => format!("{material_en} {noun_en} {colour_en}"),
        75..=79 => format!("{} {noun_en}", pick(rng, BRANDS)),
        80..=84 => typo(rng, noun_en),
        85..=89 => String::new(),
        _ => format!("{noun_zh} {noun_en}"),
    };
    let mut request = search::SearchRequest {
        text,
        limit: 10,
        ..search::SearchRequest::default()
    };
    match rng.gen_range(0..10) {
        0 => request.category_id = Some(top),
        1 => request.category_id = Some(second),
        2 => request.province = Some(pick(rng, PROVINCES).to_string()),
        3 => {
            request.verified_only = true;
            request.in_stock_only = true;
        }
        4 => {
            request.price = Some(search::PriceFilter {
                currency: "CNY".to_string(),
                quantity: Some(100),
                min_minor: Some(1_000),
                max_minor: Some(10_000),
            });
            request.sort = search::SortOrder::PriceAscending;
        }
        5 => request.moq_max = Some(50),
        6 => request.sort = search::SortOrder::Newest,
        _ => {}
    }
    if rng.gen_range(0..20) == 0 {
        request.offset = rng.gen_range(1..10) * 10;
    }
    request
}

/// `word` with one letter dropped, when it is long enough to be forgiven.
fn typo<R: Rng>(rng: &mut R, word: &str) -> String {
    let letters: Vec<char> = word.chars().collect();
    if letters.len() < 6 {
        return word.to_string();
    }
    let drop = rng.gen_range(1..letters.len() - 1);
    letters
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != drop)
        .map(|(_, letter)| *letter)
        .collect()
}
