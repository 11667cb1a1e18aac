//! Stage 4, convert: Traditional ⇄ Simplified by phrase dictionaries, behind a per-paragraph
//! script gate so text already in the target script passes through byte for byte.
//!
//! - [`Converter`] runs one OpenCC configuration ([`Config`]: `t2s`, `tw2s`, `s2twp`, …) on any
//!   text: this is `zhclean convert`.
//! - [`ConvertStage`] is the `clean` stage: each paragraph (each [`Line`] reaching the stage) is
//!   classified by its characters ([`Evidence`], [`Script`]) and converted only when it is in
//!   the other script; everything else passes through unchanged, without a copy. Converting to
//!   Simplified, it then writes 著 as 着 where it is the particle or a verb (the `zhe` module),
//!   whatever the regional standard of the source: this is where `clean` is better than
//!   OpenCC's `t2s`, which `Converter` stays byte-compatible with.
//!
//! Japanese and Korean paragraphs are never converted by `clean`, whatever their Han characters
//! show (`crate::text::language`): `東京都の會議` is Japanese, not Traditional Chinese. Only
//! `zhclean convert`, with a configuration chosen by the user, converts whatever it is given.
//!
//! A piece of an overlong paragraph (`Line::open`) is gated and converted on its own. The
//! pipeline cuts such paragraphs just after punctuation, and no dictionary phrase contains
//! punctuation, so no phrase straddles the cut.

mod config;
mod gate;
mod table;
mod zhe;

pub use config::{
    Config, ConfigChoice, ConfigError, ConfigFile, Conversion, ConvertOptions, Converter,
    DictError, UnknownConfig, UserDict,
};
pub use gate::{Evidence, Script};

use std::collections::VecDeque;

use crate::report::{Counts, Facts, Measure};
use crate::rules::{Rule, RuleSet};
use crate::stages::{map_line, one_for_one_push, Line, LineStage};
use crate::text::language::{Language, DOCUMENT_SHARE_PERCENT};

/// The script (and regional standard) that `clean` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// Simplified Chinese (mainland standard).
    #[default]
    Simplified,
    /// Traditional Chinese (OpenCC standard forms).
    Traditional,
    /// Traditional Chinese, Taiwan standard.
    Tw,
    /// Traditional Chinese, Hong Kong standard.
    Hk,
}

/// When `clean` converts script.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConvertMode {
    /// Convert only paragraphs whose characters show they are in the other script.
    #[default]
    Auto,
    /// Run every paragraph through the converter, except those whose characters show the
    /// target script and none of the other (see [`in_target_script`]).
    Always,
    /// Never convert.
    Never,
}

impl Target {
    /// The configuration that converts text of the other script into this target. For
    /// Simplified, the regional standard of the source decides (Taiwan and Hong Kong forms
    /// need their variant tables first, as OpenCC's `tw2s` / `hk2s`); regional vocabulary is
    /// never swapped (that is what the `p` configurations of `zhclean convert` are for).
    fn config(self, source: Source) -> Config {
        match self {
            Target::Simplified => match source {
                Source::Standard => Config::T2s,
                Source::Taiwan => Config::Tw2s,
                Source::HongKong => Config::Hk2s,
            },
            Target::Traditional => Config::S2t,
            Target::Tw => Config::S2tw,
            Target::Hk => Config::S2hk,
        }
    }

    fn is_simplified(self) -> bool {
        self == Target::Simplified
    }

    /// The script that text converted to this target is written in.
    fn other_script(self) -> Script {
        if self.is_simplified() {
            Script::Traditional
        } else {
            Script::Simplified
        }
    }
}

/// The regional standard a Traditional text follows, from its Taiwan and Hong Kong forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Standard,
    Taiwan,
    HongKong,
}

impl Source {
    fn of(evidence: &Evidence) -> Source {
        if evidence.hong_kong > evidence.taiwan {
            Source::HongKong
        } else if evidence.taiwan > 0 {
            Source::Taiwan
        } else {
            Source::Standard
        }
    }

    fn name(self) -> &'static str {
        match self {
            Source::Standard => "standard",
            Source::Taiwan => "tw",
            Source::HongKong => "hk",
        }
    }
}

/// Should a paragraph with this evidence be converted to `target`? Only when it shows the
/// other script, and more of it than of the target script: a Simplified paragraph quoting a
/// Traditional title is left as written.
pub fn needs_conversion(evidence: &Evidence, target: Target) -> bool {
    let (other, own) = if target.is_simplified() {
        (evidence.traditional, evidence.simplified)
    } else {
        (evidence.simplified, evidence.traditional)
    };
    other > 0 && other >= own
}

/// Is a paragraph with this evidence already in `target`'s script: characters of that script
/// only, none of the other? Such a paragraph is never converted, even by `--convert always`.
/// A converter applies its phrases to whatever it is given, and its phrase keys are in the
/// other script: run over text already converted, its longest match can start elsewhere and
/// pick a phrase the source never had (`见面人` → `見面人`, then `見面人` → `見麪人` through
/// `面人`; `關了解` → `關瞭解`). Leaving such text alone keeps `clean(clean(x)) == clean(x)`;
/// paragraphs of shared characters only (`以后`) and mixed ones are still converted.
pub fn in_target_script(evidence: &Evidence, target: Target) -> bool {
    let (other, own) = if target.is_simplified() {
        (evidence.traditional, evidence.simplified)
    } else {
        (evidence.simplified, evidence.traditional)
    };
    own > 0 && other == 0
}

/// The convert stage of the pipeline (rule `convert-script`). Counts, under `convert-script`,
/// the paragraphs it converted, and under `convert-script-chars` the characters that changed.
pub struct ConvertStage {
    enabled: bool,
    target: Target,
    mode: ConvertMode,
    /// Chosen from the document's first batch (or, when that shows no regional forms, from the
    /// first paragraph that needs converting).
    converter: Option<Converter>,
    /// `--config` and `--dict`: what the converter is made of besides the gate's choice.
    conversion: Conversion,
    /// The document's language, from its first batch: a paragraph without kana or Hangul of
    /// its own follows it.
    document: Language,
    /// What `prepare` counted in each line of the first batch, in order, with the line's
    /// length: whether the line shows the other script or a kana or Hangul letter (the gate's
    /// question, `Evidence::any_only_in_or_letters`). Those lines are the next the stage takes
    /// (`LineStage::prepare`), and their gate is answered from it rather than by scanning them
    /// again: in a document of a few batches the first is a large part of it, and the gate's
    /// scan was most of the stage. Sixteen bytes a line: a first batch is bounded by its bytes
    /// of text, not by its lines.
    first_batch: VecDeque<(usize, bool)>,
    /// The evidence of the lines of `first_batch` that show either, in order: the counts the
    /// stage takes a closer look with.
    first_batch_evidence: VecDeque<Evidence>,
}

/// What the stage knows of a line from its first batch.
enum Counted {
    /// Not a line of the first batch (or not as it was shown).
    Not,
    /// Neither the other script nor a kana or Hangul letter.
    Clear,
    /// One of them: the line's evidence.
    Evidence(Evidence),
}

impl ConvertStage {
    pub fn new(rules: &RuleSet, target: Target, mode: ConvertMode) -> Self {
        ConvertStage {
            enabled: rules.is_on(Rule::ConvertScript) && mode != ConvertMode::Never,
            target,
            mode,
            converter: None,
            conversion: Conversion::default(),
            document: Language::Chinese,
            first_batch: VecDeque::new(),
            first_batch_evidence: VecDeque::new(),
        }
    }

    /// Converts with `conversion` (`--config`, `--dict`); the gate still decides what converts.
    pub fn with_conversion(mut self, conversion: Conversion) -> Self {
        self.conversion = conversion;
        self
    }

    fn converter_for(&mut self, evidence: &Evidence) -> &Converter {
        let config = self.target.config(Source::of(evidence));
        let conversion = &self.conversion;
        self.converter
            .get_or_insert_with(|| conversion.converter(config, ConvertOptions::default()))
    }

    /// What `prepare` counted of `line`, when `line` is the next line of the first batch. A
    /// line of another length means the lines are not the batch's (a caller that pushes other
    /// lines than it showed): the rest is forgotten, and counted afresh.
    fn counted_in_first_batch(&mut self, line: &Line) -> Counted {
        let Some((len, shows_either)) = self.first_batch.pop_front() else {
            return Counted::Not;
        };
        if len != line.text.len() {
            self.first_batch.clear();
            self.first_batch_evidence.clear();
            return Counted::Not;
        }
        if !shows_either {
            debug_assert!(
                !Evidence::any_only_in_or_letters(&line.text, self.target.other_script()),
                "{:?}",
                line.text
            );
            return Counted::Clear;
        }
        match self.first_batch_evidence.pop_front() {
            Some(evidence) => {
                debug_assert_eq!(evidence, Evidence::of(&line.text), "{:?}", line.text);
                Counted::Evidence(evidence)
            }
            None => Counted::Not,
        }
    }

    /// Whether `evidence` shows the other script than the target's or a kana or Hangul letter:
    /// what `Evidence::any_only_in_or_letters(text, self.target.other_script())` answers of its
    /// text.
    fn shows_other_script_or_letters(&self, evidence: &Evidence) -> bool {
        self.shows_other_script(evidence) || evidence.kana + evidence.hangul > 0
    }

    /// Whether evidence of the other script than the target's is in `evidence`: what
    /// `Evidence::any_only_in(text, self.target.other_script())` answers of its text.
    fn shows_other_script(&self, evidence: &Evidence) -> bool {
        if self.target.is_simplified() {
            evidence.traditional > 0
        } else {
            evidence.simplified > 0
        }
    }
}

impl LineStage for ConvertStage {
    fn prepare(&mut self, first_batch: &[Line], facts: &mut Facts) {
        // One pass over the batch: the script evidence carries the letters that tell the
        // language, of each paragraph and of the document.
        let mut document = Evidence::default();
        let mut others = [(Language::Japanese, 0), (Language::Korean, 0)];
        self.first_batch.clear();
        self.first_batch_evidence.clear();
        if self.enabled {
            self.first_batch.reserve(first_batch.len());
        }
        for line in first_batch {
            let evidence = Evidence::of(&line.text);
            if self.enabled {
                let shows_either = self.shows_other_script_or_letters(&evidence);
                self.first_batch.push_back((line.text.len(), shows_either));
                if shows_either {
                    self.first_batch_evidence.push_back(evidence);
                }
            }
            let language = Language::of_letters(&evidence.letters(), Language::Chinese);
            if let Some(other) = others.iter_mut().find(|(l, _)| *l == language) {
                other.1 += 1;
            }
            document.add(&evidence);
        }
        self.document = document.letters().language(DOCUMENT_SHARE_PERCENT);
        facts.insert("language", self.document.code().to_string());
        if self.document == Language::Chinese && others.iter().any(|&(_, n)| n > 0) {
            let listed: Vec<String> = others
                .iter()
                .filter(|&&(_, n)| n > 0)
                .map(|(l, n)| format!("{}={n}", l.code()))
                .collect();
            facts.insert("other-language-paragraphs", listed.join(" "));
        }
        if !self.enabled {
            return;
        }
        facts.insert("script", document.script().to_string());
        facts.insert(
            "script-evidence",
            format!(
                "han={} traditional-only={} simplified-only={} taiwan-forms={} hong-kong-forms={}",
                document.han,
                document.traditional,
                document.simplified,
                document.taiwan,
                document.hong_kong
            ),
        );
        // Nothing of a Japanese or Korean document is converted: no configuration to name.
        if self.document != Language::Chinese {
            return;
        }
        if document.taiwan + document.hong_kong > 0 || self.mode == ConvertMode::Always {
            let converter = self.converter_for(&document);
            facts.insert("convert-config", converter.name().to_string());
        }
        if self.target.is_simplified() && document.traditional > 0 {
            facts.insert("script-source", Source::of(&document).name().to_string());
        }
    }

    one_for_one_push!();
}

impl ConvertStage {
    /// Makes `line` the line the stage hands on for it (one for each, at once).
    #[inline]
    fn make_line(&mut self, line: &mut Line, counts: &mut Counts) {
        if !self.enabled {
            return;
        }
        let counted = self.counted_in_first_batch(line);
        // Most paragraphs are already in the target script: without a single character of
        // the other script, `needs_conversion` is false, and no counting is needed to say so.
        // Nor is a kana or Hangul letter asked for then (the same scan): without one, the
        // paragraph's own letters say Chinese, and polish is told so.
        if self.mode == ConvertMode::Auto {
            let other_script_or_letters = match &counted {
                Counted::Clear => false,
                Counted::Evidence(_) => true,
                Counted::Not => {
                    Evidence::any_only_in_or_letters(&line.text, self.target.other_script())
                }
            };
            if !other_script_or_letters {
                line.language = Some(Language::Chinese);
                return;
            }
        }
        *line = self.line_out(std::mem::take(line), counted, counts);
    }

    /// The line the stage hands on for `line`, which may hold the other script's characters
    /// or another language's letters (`counted`: what the first batch's count says of it).
    fn line_out(&mut self, mut line: Line, counted: Counted, counts: &mut Counts) -> Line {
        let evidence = match counted {
            Counted::Evidence(evidence) => evidence,
            Counted::Not | Counted::Clear => Evidence::of(&line.text),
        };
        // Counted with the evidence: polish, which asks too, reads it from the line.
        let own_language = evidence.letters().own_language();
        line.language = Some(own_language);
        let convert = match self.mode {
            ConvertMode::Always => evidence.han > 0 && !in_target_script(&evidence, self.target),
            ConvertMode::Auto => needs_conversion(&evidence, self.target),
            ConvertMode::Never => false,
        };
        // Japanese and Korean are never converted: their letters were counted with the evidence.
        if !convert || own_language.in_document(self.document) != Language::Chinese {
            return line;
        }
        let simplified = self.target.is_simplified();
        let converter = self.converter_for(&evidence);
        let mut changed = 0;
        let line = map_line(line, |text| {
            let (converted, count) = converter.convert_counting(text);
            changed = count;
            // 著 left by the converter: the particle and the verbs become 着 (`zhe`).
            if !simplified {
                return converted;
            }
            match zhe::particle_zhe(&converted) {
                (std::borrow::Cow::Owned(decided), n) => {
                    changed += n;
                    std::borrow::Cow::Owned(decided)
                }
                (std::borrow::Cow::Borrowed(_), _) => converted,
            }
        });
        if changed > 0 {
            counts.add(Rule::ConvertScript, 1);
            counts.add_measure(Measure::ConvertScriptChars, changed);
        }
        line
    }
}

#[cfg(test)]
mod tests;
