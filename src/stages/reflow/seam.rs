//! May two texts be joined at all, whatever reflow's rule that would join them: the seam a
//! join makes must not make what an earlier stage removes or composes.

use crate::stages::normalize::is_known_inert;
use crate::stages::strip::{markers, pinyin};
use crate::text::join_needs_space;
use crate::text::language::{may_have_kana_or_hangul, Language, Letters};

use super::shape::{LineShape, SeamMarks};

/// The paragraph's end the test of a pinyin annotation a join completes reads
/// ([`pinyin::join_completes_annotation_after`]): sixteen characters besides spaces, of at
/// most four bytes each, with the spaces among them.
const ANNOTATION_END_BYTES: usize = 16 * 4;
/// The paragraph's end that may hold a converter marker the join would complete
/// ([`markers::ends_inside_marker`]: a marker is at most 512 bytes).
const MARKER_END_BYTES: usize = 512;

/// What is known of a join's seam without reading it, from the [`SeamMarks`] of the line and
/// of the paragraph's end: the tests that could only find nothing there are not asked.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct SeamKnown {
    /// No `(`, `（` or space (nor any character of U+0080–U+00BF) in the line, nor in the
    /// paragraph's last [`ANNOTATION_END_BYTES`]: the paragraph's end that the annotation test
    /// reads is inside those bytes (without spaces, its sixteen characters are), and with no
    /// open parenthesis in either end the join completes no annotation.
    no_annotation_ends: bool,
    /// No `[` in the paragraph's last [`MARKER_END_BYTES`]: it does not end inside a marker.
    no_open_marker: bool,
    /// The last character of `before` and the first of `after`, kept by the stage and the
    /// line's shape: not decoded again.
    ends: Option<(Option<char>, Option<char>)>,
}

/// May `before` and `after` be joined at all, whatever the rule? Not where the join would make
/// what an earlier stage removes or composes, which a second cleaning would then do: a
/// converter marker or a pinyin annotation that strip never saw whole, or a letter and the
/// combining mark a line starts with (the output would not be NFC).
pub(super) fn may_join(before: &str, after: &str) -> bool {
    may_join_after(
        before,
        false,
        || Letters::of(before),
        false,
        after,
        SeamKnown::default(),
    )
}

/// [`may_join`], told whether `before` and `after` are known to hold no kana or Hangul letter
/// by the language's quick scan
/// ([`may_have_kana_or_hangul`](crate::text::language::may_have_kana_or_hangul)): the paragraph held, whose scan
/// is kept, and the line, which [`super::ReflowStage::joins`] scans once for this and for the
/// paragraph it joins. Two texts the quick scan finds none in are Chinese, and a join of
/// Chinese texts unlocks no annotation ([`pinyin::join_unlocks_annotation_after`] asks of
/// each side first whether it is Chinese, `after` by the same scan): it is not asked then.
/// `before_letters` counts the letters of `before` (the paragraph's count is kept), when a
/// kana or Hangul letter near the join makes its language matter
/// ([`pinyin::join_completes_annotation_after`]). `known`: what the measures say the seam
/// holds none of ([`SeamKnown`]).
pub(super) fn may_join_after(
    before: &str,
    before_has_no_kana_or_hangul: bool,
    before_letters: impl FnOnce() -> Letters,
    after_has_no_kana_or_hangul: bool,
    after: &str,
    known: SeamKnown,
) -> bool {
    let (last, first) = known
        .ends
        .unwrap_or_else(|| (before.chars().next_back(), after.chars().next()));
    debug_assert_eq!(
        (last, first),
        (before.chars().next_back(), after.chars().next())
    );
    let space = join_needs_space(last, first);
    let both_chinese = before_has_no_kana_or_hangul && after_has_no_kana_or_hangul;
    (known.no_open_marker || !markers::ends_inside_marker(before))
        && (known.no_annotation_ends
            || !pinyin::join_completes_annotation_after(before, before_letters, space, after))
        && (both_chinese
            || !pinyin::join_unlocks_annotation_after(
                before,
                before_has_no_kana_or_hangul,
                space,
                after,
            ))
        && (space || surely_nfc(last, first) || !markers::join_is_not_nfc(before, after))
}

/// Is the seam of `last` and `first` NFC without the quick check
/// ([`markers::join_is_not_nfc`], which decodes both again)? An ASCII character starts no
/// composition, and neither does a seam of two inert characters (`normalize`'s one lookup).
fn surely_nfc(last: Option<char>, first: Option<char>) -> bool {
    first.is_some_and(|first| {
        first.is_ascii() || (is_known_inert(first) && last.is_none_or(is_known_inert))
    })
}

/// What the join tests read of the paragraph reflow holds, kept as it grows: a paragraph of many
/// joined lines is not read from its start at every join.
impl super::ReflowStage {
    /// Does the paragraph hold no kana or Hangul letter, by the language's quick scan? Only
    /// the bytes appended since the last such answer are scanned: the scan looks for the first
    /// two bytes of a character, which an append at a character boundary cannot make of bytes
    /// on both sides of it.
    pub(super) fn paragraph_has_no_kana_or_hangul(&self) -> bool {
        let known = self.kana_free_bytes.get();
        if known == self.paragraph.len() {
            // Nothing appended since: most often the line joined last was found free (its
            // measure says so), and no scan is set out for no bytes.
            debug_assert!(!may_have_kana_or_hangul(&self.paragraph));
            return true;
        }
        let appended = self.paragraph.get(known..).unwrap_or(&self.paragraph);
        let none = !may_have_kana_or_hangul(appended);
        if none {
            self.kana_free_bytes.set(self.paragraph.len());
        }
        debug_assert_eq!(none, !may_have_kana_or_hangul(&self.paragraph));
        none
    }

    /// The letters of the paragraph (Han, kana, Hangul): only the bytes appended since the last
    /// count are counted ([`Self::paragraph_letters`]).
    pub(super) fn paragraph_letters(&self) -> Letters {
        let (known, mut letters) = self.paragraph_letters.get();
        if let Some(appended) = self.paragraph.get(known..) {
            letters.add(&Letters::of(appended));
        } else {
            letters = Letters::of(&self.paragraph);
        }
        self.paragraph_letters.set((self.paragraph.len(), letters));
        debug_assert_eq!(letters, Letters::of(&self.paragraph));
        letters
    }

    /// The bytes of the pinyin annotation the line starting with `text` opens with, when a
    /// wrap put it apart from the character it reads (`行政应` / `(yīng)诉工作`), the join the
    /// annotation kept from being made may be made without it, and annotations are removed
    /// ([`Rule::PinyinAnnotation`](crate::rules::Rule::PinyinAnnotation)). Asked only of a join
    /// [`may_join_after`] refused. Strip takes an annotation out of each line; the two lines
    /// are side by side only here, where the page number or the empty lines between them are
    /// gone (strip cannot take it: a page number between hides the character from it, but not
    /// from a second cleaning). A paragraph that is not Chinese keeps it, as strip's lines do.
    pub(super) fn annotation_cut_by_a_wrap(&self, text: &str) -> Option<usize> {
        if !self.strip_pinyin {
            return None;
        }
        let cut = pinyin::annotation_opening(&self.paragraph, text)?;
        let paragraph_has_no_kana_or_hangul = self.paragraph_has_no_kana_or_hangul();
        let line_has_no_kana_or_hangul = self.line_has_no_kana_or_hangul.get();
        let chinese = (paragraph_has_no_kana_or_hangul && line_has_no_kana_or_hangul) || {
            let mut letters = self.paragraph_letters();
            letters.add(&Letters::of(text));
            Language::of_letters(&letters, Language::Chinese) == Language::Chinese
        };
        let joins_without = may_join_after(
            &self.paragraph,
            paragraph_has_no_kana_or_hangul,
            || self.paragraph_letters(),
            line_has_no_kana_or_hangul,
            &text[cut..],
            SeamKnown::default(),
        );
        (chinese && joins_without).then_some(cut)
    }

    /// Forgets what was read of the paragraph ([`Self::kana_free_bytes`],
    /// [`Self::paragraph_letters`]): it was replaced or cut.
    pub(super) fn forget_paragraph_scans(&self) {
        self.kana_free_bytes.set(0);
        self.paragraph_letters.set((0, Letters::default()));
        // The marks may be anywhere.
        let end = self.paragraph.len();
        self.marks_end.set((end, end));
        // Read again when a join asks: most paragraphs replaced take their first line whole.
        self.paragraph_last.set(None);
    }

    /// The paragraph's last character ([`Self::paragraph_last`], read from its end when not
    /// known).
    pub(super) fn paragraph_last(&self) -> Option<char> {
        if let Some(last) = self.paragraph_last.get() {
            debug_assert_eq!(last, self.paragraph.chars().next_back());
            return last;
        }
        let last = self.paragraph.chars().next_back();
        self.paragraph_last.set(Some(last));
        last
    }

    /// The paragraph is a line just read whole, of marks `marks` (after
    /// [`Self::forget_paragraph_scans`]): what its measure found is what the scans know.
    pub(super) fn paragraph_read_whole(&self, marks: SeamMarks) {
        self.marks_end.set((0, 0));
        self.paragraph_grew(marks, None);
        if marks.known() && !marks.kana_or_hangul() {
            self.kana_free_bytes.set(self.paragraph.len());
        }
    }

    /// The paragraph grew at its end by a text of marks `marks`: those it may hold end there;
    /// its last character is `last`, when it was not empty.
    pub(super) fn paragraph_grew(&self, marks: SeamMarks, last: Option<char>) {
        if last.is_some() {
            self.paragraph_last.set(Some(last));
        }
        let (mut annotation_end, mut bracket_end) = self.marks_end.get();
        if marks.annotation() {
            annotation_end = self.paragraph.len();
        }
        if marks.bracket() {
            bracket_end = self.paragraph.len();
        }
        self.marks_end.set((annotation_end, bracket_end));
    }

    /// What is known of the seam of the paragraph and a line of shape `next` ([`SeamKnown`]).
    pub(super) fn known_seam(&self, next: &LineShape) -> SeamKnown {
        let (annotation_end, bracket_end) = self.marks_end.get();
        let len = self.paragraph.len();
        let line = next.marks;
        SeamKnown {
            ends: Some((self.paragraph_last(), next.first)),
            no_annotation_ends: line.known()
                && !line.annotation()
                && annotation_end <= len.saturating_sub(ANNOTATION_END_BYTES),
            no_open_marker: bracket_end <= len.saturating_sub(MARKER_END_BYTES),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::language::may_have_kana_or_hangul;

    /// Told that neither side holds kana or Hangul (by the quick scan), the answer is the one
    /// asked of the texts alone: such a join unlocks no annotation. Among the texts, pinyin
    /// annotations whole and cut, and lines of Japanese and Korean, which keep theirs.
    #[test]
    fn texts_told_free_of_kana_and_hangul_are_judged_as_read() {
        let texts = [
            "",
            "中华人民共和国",
            "中(zhōng)",
            "習(xí",
            ")近平",
            "(xí)近平思想",
            "京(kyō)のこと",
            "中(zhōng)怊츭华人民共和规定",
            "革",
            "ひらがな",
            "the quick brown",
            "fox 字样。",
            "如图[image: flow",
            "chart.png]所示",
            "\u{301}字样。",
        ];
        for before in texts {
            for after in texts {
                assert_eq!(
                    may_join_knowing(before, after, SeamKnown::default()),
                    may_join(before, after),
                    "{before:?} + {after:?}"
                );
            }
        }
    }

    /// [`may_join_after`] told `known` of the seam, and each text's own kana answer.
    fn may_join_knowing(before: &str, after: &str, known: SeamKnown) -> bool {
        let free = |text: &str| !may_have_kana_or_hangul(text);
        may_join_after(
            before,
            free(before),
            || Letters::of(before),
            free(after),
            after,
            known,
        )
    }

    /// What the measures say a seam holds none of ([`SeamKnown`]) changes no answer: texts
    /// with parentheses, spaces, no-break spaces and brackets at every distance from the join,
    /// among Han characters of three bytes and of four, joined to a paragraph read whole and
    /// to one that grew line by line.
    #[test]
    fn what_the_measures_know_of_a_seam_changes_no_answer() {
        use crate::rules::RuleSet;
        use crate::stages::reflow::shape::measure;
        use crate::stages::reflow::ReflowStage;
        let mut texts = vec![
            "習(xí".to_string(),
            ")近平".to_string(),
            "(xí)近平思想".to_string(),
            "如图[image: flow".to_string(),
            "chart.png]所示".to_string(),
            "京(kyō)のこと".to_string(),
        ];
        for mark in ["(", "（", " ", "\u{a0}", "[image: ", "(xí", "[bookmark:"] {
            for han in ["中", "𠀀"] {
                for at in [0, 1, 5, 14, 15, 16, 17, 30, 130, 140] {
                    texts.push(format!("{}{mark}{}", han.repeat(at), han.repeat(3)));
                    texts.push(format!("{mark}{}", han.repeat(at)));
                }
            }
        }
        for before in &texts {
            for after in &texts {
                // Read whole, and grown from its two halves.
                let half = (0..=before.len() / 2)
                    .rev()
                    .find(|at| before.is_char_boundary(*at))
                    .unwrap_or(0);
                let read_whole = ReflowStage {
                    paragraph: before.clone(),
                    ..ReflowStage::new(&RuleSet::default())
                };
                read_whole.forget_paragraph_scans();
                read_whole.paragraph_read_whole(measure(before).marks);
                let (first, second) = before.split_at(half);
                let mut grown = ReflowStage {
                    paragraph: first.to_string(),
                    ..ReflowStage::new(&RuleSet::default())
                };
                grown.forget_paragraph_scans();
                grown.paragraph_read_whole(measure(first).marks);
                grown.paragraph.push_str(second);
                grown.paragraph_grew(measure(second).marks, second.chars().next_back());
                for stage in [&read_whole, &grown] {
                    let known =
                        stage.known_seam(&LineShape::start_measured(after, &measure(after)));
                    assert_eq!(
                        may_join_knowing(before, after, known),
                        may_join(before, after),
                        "{before:?} + {after:?} {known:?}"
                    );
                }
            }
        }
    }
}
