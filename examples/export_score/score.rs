//! Scoring cleaned exports against their references: character error rate and lost characters.
//! Shared by `examples/export_score` (the command) and `tests/it/exports.rs` (the ceilings).
//!
//! A fixture set is a directory with one folder per profile (the tool that extracted the
//! text); each holds `<doc>.txt`, the tool's output, beside `<doc>.expected.txt`, the exact text
//! a perfect cleaner writes. Documents named `*-tw` are Traditional (Taiwan) twins: their
//! reference is the Traditional source text itself, so they are cleaned with conversion off
//! (`--convert never`) and measure the cleaning alone.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use zhclean::pipeline::ConvertMode;
use zhclean::{clean_str, Options};

/// The tools, in the order reports list them.
pub const PROFILES: [&str; 5] = [
    "pdftotext",
    "pdftotext-layout",
    "tika-docx",
    "tika-pdf",
    "lo-txt",
];

/// One document as one tool extracted it.
pub struct Case {
    pub profile: String,
    pub doc: String,
    pub input: PathBuf,
    pub expected: PathBuf,
}

/// The cases under `dir`, folder by folder (the profiles in [`PROFILES`]' order, then any other
/// folder, a kind of synthetic damage say, by name), documents sorted by name.
pub fn cases(dir: &Path) -> std::io::Result<Vec<Case>> {
    let mut folders: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    folders.sort_by_key(|f| {
        (
            PROFILES
                .iter()
                .position(|p| p == f)
                .unwrap_or(PROFILES.len()),
            f.clone(),
        )
    });
    let mut out = Vec::new();
    for profile in folders {
        let folder = dir.join(&profile);
        let mut docs: Vec<String> = std::fs::read_dir(&folder)?
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".txt") && !n.ends_with(".expected.txt"))
            .map(|n| n.trim_end_matches(".txt").to_string())
            .collect();
        docs.sort();
        for doc in docs {
            out.push(Case {
                profile: profile.clone(),
                input: folder.join(format!("{doc}.txt")),
                expected: folder.join(format!("{doc}.expected.txt")),
                doc,
            });
        }
    }
    Ok(out)
}

/// The options a document is cleaned with: the defaults, conversion off for a Traditional twin.
pub fn options_for(doc: &str) -> Options {
    if doc.ends_with("-tw") {
        Options {
            convert: ConvertMode::Never,
            ..Options::default()
        }
    } else {
        Options::default()
    }
}

/// What the library writes for one input file. A UTF-8 byte order mark is dropped first, as
/// the decoder does for files (`clean_str` starts after decoding).
pub fn clean_file(case: &Case) -> std::io::Result<(String, String)> {
    let input = std::fs::read_to_string(&case.input)?;
    let input = input.strip_prefix('\u{feff}').unwrap_or(&input);
    let expected = std::fs::read_to_string(&case.expected)?;
    let (output, _) = clean_str(input, &options_for(&case.doc));
    Ok((output, expected))
}

/// The measures of one output against its reference.
#[derive(Clone, Copy, Debug, Default)]
pub struct Score {
    /// Levenshtein distance over characters, line breaks included.
    pub edits: usize,
    /// Characters of the reference.
    pub chars: usize,
    /// Han characters of the reference outside the longest common subsequence of the Han
    /// characters of output and reference: text the cleaner lost. Text moved out of its
    /// place counts too (a footnote left inside the paragraph it interrupts), as a reader
    /// of the output would not find it where it belongs.
    pub lost: usize,
    pub exact: bool,
}

pub fn score(output: &str, expected: &str) -> Score {
    let out: Vec<char> = output.chars().collect();
    let reference: Vec<char> = expected.chars().collect();
    let out_han: Vec<char> = out.iter().copied().filter(|&c| is_han(c)).collect();
    let ref_han: Vec<char> = reference.iter().copied().filter(|&c| is_han(c)).collect();
    Score {
        edits: levenshtein(&reference, &out),
        chars: reference.len(),
        lost: ref_han.len() - lcs_len(&ref_han, &out_han),
        exact: output == expected,
    }
}

/// Han ideographs: the unified blocks, extensions A to H, compatibility ideographs and U+3007.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

/// Per-block bit masks of where each character of `pattern` stands.
fn pattern_masks(pattern: &[char]) -> HashMap<char, Vec<u64>> {
    let words = pattern.len().div_ceil(64);
    let mut masks: HashMap<char, Vec<u64>> = HashMap::new();
    for (i, &c) in pattern.iter().enumerate() {
        masks.entry(c).or_insert_with(|| vec![0; words])[i / 64] |= 1 << (i % 64);
    }
    masks
}

/// Levenshtein distance (insert, delete, substitute, each 1), exact, by Hyyrö's bit-vector
/// algorithm in 64-bit blocks: O(⌈n/64⌉·m), fast enough for whole documents in a debug build.
/// The common prefix and suffix are taken off first.
pub fn levenshtein(a: &[char], b: &[char]) -> usize {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len());
    }
    let words = a.len().div_ceil(64);
    let masks = pattern_masks(a);
    let last = 1u64 << ((a.len() - 1) % 64);
    let mut vp = vec![!0u64; words];
    let mut vn = vec![0u64; words];
    let mut dist = a.len();
    let zeros = vec![0u64; words];
    for c in b {
        let pm = masks.get(c).unwrap_or(&zeros);
        // The top row of the matrix climbs by one per text character: a +1 horizontal delta
        // enters the first block.
        let (mut hp_carry, mut hn_carry) = (1u64, 0u64);
        for w in 0..words {
            let x = pm[w] | hn_carry;
            let d0 = ((x & vp[w]).wrapping_add(vp[w]) ^ vp[w]) | x | vn[w];
            let mut hp = vn[w] | !(d0 | vp[w]);
            let mut hn = d0 & vp[w];
            let (hp_in, hn_in) = (hp_carry, hn_carry);
            if w + 1 < words {
                hp_carry = hp >> 63;
                hn_carry = hn >> 63;
            } else {
                hp_carry = u64::from(hp & last != 0);
                hn_carry = u64::from(hn & last != 0);
            }
            hp = (hp << 1) | hp_in;
            hn = (hn << 1) | hn_in;
            vp[w] = hn | !(d0 | hp);
            vn[w] = hp & d0;
        }
        // The carries out of the last block are the deltas of the bottom row.
        dist = dist + hp_carry as usize - hn_carry as usize;
    }
    dist
}

/// Length of the longest common subsequence, by the bit-parallel algorithm of Allison and Dix
/// (Hyyrö's form): O(⌈n/64⌉·m).
pub fn lcs_len(a: &[char], b: &[char]) -> usize {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    let words = a.len().div_ceil(64);
    let masks = pattern_masks(a);
    let mut s = vec![!0u64; words];
    for c in b {
        let Some(pm) = masks.get(c) else { continue };
        let mut carry = false;
        for w in 0..words {
            let u = s[w] & pm[w];
            let (sum, c1) = s[w].overflowing_add(u);
            let (sum, c2) = sum.overflowing_add(u64::from(carry));
            carry = c1 || c2;
            s[w] = sum | (s[w] - u);
        }
    }
    let mut zeros = 0;
    for (w, &word) in s.iter().enumerate() {
        let bits = (a.len() - w * 64).min(64);
        let valid = if bits == 64 { !0 } else { (1u64 << bits) - 1 };
        zeros += (!word & valid).count_ones() as usize;
    }
    zeros
}

/// The plain O(n·m) dynamic programme, to check the bit-vector versions against.
pub fn levenshtein_slow(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let next = (diag + usize::from(x != y))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

pub fn lcs_slow(a: &[char], b: &[char]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diag = 0;
        for (j, y) in b.iter().enumerate() {
            let next = if x == y {
                diag + 1
            } else {
                row[j].max(row[j + 1])
            };
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Sums of the measures over a profile's files.
#[derive(Clone, Copy, Debug, Default)]
pub struct Totals {
    pub files: usize,
    pub exact: usize,
    pub edits: usize,
    pub chars: usize,
    pub lost: usize,
    pub files_losing: usize,
}

impl Totals {
    pub fn add(&mut self, s: &Score) {
        self.files += 1;
        self.exact += usize::from(s.exact);
        self.edits += s.edits;
        self.chars += s.chars;
        self.lost += s.lost;
        self.files_losing += usize::from(s.lost > 0);
    }

    /// Micro character error rate: edits over reference characters, summed over files.
    pub fn cer(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.edits as f64 / self.chars as f64
        }
    }
}
