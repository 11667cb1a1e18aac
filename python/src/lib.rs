//! The Python module `zhclean` (its compiled part, `zhclean._zhclean`): the library's cleaning,
//! conversion and detection with Python types. This file translates types and errors only;
//! every decision about text is the library's (`zhclean::run::clean_input`, the entry the
//! `zhclean` program uses for each file, documents included, and `zhclean::run::clean_stream`,
//! its entry for each `--jsonl` record).

use std::borrow::Cow;
use std::io;

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyDict};
use rayon::prelude::*;

use zhclean::decode::encoding_for_label;
use zhclean::run::{clean_input, clean_stream, FileError, FileReport, Settings, Transform};
use zhclean::stages::convert::{Config, ConvertOptions, Converter};

/// mimalloc, as the `zhclean` program uses (see src/main.rs there): the pipeline allocates a
/// string or two per line, and the batch throughput this module promises is measured against
/// the program's. Python's own objects are not affected (CPython has its own allocator).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

create_exception!(
    _zhclean,
    Error,
    PyValueError,
    "A text zhclean cannot clean (not a text file, undecodable in strict mode) or an option it \
     does not know; the message is the `zhclean` program's."
);

fn error(message: impl ToString) -> PyErr {
    Error::new_err(message.to_string())
}

/// Settings as `zhclean clean` resolves them from its options.
fn settings(
    to: &str,
    convert: &str,
    enable: &[String],
    disable: &[String],
    blank_line: bool,
    encoding: Option<&str>,
    strict: bool,
) -> PyResult<Settings> {
    let options =
        zhclean::named::options(to, convert, enable, disable, blank_line).map_err(error)?;
    let input_encoding = encoding
        .map(|label| {
            encoding_for_label(label).ok_or_else(|| {
                // The message `zhclean --encoding` gives.
                error(format!(
                    "--encoding {label}: unknown encoding (try utf-8, gbk, gb18030, big5, \
                     utf-16le or utf-16be)"
                ))
            })
        })
        .transpose()?;
    Ok(Settings {
        transform: Transform::Clean(options),
        input_encoding,
        strict,
        ..Settings::default()
    })
}

/// Cleans one document as `zhclean clean` cleans it: `bytes` as a file with these bytes (a
/// Word, OpenDocument, EPUB or HTML document read by its reader, as the program tells one by
/// its first bytes), a `str` as a `--jsonl` record with this text (text, whatever it holds).
fn clean_bytes(input: &Input, settings: &Settings) -> Result<(String, FileReport), FileError> {
    match input {
        // No name: the format is told by the bytes alone, as for standard input.
        Input::Bytes(data) => collect(data.len(), |out| {
            clean_input(&mut &data[..], out, settings, None)
        }),
        Input::Text(text) => clean_text(text.as_bytes(), settings),
    }
}

/// Cleans text as `zhclean clean --jsonl` cleans a record holding it.
fn clean_text(data: &[u8], settings: &Settings) -> Result<(String, FileReport), FileError> {
    collect(data.len(), |out| {
        clean_stream(&mut &data[..], out, settings)
    })
}

/// The output `clean` writes, as a `String`: UTF-8, as `Settings::default` writes.
fn collect(
    size_in: usize,
    clean: impl FnOnce(&mut Vec<u8>) -> Result<FileReport, FileError>,
) -> Result<(String, FileReport), FileError> {
    let mut out = Vec::with_capacity(size_in + size_in / 8 + 64);
    let report = clean(&mut out)?;
    // The settings write UTF-8; were the bytes not UTF-8, say so rather than lose them.
    let text = String::from_utf8(out).map_err(|e| {
        FileError::Write(io::Error::new(io::ErrorKind::InvalidData, e.utf8_error()))
    })?;
    Ok((text, report))
}

/// A `str` or `bytes` argument: text, or the bytes of a file.
enum Input {
    Text(PyBackedStr),
    Bytes(Vec<u8>),
}

impl Input {
    fn extract(value: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(bytes) = value.cast::<PyBytes>() {
            return Ok(Input::Bytes(bytes.as_bytes().to_vec()));
        }
        match value.extract::<PyBackedStr>() {
            Ok(text) => Ok(Input::Text(text)),
            Err(_) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "expected str or bytes, not {}",
                value.get_type().name()?
            ))),
        }
    }
}

/// A report serialized by the library, as Python objects (dicts, lists, numbers, strings).
fn to_python<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_string(value).map_err(error)?;
    py.import("json")?.call_method1("loads", (json,))
}

/// Cleans a document with the pipeline `zhclean clean` runs; `str` is cleaned as its UTF-8
/// bytes, `bytes` as a file's: a document (.docx, .odt, .doc/.wps, .epub, HTML) is read by its
/// reader, told by its first bytes as the program tells it, and text is decoded (the encoding
/// detected, or `encoding`).
#[pyfunction]
#[pyo3(signature = (text_or_bytes, *, to="simplified", convert="auto", enable=Vec::new(),
                    disable=Vec::new(), blank_line=false, encoding=None, strict=false))]
#[allow(clippy::too_many_arguments)] // Python's keyword arguments, one for each CLI option.
fn clean(
    py: Python<'_>,
    text_or_bytes: &Bound<'_, PyAny>,
    to: &str,
    convert: &str,
    enable: Vec<String>,
    disable: Vec<String>,
    blank_line: bool,
    encoding: Option<&str>,
    strict: bool,
) -> PyResult<String> {
    let settings = settings(to, convert, &enable, &disable, blank_line, encoding, strict)?;
    let input = Input::extract(text_or_bytes)?;
    let result = py.detach(|| clean_bytes(&input, &settings));
    result.map(|(text, _)| text).map_err(error)
}

/// Converts script alone, as `zhclean convert -c CONFIG` (`t2s`, `s2twp`, `hk2s`, ...).
#[pyfunction]
#[pyo3(signature = (text, config="t2s", *, rare_chars=false))]
fn convert(py: Python<'_>, text: PyBackedStr, config: &str, rare_chars: bool) -> PyResult<String> {
    let config: Config = config.parse().map_err(error)?;
    let converter = Converter::new(config, ConvertOptions { rare_chars });
    Ok(py.detach(|| match converter.convert(&text) {
        Cow::Borrowed(same) => same.to_string(),
        Cow::Owned(converted) => converted,
    }))
}

/// What `zhclean detect --json` says of a file with these bytes: encoding, confidence, script,
/// the artifacts cleaning would remove (rule counts), size in bytes and lines; or `binary`, why
/// it is not a text file.
#[pyfunction]
fn detect<'py>(py: Python<'py>, data: &Bound<'py, PyBytes>) -> PyResult<Bound<'py, PyDict>> {
    let settings = Settings::default();
    let bytes = data.as_bytes();
    let result = clean_stream(&mut &bytes[..], &mut io::sink(), &settings);
    let dict = PyDict::new(py);
    match result {
        Ok(report) => {
            dict.set_item("binary", py.None())?;
            dict.set_item("encoding", report.decode.encoding)?;
            dict.set_item("confidence", report.decode.confidence.to_string())?;
            let script = report.clean.facts.get("script").cloned();
            dict.set_item("script", script)?;
            dict.set_item("artifacts", to_python(py, &report.clean.rules)?)?;
            dict.set_item("replaced", report.decode.replaced)?;
            dict.set_item("bytes", report.bytes_in)?;
            dict.set_item("lines", report.clean.lines_in)?;
        }
        Err(binary @ FileError::Binary { .. }) => dict.set_item("binary", binary.to_string())?,
        Err(other) => return Err(error(other)),
    }
    Ok(dict)
}

/// A cleaner with its options resolved once, for many documents: `clean`, `clean_with_report`,
/// and `clean_batch`, which cleans a list in parallel without the GIL.
#[pyclass(frozen, module = "zhclean")]
struct Cleaner {
    settings: Settings,
}

/// What `clean_batch` does with a text that cannot be cleaned (binary, or undecodable in strict
/// mode).
#[derive(Clone, Copy)]
enum OnError {
    /// Fail the batch, naming the text's index.
    Raise,
    /// Return the text unchanged, as `zhclean clean --jsonl` copies such a record through.
    Keep,
    /// Return `None` in its place, so that the caller can count or route it.
    Null,
}

impl Cleaner {
    /// Cleans each text on the current rayon pool, in order.
    fn clean_all(
        &self,
        texts: &[PyBackedStr],
        on_error: OnError,
    ) -> Result<Vec<Option<String>>, String> {
        texts
            .par_iter()
            .enumerate()
            .map(
                |(index, text)| match clean_text(text.as_bytes(), &self.settings) {
                    Ok((cleaned, _)) => Ok(Some(cleaned)),
                    Err(e) => match on_error {
                        OnError::Raise => Err(format!("text {index}: {e}")),
                        OnError::Keep => Ok(Some(text.to_string())),
                        OnError::Null => Ok(None),
                    },
                },
            )
            .collect()
    }
}

#[pymethods]
impl Cleaner {
    #[new]
    #[pyo3(signature = (*, to="simplified", convert="auto", enable=Vec::new(), disable=Vec::new(),
                        blank_line=false, encoding=None, strict=false))]
    fn new(
        to: &str,
        convert: &str,
        enable: Vec<String>,
        disable: Vec<String>,
        blank_line: bool,
        encoding: Option<&str>,
        strict: bool,
    ) -> PyResult<Self> {
        Ok(Cleaner {
            settings: settings(to, convert, &enable, &disable, blank_line, encoding, strict)?,
        })
    }

    /// Cleans one document (`str`, or `bytes` of a file: a document read, text decoded).
    fn clean(&self, py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<String> {
        let input = Input::extract(text)?;
        let result = py.detach(|| clean_bytes(&input, &self.settings));
        result.map(|(text, _)| text).map_err(error)
    }

    /// Cleans one document and says what was done: the report `zhclean clean --report` writes
    /// for a file (`decode`, `clean` with its rule counts, `bytes_in`, `bytes_out`, `changed`).
    fn clean_with_report<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
    ) -> PyResult<(String, Bound<'py, PyAny>)> {
        let input = Input::extract(text)?;
        let result = py.detach(|| clean_bytes(&input, &self.settings));
        let (cleaned, report) = result.map_err(error)?;
        Ok((cleaned, to_python(py, &report)?))
    }

    /// Cleans a list of texts in parallel, the GIL released: on `threads` threads, or on one
    /// per CPU. `errors="raise"` (the default) raises on a text that cannot be cleaned, naming
    /// its index; `errors="keep"` returns it unchanged; `errors="none"` returns `None` for it.
    #[pyo3(signature = (texts, threads=None, errors="raise"))]
    fn clean_batch(
        &self,
        py: Python<'_>,
        texts: Vec<PyBackedStr>,
        threads: Option<usize>,
        errors: &str,
    ) -> PyResult<Vec<Option<String>>> {
        let on_error = match errors {
            "raise" => OnError::Raise,
            "keep" => OnError::Keep,
            "none" => OnError::Null,
            other => {
                return Err(PyValueError::new_err(format!(
                    "errors must be 'raise', 'keep' or 'none', not '{other}'"
                )))
            }
        };
        let pool = match threads {
            Some(0) => return Err(PyValueError::new_err("threads must be at least 1")),
            Some(n) => Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(error)?,
            ),
            None => None,
        };
        let result = py.detach(|| match &pool {
            Some(pool) => pool.install(|| self.clean_all(&texts, on_error)),
            None => self.clean_all(&texts, on_error),
        });
        result.map_err(error)
    }

    fn __repr__(&self) -> String {
        match &self.settings.transform {
            Transform::Clean(options) => format!(
                "Cleaner(to={:?}, convert={:?}, blank_line={})",
                options.target, options.convert, options.blank_line
            ),
            Transform::Convert(converter) => format!("Cleaner(convert={})", converter.name()),
        }
    }
}

/// The names of the cleaning rules, in pipeline order (`zhclean rules`).
#[pyfunction]
fn rules() -> Vec<&'static str> {
    zhclean::rules::Rule::ALL
        .iter()
        .map(|rule| rule.name())
        .collect()
}

#[pymodule]
fn _zhclean(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(clean, m)?)?;
    m.add_function(wrap_pyfunction!(convert, m)?)?;
    m.add_function(wrap_pyfunction!(detect, m)?)?;
    m.add_function(wrap_pyfunction!(rules, m)?)?;
    m.add_class::<Cleaner>()?;
    m.add("Error", m.py().get_type::<Error>())?;
    Ok(())
}
