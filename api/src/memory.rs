//! Process-wide allocator tuning, applied once by `main`.

/// Each argon2 hash allocates one ~19 MiB working block. glibc raises its mmap threshold after
/// the first such block is freed, so the following ones come from its heaps, which it never
/// gives back: 300 registrations left 1.1 GB resident (bench/soak). A fixed threshold keeps
/// large blocks on mmap, returned to the system as soon as they are freed.
pub fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const THRESHOLD: libc::c_int = 1024 * 1024;
        // SAFETY: mallopt only sets an allocator parameter; it is called before any worker
        // starts and with a documented option and value.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD);
        }
    }
}
