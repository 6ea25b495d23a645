//! Attachments: a file is what it says and no larger than the cap, an entry
//! holds a bounded number, another company sees none of them, and a posted
//! entry keeps its evidence.

use books::{
    ATTACHMENT_BYTES_MAX, ATTACHMENTS_PER_ENTRY_MAX, AccountRole, BooksError, EntryInput, LineInput,
};
use kernel::{Currency, Db, storage_test};
use sqlx::Row;

use crate::support::{fixture, migrations};

async fn attachment_count(db: &Db) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM books_attachment")
        .fetch_one(db.reader())
        .await
        .unwrap()
        .get("n")
}

storage_test!(
    a_receipt_is_attached_read_back_whole_and_kept_once_posted,
    migrations(),
    |db: Db| async move {
        let f = fixture(db.clone()).await;
        let owner = f.deal.seller;
        let accounts = f.books.accounts(&owner).await.unwrap();
        let role = |role| accounts.iter().find(|a| a.role == Some(role)).unwrap().id;
        let line = |account_id, debit_minor, credit_minor| LineInput {
            account_id,
            currency: Currency::CNY,
            debit_minor,
            credit_minor,
            memo: String::new(),
        };
        let draft = f
            .books
            .create_entry(
                &owner,
                &EntryInput {
                    journal: books::Journal::General,
                    date: books::period::day_of(kernel::Clock::now(&*f.deal.clock)),
                    memo: "Office chairs".to_owned(),
                    lines: vec![
                        line(role(AccountRole::Inventory), 80_000, 0),
                        line(role(AccountRole::Bank), 0, 80_000),
                    ],
                    post: false,
                },
            )
            .await
            .unwrap();
        // Every byte value, to prove the content comes back exactly.
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.extend((0..=255u8).cycle().take(4_096));
        let receipt = f
            .books
            .attach(&owner, draft.id, "发票 0042.pdf", "application/pdf", &pdf)
            .await
            .unwrap();
        assert_eq!(receipt.size_bytes, pdf.len() as i64);
        assert_eq!(receipt.sha256.len(), 64);
        let (read, content) = f
            .books
            .attachment_content(&owner, draft.id, receipt.id)
            .await
            .unwrap();
        assert_eq!((read, content), (receipt.clone(), pdf.clone()));

        // Refused, nothing written: not what it says, too large, a path in
        // the name, an unknown type, another company's entry.
        let refusals = [
            ("a.pdf", "application/pdf", b"<html>".to_vec(), "content"),
            (
                "big.txt",
                "text/plain",
                vec![b'a'; ATTACHMENT_BYTES_MAX + 1],
                "content",
            ),
            ("../a.txt", "text/plain", b"a".to_vec(), "file_name"),
            (
                "a.exe",
                "application/x-msdownload",
                b"MZ".to_vec(),
                "content_type",
            ),
        ];
        for (name, content_type, bytes, field) in refusals {
            match f
                .books
                .attach(&owner, draft.id, name, content_type, &bytes)
                .await
            {
                Err(BooksError::Invalid { field: got, .. }) => assert_eq!(got, field, "{name}"),
                other => panic!("{name}: expected a refusal, got {other:?}"),
            }
        }
        let stranger = f.deal.buyer;
        assert!(matches!(
            f.books
                .attach(&stranger, draft.id, "a.txt", "text/plain", b"a")
                .await,
            Err(BooksError::NotFound(_))
        ));
        assert!(matches!(
            f.books
                .attachment_content(&stranger, draft.id, receipt.id)
                .await,
            Err(BooksError::NotFound(_))
        ));
        assert!(matches!(
            f.books.attachments(&stranger, draft.id).await,
            Err(BooksError::NotFound(_))
        ));
        assert_eq!(attachment_count(&db).await, 1);

        // Up to the cap per entry.
        for n in 1..ATTACHMENTS_PER_ENTRY_MAX {
            f.books
                .attach(
                    &owner,
                    draft.id,
                    &format!("page {n}.txt"),
                    "text/plain",
                    b"page",
                )
                .await
                .unwrap();
        }
        assert!(matches!(
            f.books
                .attach(&owner, draft.id, "one more.txt", "text/plain", b"x")
                .await,
            Err(BooksError::State {
                code: "too_many_attachments",
                ..
            })
        ));
        let listed = f.books.attachments(&owner, draft.id).await.unwrap();
        assert_eq!(listed.len() as i64, ATTACHMENTS_PER_ENTRY_MAX);
        assert_eq!(listed[0], receipt, "oldest first");

        // A draft's file may go; a posted entry's stays.
        f.books
            .remove_attachment(&owner, draft.id, listed[1].id)
            .await
            .unwrap();
        f.books.post_entry(&owner, draft.id).await.unwrap();
        assert!(matches!(
            f.books
                .remove_attachment(&owner, draft.id, receipt.id)
                .await,
            Err(BooksError::State {
                code: "entry_posted",
                ..
            })
        ));
        f.books
            .attach(
                &owner,
                draft.id,
                "delivery note.png",
                "image/png",
                b"\x89PNG\r\n\x1a\nrest",
            )
            .await
            .unwrap();
        assert_eq!(attachment_count(&db).await, ATTACHMENTS_PER_ENTRY_MAX);

        // A draft deleted takes its files with it.
        let other = f
            .books
            .create_entry(
                &owner,
                &EntryInput {
                    journal: books::Journal::General,
                    date: books::period::day_of(kernel::Clock::now(&*f.deal.clock)),
                    memo: "Chairs, again".to_owned(),
                    lines: vec![
                        line(role(AccountRole::Inventory), 100, 0),
                        line(role(AccountRole::Bank), 0, 100),
                    ],
                    post: false,
                },
            )
            .await
            .unwrap();
        f.books
            .attach(&owner, other.id, "quote.txt", "text/plain", b"quote")
            .await
            .unwrap();
        f.books.delete_draft(&owner, other.id).await.unwrap();
        assert_eq!(attachment_count(&db).await, ATTACHMENTS_PER_ENTRY_MAX);
    }
);
