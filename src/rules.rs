//! The registry of cleaning rules.
//!
//! A rule is a [`Rule`] variant with a stable kebab-case name: users list them with `zhclean
//! rules`, switch them with `--enable`/`--disable`, and the per-file report counts what each one
//! did. Stages name their rules by variant, so a misspelt rule does not compile; they look them
//! up once, when they are built, never per line.
//!
//! Adding a rule is one line in the table of `rules!` below (see `docs/ARCHITECTURE.md`).

use std::fmt;

/// Where in the pipeline a rule acts (the order of this enum is the order of the pipeline).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Decode,
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
            Stage::Decode => "decode",
            Stage::Repair => "repair",
            Stage::Normalize => "normalize",
            Stage::Strip => "strip",
            Stage::Reflow => "reflow",
            Stage::Convert => "convert",
            Stage::Polish => "polish",
        })
    }
}

/// Builds [`Rule`] and its tables from one line per rule: `Variant "name", Stage, on by
/// default, "summary";`. One table, so that a rule's name, stage and summary cannot drift
/// apart, and adding a rule touches nothing else in this file.
macro_rules! rules {
    ($($variant:ident $name:literal, $stage:ident, $on:literal, $summary:literal;)*) => {
        /// A cleaning rule. Its order is the pipeline's (and `zhclean rules`'s); reports list
        /// rules by [`name`](Rule::name).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $(#[doc = concat!("The rule `", $name, "` (its summary: [`Rule::summary`]).")] $variant,)*
        }

        impl Rule {
            /// How many rules there are.
            pub const COUNT: usize = [$($name),*].len();

            /// Every rule, in pipeline order.
            pub const ALL: [Rule; Rule::COUNT] = [$(Rule::$variant),*];

            /// The kebab-case name users and reports see; it never changes once released.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Rule::$variant => $name,)*
                }
            }

            /// The stage the rule belongs to.
            pub const fn stage(self) -> Stage {
                match self {
                    $(Rule::$variant => Stage::$stage,)*
                }
            }

            /// Whether the rule runs unless `--disable`d.
            pub const fn default_on(self) -> bool {
                match self {
                    $(Rule::$variant => $on,)*
                }
            }

            /// What the rule does, in one line (`zhclean rules` prints it).
            pub const fn summary(self) -> &'static str {
                match self {
                    $(Rule::$variant => $summary,)*
                }
            }
        }
    };
}

rules! {
    MixedEncoding "mixed-encoding", Decode, true, "decode a line the file's encoding cannot decode in the one that reads it as Chinese (UTF-8, GBK, Big5): files glued together from different encodings";
    MojibakeUtf8AsGbk "mojibake-utf8-as-gbk", Repair, true, "repair UTF-8 text that was read as GBK and saved again: 涓浗 → 中国 (a U+FFFD a lossy decoder left is guessed back)";
    MojibakeGbkAsLatin1 "mojibake-gbk-as-latin1", Repair, true, "repair GBK text that was read as Latin-1 and saved again: ÖÐ¹ú → 中国";
    MojibakeGbkAsCp1252 "mojibake-gbk-as-cp1252", Repair, true, "repair GBK text that was read as Windows-1252 and saved again (a run holding €, “, – or an undefined byte)";
    MojibakeUtf8AsLatin1 "mojibake-utf8-as-latin1", Repair, true, "repair UTF-8 text that was read as Latin-1 and saved again: ä¸\u{AD}æ\u{96}\u{87} → 中文";
    MojibakeUtf8AsCp1252 "mojibake-utf8-as-cp1252", Repair, true, "repair UTF-8 text that was read as Windows-1252 and saved again: ä¸\u{AD}æ–‡ → 中文";
    MojibakeBig5AsGbk "mojibake-big5-as-gbk", Repair, true, "repair Big5 text that was read as GBK and saved again: ぃゅ → 中文 (a byte a lossy decoder lost is guessed back)";
    MojibakeGbkAsBig5 "mojibake-gbk-as-big5", Repair, true, "repair GBK text that was read as Big5 and saved again: ㄗ珨ㄘ → （一）";
    Nfc "nfc", Normalize, true, "compose characters to Unicode NFC (never NFKC, which would turn ， into ,)";
    LineEndings "line-endings", Normalize, true, "turn CRLF and CR line endings into LF";
    Invisible "invisible", Normalize, true, "remove zero-width characters, stray BOMs, soft hyphens and control characters other than tab";
    FullwidthAlnum "fullwidth-alnum", Normalize, true, "turn full-width ASCII letters and digits into half-width (２０２１ → 2021)";
    FormFeed "form-feed", Strip, true, "treat a form feed as a page break: the line is split there and the break can be joined across";
    Bookmark "bookmark", Strip, true, "remove Word bookmark markers left by converters: [bookmark: _GoBack], [bookmark: _Toc123]";
    ImageMarker "image-marker", Strip, true, "remove image placeholders left by converters: [image: ALT]";
    NoteRef "note-ref", Strip, true, "remove footnote and endnote reference markers: [footnoteRef:3], [endnoteRef:3]";
    PinyinAnnotation "pinyin-annotation", Strip, true, "remove a pinyin syllable glued after a character when it is a reading of that character: 習(xí) → 習";
    Indentation "indentation", Strip, true, "remove leading indentation: spaces, tabs, ideographic spaces, NBSP";
    TrailingSpace "trailing-space", Strip, true, "remove spaces and tabs at the end of a line";
    Nbsp "nbsp", Strip, true, "turn no-break spaces inside a line into one ordinary space";
    LetterSpacing "letter-spacing", Strip, true, "collapse a letter-spaced heading (第 一 章  总 则 → 第一章　总则) or a justified line pdftotext wrote with a space between every character";
    InlineFootnote "inline-footnote", Strip, true, "put a footnote Tika wrote inside its paragraph (…成立。 本节所列数字……, then an empty line) on a line of its own, in text whose paragraphs are not a blank line apart";
    PageNumber "page-number", Strip, true, "remove page-number lines: — 3 —, - 3 -, －3－, ·3·, 第3页共10页, Page 3 of 10; a bare number or 3/10 only at a page edge when it is the next page number; an office's name beside the number on one line (某某局　　第3页) goes with it";
    RunningHeader "running-header", Strip, true, "remove a running header or footer: a short line at a page edge that stands at that edge of another page too (equal without spaces; digits may differ in a line about pages), and the first page's copy above the title (or the lines right above a page number 1 at the top, with the text right under it)";
    Footnote "footnote", Strip, true, "recognise a footnote block at a page foot (1本文根据……, ①……, [1]……, 注：……) by its reference in the page: kept whole, as a paragraph of its own";
    FootnoteMarker "footnote-marker", Strip, true, "remove a footnote reference number glued after punctuation (请遵照执行。1) or alone on a line, when its footnote stands at the foot of the same page";
    BlankLines "blank-lines", Reflow, true, "drop empty and whitespace-only lines between paragraphs";
    JoinPageBreak "join-page-break", Reflow, true, "join a paragraph split by a page break or blank line when the first part does not end a sentence, or, past a footnote at the page foot, ends at the margin and the next page starts no paragraph";
    JoinHardWrap "join-hard-wrap", Reflow, true, "join lines hard-wrapped at the document's wrap width (detected from the line-length histogram)";
    JoinTitle "join-title", Reflow, true, "join a title split over two lines at the top of a document: the first part leaves a bracket open or the title's kind (通知, 报告) ends only the two together";
    ConvertScript "convert-script", Convert, true, "convert paragraphs written in the other script (Traditional ⇄ Simplified); text already in the target script passes unchanged";
    QuoteSpace "quote-space", Polish, true, "remove a space between a quotation mark or bracket and Chinese text, left by PDF font switching: 推进 “一网通办 ”改革 → 推进“一网通办”改革";
    PunctWidth "punct-width", Polish, true, "make , : ; ( ) ! ? full-width inside Chinese text; kept between digits, in URLs, e-mail addresses and ASCII runs";
    ListMarkerSpace "list-marker-space", Polish, true, "remove the space after a list marker: 1. 按照 → 1.按照, （一） 加强 → （一）加强";
    CjkAsciiSpace "cjk-ascii-space", Polish, true, "remove a space between a Chinese character and an ASCII letter, digit or %: 关于 2021 年 → 关于2021年";
}

impl Rule {
    /// Every rule in the order of its name: the order reports list rule counts in.
    pub const BY_NAME: [Rule; Rule::COUNT] = by_name();

    /// The rule of that name, if there is one.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|rule| rule.name() == name)
    }
}

/// [`Rule::ALL`] sorted by name, at compile time.
const fn by_name() -> [Rule; Rule::COUNT] {
    let mut names = [""; Rule::COUNT];
    let mut i = 0;
    while i < Rule::COUNT {
        names[i] = Rule::ALL[i].name();
        i += 1;
    }
    let order = order_by_name(&names);
    let mut sorted = Rule::ALL;
    let mut k = 0;
    while k < Rule::COUNT {
        sorted[k] = Rule::ALL[order[k]];
        k += 1;
    }
    sorted
}

/// The indices of `names` in the order of the names (byte order, as `str`'s `Ord`), at compile
/// time: an insertion sort, enough for a few dozen names. Rules and report slots both list their
/// counts in this order.
pub(crate) const fn order_by_name<const N: usize>(names: &[&str; N]) -> [usize; N] {
    let mut order = [0; N];
    let mut i = 0;
    while i < N {
        order[i] = i;
        let mut j = i;
        while j > 0 && str_before(names[order[j]], names[order[j - 1]]) {
            let earlier = order[j - 1];
            order[j - 1] = order[j];
            order[j] = earlier;
            j -= 1;
        }
        i += 1;
    }
    order
}

/// Does `a` sort before `b` (byte order, as `str`'s `Ord`)? `Ord` is not callable in a `const fn`.
const fn str_before(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut i = 0;
    while i < a.len() && i < b.len() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
        i += 1;
    }
    a.len() < b.len()
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A rule serializes as its name (a key of the report's `rules` map).
impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Parses a rule's name (`--enable`, `--disable`).
impl std::str::FromStr for Rule {
    type Err = UnknownRule;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Rule::from_name(name).ok_or_else(|| UnknownRule(name.to_string()))
    }
}

/// Looks a rule up by name.
pub fn find(name: &str) -> Option<Rule> {
    Rule::from_name(name)
}

/// An unknown name given to `--enable` or `--disable`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule '{0}' (run `zhclean rules` to list them)")]
pub struct UnknownRule(pub String);

/// Which rules are switched on for a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSet {
    enabled: [bool; Rule::COUNT],
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet {
            enabled: Rule::ALL.map(Rule::default_on),
        }
    }
}

impl RuleSet {
    /// No rule at all: the pipeline only decodes and re-encodes (useful to test one rule alone).
    pub fn none() -> Self {
        RuleSet {
            enabled: [false; Rule::COUNT],
        }
    }

    /// Only these rules.
    pub fn only(rules: &[Rule]) -> Self {
        let mut set = RuleSet::none();
        for &rule in rules {
            set.set(rule, true);
        }
        set
    }

    /// Switches `rule` on or off.
    pub fn set(&mut self, rule: Rule, on: bool) {
        self.enabled[rule as usize] = on;
    }

    /// Switches the rule of that name on or off (`--enable`, `--disable`).
    pub fn set_named(&mut self, name: &str, on: bool) -> Result<(), UnknownRule> {
        self.set(name.parse()?, on);
        Ok(())
    }

    /// Is `rule` on?
    pub fn is_on(&self, rule: Rule) -> bool {
        self.enabled[rule as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_in_pipeline_order() {
        for (i, rule) in Rule::ALL.iter().enumerate() {
            assert_eq!(*rule as usize, i, "{rule}: ALL is in declaration order");
            assert!(
                rule.name()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{rule} is not kebab-case"
            );
            assert!(
                Rule::ALL[i + 1..]
                    .iter()
                    .all(|other| other.name() != rule.name()),
                "{rule} twice"
            );
            if i > 0 {
                assert!(
                    Rule::ALL[i - 1].stage() <= rule.stage(),
                    "{rule} is out of pipeline order"
                );
            }
            assert_eq!(Rule::from_name(rule.name()), Some(*rule));
        }
    }

    #[test]
    fn by_name_is_sorted_as_strings_sort() {
        let mut names: Vec<&str> = Rule::ALL.iter().map(|rule| rule.name()).collect();
        names.sort_unstable();
        let by_name: Vec<&str> = Rule::BY_NAME.iter().map(|rule| rule.name()).collect();
        assert_eq!(by_name, names);
        for (a, b) in [
            ("a", "b"),
            ("join", "join-title"),
            ("b", "a"),
            ("a", "a"),
            ("", "a"),
        ] {
            assert_eq!(str_before(a, b), a < b, "{a:?} {b:?}");
        }
    }

    #[test]
    fn enable_and_disable_by_name() {
        let mut set = RuleSet::default();
        assert!(set.is_on(Rule::Nfc));
        set.set_named("nfc", false).unwrap();
        assert!(!set.is_on(Rule::Nfc));
        assert_eq!(
            set.set_named("no-such-rule", true),
            Err(UnknownRule("no-such-rule".into()))
        );
        assert_eq!("indentation".parse(), Ok(Rule::Indentation));
        assert!(RuleSet::only(&[Rule::Indentation]).is_on(Rule::Indentation));
        assert!(!RuleSet::only(&[Rule::Indentation]).is_on(Rule::Nfc));
        assert_eq!(
            serde_json::to_string(&Rule::FormFeed).unwrap(),
            r#""form-feed""#
        );
    }
}
