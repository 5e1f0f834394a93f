//! Keeps password hashing from holding memory after it is done.
//!
//! Each argon2id hash allocates one block of `passwords.memory_kib` (19 MiB by default). glibc's
//! malloc maps a block that large on its own and unmaps it when freed, but after each such free
//! it raises its mapping threshold to the freed size (up to 32 MiB), so later hashes are carved
//! from the per-thread arenas of the blocking pool instead, and those keep the memory: a burst
//! of hashes left the process gigabytes large long afterwards. Fixing the threshold turns that
//! adjustment off, so every hash's block goes back to the system as soon as it is freed.

/// Call once at the start of a binary that hashes passwords, before any thread is started.
pub fn return_hash_memory_when_done() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // 1 MiB: far above the small allocations of request handling, far below a hash block.
        // SAFETY: mallopt only changes allocator parameters; called before other threads exist.
        let set = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20) };
        if set != 1 {
            // Logging is not set up yet.
            eprintln!("warning: could not set malloc's mmap threshold");
        }
    }
}
