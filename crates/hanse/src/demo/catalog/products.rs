//! The Chinese suppliers' catalogs, written as product families (a flask in
//! four capacities and five colours is one entry) and expanded into a few
//! hundred products. The expansion is deterministic, so every load of the
//! demo lists the same products with the same SKUs, prices and pictures.

use std::collections::BTreeMap;

use kernel::Currency;
use market::{PriceTier, ProductStatus};

use super::categories;
use super::images::{Drawing, Rgb8};
use super::{
    HENGXIN_THERMOS, HONGDA_TEXTILE, HUAMING_FURNITURE, HUAQIANG_XUNDA_ELECTRONICS,
    HUAZHEN_MACHINE_PARTS, JINGTUO_MOULDS, JINXIU_SILK, MEIYAN_COSMETICS_PACKAGING,
    MINGXIANGYUAN_TEA, RUIBU_SHOES, XINGLE_TOYS, YONGHUA_PACKAGING,
};

/// Attribute values as written in the table: `key=value` pairs separated by
/// semicolons, e.g. `capacity_ml=500; lid_type=screw lid`, which keeps a
/// family on a few lines.
type Attributes = &'static str;

/// A line of products that differ only in size and colour.
pub(super) struct ProductFamily {
    /// The supplier, by legal name.
    pub company: &'static str,
    /// The SKU's stem; the size and colour codes follow it.
    pub sku: &'static str,
    /// A leaf of [`categories::CATEGORIES`].
    pub category: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub about_zh: &'static str,
    pub about_en: &'static str,
    pub drawing: Drawing,
    /// The unit of sale, as the market writes it (`piece`, `pair`, `kg`...).
    pub unit: &'static str,
    pub moq: i64,
    /// The price of one unit at the MOQ for a size at 100 percent.
    pub unit_price_minor: i64,
    pub currency: Currency,
    pub lead_time_days: i64,
    pub origin: &'static str,
    /// What every product of the family shares.
    pub attributes: Attributes,
    pub sizes: &'static [Size],
    pub colors: &'static [Color],
}

/// One size (or model, or grade) of a family.
pub(super) struct Size {
    /// Goes into the SKU; empty for a family of one size.
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub attributes: Attributes,
    /// This size's price in percent of the family's.
    pub price_percent: i64,
}

/// One colour (or finish) of a family.
pub(super) struct Color {
    /// Goes into the SKU; empty for a family of one colour.
    pub code: &'static str,
    /// The colour's name; empty where the colour is not something the buyer
    /// chooses (tea, bearings), and then no colour attribute is written.
    pub zh: &'static str,
    pub en: &'static str,
    /// The picture's colour.
    pub rgb: Rgb8,
    /// Attributes the colour decides, e.g. a bulb's colour temperature.
    pub attributes: Attributes,
}

const fn same(
    code: &'static str,
    label: &'static str,
    attributes: Attributes,
    price_percent: i64,
) -> Size {
    Size {
        code,
        zh: label,
        en: label,
        attributes,
        price_percent,
    }
}

const fn size(
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    attributes: Attributes,
    price_percent: i64,
) -> Size {
    Size {
        code,
        zh,
        en,
        attributes,
        price_percent,
    }
}

const fn color(code: &'static str, zh: &'static str, en: &'static str, rgb: Rgb8) -> Color {
    Color {
        code,
        zh,
        en,
        rgb,
        attributes: "",
    }
}

const fn color_with(
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    rgb: Rgb8,
    attributes: Attributes,
) -> Color {
    Color {
        code,
        zh,
        en,
        rgb,
        attributes,
    }
}

/// A family without a colour to choose, pictured in `rgb`.
const fn unnamed(rgb: Rgb8) -> Color {
    color("", "", "", rgb)
}

const ONE_SIZE: &[Size] = &[same("", "", "", 100)];

const BLACK: Color = color("BK", "曜石黑", "Obsidian Black", [40, 40, 44]);
const WHITE: Color = color("WH", "珍珠白", "Pearl White", [226, 224, 218]);
const SKY_BLUE: Color = color("BL", "天空蓝", "Sky Blue", [86, 156, 214]);
const PINK: Color = color("PK", "樱花粉", "Sakura Pink", [236, 150, 170]);
const GREEN: Color = color("GN", "森林绿", "Forest Green", [46, 110, 78]);
const STEEL: Color = color("SS", "不锈钢原色", "Brushed Steel", [160, 166, 174]);
const BURGUNDY: Color = color("BD", "酒红", "Burgundy", [128, 32, 48]);
const NAVY: Color = color("NV", "藏青", "Navy", [30, 44, 90]);
const ORANGE: Color = color("OR", "活力橙", "Orange", [236, 120, 40]);
const GREY: Color = color("GY", "高级灰", "Grey", [120, 124, 130]);
const YELLOW: Color = color("YL", "柠檬黄", "Lemon Yellow", [236, 196, 50]);
const PURPLE: Color = color("PR", "薰衣草紫", "Lavender", [140, 100, 180]);
const RED: Color = color("RD", "中国红", "Red", [200, 40, 40]);
const BROWN: Color = color("BR", "咖啡色", "Brown", [110, 72, 46]);
const BEIGE: Color = color("BG", "米色", "Beige", [214, 196, 160]);
const KHAKI: Color = color("KH", "卡其", "Khaki", [180, 160, 110]);
const IVORY: Color = color("IV", "象牙白", "Ivory", [236, 228, 206]);
const CHAMPAGNE: Color = color("CP", "香槟金", "Champagne", [220, 190, 140]);
const GOLD: Color = color("GD", "金色", "Gold", [212, 170, 70]);
const ROSE_GOLD: Color = color("RG", "玫瑰金", "Rose Gold", [214, 150, 130]);
const SILVER: Color = color("SV", "银色", "Silver", [186, 188, 194]);
const CLEAR: Color = color("CL", "透明", "Clear", [170, 206, 226]);
const OAK: Color = color("OK", "原木色", "Natural Oak", [196, 156, 106]);
const AMBER: Color = color("AM", "茶色", "Amber", [176, 100, 30]);
const BEARING_STEEL: Rgb8 = [120, 126, 136];
const TEA_GREEN: Rgb8 = [96, 140, 60];
const TEA_DARK: Rgb8 = [70, 90, 50];
const TEA_RED: Rgb8 = [150, 70, 40];
const TEA_WHITE: Rgb8 = [190, 196, 160];

const FLASK_ML_350_TO_1000: &[Size] = &[
    same("350", "350ml", "capacity_ml=350", 85),
    same("500", "500ml", "capacity_ml=500", 100),
    same("750", "750ml", "capacity_ml=750", 120),
    same("1000", "1000ml", "capacity_ml=1000", 145),
];

const YIWU: &str = "义乌, 浙江";
const SHENZHEN: &str = "Shenzhen, Guangdong";
const HANGZHOU: &str = "杭州萧山, 浙江";
const NINGBO: &str = "Ningbo, Zhejiang";
const SHUNDE: &str = "佛山顺德, 广东";
const DONGGUAN: &str = "Dongguan, Guangdong";
const WENZHOU: &str = "温州, 浙江";
const QINGDAO: &str = "Qingdao, Shandong";
const GUANGZHOU: &str = "广州, 广东";
const WUJIANG: &str = "苏州吴江, 江苏";
const CHENGHAI: &str = "Chenghai, Shantou, Guangdong";

/// Every family of every supplier.
pub(super) const FAMILIES: &[ProductFamily] = &[
    // 义乌市恒信保温杯: vacuum flasks in every size, and the drinkware around them.
    ProductFamily {
        company: HENGXIN_THERMOS,
        sku: "HX-VF304",
        category: "vacuum-flasks",
        title_zh: "304不锈钢真空保温杯",
        title_en: "304 Stainless Steel Vacuum Flask",
        about_zh: "双层真空304不锈钢内胆，保温12小时、保冷24小时，食品级硅胶密封圈，支持激光雕刻定制logo。",
        about_en: "Double-wall vacuum insulation with a 304 stainless steel liner keeps drinks hot for 12 hours and cold for 24. Food-grade silicone seal; custom laser-engraved logos welcome.",
        drawing: Drawing::Flask,
        unit: "piece",
        moq: 500,
        unit_price_minor: 2_850,
        currency: Currency::CNY,
        lead_time_days: 15,
        origin: YIWU,
        attributes: "material=304 stainless steel; heat_retention_hours=12; lid_type=screw lid; custom_logo=laser engraving",
        sizes: FLASK_ML_350_TO_1000,
        colors: &[BLACK, WHITE, SKY_BLUE, PINK, GREEN],
    },
    ProductFamily {
        company: HENGXIN_THERMOS,
        sku: "HX-VF316",
        category: "vacuum-flasks",
        title_zh: "316不锈钢商务保温杯 带茶隔",
        title_en: "316 Stainless Steel Business Vacuum Flask with Tea Infuser",
        about_zh: "316医用级不锈钢内胆，耐茶渍耐腐蚀，附不锈钢茶隔，适合企业礼品。",
        about_en: "A 316 stainless steel liner that resists tea stains and corrosion, with a removable steel infuser. A favourite for corporate gifts.",
        drawing: Drawing::Flask,
        unit: "piece",
        moq: 300,
        unit_price_minor: 4_200,
        currency: Currency::CNY,
        lead_time_days: 20,
        origin: YIWU,
        attributes: "material=316 stainless steel; heat_retention_hours=18; lid_type=tea infuser lid; custom_logo=laser engraving",
        sizes: &[
            same("350", "350ml", "capacity_ml=350", 90),
            same("500", "500ml", "capacity_ml=500", 100),
            same("750", "750ml", "capacity_ml=750", 118),
        ],
        colors: &[BLACK, STEEL, NAVY, BURGUNDY],
    },
    ProductFamily {
        company: HENGXIN_THERMOS,
        sku: "HX-OUT",
        category: "vacuum-flasks",
        title_zh: "大容量户外保温壶",
        title_en: "Large Outdoor Vacuum Flask",
        about_zh: "大容量户外保温壶，翻盖可作杯子，粉末喷涂防滑外壳，适合露营和工地。",
        about_en: "A big flask for camping and building sites: the flip lid doubles as a cup, and the powder-coated body does not slip in gloved hands.",
        drawing: Drawing::Flask,
        unit: "piece",
        moq: 200,
        unit_price_minor: 5_600,
        currency: Currency::CNY,
        lead_time_days: 20,
        origin: YIWU,
        attributes: "material=304 stainless steel; heat_retention_hours=24; lid_type=flip lid",
        sizes: &[
            same("1000", "1000ml", "capacity_ml=1000", 100),
            same("1500", "1500ml", "capacity_ml=1500", 130),
            same("2000", "2000ml", "capacity_ml=2000", 160),
        ],
        colors: &[GREEN, BLACK, ORANGE],
    },
    ProductFamily {
        company: HENGXIN_THERMOS,
        sku: "HX-KID",
        category: "vacuum-flasks",
        title_zh: "儿童吸管保温杯",
        title_en: "Kids' Straw Vacuum Bottle",
        about_zh: "儿童款保温杯，防漏吸管盖，带背带，通过LFGB检测。",
        about_en: "A leak-proof straw lid and a carrying strap; LFGB tested for children's use.",
        drawing: Drawing::Flask,
        unit: "piece",
        moq: 500,
        unit_price_minor: 2_600,
        currency: Currency::CNY,
        lead_time_days: 15,
        origin: YIWU,
        attributes: "material=304 stainless steel; heat_retention_hours=8; lid_type=straw lid",
        sizes: &[
            same("350", "350ml", "capacity_ml=350", 100),
            same("500", "500ml", "capacity_ml=500", 115),
        ],
        colors: &[PINK, SKY_BLUE, YELLOW, PURPLE],
    },
    ProductFamily {
        company: HENGXIN_THERMOS,
        sku: "HX-TM",
        category: "travel-mugs",
        title_zh: "双层不锈钢咖啡随行杯",
        title_en: "Double-Wall Stainless Steel Travel Mug",
        about_zh: "车载咖啡杯，滑盖单手开合，适配常见车载杯架。",
        about_en: "A coffee mug for the commute: the slide lid opens with one hand and the base fits common car cup holders.",
        drawing: Drawing::Mug,
        unit: "piece",
        moq: 500,
        unit_price_minor: 2_450,
        currency: Currency::CNY,
        lead_time_days: 15,
        origin: YIWU,
        attributes: "material=304 stainless steel; lid_type=slide lid; has_handle=yes",
        sizes: &[
            same("350", "350ml", "capacity_ml=350", 100),
            same("500", "500ml", "capacity_ml=500", 112),
        ],
        colors: &[BLACK, WHITE, GREEN, PINK],
    },
    ProductFamily {
        company: HENGXIN_THERMOS,
        sku: "HX-FJ",
        category: "food-jars",
        title_zh: "不锈钢焖烧罐",
        title_en: "Stainless Steel Vacuum Food Jar",
        about_zh: "焖烧罐可保温6小时，宽口易清洗，附折叠不锈钢勺。",
        about_en: "Keeps food hot for six hours; the wide mouth is easy to clean, and a folding steel spoon sits in the lid.",
        drawing: Drawing::Jar,
        unit: "piece",
        moq: 300,
        unit_price_minor: 3_600,
        currency: Currency::CNY,
        lead_time_days: 18,
        origin: YIWU,
        attributes: "material=304 stainless steel; heat_retention_hours=6",
        sizes: &[
            same("500", "500ml", "capacity_ml=500", 90),
            same("750", "750ml", "capacity_ml=750", 100),
            same("1000", "1000ml", "capacity_ml=1000", 115),
        ],
        colors: &[STEEL, NAVY, RED],
    },
    ProductFamily {
        company: HENGXIN_THERMOS,
        sku: "HX-SB",
        category: "sports-bottles",
        title_zh: "Tritan运动水壶",
        title_en: "Tritan Sports Bottle",
        about_zh: "美国伊士曼Tritan材质，不含双酚A，弹跳盖带锁扣，带时间刻度。",
        about_en: "Eastman Tritan, BPA free, with a locking flip-top and a time scale printed on the side.",
        drawing: Drawing::Flask,
        unit: "piece",
        moq: 1_000,
        unit_price_minor: 1_650,
        currency: Currency::CNY,
        lead_time_days: 12,
        origin: YIWU,
        attributes: "material=Tritan; bpa_free=yes",
        sizes: &[
            same("600", "600ml", "capacity_ml=600", 100),
            same("1000", "1000ml", "capacity_ml=1000", 125),
        ],
        colors: &[SKY_BLUE, GREY, PURPLE, ORANGE],
    },
    // 深圳市华强讯达电子: audio, charging and lighting, priced in dollars for export.
    ProductFamily {
        company: HUAQIANG_XUNDA_ELECTRONICS,
        sku: "XD-TWS",
        category: "bluetooth-earphones",
        title_zh: "真无线蓝牙耳机",
        title_en: "True Wireless Bluetooth Earbuds",
        about_zh: "蓝牙5.3真无线耳机，低延迟游戏模式，充电仓支持Type-C快充。",
        about_en: "Bluetooth 5.3 true wireless earbuds with a low-latency game mode; the case charges over USB-C.",
        drawing: Drawing::Earbuds,
        unit: "piece",
        moq: 500,
        unit_price_minor: 1_250,
        currency: Currency::USD,
        lead_time_days: 20,
        origin: SHENZHEN,
        attributes: "bluetooth_version=5.3; waterproof_rating=IPX4; certification=CE, FCC, RoHS",
        sizes: &[
            size(
                "ANC",
                "主动降噪版",
                "ANC edition",
                "noise_cancelling=ANC; battery_hours=30",
                100,
            ),
            size(
                "ENC",
                "通话降噪版",
                "ENC call edition",
                "noise_cancelling=ENC; battery_hours=24",
                75,
            ),
        ],
        colors: &[BLACK, WHITE, NAVY],
    },
    ProductFamily {
        company: HUAQIANG_XUNDA_ELECTRONICS,
        sku: "XD-OWS",
        category: "bluetooth-earphones",
        title_zh: "开放式挂耳运动耳机",
        title_en: "Open-Ear Sports Earphones",
        about_zh: "不入耳设计，跑步时能听见路况，IPX5防汗。",
        about_en: "Open-ear design, so runners still hear the traffic; IPX5 sweat-proof.",
        drawing: Drawing::Earbuds,
        unit: "piece",
        moq: 300,
        unit_price_minor: 980,
        currency: Currency::USD,
        lead_time_days: 25,
        origin: SHENZHEN,
        attributes: "bluetooth_version=5.4; battery_hours=10; noise_cancelling=none; waterproof_rating=IPX5; certification=CE, FCC",
        sizes: ONE_SIZE,
        colors: &[BLACK, ORANGE, GREY],
    },
    ProductFamily {
        company: HUAQIANG_XUNDA_ELECTRONICS,
        sku: "XD-SPK",
        category: "bluetooth-speakers",
        title_zh: "便携防水蓝牙音箱",
        title_en: "Portable Waterproof Bluetooth Speaker",
        about_zh: "IPX7防水，可漂浮，支持两台TWS串联。",
        about_en: "IPX7 waterproof and floats; two speakers pair as a stereo set.",
        drawing: Drawing::Speaker,
        unit: "piece",
        moq: 200,
        unit_price_minor: 1_100,
        currency: Currency::USD,
        lead_time_days: 25,
        origin: SHENZHEN,
        attributes: "bluetooth_version=5.3; waterproof_rating=IPX7; certification=CE, FCC, RoHS",
        sizes: &[
            same("10W", "10W", "output_power_w=10; battery_hours=12", 100),
            same("20W", "20W", "output_power_w=20; battery_hours=15", 150),
            same("40W", "40W", "output_power_w=40; battery_hours=18", 240),
        ],
        colors: &[BLACK, SKY_BLUE, RED],
    },
    ProductFamily {
        company: HUAQIANG_XUNDA_ELECTRONICS,
        sku: "XD-PB",
        category: "power-banks",
        title_zh: "PD快充移动电源",
        title_en: "PD Fast-Charging Power Bank",
        about_zh: "聚合物电芯，USB-C双向快充，数显电量，可做私模私标。",
        about_en: "Lithium polymer cells, two-way USB-C fast charging and a digital charge display. Private label available.",
        drawing: Drawing::Gadget,
        unit: "piece",
        moq: 300,
        unit_price_minor: 690,
        currency: Currency::USD,
        lead_time_days: 20,
        origin: SHENZHEN,
        attributes: "battery_type=lithium polymer; certification=CE, FCC, RoHS, UN38.3",
        sizes: &[
            same("5K", "5000mAh", "capacity_mah=5000; output_power_w=20", 70),
            same(
                "10K",
                "10000mAh",
                "capacity_mah=10000; output_power_w=22.5",
                100,
            ),
            same(
                "20K",
                "20000mAh",
                "capacity_mah=20000; output_power_w=65",
                165,
            ),
        ],
        colors: &[BLACK, WHITE, SKY_BLUE],
    },
    ProductFamily {
        company: HUAQIANG_XUNDA_ELECTRONICS,
        sku: "XD-CBL",
        category: "charging-cables",
        title_zh: "编织快充数据线",
        title_en: "Braided Fast-Charging Cable",
        about_zh: "尼龙编织线身，弯折测试2万次以上。",
        about_en: "A braided nylon jacket that survives more than 20,000 bends in testing.",
        drawing: Drawing::Cable,
        unit: "piece",
        moq: 1_000,
        unit_price_minor: 160,
        currency: Currency::USD,
        lead_time_days: 15,
        origin: SHENZHEN,
        attributes: "jacket=braided nylon",
        sizes: &[
            same(
                "CC1",
                "USB-C to USB-C 1m 60W",
                "connector=USB-C to USB-C; length_m=1; max_power_w=60",
                100,
            ),
            same(
                "CC2",
                "USB-C to USB-C 2m 100W",
                "connector=USB-C to USB-C; length_m=2; max_power_w=100",
                150,
            ),
            same(
                "AC1",
                "USB-A to USB-C 1m",
                "connector=USB-A to USB-C; length_m=1; max_power_w=15",
                80,
            ),
            same(
                "AL1",
                "USB-A to Lightning 1m",
                "connector=USB-A to Lightning; length_m=1; max_power_w=12",
                95,
            ),
        ],
        colors: &[BLACK, WHITE],
    },
    ProductFamily {
        company: HUAQIANG_XUNDA_ELECTRONICS,
        sku: "XD-GAN-EU",
        category: "wall-chargers",
        title_zh: "氮化镓快充充电器 欧规",
        title_en: "GaN Fast Wall Charger, EU Plug",
        about_zh: "氮化镓方案，体积比传统充电器小40%。",
        about_en: "Gallium nitride inside: 40% smaller than a conventional charger of the same power.",
        drawing: Drawing::Gadget,
        unit: "piece",
        moq: 500,
        unit_price_minor: 520,
        currency: Currency::USD,
        lead_time_days: 20,
        origin: SHENZHEN,
        attributes: "plug_type=EU; fast_charging=PD 3.0; certification=CE, RoHS",
        sizes: &[
            same("20W", "20W", "output_power_w=20; ports=1 × USB-C", 100),
            same("35W", "35W", "output_power_w=35; ports=2 × USB-C", 150),
            same("65W", "65W", "output_power_w=65; ports=3 ports", 250),
        ],
        colors: &[WHITE, BLACK],
    },
    ProductFamily {
        company: HUAQIANG_XUNDA_ELECTRONICS,
        sku: "XD-GAN-US",
        category: "wall-chargers",
        title_zh: "氮化镓快充充电器 美规",
        title_en: "GaN Fast Wall Charger, US Plug",
        about_zh: "美规折叠插脚，便于携带。",
        about_en: "Folding US pins for travel.",
        drawing: Drawing::Gadget,
        unit: "piece",
        moq: 500,
        unit_price_minor: 500,
        currency: Currency::USD,
        lead_time_days: 20,
        origin: SHENZHEN,
        attributes: "plug_type=US; fast_charging=PD 3.0 + QC 4.0; certification=FCC, UL",
        sizes: &[
            same("20W", "20W", "output_power_w=20; ports=1 × USB-C", 100),
            same("65W", "65W", "output_power_w=65; ports=3 ports", 250),
        ],
        colors: &[WHITE],
    },
    ProductFamily {
        company: HUAQIANG_XUNDA_ELECTRONICS,
        sku: "XD-A60",
        category: "led-bulbs",
        title_zh: "LED球泡灯 A60 E27",
        title_en: "LED A60 Bulb E27",
        about_zh: "高光效LED球泡，寿命25000小时，显色指数Ra>80。",
        about_en: "An efficient LED bulb rated for 25,000 hours, colour rendering Ra > 80.",
        drawing: Drawing::Bulb,
        unit: "piece",
        moq: 2_000,
        unit_price_minor: 45,
        currency: Currency::USD,
        lead_time_days: 25,
        origin: SHENZHEN,
        attributes: "base=E27; dimmable=no; certification=CE, RoHS, ERP",
        sizes: &[
            same("5W", "5W", "power_w=5; lumens=470", 75),
            same("9W", "9W", "power_w=9; lumens=806", 100),
            same("12W", "12W", "power_w=12; lumens=1055", 125),
            same("15W", "15W", "power_w=15; lumens=1521", 150),
        ],
        colors: &[
            color_with(
                "WW",
                "暖白 3000K",
                "Warm White 3000K",
                [250, 190, 90],
                "color_temperature_k=3000",
            ),
            color_with(
                "CW",
                "冷白 6500K",
                "Cool Daylight 6500K",
                [140, 180, 240],
                "color_temperature_k=6500",
            ),
        ],
    },
    ProductFamily {
        company: HUAQIANG_XUNDA_ELECTRONICS,
        sku: "XD-COB",
        category: "led-strips",
        title_zh: "COB LED灯带 24V",
        title_en: "COB LED Strip 24V",
        about_zh: "COB无颗粒感灯带，可剪裁，背胶安装。",
        about_en: "A dot-free COB strip, cuttable, with adhesive backing.",
        drawing: Drawing::Roll,
        unit: "roll",
        moq: 100,
        unit_price_minor: 650,
        currency: Currency::USD,
        lead_time_days: 15,
        origin: SHENZHEN,
        attributes: "voltage=24V; leds_per_metre=480; ip_rating=IP65",
        sizes: &[
            same("5M", "5m", "length_m=5", 100),
            same("10M", "10m", "length_m=10", 190),
        ],
        colors: &[
            color_with(
                "WW",
                "暖白",
                "Warm White",
                [250, 190, 90],
                "light_color=warm white",
            ),
            color_with("RGB", "七彩RGB", "RGB", [180, 60, 200], "light_color=RGB"),
        ],
    },
    // 杭州萧山宏达纺织: cotton and polyester, knitted and woven.
    ProductFamily {
        company: HONGDA_TEXTILE,
        sku: "HD-TS180",
        category: "t-shirts",
        title_zh: "纯棉圆领T恤 180克",
        title_en: "Cotton Crew-Neck T-Shirt 180 gsm",
        about_zh: "精梳棉单面汗布，预缩处理，适合丝印和烫画定制。",
        about_en: "Combed cotton single jersey, pre-shrunk, ready for screen printing or heat transfer.",
        drawing: Drawing::Shirt,
        unit: "piece",
        moq: 300,
        unit_price_minor: 1_350,
        currency: Currency::CNY,
        lead_time_days: 12,
        origin: HANGZHOU,
        attributes: "material=100% cotton; fabric_weight_gsm=180; fit=regular; sizes=S–XXL; custom_logo=screen printing",
        sizes: ONE_SIZE,
        colors: &[WHITE, BLACK, NAVY, GREY, RED, GREEN],
    },
    ProductFamily {
        company: HONGDA_TEXTILE,
        sku: "HD-TS230",
        category: "t-shirts",
        title_zh: "重磅纯棉宽松T恤 230克",
        title_en: "Heavyweight Oversized Cotton T-Shirt 230 gsm",
        about_zh: "重磅落肩版型，领口双针加固，不易变形。",
        about_en: "A heavyweight drop-shoulder cut with a double-stitched collar that keeps its shape.",
        drawing: Drawing::Shirt,
        unit: "piece",
        moq: 300,
        unit_price_minor: 2_280,
        currency: Currency::CNY,
        lead_time_days: 15,
        origin: HANGZHOU,
        attributes: "material=100% cotton; fabric_weight_gsm=230; fit=oversized; sizes=S–XXL",
        sizes: ONE_SIZE,
        colors: &[BLACK, WHITE, BEIGE, BROWN],
    },
    ProductFamily {
        company: HONGDA_TEXTILE,
        sku: "HD-TSCVC",
        category: "t-shirts",
        title_zh: "涤棉促销T恤 160克",
        title_en: "Poly-Cotton Promotional T-Shirt 160 gsm",
        about_zh: "性价比高的活动衫，适合展会和团体活动。",
        about_en: "An economical shirt for trade fairs and team events.",
        drawing: Drawing::Shirt,
        unit: "piece",
        moq: 500,
        unit_price_minor: 990,
        currency: Currency::CNY,
        lead_time_days: 10,
        origin: HANGZHOU,
        attributes: "material=cotton/polyester 60/40; fabric_weight_gsm=160; fit=regular; sizes=S–XXXL; custom_logo=heat transfer",
        sizes: ONE_SIZE,
        colors: &[WHITE, GREY, SKY_BLUE, YELLOW],
    },
    ProductFamily {
        company: HONGDA_TEXTILE,
        sku: "HD-HOOD",
        category: "hoodies",
        title_zh: "抓绒连帽卫衣 320克",
        title_en: "Brushed Fleece Pullover Hoodie 320 gsm",
        about_zh: "内里抓绒，袋鼠口袋，罗纹袖口和下摆。",
        about_en: "Brushed fleece inside, a kangaroo pocket, ribbed cuffs and hem.",
        drawing: Drawing::Shirt,
        unit: "piece",
        moq: 200,
        unit_price_minor: 4_800,
        currency: Currency::CNY,
        lead_time_days: 18,
        origin: HANGZHOU,
        attributes: "material=cotton/polyester 60/40; fabric_weight_gsm=320; style=pullover hoodie; sizes=S–XXL",
        sizes: ONE_SIZE,
        colors: &[BLACK, GREY, NAVY, BURGUNDY],
    },
    ProductFamily {
        company: HONGDA_TEXTILE,
        sku: "HD-POP",
        category: "cotton-fabrics",
        title_zh: "全棉府绸 40支",
        title_en: "Cotton Poplin 40s",
        about_zh: "40支全棉府绸，门幅145厘米，适合衬衫和床品。",
        about_en: "40s cotton poplin, 145 cm wide, for shirts and bed linen.",
        drawing: Drawing::Roll,
        unit: "metre",
        moq: 1_000,
        unit_price_minor: 1_150,
        currency: Currency::CNY,
        lead_time_days: 10,
        origin: HANGZHOU,
        attributes: "weave=poplin; width_cm=145; fabric_weight_gsm=110; composition=100% cotton 40s × 40s",
        sizes: ONE_SIZE,
        colors: &[WHITE, NAVY, SKY_BLUE, BEIGE],
    },
    ProductFamily {
        company: HONGDA_TEXTILE,
        sku: "HD-TWL",
        category: "cotton-fabrics",
        title_zh: "全棉斜纹布 240克",
        title_en: "Cotton Twill 240 gsm",
        about_zh: "中厚斜纹布，适合工装裤和休闲裤。",
        about_en: "A medium-weight twill for workwear and chinos.",
        drawing: Drawing::Roll,
        unit: "metre",
        moq: 800,
        unit_price_minor: 1_680,
        currency: Currency::CNY,
        lead_time_days: 12,
        origin: HANGZHOU,
        attributes: "weave=twill; width_cm=150; fabric_weight_gsm=240; composition=100% cotton 16s × 12s",
        sizes: ONE_SIZE,
        colors: &[KHAKI, NAVY, BLACK, GREEN],
    },
    ProductFamily {
        company: HONGDA_TEXTILE,
        sku: "HD-OX600",
        category: "polyester-fabrics",
        title_zh: "600D涤纶牛津布 PU涂层",
        title_en: "600D Polyester Oxford, PU Coated",
        about_zh: "PU涂层防水牛津布，用于箱包、帐篷和户外用品。",
        about_en: "Waterproof PU-coated oxford for bags, tents and outdoor gear.",
        drawing: Drawing::Roll,
        unit: "metre",
        moq: 1_000,
        unit_price_minor: 680,
        currency: Currency::CNY,
        lead_time_days: 10,
        origin: HANGZHOU,
        attributes: "weave=oxford; denier=600; width_cm=150; finish=PU coating, waterproof",
        sizes: ONE_SIZE,
        colors: &[BLACK, NAVY, RED],
    },
    ProductFamily {
        company: HONGDA_TEXTILE,
        sku: "HD-PGE",
        category: "polyester-fabrics",
        title_zh: "涤纶春亚纺 75D",
        title_en: "Polyester Pongee 75D",
        about_zh: "轻薄春亚纺，用于夹克里布和雨伞。",
        about_en: "A light pongee for jacket linings and umbrellas.",
        drawing: Drawing::Roll,
        unit: "metre",
        moq: 2_000,
        unit_price_minor: 420,
        currency: Currency::CNY,
        lead_time_days: 8,
        origin: HANGZHOU,
        attributes: "weave=pongee; denier=75; width_cm=150",
        sizes: ONE_SIZE,
        colors: &[GREY, SKY_BLUE, YELLOW],
    },
    // 宁波甬华包装: cartons, bags, films and tape.
    ProductFamily {
        company: YONGHUA_PACKAGING,
        sku: "YH-CB3",
        category: "corrugated-boxes",
        title_zh: "三层瓦楞快递纸箱",
        title_en: "3-Ply Corrugated Shipping Box",
        about_zh: "B楞三层纸箱，适合电商发货，可定制尺寸和印刷。",
        about_en: "B-flute 3-ply cartons for e-commerce shipping; custom sizes and printing on request.",
        drawing: Drawing::Carton,
        unit: "piece",
        moq: 1_000,
        unit_price_minor: 160,
        currency: Currency::CNY,
        lead_time_days: 7,
        origin: NINGBO,
        attributes: "ply=3-ply; flute=B; printing=unprinted",
        sizes: &[
            same(
                "S",
                "200 × 150 × 100 mm",
                "inner_size_mm=200 × 150 × 100",
                60,
            ),
            same(
                "M",
                "300 × 200 × 150 mm",
                "inner_size_mm=300 × 200 × 150",
                100,
            ),
            same(
                "L",
                "400 × 300 × 250 mm",
                "inner_size_mm=400 × 300 × 250",
                170,
            ),
            same(
                "XL",
                "600 × 400 × 400 mm",
                "inner_size_mm=600 × 400 × 400",
                290,
            ),
        ],
        colors: &[unnamed([190, 150, 100])],
    },
    ProductFamily {
        company: YONGHUA_PACKAGING,
        sku: "YH-CB5",
        category: "corrugated-boxes",
        title_zh: "五层加厚瓦楞纸箱",
        title_en: "5-Ply Heavy-Duty Corrugated Box",
        about_zh: "BC楞五层加硬纸箱，适合出口海运和重物包装。",
        about_en: "BC-flute 5-ply cartons for export by sea and heavy goods.",
        drawing: Drawing::Carton,
        unit: "piece",
        moq: 1_000,
        unit_price_minor: 290,
        currency: Currency::CNY,
        lead_time_days: 7,
        origin: NINGBO,
        attributes: "ply=5-ply; flute=BC; printing=1 colour flexo",
        sizes: &[
            same(
                "S",
                "200 × 150 × 100 mm",
                "inner_size_mm=200 × 150 × 100",
                60,
            ),
            same(
                "M",
                "300 × 200 × 150 mm",
                "inner_size_mm=300 × 200 × 150",
                100,
            ),
            same(
                "L",
                "400 × 300 × 250 mm",
                "inner_size_mm=400 × 300 × 250",
                170,
            ),
            same(
                "XL",
                "600 × 400 × 400 mm",
                "inner_size_mm=600 × 400 × 400",
                290,
            ),
        ],
        colors: &[
            color("KR", "牛皮色", "Kraft", [190, 150, 100]),
            color("WT", "白面", "White Top", [232, 228, 220]),
        ],
    },
    ProductFamily {
        company: YONGHUA_PACKAGING,
        sku: "YH-GBM",
        category: "gift-boxes",
        title_zh: "磁吸翻盖礼品盒",
        title_en: "Magnetic Closure Gift Box",
        about_zh: "1200克灰板裱特种纸，磁吸翻盖，可烫金和定制内托。",
        about_en: "1200 g grey board wrapped in speciality paper with a magnetic flap; hot-foil logos and custom inserts available.",
        drawing: Drawing::Carton,
        unit: "piece",
        moq: 500,
        unit_price_minor: 850,
        currency: Currency::CNY,
        lead_time_days: 15,
        origin: NINGBO,
        attributes: "box_style=magnetic closure; finish=soft touch; printing=4 colour offset",
        sizes: &[
            size(
                "S",
                "小号 150 × 150 × 60 mm",
                "Small 150 × 150 × 60 mm",
                "inner_size_mm=150 × 150 × 60",
                70,
            ),
            size(
                "M",
                "中号 250 × 200 × 80 mm",
                "Medium 250 × 200 × 80 mm",
                "inner_size_mm=250 × 200 × 80",
                100,
            ),
            size(
                "L",
                "大号 350 × 250 × 100 mm",
                "Large 350 × 250 × 100 mm",
                "inner_size_mm=350 × 250 × 100",
                140,
            ),
        ],
        colors: &[BLACK, WHITE, BURGUNDY],
    },
    ProductFamily {
        company: YONGHUA_PACKAGING,
        sku: "YH-KB",
        category: "paper-bags",
        title_zh: "牛皮纸手提袋",
        title_en: "Kraft Paper Carrier Bag",
        about_zh: "120克牛皮纸，纸绳提手，可印刷logo，适合零售和餐饮外带。",
        about_en: "120 g kraft with twisted paper handles, printable, for shops and takeaway.",
        drawing: Drawing::Bag,
        unit: "piece",
        moq: 2_000,
        unit_price_minor: 95,
        currency: Currency::CNY,
        lead_time_days: 10,
        origin: NINGBO,
        attributes: "handle=twisted paper; paper_weight_gsm=120; printing=1 colour flexo",
        sizes: &[
            size(
                "S",
                "小号 210 × 110 × 270 mm",
                "Small 210 × 110 × 270 mm",
                "size_mm=210 × 110 × 270",
                80,
            ),
            size(
                "M",
                "中号 260 × 120 × 320 mm",
                "Medium 260 × 120 × 320 mm",
                "size_mm=260 × 120 × 320",
                100,
            ),
            size(
                "L",
                "大号 320 × 110 × 410 mm",
                "Large 320 × 110 × 410 mm",
                "size_mm=320 × 110 × 410",
                125,
            ),
        ],
        colors: &[
            color_with(
                "BR",
                "本色牛皮",
                "Brown Kraft",
                [176, 132, 84],
                "paper=brown kraft",
            ),
            color_with(
                "WH",
                "白牛皮",
                "White Kraft",
                [232, 228, 220],
                "paper=white kraft",
            ),
        ],
    },
    ProductFamily {
        company: YONGHUA_PACKAGING,
        sku: "YH-SF",
        category: "stretch-film",
        title_zh: "手用缠绕膜 500毫米",
        title_en: "Hand Stretch Film 500 mm",
        about_zh: "LLDPE流延缠绕膜，拉伸率300%，托盘打包用。",
        about_en: "Cast LLDPE film with 300% stretch for wrapping pallets by hand.",
        drawing: Drawing::Roll,
        unit: "roll",
        moq: 100,
        unit_price_minor: 3_200,
        currency: Currency::CNY,
        lead_time_days: 5,
        origin: NINGBO,
        attributes: "width_mm=500; roll_length_m=300; application=hand wrap",
        sizes: &[
            same("17", "17μm", "thickness_micron=17", 90),
            same("20", "20μm", "thickness_micron=20", 100),
            same("23", "23μm", "thickness_micron=23", 112),
        ],
        colors: &[CLEAR, BLACK],
    },
    ProductFamily {
        company: YONGHUA_PACKAGING,
        sku: "YH-PM",
        category: "poly-mailers",
        title_zh: "共挤PE快递袋",
        title_en: "Co-Extruded Poly Mailer",
        about_zh: "黑白共挤不透光，自粘封口，撕开即毁防拆。",
        about_en: "Opaque co-extruded film with a self-seal, tamper-evident strip.",
        drawing: Drawing::Bag,
        unit: "piece",
        moq: 5_000,
        unit_price_minor: 32,
        currency: Currency::CNY,
        lead_time_days: 7,
        origin: NINGBO,
        attributes: "material=co-extruded PE; thickness_micron=60",
        sizes: &[
            same("25", "250 × 350 mm", "size_mm=250 × 350", 70),
            same("32", "320 × 420 mm", "size_mm=320 × 420", 100),
            same("38", "380 × 520 mm", "size_mm=380 × 520", 140),
        ],
        colors: &[GREY, PINK],
    },
    ProductFamily {
        company: YONGHUA_PACKAGING,
        sku: "YH-TP",
        category: "packing-tape",
        title_zh: "BOPP封箱胶带",
        title_en: "BOPP Packing Tape",
        about_zh: "水性压敏胶，粘性强，低噪音，36卷一箱。",
        about_en: "Water-based acrylic adhesive with a strong, quiet unwind; 36 rolls to a carton.",
        drawing: Drawing::Roll,
        unit: "roll",
        moq: 360,
        unit_price_minor: 380,
        currency: Currency::CNY,
        lead_time_days: 5,
        origin: NINGBO,
        attributes: "adhesive=acrylic; thickness_micron=45",
        sizes: &[
            same("48-100", "48mm × 100m", "width_mm=48; length_m=100", 100),
            same("48-150", "48mm × 150m", "width_mm=48; length_m=150", 140),
            same("72-100", "72mm × 100m", "width_mm=72; length_m=100", 150),
        ],
        colors: &[CLEAR, color("TN", "米黄", "Tan", [200, 160, 100])],
    },
    // 佛山顺德华铭家具: office and home furniture.
    ProductFamily {
        company: HUAMING_FURNITURE,
        sku: "HM-MESH",
        category: "office-chairs",
        title_zh: "人体工学网布办公椅",
        title_en: "Ergonomic Mesh Office Chair",
        about_zh: "高弹网布靠背，可调腰托，通过BIFMA测试，拆装发货节省运费。",
        about_en: "An elastic mesh back with adjustable lumbar support, BIFMA tested, shipped knocked down to save freight.",
        drawing: Drawing::Chair,
        unit: "piece",
        moq: 20,
        unit_price_minor: 32_000,
        currency: Currency::CNY,
        lead_time_days: 25,
        origin: SHUNDE,
        attributes: "material=mesh; max_load_kg=150; assembly=knock-down (flat pack)",
        sizes: &[
            size(
                "STD",
                "标准款",
                "Standard",
                "mechanism=tilt; armrests=2D adjustable",
                100,
            ),
            size(
                "PRO",
                "带头枕Pro款",
                "Pro with headrest",
                "mechanism=synchro; armrests=4D adjustable",
                160,
            ),
        ],
        colors: &[BLACK, NAVY],
    },
    ProductFamily {
        company: HUAMING_FURNITURE,
        sku: "HM-EXEC",
        category: "office-chairs",
        title_zh: "PU皮大班椅",
        title_en: "PU Leather Executive Chair",
        about_zh: "高背大班椅，多功能底盘可锁定角度，铝合金五星脚。",
        about_en: "A high-back executive chair with a lockable multi-function mechanism and an aluminium base.",
        drawing: Drawing::Chair,
        unit: "piece",
        moq: 20,
        unit_price_minor: 58_000,
        currency: Currency::CNY,
        lead_time_days: 30,
        origin: SHUNDE,
        attributes: "material=PU leather; mechanism=multi-function; armrests=fixed; max_load_kg=136",
        sizes: ONE_SIZE,
        colors: &[BLACK, BROWN],
    },
    ProductFamily {
        company: HUAMING_FURNITURE,
        sku: "HM-DESK",
        category: "office-desks",
        title_zh: "电动升降办公桌 双电机",
        title_en: "Electric Standing Desk, Dual Motor",
        about_zh: "双电机升降，高度62–127厘米，四档记忆，防撞回退。",
        about_en: "Dual motors lift it from 62 to 127 cm, with four memory positions and anti-collision.",
        drawing: Drawing::Table,
        unit: "set",
        moq: 10,
        unit_price_minor: 98_000,
        currency: Currency::CNY,
        lead_time_days: 30,
        origin: SHUNDE,
        attributes: "top_material=melamine board; height_adjustable=electric dual motor; assembly=knock-down (flat pack)",
        sizes: &[
            same("120", "120 × 60 cm", "size_cm=120 × 60", 90),
            same("140", "140 × 70 cm", "size_cm=140 × 70", 100),
            same("160", "160 × 80 cm", "size_cm=160 × 80", 115),
        ],
        colors: &[WHITE, BLACK, OAK],
    },
    ProductFamily {
        company: HUAMING_FURNITURE,
        sku: "HM-SOFA",
        category: "sofas",
        title_zh: "北欧布艺沙发",
        title_en: "Scandinavian Fabric Sofa",
        about_zh: "实木松木框架，高回弹海绵，布套可拆洗。",
        about_en: "A solid pine frame, high-resilience foam and removable, washable covers.",
        drawing: Drawing::Sofa,
        unit: "set",
        moq: 5,
        unit_price_minor: 168_000,
        currency: Currency::CNY,
        lead_time_days: 35,
        origin: SHUNDE,
        attributes: "upholstery=fabric; frame=solid pine and plywood; assembly=assembled",
        sizes: &[
            size("2S", "双人位", "2-seater", "seats=2", 75),
            size("3S", "三人位", "3-seater", "seats=3", 100),
            size("4S", "四人位", "4-seater", "seats=4", 125),
        ],
        colors: &[GREY, BEIGE, GREEN],
    },
    ProductFamily {
        company: HUAMING_FURNITURE,
        sku: "HM-VDC",
        category: "dining-chairs",
        title_zh: "丝绒餐椅 金属脚",
        title_en: "Velvet Dining Chair, Metal Legs",
        about_zh: "荷兰绒面料，黑色粉末喷涂铁脚，两把一箱。",
        about_en: "Dutch velvet on black powder-coated steel legs, two chairs to a carton.",
        drawing: Drawing::Chair,
        unit: "piece",
        moq: 50,
        unit_price_minor: 22_000,
        currency: Currency::CNY,
        lead_time_days: 25,
        origin: SHUNDE,
        attributes: "material=metal frame; seat=velvet upholstered; stackable=no; assembly=knock-down (flat pack)",
        sizes: ONE_SIZE,
        colors: &[GREEN, PINK, NAVY, GREY],
    },
    ProductFamily {
        company: HUAMING_FURNITURE,
        sku: "HM-CTS",
        category: "coffee-tables",
        title_zh: "岩板茶几",
        title_en: "Sintered Stone Coffee Table",
        about_zh: "12毫米岩板台面，耐高温耐刮擦，碳钢烤漆底架。",
        about_en: "A 12 mm sintered stone top that shrugs off heat and scratches, on a lacquered steel base.",
        drawing: Drawing::Table,
        unit: "piece",
        moq: 10,
        unit_price_minor: 128_000,
        currency: Currency::CNY,
        lead_time_days: 30,
        origin: SHUNDE,
        attributes: "top_material=sintered stone; assembly=assembled",
        sizes: &[
            same("100", "100 × 50 cm", "size_cm=100 × 50", 85),
            same("120", "120 × 60 cm", "size_cm=120 × 60", 100),
        ],
        colors: &[WHITE, BLACK],
    },
    // 东莞精拓塑胶模具: moulds, and the parts they make.
    ProductFamily {
        company: JINGTUO_MOULDS,
        sku: "JT-MLD",
        category: "injection-moulds",
        title_zh: "精密注塑模具 718H",
        title_en: "Precision Injection Mould, 718H Steel",
        about_zh: "按客户图纸开模，718H预硬钢，含DFM分析和试模样品。",
        about_en: "Built to your drawings in pre-hardened 718H, with a DFM report and trial samples included.",
        drawing: Drawing::Block,
        unit: "set",
        moq: 1,
        unit_price_minor: 2_800_000,
        currency: Currency::CNY,
        lead_time_days: 35,
        origin: DONGGUAN,
        attributes: "mould_steel=718H; mould_life_shots=500000; part_material=ABS, PP, PC; standard=HASCO / DME",
        sizes: &[
            size(
                "1C",
                "1穴冷流道",
                "1 cavity, cold runner",
                "cavities=1; runner=cold runner",
                100,
            ),
            size(
                "2C",
                "2穴冷流道",
                "2 cavities, cold runner",
                "cavities=2; runner=cold runner",
                140,
            ),
            size(
                "4C",
                "4穴热流道",
                "4 cavities, hot runner",
                "cavities=4; runner=hot runner",
                210,
            ),
            size(
                "8C",
                "8穴热流道",
                "8 cavities, hot runner",
                "cavities=8; runner=hot runner",
                320,
            ),
        ],
        colors: &[unnamed([110, 116, 128])],
    },
    ProductFamily {
        company: JINGTUO_MOULDS,
        sku: "JT-ABS",
        category: "plastic-parts",
        title_zh: "ABS注塑外壳 来图定制",
        title_en: "Custom ABS Injection Moulded Housing",
        about_zh: "电子产品外壳注塑加工，可做喷油、丝印和超声波焊接。",
        about_en: "Moulded housings for electronics, with painting, silk printing and ultrasonic welding in house.",
        drawing: Drawing::Block,
        unit: "piece",
        moq: 5_000,
        unit_price_minor: 180,
        currency: Currency::CNY,
        lead_time_days: 20,
        origin: DONGGUAN,
        attributes: "material=ABS; part_weight_g=45; tolerance_mm=0.05",
        sizes: ONE_SIZE,
        colors: &[BLACK, WHITE, GREY],
    },
    ProductFamily {
        company: JINGTUO_MOULDS,
        sku: "JT-PPC",
        category: "plastic-parts",
        title_zh: "PP注塑卡扣",
        title_en: "PP Moulded Snap Clips",
        about_zh: "",
        about_en: "Snap clips in polypropylene for trim panels and cable routing.",
        drawing: Drawing::Block,
        unit: "piece",
        moq: 20_000,
        unit_price_minor: 12,
        currency: Currency::CNY,
        lead_time_days: 15,
        origin: DONGGUAN,
        attributes: "material=PP; part_weight_g=3.5; tolerance_mm=0.1",
        sizes: ONE_SIZE,
        colors: &[BLACK, WHITE],
    },
    ProductFamily {
        company: JINGTUO_MOULDS,
        sku: "JT-FSC",
        category: "storage-containers",
        title_zh: "PP保鲜盒 卡扣密封",
        title_en: "PP Food Storage Container, Snap-Lock Lid",
        about_zh: "四边卡扣硅胶密封，可微波可冷冻，可叠放。",
        about_en: "Four snap locks and a silicone seal; microwave and freezer safe, and the boxes stack.",
        drawing: Drawing::Jar,
        unit: "piece",
        moq: 1_000,
        unit_price_minor: 420,
        currency: Currency::CNY,
        lead_time_days: 15,
        origin: DONGGUAN,
        attributes: "material=PP; microwave_safe=yes",
        sizes: &[
            same("500", "500ml", "capacity_ml=500", 70),
            same("1000", "1000ml", "capacity_ml=1000", 100),
            same("1500", "1500ml", "capacity_ml=1500", 125),
            same("2000", "2000ml", "capacity_ml=2000", 150),
        ],
        colors: &[CLEAR, GREEN],
    },
    // 温州瑞步鞋业: sports, casual and leather shoes, and slippers.
    ProductFamily {
        company: RUIBU_SHOES,
        sku: "RB-RUN",
        category: "sports-shoes",
        title_zh: "飞织透气跑鞋",
        title_en: "Knit Breathable Running Shoes",
        about_zh: "一体飞织鞋面，EVA缓震中底，防滑橡胶耐磨片。",
        about_en: "A one-piece knit upper on a cushioning EVA midsole with rubber grip pads.",
        drawing: Drawing::Shoe,
        unit: "pair",
        moq: 300,
        unit_price_minor: 6_800,
        currency: Currency::CNY,
        lead_time_days: 30,
        origin: WENZHOU,
        attributes: "upper=knit; sole=EVA",
        sizes: &[
            size("M", "男款", "Men's", "gender=men; size_range=EU 39–45", 100),
            size(
                "W",
                "女款",
                "Women's",
                "gender=women; size_range=EU 35–40",
                95,
            ),
        ],
        colors: &[BLACK, GREY, WHITE],
    },
    ProductFamily {
        company: RUIBU_SHOES,
        sku: "RB-CNV",
        category: "casual-shoes",
        title_zh: "经典硫化帆布鞋",
        title_en: "Classic Vulcanised Canvas Sneakers",
        about_zh: "硫化工艺橡胶底，12安帆布鞋面，男女同款。",
        about_en: "A vulcanised rubber sole and a 12 oz canvas upper, one style for everyone.",
        drawing: Drawing::Shoe,
        unit: "pair",
        moq: 500,
        unit_price_minor: 2_900,
        currency: Currency::CNY,
        lead_time_days: 25,
        origin: WENZHOU,
        attributes: "upper=canvas; sole=rubber; gender=unisex; size_range=EU 35–44",
        sizes: ONE_SIZE,
        colors: &[WHITE, BLACK, NAVY, RED, YELLOW],
    },
    ProductFamily {
        company: RUIBU_SHOES,
        sku: "RB-OXF",
        category: "leather-shoes",
        title_zh: "头层牛皮正装皮鞋 牛津款",
        title_en: "Cow Leather Oxford Dress Shoes",
        about_zh: "头层牛皮鞋面，猪皮内里，橡胶大底，固特异工艺可选。",
        about_en: "Full-grain cow leather with pigskin lining and a rubber sole; Goodyear welting on request.",
        drawing: Drawing::Shoe,
        unit: "pair",
        moq: 120,
        unit_price_minor: 16_800,
        currency: Currency::CNY,
        lead_time_days: 35,
        origin: WENZHOU,
        attributes: "upper=cow leather; style=oxford; sole=rubber; gender=men; size_range=EU 38–46",
        sizes: ONE_SIZE,
        colors: &[BLACK, BROWN],
    },
    ProductFamily {
        company: RUIBU_SHOES,
        sku: "RB-LOAF",
        category: "leather-shoes",
        title_zh: "",
        title_en: "Suede Penny Loafers",
        about_zh: "",
        about_en: "Soft suede penny loafers on a light rubber sole, made for European retail.",
        drawing: Drawing::Shoe,
        unit: "pair",
        moq: 120,
        unit_price_minor: 13_800,
        currency: Currency::CNY,
        lead_time_days: 35,
        origin: WENZHOU,
        attributes: "upper=suede; style=loafer; sole=rubber; gender=men; size_range=EU 39–46",
        sizes: ONE_SIZE,
        colors: &[BROWN, NAVY, BURGUNDY],
    },
    ProductFamily {
        company: RUIBU_SHOES,
        sku: "RB-SLP",
        category: "slippers",
        title_zh: "EVA防滑浴室拖鞋",
        title_en: "Non-Slip EVA Bathroom Slippers",
        about_zh: "一体成型EVA，轻软防滑，可水洗。",
        about_en: "One-piece moulded EVA: light, soft, non-slip and washable.",
        drawing: Drawing::Shoe,
        unit: "pair",
        moq: 1_200,
        unit_price_minor: 650,
        currency: Currency::CNY,
        lead_time_days: 15,
        origin: WENZHOU,
        attributes: "material=EVA; gender=unisex; size_range=EU 36–45",
        sizes: ONE_SIZE,
        colors: &[GREY, SKY_BLUE, PINK, GREEN, BLACK],
    },
    // 厦门茗香源茶业: Fujian's oolong, black and white teas, and tea sets.
    ProductFamily {
        company: MINGXIANGYUAN_TEA,
        sku: "MX-TGY",
        category: "oolong-tea",
        title_zh: "安溪铁观音 清香型",
        title_en: "Anxi Tieguanyin Oolong, Light Roast",
        about_zh: "安溪原产清香型铁观音，兰花香，8克小泡袋真空包装。",
        about_en: "Light-roast Tieguanyin from Anxi with an orchid aroma, vacuum packed in 8 g sachets.",
        drawing: Drawing::Leaf,
        unit: "kg",
        moq: 10,
        unit_price_minor: 36_000,
        currency: Currency::CNY,
        lead_time_days: 7,
        origin: "安溪, 福建",
        attributes: "variety=Tieguanyin; roast=light; growing_region=Anxi, Fujian; packing=8 g vacuum sachets, 500 g per box; shelf_life_months=18",
        sizes: &[
            size("SP", "特级", "Special grade", "grade=special grade", 180),
            size("G1", "一级", "Grade 1", "grade=grade 1", 100),
            size("G2", "二级", "Grade 2", "grade=grade 2", 70),
        ],
        colors: &[unnamed(TEA_GREEN)],
    },
    ProductFamily {
        company: MINGXIANGYUAN_TEA,
        sku: "MX-DHP",
        category: "oolong-tea",
        title_zh: "武夷岩茶 大红袍",
        title_en: "Wuyi Rock Tea Da Hong Pao",
        about_zh: "武夷山岩茶，传统炭焙，岩韵明显。",
        about_en: "Charcoal-roasted rock tea from the Wuyi mountains.",
        drawing: Drawing::Leaf,
        unit: "kg",
        moq: 5,
        unit_price_minor: 48_000,
        currency: Currency::CNY,
        lead_time_days: 7,
        origin: "武夷山, 福建",
        attributes: "variety=Da Hong Pao; roast=heavy; growing_region=Wuyishan, Fujian; packing=250 g tins; shelf_life_months=24",
        sizes: &[
            size("SP", "特级", "Special grade", "grade=special grade", 150),
            size("G1", "一级", "Grade 1", "grade=grade 1", 100),
        ],
        colors: &[unnamed(TEA_DARK)],
    },
    ProductFamily {
        company: MINGXIANGYUAN_TEA,
        sku: "MX-LSS",
        category: "black-tea",
        title_zh: "正山小种红茶",
        title_en: "Lapsang Souchong Black Tea",
        about_zh: "桐木关正山小种，松烟香，出口欧洲多年。",
        about_en: "Lapsang Souchong from Tongmuguan with its pine-smoke aroma, exported to Europe for years.",
        drawing: Drawing::Leaf,
        unit: "kg",
        moq: 20,
        unit_price_minor: 22_000,
        currency: Currency::CNY,
        lead_time_days: 10,
        origin: "武夷山, 福建",
        attributes: "variety=Lapsang Souchong; form=loose leaf; growing_region=Tongmuguan, Wuyishan; packing=5 kg foil bags in cartons; shelf_life_months=24; certification=EU MRL tested",
        sizes: &[
            size("SP", "特级", "Special grade", "grade=special grade", 160),
            size("G1", "一级", "Grade 1", "grade=grade 1", 100),
            size("G3", "三级", "Grade 3", "grade=grade 3", 55),
        ],
        colors: &[unnamed(TEA_RED)],
    },
    ProductFamily {
        company: MINGXIANGYUAN_TEA,
        sku: "MX-DHB",
        category: "black-tea",
        title_zh: "滇红袋泡茶 100包",
        title_en: "Yunnan Black Tea Bags, Box of 100",
        about_zh: "滇红碎茶，无纺布茶包，可做贴牌。",
        about_en: "Broken Dianhong in non-woven bags; private label welcome.",
        drawing: Drawing::Leaf,
        unit: "box",
        moq: 200,
        unit_price_minor: 2_800,
        currency: Currency::CNY,
        lead_time_days: 14,
        origin: "Xiamen, Fujian",
        attributes: "variety=Dianhong (Yunnan); form=tea bags; packing=100 bags of 2 g per box; shelf_life_months=24",
        sizes: ONE_SIZE,
        colors: &[unnamed(TEA_RED)],
    },
    ProductFamily {
        company: MINGXIANGYUAN_TEA,
        sku: "MX-LJ",
        category: "green-tea",
        title_zh: "西湖龙井 明前",
        title_en: "West Lake Longjing, Pre-Qingming",
        about_zh: "清明前采摘，手工炒制，豆香浓郁。",
        about_en: "Picked before Qingming and pan-fired by hand, with a chestnut aroma.",
        drawing: Drawing::Leaf,
        unit: "kg",
        moq: 2,
        unit_price_minor: 88_000,
        currency: Currency::CNY,
        lead_time_days: 5,
        origin: "杭州, 浙江",
        attributes: "variety=Longjing (Dragon Well); harvest=pre-Qingming; growing_region=West Lake, Hangzhou; packing=250 g tins; shelf_life_months=12",
        sizes: &[
            size("SP", "特级", "Special grade", "grade=special grade", 140),
            size("G1", "一级", "Grade 1", "grade=grade 1", 100),
        ],
        colors: &[unnamed(TEA_GREEN)],
    },
    ProductFamily {
        company: MINGXIANGYUAN_TEA,
        sku: "MX-GP",
        category: "green-tea",
        title_zh: "珠茶 出口级",
        title_en: "Gunpowder Green Tea, Export Grade",
        about_zh: "颗粒紧结，适合北非和中东市场的薄荷茶。",
        about_en: "Tightly rolled pellets, the base of mint tea in North Africa and the Middle East.",
        drawing: Drawing::Leaf,
        unit: "kg",
        moq: 500,
        unit_price_minor: 4_200,
        currency: Currency::CNY,
        lead_time_days: 15,
        origin: "Xiamen, Fujian",
        attributes: "variety=Gunpowder; harvest=summer; packing=25 kg cartons; shelf_life_months=24",
        sizes: &[
            same("3505", "3505", "grade=grade 1", 100),
            same("9475", "9475", "grade=grade 2", 85),
        ],
        colors: &[unnamed(TEA_DARK)],
    },
    ProductFamily {
        company: MINGXIANGYUAN_TEA,
        sku: "MX-BMD",
        category: "white-tea",
        title_zh: "福鼎白牡丹",
        title_en: "Fuding White Peony",
        about_zh: "福鼎大白茶一芽二叶，日光萎凋，花香清甜。",
        about_en: "One bud and two leaves of Fuding Dabai, sun-withered, sweet and floral.",
        drawing: Drawing::Leaf,
        unit: "kg",
        moq: 5,
        unit_price_minor: 32_000,
        currency: Currency::CNY,
        lead_time_days: 7,
        origin: "福鼎, 福建",
        attributes: "variety=White Peony; form=loose leaf; growing_region=Fuding, Fujian; packing=500 g bags",
        sizes: &[
            size("SP", "特级", "Special grade", "grade=special grade", 130),
            size("G1", "一级", "Grade 1", "grade=grade 1", 100),
        ],
        colors: &[unnamed(TEA_WHITE)],
    },
    ProductFamily {
        company: MINGXIANGYUAN_TEA,
        sku: "MX-SMC",
        category: "white-tea",
        title_zh: "寿眉茶饼 357克",
        title_en: "Shoumei Pressed Tea Cake 357 g",
        about_zh: "老白茶紧压茶饼，越陈越香。",
        about_en: "Aged white tea pressed into cakes; it sweetens with the years.",
        drawing: Drawing::Leaf,
        unit: "piece",
        moq: 50,
        unit_price_minor: 16_800,
        currency: Currency::CNY,
        lead_time_days: 7,
        origin: "福鼎, 福建",
        attributes: "variety=Shoumei; form=pressed cake; growing_region=Fuding, Fujian; packing=cotton paper wrap, 7 cakes per tong",
        sizes: &[
            same("2019", "2019", "harvest_year=2019", 140),
            same("2021", "2021", "harvest_year=2021", 100),
        ],
        colors: &[unnamed([150, 130, 90])],
    },
    ProductFamily {
        company: MINGXIANGYUAN_TEA,
        sku: "MX-TSET",
        category: "tea-sets",
        title_zh: "景德镇陶瓷功夫茶具 10件套",
        title_en: "Jingdezhen Porcelain Gongfu Tea Set, 10 Pieces",
        about_zh: "一壶一公道杯八品茗杯，礼盒包装。",
        about_en: "A teapot, a fair cup and eight tasting cups in a gift box.",
        drawing: Drawing::Teapot,
        unit: "set",
        moq: 50,
        unit_price_minor: 12_800,
        currency: Currency::CNY,
        lead_time_days: 20,
        origin: "景德镇, 江西",
        attributes: "pieces=10",
        sizes: ONE_SIZE,
        colors: &[
            color_with(
                "BW",
                "青花",
                "Blue and White",
                [40, 70, 150],
                "material=porcelain",
            ),
            color_with("CE", "天青", "Celadon", [130, 180, 160], "material=celadon"),
        ],
    },
    // 青岛华振机械配件: bearings, gears, fittings and fasteners, priced in dollars.
    ProductFamily {
        company: HUAZHEN_MACHINE_PARTS,
        sku: "HZ-62",
        category: "ball-bearings",
        title_zh: "深沟球轴承 6200系列",
        title_en: "Deep Groove Ball Bearing, 6200 Series",
        about_zh: "GCr15轴承钢，P0级精度，Z2V2低噪音。",
        about_en: "GCr15 chrome steel, P0 precision, Z2V2 low noise.",
        drawing: Drawing::Bearing,
        unit: "piece",
        moq: 1_000,
        unit_price_minor: 42,
        currency: Currency::USD,
        lead_time_days: 15,
        origin: QINGDAO,
        attributes: "material=chrome steel GCr15; standard=GB/T 276, ISO 15",
        sizes: &[
            same(
                "6201",
                "6201",
                "model=6201; bore_mm=12; outer_diameter_mm=32; width_mm=10",
                75,
            ),
            same(
                "6202",
                "6202",
                "model=6202; bore_mm=15; outer_diameter_mm=35; width_mm=11",
                80,
            ),
            same(
                "6203",
                "6203",
                "model=6203; bore_mm=17; outer_diameter_mm=40; width_mm=12",
                90,
            ),
            same(
                "6204",
                "6204",
                "model=6204; bore_mm=20; outer_diameter_mm=47; width_mm=14",
                100,
            ),
            same(
                "6205",
                "6205",
                "model=6205; bore_mm=25; outer_diameter_mm=52; width_mm=15",
                120,
            ),
        ],
        colors: &[
            color_with(
                "ZZ",
                "铁封",
                "ZZ shields",
                BEARING_STEEL,
                "seal=ZZ (metal shields)",
            ),
            color_with(
                "2RS",
                "胶封",
                "2RS seals",
                [60, 60, 66],
                "seal=2RS (rubber seals)",
            ),
        ],
    },
    ProductFamily {
        company: HUAZHEN_MACHINE_PARTS,
        sku: "HZ-SPUR",
        category: "gears",
        title_zh: "直齿圆柱齿轮 45号钢",
        title_en: "Spur Gear, C45 Steel",
        about_zh: "滚齿加工，齿面高频淬火，可按图纸加工键槽。",
        about_en: "Hobbed teeth, induction hardened; keyways machined to your drawing.",
        drawing: Drawing::Gear,
        unit: "piece",
        moq: 200,
        unit_price_minor: 380,
        currency: Currency::USD,
        lead_time_days: 25,
        origin: QINGDAO,
        attributes: "gear_type=spur; material=45# steel; standard=ISO 1328-1 grade 8",
        sizes: &[
            same("M15Z20", "m1.5 z20", "module=1.5; teeth=20", 60),
            same("M2Z30", "m2 z30", "module=2; teeth=30", 100),
            same("M25Z40", "m2.5 z40", "module=2.5; teeth=40", 150),
            same("M3Z50", "m3 z50", "module=3; teeth=50", 220),
        ],
        colors: &[unnamed([150, 120, 70])],
    },
    ProductFamily {
        company: HUAZHEN_MACHINE_PARTS,
        sku: "HZ-BSP",
        category: "hydraulic-fittings",
        title_zh: "液压直通接头 BSP",
        title_en: "BSP Hydraulic Straight Adapter",
        about_zh: "碳钢镀锌，60度锥面密封，每件100%气密检测。",
        about_en: "Zinc-plated carbon steel with a 60° cone seat; every piece is pressure tested.",
        drawing: Drawing::Bolt,
        unit: "piece",
        moq: 500,
        unit_price_minor: 65,
        currency: Currency::USD,
        lead_time_days: 20,
        origin: QINGDAO,
        attributes: "thread=BSP; material=carbon steel",
        sizes: &[
            same("04", "1/4\"", "size=1/4\"; pressure_bar=400", 80),
            same("06", "3/8\"", "size=3/8\"; pressure_bar=350", 100),
            same("08", "1/2\"", "size=1/2\"; pressure_bar=300", 130),
            same("12", "3/4\"", "size=3/4\"; pressure_bar=250", 190),
        ],
        colors: &[unnamed([196, 176, 90])],
    },
    ProductFamily {
        company: HUAZHEN_MACHINE_PARTS,
        sku: "HZ-HB88",
        category: "fasteners",
        title_zh: "8.8级外六角螺栓 镀锌 (100只/盒)",
        title_en: "Grade 8.8 Hex Bolts, Zinc Plated (Box of 100)",
        about_zh: "DIN 933全螺纹外六角螺栓，蓝白锌。",
        about_en: "DIN 933 fully threaded hex bolts with blue-white zinc plating.",
        drawing: Drawing::Bolt,
        unit: "box",
        moq: 100,
        unit_price_minor: 380,
        currency: Currency::USD,
        lead_time_days: 15,
        origin: QINGDAO,
        attributes: "fastener_type=hex bolt; grade=8.8; finish=zinc plated; standard=DIN 933",
        sizes: &[
            same("M6", "M6 × 30", "thread_size=M6; length_mm=30", 60),
            same("M8", "M8 × 40", "thread_size=M8; length_mm=40", 100),
            same("M10", "M10 × 50", "thread_size=M10; length_mm=50", 160),
            same("M12", "M12 × 60", "thread_size=M12; length_mm=60", 240),
        ],
        colors: &[unnamed([150, 170, 200])],
    },
    ProductFamily {
        company: HUAZHEN_MACHINE_PARTS,
        sku: "HZ-SCS",
        category: "fasteners",
        title_zh: "",
        title_en: "A2-70 Stainless Socket Cap Screws (Box of 100)",
        about_zh: "",
        about_en: "DIN 912 socket head cap screws in A2-70 stainless steel.",
        drawing: Drawing::Bolt,
        unit: "box",
        moq: 100,
        unit_price_minor: 520,
        currency: Currency::USD,
        lead_time_days: 15,
        origin: QINGDAO,
        attributes: "fastener_type=socket cap screw; grade=A2-70; finish=plain; standard=DIN 912",
        sizes: &[
            same("M4", "M4 × 12", "thread_size=M4; length_mm=12", 70),
            same("M5", "M5 × 16", "thread_size=M5; length_mm=16", 85),
            same("M6", "M6 × 20", "thread_size=M6; length_mm=20", 100),
        ],
        colors: &[unnamed([186, 188, 194])],
    },
    // 广州美妍化妆品包装: bottles, jars and tubes for the beauty trade.
    ProductFamily {
        company: MEIYAN_COSMETICS_PACKAGING,
        sku: "MY-PET",
        category: "lotion-pump-bottles",
        title_zh: "PET乳液泵瓶",
        title_en: "PET Lotion Pump Bottle",
        about_zh: "食品级PET瓶身，配乳液泵头，可丝印烫金。",
        about_en: "A food-grade PET bottle with a lotion pump; silk printing and hot foil available.",
        drawing: Drawing::PumpBottle,
        unit: "piece",
        moq: 5_000,
        unit_price_minor: 160,
        currency: Currency::CNY,
        lead_time_days: 15,
        origin: GUANGZHOU,
        attributes: "material=PET",
        sizes: &[
            same("100", "100ml", "capacity_ml=100; neck_finish=20/410", 70),
            same("200", "200ml", "capacity_ml=200; neck_finish=24/410", 100),
            same("300", "300ml", "capacity_ml=300; neck_finish=24/410", 120),
            same("500", "500ml", "capacity_ml=500; neck_finish=28/410", 150),
        ],
        colors: &[CLEAR, AMBER],
    },
    ProductFamily {
        company: MEIYAN_COSMETICS_PACKAGING,
        sku: "MY-DRP",
        category: "dropper-bottles",
        title_zh: "玻璃精华滴管瓶",
        title_en: "Glass Serum Dropper Bottle",
        about_zh: "厚底玻璃瓶，配胶头滴管，适合精华液和精油。",
        about_en: "A thick-based glass bottle with a rubber-bulb dropper for serums and essential oils.",
        drawing: Drawing::PumpBottle,
        unit: "piece",
        moq: 3_000,
        unit_price_minor: 135,
        currency: Currency::CNY,
        lead_time_days: 15,
        origin: GUANGZHOU,
        attributes: "dropper=rubber bulb",
        sizes: &[
            same("15", "15ml", "capacity_ml=15", 85),
            same("30", "30ml", "capacity_ml=30", 100),
            same("50", "50ml", "capacity_ml=50", 125),
        ],
        colors: &[
            color_with(
                "AM",
                "茶色",
                "Amber",
                [176, 100, 30],
                "material=amber glass",
            ),
            color_with(
                "CL",
                "透明",
                "Clear",
                [170, 206, 226],
                "material=clear glass",
            ),
            color_with(
                "FR",
                "磨砂",
                "Frosted",
                [210, 214, 216],
                "material=frosted glass",
            ),
        ],
    },
    ProductFamily {
        company: MEIYAN_COSMETICS_PACKAGING,
        sku: "MY-ACJ",
        category: "cream-jars",
        title_zh: "亚克力双层膏霜瓶",
        title_en: "Acrylic Double-Wall Cream Jar",
        about_zh: "双层亚克力外观厚重，内胆PP可直接接触膏体。",
        about_en: "A heavy-looking double acrylic wall around a PP inner cup that is safe for creams.",
        drawing: Drawing::Jar,
        unit: "piece",
        moq: 3_000,
        unit_price_minor: 210,
        currency: Currency::CNY,
        lead_time_days: 18,
        origin: GUANGZHOU,
        attributes: "material=acrylic double wall",
        sizes: &[
            same("15", "15g", "capacity_g=15", 80),
            same("30", "30g", "capacity_g=30", 100),
            same("50", "50g", "capacity_g=50", 125),
        ],
        colors: &[WHITE, PINK],
    },
    ProductFamily {
        company: MEIYAN_COSMETICS_PACKAGING,
        sku: "MY-LIP",
        category: "lipstick-tubes",
        title_zh: "铝制口红管 12.1mm",
        title_en: "Aluminium Lipstick Tube 12.1 mm",
        about_zh: "阳极氧化铝外管，磁吸盖，旋转顺滑。",
        about_en: "An anodised aluminium case with a magnetic cap and a smooth twist.",
        drawing: Drawing::Lipstick,
        unit: "piece",
        moq: 3_000,
        unit_price_minor: 260,
        currency: Currency::CNY,
        lead_time_days: 20,
        origin: GUANGZHOU,
        attributes: "material=aluminium; bullet_diameter_mm=12.1; shape=round",
        sizes: ONE_SIZE,
        colors: &[GOLD, ROSE_GOLD, SILVER, BLACK, RED],
    },
    // 苏州吴江锦绣丝绸: silk by the metre, scarves and pillowcases.
    ProductFamily {
        company: JINXIU_SILK,
        sku: "JX-CHM19",
        category: "silk-fabrics",
        title_zh: "19姆米真丝素绉缎",
        title_en: "19 Momme Silk Charmeuse",
        about_zh: "6A级桑蚕丝，缎面光泽柔和，门幅114厘米。",
        about_en: "Grade 6A mulberry silk with a soft satin lustre, 114 cm wide.",
        drawing: Drawing::Roll,
        unit: "metre",
        moq: 100,
        unit_price_minor: 9_800,
        currency: Currency::CNY,
        lead_time_days: 10,
        origin: WUJIANG,
        attributes: "silk_type=charmeuse; momme=19; width_cm=114",
        sizes: ONE_SIZE,
        colors: &[IVORY, BLACK, BURGUNDY, NAVY, CHAMPAGNE],
    },
    ProductFamily {
        company: JINXIU_SILK,
        sku: "JX-CDC16",
        category: "silk-fabrics",
        title_zh: "16姆米真丝双绉",
        title_en: "16 Momme Silk Crepe de Chine",
        about_zh: "双绉面料垂感好，适合衬衫和连衣裙。",
        about_en: "A crepe with a fluid drape for blouses and dresses.",
        drawing: Drawing::Roll,
        unit: "metre",
        moq: 100,
        unit_price_minor: 8_600,
        currency: Currency::CNY,
        lead_time_days: 10,
        origin: WUJIANG,
        attributes: "silk_type=crepe de chine; momme=16; width_cm=140",
        sizes: ONE_SIZE,
        colors: &[IVORY, SKY_BLUE, PINK],
    },
    ProductFamily {
        company: JINXIU_SILK,
        sku: "JX-CHF6",
        category: "silk-fabrics",
        title_zh: "6姆米真丝乔其纱",
        title_en: "6 Momme Silk Chiffon",
        about_zh: "",
        about_en: "A sheer, light chiffon for scarves and evening wear.",
        drawing: Drawing::Roll,
        unit: "metre",
        moq: 200,
        unit_price_minor: 4_200,
        currency: Currency::CNY,
        lead_time_days: 10,
        origin: WUJIANG,
        attributes: "silk_type=chiffon; momme=6; width_cm=140",
        sizes: ONE_SIZE,
        colors: &[IVORY, BLACK, PINK],
    },
    ProductFamily {
        company: JINXIU_SILK,
        sku: "JX-SCF",
        category: "silk-scarves",
        title_zh: "印花桑蚕丝方巾",
        title_en: "Printed Mulberry Silk Square Scarf",
        about_zh: "16姆米斜纹绸数码印花，手工卷边。",
        about_en: "16 momme silk twill, digitally printed, with hand-rolled hems.",
        drawing: Drawing::Cloth,
        unit: "piece",
        moq: 50,
        unit_price_minor: 9_800,
        currency: Currency::CNY,
        lead_time_days: 15,
        origin: WUJIANG,
        attributes: "material=100% mulberry silk; momme=16; pattern=digital print, custom designs",
        sizes: &[
            size(
                "53",
                "小方巾 53 × 53 cm",
                "Small square 53 × 53 cm",
                "size_cm=53 × 53",
                60,
            ),
            size(
                "90",
                "大方巾 90 × 90 cm",
                "Large square 90 × 90 cm",
                "size_cm=90 × 90",
                100,
            ),
        ],
        colors: &[BURGUNDY, NAVY, PINK, SKY_BLUE, YELLOW],
    },
    ProductFamily {
        company: JINXIU_SILK,
        sku: "JX-PLW22",
        category: "silk-pillowcases",
        title_zh: "22姆米真丝枕套",
        title_en: "22 Momme Silk Pillowcase",
        about_zh: "22姆米重磅真丝，信封式隐形开口，OEKO-TEX认证面料。",
        about_en: "Heavy 22 momme silk with a hidden envelope closure; OEKO-TEX certified fabric.",
        drawing: Drawing::Cloth,
        unit: "piece",
        moq: 50,
        unit_price_minor: 11_800,
        currency: Currency::CNY,
        lead_time_days: 15,
        origin: WUJIANG,
        attributes: "momme=22; closure=envelope",
        sizes: &[
            size(
                "STD",
                "标准 51 × 66 cm",
                "Standard 51 × 66 cm",
                "size_cm=51 × 66",
                100,
            ),
            size(
                "QN",
                "加大 51 × 76 cm",
                "Queen 51 × 76 cm",
                "size_cm=51 × 76",
                110,
            ),
        ],
        colors: &[IVORY, GREY, PINK, CHAMPAGNE],
    },
    // 汕头星乐玩具: plush, blocks and remote control cars from Chenghai.
    ProductFamily {
        company: XINGLE_TOYS,
        sku: "XL-BEAR",
        category: "plush-toys",
        title_zh: "毛绒泰迪熊",
        title_en: "Plush Teddy Bear",
        about_zh: "超柔短毛绒，PP棉填充，眼睛为绣花不脱落，符合EN71标准。",
        about_en: "Super-soft short plush with PP cotton filling and embroidered eyes that cannot come loose; meets EN71.",
        drawing: Drawing::Teddy,
        unit: "piece",
        moq: 300,
        unit_price_minor: 1_450,
        currency: Currency::CNY,
        lead_time_days: 25,
        origin: CHENGHAI,
        attributes: "filling=PP cotton; age_range=0+; certification=EN71, ASTM F963",
        sizes: &[
            same("25", "25cm", "height_cm=25", 100),
            same("40", "40cm", "height_cm=40", 200),
            same("60", "60cm", "height_cm=60", 380),
        ],
        colors: &[BROWN, BEIGE, PINK],
    },
    ProductFamily {
        company: XINGLE_TOYS,
        sku: "XL-BLK",
        category: "building-blocks",
        title_zh: "小颗粒拼装积木 城市系列",
        title_en: "Compatible Building Blocks, City Series",
        about_zh: "ABS小颗粒，兼容主流品牌，附说明书和彩盒。",
        about_en: "Small ABS bricks compatible with the major brands, with instructions and a colour box.",
        drawing: Drawing::Block,
        unit: "box",
        moq: 200,
        unit_price_minor: 3_900,
        currency: Currency::CNY,
        lead_time_days: 30,
        origin: CHENGHAI,
        attributes: "material=ABS; theme=city; age_range=6+; certification=EN71, CPC",
        sizes: &[
            size(
                "300",
                "消防局 300颗粒",
                "Fire station, 300 pieces",
                "pieces=300",
                60,
            ),
            size(
                "520",
                "警察局 520颗粒",
                "Police station, 520 pieces",
                "pieces=520",
                100,
            ),
            size(
                "1000",
                "火车站 1000颗粒",
                "Railway station, 1000 pieces",
                "pieces=1000",
                170,
            ),
        ],
        colors: &[unnamed([210, 50, 40])],
    },
    ProductFamily {
        company: XINGLE_TOYS,
        sku: "XL-RC16",
        category: "rc-toys",
        title_zh: "1:16 遥控越野车 2.4G",
        title_en: "1:16 RC Off-Road Truck 2.4 GHz",
        about_zh: "四驱越野，时速25公里，含充电锂电池。",
        about_en: "Four-wheel drive, 25 km/h, rechargeable lithium battery included.",
        drawing: Drawing::Car,
        unit: "piece",
        moq: 120,
        unit_price_minor: 6_800,
        currency: Currency::CNY,
        lead_time_days: 30,
        origin: CHENGHAI,
        attributes: "frequency=2.4 GHz; scale=1:16; run_time_minutes=20; age_range=8+; certification=EN71, EN62115, CE RED",
        sizes: ONE_SIZE,
        colors: &[RED, SKY_BLUE, YELLOW, GREEN],
    },
    ProductFamily {
        company: XINGLE_TOYS,
        sku: "XL-STUNT",
        category: "rc-toys",
        title_zh: "遥控双面特技翻滚车",
        title_en: "Double-Sided RC Stunt Car",
        about_zh: "360度翻滚，双面可开，带灯光。",
        about_en: "Flips 360°, drives on both sides and lights up.",
        drawing: Drawing::Car,
        unit: "piece",
        moq: 240,
        unit_price_minor: 3_200,
        currency: Currency::CNY,
        lead_time_days: 25,
        origin: CHENGHAI,
        attributes: "frequency=2.4 GHz; scale=1:24; run_time_minutes=15; age_range=6+",
        sizes: ONE_SIZE,
        colors: &[ORANGE, GREEN],
    },
];

/// One product of the catalog, ready to be listed.
#[derive(Debug, Clone)]
pub(super) struct DemoProduct {
    pub company: &'static str,
    pub category: &'static str,
    pub drawing: Drawing,
    pub rgb: Rgb8,
    pub status: ProductStatus,
    pub sku: String,
    pub title_zh: String,
    pub title_en: String,
    pub description: String,
    pub attributes: BTreeMap<String, String>,
    pub unit: &'static str,
    pub moq: i64,
    pub price_tiers: Vec<PriceTier>,
    pub currency: Currency,
    pub lead_time_days: i64,
    pub origin: &'static str,
    pub available_quantity: i64,
}

/// The unit of sale as a Chinese measure word, for the description.
fn unit_zh(unit: &str) -> &'static str {
    match unit {
        "pair" => "双",
        "set" => "套",
        "kg" => "公斤",
        "box" => "盒",
        "roll" => "卷",
        "metre" => "米",
        "carton" => "箱",
        _ => "个",
    }
}

/// The unit in English, in the plural for a quantity above one.
fn unit_en(unit: &str, quantity: i64) -> String {
    match (unit, quantity) {
        (_, 1) => unit.to_owned(),
        ("box", _) => "boxes".to_owned(),
        ("kg", _) => "kg".to_owned(),
        (unit, _) => format!("{unit}s"),
    }
}

/// A price rounded the way price lists are: to the fen below ten yuan, to
/// the jiao below a hundred, to the yuan above (and the same for cents).
fn rounded_price_minor(price_minor: i64) -> i64 {
    let step = match price_minor {
        ..1_000 => 1,
        1_000..10_000 => 10,
        _ => 100,
    };
    ((price_minor + step / 2) / step * step).max(1)
}

/// Quantity breaks: the MOQ, then five and twenty times it (or ten times,
/// for a two-tier list), each a few percent cheaper.
fn price_tiers(moq: i64, unit_price_minor: i64, three_tiers: bool) -> Vec<PriceTier> {
    let breaks: &[(i64, i64)] = if three_tiers {
        &[(1, 100), (5, 93), (20, 86)]
    } else {
        &[(1, 100), (10, 90)]
    };
    let mut tiers: Vec<PriceTier> = Vec::with_capacity(breaks.len());
    for &(moq_multiple, percent) in breaks {
        let price = rounded_price_minor(unit_price_minor * percent / 100);
        // Rounding must never make a larger order dearer per unit.
        let price = tiers
            .last()
            .map_or(price, |tier| price.min(tier.unit_price_minor));
        tiers.push(PriceTier {
            min_quantity: moq * moq_multiple,
            unit_price_minor: price,
        });
    }
    tiers
}

/// Joins the non-empty parts with `separator`.
fn joined(parts: &[&str], separator: &str) -> String {
    parts
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(separator)
}

/// Every product of every family, in table order. The `index` of a product
/// in the whole catalog picks, without randomness, the few that are drafts,
/// unlisted, sold out, or written in one language only.
pub(super) fn demo_products() -> Vec<DemoProduct> {
    let mut products = Vec::new();
    for family in FAMILIES {
        let describes_color = categories::schema(family.category)
            .iter()
            .any(|attribute| attribute.key == "color");
        for size in family.sizes {
            for color in family.colors {
                let index = products.len();
                products.push(expand(family, size, color, describes_color, index));
            }
        }
    }
    products
}

fn expand(
    family: &ProductFamily,
    size: &Size,
    color: &Color,
    describes_color: bool,
    index: usize,
) -> DemoProduct {
    let mut attributes: BTreeMap<String, String> =
        [family.attributes, size.attributes, color.attributes]
            .into_iter()
            .flat_map(|pairs| pairs.split(';'))
            .filter_map(|pair| pair.split_once('='))
            .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
            .collect();
    if describes_color && !color.en.is_empty() {
        attributes.insert("color".to_owned(), color.en.to_owned());
    }

    let title_zh = joined(&[family.title_zh, size.zh, color.zh], " ");
    let title_en = {
        let named = joined(&[family.title_en, size.en], " ");
        joined(&[named.as_str(), color.en], ", ")
    };
    let variant_zh = joined(&[size.zh, color.zh], "，");
    let variant_en = joined(&[size.en, color.en], ", ");
    let mut about_zh = family.about_zh.to_owned();
    if !about_zh.is_empty() {
        if !variant_zh.is_empty() {
            about_zh.push_str(&format!("本款：{variant_zh}。"));
        }
        about_zh.push_str(&format!(
            "起订量{}{}，交期约{}天。",
            family.moq,
            unit_zh(family.unit),
            family.lead_time_days
        ));
    }
    let mut about_en = family.about_en.to_owned();
    if !variant_en.is_empty() {
        about_en.push_str(&format!(" This listing: {variant_en}."));
    }
    about_en.push_str(&format!(
        " MOQ {} {}, ready in about {} days.",
        family.moq,
        unit_en(family.unit, family.moq),
        family.lead_time_days
    ));

    // A few suppliers list some products in one language only, as real
    // members do; a family written in one language stays so.
    let (title_zh, title_en, description) = if family.title_zh.is_empty() || index % 23 == 5 {
        (String::new(), title_en, about_en)
    } else if (family.title_en.is_empty() || index % 29 == 8) && !about_zh.is_empty() {
        (title_zh, String::new(), about_zh)
    } else if about_zh.is_empty() {
        (title_zh, title_en, about_en)
    } else {
        (title_zh, title_en, format!("{about_zh}\n\n{about_en}"))
    };

    let status = if index % 20 == 13 {
        ProductStatus::Draft
    } else if index % 31 == 17 {
        ProductStatus::Unlisted
    } else {
        ProductStatus::Published
    };
    let available_quantity = if index % 27 == 4 {
        0
    } else {
        family.moq * (6 + (index % 37) as i64)
    };
    let unit_price_minor = rounded_price_minor(family.unit_price_minor * size.price_percent / 100);

    DemoProduct {
        company: family.company,
        category: family.category,
        drawing: family.drawing,
        rgb: color.rgb,
        status,
        sku: joined(&[family.sku, size.code, color.code], "-"),
        title_zh,
        title_en,
        description,
        attributes,
        unit: family.unit,
        moq: family.moq,
        price_tiers: price_tiers(family.moq, unit_price_minor, !index.is_multiple_of(3)),
        currency: family.currency,
        lead_time_days: family.lead_time_days,
        origin: family.origin,
        available_quantity,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use market::AttributeKind;

    use super::*;

    fn is_plain_decimal(text: &str) -> bool {
        let mut parts = text.splitn(2, '.');
        let whole = parts.next().unwrap_or("");
        let fraction = parts.next();
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
    }

    #[test]
    fn every_product_fits_its_leaf_category_schema() {
        for product in demo_products() {
            let sku = &product.sku;
            assert!(
                categories::category(product.category).is_some(),
                "{sku}: {} is not in the tree",
                product.category
            );
            assert!(categories::is_leaf(product.category), "{sku}: not a leaf");
            let schema = categories::schema(product.category);
            for (key, value) in &product.attributes {
                let spec = schema
                    .iter()
                    .find(|spec| spec.key == key)
                    .unwrap_or_else(|| panic!("{sku}: {key} is not in the schema"));
                match spec.kind {
                    AttributeKind::Text => assert!(!value.is_empty(), "{sku}: {key}"),
                    AttributeKind::Number => {
                        assert!(is_plain_decimal(value), "{sku}: {key} = {value}")
                    }
                    AttributeKind::Choice => assert!(
                        spec.choices.contains(&value.as_str()),
                        "{sku}: {key} = {value} is not a choice"
                    ),
                }
            }
            for spec in schema.iter().filter(|spec| spec.required) {
                assert!(
                    product.attributes.contains_key(spec.key),
                    "{sku}: the required {} is missing",
                    spec.key
                );
            }
        }
    }

    #[test]
    fn attributes_are_written_as_key_value_pairs() {
        for family in FAMILIES {
            let written = std::iter::once(family.attributes)
                .chain(family.sizes.iter().map(|size| size.attributes))
                .chain(family.colors.iter().map(|color| color.attributes));
            for pair in written
                .filter(|text| !text.is_empty())
                .flat_map(|text| text.split(';'))
            {
                let (key, value) = pair
                    .split_once('=')
                    .unwrap_or_else(|| panic!("{}: {pair:?} is not key=value", family.sku));
                assert!(
                    !key.trim().is_empty() && !value.trim().is_empty(),
                    "{}",
                    family.sku
                );
            }
        }
    }

    #[test]
    fn every_price_list_starts_at_the_moq_and_never_rises() {
        for product in demo_products() {
            let validated = market::price::validate_tiers(
                "price_tiers",
                &product.price_tiers,
                Some(product.moq),
            );
            assert!(validated.is_ok(), "{}: {validated:?}", product.sku);
            assert!(
                (2..=3).contains(&product.price_tiers.len()),
                "{}",
                product.sku
            );
        }
    }

    #[test]
    fn skus_are_unique_in_each_catalog_and_titles_are_present() {
        let mut seen = HashSet::new();
        for product in demo_products() {
            assert!(
                seen.insert((product.company, product.sku.clone())),
                "{} is listed twice",
                product.sku
            );
            assert!(
                !product.sku.contains([',', ';', '"', ' ']) && product.sku.len() <= 64,
                "{}",
                product.sku
            );
            assert!(
                !product.title_zh.is_empty() || !product.title_en.is_empty(),
                "{}",
                product.sku
            );
            assert!(!product.description.is_empty(), "{}", product.sku);
            assert!(product.lead_time_days <= 365 && product.available_quantity >= 0);
        }
    }

    #[test]
    fn the_catalog_has_a_few_hundred_products_mostly_published_and_bilingual() {
        let products = demo_products();
        let count = |wanted: ProductStatus| products.iter().filter(|p| p.status == wanted).count();
        assert!((250..=400).contains(&products.len()), "{}", products.len());
        let drafts = count(ProductStatus::Draft);
        let unlisted = count(ProductStatus::Unlisted);
        assert!(drafts * 100 / products.len() >= 3 && drafts * 100 / products.len() <= 7);
        assert!(unlisted * 100 / products.len() >= 2 && unlisted * 100 / products.len() <= 5);
        let bilingual = products
            .iter()
            .filter(|p| !p.title_zh.is_empty() && !p.title_en.is_empty())
            .count();
        assert!(bilingual * 100 / products.len() >= 85, "{bilingual}");
        assert!(products.iter().any(|p| p.available_quantity == 0));
        assert!(products.iter().any(|p| p.currency == Currency::USD));
    }

    #[test]
    fn hengxin_lists_plenty_of_500ml_vacuum_flasks_in_both_languages() {
        let flasks: Vec<_> = demo_products()
            .into_iter()
            .filter(|p| p.company == HENGXIN_THERMOS && p.category == "vacuum-flasks")
            .collect();
        assert!(flasks.len() >= 40, "{}", flasks.len());
        for capacity in ["350", "500", "750", "1000"] {
            assert!(
                flasks
                    .iter()
                    .any(|p| p.attributes.get("capacity_ml").map(String::as_str) == Some(capacity)),
                "{capacity} ml"
            );
        }
        let findable = |p: &&DemoProduct| {
            p.status == ProductStatus::Published
                && p.title_en.contains("Vacuum Flask")
                && p.title_en.contains("500ml")
                && p.title_zh.contains("保温杯")
        };
        assert!(flasks.iter().filter(findable).count() >= 5);
    }

    #[test]
    fn every_supplier_sells_in_its_own_trade() {
        let roots_of = |company: &str| -> HashSet<&str> {
            demo_products()
                .iter()
                .filter(|p| p.company == company)
                .map(|p| {
                    let mut slug = p.category;
                    while let Some(parent) = categories::category(slug).and_then(|c| c.parent) {
                        slug = parent;
                    }
                    slug
                })
                .collect()
        };
        assert_eq!(roots_of(RUIBU_SHOES), HashSet::from(["shoes"]));
        assert_eq!(
            roots_of(HUAQIANG_XUNDA_ELECTRONICS),
            HashSet::from(["consumer-electronics"])
        );
        assert_eq!(roots_of(HENGXIN_THERMOS), HashSet::from(["housewares"]));
    }
}
