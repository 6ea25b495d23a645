//! Buying requests: found in Chinese, English, mixed and pinyin, newest
//! first without text, within a category's sub-tree, and never broken by
//! odd input.

use search::{RequestDocument, RequestIndex, RequestSearch};

fn request(id: i64, title: &str, details: &str, category_path: &[i64]) -> RequestDocument {
    RequestDocument {
        id,
        company_id: 500 + id,
        title: title.to_string(),
        details: details.to_string(),
        category_path: category_path.to_vec(),
        category_names: String::new(),
        quantity: 1_000 * id,
        unit: "piece".to_string(),
        destination_country: "DE".to_string(),
        created_at_micros: 1_700_000_000_000_000 + id * 1_000_000,
        valid_until_micros: 1_800_000_000_000_000,
    }
}

// Categories: 1 home › 10 drinkware; 2 electronics › 20 audio.
fn index() -> RequestIndex {
    let index = RequestIndex::in_memory().unwrap();
    index
        .index(&[
            request(
                1,
                "求购不锈钢保温杯 5000个",
                "需要500ml不锈钢保温杯，印LOGO。",
                &[1, 10],
            ),
            request(
                2,
                "Looking for bluetooth earphones",
                "Need 2000 wireless bluetooth earphones, CE certified.",
                &[2, 20],
            ),
            request(
                3,
                "采购蓝牙耳机",
                "采购无线蓝牙耳机，要求CE认证。",
                &[2, 20],
            ),
            request(
                4,
                "Vacuum flask 保温杯 wholesale",
                "Stainless steel vacuum flasks for a promotion.",
                &[1, 10],
            ),
            request(
                5,
                "Cotton t-shirts with logo",
                "White cotton t-shirts, sizes S to XL.",
                &[3],
            ),
        ])
        .unwrap();
    index.commit().unwrap();
    index
}

fn ids(index: &RequestIndex, search: &RequestSearch) -> Vec<i64> {
    index
        .search(search)
        .unwrap()
        .hits
        .iter()
        .map(|hit| hit.id)
        .collect()
}

/// The requests found for `text`, in any order, are `expected_ids`.
fn check(index: &RequestIndex, text: &str, expected_ids: &[i64]) {
    let search = RequestSearch {
        text: text.to_string(),
        ..RequestSearch::default()
    };
    let mut found = ids(index, &search);
    found.sort_unstable();
    assert_eq!(found, expected_ids, "requests for {text:?}");
    assert_eq!(
        index.search(&search).unwrap().total,
        expected_ids.len() as u64
    );
}

#[test]
fn chinese_english_mixed_and_pinyin_find_requests() {
    let index = index();
    check(&index, "保温杯", &[1, 4]);
    check(&index, "蓝牙耳机", &[3]);
    check(&index, "bluetooth earphones", &[2]);
    check(&index, "蓝牙 bluetooth", &[]);
    check(&index, "蓝牙 无线", &[3]);
    check(&index, "保温杯 vacuum", &[4]);
    check(&index, "baowenbei", &[1, 4]);
    check(&index, "lanya erji", &[3]);
    check(&index, "cotton", &[5]);
    check(&index, "blutooth", &[2]);
}

#[test]
fn newest_first_without_text_and_category_sub_trees() {
    let index = index();
    assert_eq!(ids(&index, &RequestSearch::default()), vec![5, 4, 3, 2, 1]);
    let home = RequestSearch {
        category_id: Some(1),
        ..RequestSearch::default()
    };
    assert_eq!(ids(&index, &home), vec![4, 1]);
    let audio = RequestSearch {
        category_id: Some(20),
        text: "earphones".to_string(),
        ..RequestSearch::default()
    };
    assert_eq!(ids(&index, &audio), vec![2]);
    let page = RequestSearch {
        offset: 1,
        limit: 2,
        ..RequestSearch::default()
    };
    assert_eq!(ids(&index, &page), vec![4, 3]);
    assert_eq!(index.search(&page).unwrap().total, 5);
}

#[test]
fn hits_are_highlighted_and_escaped() {
    let index = index();
    index
        .index(&[request(
            6,
            "<b>保温杯</b> & lids",
            "\"保温杯\" <script>",
            &[1],
        )])
        .unwrap();
    index.commit().unwrap();
    let results = index
        .search(&RequestSearch {
            text: "保温杯".to_string(),
            ..RequestSearch::default()
        })
        .unwrap();
    let hit = results.hits.iter().find(|hit| hit.id == 6).unwrap();
    assert_eq!(
        hit.title_html,
        "&lt;b&gt;<mark>保温杯</mark>&lt;/b&gt; &amp; lids"
    );
    assert_eq!(
        hit.snippet_html,
        "&quot;<mark>保温杯</mark>&quot; &lt;script&gt;"
    );
    let flask = results.hits.iter().find(|hit| hit.id == 1).unwrap();
    assert_eq!(flask.title_html, "求购不锈钢<mark>保温杯</mark> 5000个");
}

#[test]
fn updates_and_deletes() {
    let index = index();
    index.delete(3).unwrap();
    index
        .index(&[request(2, "Looking for headphones", "Over-ear.", &[2, 20])])
        .unwrap();
    index.commit().unwrap();
    assert_eq!(index.num_docs(), 4);
    check(&index, "蓝牙耳机", &[]);
    check(&index, "earphones", &[]);
    check(&index, "headphones", &[2]);
}

#[test]
fn bad_input_never_breaks_a_search() {
    let index = index();
    let long_text = "x".repeat(10_000);
    let long_chinese = "保温杯".repeat(3_400);
    for text in [
        "",
        "\"",
        "   ",
        "(",
        "title:foo",
        "\u{0}",
        "🎧",
        &long_text,
        &long_chinese,
    ] {
        let search = RequestSearch {
            text: text.to_string(),
            category_id: Some(-1),
            offset: usize::MAX,
            limit: usize::MAX,
        };
        index.search(&search).unwrap();
        index
            .search(&RequestSearch {
                text: text.to_string(),
                ..RequestSearch::default()
            })
            .unwrap();
    }
    assert_eq!(
        index
            .search(&RequestSearch {
                text: "\"".to_string(),
                ..RequestSearch::default()
            })
            .unwrap()
            .total,
        5
    );
}
