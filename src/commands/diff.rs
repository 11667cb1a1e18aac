pub fn run(_a: crate::cli::DiffArgs) -> u8 { 0 }
