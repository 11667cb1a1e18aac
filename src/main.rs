use clap::Parser;

fn main() -> std::process::ExitCode {
    zhclean::commands::run(zhclean::cli::Cli::parse().command)
}
