// `pamphlet init` carries the default theme inside the binary
// (include_dir!); rebuild when the theme changes so it never ships a stale one.
fn main() {
    println!("cargo:rerun-if-changed=themes/clinic");
}
