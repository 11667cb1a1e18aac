//! The `zhclean` program: the command line (`cli`), resolved once into a run configuration, and
//! the commands that run it (`commands`). The cleaning itself is the library's.

use clap::Parser;

mod cli;
mod commands;

/// mimalloc rather than the system allocator: the pipeline allocates and frees a string or
/// two per line, line after line, and glibc's malloc and free were some 9 % of a run over a
/// mixed archive (profiled with perf); with mimalloc a run takes 10–15 % less time. The
/// library leaves the choice to its users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its position in `mi_option_t`, mimalloc.h; the Rust
/// bindings leave the constant out).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // Never hand freed memory back to the system during a run. mimalloc's default does so
    // after a delay, and the next file's buffers then fault fresh (huge) pages in, which the
    // kernel zeroes: ~600 page faults and 3–4 % of the time over a 1,000-file archive,
    // against ~190 without purging, at the same peak resident memory (freed memory is
    // reused, not added to). A `MIMALLOC_PURGE_DELAY` in the environment still wins.
    //
    // SAFETY: called before any other thread exists, as mimalloc's options require.
    unsafe { libmimalloc_sys::mi_option_set_default(MI_OPTION_PURGE_DELAY, -1) };
    let command_line = cli::Cli::parse();
    commands::execute(|| command_line.resolve()).into()
}
