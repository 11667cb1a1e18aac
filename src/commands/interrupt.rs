//! Stopping a run that writes files on SIGINT (Ctrl-C), SIGTERM or SIGHUP: workers stop at their
//! next read, drop their unfinished outputs (whose temporary files are then removed), and the run
//! ends with 128 + the signal.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Once};

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
