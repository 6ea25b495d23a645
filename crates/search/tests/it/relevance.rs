//! Relevance over a hand-built catalog of about thirty products of kinds a
//! B2B market carries: each query, in Chinese, English, mixed or pinyin,
//! must bring the expected products to the top.

use search::{ProductDocument, SearchIndex, SearchRequest};

/// (id, Chinese title, English title, description, quality score)
const CATALOG: &[(i64, &str, &str, &str, f32)] = &[
    (
        1,
        "不锈钢保温杯 500ml",
        "Stainless steel vacuum flask 500ml",
        "双层真空保温杯，保温12小时。",
        0.5,
    ),
    (
        2,
        "儿童保温杯 带吸管",
        "Kids vacuum flask with straw",
        "卡通儿童保温杯。",
        0.5,
    ),
    (
        3,
        "大容量保温壶 2L",
        "Large vacuum jug 2L",
        "家用保温壶，热水瓶。",
        0.5,
    ),
    (4, "玻璃水杯", "Glass water cup", "耐热玻璃杯。", 0.5),
    (5, "陶瓷咖啡杯", "Ceramic coffee mug", "手工陶瓷杯。", 0.5),
    (
        6,
        "蓝牙耳机 无线降噪",
        "Wireless bluetooth earphones with noise cancelling",
        "蓝牙5.3，续航30小时。",
        0.5,
    ),
    (
        7,
        "头戴式蓝牙耳机",
        "Over-ear bluetooth headphones",
        "头戴式，低音强劲。",
        0.5,
    ),
    (
        8,
        "有线耳机 3.5mm",
        "Wired earphones 3.5mm jack",
        "入耳式有线耳机。",
        0.5,
    ),
    (
        9,
        "防水蓝牙音箱",
        "Waterproof bluetooth speaker",
        "户外便携音箱。",
        0.5,
    ),
    (
        10,
        "充电宝 10000mAh",
        "Power bank 10000mAh",
        "Charges phones, tablets and earphones.",
        0.5,
    ),
    (
        11,
        "纯棉T恤 男款",
        "Men's cotton t-shirt",
        "100%纯棉，透气。",
        0.5,
    ),
    (
        12,
        "纯棉T恤 女款",
        "Women's cotton t-shirt",
        "圆领纯棉T恤。",
        0.5,
    ),
    (
        13,
        "涤纶速干T恤",
        "Polyester quick-dry t-shirt",
        "运动速干面料。",
        0.5,
    ),
    (14, "纯棉毛巾", "Cotton towel", "吸水纯棉毛巾。", 0.5),
    (
        15,
        "LED灯泡 E27 9W",
        "LED bulb E27 9W",
        "节能LED灯泡，暖白光。",
        0.5,
    ),
    (
        16,
        "LED吸顶灯",
        "LED ceiling light",
        "现代简约吸顶灯。",
        0.5,
    ),
    (17, "节能灯管", "Fluorescent tube light", "T8灯管。", 0.5),
    (
        18,
        "瓦楞纸箱",
        "Corrugated cardboard box",
        "五层瓦楞纸箱，可印刷。",
        0.5,
    ),
    (
        19,
        "加厚快递纸箱",
        "Thick shipping carton",
        "快递打包纸箱。",
        0.5,
    ),
    (20, "牛皮纸袋", "Kraft paper bag", "环保牛皮纸手提袋。", 0.5),
    (21, "泡沫保温箱", "Foam cooler box", "冷链运输泡沫箱。", 0.5),
    (
        22,
        "不锈钢餐具套装",
        "Stainless steel cutlery set",
        "刀叉勺三件套。",
        0.5,
    ),
    (23, "瑜伽垫", "Yoga mat", "加厚防滑瑜伽垫。", 0.5),
    (
        24,
        "运动水壶",
        "Sports water bottle",
        "户外运动水壶，防漏。",
        0.5,
    ),
    (25, "手机壳", "Phone case", "硅胶手机壳。", 0.5),
    (
        26,
        "数据线 USB-C",
        "USB-C charging cable",
        "快充数据线。",
        0.5,
    ),
    (27, "真丝丝巾", "Silk scarf", "桑蚕丝丝巾。", 0.5),
    (28, "户外帐篷", "Camping tent", "双人户外帐篷。", 0.5),
    (29, "蓝牙键盘", "Bluetooth keyboard", "无线蓝牙键盘。", 0.5),
    (30, "LED台灯", "LED desk lamp", "护眼LED台灯。", 0.5),
    (31, "印花丝巾", "Printed silk scarf", "印花丝巾。", 0.2),
    (32, "桑蚕丝丝巾", "Mulberry silk scarf", "高档丝巾。", 0.9),
];

fn index() -> SearchIndex {
    let products: Vec<ProductDocument> = CATALOG
        .iter()
        .map(
            |(id, title_zh, title_en, description, quality_score)| ProductDocument {
                id: *id,
                company_id: 1,
                company_name: "Company".to_string(),
                title_zh: Some(title_zh.to_string()),
                title_en: Some(title_en.to_string()),
                description: description.to_string(),
                attributes: Vec::new(),
                category_path: vec![1],
                category_names: String::new(),
                province: "Zhejiang".to_string(),
                country: "CN".to_string(),
                verified: true,
                in_stock: true,
                moq: 1,
                price_tiers: vec![(1, 100)],
                currency: "CNY".to_string(),
                created_at_micros: 1_700_000_000_000_000 + id,
                quality_score: *quality_score,
            },
        )
        .collect();
    let index = SearchIndex::in_memory().unwrap();
    index.index(&products).unwrap();
    index.commit().unwrap();
    index
}

/// The first hits for `query` are `expected_top_ids`, in any order among
/// themselves.
fn check(index: &SearchIndex, query: &str, expected_top_ids: &[i64]) {
    let found: Vec<i64> = index
        .search(&SearchRequest {
            text: query.to_string(),
            ..SearchRequest::default()
        })
        .unwrap()
        .hits
        .iter()
        .map(|hit| hit.id)
        .collect();
    let mut top: Vec<i64> = found.iter().take(expected_top_ids.len()).copied().collect();
    top.sort_unstable();
    let mut expected = expected_top_ids.to_vec();
    expected.sort_unstable();
    assert_eq!(top, expected, "top hits for {query:?}: {found:?}");
}

#[test]
fn chinese_queries() {
    let index = index();
    check(&index, "保温杯", &[1, 2]);
    check(&index, "蓝牙耳机", &[6, 7]);
    check(&index, "纯棉T恤", &[11, 12]);
    check(&index, "纸箱", &[18, 19]);
    check(&index, "LED灯泡", &[15]);
    check(&index, "丝巾", &[27, 31, 32]);
    check(&index, "不锈钢", &[1, 22]);
}

#[test]
fn english_queries() {
    let index = index();
    check(&index, "vacuum flask", &[1, 2]);
    check(&index, "bluetooth earphones", &[6]);
    check(&index, "cotton t-shirts", &[11, 12]);
    check(&index, "LED bulbs", &[15]);
    check(&index, "cardboard box", &[18]);
    check(&index, "water bottle", &[24]);
    check(&index, "stainless steel", &[1, 22]);
    // A word in the title weighs more than the same word in a description.
    check(&index, "earphones", &[6, 8]);
}

#[test]
fn mixed_and_pinyin_queries() {
    let index = index();
    check(&index, "蓝牙耳机 bluetooth", &[6, 7]);
    check(&index, "纯棉 t-shirt", &[11, 12]);
    check(&index, "LED 台灯", &[30]);
    check(&index, "lanya erji", &[6, 7]);
    check(&index, "baowenbei", &[1, 2]);
    check(&index, "zhixiang", &[18, 19]);
    check(&index, "lanya", &[6, 7, 9, 29]);
}

#[test]
fn quality_orders_equal_matches() {
    let index = index();
    // Three scarves whose titles match alike: the best supplier first.
    check(&index, "silk scarf", &[32]);
}
