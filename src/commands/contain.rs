//! Containing a panic to the document it happened in. A panic is a bug, but one document that
//! finds it must not cost the user the rest of the run: the document fails with the panic's
//! message (named, counted in the summary and the report, exit code 2) and the others go on.
//! Its unfinished output is dropped while the panic unwinds, which removes the temporary file.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe, Location};
use std::sync::Once;

thread_local! {
    /// How many [`contain`] calls this thread is inside: a panic there is recorded, not printed.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// The message and place of the last panic contained on this thread.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Puts our panic hook in front of the default one, once per process: inside [`contain`] it
/// records the message (with where it happened) for the document's error, and prints nothing,
/// so that the error is said once, in the document's name, like any other; a backtrace is still
/// printed when `RUST_BACKTRACE` asks for one. Anywhere else the default hook prints as usual.
fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if DEPTH.get() == 0 {
                return default(info);
            }
            let message = describe(info.payload(), info.location());
            let backtrace = std::backtrace::Backtrace::capture();
            if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
                let _ = std::io::Write::write_fmt(
                    &mut std::io::stderr(),
                    format_args!("zhclean: {message}\n{backtrace}\n"),
                );
            }
            LAST_PANIC.set(Some(message));
        }));
    });
}

/// `message at src/file.rs:10:5`
fn describe(payload: &(dyn Any + Send), location: Option<&Location<'_>>) -> String {
    let message = payload_text(payload);
    match location {
        Some(at) => format!("{message} at {}:{}:{}", at.file(), at.line(), at.column()),
        None => message,
    }
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// Runs `f`; a panic inside it comes back as `Err` with the panic's message and place, after
/// everything `f` held has been dropped.
pub(crate) fn contain<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    install_hook();
    DEPTH.set(DEPTH.get() + 1);
    // AssertUnwindSafe: what `f` leaves half-changed is the failed document's state, dropped
    // with it; the shared state a run keeps (counters, flags) is atomic.
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    DEPTH.set(DEPTH.get() - 1);
    result.map_err(|payload| LAST_PANIC.take().unwrap_or_else(|| payload_text(&*payload)))
}

/// What a document that met a panic fails with.
pub(crate) fn panic_problem(message: String) -> String {
    format!("internal error (a bug in zhclean; please report it): {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_place_and_the_next_call_runs() {
        let error = contain(|| -> u32 { panic!("poisoned document {}", 7) }).unwrap_err();
        assert!(error.starts_with("poisoned document 7 at "), "{error}");
        assert!(error.contains("contain.rs"), "{error}");
        assert_eq!(contain(|| 5), Ok(5));
        // Nested: the inner call takes its own panic; the outer one goes on.
        let outer = contain(|| contain(|| -> () { panic!("inner") }).unwrap_err());
        assert!(outer.unwrap().starts_with("inner at "));
    }

    #[test]
    fn a_panic_in_a_worker_thread_is_contained_there() {
        let handles: Vec<_> = (0..4)
            .map(|k| {
                std::thread::spawn(move || {
                    contain(|| {
                        if k == 2 {
                            panic!("worker {k}");
                        }
                        k
                    })
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        assert_eq!(results[0], Ok(0));
        assert!(results[2].as_ref().unwrap_err().starts_with("worker 2 at "));
        assert_eq!(results[3], Ok(3));
    }
}
