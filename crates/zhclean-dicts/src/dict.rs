//! OpenCC's text dictionary format, as the files in `dicts/` hold it:
//!
//! ```text
//! # a comment
//! # @tofu-risk: a tag, which applies to the next entry
//! 㑮<TAB>㑮 𫝈
//! 喫<TAB>吃
//! ```
//!
//! Each entry line is a key, one tab, and one or more targets separated by single spaces; the
//! first target is the default, the others are alternatives. Lines that are empty or start
//! with `#` are not entries. A comment of the form `# @name…` *tags* the next entry with
//! `name` (`TSCharacters.txt` marks with `@tofu-risk` the characters whose rare Simplified
//! form many fonts lack).
//!
//! The format is strict, because a stray space or tab in a dictionary changes what the
//! converter does without a word: a key or target holding whitespace, an empty key or
//! target, a line without a tab, and a key listed twice in one file are all [`Problem`]s.

use std::collections::HashMap;
use std::fmt;

/// One entry of a dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The line number (from 1) in the file.
    pub line: usize,
    pub key: String,
    /// The default target first, then the alternatives; never empty.
    pub targets: Vec<String>,
    /// The names of the `# @name` comments since the previous entry, in file order.
    pub tags: Vec<String>,
}

impl Entry {
    /// Whether the entry carries the tag `name` (without the `@`).
    pub fn has_tag(&self, name: &str) -> bool {
        self.tags.iter().any(|tag| tag == name)
    }
}

/// What is wrong with one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// Neither empty, nor a comment, nor `KEY<TAB>TARGETS`.
    NoTab,
    /// The key is empty or holds whitespace.
    BadKey(String),
    /// A target is empty or holds whitespace (two spaces in a row, a tab, a trailing space).
    BadTargets(String),
    /// The key was already listed on the given line.
    DuplicateKey { key: String, first_line: usize },
}

/// A malformed line of a dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The line number (from 1).
    pub line: usize,
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = self.line;
        match &self.kind {
            ProblemKind::NoTab => write!(f, "{line}: no tab"),
            ProblemKind::BadKey(key) => write!(f, "{line}: bad key {key:?}"),
            ProblemKind::BadTargets(targets) => write!(f, "{line}: bad targets {targets:?}"),
            ProblemKind::DuplicateKey { key, first_line } => {
                write!(f, "{line}: key {key} already on line {first_line}")
            }
        }
    }
}

/// A dictionary read from text: its well-formed entries in file order, and the lines that are
/// not (a dictionary is usable only when there are none).
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
}

impl Parsed {
    /// The entries, or every problem found.
    pub fn into_result(self) -> Result<Vec<Entry>, Vec<Problem>> {
        if self.problems.is_empty() {
            Ok(self.entries)
        } else {
            Err(self.problems)
        }
    }
}

/// Reads a dictionary's text. Every line is looked at, so that one pass reports all the
/// problems of a file.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut tags: Vec<String> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(tag) = comment.trim_start().strip_prefix('@') {
                let name = tag
                    .split(|c: char| c == ':' || c.is_whitespace())
                    .next()
                    .unwrap_or_default();
                tags.push(name.to_string());
            }
            continue;
        }
        // An entry line ends the tags of the comments above it, well-formed or not.
        let entry_tags = std::mem::take(&mut tags);
        let Some((key, targets)) = line.split_once('\t') else {
            parsed.problems.push(Problem {
                line: number,
                kind: ProblemKind::NoTab,
            });
            continue;
        };
        let mut bad = false;
        if key.is_empty() || key.chars().any(char::is_whitespace) {
            parsed.problems.push(Problem {
                line: number,
                kind: ProblemKind::BadKey(key.to_string()),
            });
            bad = true;
        }
        if targets
            .split(' ')
            .any(|t| t.is_empty() || t.chars().any(char::is_whitespace))
        {
            parsed.problems.push(Problem {
                line: number,
                kind: ProblemKind::BadTargets(targets.to_string()),
            });
            bad = true;
        }
        if let Some(first_line) = seen.insert(key, number) {
            parsed.problems.push(Problem {
                line: number,
                kind: ProblemKind::DuplicateKey {
                    key: key.to_string(),
                    first_line,
                },
            });
            bad = true;
        }
        if !bad {
            parsed.entries.push(Entry {
                line: number,
                key: key.to_string(),
                targets: targets.split(' ').map(str::to_string).collect(),
                tags: entry_tags,
            });
        }
    }
    parsed
}

/// Reads the list of characters in use in both scripts (`dicts/overrides/both-scripts.txt`):
/// every non-whitespace character of the lines that are not `#` comments, in file order.
pub fn parse_char_list(text: &str) -> Vec<char> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_comments_and_tags() {
        let parsed = parse("# head\n\n# @tofu-risk: rare\n# note\n㑮\t㑮 𫝈\n喫\t吃\n");
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let entries = parsed.entries;
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].line, 5);
        assert_eq!(entries[0].key, "㑮");
        assert_eq!(entries[0].targets, ["㑮", "𫝈"]);
        assert!(entries[0].has_tag("tofu-risk"));
        // A tag applies to the next entry only.
        assert!(entries[1].tags.is_empty());
    }

    #[test]
    fn whitespace_and_duplicates_are_problems() {
        let parsed = parse("a\tb\n \n c\td\ne\tf  g\nh\t\na\tz\nnotab\n");
        let lines: Vec<usize> = parsed.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 7]);
        assert_eq!(parsed.problems[5].to_string(), "7: no tab");
        assert_eq!(parsed.problems[4].to_string(), "6: key a already on line 1");
        // Only the first, well-formed line is an entry.
        assert_eq!(parsed.entries.len(), 1);
        assert!(parse("a\tb\r\n").problems.is_empty(), "CRLF ends a line");
    }

    #[test]
    fn char_list_skips_comments_and_whitespace() {
        assert_eq!(
            parse_char_list("# 乾 is a comment\n乾 於\n\t后\n"),
            ['乾', '於', '后']
        );
    }
}
