//! Tests of format detection and the dispatch; each reader has its own.

use std::io::{Cursor, Write};
use std::path::Path;

use super::*;

/// A zip holding `parts`, as the readers' tests build their documents.
pub(crate) fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A stored (uncompressed) zip, as OpenDocument and EPUB put their `mimetype` first.
pub(crate) fn stored_zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in parts {
        zip.start_file(*name, stored).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn detection_by_bytes_first() {
    let docx = zip_of(&[
        ("[Content_Types].xml", b"<a/>"),
        ("word/document.xml", b"<a/>"),
    ]);
    // The name does not matter when the bytes say.
    assert_eq!(
        Format::detect(&docx, Some(Path::new("x.txt"))),
        Format::Docx
    );
    let odt = stored_zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.text")]);
    assert_eq!(Format::detect(&odt, None), Format::Odt);
    let epub = stored_zip_of(&[("mimetype", b"application/epub+zip")]);
    assert_eq!(Format::detect(&epub, None), Format::Epub);
    assert_eq!(Format::detect(b"%PDF-1.7\n", None), Format::Pdf);
    let mut cfb = CFB_SIGNATURE.to_vec();
    cfb.extend_from_slice(&[0; 100]);
    assert_eq!(Format::detect(&cfb, Some(Path::new("a.wps"))), Format::Doc);
    cfb.extend(utf16le("EncryptedPackage"));
    assert_eq!(
        Format::detect(&cfb, Some(Path::new("a.docx"))),
        Format::Docx
    );
    // A plain zip is not a document, unless its name says so (the reader then checks).
    let zip = zip_of(&[("a.txt", b"x")]);
    assert_eq!(Format::detect(&zip, Some(Path::new("a.zip"))), Format::Text);
    assert_eq!(
        Format::detect(&zip, Some(Path::new("a.DOCX"))),
        Format::Docx
    );
}

#[test]
fn detection_of_text_and_html() {
    // A text file named like a document is text: the extension alone does not make it one.
    assert_eq!(
        Format::detect("正文".as_bytes(), Some(Path::new("a.docx"))),
        Format::Text
    );
    assert_eq!(
        Format::detect(b"  <p>x</p>", Some(Path::new("a.htm"))),
        Format::Html
    );
    assert_eq!(Format::detect(b"<!DOCTYPE html><p>", None), Format::Html);
    assert_eq!(Format::detect(b"\xEF\xBB\xBF<html>", None), Format::Html);
    // XHTML (LibreOffice's export, on standard input): after its XML declaration.
    let xhtml = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.1//EN\">";
    assert_eq!(Format::detect(xhtml, None), Format::Html);
    // Any other XML is not HTML, nor is a declaration cut short.
    assert_eq!(
        Format::detect(b"<?xml version=\"1.0\"?><feed>", None),
        Format::Text
    );
    assert_eq!(Format::detect(b"<?xml version=\"1.0\"", None), Format::Text);
    assert_eq!(
        Format::detect(b"<p>x</p>", Some(Path::new("a.txt"))),
        Format::Text
    );
    assert_eq!(
        Format::detect(b"x < y", Some(Path::new("a.html"))),
        Format::Text
    );
}

#[test]
fn formats_parse_and_select() {
    let set = Formats::parse("txt, DOCX,wps").unwrap();
    assert!(set.contains(Format::Text) && set.contains(Format::Docx) && set.contains(Format::Doc));
    assert!(!set.contains(Format::Pdf));
    let error = Formats::parse("txt,rtf").unwrap_err();
    assert!(error.contains("'rtf'") && error.contains("docx"), "{error}");
    assert!(Formats::parse(",").is_err());
    assert!(Formats::default().contains(Format::Epub));
    for format in Format::ALL {
        assert_eq!(Format::parse(format.name()), Some(format));
    }
}

#[test]
fn text_and_unread_formats_have_no_reader() {
    for format in [Format::Text, Format::Html, Format::Doc] {
        if !format.has_reader() {
            assert!(matches!(
                extract(format, b"x", Notes::Keep),
                Err(DocumentError::NoReader(_))
            ));
        }
    }
}

/// The main part of each fixture cut at many points, and the files themselves cut and with
/// bytes flipped: every reader answers with text or an error, never a panic.
#[test]
fn damaged_fixtures_are_errors_not_panics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/documents");
    for (name, format, part) in [
        ("simplified.docx", Format::Docx, "word/document.xml"),
        ("simplified.odt", Format::Odt, "content.xml"),
        (
            "simplified.epub",
            Format::Epub,
            "OEBPS/sections/section0001.xhtml",
        ),
    ] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert!(extract(format, &bytes, Notes::Keep).is_ok(), "{name}");
        for cut in (0..bytes.len()).step_by(bytes.len() / 40) {
            let _ = extract(format, &bytes[..cut], Notes::Keep);
            let mut flipped = bytes.clone();
            flipped[cut] ^= 0x5A;
            let _ = extract(format, &flipped, Notes::Keep);
        }
        // The XML itself cut short, in a well-formed container.
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
        for i in 0..archive.len() {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut file, &mut data).unwrap();
            parts.push((file.name().to_string(), data));
        }
        let at = parts.iter().position(|(n, _)| n == part).unwrap();
        let whole = parts[at].1.clone();
        for cut in (1..whole.len()).step_by(whole.len() / 25) {
            parts[at].1 = whole[..cut].to_vec();
            let refs: Vec<(&str, &[u8])> = parts
                .iter()
                .map(|(n, d)| (n.as_str(), d.as_slice()))
                .collect();
            let result = extract(format, &stored_zip_of(&refs), Notes::Keep);
            if format != Format::Epub {
                // A cut part is an error that names it (EPUB chapters are read leniently).
                let error = result.unwrap_err().to_string();
                assert!(
                    error.contains(part) || error.contains("UTF-8"),
                    "{name} cut at {cut}: {error}"
                );
            }
        }
    }
}
