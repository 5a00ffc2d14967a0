//! Opening files without following a symbolic link: a link planted in the
//! site or the output must never make Pamphlet read or write elsewhere.
//! Used by the stages that read copied files (check, serve) and the one
//! that writes (publish).

use std::io;
use std::path::Path;

/// Opens an existing file for reading, refusing to follow a link.
pub fn open(path: &Path) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(path)
}

/// Creates or truncates a file for writing, refusing to follow a link: a
/// link planted at an output path must never redirect a write elsewhere.
pub fn create(path: &Path) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(path)
}
