//! Every integration test, in one binary: one link instead of one per
//! file, which was most of the suite's build time on two cores.

mod common;

mod bad_input;
mod bench_script;
mod browser;
mod build_output;
mod commonmark;
mod editor_mistakes;
mod errors;
mod faults;
mod fuzz_regressions;
mod included_site;
mod policy;
mod preview;
mod publish;
mod report;
mod scaffold;
mod serve;
mod theme;
mod untrusted;
