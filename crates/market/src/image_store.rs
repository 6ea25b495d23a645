//! Images on disk by content hash: an upload is decoded to prove it is a
//! JPEG, PNG or WebP of sane dimensions, stored once under its SHA-256, and
//! given thumbnails, so the same photo uploaded twice takes space once.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

use crate::error::{MarketError, Result};
use crate::model::ImageRef;

/// The largest upload accepted.
pub const IMAGE_BYTES_MAX: usize = 5 * 1024 * 1024;
/// Larger images are refused rather than decoded: a small file can claim a
/// huge canvas and exhaust memory.
const IMAGE_DIMENSION_MAX: u32 = 8_000;
const DECODE_MEMORY_MAX: u64 = 256 * 1024 * 1024;

/// The sizes an image is served in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageSize {
    /// As uploaded.
    Original,
    /// At most 480 px on the longer side: product pages and cards.
    Medium,
    /// At most 160 px: lists and search results.
    Thumbnail,
}

impl ImageSize {
    pub fn parse(text: &str) -> Option<ImageSize> {
        match text {
            "original" => Some(ImageSize::Original),
            "medium" => Some(ImageSize::Medium),
            "thumb" => Some(ImageSize::Thumbnail),
            _ => None,
        }
    }

    fn longest_side(self) -> Option<u32> {
        match self {
            ImageSize::Original => None,
            ImageSize::Medium => Some(480),
            ImageSize::Thumbnail => Some(160),
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            ImageSize::Original => "",
            ImageSize::Medium => "-480",
            ImageSize::Thumbnail => "-160",
        }
    }
}

/// The folder images live in.
#[derive(Debug, Clone)]
pub struct ImageStore {
    root: PathBuf,
}

/// Whether `text` looks like one of our hashes: 64 lowercase hex digits.
pub fn is_image_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl ImageStore {
    pub fn new(root: impl Into<PathBuf>) -> ImageStore {
        ImageStore { root: root.into() }
    }

    /// Decodes `bytes`, then writes the original and its thumbnails unless
    /// they are already there. Writing goes through a temporary file and a
    /// rename, so a reader never sees half an image.
    pub fn put(&self, bytes: &[u8]) -> Result<ImageRef> {
        if bytes.len() > IMAGE_BYTES_MAX {
            return Err(MarketError::invalid(
                "image",
                "too_large",
                format!(
                    "an image may be at most {} MB",
                    IMAGE_BYTES_MAX / 1024 / 1024
                ),
            ));
        }
        let format = image::guess_format(bytes)
            .ok()
            .filter(|format| {
                matches!(
                    format,
                    ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
                )
            })
            .ok_or_else(|| {
                MarketError::invalid("image", "unsupported_image", "a JPEG, PNG or WebP image")
            })?;
        let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
        let mut limits = Limits::default();
        limits.max_image_width = Some(IMAGE_DIMENSION_MAX);
        limits.max_image_height = Some(IMAGE_DIMENSION_MAX);
        limits.max_alloc = Some(DECODE_MEMORY_MAX);
        reader.limits(limits);
        let decoded = reader.decode().map_err(|error| {
            MarketError::invalid(
                "image",
                "unreadable_image",
                format!("the file cannot be read as an image: {error}"),
            )
        })?;
        let hash = format!("{:x}", Sha256::digest(bytes));
        let image = ImageRef {
            format: extension(format).to_owned(),
            width: decoded.width(),
            height: decoded.height(),
            size_bytes: bytes.len() as u64,
            hash,
        };
        let original = self.path(&image.hash, ImageSize::Original);
        if !original.exists() {
            write_atomically(&original, bytes)?;
        }
        for size in [ImageSize::Medium, ImageSize::Thumbnail] {
            let path = self.path(&image.hash, size);
            if path.exists() {
                continue;
            }
            let side = size.longest_side().unwrap_or(u32::MAX);
            let scaled = if decoded.width() > side || decoded.height() > side {
                decoded.thumbnail(side, side)
            } else {
                decoded.clone()
            };
            // Thumbnails are JPEG whatever came in: small, and every browser
            // shows it; transparency is flattened onto white.
            let rgb = flatten_on_white(&scaled);
            let mut encoded = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut encoded, 85)
                .encode_image(&rgb)
                .map_err(|error| std::io::Error::other(error.to_string()))?;
            write_atomically(&path, &encoded)?;
        }
        Ok(image)
    }

    /// Where an image of `hash` in `size` lives; `None` for a malformed hash.
    /// The file may not exist.
    pub fn file(&self, hash: &str, size: ImageSize) -> Option<(PathBuf, &'static str)> {
        if !is_image_hash(hash) {
            return None;
        }
        let path = self.path(hash, size);
        let content_type = match size {
            ImageSize::Original => {
                // The original has no extension; its first bytes say what it is.
                let mut head = [0u8; 16];
                let read = std::fs::File::open(&path)
                    .and_then(|mut file| std::io::Read::read(&mut file, &mut head))
                    .unwrap_or(0);
                match image::guess_format(&head[..read]).ok() {
                    Some(ImageFormat::Png) => "image/png",
                    Some(ImageFormat::WebP) => "image/webp",
                    _ => "image/jpeg",
                }
            }
            _ => "image/jpeg",
        };
        Some((path, content_type))
    }

    fn path(&self, hash: &str, size: ImageSize) -> PathBuf {
        // Two levels of folders keep any one folder small.
        let folder = self.root.join(&hash[..2]).join(&hash[2..4]);
        match size {
            // The original keeps no extension on disk: its format is in the
            // database and in its magic bytes; `file` names the type.
            ImageSize::Original => folder.join(hash),
            _ => folder.join(format!("{hash}{}.jpg", size.suffix())),
        }
    }
}

fn extension(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "png",
        ImageFormat::WebP => "webp",
        _ => "jpeg",
    }
}

fn flatten_on_white(image: &image::DynamicImage) -> image::RgbImage {
    let rgba = image.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |channel: u8| {
            ((u16::from(channel) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8
        };
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().expect("image paths have a folder");
    std::fs::create_dir_all(folder)?;
    let temporary = folder.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("image"),
        std::process::id()
    ));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbaImage::from_pixel(width, height, image::Rgba([20, 120, 200, 255]));
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn an_image_is_stored_once_with_thumbnails() {
        let folder = tempfile::tempdir().unwrap();
        let store = ImageStore::new(folder.path());
        let bytes = png(1200, 600);
        let first = store.put(&bytes).unwrap();
        let second = store.put(&bytes).unwrap();
        assert_eq!(first, second);
        assert_eq!(
            (first.width, first.height, first.format.as_str()),
            (1200, 600, "png")
        );
        let (thumb, content_type) = store.file(&first.hash, ImageSize::Thumbnail).unwrap();
        assert_eq!(content_type, "image/jpeg");
        let thumb = image::open(thumb).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (160, 80));
        let (original, content_type) = store.file(&first.hash, ImageSize::Original).unwrap();
        assert_eq!(std::fs::read(original).unwrap(), bytes);
        assert_eq!(content_type, "image/png");
    }

    #[test]
    fn what_is_not_an_image_is_refused() {
        let folder = tempfile::tempdir().unwrap();
        let store = ImageStore::new(folder.path());
        let code = |bytes: &[u8]| match store.put(bytes) {
            Err(MarketError::Invalid { code, .. }) => code,
            other => panic!("{other:?}"),
        };
        assert_eq!(code(b"hello, not an image"), "unsupported_image");
        let mut truncated = png(100, 100);
        truncated.truncate(60);
        assert_eq!(code(&truncated), "unreadable_image");
        assert_eq!(code(&vec![0; IMAGE_BYTES_MAX + 1]), "too_large");
        assert!(std::fs::read_dir(folder.path()).unwrap().next().is_none());
        assert!(
            store
                .file("../../etc/passwd", ImageSize::Original)
                .is_none()
        );
    }
}
