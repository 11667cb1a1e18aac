//! What reflow's title join reads of a line: whether it may be part of a title, and whether
//! the join would join two texts at the top of a document.

use super::classify::{self, continues_title};
use super::shape::{LineShape, ShapeNeeds};

/// A line that may be part of a title: no sentence punctuation, not long, no heading or list
/// item. The first line that is none ends the top of the document where titles are joined:
/// joining only makes lines longer, so a second cleaning finds that end no later, and joins
/// no title the first did not.
pub(super) fn is_title_part(shape: &LineShape) -> bool {
    !shape.has_stop && !shape.starts_block && shape.chars <= classify::MAX_MARKED_HEADING_CHARS
}

/// Would reflow's title join, at the top of a document, join `next` to the title `held`
/// (its text so far)? The join's own tests on the two texts (`ReflowStage::join_rule`), for the
/// page model's doubled-first-line rule, which reads the top of a document as the lines the
/// stage makes of it.
pub(crate) fn title_join_joins(held: &str, next: &str) -> bool {
    let needs = ShapeNeeds {
        width: false,
        title: true,
    };
    LineShape::start_as_needed(held, needs).chars <= 2 * classify::MAX_MARKED_HEADING_CHARS
        && is_title_part(&LineShape::start_as_needed(next, needs))
        && continues_title(held, next)
}
