//! OpenCC's conversion configurations and the converter that runs them.
//!
//! A configuration is a chain of tables applied one after the other (see
//! `/dicts/NOTICE` and OpenCC's `config/*.json`). Like OpenCC, a multi-stage chain first cuts
//! the text into segments by maximum matching on a phrase dictionary (`TSPhrases` for
//! Traditional → Simplified, `STPhrases` for Simplified → Traditional); each stage then converts
//! every segment on its own, so a later stage never matches a phrase across the edge of a
//! phrase the segmentation found. Single-stage chains need no segmentation (maximum matching
//! with the stage's own phrases gives the same result).

mod file;

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

pub use super::table::{DictError, UserDict};
use super::table::{NeedsNormalizing, Table, TableId};
use crate::text::utf8::changed_chars;
pub use file::{ConfigError, ConfigFile};

/// Where a segment of a chain stands: not yet changed, in a scratch buffer, or written out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Current {
    Original,
    Buffer(usize),
    Out,
}

/// An OpenCC conversion configuration, by its OpenCC name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Config {
    /// Traditional (OpenCC standard) → Simplified.
    T2s,
    /// Simplified → Traditional (OpenCC standard).
    S2t,
    /// Traditional (Taiwan) → Simplified.
    Tw2s,
    /// Traditional (Taiwan) → Simplified, with mainland vocabulary (資料 → 数据).
    Tw2sp,
    /// Traditional (Hong Kong) → Simplified.
    Hk2s,
    /// Traditional (Hong Kong) → Simplified, with mainland vocabulary.
    Hk2sp,
    /// Simplified → Traditional (Taiwan).
    S2tw,
    /// Simplified → Traditional (Taiwan), with Taiwan vocabulary (数据 → 資料).
    S2twp,
    /// Simplified → Traditional (Hong Kong).
    S2hk,
    /// Simplified → Traditional (Hong Kong), with Hong Kong vocabulary.
    S2hkp,
    /// Traditional (OpenCC standard) → Taiwan forms.
    T2tw,
    /// Traditional (OpenCC standard) → Hong Kong forms.
    T2hk,
    /// Taiwan forms → Traditional (OpenCC standard).
    Tw2t,
    /// Hong Kong forms → Traditional (OpenCC standard).
    Hk2t,
    /// Japanese new forms (Shinjitai) → old forms (Kyūjitai), OpenCC's `jp2t`.
    Jp2t,
    /// Traditional (old) forms → Japanese new forms (Shinjitai), OpenCC's `t2jp`.
    T2jp,
}

impl Config {
    pub const ALL: [Config; 16] = [
        Config::T2s,
        Config::S2t,
        Config::Tw2s,
        Config::Tw2sp,
        Config::Hk2s,
        Config::Hk2sp,
        Config::S2tw,
        Config::S2twp,
        Config::S2hk,
        Config::S2hkp,
        Config::T2tw,
        Config::T2hk,
        Config::Tw2t,
        Config::Hk2t,
        Config::Jp2t,
        Config::T2jp,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Config::T2s => "t2s",
            Config::S2t => "s2t",
            Config::Tw2s => "tw2s",
            Config::Tw2sp => "tw2sp",
            Config::Hk2s => "hk2s",
            Config::Hk2sp => "hk2sp",
            Config::S2tw => "s2tw",
            Config::S2twp => "s2twp",
            Config::S2hk => "s2hk",
            Config::S2hkp => "s2hkp",
            Config::T2tw => "t2tw",
            Config::T2hk => "t2hk",
            Config::Tw2t => "tw2t",
            Config::Hk2t => "hk2t",
            Config::Jp2t => "jp2t",
            Config::T2jp => "t2jp",
        }
    }

    /// The segmentation table (for multi-stage chains) and the stages, as in OpenCC's
    /// `config/<name>.json`. `ts` is the Traditional → Simplified table to use.
    fn chain(self, ts: TableId) -> (Option<TableId>, Vec<TableId>) {
        use TableId::*;
        match self {
            Config::T2s => (None, vec![ts]),
            Config::S2t => (None, vec![St]),
            Config::Tw2s => (Some(Ts), vec![TwRev, ts]),
            Config::Tw2sp => (Some(Ts), vec![TwRevP, ts]),
            Config::Hk2s => (Some(Ts), vec![HkRev, ts]),
            Config::Hk2sp => (Some(Ts), vec![HkRevP, ts]),
            Config::S2tw => (Some(St), vec![St, Tw]),
            Config::S2twp => (Some(St), vec![St, TwP]),
            Config::S2hk => (Some(St), vec![St, Hk]),
            Config::S2hkp => (Some(St), vec![St, HkP]),
            Config::T2tw => (None, vec![Tw]),
            Config::T2hk => (None, vec![Hk]),
            Config::Tw2t => (None, vec![TwRev]),
            Config::Hk2t => (None, vec![HkRev]),
            Config::Jp2t => (None, vec![Jp]),
            Config::T2jp => (None, vec![JpRev]),
        }
    }
}

impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A configuration name that is not one of ours (the name as given).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown conversion config '{0}'; expected one of: {names} (a .json suffix is accepted), \
     or the path of an OpenCC config file",
    names = Config::ALL.map(Config::name).join(", ")
)]
pub struct UnknownConfig(pub String);

/// What `-c`/`--config` names: a built-in configuration, or an OpenCC config file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigChoice {
    Builtin(Config),
    File(PathBuf),
}

impl FromStr for ConfigChoice {
    type Err = UnknownConfig;

    /// A value with a path separator is a file; otherwise a built-in name (`t2s`, `t2s.json`,
    /// as `opencc -c` takes them, even when a file of that name is in the current directory:
    /// write `./t2s.json` for that); otherwise a file if one exists by that name.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.contains('/') || s.contains(std::path::MAIN_SEPARATOR) {
            return Ok(ConfigChoice::File(PathBuf::from(s)));
        }
        match s.parse::<Config>() {
            Ok(config) => Ok(ConfigChoice::Builtin(config)),
            Err(_) if Path::new(s).is_file() => Ok(ConfigChoice::File(PathBuf::from(s))),
            Err(e) => Err(e),
        }
    }
}

/// What `clean` converts with besides the gate's choice of built-in configuration: `--config`
/// in its place (a built-in name or a file) and `--dict` consulted first.
#[derive(Clone, Debug, Default)]
pub struct Conversion {
    pub config: Option<Converter>,
    pub dict: Option<Arc<UserDict>>,
}

impl Conversion {
    /// The converter for text the gate would convert with `builtin`.
    pub fn converter(&self, builtin: Config, options: ConvertOptions) -> Converter {
        let converter = match &self.config {
            Some(converter) => converter.clone(),
            None => Converter::new(builtin, options),
        };
        match &self.dict {
            Some(dict) => converter.with_dict(dict.clone()),
            None => converter,
        }
    }
}

impl FromStr for Config {
    type Err = UnknownConfig;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name = s.trim();
        let name = name.strip_suffix(".json").unwrap_or(name);
        Config::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownConfig(s.to_string()))
    }
}

/// Options of a [`Converter`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConvertOptions {
    /// Also use the rare-character mappings (OpenCC's `TSCharactersExt`), whose Simplified
    /// forms many fonts cannot show. Off by default.
    pub rare_chars: bool,
}

/// Converts text with one configuration (built in, or read from an OpenCC config file), and
/// the user's own dictionary if given one. Cheap to create and to clone: the tables are loaded
/// once per process, on first use, and shared.
#[derive(Clone, Debug)]
pub struct Converter {
    /// The built-in configuration, `None` for a config file.
    config: Option<Config>,
    segment_by: Option<TableId>,
    stages: Vec<TableId>,
    /// A chain read from a config file (then `segment_by` and `stages` are unused).
    file: Option<Arc<ConfigFile>>,
    /// `--dict`: consulted before everything else; what it gives is final.
    user: Option<Arc<UserDict>>,
}

impl Converter {
    pub fn new(config: Config, options: ConvertOptions) -> Self {
        let ts = if options.rare_chars {
            TableId::TsExt
        } else {
            TableId::Ts
        };
        let (segment_by, stages) = config.chain(ts);
        Converter {
            config: Some(config),
            segment_by,
            stages,
            file: None,
            user: None,
        }
    }

    /// A converter running the chain of an OpenCC config file.
    pub fn from_file(file: Arc<ConfigFile>) -> Self {
        Converter {
            config: None,
            segment_by: None,
            stages: Vec::new(),
            file: Some(file),
            user: None,
        }
    }

    /// The converter for `-c`/`--config`: a built-in configuration or a config file.
    pub fn for_choice(
        choice: &ConfigChoice,
        options: ConvertOptions,
    ) -> Result<Converter, ConfigError> {
        Ok(match choice {
            ConfigChoice::Builtin(config) => Converter::new(*config, options),
            ConfigChoice::File(path) => {
                Converter::from_file(Arc::new(ConfigFile::load(path, options)?))
            }
        })
    }

    /// This converter with the user's dictionary consulted first (see [`UserDict`]): the
    /// text is cut at the dictionary's phrases (the longest at each position, left to right),
    /// each phrase is written as the dictionary says, and the text between them is converted
    /// as it would be without the dictionary.
    pub fn with_dict(mut self, dict: Arc<UserDict>) -> Self {
        self.user = (!dict.is_empty()).then_some(dict);
        self
    }

    /// The built-in configuration, `None` for a config file.
    pub fn config(&self) -> Option<Config> {
        self.config
    }

    /// The configuration's name (`t2s`), or the config file's path as given.
    pub fn name(&self) -> &str {
        match (&self.file, self.config) {
            (Some(file), _) => file.name(),
            (None, Some(config)) => config.name(),
            (None, None) => "",
        }
    }

    /// Loads the tables now (otherwise the first [`Converter::convert`] does).
    pub fn preload(&self) {
        for id in self.segment_by.iter().chain(&self.stages) {
            id.get();
        }
    }

    /// Converts `text`. Unchanged text comes back borrowed.
    ///
    /// Text may be converted in pieces (a long paragraph cut after punctuation): a phrase never
    /// spans a punctuation mark, so the pieces convert as the whole would.
    pub fn convert<'a>(&self, text: &'a str) -> Cow<'a, str> {
        self.convert_counting(text).0
    }

    /// Converts `text`, and counts the characters that changed (position by position within
    /// each replaced phrase; a phrase replaced by one of another length counts the difference
    /// in length too). Unchanged text comes back borrowed.
    pub fn convert_counting<'a>(&self, text: &'a str) -> (Cow<'a, str>, u64) {
        match &self.user {
            None => self.convert_chain(text),
            Some(user) => self.convert_with_user(user, text),
        }
    }

    /// [`Converter::convert_counting`] by the configuration alone (no user dictionary).
    fn convert_chain<'a>(&self, text: &'a str) -> (Cow<'a, str>, u64) {
        if let Some(file) = &self.file {
            let out = file.convert(text);
            return match changed_chars(text, &out) {
                0 => (Cow::Borrowed(text), 0),
                changed => (Cow::Owned(out), changed),
            };
        }
        let mut out = String::new();
        match self.convert_into(text, &mut out) {
            Ok(0) => (Cow::Borrowed(text), 0),
            Ok(changed) => (Cow::Owned(out), changed),
            Err(NeedsNormalizing) => {
                // Compatibility ideographs are rare: normalize, then convert the result. Only
                // characters the normalization table maps are flagged, and it maps them to
                // unified ideographs, which nothing flags (tested for every code point of the
                // compatibility blocks); were that ever broken, the text is left as it is
                // rather than losing a document to it.
                let mut normalized = String::with_capacity(text.len());
                let converted = TableId::Norm
                    .get()
                    .convert_into(text, &mut normalized, true)
                    .and_then(|_| self.convert_into(&normalized, &mut out));
                if converted.is_err() || out == text {
                    (Cow::Borrowed(text), 0)
                } else {
                    let changed = changed_chars(text, &out);
                    (Cow::Owned(out), changed)
                }
            }
        }
    }

    /// [`Converter::convert_counting`] with the user's dictionary `user`: its phrases as it
    /// gives them, the text between them converted without it.
    fn convert_with_user<'a>(&self, user: &UserDict, text: &'a str) -> (Cow<'a, str>, u64) {
        let mut out = String::new();
        let mut changed = 0;
        user.split(text, |piece, replacement| match replacement {
            Some(replacement) => {
                changed += changed_chars(piece, replacement);
                out.push_str(replacement);
            }
            None => {
                let (converted, count) = self.convert_chain(piece);
                changed += count;
                out.push_str(&converted);
            }
        });
        if changed == 0 {
            (Cow::Borrowed(text), 0)
        } else {
            (Cow::Owned(out), changed)
        }
    }

    /// Converts `text` into `out` (cleared first); returns the characters changed.
    fn convert_into(&self, text: &str, out: &mut String) -> Result<u64, NeedsNormalizing> {
        out.clear();
        match (self.segment_by, self.stages.as_slice()) {
            (None, [stage]) => stage.get().convert_into(text, out, true),
            (None, stages) => {
                // Stages over the whole text, one after the other (no segmentation).
                let mut input = text.to_string();
                let mut changed = false;
                for stage in stages {
                    out.clear();
                    changed |= stage.get().convert_into(&input, out, true)? > 0;
                    std::mem::swap(&mut input, out);
                }
                *out = input;
                Ok(if changed { changed_chars(text, out) } else { 0 })
            }
            (Some(segment_by), stages) => self.convert_segments(text, segment_by, stages, out),
        }
    }

    /// A multi-stage chain, as OpenCC runs one: the text is cut into segments by maximum
    /// matching on `segment_by`, and each stage converts each segment on its own.
    ///
    /// Most stages leave most segments alone (a Taiwan variant table touches a few characters
    /// in a thousand), so a stage first scans the segment and converts only when it holds a
    /// character the stage knows. A stage that uses the segmentation table itself, on a segment
    /// no earlier stage changed, already has its answer: the phrase's output, or (for a run
    /// between phrases, where by construction no phrase starts) the characters mapped one by
    /// one. The last stage writes straight into `out`.
    fn convert_segments(
        &self,
        text: &str,
        segment_by: TableId,
        stages: &[TableId],
        out: &mut String,
    ) -> Result<u64, NeedsNormalizing> {
        let segmenter = segment_by.get();
        let tables: Vec<(&Table, bool)> = stages
            .iter()
            .map(|&id| (id.get(), id == segment_by))
            .collect();
        // Two scratch buffers, reused for every segment.
        let mut buffers = [String::new(), String::new()];
        // A `tw2s`-like chain (variants, then the segmentation table): one pass, which hands
        // over only the segments the variant table touches.
        if let [(pre, false), (last, true)] = tables.as_slice() {
            return last.convert_segmented_after(pre, text, out, |segment, phrase_output, out| {
                convert_segment(&tables, segment, phrase_output, &mut buffers, out)
            });
        }
        let mut total = 0;
        let mut failure = None;
        segmenter.segment(text, |start, end, phrase_output| {
            if failure.is_some() {
                return;
            }
            match convert_segment(&tables, &text[start..end], phrase_output, &mut buffers, out) {
                Ok(changed) => total += changed,
                Err(e) => failure = Some(e),
            }
        });
        match failure {
            Some(e) => Err(e),
            None => Ok(total),
        }
    }
}

/// Converts one segment (`original`; `phrase_output`: the segmentation table's output when
/// the segment is one of its phrases) through every stage of a chain (`tables`, each with
/// whether it is the segmentation table), appending to `out`; returns the characters changed.
/// `buffers` are scratch space, reused from segment to segment.
fn convert_segment(
    tables: &[(&Table, bool)],
    original: &str,
    phrase_output: Option<&str>,
    buffers: &mut [String; 2],
    out: &mut String,
) -> Result<u64, NeedsNormalizing> {
    // The usual case of a `tw2s`-like chain (variants, then the segmentation table): one
    // pass, unless a variant phrase starts in the segment.
    if let [(pre, false), (last, true)] = tables {
        let out_start = out.len();
        if let Some(changed) = last.convert_after_chars_into(pre, original, out) {
            return Ok(match phrase_output {
                None => changed,
                // Both stages change a phrase the variant table acts on (it maps some
                // character, one to one), so the stage-by-stage count would compare the whole.
                Some(_) => changed_chars(original, &out[out_start..]),
            });
        }
    }
    let out_start = out.len();
    // Which buffer holds the segment as converted so far.
    let mut current = Current::Original;
    // The characters changed by the one stage that changed the segment; `None` once a
    // second stage changes it too (then the segment is compared as a whole).
    let mut changed: Option<u64> = Some(0);
    for (k, &(table, is_segmenter)) in tables.iter().enumerate() {
        let pristine = current == Current::Original;
        let [first, second] = &mut *buffers;
        let (input, spare): (&str, &mut String) = match current {
            Current::Original => (original, first),
            Current::Buffer(0) => (first.as_str(), second),
            _ => (second.as_str(), first),
        };
        let known = pristine && is_segmenter;
        if !known && !table.touches(input) {
            continue;
        }
        let last = k + 1 == tables.len();
        let output = if last { &mut *out } else { spare };
        if !last {
            output.clear();
        }
        let count = match (known, phrase_output) {
            (true, Some(phrase)) => {
                output.push_str(phrase);
                if phrase == input {
                    0
                } else {
                    changed_chars(input, phrase)
                }
            }
            (true, None) => table.convert_into(input, output, false)?,
            (false, _) => table.convert_into(input, output, true)?,
        };
        if count > 0 {
            changed = if changed == Some(0) {
                Some(count)
            } else {
                None
            };
        }
        current = match current {
            _ if last => Current::Out,
            Current::Original | Current::Buffer(1) => Current::Buffer(0),
            _ => Current::Buffer(1),
        };
    }
    match current {
        Current::Out => {}
        Current::Original => out.push_str(original),
        Current::Buffer(b) => out.push_str(&buffers[b]),
    }
    Ok(match changed {
        Some(count) => count,
        None => changed_chars(original, &out[out_start..]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OpenCC's chain, done the plain way: segments by maximum matching, then every stage
    /// converts every segment with its phrases. The fast paths must agree with it, and count
    /// the characters changed segment by segment.
    /// Also says whether every segment kept its length in characters and no compatibility
    /// ideograph was normalized (the count is then of the normalized text).
    fn reference(converter: &Converter, text: &str) -> (String, u64, bool) {
        let Some(segment_by) = converter.segment_by else {
            unreachable!("only chains are compared");
        };
        let mut normalized = String::new();
        TableId::Norm
            .get()
            .convert_into(text, &mut normalized, true)
            .unwrap();
        let original = text;
        let text = normalized.as_str();
        let mut segments = Vec::new();
        segment_by
            .get()
            .segment(text, |start, end, _| segments.push(&text[start..end]));
        let mut out = String::new();
        let mut changed = 0;
        let mut same_lengths = text == original;
        for segment in segments {
            let mut current = segment.to_string();
            for stage in &converter.stages {
                let mut next = String::new();
                stage.get().convert_into(&current, &mut next, true).unwrap();
                current = next;
            }
            changed += changed_chars(segment, &current);
            same_lengths &= segment.chars().count() == current.chars().count();
            out.push_str(&current);
        }
        (out, changed, same_lengths)
    }

    fn texts() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
            .filter_map(|bytes| String::from_utf8(bytes).ok())
            .flat_map(|text| text.lines().map(str::to_string).collect::<Vec<_>>())
            .collect();
        let cases = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/convert/testcases.json"
        ))
        .unwrap();
        // Every quoted string of the OpenCC test cases: inputs and expected outputs of every
        // script and region, full of the phrases the tables are about.
        texts.extend(cases.split('"').skip(1).step_by(2).map(str::to_string));
        texts.extend(
            [
                "人才參與參加參與率著作為什麼",
                "才幹參差不齊，核准針對",
                "一目瞭然的乾燥",
                "例\u{F9B5}為裡",
                "因為人才，所以為了人民。為什麼",
                "床裡面，峰迴路轉，人才輩出；參與者1234個。",
                "",
                "a",
            ]
            .map(str::to_string),
        );
        texts
    }

    #[test]
    fn chains_agree_with_the_plain_way_and_count_what_changed() {
        let texts = texts();
        assert!(texts.len() > 500, "{} texts", texts.len());
        for config in Config::ALL {
            let converter = Converter::new(config, ConvertOptions::default());
            if converter.segment_by.is_none() {
                continue;
            }
            for text in &texts {
                let (expected, expected_changed, same_lengths) = reference(&converter, text);
                let (actual, changed) = converter.convert_counting(text);
                assert_eq!(actual, expected, "{config} {text}");
                // Where a phrase changes length, "changed" is counted near it rather than to
                // the end of the segment: compare only conversions that keep the lengths, and
                // leave out the vocabulary configurations, whose phrases often change length.
                if same_lengths && !config.name().ends_with('p') {
                    assert_eq!(changed, expected_changed, "{config} {text}");
                }
                assert_eq!(changed == 0, actual == text.as_str(), "{config} {text}");
            }
        }
    }
}
