//! The markdown-and-citation path: parse the body once, extract sentences
//! and citations as the checks do, and render it, for any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pamphlet::fuzzing::render_body;

fuzz_target!(|text: &str| {
    let html = render_body(text);
    // Whatever the input, the renderer never leaves a citation marker in
    // the output.
    assert!(!html.contains("pamphlet-cite:"));
});
