//! OpenCC config files (`convert -c path/to/my.json`), read with OpenCC's schema:
//!
//! ```text
//! { "name": "…",
//!   "normalization": [ { "dict": DICT } ],            // optional, run over the whole text first
//!   "segmentation": { "type": "mmseg", "dict": DICT }, // optional
//!   "conversion_chain": [ { "dict": DICT }, … ] }
//! DICT: { "type": "text",   "file": "mine.txt" }
//!     | { "type": "ocd2",   "file": "TSPhrases.ocd2" }
//!     | { "type": "group",  "dicts": [ DICT, … ] }
//!     | { "type": "inline", "entries": { "麥旋風": "冰炫风" } }
//! ```
//!
//! A `text` file is read relative to the config file. The name of one of OpenCC's own
//! dictionaries (`TSPhrases.txt`, `TSPhrases.ocd2`) that is not such a file means the compiled
//! one; OpenCC's binary `.ocd2` format itself is not read. The compiled dictionaries are merged
//! in the groups OpenCC's configs use them in (`TSPhrases` + `TSCharacters`), so a run of
//! built-in names in a group must be one of those groups (or a phrase dictionary alone), as in
//! OpenCC's own configs. The file may hold `//` and `/* */` comments and trailing commas, as
//! OpenCC accepts them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use super::super::table::{parse_user_dict, DictError, Group, Layer, TableId, UserDict};
use super::ConvertOptions;

/// A conversion chain read from an OpenCC config file.
#[derive(Debug)]
pub struct ConfigFile {
    /// The path as given, to name the configuration.
    name: String,
    normalization: Vec<Group>,
    segmentation: Option<Group>,
    chain: Vec<Group>,
}

/// A config file that cannot be used. Each says the file, and where it can, the line and column.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read the config file: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    At {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(transparent)]
    Dict(#[from] DictError),
}

#[derive(Deserialize)]
struct RawConfig {
    #[serde(default)]
    normalization: Vec<RawStep>,
    segmentation: Option<RawStep>,
    conversion_chain: Vec<RawStep>,
}

/// A step: `{"dict": …}` (a segmentation step also has `"type": "mmseg"`, the only kind).
#[derive(Deserialize)]
struct RawStep {
    dict: RawDict,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum RawDict {
    Text {
        file: String,
    },
    #[serde(alias = "ocd")]
    Ocd2 {
        file: String,
    },
    Group {
        dicts: Vec<RawDict>,
    },
    Inline {
        entries: BTreeMap<String, InlineTarget>,
    },
}

/// An inline entry's replacement: a string, or a list whose first item is taken.
#[derive(Deserialize)]
#[serde(untagged)]
enum InlineTarget {
    One(String),
    Many(Vec<String>),
}

/// The compiled tables, by the OpenCC dictionaries each merges (in OpenCC's priority order).
const GROUPS: &[(&[&str], TableId)] = &[
    (&["CJK_Compatibility_Ideographs"], TableId::Norm),
    (&["TSPhrases", "TSCharacters"], TableId::Ts),
    (
        &["TSPhrases", "TSCharactersExt", "TSCharacters"],
        TableId::Ts,
    ),
    (&["TWVariantsRevPhrases", "TWVariantsRev"], TableId::TwRev),
    (
        &["TWPhrasesRev", "TWVariantsRevPhrases", "TWVariantsRev"],
        TableId::TwRevP,
    ),
    (&["HKVariantsRevPhrases", "HKVariantsRev"], TableId::HkRev),
    (
        &["HKPhrasesRev", "HKVariantsRevPhrases", "HKVariantsRev"],
        TableId::HkRevP,
    ),
    (
        &[
            "STPhrases",
            "STPhrases_GeneratedFromRegionalPhrases",
            "STCharacters",
        ],
        TableId::St,
    ),
    (&["STPhrases", "STCharacters"], TableId::St),
    (&["TWVariantsPhrases", "TWVariants"], TableId::Tw),
    (
        &["TWPhrases", "TWVariantsPhrases", "TWVariants"],
        TableId::TwP,
    ),
    (&["HKVariantsPhrases", "HKVariants"], TableId::Hk),
    (
        &["HKPhrases", "HKVariantsPhrases", "HKVariants"],
        TableId::HkP,
    ),
    (
        &["JPShinjitaiPhrases", "JPShinjitaiCharacters"],
        TableId::Jp,
    ),
    (&["JPShinjitaiCharactersRev"], TableId::JpRev),
];

/// Phrase dictionaries that may stand alone (for segmentation, above all): the phrases of a
/// compiled table without its characters.
const PHRASES: &[(&[&str], TableId)] = &[
    (&["TSPhrases"], TableId::Ts),
    (&["STPhrases"], TableId::St),
    (
        &["STPhrases", "STPhrases_GeneratedFromRegionalPhrases"],
        TableId::St,
    ),
];

/// The OpenCC name of a built-in dictionary file name (`TSPhrases.ocd2` → `TSPhrases`).
fn builtin_name(file: &str) -> Option<&'static str> {
    let stem = [".txt", ".ocd2", ".ocd"]
        .iter()
        .find_map(|ext| file.strip_suffix(ext))
        .unwrap_or(file);
    GROUPS
        .iter()
        .chain(PHRASES)
        .flat_map(|(names, _)| names.iter())
        .find(|name| **name == stem)
        .copied()
}

/// One dictionary of a group, flattened: a built-in one (by name, with the file name as
/// written, for errors), or one read here.
enum Item {
    Builtin { name: &'static str, file: String },
    User(Arc<UserDict>),
}

struct Reader<'a> {
    path: &'a Path,
    text: &'a str,
    options: ConvertOptions,
}

impl ConfigFile {
    /// Reads the config file at `path` (dictionary files are read relative to its directory).
    pub fn load(path: &Path, options: ConvertOptions) -> Result<ConfigFile, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        ConfigFile::parse(&text, path, options)
    }

    /// Reads a config file's `text`; `path` names it in errors and anchors relative files.
    pub fn parse(
        text: &str,
        path: &Path,
        options: ConvertOptions,
    ) -> Result<ConfigFile, ConfigError> {
        let reader = Reader {
            path,
            text,
            options,
        };
        let relaxed = relaxed_json(text);
        let raw: RawConfig = serde_json::from_str(&relaxed).map_err(|e| {
            let column = char_column(&relaxed, e.line(), e.column());
            reader.error_at(e.line(), column, strip_position(&e.to_string()))
        })?;
        let groups = |steps: Vec<RawStep>| -> Result<Vec<Group>, ConfigError> {
            steps
                .into_iter()
                .map(|step| reader.group(step.dict))
                .collect()
        };
        Ok(ConfigFile {
            name: path.display().to_string(),
            normalization: groups(raw.normalization)?,
            segmentation: raw
                .segmentation
                .map(|step| reader.group(step.dict))
                .transpose()?,
            chain: groups(raw.conversion_chain)?,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Converts `text`: normalization over the whole, then each segment through the chain.
    pub(crate) fn convert(&self, text: &str) -> String {
        let mut text = text.to_string();
        for group in &self.normalization {
            let mut next = String::with_capacity(text.len());
            group.convert_into(&text, &mut next);
            text = next;
        }
        let mut out = String::with_capacity(text.len());
        let mut convert_piece = |piece: &str| {
            let mut current = piece.to_string();
            for group in &self.chain {
                let mut next = String::with_capacity(current.len());
                group.convert_into(&current, &mut next);
                current = next;
            }
            out.push_str(&current);
        };
        match &self.segmentation {
            Some(segmentation) => segmentation.segment(&text, convert_piece),
            None => convert_piece(&text),
        }
        out
    }
}

impl Reader<'_> {
    fn error_at(&self, line: usize, column: usize, message: String) -> ConfigError {
        ConfigError::At {
            path: self.path.to_path_buf(),
            line,
            column,
            message,
        }
    }

    /// An error about the file name `file` of a dictionary, placed where the config names it.
    fn error_for(&self, file: &str, message: String) -> ConfigError {
        let quoted = serde_json::to_string(file).unwrap_or_else(|_| format!("\"{file}\""));
        let (line, column) = match self.text.find(&quoted) {
            Some(at) => position(self.text, at),
            None => (1, 1),
        };
        self.error_at(line, column, message)
    }

    /// One step's dictionary as a group of layers.
    fn group(&self, dict: RawDict) -> Result<Group, ConfigError> {
        let mut items = Vec::new();
        self.flatten(dict, &mut items)?;
        let mut layers = Vec::new();
        let mut k = 0;
        while k < items.len() {
            if let Item::User(dict) = &items[k] {
                layers.push(Layer::User(dict.clone()));
                k += 1;
                continue;
            }
            let run: Vec<(&'static str, &str)> = items[k..]
                .iter()
                .map_while(|item| match item {
                    Item::Builtin { name, file } => Some((*name, file.as_str())),
                    Item::User(_) => None,
                })
                .collect();
            k += run.len();
            let names: Vec<&str> = run.iter().map(|(name, _)| *name).collect();
            layers.push(self.builtin_layer(&names, run[0].1)?);
        }
        Ok(Group(layers))
    }

    /// The compiled table of a run of built-in dictionaries of a group.
    fn builtin_layer(&self, names: &[&str], file: &str) -> Result<Layer, ConfigError> {
        let find = |list: &[(&[&str], TableId)]| {
            list.iter()
                .find(|(group, _)| *group == names)
                .map(|&(_, id)| id)
        };
        if let Some(mut id) = find(GROUPS) {
            if id == TableId::Ts && self.options.rare_chars && names.contains(&"TSCharactersExt") {
                id = TableId::TsExt;
            }
            return Ok(Layer::Table { id, chars: true });
        }
        if let Some(id) = find(PHRASES) {
            return Ok(Layer::Table { id, chars: false });
        }
        let known: Vec<String> = GROUPS.iter().map(|(g, _)| g.join(" + ")).collect();
        Err(self.error_for(
            file,
            format!(
                "the built-in dictionaries {} are compiled only in the groups of OpenCC's own \
                 configs: {}; or TSPhrases or STPhrases alone",
                names.join(" + "),
                known.join(", ")
            ),
        ))
    }

    fn flatten(&self, dict: RawDict, items: &mut Vec<Item>) -> Result<(), ConfigError> {
        match dict {
            RawDict::Group { dicts } => {
                for dict in dicts {
                    self.flatten(dict, items)?;
                }
            }
            RawDict::Inline { entries } => {
                let pairs = entries.into_iter().filter_map(|(key, target)| {
                    let target = match target {
                        InlineTarget::One(target) => target,
                        InlineTarget::Many(targets) => targets.into_iter().next()?,
                    };
                    Some((key, target))
                });
                items.push(Item::User(Arc::new(UserDict::from_pairs(pairs))));
            }
            RawDict::Text { file } => {
                let path = self.relative(&file);
                if path.is_file() {
                    let text =
                        std::fs::read_to_string(&path).map_err(|source| DictError::Read {
                            path: path.clone(),
                            source,
                        })?;
                    let pairs = parse_user_dict(&text, &path)?;
                    items.push(Item::User(Arc::new(UserDict::from_pairs(pairs))));
                } else if let Some(name) = builtin_name(&file) {
                    items.push(Item::Builtin { name, file });
                } else {
                    return Err(self.error_for(
                        &file,
                        format!("dictionary file not found: {}", path.display()),
                    ));
                }
            }
            RawDict::Ocd2 { file } => match builtin_name(&file) {
                Some(name) => items.push(Item::Builtin { name, file }),
                None if self.relative(&file).is_file() => {
                    return Err(self.error_for(
                        &file,
                        format!(
                            "{file}: OpenCC's binary dictionary format is not read; give the \
                             dictionary as text (\"type\": \"text\")"
                        ),
                    ))
                }
                None => {
                    return Err(self.error_for(
                        &file,
                        format!(
                            "dictionary file not found: {} (and not one of OpenCC's own)",
                            self.relative(&file).display()
                        ),
                    ))
                }
            },
        }
        Ok(())
    }

    fn relative(&self, file: &str) -> PathBuf {
        match self.path.parent() {
            Some(dir) => dir.join(file),
            None => PathBuf::from(file),
        }
    }
}

/// `text` with its comments (`//` to the end of the line, `/* … */`) and trailing commas (a
/// comma before `}` or `]`) each blanked to spaces, character for character, so that every
/// other character keeps its line and column for the JSON parser's errors.
fn relaxed_json(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = chars.clone();
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        match chars[i] {
            '"' => {
                // Skip the string, escapes included.
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
            }
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    out[i] = ' ';
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                let end = (i + 2..chars.len().saturating_sub(1))
                    .find(|&j| chars[j] == '*' && chars[j + 1] == '/')
                    .map_or(chars.len(), |j| j + 2);
                for j in i..end {
                    out[j] = blank(chars[j]);
                }
                i = end;
            }
            ',' => {
                // Trailing when what follows, past whitespace and comments, closes.
                if matches!(next_significant(&chars, i + 1), Some('}' | ']')) {
                    out[i] = ' ';
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out.into_iter().collect()
}

/// The first character from `from` on that is neither whitespace nor in a comment.
fn next_significant(chars: &[char], from: usize) -> Option<char> {
    let mut j = from;
    loop {
        match (chars.get(j), chars.get(j + 1)) {
            (Some(c), _) if c.is_whitespace() => j += 1,
            (Some('/'), Some('/')) => {
                while j < chars.len() && chars[j] != '\n' {
                    j += 1;
                }
            }
            (Some('/'), Some('*')) => {
                j = (j + 2..chars.len().saturating_sub(1))
                    .find(|&k| chars[k] == '*' && chars[k + 1] == '/')
                    .map_or(chars.len(), |k| k + 2);
            }
            (c, _) => return c.copied(),
        }
    }
}

/// The 1-based line and character column of byte `at` of `text`.
fn position(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |k| k + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// serde_json's column (bytes into the line) as a character column.
fn char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(line_text) = text.split('\n').nth(line.saturating_sub(1)) else {
        return byte_column;
    };
    let mut end = byte_column.min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end -= 1;
    }
    line_text[..end].chars().count().max(1)
}

/// serde_json's message without its " at line L column C" (the error says it its own way).
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests;
