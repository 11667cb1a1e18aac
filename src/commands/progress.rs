//! The progress bar of a run, and the reader that feeds it (and stops a worker once the run is
//! interrupted).

use std::io::{self, IsTerminal, Read, Seek, SeekFrom, Write};
use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use zhclean::source::{Input, Job};

use super::interrupt::interrupted;

/// A reader that counts what it reads into the progress bar and stops with an error once the run
/// is interrupted, so that a worker gives up at its next chunk.
pub(crate) struct Guarded<R> {
    inner: R,
    bar: Option<ProgressBar>,
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if interrupted() {
            // Not ErrorKind::Interrupted: readers retry on that.
            return Err(io::Error::other("interrupted"));
        }
        let n = self.inner.read(buf)?;
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
        Ok(n)
    }
}

impl<R: Seek> Seek for Guarded<R> {
    fn seek(&mut self, position: SeekFrom) -> io::Result<u64> {
        self.inner.seek(position)
    }
}

/// The progress bar: units done of the total, bytes per second, and time left. The byte total is
/// the size of the inputs (archives by their size on disk, which is what is read).
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    done: AtomicU64,
    total: AtomicU64,
}

impl Progress {
    pub fn new(jobs: &[Job], show: bool) -> Self {
        let bar = show.then(|| {
            let bytes: u64 = jobs
                .iter()
                .filter_map(|job| match &job.input {
                    Input::File(path) | Input::Archive(path, _) => {
                        std::fs::metadata(path).ok().map(|m| m.len())
                    }
                    Input::Stdin => None,
                })
                .sum();
            // indicatif hides itself when standard error is not a terminal; `--progress always`
            // asks for the bar anyway (a terminal multiplexer, a log the user tails).
            let target = if io::stderr().is_terminal() {
                ProgressDrawTarget::stderr()
            } else {
                ProgressDrawTarget::term_like_with_hz(Box::new(ForcedStderr), 4)
            };
            let bar = ProgressBar::with_draw_target(Some(bytes), target);
            bar.set_style(
                ProgressStyle::with_template(
                    "{msg} files  [{bar:30}] {bytes}/{total_bytes}  {bytes_per_sec}  ETA {eta}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar
        });
        let progress = Progress {
            bar,
            done: AtomicU64::new(0),
            total: AtomicU64::new(jobs.len() as u64),
        };
        progress.redraw();
        progress
    }

    /// Units finished so far, and the total known so far.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    pub(crate) fn guard<R: Read>(&self, inner: R) -> Guarded<R> {
        Guarded {
            inner,
            bar: self.bar.clone(),
        }
    }

    /// An archive counts as one job until it is opened; then its members count one by one.
    pub(crate) fn replace_unit_by_members(&self) {
        self.total.fetch_sub(1, Ordering::Relaxed);
        self.redraw();
    }

    pub(crate) fn add_units(&self, n: u64) {
        self.total.fetch_add(n, Ordering::Relaxed);
        self.redraw();
    }

    pub(crate) fn unit_done(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
        self.redraw();
    }

    fn redraw(&self) {
        if let Some(bar) = &self.bar {
            let (done, total) = self.counts();
            bar.set_message(format!("{done}/{total}"));
        }
    }

    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Standard error drawn on as a terminal even when it is not one (`--progress always`), with
/// plain ANSI cursor movements.
#[derive(Debug)]
struct ForcedStderr;

impl indicatif::TermLike for ForcedStderr {
    fn width(&self) -> u16 {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|columns| columns.parse().ok())
            .unwrap_or(80)
    }

    fn move_cursor_up(&self, n: usize) -> io::Result<()> {
        self.write_str(&format!("\x1b[{n}A"))
    }

    fn move_cursor_down(&self, n: usize) -> io::Result<()> {
        self.write_str(&format!("\x1b[{n}B"))
    }

    fn move_cursor_right(&self, n: usize) -> io::Result<()> {
        self.write_str(&format!("\x1b[{n}C"))
    }

    fn move_cursor_left(&self, n: usize) -> io::Result<()> {
        self.write_str(&format!("\x1b[{n}D"))
    }

    fn write_line(&self, line: &str) -> io::Result<()> {
        writeln!(io::stderr(), "{line}")
    }

    fn write_str(&self, text: &str) -> io::Result<()> {
        // A zero-line move (`ESC[0A`) is a one-line move to most terminals.
        if text.starts_with("\x1b[0") {
            return Ok(());
        }
        io::stderr().write_all(text.as_bytes())
    }

    fn clear_line(&self) -> io::Result<()> {
        self.write_str("\r\x1b[2K")
    }

    fn flush(&self) -> io::Result<()> {
        io::stderr().flush()
    }
}
