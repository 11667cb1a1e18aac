//! Footnotes at the foot of a page, and the reference numbers glued into the body that point
//! at them.
//!
//! A PDF export prints a page's footnotes between its last body line and its footer:
//! `1本文根据会议记录整理。`, `1 本文……`, `①……`, `[1]……`, `注：……`. The body carries the
//! reference as a superscript digit, which text extraction glues after the punctuation it
//! followed (`请遵照执行。1`) or prints on a line of its own.
//!
//! A footnote block is recognised only with evidence: its first number also appears in the body
//! of the same page as a reference (glued after CJK punctuation, or alone on a line), or it
//! continues the numbering of a footnote found on an earlier page. Its lines are marked
//! ([`crate::stages::Line::footnote`]), never removed. A reference is removed (`footnote-marker`)
//! only when its footnote stands at the foot of the same page and the reference is the only
//! place on that page it could be.

use crate::text::{display_width, is_cjk_punct, is_han, is_line_space};

/// How many lines a page's footnote block may hold.
const MAX_BLOCK_LINES: usize = 12;

/// The mark a footnote line starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// `1`, `①`, `[1]`, `注1：`.
    Number(u32),
    /// `注：`, `注:`: a note without a number.
    Note,
}

/// A circled number ①–⑳.
fn circled(c: char) -> Option<u32> {
    ('\u{2460}'..='\u{2473}')
        .contains(&c)
        .then(|| c as u32 - 0x2460 + 1)
}

/// Characters that may follow a footnote's number at the start of its line: its text.
fn starts_note_text(c: char) -> bool {
    is_han(c) || matches!(c, '“' | '《' | '（' | '(' | '「' | '"')
}

/// Characters after a number that make it a quantity, a date or a list number, not a marker.
fn is_quantity_follower(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            c,
            '.' | '．'
                | '、'
                | ')'
                | '）'
                | ':'
                | '：'
                | '%'
                | '％'
                | '/'
                | '-'
                | '—'
                | '–'
                | '~'
                | '～'
                | '至'
                | ','
                | '，'
                | '年'
                | '月'
                | '日'
                | '号'
                | '时'
                | '点'
                | '分'
                | '秒'
                | '个'
                | '项'
                | '件'
                | '次'
                | '人'
                | '名'
                | '位'
                | '元'
                | '万'
                | '亿'
                | '条'
                | '款'
                | '章'
                | '节'
                | '种'
                | '家'
                | '份'
                | '批'
                | '期'
                | '届'
                | '岁'
                | '天'
                | '周'
                | '米'
                | '吨'
                | '台'
                | '套'
                | '座'
                | '所'
                | '倍'
        )
}

fn leading_digits(text: &str) -> Option<(u32, usize)> {
    let len = text.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 || len > 3 {
        return None;
    }
    let n: u32 = text[..len].parse().ok()?;
    (n >= 1).then_some((n, len))
}

/// The footnote mark a line starts with, if it starts like a footnote.
pub fn leading_mark(line: &str) -> Option<Mark> {
    mark_and_number_len(line).map(|(mark, _)| mark)
}

/// The bytes of a footnote line's number (`1`, `1 `, `①`, `[1]`), which the note's text does
/// not include; 0 for a labelled note (`注：`, `注1：`), whose label is text.
pub fn number_len(line: &str) -> usize {
    mark_and_number_len(line).map_or(0, |(_, len)| len)
}

fn mark_and_number_len(line: &str) -> Option<(Mark, usize)> {
    let indent = line.len() - line.trim_start_matches(is_line_space).len();
    let line = &line[indent..];
    let first = line.chars().next()?;
    let spaces = |rest: &str| rest.len() - rest.trim_start_matches(is_line_space).len();
    if let Some(n) = circled(first) {
        let rest = &line[first.len_utf8()..];
        let len = first.len_utf8() + spaces(rest);
        return (len < line.len()).then_some((Mark::Number(n), indent + len));
    }
    if let Some((n, len)) = leading_digits(line) {
        let rest = &line[len..];
        let text = rest.trim_start_matches(' ');
        // At most one space between the number and the text.
        if rest.len() - text.len() > 1 {
            return None;
        }
        let next = text.chars().next()?;
        let number_len = indent + line.len() - text.len();
        return (starts_note_text(next) && !is_quantity_follower(next))
            .then_some((Mark::Number(n), number_len));
    }
    for (open, close) in [('[', ']'), ('［', '］'), ('〔', '〕')] {
        if let Some(rest) = line.strip_prefix(open) {
            let (n, len) = leading_digits(rest)?;
            let after = rest[len..].strip_prefix(close)?;
            let text = after.trim_start_matches(is_line_space);
            let number_len = indent + line.len() - text.len();
            return text
                .chars()
                .next()
                .is_some_and(starts_note_text)
                .then_some((Mark::Number(n), number_len));
        }
    }
    if let Some(rest) = line.strip_prefix('注') {
        let rest = rest.strip_prefix('释').unwrap_or(rest);
        if let Some((n, len)) = leading_digits(rest) {
            if rest[len..].starts_with(['：', ':']) {
                return Some((Mark::Number(n), 0));
            }
        }
        if rest.starts_with(['：', ':']) && rest.chars().count() > 2 {
            return Some((Mark::Note, 0));
        }
    }
    None
}

/// The display width of a page's widest line (see [`wrapped_into`]).
pub fn widest_line<'a>(lines: impl IntoIterator<Item = &'a str>) -> usize {
    lines.into_iter().map(line_width).max().unwrap_or(0)
}

fn line_width(line: &str) -> usize {
    line.trim_matches(is_line_space)
        .chars()
        .map(display_width)
        .sum()
}

/// The next line of text, when `line` may have been wrapped into it: a number ending a line may
/// go on there (`continues_into`). A line under half the page's widest is no wrapped line but
/// a paragraph's last, and what follows starts anew: `号）。1` above `1 月 19 日，纽约…` ends
/// with a reference, not with the first digit of `11 月`.
///
/// `widest` is asked only of a line that ends in a number (the only one [`references`] asks
/// about the next line): measuring every line of every page was an eighth of cleaning
/// hard-wrapped text.
pub fn wrapped_into<'a>(
    line: &str,
    next: Option<&'a str>,
    widest: impl FnOnce() -> usize,
) -> Option<&'a str> {
    let ends_in_a_number = line
        .trim_end_matches(is_line_space)
        .ends_with(|c: char| c.is_ascii_digit() || circled(c).is_some());
    if !ends_in_a_number {
        return next;
    }
    next.filter(|_| line_width(line) * 2 >= widest())
}

/// Where a reference to footnote `n` may stand in a body line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reference {
    /// The whole line is the number.
    Line,
    /// The number's bytes in the line.
    Glued(usize, usize),
}

/// Does a number that ends a line go on in the next one, the start of a date or a quantity
/// wrapped onto it (`3.9%。1` + `月 18 日`, `0.5%`)? Not into a list item that line starts
/// (`20.支持`, `3、加强`: digits and a list mark, then no digit).
fn continues_into(next: Option<&str>) -> bool {
    let Some(first) = next.and_then(|text| text.chars().next()) else {
        return false;
    };
    if !is_quantity_follower(first) {
        return false;
    }
    let next = next.unwrap_or_default();
    let after = next.trim_start_matches(|c: char| c.is_ascii_digit());
    let mut rest = after.chars();
    let list_item = after.len() < next.len()
        && matches!(rest.next(), Some('.' | '、' | '．'))
        && rest
            .next()
            .is_some_and(|c| !c.is_ascii_digit() && !is_line_space(c));
    !list_item
}

/// The places in `line` that may be the reference to footnote `n`. `next` is the next line of
/// text: a number at the end of a line may go on in it (`continues_into`).
pub fn references(line: &str, next: Option<&str>, n: u32, out: &mut Vec<Reference>) {
    let trimmed = line.trim_matches(is_line_space);
    if trimmed.is_empty() {
        return;
    }
    if trimmed.parse::<u32>().ok() == Some(n) || trimmed.chars().eq(circled_char(n)) {
        out.push(Reference::Line);
        return;
    }
    // A number right after CJK punctuation (maybe after a space at the end of the line), at the
    // end of the line or before text that does not make it a quantity.
    let digits = n.to_string();
    let mut prev: Option<char> = None;
    for (i, c) in line.char_indices() {
        let after_punct = prev
            .is_some_and(|p| is_cjk_punct(p) && !matches!(p, '（' | '“' | '《' | '「' | '—' | '·'));
        prev = Some(c);
        if !after_punct {
            continue;
        }
        // pdftotext may put a space before a superscript set in another font: `。 1`.
        let space = usize::from(c == ' ');
        let rest = &line[i + space..];
        let Some(first) = rest.chars().next() else {
            continue;
        };
        let len = if circled(first) == Some(n) {
            first.len_utf8()
        } else if rest.starts_with(&digits) {
            digits.len()
        } else {
            continue;
        };
        let tail = &rest[len..];
        let continues = |c: char| !is_quantity_follower(c) && (is_han(c) || is_cjk_punct(c));
        let end = i + space + len;
        match tail.chars().next() {
            None => {
                if !continues_into(next) {
                    out.push(Reference::Glued(i, end));
                }
            }
            Some(c) if is_line_space(c) => {
                let text = tail.trim_start_matches(is_line_space);
                if text.is_empty() {
                    if !continues_into(next) {
                        out.push(Reference::Glued(i, end));
                    }
                } else if space == 1 && c == ' ' && tail[1..].chars().next().is_some_and(continues)
                {
                    // `。 1 不断规范`: set apart on both sides; both spaces go with it.
                    out.push(Reference::Glued(i, end + 1));
                }
            }
            Some(c) if continues(c) => out.push(Reference::Glued(i, end)),
            // The number glued to a year that opens the next sentence (`。11997 年，`): a
            // year has four digits, so the run read whole (`11997年`) is no year, and read
            // after the mark it is one.
            Some(_) if opens_with_a_year(tail) => out.push(Reference::Glued(i, end)),
            Some(_) => {}
        }
    }
}

/// Does `text` open with a year of these two centuries and its `年` (`1997年`, `2021 年`,
/// pdftotext setting the digits apart), with no digit before the `年`?
fn opens_with_a_year(text: &str) -> bool {
    let bytes = text.as_bytes();
    let year = bytes.len() >= 4
        && (bytes.starts_with(b"19") || bytes.starts_with(b"20"))
        && bytes[2..4].iter().all(u8::is_ascii_digit);
    year && {
        let rest = &text[4..];
        rest.strip_prefix(' ').unwrap_or(rest).starts_with('年')
    }
}

fn circled_char(n: u32) -> impl Iterator<Item = char> {
    (1..=20)
        .contains(&n)
        .then(|| char::from_u32(0x2460 + n - 1))
        .flatten()
        .into_iter()
}

/// A footnote block found at a page foot.
#[derive(Debug, PartialEq, Eq)]
pub struct Block {
    /// Its first line (an index into the lines given), through the end.
    pub start: usize,
    /// The numbers its lines start with, in order.
    pub numbers: Vec<u32>,
}

/// Finds the footnote block at the foot of `lines` (a page's body, footer and page number
/// already set aside). `last_number` is the last footnote number found on an earlier page.
pub fn find_block(lines: &[&str], last_number: Option<u32>) -> Option<Block> {
    let mut best = None;
    let mut seen = 0;
    let mut refs = Vec::new();
    let widest = std::cell::OnceCell::new();
    let widest = || *widest.get_or_init(|| widest_line(lines.iter().copied()));
    for start in (1..lines.len()).rev() {
        if lines[start].trim_matches(is_line_space).is_empty() {
            continue;
        }
        seen += 1;
        if seen > MAX_BLOCK_LINES {
            break;
        }
        let Some(mark) = leading_mark(lines[start]) else {
            continue;
        };
        // The marks of the block from here down: numbers climbing by one, or a lone note.
        let marks: Vec<Mark> = lines[start..]
            .iter()
            .filter_map(|l| leading_mark(l))
            .collect();
        let numbers: Vec<u32> = marks
            .iter()
            .filter_map(|m| match m {
                Mark::Number(n) => Some(*n),
                Mark::Note => None,
            })
            .collect();
        let valid = match mark {
            Mark::Note => marks.len() == 1,
            Mark::Number(first) => {
                numbers.len() == marks.len()
                    && numbers.windows(2).all(|w| w[1] == w[0] + 1)
                    && (last_number == Some(first - 1) && first > 1 || {
                        refs.clear();
                        (0..start).any(|i| {
                            // The footnote below the last body line continues nothing.
                            let next = lines[i + 1..start].first().copied();
                            let next = wrapped_into(lines[i], next, widest);
                            references(lines[i], next, first, &mut refs);
                            !refs.is_empty()
                        })
                    })
            }
        };
        if valid {
            best = Some(Block { start, numbers });
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_that_start_like_footnotes() {
        for (line, mark) in [
            ("1本文根据会议记录整理。", Mark::Number(1)),
            ("1 本文根据会议记录整理。", Mark::Number(1)),
            ("12“十四五”规划。", Mark::Number(12)),
            ("①参见《条例》第三条。", Mark::Number(1)),
            ("[2]同上。", Mark::Number(2)),
            ("注：本表数据截至年底。", Mark::Note),
            ("注1：本表数据截至年底。", Mark::Number(1)),
        ] {
            assert_eq!(leading_mark(line), Some(mark), "{line:?}");
        }
        for line in [
            "1.按照要求",
            "1、按照要求",
            "2021年工作",
            "5项：企业产权",
            "3 个方面",
            "1  本文",
            "一是加强",
            "注意事项",
            "注：",
            "1",
            "①",
        ] {
            assert_eq!(leading_mark(line), None, "{line:?}");
        }
    }

    #[test]
    fn the_number_of_a_footnote_line() {
        assert_eq!(number_len("1本文"), 1);
        assert_eq!(number_len("12 本文"), 3);
        assert_eq!(number_len("① 参见"), 4);
        assert_eq!(number_len("[2]同上。"), 3);
        assert_eq!(number_len("注1：本表"), 0);
        assert_eq!(number_len("注：本表"), 0);
        assert_eq!(number_len("2021年"), 0);
    }

    #[test]
    fn references_after_punctuation() {
        let mut refs = Vec::new();
        references("请遵照执行。1", None, 1, &mut refs);
        assert_eq!(refs, [Reference::Glued(18, 19)]);
        refs.clear();
        references("请遵照执行。1 ", Some("二是"), 1, &mut refs);
        assert_eq!(refs.len(), 1);
        refs.clear();
        references("丰富多彩。 1据旅游", None, 1, &mut refs);
        assert_eq!(refs, [Reference::Glued(15, 17)]);
        refs.clear();
        references("公开。 2 不断规范", None, 2, &mut refs);
        assert_eq!(refs, [Reference::Glued(9, 12)]);
        refs.clear();
        references("1", None, 1, &mut refs);
        assert_eq!(refs, [Reference::Line]);
        // A date wrapped after its first digit.
        refs.clear();
        references("增长3.9%。1", Some("月 18 日"), 1, &mut refs);
        assert!(refs.is_empty());
        // A number that may go on in the next line stays; one before a list item is a reference.
        for next in ["0.5%。", "2、3", "0 万元", "20.5亿元"] {
            references("增长3.9%。1", Some(next), 1, &mut refs);
            assert!(refs.is_empty(), "{next}");
        }
        for next in ["20.支持人民法院依法受理", "3、加强组织领导"] {
            refs.clear();
            references("取得实效。1", Some(next), 1, &mut refs);
            assert_eq!(refs, [Reference::Glued(15, 16)], "{next}");
        }
        // A number glued to a year that opens the next sentence: the run is no year.
        for (line, n) in [("2万余台。11997 年，家庭农场", 1), ("实处。22021年以来", 2)]
        {
            refs.clear();
            references(line, None, n, &mut refs);
            assert_eq!(refs.len(), 1, "{line:?}");
        }
        // Quantities, dates and list numbers are not references.
        for line in [
            "完成。1月份开始",
            "完成。119980 年",
            "完成。1998年",
            "完成。11800年",
            "完成。1 1997 年",
            "完成，1项",
            "要求：1.加强",
            "共计12。",
            "第1条",
            "增长，1—11月",
            "公开。 1 2",
        ] {
            refs.clear();
            references(line, None, 1, &mut refs);
            assert!(refs.is_empty(), "{line:?}");
        }
    }

    #[test]
    fn a_block_needs_its_reference_in_the_body() {
        let page = ["正文第一行，", "请遵照执行。1", "1本文根据会议记录整理。"];
        assert_eq!(
            find_block(&page, None),
            Some(Block {
                start: 2,
                numbers: vec![1]
            })
        );
        // Wrapped footnotes and two of them.
        let page = ["正文。1又一句。2", "1本文根据会议记录", "整理。", "2同上。"];
        assert_eq!(find_block(&page, None).map(|b| b.start), Some(1));
        // No reference: a body line that starts with a number stays body.
        let page = ["证明事项", "5 项：企业产权归属证明"];
        assert_eq!(find_block(&["正文，", "1本文"], None), None);
        assert_eq!(find_block(&page, None), None);
        // The numbering of an earlier page continues.
        assert_eq!(
            find_block(&["正文，", "3本文根据会议记录整理。"], Some(2)).map(|b| b.start),
            Some(1)
        );
    }

    #[test]
    fn a_number_ending_a_paragraph_does_not_go_on_in_the_next() {
        // The reference ends a short line (the paragraph's last) and the next paragraph opens
        // with a date: `1` + `1 月` is not `11 月`.
        let page = [
            "就超过限额生产的国家回到雅加达会议确定的限额达成一致，以实现",
            "号）。1",
            "1 月 19 日，纽约各界为舍己救人的华人学生赵艳珍举行公祭仪",
            "式。本月 9 日，一些砖块从纽约某小学正在施工的教学楼落",
            "1 本文根据东城区教育局会议记录整理。",
        ];
        assert_eq!(find_block(&page, None).map(|b| b.start), Some(4));
        // The same digit at the end of a full line is the start of a date wrapped after it.
        let page = [
            "就超过限额生产的国家回到雅加达会议确定的限额达成一致，以实现",
            "石油市场的供求平衡，扭转油价下跌的趋势，自今年。1",
            "1 月 19 日，纽约各界为舍己救人的华人学生赵艳珍举行公祭仪",
            "1 本文根据东城区教育局会议记录整理。",
        ];
        assert_eq!(find_block(&page, None), None);
        let widest = || widest_line(page);
        assert_eq!(wrapped_into(page[1], Some(page[2]), widest), Some(page[2]));
        assert_eq!(wrapped_into("号）。1", Some(page[2]), widest), None);
    }
}
