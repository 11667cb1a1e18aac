//! EPUB books: the XHTML documents of the spine, in its order, each walked into one line per
//! block (`p`, `h1`…`h6`, `li`, `div`, …).
//!
//! EPUB content is XHTML, which an XML reader reads (tag-soup HTML is the HTML reader's).
//! Kept: block text, `<br/>` as a line end inside a block, tables (a row per line, cells
//! separated by a tab), ordered lists numbered (`1.`), and notes (`<aside epub:type="footnote">`
//! and the like) after the block that cites them (`epub:type="noteref"`), or dropped.
//! Left out: `head`, `script`, `style`, `nav`, ruby text, the citation marks, the navigation
//! document (a table of contents repeats the headings).

use super::table::{append_to_cell, close_cell, close_row, Table};
use std::collections::HashMap;

use quick_xml::events::BytesStart;

use super::numbering::NumberFormat;
use super::package::{resolve, Package};
use super::xml::{self, attribute, Item, Part, Visitor};
use super::{DocumentError, Notes};

/// Reads an .epub into text.
pub(crate) fn extract(bytes: &[u8], notes: Notes) -> Result<String, DocumentError> {
    let mut package = Package::open(bytes)?;
    let container = package.require("META-INF/container.xml")?;
    let container = xml::decode("META-INF/container.xml", &container)?;
    let opf_name = first_attribute(
        &container,
        "META-INF/container.xml",
        "rootfile",
        "full-path",
    )?
    .ok_or_else(|| DocumentError::Corrupt("its container names no package file".into()))?;
    let opf = package.require(&opf_name)?;
    let opf = xml::decode(&opf_name, &opf)?;
    let spine = spine(&opf_name, &opf)?;
    if let Some(encryption) = package.read("META-INF/encryption.xml")? {
        // Fonts are often obfuscated (listed here too); a listed chapter is encrypted text.
        let encryption = String::from_utf8_lossy(&encryption);
        if spine.iter().any(|path| encryption.contains(path.as_str())) {
            return Err(DocumentError::Encrypted);
        }
    }
    let mut out = String::new();
    for path in &spine {
        let Some(chapter) = package.read(path)? else {
            // A spine entry without its file: the rest of the book is still read.
            continue;
        };
        let chapter = xml::decode(path, &chapter)?;
        let notes_here = match notes {
            Notes::Keep => collect_notes(path, &chapter)?,
            Notes::Drop => HashMap::new(),
        };
        let mut walker = Walker::new(notes, notes_here);
        let mut part = Part::lenient(path, &chapter);
        while let Some(item) = part.next()? {
            walker.visit(item, &mut part)?;
        }
        walker.flush();
        // Notes no block cited are kept where they stand, at the end of the chapter.
        for (_, lines) in walker.uncited() {
            for line in lines {
                out_line(&mut walker.out, &line);
            }
        }
        out.push_str(&walker.out);
    }
    Ok(out)
}

/// The value of `attribute` on the first element named `local` (any prefix).
fn first_attribute(
    text: &str,
    name: &str,
    local: &str,
    wanted: &str,
) -> Result<Option<String>, DocumentError> {
    let mut part = Part::new(name, text);
    while let Some(item) = part.next()? {
        if let Item::Start(e) | Item::Empty(e) = item {
            if e.name().local_name().as_ref() == local {
                return Ok(attribute(&e, wanted));
            }
        }
    }
    Ok(None)
}

/// The spine's XHTML documents as paths in the package, in reading order (the navigation
/// document left out).
fn spine(name: &str, opf: &str) -> Result<Vec<String>, DocumentError> {
    let mut manifest: HashMap<String, (String, bool)> = HashMap::new();
    let mut order = Vec::new();
    let mut part = Part::new(name, opf);
    while let Some(item) = part.next()? {
        let (Item::Start(e) | Item::Empty(e)) = item else {
            continue;
        };
        match e.name().local_name().as_ref() {
            "item" => {
                let (Some(id), Some(href)) = (attribute(&e, "id"), attribute(&e, "href")) else {
                    continue;
                };
                let media = attribute(&e, "media-type").unwrap_or_default();
                let is_nav = attribute(&e, "properties")
                    .is_some_and(|p| p.split_whitespace().any(|p| p == "nav"));
                let readable = media.contains("html") && !is_nav;
                manifest.insert(id, (resolve(name, &href), readable));
            }
            "itemref" => order.extend(attribute(&e, "idref")),
            _ => {}
        }
    }
    Ok(order
        .iter()
        .filter_map(|id| manifest.get(id))
        .filter(|(_, readable)| *readable)
        .map(|(path, _)| path.clone())
        .collect())
}

/// The `epub:type` of an element, when it marks a note or a citation.
fn epub_type(e: &BytesStart<'_>) -> Option<String> {
    attribute(e, "epub:type")
}

fn is_note(e: &BytesStart<'_>) -> bool {
    epub_type(e).is_some_and(|t| {
        t.split_whitespace()
            .any(|t| matches!(t, "footnote" | "endnote" | "rearnote" | "note"))
    })
}

/// The notes of a chapter, by id: their lines as the walker writes them.
fn collect_notes(name: &str, text: &str) -> Result<HashMap<String, Vec<String>>, DocumentError> {
    let mut notes = HashMap::new();
    let mut part = Part::lenient(name, text);
    while let Some(item) = part.next()? {
        let Item::Start(e) = item else { continue };
        if !is_note(&e) {
            continue;
        }
        let id = attribute(&e, "id").unwrap_or_default();
        // The note's own content, walked alone.
        let depth = part.depth();
        let mut walker = Walker::new(Notes::Drop, HashMap::new());
        walker.in_note = true;
        while part.depth() >= depth {
            match part.next()? {
                Some(item) => walker.visit(item, &mut part)?,
                None => break,
            }
        }
        walker.flush();
        notes.insert(id, walker.out.lines().map(str::to_string).collect());
    }
    Ok(notes)
}

fn out_line(out: &mut String, line: &str) {
    if !line.trim().is_empty() {
        out.push_str(line);
        out.push('\n');
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    Block,
    Row,
    Cell,
    Table,
    OrderedList,
    Pre,
    /// A citation mark (`noteref`): its text is not the document's.
    Mark,
    Other,
}

struct Walker {
    notes: Notes,
    /// The notes of this chapter, taken by the blocks that cite them.
    available: HashMap<String, Vec<String>>,
    frames: Vec<Frame>,
    line: String,
    /// Notes cited in the current block.
    cited: Vec<String>,
    tables: Vec<Table>,
    /// Ordered lists open: the next number of each.
    lists: Vec<u32>,
    pre: usize,
    marks: usize,
    in_note: bool,
    out: String,
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "figcaption"
            | "caption"
            | "section"
            | "article"
            | "address"
            | "center"
            | "hr"
            | "ul"
            | "ol"
            | "dl"
            | "figure"
            | "body"
            | "header"
            | "footer"
            | "main"
    )
}

fn skipped(name: &str) -> bool {
    matches!(
        name,
        "head" | "script" | "style" | "nav" | "rt" | "rp" | "noscript" | "template" | "svg"
    )
}

impl Walker {
    fn new(notes: Notes, available: HashMap<String, Vec<String>>) -> Self {
        Walker {
            notes,
            available,
            frames: Vec::new(),
            line: String::new(),
            cited: Vec::new(),
            tables: Vec::new(),
            lists: Vec::new(),
            pre: 0,
            marks: 0,
            in_note: false,
            out: String::new(),
        }
    }

    /// Notes no block cited, in id order (stable output).
    fn uncited(&mut self) -> Vec<(String, Vec<String>)> {
        let mut left: Vec<_> = self.available.drain().collect();
        left.sort();
        left
    }

    /// A citation mark: a link marked `noteref`; inside a note, the link back to the citation
    /// (a short number or symbol).
    fn is_mark(&self, e: &BytesStart<'_>) -> bool {
        let noteref = epub_type(e).is_some_and(|t| t.split_whitespace().any(|t| t == "noteref"));
        noteref
            || (self.in_note
                && e.name().local_name().as_ref() == "a"
                && attribute(e, "href").is_some_and(|h| h.starts_with('#')))
    }

    /// Ends the current block: its text as a line (or into the open table cell), then the
    /// notes it cited.
    fn flush(&mut self) {
        let line = tidy(&std::mem::take(&mut self.line));
        if let Some(t) = self.tables.last_mut().filter(|t| t.cell.is_some()) {
            if !line.is_empty() {
                append_to_cell(t, &line);
            }
            return;
        }
        out_line(&mut self.out, &line);
        for note in std::mem::take(&mut self.cited) {
            out_line(&mut self.out, &note);
        }
    }
}

impl Visitor for Walker {
    type Frame = Frame;

    fn frames(&mut self) -> &mut Vec<Frame> {
        &mut self.frames
    }

    /// A note is written after the block citing it (collected beforehand), or dropped.
    fn skips(&self, e: &BytesStart<'_>) -> bool {
        skipped(e.name().local_name().as_ref()) || (!self.in_note && is_note(e))
    }

    fn empty(&mut self, e: &BytesStart<'_>) {
        match e.name().local_name().as_ref() {
            "br" => self.line.push('\n'),
            "hr" => self.flush(),
            "td" | "th" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cells.push(String::new());
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str, _: Option<Frame>) {
        if self.marks > 0 {
            return;
        }
        if self.pre > 0 {
            self.line.push_str(text);
        } else {
            collapse_into(&mut self.line, text);
        }
    }

    fn open(&mut self, e: &BytesStart<'_>) -> Frame {
        let local = e.name().local_name();
        let name = local.as_ref();
        match name {
            "a" | "sup" if self.is_mark(e) => {
                if name == "a" && !self.in_note && self.notes == Notes::Keep {
                    if let Some(id) = attribute(e, "href")
                        .and_then(|h| h.rsplit_once('#').map(|(_, id)| id.to_string()))
                    {
                        if let Some(lines) = self.available.remove(&id) {
                            self.cited.extend(lines);
                        }
                    }
                }
                self.marks += 1;
                Frame::Mark
            }
            "table" => {
                self.flush();
                self.tables.push(Table::default());
                Frame::Table
            }
            "tr" => Frame::Row,
            "td" | "th" => {
                self.flush();
                if let Some(t) = self.tables.last_mut() {
                    t.cell = Some(String::new());
                }
                Frame::Cell
            }
            "ol" => {
                self.flush();
                let start = attribute(e, "start")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(1);
                self.lists.push(start);
                Frame::OrderedList
            }
            "ul" => {
                self.flush();
                // An unordered list inside an ordered one numbers nothing.
                self.lists.push(0);
                Frame::OrderedList
            }
            "li" => {
                self.flush();
                if let Some(next) = self.lists.last_mut().filter(|n| **n > 0) {
                    let kind = match attribute(e, "type").as_deref() {
                        Some("a") => NumberFormat::LowerLetter,
                        Some("A") => NumberFormat::UpperLetter,
                        Some("i") => NumberFormat::LowerRoman,
                        Some("I") => NumberFormat::UpperRoman,
                        _ => NumberFormat::Decimal,
                    };
                    self.line.push_str(&kind.render(*next));
                    self.line.push('.');
                    *next += 1;
                }
                Frame::Block
            }
            "pre" => {
                self.flush();
                self.pre += 1;
                Frame::Pre
            }
            _ if is_block(name) => {
                self.flush();
                Frame::Block
            }
            _ => Frame::Other,
        }
    }

    fn close(&mut self, frame: Frame) {
        match frame {
            Frame::Block => self.flush(),
            Frame::Pre => {
                self.flush();
                self.pre = self.pre.saturating_sub(1);
            }
            Frame::Mark => self.marks = self.marks.saturating_sub(1),
            Frame::OrderedList => {
                self.flush();
                self.lists.pop();
            }
            Frame::Cell => {
                self.flush();
                close_cell(&mut self.tables);
            }
            Frame::Row => {
                self.flush();
                // EPUB notes are cited by the walker (`cited`), not by the table.
                if let Some((row, _)) = close_row(&mut self.tables) {
                    out_line(&mut self.out, &row);
                    for note in std::mem::take(&mut self.cited) {
                        out_line(&mut self.out, &note);
                    }
                }
            }
            Frame::Table => {
                self.flush();
                self.tables.pop();
            }
            Frame::Other => {}
        }
    }
}

/// Text outside `pre` as a browser shows it: each run of white space one space.
fn collapse_into(line: &mut String, text: &str) {
    for (i, piece) in text.split(|c: char| c.is_ascii_whitespace()).enumerate() {
        if i > 0 && !line.ends_with([' ', '\n']) {
            line.push(' ');
        }
        line.push_str(piece);
    }
}

/// A block's text: trimmed, each line trimmed, and a space that only the markup's line
/// breaking put between two Chinese characters taken out.
fn tidy(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (i, piece) in line.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let piece = piece.trim_matches(' ');
        let chars: Vec<char> = piece.chars().collect();
        for (at, &c) in chars.iter().enumerate() {
            let between_wide = c == ' '
                && at > 0
                && !chars[at - 1].is_ascii()
                && chars.get(at + 1).is_some_and(|n| !n.is_ascii());
            if !between_wide {
                out.push(c);
            }
        }
    }
    out.trim_matches('\n').to_string()
}

#[cfg(test)]
mod tests;
