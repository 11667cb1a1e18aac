//! zhclean turns messy archives of Chinese documents into clean, normalized UTF-8 corpora.
//!
//! The crate reads as the pipeline it runs (see [`pipeline`] for the order and why):
//!
//! ```text
//! bytes ─▶ decode ─▶ repair ─▶ normalize ─▶ strip ─▶ reflow ─▶ convert ─▶ polish ─▶ encode ─▶ sink
//! ```
//!
//! Every stage is a plain function or a small streaming type over text, free of I/O (the line
//! stages from repair to polish are in [`stages`]); only
//! `source` and `sink` touch the file system. [`run`] is what a run is ([`run::RunConfig`],
//! which the `zhclean` program resolves from its command line) and the pipeline over one
//! input stream, bytes to bytes ([`run::clean_stream`]); the program's command line and
//! commands are its own, not part of the library.
//!
//! As a library: clean a text (the same pipeline as `zhclean clean`, minus decoding), or convert
//! script alone (as `zhclean convert`):
//!
//! ```
//! let messy = "　　根据《條例》,现将情况报告如下:\r\n\r\n[bookmark: _GoBack]一、總體情況\r\n";
//! let (clean, report) = zhclean::clean_str(messy, &zhclean::Options::default());
//! // A Simplified paragraph quoting a Traditional title is left as written; a Traditional
//! // paragraph is converted.
//! assert_eq!(clean, "根据《條例》，现将情况报告如下：\n一、总体情况\n");
//! assert_eq!(report.rules.get(zhclean::rules::Rule::Bookmark), 1);
//!
//! use zhclean::stages::convert::{Config, ConvertOptions, Converter};
//! let t2s = Converter::new(Config::T2s, ConvertOptions::default());
//! assert_eq!(t2s.convert("這裡的資料"), "这里的资料");
//! ```

pub mod decode;
pub mod encode;
pub mod jsonl;
pub mod named;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod run;
pub mod sink;
pub mod source;
pub mod stages;
pub mod text;

pub use pipeline::{clean_str, Cleaner, Options};
