//! HTML pages (.html, .htm, .xhtml): the text a reader sees, one paragraph per line.
//!
//! Parsed by html5ever (through `scraper`, the maintained DOM on top of it: html5ever's own
//! `markup5ever_rcdom` is published as "basic, unsupported, for html5ever's tests"), so the page
//! is read as a browser reads it: entities decoded, unclosed `<p>` and `<li>` closed where a
//! browser closes them, comments (Word's conditional comments among them) never text.
//!
//! - **Paragraphs**: every block element (`p`, `div`, `h1`–`h6`, `li`, `blockquote`, `section`,
//!   `article`, `tr`, …) starts and ends a line; an empty block gives none (no blank lines).
//!   Table rows are lines with their cells separated by a tab; paragraphs inside a cell stay in
//!   the cell (a row stays one line).
//! - **`<br>`** ends the line there. Reflow joins lines only across blank lines or in a document
//!   it finds hard-wrapped, so a `<br>` break (address lines, a verse, "电话：…<br>联系人：…")
//!   stays a break, as the page shows it.
//! - **Whitespace** collapses as in a browser: a run of ASCII whitespace is one space, none at a
//!   line's edges; a run holding a line break between two characters of which one is wide (Han,
//!   kana, full-width punctuation) is removed (CSS Text 3's segment-break rule: a page's source
//!   wrapped inside Chinese text must not put spaces into it). No-break and ideographic spaces
//!   are content, kept (the strip stage owns indentation and NBSP); `<pre>` keeps its spaces and
//!   lines.
//! - **Left out**: the head (title, styles, metadata), `script`, `style`, `noscript`,
//!   `template`, `nav`, `aside`, page-level `header` and `footer` (a `header` inside an
//!   `article` or `main` is the article's title and kept), form controls, elements hidden by
//!   `hidden` or `display:none`, LibreOffice's header and footer (`<div title="header">`) and
//!   Word's (`mso-element:header`), comment lists, and note reference marks (the `¹` in the
//!   text).
//! - **Notes** (LibreOffice's, its XHTML export's and Word's, whose marks link to them): each
//!   right after the paragraph citing it, as the other readers put them; one whose mark is not
//!   read stays where the page has it; all left out with [`Notes::Drop`].
//! - **Word's "save as HTML"**: `<o:p>` holds nothing or a no-break space (an empty paragraph,
//!   left out); list numbers in `mso-list:Ignore` spans lose their padding of spaces.
//! - **Charset**: the BOM; else the `<meta charset>` or `http-equiv` declaration (or an XML
//!   declaration) in the first 8 KiB, checked by decoding (a page saved again in UTF-8 often
//!   keeps its old `gb2312` tag); else the project's detection (`decode::sniff`), as for text.

use std::collections::{HashMap, HashSet};

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::node::Element;
use scraper::{Html, Node};

use super::{DocumentError, Notes};
use crate::text::display_width;
#[cfg(test)]
use charset::declared_encoding;
use charset::decode;

/// The deepest nesting of elements read ([`nesting_depth`]'s estimate). html5ever keeps no
/// limit, and the time it takes grows with the square of the depth (each start tag looks down
/// the stack of open elements): a page of a million nested `<div>` would take hours. Real
/// pages stay under a hundred; this leaves room for pages that never close their inline tags.
const MAX_NESTING: usize = 8 * super::MAX_XML_DEPTH;

/// Reads an HTML page into text: one paragraph per line, each ended by `\n`.
pub(crate) fn extract(bytes: &[u8], notes: Notes) -> Result<String, DocumentError> {
    let text = decode(bytes)?;
    let depth = nesting_depth(&text);
    if depth > MAX_NESTING {
        return Err(DocumentError::Corrupt(format!(
            "markup nested {depth} elements deep (more than {MAX_NESTING}): refused, as an attack"
        )));
    }
    let page = Html::parse_document(&text);
    Ok(render(&page, notes, text.len() / 2))
}

/// How deep the page's elements nest, by counting start and end tags, without parsing:
/// elements that are empty (`<br>`, `<img>`, `<x/>`) or whose end tag may be left out (`<p>`,
/// `<li>`, `<td>`, …, which the parser closes itself) do not count. An estimate (a `<div` in a
/// script counts too), good for telling an attack from a page.
fn nesting_depth(text: &str) -> usize {
    const UNCOUNTED: &[&[u8]] = &[
        b"area",
        b"base",
        b"br",
        b"col",
        b"embed",
        b"hr",
        b"img",
        b"input",
        b"link",
        b"meta",
        b"param",
        b"source",
        b"track",
        b"wbr",
        b"p",
        b"li",
        b"dt",
        b"dd",
        b"td",
        b"th",
        b"tr",
        b"tbody",
        b"thead",
        b"tfoot",
        b"option",
        b"optgroup",
        b"colgroup",
        b"rb",
        b"rt",
        b"rp",
        b"html",
        b"head",
        b"body",
    ];
    let bytes = text.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    for at in memchr::memchr_iter(b'<', bytes) {
        let rest = &bytes[at + 1..];
        if let Some(name) = rest.strip_prefix(b"/") {
            if name.first().is_some_and(u8::is_ascii_alphabetic) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_len = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .unwrap_or(rest.len());
        let name = rest[..name_len].to_ascii_lowercase();
        let self_closing =
            memchr::memchr(b'>', rest).is_some_and(|end| rest[..end].ends_with(b"/"));
        if self_closing || UNCOUNTED.contains(&name.as_slice()) {
            continue;
        }
        depth += 1;
        deepest = deepest.max(depth);
    }
    deepest
}

/// What an element is to the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Not read at all, nor anything inside it.
    Skip,
    /// Its own paragraph(s): a line ends before and after it.
    Block,
    /// A table row: one line, its cells separated by tabs.
    Row,
    /// A table cell.
    Cell,
    /// Preformatted: spaces and line breaks kept.
    Pre,
    /// A line break.
    Break,
    /// A note reference mark (the `1` linking to a footnote): left out.
    NoteMark,
    /// A list number in Word's HTML (`mso-list:Ignore`): kept without its padding.
    ListMarker,
    /// Text-level markup (`span`, `b`, `a`, `o:p`, …): its text flows on.
    Inline,
}

/// Elements whose content is never read as text (the head, code, page furniture, controls).
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "nav", "aside", "iframe", "object", "embed",
    "svg", "math", "canvas", "select", "button", "textarea", "input", "map", "audio", "video",
    "title", "xml",
];

/// Elements that are paragraphs or hold paragraphs.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "ol",
    "p",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "ul",
    "footer",
    "listing",
    "plaintext",
    "xmp",
];

fn role(element: &Element, inside_article: bool, notes: Notes) -> Role {
    let name = element.name();
    let style = element
        .attr("style")
        .map(|s| s.to_ascii_lowercase().replace(' ', ""))
        .unwrap_or_default();
    let class = element.attr("class").unwrap_or("");
    let id = element.attr("id").unwrap_or("");
    if SKIPPED.contains(&name)
        || element.attr("hidden").is_some()
        || style.contains("display:none")
        || style.contains("mso-hide:all")
        || is_furniture(element, &style)
        || (!inside_article && matches!(name, "header" | "footer"))
        || (notes == Notes::Drop && is_note_list(&style, id))
    {
        return Role::Skip;
    }
    if is_note_mark(element, class) {
        return Role::NoteMark;
    }
    if style.contains("mso-list:ignore") {
        return Role::ListMarker;
    }
    match name {
        "br" => Role::Break,
        "tr" => Role::Row,
        "td" | "th" => Role::Cell,
        "pre" | "listing" | "xmp" | "plaintext" => Role::Pre,
        _ if BLOCKS.contains(&name) => Role::Block,
        _ => Role::Inline,
    }
}

/// Running headers and footers, and comments, as office suites write them into a page.
fn is_furniture(element: &Element, style: &str) -> bool {
    matches!(element.attr("title"), Some("header" | "footer"))
        || style.contains("mso-element:header")
        || style.contains("mso-element:footer")
        || style.contains("mso-element:comment")
        || element
            .attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == "msocomoff"))
}

/// The block holding a page's footnotes or endnotes: LibreOffice's `sdfootnote1` divs, Word's
/// `mso-element:footnote-list`.
fn is_note_list(style: &str, id: &str) -> bool {
    style.contains("mso-element:footnote")
        || style.contains("mso-element:endnote")
        || id.starts_with("sdfootnote")
        || id.starts_with("sdendnote")
}

/// A note reference: LibreOffice's `sdfootnoteanc` / `sdfootnotesym` links (and endnote
/// ones), its XHTML export's `footnodeNumber`, Word's `#_ftn1` / `#_ftnref1` links and
/// comment references (`MsoCommentReference`).
fn is_note_mark(element: &Element, class: &str) -> bool {
    let marked_class = class.split_whitespace().any(|c| {
        matches!(
            c,
            "sdfootnoteanc"
                | "sdfootnotesym"
                | "sdendnoteanc"
                | "sdendnotesym"
                | "footnodeNumber"
                | "MsoCommentReference"
                | "msocomanchor"
        )
    });
    let note_link = element.name() == "a"
        && element.attr("href").is_some_and(|href| {
            [
                "#_ftn",
                "#_edn",
                "#ftn",
                "#edn",
                "#body_ftn",
                "#body_edn",
                "#_msocom",
            ]
            .iter()
            .any(|prefix| href.starts_with(prefix))
        });
    marked_class || note_link
}

/// A paragraph that is a note, as LibreOffice's XHTML export writes notes at the end of the
/// page: its first element is the note's number (`<span class="footnodeNumber">`).
fn opens_note(node: ego_tree::NodeRef<'_, Node>) -> bool {
    node.children()
        .find_map(|child| child.value().as_element())
        .and_then(|first| first.attr("class"))
        .is_some_and(|class| class.split_whitespace().any(|c| c == "footnodeNumber"))
}

/// How whitespace pending before the next character is to be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Space {
    None,
    /// Spaces or tabs: one space.
    Plain,
    /// A run holding a line break (or a paragraph boundary inside a table cell): one space,
    /// or nothing next to a wide character.
    Break,
}

/// Builds the text line by line.
struct Writer {
    out: String,
    line: String,
    space: Space,
    /// Inside a `<pre>` (depth).
    pre: usize,
    /// Inside a table cell (depth): paragraph boundaries do not end the row's line.
    cell: usize,
    /// Cells written in the current row, per open table row.
    rows: Vec<usize>,
    /// Inside a Word list number (depth).
    list_marker: usize,
}

impl Writer {
    fn new(capacity: usize) -> Self {
        Writer {
            out: String::with_capacity(capacity),
            line: String::new(),
            space: Space::None,
            pre: 0,
            cell: 0,
            rows: Vec::new(),
            list_marker: 0,
        }
    }

    fn text(&mut self, text: &str) {
        for c in text.chars() {
            if self.pre > 0 {
                match c {
                    '\n' => self.end_line(),
                    '\r' => {}
                    _ => self.line.push(c),
                }
                continue;
            }
            if c.is_ascii_whitespace() || (self.list_marker > 0 && c.is_whitespace()) {
                if self.list_marker == 0 {
                    let breaks = matches!(c, '\n' | '\r');
                    self.space = match (self.space, breaks) {
                        (Space::Break, _) | (_, true) => Space::Break,
                        _ => Space::Plain,
                    };
                }
                continue;
            }
            self.pending_space(c);
            self.line.push(c);
        }
    }

    /// Writes the whitespace pending before `next`: none at the start of a line or after a
    /// tab, none across a line break next to a wide character.
    fn pending_space(&mut self, next: char) {
        let space = std::mem::replace(&mut self.space, Space::None);
        let Some(before) = self.line.chars().next_back() else {
            return;
        };
        if before == '\t' || before.is_whitespace() {
            return;
        }
        let wide = display_width(before) == 2 || display_width(next) == 2;
        match space {
            Space::None => {}
            Space::Plain => self.line.push(' '),
            Space::Break if wide => {}
            Space::Break => self.line.push(' '),
        }
    }

    /// A paragraph boundary: the line ends, unless inside a table cell, where the paragraphs
    /// of the cell are joined as a line break in the source would be.
    fn boundary(&mut self) {
        if self.cell > 0 {
            if !self.line.is_empty() {
                self.space = Space::Break;
            }
        } else {
            self.end_line();
        }
    }

    fn end_line(&mut self) {
        self.space = Space::None;
        let content = self.line.trim_end();
        // A line of nothing but spaces (Word's `<o:p>&nbsp;</o:p>`) is no paragraph.
        if !content.trim_start().is_empty() {
            self.out.push_str(content);
            self.out.push('\n');
        }
        self.line.clear();
    }

    fn open_cell(&mut self) {
        let first = match self.rows.last_mut() {
            Some(cells) => {
                *cells += 1;
                *cells == 1
            }
            None => true,
        };
        if !first {
            // Trailing spaces of the previous cell are not content.
            let kept = self.line.trim_end_matches([' ']).len();
            self.line.truncate(kept);
            self.line.push('\t');
        }
        self.space = Space::None;
        self.cell += 1;
    }
}

/// The text of a parsed page; `capacity`, a guess of its size.
fn render(page: &Html, notes: Notes, capacity: usize) -> String {
    let mut writer = Writer::new(capacity);
    let mut walk = Walk {
        notes,
        articles: 0,
        cited: if notes == Notes::Keep {
            cited_notes(page)
        } else {
            HashMap::new()
        },
        pending: Vec::new(),
        done: HashSet::new(),
    };
    let root = page.tree.root();
    walk.subtree(root, &mut writer);
    writer.end_line();
    walk.flush_notes_in(root, &mut writer);
    // A note whose mark was never written (inside something left out) is still text of the
    // page: written at the end, where the page had it.
    let moved: HashSet<NodeId> = walk.cited.values().copied().collect();
    for node in root.descendants() {
        if moved.contains(&node.id()) && walk.done.insert(node.id()) {
            walk.subtree(node, &mut writer);
            writer.end_line();
        }
    }
    writer.out
}

/// The notes a page cites: for each citing mark (a link to a note), the block holding the
/// note. A link back from the note to its mark is not one: it points to an earlier place.
fn cited_notes(page: &Html) -> HashMap<NodeId, NodeId> {
    let mut order = HashMap::new();
    let mut anchors: HashMap<&str, NodeId> = HashMap::new();
    for (index, node) in page.tree.root().descendants().enumerate() {
        order.insert(node.id(), index);
        if let Some(element) = node.value().as_element() {
            for name in [element.attr("id"), element.attr("name")]
                .into_iter()
                .flatten()
            {
                anchors.entry(name).or_insert(node.id());
            }
        }
    }
    let mut cited = HashMap::new();
    for node in page.tree.root().descendants() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        if !is_note_mark(element, element.attr("class").unwrap_or("")) {
            continue;
        }
        // The mark is the link itself or holds it (`<span class=footnodeNumber><a …>`).
        let link = std::iter::once(node)
            .chain(node.descendants())
            .find_map(|n| n.value().as_element()?.attr("href"));
        let Some(target) = link
            .and_then(|href| href.strip_prefix('#'))
            .and_then(|name| anchors.get(name))
            .and_then(|&id| page.tree.get(id))
        else {
            continue;
        };
        let Some(block) = note_block(target) else {
            continue;
        };
        let after = order.get(&block.id()) > order.get(&node.id());
        let contains_mark = node.ancestors().any(|a| a.id() == block.id());
        if after && !contains_mark {
            cited.insert(node.id(), block.id());
        }
    }
    cited
}

/// The block a note's anchor stands in: the note's own container (LibreOffice's
/// `sdfootnote1` div, Word's `mso-element:footnote` div), else the nearest paragraph.
fn note_block(anchor: NodeRef<'_, Node>) -> Option<NodeRef<'_, Node>> {
    let mut nearest_block = None;
    for node in std::iter::once(anchor).chain(anchor.ancestors()) {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let style = element
            .attr("style")
            .map(|s| s.to_ascii_lowercase().replace(' ', ""))
            .unwrap_or_default();
        let id = element.attr("id").unwrap_or("");
        if style.contains("mso-element:footnote-list") || style.contains("mso-element:endnote-list")
        {
            break;
        }
        if is_note_list(&style, id) {
            return Some(node);
        }
        if nearest_block.is_none() && matches!(element.name(), "p" | "div" | "li") {
            nearest_block = Some(node);
        }
        if matches!(element.name(), "body" | "html") {
            break;
        }
    }
    nearest_block
}

/// The state of a walk over the page.
struct Walk {
    notes: Notes,
    /// Open `article`/`main` elements, where `header` and `footer` belong to the article.
    articles: usize,
    /// Citing marks and the notes they cite ([`cited_notes`]): those notes are written after
    /// the paragraph citing them, not where the page has them.
    cited: HashMap<NodeId, NodeId>,
    /// Notes cited in the paragraph being written.
    pending: Vec<NodeId>,
    /// Notes written (each once, wherever cited again).
    done: HashSet<NodeId>,
}

impl Walk {
    /// Writes the text of `root` and what is inside it.
    fn subtree(&mut self, root: NodeRef<'_, Node>, writer: &mut Writer) {
        let moved: HashSet<NodeId> = self.cited.values().copied().collect();
        // The node whose subtree is being skipped, if any: nothing is written until it closes.
        let mut skipping = None;
        let mut roles = Vec::new();
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    if skipping.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(text) => writer.text(text),
                        Node::Element(element) => {
                            let mut role = role(element, self.articles > 0, self.notes);
                            if self.notes == Notes::Drop && role == Role::Block && opens_note(node)
                            {
                                role = Role::Skip;
                            }
                            if node.id() != root.id() && moved.contains(&node.id()) {
                                role = Role::Skip;
                            }
                            if matches!(element.name(), "article" | "main") {
                                self.articles += 1;
                            }
                            if role == Role::NoteMark {
                                if let Some(&note) = self.cited.get(&node.id()) {
                                    if self.done.insert(note) {
                                        self.pending.push(note);
                                    }
                                }
                            }
                            match role {
                                Role::Skip | Role::NoteMark => skipping = Some(node.id()),
                                Role::Block => self.boundary(root, writer),
                                Role::Row => {
                                    self.boundary(root, writer);
                                    writer.rows.push(0);
                                }
                                Role::Cell => writer.open_cell(),
                                Role::Pre => {
                                    self.boundary(root, writer);
                                    writer.pre += 1;
                                }
                                Role::Break => {
                                    if writer.cell > 0 {
                                        writer.boundary();
                                    } else {
                                        writer.end_line();
                                    }
                                }
                                Role::ListMarker => writer.list_marker += 1,
                                Role::Inline => {}
                            }
                            roles.push(role);
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if let Some(id) = skipping {
                        if id != node.id() {
                            continue;
                        }
                        skipping = None;
                    }
                    let Node::Element(element) = node.value() else {
                        continue;
                    };
                    if matches!(element.name(), "article" | "main") {
                        self.articles = self.articles.saturating_sub(1);
                    }
                    match roles.pop() {
                        Some(Role::Block) => self.boundary(root, writer),
                        Some(Role::Row) => {
                            writer.rows.pop();
                            self.boundary(root, writer);
                        }
                        Some(Role::Cell) => {
                            writer.cell = writer.cell.saturating_sub(1);
                            writer.space = Space::None;
                        }
                        Some(Role::Pre) => {
                            writer.pre = writer.pre.saturating_sub(1);
                            self.boundary(root, writer);
                        }
                        Some(Role::ListMarker) => {
                            writer.list_marker = writer.list_marker.saturating_sub(1)
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    /// A paragraph boundary; once a paragraph citing notes is out (outside a table), its
    /// notes follow it.
    fn boundary(&mut self, root: NodeRef<'_, Node>, writer: &mut Writer) {
        writer.boundary();
        if writer.cell == 0 && writer.line.is_empty() && !self.pending.is_empty() {
            self.flush_notes_in(root, writer);
        }
    }

    /// Writes the pending notes, each a paragraph (or more) of its own.
    fn flush_notes_in(&mut self, root: NodeRef<'_, Node>, writer: &mut Writer) {
        let notes = std::mem::take(&mut self.pending);
        for note in notes {
            if let Some(node) = root.tree().get(note) {
                self.subtree(node, writer);
                writer.end_line();
            }
        }
    }
}

mod charset;
#[cfg(test)]
pub(super) mod tests;
