pub fn run(_a: crate::cli::DetectArgs) -> u8 { 0 }
