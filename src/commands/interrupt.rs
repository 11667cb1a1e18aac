//! Stopping a run that writes files on SIGINT (Ctrl-C), SIGTERM or SIGHUP: workers stop at their
//! next read (or, reading standard input, while they wait for it), drop their unfinished outputs
//! (whose temporary files are then removed), and the run ends with 128 + the signal.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, LazyLock, Once};
use std::thread;
use std::time::Duration;

use super::Exit;

/// Set by the first Ctrl-C (or SIGTERM, or SIGHUP): workers stop at their next read, drop their
/// unfinished outputs (whose temporary files are then removed) and the run ends with exit code
/// 128 + the signal.
static INTERRUPTED: LazyLock<Arc<AtomicBool>> = LazyLock::new(Default::default);

/// The signal that stopped the run, 0 while none has.
static STOP_SIGNAL: LazyLock<Arc<AtomicUsize>> = LazyLock::new(Default::default);

/// Catches SIGINT (Ctrl-C), SIGTERM (`kill`, a service manager, a batch scheduler's time limit)
/// and SIGHUP (a closed terminal or SSH session) for a run that writes files, so that it stops
/// with no temporary file left. A second signal ends the process at once, for a user who will
/// not wait for the workers to stop.
pub(crate) fn catch_interrupts() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        use signal_hook::flag;
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            // Actions run in the order they were registered: the shutdown sees the flag only
            // once an earlier signal has set it.
            let _ = flag::register_conditional_shutdown(signal, 128 + signal, INTERRUPTED.clone());
            let _ = flag::register_usize(signal, STOP_SIGNAL.clone(), signal as usize);
            let _ = flag::register(signal, INTERRUPTED.clone());
        }
    });
}

pub(crate) fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// How a run stopped by a signal says so, and how it exits.
pub(crate) fn stopped_by() -> (&'static str, Exit) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    match STOP_SIGNAL.load(Ordering::Relaxed) as i32 {
        SIGTERM => ("terminated (SIGTERM)", Exit::Signal(SIGTERM)),
        SIGHUP => ("hung up (SIGHUP)", Exit::Signal(SIGHUP)),
        _ => ("interrupted", Exit::Signal(SIGINT)),
    }
}

/// How often a read waiting for standard input looks whether the run was interrupted.
const WAKE: Duration = Duration::from_millis(100);

/// Standard input, or a named pipe, for a run that writes files, read so that a signal stops a
/// read still waiting for input (a pipe that never writes, a terminal nobody types into). The
/// signal's handler only sets a flag, and a `read` on a pipe does not return for it (the handler
/// is installed with `SA_RESTART`), so a run blocked there would wait forever, its temporary
/// output left behind by the second signal that ends it. A thread opens the input and reads it,
/// and hands its chunks over; the worker waits for them a short while at a time, looking at the
/// flag between waits, and stops as for any interrupted read. The reading thread, still blocked,
/// ends with the process.
pub(crate) struct Patient {
    chunks: Receiver<io::Result<Vec<u8>>>,
    /// The chunk being handed out, and how much of it has been.
    chunk: Vec<u8>,
    taken: usize,
    ended: bool,
}

/// Standard input, read by a thread of its own (see [`Patient`]).
pub(crate) fn stdin() -> Patient {
    read_in_thread(|| Ok(io::stdin().lock()))
}

/// A file named as input. A regular file is opened here: it neither blocks in `open` nor in a
/// read. Anything else (a named pipe, a character device such as `/dev/stdin` or a terminal, a
/// socket) is opened and read by a thread of its own (see [`Patient`]): opening a named pipe
/// waits for a writer, and reading it for the writer's next lines, as long as they take.
pub(crate) fn open_file(path: &Path) -> io::Result<Box<dyn Read + Send>> {
    open_file_of(path, fs::metadata(path))
}

/// [`open_file`] of a file whose metadata is read already (`fs::metadata`, the link followed):
/// a directory run reads it once for each file, not once to find a named pipe and again here.
pub(crate) fn open_file_of(
    path: &Path,
    metadata: io::Result<fs::Metadata>,
) -> io::Result<Box<dyn Read + Send>> {
    if metadata?.is_file() {
        return Ok(Box::new(File::open(path)?));
    }
    let path = path.to_path_buf();
    Ok(Box::new(read_in_thread(move || File::open(path))))
}

/// The reader `open` gives, opened and read by a thread of its own (see [`Patient`]).
fn read_in_thread<R: Read>(open: impl FnOnce() -> io::Result<R> + Send + 'static) -> Patient {
    // Two chunks in flight: the reading thread stays ahead of the worker without reading the
    // whole input into memory.
    let (sender, chunks) = sync_channel(2);
    thread::spawn(move || {
        let mut input = match open() {
            Ok(input) => input,
            Err(e) => {
                let _ = sender.send(Err(e));
                return;
            }
        };
        loop {
            let mut chunk = vec![0; 64 * 1024];
            let read = match input.read(&mut chunk) {
                Ok(n) => {
                    chunk.truncate(n);
                    Ok(chunk)
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => Err(e),
            };
            let last = !matches!(&read, Ok(chunk) if !chunk.is_empty());
            // The worker has gone (its unit failed or the run stopped): nothing more to read for.
            if sender.send(read).is_err() || last {
                return;
            }
        }
    });
    Patient {
        chunks,
        chunk: Vec::new(),
        taken: 0,
        ended: false,
    }
}

impl Read for Patient {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.taken == self.chunk.len() && !self.ended {
            if interrupted() {
                // Not ErrorKind::Interrupted: readers retry on that.
                return Err(io::Error::other("interrupted"));
            }
            match self.chunks.recv_timeout(WAKE) {
                Ok(Ok(chunk)) => {
                    self.ended = chunk.is_empty();
                    self.chunk = chunk;
                    self.taken = 0;
                }
                Ok(Err(e)) => {
                    self.ended = true;
                    return Err(e);
                }
                Err(RecvTimeoutError::Timeout) => {}
                // The thread ends only after sending the end or an error.
                Err(RecvTimeoutError::Disconnected) => self.ended = true,
            }
        }
        let n = buf.len().min(self.chunk.len() - self.taken);
        buf[..n].copy_from_slice(&self.chunk[self.taken..self.taken + n]);
        self.taken += n;
        Ok(n)
    }
}
