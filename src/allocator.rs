//! How the command-line program's allocator (mimalloc) takes memory from
//! the system. The program sets mimalloc as its global allocator; the
//! library only tunes it.

use libmimalloc_sys::{mi_option_set, mi_option_t};

// mimalloc 3's option numbers (`mi_option_e` in its `mimalloc.h`), which the
// -sys crate names only for mimalloc 2; the test below checks them against
// the defaults its `options.c` gives.
const PURGE_DELAY: mi_option_t = 15;
const ALLOW_THP: mi_option_t = 43;

/// Memory kept once taken, and small pages only. A build is a short
/// process: handing freed memory back to the system only to have the kernel
/// zero it again on the next touch showed as `clear_page_erms` under `perf`,
/// and with transparent huge pages every first touch of a 2 MiB page zeroed
/// all of it and kept it. On the wide 10k corpus, alternated rounds: peak
/// memory 1,107-1,116 MB before, 878-887 MB after (4 rounds each), and 3.49
/// s median before, 3.34 s after keeping memory (5 rounds; system time 0.7-1.5
/// s down to 0.55-1.0 s).
pub fn use_small_pages_and_keep_memory() {
    // SAFETY: plain setters of mimalloc's global options, valid at any time.
    unsafe {
        mi_option_set(ALLOW_THP, 0);
        mi_option_set(PURGE_DELAY, -1);
    }
    // The arena mimalloc reserved before `main` asked for huge pages; the
    // kernel reads this flag at each page fault, so it holds for that arena
    // too. Failing to set it only costs memory.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

#[cfg(test)]
mod tests {
    use super::*;
    use libmimalloc_sys::mi_option_get;

    const GENERIC_COLLECT: mi_option_t = 34;

    fn option(number: mi_option_t) -> std::os::raw::c_long {
        // SAFETY: a plain getter of a global option.
        unsafe { mi_option_get(number) }
    }

    #[test]
    fn the_option_numbers_name_the_options_meant() {
        // The defaults options.c gives, read before anything is set: a
        // shifted numbering would read some other option's value.
        assert_eq!(option(PURGE_DELAY), 1000);
        assert_eq!(option(GENERIC_COLLECT), 10_000);
        assert_eq!(option(ALLOW_THP), 1);
        use_small_pages_and_keep_memory();
        assert_eq!(option(ALLOW_THP), 0);
        assert_eq!(option(PURGE_DELAY), -1);
        #[cfg(target_os = "linux")]
        assert!(rustix::thread::transparent_huge_pages_are_disabled().unwrap());
    }
}
