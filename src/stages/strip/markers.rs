//! Converter markers: the debris that Word-to-text converters write in place of things that are
//! not text.
//!
//! - `[bookmark: NAME]` (`bookmark`): Apache Tika's plain-text output of Word files writes one per
//!   bookmark (`_GoBack`, `_Toc123`, `_Hlk456`, GUIDs), several may stack.
//! - `[image: ALT]` (`image-marker`): the same converter's placeholder for a picture.
//! - `[footnoteRef:N]`, `[endnoteRef:N]` (`note-ref`): Apache POI's note references.
//!
//! A marker is removed wherever it occurs; the text around it is not touched. Anything that only
//! looks similar (`[注1]`, `[bookmark]`, `[image:` without its `]`) stays.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::report::Counts;
use crate::rules::Rule;
use crate::stages::normalize::is_known_inert;

/// Which marker families to remove (each one a rule).
#[derive(Clone, Copy, Debug)]
pub struct Markers {
    pub bookmark: bool,
    pub image: bool,
    pub note_ref: bool,
}

/// The longest marker we accept: a bookmark name is at most 40 characters in Word, an image's
/// alternative text may be longer but not a page.
const MAX_MARKER_BYTES: usize = 512;

/// Does `text` end inside what a joined line could make a converter marker: an opening `[`
/// that no `]` closes, holding the start of a marker (`[image: fl`, `[bookm`)? Reflow does not
/// join onto such a line: strip, which runs before reflow, would never see the marker the join
/// completes, and a second clean would remove it (cleaning would not be idempotent).
pub fn ends_inside_marker(text: &str) -> bool {
    /// Can the text after a family's prefix still become its marker?
    type CanBecome = dyn Fn(&str) -> bool;
    // A marker is at most MAX_MARKER_BYTES long, so only the paragraph's tail can hold one.
    let tail = &text.as_bytes()[text.len().saturating_sub(MAX_MARKER_BYTES)..];
    let Some(open) = memchr::memrchr(b'[', tail) else {
        return false;
    };
    // From an ASCII `[` to the end of the text: whole characters.
    let Ok(rest) = std::str::from_utf8(&tail[open..]) else {
        return false;
    };
    if rest.contains(']') {
        return false;
    }
    // What each family's marker can still become: only a text that can is told (a colon that
    // polish widens, `[image:（`, makes none, and a second cleaning must decide the same).
    fn spaced(after: &str, body_ok: fn(&str) -> bool) -> bool {
        after.is_empty()
            || (after.starts_with([' ', '\u{a0}'])
                && body_ok(after.trim_start_matches([' ', '\u{a0}'])))
    }
    let families: [(&str, &CanBecome); 4] = [
        ("[bookmark:", &|after| {
            spaced(after, |name| name.is_empty() || is_bookmark_name(name))
        }),
        ("[image:", &|after| spaced(after, |alt| !alt.contains('['))),
        ("[footnoteRef:", &|after| {
            after.trim().bytes().all(|b| b.is_ascii_digit())
        }),
        ("[endnoteRef:", &|after| {
            after.trim().bytes().all(|b| b.is_ascii_digit())
        }),
    ];
    families.iter().any(|(prefix, can_become)| {
        prefix.starts_with(rest) || rest.strip_prefix(prefix).is_some_and(can_become)
    })
}

impl Markers {
    fn any(&self) -> bool {
        self.bookmark || self.image || self.note_ref
    }

    /// The rule and the byte length of a marker starting at the start of `text`, if it is one.
    fn marker_at(&self, text: &str) -> Option<(Rule, usize)> {
        if self.bookmark {
            if let Some(len) = bracketed(text, "[bookmark: ", is_bookmark_name) {
                return Some((Rule::Bookmark, len));
            }
        }
        if self.image {
            if let Some(len) = bracketed(text, "[image: ", |alt| !alt.contains('[')) {
                return Some((Rule::ImageMarker, len));
            }
        }
        if self.note_ref {
            for prefix in ["[footnoteRef:", "[endnoteRef:"] {
                if let Some(len) = bracketed(text, prefix, is_number) {
                    return Some((Rule::NoteRef, len));
                }
            }
        }
        None
    }

    /// A marker that ends `text` (which ends with `]`): its rule and where it starts. A
    /// marker holds no `[` (no family's body does), so it starts at the last `[`.
    fn marker_ending(&self, text: &str) -> Option<(Rule, usize)> {
        // A marker is at most MAX_MARKER_BYTES long: only the tail can hold its start.
        let from = text.len().saturating_sub(MAX_MARKER_BYTES);
        let open = from + memchr::memrchr(b'[', &text.as_bytes()[from..])?;
        let (rule, len) = self.marker_at(&text[open..])?;
        (open + len == text.len()).then_some((rule, open))
    }

    /// Removes every enabled marker from one line, and the markers their removal completes
    /// (`[image: [bookmark: G]]` leaves `[image: ]`, a marker too, which a second cleaning
    /// would otherwise remove): each `]` closes the marker that the text kept so far ends with.
    pub fn strip<'a>(&self, line: &'a str, counts: &mut Counts) -> Cow<'a, str> {
        if !self.any() || memchr::memchr(b'[', line.as_bytes()).is_none() {
            return Cow::Borrowed(line);
        }
        // The text kept, once a marker was removed; until then it is the line itself.
        let mut out: Option<String> = None;
        let mut copied_to = 0;
        let mut needs_renormalizing = false;
        for close in memchr::memchr_iter(b']', line.as_bytes()) {
            let end = close + 1;
            let kept = match out.as_mut() {
                Some(out) => {
                    out.push_str(&line[copied_to..end]);
                    copied_to = end;
                    out.as_str()
                }
                None => &line[..end],
            };
            let Some((rule, start)) = self.marker_ending(kept) else {
                continue;
            };
            counts.add(rule, 1);
            counts.add_han(rule, super::furniture::han_count(&kept[start..]));
            let out = match out.as_mut() {
                Some(out) => {
                    out.truncate(start);
                    out
                }
                None => {
                    copied_to = end;
                    out.insert(line[..start].to_owned())
                }
            };
            needs_renormalizing |= join_is_not_nfc(out, &line[copied_to..]);
        }
        let Some(mut out) = out else {
            return Cow::Borrowed(line);
        };
        out.push_str(&line[copied_to..]);
        if needs_renormalizing {
            // The line was NFC before (normalization is the first stage); only the joins can
            // have undone that, and composing the whole line again gives what normalizing the
            // joined text in the first place would have.
            out = out.nfc().collect();
        }
        Cow::Owned(out)
    }
}

/// `prefix` + a body accepted by `body_ok` + `]` at the start of `text`: the total length.
/// Whether removing a marker between `before` and `after` (each NFC) leaves the joined text
/// not NFC: `e` + a marker + U+0301 must become `é`. Only the two characters at the join are
/// checked (NFC quick check: a combining mark after the join, or one out of order, says "no" or
/// "maybe"), so a removal between Han characters or ASCII costs two character lookups.
///
/// A CJK compatibility ideograph at the join is not asked about: normalize keeps it in a Japanese
/// or Korean line (NFC would fold it), it is a starter that composes with nothing, and the join
/// makes it no less NFC than it was. Asked, it refused every join beside it, and a second
/// cleaning, which finds it folded once its paragraph reads as Chinese, made the join (the fuzz
/// finding `clean-idempotence-685542c08364bf1d`: `〔第一` U+FAA4, a form feed, U+D7CE `厨迱`).
pub fn join_is_not_nfc(before: &str, after: &str) -> bool {
    let compatibility = |c: char| matches!(c, '\u{F900}'..='\u{FAFF}' | '\u{2F800}'..='\u{2FA1F}');
    let Some(next) = after.chars().next() else {
        return false;
    };
    if next.is_ascii() || compatibility(next) {
        // An ASCII character or a compatibility ideograph is a starter that composes with
        // nothing before it.
        return false;
    }
    let last = before.chars().next_back().filter(|&c| !compatibility(c));
    // Han, CJK punctuation and the like (normalize's inert characters) are starters that pass
    // the quick check: one lookup each, where the quick check asks the Unicode tables (some
    // four hundred instructions a join).
    if is_known_inert(next) && last.is_none_or(is_known_inert) {
        return false;
    }
    is_nfc_quick(last.into_iter().chain([next])) != IsNormalized::Yes
}

///
/// The space a prefix ends with may also be a run of spaces with an NBSP in it: the `nbsp` rule
/// (after this) makes that run one space, and a second cleaning would find the marker.
fn bracketed(text: &str, prefix: &str, body_ok: impl Fn(&str) -> bool) -> Option<usize> {
    let rest = match prefix.strip_suffix(' ') {
        Some(head) => {
            let rest = text.strip_prefix(head)?;
            let after = rest.trim_start_matches([' ', '\u{a0}']);
            let run = &rest[..rest.len() - after.len()];
            if run != " " && !run.contains('\u{a0}') {
                return None;
            }
            after
        }
        None => text.strip_prefix(prefix)?,
    };
    let start = text.len() - rest.len();
    let end = rest.find(']')?;
    let body = &rest[..end];
    (start + end < MAX_MARKER_BYTES && body_ok(body)).then_some(start + end + 1)
}

/// Word bookmark names: letters, digits and underscores; GUID-style names add `{}-`.
fn is_bookmark_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '{' | '}' | '.'))
}

fn is_number(body: &str) -> bool {
    let body = body.trim();
    !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: Markers = Markers {
        bookmark: true,
        image: true,
        note_ref: true,
    };

    #[test]
    fn removes_markers_and_counts_them() {
        let cases = [
            (
                "[bookmark: _GoBack]为进一步提高",
                "为进一步提高",
                Rule::Bookmark,
                1,
            ),
            (
                "（三）[bookmark: _Toc123]加强",
                "（三）加强",
                Rule::Bookmark,
                1,
            ),
            (
                "[bookmark: Foo][bookmark: _GoBack]正文",
                "正文",
                Rule::Bookmark,
                2,
            ),
            (
                "见[bookmark: {3F2504E0-4F89-11D3-9A0C-0305E82C3301}]附件",
                "见附件",
                Rule::Bookmark,
                1,
            ),
            ("结尾。[bookmark: _Hlk456]", "结尾。", Rule::Bookmark, 1),
            ("图示[image: 图片 1]如下", "图示如下", Rule::ImageMarker, 1),
            ("[image: ]", "", Rule::ImageMarker, 1),
            // The removal of one completes another (the fuzz finding): both go, in one pass.
            ("[image: [bookmark: G]]", "", Rule::Bookmark, 1),
            ("图[image: [bookmark: G]]示", "图示", Rule::ImageMarker, 1),
            ("[image: a[image: b[image: c]]]d", "d", Rule::ImageMarker, 3),
            // An NBSP for the space (the fuzz finding): the nbsp rule would make it one.
            ("[bookmark:\u{a0}}]正文", "正文", Rule::Bookmark, 1),
            ("图[image: \u{a0}图片]示", "图示", Rule::ImageMarker, 1),
            ("条例[footnoteRef:3]规定", "条例规定", Rule::NoteRef, 1),
            ("规定[endnoteRef:12]。", "规定。", Rule::NoteRef, 1),
        ];
        for (input, expected, rule, n) in cases {
            let mut counts = Counts::default();
            assert_eq!(ALL.strip(input, &mut counts), expected, "{input:?}");
            assert_eq!(counts.get(rule), n, "{input:?}");
        }
    }

    #[test]
    fn a_line_ending_inside_a_marker_is_told() {
        for text in [
            "图示[image: flow",
            "图示[bookm",
            "见[footnoteRef:",
            "说明[",
            "[image:",
            "[image:\u{a0}图",
            "[bookmark: _Go",
            "[footnoteRef: 1",
        ] {
            assert!(ends_inside_marker(text), "{text:?}");
        }
        // Closed markers, brackets of the text itself, and no bracket at all.
        // Nor what can no longer become a marker (the fuzz finding: polish widens the colon of
        // `[image:（`, and a second cleaning would join what the first kept apart).
        for text in [
            "图示[image: 1]如下",
            "[注1",
            "数组a[k",
            "正文，",
            "",
            "[image:（",
            "[bookmark: 含 空格",
            "[footnoteRef:中",
        ] {
            assert!(!ends_inside_marker(text), "{text:?}");
        }
    }

    #[test]
    fn a_removal_that_joins_a_letter_and_its_accent_composes_them() {
        let cases = [
            // The fuzz reproducer: `e`, a marker, U+0301 COMBINING ACUTE ACCENT.
            ("e[image: ]\u{301}", "\u{e9}"),
            ("ca[bookmark: _GoBack]\u{301}", "c\u{e1}"),
            // Two marks out of canonical order once joined (below 220 before above 230).
            ("\u{e9}[footnoteRef:1]\u{323}", "\u{1eb9}\u{301}"),
            // Hangul: an LV syllable and a trailing jamo compose.
            ("\u{ac00}[image: x]\u{11a8}", "\u{ac01}"),
        ];
        for (input, expected) in cases {
            let mut counts = Counts::default();
            let out = ALL.strip(input, &mut counts);
            assert_eq!(out, expected, "{input:?}");
            assert!(unicode_normalization::is_nfc(&out), "{input:?}");
            assert!(!counts.is_empty(), "{input:?}");
        }
    }

    #[test]
    fn a_removal_between_starters_leaves_the_text_byte_for_byte() {
        // Chinese, ASCII and already composed letters around a marker: nothing is renormalized,
        // and a decomposed sequence elsewhere in the line (not at the join) is not this rule's
        // business either.
        assert!(!join_is_not_nfc("图示", "如下"));
        assert!(!join_is_not_nfc("e", "x"));
        // A compatibility ideograph on either side is not made less NFC by the join; a
        // combining mark after one still is asked about, and a letter before a mark still
        // composes.
        assert!(!join_is_not_nfc("〔第一\u{FAA4}", "\u{D7CE}厨迱"));
        assert!(!join_is_not_nfc("中", "\u{2F800}文"));
        assert!(join_is_not_nfc("\u{FAA4}", "\u{301}"));
        assert!(join_is_not_nfc("e", "\u{301}"));
        // The inert characters' shortcut answers as the quick check of the two characters.
        for c in (0..0x1_0000).step_by(7).filter_map(char::from_u32) {
            for (before, after) in [
                ("中".to_string(), c.to_string()),
                (c.to_string(), "文".into()),
            ] {
                let compatibility = ('\u{F900}'..='\u{FAFF}').contains(&c);
                let quick = is_nfc_quick(
                    before
                        .chars()
                        .last()
                        .into_iter()
                        .chain(after.chars().next()),
                );
                assert_eq!(
                    join_is_not_nfc(&before, &after),
                    !compatibility && !c.is_ascii() && quick != IsNormalized::Yes,
                    "{before:?} {after:?}"
                );
            }
        }
        for (input, expected) in [
            ("图示[image: 图片 1]如下", "图示如下"),
            ("caf\u{e9}[bookmark: _GoBack]。", "caf\u{e9}。"),
            ("\u{e9}[image: ]中文", "\u{e9}中文"),
            ("a\u{30a}b[image: ]中", "a\u{30a}b中"),
        ] {
            let mut counts = Counts::default();
            assert_eq!(ALL.strip(input, &mut counts), expected, "{input:?}");
        }
    }

    #[test]
    fn leaves_alone() {
        for input in [
            "根据[注1]规定",
            "[bookmark]",
            "[bookmark: 未闭合",
            "[image: 未闭合",
            "[footnoteRef:a]",
            "数组a[0]和b[1]",
            "【图片】不是标记",
            "[bookmark: 含 空格]",
            "[bookmark:  _GoBack]",
            "[bookmark:_GoBack]",
        ] {
            let mut counts = Counts::default();
            let out = ALL.strip(input, &mut counts);
            assert!(matches!(out, Cow::Borrowed(_)), "{input:?}");
            assert!(counts.is_empty(), "{input:?}");
        }
    }

    #[test]
    fn each_family_switches_off_alone() {
        let only_images = Markers {
            bookmark: false,
            image: true,
            note_ref: false,
        };
        let mut counts = Counts::default();
        assert_eq!(
            only_images.strip(
                "[bookmark: _GoBack]图[image: x][footnoteRef:1]",
                &mut counts
            ),
            "[bookmark: _GoBack]图[footnoteRef:1]"
        );
    }
}
