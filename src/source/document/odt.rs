//! OpenDocument text (.odt, .ott): `content.xml` walked into one line per paragraph, with the
//! same rules as the Word reader.
//!
//! Kept: `text:p` and `text:h`, spaces (`text:s`), tabs, line breaks inside a paragraph, tables
//! (a row per line, cells separated by a tab), text boxes, and list numbering rendered from the
//! list styles of `styles.xml` and `content.xml` (`一、`, `（一）`, `1.1`). Notes (`text:note`)
//! follow their paragraph, as their own lines.
//!
//! Left out: headers and footers (in `styles.xml`, never walked), the note's citation mark,
//! bookmarks, comments (`office:annotation`), deleted text (`text:tracked-changes` holds it),
//! hidden text (`text:hidden-text`, and spans of a style that does not display), ruby text.

use super::table::{add_to_open_cell, close_cell, close_row, Table};
use std::collections::{HashMap, HashSet};

use quick_xml::events::BytesStart;

use super::numbering::{Counter, Level, NumberFormat};
use super::package::Package;
use super::xml::{self, attribute, Item, Part, Visitor};
use super::{DocumentError, Notes};

/// Reads an .odt (or .ott) into text.
pub(crate) fn extract(bytes: &[u8], notes: Notes) -> Result<String, DocumentError> {
    let mut package = Package::open(bytes)?;
    if let Some(manifest) = package.read("META-INF/manifest.xml")? {
        // An encrypted package keeps its manifest readable and says so there.
        if memchr::memmem::find(&manifest, b"encryption-data").is_some() {
            return Err(DocumentError::Encrypted);
        }
    }
    let content = package.require("content.xml")?;
    let mut styles = Styles::default();
    if let Some(bytes) = package.read("styles.xml")? {
        styles.read("styles.xml", &xml::decode("styles.xml", &bytes)?)?;
    }
    let content = xml::decode("content.xml", &content)?;
    styles.read("content.xml", &content)?;
    let mut walker = Walker::new(&styles, notes);
    let mut part = Part::new("content.xml", &content);
    while let Some(item) = part.next()? {
        walker.visit(item, &mut part)?;
    }
    Ok(walker.out)
}

/// What the reader needs of the styles: list styles (numbering), the outline style (numbered
/// headings), and the text styles that hide their text.
#[derive(Default)]
struct Styles {
    lists: HashMap<String, Vec<Level>>,
    outline: Vec<Level>,
    hidden: HashSet<String>,
}

impl Styles {
    fn read(&mut self, name: &str, text: &str) -> Result<(), DocumentError> {
        let mut part = Part::new(name, text);
        // The list style (or the outline style, `None` name) being read, and the style being
        // read for its text properties.
        let mut list: Option<Option<String>> = None;
        let mut list_depth = 0;
        let mut style: Option<String> = None;
        while let Some(item) = part.next()? {
            let (e, empty) = match &item {
                Item::Start(e) => (e, false),
                Item::Empty(e) => (e, true),
                Item::End => {
                    if list.is_some() && part.depth() < list_depth {
                        list = None;
                    }
                    continue;
                }
                Item::Text(_) => continue,
            };
            match e.name().0 {
                "text:list-style" | "text:outline-style" if !empty => {
                    let style_name = attribute(e, "style:name");
                    list = Some(if e.name().0 == "text:outline-style" {
                        None
                    } else {
                        style_name
                    });
                    list_depth = part.depth();
                }
                "text:list-level-style-number"
                | "text:list-level-style-bullet"
                | "text:outline-level-style"
                | "text:list-level-style-image" => {
                    let Some(target) = &list else { continue };
                    let Some(level) = attribute(e, "text:level")
                        .and_then(|l| l.parse::<usize>().ok())
                        .filter(|l| (1..=10).contains(l))
                    else {
                        continue;
                    };
                    let numbered = e.name().0 != "text:list-level-style-bullet"
                        && e.name().0 != "text:list-level-style-image";
                    let definition = odf_level(e, level, numbered);
                    let levels = match target {
                        Some(name) => self.lists.entry(name.clone()).or_default(),
                        None => &mut self.outline,
                    };
                    if levels.len() < level {
                        levels.resize(level, Level::new(NumberFormat::None, String::new(), 1));
                    }
                    levels[level - 1] = definition;
                }
                "style:style" => style = attribute(e, "style:name"),
                "style:text-properties" => {
                    if let (Some(name), Some("none")) =
                        (&style, attribute(e, "text:display").as_deref())
                    {
                        self.hidden.insert(name.clone());
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// One level of an ODF list style as a [`Level`]: LibreOffice's own `loext:num-list-format`
/// (`（%2%）`) when it is there, else prefix, the levels shown, suffix.
fn odf_level(e: &BytesStart<'_>, level: usize, numbered: bool) -> Level {
    let format = if numbered {
        NumberFormat::from_odf(&attribute(e, "style:num-format").unwrap_or_default())
    } else {
        NumberFormat::None
    };
    let start = attribute(e, "text:start-value")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let text = match attribute(e, "loext:num-list-format") {
        Some(list_format) => word_notation(&list_format),
        None => {
            let shown = attribute(e, "text:display-levels")
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, level);
            let numbers: Vec<String> = (level + 1 - shown..=level)
                .map(|l| format!("%{l}"))
                .collect();
            format!(
                "{}{}{}",
                attribute(e, "style:num-prefix").unwrap_or_default(),
                numbers.join("."),
                attribute(e, "style:num-suffix").unwrap_or_default()
            )
        }
    };
    Level::new(format, text, start)
}

/// LibreOffice's `%1%.%2%` in Word's notation, `%1.%2`, which [`Counter`] reads.
fn word_notation(list_format: &str) -> String {
    let mut out = String::with_capacity(list_format.len());
    let mut rest = list_format;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && after[digits..].starts_with('%') {
            out.push('%');
            out.push_str(&after[..digits]);
            rest = &after[digits + 1..];
        } else {
            out.push('%');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    Paragraph,
    List,
    ListItem,
    NoteBody,
    Table,
    Row,
    Cell,
    Span { hidden: bool },
    Number,
    Other,
}

#[derive(Default)]
struct Paragraph {
    text: String,
    label: String,
    /// A `text:number` inside it: the label as the writing application rendered it.
    written_label: Option<String>,
    notes: Vec<String>,
}

/// An open list: its style (inherited by nested lists) and the counters of its chain.
struct List {
    style: Option<String>,
    level: usize,
}

struct ListItem {
    /// The item's number is taken by its first paragraph; later ones carry none.
    counted: bool,
    start: Option<u32>,
}

struct Walker<'a> {
    styles: &'a Styles,
    notes: Notes,
    frames: Vec<Frame>,
    paragraphs: Vec<Paragraph>,
    lists: Vec<List>,
    items: Vec<ListItem>,
    /// Counters per list style (and `None` for outline headings).
    counters: HashMap<Option<String>, Counter>,
    /// Open note bodies: the lines of each.
    note_bodies: Vec<Vec<String>>,
    tables: Vec<Table>,
    hidden: usize,
    out: String,
}

/// Elements whose content is never text of the document.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "text:tracked-changes"
            | "office:annotation"
            | "text:note-citation"
            | "text:sequence-decls"
            | "text:hidden-text"
            | "text:ruby-text"
            | "svg:title"
            | "svg:desc"
            | "office:forms"
            | "office:automatic-styles"
            | "office:font-face-decls"
            | "office:scripts"
            | "table:table-columns"
            | "table:table-column"
    )
}

impl<'a> Walker<'a> {
    fn new(styles: &'a Styles, notes: Notes) -> Self {
        Walker {
            styles,
            notes,
            frames: Vec::new(),
            paragraphs: Vec::new(),
            lists: Vec::new(),
            items: Vec::new(),
            counters: HashMap::new(),
            note_bodies: Vec::new(),
            tables: Vec::new(),
            hidden: 0,
            out: String::new(),
        }
    }

    /// Text as ODF reads it: each run of white space (a pretty-printed file's line breaks and
    /// indentation) is one space, and none at a paragraph's start; spaces that count are
    /// written as `text:s`.
    fn push_collapsed(&mut self, text: &str) {
        let Some(p) = self.paragraphs.last_mut() else {
            return;
        };
        for (i, piece) in text.split([' ', '\t', '\r', '\n']).enumerate() {
            if i > 0 && !p.text.is_empty() && !p.text.ends_with(' ') {
                p.text.push(' ');
            }
            p.text.push_str(piece);
        }
    }

    fn push(&mut self, text: &str) {
        if let Some(p) = self.paragraphs.last_mut() {
            p.text.push_str(text);
        }
    }

    /// The label of a paragraph opening: the list item's number (its first paragraph only),
    /// or a heading's outline number.
    fn number(&mut self, e: &BytesStart<'_>) {
        let in_item = self.items.last().is_some_and(|item| !item.counted);
        let (chain, levels, level) = if in_item {
            let Some(list) = self.lists.last() else {
                return;
            };
            let Some(levels) = list.style.as_ref().and_then(|s| self.styles.lists.get(s)) else {
                if let Some(item) = self.items.last_mut() {
                    item.counted = true;
                }
                return;
            };
            (list.style.clone(), levels, list.level)
        } else if e.name().0 == "text:h" && self.items.is_empty() {
            let level = attribute(e, "text:outline-level")
                .and_then(|l| l.parse::<usize>().ok())
                .filter(|&l| l >= 1)
                .unwrap_or(1);
            let is_header = attribute(e, "text:is-list-header").as_deref() == Some("true");
            if is_header || self.styles.outline.is_empty() {
                return;
            }
            (None, &self.styles.outline, level)
        } else {
            return;
        };
        let start = self.items.last_mut().and_then(|item| {
            item.counted = true;
            item.start.take()
        });
        let counter = self.counters.entry(chain).or_default();
        if let Some(start) = start {
            // `text:start-value` on the item: it restarts here.
            let mut restarted = levels.clone();
            if let Some(l) = restarted.get_mut(level - 1) {
                l.start = start;
            }
            *counter = Counter::default();
            let label = counter.next(&restarted, level - 1);
            if let Some(p) = self.paragraphs.last_mut() {
                p.label = label;
            }
            return;
        }
        let label = counter.next(levels, level - 1);
        if let Some(p) = self.paragraphs.last_mut() {
            p.label = label;
        }
    }
}

impl Visitor for Walker<'_> {
    type Frame = Frame;

    fn frames(&mut self) -> &mut Vec<Frame> {
        &mut self.frames
    }

    fn skips(&self, e: &BytesStart<'_>) -> bool {
        skipped(e.name().0) || (e.name().0 == "text:note-body" && self.notes == Notes::Drop)
    }

    fn text(&mut self, text: &str, innermost: Option<Frame>) {
        if self.hidden > 0 {
            return;
        }
        if innermost == Some(Frame::Number) {
            if let Some(p) = self.paragraphs.last_mut() {
                p.written_label
                    .get_or_insert_with(String::new)
                    .push_str(text);
            }
        } else {
            self.push_collapsed(text);
        }
    }

    fn open(&mut self, e: &BytesStart<'_>) -> Frame {
        match e.name().0 {
            "text:p" | "text:h" => {
                // An empty paragraph still takes its list number, as it shows it.
                self.paragraphs.push(Paragraph::default());
                self.number(e);
                Frame::Paragraph
            }
            "text:number" => Frame::Number,
            "text:list" => {
                let parent = self.lists.last();
                let style = attribute(e, "text:style-name")
                    .or_else(|| parent.and_then(|l| l.style.clone()));
                let level = parent.map_or(1, |l| l.level + 1);
                if parent.is_none() {
                    let continues = attribute(e, "text:continue-numbering").as_deref()
                        == Some("true")
                        || attribute(e, "text:continue-list").is_some();
                    if !continues {
                        self.counters.remove(&style);
                    }
                }
                self.lists.push(List { style, level });
                Frame::List
            }
            "text:list-item" | "text:list-header" => {
                self.items.push(ListItem {
                    // A list header is an item without a number.
                    counted: e.name().0 == "text:list-header",
                    start: attribute(e, "text:start-value").and_then(|v| v.parse().ok()),
                });
                Frame::ListItem
            }
            "text:note-body" => {
                self.note_bodies.push(Vec::new());
                Frame::NoteBody
            }
            "text:span" => {
                let hidden = attribute(e, "text:style-name")
                    .is_some_and(|s| self.styles.hidden.contains(&s));
                if hidden {
                    self.hidden += 1;
                }
                Frame::Span { hidden }
            }
            "text:s" if self.hidden == 0 => {
                let count = attribute(e, "text:c")
                    .and_then(|c| c.parse::<usize>().ok())
                    .unwrap_or(1)
                    .min(1024);
                self.push(&" ".repeat(count));
                Frame::Other
            }
            "text:tab" if self.hidden == 0 => {
                self.push("\t");
                Frame::Other
            }
            "text:line-break" if self.hidden == 0 => {
                self.push("\n");
                Frame::Other
            }
            "table:table" => {
                self.tables.push(Table::default());
                Frame::Table
            }
            "table:table-row" => Frame::Row,
            "table:table-cell" | "table:covered-table-cell" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell = Some(String::new());
                }
                Frame::Cell
            }
            _ => Frame::Other,
        }
    }

    fn close(&mut self, frame: Frame) {
        match frame {
            Frame::Paragraph => self.finish_paragraph(),
            Frame::List => {
                self.lists.pop();
            }
            Frame::ListItem => {
                self.items.pop();
            }
            Frame::NoteBody => {
                let lines = self.note_bodies.pop().unwrap_or_default();
                if let Some(p) = self.paragraphs.last_mut() {
                    p.notes.extend(lines);
                }
            }
            Frame::Span { hidden } => {
                if hidden {
                    self.hidden = self.hidden.saturating_sub(1);
                }
            }
            Frame::Cell => close_cell(&mut self.tables),
            Frame::Row => {
                if let Some((row, notes)) = close_row(&mut self.tables) {
                    self.emit(&row, notes);
                }
            }
            Frame::Table => {
                self.tables.pop();
            }
            Frame::Number | Frame::Other => {}
        }
    }
}

impl Walker<'_> {
    fn finish_paragraph(&mut self) {
        let Some(paragraph) = self.paragraphs.pop() else {
            return;
        };
        let text = paragraph.text.trim_end_matches(['\n', ' ']);
        if text.trim().is_empty() && paragraph.notes.is_empty() {
            return;
        }
        let mut line = paragraph.written_label.unwrap_or(paragraph.label);
        if line.ends_with(|c: char| c.is_ascii_graphic())
            && text.starts_with(|c: char| c.is_ascii_alphanumeric())
        {
            line.push(' ');
        }
        line.push_str(text);
        if let Some(body) = self.note_bodies.last_mut() {
            // A paragraph of a note: a line of that note, written after the paragraph citing it.
            body.push(line);
            body.extend(paragraph.notes);
            return;
        }
        let nested = !self.paragraphs.is_empty();
        if let Some(notes) = add_to_open_cell(&mut self.tables, nested, &line, paragraph.notes) {
            self.emit(&line, notes);
        }
    }

    fn emit(&mut self, line: &str, notes: Vec<String>) {
        if !line.trim().is_empty() {
            self.out.push_str(line);
            self.out.push('\n');
        }
        for note in notes.iter().filter(|n| !n.trim().is_empty()) {
            self.out.push_str(note);
            self.out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests;
