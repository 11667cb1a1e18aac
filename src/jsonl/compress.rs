//! Compressed shards: `.gz` and `.zst` read and written by the file's extension, as corpus
//! tools (datatrove, dolma) write them.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

/// How a shard is compressed, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// The read buffer: a line is found in it without a system call per line.
const READ_BUFFER_BYTES: usize = 256 * 1024;

impl Compression {
    /// `.gz` → gzip, `.zst` → zstd, anything else (and standard input) plain.
    pub fn of(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("gz") => Compression::Gzip,
            Some(e) if e.eq_ignore_ascii_case("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }

    /// Reads `inner` decompressed, buffered for reading line by line. A gzip file of several
    /// members (as `pigz` and concatenated shards make) is read whole.
    pub fn reader<'a>(self, inner: impl Read + 'a) -> io::Result<Box<dyn BufRead + 'a>> {
        Ok(match self {
            Compression::None => Box::new(BufReader::with_capacity(READ_BUFFER_BYTES, inner)),
            Compression::Gzip => Box::new(BufReader::with_capacity(
                READ_BUFFER_BYTES,
                flate2::read::MultiGzDecoder::new(BufReader::new(inner)),
            )),
            Compression::Zstd => Box::new(BufReader::with_capacity(
                READ_BUFFER_BYTES,
                zstd::stream::read::Decoder::new(inner)?,
            )),
        })
    }

    /// Writes into `inner` compressed; [`Compressed::finish`] ends the stream.
    pub fn writer<W: Write>(self, inner: W) -> io::Result<Compressed<W>> {
        Ok(match self {
            Compression::None => Compressed::Plain(inner),
            Compression::Gzip => Compressed::Gzip(flate2::write::GzEncoder::new(
                inner,
                flate2::Compression::default(),
            )),
            // Level 3, zstd's own default: as fast as gzip's fastest, smaller than its best.
            Compression::Zstd => Compressed::Zstd(zstd::stream::write::Encoder::new(inner, 3)?),
        })
    }
}

/// A writer that compresses (or not) into `W`.
pub enum Compressed<W: Write> {
    Plain(W),
    Gzip(flate2::write::GzEncoder<W>),
    Zstd(zstd::stream::write::Encoder<'static, W>),
}

impl<W: Write> Compressed<W> {
    /// Ends the compressed stream (its trailer) and gives back the writer underneath.
    pub fn finish(self) -> io::Result<W> {
        match self {
            Compressed::Plain(inner) => Ok(inner),
            Compressed::Gzip(encoder) => encoder.finish(),
            Compressed::Zstd(encoder) => encoder.finish(),
        }
    }
}

impl<W: Write> Write for Compressed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Compressed::Plain(inner) => inner.write(buf),
            Compressed::Gzip(encoder) => encoder.write(buf),
            Compressed::Zstd(encoder) => encoder.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Compressed::Plain(inner) => inner.write_all(buf),
            Compressed::Gzip(encoder) => encoder.write_all(buf),
            Compressed::Zstd(encoder) => encoder.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Compressed::Plain(inner) => inner.flush(),
            Compressed::Gzip(encoder) => encoder.flush(),
            Compressed::Zstd(encoder) => encoder.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_by_extension() {
        for (name, kind) in [
            ("a.jsonl", Compression::None),
            ("a.jsonl.gz", Compression::Gzip),
            ("a.jsonl.GZ", Compression::Gzip),
            ("dir.gz/a.jsonl", Compression::None),
            ("a.jsonl.zst", Compression::Zstd),
        ] {
            assert_eq!(Compression::of(Path::new(name)), kind, "{name}");
        }
    }

    #[test]
    fn each_kind_reads_back_what_it_wrote() {
        let text = "{\"text\":\"正文\"}\n".repeat(1000);
        for kind in [Compression::None, Compression::Gzip, Compression::Zstd] {
            let mut writer = kind.writer(Vec::new()).unwrap();
            writer.write_all(text.as_bytes()).unwrap();
            let bytes = writer.finish().unwrap();
            if kind != Compression::None {
                assert!(bytes.len() < text.len() / 10, "{kind:?} compresses");
            }
            let mut back = String::new();
            kind.reader(&bytes[..])
                .unwrap()
                .read_to_string(&mut back)
                .unwrap();
            assert_eq!(back, text, "{kind:?}");
        }
    }

    /// Two gzip members one after the other (two shards concatenated) read as one stream.
    #[test]
    fn gzip_members_concatenated_read_whole() {
        let mut bytes = Vec::new();
        for part in ["{\"a\":1}\n", "{\"a\":2}\n"] {
            let mut writer = Compression::Gzip.writer(Vec::new()).unwrap();
            writer.write_all(part.as_bytes()).unwrap();
            bytes.extend(writer.finish().unwrap());
        }
        let mut back = String::new();
        Compression::Gzip
            .reader(&bytes[..])
            .unwrap()
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, "{\"a\":1}\n{\"a\":2}\n");
    }
}
