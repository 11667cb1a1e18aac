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
use std::sync::OnceLock;

use super::table::Table;

/// The compiled tables, each loaded on first use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TableId {
    Norm,
    Ts,
    TsExt,
    TwRev,
    TwRevP,
    HkRev,
    HkRevP,
    St,
    Tw,
    TwP,
    Hk,
}

macro_rules! blob {
    ($name:literal) => {
        include_bytes!(concat!(env!("OUT_DIR"), "/", $name, ".bin"))
    };
}

const TABLE_COUNT: usize = 11;
static TABLES: [OnceLock<Table>; TABLE_COUNT] = [const { OnceLock::new() }; TABLE_COUNT];

impl TableId {
    fn blob(self) -> &'static [u8] {
        match self {
            TableId::Norm => blob!("norm"),
            TableId::Ts => blob!("ts"),
            TableId::TsExt => blob!("ts_ext"),
            TableId::TwRev => blob!("tw_rev"),
            TableId::TwRevP => blob!("tw_rev_p"),
            TableId::HkRev => blob!("hk_rev"),
            TableId::HkRevP => blob!("hk_rev_p"),
            TableId::St => blob!("st"),
            TableId::Tw => blob!("tw"),
            TableId::TwP => blob!("tw_p"),
            TableId::Hk => blob!("hk"),
        }
    }

    pub(crate) fn get(self) -> &'static Table {
        TABLES[self as usize].get_or_init(|| Table::from_blob(self.blob()))
    }
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

/// A configuration name that is not one of ours.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownConfig(pub String);

impl fmt::Display for UnknownConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Config::ALL.iter().map(|c| c.name()).collect();
        write!(
            f,
            "unknown conversion config '{}'; expected one of: {} (a .json suffix is accepted)",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownConfig {}

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
        let normalized = if has_compatibility_ideograph(text) {
            let mut out = String::with_capacity(text.len());
            TableId::Norm.get().convert_into(text, &mut out);
            Cow::Owned(out)
        } else {
            Cow::Borrowed(text)
        };
        let converted = self.convert_normalized(&normalized);
        if converted == text {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(converted)
        }
    }

    fn convert_normalized(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let Some(segment_by) = self.segment_by else {
            // One stage, or stages over the whole text (no segmentation).
            let mut input = Cow::Borrowed(text);
            for (i, stage) in self.stages.iter().enumerate() {
                if i > 0 {
                    input = Cow::Owned(std::mem::take(&mut out));
                    out.reserve(input.len());
                }
                stage.get().convert_into(&input, &mut out);
            }
            return out;
        };
        // Segment boundaries: the edges of each phrase the segmentation table finds.
        let mut bounds: Vec<usize> = Vec::new();
        for (start, end) in segment_by.get().phrase_spans(text) {
            if bounds.last() != Some(&start) {
                bounds.push(start);
            }
            bounds.push(end);
        }
        if bounds.last() != Some(&text.len()) {
            bounds.push(text.len());
        }
        let mut input = text.to_string();
        let mut next_bounds = Vec::with_capacity(bounds.len());
        for stage in &self.stages {
            let table = stage.get();
            out.clear();
            next_bounds.clear();
            let mut start = 0;
            for &end in &bounds {
                if end > start {
                    table.convert_into(&input[start..end], &mut out);
                    next_bounds.push(out.len());
                }
                start = end;
            }
            std::mem::swap(&mut input, &mut out);
            std::mem::swap(&mut bounds, &mut next_bounds);
        }
        input
    }
}

/// CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F), which OpenCC maps to their
/// unified forms before converting. Checked on bytes: EF A4..AB xx and F0 AF A0..A8 xx.
fn has_compatibility_ideograph(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| (w[0] == 0xEF && (0xA4..=0xAB).contains(&w[1])) || (w[0] == 0xF0 && w[1] == 0xAF))
}
