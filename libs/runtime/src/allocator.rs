//! The allocator of the service binaries that `service_main!` builds.
//!
//! Under a read load on two cores, glibc's malloc took about a tenth of the machine in the
//! consultation service: arena locks between the runtime's threads, and free chunks consolidated
//! whenever a response buffer grew past the small bins. mimalloc's per-thread heaps do neither;
//! `ListConsultations` with the cache off answered 20 to 40 % more calls per second on it.
//!
//! mimalloc gives freed pages back to the system only when it next allocates after a delay, so a
//! process that falls idle keeps what it last freed: identity on it, idle after start-up, held
//! 40 MiB where it holds 20 on glibc. [`return_freed_memory`] makes it give them back at once
//! (22 MiB); the read load above showed no cost from it.
//!
//! identity and the all-in-one stay on glibc: identity's password hashes are tuned to give their
//! memory back under it (`tachawor_identity::memory`).

pub use mimalloc::MiMalloc as Allocator;

/// mimalloc's `mi_option_purge_delay` (the same place in versions 2 and 3 of its option list).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed pages go back to the system at once rather than after mimalloc's delay. Call first in
/// `main`, before other threads exist (mimalloc's option setter is not thread safe).
pub fn return_freed_memory() {
    // SAFETY: sets one option of the allocator; called before any other thread is started.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_is_the_option_mimalloc_reads() {
        // The index is written by hand: if mimalloc reordered its options, this would set another.
        // SAFETY: reads and sets allocator options; the tests' allocator is the system's, so
        // mimalloc's options change nothing else.
        let before = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(
            before, 1000,
            "mimalloc's documented default purge delay, in ms"
        );
        return_freed_memory();
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, 0);
    }
}
