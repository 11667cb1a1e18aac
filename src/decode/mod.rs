//! Stage 0, decode: bytes of any of the encodings Chinese archives are written in → UTF-8 text.
//!
//! Detection looks at a bounded prefix of the file ([`PREFIX_BYTES`]) and asks, in this order:
//!
//! 1. a BOM (UTF-8, UTF-16LE, UTF-16BE) — certain;
//! 2. a known binary signature (images, archives, PDF, Office and RTF documents, executables) —
//!    the file is skipped with a message saying what it is;
//! 3. UTF-16 without a BOM — Chinese UTF-16 often contains no zero byte at all, so the prefix is
//!    read as little- and big-endian code units and each reading is scored by how many units are
//!    characters a Chinese document is made of, and how many are its commonest characters
//!    (other encodings read as UTF-16 land all over the CJK block, rarely on those);
//! 4. NUL bytes in a file that is not UTF-16 — binary;
//! 5. valid UTF-8 (a character cut by the end of the prefix is fine; pure ASCII is UTF-8);
//! 6. chardetng over the prefix (8 KiB of it from the first non-ASCII byte: chardetng is slow),
//!    told whether that is the whole file and
//!    given no region hint (a `cn` hint turns real Big5 into GBK); its guess is checked by
//!    decoding the prefix: the share of very common characters tells GBK from Big5 (each
//!    decodes most byte pairs of the other, into rare characters), and damaged GBK or Big5,
//!    which chardetng gives up on at the first bad byte, is recognised by the bytes around it.
//!
//! The [`Decoder`] then streams the whole file through encoding_rs in chunks of any size (the
//! bulk of GBK, Big5 and UTF-16 text through fast paths that give encoding_rs's text).
//! Undecodable bytes are never lost silently: each becomes U+FFFD and is counted with its file
//! offset; more than one in a thousand means the guess was wrong and decoding fails with a
//! message that names the guess and suggests `--encoding`; `strict` fails on the first.
//!
//! A file whose bytes are valid in no single encoding but whose lines each are (GBK and UTF-8
//! files concatenated, a GBK paragraph pasted into a UTF-8 file) is decoded line by line where
//! its encoding fails: each such line in the encoding that reads it as Chinese (`mixed.rs`,
//! rule `mixed-encoding`).
//!
//! Where each part lives: `sniff.rs` (the order above, BOMs, binary signatures), `utf16.rs`,
//! `utf8.rs`, `legacy.rs` (chardetng and the checks of its guess) and `common_han.rs` (the
//! characters those checks count); `decoder.rs` (the streaming decoder and its report),
//! `fast.rs` and `pairs.rs` (its fast paths), `error.rs`; `detection.rs` (what detection
//! decides, and the encodings the user may name). This file only says what the stage offers.

pub(crate) mod common_han;
mod decoder;
mod detection;
mod error;
mod fast;
mod legacy;
mod mixed;
mod pairs;
mod sniff;
#[cfg(test)]
mod testing;
mod utf16;
mod utf8;

pub use decoder::{DecodeReport, Decoder};
pub use detection::{encoding_for_label, Confidence, Detection};
pub use error::DecodeError;
pub use mixed::{detect_mixed, detect_mixed_knowing, MixedLines};
pub use sniff::{forced, sniff, sniff_knowing, Binary, Sniff, Sniffed, PREFIX_BYTES};
