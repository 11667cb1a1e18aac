//! What the pipeline did to one file: counts per rule and the facts each stage found.

use std::collections::BTreeMap;

/// Numbers keyed by rule name, sorted so reports are stable.
///
/// A sorted vector rather than a map: stages add to it line after line, with a few names given
/// as the same `&'static str` each time, so the name is first looked for by address — one
/// comparison of pointers per entry instead of string comparisons down a tree.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Tally(Vec<(&'static str, u64)>);

impl Tally {
    fn add(&mut self, rule: &'static str, n: u64) {
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

    fn get(&self, rule: &str) -> u64 {
        self.0
            .binary_search_by(|(name, _)| (*name).cmp(rule))
            .map_or(0, |i| self.0[i].1)
    }
}

/// How many times each rule fired, keyed by rule name, and how many Han characters each rule
/// removed from the document (so every deletion can be audited: a page number `第3页` takes
/// two, a running header its whole text).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    fired: Tally,
    han: Tally,
}

/// Serialized as the map of rule counts (`{"bookmark": 3}`); the Han characters removed are
/// reported beside it ([`CleanReport`]'s `removed_han`).
impl serde::Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.fired.0.iter().map(|(name, n)| (name, n)))
    }
}

/// The Han characters removed per rule, as a map (`{"running-header": 84}`).
struct RemovedHan<'a>(&'a Counts);

impl serde::Serialize for RemovedHan<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.han.0.iter().map(|(name, n)| (name, n)))
    }
}

impl Counts {
    pub fn add(&mut self, rule: &'static str, n: u64) {
        self.fired.add(rule, n);
    }

    /// Notes that `rule` removed `n` Han characters.
    pub fn add_han(&mut self, rule: &'static str, n: u64) {
        self.han.add(rule, n);
    }

    pub fn get(&self, rule: &str) -> u64 {
        self.fired.get(rule)
    }

    /// How many Han characters `rule` removed.
    pub fn han(&self, rule: &str) -> u64 {
        self.han.get(rule)
    }

    pub fn is_empty(&self) -> bool {
        self.fired.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        self.fired.0.iter().copied()
    }

    /// The rules that removed Han characters, and how many each.
    pub fn removed_han(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        self.han.0.iter().copied()
    }

    pub fn merge(&mut self, other: &Counts) {
        for (name, n) in other.iter() {
            self.add(name, n);
        }
        for (name, n) in other.removed_han() {
            self.add_han(name, n);
        }
    }
}

/// A fact a stage established about the whole document, kept for the report (`"script":
/// "traditional"`, `"wrap-width": "36"`). Free-form so stages add their own without touching this
/// file.
pub type Facts = BTreeMap<&'static str, String>;

/// What the cleaning pipeline found and did for one document (the decode side is reported
/// separately, by `decode`). Serialized with `removed_han` beside `rules`: the Han characters
/// each rule removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CleanReport {
    pub rules: Counts,
    pub facts: Facts,
    pub warnings: Vec<String>,
    /// Lines that went in (after decoding) and paragraphs that came out.
    pub lines_in: u64,
    pub lines_out: u64,
}

impl serde::Serialize for CleanReport {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("CleanReport", 6)?;
        s.serialize_field("rules", &self.rules)?;
        s.serialize_field("removed_han", &RemovedHan(&self.rules))?;
        s.serialize_field("facts", &self.facts)?;
        s.serialize_field("warnings", &self.warnings)?;
        s.serialize_field("lines_in", &self.lines_in)?;
        s.serialize_field("lines_out", &self.lines_out)?;
        s.end()
    }
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

    #[test]
    fn removed_han_is_reported_beside_the_rule_counts() {
        let mut report = CleanReport::default();
        report.rules.add("page-number", 3);
        report.rules.add_han("page-number", 6);
        report.rules.add("running-header", 2);
        report.rules.add_han("running-header", 16);
        report.rules.add_han("running-header", 0);
        let mut other = Counts::default();
        other.add("page-number", 1);
        other.add_han("page-number", 2);
        report.rules.merge(&other);
        assert_eq!(report.rules.han("page-number"), 8);
        assert_eq!(report.rules.get("page-number"), 4);
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(
            json["removed_han"],
            serde_json::json!({"page-number": 8, "running-header": 16})
        );
        assert_eq!(
            json["rules"],
            serde_json::json!({"page-number": 4, "running-header": 2})
        );
    }
}
