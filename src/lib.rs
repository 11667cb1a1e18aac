//! zhclean turns messy archives of Chinese documents into clean, normalized UTF-8 corpora.
//!
//! The crate reads as the pipeline it runs (see [`pipeline`] for the order and why):
//!
//! ```text
//! bytes ─▶ decode ─▶ normalize ─▶ strip ─▶ reflow ─▶ convert ─▶ polish ─▶ encode ─▶ sink
//! ```
//!
//! Every stage is a plain function or a small streaming type over text, free of I/O; only
//! `source` and `sink` touch the file system.

pub mod convert;
pub mod decode;
pub mod encode;
pub mod normalize;
pub mod pipeline;
pub mod polish;
pub mod reflow;
pub mod report;
pub mod rules;
pub mod strip;
pub mod text;

pub use pipeline::{clean_str, Cleaner, Options};
