//! Word 2007+ documents (.docx, .docm, .dotx): the main part (`word/document.xml`) walked with
//! quick-xml into one line per paragraph.
//!
//! Kept: paragraphs and their runs, tabs, line breaks inside a paragraph (`w:br`, as a line
//! end), tables (a row per line, cells separated by a tab), text boxes (after the paragraph
//! anchoring them, like notes), inserted revisions (`w:ins`), field results, and the automatic
//! numbering of `numbering.xml` rendered before its
//! paragraph (`一、`, `（一）`, `1.1`), also where a paragraph style carries it. Footnotes and
//! endnotes follow the paragraph (or table row) that cites them, one line per note paragraph.
//!
//! Left out: headers and footers (other parts, never read), field instructions (`PAGE`,
//! `MERGEFORMAT`: `w:instrText`, a `w:fldSimple`'s attribute), bookmarks, comments (another
//! part; only their anchors are in the text), deleted and moved-away revisions (`w:del`,
//! `w:moveFrom`), hidden text (`w:vanish` on the run, or in its character style, its
//! paragraph style or the document-wide default run properties in styles.xml), ruby annotations (`w:rt`: pinyin above characters),
//! and the fallback copy of content that `mc:AlternateContent` stores twice.

use super::table::{add_to_open_cell, close_cell, close_row, Table};
use std::collections::HashMap;

use quick_xml::events::BytesStart;

use super::numbering::WordNumbering;
use super::package::{resolve, Package};
use super::xml::{self, attribute, Item, Part, Visitor};
use super::{DocumentError, Notes};

/// Reads a .docx (or .docm, .dotx) into text.
pub(crate) fn extract(bytes: &[u8], notes: Notes) -> Result<String, DocumentError> {
    let mut package = Package::open(bytes)?;
    let main = main_part(&mut package)?;
    let document = package.require(&main)?;
    let mut numbering = match package.read("word/numbering.xml")? {
        Some(bytes) => WordNumbering::parse(&xml::decode("word/numbering.xml", &bytes)?)?,
        None => WordNumbering::default(),
    };
    let styles = match package.read("word/styles.xml")? {
        Some(bytes) => style_numbering(&xml::decode("word/styles.xml", &bytes)?)?,
        None => Styles::default(),
    };
    let mut footnotes = HashMap::new();
    let mut endnotes = HashMap::new();
    if notes == Notes::Keep {
        for (name, element, map) in [
            ("word/footnotes.xml", "w:footnote", &mut footnotes),
            ("word/endnotes.xml", "w:endnote", &mut endnotes),
        ] {
            if let Some(bytes) = package.read(name)? {
                *map = read_notes(name, &xml::decode(name, &bytes)?, element, &styles)?;
            }
        }
    }
    let text = xml::decode(&main, &document)?;
    let mut walker = Walker::new(Some(&mut numbering), &styles, &footnotes, &endnotes);
    let mut part = Part::new(&main, &text);
    while let Some(item) = part.next()? {
        walker.visit(item, &mut part)?;
    }
    Ok(walker.out)
}

/// The main part, as `_rels/.rels` names it (`word/document.xml` in every file Word writes).
fn main_part(package: &mut Package<'_>) -> Result<String, DocumentError> {
    const DEFAULT: &str = "word/document.xml";
    let Some(rels) = package.read("_rels/.rels")? else {
        return Ok(DEFAULT.into());
    };
    let text = xml::decode("_rels/.rels", &rels)?;
    let mut part = Part::new("_rels/.rels", &text);
    while let Some(item) = part.next()? {
        if let Item::Start(e) | Item::Empty(e) = item {
            let is_main = attribute(&e, "Type").is_some_and(|t| t.ends_with("/officeDocument"));
            if let (true, Some(target)) = (is_main, attribute(&e, "Target")) {
                return Ok(resolve("", &target));
            }
        }
    }
    Ok(DEFAULT.into())
}

/// What styles.xml says of what the text needs, with `w:basedOn` followed: the paragraph
/// styles that number their paragraphs (a heading style with a `w:numPr`) and the styles that
/// hide or show their text (`w:vanish` in a style's run properties, or in the document's
/// default run properties, `w:docDefaults`).
#[derive(Default)]
struct Styles {
    /// Style id → (numId, level).
    numbered: HashMap<String, (String, usize)>,
    /// Style id → hidden (`true`) or shown again over a hidden base (`false`); styles that say
    /// nothing either way are not here.
    vanish: HashMap<String, bool>,
    /// `w:docDefaults`' `w:rPrDefault` `w:vanish`: what a run no style or property of its own
    /// speaks for inherits (the bottom of Word's style hierarchy).
    default_vanish: Option<bool>,
    /// The paragraph style (`w:default="1"`, Normal) of a paragraph that names none.
    default_paragraph: Option<String>,
}

/// A style as read: its `w:basedOn`, its own numId and ilvl, and its own `w:vanish`, when it
/// has them.
#[derive(Default)]
struct StyleEntry {
    based_on: Option<String>,
    num_id: Option<String>,
    level: Option<usize>,
    vanish: Option<bool>,
}

fn style_numbering(text: &str) -> Result<Styles, DocumentError> {
    let mut styles: HashMap<String, StyleEntry> = HashMap::new();
    let mut current: Option<String> = None;
    // The depth of the style's `w:pPr` while in it: a `w:vanish` there (in the paragraph
    // mark's run properties) hides the mark only, not the style's text.
    let mut in_paragraph_properties: Option<usize> = None;
    // The depth of `w:rPrDefault` while in it: the run properties every run starts from.
    let mut in_run_defaults: Option<usize> = None;
    let mut default_vanish = None;
    let mut default_paragraph = None;
    let mut part = Part::new("word/styles.xml", text);
    while let Some(item) = part.next()? {
        let (e, empty) = match item {
            Item::Start(e) => (e, false),
            Item::Empty(e) => (e, true),
            Item::End => {
                if in_paragraph_properties.is_some_and(|d| part.depth() < d) {
                    in_paragraph_properties = None;
                }
                if in_run_defaults.is_some_and(|d| part.depth() < d) {
                    in_run_defaults = None;
                }
                continue;
            }
            Item::Text(_) => continue,
        };
        match e.name().0 {
            "w:style" => {
                current = attribute(&e, "w:styleId");
                if let Some(id) = &current {
                    styles.entry(id.clone()).or_default();
                    let paragraph_style = attribute(&e, "w:type").as_deref() == Some("paragraph");
                    if paragraph_style
                        && matches!(
                            attribute(&e, "w:default").as_deref(),
                            Some("1" | "true" | "on")
                        )
                    {
                        default_paragraph = Some(id.clone());
                    }
                }
            }
            "w:pPr" if !empty => in_paragraph_properties = Some(part.depth()),
            "w:rPrDefault" if !empty => in_run_defaults = Some(part.depth()),
            "w:vanish" if in_run_defaults.is_some() => default_vanish = Some(is_on(&e)),
            "w:basedOn" | "w:numId" | "w:ilvl" | "w:vanish" => {
                let Some(entry) = current.as_ref().and_then(|id| styles.get_mut(id)) else {
                    continue;
                };
                let value = attribute(&e, "w:val");
                match e.name().0 {
                    "w:basedOn" => entry.based_on = value,
                    "w:numId" => entry.num_id = value,
                    "w:ilvl" => entry.level = value.and_then(|v| v.parse().ok()),
                    _ if in_paragraph_properties.is_none() => entry.vanish = Some(is_on(&e)),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let mut numbered = HashMap::new();
    let mut vanish = HashMap::new();
    for id in styles.keys() {
        // Up the basedOn chain (bounded: a cycle in a damaged file must not loop).
        let (mut num, mut level, mut hidden) = (None, None, None);
        let mut at = Some(id.clone());
        for _ in 0..16 {
            let Some(style) = at.as_ref().and_then(|id| styles.get(id)) else {
                break;
            };
            num = num.or_else(|| style.num_id.clone());
            level = level.or(style.level);
            hidden = hidden.or(style.vanish);
            at = style.based_on.clone();
        }
        if let Some(num) = num.filter(|n| n != "0") {
            numbered.insert(id.clone(), (num, level.unwrap_or(0)));
        }
        if let Some(hidden) = hidden {
            vanish.insert(id.clone(), hidden);
        }
    }
    Ok(Styles {
        numbered,
        vanish,
        default_vanish,
        default_paragraph,
    })
}

/// A toggle property's value (`<w:vanish/>`, `w:val="0"`): on unless it says off.
fn is_on(e: &BytesStart<'_>) -> bool {
    !matches!(
        attribute(e, "w:val").as_deref(),
        Some("0" | "false" | "off")
    )
}

/// The notes of a footnotes or endnotes part: id → its lines (the separators Word keeps there
/// are notes without text).
fn read_notes(
    name: &str,
    text: &str,
    element: &str,
    styles: &Styles,
) -> Result<HashMap<String, Vec<String>>, DocumentError> {
    let empty = HashMap::new();
    let mut notes = HashMap::new();
    let mut part = Part::new(name, text);
    let mut current: Option<(String, usize)> = None;
    let mut walker = Walker::new(None, styles, &empty, &empty);
    while let Some(item) = part.next()? {
        match &item {
            Item::Start(e) if e.name().0 == element => {
                current = attribute(e, "w:id").map(|id| (id, part.depth()));
                walker.out.clear();
                continue;
            }
            Item::End if current.as_ref().is_some_and(|(_, d)| part.depth() < *d) => {
                if let Some((id, _)) = current.take() {
                    notes.insert(id, walker.out.lines().map(str::to_string).collect());
                }
                walker.out.clear();
                continue;
            }
            _ => {}
        }
        walker.visit(item, &mut part)?;
    }
    Ok(notes)
}

/// What an open element is, for what its end does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    Paragraph,
    ParagraphProperties,
    Run,
    RunProperties,
    Text,
    Table,
    Row,
    Cell,
    Other,
}

#[derive(Default)]
struct Paragraph {
    text: String,
    num: Option<(String, usize)>,
    style: Option<String>,
    /// The notes cited in it, written after it.
    notes: Vec<String>,
}

/// The state of a walk through a part: what is open, and the text so far.
struct Walker<'a> {
    /// `None` in notes: their numbering would disturb the counters of the body.
    numbering: Option<&'a mut WordNumbering>,
    styles: &'a Styles,
    footnotes: &'a HashMap<String, Vec<String>>,
    endnotes: &'a HashMap<String, Vec<String>>,
    frames: Vec<Frame>,
    paragraphs: Vec<Paragraph>,
    tables: Vec<Table>,
    /// Complex fields open: `true` while in the instruction (before `separate`).
    fields: Vec<bool>,
    /// The open run's own `w:vanish`, and its character style's (`w:rStyle`): the run's
    /// own wins, then its style's, then the paragraph style's.
    run_vanish: Option<bool>,
    run_style_vanish: Option<bool>,
    in_paragraph_properties: usize,
    in_run_properties: usize,
    out: String,
}

/// Elements whose content is never text of the document (see the module doc for why each).
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "w:del"
            | "w:moveFrom"
            | "w:instrText"
            | "w:delInstrText"
            | "w:delText"
            | "mc:Fallback"
            | "w:rt"
            | "w:pPrChange"
            | "w:rPrChange"
            | "w:sectPr"
            | "w:tblPr"
            | "w:trPr"
            | "w:tcPr"
            | "w:tblGrid"
            | "w:sdtPr"
            | "w:sdtEndPr"
            | "w:fldData"
            | "wp:docPr"
            | "w:comments"
    )
}

impl<'a> Walker<'a> {
    fn new(
        numbering: Option<&'a mut WordNumbering>,
        styles: &'a Styles,
        footnotes: &'a HashMap<String, Vec<String>>,
        endnotes: &'a HashMap<String, Vec<String>>,
    ) -> Self {
        Walker {
            numbering,
            styles,
            footnotes,
            endnotes,
            frames: Vec::new(),
            paragraphs: Vec::new(),
            tables: Vec::new(),
            fields: Vec::new(),
            run_vanish: None,
            run_style_vanish: None,
            in_paragraph_properties: 0,
            in_run_properties: 0,
            out: String::new(),
        }
    }

    fn visible(&self) -> bool {
        !self.hidden_run()
            && self.in_run_properties == 0
            && self.in_paragraph_properties == 0
            && self.fields.iter().all(|instruction| !instruction)
    }

    /// Whether the open run is hidden: by its own `w:vanish`, else its character style's,
    /// else its paragraph style's, else the document's default.
    fn hidden_run(&self) -> bool {
        self.run_vanish
            .or(self.run_style_vanish)
            .or_else(|| {
                let paragraph = self.paragraphs.last()?;
                let style = paragraph
                    .style
                    .as_ref()
                    .or(self.styles.default_paragraph.as_ref())?;
                self.styles.vanish.get(style).copied()
            })
            .or(self.styles.default_vanish)
            .unwrap_or(false)
    }

    fn push(&mut self, text: &str) {
        if let Some(paragraph) = self.paragraphs.last_mut() {
            paragraph.text.push_str(text);
        }
    }
}

impl Visitor for Walker<'_> {
    type Frame = Frame;

    fn frames(&mut self) -> &mut Vec<Frame> {
        &mut self.frames
    }

    fn skips(&self, e: &BytesStart<'_>) -> bool {
        skipped(e.name().0)
    }

    fn text(&mut self, text: &str, innermost: Option<Frame>) {
        if innermost == Some(Frame::Text) && self.visible() {
            self.push(text);
        }
    }

    fn open(&mut self, e: &BytesStart<'_>) -> Frame {
        let value = || attribute(e, "w:val");
        match e.name().0 {
            "w:p" => {
                self.paragraphs.push(Paragraph::default());
                Frame::Paragraph
            }
            "w:pPr" => {
                self.in_paragraph_properties += 1;
                Frame::ParagraphProperties
            }
            "w:pStyle" if self.in_paragraph_properties > 0 => {
                if let Some(p) = self.paragraphs.last_mut() {
                    p.style = value();
                }
                Frame::Other
            }
            "w:numId" if self.in_paragraph_properties > 0 => {
                if let (Some(p), Some(id)) = (self.paragraphs.last_mut(), value()) {
                    let level = p.num.as_ref().map_or(0, |n| n.1);
                    p.num = Some((id, level));
                }
                Frame::Other
            }
            "w:ilvl" if self.in_paragraph_properties > 0 => {
                if let (Some(p), Some(level)) = (
                    self.paragraphs.last_mut(),
                    value().and_then(|v| v.parse::<usize>().ok()),
                ) {
                    let id = p.num.take().map(|n| n.0).unwrap_or_default();
                    p.num = Some((id, level));
                }
                Frame::Other
            }
            _ if self.in_paragraph_properties > 0 => Frame::Other,
            "w:r" => {
                self.run_vanish = None;
                self.run_style_vanish = None;
                Frame::Run
            }
            "w:rPr" => {
                self.in_run_properties += 1;
                Frame::RunProperties
            }
            "w:vanish" | "w:specVanish" if self.in_run_properties > 0 => {
                self.run_vanish = Some(is_on(e));
                Frame::Other
            }
            "w:rStyle" if self.in_run_properties > 0 => {
                self.run_style_vanish = value().and_then(|id| self.styles.vanish.get(&id).copied());
                Frame::Other
            }
            _ if self.in_run_properties > 0 => Frame::Other,
            "w:t" | "m:t" => Frame::Text,
            "w:tab" | "w:ptab" if self.visible() => {
                self.push("\t");
                Frame::Other
            }
            "w:br" if self.visible() => {
                // A page or column break moves the text on, inside the same paragraph.
                if !matches!(attribute(e, "w:type").as_deref(), Some("page" | "column")) {
                    self.push("\n");
                }
                Frame::Other
            }
            "w:cr" if self.visible() => {
                self.push("\n");
                Frame::Other
            }
            "w:noBreakHyphen" if self.visible() => {
                self.push("-");
                Frame::Other
            }
            "w:sym" if self.visible() => {
                // F000–F0FF address a symbol font's glyphs (Wingdings, Symbol): decoration with
                // no character of its own. Any other code is a character.
                let code = attribute(e, "w:char").and_then(|c| u32::from_str_radix(&c, 16).ok());
                if let Some(c) = code
                    .filter(|c| !(0xF000..=0xF0FF).contains(c))
                    .and_then(char::from_u32)
                {
                    self.push(c.encode_utf8(&mut [0; 4]));
                }
                Frame::Other
            }
            "w:fldChar" => {
                match attribute(e, "w:fldCharType").as_deref() {
                    Some("begin") => self.fields.push(true),
                    Some("separate") => {
                        if let Some(instruction) = self.fields.last_mut() {
                            *instruction = false;
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                }
                Frame::Other
            }
            "w:footnoteReference" | "w:endnoteReference" => {
                let notes = if e.name().0 == "w:footnoteReference" {
                    self.footnotes
                } else {
                    self.endnotes
                };
                let lines = attribute(e, "w:id").and_then(|id| notes.get(&id));
                if let (Some(lines), Some(p)) = (lines, self.paragraphs.last_mut()) {
                    p.notes.extend(lines.iter().cloned());
                }
                Frame::Other
            }
            "w:tbl" => {
                self.tables.push(Table::default());
                Frame::Table
            }
            "w:tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cells.clear();
                }
                Frame::Row
            }
            "w:tc" => {
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
            Frame::ParagraphProperties => {
                self.in_paragraph_properties = self.in_paragraph_properties.saturating_sub(1)
            }
            Frame::RunProperties => {
                self.in_run_properties = self.in_run_properties.saturating_sub(1)
            }
            Frame::Run => {
                self.run_vanish = None;
                self.run_style_vanish = None;
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
            Frame::Text | Frame::Other => {}
        }
    }
}

impl Walker<'_> {
    fn finish_paragraph(&mut self) {
        let Some(paragraph) = self.paragraphs.pop() else {
            return;
        };
        let num = paragraph.num.clone().or_else(|| {
            let style = paragraph.style.as_ref()?;
            self.styles.numbered.get(style).cloned()
        });
        let label = match (num, self.numbering.as_deref_mut()) {
            (Some((id, level)), Some(numbering)) if id != "0" && !id.is_empty() => {
                numbering.label(&id, level)
            }
            _ => String::new(),
        };
        let text = paragraph.text.trim_end_matches(['\n', ' ']);
        if text.trim().is_empty() && paragraph.notes.is_empty() {
            return;
        }
        let mut line = label;
        if !line.is_empty() && !text.is_empty() {
            // `一、加强` and `1.完善` as Chinese writes them; `1. Scope` with a space.
            let ascii_join = line.ends_with(|c: char| c.is_ascii_graphic())
                && text.starts_with(|c: char| c.is_ascii_alphanumeric());
            if ascii_join {
                line.push(' ');
            }
        }
        line.push_str(text);
        if let Some(anchor) = self.paragraphs.last_mut() {
            // A paragraph inside a paragraph: a text box's. It follows the paragraph it is
            // anchored in, as a note does (inside the anchor's text it would split a
            // sentence; before it, it would come before what it stands beside).
            anchor.notes.push(line);
            anchor.notes.extend(paragraph.notes);
            return;
        }
        if let Some(notes) = add_to_open_cell(&mut self.tables, false, &line, paragraph.notes) {
            self.emit(&line, notes);
        }
    }

    /// Writes a line (a paragraph or a table row) and the notes it cites.
    fn emit(&mut self, line: &str, notes: Vec<String>) {
        if !line.trim().is_empty() {
            self.out.push_str(line);
            self.out.push('\n');
        }
        for note in notes {
            if !note.trim().is_empty() {
                self.out.push_str(&note);
                self.out.push('\n');
            }
        }
    }
}

/// A paragraph's text into a table cell: several paragraphs of one cell are joined by a space
/// (a line break would split the row).
#[cfg(test)]
mod tests;
