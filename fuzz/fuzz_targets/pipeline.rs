//! The whole pipeline on a one-article site: any bytes as the article give
//! a published site or a refusal, never a panic or an environment error.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pamphlet::fuzzing::OneArticleSite;

fuzz_target!(|bytes: &[u8]| {
    static SITE: OnceLock<OneArticleSite> = OnceLock::new();
    let site = SITE.get_or_init(OneArticleSite::new);
    site.build(bytes);
});
