//! The markdown-and-citation path: parse the body once, extract sentences
//! and citations as the checks do, and render it, for any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pamphlet::fuzzing::render_body;

fuzz_target!(|text: &str| {
    let html = render_body(text);
    // Whatever the input, a citation never reaches the page as a link
    // target (an editor may still type the words as text).
    assert!(!html.contains("href=\"pamphlet-cite:"));
});
