//! `--jsonl`: inputs are shards of JSONL records, and each record's field (`--field`) is one
//! document. The record handling is the library's (`zhclean::jsonl`: find the field, clean its
//! text as a file, write the line back with only that value replaced); this module runs it over
//! shards: files one after another (plain, `.gz` or `.zst` by name), each read in chunks of
//! lines that the thread pool cleans in parallel while this thread reads ahead and writes the
//! finished chunks in their order. A line that is not a record with that field is copied
//! through as it was, named on standard error with its line number, counted, and the run
//! exits 2. Nothing is dropped.

mod clean;
mod inspect;

pub(crate) use clean::write_records;
pub(crate) use inspect::{check_records, detect_records, diff_records};

use std::io::{self, BufRead};
use std::sync::mpsc;

use zhclean::decode::{Confidence, DecodeReport};
use zhclean::jsonl::{
    clean_record, Compression, JsonlConfig, LineOut, LineResult, RecordError, Scratch,
};
use zhclean::report::CleanReport;
use zhclean::run::{FileError, FileReport, RunConfig, Settings};
use zhclean::source::{Input, Job};

use crate::commands::contain::{contain, panic_problem};
use crate::commands::drive::{up_to_date, Problem, SkipKind, Unit};
use crate::commands::interrupt;
use crate::commands::progress::Progress;
use crate::commands::{error, thousands};

/// About how many bytes of lines a chunk holds: large enough that a thread's work on it dwarfs
/// handing it over, small enough that a few per thread keep memory flat.
const CHUNK_BYTES: usize = 256 * 1024;

/// The longest line (record) a shard may hold. A line is read whole, and cleaning its field holds
/// the text a few times over (about four times the line at the peak), so without a bound one
/// line of a compressed shard (a `.jsonl.zst` of 25 KB can hold a 256 MiB record) takes memory
/// without end. A whole book is a few MiB; a longer line fails its shard, named, and nothing
/// of that shard is written.
pub(crate) const MAX_LINE_BYTES: usize = 64 << 20;

/// The most bad lines named on standard error for one file; the rest are counted.
const MAX_NAMED_BAD_LINES: u64 = 100;

/// The most bad line numbers a file's report lists.
const MAX_REPORTED_BAD_LINES: usize = 1000;

/// Lines of one file, whole, with the number of the first.
pub(crate) struct Chunk {
    pub first_line: u64,
    /// The lines are `buffer[..len]`; the rest was filled by an earlier chunk. The buffer goes
    /// round from chunk to chunk at its full length, so that reading into it never has to set
    /// its bytes to zero first (as long as a chunk's lines, in callgrind).
    buffer: Vec<u8>,
    len: usize,
}

impl Chunk {
    /// The chunk's lines, as read.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.buffer[..self.len]
    }

    /// The chunk's lines, each with its line break (the last may lack one), found with
    /// `memchr`: a byte-by-byte split showed in the profile.
    pub(crate) fn lines(&self) -> impl Iterator<Item = &[u8]> {
        let bytes = self.bytes();
        let mut start = 0;
        memchr::memchr_iter(b'\n', bytes)
            .map(|end| end + 1)
            .chain((bytes.last() != Some(&b'\n') && !bytes.is_empty()).then_some(bytes.len()))
            .map(move |end| {
                let line = &bytes[start..end];
                start = end;
                line
            })
    }
}

/// What became of a file's records, for the summary and the report.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub(crate) struct RecordTally {
    /// Lines that held a record (blank lines are copied and not counted).
    pub records: u64,
    pub changed: u64,
    pub unchanged: u64,
    /// Lines copied through unchanged because they were not a record with the field.
    pub bad: u64,
    /// The first bad lines' numbers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bad_lines: Vec<u64>,
}

impl RecordTally {
    fn add(&mut self, other: &RecordTally) {
        self.records += other.records;
        self.changed += other.changed;
        self.unchanged += other.unchanged;
        self.bad += other.bad;
        let room = MAX_REPORTED_BAD_LINES.saturating_sub(self.bad_lines.len());
        self.bad_lines
            .extend(other.bad_lines.iter().take(room).copied());
    }
}

/// What cleaning a chunk said of its records (its lines are written to the output given).
pub(crate) struct ChunkDone {
    pub tally: RecordTally,
    pub clean: CleanReport,
    /// Bad lines: number and why.
    pub bad: Vec<(u64, RecordError)>,
    /// Each record's cleaning report with its line number, when asked for (`detect`).
    pub per_record: Vec<(u64, CleanReport)>,
    /// What the chunk's output is made of, in order.
    pub pieces: Pieces,
}

/// A chunk's output: runs of its own bytes (the lines that stay as they were) and of the
/// output buffer (the lines rewritten). A clean record is written from the chunk it was read
/// into, not copied into the output first: on a corpus of large clean documents that copy
/// was one more pass over every byte.
#[derive(Debug, Default)]
pub(crate) struct Pieces(Vec<Piece>);

#[derive(Debug)]
enum Piece {
    Input(std::ops::Range<usize>),
    Output(std::ops::Range<usize>),
}

impl Pieces {
    /// Adds bytes `range` of the chunk (joined to the run before when it goes on from it).
    fn input(&mut self, range: std::ops::Range<usize>) {
        if let Some(Piece::Input(last)) = self.0.last_mut() {
            if last.end == range.start {
                last.end = range.end;
                return;
            }
        }
        self.0.push(Piece::Input(range));
    }

    /// Adds bytes `range` of the output buffer.
    fn output(&mut self, range: std::ops::Range<usize>) {
        if let Some(Piece::Output(last)) = self.0.last_mut() {
            if last.end == range.start {
                last.end = range.end;
                return;
            }
        }
        self.0.push(Piece::Output(range));
    }

    /// The output's bytes, in order: slices of `input` (the chunk) and `out`.
    pub(crate) fn slices<'a>(
        &'a self,
        input: &'a [u8],
        out: &'a [u8],
    ) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.0.iter().map(move |piece| match piece {
            Piece::Input(range) => &input[range.clone()],
            Piece::Output(range) => &out[range.clone()],
        })
    }
}

/// How the records of a run are cleaned.
pub(crate) struct Records<'a> {
    pub config: &'a JsonlConfig,
    pub settings: &'a Settings,
    /// Keep each record's report (for `detect`).
    pub keep_reports: bool,
}

impl Records<'_> {
    /// Cleans every line of a chunk, in order, into `out`.
    pub(crate) fn clean_chunk(&self, chunk: &Chunk, out: &mut Vec<u8>) -> ChunkDone {
        let mut done = ChunkDone {
            tally: RecordTally::default(),
            clean: CleanReport::default(),
            bad: Vec::new(),
            per_record: Vec::new(),
            pieces: Pieces::default(),
        };
        // Replaced rather than grown when too small: `out` is empty, and growing it would have
        // the allocator copy its stale bytes.
        let room = chunk.len + chunk.len / 8;
        if out.is_empty() && out.capacity() < room {
            *out = Vec::with_capacity(room);
        } else {
            out.reserve(room);
        }
        let mut line_start = 0;
        let mut scratch = SPARE_SCRATCH.take().unwrap_or_default();
        for (i, line) in chunk.lines().enumerate() {
            let number = chunk.first_line + i as u64;
            let start = line_start;
            line_start += line.len();
            let (mut body, mut end) = match line.strip_suffix(b"\n") {
                Some(body) => (body, &b"\n"[..]),
                // The file's last line, without a line break: it gets one, so that records
                // written one after another (several inputs to standard output) stay lines.
                None => (line, &b"\n"[..]),
            };
            if let Some(before_cr) = body.strip_suffix(b"\r") {
                body = before_cr;
                end = b"\r\n";
            }
            // A byte-order mark before the first record is kept, and not read as JSON.
            if number == 1 {
                if let Some(after) = body.strip_prefix(b"\xEF\xBB\xBF") {
                    done.pieces.input(start..start + 3);
                    body = after;
                }
            }
            // `body` is a slice of `line`.
            let body_start = start + (body.as_ptr() as usize - line.as_ptr() as usize);
            // A panic while cleaning one record (a bug) is that record's error: it is copied
            // as it was, named and counted, and the other records go on.
            let mark = out.len();
            let (result, line_out) =
                contain(|| clean_record(body, self.config, self.settings, &mut scratch, &mut *out))
                    .unwrap_or_else(|panic| {
                        let why = RecordError::Unclean {
                            field: self.config.field.to_string(),
                            reason: panic_problem(panic),
                        };
                        (LineResult::Bad(why), LineOut::AsItWas)
                    });
            match line_out {
                LineOut::Rewritten => done.pieces.output(mark..out.len()),
                LineOut::AsItWas => {
                    out.truncate(mark);
                    done.pieces.input(body_start..body_start + body.len());
                }
            }
            if line.ends_with(b"\n") {
                // The line break as it was (`\n` or `\r\n`).
                done.pieces
                    .input(start + line.len() - end.len()..start + line.len());
            } else {
                let mark = out.len();
                out.extend_from_slice(end);
                done.pieces.output(mark..out.len());
            }
            match result {
                LineResult::Cleaned { report, changed } => {
                    done.tally.records += 1;
                    if changed {
                        done.tally.changed += 1;
                    } else {
                        done.tally.unchanged += 1;
                    }
                    done.clean.rules.merge(&report.rules);
                    done.clean.lines_in += report.lines_in;
                    done.clean.lines_out += report.lines_out;
                    for warning in &report.warnings {
                        done.clean
                            .warnings
                            .push(format!("line {number}: {warning}"));
                    }
                    if self.keep_reports {
                        done.per_record.push((number, report));
                    }
                }
                LineResult::Blank => {}
                LineResult::Bad(why) => {
                    done.tally.records += 1;
                    done.tally.bad += 1;
                    if done.tally.bad_lines.len() < MAX_REPORTED_BAD_LINES {
                        done.tally.bad_lines.push(number);
                    }
                    done.bad.push((number, why));
                }
            }
        }
        if scratch.capacity() <= MAX_SPARE_BYTES {
            SPARE_SCRATCH.set(Some(scratch));
        }
        done
    }
}

thread_local! {
    /// A thread's buffers for the records' text, kept from chunk to chunk: a record of
    /// megabytes would otherwise take fresh memory, whose pages the kernel zeroes (a third of
    /// the time on large documents, in the profile).
    static SPARE_SCRATCH: std::cell::Cell<Option<Scratch>> = const { std::cell::Cell::new(None) };
}

/// The largest buffer kept for the next chunk or record: one overlong line must not pin its
/// memory for the rest of the run.
const MAX_SPARE_BYTES: usize = 64 << 20;

/// Reads `reader` in chunks of whole lines, has `work` process them on `pool` (several at a
/// time) into an output buffer each, and hands the results, the chunks' bytes and the outputs
/// to `take` in the order of the chunks. Reading and `take` run on this thread; a `take` error stops the
/// reading and is returned. The chunks' buffers go round again rather than being allocated
/// anew for each chunk.
pub(crate) fn for_each_chunk<T: Send>(
    reader: &mut dyn BufRead,
    pool: &rayon::ThreadPool,
    work: &(dyn Fn(&Chunk, &mut Vec<u8>) -> T + Sync),
    mut take: impl FnMut(T, &[u8], &[u8]) -> Result<(), Problem>,
) -> Result<(), Problem> {
    /// A chunk processed: what `work` returned (or its panic), and the two buffers back.
    struct Finished<T> {
        result: Result<T, String>,
        bytes: Vec<u8>,
        len: usize,
        out: Vec<u8>,
    }
    // One chunk more than threads, so that none waits for the next: each holds whole records,
    // and a corpus of multi-megabyte documents (108 MiB peak with one more per thread, against
    // 150) pays for every extra chunk in memory the kernel must zero.
    let most_in_flight = pool.current_num_threads() + 1;
    let (done_tx, done_rx) = mpsc::channel::<(u64, Finished<T>)>();
    let mut spare_bytes: Vec<Vec<u8>> = Vec::new();
    let mut spare_outs: Vec<Vec<u8>> = Vec::new();
    let mut carry = Vec::new();
    pool.in_place_scope(|scope| {
        let mut waiting = std::collections::BTreeMap::new();
        let (mut sent, mut taken) = (0u64, 0u64);
        let mut next_line = 1u64;
        let mut ended = false;
        let mut failure = None;
        loop {
            while !ended && failure.is_none() && sent - taken < most_in_flight as u64 {
                let bytes = spare_bytes.pop().unwrap_or_default();
                match read_chunk(reader, next_line, bytes, &mut carry) {
                    Ok(Some(chunk)) => {
                        next_line += chunk.lines().count() as u64;
                        let tx = done_tx.clone();
                        let seq = sent;
                        let mut out = spare_outs.pop().unwrap_or_default();
                        scope.spawn(move |_| {
                            // A panic while cleaning a chunk is this file's error.
                            let result = contain(|| work(&chunk, &mut out));
                            let (bytes, len) = (chunk.buffer, chunk.len);
                            let finished = Finished {
                                result,
                                bytes,
                                len,
                                out,
                            };
                            let _ = tx.send((seq, finished));
                        });
                        sent += 1;
                    }
                    Ok(None) => ended = true,
                    Err(e) => failure = Some(Problem::File(FileError::Read(e))),
                }
            }
            if sent == taken {
                break;
            }
            let Ok((seq, finished)) = done_rx.recv() else {
                break;
            };
            waiting.insert(seq, finished);
            while let Some(finished) = waiting.remove(&taken) {
                taken += 1;
                if failure.is_none() {
                    match finished.result {
                        Ok(done) => {
                            let input = &finished.bytes[..finished.len];
                            if let Err(problem) = take(done, input, &finished.out) {
                                failure = Some(problem);
                            }
                        }
                        Err(panic) => failure = Some(Problem::Panicked(panic)),
                    }
                }
                // The chunk's buffer is kept whole (see `Chunk::buffer`), the output's emptied.
                if finished.bytes.capacity() <= MAX_SPARE_BYTES {
                    spare_bytes.push(finished.bytes);
                }
                let mut out = finished.out;
                if out.capacity() <= MAX_SPARE_BYTES {
                    out.clear();
                    spare_outs.push(out);
                }
            }
        }
        failure.map_or(Ok(()), Err)
    })
}

/// How many bytes a chunk asks its reader for at a time: at least the read buffer of
/// [`Compression::reader`], so that the buffered reader hands the request straight to the file
/// or the decompressor, which write into the chunk itself. Reading line by line
/// (`read_until`) copied every byte once more out of the reader's buffer, and searched for the
/// line breaks a byte at a time (together a tenth of JSONL mode's instructions on large
/// documents, in callgrind).
const READ_BYTES: usize = 256 * 1024;

/// The next chunk of whole lines (the last may lack its line break) in `buffer` (whatever it
/// held is overwritten), or `None` at the end. `carry` holds what was read past the last line break of the
/// chunk before (the start of a line): it begins this chunk, and the part of a line this read
/// goes past is left in it for the next. As the chunk is cut in the last block read, what is
/// carried over is less than one block.
fn read_chunk(
    reader: &mut dyn BufRead,
    first_line: u64,
    mut buffer: Vec<u8>,
    carry: &mut Vec<u8>,
) -> io::Result<Option<Chunk>> {
    let mut len = carry.len();
    if buffer.len() < len {
        buffer.resize(len, 0);
    }
    buffer[..len].copy_from_slice(carry);
    carry.clear();
    // Where the line being read began: the carried part holds no line break.
    let mut line_start = 0;
    loop {
        // The read needs initialised bytes: only what the buffer never held is set to zero.
        if buffer.len() < len + READ_BYTES {
            buffer.resize((len + READ_BYTES).max(CHUNK_BYTES + READ_BYTES), 0);
        }
        let start = len;
        match reader.read(&mut buffer[start..start + READ_BYTES]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        match memchr::memrchr(b'\n', &buffer[start..len]) {
            Some(at) if len >= CHUNK_BYTES => {
                carry.extend_from_slice(&buffer[start + at + 1..len]);
                len = start + at + 1;
                break;
            }
            Some(at) => line_start = start + at + 1,
            None if len - line_start > MAX_LINE_BYTES => {
                let line =
                    first_line + memchr::memchr_iter(b'\n', &buffer[..line_start]).count() as u64;
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "line {line} is longer than {} MiB, more than a record can be; nothing of this file is written",
                        MAX_LINE_BYTES >> 20
                    ),
                ));
            }
            None => {}
        }
    }
    Ok((len > 0).then_some(Chunk {
        first_line,
        buffer,
        len,
    }))
}

/// Opens a job's input decompressed (by its name), counting its bytes into the progress bar.
pub(crate) fn open<'a>(
    job: &Job,
    progress: &'a Progress,
) -> Result<Box<dyn BufRead + 'a>, Problem> {
    let reader = match &job.input {
        Input::Stdin => Compression::None.reader(progress.guard(interrupt::stdin())),
        Input::File(path) => {
            let file = interrupt::open_file(path).map_err(|e| Problem::File(FileError::Read(e)))?;
            Compression::of(path).reader(progress.guard(file))
        }
        Input::Archive(..) => {
            return Err(Problem::Refused(
                "an archive: --jsonl reads JSONL shards (.jsonl, .jsonl.gz, .jsonl.zst)".into(),
            ))
        }
    };
    reader.map_err(|e| Problem::File(FileError::Read(e)))
}

/// Whether a job is a shard to read: any file named on the command line, and in a directory
/// the files named `.jsonl` or `.ndjson` (compressed or not); others there are skipped.
pub(crate) fn skip_reason(job: &Job, skip_existing: bool) -> Option<Problem> {
    let Input::File(path) = &job.input else {
        return None;
    };
    if job.walked {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let name = name
            .strip_suffix(".gz")
            .or_else(|| name.strip_suffix(".zst"))
            .unwrap_or(&name);
        if !(name.ends_with(".jsonl") || name.ends_with(".ndjson")) {
            return Some(Problem::Skipped(
                SkipKind::NotJsonl,
                "not named .jsonl or .ndjson".into(),
            ));
        }
    }
    if skip_existing && up_to_date(path, &job.output) {
        return Some(Problem::Skipped(
            SkipKind::UpToDate,
            "its output is up to date (--skip-existing)".into(),
        ));
    }
    None
}

/// The unit of work a job is, for outcomes and messages.
pub(crate) fn unit_of(job: &Job) -> Unit {
    Unit {
        name: job.name.clone(),
        source: match &job.input {
            Input::File(path) | Input::Archive(path, _) => Some(path.clone()),
            Input::Stdin => None,
        },
        output: job.output.clone(),
        walked: job.walked,
        duplicate: None,
    }
}

/// What `clean` does with a bad line, said after it: `copied unchanged` when it does it,
/// `clean copies it unchanged` when a command only looks.
pub(crate) const COPIED: &str = "copied unchanged";
pub(crate) const WOULD_COPY: &str = "`clean` copies it unchanged";

/// Says the bad lines of a chunk (the first [`MAX_NAMED_BAD_LINES`] of a file), each followed
/// by `fate` ([`COPIED`] or [`WOULD_COPY`]); `named` counts those said so far in the file.
pub(crate) fn tell_bad(name: &str, bad: &[(u64, RecordError)], fate: &str, named: &mut u64) {
    for (line, why) in bad {
        if *named < MAX_NAMED_BAD_LINES {
            error(format!("{name}:{line}: {why}; {fate}"));
        } else if *named == MAX_NAMED_BAD_LINES {
            error(format!(
                "{name}: more bad lines; they are counted in the summary and listed in --report"
            ));
        }
        *named += 1;
    }
}

/// A file's report, made of its records' (the decode part says UTF-8, JSON's encoding).
pub(crate) fn file_report(
    clean: CleanReport,
    bytes_in: u64,
    bytes_out: u64,
    changed: bool,
) -> FileReport {
    FileReport {
        format: zhclean::source::document::Format::Text,
        decode: DecodeReport {
            encoding: "UTF-8",
            confidence: Confidence::Certain,
            bytes_in,
            replaced: 0,
            replaced_offsets: Vec::new(),
            mixed: Vec::new(),
        },
        clean,
        bytes_in,
        bytes_out,
        changed,
    }
}

/// `; 12,000 records: 1,180 cleaned, 10,817 unchanged, 3 bad (copied unchanged)`, with the word
/// for changed records and what becomes of bad lines (`fate`).
pub(crate) fn records_summary(tally: &RecordTally, changed: &str, fate: &str) -> String {
    let mut line = format!(
        "; {} record{}: {} {changed}, {} unchanged",
        thousands(tally.records),
        if tally.records == 1 { "" } else { "s" },
        thousands(tally.changed),
        thousands(tally.unchanged)
    );
    if tally.bad > 0 {
        line += &format!(", {} bad ({fate})", thousands(tally.bad));
    }
    line
}

/// Builds the pool the chunks are cleaned on: `--jobs` threads, or one per CPU.
pub(crate) fn pool(run: &RunConfig) -> rayon::ThreadPool {
    let threads = run.jobs.unwrap_or(0);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .or_else(|_| rayon::ThreadPoolBuilder::new().num_threads(1).build())
        .expect("a thread pool of one thread")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_splits_into_its_lines_with_their_breaks() {
        let lines = |text: &str| {
            let chunk = Chunk {
                first_line: 1,
                buffer: text.as_bytes().to_vec(),
                len: text.len(),
            };
            chunk
                .lines()
                .map(|line| String::from_utf8(line.to_vec()).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(lines("a\nb\n"), ["a\n", "b\n"]);
        assert_eq!(lines("a\r\n\nb"), ["a\r\n", "\n", "b"]);
        assert_eq!(lines("\n"), ["\n"]);
        assert!(lines("").is_empty());
    }
}
