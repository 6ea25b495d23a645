//! Search over a small hand-built bilingual catalog: queries in Chinese,
//! English, mixed and pinyin, typos, filters, facets, snippets on compound
//! Chinese words, and input that must never break a search.

mod cache;
mod relevance;
mod requests;

use search::{
    PriceFilter, ProductDocument, SearchIndex, SearchIndexOptions, SearchRequest, SortOrder,
};

// Categories: 1 home › 10 drinkware; 2 electronics › 20 audio, 21 lighting;
// 3 apparel › 30 accessories, 31 t-shirts.
#[allow(clippy::too_many_arguments)]
fn product(
    id: i64,
    title_zh: Option<&str>,
    title_en: Option<&str>,
    description: &str,
    category_path: &[i64],
    province: &str,
    verified: bool,
    moq: i64,
    tiers: &[(i64, i64)],
    quality_score: f32,
) -> ProductDocument {
    ProductDocument {
        id,
        company_id: 100 + id % 5,
        company_name: format!("Company {}", id % 5),
        title_zh: title_zh.map(str::to_string),
        title_en: title_en.map(str::to_string),
        description: description.to_string(),
        attributes: vec![("material".to_string(), "mixed".to_string())],
        category_path: category_path.to_vec(),
        category_names: String::new(),
        province: province.to_string(),
        country: if province == "Bavaria" { "DE" } else { "CN" }.to_string(),
        verified,
        in_stock: id % 4 != 0,
        moq,
        price_tiers: tiers.to_vec(),
        currency: "CNY".to_string(),
        created_at_micros: 1_700_000_000_000_000 + id * 1_000_000,
        quality_score,
    }
}

fn catalog() -> Vec<ProductDocument> {
    vec![
        product(
            1,
            Some("不锈钢保温杯 500ml"),
            Some("Stainless steel vacuum flask 500ml"),
            "双层真空不锈钢保温杯，保温12小时。Keeps drinks hot for 12 hours.",
            &[1, 10],
            "Zhejiang",
            true,
            100,
            &[(100, 2_500), (1_000, 2_000)],
            0.9,
        ),
        product(
            2,
            Some("儿童保温杯"),
            Some("Kids vacuum flask with straw"),
            "卡通图案儿童保温杯，带吸管。",
            &[1, 10],
            "Guangdong",
            false,
            50,
            &[(50, 1_800)],
            0.3,
        ),
        product(
            3,
            Some("陶瓷咖啡杯"),
            Some("Ceramic coffee mug"),
            "手工陶瓷咖啡杯 350ml, dishwasher safe.",
            &[1, 10],
            "Jiangxi",
            true,
            200,
            &[(200, 900)],
            0.5,
        ),
        product(
            4,
            Some("蓝牙耳机 无线降噪"),
            Some("Wireless Bluetooth earphones with noise cancelling"),
            "蓝牙5.3无线耳机，续航30小时。Bluetooth 5.3, 30 hours battery.",
            &[2, 20],
            "Guangdong",
            true,
            10,
            &[(10, 9_900), (500, 7_500)],
            0.8,
        ),
        product(
            5,
            Some("头戴式蓝牙耳机"),
            Some("Over-ear bluetooth headphones"),
            "头戴式蓝牙耳机，低音强劲。",
            &[2, 20],
            "Guangdong",
            false,
            20,
            &[(20, 15_000)],
            0.4,
        ),
        product(
            6,
            None,
            Some("Portable bluetooth speaker waterproof"),
            "Waterproof portable speaker with 12 hour battery.",
            &[2, 20],
            "Bavaria",
            true,
            5,
            &[(5, 20_000)],
            0.7,
        ),
        product(
            7,
            Some("LED灯泡 E27"),
            Some("LED bulb E27 9W warm white"),
            "节能LED灯泡，暖白光。Energy saving LED bulbs.",
            &[2, 21],
            "Zhejiang",
            true,
            500,
            &[(500, 300), (5_000, 250)],
            0.6,
        ),
        product(
            8,
            Some("LED吸顶灯"),
            Some("LED ceiling light"),
            "现代简约LED吸顶灯。",
            &[2, 21],
            "Jiangsu",
            false,
            50,
            &[(50, 4_500)],
            0.2,
        ),
        product(
            9,
            Some("真丝丝巾"),
            Some("Silk scarf, 100% mulberry silk"),
            "杭州真丝丝巾，桑蚕丝。Hand-rolled edges.",
            &[3, 30],
            "Zhejiang",
            true,
            30,
            &[(30, 6_800)],
            0.9,
        ),
        product(
            10,
            Some("印花丝巾"),
            Some("Printed silk scarves"),
            "印花丝巾，多色可选。",
            &[3, 30],
            "Jiangsu",
            false,
            100,
            &[(100, 3_200)],
            0.1,
        ),
        product(
            11,
            Some("纯棉T恤 男款"),
            Some("Men's cotton t-shirt"),
            "100%纯棉T恤，透气舒适。Soft cotton.",
            &[3, 31],
            "Guangdong",
            true,
            100,
            &[(100, 1_500), (1_000, 1_100)],
            0.6,
        ),
        product(
            12,
            Some("纯棉T恤 女款"),
            Some("Women's cotton T-shirts"),
            "纯棉圆领T恤。",
            &[3, 31],
            "Fujian",
            false,
            200,
            &[(200, 1_400)],
            0.5,
        ),
        product(
            13,
            Some("有机棉婴儿连体衣"),
            Some("Organic cotton baby bodysuit"),
            "有机棉，柔软亲肤。",
            &[3, 31],
            "Zhejiang",
            true,
            300,
            &[(300, 2_200)],
            0.8,
        ),
        product(
            14,
            Some("不锈钢餐具套装"),
            Some("Stainless steel cutlery set"),
            "304不锈钢刀叉勺套装。",
            &[1, 10],
            "Guangdong",
            true,
            100,
            &[(100, 3_900)],
            0.4,
        ),
        product(
            15,
            Some("蓝牙音箱"),
            Some("Bluetooth speaker mini"),
            "迷你蓝牙音箱 <b>hot</b> & \"loud\".",
            &[2, 20],
            "Guangdong",
            true,
            10,
            &[(10, 5_000)],
            0.5,
        ),
    ]
}

fn catalog_index() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    index.index(&catalog()).unwrap();
    index.commit().unwrap();
    index
}

fn ids(index: &SearchIndex, request: &SearchRequest) -> Vec<i64> {
    index
        .search(request)
        .unwrap()
        .hits
        .iter()
        .map(|hit| hit.id)
        .collect()
}

fn text(query: &str) -> SearchRequest {
    SearchRequest {
        text: query.to_string(),
        ..SearchRequest::default()
    }
}

/// The hits for `query` begin with `expected_top_ids` (in any order among
/// them) and contain nothing unexpected beyond `expected_total`.
fn check(index: &SearchIndex, query: &str, expected_top_ids: &[i64], expected_total: usize) {
    let found = ids(index, &text(query));
    let mut top: Vec<i64> = found.iter().take(expected_top_ids.len()).copied().collect();
    top.sort_unstable();
    let mut expected = expected_top_ids.to_vec();
    expected.sort_unstable();
    assert_eq!(top, expected, "top hits for {query:?}: {found:?}");
    assert_eq!(found.len(), expected_total, "hits for {query:?}: {found:?}");
}

#[test]
fn chinese_english_mixed_pinyin_and_typos_find_the_products() {
    let index = catalog_index();
    check(&index, "保温杯", &[1, 2], 2);
    check(&index, "保温", &[1, 2], 2);
    check(&index, "蓝牙耳机", &[4, 5], 2);
    check(&index, "bluetooth", &[4, 5, 6, 15], 4);
    check(&index, "Bluetooth Earphones", &[4], 1);
    check(&index, "蓝牙 earphones", &[4], 1);
    check(&index, "vacuum flasks", &[1, 2], 2);
    check(&index, "丝巾", &[9, 10], 2);
    check(&index, "silk", &[9, 10], 2);
    // The English stemmer keeps "scarf" and "scarves" apart.
    check(&index, "silk scarves", &[10], 1);
    check(&index, "LED bulbs", &[7], 1);
    check(&index, "纯棉T恤", &[11, 12], 2);
    check(&index, "cotton t-shirt", &[11, 12], 2);
    check(&index, "stainless steel", &[1, 14], 2);
    check(&index, "lanya erji", &[4, 5], 2);
    check(&index, "baowenbei", &[1, 2], 2);
    check(&index, "bluetoth", &[4, 5, 6, 15], 4);
    check(&index, "blutooth speaker", &[6, 15], 2);
    check(&index, "nothing-like-this", &[], 0);
}

#[test]
fn quality_lifts_relevance_and_sorts_apply() {
    let index = catalog_index();
    // Same words, better supplier first: 9 (0.9) before 10 (0.1).
    assert_eq!(ids(&index, &text("丝巾"))[0], 9);
    let by_price = SearchRequest {
        sort: SortOrder::PriceAscending,
        ..text("bluetooth")
    };
    assert_eq!(ids(&index, &by_price), vec![15, 4, 5, 6]);
    let newest = SearchRequest {
        sort: SortOrder::Newest,
        ..text("")
    };
    assert_eq!(ids(&index, &newest)[..3], [15, 14, 13]);
}

#[test]
fn filters_narrow_and_facets_count_one_level_down() {
    let index = catalog_index();
    let results = index.search(&text("")).unwrap();
    assert_eq!(results.total, 15);
    let top_level: Vec<(i64, u64)> = results
        .categories
        .iter()
        .map(|facet| (facet.category_id, facet.count))
        .collect();
    assert_eq!(top_level, vec![(2, 6), (3, 5), (1, 4)]);
    assert_eq!(results.provinces[0].province, "Guangdong");
    assert_eq!(results.provinces[0].count, 6);

    let electronics = SearchRequest {
        category_id: Some(2),
        ..text("")
    };
    let results = index.search(&electronics).unwrap();
    assert_eq!(results.total, 6);
    let below: Vec<(i64, u64)> = results
        .categories
        .iter()
        .map(|facet| (facet.category_id, facet.count))
        .collect();
    assert_eq!(below, vec![(20, 4), (21, 2)]);

    let audio_verified_guangdong = SearchRequest {
        category_id: Some(20),
        verified_only: true,
        province: Some("Guangdong".to_string()),
        ..text("")
    };
    let mut found = ids(&index, &audio_verified_guangdong);
    found.sort_unstable();
    assert_eq!(found, vec![4, 15]);

    let small_orders = SearchRequest {
        moq_max: Some(10),
        ..text("")
    };
    let mut found = ids(&index, &small_orders);
    found.sort_unstable();
    assert_eq!(found, vec![4, 6, 15]);

    let in_germany_in_stock = SearchRequest {
        country: Some("DE".to_string()),
        in_stock_only: true,
        ..text("")
    };
    assert_eq!(ids(&index, &in_germany_in_stock), vec![6]);

    // At 500 pieces the earphones cost 75.00, in range; at 10, 99.00, not.
    let price_at = |quantity| SearchRequest {
        price: Some(PriceFilter {
            currency: "CNY".to_string(),
            quantity: Some(quantity),
            min_minor: Some(7_000),
            max_minor: Some(8_000),
        }),
        ..text("bluetooth")
    };
    assert_eq!(ids(&index, &price_at(500)), vec![4]);
    assert_eq!(ids(&index, &price_at(10)), Vec::<i64>::new());
    let hit = &index.search(&price_at(500)).unwrap().hits[0];
    assert_eq!(hit.unit_price_minor, Some(7_500));

    let unknown = SearchRequest {
        category_id: Some(-5),
        province: Some("Atlantis".to_string()),
        price: Some(PriceFilter {
            currency: "XXX".to_string(),
            ..PriceFilter::default()
        }),
        ..text("bluetooth")
    };
    assert_eq!(index.search(&unknown).unwrap().total, 0);
}

#[test]
fn snippets_mark_whole_compound_words_and_escape_html() {
    let index = catalog_index();
    let hit = |query: &str, id: i64| {
        index
            .search(&text(query))
            .unwrap()
            .hits
            .into_iter()
            .find(|hit| hit.id == id)
            .unwrap()
    };
    let flask = hit("保温杯", 1);
    assert_eq!(
        flask.title_zh_html.as_deref(),
        Some("不锈钢<mark>保温杯</mark> 500ml")
    );
    assert!(
        flask.snippet_html.contains("不锈钢<mark>保温杯</mark>"),
        "{}",
        flask.snippet_html
    );
    let flask = hit("不锈钢保温杯", 1);
    assert_eq!(
        flask.title_zh_html.as_deref(),
        Some("<mark>不锈钢保温杯</mark> 500ml")
    );
    let flask = hit("保温", 1);
    assert_eq!(
        flask.title_zh_html.as_deref(),
        Some("不锈钢<mark>保温</mark>杯 500ml")
    );
    let earphones = hit("蓝牙耳机", 4);
    assert_eq!(
        earphones.title_zh_html.as_deref(),
        Some("<mark>蓝牙耳机</mark> 无线降噪")
    );
    assert_eq!(
        earphones.title_en_html.as_deref(),
        Some("Wireless Bluetooth earphones with noise cancelling")
    );
    let earphones = hit("bluetooth earphones", 4);
    assert_eq!(
        earphones.title_en_html.as_deref(),
        Some("Wireless <mark>Bluetooth</mark> <mark>earphones</mark> with noise cancelling")
    );
    let speaker = hit("音箱", 15);
    assert_eq!(
        speaker.snippet_html,
        "迷你蓝牙<mark>音箱</mark> &lt;b&gt;hot&lt;/b&gt; &amp; &quot;loud&quot;."
    );
}

#[test]
fn long_descriptions_are_cut_around_the_first_match() {
    let index = SearchIndex::in_memory().unwrap();
    let mut long = catalog().remove(0);
    long.description = format!("{}不锈钢保温杯{}", "前言".repeat(100), "后记".repeat(300));
    index.index(&[long]).unwrap();
    index.commit().unwrap();
    let hit = &index.search(&text("保温杯")).unwrap().hits[0];
    assert!(hit.snippet_html.starts_with('…') && hit.snippet_html.ends_with('…'));
    assert!(hit.snippet_html.contains("不锈钢<mark>保温杯</mark>"));
    assert!(hit.snippet_html.chars().count() < 200);
}

#[test]
fn bad_input_never_breaks_a_search() {
    let index = catalog_index();
    let long_text = "蓝牙耳机 bluetooth ".repeat(700);
    let inputs = [
        "",
        "\"",
        "\"\"\"",
        "(",
        "AND OR NOT",
        "title:foo",
        "*",
        "-",
        "\u{0}",
        "<script>alert(1)</script>",
        &long_text,
        "🎧🎧🎧",
        "   ",
        // Whitespace wider than a byte (NEL, ideographic space) before the
        // last word.
        "blue\u{85}tooth",
        "蓝牙\u{3000}耳",
    ];
    for input in inputs {
        for sort in [
            SortOrder::Relevance,
            SortOrder::PriceAscending,
            SortOrder::PriceDescending,
            SortOrder::Newest,
        ] {
            let request = SearchRequest {
                sort,
                offset: usize::MAX,
                limit: usize::MAX,
                ..text(input)
            };
            index.search(&request).unwrap();
        }
        index.suggest(input, usize::MAX).unwrap();
    }
    assert_eq!(index.search(&text("\"")).unwrap().total, 15);
    // Only the first 200 chars count: "蓝牙耳机 bluetooth" over and over.
    assert_eq!(index.search(&text(&long_text)).unwrap().total, 2);
}

#[test]
fn pagination_is_capped() {
    let index = catalog_index();
    let page = |offset, limit| SearchRequest {
        offset,
        limit,
        sort: SortOrder::Newest,
        ..text("")
    };
    assert_eq!(ids(&index, &page(0, 5)), vec![15, 14, 13, 12, 11]);
    assert_eq!(ids(&index, &page(5, 5)), vec![10, 9, 8, 7, 6]);
    assert_eq!(ids(&index, &page(14, 5)), vec![1]);
    assert_eq!(ids(&index, &page(0, 0)).len(), 15);
}

#[test]
fn suggestions_complete_the_last_word() {
    let index = catalog_index();
    let suggestions = index.suggest("蓝牙耳", 5).unwrap();
    assert_eq!(suggestions, vec!["蓝牙耳机"]);
    let suggestions = index.suggest("保温", 5).unwrap();
    assert_eq!(suggestions, vec!["保温杯"]);
    let suggestions = index.suggest("wireless blue", 5).unwrap();
    assert_eq!(suggestions, vec!["wireless bluetooth"]);
    let suggestions = index.suggest("wireless\u{3000}blue", 5).unwrap();
    assert_eq!(suggestions, vec!["wireless\u{3000}bluetooth"]);
    assert!(
        index
            .suggest("cott", 5)
            .unwrap()
            .contains(&"cotton".to_string())
    );
    assert!(index.suggest("", 5).unwrap().is_empty());
}

#[test]
fn updates_deletes_and_reopening_a_directory() {
    let directory = tempfile::tempdir().unwrap();
    {
        let index =
            SearchIndex::open_in_dir(directory.path(), SearchIndexOptions::default()).unwrap();
        index.index(&catalog()).unwrap();
        index.commit().unwrap();
        index.delete(4).unwrap();
        let mut renamed = catalog().remove(4);
        renamed.title_en = Some("Over-ear studio headphones".to_string());
        renamed.title_zh = None;
        renamed.description = "Studio sound.".to_string();
        index.index(&[renamed]).unwrap();
        index.commit().unwrap();
        index.merge_segments().unwrap();
        assert_eq!(index.segment_count(), 1);
    }
    let index = SearchIndex::open_in_dir(directory.path(), SearchIndexOptions::default()).unwrap();
    assert_eq!(index.num_docs(), 15 - 1);
    check(&index, "蓝牙耳机", &[], 0);
    check(&index, "studio headphones", &[5], 1);
}
