//! Writes a benchmark archive: `make-corpus DIR MEGABYTES` fills DIR with thousands of documents
//! of 1 KB to 10 MB (mostly small), of the four kinds in `benches/corpus`, in UTF-8, GBK,
//! Big5 and UTF-16, in nested folders. Deterministic: the same arguments give the same files.

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::path::PathBuf;

/// A small deterministic generator (xorshift64*): the corpus must not depend on a crate's
/// random stream across versions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, dir, megabytes] = args.as_slice() else {
        eprintln!("usage: make-corpus DIR MEGABYTES");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    let budget: u64 = megabytes.parse::<u64>().expect("MEGABYTES is a number") * 1_000_000;
    let units: Vec<String> = corpus::KINDS
        .iter()
        .map(|&kind| corpus::unit(kind))
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut written, mut files) = (0u64, 0u64);
    while written < budget {
        let kind_index = (rng.next() % 4) as usize;
        let kind = corpus::KINDS[kind_index];
        let encodings = corpus::encodings_for(kind);
        let encoding = encodings[(rng.next() % encodings.len() as u64) as usize];
        // Many small files and a few large ones: nine in ten log-uniform in 1–100 KB, the rest
        // in 100 KB–10 MB (a mean of about 230 KB, so a gigabyte is some four thousand files).
        let size = if rng.unit() < 0.9 {
            1_000f64 * 100f64.powf(rng.unit())
        } else {
            100_000f64 * 100f64.powf(rng.unit())
        } as usize;
        let unit = &units[kind_index];
        let mut text = unit.repeat(size / unit.len());
        let mut cut = size.min(unit.len()).min(size.saturating_sub(text.len()));
        while !unit.is_char_boundary(cut) {
            cut -= 1;
        }
        // Not inside a "(pinyin)" annotation: an unclosed one keeps its tone-marked letters,
        // which Big5 and GBK cannot encode.
        if let Some(open) = unit[..cut].rfind('(') {
            if !unit[open..cut].contains(')') {
                cut = open;
            }
        }
        text.push_str(&unit[..cut]);
        let bytes = corpus::encode(&text, encoding);
        let path = dir.join(format!(
            "{:02}/{:03}/{files:06}-{kind:?}-{encoding:?}.txt",
            files % 17,
            files % 101
        ));
        std::fs::create_dir_all(path.parent().unwrap()).expect("create corpus folders");
        std::fs::write(&path, &bytes).expect("write corpus file");
        written += bytes.len() as u64;
        files += 1;
    }
    println!(
        "{files} files, {:.1} MB in {}",
        written as f64 / 1e6,
        dir.display()
    );
}
