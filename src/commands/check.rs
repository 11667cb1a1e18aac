pub fn run(_a: crate::cli::CheckArgs) -> u8 { 0 }
