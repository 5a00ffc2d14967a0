//! The promise, not only "no panic": for any article body, either the build
//! is refused, or the published page, read as a browser reads it, shows the
//! required disclaimer and reference where a reader sees them, runs no
//! script the theme did not put there and asks no other host for anything.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pamphlet::fuzzing::OneArticleSite;

fuzz_target!(|bytes: &[u8]| {
    static SITE: OnceLock<OneArticleSite> = OnceLock::new();
    let site = SITE.get_or_init(OneArticleSite::new);
    let body = String::from_utf8_lossy(bytes);
    if let Some(broken) = site.promise_broken(&body) {
        assert!(broken.is_empty(), "published with {broken:?}");
    }
});
