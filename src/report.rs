//! What the pipeline did to one file: counts per rule and the facts each stage found.

use std::collections::BTreeMap;
use std::fmt;

use crate::rules::{order_by_name, Rule};

/// A number a stage reports beside the rule counts that is not a rule's count of changes: it
/// goes into the same `rules` map of the report, under its own name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Measure {
    /// The characters `convert-script` changed (its count is of paragraphs).
    ConvertScriptChars,
}

impl Measure {
    /// How many measures there are.
    pub const COUNT: usize = Measure::ALL.len();

    /// Every measure.
    pub const ALL: [Measure; 1] = [Measure::ConvertScriptChars];

    /// The name the report gives it.
    pub const fn name(self) -> &'static str {
        match self {
            Measure::ConvertScriptChars => "convert-script-chars",
        }
    }
}

/// The entries of [`Counts`]: a slot per rule (at the rule's index), then one per measure.
const SLOTS: usize = Rule::COUNT + Measure::COUNT;

/// The name of each slot.
const SLOT_NAMES: [&str; SLOTS] = {
    let mut names = [""; SLOTS];
    let mut i = 0;
    while i < Rule::COUNT {
        names[i] = Rule::ALL[i].name();
        i += 1;
    }
    let mut m = 0;
    while m < Measure::COUNT {
        names[Rule::COUNT + m] = Measure::ALL[m].name();
        m += 1;
    }
    names
};

/// The slots in the order of their names: reports list counts sorted by name, as they did when
/// counts were kept by name.
const SLOTS_BY_NAME: [usize; SLOTS] = order_by_name(&SLOT_NAMES);

/// How many times each rule fired, indexed by rule (and the [`Measure`]s), and how many Han
/// characters each rule removed from the document (so every deletion can be audited: a page
/// number `第3页` takes two, a running header its whole text).
///
/// The table is allocated on the first non-zero count: stages make a `Counts` per line to keep
/// or drop a line's counts with its change, and most lines change nothing; and a report stays
/// small to move.
#[derive(Clone, Default)]
pub struct Counts(Option<Box<Table>>);

#[derive(Clone, PartialEq, Eq)]
struct Table {
    fired: [u64; SLOTS],
    han: [u64; Rule::COUNT],
}

/// What an unallocated table reads as.
static ZERO: Table = Table {
    fired: [0; SLOTS],
    han: [0; Rule::COUNT],
};

impl PartialEq for Counts {
    fn eq(&self, other: &Self) -> bool {
        self.table() == other.table()
    }
}

impl Eq for Counts {}

/// As the map the report shows: the non-zero counts by name.
impl fmt::Debug for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()?;
        let removed: Vec<_> = self.removed_han().collect();
        if !removed.is_empty() {
            write!(f, " removed_han ")?;
            f.debug_map().entries(removed).finish()?;
        }
        Ok(())
    }
}

/// Serialized as the map of rule counts (`{"bookmark": 3}`), sorted by name; the Han characters
/// removed are reported beside it ([`CleanReport`]'s `removed_han`).
impl serde::Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// The Han characters removed per rule, as a map (`{"running-header": 84}`).
struct RemovedHan<'a>(&'a Counts);

impl serde::Serialize for RemovedHan<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.removed_han())
    }
}

impl Counts {
    fn table(&self) -> &Table {
        self.0.as_deref().unwrap_or(&ZERO)
    }

    /// The table, allocated when `n` is not zero; `None` when there is nothing to add.
    fn table_for(&mut self, n: u64) -> Option<&mut Table> {
        if n == 0 {
            return None;
        }
        Some(self.0.get_or_insert_with(|| Box::new(ZERO.clone())))
    }

    /// Notes that `rule` changed something `n` times.
    pub fn add(&mut self, rule: Rule, n: u64) {
        if let Some(table) = self.table_for(n) {
            table.fired[rule as usize] += n;
        }
    }

    /// Takes back `n` of the changes counted for `rule`: those made to text the pipeline
    /// wrote itself (the empty lines between paragraphs of `--blank-line` output, read again).
    pub fn take_back(&mut self, rule: Rule, n: u64) {
        if let Some(table) = self.0.as_mut() {
            let fired = &mut table.fired[rule as usize];
            *fired = fired.saturating_sub(n);
        }
    }

    /// Notes that `rule` removed `n` Han characters.
    pub fn add_han(&mut self, rule: Rule, n: u64) {
        if let Some(table) = self.table_for(n) {
            table.han[rule as usize] += n;
        }
    }

    /// Adds `n` to a measure.
    pub fn add_measure(&mut self, measure: Measure, n: u64) {
        if let Some(table) = self.table_for(n) {
            table.fired[Rule::COUNT + measure as usize] += n;
        }
    }

    /// How many times `rule` changed something.
    pub fn get(&self, rule: Rule) -> u64 {
        self.table().fired[rule as usize]
    }

    /// How many Han characters `rule` removed.
    pub fn han(&self, rule: Rule) -> u64 {
        self.table().han[rule as usize]
    }

    /// The value of a measure.
    pub fn measure(&self, measure: Measure) -> u64 {
        self.table().fired[Rule::COUNT + measure as usize]
    }

    /// Did no rule fire (and no measure count anything)?
    pub fn is_empty(&self) -> bool {
        self.table().fired.iter().all(|&n| n == 0)
    }

    /// The rules that fired and the measures that counted something, with their numbers, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        let fired = &self.table().fired;
        SLOTS_BY_NAME
            .iter()
            .map(|&slot| (SLOT_NAMES[slot], fired[slot]))
            .filter(|&(_, n)| n != 0)
    }

    /// The rules that removed Han characters, and how many each, by name.
    pub fn removed_han(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        let han = &self.table().han;
        Rule::BY_NAME
            .iter()
            .map(|&rule| (rule.name(), han[rule as usize]))
            .filter(|&(_, n)| n != 0)
    }

    /// Adds `other`'s numbers to these.
    pub fn merge(&mut self, other: &Counts) {
        let Some(more) = other.0.as_deref() else {
            return;
        };
        match &mut self.0 {
            None => self.0 = Some(Box::new(more.clone())),
            Some(table) => {
                for (n, more) in table.fired.iter_mut().zip(more.fired) {
                    *n += more;
                }
                for (n, more) in table.han.iter_mut().zip(more.han) {
                    *n += more;
                }
            }
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
    fn counts_add_up_per_rule_and_list_in_name_order() {
        let mut counts = Counts::default();
        counts.add(Rule::PunctWidth, 2);
        counts.add(Rule::BlankLines, 1);
        counts.add(Rule::BlankLines, 3);
        counts.add(Rule::PageNumber, 0);
        counts.add(Rule::PunctWidth, 1);
        counts.add_measure(Measure::ConvertScriptChars, 5);
        counts.add(Rule::ConvertScript, 1);
        counts.add(Rule::Footnote, 1);
        assert_eq!(
            counts.iter().collect::<Vec<_>>(),
            [
                ("blank-lines", 4),
                ("convert-script", 1),
                ("convert-script-chars", 5),
                ("footnote", 1),
                ("punct-width", 3)
            ]
        );
        assert_eq!(counts.get(Rule::BlankLines), 4);
        assert_eq!(counts.get(Rule::PageNumber), 0);
        assert_eq!(counts.measure(Measure::ConvertScriptChars), 5);
        assert_eq!(
            serde_json::to_string(&counts).unwrap(),
            r#"{"blank-lines":4,"convert-script":1,"convert-script-chars":5,"footnote":1,"punct-width":3}"#
        );
        assert!(!counts.is_empty());
        assert!(Counts::default().is_empty());
        let mut zeros = Counts::default();
        zeros.add(Rule::Nfc, 0);
        assert!(zeros.is_empty() && zeros == Counts::default());
    }

    #[test]
    fn every_slot_is_listed_once_in_name_order() {
        let names: Vec<&str> = SLOTS_BY_NAME.iter().map(|&slot| SLOT_NAMES[slot]).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
        assert_eq!(names.len(), SLOTS);
    }

    #[test]
    fn removed_han_is_reported_beside_the_rule_counts() {
        let mut report = CleanReport::default();
        report.rules.add(Rule::PageNumber, 3);
        report.rules.add_han(Rule::PageNumber, 6);
        report.rules.add(Rule::RunningHeader, 2);
        report.rules.add_han(Rule::RunningHeader, 16);
        report.rules.add_han(Rule::RunningHeader, 0);
        report.rules.add_han(Rule::Bookmark, 0);
        let mut other = Counts::default();
        other.add(Rule::PageNumber, 1);
        other.add_han(Rule::PageNumber, 2);
        report.rules.merge(&other);
        assert_eq!(report.rules.han(Rule::PageNumber), 8);
        assert_eq!(report.rules.get(Rule::PageNumber), 4);
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(
            json["removed_han"],
            serde_json::json!({"page-number": 8, "running-header": 16})
        );
        assert_eq!(
            json["rules"],
            serde_json::json!({"page-number": 4, "running-header": 2})
        );
        assert_eq!(
            format!("{:?}", report.rules),
            r#"{"page-number": 4, "running-header": 2} removed_han {"page-number": 8, "running-header": 16}"#
        );
    }
}
