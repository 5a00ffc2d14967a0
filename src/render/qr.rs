//! The QR code on a printed handout, leading back to the page online, where
//! the text may be newer than the paper. Made at build time as an SVG path,
//! so a printed page needs no script, no image file and no other host.
//!
//! The code is encoded by the `qrcode` crate. Its usual entry point tries all
//! eight mask patterns and keeps the one with the lowest penalty score, which
//! took about 1 ms a page, half of a 10,000-article build. Readers decode any
//! mask, so one fixed mask is used instead (about 20 µs); the tests decode
//! every code they make with `rqrr` to prove the choice costs nothing.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel, bits, ec};

/// Medium error correction survives a crease or a coffee ring (15% of the
/// code) and keeps a page's address in a code small enough for a corner.
const LEVEL: EcLevel = EcLevel::M;

/// The blank margin every reader needs around the code, in modules.
const QUIET_ZONE: usize = 4;

/// The modules of the QR code of `text`, row by row, `true` for dark, with
/// the code's width; `None` when the text is too long for any QR code.
pub(crate) fn modules(text: &str) -> Option<(usize, Vec<bool>)> {
    let bits = bits::encode_auto(text.as_bytes(), LEVEL).ok()?;
    let version = bits.version();
    let data = bits.into_bytes();
    let (data, error_correction) = ec::construct_codewords(&data, version, LEVEL).ok()?;
    let mut canvas = Canvas::new(version, LEVEL);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &error_correction);
    canvas.apply_mask(MaskPattern::Checkerboard);
    let width = usize::try_from(version.width()).ok()?;
    let dark = canvas
        .into_colors()
        .into_iter()
        .map(|color| color == Color::Dark)
        .collect();
    Some((width, dark))
}

/// An `<svg>` of the QR code of `text`, scaled by the stylesheet; `None`
/// when the text is too long for a QR code. Each row of dark modules is one
/// stroke of a single path, written with relative moves (`m2 0h3`): a
/// code is about 2 KB in every article page, half what squares took, and a
/// 10,000-page build holds and writes every page.
pub(crate) fn svg(text: &str) -> Option<String> {
    let (width, dark) = modules(text)?;
    let side = width + 2 * QUIET_ZONE;
    let mut path = String::with_capacity(width * width * 2);
    for (y, row) in dark.chunks(width).enumerate() {
        // Where the pen is on this row, once it has drawn on it.
        let mut pen: Option<usize> = None;
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] {
                x += 1;
            }
            match pen {
                None => {
                    path.push('M');
                    push_number(&mut path, start);
                    path.push(' ');
                    push_number(&mut path, y);
                    path.push_str(".5h");
                }
                Some(end) => {
                    path.push('m');
                    push_number(&mut path, start - end);
                    path.push_str(" 0h");
                }
            }
            push_number(&mut path, x - start);
            pen = Some(x);
        }
    }
    let margin = QUIET_ZONE;
    Some(format!(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"-{margin} -{margin} {side} {side}\" aria-hidden=\"true\" focusable=\"false\" shape-rendering=\"crispEdges\"><rect x=\"-{margin}\" y=\"-{margin}\" width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path fill=\"none\" stroke=\"#000\" d=\"{path}\"/></svg>"
    ))
}

/// Writes a module count, which is below 200, without the formatting
/// machinery: a code's path is hundreds of numbers.
fn push_number(path: &mut String, number: usize) {
    if number >= 100 {
        path.push(char::from(b'0' + (number / 100 % 10) as u8));
    }
    if number >= 10 {
        path.push(char::from(b'0' + (number / 10 % 10) as u8));
    }
    path.push(char::from(b'0' + (number % 10) as u8));
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Reads the SVG back into modules, as a printer would draw it: each
    /// `M x y.5` starts a row's pen, `m dx 0` moves it, `h n` draws n.
    fn drawn(svg: &str) -> (usize, Vec<bool>) {
        let view_box = svg.split("viewBox=\"").nth(1).unwrap();
        let side: usize = view_box.split([' ', '"']).nth(2).unwrap().parse().unwrap();
        let width = side - 2 * QUIET_ZONE;
        let mut dark = vec![false; width * width];
        let path = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let (mut x, mut y) = (0usize, 0usize);
        let mut rest = path;
        while let Some(command) = rest.chars().next() {
            rest = &rest[1..];
            let end = rest.find(['M', 'm', 'h']).unwrap_or(rest.len());
            let (operands, next) = rest.split_at(end);
            rest = next;
            match command {
                'M' => {
                    let (column, row) = operands.split_once(' ').unwrap();
                    x = column.parse().unwrap();
                    y = row.strip_suffix(".5").unwrap().parse().unwrap();
                }
                'm' => {
                    x += operands
                        .strip_suffix(" 0")
                        .unwrap()
                        .parse::<usize>()
                        .unwrap()
                }
                'h' => {
                    let length: usize = operands.parse().unwrap();
                    for column in x..x + length {
                        dark[y * width + column] = true;
                    }
                    x += length;
                }
                other => panic!("unexpected path command {other}"),
            }
        }
        (width, dark)
    }

    /// What a phone's camera would read from the printed code.
    fn scanned(svg: &str) -> Option<String> {
        let (width, dark) = drawn(svg);
        let scale = 3;
        let side = (width + 2 * QUIET_ZONE) * scale;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            let (column, row) = (x / scale, y / scale);
            let inside = (QUIET_ZONE..QUIET_ZONE + width).contains(&column)
                && (QUIET_ZONE..QUIET_ZONE + width).contains(&row);
            if inside && dark[(row - QUIET_ZONE) * width + column - QUIET_ZONE] {
                0
            } else {
                255
            }
        });
        let grids = image.detect_grids();
        let (_, text) = grids.first()?.decode().ok()?;
        Some(text)
    }

    #[test]
    fn the_code_of_a_page_address_scans_back_to_that_address() {
        let address = "https://riverbend-clinic.example/treatment/side-effects/";
        let svg = svg(address).unwrap();
        assert_eq!(scanned(&svg).as_deref(), Some(address));
        assert_eq!(drawn(&svg), modules(address).unwrap());
    }

    #[test]
    fn text_too_long_for_any_code_has_none() {
        assert!(svg(&"x".repeat(4000)).is_none());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]
        /// The fixed mask is the one risk of this module: every address,
        /// short or long, any characters, must still scan.
        #[test]
        fn every_address_scans_back(address in "https://[a-z0-9.-]{1,30}/[A-Za-z0-9/%._~-]{0,150}") {
            let svg = svg(&address).unwrap();
            prop_assert_eq!(scanned(&svg), Some(address));
        }
    }
}
