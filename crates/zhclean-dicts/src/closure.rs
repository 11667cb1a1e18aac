//! Makes a conversion table closed under its own output, so that converting converted text
//! changes nothing.
//!
//! A table converts by maximum forward matching. A phrase's target is not always a fixed point
//! of that: `s2t` maps the phrase `干预` to `干預`, but `干` alone to `幹`, so converting `干預`
//! again (as `clean --convert always` does on its own output) gives `幹預`. For each such
//! target `T` that is not a key already, [`close`] adds the identity phrase `T → T`; the
//! matching then keeps `T` as one piece, as the phrase that produced it meant.

use std::collections::{BTreeMap, HashMap};

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
    fn a_target_that_is_a_key_with_another_target_stays_open() {
        // 乙 → 丙 and 甲 → 乙: 乙 is a key, an identity phrase would change it.
        let mut t = table(&[("甲", "乙"), ("乙", "丙")]);
        let closure = close(&mut t);
        assert!(closure.added.is_empty());
        assert_eq!(closure.open, vec!["乙".to_string()]);
        assert_eq!(t.get("乙").map(String::as_str), Some("丙"));
    }
}
