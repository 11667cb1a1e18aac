//! What the pipeline did to one file: counts per rule and the facts each stage found.

use std::collections::BTreeMap;

/// How many times each rule fired, keyed by rule name (sorted, so reports are stable).
///
/// A sorted vector rather than a map: stages add to it line after line, with a few names given
/// as the same `&'static str` each time, so the name is first looked for by address — one
/// comparison of pointers per entry instead of string comparisons down a tree.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts(Vec<(&'static str, u64)>);

impl serde::Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, n)| (name, n)))
    }
}

impl Counts {
    pub fn add(&mut self, rule: &'static str, n: u64) {
        if n == 0 {
            return;
        }
        if let Some(entry) = self
            .0
            .iter_mut()
            .find(|(name, _)| std::ptr::eq(*name, rule))
        {
            entry.1 += n;
            return;
        }
        match self.0.binary_search_by(|(name, _)| (*name).cmp(rule)) {
            Ok(i) => self.0[i].1 += n,
            Err(i) => self.0.insert(i, (rule, n)),
        }
    }

    pub fn get(&self, rule: &str) -> u64 {
        self.0
            .binary_search_by(|(name, _)| (*name).cmp(rule))
            .map_or(0, |i| self.0[i].1)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        self.0.iter().copied()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_per_name_and_list_in_name_order() {
        let mut counts = Counts::default();
        // The same name at another address (a name built at run time) is the same rule.
        let elsewhere: &'static str = Box::leak(String::from("blank-lines").into_boxed_str());
        counts.add("punct-width", 2);
        counts.add("blank-lines", 1);
        counts.add(elsewhere, 3);
        counts.add("page-number", 0);
        counts.add("punct-width", 1);
        assert_eq!(
            counts.iter().collect::<Vec<_>>(),
            [("blank-lines", 4), ("punct-width", 3)]
        );
        assert_eq!(counts.get("blank-lines"), 4);
        assert_eq!(counts.get("page-number"), 0);
        assert_eq!(
            serde_json::to_string(&counts).unwrap(),
            r#"{"blank-lines":4,"punct-width":3}"#
        );
    }
}
