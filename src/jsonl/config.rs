//! What a JSONL run is: which field of each record is the document, and whether each record
//! says what cleaning did to it. A leaf module, so that the run configuration can hold it.

use std::fmt;

/// The field to clean, as a path of keys from the top-level object (`--field meta.body` is
/// `["meta", "body"]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPath(Vec<String>);

/// A `--field` that names no field (`""`, `a..b`, `.a`).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("--field {0:?}: give a field name, or names joined by dots for a nested field (text, meta.body)")]
pub struct BadFieldPath(pub String);

impl FieldPath {
    /// Parses `a.b.c`: keys joined by dots, none empty.
    pub fn parse(path: &str) -> Result<Self, BadFieldPath> {
        let keys: Vec<String> = path.split('.').map(str::to_string).collect();
        if keys.iter().any(String::is_empty) {
            return Err(BadFieldPath(path.to_string()));
        }
        Ok(FieldPath(keys))
    }

    pub fn keys(&self) -> &[String] {
        &self.0
    }
}

impl Default for FieldPath {
    /// `text`, the field most corpora keep their documents in.
    fn default() -> Self {
        FieldPath(vec!["text".to_string()])
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

/// How a run reads its inputs as JSONL records (`zhclean clean --jsonl`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonlConfig {
    /// The field cleaned in each record.
    pub field: FieldPath,
    /// `--report-field NAME`: add what cleaning did to each record under this top-level key.
    pub report_field: Option<String>,
}
