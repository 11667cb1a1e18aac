//! Makes a conversion table closed under its own output, so that converting converted text
//! changes nothing.
//!
//! A table converts by maximum forward matching. A phrase's target is not always a fixed point
//! of that: `s2t` maps the phrase `干预` to `干預`, but `干` alone to `幹`, so converting `干預`
//! again (as `clean --convert always` does on its own output) gives `幹預`. For each such
//! target `T` that is not a key already, [`close`] adds the identity phrase `T → T`; the
//! matching then keeps `T` as one piece, as the phrase that produced it meant.
//!
//! A chain of tables (`s2tw`: cut by `st`'s phrases, then `st`, then the Taiwan forms) is not
//! closed by closing each table: a later stage turns a phrase's output into text the first
//! stage splits otherwise (`云为` → `云爲` → `云為`, and `云為` alone is `雲為`).
//! [`close_chain`] adds the identity phrase `X → X`, for each such output `X`, to the tables
//! that change it: the segmentation table (so that `X` is one segment) and each stage that does
//! not give `X` back.

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A table as the closure reads it: its entries, and its longest key in characters.
pub struct Lookup<'a> {
    pub entries: HashMap<&'a str, &'a str>,
    pub longest: usize,
}

impl<'a> Lookup<'a> {
    pub fn new(entries: &'a BTreeMap<String, String>) -> Self {
        let entries: HashMap<&str, &str> = entries
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let longest = entries.keys().map(|k| k.chars().count()).max().unwrap_or(1);
        Lookup { entries, longest }
    }

    fn convert(&self, text: &str) -> String {
        convert_longest(&self.entries, self.longest, text)
    }
}

/// Converts `text` through a chain as the converter runs one: cut by maximum forward matching
/// on the phrases (keys of two characters or more) of `segment_by` into phrases and the runs
/// between them, and each piece converted by each stage in turn.
pub fn convert_chain(segment_by: &Lookup, stages: &[&Lookup], text: &str) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map_or(text.len(), |&(byte, _)| byte);
    let mut out = String::with_capacity(text.len());
    let mut convert_piece = |piece: &str| {
        let mut piece = piece.to_string();
        for stage in stages {
            piece = stage.convert(&piece);
        }
        out.push_str(&piece);
    };
    let mut run_start = 0;
    let mut i = 0;
    while i < chars.len() {
        let phrase = (2..=segment_by.longest.min(chars.len() - i))
            .rev()
            .find(|&n| segment_by.entries.contains_key(&text[at(i)..at(i + n)]));
        match phrase {
            Some(n) => {
                if run_start < i {
                    convert_piece(&text[at(run_start)..at(i)]);
                }
                convert_piece(&text[at(i)..at(i + n)]);
                i += n;
                run_start = i;
            }
            None => i += 1,
        }
    }
    if run_start < chars.len() {
        convert_piece(&text[at(run_start)..]);
    }
    out
}

/// What [`close_chain`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ChainClosure {
    /// The identity phrases added: (table index, phrase).
    pub added: Vec<(usize, String)>,
    /// Outputs that convert again to something else and cannot be closed: a single character
    /// (its mapping is the table's own), or a key of a table with another target.
    pub open: Vec<String>,
}

/// Closes the chain that cuts by `tables[segment_by]` and converts by `tables[stages]` under
/// its own output, for every text of `inputs`: where converting an input's output again
/// changes it, the output becomes an identity phrase of the segmentation table and of each
/// stage that changes it. Repeats until nothing is added (an added phrase can cut other text
/// differently). The tables' own closure ([`close`]) is the caller's to redo afterwards.
pub fn close_chain(
    tables: &mut [BTreeMap<String, String>],
    segment_by: usize,
    stages: &[usize],
    inputs: &[String],
) -> ChainClosure {
    let mut closure = ChainClosure::default();
    // The tables to look at for a failing output, each once.
    let mut involved = vec![segment_by];
    involved.extend(stages.iter().filter(|&&t| t != segment_by));
    loop {
        let mut additions: BTreeSet<(usize, String)> = BTreeSet::new();
        let mut open: BTreeSet<String> = BTreeSet::new();
        {
            // Lookups of the tables of this chain only.
            let lookups: Vec<Option<Lookup>> = tables
                .iter()
                .enumerate()
                .map(|(t, table)| involved.contains(&t).then(|| Lookup::new(table)))
                .collect();
            let lookup = |t: usize| lookups[t].as_ref().expect("a table of the chain");
            let stage_lookups: Vec<&Lookup> = stages.iter().map(|&t| lookup(t)).collect();
            let chain = |text: &str| convert_chain(lookup(segment_by), &stage_lookups, text);
            for input in inputs {
                let once = chain(input);
                if chain(&once) == once {
                    continue;
                }
                if once.chars().nth(1).is_none() {
                    open.insert(once);
                    continue;
                }
                for &t in &involved {
                    match lookup(t).entries.get(once.as_str()) {
                        Some(target) if *target == once => {}
                        Some(_) => {
                            open.insert(once.clone());
                        }
                        None if t == segment_by || lookup(t).convert(&once) != once => {
                            additions.insert((t, once.clone()));
                        }
                        None => {}
                    }
                }
            }
        }
        closure.open = open.into_iter().collect();
        if additions.is_empty() {
            return closure;
        }
        for (t, phrase) in additions {
            tables[t].insert(phrase.clone(), phrase.clone());
            closure.added.push((t, phrase));
        }
    }
}

/// Converts `text` with `entries` by maximum forward matching, as the converter does within a
/// table: at each position the longest key wins; a character no key starts is copied.
pub fn convert_longest(entries: &HashMap<&str, &str>, longest: usize, text: &str) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let start = chars[i].0;
        let matched = (1..=longest.min(chars.len() - i)).rev().find_map(|n| {
            let end = chars.get(i + n).map_or(text.len(), |&(at, _)| at);
            entries.get(&text[start..end]).map(|target| (n, target))
        });
        match matched {
            Some((n, target)) => {
                out.push_str(target);
                i += n;
            }
            None => {
                out.push(chars[i].1);
                i += 1;
            }
        }
    }
    out
}

/// What [`close`] did to one table.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Closure {
    /// The identity phrases added, in key order.
    pub added: Vec<String>,
    /// Targets that convert to something else and are keys of their own with another target:
    /// an identity phrase would change what the table does to that key, so they stay open.
    pub open: Vec<String>,
}

/// Adds `T → T` for every target `T` of `entries` that the table does not give back unchanged
/// (only where needed: a target that converts to itself gets nothing). Adding a phrase can
/// change how another target is segmented, so this repeats until nothing changes.
pub fn close(entries: &mut BTreeMap<String, String>) -> Closure {
    let mut closure = Closure::default();
    loop {
        let map: HashMap<&str, &str> = entries
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let longest = map.keys().map(|k| k.chars().count()).max().unwrap_or(1);
        let mut added = Vec::new();
        let mut open = Vec::new();
        for target in entries.values() {
            if convert_longest(&map, longest, target) == *target {
                continue;
            }
            match map.get(target.as_str()) {
                None => added.push(target.clone()),
                Some(_) => open.push(target.clone()),
            }
        }
        added.sort();
        added.dedup();
        open.sort();
        open.dedup();
        closure.open = open;
        if added.is_empty() {
            return closure;
        }
        for target in added {
            entries.insert(target.clone(), target.clone());
            closure.added.push(target);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_target_split_differently_gets_an_identity_phrase() {
        let mut t = table(&[("干预", "干預"), ("干", "幹"), ("预", "預")]);
        let closure = close(&mut t);
        assert_eq!(closure.added, vec!["干預".to_string()]);
        assert_eq!(t.get("干預").map(String::as_str), Some("干預"));
        let map: HashMap<&str, &str> = t.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(convert_longest(&map, 2, "干预"), "干預");
        assert_eq!(convert_longest(&map, 2, "干預"), "干預");
        // What the table did to other text stays as it was.
        assert_eq!(convert_longest(&map, 2, "干"), "幹");
    }

    #[test]
    fn targets_that_are_fixed_points_add_nothing() {
        let mut t = table(&[("发展", "發展"), ("发", "發"), ("後", "後")]);
        let before = t.clone();
        assert_eq!(close(&mut t), Closure::default());
        assert_eq!(t, before);
    }

    #[test]
    fn a_chain_output_a_first_stage_splits_otherwise_gets_identity_phrases() {
        // `st` turns 云为 into 云爲, the Taiwan forms 爲 into 為; 云為 alone would be 雲為.
        let mut tables = [
            table(&[("云为", "云爲"), ("云", "雲"), ("为", "爲")]),
            table(&[("爲", "為")]),
        ];
        let inputs = vec!["云为".to_string(), "云".to_string()];
        let closure = close_chain(&mut tables, 0, &[0, 1], &inputs);
        assert_eq!(closure.added, vec![(0, "云為".to_string())]);
        assert!(closure.open.is_empty());
        let lookups: Vec<Lookup> = tables.iter().map(Lookup::new).collect();
        let chain = |text: &str| convert_chain(&lookups[0], &[&lookups[0], &lookups[1]], text);
        assert_eq!(chain("云为"), "云為");
        assert_eq!(chain("云為"), "云為");
        // What the chain did to other text stays as it was.
        assert_eq!(chain("云"), "雲");
        assert_eq!(chain("为"), "為");
    }

    #[test]
    fn a_chain_segments_by_phrases_and_converts_runs_whole() {
        // The second stage's phrase spans two characters of a run, not a phrase's edge.
        let tables = [
            table(&[("甲乙", "AB"), ("丙", "c"), ("丁", "d")]),
            table(&[("cd", "CD"), ("Bc", "X")]),
        ];
        let lookups: Vec<Lookup> = tables.iter().map(Lookup::new).collect();
        let chain = |text: &str| convert_chain(&lookups[0], &[&lookups[0], &lookups[1]], text);
        assert_eq!(chain("甲乙丙丁"), "ABCD");
    }

    #[test]
    fn a_target_that_is_a_key_with_another_target_stays_open() {
        // 乙 → 丙 and 甲 → 乙: 乙 is a key, an identity phrase would change it.
        let mut t = table(&[("甲", "乙"), ("乙", "丙")]);
        let closure = close(&mut t);
        assert!(closure.added.is_empty());
        assert_eq!(closure.open, vec!["乙".to_string()]);
        assert_eq!(t.get("乙").map(String::as_str), Some("丙"));
    }
}
