//! What reflow's title join reads of a line: whether it may be part of a title, and whether
//! the join would join two texts at the top of a document.

use super::classify::{self, continues_title};
use super::seam::may_join;
use super::shape::{LineShape, ShapeNeeds};
use super::ReflowStage;
use crate::report::Counts;
use crate::rules::Rule;
use crate::stages::Line;
use crate::text::join_needs_space;

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
/// The title region's paragraphs: a whole title, and the paragraphs held back for a title join
/// that may reach them.
impl ReflowStage {
    /// Is the paragraph a whole title at the top of the document (one line, no clause, ending
    /// with its kind: [`classify::is_whole_title`])? A title set in the body's font may end
    /// near the margin, and is no wrapped line then.
    pub(super) fn holds_title(&self) -> bool {
        self.title_region
            && self.first_line
            && is_title_part(&self.paragraph_shape)
            && !self.paragraph_shape.has_pause
            && classify::is_whole_title(&self.paragraph)
    }

    /// Writes the title-region paragraphs held back.
    pub(super) fn release_titles(&mut self, out: &mut Vec<Line>) {
        // Past the document's top none are held, and this runs at every line there: no drain
        // set up for nothing.
        if self.titles.is_empty() {
            return;
        }
        out.extend(self.titles.drain(..).map(|(text, _)| Line::new(text)));
    }

    /// A title join made the paragraph longer: joins it onto the paragraphs before it that a
    /// second cleaning would join it to. Title joins are decided line by line, so the first
    /// cleaning saw `A` + `B` (not joined: `B` alone completes no title) before `B` + `C`
    /// (joined: `规定`); its output has `A` and `BC` as lines, and the second cleaning, which
    /// looks at `A` + `BC`, must find them joined already.
    pub(super) fn rejoin_titles(&mut self, counts: &mut Counts) {
        while let Some((held, shape)) = self.titles.last() {
            // What `joins` asks of the held paragraph and of this one as one complete line.
            let joins = shape.chars <= 2 * classify::MAX_MARKED_HEADING_CHARS
                && is_title_part(&self.paragraph_shape)
                && may_join(held, &self.paragraph)
                && classify::continues_title(held, &self.paragraph);
            if !joins {
                return;
            }
            let Some((mut held, mut shape)) = self.titles.pop() else {
                return;
            };
            if join_needs_space(held.chars().next_back(), self.paragraph.chars().next()) {
                held.push(' ');
            }
            held.push_str(&self.paragraph);
            self.paragraph = held;
            self.paragraph_no_sign = false;
            // The held title's mark was not kept.
            self.paragraph_no_compatibility_form = false;
            self.forget_paragraph_scans();
            shape.append(&self.paragraph_shape);
            self.paragraph_shape = shape;
            counts.add(Rule::JoinTitle, 1);
        }
    }
}
