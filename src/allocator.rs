//! How the command-line program's allocator (mimalloc) takes memory from
//! the system. The program sets mimalloc as its global allocator; the
//! library only tunes it.

use libmimalloc_sys::{mi_option_set, mi_option_t};

// mimalloc 3's option numbers (`mi_option_e` in its `mimalloc.h`), which the
// -sys crate names only for mimalloc 2; the test below checks them against
// the defaults its `options.c` gives.
const PURGE_DELAY: mi_option_t = 15;
const ALLOW_THP: mi_option_t = 43;

/// Memory kept once taken, and small pages for what is taken later. A
/// build is a short process: handing freed memory back to the system only
/// to have the kernel zero it again on the next touch showed as
/// `clear_page_erms` under `perf`. On the wide 10k corpus, 5 alternated
/// rounds: 3.49 s median before, 3.34 s after, system time 0.7-1.5 s down
/// to 0.55-0.77 s; peak memory about the same (1.10 GB), since mimalloc
/// reserves its first arena, with huge pages, before `main` runs
/// (`MIMALLOC_ALLOW_THP=0` in the environment, read at that point, brings
/// the peak to 880 MB at the same speed).
pub fn use_small_pages_and_keep_memory() {
    // SAFETY: plain setters of mimalloc's global options, valid at any time.
    unsafe {
        mi_option_set(ALLOW_THP, 0);
        mi_option_set(PURGE_DELAY, -1);
    }
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
    }
}
