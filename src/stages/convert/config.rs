//! OpenCC's conversion configurations and the converter that runs them.
//!
//! A configuration is a chain of tables applied one after the other (see
//! `/dicts/NOTICE` and OpenCC's `config/*.json`). Like OpenCC, a multi-stage chain first cuts
//! the text into segments by maximum matching on a phrase dictionary (`TSPhrases` for
//! Traditional → Simplified, `STPhrases` for Simplified → Traditional); each stage then converts
//! every segment on its own, so a later stage never matches a phrase across the edge of a
//! phrase the segmentation found. Single-stage chains need no segmentation (maximum matching
//! with the stage's own phrases gives the same result).

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use super::table::{NeedsNormalizing, Table, TableId};
use crate::text::utf8::changed_chars;

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
    /// Traditional (OpenCC standard) → Taiwan forms.
    T2tw,
    /// Traditional (OpenCC standard) → Hong Kong forms.
    T2hk,
    /// Taiwan forms → Traditional (OpenCC standard).
    Tw2t,
    /// Hong Kong forms → Traditional (OpenCC standard).
    Hk2t,
}

impl Config {
    pub const ALL: [Config; 13] = [
        Config::T2s,
        Config::S2t,
        Config::Tw2s,
        Config::Tw2sp,
        Config::Hk2s,
        Config::Hk2sp,
        Config::S2tw,
        Config::S2twp,
        Config::S2hk,
        Config::T2tw,
        Config::T2hk,
        Config::Tw2t,
        Config::Hk2t,
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
            Config::T2tw => "t2tw",
            Config::T2hk => "t2hk",
            Config::Tw2t => "tw2t",
            Config::Hk2t => "hk2t",
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
            Config::T2tw => (None, vec![Tw]),
            Config::T2hk => (None, vec![Hk]),
            Config::Tw2t => (None, vec![TwRev]),
            Config::Hk2t => (None, vec![HkRev]),
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
    "unknown conversion config '{0}'; expected one of: {names} (a .json suffix is accepted)",
    names = Config::ALL.map(Config::name).join(", ")
)]
pub struct UnknownConfig(pub String);

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

/// Converts text with one configuration. Cheap to create: the tables are loaded once per
/// process, on first use, and shared.
#[derive(Clone, Debug)]
pub struct Converter {
    config: Config,
    segment_by: Option<TableId>,
    stages: Vec<TableId>,
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
            config,
            segment_by,
            stages,
        }
    }

    pub fn config(&self) -> Config {
        self.config
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
