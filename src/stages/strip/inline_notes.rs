//! Footnotes that Tika wrote inside their paragraph (`inline-footnote`).
//!
//! Tika's text of a .docx writes a footnote's text where its reference mark stands: the note is a
//! division inside the paragraph (`<div class="footnote"><p> 本文根据……整理。</p></div>`), so the
//! text holds the paragraph up to the mark, the space Word puts after the note's own number, the
//! note, the line break that ends the note's paragraph and the one that ends its division — an
//! empty line — and then the rest of the paragraph on a line of its own (nothing, when the mark
//! ended the paragraph: then one more empty line).
//!
//! So a note is found by that shape, never by its words: a line that holds exactly one space
//! between closing CJK punctuation and a Han character (`。 本节…`), followed by an empty line, in a document whose paragraphs are
//! not separated by empty lines (Tika's are not: an empty line there is an empty paragraph or a
//! note's division). The space becomes a line break, and the note a paragraph of its own between
//! the two parts of the paragraph it interrupted; no character is removed but that space.
//!
//! The empty line is the evidence, and cleaned text has none (paragraphs a blank line apart
//! make the document one whose paragraphs are separated by empty lines): a second cleaning
//! splits nothing the first kept whole. Text with form feeds (a PDF's) is left alone: its empty
//! lines are page and block breaks.

use crate::stages::BATCH_BYTES;
use crate::text::{is_cjk_punct, is_han};

/// A document qualifies when at most one line of text in this many is followed by an empty
/// line: Tika's paragraphs follow one another without one (an empty line there closes a note's
/// division, or is an empty paragraph), while text whose paragraphs are a blank line apart has
/// one after every paragraph.
const TEXT_LINES_PER_GAP: usize = 3;

/// May this document hold Tika's inline notes? Decided on the first batch (of
/// [`BATCH_BYTES`], or the whole document): no form feed, and few of its lines of text followed
/// by an empty line.
pub fn may_hold_inline_notes<'a>(lines: impl Iterator<Item = &'a str>) -> bool {
    let (mut texts, mut gaps) = (0usize, 0usize);
    let (mut after_text, mut bytes) = (false, 0usize);
    for line in lines {
        bytes += line.len();
        if memchr::memchr(b'\x0C', line.as_bytes()).is_some() {
            return false;
        }
        let empty = line.trim_matches(crate::text::is_line_space).is_empty();
        if empty && after_text {
            gaps += 1;
        }
        texts += usize::from(!empty);
        after_text = !empty;
    }
    // A batch cut by size that ends on a line of text does not say whether an empty line
    // follows it: that line is not counted. Counted, one long line of cleaned text written a
    // blank line apart (`--blank-line`) made a batch of one line with no gap, and a second
    // cleaning split a note the first kept whole. (A smaller batch is the whole document.)
    if bytes >= BATCH_BYTES {
        texts -= usize::from(after_text);
    }
    texts > 0 && gaps * TEXT_LINES_PER_GAP <= texts
}

/// The byte offset of the one space in `text` that stands between closing CJK punctuation and a
/// Han character or an opening mark, when there is exactly one: where a note Tika wrote inside
/// the paragraph starts (after the space).
/// Only spaces between Latin words (`Geographic Information System`) may stand elsewhere in the
/// line: a line with two such places, or with a space beside other CJK text (`共 5 项`, a
/// letter-spaced `全 国 公 安`), is left alone.
pub fn note_start(text: &str) -> Option<usize> {
    // Most lines of Chinese text hold no space at all.
    memchr::memchr(b' ', text.as_bytes())?;
    let mut found = None;
    for (at, _) in text.match_indices(' ') {
        let before = text[..at].chars().next_back();
        let after = text[at + 1..].chars().next();
        match (before, after) {
            (Some(before), Some(after)) if ends_cjk(before) && starts_cjk(after) => {
                if found.is_some() {
                    return None;
                }
                found = Some(at);
            }
            // Any other space beside CJK text (`全 国 公 安`, `增长 3.4%`) is a line that
            // spaces its words or letters out (a justified PDF line): its spaces say nothing.
            _ if before.is_some_and(is_cjk) || after.is_some_and(is_cjk) => return None,
            _ => {}
        }
    }
    // A note holds text: a Han character.
    found.filter(|&at| text[at + 1..].chars().any(is_han))
}

/// A character a paragraph's text may end with right before a note's mark: CJK punctuation that
/// closes (`。`, `”`, `）`), where a reference mark stands after a sentence or a quotation. Not a
/// Han character: a space between two words is how a footer (`第 1 页 共 4 页`) or a header
/// (`内部资料 注意保存`) sets its parts apart.
fn ends_cjk(c: char) -> bool {
    is_cjk_punct(c) && !opens(c)
}

/// A character a note's text may start with: a Han character or an opening bracket or quote.
fn starts_cjk(c: char) -> bool {
    is_han(c) || opens(c)
}

fn is_cjk(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}

fn opens(c: char) -> bool {
    matches!(
        c,
        '“' | '‘' | '「' | '『' | '（' | '《' | '〈' | '〔' | '【' | '〖' | '［' | '｛'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_starts_after_the_one_space_between_cjk_characters() {
        let line = "国营厂。 本节所列数字为初步统计数，以正式公布的为准。";
        let at = note_start(line).unwrap();
        assert_eq!(
            &line[at + 1..],
            "本节所列数字为初步统计数，以正式公布的为准。"
        );
        // After a closing quotation mark, and before a title mark.
        assert!(note_start("他说：“就这样。” 《测绘法》第三章。").is_some());
        // Latin words and their spaces around it do not matter.
        let line = "采用Geographic Information System技术。 参见《规划纲要》。";
        assert!(note_start(line).is_some());
    }

    #[test]
    fn no_note_where_the_space_is_not_between_cjk_characters() {
        for line in [
            "共梳理证明事项 5 项。",
            "采用GPS 技术，效果良好。",
            "内部资料 注意保存",
            "第 1 页 共 4 页",
            "在郑州成立 本节所列数字为初步统计数。",
            "甲。 乙。 丙。",
            "部授予全 国 公 安 战线称号 ， 采 用 Electronic Data",
            "指标增长 3.4%。 本节所列数字为初步统计数。",
            "“ 开头的引号",
            "没有空格的一行。",
            "一行 。",
        ] {
            assert_eq!(note_start(line), None, "{line}");
        }
    }

    #[test]
    fn documents_with_paragraphs_a_blank_line_apart_or_pages_hold_none() {
        assert!(may_hold_inline_notes(
            ["甲。", "乙。 注。", "", "丙。", "丁。"].into_iter()
        ));
        // A short document with two notes, one ending its paragraph (two empty lines).
        assert!(may_hold_inline_notes(
            [
                "题",
                "甲。 注。",
                "",
                "",
                "乙。",
                "丙。 注。",
                "",
                "丁。",
                "戊。"
            ]
            .into_iter()
        ));
        assert!(!may_hold_inline_notes(
            ["甲。", "", "乙。 注。", "", "丙。"].into_iter()
        ));
        assert!(!may_hold_inline_notes(
            ["甲。", "乙。\u{000C}丙", "丁。", "戊。", "己。"].into_iter()
        ));
        assert!(!may_hold_inline_notes(["", ""].into_iter()));
    }

    /// A first batch cut by size after one long line (cleaned text written a blank line apart,
    /// its first paragraph longer than the batch) does not show the empty line after it: it is
    /// no evidence of a document without gaps.
    #[test]
    fn a_batch_that_ends_on_its_only_line_of_text_says_nothing() {
        let long = format!("{}。 本节所列数字为初步统计数。", "甲".repeat(30_000));
        assert!(!may_hold_inline_notes([long.as_str()].into_iter()));
        assert!(!may_hold_inline_notes(["", long.as_str()].into_iter()));
        // Followed by its empty line, the same line is a Tika paragraph with a note.
        assert!(may_hold_inline_notes(
            [long.as_str(), "", "乙。", "丙。", "丁。"].into_iter()
        ));
    }
}
