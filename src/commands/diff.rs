//! `zhclean diff`: what `clean` would change, as a unified diff from the decoded input (what the
//! user reads in an editor) to the cleaned output. Writes nothing; runs the very pipeline `clean`
//! runs. Both texts are held in memory, so files above [`MAX_DIFF_BYTES`] are refused (`check`
//! streams any size).

use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use similar::ChangeTag;

use zhclean::decode::{Decoder, PREFIX_BYTES};
use zhclean::run::{self, clean_input, FileReport, RunConfig, Settings};
use zhclean::sink::is_broken_pipe;

use super::check::change_reason;
use super::drive::{drive, plan_reading, DriveOptions, Problem};
use super::outcome::{finish_reading, tell, Outcome, Status};
use super::progress::Progress;
use super::{thousands, Error, Exit};

/// The largest input diffed: both sides are held in memory.
pub const MAX_DIFF_BYTES: u64 = 64 * 1024 * 1024;

/// How one file's diff is shown.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    /// Colour the diff.
    pub color: bool,
    /// Only count the lines each file would lose and gain.
    pub stat: bool,
}

/// Lines lost and gained in one file, for `--stat`.
#[derive(Default, Clone, Copy)]
struct Stat {
    deleted: u64,
    inserted: u64,
}

pub(crate) fn diff(run: &RunConfig, style: Style) -> Result<Exit, Error> {
    if let Some(config) = &run.jsonl {
        return super::jsonl::diff_records(run, config, style);
    }
    let plan = plan_reading(run)?;
    let settings = &run.settings;
    let quiet = run.quiet;
    // The diff is the output: no progress bar over it, and files in order, one at a time.
    let progress = Progress::new(&plan.jobs, false);
    let closed = AtomicBool::new(false);
    let options = DriveOptions {
        threads: Some(1),
        skip_existing: false,
        progress: &progress,
        stop: Some(&closed),
    };
    let driven = drive(
        &plan.jobs,
        &options,
        |unit, reader| {
            diff_one(&unit.name, reader, settings, &style).inspect_err(|problem| {
                if matches!(problem, Problem::Interrupted) {
                    closed.store(true, Ordering::Relaxed);
                }
            })
        },
        |unit, result| {
            let (result, stat) = match result {
                Ok((report, stat)) => (Ok(report), stat),
                Err(problem) => (Err(problem), None),
            };
            let outcome = Outcome::new(unit, result);
            if !closed.load(Ordering::Relaxed) {
                tell(&outcome, quiet);
            }
            (outcome, stat)
        },
    );
    if closed.load(Ordering::Relaxed) {
        // The pager or `head` has all it wanted.
        return Ok(Exit::WouldChange);
    }
    if style.stat {
        if let Err(e) = print_stat(&driven.outcomes) {
            if is_broken_pipe(&e) {
                return Ok(Exit::WouldChange);
            }
        }
    }
    let outcomes: Vec<Outcome> = driven.outcomes.into_iter().map(|(o, _)| o).collect();
    Ok(finish_reading(&outcomes, plan.errors.len(), quiet))
}

/// Cleans one input into memory and prints its diff (or, with `--stat`, returns its counts).
fn diff_one(
    name: &str,
    reader: &mut dyn Read,
    settings: &Settings,
    style: &Style,
) -> Result<(FileReport, Option<Stat>), Problem> {
    let mut input = Capped {
        inner: reader,
        kept: Vec::new(),
        over: false,
    };
    let mut output = Vec::new();
    let path = Some(std::path::Path::new(name));
    let report = match clean_input(&mut input, &mut output, settings, path) {
        Ok(report) => report,
        Err(_) if input.over => {
            return Err(Problem::Refused(format!(
                "larger than {} MiB: too large to diff in memory; `zhclean check` tells whether it would change",
                MAX_DIFF_BYTES >> 20
            )))
        }
        Err(error) => return Err(error.into()),
    };
    if !report.changed {
        return Ok((report, style.stat.then(Stat::default)));
    }
    let before = if report.format.has_reader() {
        run::document_text(report.format, &input.kept, settings)?
    } else {
        decode_input(&input.kept, settings)?
    };
    let (after, _, _) = settings.output_encoding.decode(&output);
    let diff = lines::diff(&before, &after, Instant::now() + deadline());
    if diff.coarse {
        // Said whether or not the diff is printed: a `--stat` count is coarse too.
        eprintln!(
            "zhclean: {name}: no line-exact diff within {} s; the changed regions left are shown whole (all removed, then all added)",
            deadline().as_secs_f64()
        );
    }
    if style.stat {
        let mut stat = Stat::default();
        for op in &diff.ops {
            for change in op.iter_changes(&diff.old, &diff.new) {
                match change.tag() {
                    ChangeTag::Delete => stat.deleted += 1,
                    ChangeTag::Insert => stat.inserted += 1,
                    ChangeTag::Equal => {}
                }
            }
        }
        return Ok((report, Some(stat)));
    }
    let old_header = format!("{name}\t({})", report.decode.encoding);
    let new_header = format!("{name}\t(cleaned, {})", settings.output_encoding.name());
    let mut text = diff.unified(3, &old_header, &new_header);
    if text.is_empty() {
        // Same text, different bytes (the encoding, a byte-order mark): say so, or the user sees
        // a file that "changes" with no diff.
        text = format!(
            "--- {old_header}\n+++ {new_header}\n# the text is the same; the bytes change: {}\n",
            change_reason(&report, settings)
        );
    }
    if let Some(note) = removed_han_note(&report.clean.rules) {
        // Before the `---` header, where patch tools skip text: what each rule deleted.
        text.insert_str(0, &note);
    }
    let mut out = io::stdout().lock();
    let written = if style.color {
        out.write_all(colorize(&text).as_bytes())
    } else {
        out.write_all(text.as_bytes())
    };
    written.and_then(|()| out.flush()).map_err(|e| {
        if is_broken_pipe(&e) {
            Problem::Interrupted
        } else {
            Problem::File(run::FileError::Write(e))
        }
    })?;
    Ok((report, None))
}

/// `# Han characters removed: running-header 24`, when a rule removed any.
pub(crate) fn removed_han_note(counts: &zhclean::report::Counts) -> Option<String> {
    let removed: Vec<String> = counts
        .removed_han()
        .map(|(rule, n)| format!("{rule} {n}"))
        .collect();
    (!removed.is_empty()).then(|| format!("# Han characters removed: {}\n", removed.join(", ")))
}

/// How long a diff may search for the fewest changed lines before it shows what is left coarsely.
/// `ZHCLEAN_DIFF_DEADLINE_MS` overrides it (tests use it to reach the fallback at once).
pub(crate) fn deadline() -> Duration {
    std::env::var("ZHCLEAN_DIFF_DEADLINE_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(DIFF_DEADLINE, Duration::from_millis)
}

/// The default of [`deadline`].
const DIFF_DEADLINE: Duration = Duration::from_secs(10);

/// Decodes the input the way `clean_stream` did, so the left side is what the user reads.
fn decode_input(bytes: &[u8], settings: &Settings) -> Result<String, Problem> {
    let prefix = &bytes[..bytes.len().min(PREFIX_BYTES)];
    let detection = run::detect(prefix, bytes.len() <= PREFIX_BYTES, settings)?;
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    // Undecodable bytes were reported by the cleaning run; here they show as U+FFFD.
    let _ = Decoder::new(detection, false)
        .with_mixed_lines(settings.mixed_lines())
        .decode(bytes, true, &mut text);
    Ok(text)
}

/// Colours a unified diff line by line: headers bold, hunk ranges cyan, removals red, additions
/// green.
pub(crate) fn colorize(diff: &str) -> String {
    let mut out = String::with_capacity(diff.len() + diff.len() / 4);
    for line in diff.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let color = if body.starts_with("---") || body.starts_with("+++") {
            "\x1b[1m"
        } else if body.starts_with("@@") {
            "\x1b[36m"
        } else if body.starts_with('-') {
            "\x1b[31m"
        } else if body.starts_with('+') {
            "\x1b[32m"
        } else {
            ""
        };
        if color.is_empty() {
            out.push_str(line);
        } else {
            out.push_str(color);
            out.push_str(body);
            out.push_str("\x1b[0m");
            out.push_str(end);
        }
    }
    out
}

/// `--stat`: one line per file that would change, then the totals.
fn print_stat(results: &[(Outcome, Option<Stat>)]) -> io::Result<()> {
    let changed: Vec<(&str, Stat)> = results
        .iter()
        .filter(|(outcome, _)| outcome.status == Status::Cleaned)
        .filter_map(|(outcome, stat)| Some((outcome.input.as_str(), (*stat)?)))
        .collect();
    let width = changed
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = io::stdout().lock();
    let (mut deleted, mut inserted) = (0, 0);
    for (name, stat) in &changed {
        let pad = width - name.chars().count();
        writeln!(
            out,
            " {name}{:pad$} | -{} +{}",
            "", stat.deleted, stat.inserted
        )?;
        deleted += stat.deleted;
        inserted += stat.inserted;
    }
    writeln!(
        out,
        " {} file{} would change, {} line{} removed, {} added",
        thousands(changed.len() as u64),
        if changed.len() == 1 { "" } else { "s" },
        thousands(deleted),
        if deleted == 1 { "" } else { "s" },
        thousands(inserted)
    )?;
    out.flush()
}

/// Passes reads through and keeps everything, up to [`MAX_DIFF_BYTES`]; past that it fails the
/// read (and says so in `over`), which stops the run of this file.
struct Capped<'a> {
    inner: &'a mut dyn Read,
    kept: Vec<u8>,
    over: bool,
}

impl Read for Capped<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.kept.len() as u64 + n as u64 > MAX_DIFF_BYTES {
            self.over = true;
            return Err(io::Error::other("too large to diff"));
        }
        self.kept.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

/// A line-level diff in near-linear time on the inputs `diff` meets.
///
/// Myers' algorithm (what `similar` runs) costs O((N+M)·D): on a long file where most lines
/// change — every page-number line removed, every form feed dropped — D grows with N and the diff
/// turns quadratic (1.4 MiB of short paragraphs: minutes). So a long input is first cut at
/// anchors, lines that occur exactly once on each side, in the longest run that keeps both
/// orders (patience diff); only the gaps between anchors, short in practice, go to Myers. An
/// input small enough for Myers to be quick whatever it holds is diffed by Myers alone, so an
/// ordinary diff is the one `similar` always gave. Every Myers call shares one deadline: past
/// it, what is left is shown as whole removed and added blocks and the diff says it is coarse.
pub(crate) mod lines {
    use std::collections::hash_map::Entry;
    use std::collections::{HashMap, HashSet};
    use std::fmt::Write as _;
    use std::ops::Range;
    use std::time::Instant;

    use similar::udiff::UnifiedHunkHeader;
    use similar::{capture_diff_deadline, group_diff_ops, Algorithm, DiffOp, DiffableStr};

    /// Below this many lines (both sides, after the common prefix and suffix), Myers alone: its
    /// worst case there is a fraction of a second.
    pub const MYERS_MAX_LINES: usize = 10_000;

    /// How deep anchoring recurses into gaps before a gap goes to Myers as it is (a gap always
    /// shrinks, so this only bounds the stack on a crafted input).
    const MAX_DEPTH: usize = 32;

    pub struct LineDiff<'a> {
        pub old: Vec<&'a str>,
        pub new: Vec<&'a str>,
        pub ops: Vec<DiffOp>,
        /// The deadline passed: some changed region may be shown coarser than it is.
        pub coarse: bool,
    }

    /// Diffs `before` against `after` line by line (lines keep their ends, as `similar` splits
    /// them).
    pub fn diff<'a>(before: &'a str, after: &'a str, deadline: Instant) -> LineDiff<'a> {
        let old = before.tokenize_lines();
        let new = after.tokenize_lines();
        let mut run = Run {
            old: &old,
            new: &new,
            deadline,
            ops: Vec::new(),
            coarse: false,
        };
        run.range(0..old.len(), 0..new.len(), 0);
        let (ops, coarse) = (run.ops, run.coarse);
        LineDiff {
            old,
            new,
            ops,
            coarse,
        }
    }

    struct Run<'r, 'a> {
        old: &'r [&'a str],
        new: &'r [&'a str],
        deadline: Instant,
        ops: Vec<DiffOp>,
        coarse: bool,
    }

    impl Run<'_, '_> {
        fn range(&mut self, mut o: Range<usize>, mut n: Range<usize>, depth: usize) {
            if o.len() + n.len() <= MYERS_MAX_LINES || depth >= MAX_DEPTH {
                // The whole range, common ends included, so that `similar` places the changes
                // among equal lines as it always did.
                self.myers(o, n);
                return;
            }
            let (old, new) = (self.old, self.new);
            let prefix = old[o.clone()]
                .iter()
                .zip(&new[n.clone()])
                .take_while(|(a, b)| a == b)
                .count();
            self.equal(o.start, n.start, prefix);
            o.start += prefix;
            n.start += prefix;
            let suffix = old[o.clone()]
                .iter()
                .rev()
                .zip(new[n.clone()].iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            o.end -= suffix;
            n.end -= suffix;
            let anchors = anchors(old, o.clone(), new, n.clone());
            if anchors.is_empty() {
                self.matched_myers(o.clone(), n.clone());
            } else {
                let (mut at_old, mut at_new) = (o.start, n.start);
                for (a, b) in anchors {
                    self.range(at_old..a, at_new..b, depth + 1);
                    self.equal(a, b, 1);
                    (at_old, at_new) = (a + 1, b + 1);
                }
                self.range(at_old..o.end, at_new..n.end, depth + 1);
            }
            self.equal(o.end, n.end, suffix);
        }

        /// Myers over only the lines that occur on both sides: a line found on one side only is
        /// removed or added whatever the alignment, so leaving it out keeps the diff minimal
        /// and takes it out of Myers' O(N·D) (a file whose every line changed costs nothing).
        fn matched_myers(&mut self, o: Range<usize>, n: Range<usize>) {
            let (old, new) = (self.old, self.new);
            let in_old: HashSet<&str> = old[o.clone()].iter().copied().collect();
            let in_new: HashSet<&str> = new[n.clone()].iter().copied().collect();
            let old_kept: Vec<usize> = o.clone().filter(|&i| in_new.contains(old[i])).collect();
            let new_kept: Vec<usize> = n.clone().filter(|&j| in_old.contains(new[j])).collect();
            let mut pairs = Vec::new();
            if !old_kept.is_empty() && !new_kept.is_empty() {
                let old_lines: Vec<&str> = old_kept.iter().map(|&i| old[i]).collect();
                let new_lines: Vec<&str> = new_kept.iter().map(|&j| new[j]).collect();
                if Instant::now() >= self.deadline {
                    self.coarse = true;
                } else {
                    let ops = capture_diff_deadline(
                        Algorithm::Myers,
                        &old_lines[..],
                        0..old_lines.len(),
                        &new_lines[..],
                        0..new_lines.len(),
                        Some(self.deadline),
                    );
                    if Instant::now() >= self.deadline {
                        self.coarse = true;
                    }
                    for op in ops {
                        if let DiffOp::Equal {
                            old_index,
                            new_index,
                            len,
                        } = op
                        {
                            pairs.extend(
                                (0..len)
                                    .map(|k| (old_kept[old_index + k], new_kept[new_index + k])),
                            );
                        }
                    }
                }
            }
            let (mut at_old, mut at_new) = (o.start, n.start);
            for (a, b) in pairs {
                self.replace(at_old..a, at_new..b);
                self.equal(a, b, 1);
                (at_old, at_new) = (a + 1, b + 1);
            }
            self.replace(at_old..o.end, at_new..n.end);
        }

        fn replace(&mut self, o: Range<usize>, n: Range<usize>) {
            self.push(DiffOp::Replace {
                old_index: o.start,
                old_len: o.len(),
                new_index: n.start,
                new_len: n.len(),
            });
        }

        fn myers(&mut self, o: Range<usize>, n: Range<usize>) {
            if o.is_empty() && n.is_empty() {
                return;
            }
            if Instant::now() >= self.deadline {
                self.coarse = true;
                self.replace(o, n);
                return;
            }
            let ops = capture_diff_deadline(
                Algorithm::Myers,
                self.old,
                o,
                self.new,
                n,
                Some(self.deadline),
            );
            // Myers returns a coarse answer once the deadline passes, without saying so.
            if Instant::now() >= self.deadline {
                self.coarse = true;
            }
            for op in ops {
                self.push(op);
            }
        }

        fn equal(&mut self, old_index: usize, new_index: usize, len: usize) {
            if len > 0 {
                self.push(DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                });
            }
        }

        /// Appends an op, merging it into an adjacent equal run (hunks are cut on the length of
        /// an equal run, so two halves of one must be one op), and a removal and an addition
        /// into one replacement.
        fn push(&mut self, op: DiffOp) {
            let merged = match (self.ops.last(), op) {
                (
                    Some(&DiffOp::Equal {
                        old_index,
                        new_index,
                        len,
                    }),
                    DiffOp::Equal { len: more, .. },
                ) => Some(DiffOp::Equal {
                    old_index,
                    new_index,
                    len: len + more,
                }),
                (
                    Some(&DiffOp::Delete {
                        old_index,
                        old_len,
                        new_index,
                    }),
                    DiffOp::Insert { new_len, .. },
                ) => Some(DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                }),
                _ => None,
            };
            match merged {
                Some(op) => {
                    self.ops.pop();
                    self.ops.push(op);
                }
                None if matches!(
                    op,
                    DiffOp::Replace {
                        old_len: 0,
                        new_len: 0,
                        ..
                    }
                ) => {}
                None => self.ops.push(match op {
                    DiffOp::Replace {
                        old_index,
                        old_len: 0,
                        new_index,
                        new_len,
                    } => DiffOp::Insert {
                        old_index,
                        new_index,
                        new_len,
                    },
                    DiffOp::Replace {
                        old_index,
                        old_len,
                        new_index,
                        new_len: 0,
                    } => DiffOp::Delete {
                        old_index,
                        old_len,
                        new_index,
                    },
                    op => op,
                }),
            }
        }
    }

    /// The lines that occur exactly once in each range, as (old, new) index pairs, reduced to
    /// the longest run increasing on both sides (patience sorting, O(k log k)).
    fn anchors(
        old: &[&str],
        o: Range<usize>,
        new: &[&str],
        n: Range<usize>,
    ) -> Vec<(usize, usize)> {
        /// Where a line text was seen: its index on each side, and whether it repeats.
        struct Seen {
            old: usize,
            new: Option<usize>,
            repeated: bool,
        }
        let mut seen: HashMap<&str, Seen> = HashMap::new();
        for i in o {
            match seen.entry(old[i]) {
                Entry::Vacant(slot) => {
                    slot.insert(Seen {
                        old: i,
                        new: None,
                        repeated: false,
                    });
                }
                Entry::Occupied(mut slot) => slot.get_mut().repeated = true,
            }
        }
        for j in n {
            if let Some(entry) = seen.get_mut(new[j]) {
                if entry.new.is_some() {
                    entry.repeated = true;
                } else {
                    entry.new = Some(j);
                }
            }
        }
        let mut pairs: Vec<(usize, usize)> = seen
            .into_values()
            .filter(|entry| !entry.repeated)
            .filter_map(|entry| Some((entry.old, entry.new?)))
            .collect();
        pairs.sort_unstable();
        // Longest increasing subsequence of the new indices.
        let mut tails: Vec<usize> = Vec::new(); // index into `pairs` of the tail of each length
        let mut back: Vec<Option<usize>> = vec![None; pairs.len()];
        for (k, &(_, b)) in pairs.iter().enumerate() {
            let len = tails.partition_point(|&t| pairs[t].1 < b);
            back[k] = len.checked_sub(1).map(|l| tails[l]);
            if len == tails.len() {
                tails.push(k);
            } else {
                tails[len] = k;
            }
        }
        let mut chain = Vec::with_capacity(tails.len());
        let mut at = tails.last().copied();
        while let Some(k) = at {
            chain.push(pairs[k]);
            at = back[k];
        }
        chain.reverse();
        chain
    }

    impl LineDiff<'_> {
        /// The unified diff with `radius` lines of context, as `similar` writes it (empty when
        /// nothing changed).
        pub fn unified(&self, radius: usize, old_header: &str, new_header: &str) -> String {
            let mut out = String::new();
            for (k, group) in group_diff_ops(self.ops.clone(), radius)
                .into_iter()
                .enumerate()
            {
                if k == 0 {
                    let _ = writeln!(out, "--- {old_header}\n+++ {new_header}");
                }
                let _ = writeln!(out, "{}", UnifiedHunkHeader::new(&group));
                for op in &group {
                    for change in op.iter_changes(&self.old, &self.new) {
                        let _ = write!(out, "{}{}", change.tag(), change.value());
                        if change.missing_newline() {
                            out.push_str("\n\\ No newline at end of file\n");
                        }
                    }
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use similar::ChangeTag;

    use super::colorize;
    use super::lines::{self, LineDiff};

    #[test]
    fn colors_by_line_kind() {
        let diff = "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n same\n";
        let colored = colorize(diff);
        assert!(colored.contains("\x1b[31m-old\x1b[0m\n"));
        assert!(colored.contains("\x1b[32m+new\x1b[0m\n"));
        assert!(colored.contains("\x1b[36m@@ -1 +1 @@\x1b[0m\n"));
        assert!(colored.contains("\x1b[1m--- a\x1b[0m\n"));
        assert!(colored.ends_with(" same\n"));
    }

    /// Rebuilds both sides from the ops: a diff that loses or invents a line fails.
    fn sides(diff: &LineDiff) -> (String, String) {
        let (mut old, mut new) = (String::new(), String::new());
        for op in &diff.ops {
            for change in op.iter_changes(&diff.old, &diff.new) {
                match change.tag() {
                    ChangeTag::Equal => {
                        old.push_str(change.value());
                        new.push_str(change.value());
                    }
                    ChangeTag::Delete => old.push_str(change.value()),
                    ChangeTag::Insert => new.push_str(change.value()),
                }
            }
        }
        (old, new)
    }

    fn counts(diff: &LineDiff) -> (usize, usize) {
        let (mut deleted, mut inserted) = (0, 0);
        for op in &diff.ops {
            for change in op.iter_changes(&diff.old, &diff.new) {
                match change.tag() {
                    ChangeTag::Delete => deleted += 1,
                    ChangeTag::Insert => inserted += 1,
                    ChangeTag::Equal => {}
                }
            }
        }
        (deleted, inserted)
    }

    fn far() -> Instant {
        Instant::now() + Duration::from_secs(3600)
    }

    /// Small texts go to Myers alone: the output is the one `similar`'s own unified diff gives,
    /// byte for byte, including the missing-final-newline marker and hunk splitting.
    #[test]
    fn ordinary_diffs_are_similar_s_own() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let words = ["甲\n", "乙\n", "丙\n", "- 1 -\n", "\n", "\u{c}正文\n", "尾"];
        for _ in 0..400 {
            let mut make = || {
                let mut text = String::new();
                for _ in 0..next() % 30 {
                    text.push_str(words[(next() % words.len() as u64) as usize]);
                }
                text
            };
            let old = make();
            let new = make();
            let ours = lines::diff(&old, &new, far()).unified(3, "a", "b");
            let theirs = similar::TextDiff::from_lines(old.as_str(), new.as_str())
                .unified_diff()
                .context_radius(3)
                .header("a", "b")
                .to_string();
            assert_eq!(ours, theirs, "{old:?} -> {new:?}");
        }
    }

    /// The shape that made `diff` quadratic (issue: 1.4 MiB took minutes): short paragraphs, a
    /// page-number line after each, a form feed before the next. Cleaning drops the form feeds
    /// and page numbers; the diff must still be line-exact: every kept page number an unchanged
    /// line, every changed line shown once, nothing coarse.
    #[test]
    fn long_paged_text_diffs_line_exactly() {
        let count = 20_000;
        let mut before = String::new();
        let mut after = String::new();
        for i in 0..count {
            if i > 0 {
                before.push('\u{c}');
            }
            before.push_str(&format!("正文第{i}段内容。\n- {i} -\n"));
            after.push_str(&format!("正文第{i}段内容。\n"));
            if i % 2 == 1 {
                after.push_str(&format!("- {i} -\n"));
            }
        }
        let diff = lines::diff(&before, &after, far());
        assert!(!diff.coarse);
        assert!(sides(&diff) == (before.clone(), after.clone()));
        // Removed: the 19,999 form-fed paragraph lines and the 10,000 even page numbers; added:
        // the 19,999 paragraphs without their form feed. Line 1 and odd page numbers stay.
        assert_eq!(counts(&diff), (count - 1 + count / 2, count - 1));
        let text = diff.unified(3, "a", "b");
        assert!(
            text.contains(concat!(
                "\n - 5 -\n-\u{c}正文第6段内容。\n-- 6 -\n-\u{c}正文第7段内容。\n",
                "+正文第6段内容。\n+正文第7段内容。\n - 7 -\n"
            )),
            "kept page numbers are context lines"
        );
    }

    /// When no line is left as it was (every paragraph lost its form feed, every page number
    /// went), there is nothing to anchor on: the diff is still exact, one block.
    #[test]
    fn long_text_with_every_line_changed_diffs_exactly() {
        let count = 20_000;
        let mut before = String::new();
        let mut after = String::new();
        for i in 0..count {
            before.push_str(&format!("\u{c}正文第{i}段内容。\n- {i} -\n\n"));
            after.push_str(&format!("正文第{i}段内容。\n"));
            if i % 1000 == 0 {
                after.push('\n');
            }
        }
        let diff = lines::diff(&before, &after, far());
        assert!(!diff.coarse);
        assert!(sides(&diff) == (before.clone(), after.clone()));
        // The 20 blank lines kept are matched; all else is removed or added.
        assert_eq!(counts(&diff), (3 * count - 20, count));
    }

    /// Past the deadline the diff is coarse but complete, and says it is coarse.
    #[test]
    fn past_the_deadline_the_diff_is_whole_blocks() {
        let before: String = (0..30_000).map(|i| format!("行{}\n", i % 7)).collect();
        let after: String = (0..30_000).map(|i| format!("行{}\n", i % 5)).collect();
        let diff = lines::diff(&before, &after, Instant::now());
        assert!(diff.coarse);
        assert_eq!(sides(&diff), (before, after));
    }
}
