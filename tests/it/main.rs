//! The integration tests, as one test binary: a module per area (`archives`, `cli`, `seeds`, …).
//!
//! One binary rather than a file per area under `tests/`, because each test binary links the
//! whole library and its dependencies: with twenty-six of them, relinking after a change to the
//! library took more than half of `cargo test`'s build. Run one area with a filter:
//! `cargo test --test it seeds::` (a filter matches anywhere in a test's path).
//!
//! A new area is a file here and a `mod` line below; a file left out of this list is not
//! compiled (`every_file_here_is_a_module` fails). The tests share one process, so none may
//! change process-wide state (environment, current directory, signal handlers): runs of the
//! program get theirs through `Command`.

// Helpers shared by the modules: the program under test, fixture trees, archives.
mod common;
// The properties the fuzzer checks, shared with `examples/fuzz.rs`.
mod fuzz;
// Export scoring and synthetic damage, shared with `examples/export_score`.
#[path = "../../examples/export_score/damage.rs"]
mod damage;
#[path = "../../examples/export_score/score.rs"]
mod score;

mod archives;
mod cli;
mod convert_cli;
mod convert_closure;
mod convert_context;
mod convert_dicts;
mod convert_opencc;
mod convert_seeds;
mod convert_user;
mod documents;
mod encodings;
mod exports;
mod fuzz_regressions;
mod inspect_conversion;
mod jsonl;
mod languages;
mod leftovers;
mod mixed;
mod page_model;
mod repair;
mod robust;
mod rules;
mod rules_idempotence;
mod rules_pdf;
mod seeds;
mod verify;
mod walk;
mod wraps;

/// Every `.rs` file beside this one (and every directory with a `mod.rs`) is declared above, so
/// that no test is silently left out of the build.
#[test]
fn every_file_here_is_a_module() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it");
    let source = include_str!("main.rs");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let module = if path.is_dir() && path.join("mod.rs").is_file() {
            name
        } else if let Some(stem) = name.strip_suffix(".rs") {
            stem.to_owned()
        } else {
            continue;
        };
        if module != "main" && !source.contains(&format!("\nmod {module};\n")) {
            missing.push(module);
        }
    }
    assert!(
        missing.is_empty(),
        "not declared in tests/it/main.rs: {missing:?}"
    );
}
