//! PDF, through poppler's `pdftotext`: zhclean has no PDF parser of its own. Its text (pages
//! separated by form feeds) goes on to the page model of the strip stage, which removes the
//! page numbers, running headers and footnote blocks that a PDF's text is full of.

use std::io::Write;
use std::process::{Command, Stdio};

use super::{DocumentError, Notes};

/// The program run, found on the PATH.
const PDFTOTEXT: &str = "pdftotext";

/// Runs `pdftotext -enc UTF-8 FILE -` on the PDF (written to a temporary file first: the PDF may
/// come from an archive or standard input, and pdftotext needs to seek). Notes are whatever
/// the page model makes of a page's foot; `notes` does not apply.
pub(crate) fn extract(bytes: &[u8], _notes: Notes) -> Result<String, DocumentError> {
    let io = |what: &str, error: std::io::Error| {
        DocumentError::Pdf(format!(
            "{what}: {}",
            crate::source::describe_io_error(&error)
        ))
    };
    let mut file = tempfile::Builder::new()
        .prefix(".zhclean-pdf-")
        .suffix(".pdf")
        .tempfile()
        .map_err(|e| io("cannot write a temporary copy", e))?;
    file.write_all(bytes)
        .and_then(|()| file.flush())
        .map_err(|e| io("cannot write a temporary copy", e))?;
    let output = Command::new(PDFTOTEXT)
        .args(["-enc", "UTF-8"])
        .arg(file.path())
        .arg("-")
        .stdin(Stdio::null())
        .output();
    let output = match output {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(DocumentError::NoPoppler)
        }
        Err(error) => return Err(io("cannot run pdftotext", error)),
    };
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        if said.to_ascii_lowercase().contains("password") {
            return Err(DocumentError::Encrypted);
        }
        let first = said
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("it failed without a message");
        return Err(DocumentError::Pdf(first.to_string()));
    }
    // pdftotext writes UTF-8 when asked to; were a byte not to be, U+FFFD says where.
    Ok(match String::from_utf8(output.stdout) {
        Ok(text) => text,
        Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn have_pdftotext() -> bool {
        Command::new(PDFTOTEXT).arg("-v").output().is_ok()
    }

    #[test]
    fn damaged_pdf_is_an_error_with_poppler_s_words() {
        if !have_pdftotext() {
            eprintln!("pdftotext is not installed: skipped");
            return;
        }
        let error = extract(b"%PDF-1.4\nnot really a pdf", Notes::Keep).unwrap_err();
        assert!(matches!(error, DocumentError::Pdf(_)), "{error}");
    }
}
