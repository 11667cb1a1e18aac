//! The zip container of .docx, .odt and .epub files, read part by part with every part's
//! decompressed size bounded: a part's compressed size says nothing of what it expands to, so
//! [`MAX_PART_BYTES`] and [`MAX_UNPACKED_BYTES`] are counted as the bytes come out.

use std::io::{Cursor, Read};

use zip::result::ZipError;
use zip::ZipArchive;

use super::{DocumentError, MAX_PART_BYTES, MAX_UNPACKED_BYTES};

pub(crate) struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Bytes decompressed so far, all parts together.
    unpacked: u64,
    /// [`MAX_PART_BYTES`] and [`MAX_UNPACKED_BYTES`] (smaller in tests).
    part_limit: u64,
    total_limit: u64,
}

impl<'a> Package<'a> {
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Self, DocumentError> {
        if bytes.starts_with(super::CFB_SIGNATURE) {
            // Office encrypts a .docx by wrapping it in a compound file (`EncryptedPackage`).
            return Err(DocumentError::Encrypted);
        }
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
        Ok(Package {
            zip,
            unpacked: 0,
            part_limit: MAX_PART_BYTES,
            total_limit: MAX_UNPACKED_BYTES,
        })
    }

    /// The part named `name` (as stored, or differing only in case or a leading `/`), or
    /// `None` when the package has no such part.
    pub(crate) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, DocumentError> {
        let wanted = name.trim_start_matches('/');
        let index = match self.zip.index_for_name(wanted) {
            Some(index) => index,
            None => match (0..self.zip.len()).find(|&i| {
                self.zip
                    .name_for_index(i)
                    .is_some_and(|n| n.trim_start_matches('/').eq_ignore_ascii_case(wanted))
            }) {
                Some(index) => index,
                None => return Ok(None),
            },
        };
        let file = self.zip.by_index(index).map_err(zip_error)?;
        let left = self.total_limit.saturating_sub(self.unpacked);
        let limit = self.part_limit.min(left);
        let mut data = Vec::with_capacity(file.size().min(limit).min(64 << 20) as usize);
        file.take(limit + 1)
            .read_to_end(&mut data)
            .map_err(|error| DocumentError::Corrupt(format!("{wanted}: {error}")))?;
        if data.len() as u64 > limit {
            let (what, limit_mib) = if limit == self.part_limit {
                (format!("its part {wanted} unpacked"), self.part_limit >> 20)
            } else {
                ("its parts unpacked".to_string(), self.total_limit >> 20)
            };
            return Err(DocumentError::TooLarge { what, limit_mib });
        }
        self.unpacked += data.len() as u64;
        Ok(Some(data))
    }

    /// The part named `name`, which the format requires.
    pub(crate) fn require(&mut self, name: &str) -> Result<Vec<u8>, DocumentError> {
        self.read(name)?
            .ok_or_else(|| DocumentError::Corrupt(format!("it has no {name}")))
    }
}

/// An encrypted member is the document's encryption; anything else a damaged container.
fn zip_error(error: ZipError) -> DocumentError {
    match error {
        ZipError::UnsupportedArchive(why) if why.to_ascii_lowercase().contains("password") => {
            DocumentError::Encrypted
        }
        other => DocumentError::Zip(other),
    }
}

/// Resolves `href` (relative, `/`-separated, maybe percent-encoded) against the folder of the
/// part `base`: `OEBPS/content.opf` + `text/ch1.xhtml` → `OEBPS/text/ch1.xhtml`.
pub(crate) fn resolve(base: &str, href: &str) -> String {
    let href = href.split(['#', '?']).next().unwrap_or(href);
    let href = percent_decode(href);
    let mut parts: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        base.rsplit_once('/')
            .map(|(folder, _)| folder.split('/').collect())
            .unwrap_or_default()
    };
    for piece in href.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::document::tests::zip_of;

    #[test]
    fn parts_by_name_and_missing_ones() {
        let bytes = zip_of(&[("Word/Document.xml", b"<a/>")]);
        let mut package = Package::open(&bytes).unwrap();
        assert_eq!(package.read("word/document.xml").unwrap().unwrap(), b"<a/>");
        assert!(package.read("word/numbering.xml").unwrap().is_none());
        let error = package.require("word/styles.xml").unwrap_err().to_string();
        assert!(error.contains("word/styles.xml"), "{error}");
    }

    #[test]
    fn a_zip_bomb_stops_at_the_part_limit() {
        // 8 MiB of zeros deflate to a few KiB; the limits are scaled down to 4 MiB a part and
        // 10 MiB in all so that the test does not unpack hundreds of MiB.
        let zeros = vec![0u8; 8 << 20];
        let small = vec![0u8; 3 << 20];
        let bytes = zip_of(&[
            ("bomb.xml", &zeros),
            ("a.xml", &small),
            ("b.xml", &small),
            ("c.xml", &small),
            ("d.xml", &small),
        ]);
        assert!(bytes.len() < 100 << 10, "{}", bytes.len());
        let mut package = Package::open(&bytes).unwrap();
        package.part_limit = 4 << 20;
        package.total_limit = 10 << 20;
        let error = package.read("bomb.xml").unwrap_err();
        assert!(matches!(error, DocumentError::TooLarge { .. }), "{error}");
        for part in ["a.xml", "b.xml", "c.xml"] {
            assert_eq!(package.read(part).unwrap().unwrap().len(), 3 << 20);
        }
        let error = package.read("d.xml").unwrap_err().to_string();
        assert!(error.contains("its parts unpacked"), "{error}");
    }

    #[test]
    fn truncated_and_foreign_containers() {
        let bytes = zip_of(&[("word/document.xml", b"<a/>")]);
        assert!(matches!(
            Package::open(&bytes[..bytes.len() / 2]),
            Err(DocumentError::Zip(_))
        ));
        let mut cfb = super::super::CFB_SIGNATURE.to_vec();
        cfb.resize(512, 0);
        assert!(matches!(Package::open(&cfb), Err(DocumentError::Encrypted)));
    }

    #[test]
    fn hrefs_resolve_against_their_part() {
        assert_eq!(
            resolve("OEBPS/content.opf", "text/ch1.xhtml"),
            "OEBPS/text/ch1.xhtml"
        );
        assert_eq!(
            resolve("OEBPS/text/a.xhtml", "../b%20c.xhtml#x"),
            "OEBPS/b c.xhtml"
        );
        assert_eq!(resolve("content.opf", "ch.xhtml"), "ch.xhtml");
        assert_eq!(resolve("a/b.opf", "/c.xhtml"), "c.xhtml");
    }
}
