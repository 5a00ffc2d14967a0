//! The clinic's colour, logo and favicon from `site.yaml`. The colour is the
//! header band's background under white text, in light and dark schemes
//! alike, so it must reach WCAG AA contrast (4.5:1) with white; the logo
//! and favicon must be pictures the site publishes.

use crate::colour::{contrast_with_white, parse_colour};
use crate::config::Brand;
use crate::diagnostics::{Code, Diagnostic};
use crate::load::Site;
use crate::load::front_matter::locate;
use crate::load::local::{Published, is_image};

/// WCAG 2.2 AA for normal text (1.4.3).
const LEAST_CONTRAST: f64 = 4.5;

pub(super) fn check(site: &Site<'_>) -> Vec<Diagnostic> {
    let brand: &Brand = &site.config.brand;
    let file = site.config_file;
    let whole = 0..file.text.len();
    let mut found = Vec::new();
    if let Some(colour) = &brand.colour {
        let at = locate(file, &whole, "colour", Some(colour));
        match parse_colour(colour) {
            None => found.push(
                Diagnostic::error(
                    Code::SiteConfig,
                    format!("`{colour}` is not a colour Pamphlet can read"),
                )
                .at(file, at)
                .hint("write it as a hex code in quotes, for example `colour: \"#005eb8\"`"),
            ),
            Some(rgb) => {
                let contrast = contrast_with_white(rgb);
                if contrast < LEAST_CONTRAST {
                    found.push(
                        Diagnostic::error(
                            Code::SiteConfig,
                            format!("white text on `{colour}` has a contrast of {contrast:.1}:1; the header needs at least {LEAST_CONTRAST}:1 to be readable (WCAG AA)"),
                        )
                        .at(file, at)
                        .hint(format!("use a darker shade, such as `\"{}\"`, the nearest of the same hue that passes", darkened_until_readable(rgb))),
                    );
                }
            }
        }
    }
    for (field, value) in [("logo", &brand.logo), ("favicon", &brand.favicon)] {
        let Some(path) = value else { continue };
        let site_path = path.trim_start_matches('/');
        let problem = match site.local(site_path) {
            Ok(Published::File) if is_image(site_path) => continue,
            Ok(_) => format!("`{path}` is not a picture"),
            Err(_) => format!("there is no `{path}` in static/ or content/"),
        };
        found.push(
            Diagnostic::error(Code::SiteConfig, format!("`brand.{field}`: {problem}"))
                .at(file, locate(file, &whole, field, Some(path)))
                .hint(format!("put the picture (an SVG or PNG) in the site's static/ folder and give its name, for example `{field}: {field}.svg`")),
        );
    }
    found
}

/// The colour scaled towards black, step by step, until white text on it
/// reaches the contrast the header needs.
fn darkened_until_readable(rgb: [u8; 3]) -> String {
    let mut shade = rgb;
    for step in 1..=100 {
        let keep = 1.0 - f64::from(step) / 100.0;
        shade = rgb.map(|c| (f64::from(c) * keep).round() as u8);
        if contrast_with_white(shade) >= LEAST_CONTRAST {
            break;
        }
    }
    format!("#{:02x}{:02x}{:02x}", shade[0], shade[1], shade[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_is_measured_as_wcag_defines_it() {
        let nhs_blue = parse_colour("#005eb8").unwrap();
        assert!((contrast_with_white(nhs_blue) - 6.4).abs() < 0.1);
        assert!((contrast_with_white([0, 0, 0]) - 21.0).abs() < 0.01);
        assert!(contrast_with_white(parse_colour("#fc0").unwrap()) < 2.0);
        assert_eq!(parse_colour("#FFF"), Some([255, 255, 255]));
        assert_eq!(parse_colour("blue"), None);
        assert_eq!(parse_colour("#12345"), None);
    }

    #[test]
    fn a_pale_colour_is_darkened_until_it_passes() {
        let suggested = darkened_until_readable(parse_colour("#4fa3f7").unwrap());
        let rgb = parse_colour(&suggested).unwrap();
        assert!(contrast_with_white(rgb) >= LEAST_CONTRAST, "{suggested}");
        assert!(
            contrast_with_white(rgb) < LEAST_CONTRAST + 0.5,
            "{suggested} is darker than needed"
        );
    }
}
