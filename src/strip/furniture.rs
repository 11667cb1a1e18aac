//! Page furniture: what the page layout added around the text.
//!
//! - `page-number`: a line that is only a page number. Decorated forms are unmistakable and are
//!   removed wherever they stand alone: `— 3 —`, `- 3 -`, `－3－`, `·3·`, `第3页 共10页`,
//!   `第 3 页`, `Page 3 of 10`. A bare number (`3`) is removed only when it is isolated between
//!   page-break signals (blank lines, form feeds, the end), when the numbers climb (the previous
//!   page number plus one, or 1–3 for the first) and when a page worth of text separates it from
//!   the previous one — so a `3` in a numbered table, or in a list of items each followed by a
//!   blank line, is not a page number.
//! - `running-header`: a short line that repeats at page boundaries (next to a form feed or a
//!   page number) in the first batch of the document; its occurrences next to a page boundary are
//!   removed, the same text elsewhere (the title on the first page) is kept.
//!
//! A removed line, and a form feed, leave an empty line behind: it is the page-break signal the
//! reflow stage joins across. The stage holds back at most one candidate line (and a count of
//! the blank lines after it) until it sees what follows.

use std::collections::{HashMap, HashSet};

use crate::pipeline::Line;
use crate::report::Counts;

/// The least text, in characters, between two page numbers (or before the first one): a page.
const MIN_PAGE_CHARS: usize = 150;
/// The longest line that can be a running header or footer, in characters.
const MAX_HEADER_CHARS: usize = 40;

/// Is the dash-like character one that decorates page numbers?
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '—' | '–' | '－' | '―' | '‒' | '~' | '～' | '·' | '•' | '∙' | '・'
    )
}

fn parse_number(digits: &str) -> Option<u32> {
    let digits = digits.trim_matches([' ', '\u{3000}']);
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A decorated page number: the whole (trimmed) line is one, and it says which page.
pub fn decorated_page_number(line: &str) -> Option<u32> {
    let line = line.trim_matches(crate::text::is_line_space);
    // A cheap length test first: this runs on every line.
    if line.is_empty() || line.len() > 80 || line.chars().count() > 20 {
        return None;
    }
    // — 3 —, - 3 -, －3－, ·3·: a dash on both sides of a number.
    let first = line.chars().next()?;
    let last = line.chars().next_back()?;
    if is_dash(first) && is_dash(last) {
        let inner = line.trim_matches(|c: char| is_dash(c) || c == ' ' || c == '\u{3000}');
        if let Some(n) = parse_number(inner) {
            return Some(n);
        }
    }
    // 第3页, 第 3 页, 第3页 共10页, 第3页/共10页, 共10页 第3页.
    if line.contains('页') && line.contains('第') {
        let mut page = None;
        for part in line.split([' ', '　', '/', '，', ',', '|']) {
            if part.is_empty() {
                continue;
            }
            if let Some(n) = part
                .strip_prefix('第')
                .and_then(|p| p.strip_suffix('页'))
                .and_then(parse_number)
            {
                page = Some(n);
            } else if part
                .strip_prefix('共')
                .and_then(|p| p.strip_suffix('页'))
                .and_then(parse_number)
                .is_none()
                && !matches!(part, "第" | "页" | "共")
                && parse_number(part).is_none()
            {
                return None;
            }
        }
        if page.is_some() {
            return page;
        }
        // `第 3 页`: the words and the number spaced apart.
        let squeezed: String = line.chars().filter(|c| *c != ' ' && *c != '　').collect();
        return squeezed
            .strip_prefix('第')
            .and_then(|p| p.strip_suffix('页'))
            .and_then(parse_number);
    }
    // Page 3, Page 3 of 10.
    if let Some(rest) = line.strip_prefix("Page ") {
        let number = rest.split(" of ").next()?;
        let total_ok = rest
            .split_once(" of ")
            .map_or(true, |(_, total)| parse_number(total).is_some());
        return parse_number(number).filter(|_| total_ok);
    }
    None
}

/// A bare number on a line of its own: a page number only in the right company.
pub fn bare_number(line: &str) -> Option<u32> {
    parse_number(line.trim_matches(crate::text::is_line_space))
}

/// Finds running headers and footers in the first batch: short lines next to a page boundary
/// (a form feed or a decorated page number) that occur at two boundaries or more.
pub fn find_running_headers(lines: &[Line]) -> HashSet<String> {
    let texts: Vec<&str> = lines
        .iter()
        .flat_map(|line| split_form_feeds(&line.text))
        .map(|t| t.trim_matches(crate::text::is_line_space))
        .collect();
    let is_boundary = |t: &str| t == "\u{000C}" || decorated_page_number(t).is_some();
    let is_header_like = |t: &str| {
        !t.is_empty()
            && t.chars().count() <= MAX_HEADER_CHARS
            && !t.ends_with(['。', '！', '？', '；'])
            && bare_number(t).is_none()
    };
    // text → (boundaries it was seen at, the last boundary counted)
    let mut seen: HashMap<&str, (usize, usize)> = HashMap::new();
    let mut boundary = 0;
    for (i, text) in texts.iter().enumerate() {
        if !is_boundary(text) {
            continue;
        }
        boundary += 1;
        let before = texts[..i]
            .iter()
            .rev()
            .take(3)
            .find(|t| !t.is_empty() && !is_boundary(t));
        let after = texts[i + 1..]
            .iter()
            .take(3)
            .find(|t| !t.is_empty() && !is_boundary(t));
        for neighbour in [before, after].into_iter().flatten() {
            if !is_header_like(neighbour) {
                continue;
            }
            let entry = seen.entry(neighbour).or_insert((0, 0));
            if entry.1 != boundary {
                *entry = (entry.0 + 1, boundary);
            }
        }
    }
    seen.into_iter()
        .filter(|(_, (boundaries, _))| *boundaries >= 2)
        .map(|(text, _)| text.to_string())
        .collect()
}

/// Splits a line at form feeds, keeping each form feed as a piece of its own.
pub fn split_form_feeds(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.find('\u{000C}') {
            Some(0) => {
                let (ff, tail) = rest.split_at(1);
                rest = tail;
                Some(ff)
            }
            Some(i) => {
                let (head, tail) = rest.split_at(i);
                rest = tail;
                Some(head)
            }
            None => Some(std::mem::take(&mut rest)),
        }
    })
}

/// What kind of held-back candidate is waiting for its next neighbour.
#[derive(Debug)]
enum Candidate {
    BareNumber(u32),
    Header,
}

/// What follows a held candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Next {
    /// A form feed or a page-number line.
    PageBreak,
    Text,
    End,
}

/// A text's length and first eight bytes: two texts with different keys differ.
fn header_key(text: &str) -> (usize, u64) {
    let mut first = [0; 8];
    let n = text.len().min(8);
    first[..n].copy_from_slice(&text.as_bytes()[..n]);
    (text.len(), u64::from_le_bytes(first))
}

/// The streaming part: lines in, lines out, page furniture replaced by empty lines.
#[derive(Debug, Default)]
pub struct Furniture {
    pub page_numbers: bool,
    pub running_headers: bool,
    /// The running headers, each after its [`header_key`]. Few, and compared with every line:
    /// the key settles almost every comparison without reading the texts, where hashing the
    /// line for a set would read all of it.
    headers: Vec<((usize, u64), String)>,
    held: Option<(Line, Candidate)>,
    blanks_after_held: usize,
    /// The last line seen was blank or a page break.
    after_gap: bool,
    /// The last non-blank thing seen was a page break.
    after_break: bool,
    last_page: Option<u32>,
    chars_since_page: usize,
}

impl Furniture {
    pub fn new(page_numbers: bool, running_headers: bool) -> Self {
        Furniture {
            page_numbers,
            running_headers,
            ..Furniture::default()
        }
    }

    /// The running headers found in the first batch ([`find_running_headers`]).
    pub fn set_headers(&mut self, headers: HashSet<String>) {
        self.headers = headers.into_iter().map(|h| (header_key(&h), h)).collect();
    }

    /// How many running headers are known.
    pub fn header_count(&self) -> usize {
        self.headers.len()
    }

    fn is_header(&self, text: &str) -> bool {
        let key = header_key(text);
        self.headers.iter().any(|(k, h)| *k == key && h == text)
    }

    /// A form feed: a page break, marked by an empty line.
    pub fn form_feed(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        self.resolve(Next::PageBreak, out, counts);
        self.page_break(out);
    }

    /// One line of text (already stripped of markers and indentation).
    pub fn push(&mut self, line: Line, out: &mut Vec<Line>, counts: &mut Counts) {
        if !line.open && line.text.is_empty() {
            if self.held.is_some() {
                self.blanks_after_held += 1;
            } else {
                out.push(line);
            }
            self.after_gap = true;
            return;
        }
        // A page number is a page boundary for running headers even when it is kept.
        let page_number = (!line.open)
            .then(|| decorated_page_number(&line.text))
            .flatten();
        let next = if page_number.is_some() {
            Next::PageBreak
        } else {
            Next::Text
        };
        self.resolve(next, out, counts);
        if let Some(n) = page_number {
            if self.page_numbers {
                counts.add("page-number", 1);
                self.page_found(n);
                self.page_break(out);
            } else {
                self.emit_text(line, out);
                self.after_break = true;
            }
            return;
        }
        if !line.open {
            if let Some(n) = (self.page_numbers && self.after_gap)
                .then(|| bare_number(&line.text))
                .flatten()
            {
                self.held = Some((line, Candidate::BareNumber(n)));
                return;
            }
            if self.running_headers && self.is_header(&line.text) {
                if self.after_break {
                    counts.add("running-header", 1);
                    self.page_break(out);
                } else {
                    self.held = Some((line, Candidate::Header));
                }
                return;
            }
        }
        self.emit_text(line, out);
    }

    /// End of the document: decide what is held back.
    pub fn finish(&mut self, out: &mut Vec<Line>, counts: &mut Counts) {
        self.resolve(Next::End, out, counts);
    }

    fn page_break(&mut self, out: &mut Vec<Line>) {
        out.push(Line::default());
        self.after_gap = true;
        self.after_break = true;
    }

    fn page_found(&mut self, n: u32) {
        self.last_page = Some(n);
        self.chars_since_page = 0;
    }

    fn emit_text(&mut self, line: Line, out: &mut Vec<Line>) {
        // Only compared with MIN_PAGE_CHARS: once there, counting on changes nothing.
        if self.chars_since_page < MIN_PAGE_CHARS {
            self.chars_since_page += line.text.chars().count();
        }
        self.after_gap = false;
        self.after_break = false;
        out.push(line);
    }

    fn is_climbing(&self, n: u32) -> bool {
        self.chars_since_page >= MIN_PAGE_CHARS
            && match self.last_page {
                Some(previous) => n == previous + 1,
                None => (1..=3).contains(&n),
            }
    }

    /// Decides the held candidate now that what follows it is known.
    fn resolve(&mut self, next: Next, out: &mut Vec<Line>, counts: &mut Counts) {
        let Some((line, candidate)) = self.held.take() else {
            return;
        };
        let isolated = next != Next::Text || self.blanks_after_held > 0;
        let removed = match candidate {
            Candidate::BareNumber(n) if isolated && self.is_climbing(n) => {
                counts.add("page-number", 1);
                self.page_found(n);
                true
            }
            // The end of the document is no page boundary for a header: it may be a signature.
            Candidate::Header if next == Next::PageBreak => {
                counts.add("running-header", 1);
                true
            }
            _ => false,
        };
        if removed {
            self.page_break(out);
        } else {
            self.emit_text(line, out);
        }
        let blanks = std::mem::take(&mut self.blanks_after_held);
        for _ in 0..blanks {
            out.push(Line::default());
        }
        if blanks > 0 {
            self.after_gap = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decorated_page_numbers() {
        let cases = [
            ("— 3 —", 3),
            ("- 3 -", 3),
            ("－3－", 3),
            ("—12—", 12),
            ("·3·", 3),
            ("  - 7 -  ", 7),
            ("第3页 共10页", 3),
            ("第3页/共10页", 3),
            ("共10页 第3页", 3),
            ("第 3 页", 3),
            ("第3页", 3),
            ("Page 3", 3),
            ("Page 3 of 10", 3),
        ];
        for (input, n) in cases {
            assert_eq!(decorated_page_number(input), Some(n), "{input:?}");
        }
        for input in [
            "3",
            "- 3",
            "3 -",
            "—3—5—",
            "第3页的内容",
            "见第3页。",
            "第三页",
            "2021-2025",
            "（3）",
            "Page three",
            "-",
            "——",
            "第3条",
        ] {
            assert_eq!(decorated_page_number(input), None, "{input:?}");
        }
    }

    fn run(lines: &[&str], headers: &[&str]) -> (Vec<String>, Counts) {
        let mut furniture = Furniture::new(true, true);
        furniture.set_headers(headers.iter().map(|h| h.to_string()).collect());
        let mut out = Vec::new();
        let mut counts = Counts::default();
        for line in lines {
            if *line == "\u{000C}" {
                furniture.form_feed(&mut out, &mut counts);
            } else {
                furniture.push(Line::new(*line), &mut out, &mut counts);
            }
        }
        furniture.finish(&mut out, &mut counts);
        (out.into_iter().map(|l| l.text).collect(), counts)
    }

    fn page(n: usize) -> String {
        format!("第{n}页的正文，").repeat(30)
    }

    #[test]
    fn bare_numbers_that_climb_between_breaks_are_page_numbers() {
        let (p1, p2, p3) = (page(1), page(2), page(3));
        let (out, counts) = run(&[&p1, "", "1", "", &p2, "", "2", "", &p3, "", "3"], &[]);
        assert_eq!(counts.get("page-number"), 3);
        assert!(out.iter().all(|l| !matches!(l.as_str(), "1" | "2" | "3")));
        // The text is all there, in order.
        let text: Vec<&String> = out.iter().filter(|l| !l.is_empty()).collect();
        assert_eq!(text, [&p1, &p2, &p3]);
    }

    #[test]
    fn numbers_in_a_table_or_list_are_kept() {
        // A numbered table: numbers climb, but no page of text lies between them.
        let (out, counts) = run(&["序号", "", "1", "", "张三", "", "2", "", "李四"], &[]);
        assert_eq!(counts.get("page-number"), 0);
        assert!(out.contains(&"1".to_string()) && out.contains(&"2".to_string()));
        // Not isolated: a number right before text.
        let p1 = page(1);
        let (_, counts) = run(&[&p1, "", "1", "正文"], &[]);
        assert_eq!(counts.get("page-number"), 0);
        // Not climbing: 7 after a page of text with no page 6 before it.
        let (_, counts) = run(&[&p1, "", "7", ""], &[]);
        assert_eq!(counts.get("page-number"), 0);
        // Not after a gap.
        let (_, counts) = run(&[&p1, "1", ""], &[]);
        assert_eq!(counts.get("page-number"), 0);
    }

    #[test]
    fn running_headers_at_page_boundaries_only() {
        let p1 = page(1);
        let (out, counts) = run(
            &[
                "运城市科技局文件",
                &p1,
                "运城市科技局文件",
                "- 2 -",
                "\u{000C}",
                "运城市科技局文件",
                "正文",
            ],
            &["运城市科技局文件"],
        );
        // The title on the first page stays; the footer before "- 2 -" and the header after the
        // form feed go.
        assert_eq!(counts.get("running-header"), 2);
        assert_eq!(counts.get("page-number"), 1);
        assert_eq!(out.iter().filter(|l| *l == "运城市科技局文件").count(), 1);
        assert_eq!(out[0], "运城市科技局文件");
        assert_eq!(out.last().unwrap(), "正文");
    }

    #[test]
    fn finds_running_headers_in_the_first_batch() {
        let lines: Vec<Line> = [
            "某某报告",
            "正文一。",
            "内部资料",
            "\u{000C}某某报告",
            "正文二。",
            "内部资料",
            "- 2 -",
            "某某报告",
            "正文三。",
        ]
        .into_iter()
        .map(Line::new)
        .collect();
        let headers = find_running_headers(&lines);
        assert!(headers.contains("某某报告"));
        assert!(headers.contains("内部资料"));
        assert!(!headers.contains("正文二。"));
        // Without page boundaries, nothing repeats "at a boundary".
        let plain: Vec<Line> = ["标题", "正文。", "标题"]
            .into_iter()
            .map(Line::new)
            .collect();
        assert!(find_running_headers(&plain).is_empty());
    }

    #[test]
    fn form_feed_pieces() {
        let pieces: Vec<&str> = split_form_feeds("甲\u{000C}乙\u{000C}").collect();
        assert_eq!(pieces, ["甲", "\u{000C}", "乙", "\u{000C}"]);
        assert_eq!(split_form_feeds("").count(), 0);
    }
}
