//! Text that is not shown, from a .doc's character properties: deleted revisions
//! (`sprmCFRMarkDel`: tracked deletions stay in the text stream until accepted) and hidden text
//! (`sprmCFVanish` on the run, or in its character style, or in its paragraph's style).
//!
//! Character properties are kept by file offset in the ChpxFkp pages of the PlcBteChpx
//! ([MS-DOC] 2.9.33): each run of offsets has the sprms that differ from its styles.

use std::ops::Range;

use super::styles::{Style, SPRM_C_F_VANISH};
use super::{fkp_pages, u16_at, u32_at, Sprms};

/// sprm of character properties: a tracked deletion.
const SPRM_C_F_R_MARK_DEL: u16 = 0x0800;
/// sprm of character properties: the character style (istd).
const SPRM_C_ISTD: u16 = 0x4A30;

/// What a run says of its visibility.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    /// A tracked deletion: never shown.
    deleted: bool,
    /// Its own `sprmCFVanish`: 0 shown, 1 hidden, 0x80 as its style says, 0x81 the opposite.
    vanish: Option<u8>,
    /// What its character style says.
    style_vanish: Option<bool>,
}

/// The runs that say anything of their visibility, as byte ranges of the WordDocument stream.
#[derive(Debug, Default)]
pub(super) struct HiddenRuns {
    /// Sorted by start.
    ranges: Vec<(u32, u32, Run)>,
}

impl HiddenRuns {
    /// Reads the ChpxFkp pages of the PlcBteChpx: `crun` in the last byte, `crun + 1` file
    /// offsets, `crun` one-byte word offsets of the Chpx (`cb`, then `cb` bytes of sprms).
    pub(super) fn parse(
        word: &[u8],
        table: &[u8],
        bte: Range<usize>,
        styles: &[Style],
    ) -> HiddenRuns {
        let mut ranges = Vec::new();
        for fkp in fkp_pages(word, table, bte) {
            let crun = usize::from(fkp[511]);
            for i in 0..crun {
                let (Some(start), Some(end)) = (u32_at(fkp, 4 * i), u32_at(fkp, 4 * (i + 1)))
                else {
                    break;
                };
                let Some(&b) = fkp.get(4 * (crun + 1) + i) else {
                    break;
                };
                let at = 2 * usize::from(b);
                if b == 0 {
                    continue;
                }
                let Some(&cb) = fkp.get(at) else { continue };
                let Some(props) = fkp.get(at + 1..(at + 1 + usize::from(cb)).min(511)) else {
                    continue;
                };
                let mut run = Run {
                    deleted: false,
                    vanish: None,
                    style_vanish: None,
                };
                for (sprm, operand) in Sprms(props) {
                    match sprm {
                        SPRM_C_F_R_MARK_DEL => run.deleted |= operand.first() == Some(&1),
                        SPRM_C_F_VANISH => run.vanish = operand.first().copied(),
                        SPRM_C_ISTD => {
                            run.style_vanish = u16_at(operand, 0)
                                .and_then(|istd| styles.get(usize::from(istd)))
                                .and_then(|style| style.vanish)
                        }
                        _ => {}
                    }
                }
                let says_nothing =
                    !run.deleted && run.vanish.is_none() && run.style_vanish.is_none();
                if start < end && !says_nothing {
                    ranges.push((start, end, run));
                }
            }
        }
        ranges.sort_unstable_by_key(|&(start, end, _)| (start, end));
        HiddenRuns { ranges }
    }

    /// Whether the character at `offset` is not shown, in a paragraph whose style says
    /// `paragraph_vanish`.
    pub(super) fn contains(&self, offset: usize, paragraph_vanish: Option<bool>) -> bool {
        let run = u32::try_from(offset).ok().and_then(|offset| {
            let i = self
                .ranges
                .partition_point(|&(start, _, _)| start <= offset);
            let &(_, end, run) = self.ranges.get(i.checked_sub(1)?)?;
            (offset < end).then_some(run)
        });
        let styled = run
            .and_then(|r| r.style_vanish)
            .or(paragraph_vanish)
            .unwrap_or(false);
        match run {
            Some(Run { deleted: true, .. }) => true,
            Some(Run {
                vanish: Some(0), ..
            }) => false,
            Some(Run {
                vanish: Some(1), ..
            }) => true,
            Some(Run {
                vanish: Some(0x81), ..
            }) => !styled,
            _ => styled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run as (start, end, deleted, its own vanish, its character style's).
    type Row = (u32, u32, bool, Option<u8>, Option<bool>);

    fn runs(list: &[Row]) -> HiddenRuns {
        HiddenRuns {
            ranges: list
                .iter()
                .map(|&(start, end, deleted, vanish, style_vanish)| {
                    (
                        start,
                        end,
                        Run {
                            deleted,
                            vanish,
                            style_vanish,
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn a_run_s_own_vanish_then_its_style_then_its_paragraph_style() {
        let r = runs(&[
            (10, 20, true, None, None),
            (20, 30, false, Some(0), Some(true)),
            (30, 40, false, Some(1), None),
            (40, 50, false, Some(0x81), Some(true)),
            (50, 60, false, Some(0x80), Some(true)),
            (60, 70, false, None, Some(false)),
        ]);
        // A run that says nothing, in a paragraph that says nothing or hides.
        assert!(!r.contains(5, None));
        assert!(r.contains(5, Some(true)));
        // Deleted whatever the styles say.
        assert!(r.contains(15, Some(false)));
        // Its own sprm first.
        assert!(!r.contains(25, Some(true)));
        assert!(r.contains(35, Some(false)));
        // 0x81: the opposite of its style; 0x80: as its style.
        assert!(!r.contains(45, None));
        assert!(r.contains(55, None));
        // Its character style shows it over a hidden paragraph style.
        assert!(!r.contains(65, Some(true)));
        assert!(r.contains(75, Some(true)));
    }
}
