//! Which lines are headings, list items and titles: what reflow never joins into a paragraph.

use crate::text::{is_chinese_numeral, HAN_LEAD_BYTES};

/// A heading, title, date or signature is at most this many characters.
pub const MAX_TITLE_CHARS: usize = 30;
/// A heading that starts with a list marker (`（一）早谋划，确定全年工作要点`) may be longer.
pub const MAX_MARKED_HEADING_CHARS: usize = 40;
/// More characters than this and a line is no title of any kind.
pub const TITLE_CHARS_LIMIT: usize = if MAX_TITLE_CHARS > MAX_MARKED_HEADING_CHARS {
    MAX_TITLE_CHARS
} else {
    MAX_MARKED_HEADING_CHARS
};
/// Sentence punctuation that a title does not have.
pub fn is_stop(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';')
}

/// The word after `第N` that makes it a heading: `章`, `条`, `节`, … in either script. Reflow
/// runs before conversion, so a second cleaning of converted text reads the other script's
/// form (`第一條`) and must find the same heading.
fn is_section_word(c: char) -> bool {
    SECTION_WORDS.contains(c)
}

const SECTION_WORDS: &str = "章条條节節编編部篇款项項";

/// Does the text start a heading or list item: `一、` `（一）` `(一)` `1.` `1、` `（1）` `第X章/条/节`
/// `①` `附件`?
pub fn starts_block(text: &str) -> bool {
    match text.as_bytes().first() {
        // Most lines start with a Han character of U+4000–U+9FFF (lead bytes E4–E9), which
        // starts a block only as `第` (`第一章`), `附` (`附件`) or a Chinese numeral (`一、`): any
        // other starts none, without the markers' cases asked one by one.
        Some(lead) if HAN_LEAD_BYTES.contains(lead) => {
            let first = text.chars().next().unwrap_or_default();
            if !matches!(first, '第' | '附') && !is_chinese_numeral(first) {
                return false;
            }
        }
        // Nor does a line that starts with bytes none of the cases' first characters starts
        // with (an ideographic space, a quotation mark, a letter): they are `(`, the digits,
        // `①`–`⒛` (E2 91–92), `❶`–`❿` (E2 9D), `〇` (E3 80 87) and `（` (EF BC 88).
        Some(_) if !may_start_marker(text.as_bytes()) => return false,
        _ => {}
    }
    starts_block_of_any(text)
}

/// Do the bytes start with `(`, a digit, or one of the characters besides Han the cases of
/// [`starts_block_of_any`] start with (`①`–`⒛`, `❶`–`❿`, `〇`, `（`)?
fn may_start_marker(bytes: &[u8]) -> bool {
    match bytes {
        [b'(' | b'0'..=b'9', ..] => true,
        [0xE2, second, ..] => matches!(second, 0x91 | 0x92 | 0x9D),
        [0xE3, 0x80, last, ..] => *last == 0x87,
        [0xEF, 0xBC, last, ..] => *last == 0x88,
        _ => false,
    }
}

/// [`starts_block`] asked case by case, whatever the line starts with.
fn starts_block_of_any(text: &str) -> bool {
    if let Some(text) = without_bracket_spaces(text) {
        return starts_block_of_any(&text);
    }
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let is_numeral = is_chinese_numeral;
    match first {
        '①'..='⑳' | '⑴'..='⒇' | '⒈'..='⒛' | '❶'..='❿' => true,
        '（' | '(' => {
            // What is inside, up to the closing parenthesis or the end: at most three
            // characters, so only the first four are looked at.
            let rest = chars.as_str();
            let close = rest
                .char_indices()
                .take(4)
                .find(|(_, c)| matches!(c, '）' | ')'));
            let inner = match close {
                Some((end, _)) => &rest[..end],
                None if rest.chars().nth(3).is_none() => rest,
                None => return false,
            };
            !inner.is_empty()
                && (inner.chars().all(is_numeral) || inner.chars().all(|c| c.is_ascii_digit()))
        }
        '第' => {
            let mut rest = chars.take(6);
            let numeral_len = rest
                .clone()
                .take_while(|c| is_numeral(*c) || c.is_ascii_digit())
                .count();
            numeral_len > 0 && rest.nth(numeral_len).is_some_and(is_section_word)
        }
        c if c.is_ascii_digit() => {
            // The digits are bytes of their own: counted so, not decoded as characters.
            let digits = text.bytes().take_while(u8::is_ascii_digit).count();
            let mut after = text[digits..].chars();
            match after.next() {
                Some('、') => digits <= MAX_MARKER_DIGITS,
                Some('．') => true,
                // `1.` but not `1.5`
                Some('.') => !after.next().is_some_and(|c| c.is_ascii_digit()),
                _ => false,
            }
        }
        c if is_numeral(c) => {
            let after = text.trim_start_matches(is_numeral);
            after.starts_with('、')
        }
        _ => text.starts_with("附件"),
    }
}

/// The most digits a list's number before `、` has (`1、`, `105、`): four are a year in a list
/// of years (`1994、1995、1996三年`), which a wrap may put at a line's start.
const MAX_MARKER_DIGITS: usize = 3;

/// `（ 一 ）` as `（一）`: the spaces inside a full-width bracket that opens the line, which polish's
/// `quote-space` removes (beside Chinese text) after reflow has decided on the line. A second
/// cleaning reads the marker without them, so reflow reads it so the first time too: a lone
/// `（ 一）` kept apart from its item became `（一）`, which the second cleaning joined to it.
/// `None` when there is no such space (nearly always: no allocation).
fn without_bracket_spaces(text: &str) -> Option<String> {
    let rest = text.strip_prefix('（')?;
    // The bracket is looked for among the first eight characters, at most 32 bytes: without a
    // space among those bytes there is none to take away, and most markers (`（一）`) are
    // passed at one byte search, without their characters decoded.
    memchr::memchr(b' ', &rest.as_bytes()[..rest.len().min(32)])?;
    // A marker's inside is a few characters: the bracket closes within the first few.
    let (close, _) = rest.char_indices().take(8).find(|&(_, c)| c == '）')?;
    let inner = &rest[..close];
    let trimmed = inner.trim_matches(' ');
    if trimmed.len() == inner.len() {
        return None;
    }
    Some(format!("（{trimmed}{}", &rest[close..]))
}

/// Is the text a list marker and nothing else (`一、`, `（一）`, `1.`, `（1）`, `①`)? pdftotext
/// sets Word's automatic numbers apart from their text, on a line of their own.
pub fn is_lone_marker(text: &str) -> bool {
    let text = text.trim_matches(crate::text::is_line_space);
    let mut chars = text.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let rest = chars.as_str();
    match first {
        '①'..='⑳' | '⑴'..='⒇' | '⒈'..='⒛' | '❶'..='❿' => rest.is_empty(),
        '（' | '(' => {
            starts_block(text)
                && rest
                    .strip_suffix(['）', ')'])
                    .is_some_and(|inner| !inner.contains(['）', ')']) && !inner.is_empty())
        }
        c if c.is_ascii_digit() => {
            let after = text.trim_start_matches(|c: char| c.is_ascii_digit());
            text.len() - after.len() <= MAX_MARKER_DIGITS && matches!(after, "、" | "." | "．")
        }
        c if is_chinese_numeral(c) => {
            let after = text.trim_start_matches(is_chinese_numeral);
            after == "、" && text.chars().count() <= 4
        }
        _ => false,
    }
}

/// News agencies and papers whose dateline opens a news item: `新华社北京1月28日电`,
/// `据新华社电`, `本报讯`, `本报福州电`, in either script.
const DATELINE_SOURCES: [&str; 8] = [
    "新华社",
    "新華社",
    "中新社",
    "本报",
    "本報",
    "人民日报",
    "人民日報",
    "中新网",
];

/// How many characters a dateline may hold between its source and `电` or `讯` (a place and a
/// date, which pdftotext sets apart with spaces: `新华社巴格达 1 月 28 日电`).
const MAX_DATELINE_CHARS: usize = 24;

/// Does the line open a news item with its dateline (`新华社巴格达1月28日电（记者…）`,
/// `据新华社电`, `本报讯`)? A dateline starts a paragraph: in the People's Daily 1998 corpus
/// 1,751 of 19,484 paragraphs open with one, and one sentence inside a paragraph does. A
/// word that merely begins with `电` (`新华社记者日前电话采访`) is no dateline.
pub fn opens_news_item(text: &str) -> bool {
    let text = text.strip_prefix(['据', '據']).unwrap_or(text);
    let Some(rest) = DATELINE_SOURCES
        .iter()
        .find_map(|source| text.strip_prefix(source))
    else {
        return false;
    };
    let mut chars = rest.chars().take(MAX_DATELINE_CHARS).peekable();
    while let Some(c) = chars.next() {
        match c {
            '电' | '電' | '讯' | '訊' => {
                return !chars
                    .peek()
                    .is_some_and(|next| ELECTRIC_WORDS.contains(*next));
            }
            // The dateline is a place and a date: no punctuation inside.
            c if crate::text::is_cjk_punct(c) || c.is_ascii_punctuation() => return false,
            _ => {}
        }
    }
    false
}

/// Characters after `电` that make a word of it (`电话`, `电视`, `电力`), not a dateline's end.
const ELECTRIC_WORDS: &str = "话話视視脑腦子力影报報台网網器池梯站源费費厂廠线線缆纜动動气氣信讯訊";

/// Does a footnote line start a note: `1 本文…`, `①`, `[1]`, `*`, `注：`? A line of a note
/// without one continues the note before it.
pub fn starts_footnote(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some('①'..='⑳' | '⑴'..='⒇' | '*' | '＊' | '†') => true,
        Some('[' | '［' | '〔') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        Some(c) if c.is_ascii_digit() => {
            let after = text.trim_start_matches(|c: char| c.is_ascii_digit());
            // `1 本文`, `1本文`, `1.`, `1)`: not a year or an amount (`2023年`, `15%`).
            !after.starts_with(['年', '月', '日', '%', '万', '亿', '元', '个', '.', '．'])
                || after.starts_with(". ")
        }
        _ => text.starts_with("注：") || text.starts_with("注:"),
    }
}

/// Words a Chinese document's title ends with: its kind (文种).
const TITLE_KINDS: &[&str] = &[
    "通知", "通报", "报告", "意见", "决定", "方案", "办法", "规定", "细则", "规划", "计划", "纲要",
    "批复", "请示", "函", "公告", "通告", "纪要", "总结", "条例", "决议", "命令", "议案", "讲话",
    "要点", "说明", "公报", "指引", "指南", "制度", "规则", "章程", "守则", "須知", "须知", "報告",
    "通報", "規定", "細則", "規劃", "計劃", "綱要", "批覆", "請示", "紀要", "總結", "條例", "決議",
    "決定", "講話", "說明", "規則", "辦法", "意見", "議案", "要點", "公報", "守則", "説明",
];

/// Does a title end with its kind (`…的通知`)?
fn is_kind_end(text: &str) -> bool {
    TITLE_KINDS.iter().any(|kind| text.ends_with(kind))
}

/// The last character of an office's name (`某某市司法局`, `某某委员会`), in either script.
fn is_office_end(c: char) -> bool {
    OFFICE_ENDS.contains(c)
}

const OFFICE_ENDS: &str = "局委会會院厅廳办辦部府室处處司所校馆館站队隊心";

/// A line starting with these is a title of its own (`关于…的通知`).
const TITLE_STARTS: [&str; 2] = ["关于", "關於"];

/// Does `text` leave a bracket or a quotation open? A bracket counts in both widths: polish
/// widens `(` to `（` after reflow, and a second cleaning must find the same bracket open
/// (`(以` + `1`).
fn leaves_open(text: &str) -> bool {
    let unclosed = |open: &[char], close: &[char]| {
        text.chars().filter(|c| open.contains(c)).count()
            > text.chars().filter(|c| close.contains(c)).count()
    };
    unclosed(&['《'], &['》'])
        || unclosed(&['（', '('], &['）', ')'])
        || unclosed(&['“'], &['”'])
        || unclosed(&['〔'], &['〕'])
}

/// Is `text`, a line at the top of a document, a whole title: it ends with the title's kind
/// (`…的通知`), its brackets closed? What follows it is no more of it (the title join reads it
/// so: [`continues_title`]), however near the margin it ends: the document's number
/// (`义民发〔1998〕60号`) or its addressees (`各乡镇人民政府，…：`) come next on a line of
/// their own.
pub fn is_whole_title(text: &str) -> bool {
    is_kind_end(text) && !leaves_open(text)
}

/// Do two short lines at the top of a document split one title: the first leaves a bracket or
/// quotation open, or the second starts with a mark no line starts with, or the title's kind
/// (`通知`, `报告`, …) ends only the two together — and the second is not a title of its own
/// (`关于…`), nor the first an office's name (`某某市司法局` above its document's title).
pub fn continues_title(first: &str, second: &str) -> bool {
    let Some(first_last) = first.chars().next_back() else {
        return false;
    };
    if TITLE_STARTS.iter().any(|start| second.starts_with(start)) || starts_block(second) {
        return false;
    }
    // Half-width too: polish widens them after this, and a second cleaning must decide alike.
    if second.starts_with([
        '，', '。', '、', '》', '）', '”', '〕', '：', ',', ')', ':', ';', '；',
    ]) {
        return true;
    }
    if leaves_open(first) {
        return true;
    }
    let is_office = is_office_end(first_last);
    // The kind may itself be split (`…的实施意` + `见`); a first part that closed its brackets
    // goes on only into `的…`.
    let both = [first, second].concat();
    !is_office
        && !is_kind_end(first)
        && is_kind_end(&both)
        && !first_last.is_ascii_digit()
        && (!crate::text::is_cjk_punct(first_last) || second.starts_with('的'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line that starts with a Han character of U+4000–U+9FFF is judged as the cases judge
    /// it: every such character, before the texts that make a marker of some (`、`, `章`,
    /// `件`, `条`) and others.
    #[test]
    fn lines_that_start_with_han_are_judged_as_the_cases_judge_them() {
        let mut blocks = 0;
        for c in ('\u{4000}'..='\u{9FFF}').filter(|c| c.len_utf8() == 3) {
            for tail in [
                "", "、", "章", "件", "条", "一、", "十章", "二条", "，", "1.",
            ] {
                let text = format!("{c}{tail}");
                assert_eq!(starts_block(&text), starts_block_of_any(&text), "{text:?}");
                blocks += usize::from(starts_block(&text));
            }
        }
        // Among them the markers: `一、`, `第一章`, `附件` and more.
        assert!(blocks >= 15, "{blocks}");
    }

    /// A line whose first character has no case of its own starts no block: every character
    /// of the Basic Multilingual Plane and a few beyond, before the texts that make a marker
    /// of some, with spaces inside a bracket among them.
    #[test]
    fn lines_are_judged_by_their_first_character_as_the_cases_judge_them() {
        let firsts = (0..0x10000u32)
            .chain(0x1F100..0x1F200)
            .chain(0x20000..0x20010)
            .filter_map(char::from_u32);
        let mut blocks = 0;
        for c in firsts {
            for tail in [
                "", "、", "件", "一、", "十章", "1）", "一）", " 一 ）", "1.", "．", "2、",
            ] {
                let text = format!("{c}{tail}");
                assert_eq!(starts_block(&text), starts_block_of_any(&text), "{text:?}");
                blocks += usize::from(starts_block(&text));
            }
        }
        assert!(blocks >= 100, "{blocks}");
    }

    #[test]
    fn news_datelines() {
        for text in [
            "新华社北京1月28日电（记者张三）国务院今天发出通知，",
            "据新华社波恩 1 月 28 日电（记者杨华升）正在德国访问的",
            "据新华社电北方交通大学与北京建筑工程学院日前签署",
            "本报讯为迎接本溪解放50周年，",
            "本报福州电记者赵鹏报道：",
            "新華社臺北1月28日電",
            "據新華社電",
        ] {
            assert!(opens_news_item(text), "{text}");
        }
        for text in [
            // A word that begins with 电.
            "新华社记者日前电话采访了他，",
            "本报电视节目表见第八版。",
            // Punctuation before any 电: a sentence about the agency.
            "新华社记者，今天从北京电告",
            "本报，今日电",
            // Not at the start, or no source.
            "他说，据新华社电",
            "北京1月28日电",
            "据悉，",
            // The 电 too far from the source to end a dateline.
            "本报记者走访全市二十多个乡镇三百多户农家了解到他们的生活用电",
        ] {
            assert!(!opens_news_item(text), "{text}");
        }
    }

    #[test]
    fn list_and_heading_starts() {
        for text in [
            "一、总则",
            "十二、附则",
            "105、按照",
            "（一）加强",
            "(一)加强",
            "1. 按照",
            "10.全面",
            "1、按照",
            "（1）按照",
            "第三章 总则",
            "第十二条　根据",
            "①按照",
            "附件1",
            "（一二三）加强",
            "(12)按照",
            "（一",
            // The spaces polish's quote-space removes after reflow.
            "（ 一）加强",
            "（一  ）加强",
            "（ 十二 ）",
        ] {
            assert!(starts_block(text), "{text:?}");
        }
        for text in [
            "1.5倍",
            "2021年",
            "1995、1996三年",
            "一是加强",
            "（2021-2025年）",
            "第一批不涉及",
            "报告、经具有",
            "(LED)",
            "（一二三四）加强",
            "（一二三四",
            "()加强",
            "（1二）",
            "第",
            "（ ）加强",
            "（ 附件 ）",
        ] {
            assert!(!starts_block(text), "{text:?}");
        }
    }

    /// Reflow runs before conversion: a word it goes by must be recognised in every script a
    /// cleaning may convert it to, or a second cleaning of the converted text decides
    /// otherwise (`第一条` starts a heading, and so must `第一條`).
    #[test]
    fn lone_list_markers() {
        for text in [
            "一、",
            "十二、",
            "（一）",
            "(一)",
            "1.",
            "12、",
            "（1）",
            "①",
            " 3. ",
            "（ 一）",
            "（一 ）",
        ] {
            assert!(is_lone_marker(text), "{text:?}");
        }
        // A marker with its text, a number, a year, a bracketed word: not a marker alone.
        for text in [
            "一、总则",
            "1.按照",
            "1",
            "2021.",
            "2021年",
            "（附件）",
            "（一）加强",
            "（2021）",
            "。",
            "",
            "1.5",
            "一",
        ] {
            assert!(!is_lone_marker(text), "{text:?}");
        }
    }

    #[test]
    fn words_are_recognised_in_every_script() {
        use crate::stages::convert::{Config, ConvertOptions, Converter};
        let mut missed = Vec::new();
        // Not the Japanese forms (`jp2t`, `t2jp`): no cleaning converts to them.
        for config in Config::ALL
            .into_iter()
            .filter(|c| !matches!(c, Config::Jp2t | Config::T2jp))
        {
            let converter = Converter::new(config, ConvertOptions::default());
            let mut check = |text: String, recognised: &dyn Fn(&str) -> bool| {
                let converted = converter.convert(&text).into_owned();
                if !recognised(&converted) {
                    missed.push(format!("{config:?}: {text} -> {converted}"));
                }
            };
            for kind in TITLE_KINDS {
                check(format!("关于做好工作的{kind}"), &is_kind_end);
            }
            for word in SECTION_WORDS.chars() {
                check(format!("第一{word}　根据"), &starts_block);
            }
            for office in OFFICE_ENDS.chars() {
                check(office.to_string(), &|text: &str| {
                    text.chars().all(is_office_end)
                });
            }
            for start in TITLE_STARTS {
                check(start.to_string(), &|text: &str| {
                    TITLE_STARTS.contains(&text)
                });
            }
        }
        assert!(missed.is_empty(), "{missed:#?}");
    }

    #[test]
    fn titles_split_over_two_lines() {
        for (first, second) in [
            (
                "运城市司法局关于印发《运城市1998年基本原则工作要",
                "点》的实施方案",
            ),
            ("关于进一步加强全市安全生产工作的", "通知"),
            ("关于2023年法治政府建设工作情况的", "报告"),
            ("关于做好春节期间（元旦", "春节）工作的通知"),
            ("关于印发《运城市1998年基本原则工作要点》", "的实施方案"),
            ("关于1998年做好统筹协调工作的实施意", "见"),
            // A bracket left open in either width (polish widens `(` after reflow).
            ("(以", "1"),
            ("（以", "1"),
        ] {
            assert!(continues_title(first, second), "{first} + {second}");
        }
    }

    #[test]
    fn title_lines_that_stay_apart() {
        for (first, second) in [
            // An office above its document's title.
            ("中站区科工信局", "关于2023年法治政府建设工作情况的报告"),
            ("运城市科学技术局", "2021年法治政府建设年度报告"),
            // A title and its document number, date, subtitle or salutation.
            ("关于2023年法治政府建设工作情况的报告", "义商发〔1998〕65号"),
            ("关于2023年法治政府建设工作情况的报告", "（2023年12月1日）"),
            ("在全市工作会议上的讲话", "——2023年12月1日"),
            ("关于做好安全生产工作的通知", "各乡镇人民政府："),
            ("关于做好安全生产工作的通知", "一、总体要求"),
            ("2023年工作总结", "二〇二三年十二月"),
        ] {
            assert!(!continues_title(first, second), "{first} + {second}");
        }
    }
}
