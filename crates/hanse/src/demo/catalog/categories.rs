//! The demo network's category tree as a static table: ten trades, two or
//! three levels deep, each leaf with the attributes a buyer in that trade
//! compares products by.

use market::AttributeKind;

/// One category of the table. Parents come before their children, so the
/// loader can create the tree in one pass.
pub(super) struct CategorySeed {
    pub slug: &'static str,
    /// The parent's slug; `None` for a root.
    pub parent: Option<&'static str>,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// The category's own attributes; its products also answer its ancestors'.
    pub attributes: &'static [AttributeSeed],
}

/// One attribute of a category's schema.
pub(super) struct AttributeSeed {
    pub key: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub kind: AttributeKind,
    pub unit: Option<&'static str>,
    pub choices: &'static [&'static str],
    pub required: bool,
}

const fn text(key: &'static str, name_zh: &'static str, name_en: &'static str) -> AttributeSeed {
    AttributeSeed {
        key,
        name_zh,
        name_en,
        kind: AttributeKind::Text,
        unit: None,
        choices: &[],
        required: false,
    }
}

const fn number(
    key: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    unit: &'static str,
) -> AttributeSeed {
    AttributeSeed {
        key,
        name_zh,
        name_en,
        kind: AttributeKind::Number,
        unit: Some(unit),
        choices: &[],
        required: false,
    }
}

const fn choice(
    key: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    choices: &'static [&'static str],
) -> AttributeSeed {
    AttributeSeed {
        key,
        name_zh,
        name_en,
        kind: AttributeKind::Choice,
        unit: None,
        choices,
        required: false,
    }
}

/// The same attribute, which every product of the category must answer.
const fn required(attribute: AttributeSeed) -> AttributeSeed {
    AttributeSeed {
        required: true,
        ..attribute
    }
}

const COLOR: AttributeSeed = text("color", "颜色", "Colour");
const CAPACITY_ML: AttributeSeed = required(number("capacity_ml", "容量", "Capacity", "ml"));
const CUSTOM_LOGO: AttributeSeed = choice(
    "custom_logo",
    "定制logo",
    "Custom logo",
    &[
        "laser engraving",
        "screen printing",
        "heat transfer",
        "none",
    ],
);
const STEEL_CHOICES: &[&str] = &[
    "304 stainless steel",
    "316 stainless steel",
    "201 stainless steel",
    "glass",
    "titanium",
];
const BLUETOOTH_VERSION: AttributeSeed = required(choice(
    "bluetooth_version",
    "蓝牙版本",
    "Bluetooth version",
    &["5.0", "5.1", "5.2", "5.3", "5.4"],
));
const WATERPROOF_RATING: AttributeSeed = choice(
    "waterproof_rating",
    "防水等级",
    "Waterproof rating",
    &["none", "IPX4", "IPX5", "IPX7"],
);
const FABRIC_WEIGHT_GSM: AttributeSeed =
    required(number("fabric_weight_gsm", "克重", "Fabric weight", "g/m²"));
const GARMENT_MATERIAL: AttributeSeed = required(choice(
    "material",
    "面料成分",
    "Material",
    &[
        "100% cotton",
        "cotton/polyester 60/40",
        "100% polyester",
        "organic cotton",
    ],
));
const INNER_SIZE_MM: AttributeSeed =
    required(text("inner_size_mm", "内尺寸 (mm)", "Inner size (mm)"));
const SIZE_CM: AttributeSeed = required(text("size_cm", "尺寸 (cm)", "Size (cm)"));
const YES_NO: &[&str] = &["yes", "no"];
const TEA_GRADE: AttributeSeed = choice(
    "grade",
    "等级",
    "Grade",
    &["special grade", "grade 1", "grade 2", "grade 3"],
);
const TEA_PACKING: AttributeSeed = text("packing", "包装", "Packing");
const SOLE: AttributeSeed = choice("sole", "鞋底", "Sole", &["EVA", "rubber", "MD", "PU"]);
const GENDER: AttributeSeed = choice(
    "gender",
    "适用人群",
    "For",
    &["men", "women", "unisex", "kids"],
);
const TABLE_TOP: AttributeSeed = required(choice(
    "top_material",
    "台面材质",
    "Top material",
    &[
        "melamine board",
        "solid wood",
        "tempered glass",
        "bamboo",
        "sintered stone",
    ],
));

/// The tree. Slugs are what the products and buying requests name.
pub(super) const CATEGORIES: &[CategorySeed] = &[
    // Consumer electronics: the Shenzhen trade.
    CategorySeed {
        slug: "consumer-electronics",
        parent: None,
        name_zh: "消费电子",
        name_en: "Consumer Electronics",
        attributes: &[text("certification", "认证", "Certification")],
    },
    CategorySeed {
        slug: "audio",
        parent: Some("consumer-electronics"),
        name_zh: "音频设备",
        name_en: "Audio",
        attributes: &[],
    },
    CategorySeed {
        slug: "bluetooth-earphones",
        parent: Some("audio"),
        name_zh: "蓝牙耳机",
        name_en: "Bluetooth Earphones",
        attributes: &[
            BLUETOOTH_VERSION,
            required(number("battery_hours", "续航时间", "Playback time", "h")),
            choice(
                "noise_cancelling",
                "降噪",
                "Noise cancelling",
                &["ANC", "ENC", "none"],
            ),
            WATERPROOF_RATING,
            COLOR,
        ],
    },
    CategorySeed {
        slug: "bluetooth-speakers",
        parent: Some("audio"),
        name_zh: "蓝牙音箱",
        name_en: "Bluetooth Speakers",
        attributes: &[
            BLUETOOTH_VERSION,
            required(number("output_power_w", "输出功率", "Output power", "W")),
            number("battery_hours", "续航时间", "Playback time", "h"),
            WATERPROOF_RATING,
            COLOR,
        ],
    },
    CategorySeed {
        slug: "mobile-accessories",
        parent: Some("consumer-electronics"),
        name_zh: "手机配件",
        name_en: "Mobile Accessories",
        attributes: &[],
    },
    CategorySeed {
        slug: "power-banks",
        parent: Some("mobile-accessories"),
        name_zh: "移动电源",
        name_en: "Power Banks",
        attributes: &[
            required(number("capacity_mah", "电池容量", "Capacity", "mAh")),
            number("output_power_w", "最大输出", "Maximum output", "W"),
            choice(
                "battery_type",
                "电芯类型",
                "Cell type",
                &["lithium polymer", "lithium ion 18650"],
            ),
            COLOR,
        ],
    },
    CategorySeed {
        slug: "charging-cables",
        parent: Some("mobile-accessories"),
        name_zh: "数据线",
        name_en: "Charging Cables",
        attributes: &[
            required(choice(
                "connector",
                "接口",
                "Connectors",
                &[
                    "USB-C to USB-C",
                    "USB-A to USB-C",
                    "USB-A to Lightning",
                    "USB-C to Lightning",
                    "USB-A to Micro-USB",
                ],
            )),
            required(number("length_m", "长度", "Length", "m")),
            number("max_power_w", "最大功率", "Maximum power", "W"),
            choice(
                "jacket",
                "线材",
                "Jacket",
                &["braided nylon", "TPE", "liquid silicone"],
            ),
            COLOR,
        ],
    },
    CategorySeed {
        slug: "wall-chargers",
        parent: Some("mobile-accessories"),
        name_zh: "充电器",
        name_en: "Wall Chargers",
        attributes: &[
            required(number("output_power_w", "输出功率", "Output power", "W")),
            required(choice(
                "plug_type",
                "插头规格",
                "Plug",
                &["EU", "UK", "US", "AU", "CN"],
            )),
            choice(
                "ports",
                "接口",
                "Ports",
                &["1 × USB-C", "2 × USB-C", "USB-C + USB-A", "3 ports"],
            ),
            choice(
                "fast_charging",
                "快充协议",
                "Fast charging",
                &["PD 3.0", "PD 3.0 + QC 4.0", "none"],
            ),
            COLOR,
        ],
    },
    CategorySeed {
        slug: "led-lighting",
        parent: Some("consumer-electronics"),
        name_zh: "LED照明",
        name_en: "LED Lighting",
        attributes: &[],
    },
    CategorySeed {
        slug: "led-bulbs",
        parent: Some("led-lighting"),
        name_zh: "LED灯泡",
        name_en: "LED Bulbs",
        attributes: &[
            required(number("power_w", "功率", "Power", "W")),
            required(choice(
                "base",
                "灯头",
                "Base",
                &["E27", "E14", "B22", "GU10"],
            )),
            required(number(
                "color_temperature_k",
                "色温",
                "Colour temperature",
                "K",
            )),
            number("lumens", "光通量", "Luminous flux", "lm"),
            choice("dimmable", "可调光", "Dimmable", YES_NO),
        ],
    },
    CategorySeed {
        slug: "led-strips",
        parent: Some("led-lighting"),
        name_zh: "LED灯带",
        name_en: "LED Strips",
        attributes: &[
            required(number("length_m", "长度", "Length", "m")),
            required(choice("voltage", "电压", "Voltage", &["5V", "12V", "24V"])),
            number("leds_per_metre", "灯珠数/米", "LEDs per metre", "pcs"),
            choice(
                "light_color",
                "光色",
                "Light colour",
                &["warm white", "cool white", "RGB", "RGBW"],
            ),
            choice(
                "ip_rating",
                "防护等级",
                "IP rating",
                &["IP20", "IP65", "IP67"],
            ),
        ],
    },
    // Textiles and apparel: Hangzhou cotton, Suzhou silk.
    CategorySeed {
        slug: "textiles-apparel",
        parent: None,
        name_zh: "纺织服装",
        name_en: "Textiles & Apparel",
        attributes: &[],
    },
    CategorySeed {
        slug: "apparel",
        parent: Some("textiles-apparel"),
        name_zh: "服装",
        name_en: "Apparel",
        attributes: &[text("sizes", "尺码", "Sizes"), COLOR, CUSTOM_LOGO],
    },
    CategorySeed {
        slug: "t-shirts",
        parent: Some("apparel"),
        name_zh: "T恤",
        name_en: "T-Shirts",
        attributes: &[
            GARMENT_MATERIAL,
            FABRIC_WEIGHT_GSM,
            choice("fit", "版型", "Fit", &["regular", "slim", "oversized"]),
        ],
    },
    CategorySeed {
        slug: "hoodies",
        parent: Some("apparel"),
        name_zh: "卫衣",
        name_en: "Hoodies & Sweatshirts",
        attributes: &[
            GARMENT_MATERIAL,
            FABRIC_WEIGHT_GSM,
            choice(
                "style",
                "款式",
                "Style",
                &["pullover hoodie", "zip hoodie", "crew neck"],
            ),
        ],
    },
    CategorySeed {
        slug: "fabrics",
        parent: Some("textiles-apparel"),
        name_zh: "面料",
        name_en: "Fabrics",
        // Every fabric is sold by the metre off a roll of this width.
        attributes: &[required(number("width_cm", "门幅", "Width", "cm")), COLOR],
    },
    CategorySeed {
        slug: "cotton-fabrics",
        parent: Some("fabrics"),
        name_zh: "棉布",
        name_en: "Cotton Fabrics",
        attributes: &[
            required(choice(
                "weave",
                "组织",
                "Weave",
                &["plain", "twill", "poplin", "canvas", "jersey knit"],
            )),
            number("fabric_weight_gsm", "克重", "Fabric weight", "g/m²"),
            text("composition", "成分", "Composition"),
        ],
    },
    CategorySeed {
        slug: "polyester-fabrics",
        parent: Some("fabrics"),
        name_zh: "涤纶面料",
        name_en: "Polyester Fabrics",
        attributes: &[
            required(choice(
                "weave",
                "组织",
                "Weave",
                &["oxford", "taffeta", "microfibre", "pongee"],
            )),
            number("denier", "旦数", "Yarn count", "D"),
            text("finish", "后整理", "Finish"),
        ],
    },
    CategorySeed {
        slug: "silk-fabrics",
        parent: Some("fabrics"),
        name_zh: "真丝面料",
        name_en: "Silk Fabrics",
        attributes: &[
            required(choice(
                "silk_type",
                "品种",
                "Silk type",
                &[
                    "charmeuse",
                    "crepe de chine",
                    "habotai",
                    "chiffon",
                    "organza",
                ],
            )),
            required(number("momme", "姆米", "Weight", "mm")),
        ],
    },
    CategorySeed {
        slug: "silk-accessories",
        parent: Some("textiles-apparel"),
        name_zh: "丝绸制品",
        name_en: "Silk Accessories",
        attributes: &[number("momme", "姆米", "Weight", "mm"), COLOR],
    },
    CategorySeed {
        slug: "silk-scarves",
        parent: Some("silk-accessories"),
        name_zh: "真丝围巾",
        name_en: "Silk Scarves",
        attributes: &[
            required(choice(
                "material",
                "材质",
                "Material",
                &["100% mulberry silk", "silk/cotton blend", "silk/wool blend"],
            )),
            SIZE_CM,
            text("pattern", "图案", "Pattern"),
        ],
    },
    CategorySeed {
        slug: "silk-pillowcases",
        parent: Some("silk-accessories"),
        name_zh: "真丝枕套",
        name_en: "Silk Pillowcases",
        attributes: &[
            SIZE_CM,
            choice("closure", "封口", "Closure", &["envelope", "zip"]),
        ],
    },
    // Housewares: Yiwu's drinkware and the kitchen.
    CategorySeed {
        slug: "housewares",
        parent: None,
        name_zh: "日用百货",
        name_en: "Housewares & Small Commodities",
        attributes: &[],
    },
    CategorySeed {
        slug: "drinkware",
        parent: Some("housewares"),
        name_zh: "杯壶水具",
        name_en: "Drinkware",
        attributes: &[CAPACITY_ML, COLOR, CUSTOM_LOGO],
    },
    CategorySeed {
        slug: "vacuum-flasks",
        parent: Some("drinkware"),
        name_zh: "保温杯 / 保温瓶",
        name_en: "Vacuum Flasks",
        attributes: &[
            required(choice("material", "材质", "Material", STEEL_CHOICES)),
            number("heat_retention_hours", "保温时长", "Keeps hot for", "h"),
            choice(
                "lid_type",
                "杯盖",
                "Lid",
                &[
                    "screw lid",
                    "flip lid",
                    "straw lid",
                    "tea infuser lid",
                    "push button lid",
                ],
            ),
        ],
    },
    CategorySeed {
        slug: "travel-mugs",
        parent: Some("drinkware"),
        name_zh: "随行咖啡杯",
        name_en: "Travel Mugs",
        attributes: &[
            required(choice("material", "材质", "Material", STEEL_CHOICES)),
            choice(
                "lid_type",
                "杯盖",
                "Lid",
                &["slide lid", "flip lid", "leak-proof lid"],
            ),
            choice("has_handle", "带手柄", "Handle", YES_NO),
        ],
    },
    CategorySeed {
        slug: "food-jars",
        parent: Some("drinkware"),
        name_zh: "焖烧罐 / 保温饭盒",
        name_en: "Food Jars & Insulated Lunch Boxes",
        attributes: &[
            required(choice("material", "材质", "Material", STEEL_CHOICES)),
            number("heat_retention_hours", "保温时长", "Keeps hot for", "h"),
        ],
    },
    CategorySeed {
        slug: "sports-bottles",
        parent: Some("drinkware"),
        name_zh: "运动水壶",
        name_en: "Sports Bottles",
        attributes: &[
            required(choice(
                "material",
                "材质",
                "Material",
                &["Tritan", "PP", "304 stainless steel", "aluminium"],
            )),
            choice("bpa_free", "不含双酚A", "BPA free", YES_NO),
        ],
    },
    CategorySeed {
        slug: "kitchen-dining",
        parent: Some("housewares"),
        name_zh: "厨房餐饮用品",
        name_en: "Kitchen & Dining",
        attributes: &[COLOR],
    },
    CategorySeed {
        slug: "tea-sets",
        parent: Some("kitchen-dining"),
        name_zh: "茶具套装",
        name_en: "Tea Sets",
        attributes: &[
            required(choice(
                "material",
                "材质",
                "Material",
                &[
                    "porcelain",
                    "celadon",
                    "purple clay (Yixing)",
                    "borosilicate glass",
                ],
            )),
            number("pieces", "件数", "Pieces", "pcs"),
        ],
    },
    CategorySeed {
        slug: "storage-containers",
        parent: Some("kitchen-dining"),
        name_zh: "保鲜盒",
        name_en: "Food Storage Containers",
        attributes: &[
            required(choice(
                "material",
                "材质",
                "Material",
                &["PP", "Tritan", "borosilicate glass", "PET"],
            )),
            CAPACITY_ML,
            choice("microwave_safe", "可微波", "Microwave safe", YES_NO),
        ],
    },
    // Machinery and parts: Qingdao's bearings and fasteners, Dongguan's moulds.
    CategorySeed {
        slug: "machinery-parts",
        parent: None,
        name_zh: "机械及配件",
        name_en: "Machinery & Parts",
        attributes: &[text("standard", "执行标准", "Standard")],
    },
    CategorySeed {
        slug: "bearings-transmission",
        parent: Some("machinery-parts"),
        name_zh: "轴承及传动件",
        name_en: "Bearings & Transmission",
        attributes: &[],
    },
    CategorySeed {
        slug: "ball-bearings",
        parent: Some("bearings-transmission"),
        name_zh: "深沟球轴承",
        name_en: "Deep Groove Ball Bearings",
        attributes: &[
            required(text("model", "型号", "Model")),
            required(number("bore_mm", "内径", "Bore", "mm")),
            required(number("outer_diameter_mm", "外径", "Outer diameter", "mm")),
            number("width_mm", "宽度", "Width", "mm"),
            choice(
                "seal",
                "密封",
                "Seal",
                &["open", "ZZ (metal shields)", "2RS (rubber seals)"],
            ),
            choice(
                "material",
                "材质",
                "Material",
                &[
                    "chrome steel GCr15",
                    "stainless steel 440C",
                    "ceramic hybrid",
                ],
            ),
        ],
    },
    CategorySeed {
        slug: "gears",
        parent: Some("bearings-transmission"),
        name_zh: "齿轮",
        name_en: "Gears",
        attributes: &[
            required(choice(
                "gear_type",
                "类型",
                "Type",
                &["spur", "helical", "bevel", "worm"],
            )),
            required(number("module", "模数", "Module", "m")),
            required(number("teeth", "齿数", "Teeth", "z")),
            choice(
                "material",
                "材质",
                "Material",
                &["45# steel", "20CrMnTi", "stainless steel", "POM"],
            ),
        ],
    },
    CategorySeed {
        slug: "fasteners-fittings",
        parent: Some("machinery-parts"),
        name_zh: "紧固件及管件",
        name_en: "Fasteners & Fittings",
        attributes: &[],
    },
    CategorySeed {
        slug: "hydraulic-fittings",
        parent: Some("fasteners-fittings"),
        name_zh: "液压接头",
        name_en: "Hydraulic Fittings",
        attributes: &[
            required(choice(
                "thread",
                "螺纹",
                "Thread",
                &["BSP", "NPT", "metric", "JIC"],
            )),
            required(text("size", "规格", "Size")),
            number("pressure_bar", "工作压力", "Working pressure", "bar"),
            choice(
                "material",
                "材质",
                "Material",
                &["carbon steel", "stainless steel 316", "brass"],
            ),
        ],
    },
    CategorySeed {
        slug: "fasteners",
        parent: Some("fasteners-fittings"),
        name_zh: "螺栓螺母",
        name_en: "Bolts, Nuts & Screws",
        attributes: &[
            required(choice(
                "fastener_type",
                "类型",
                "Type",
                &["hex bolt", "hex nut", "socket cap screw", "flat washer"],
            )),
            required(text("thread_size", "螺纹规格", "Thread size")),
            number("length_mm", "长度", "Length", "mm"),
            choice(
                "grade",
                "强度等级",
                "Grade",
                &["4.8", "8.8", "10.9", "12.9", "A2-70", "A4-80"],
            ),
            choice(
                "finish",
                "表面处理",
                "Finish",
                &["zinc plated", "hot-dip galvanised", "black oxide", "plain"],
            ),
        ],
    },
    CategorySeed {
        slug: "moulds-plastic-parts",
        parent: Some("machinery-parts"),
        name_zh: "模具及塑胶件",
        name_en: "Moulds & Plastic Parts",
        attributes: &[],
    },
    CategorySeed {
        slug: "injection-moulds",
        parent: Some("moulds-plastic-parts"),
        name_zh: "注塑模具",
        name_en: "Injection Moulds",
        attributes: &[
            required(number("cavities", "穴数", "Cavities", "cav")),
            required(choice(
                "mould_steel",
                "模具钢材",
                "Mould steel",
                &["P20", "718H", "H13", "S136"],
            )),
            choice("runner", "流道", "Runner", &["cold runner", "hot runner"]),
            number("mould_life_shots", "模具寿命", "Mould life", "shots"),
            text("part_material", "产品材料", "Part material"),
        ],
    },
    CategorySeed {
        slug: "plastic-parts",
        parent: Some("moulds-plastic-parts"),
        name_zh: "注塑件",
        name_en: "Injection Moulded Parts",
        attributes: &[
            required(choice(
                "material",
                "材料",
                "Material",
                &["ABS", "PP", "PC", "PA66", "POM", "TPE"],
            )),
            number("part_weight_g", "单重", "Part weight", "g"),
            number("tolerance_mm", "公差", "Tolerance", "mm"),
            COLOR,
        ],
    },
    // Packaging and printing: Ningbo's boxes and films.
    CategorySeed {
        slug: "packaging-printing",
        parent: None,
        name_zh: "包装印刷",
        name_en: "Packaging & Printing",
        attributes: &[],
    },
    CategorySeed {
        slug: "paper-packaging",
        parent: Some("packaging-printing"),
        name_zh: "纸质包装",
        name_en: "Paper Packaging",
        attributes: &[choice(
            "printing",
            "印刷",
            "Printing",
            &[
                "unprinted",
                "1 colour flexo",
                "2 colour flexo",
                "4 colour offset",
            ],
        )],
    },
    CategorySeed {
        slug: "corrugated-boxes",
        parent: Some("paper-packaging"),
        name_zh: "瓦楞纸箱",
        name_en: "Corrugated Boxes",
        attributes: &[
            required(choice("ply", "层数", "Ply", &["3-ply", "5-ply", "7-ply"])),
            INNER_SIZE_MM,
            choice("flute", "楞型", "Flute", &["A", "B", "C", "E", "BC", "AB"]),
        ],
    },
    CategorySeed {
        slug: "gift-boxes",
        parent: Some("paper-packaging"),
        name_zh: "礼品盒 / 彩盒",
        name_en: "Gift Boxes & Retail Boxes",
        attributes: &[
            required(choice(
                "box_style",
                "盒型",
                "Box style",
                &[
                    "lid and base",
                    "magnetic closure",
                    "drawer",
                    "folding carton",
                ],
            )),
            INNER_SIZE_MM,
            choice(
                "finish",
                "表面工艺",
                "Finish",
                &[
                    "matte lamination",
                    "gloss lamination",
                    "soft touch",
                    "hot foil",
                ],
            ),
            COLOR,
        ],
    },
    CategorySeed {
        slug: "paper-bags",
        parent: Some("paper-packaging"),
        name_zh: "纸袋",
        name_en: "Paper Bags",
        attributes: &[
            required(choice(
                "paper",
                "纸张",
                "Paper",
                &["brown kraft", "white kraft", "art paper"],
            )),
            required(text("size_mm", "尺寸 (mm)", "Size (mm)")),
            choice(
                "handle",
                "提手",
                "Handle",
                &["twisted paper", "flat paper", "ribbon", "die-cut"],
            ),
            number("paper_weight_gsm", "纸张克重", "Paper weight", "g/m²"),
        ],
    },
    CategorySeed {
        slug: "plastic-packaging",
        parent: Some("packaging-printing"),
        name_zh: "塑料包装",
        name_en: "Plastic Packaging",
        attributes: &[number("thickness_micron", "厚度", "Thickness", "μm"), COLOR],
    },
    CategorySeed {
        slug: "stretch-film",
        parent: Some("plastic-packaging"),
        name_zh: "缠绕膜",
        name_en: "Stretch Film",
        attributes: &[
            required(number("width_mm", "宽度", "Width", "mm")),
            number("roll_length_m", "卷长", "Roll length", "m"),
            choice("application", "用途", "Use", &["hand wrap", "machine wrap"]),
        ],
    },
    CategorySeed {
        slug: "poly-mailers",
        parent: Some("plastic-packaging"),
        name_zh: "快递袋",
        name_en: "Poly Mailers",
        attributes: &[
            required(choice(
                "material",
                "材料",
                "Material",
                &[
                    "LDPE",
                    "co-extruded PE",
                    "recycled PE",
                    "compostable PLA/PBAT",
                ],
            )),
            required(text("size_mm", "尺寸 (mm)", "Size (mm)")),
        ],
    },
    CategorySeed {
        slug: "packing-tape",
        parent: Some("plastic-packaging"),
        name_zh: "封箱胶带",
        name_en: "Packing Tape",
        attributes: &[
            required(number("width_mm", "宽度", "Width", "mm")),
            required(number("length_m", "长度", "Length", "m")),
            choice(
                "adhesive",
                "胶系",
                "Adhesive",
                &["acrylic", "hot melt", "natural rubber"],
            ),
        ],
    },
    // Furniture: Shunde.
    CategorySeed {
        slug: "furniture",
        parent: None,
        name_zh: "家具",
        name_en: "Furniture",
        attributes: &[
            choice(
                "assembly",
                "组装",
                "Assembly",
                &["assembled", "knock-down (flat pack)"],
            ),
            COLOR,
        ],
    },
    CategorySeed {
        slug: "office-furniture",
        parent: Some("furniture"),
        name_zh: "办公家具",
        name_en: "Office Furniture",
        attributes: &[],
    },
    CategorySeed {
        slug: "office-chairs",
        parent: Some("office-furniture"),
        name_zh: "办公椅",
        name_en: "Office Chairs",
        attributes: &[
            required(choice(
                "material",
                "材质",
                "Material",
                &["mesh", "PU leather", "fabric", "genuine leather"],
            )),
            choice(
                "mechanism",
                "底盘",
                "Mechanism",
                &["tilt", "synchro", "multi-function"],
            ),
            choice(
                "armrests",
                "扶手",
                "Armrests",
                &[
                    "fixed",
                    "2D adjustable",
                    "3D adjustable",
                    "4D adjustable",
                    "none",
                ],
            ),
            number("max_load_kg", "承重", "Maximum load", "kg"),
        ],
    },
    CategorySeed {
        slug: "office-desks",
        parent: Some("office-furniture"),
        name_zh: "办公桌",
        name_en: "Office Desks",
        attributes: &[
            TABLE_TOP,
            SIZE_CM,
            choice(
                "height_adjustable",
                "升降",
                "Height adjustment",
                &[
                    "fixed",
                    "manual crank",
                    "electric single motor",
                    "electric dual motor",
                ],
            ),
        ],
    },
    CategorySeed {
        slug: "home-furniture",
        parent: Some("furniture"),
        name_zh: "家居家具",
        name_en: "Home Furniture",
        attributes: &[],
    },
    CategorySeed {
        slug: "sofas",
        parent: Some("home-furniture"),
        name_zh: "沙发",
        name_en: "Sofas",
        attributes: &[
            required(choice(
                "upholstery",
                "面料",
                "Upholstery",
                &["fabric", "velvet", "PU leather", "genuine leather"],
            )),
            required(number("seats", "座位数", "Seats", "seats")),
            text("frame", "框架", "Frame"),
        ],
    },
    CategorySeed {
        slug: "dining-chairs",
        parent: Some("home-furniture"),
        name_zh: "餐椅",
        name_en: "Dining Chairs",
        attributes: &[
            required(choice(
                "material",
                "材质",
                "Material",
                &["solid wood", "metal frame", "polypropylene", "rattan"],
            )),
            text("seat", "座面", "Seat"),
            choice("stackable", "可叠放", "Stackable", YES_NO),
        ],
    },
    CategorySeed {
        slug: "coffee-tables",
        parent: Some("home-furniture"),
        name_zh: "茶几",
        name_en: "Coffee Tables",
        attributes: &[TABLE_TOP, SIZE_CM],
    },
    // Shoes: Wenzhou. Every pair is sold in a size run, so the root asks for it.
    CategorySeed {
        slug: "shoes",
        parent: None,
        name_zh: "鞋靴",
        name_en: "Shoes",
        attributes: &[
            required(text("size_range", "尺码段", "Size range")),
            COLOR,
            GENDER,
        ],
    },
    CategorySeed {
        slug: "sports-shoes",
        parent: Some("shoes"),
        name_zh: "运动鞋",
        name_en: "Sports Shoes",
        attributes: &[
            required(choice(
                "upper",
                "鞋面",
                "Upper",
                &["mesh", "knit", "PU leather", "suede"],
            )),
            SOLE,
        ],
    },
    CategorySeed {
        slug: "casual-shoes",
        parent: Some("shoes"),
        name_zh: "休闲鞋",
        name_en: "Casual Shoes",
        attributes: &[
            required(choice(
                "upper",
                "鞋面",
                "Upper",
                &["canvas", "PU leather", "suede", "knit"],
            )),
            SOLE,
        ],
    },
    CategorySeed {
        slug: "leather-shoes",
        parent: Some("shoes"),
        name_zh: "皮鞋",
        name_en: "Leather Shoes",
        attributes: &[
            required(choice(
                "upper",
                "鞋面",
                "Upper",
                &["cow leather", "PU leather", "patent leather", "suede"],
            )),
            choice(
                "style",
                "款式",
                "Style",
                &["oxford", "derby", "loafer", "chelsea boot"],
            ),
            SOLE,
        ],
    },
    CategorySeed {
        slug: "slippers",
        parent: Some("shoes"),
        name_zh: "拖鞋",
        name_en: "Slippers",
        attributes: &[required(choice(
            "material",
            "材质",
            "Material",
            &["EVA", "PVC", "plush", "cork"],
        ))],
    },
    // Food and beverage: Fujian's tea, exported through Xiamen.
    CategorySeed {
        slug: "food-beverage",
        parent: None,
        name_zh: "食品饮料",
        name_en: "Food & Beverage",
        attributes: &[
            number("shelf_life_months", "保质期", "Shelf life", "months"),
            text("certification", "认证", "Certification"),
        ],
    },
    CategorySeed {
        slug: "tea",
        parent: Some("food-beverage"),
        name_zh: "茶叶",
        name_en: "Tea",
        attributes: &[
            text("growing_region", "产区", "Growing region"),
            TEA_GRADE,
            TEA_PACKING,
        ],
    },
    CategorySeed {
        slug: "green-tea",
        parent: Some("tea"),
        name_zh: "绿茶",
        name_en: "Green Tea",
        attributes: &[
            required(choice(
                "variety",
                "品种",
                "Variety",
                &[
                    "Longjing (Dragon Well)",
                    "Biluochun",
                    "Huangshan Maofeng",
                    "Gunpowder",
                ],
            )),
            choice(
                "harvest",
                "采摘期",
                "Harvest",
                &["pre-Qingming", "pre-rain", "summer", "autumn"],
            ),
        ],
    },
    CategorySeed {
        slug: "oolong-tea",
        parent: Some("tea"),
        name_zh: "乌龙茶",
        name_en: "Oolong Tea",
        attributes: &[
            required(choice(
                "variety",
                "品种",
                "Variety",
                &[
                    "Tieguanyin",
                    "Da Hong Pao",
                    "Dancong",
                    "Jin Xuan milk oolong",
                ],
            )),
            choice("roast", "焙火", "Roast", &["light", "medium", "heavy"]),
        ],
    },
    CategorySeed {
        slug: "black-tea",
        parent: Some("tea"),
        name_zh: "红茶",
        name_en: "Black Tea",
        attributes: &[
            required(choice(
                "variety",
                "品种",
                "Variety",
                &[
                    "Lapsang Souchong",
                    "Keemun",
                    "Dianhong (Yunnan)",
                    "Jin Jun Mei",
                ],
            )),
            choice(
                "form",
                "形态",
                "Form",
                &["loose leaf", "broken (CTC)", "tea bags"],
            ),
        ],
    },
    CategorySeed {
        slug: "white-tea",
        parent: Some("tea"),
        name_zh: "白茶",
        name_en: "White Tea",
        attributes: &[
            required(choice(
                "variety",
                "品种",
                "Variety",
                &["Silver Needle", "White Peony", "Shoumei"],
            )),
            choice("form", "形态", "Form", &["loose leaf", "pressed cake"]),
            number("harvest_year", "年份", "Harvest year", "year"),
        ],
    },
    // Toys: Shantou (Chenghai). Every toy states its age grading.
    CategorySeed {
        slug: "toys",
        parent: None,
        name_zh: "玩具",
        name_en: "Toys",
        attributes: &[
            required(text("age_range", "适用年龄", "Age")),
            text("certification", "认证", "Certification"),
            COLOR,
        ],
    },
    CategorySeed {
        slug: "plush-toys",
        parent: Some("toys"),
        name_zh: "毛绒玩具",
        name_en: "Plush Toys",
        attributes: &[
            required(number("height_cm", "高度", "Height", "cm")),
            choice(
                "filling",
                "填充物",
                "Filling",
                &["PP cotton", "recycled PP cotton", "PP cotton and beads"],
            ),
        ],
    },
    CategorySeed {
        slug: "building-blocks",
        parent: Some("toys"),
        name_zh: "积木",
        name_en: "Building Blocks",
        attributes: &[
            required(number("pieces", "颗粒数", "Pieces", "pcs")),
            choice("material", "材质", "Material", &["ABS", "PP", "wood"]),
            text("theme", "主题", "Theme"),
        ],
    },
    CategorySeed {
        slug: "rc-toys",
        parent: Some("toys"),
        name_zh: "遥控玩具",
        name_en: "Remote Control Toys",
        attributes: &[
            required(choice(
                "frequency",
                "遥控频率",
                "Frequency",
                &["2.4 GHz", "27 MHz", "infrared"],
            )),
            text("scale", "比例", "Scale"),
            number("run_time_minutes", "续航", "Run time", "min"),
        ],
    },
    // Cosmetics packaging: Guangzhou.
    CategorySeed {
        slug: "cosmetics-packaging",
        parent: None,
        name_zh: "美容包装",
        name_en: "Cosmetics Packaging",
        attributes: &[COLOR],
    },
    CategorySeed {
        slug: "lotion-pump-bottles",
        parent: Some("cosmetics-packaging"),
        name_zh: "乳液泵瓶",
        name_en: "Lotion Pump Bottles",
        attributes: &[
            required(choice(
                "material",
                "材质",
                "Material",
                &["PET", "PETG", "HDPE", "glass"],
            )),
            CAPACITY_ML,
            choice(
                "neck_finish",
                "瓶口规格",
                "Neck finish",
                &["18/410", "20/410", "24/410", "28/410"],
            ),
        ],
    },
    CategorySeed {
        slug: "dropper-bottles",
        parent: Some("cosmetics-packaging"),
        name_zh: "滴管瓶",
        name_en: "Dropper Bottles",
        attributes: &[
            required(choice(
                "material",
                "材质",
                "Material",
                &["amber glass", "clear glass", "frosted glass", "blue glass"],
            )),
            CAPACITY_ML,
            choice(
                "dropper",
                "滴头",
                "Dropper",
                &["rubber bulb", "push button", "silicone bulb"],
            ),
        ],
    },
    CategorySeed {
        slug: "cream-jars",
        parent: Some("cosmetics-packaging"),
        name_zh: "膏霜瓶",
        name_en: "Cream Jars",
        attributes: &[
            required(choice(
                "material",
                "材质",
                "Material",
                &["PP", "PETG", "acrylic double wall", "glass"],
            )),
            required(number("capacity_g", "容量", "Capacity", "g")),
        ],
    },
    CategorySeed {
        slug: "lipstick-tubes",
        parent: Some("cosmetics-packaging"),
        name_zh: "口红管",
        name_en: "Lipstick Tubes",
        attributes: &[
            required(choice(
                "material",
                "材质",
                "Material",
                &["aluminium", "ABS", "PETG", "paper"],
            )),
            required(number(
                "bullet_diameter_mm",
                "膏体直径",
                "Bullet diameter",
                "mm",
            )),
            choice("shape", "形状", "Shape", &["round", "square", "oval"]),
        ],
    },
];

impl CategorySeed {
    /// The category as the market takes it, under the parent already made.
    pub(super) fn new_category(
        &self,
        parent_id: Option<market::CategoryId>,
        position: i64,
    ) -> market::NewCategory {
        market::NewCategory {
            parent_id,
            slug: self.slug.to_owned(),
            name_zh: self.name_zh.to_owned(),
            name_en: self.name_en.to_owned(),
            position,
            attributes: self
                .attributes
                .iter()
                .map(|attribute| market::AttributeSpec {
                    key: attribute.key.to_owned(),
                    name_zh: attribute.name_zh.to_owned(),
                    name_en: attribute.name_en.to_owned(),
                    kind: attribute.kind,
                    unit: attribute.unit.map(str::to_owned),
                    choices: attribute.choices.iter().map(|&c| c.to_owned()).collect(),
                    required: attribute.required,
                })
                .collect(),
        }
    }
}

/// The category of this slug in the table.
pub(super) fn category(slug: &str) -> Option<&'static CategorySeed> {
    CATEGORIES.iter().find(|category| category.slug == slug)
}

/// Whether products may be listed in the category: it has no children.
#[cfg(test)]
pub(super) fn is_leaf(slug: &str) -> bool {
    !CATEGORIES
        .iter()
        .any(|category| category.parent == Some(slug))
}

/// The attributes a product in `slug` answers: its own and its ancestors'.
pub(super) fn schema(slug: &str) -> Vec<&'static AttributeSeed> {
    let mut schema = Vec::new();
    let mut next = category(slug);
    while let Some(category) = next {
        schema.extend(category.attributes.iter());
        next = category.parent.and_then(self::category);
    }
    schema
}

/// How many levels deep the category sits; a root is level 1.
#[cfg(test)]
pub(super) fn depth(slug: &str) -> usize {
    let mut depth = 0;
    let mut next = category(slug);
    while let Some(category) = next {
        depth += 1;
        next = category.parent.and_then(self::category);
    }
    depth
}
