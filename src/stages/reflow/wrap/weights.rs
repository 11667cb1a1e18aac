//! The weights of a width model's narrow characters, curly quotation marks and gaps: the
//! candidates tried, each scored on the samples of the first batch ([`fit_weights`]).

use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap;

use super::{Room, Sample, WidthModel};

/// The widths [`fit_weights`] tries for a narrow character, a curly quotation mark and a gap.
pub(super) const NARROW: [f32; 6] = [0.45, 0.5, 0.55, 0.6, 0.65, 0.7];
pub(super) const QUOTE: [f32; 4] = [0.35, 0.5, 0.7, 1.0];
pub(super) const SPACE: [f32; 4] = [0.0, 0.1, 0.2, 0.3];

/// How many candidates [`fit_weights`] scores: every narrow width with every quotation mark's
/// and every gap's.
const CANDIDATES: usize = NARROW.len() * QUOTE.len() * SPACE.len();

/// The place of the candidate of `NARROW[narrow]`, `QUOTE[quote]` and `SPACE[space]` in a
/// table of [`CANDIDATES`] scores.
fn candidate_at(narrow: usize, quote: usize, space: usize) -> usize {
    (narrow * QUOTE.len() + quote) * SPACE.len() + space
}

/// Picks the widths of narrow characters, quotation marks and gaps that make the most lines
/// with them full and none wider than the page.
pub(super) fn fit_weights(model: &mut WidthModel, samples: &[Sample]) {
    let default = *model;
    // A line of wide characters only, followed by one (or by none), measures the same whatever
    // the weights: its part of every candidate's score is taken once.
    let (fixed, varying): (Vec<&Sample>, Vec<&Sample>) = samples
        .iter()
        .filter(|s| !s.made_by_joins)
        .partition(|s| s.room.is_pure() && s.next.as_ref().map_or(true, Room::is_pure));
    let fixed_score = default.score(fixed);
    // A sample's part of a score depends on its room, the next line's lead and whether it may
    // start a paragraph only, and many lines of a page measure alike: each kind is scored once
    // per candidate, times how many there are (the same sum: the parts are whole numbers).
    let mut kinds: Vec<(&Sample, i64)> = Vec::with_capacity(varying.len());
    let mut kind_of: FxHashMap<(Room, Room, Option<Room>, bool), usize> = FxHashMap::default();
    for sample in varying {
        match kind_of.entry((sample.room, sample.hang, sample.next, sample.may_start)) {
            Entry::Occupied(kind) => kinds[*kind.get()].1 += 1,
            Entry::Vacant(kind) => {
                kind.insert(kinds.len());
                kinds.push((sample, 1));
            }
        }
    }
    // And a kind is scored only under the weights it reads: a kind without quotation marks
    // scores the same under every quotation mark's width (its part of the sum is that
    // width times none, nothing), and most kinds read the narrow width and the gap's at most
    // (a sixth of the candidates). The parts of the kinds that read the same weights are
    // summed in a table of their own, by the weights read (the others' places left at 0).
    let mut parts = [[0i64; CANDIDATES]; WeightsRead::TABLES];
    for (sample, count) in kinds {
        let kind = Weighed::of(sample);
        let read = kind.weights_read();
        let table = &mut parts[read.table()];
        for narrow in 0..read.choices(read.narrow, NARROW.len()) {
            for quote in 0..read.choices(read.quote, QUOTE.len()) {
                for space in 0..read.choices(read.space, SPACE.len()) {
                    let candidate = WidthModel {
                        narrow: NARROW[narrow],
                        quote: QUOTE[quote],
                        space: SPACE[space],
                        ..default
                    };
                    table[candidate_at(narrow, quote, space)] += count * kind.score(&candidate);
                }
            }
        }
    }
    let mut best: Option<(i64, f32, WidthModel)> = None;
    for (n, narrow) in NARROW.into_iter().enumerate() {
        for (q, quote) in QUOTE.into_iter().enumerate() {
            for (s, space) in SPACE.into_iter().enumerate() {
                let candidate = WidthModel {
                    narrow,
                    quote,
                    space,
                    ..default
                };
                let score = fixed_score
                    + WeightsRead::ALL
                        .iter()
                        .map(|read| {
                            let at = |reads: bool, i: usize| if reads { i } else { 0 };
                            parts[read.table()][candidate_at(
                                at(read.narrow, n),
                                at(read.quote, q),
                                at(read.space, s),
                            )]
                        })
                        .sum::<i64>();
                // On a tie, the weights nearest the usual ones.
                let distance = (narrow - default.narrow).abs()
                    + (quote - default.quote).abs()
                    + (space - default.space).abs();
                let better = best.as_ref().map_or(true, |(s, d, _)| {
                    score > *s || (score == *s && distance < *d)
                });
                if better {
                    best = Some((score, distance, candidate));
                }
            }
        }
    }
    if let Some((_, _, fitted)) = best {
        *model = fitted;
    }
}

/// Which of the weights a kind of sample's score reads: the width of narrow characters, of
/// quotation marks, of gaps. One it does not read counts none of its class (in the line, the
/// marks it hangs or the next line's lead), and [`WidthModel::em`] adds that weight times
/// none, `+0.0`, to a sum that is never negative: the same sum to the bit, whatever the weight.
#[derive(Clone, Copy)]
struct WeightsRead {
    narrow: bool,
    quote: bool,
    space: bool,
}

impl WeightsRead {
    /// Every set of weights a kind may read, in the order of [`Self::table`].
    const ALL: [WeightsRead; Self::TABLES] = {
        let mut all = [WeightsRead {
            narrow: false,
            quote: false,
            space: false,
        }; Self::TABLES];
        let mut i = 0;
        while i < Self::TABLES {
            all[i] = WeightsRead {
                narrow: i & 1 != 0,
                quote: i & 2 != 0,
                space: i & 4 != 0,
            };
            i += 1;
        }
        all
    };
    const TABLES: usize = 8;

    /// The table of [`fit_weights`] that sums the parts of the kinds that read these weights.
    fn table(self) -> usize {
        usize::from(self.narrow) | usize::from(self.quote) << 1 | usize::from(self.space) << 2
    }

    /// How many of a weight's `widths` are tried for a kind: all when it reads the weight, the
    /// first alone when it does not.
    fn choices(self, reads: bool, widths: usize) -> usize {
        if reads {
            widths
        } else {
            1
        }
    }
}

/// A sample as [`fit_weights`] scores it under every candidate: its counts converted to the
/// floats the model weighs once, not at every candidate (a count's conversion is most of
/// [`WidthModel::em`]). [`Weighed::score`] is [`WidthModel::score`] of the one sample, the
/// same operations in the same order on the same values, so the same result to the bit.
struct Weighed {
    room: [f32; 4],
    hang: [f32; 4],
    tolerance: f32,
    /// The next line's lead, and whether a gap sets it off ([`WidthModel::overflow`]).
    next: Option<([f32; 4], bool)>,
    may_start: bool,
}

impl Weighed {
    fn counts(room: &Room) -> [f32; 4] {
        [
            room.wide as f32,
            room.narrow as f32,
            room.quotes as f32,
            room.spaces as f32,
        ]
    }

    fn of(sample: &Sample) -> Weighed {
        Weighed {
            room: Self::counts(&sample.room),
            hang: Self::counts(&sample.hang),
            tolerance: WidthModel::tolerance(&sample.room),
            next: sample
                .next
                .map(|lead| (Self::counts(&lead), lead.wide == 0 && lead.narrow > 0)),
            may_start: sample.may_start,
        }
    }

    /// The weights this kind's score reads ([`WeightsRead`]): those of the classes its line,
    /// the marks it hangs or the next line's lead count, and the gap's before a lead that is
    /// a Latin word.
    fn weights_read(&self) -> WeightsRead {
        let (lead, gap_before) = self.next.unwrap_or(([0.0; 4], false));
        let counts = |class: usize| self.room[class] + self.hang[class] + lead[class] > 0.0;
        WeightsRead {
            narrow: counts(1),
            quote: counts(2),
            space: counts(3) || gap_before,
        }
    }

    /// [`WidthModel::em`] of converted counts.
    fn em(model: &WidthModel, counts: &[f32; 4]) -> f32 {
        counts[0] + model.narrow * counts[1] + model.quote * counts[2] + model.space * counts[3]
    }

    /// [`WidthModel::score`] of this sample alone.
    fn score(&self, model: &WidthModel) -> i64 {
        let em = Self::em(model, &self.room);
        if em - Self::em(model, &self.hang) > model.margin + self.tolerance {
            return -3;
        }
        let Some((lead, gap_before)) = &self.next else {
            return 0;
        };
        // `WidthModel::is_full`.
        let room_for = if self.may_start {
            model.margin - model.indent
        } else {
            model.margin
        };
        let gap = if *gap_before { model.space } else { 0.0 };
        let overflow = em + Self::em(model, lead) + gap - room_for + self.tolerance;
        i64::from(overflow > 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The weights are fitted on converted counts: every candidate scores every kind of sample
    /// as the model scores it (lines of all classes, wider and narrower than the page, with
    /// and without a next line, whether or not they may start a paragraph).
    #[test]
    fn weighed_samples_score_as_the_model_scores_them() {
        let rooms: Vec<Room> = (0..5)
            .flat_map(|narrow| {
                [0, 3, 17, 25, 27, 29, 31, 40].map(|wide| Room {
                    wide,
                    narrow: narrow * 3,
                    quotes: narrow % 2,
                    spaces: narrow / 2,
                })
            })
            .collect();
        let leads = [
            None,
            Some(Room::ONE_WIDE),
            Some(Room {
                wide: 0,
                narrow: 4,
                quotes: 0,
                spaces: 0,
            }),
        ];
        // A line that hangs no mark, a full stop, a quotation mark.
        let hangs = [
            Room::default(),
            Room::ONE_WIDE,
            Room {
                quotes: 1,
                ..Room::default()
            },
        ];
        let mut outcomes = std::collections::BTreeSet::new();
        for room in &rooms {
            for (next, hang) in leads.into_iter().flat_map(|n| hangs.map(|h| (n, h))) {
                for may_start in [false, true] {
                    let sample = Sample {
                        room: *room,
                        hang,
                        next,
                        next_starts_block: false,
                        ends_sentence: false,
                        starts_block: false,
                        follows: true,
                        may_start,
                        made_by_joins: false,
                    };
                    let weighed = Weighed::of(&sample);
                    for narrow in [0.45, 0.55, 0.7] {
                        for quote in [0.35, 1.0] {
                            for space in [0.0, 0.3] {
                                let model = WidthModel {
                                    margin: 28.0,
                                    narrow,
                                    quote,
                                    space,
                                    indent: 2.0,
                                    body_indent: None,
                                };
                                let score = model.score([&sample]);
                                assert_eq!(
                                    weighed.score(&model),
                                    score,
                                    "{room:?} {next:?} {may_start} {model}"
                                );
                                outcomes.insert(score);
                            }
                        }
                    }
                }
            }
        }
        // Lines wider than the page, full lines and lines that stop short were all compared.
        assert_eq!(outcomes.into_iter().collect::<Vec<_>>(), [-3, 0, 1]);
    }

    /// The weights fitted from the kinds' tables are the ones every candidate scored on every
    /// sample gives: samples of every class, with leads of every class, some wider than the
    /// page, hanging marks or not, that may start a paragraph or not.
    #[test]
    fn the_weights_fitted_are_the_best_of_every_candidate_scored_whole() {
        let room = |wide, narrow, quotes, spaces| Room {
            wide,
            narrow,
            quotes,
            spaces,
        };
        let rooms = [
            room(27, 0, 0, 0),
            room(25, 3, 0, 1),
            room(26, 0, 2, 0),
            room(22, 8, 1, 2),
            room(28, 0, 0, 0),
            room(24, 6, 0, 0),
            room(20, 0, 0, 3),
            room(29, 2, 2, 0),
            room(12, 4, 0, 0),
            room(26, 1, 1, 1),
        ];
        let leads = [
            None,
            Some(Room::ONE_WIDE),
            Some(room(0, 4, 0, 0)),
            Some(room(0, 0, 1, 0)),
            Some(room(1, 0, 0, 1)),
        ];
        let hangs = [Room::default(), Room::ONE_WIDE, room(0, 0, 1, 0)];
        let mut samples = Vec::new();
        for (i, room) in rooms.iter().enumerate() {
            for (j, next) in leads.iter().enumerate() {
                samples.push(Sample {
                    room: *room,
                    hang: hangs[(i + j) % hangs.len()],
                    next: *next,
                    next_starts_block: false,
                    ends_sentence: false,
                    starts_block: false,
                    follows: true,
                    may_start: (i * j) % 3 == 0,
                    made_by_joins: i == 9 && j == 4,
                });
            }
        }
        for margin in [24.0, 26.0, 27.0, 28.0] {
            // Every subset of a few sizes, so that the best weights move between them.
            for take in [3, 7, 12, 20, samples.len()] {
                let samples = &samples[..take];
                let default = WidthModel {
                    margin,
                    narrow: 0.5,
                    quote: 1.0,
                    space: 0.2,
                    indent: 2.0,
                    body_indent: None,
                };
                let mut best: Option<(i64, f32, WidthModel)> = None;
                for narrow in NARROW {
                    for quote in QUOTE {
                        for space in SPACE {
                            let candidate = WidthModel {
                                narrow,
                                quote,
                                space,
                                ..default
                            };
                            let score =
                                candidate.score(samples.iter().filter(|s| !s.made_by_joins));
                            let distance = (narrow - 0.5f32).abs()
                                + (quote - 1.0f32).abs()
                                + (space - 0.2f32).abs();
                            let better = best.as_ref().map_or(true, |(s, d, _)| {
                                score > *s || (score == *s && distance < *d)
                            });
                            if better {
                                best = Some((score, distance, candidate));
                            }
                        }
                    }
                }
                let mut fitted = default;
                fit_weights(&mut fitted, samples);
                assert_eq!(Some(fitted), best.map(|(_, _, m)| m), "{margin} {take}");
            }
        }
    }
}
