//! The two formats between zhclean's conversion dictionaries and its converter, in one place so
//! that the build script that compiles the dictionaries and the tests that check them read them
//! the same way:
//!
//! - [`dict`]: OpenCC's text dictionaries in `dicts/` (`KEY<TAB>TARGET TARGET…`, `#` comments),
//!   and the list of characters in use in both scripts (`dicts/overrides/both-scripts.txt`).
//! - [`blob`]: the compiled tables `build.rs` writes into `OUT_DIR` and the library embeds —
//!   their byte layout, the writer, and a reader that checks the layout.
//!
//! This crate is not published: it is a build dependency and a dev-dependency of zhclean.

pub mod blob;
pub mod closure;
pub mod dict;
