//! The XML underneath the readers: a part decoded to text, then read event by event with
//! quick-xml, with entity references resolved here (and only here) and nesting bounded.
//!
//! Entities: the five XML ones and character references are resolved; a few HTML names that
//! XHTML in EPUBs uses (`&nbsp;`, `&mdash;`, …) too. Nothing else is expanded — quick-xml does
//! not read a DTD's declarations, and neither does this — so an entity-expansion attack ("billion
//! laughs") stays the few bytes it is: an unknown reference is kept as written (`&lol9;`), so no
//! character of the input is lost either.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{DocumentError, MAX_XML_DEPTH};

/// What the readers see of an XML part: elements by their qualified name, and text with its
/// references already resolved.
pub(crate) enum Item<'a> {
    Start(BytesStart<'a>),
    /// An element without content (`<w:tab/>`): no `End` follows.
    Empty(BytesStart<'a>),
    End,
    Text(Cow<'a, str>),
}

/// A part being read: its name (for messages) and the reader.
pub(crate) struct Part<'a> {
    name: &'a str,
    reader: Reader<&'a [u8]>,
    depth: usize,
    /// Mismatched and unclosed elements are read past instead of failing the part.
    lenient: bool,
}

impl<'a> Part<'a> {
    /// Reads `text` (the whole part, already decoded: see [`decode`]); `name` is for messages.
    pub(crate) fn new(name: &'a str, text: &'a str) -> Self {
        let mut reader = Reader::from_str(text);
        // Office writes `&` unescaped nowhere, but real EPUB chapters do (`AT&T`): kept as text.
        reader.config_mut().allow_dangling_amp = true;
        Part {
            name,
            reader,
            depth: 0,
            lenient: false,
        }
    }

    /// [`Part::new`] for markup written by hand as often as by programs (EPUB chapters): an end
    /// tag that does not match, or an element never closed, does not lose the rest of the text.
    pub(crate) fn lenient(name: &'a str, text: &'a str) -> Self {
        let mut part = Part::new(name, text);
        part.reader.config_mut().check_end_names = false;
        part.reader.config_mut().allow_unmatched_ends = true;
        part.lenient = true;
        part
    }

    /// How deep the reader is: 1 inside the root element.
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    /// The next item, or `None` at the end of the part. Comments, processing instructions and
    /// the document type are passed over.
    pub(crate) fn next(&mut self) -> Result<Option<Item<'a>>, DocumentError> {
        loop {
            let event = self
                .reader
                .read_event()
                .map_err(|error| self.error(error))?;
            return Ok(Some(match event {
                Event::Start(start) => {
                    self.depth += 1;
                    if self.depth > MAX_XML_DEPTH {
                        return Err(
                            self.error(format!("elements nested over {MAX_XML_DEPTH} deep"))
                        );
                    }
                    Item::Start(start)
                }
                Event::Empty(start) => Item::Empty(start),
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    Item::End
                }
                Event::Text(text) => Item::Text(text.xml10_content()),
                Event::CData(data) => Item::Text(data.xml10_content()),
                Event::GeneralRef(reference) => {
                    let name = reference.into_inner();
                    Item::Text(resolve_reference(&name).map_or_else(
                        || Cow::Owned(format!("&{name};")),
                        |resolved| Cow::Owned(resolved.to_string()),
                    ))
                }
                Event::Eof if self.depth > 0 && !self.lenient => {
                    return Err(self.error("it ends inside an element (cut short)"))
                }
                Event::Eof => return Ok(None),
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => continue,
            }));
        }
    }

    /// Reads past the end of the element just started (its content is not wanted).
    pub(crate) fn skip(&mut self) -> Result<(), DocumentError> {
        let depth = self.depth;
        while self.depth >= depth {
            if self.next()?.is_none() {
                break;
            }
        }
        Ok(())
    }

    /// The error of this part, at the reader's position.
    pub(crate) fn error(&self, message: impl std::fmt::Display) -> DocumentError {
        DocumentError::xml(
            self.name,
            format!("{message} (at byte {})", self.reader.buffer_position()),
        )
    }
}

/// A reader that walks a part keeping a frame per open element: what the element's start
/// made of it (a paragraph, a table cell, nothing), handed back at its end. [`Visitor::visit`]
/// is the dispatch the readers share (.docx, .odt, EPUB chapters); each says what its
/// elements and text do.
pub(crate) trait Visitor {
    /// What an open element is, for what its end does.
    type Frame: Copy;

    /// The frames of the open elements, innermost last.
    fn frames(&mut self) -> &mut Vec<Self::Frame>;

    /// Whether an element starting here is passed over whole, content and all (it holds no
    /// text of the document, or text written elsewhere).
    fn skips(&self, e: &BytesStart<'_>) -> bool;

    /// What an element's start does; returns its frame.
    fn open(&mut self, e: &BytesStart<'_>) -> Self::Frame;

    /// What an element's end does.
    fn close(&mut self, frame: Self::Frame);

    /// Text, inside the element whose frame is `innermost` (`None` outside every element).
    fn text(&mut self, text: &str, innermost: Option<Self::Frame>);

    /// An element without content: it opens and closes at once, unless skipped.
    fn empty(&mut self, e: &BytesStart<'_>) {
        if !self.skips(e) {
            let frame = self.open(e);
            self.close(frame);
        }
    }

    /// Takes the next item of `part`: a skipped element is read past here.
    fn visit<'x>(&mut self, item: Item<'x>, part: &mut Part<'x>) -> Result<(), DocumentError> {
        match item {
            Item::Start(e) => {
                if self.skips(&e) {
                    return part.skip();
                }
                let frame = self.open(&e);
                self.frames().push(frame);
            }
            Item::Empty(e) => self.empty(&e),
            Item::End => {
                if let Some(frame) = self.frames().pop() {
                    self.close(frame);
                }
            }
            Item::Text(text) => {
                let innermost = self.frames().last().copied();
                self.text(&text, innermost);
            }
        }
        Ok(())
    }
}

/// The value of attribute `name` (qualified, `w:val`), unescaped; `None` when absent.
pub(crate) fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|attribute| attribute.key.0 == name)
        .map(|attribute| {
            attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(Cow::into_owned)
                .unwrap_or_else(|_| attribute.value.to_string())
        })
}

/// A part's bytes as text: UTF-8 (a BOM skipped), or UTF-16 with a BOM, as XML allows.
pub(crate) fn decode<'b>(name: &str, bytes: &'b [u8]) -> Result<Cow<'b, str>, DocumentError> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        if encoding != encoding_rs::UTF_8 {
            let (text, malformed) = encoding.decode_without_bom_handling(&bytes[bom..]);
            if malformed {
                return Err(DocumentError::xml(name, "not valid UTF-16"));
            }
            return Ok(Cow::Owned(text.into_owned()));
        }
        return std::str::from_utf8(&bytes[bom..])
            .map(Cow::Borrowed)
            .map_err(|error| DocumentError::xml(name, format!("not valid UTF-8 ({error})")));
    }
    std::str::from_utf8(bytes)
        .map(Cow::Borrowed)
        .map_err(|error| DocumentError::xml(name, format!("not valid UTF-8 ({error})")))
}

/// The character a reference stands for: `#123`, `#x4E00`, the five XML names, and the HTML
/// names that XHTML chapters of EPUBs use; `None` for any other name (not expanded).
fn resolve_reference(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let value = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(value);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "shy" => '\u{ad}',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "middot" => '·',
        "bull" => '•',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "laquo" => '«',
        "raquo" => '»',
        "times" => '×',
        "divide" => '÷',
        "deg" => '°',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "sect" => '§',
        "para" => '¶',
        "yen" => '¥',
        "zwj" => '\u{200d}',
        "zwnj" => '\u{200c}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(xml: &str) -> Result<String, DocumentError> {
        let mut part = Part::new("test.xml", xml);
        let mut out = String::new();
        while let Some(item) = part.next()? {
            if let Item::Text(text) = item {
                out.push_str(&text);
            }
        }
        Ok(out)
    }

    #[test]
    fn references_resolved_and_unknown_ones_kept_as_written() {
        assert_eq!(
            texts("<a>&lt;一&#x4E8C;&#19977;&amp;&nbsp;&foo;</a>").unwrap(),
            "<一二三&\u{a0}&foo;"
        );
    }

    #[test]
    fn entity_expansion_is_never_done() {
        // A "billion laughs" document: declared entities are not expanded, so the output is the
        // reference as written, not gigabytes.
        let mut xml =
            String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        for level in 1..10 {
            let previous = if level == 1 {
                "lol".to_string()
            } else {
                format!("lol{}", level - 1)
            };
            xml.push_str(&format!(
                "<!ENTITY lol{level} \"{}\">\n",
                format!("&{previous};").repeat(10)
            ));
        }
        xml.push_str("]>\n<lolz>&lol9;</lolz>");
        assert_eq!(texts(&xml).unwrap().trim(), "&lol9;");
        // An external entity is not fetched either.
        let external = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>";
        assert_eq!(texts(external).unwrap(), "&e;");
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "<a>".repeat(MAX_XML_DEPTH + 1) + &"</a>".repeat(MAX_XML_DEPTH + 1);
        let error = texts(&deep).unwrap_err().to_string();
        assert!(error.contains("nested"), "{error}");
        let fine = "<a>".repeat(MAX_XML_DEPTH) + "x" + &"</a>".repeat(MAX_XML_DEPTH);
        assert_eq!(texts(&fine).unwrap(), "x");
    }

    #[test]
    fn cut_short_and_mismatched_parts_are_errors() {
        assert!(texts("<a><b>text</b>").is_err());
        assert!(texts("<a><b>text</c></a>").is_err());
        assert_eq!(texts("<a>text</a>").unwrap(), "text");
        // Unless read leniently: the text is all there.
        let mut part = Part::lenient("x.xhtml", "<a><b>一</c>二</a></a><p>三");
        let mut out = String::new();
        while let Some(item) = part.next().unwrap() {
            if let Item::Text(text) = item {
                out.push_str(&text);
            }
        }
        assert_eq!(out, "一二三");
    }

    #[test]
    fn decode_utf8_and_utf16() {
        assert_eq!(decode("p", "\u{feff}<a/>".as_bytes()).unwrap(), "<a/>");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<a>中</a>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode("p", &utf16).unwrap(), "<a>中</a>");
        assert!(decode("p", b"<a>\xff</a>").is_err());
    }
}
