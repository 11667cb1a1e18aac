//! Automatic numbering rendered as text: the number formats Word and OpenDocument use (Chinese
//! reports number their headings `一、`, `（一）`, `1.` automatically, so the numbers exist only
//! in the numbering definitions), and the counters of Word's lists (`numbering.xml`, and the
//! lists of a .doc read into the same definitions).

use std::collections::HashMap;

use super::xml::{attribute, Item, Part};
use super::DocumentError;

/// A number format (Word's `w:numFmt` values; OpenDocument's `style:num-format` maps onto them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumberFormat {
    Decimal,
    /// `01`, `02`, … (`decimalZero`).
    DecimalZero,
    /// `一`, `十一`, `二十` (Word's `chineseCounting`, `japaneseCounting`, `taiwaneseCounting`).
    ChineseCounting,
    /// `一千二百三十四` (`chineseCountingThousand`, `taiwaneseCountingThousand`).
    ChineseCountingThousand,
    /// Digit by digit: `一〇` (`ideographDigital`, `taiwaneseDigital`).
    IdeographDigital,
    /// `壹`, `拾壹` (`chineseLegalSimplified`).
    ChineseLegal,
    /// `甲`, `乙`, `丙` (`ideographTraditional`).
    HeavenlyStems,
    /// `子`, `丑`, `寅` (`ideographZodiac`).
    EarthlyBranches,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
    /// `①` (`decimalEnclosedCircle`, and `decimalEnclosedCircleChinese`).
    EnclosedCircle,
    /// `⑴` (`decimalEnclosedParen`).
    EnclosedParen,
    /// `⒈` (`decimalEnclosedFullstop`).
    EnclosedFullstop,
    /// `１` (`decimalFullWidth`).
    FullWidth,
    /// A bullet or no number at all: nothing is written for it (a bullet glyph is decoration,
    /// often a private-use character of the Symbol font).
    None,
}

impl NumberFormat {
    /// Word's `w:numFmt` value; an unknown one is rendered as decimal (a number is better than
    /// none: the text refers to it).
    pub(crate) fn from_word(value: &str) -> NumberFormat {
        use NumberFormat::*;
        match value {
            "decimalZero" => DecimalZero,
            "chineseCounting" | "japaneseCounting" | "taiwaneseCounting" | "koreanCounting" => {
                ChineseCounting
            }
            "chineseCountingThousand" | "taiwaneseCountingThousand" | "japaneseLegal" => {
                ChineseCountingThousand
            }
            "ideographDigital" | "taiwaneseDigital" | "japaneseDigitalTenThousand" => {
                IdeographDigital
            }
            "chineseLegalSimplified" => ChineseLegal,
            "ideographTraditional" => HeavenlyStems,
            "ideographZodiac" => EarthlyBranches,
            "lowerLetter" => LowerLetter,
            "upperLetter" => UpperLetter,
            "lowerRoman" => LowerRoman,
            "upperRoman" => UpperRoman,
            "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => EnclosedCircle,
            "decimalEnclosedParen" => EnclosedParen,
            "decimalEnclosedFullstop" => EnclosedFullstop,
            "decimalFullWidth" | "decimalFullWidth2" => FullWidth,
            "bullet" | "none" => None,
            _ => Decimal,
        }
    }

    /// A .doc list level's `nfc` (MSONFC, [MS-DOC] 2.9.158: the same list, in the same order,
    /// as Word's `w:numFmt` values); an unknown one is rendered as decimal, as
    /// [`NumberFormat::from_word`] does.
    pub(crate) fn from_doc(nfc: u8) -> NumberFormat {
        const NAMES: [&str; 48] = [
            "decimal",
            "upperRoman",
            "lowerRoman",
            "upperLetter",
            "lowerLetter",
            "ordinal",
            "cardinalText",
            "ordinalText",
            "hex",
            "chicago",
            "ideographDigital",
            "japaneseCounting",
            "aiueo",
            "iroha",
            "decimalFullWidth",
            "decimalHalfWidth",
            "japaneseLegal",
            "japaneseDigitalTenThousand",
            "decimalEnclosedCircle",
            "decimalFullWidth2",
            "aiueoFullWidth",
            "irohaFullWidth",
            "decimalZero",
            "bullet",
            "ganada",
            "chosung",
            "decimalEnclosedFullstop",
            "decimalEnclosedParen",
            "decimalEnclosedCircleChinese",
            "ideographEnclosedCircle",
            "ideographTraditional",
            "ideographZodiac",
            "ideographZodiacTraditional",
            "taiwaneseCounting",
            "ideographLegalTraditional",
            "taiwaneseCountingThousand",
            "taiwaneseDigital",
            "chineseCounting",
            "chineseLegalSimplified",
            "chineseCountingThousand",
            "koreanDigital",
            "koreanCounting",
            "koreanLegal",
            "koreanDigital2",
            "vietnameseCounting",
            "russianLower",
            "russianUpper",
            "none",
        ];
        match NAMES.get(usize::from(nfc)) {
            Some(name) => NumberFormat::from_word(name),
            // 0xFF: no number (Word 97 writes it for a level that shows none).
            None if nfc == 0xFF => NumberFormat::None,
            None => NumberFormat::Decimal,
        }
    }

    /// OpenDocument's `style:num-format`: `1`, `a`, `A`, `i`, `I`, or the first items of a
    /// list written out (`一, 二, 三, ...`, `①, ②, ③, ...`, `壹, 贰, 叁, ...`), as LibreOffice
    /// writes them; empty is no number.
    pub(crate) fn from_odf(value: &str) -> NumberFormat {
        use NumberFormat::*;
        match value.trim() {
            "" => None,
            "1" => Decimal,
            "a" => LowerLetter,
            "A" => UpperLetter,
            "i" => LowerRoman,
            "I" => UpperRoman,
            other => match other.chars().next() {
                Some('一') | Some('壹') if other.contains('〇') => IdeographDigital,
                Some('一') => ChineseCounting,
                Some('壹') => ChineseLegal,
                Some('甲') => HeavenlyStems,
                Some('子') => EarthlyBranches,
                Some('①') => EnclosedCircle,
                Some('⑴') => EnclosedParen,
                Some('⒈') => EnclosedFullstop,
                Some('１') => FullWidth,
                _ => Decimal,
            },
        }
    }

    /// `n` in this format.
    pub(crate) fn render(self, n: u32) -> String {
        use NumberFormat::*;
        match self {
            Decimal => n.to_string(),
            DecimalZero => format!("{n:02}"),
            ChineseCounting => chinese_counting(n, DIGITS),
            // 一百零五: the thousands style fills a gap with 零.
            ChineseCountingThousand => {
                let mut digits = DIGITS;
                digits[0] = "零";
                chinese_counting(n, digits)
            }
            IdeographDigital => n
                .to_string()
                .chars()
                .map(|d| DIGITS[d as usize - '0' as usize])
                .collect(),
            ChineseLegal => chinese_counting_with(n, LEGAL_DIGITS, ["拾", "佰", "仟", "万"]),
            HeavenlyStems => cycle(
                n,
                &["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"],
            ),
            EarthlyBranches => cycle(
                n,
                &[
                    "子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉", "戌", "亥",
                ],
            ),
            LowerLetter => letters(n, b'a'),
            UpperLetter => letters(n, b'A'),
            LowerRoman => roman(n).to_ascii_lowercase(),
            UpperRoman => roman(n),
            EnclosedCircle => enclosed(n, '①', 20),
            EnclosedParen => enclosed(n, '⑴', 20),
            EnclosedFullstop => enclosed(n, '⒈', 20),
            FullWidth => n
                .to_string()
                .chars()
                .filter_map(|d| char::from_u32(d as u32 - '0' as u32 + '０' as u32))
                .collect(),
            None => String::new(),
        }
    }
}

const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
const LEGAL_DIGITS: [&str; 10] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];

/// `一`…`九十九`, `一百`, `一百零五`, `一千二百三十四`, `一万`: how Word counts in Chinese
/// (`十一`, not `一十一`, below twenty).
fn chinese_counting(n: u32, digits: [&str; 10]) -> String {
    chinese_counting_with(n, digits, ["十", "百", "千", "万"])
}

fn chinese_counting_with(n: u32, digits: [&str; 10], units: [&str; 4]) -> String {
    if n == 0 {
        return digits[0].to_string();
    }
    if n >= 10_000 {
        let (high, low) = (n / 10_000, n % 10_000);
        let mut out = chinese_counting_with(high, digits, units) + units[3];
        if low > 0 {
            if low < 1000 {
                out.push_str(digits[0]);
            }
            out.push_str(&below_ten_thousand(low, digits, units, false));
        }
        return out;
    }
    below_ten_thousand(n, digits, units, true)
}

/// 1–9999. `leading_ten`: `十一` rather than `一十一` when the number is 10–19 standing alone.
fn below_ten_thousand(n: u32, digits: [&str; 10], units: [&str; 4], leading_ten: bool) -> String {
    let places = [
        (1000, Some(units[2])),
        (100, Some(units[1])),
        (10, Some(units[0])),
        (1, None),
    ];
    let mut out = String::new();
    let mut zero_pending = false;
    let mut started = false;
    for (value, unit) in places {
        let digit = (n / value % 10) as usize;
        if digit == 0 {
            zero_pending = started;
            continue;
        }
        if zero_pending {
            out.push_str(digits[0]);
            zero_pending = false;
        }
        let omit_one = leading_ten && value == 10 && digit == 1 && !started;
        if !omit_one {
            out.push_str(digits[digit]);
        }
        if let Some(unit) = unit {
            out.push_str(unit);
        }
        started = true;
    }
    out
}

fn cycle(n: u32, items: &[&str]) -> String {
    if n == 0 {
        return String::new();
    }
    items[(n as usize - 1) % items.len()].to_string()
}

/// `a`…`z`, then `aa`, `bb` (Word repeats the letter); past `zzzzz`, digits (a start value
/// in a hostile file must not become a string of millions of letters).
fn letters(n: u32, first: u8) -> String {
    if n == 0 {
        return String::new();
    }
    if n > 26 * 5 {
        return n.to_string();
    }
    let letter = (first + ((n - 1) % 26) as u8) as char;
    letter.to_string().repeat(((n - 1) / 26 + 1) as usize)
}

/// Roman numerals up to 3999, digits past them (`M` repeated is no numeral anyone writes).
fn roman(mut n: u32) -> String {
    if n >= 4000 {
        return n.to_string();
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, letters) in TABLE {
        while n >= value {
            out.push_str(letters);
            n -= value;
        }
    }
    out
}

/// `①`…`⑳` (Unicode has these `count` enclosed forms in a row); past them, plain digits.
fn enclosed(n: u32, first: char, count: u32) -> String {
    match n {
        1.. if n <= count => char::from_u32(first as u32 + n - 1)
            .map(String::from)
            .unwrap_or_else(|| n.to_string()),
        _ => n.to_string(),
    }
}

/// One level of a list: how its number is written and where it starts.
#[derive(Clone, Debug)]
pub(crate) struct Level {
    pub format: NumberFormat,
    /// `%1、`, `（%2）`, `%1.%2`: `%N` stands for level N's number (1-based).
    pub text: String,
    pub start: u32,
    /// `w:isLgl`: every `%N` in decimal, whatever that level's own format.
    pub legal: bool,
    /// The level after which this one restarts (`w:lvlRestart`, 1-based; 0 never); by
    /// default any shallower level restarts it.
    pub restart_after: Option<u32>,
}

impl Level {
    pub(crate) fn new(format: NumberFormat, text: String, start: u32) -> Level {
        Level {
            format,
            text,
            start,
            legal: false,
            restart_after: None,
        }
    }
}

/// The counters of one list, and how its label is written at each level.
#[derive(Default, Debug)]
pub(crate) struct Counter {
    /// The current number of each level; `None` until the level is first used (or restarted).
    current: Vec<Option<u32>>,
}

impl Counter {
    /// Counts one more item at `level` and writes its label (`（三）`), with the levels above
    /// as they stand (levels never used so far count as their start).
    pub(crate) fn next(&mut self, levels: &[Level], level: usize) -> String {
        if level >= levels.len() {
            return String::new();
        }
        if self.current.len() < levels.len() {
            self.current.resize(levels.len(), None);
        }
        let value = match self.current[level] {
            Some(n) => n.saturating_add(1),
            None => levels[level].start,
        };
        self.current[level] = Some(value);
        // Deeper levels restart: by default after any shallower level; with `w:lvlRestart`,
        // only after the level it names (0: never).
        for (deeper, definition) in levels.iter().enumerate().skip(level + 1) {
            let restarts = match definition.restart_after {
                None => true,
                Some(0) => false,
                Some(after) => (level as u32) < after,
            };
            if restarts {
                self.current[deeper] = None;
            }
        }
        let definition = &levels[level];
        let mut label = String::new();
        let mut chars = definition.text.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().and_then(|d| d.to_digit(10))) {
                ('%', Some(digit @ 1..=9)) => {
                    chars.next();
                    let at = digit as usize - 1;
                    if let Some(of) = levels.get(at) {
                        let n = self.current[at].unwrap_or(of.start);
                        let format = if definition.legal {
                            NumberFormat::Decimal
                        } else {
                            of.format
                        };
                        label.push_str(&format.render(n));
                    }
                }
                _ => label.push(c),
            }
        }
        if definition.format == NumberFormat::None {
            // A bullet's glyph, or a level that shows no number: no label.
            return String::new();
        }
        label
    }
}

/// Word's `numbering.xml`: the lists (`w:num`) and their definitions (`w:abstractNum`).
#[derive(Default, Debug)]
pub(crate) struct WordNumbering {
    abstracts: HashMap<String, Vec<Level>>,
    /// numId → (abstractNumId, start overrides per level).
    nums: HashMap<String, (String, Vec<(usize, u32)>)>,
    /// Counters per abstract definition: Word continues a list's numbers across the `w:num`
    /// instances that share a definition, unless one restarts it with a start override.
    counters: HashMap<String, Counter>,
    /// numIds whose overrides have been applied (on first use).
    started: std::collections::HashSet<String>,
}

impl WordNumbering {
    pub(crate) fn parse(text: &str) -> Result<WordNumbering, DocumentError> {
        let mut numbering = WordNumbering::default();
        let mut part = Part::new("word/numbering.xml", text);
        // Where the reader is: in which abstractNum / num, in which level.
        let mut abstract_id: Option<String> = None;
        let mut num_id: Option<String> = None;
        let mut level: Option<(usize, Level)> = None;
        let mut override_level: Option<usize> = None;
        while let Some(item) = part.next()? {
            let (element, empty) = match &item {
                Item::Start(e) => (e, false),
                Item::Empty(e) => (e, true),
                Item::End | Item::Text(_) => continue,
            };
            let name = element.name();
            let value = || attribute(element, "w:val");
            match name.0 {
                "w:abstractNum" => {
                    if let Some((at, done)) = level.take() {
                        numbering.store(abstract_id.as_deref(), at, done);
                    }
                    abstract_id = attribute(element, "w:abstractNumId");
                    num_id = None;
                }
                "w:num" => {
                    if let Some((at, done)) = level.take() {
                        numbering.store(abstract_id.as_deref(), at, done);
                    }
                    num_id = attribute(element, "w:numId");
                    abstract_id = None;
                }
                "w:abstractNumId" => {
                    if let (Some(num), Some(target)) = (&num_id, value()) {
                        numbering
                            .nums
                            .entry(num.clone())
                            .or_insert_with(|| (String::new(), Vec::new()))
                            .0 = target;
                    }
                }
                "w:lvlOverride" => {
                    override_level = attribute(element, "w:ilvl").and_then(|v| v.parse().ok());
                }
                "w:startOverride" => {
                    if let (Some(num), Some(at), Some(start)) = (
                        &num_id,
                        override_level,
                        value().and_then(|v| v.parse().ok()),
                    ) {
                        numbering
                            .nums
                            .entry(num.clone())
                            .or_insert_with(|| (String::new(), Vec::new()))
                            .1
                            .push((at, start));
                    }
                }
                "w:lvl" if abstract_id.is_some() => {
                    // A level inside a w:lvlOverride of a w:num redefines it: rare, not read.
                    let at = attribute(element, "w:ilvl")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    if let Some((done_at, done)) = level.take() {
                        numbering.store(abstract_id.as_deref(), done_at, done);
                    }
                    level = Some((at, Level::new(NumberFormat::Decimal, String::new(), 0)));
                    if empty {
                        if let Some((done_at, done)) = level.take() {
                            numbering.store(abstract_id.as_deref(), done_at, done);
                        }
                    }
                }
                "w:start" => {
                    if let (Some((_, l)), Some(v)) = (&mut level, value()) {
                        l.start = v.parse().unwrap_or(0);
                    }
                }
                "w:numFmt" => {
                    if let (Some((_, l)), Some(v)) = (&mut level, value()) {
                        l.format = NumberFormat::from_word(&v);
                    }
                }
                "w:lvlText" => {
                    if let (Some((_, l)), Some(v)) = (&mut level, value()) {
                        l.text = v;
                    }
                }
                "w:isLgl" => {
                    if let Some((_, l)) = &mut level {
                        l.legal = !matches!(value().as_deref(), Some("0" | "false"));
                    }
                }
                "w:lvlRestart" => {
                    if let (Some((_, l)), Some(v)) = (&mut level, value()) {
                        l.restart_after = v.parse().ok();
                    }
                }
                _ => {}
            }
        }
        if let Some((at, done)) = level.take() {
            numbering.store(abstract_id.as_deref(), at, done);
        }
        Ok(numbering)
    }

    /// Defines a list (an `w:abstractNum`, a .doc LSTF) by its levels, as a reader of another
    /// format has read them.
    pub(crate) fn define_list(&mut self, list_id: String, levels: Vec<Level>) {
        self.abstracts.insert(list_id, levels);
    }

    /// Defines an instance of a list (a `w:num`, a .doc LFO) and the levels it restarts at a
    /// start of its own: (level, start).
    pub(crate) fn define_instance(
        &mut self,
        num_id: String,
        list_id: String,
        overrides: Vec<(usize, u32)>,
    ) {
        self.nums.insert(num_id, (list_id, overrides));
    }

    fn store(&mut self, abstract_id: Option<&str>, at: usize, level: Level) {
        let Some(id) = abstract_id else { return };
        let levels = self.abstracts.entry(id.to_string()).or_default();
        if at >= levels.len() {
            if at >= 9 {
                return;
            }
            levels.resize(at + 1, Level::new(NumberFormat::Decimal, String::new(), 1));
        }
        levels[at] = level;
    }

    /// The label of the next paragraph of list `num_id` at `level` (`一、`), or nothing for a
    /// list that is not defined, numId 0 (no numbering), or a bullet.
    pub(crate) fn label(&mut self, num_id: &str, level: usize) -> String {
        let Some((abstract_id, overrides)) = self.nums.get(num_id) else {
            return String::new();
        };
        let Some(levels) = self.abstracts.get(abstract_id) else {
            return String::new();
        };
        let counter = self.counters.entry(abstract_id.clone()).or_default();
        if !overrides.is_empty() && self.started.insert(num_id.to_string()) {
            // A start override restarts the list: its levels count from the new start.
            let mut restarted: Vec<Level> = levels.clone();
            for &(at, start) in overrides {
                if let Some(l) = restarted.get_mut(at) {
                    l.start = start;
                }
            }
            *counter = Counter::default();
            let label = counter.next(&restarted, level);
            self.abstracts.insert(abstract_id.clone(), restarted);
            return label;
        }
        counter.next(levels, level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counting_as_word_writes_it() {
        let f = NumberFormat::ChineseCounting;
        let cases = [
            (1, "一"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (21, "二十一"),
            (99, "九十九"),
            (100, "一百"),
            (105, "一百〇五"),
            (110, "一百一十"),
            (1234, "一千二百三十四"),
            (10_001, "一万〇一"),
        ];
        for (n, text) in cases {
            assert_eq!(f.render(n), text, "{n}");
        }
        assert_eq!(
            NumberFormat::ChineseCountingThousand.render(105),
            "一百零五"
        );
        assert_eq!(NumberFormat::IdeographDigital.render(10), "一〇");
        assert_eq!(NumberFormat::IdeographDigital.render(2024), "二〇二四");
        assert_eq!(NumberFormat::ChineseLegal.render(12), "拾贰");
        assert_eq!(NumberFormat::HeavenlyStems.render(3), "丙");
    }

    #[test]
    fn latin_formats() {
        assert_eq!(NumberFormat::LowerLetter.render(1), "a");
        assert_eq!(NumberFormat::UpperLetter.render(28), "BB");
        assert_eq!(NumberFormat::LowerRoman.render(14), "xiv");
        assert_eq!(NumberFormat::UpperRoman.render(1999), "MCMXCIX");
        // Hostile start values stay short.
        assert_eq!(NumberFormat::UpperRoman.render(u32::MAX), "4294967295");
        assert_eq!(NumberFormat::LowerLetter.render(u32::MAX), "4294967295");
        assert_eq!(NumberFormat::LowerLetter.render(130), "zzzzz");
        assert!(
            NumberFormat::ChineseCounting
                .render(u32::MAX)
                .chars()
                .count()
                < 40
        );
        assert_eq!(NumberFormat::DecimalZero.render(7), "07");
        assert_eq!(NumberFormat::EnclosedCircle.render(3), "③");
        assert_eq!(NumberFormat::EnclosedCircle.render(21), "21");
        assert_eq!(NumberFormat::FullWidth.render(12), "１２");
        assert_eq!(NumberFormat::None.render(3), "");
    }

    #[test]
    fn odf_formats() {
        assert_eq!(
            NumberFormat::from_odf("一, 二, 三, ..."),
            NumberFormat::ChineseCounting
        );
        assert_eq!(NumberFormat::from_odf("1"), NumberFormat::Decimal);
        assert_eq!(NumberFormat::from_odf("i"), NumberFormat::LowerRoman);
        assert_eq!(NumberFormat::from_odf(""), NumberFormat::None);
    }

    const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="5">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3"/><w:isLgl/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="6">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#xF0B7;"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="5"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="5"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="5"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>
      <w:num w:numId="4"><w:abstractNumId w:val="6"/></w:num>
    </w:numbering>"#;

    #[test]
    fn word_numbering_counts_restarts_and_continues() {
        let mut n = WordNumbering::parse(NUMBERING).unwrap();
        let labels: Vec<String> = [
            ("1", 0),
            ("1", 1),
            ("1", 1),
            ("1", 0),
            ("1", 1),
            ("1", 2),
            ("2", 0),
        ]
        .iter()
        .map(|(id, level)| n.label(id, *level))
        .collect();
        // Another w:num of the same definition continues it (三、); legal numbering writes the
        // Chinese level 1 in decimal (2.1).
        assert_eq!(
            labels,
            ["一、", "（一）", "（二）", "二、", "（一）", "2.1", "三、"]
        );
        // A start override restarts it at its own start.
        assert_eq!(n.label("3", 0), "四、");
        assert_eq!(n.label("3", 0), "五、");
        // Bullets and unknown lists have no label.
        assert_eq!(n.label("4", 0), "");
        assert_eq!(n.label("9", 0), "");
        assert_eq!(n.label("0", 0), "");
    }
}
