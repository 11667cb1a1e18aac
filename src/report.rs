//! What the pipeline did to one file: counts per rule and the facts each stage found.

use std::collections::BTreeMap;

/// How many times each rule fired, keyed by rule name (sorted, so reports are stable).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Counts(BTreeMap<&'static str, u64>);

impl Counts {
    pub fn add(&mut self, rule: &'static str, n: u64) {
        if n > 0 {
            *self.0.entry(rule).or_insert(0) += n;
        }
    }

    pub fn get(&self, rule: &str) -> u64 {
        self.0.get(rule).copied().unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        self.0.iter().map(|(name, n)| (*name, *n))
    }

    pub fn merge(&mut self, other: &Counts) {
        for (name, n) in other.iter() {
            self.add(name, n);
        }
    }
}

/// A fact a stage established about the whole document, kept for the report (`"script":
/// "traditional"`, `"wrap-width": "36"`). Free-form so stages add their own without touching this
/// file.
pub type Facts = BTreeMap<&'static str, String>;

/// What the cleaning pipeline found and did for one document (the decode side is reported
/// separately, by `decode`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CleanReport {
    pub rules: Counts,
    pub facts: Facts,
    pub warnings: Vec<String>,
    /// Lines that went in (after decoding) and paragraphs that came out.
    pub lines_in: u64,
    pub lines_out: u64,
}
