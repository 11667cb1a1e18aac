//! Stage 2, strip: remove what the converter or the page layout added and the author did not
//! write — markers, pinyin annotations, page furniture, indentation and stray whitespace.
//!
//! Runs before reflow (page furniture between two halves of a paragraph must be gone before the
//! join is decided) and before conversion (`習(xí)近平` must reach the phrase dictionary whole).

use std::borrow::Cow;

use crate::pipeline::{Line, LineStage};
use crate::report::Counts;
use crate::rules::RuleSet;
use crate::text::is_line_space;

/// Removes leading indentation: ASCII spaces, tabs, ideographic spaces and NBSP (`indentation`).
pub fn strip_indentation(line: &str) -> Cow<'_, str> {
    Cow::Borrowed(line.trim_start_matches(is_line_space))
}

/// Removes trailing whitespace (`trailing-space`).
pub fn strip_trailing_space(line: &str) -> Cow<'_, str> {
    Cow::Borrowed(line.trim_end_matches(is_line_space))
}

/// The strip stage of the pipeline.
pub struct StripStage {
    indentation: bool,
    trailing_space: bool,
}

impl StripStage {
    pub fn new(rules: &RuleSet) -> Self {
        StripStage {
            indentation: rules.is_on("indentation"),
            trailing_space: rules.is_on("trailing-space"),
        }
    }
}

impl LineStage for StripStage {
    fn push(&mut self, line: Line, out: &mut Vec<Line>, counts: &mut Counts) {
        let mut line = line;
        if self.indentation {
            let indent = line.text.len() - strip_indentation(&line.text).len();
            if indent > 0 {
                counts.add("indentation", 1);
                line.text.drain(..indent);
            }
        }
        // An open line continues in the next piece: its "trailing" space is inside the text.
        if self.trailing_space && !line.open {
            let kept = strip_trailing_space(&line.text).len();
            if kept != line.text.len() {
                counts.add("trailing-space", 1);
                line.text.truncate(kept);
            }
        }
        out.push(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_table() {
        let cases = [
            ("　　根据《条例》", "根据《条例》"),
            ("\t 一、总则", "一、总则"),
            ("\u{00A0}正文", "正文"),
            ("第一条　根据宪法", "第一条　根据宪法"), // inside a line: kept
            ("总理　李克强", "总理　李克强"),
        ];
        for (input, expected) in cases {
            assert_eq!(strip_trailing_space(&strip_indentation(input)), expected);
        }
        assert_eq!(strip_trailing_space("结尾。  \t　"), "结尾。");
    }
}
