//! May two texts be joined at all, whatever reflow's rule that would join them: the seam a
//! join makes must not make what an earlier stage removes or composes.

use crate::stages::strip::{markers, pinyin};
use crate::text::join_needs_space;
use crate::text::language::Letters;

/// May `before` and `after` be joined at all, whatever the rule? Not where the join would make
/// what an earlier stage removes or composes, which a second cleaning would then do: a
/// converter marker or a pinyin annotation that strip never saw whole, or a letter and the
/// combining mark a line starts with (the output would not be NFC).
pub(super) fn may_join(before: &str, after: &str) -> bool {
    may_join_after(before, false, || Letters::of(before), false, after)
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
/// ([`pinyin::join_completes_annotation_after`]).
pub(super) fn may_join_after(
    before: &str,
    before_has_no_kana_or_hangul: bool,
    before_letters: impl FnOnce() -> Letters,
    after_has_no_kana_or_hangul: bool,
    after: &str,
) -> bool {
    let space = join_needs_space(before.chars().next_back(), after.chars().next());
    let both_chinese = before_has_no_kana_or_hangul && after_has_no_kana_or_hangul;
    !markers::ends_inside_marker(before)
        && !pinyin::join_completes_annotation_after(before, before_letters, space, after)
        && (both_chinese
            || !pinyin::join_unlocks_annotation_after(
                before,
                before_has_no_kana_or_hangul,
                space,
                after,
            ))
        && (space || !markers::join_is_not_nfc(before, after))
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
                let free = |text: &str| !may_have_kana_or_hangul(text);
                assert_eq!(
                    may_join_after(
                        before,
                        free(before),
                        || Letters::of(before),
                        free(after),
                        after
                    ),
                    may_join(before, after),
                    "{before:?} + {after:?}"
                );
            }
        }
    }
}
