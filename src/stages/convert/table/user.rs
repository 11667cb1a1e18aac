//! Dictionaries the user gives at run time: `--dict FILE` (OpenCC's text format) and the
//! `text` and `inline` dictionaries of an OpenCC config file.
//!
//! They are small (a few names and preferred terms), so a hash map of phrases is enough: at a
//! position, the longest key that starts there is found by trying each length from the longest
//! key down. A bit per Basic Multilingual Plane character says whether any key starts with it,
//! so a position where none does costs one bit test. None of this touches the compiled tables:
//! without a user dictionary the converter runs exactly as before.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::text::utf8::decode;

/// A dictionary read at run time: phrases (of one character or more) and what each becomes.
#[derive(Clone, Default)]
pub struct UserDict {
    entries: HashMap<String, String>,
    /// The longest key, in bytes.
    longest: usize,
    /// One bit per BMP character: whether a key starts with it.
    starts: Vec<u64>,
    /// The characters outside the BMP that start a key.
    astral_starts: Vec<u32>,
}

impl fmt::Debug for UserDict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UserDict({} entries)", self.entries.len())
    }
}

/// A user dictionary that cannot be used: unreadable, or a line that is not an entry.
#[derive(Debug, thiserror::Error)]
pub enum DictError {
    #[error("{}: cannot read the dictionary: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}: {problem}", path.display())]
    Line {
        path: PathBuf,
        line: usize,
        problem: String,
    },
}

impl UserDict {
    /// Builds a dictionary from `(key, replacement)` pairs; an earlier pair wins a key that a
    /// later one repeats. Empty keys are skipped.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> UserDict {
        let mut dict = UserDict {
            starts: vec![0; 0x10000 / 64],
            ..UserDict::default()
        };
        for (key, value) in pairs {
            dict.insert(key.into(), value.into());
        }
        dict
    }

    fn insert(&mut self, key: String, value: String) {
        let Some(first) = key.chars().next() else {
            return;
        };
        if self.entries.contains_key(&key) {
            return;
        }
        let code = first as u32;
        if code < 0x10000 {
            self.starts[code as usize / 64] |= 1 << (code % 64);
        } else if !self.astral_starts.contains(&code) {
            self.astral_starts.push(code);
        }
        self.longest = self.longest.max(key.len());
        self.entries.insert(key, value);
    }

    /// Reads dictionary files in OpenCC's text format; a key in more than one file takes the
    /// replacement of the file given first.
    pub fn load(paths: &[PathBuf]) -> Result<UserDict, DictError> {
        let mut dict = UserDict::from_pairs(std::iter::empty::<(String, String)>());
        for path in paths {
            let text = std::fs::read_to_string(path).map_err(|source| DictError::Read {
                path: path.clone(),
                source,
            })?;
            for (key, value) in parse(&text, path)? {
                dict.insert(key, value);
            }
        }
        Ok(dict)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The longest key that starts at byte `at` of `text` (a character boundary): its end and
    /// replacement.
    #[inline]
    pub(crate) fn longest_at(&self, text: &str, at: usize) -> Option<(usize, &str)> {
        let bytes = text.as_bytes();
        let (code, _) = decode(bytes, at);
        let starts = if code < 0x10000 {
            self.starts[code as usize / 64] & (1 << (code % 64)) != 0
        } else {
            self.astral_starts.contains(&code)
        };
        if !starts {
            return None;
        }
        let mut end = (at + self.longest).min(bytes.len());
        while end > at {
            if text.is_char_boundary(end) {
                if let Some(value) = self.entries.get(&text[at..end]) {
                    return Some((end, value.as_str()));
                }
            }
            end -= 1;
        }
        None
    }

    /// Cuts `text` at this dictionary's phrases, left to right, the longest at each position:
    /// calls `piece(text, Some(replacement))` for each phrase found and `piece(text, None)` for
    /// each run of text between them.
    pub(crate) fn split<'t>(&self, text: &'t str, mut piece: impl FnMut(&'t str, Option<&str>)) {
        let bytes = text.as_bytes();
        let mut run_start = 0;
        let mut i = 0;
        while i < bytes.len() {
            if let Some((end, value)) = self.longest_at(text, i) {
                if run_start < i {
                    piece(&text[run_start..i], None);
                }
                piece(&text[i..end], Some(value));
                i = end;
                run_start = end;
            } else {
                i += decode(bytes, i).1;
            }
        }
        if run_start < bytes.len() {
            piece(&text[run_start..], None);
        }
    }
}

/// Reads OpenCC's text dictionary format: `PHRASE<TAB>REPLACEMENT`, where the replacement may
/// be followed by alternatives after a space (the first is taken); lines that are blank or
/// start with `#` are skipped. Anything else is an error naming `path` and the line: a line
/// without a tab, an empty phrase or one holding whitespace, no replacement, or a phrase listed
/// twice in one file (which of the two was meant cannot be told).
pub(crate) fn parse(text: &str, path: &Path) -> Result<Vec<(String, String)>, DictError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut entries = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let number = index + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let problem = |problem: String| DictError::Line {
            path: path.to_path_buf(),
            line: number,
            problem,
        };
        let Some((key, value)) = line.split_once('\t') else {
            return Err(problem(format!(
                "expected PHRASE<TAB>REPLACEMENT, found {line:?} (no tab)"
            )));
        };
        if key.is_empty() || key.chars().any(char::is_whitespace) {
            return Err(problem(format!(
                "the phrase {key:?} is empty or holds whitespace"
            )));
        }
        let Some(replacement) = value.split_whitespace().next() else {
            return Err(problem(format!("no replacement for {key}")));
        };
        if let Some(first) = seen.insert(key, number) {
            return Err(problem(format!("{key} is already listed on line {first}")));
        }
        entries.push((key.to_string(), replacement.to_string()));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(pairs: &[(&str, &str)]) -> UserDict {
        UserDict::from_pairs(pairs.iter().copied())
    }

    fn pieces(dict: &UserDict, text: &str) -> Vec<(String, Option<String>)> {
        let mut pieces = Vec::new();
        dict.split(text, |piece, value| {
            pieces.push((piece.to_string(), value.map(str::to_string)))
        });
        pieces
    }

    #[test]
    fn the_longest_phrase_at_each_position_wins() {
        let d = dict(&[
            ("麥", "M"),
            ("麥旋風", "冰炫风"),
            ("旋風", "X"),
            ("𠀀a", "A"),
        ]);
        let p = |s: &str| Some(s.to_string());
        assert_eq!(
            pieces(&d, "吃麥旋風和麥片"),
            [
                ("吃".into(), None),
                ("麥旋風".into(), p("冰炫风")),
                ("和".into(), None),
                ("麥".into(), p("M")),
                ("片".into(), None),
            ]
        );
        assert_eq!(
            pieces(&d, "旋風𠀀a𠀀"),
            [
                ("旋風".into(), p("X")),
                ("𠀀a".into(), p("A")),
                ("𠀀".into(), None),
            ]
        );
        // Pieces put together are the text, with nothing found in text of other characters.
        assert_eq!(pieces(&d, "abc"), [("abc".into(), None)]);
        assert!(pieces(&d, "").is_empty());
        assert!(pieces(&dict(&[]), "麥").iter().all(|(_, v)| v.is_none()));
    }

    #[test]
    fn text_format_comments_alternatives_and_crlf() {
        let path = Path::new("my.txt");
        let text = "\u{feff}# mine\n\n麥旋風\t冰炫风 麦旋风\r\n  \n乾隆\t乾隆\n";
        let entries = parse(text, path).unwrap();
        assert_eq!(
            entries,
            [
                ("麥旋風".to_string(), "冰炫风".to_string()),
                ("乾隆".to_string(), "乾隆".to_string())
            ]
        );
    }

    #[test]
    fn malformed_lines_name_the_file_and_line() {
        let path = Path::new("dir/my.txt");
        let cases = [
            (
                "a\tb\nno tab here\n",
                "dir/my.txt:2: expected PHRASE<TAB>REPLACEMENT",
            ),
            ("\tb\n", "dir/my.txt:1: the phrase \"\" is empty"),
            ("# c\na b\tc\n", "dir/my.txt:2: the phrase \"a b\""),
            ("a\t \n", "dir/my.txt:1: no replacement for a"),
            (
                "a\tb\n\na\tc\n",
                "dir/my.txt:3: a is already listed on line 1",
            ),
        ];
        for (text, expected) in cases {
            let error = parse(text, path).unwrap_err().to_string();
            assert!(error.starts_with(expected), "{text:?}: {error}");
        }
    }

    #[test]
    fn earlier_files_win_and_missing_files_are_named() {
        let tmp = tempfile::tempdir().unwrap();
        let first = tmp.path().join("first.txt");
        let second = tmp.path().join("second.txt");
        std::fs::write(&first, "麥\tA\n").unwrap();
        std::fs::write(&second, "麥\tB\n風\tC\n").unwrap();
        let d = UserDict::load(&[first, second.clone()]).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d.longest_at("麥", 0), Some((3, "A")));
        assert_eq!(d.longest_at("風", 0), Some((3, "C")));
        let missing = tmp.path().join("missing.txt");
        let error = UserDict::load(&[missing]).unwrap_err().to_string();
        assert!(error.contains("missing.txt: cannot read"), "{error}");
    }
}
