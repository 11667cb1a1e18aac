//! The two-table chains (`tw2s`, `hk2s` and their `p` forms: regional variants back to the
//! standard forms, then Traditional to Simplified) in one pass over the text, with what the
//! chain asks of its first table: where it acts, and what it makes of one character.

use super::patcher::Patcher;
use super::{NeedsNormalizing, Table, COMPATIBILITY, NONE};
use crate::text::utf8::{decode, find_char};

/// What a chain's one-pass conversion hands a segment it cannot do itself to:
/// `convert_segment(segment, phrase_output, out)` appends the segment's conversion through the
/// whole chain (`phrase_output`: the segmentation table's output when the segment is one of
/// its phrases) and returns the characters changed.
pub(crate) trait ConvertSegment:
    FnMut(&str, Option<&str>, &mut String) -> Result<u64, NeedsNormalizing>
{
}

impl<F> ConvertSegment for F where
    F: FnMut(&str, Option<&str>, &mut String) -> Result<u64, NeedsNormalizing>
{
}

impl Table {
    /// Whether converting `text` with this table would do more than copy it: some character
    /// is mapped or flagged, or some phrase matches. Finer than [`Table::touches`]: a
    /// character that only starts phrases (人 in the Taiwan variants) usually starts none.
    pub(crate) fn acts_on(&self, text: &str) -> bool {
        self.acts_within(text, 0, text.len())
    }

    /// Whether this table maps or flags the character `code` at `text[at..at + len]`, or a
    /// phrase of it starts there.
    #[inline]
    fn acts_at(&self, text: &str, at: usize, code: u32, len: usize) -> bool {
        let entry = self.entry(code);
        entry.output != NONE
            || (entry.node != NONE && self.longest_phrase(text, at, len, entry).is_some())
    }

    /// Whether this table acts ([`Table::acts_at`]) at some character of `text[from..to]`.
    fn acts_within(&self, text: &str, from: usize, to: usize) -> bool {
        find_char(text, from, to, |at, code, len| {
            self.touches_char(code) && self.acts_at(text, at, code, len)
        })
        .is_some()
    }

    /// Whether the character `code` cuts a run of text for the chain "`pre`, then this
    /// table": neither table has a phrase holding it, and `pre` has no entry for it, so no
    /// phrase of either stage spans it and the text on each side converts on its own. Only
    /// characters outside the main Han blocks are asked (punctuation, digits, Latin: a Han
    /// character is nearly always in some phrase), so that a Han character costs two
    /// comparisons.
    #[inline(always)]
    fn cuts_for(&self, pre: &Table, code: u32) -> bool {
        if (0x3400..0xF900).contains(&code) || code >= 0x10000 {
            return false;
        }
        let (word, bit) = (code as usize / 64, code % 64);
        (self.in_phrases[word] | pre.in_phrases[word] | pre.touched[word]) & (1 << bit) == 0
    }

    /// What this table makes of the character `code` at `text[at..at + len]` when no phrase of
    /// it matches there: the same code point when it has no entry. `None` when a phrase does
    /// match there, when the output is not one character, or when the character must be
    /// normalized first.
    #[inline(always)]
    fn map_char(&self, text: &str, at: usize, len: usize, code: u32) -> Option<u32> {
        let entry = self.entry(code);
        if entry.node != NONE && self.longest_phrase(text, at, len, entry).is_some() {
            return None;
        }
        match entry.output {
            NONE => Some(code),
            COMPATIBILITY => None,
            output => Some(self.single[output as usize]).filter(|&c| c != NONE),
        }
    }

    /// Converts `text` in one pass as this table would convert `pre`'s conversion of it, for a
    /// chain such as `tw2s` (Taiwan variants back to standard forms, then Traditional to
    /// Simplified) on a run of text where `pre` can only map characters one to one: no phrase
    /// of `pre` matches anywhere in it (then `pre` maps the run character by character,
    /// whatever order its maximum matching would take). Appends to `out` and returns the
    /// characters changed (compared with `text`); returns `None`, with `out` as it was, when
    /// that does not hold.
    pub(crate) fn convert_after_chars_into(
        &self,
        pre: &Table,
        text: &str,
        out: &mut String,
    ) -> Option<u64> {
        let bytes = text.as_bytes();
        let base = out.len();
        let mut patcher = Patcher::new(out, text);
        let mut i = 0;
        while i < bytes.len() {
            let (code, len) = decode(bytes, i);
            let Some(mapped) = pre.map_char(text, i, len, code) else {
                patcher.out.truncate(base);
                return None;
            };
            let entry = self.entry(mapped);
            if entry.node != NONE {
                let map = |c, at, len| pre.map_char(text, at, len, c);
                match self.longest_phrase_mapped(text, i, len, entry, map) {
                    Ok(Some((end, output))) => {
                        patcher.replace_phrase(i, end, self.output(output));
                        i = end;
                        continue;
                    }
                    Ok(None) => {}
                    Err(()) => {
                        patcher.out.truncate(base);
                        return None;
                    }
                }
            }
            // The character's final form, compared by code point (one character in, one out).
            let replacement = match entry.output {
                NONE if mapped == code => None,
                // The pre-stage's output for `code` is `mapped`, one character.
                NONE => Some(pre.output(pre.entry(code).output)),
                COMPATIBILITY => {
                    patcher.out.truncate(base);
                    return None;
                }
                output if self.single[output as usize] == code => None,
                output => Some(self.output(output)),
            };
            if let Some(replacement) = replacement {
                patcher.replace_char(i, i + len, replacement);
            }
            i += len;
        }
        Some(patcher.finish())
    }

    /// Converts `text` as a chain "`pre`, then this table" does when it segments the text by
    /// this table's phrases (`tw2s`: Taiwan variants back to the standard forms, then
    /// Traditional to Simplified). Appends to `out`; returns the characters changed.
    ///
    /// The text goes piece by piece, a piece ending at a character that cuts it
    /// ([`Table::cuts_for`]: punctuation, mostly), which no phrase of either table spans, so
    /// each piece converts on its own. Where `pre` acts nowhere in a piece (maps no character,
    /// matches no phrase: 96 % of the pieces, nine bytes in ten, of the Taiwan documents of
    /// the benchmark corpus), it leaves every segment as it is, and the chain does what this
    /// table alone does: maximum matching on its phrases
    /// (the segmentation's), each character mapped on its own between them. That is this
    /// loop, about as cheap as a one-table conversion. A piece where `pre` does act is undone
    /// and converted by [`Table::convert_piece_after`], which follows the chain's every step.
    ///
    /// `convert_segment(segment, phrase_output, out)` appends a segment's conversion through
    /// the whole chain and returns the characters changed (see `convert_piece_after`).
    pub(crate) fn convert_segmented_after(
        &self,
        pre: &Table,
        text: &str,
        out: &mut String,
        mut convert_segment: impl ConvertSegment,
    ) -> Result<u64, NeedsNormalizing> {
        let bytes = text.as_bytes();
        let mut patcher = Patcher::new(out, text);
        let mut scratch = String::new();
        // Where the current piece starts, and the output there.
        let mut piece = patcher.checkpoint(0);
        let mut i = 0;
        while i < bytes.len() {
            let (code, len) = decode(bytes, i);
            let entry = self.entry(code);
            let mut pre_acts = pre.touches_char(code) && pre.acts_at(text, i, code, len);
            let mut phrase = None;
            if !pre_acts && entry.node != NONE {
                let walk_met_pre;
                (phrase, walk_met_pre) = self.longest_phrase_noting(pre, text, i, len, entry);
                if let Some((end, _)) = phrase {
                    // The main loop does not visit the phrase's other characters; where `pre`
                    // has an entry for none of them, it does not act within the phrase.
                    pre_acts = walk_met_pre && pre.acts_within(text, i + len, end);
                }
            }
            if pre_acts {
                let end = self.piece_end(pre, text, i + len);
                scratch.clear();
                let piece_text = &text[piece.start..end];
                let changed =
                    self.convert_piece_after(pre, piece_text, &mut scratch, &mut convert_segment)?;
                patcher.rewrite(piece, end, &scratch, changed);
                i = end;
                piece = patcher.checkpoint(end);
                continue;
            }
            if let Some((end, output)) = phrase {
                patcher.replace_phrase(i, end, self.output(output));
                i = end;
                continue;
            }
            self.map_char_into(&mut patcher, i, len, entry)?;
            i += len;
            if self.cuts_for(pre, code) {
                piece = patcher.checkpoint(i);
            }
        }
        Ok(patcher.finish())
    }

    /// Where the piece that holds `text[from..]`'s first character ends: at the next character
    /// that cuts a run for the chain "`pre`, then this table", or at the end of the text.
    fn piece_end(&self, pre: &Table, text: &str, from: usize) -> usize {
        find_char(text, from, text.len(), |_, code, _| {
            self.cuts_for(pre, code)
        })
        .unwrap_or(text.len())
    }

    /// [`Table::convert_segmented_after`] for a piece of text where `pre` acts.
    ///
    /// Segmentation and both conversions are one pass, as [`Table::convert_after_chars_into`]
    /// does them for one run, with the walk for a phrase of this table done once per position:
    /// where `pre` maps nothing the walk sees, the walk over `pre`'s output is the same as the
    /// segmentation's, which found no phrase (a run between phrases holds none). A phrase of
    /// this table found over `pre`'s output is kept only when no phrase of the segmentation
    /// starts inside it (OpenCC converts segment by segment).
    ///
    /// A segment this pass cannot do so (a phrase `pre` acts on; a run where a phrase of
    /// `pre` may match, or that crosses a phrase boundary as above) is handed to
    /// `convert_segment(segment, phrase_output, out)`, which appends its conversion through the
    /// whole chain and returns the characters changed. Of a run, only the piece between the
    /// characters that cut it ([`Table::cuts_for`]: punctuation, mostly) around the trouble is
    /// handed over; the trouble is known only when met, so the piece's characters converted
    /// so far are undone then.
    fn convert_piece_after(
        &self,
        pre: &Table,
        text: &str,
        out: &mut String,
        convert_segment: &mut impl ConvertSegment,
    ) -> Result<u64, NeedsNormalizing> {
        let bytes = text.as_bytes();
        let mut patcher = Patcher::new(out, text);
        let mut scratch = String::new();
        // Where the current run, or the piece of it after its last cut, starts, and the
        // output there.
        let mut piece = patcher.checkpoint(0);
        let mut piece_handed_over = false;
        let mut i = 0;
        while i < bytes.len() {
            let (code, len) = decode(bytes, i);
            let entry = self.entry(code);
            // Whether the segmentation's walk met a character `pre` has an entry for.
            let mut walk_met_pre = false;
            if entry.node != NONE {
                let (found, met) = self.longest_phrase_noting(pre, text, i, len, entry);
                if let Some((end, output)) = found {
                    if piece_handed_over {
                        scratch.clear();
                        let changed = convert_segment(&text[piece.start..i], None, &mut scratch)?;
                        patcher.rewrite(piece, i, &scratch, changed);
                        piece_handed_over = false;
                    }
                    let phrase = &text[i..end];
                    let replacement = self.output(output);
                    if pre.acts_on(phrase) {
                        scratch.clear();
                        let changed = convert_segment(phrase, Some(replacement), &mut scratch)?;
                        patcher.replace(i, end, &scratch);
                        patcher.changed += changed;
                    } else {
                        patcher.replace_phrase(i, end, replacement);
                    }
                    i = end;
                    piece = patcher.checkpoint(end);
                    continue;
                }
                walk_met_pre = met || pre.touches_char(code);
            }
            if self.cuts_for(pre, code) {
                if piece_handed_over {
                    scratch.clear();
                    let changed = convert_segment(&text[piece.start..i], None, &mut scratch)?;
                    patcher.rewrite(piece, i, &scratch, changed);
                    piece_handed_over = false;
                }
                match entry.output {
                    NONE | COMPATIBILITY => {}
                    output if self.single[output as usize] == code => {}
                    output => patcher.replace_char(i, i + len, self.output(output)),
                }
                i += len;
                piece = patcher.checkpoint(i);
                continue;
            }
            if piece_handed_over {
                i += len;
                continue;
            }
            // A character of a run: `pre` maps it (one character to one), then this table
            // converts the result.
            let mapped = if pre.touches_char(code) {
                pre.map_char(text, i, len, code)
            } else {
                Some(code)
            };
            let Some(mapped) = mapped else {
                piece_handed_over = true;
                i += len;
                continue;
            };
            let mapped_entry = if mapped == code {
                entry
            } else {
                self.entry(mapped)
            };
            if mapped_entry.node != NONE && (mapped != code || walk_met_pre) {
                let map = |c, at, len| pre.map_char(text, at, len, c);
                match self.longest_phrase_mapped(text, i, len, mapped_entry, map) {
                    Ok(Some((end, output))) if !self.phrase_starts_within(text, i + len, end) => {
                        patcher.replace_phrase(i, end, self.output(output));
                        i = end;
                        continue;
                    }
                    Ok(None) => {}
                    Ok(Some(_)) | Err(()) => {
                        piece_handed_over = true;
                        i += len;
                        continue;
                    }
                }
            }
            // The character's final form, compared by code point (one character in, one out).
            let replacement = match mapped_entry.output {
                NONE if mapped == code => None,
                // `pre`'s output for `code` is `mapped`, one character.
                NONE => Some(pre.output(pre.entry(code).output)),
                COMPATIBILITY => {
                    piece_handed_over = true;
                    i += len;
                    continue;
                }
                output if self.single[output as usize] == code => None,
                output => Some(self.output(output)),
            };
            if let Some(replacement) = replacement {
                patcher.replace_char(i, i + len, replacement);
            }
            i += len;
        }
        if piece_handed_over {
            scratch.clear();
            let changed = convert_segment(&text[piece.start..], None, &mut scratch)?;
            patcher.rewrite(piece, bytes.len(), &scratch, changed);
        }
        Ok(patcher.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::super::format::tests::table_of;
    use super::super::TableId;
    use super::*;
    use crate::text::utf8::changed_chars;

    /// `acts_on` is finer than `touches`: a character that only starts phrases does nothing
    /// where none of them follows.
    #[test]
    fn acts_on_only_where_a_character_is_mapped_or_a_phrase_matches() {
        let tw_rev = TableId::TwRev.get();
        let cases = [
            ("", false),
            ("中文，123", false),
            ("人民", false),
            ("人才", true),
            ("為", true),
            ("例\u{F9B5}", true),
        ];
        for (text, acts) in cases {
            assert_eq!(tw_rev.acts_on(text), acts, "{text}");
        }
        assert!(tw_rev.touches("人民"));
    }

    /// Punctuation, digits and Latin letters cut a run for `tw2s`; Han characters, and
    /// characters the variant table knows, do not.
    #[test]
    fn punctuation_cuts_runs_but_han_does_not() {
        let (ts, tw_rev) = (TableId::Ts.get(), TableId::TwRev.get());
        for c in ['，', '。', '1', ' ', '\u{3000}'] {
            assert!(ts.cuts_for(tw_rev, c as u32), "{c}");
        }
        for c in ['國', '人', '為', '中', '\u{F9B5}', '𠀀'] {
            assert!(!ts.cuts_for(tw_rev, c as u32), "{c}");
        }
    }

    /// The one-pass chain agrees with segmenting first and converting each segment stage by
    /// stage, where runs are cut by punctuation, hold variant phrases (人才) and mapped
    /// characters (為), and phrases hold them too (因為).
    #[test]
    fn one_pass_chain_agrees_with_segment_by_segment() {
        let (ts, tw_rev) = (TableId::Ts.get(), TableId::TwRev.get());
        let texts = [
            "",
            "為",
            "人才",
            "因為人才，所以為了人民。為什麼",
            "床裡面，峰迴路轉，人才輩出；參與者1234個。",
            "我們的人民，才幹參差不齊，核准針對",
            "abc 為 def 裡",
            "一口吃個胖子，乾燥的天氣，著作為什麼",
        ];
        for text in texts {
            let mut expected = String::new();
            ts.segment(text, |start, end, _| {
                let mut middle = String::new();
                tw_rev
                    .convert_into(&text[start..end], &mut middle, true)
                    .unwrap();
                ts.convert_into(&middle, &mut expected, true).unwrap();
            });
            let mut actual = String::new();
            let mut handed_over = Vec::new();
            ts.convert_segmented_after(tw_rev, text, &mut actual, |segment, _, out| {
                handed_over.push(segment.to_string());
                let mut middle = String::new();
                tw_rev.convert_into(segment, &mut middle, true)?;
                ts.convert_into(&middle, out, true)?;
                Ok(changed_chars(segment, &out[out.len() - middle.len()..]))
            })
            .unwrap();
            assert_eq!(actual, expected, "{text}");
            // Only the pieces around a variant phrase are handed over, never a whole run.
            assert!(
                handed_over.iter().all(|piece| !piece.contains('，')),
                "{text}: {handed_over:?}"
            );
        }
    }

    /// The chain "`pre`, then `last`" done the reference way: segment the whole text by
    /// `last`'s phrases, then convert each segment stage by stage.
    fn chain_segment_by_segment(
        pre: &Table,
        last: &Table,
        text: &str,
    ) -> Result<String, NeedsNormalizing> {
        let mut expected = String::new();
        let mut failure = None;
        last.segment(text, |start, end, _| {
            let mut middle = String::new();
            let converted = pre
                .convert_into(&text[start..end], &mut middle, true)
                .and_then(|_| last.convert_into(&middle, &mut expected, true));
            if let Err(e) = converted {
                failure = Some(e);
            }
        });
        match failure {
            Some(e) => Err(e),
            None => Ok(expected),
        }
    }

    /// The one-pass chain, with each handed-over segment converted stage by stage.
    fn chain_one_pass(
        pre: &Table,
        last: &Table,
        text: &str,
    ) -> Result<(String, u64), NeedsNormalizing> {
        let mut actual = String::from("<");
        let changed = last.convert_segmented_after(pre, text, &mut actual, |segment, _, out| {
            let mut middle = String::new();
            pre.convert_into(segment, &mut middle, true)?;
            let start = out.len();
            last.convert_into(&middle, out, true)?;
            Ok(changed_chars(segment, &out[start..]))
        })?;
        let actual = actual.strip_prefix('<').expect("appended after the prefix");
        Ok((actual.to_string(), changed))
    }

    /// Where `pre` acts inside a phrase of the last table (none of OpenCC's Taiwan and Hong
    /// Kong tables do so today), the phrase's segment goes through `pre` first: `AB` is a
    /// phrase of the last table, but `pre` maps its `B`, and `AX` is no phrase.
    #[test]
    fn a_phrase_holding_a_character_the_first_table_maps_goes_through_both() {
        let pre = table_of(&[('B', "X")], &[]);
        let last = table_of(&[('X', "x"), ('A', "a")], &[("AB", "phrase")]);
        for (text, expected) in [("AB", "ax"), ("AB, AB", "ax, ax"), ("ABAB", "axax")] {
            assert_eq!(
                chain_segment_by_segment(&pre, &last, text).unwrap(),
                expected
            );
            assert_eq!(chain_one_pass(&pre, &last, text).unwrap().0, expected);
        }
    }

    proptest::proptest! {
        /// Any mixture of pieces where the variant table acts (it maps 為 裡 眾 參, and its
        /// phrases hold 才 梁 參), pieces where it does not, phrases of either table (藉口
        /// overlaps 口才), and the characters that cut pieces converts as the reference does,
        /// whichever way each piece goes.
        #[test]
        fn one_pass_chain_agrees_on_any_mixture(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "為", "裡", "眾", "參", "予", "參予", "核", "才", "天才兒童", "人才", "一流",
                "上梁不正下梁歪", "梁", "一目瞭然", "瞭", "國", "人", "們", "乾", "後", "著作",
                "著", "藉口", "口才", "口吃", "麼", "，", "。", "a", " ", "1", "𠀀", "\u{F9B5}",
            ]), 0..16)
        ) {
            let text = words.concat();
            let (ts, tw_rev) = (TableId::Ts.get(), TableId::TwRev.get());
            match (chain_one_pass(tw_rev, ts, &text), chain_segment_by_segment(tw_rev, ts, &text)) {
                (Ok((actual, changed)), Ok(expected)) => {
                    proptest::prop_assert_eq!(&actual, &expected);
                    proptest::prop_assert_eq!(changed, changed_chars(&text, &expected));
                }
                (Err(NeedsNormalizing), Err(NeedsNormalizing)) => {}
                (actual, expected) => proptest::prop_assert!(
                    false,
                    "{text}: {:?} against {:?}",
                    actual.is_ok(),
                    expected.is_ok()
                ),
            }
        }
    }
}
