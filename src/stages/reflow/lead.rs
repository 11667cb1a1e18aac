//! Where a hard wrap could fall: the piece a line starts with, which the line before would have
//! had to hold for the layout not to break there, and the marks a line cannot start or end
//! with, which go with it.

use super::shape::{class_of, Class, Room};

/// Marks a line cannot start with: the layout keeps them on the line before, pulling the
/// character before them down with them.
pub(super) fn is_no_line_start(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '”'
            | '’'
            | '…'
            | '·'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '%'
    )
}

/// Marks a line cannot end with: the layout moves them to the next line with what follows.
fn is_no_line_end(c: char) -> bool {
    matches!(
        c,
        '“' | '‘' | '（' | '《' | '「' | '『' | '【' | '〔' | '〈' | '(' | '['
    )
}

/// A letter with a diacritic that a Latin font sets (`é`, `ü`, `ǎ`): part of a word.
fn is_narrow_letter(c: char) -> bool {
    c.is_alphabetic() && crate::text::display_width(c) == 1
}

/// The room the first unbreakable piece of `text` takes: what the line before would have had to
/// hold for the layout not to break there. That is a Latin word or number whole, or one Chinese
/// character; with the opening marks before it and the closing marks after it, which cannot
/// stand at a line's end or start.
pub fn lead_room(text: &str) -> Room {
    // Most lines start with a Han character of U+4000–U+9FFF (lead bytes E4–E9) followed by
    // another or by nothing: one wide character, no mark before or after it (none of them is
    // in that range).
    let bytes = text.as_bytes();
    let han_lead = |at: usize| bytes.get(at).is_some_and(|b| (0xE4..=0xE9).contains(b));
    if han_lead(0) && (bytes.len() == 3 || han_lead(3)) {
        return Room::ONE_WIDE;
    }
    let mut room = Room::default();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if !is_no_line_end(c) {
            break;
        }
        room.count(class_of(c));
        chars.next();
    }
    match chars.next() {
        Some(c) if c.is_ascii_alphanumeric() => {
            room.count(Class::Narrow);
            // A word goes on through letters with diacritics (a pinyin syllable, `jié`): the
            // layout breaks no word inside.
            while let Some(&c) = chars.peek() {
                if c == ' ' || !(c.is_ascii() || is_narrow_letter(c)) {
                    break;
                }
                room.count(Class::Narrow);
                chars.next();
            }
        }
        Some(c) => room.count(class_of(c)),
        None => return room,
    }
    // A few closing marks at most; more would be no real line's start.
    let mut closed = false;
    while let Some(&c) = chars.peek() {
        if !is_no_line_start(c) || room.wide + room.narrow > 8 {
            break;
        }
        room.count(class_of(c));
        closed = true;
        chars.next();
    }
    // An opening mark after them cannot end the line either: it and the character after it go
    // along (`说，“用`).
    if closed && chars.peek().is_some_and(|c| is_no_line_end(*c)) {
        while let Some(&c) = chars.peek() {
            if !is_no_line_end(c) {
                break;
            }
            room.count(class_of(c));
            chars.next();
        }
        if let Some(c) = chars.next() {
            room.count(class_of(c));
        }
    }
    // The layout does not break between a closing mark and a Latin word right after it
    // (`系，Internet`): the word goes with them.
    if closed && chars.peek().is_some_and(|c| c.is_ascii_alphanumeric()) {
        room.spaces += 1;
        while let Some(&c) = chars.peek() {
            if c == ' ' || !c.is_ascii() {
                break;
            }
            room.count(Class::Narrow);
            chars.next();
        }
    }
    room
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The piece a line starts with: a Han character, a Latin word or a number whole, with the
    /// marks that go with it.
    #[test]
    fn rooms_of_line_starts() {
        let room = |wide, narrow, quotes| Room {
            wide,
            narrow,
            quotes,
            spaces: 0,
        };
        // One Chinese character, with the marks that cannot start a line.
        assert_eq!(lead_room("工作"), room(1, 0, 0));
        assert_eq!(lead_room("求，按照"), room(2, 0, 0));
        assert_eq!(lead_room("章。”第二"), room(2, 0, 1));
        assert_eq!(lead_room("说，“用自己的力量"), room(3, 0, 1));
        // No break between a closing mark and a Latin word after it.
        assert_eq!(
            lead_room("系，Internet 指标"),
            Room {
                spaces: 1,
                ..room(2, 8, 0)
            }
        );
        // A Latin word or a number whole.
        assert_eq!(lead_room("2023 年度"), room(0, 4, 0));
        assert_eq!(lead_room("1000余份"), room(0, 4, 0));
        assert_eq!(lead_room("GB/T 7714"), room(0, 4, 0));
        // Opening marks go with what follows them.
        assert_eq!(lead_room("“三会一课”"), room(1, 0, 1));
        assert_eq!(lead_room("《条例》"), room(2, 0, 0));
        assert_eq!(lead_room(""), Room::default());
        // Han characters, taken at once or character by character.
        assert_eq!(lead_room("中"), room(1, 0, 0));
        assert_eq!(lead_room("中国"), room(1, 0, 0));
        assert_eq!(lead_room("中，"), room(2, 0, 0));
        assert_eq!(lead_room("中a"), room(1, 0, 0));
        // A word goes on through letters with diacritics: a pinyin annotation is one piece (its
        // `(` measured as the `（` polish makes of it).
        assert_eq!(lead_room("(jié)下了"), room(1, 4, 0));
        assert_eq!(lead_room("Café 中"), room(0, 4, 0));
    }
}
