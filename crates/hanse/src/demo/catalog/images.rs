//! Product pictures for the demo catalog, drawn when the demo loads: nothing
//! is downloaded, and no picture file needs to live in the repository. Each
//! is a flat drawing of the product's kind in the variant's colour on a light
//! background, good enough for cards and search results to look like a shop.

use std::io::Cursor;

use image::{ImageEncoder as _, Rgb, RgbImage};

/// The side of every demo picture, in pixels: the market's "medium" size, so
/// no resizing happens when a product page shows it.
pub(super) const PICTURE_SIDE_PX: u32 = 480;

/// What a picture shows. Several kinds of product share a drawing where
/// their silhouettes are alike (a food jar and a cream jar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Drawing {
    Flask,
    Mug,
    Jar,
    Earbuds,
    Speaker,
    Gadget,
    Cable,
    Bulb,
    Roll,
    Shirt,
    Carton,
    Bag,
    Chair,
    Table,
    Sofa,
    Shoe,
    Leaf,
    Teapot,
    Bearing,
    Gear,
    Bolt,
    Block,
    PumpBottle,
    Lipstick,
    Cloth,
    Teddy,
    Car,
}

impl Drawing {
    /// Every drawing, so a test can decode each one.
    #[cfg(test)]
    pub(super) const ALL: [Drawing; 27] = [
        Drawing::Flask,
        Drawing::Mug,
        Drawing::Jar,
        Drawing::Earbuds,
        Drawing::Speaker,
        Drawing::Gadget,
        Drawing::Cable,
        Drawing::Bulb,
        Drawing::Roll,
        Drawing::Shirt,
        Drawing::Carton,
        Drawing::Bag,
        Drawing::Chair,
        Drawing::Table,
        Drawing::Sofa,
        Drawing::Shoe,
        Drawing::Leaf,
        Drawing::Teapot,
        Drawing::Bearing,
        Drawing::Gear,
        Drawing::Bolt,
        Drawing::Block,
        Drawing::PumpBottle,
        Drawing::Lipstick,
        Drawing::Cloth,
        Drawing::Teddy,
        Drawing::Car,
    ];
}

/// A colour as red, green and blue.
pub(super) type Rgb8 = [u8; 3];

/// The colour `percent` of the way from `color` to black.
fn darker(color: Rgb8, percent: u32) -> Rgb8 {
    color.map(|channel| (u32::from(channel) * (100 - percent) / 100) as u8)
}

/// The colour `percent` of the way from `color` to white.
fn lighter(color: Rgb8, percent: u32) -> Rgb8 {
    color.map(|channel| {
        let channel = u32::from(channel);
        (channel + (255 - channel) * percent / 100) as u8
    })
}

/// A canvas with the few filled shapes the drawings are made of. Coordinates
/// are pixels, and shapes running off the canvas are clipped.
struct Canvas {
    image: RgbImage,
}

impl Canvas {
    fn new(background: Rgb8) -> Canvas {
        Canvas {
            image: RgbImage::from_pixel(PICTURE_SIDE_PX, PICTURE_SIDE_PX, Rgb(background)),
        }
    }

    /// Fills columns `x0..x1` of row `y`.
    fn span(&mut self, y: i32, x0: i32, x1: i32, color: Rgb8) {
        let side = PICTURE_SIDE_PX as i32;
        let (x0, x1) = (x0.max(0), x1.min(side));
        if !(0..side).contains(&y) || x0 >= x1 {
            return;
        }
        let row_start = y as usize * side as usize * 3;
        let subpixels: &mut [u8] = &mut self.image;
        let span = &mut subpixels[row_start + x0 as usize * 3..row_start + x1 as usize * 3];
        span[..3].copy_from_slice(&color);
        // Copying what is filled so far onto what is not, doubling each time,
        // takes a few block copies per row instead of a store per pixel; the
        // demo loads in a debug build too, where a store per pixel is slow.
        let mut filled = 3;
        while filled < span.len() {
            let chunk = filled.min(span.len() - filled);
            span.copy_within(..chunk, filled);
            filled += chunk;
        }
    }

    fn rect(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, color: Rgb8) {
        for y in y0..y1 {
            self.span(y, x0, x1, color);
        }
    }

    /// A rectangle with corners rounded to `radius`.
    fn rounded_rect(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, radius: i32, color: Rgb8) {
        let radius = radius.min((x1 - x0) / 2).min((y1 - y0) / 2).max(0);
        for y in y0..y1 {
            // How far the row sits inside the top or bottom corner band.
            let dy = if y < y0 + radius {
                y0 + radius - y
            } else if y >= y1 - radius {
                y - (y1 - radius) + 1
            } else {
                0
            };
            let inset = if dy == 0 {
                0
            } else {
                radius - integer_sqrt(radius * radius - dy.min(radius) * dy.min(radius))
            };
            self.span(y, x0 + inset, x1 - inset, color);
        }
    }

    fn ellipse(&mut self, cx: i32, cy: i32, rx: i32, ry: i32, color: Rgb8) {
        if rx <= 0 || ry <= 0 {
            return;
        }
        for dy in -ry..=ry {
            // Half the row's width: rx * sqrt(1 - dy²/ry²), in integers.
            let half = integer_sqrt(
                ((i64::from(rx) * i64::from(rx))
                    * (i64::from(ry) * i64::from(ry) - i64::from(dy) * i64::from(dy))
                    / (i64::from(ry) * i64::from(ry))) as i32,
            );
            self.span(cy + dy, cx - half, cx + half + 1, color);
        }
    }

    fn circle(&mut self, cx: i32, cy: i32, radius: i32, color: Rgb8) {
        self.ellipse(cx, cy, radius, radius, color);
    }

    /// A filled polygon, by the even-odd rule, sampling each row at its middle.
    fn polygon(&mut self, points: &[(i32, i32)], color: Rgb8) {
        let Some(top) = points.iter().map(|point| point.1).min() else {
            return;
        };
        let bottom = points.iter().map(|point| point.1).max().unwrap_or(top);
        let mut crossings = Vec::with_capacity(points.len());
        for y in top..bottom {
            // Twice the sampled height, so the row's middle is an integer.
            let sample = 2 * y + 1;
            crossings.clear();
            for (index, &(xa, ya)) in points.iter().enumerate() {
                let (xb, yb) = points[(index + 1) % points.len()];
                if (2 * ya <= sample) != (2 * yb <= sample) {
                    crossings.push(xa + (sample - 2 * ya) * (xb - xa) / (2 * (yb - ya)));
                }
            }
            crossings.sort_unstable();
            for pair in crossings.chunks_exact(2) {
                self.span(y, pair[0], pair[1], color);
            }
        }
    }

    /// A straight stroke `width` pixels wide.
    fn line(&mut self, from: (i32, i32), to: (i32, i32), width: i32, color: Rgb8) {
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let length = integer_sqrt(dx * dx + dy * dy).max(1);
        // The stroke's half-width, turned across its direction.
        let (nx, ny) = (-dy * width / (2 * length), dx * width / (2 * length));
        self.polygon(
            &[
                (from.0 + nx, from.1 + ny),
                (to.0 + nx, to.1 + ny),
                (to.0 - nx, to.1 - ny),
                (from.0 - nx, from.1 - ny),
            ],
            color,
        );
        self.circle(from.0, from.1, width / 2, color);
        self.circle(to.0, to.1, width / 2, color);
    }

    fn into_png(self) -> Vec<u8> {
        let mut bytes = Cursor::new(Vec::new());
        // Flat colours compress to a few kilobytes without row filters,
        // which would only cost time.
        image::codecs::png::PngEncoder::new_with_quality(
            &mut bytes,
            image::codecs::png::CompressionType::Default,
            image::codecs::png::FilterType::NoFilter,
        )
        .write_image(
            self.image.as_raw(),
            PICTURE_SIDE_PX,
            PICTURE_SIDE_PX,
            image::ExtendedColorType::Rgb8,
        )
        // Encoding a well-formed buffer into memory cannot fail.
        .expect("a PNG encodes into memory");
        bytes.into_inner()
    }
}

fn integer_sqrt(value: i32) -> i32 {
    if value <= 0 {
        return 0;
    }
    let mut root = (value as f64).sqrt() as i32;
    while root * root > value {
        root -= 1;
    }
    while (root + 1) * (root + 1) <= value {
        root += 1;
    }
    root
}

/// The outline of a gear around (cx, cy): `count` teeth reaching to `outer`,
/// the gaps between them down to `inner`.
fn spiked_outline(cx: i32, cy: i32, outer: i32, inner: i32, count: u32) -> Vec<(i32, i32)> {
    let steps = count * 4;
    (0..steps)
        .map(|step| {
            // Two steps on the tooth, two in the gap between teeth.
            let radius = if step % 4 < 2 { outer } else { inner };
            let angle = std::f64::consts::TAU * f64::from(step) / f64::from(steps);
            (
                cx + (f64::from(radius) * angle.cos()).round() as i32,
                cy + (f64::from(radius) * angle.sin()).round() as i32,
            )
        })
        .collect()
}

/// The corners of a regular polygon around (cx, cy), e.g. a bolt's hex head.
fn regular_polygon(cx: i32, cy: i32, radius: i32, sides: u32) -> Vec<(i32, i32)> {
    (0..sides)
        .map(|side| {
            let angle = std::f64::consts::TAU * f64::from(side) / f64::from(sides);
            (
                cx + (f64::from(radius) * angle.cos()).round() as i32,
                cy + (f64::from(radius) * angle.sin()).round() as i32,
            )
        })
        .collect()
}

/// Draws the picture of `drawing` in `color` and encodes it as PNG.
pub(super) fn draw_png(drawing: Drawing, color: Rgb8) -> Vec<u8> {
    let background = lighter(color, 88);
    let mut canvas = Canvas::new(background);
    let dark = darker(color, 35);
    let light = lighter(color, 45);
    let steel = [196, 200, 206];
    let shadow = darker(background, 12);
    // Every product stands on the same soft shadow, so the pictures sit
    // together in a grid.
    canvas.ellipse(240, 420, 150, 22, shadow);
    let c = &mut canvas;
    match drawing {
        Drawing::Flask => {
            c.rounded_rect(180, 120, 300, 420, 40, color);
            c.rect(196, 140, 214, 400, light);
            c.rounded_rect(186, 66, 294, 126, 14, dark);
            c.rect(180, 122, 300, 132, steel);
        }
        Drawing::Mug => {
            c.rounded_rect(160, 150, 300, 420, 30, color);
            c.ellipse(318, 280, 52, 70, dark);
            c.ellipse(318, 280, 30, 46, background);
            c.rounded_rect(150, 118, 310, 160, 18, dark);
            c.rect(176, 170, 192, 400, light);
        }
        Drawing::Jar => {
            c.rounded_rect(130, 200, 350, 420, 46, color);
            c.rounded_rect(122, 150, 358, 206, 16, dark);
            c.rect(150, 226, 168, 396, light);
        }
        Drawing::Earbuds => {
            c.circle(175, 210, 62, color);
            c.circle(305, 210, 62, color);
            c.rounded_rect(150, 220, 186, 380, 18, color);
            c.rounded_rect(294, 220, 330, 380, 18, color);
            c.circle(175, 210, 26, dark);
            c.circle(305, 210, 26, dark);
        }
        Drawing::Speaker => {
            c.rounded_rect(110, 170, 370, 410, 50, color);
            c.circle(240, 290, 86, dark);
            c.circle(240, 290, 34, light);
            c.rect(160, 150, 320, 172, dark);
        }
        Drawing::Gadget => {
            c.rounded_rect(150, 90, 330, 410, 34, color);
            c.rounded_rect(176, 120, 304, 300, 16, light);
            for led in 0..4 {
                c.circle(200 + led * 27, 350, 8, dark);
            }
            c.rounded_rect(210, 392, 270, 404, 4, dark);
        }
        Drawing::Cable => {
            let path = [
                (110, 120),
                (200, 170),
                (170, 260),
                (280, 300),
                (300, 380),
                (380, 390),
            ];
            for pair in path.windows(2) {
                c.line(pair[0], pair[1], 18, color);
            }
            c.rounded_rect(70, 94, 130, 140, 10, dark);
            c.rounded_rect(370, 370, 430, 412, 10, dark);
        }
        Drawing::Bulb => {
            c.circle(240, 200, 110, color);
            c.polygon(&[(180, 280), (300, 280), (280, 330), (200, 330)], color);
            c.rect(200, 330, 280, 390, steel);
            for ridge in 0..3 {
                c.rect(
                    196,
                    342 + ridge * 16,
                    284,
                    348 + ridge * 16,
                    darker(steel, 20),
                );
            }
            c.circle(240, 405, 16, dark);
            c.circle(200, 170, 28, light);
        }
        Drawing::Roll => {
            c.rect(100, 160, 380, 340, color);
            c.ellipse(380, 250, 40, 90, dark);
            c.ellipse(100, 250, 40, 90, light);
            c.ellipse(100, 250, 14, 32, dark);
            c.polygon(&[(120, 340), (330, 340), (300, 410), (90, 410)], color);
        }
        Drawing::Shirt => {
            c.polygon(
                &[
                    (190, 90),
                    (290, 90),
                    (400, 150),
                    (360, 230),
                    (320, 205),
                    (320, 410),
                    (160, 410),
                    (160, 205),
                    (120, 230),
                    (80, 150),
                ],
                color,
            );
            c.ellipse(240, 92, 44, 24, dark);
            c.ellipse(240, 88, 34, 18, background);
        }
        Drawing::Carton => {
            c.rect(120, 190, 360, 410, color);
            c.polygon(&[(120, 190), (360, 190), (400, 130), (160, 130)], light);
            c.polygon(&[(120, 190), (60, 150), (100, 110), (160, 130)], dark);
            c.rect(226, 190, 254, 410, dark);
        }
        Drawing::Bag => {
            c.line((190, 180), (215, 100), 12, dark);
            c.line((215, 100), (265, 100), 12, dark);
            c.line((265, 100), (290, 180), 12, dark);
            c.polygon(&[(130, 170), (350, 170), (370, 410), (110, 410)], color);
            c.rect(130, 170, 350, 190, dark);
        }
        Drawing::Chair => {
            c.rounded_rect(170, 80, 310, 250, 30, color);
            c.rounded_rect(150, 250, 330, 300, 18, color);
            c.rect(232, 300, 248, 370, dark);
            c.line((240, 370), (150, 405), 12, dark);
            c.line((240, 370), (330, 405), 12, dark);
            c.line((240, 370), (240, 410), 12, dark);
        }
        Drawing::Table => {
            c.rounded_rect(70, 180, 410, 215, 10, color);
            c.rect(90, 215, 112, 410, dark);
            c.rect(368, 215, 390, 410, dark);
            c.rect(150, 215, 168, 380, darker(color, 20));
            c.rect(312, 215, 330, 380, darker(color, 20));
        }
        Drawing::Sofa => {
            c.rounded_rect(90, 160, 390, 300, 40, dark);
            c.rounded_rect(110, 270, 370, 360, 20, color);
            c.rounded_rect(60, 230, 130, 380, 30, color);
            c.rounded_rect(350, 230, 420, 380, 30, color);
            c.rect(100, 380, 116, 410, dark);
            c.rect(364, 380, 380, 410, dark);
        }
        Drawing::Shoe => {
            c.polygon(
                &[
                    (90, 360),
                    (100, 250),
                    (190, 230),
                    (250, 290),
                    (360, 310),
                    (400, 350),
                    (400, 380),
                    (90, 380),
                ],
                color,
            );
            c.rect(86, 380, 404, 404, light);
            c.line((180, 250), (230, 300), 8, dark);
            c.line((200, 244), (246, 292), 8, dark);
        }
        Drawing::Leaf => {
            c.ellipse(240, 250, 90, 170, color);
            c.line((240, 110), (240, 420), 8, dark);
            for vein in 0..4 {
                let y = 170 + vein * 55;
                c.line((240, y + 30), (300, y), 6, dark);
                c.line((240, y + 30), (180, y), 6, dark);
            }
        }
        Drawing::Teapot => {
            c.ellipse(240, 300, 130, 100, color);
            c.polygon(&[(350, 290), (420, 200), (432, 212), (370, 330)], color);
            c.ellipse(112, 290, 40, 56, dark);
            c.ellipse(112, 290, 22, 36, background);
            c.rounded_rect(180, 186, 300, 214, 12, dark);
            c.circle(240, 178, 18, dark);
        }
        Drawing::Bearing => {
            c.circle(240, 260, 150, steel);
            c.circle(240, 260, 118, darker(steel, 25));
            c.circle(240, 260, 92, color);
            c.circle(240, 260, 64, darker(steel, 10));
            c.circle(240, 260, 44, background);
        }
        Drawing::Gear => {
            c.polygon(&spiked_outline(240, 260, 160, 128, 12), color);
            c.circle(240, 260, 120, color);
            c.circle(240, 260, 60, dark);
            c.circle(240, 260, 36, background);
        }
        Drawing::Bolt => {
            c.polygon(&regular_polygon(240, 130, 80, 6), dark);
            c.rect(210, 180, 270, 420, color);
            for thread in 0..10 {
                c.line(
                    (206, 250 + thread * 17),
                    (274, 240 + thread * 17),
                    5,
                    darker(color, 25),
                );
            }
        }
        Drawing::Block => {
            for row in 0..2 {
                for column in 0..3 {
                    c.circle(160 + column * 80, 165 + row * 60, 22, dark);
                }
            }
            c.rect(110, 160, 370, 410, color);
            for row in 0..2 {
                for column in 0..3 {
                    c.rounded_rect(
                        134 + column * 80,
                        200 + row * 100,
                        186 + column * 80,
                        270 + row * 100,
                        10,
                        light,
                    );
                }
            }
        }
        Drawing::PumpBottle => {
            c.rounded_rect(175, 200, 305, 420, 36, color);
            c.rect(218, 150, 262, 204, dark);
            c.rect(230, 110, 250, 150, dark);
            c.rounded_rect(230, 96, 320, 120, 8, dark);
            c.rect(192, 230, 208, 396, light);
        }
        Drawing::Lipstick => {
            c.rounded_rect(190, 250, 290, 420, 14, color);
            c.rect(200, 190, 280, 252, steel);
            c.polygon(&[(210, 190), (270, 190), (270, 110), (210, 140)], dark);
            c.rect(190, 300, 290, 308, light);
        }
        Drawing::Cloth => {
            c.polygon(
                &[
                    (90, 120),
                    (390, 100),
                    (380, 260),
                    (400, 410),
                    (100, 400),
                    (80, 260),
                ],
                color,
            );
            for stripe in 0..5 {
                let x = 130 + stripe * 60;
                c.line((x, 120), (x - 20, 390), 10, light);
            }
        }
        Drawing::Teddy => {
            c.circle(170, 120, 40, dark);
            c.circle(310, 120, 40, dark);
            c.circle(240, 170, 90, color);
            c.ellipse(240, 330, 110, 90, color);
            c.circle(240, 200, 34, light);
            c.circle(205, 150, 10, [40, 40, 40]);
            c.circle(275, 150, 10, [40, 40, 40]);
            c.circle(150, 400, 40, dark);
            c.circle(330, 400, 40, dark);
        }
        Drawing::Car => {
            c.polygon(&[(150, 240), (200, 170), (310, 170), (350, 240)], dark);
            c.polygon(&[(180, 236), (214, 186), (300, 186), (326, 236)], light);
            c.rounded_rect(70, 236, 410, 340, 30, color);
            for x in [140, 340] {
                c.circle(x, 350, 52, [50, 50, 50]);
                c.circle(x, 350, 22, steel);
            }
        }
    }
    canvas.into_png()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_drawing_decodes_as_a_png_of_the_stated_size_and_is_not_blank() {
        for drawing in Drawing::ALL {
            let bytes = draw_png(drawing, [200, 40, 40]);
            let decoded = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
                .unwrap()
                .to_rgb8();
            assert_eq!(decoded.dimensions(), (PICTURE_SIDE_PX, PICTURE_SIDE_PX));
            let in_color = decoded
                .pixels()
                .filter(|pixel| pixel.0 == [200, 40, 40])
                .count();
            assert!(
                in_color > 2_000,
                "{drawing:?} shows {in_color} pixels of its colour"
            );
            assert!(
                bytes.len() < 64 * 1024,
                "{drawing:?} is {} bytes",
                bytes.len()
            );
        }
    }

    #[test]
    fn the_same_drawing_and_colour_give_the_same_bytes() {
        assert_eq!(
            draw_png(Drawing::Flask, [20, 20, 20]),
            draw_png(Drawing::Flask, [20, 20, 20])
        );
        assert_ne!(
            draw_png(Drawing::Flask, [20, 20, 20]),
            draw_png(Drawing::Flask, [20, 20, 200])
        );
    }
}
