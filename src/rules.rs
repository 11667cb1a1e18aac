//! The registry of cleaning rules.
//!
//! A rule is a value with a stable kebab-case name: users list them with `zhclean rules`, switch
//! them with `--enable`/`--disable`, and the per-file report counts what each one did. Stages look
//! their rules up once, when they are built, never per line.

use std::fmt;

/// Where in the pipeline a rule acts (the order of this enum is the order of the pipeline).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Repair,
    Normalize,
    Strip,
    Reflow,
    Convert,
    Polish,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Repair => "repair",
            Stage::Normalize => "normalize",
            Stage::Strip => "strip",
            Stage::Reflow => "reflow",
            Stage::Convert => "convert",
            Stage::Polish => "polish",
        })
    }
}

/// One cleaning rule: its name, its stage, whether it runs by default, and what it does.
#[derive(Debug, serde::Serialize)]
pub struct Rule {
    pub name: &'static str,
    pub stage: Stage,
    pub default_on: bool,
    pub summary: &'static str,
}

const fn rule(name: &'static str, stage: Stage, summary: &'static str) -> Rule {
    Rule {
        name,
        stage,
        default_on: true,
        summary,
    }
}

/// Every rule, in pipeline order.
pub const RULES: &[Rule] = &[
    rule("mojibake-utf8-as-gbk", Stage::Repair, "repair UTF-8 text that was read as GBK and saved again: 涓浗 → 中国 (a U+FFFD a lossy decoder left is guessed back)"),
    rule("mojibake-gbk-as-latin1", Stage::Repair, "repair GBK text that was read as Latin-1 and saved again: ÖÐ¹ú → 中国"),
    rule("mojibake-gbk-as-cp1252", Stage::Repair, "repair GBK text that was read as Windows-1252 and saved again (a run holding €, “, – or an undefined byte)"),
    rule("mojibake-utf8-as-latin1", Stage::Repair, "repair UTF-8 text that was read as Latin-1 and saved again: ä¸\u{AD}æ\u{96}\u{87} → 中文"),
    rule("mojibake-utf8-as-cp1252", Stage::Repair, "repair UTF-8 text that was read as Windows-1252 and saved again: ä¸\u{AD}æ–‡ → 中文"),
    rule("nfc", Stage::Normalize, "compose characters to Unicode NFC (never NFKC, which would turn ， into ,)"),
    rule("line-endings", Stage::Normalize, "turn CRLF and CR line endings into LF"),
    rule("invisible", Stage::Normalize, "remove zero-width characters, stray BOMs, soft hyphens and control characters other than tab"),
    rule("fullwidth-alnum", Stage::Normalize, "turn full-width ASCII letters and digits into half-width (２０２１ → 2021)"),
    rule("form-feed", Stage::Strip, "treat a form feed as a page break: the line is split there and the break can be joined across"),
    rule("bookmark", Stage::Strip, "remove Word bookmark markers left by converters: [bookmark: _GoBack], [bookmark: _Toc123]"),
    rule("image-marker", Stage::Strip, "remove image placeholders left by converters: [image: ALT]"),
    rule("note-ref", Stage::Strip, "remove footnote and endnote reference markers: [footnoteRef:3], [endnoteRef:3]"),
    rule("pinyin-annotation", Stage::Strip, "remove a pinyin syllable glued after a character when it is a reading of that character: 習(xí) → 習"),
    rule("indentation", Stage::Strip, "remove leading indentation: spaces, tabs, ideographic spaces, NBSP"),
    rule("trailing-space", Stage::Strip, "remove spaces and tabs at the end of a line"),
    rule("nbsp", Stage::Strip, "turn no-break spaces inside a line into one ordinary space"),
    rule("letter-spacing", Stage::Strip, "collapse a letter-spaced heading (第 一 章  总 则 → 第一章　总则) or a justified line pdftotext wrote with a space between every character"),
    rule("page-number", Stage::Strip, "remove page-number lines: — 3 —, - 3 -, －3－, ·3·, 第3页共10页, Page 3 of 10; a bare number or 3/10 only at a page edge when it is the next page number"),
    rule("running-header", Stage::Strip, "remove a running header or footer: a short line at a page edge that stands at that edge of another page too (equal without spaces; digits may differ in a line about pages), and the first page's copy above the title"),
    rule("footnote", Stage::Strip, "recognise a footnote block at a page foot (1本文根据……, ①……, [1]……, 注：……) by its reference in the page: kept whole, as a paragraph of its own"),
    rule("footnote-marker", Stage::Strip, "remove a footnote reference number glued after punctuation (请遵照执行。1) or alone on a line, when its footnote stands at the foot of the same page"),
    rule("blank-lines", Stage::Reflow, "drop empty and whitespace-only lines between paragraphs"),
    rule("join-page-break", Stage::Reflow, "join a paragraph split by a page break or blank line when the first part does not end a sentence"),
    rule("join-hard-wrap", Stage::Reflow, "join lines hard-wrapped at the document's wrap width (detected from the line-length histogram)"),
    rule("join-title", Stage::Reflow, "join a title split over two lines at the top of a document: the first part leaves a bracket open or the title's kind (通知, 报告) ends only the two together"),
    rule("convert-script", Stage::Convert, "convert paragraphs written in the other script (Traditional ⇄ Simplified); text already in the target script passes unchanged"),
    rule("quote-space", Stage::Polish, "remove a space between a quotation mark or bracket and Chinese text, left by PDF font switching: 推进 “一网通办 ”改革 → 推进“一网通办”改革"),
    rule("punct-width", Stage::Polish, "make , : ; ( ) ! ? full-width inside Chinese text; kept between digits, in URLs, e-mail addresses and ASCII runs"),
    rule("list-marker-space", Stage::Polish, "remove the space after a list marker: 1. 按照 → 1.按照, （一） 加强 → （一）加强"),
    rule("cjk-ascii-space", Stage::Polish, "remove a space between a Chinese character and an ASCII letter, digit or %: 关于 2021 年 → 关于2021年"),
];

/// Looks a rule up by name.
pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|rule| rule.name == name)
}

/// An unknown name given to `--enable` or `--disable`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule '{0}' (run `zhclean rules` to list them)")]
pub struct UnknownRule(pub String);

/// Which rules are switched on for a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSet {
    enabled: Vec<bool>,
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet {
            enabled: RULES.iter().map(|rule| rule.default_on).collect(),
        }
    }
}

impl RuleSet {
    /// No rule at all: the pipeline only decodes and re-encodes (useful to test one rule alone).
    pub fn none() -> Self {
        RuleSet {
            enabled: vec![false; RULES.len()],
        }
    }

    /// Only the named rules.
    pub fn only(names: &[&str]) -> Result<Self, UnknownRule> {
        let mut set = RuleSet::none();
        for name in names {
            set.set(name, true)?;
        }
        Ok(set)
    }

    pub fn set(&mut self, name: &str, on: bool) -> Result<(), UnknownRule> {
        let index = RULES
            .iter()
            .position(|rule| rule.name == name)
            .ok_or_else(|| UnknownRule(name.to_string()))?;
        self.enabled[index] = on;
        Ok(())
    }

    /// Is the named rule on? Panics on a name that is not registered: that is a bug in a stage.
    pub fn is_on(&self, name: &str) -> bool {
        let index = RULES
            .iter()
            .position(|rule| rule.name == name)
            .unwrap_or_else(|| panic!("rule '{name}' is not registered in rules::RULES"));
        self.enabled[index]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_in_pipeline_order() {
        for (i, rule) in RULES.iter().enumerate() {
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} is not kebab-case",
                rule.name
            );
            assert!(
                RULES[i + 1..].iter().all(|other| other.name != rule.name),
                "{} twice",
                rule.name
            );
            if i > 0 {
                assert!(
                    RULES[i - 1].stage <= rule.stage,
                    "{} is out of pipeline order",
                    rule.name
                );
            }
        }
    }

    #[test]
    fn enable_and_disable_by_name() {
        let mut set = RuleSet::default();
        assert!(set.is_on("nfc"));
        set.set("nfc", false).unwrap();
        assert!(!set.is_on("nfc"));
        assert_eq!(
            set.set("no-such-rule", true),
            Err(UnknownRule("no-such-rule".into()))
        );
        assert!(RuleSet::only(&["indentation"])
            .unwrap()
            .is_on("indentation"));
        assert!(!RuleSet::only(&["indentation"]).unwrap().is_on("nfc"));
    }
}
