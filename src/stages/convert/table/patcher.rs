//! Output by *copy, then patch*: the input is appended whole, then each replacement of the
//! same byte length (nearly all of them: a Han character is three bytes in either script) is
//! written over it in place. Only a replacement of another length switches to appending piece
//! by piece for the rest of the text.

use crate::text::utf8::changed_chars;

/// Writes a converted text into `out` by copy, then patch (see the module comment).
pub(super) struct Patcher<'a> {
    pub(super) out: &'a mut String,
    text: &'a str,
    /// Where the text starts in `out`.
    base: usize,
    /// `None` while patching in place; once a replacement changed the length, the text byte up
    /// to which `out` holds the text.
    appended_to: Option<usize>,
    pub(super) changed: u64,
}

/// A state of a [`Patcher`] to return to: that of the output of `text[..start]`.
#[derive(Clone, Copy)]
pub(super) struct Checkpoint {
    pub(super) start: usize,
    len: usize,
    appended_to: Option<usize>,
    changed: u64,
}

impl<'a> Patcher<'a> {
    pub(super) fn new(out: &'a mut String, text: &'a str) -> Self {
        let base = out.len();
        out.push_str(text);
        Patcher {
            out,
            text,
            base,
            appended_to: None,
            changed: 0,
        }
    }

    /// Replaces the single character `text[start..end]` with a different `replacement`.
    #[inline(always)]
    pub(super) fn replace_char(&mut self, start: usize, end: usize, replacement: &str) {
        self.changed += 1;
        if self.appended_to.is_none() && replacement.len() == 3 && end - start == 3 {
            let at = self.base + start;
            // SAFETY: `out[at..at + 3]` holds one whole 3-byte character (copied from `text`),
            // and a whole 3-byte character replaces it, so `out` stays valid UTF-8.
            unsafe {
                self.out.as_bytes_mut()[at..at + 3].copy_from_slice(&replacement.as_bytes()[..3])
            };
        } else {
            self.replace(start, end, replacement);
        }
    }

    /// Replaces the phrase `text[start..end]` with its output `replacement` where the two
    /// differ, and counts the characters changed.
    pub(super) fn replace_phrase(&mut self, start: usize, end: usize, replacement: &str) {
        let original = &self.text[start..end];
        if replacement != original {
            self.changed += changed_chars(original, replacement);
            self.replace(start, end, replacement);
        }
    }

    /// Replaces `text[start..end]` (whole characters) with `replacement`.
    pub(super) fn replace(&mut self, start: usize, end: usize, replacement: &str) {
        match self.appended_to {
            None if replacement.len() == end - start => {
                let at = self.base + start;
                // SAFETY: `out[at..at + len]` holds whole characters copied from `text`, and
                // they are replaced by a whole `str` of the same byte length.
                unsafe {
                    self.out.as_bytes_mut()[at..at + replacement.len()]
                        .copy_from_slice(replacement.as_bytes())
                };
            }
            None => {
                self.out.truncate(self.base + start);
                self.out.push_str(replacement);
                self.appended_to = Some(end);
            }
            Some(copied) => {
                self.out.push_str(&self.text[copied..start]);
                self.out.push_str(replacement);
                self.appended_to = Some(end);
            }
        }
    }

    /// Where the output stands now, with the text written up to `start`, to come back to
    /// with [`Patcher::rewrite`].
    pub(super) fn checkpoint(&self, start: usize) -> Checkpoint {
        Checkpoint {
            start,
            len: self.out.len(),
            appended_to: self.appended_to,
            changed: self.changed,
        }
    }

    /// Undoes every change made since `checkpoint`, then writes `replacement` for the text
    /// from the checkpoint's start to `end`; `changed` is added to the count of characters
    /// changed.
    pub(super) fn rewrite(
        &mut self,
        checkpoint: Checkpoint,
        end: usize,
        replacement: &str,
        changed: u64,
    ) {
        let start = checkpoint.start;
        match (checkpoint.appended_to, self.appended_to) {
            // Patched in place since: `replace` below writes over those patches, or (at
            // another length) truncates them away.
            (None, None) => {}
            // Switched to appending since: `out` holds the output of `text[..start]`.
            (None, Some(_)) => {
                self.out.truncate(self.base + start);
                self.appended_to = Some(start);
            }
            (Some(_), _) => {
                self.out.truncate(checkpoint.len);
                self.appended_to = checkpoint.appended_to;
            }
        }
        self.changed = checkpoint.changed + changed;
        self.replace(start, end, replacement);
    }

    /// Finishes the text; returns the number of characters changed.
    pub(super) fn finish(self) -> u64 {
        if let Some(copied) = self.appended_to {
            self.out.push_str(&self.text[copied..]);
        }
        self.changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rewriting a piece undoes the changes made since the checkpoint, whether they were
    /// patched in place, changed the length, or were appended after an earlier change of
    /// length; changes before the checkpoint stay.
    #[test]
    fn rewrite_undoes_the_changes_since_the_checkpoint() {
        // (change before the checkpoint, change since, output, characters changed)
        let cases = [
            (None, None, ">abCDef", 2),
            (Some("x"), Some("y"), ">xbCDef", 3),
            (Some("x"), Some("yyy"), ">xbCDef", 3),
            (Some("xx"), Some("yyy"), ">xxbCDef", 3),
            (Some("xx"), None, ">xxbCDef", 3),
        ];
        for (before, since, expected, changed) in cases {
            let mut out = String::from(">");
            let mut patcher = Patcher::new(&mut out, "abcdef");
            if let Some(replacement) = before {
                patcher.replace(0, 1, replacement);
                patcher.changed += 1;
            }
            let checkpoint = patcher.checkpoint(2);
            if let Some(replacement) = since {
                patcher.replace(2, 3, replacement);
                patcher.changed += 1;
            }
            patcher.rewrite(checkpoint, 4, "CD", 2);
            assert_eq!(patcher.finish(), changed, "{expected}");
            assert_eq!(out, expected);
        }
    }
}
