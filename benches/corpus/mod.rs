//! The benchmark corpus: documents of the four kinds zhclean meets, made from the seed fixtures,
//! in the encodings it meets them in. Deterministic, so figures from two runs compare.
//!
//! Shared by the per-stage benchmarks (`benches/stages.rs`) and the archive generator behind the
//! end-to-end comparison (`examples/make-corpus.rs`, driven by `benches/compare.sh`).

#![allow(dead_code)] // each user takes the parts it needs

use std::path::Path;

/// The kinds of document in the corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Traditional script with tone-marked pinyin glued after characters, NFKC'd punctuation
    /// (a content-farm copy of a government page: seed 002).
    TraditionalPinyin,
    /// pdftotext-style: every line 35 characters wide, page numbers and form feeds between pages.
    HardWrapped,
    /// Word "save as text": a blank line between paragraphs, paragraphs split by page breaks
    /// (seed 004).
    WordStyle,
    /// Already clean Simplified text, one paragraph per line: should cost little more than a copy.
    CleanSimplified,
}

pub const KINDS: [Kind; 4] = [
    Kind::TraditionalPinyin,
    Kind::HardWrapped,
    Kind::WordStyle,
    Kind::CleanSimplified,
];

/// The encodings the corpus is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gbk,
    Big5,
    Utf16Le,
}

fn seed(name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
    let path = std::fs::read_dir(&dir)
        .expect("fixtures/seeds")
        .map(|e| e.expect("readable fixtures").path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(name))
        })
        .unwrap_or_else(|| panic!("no seed {name} in {}", dir.display()));
    std::fs::read_to_string(path).expect("seeds are UTF-8")
}

/// The paragraphs of the Simplified seeds, as an author wrote them (no debris, no indentation).
fn simplified_paragraphs() -> Vec<String> {
    ["000", "001", "003"]
        .iter()
        .flat_map(|name| {
            seed(name)
                .lines()
                .map(|line| line.replace("[bookmark: _GoBack]", "").trim().to_string())
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// One copy of a document of `kind` (a few KB to a few tens of KB).
pub fn unit(kind: Kind) -> String {
    match kind {
        Kind::TraditionalPinyin => seed("002"),
        Kind::WordStyle => seed("004"),
        Kind::CleanSimplified => simplified_paragraphs().join("\n") + "\n",
        Kind::HardWrapped => {
            let mut out = String::new();
            let mut line_on_page = 0;
            let mut page = 1;
            for paragraph in simplified_paragraphs() {
                let chars: Vec<char> = paragraph.chars().collect();
                for (i, chunk) in chars.chunks(35).enumerate() {
                    let indent = if i == 0 { "　　" } else { "" };
                    out.push_str(indent);
                    out.extend(chunk);
                    out.push('\n');
                    line_on_page += 1;
                    if line_on_page == 40 {
                        out.push_str(&format!("\n— {page} —\n\u{000C}"));
                        page += 1;
                        line_on_page = 0;
                    }
                }
            }
            out
        }
    }
}

/// A document of `kind` of about `bytes` bytes (whole copies of the unit, at least one).
pub fn document(kind: Kind, bytes: usize) -> String {
    let unit = unit(kind);
    unit.repeat((bytes / unit.len()).max(1))
}

/// Drops `(pinyin)` annotations: their tone-marked letters have no Big5 or GBK code.
fn without_pinyin(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        match after.find(')') {
            Some(close)
                if close > 0
                    && after[..close].chars().all(|c| {
                        c.is_alphabetic() && !c.is_ascii_uppercase() && !crate_is_han(c)
                    }) =>
            {
                out.push_str(&rest[..open]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn crate_is_han(c: char) -> bool {
    ('\u{3400}'..='\u{9FFF}').contains(&c)
}

/// `text` in `encoding`. Documents are chosen per encoding so every character has a code
/// (Traditional text for Big5, Simplified for GBK): the corpus has no unmappable characters.
pub fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    let legacy = |enc: &'static encoding_rs::Encoding| {
        let text = without_pinyin(text);
        let (bytes, _, unmappable) = enc.encode(&text);
        assert!(
            !unmappable,
            "benchmark text has a character {} cannot encode",
            enc.name()
        );
        bytes.into_owned()
    };
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Gbk => legacy(encoding_rs::GBK),
        Encoding::Big5 => legacy(encoding_rs::BIG5),
        Encoding::Utf16Le => {
            let mut out = vec![0xFF, 0xFE];
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            out
        }
    }
}

/// The encodings a document of `kind` can be written in.
pub fn encodings_for(kind: Kind) -> &'static [Encoding] {
    match kind {
        Kind::TraditionalPinyin => &[Encoding::Utf8, Encoding::Big5, Encoding::Utf16Le],
        _ => &[Encoding::Utf8, Encoding::Gbk, Encoding::Utf16Le],
    }
}
