use clap::Parser;

/// mimalloc rather than the system allocator: the pipeline allocates and frees a string or
/// two per line, line after line, and glibc's malloc and free were some 9 % of a run over a
/// mixed archive (profiled with perf); with mimalloc a run takes 10–15 % less time. The
/// library leaves the choice to its users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    zhclean::commands::run(zhclean::cli::Cli::parse().command)
}
