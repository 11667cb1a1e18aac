//! Word 97–2003 (.doc) and WPS Office (.wps) documents: the text of the piece table.
//!
//! Both are compound files (read with `cfb`) holding a `WordDocument` stream, whose File
//! Information Block (FIB) says where everything is, and a table stream (`0Table` or `1Table`,
//! as the FIB's `fWhichTblStm` says) holding the CLX: the piece table that maps character
//! positions (CPs) to the bytes of the text, 8-bit (cp1252, only ever Latin text) or UTF-16LE
//! pieces ([MS-DOC] 2.4.1, "Retrieving Text").
//!
//! The CPs are laid out story after story: the main document (`ccpText`), footnotes
//! (`ccpFtn`), headers and footers (`ccpHdd`), comments (`ccpAtn`), endnotes (`ccpEdn`), then
//! text boxes (`ccpTxbx`). The main document is read, each footnote and endnote on the lines
//! after the paragraph citing it ([`Notes::Keep`]; [`notes`] finds where), then the text boxes
//! (where each box stands is the drawing layer's, not the text's); headers, footers and
//! comments never.
//!
//! Automatic numbering is written before its paragraph (`一、`, `（一）`, `1.`) as Word shows
//! it: [`paragraphs`] says which list and level number a paragraph (directly or through its
//! style, [`styles`]), [`lists`] reads the lists into the counters shared with the .docx
//! reader.
//!
//! Inside a story: paragraph marks (0x0D) and page, section and column breaks end a line, a
//! vertical tab (0x0B, a manual line break) too (as `<br>` in HTML: reflow keeps such a break);
//! a field's code (from 0x13 to its 0x14) is left out and its result kept (a `HYPERLINK`'s text,
//! a date) — fields nest; the anchors of pictures (0x01), drawn objects (0x08), comments (0x05)
//! and note numbers (0x02) are not text. In a table, a cell ends with 0x07 (a tab here) and a
//! row with one more 0x07 in a paragraph the paragraph properties mark as a row end
//! (`sprmPFTtp`): that one ends the line, and paragraph marks inside a cell do not.
//!
//! Tracked deletions (still in the text stream until accepted) and hidden text are left out,
//! from the character properties (`sprmCFRMarkDel`, `sprmCFVanish` on the run or in its
//! styles: [`runs`]); tracked insertions are text like any other.
//!
//! A damaged file is an error that says what is wrong, never a panic: every offset read from
//! the file is checked against the stream it points into.

use std::io::{Cursor, Read};
use std::ops::Range;

use encoding_rs::WINDOWS_1252;

use super::numbering::WordNumbering;
use super::{DocumentError, Notes, MAX_PART_BYTES};
use crate::text::display_width;
use paragraphs::Paragraphs;
use runs::HiddenRuns;

mod lists;
mod notes;
mod paragraphs;
mod runs;
mod styles;

/// `wIdent` of a Word 97+ FIB.
const WORD_IDENT: u16 = 0xA5EC;
/// FibBase flags.
const F_ENCRYPTED: u16 = 0x0100;
const F_WHICH_TBL_STM: u16 = 0x0200;
/// Index of the `fcClx`/`lcbClx` pair in FibRgFcLcb97, and of `fcPlcfBtePapx`.
const CLX_PAIR: usize = 33;
const BTE_PAPX_PAIR: usize = 13;
/// Indexes of the `fcStshf`, `fcPlfLst` and `fcPlfLfo` pairs: the styles, the lists and the
/// list instances.
const STSHF_PAIR: usize = 1;
const PLF_LST_PAIR: usize = 73;
const PLF_LFO_PAIR: usize = 74;
/// Indexes of the pairs locating footnote and endnote reference marks and texts.
const FTN_REF_PAIR: usize = 2;
const FTN_TXT_PAIR: usize = 3;
const EDN_REF_PAIR: usize = 46;
const EDN_TXT_PAIR: usize = 47;
/// Index of the `fcPlcfBteChpx` pair in FibRgFcLcb97.
const BTE_CHPX_PAIR: usize = 12;

/// Reads a .doc or .wps into text: one paragraph per line, each ended by `\n`.
pub(crate) fn extract(bytes: &[u8], notes: Notes) -> Result<String, DocumentError> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| corrupt(format!("not a readable compound file ({e})")))?;
    if !file.is_stream("/WordDocument") {
        return Err(match other_compound_file(&file) {
            Some(what) => DocumentError::OtherFormat(what),
            None => corrupt("no WordDocument stream: not a Word document"),
        });
    }
    let word = read_stream(&mut file, "/WordDocument")?;
    let fib = Fib::parse(&word)?;
    let table_name = if fib.which_table {
        "/1Table"
    } else {
        "/0Table"
    };
    if !file.is_stream(table_name) {
        return Err(corrupt(format!("no {} stream", &table_name[1..])));
    }
    let table = read_stream(&mut file, table_name)?;
    let pieces = Pieces::parse(slice(&table, fib.clx.clone(), "the piece table")?)?;
    // Paragraph properties tell table rows apart and number lists: without them (damaged),
    // cells still come out as tabs, paragraphs without their numbers.
    let styles = styles::read(&table, fib.stshf.clone());
    let paragraphs = Paragraphs::parse(&word, &table, fib.bte_papx.clone(), &styles);
    let hidden = HiddenRuns::parse(&word, &table, fib.bte_chpx.clone(), &styles);
    let numbering = lists::parse(&table, fib.plf_lst.clone(), fib.plf_lfo.clone());

    let mut reader = Reader {
        word: &word,
        pieces: &pieces,
        paragraphs: &paragraphs,
        hidden: &hidden,
        numbering: None,
        notes: Vec::new(),
    };
    let main = 0..fib.ccp_text;
    let footnotes = main.end..main.end.saturating_add(fib.ccp_ftn);
    let endnotes_start = footnotes
        .end
        .saturating_add(fib.ccp_hdd)
        .saturating_add(fib.ccp_atn);
    let endnotes = endnotes_start..endnotes_start.saturating_add(fib.ccp_edn);
    // Each note is read first (with no numbering: a note's lists must not disturb the body's
    // counters), to be written after the paragraph citing it; a story whose reference tables
    // cannot be read is written whole after the text instead.
    let mut uncited = Vec::new();
    if notes == Notes::Keep {
        for (story, refs, texts) in [
            (footnotes, &fib.ftn_ref, &fib.ftn_txt),
            (endnotes.clone(), &fib.edn_ref, &fib.edn_txt),
        ] {
            match notes::cited(&table, refs.clone(), texts.clone(), story.clone()) {
                Some(cited) => {
                    for (cp, range) in cited {
                        let mut text = String::new();
                        reader.story(range, &mut text)?;
                        reader.notes.push((cp, Some(text)));
                    }
                }
                None => uncited.push(story),
            }
        }
    }
    reader.notes.sort_by_key(|&(cp, _)| cp);
    reader.numbering = Some(numbering);
    let mut out = String::new();
    reader.story(main.clone(), &mut out)?;
    // Text boxes: their story follows the comments and endnotes; each box's paragraphs in
    // the order the boxes were made, after the main text (where each box stands in it is
    // the drawing layer's, not the text's).
    let text_boxes = endnotes.end;
    reader.story(
        text_boxes..text_boxes.saturating_add(fib.ccp_txbx),
        &mut out,
    )?;
    reader.numbering = None;
    // Notes whose mark was not met (in a text box, or damage): after the text, never lost.
    for (_, text) in std::mem::take(&mut reader.notes) {
        out.push_str(&text.unwrap_or_default());
    }
    for story in uncited {
        reader.story(story, &mut out)?;
    }
    Ok(out)
}

/// What a compound file without a WordDocument stream is, when its streams say. `.wps` is
/// Microsoft Works' extension too: its word-processor files are compound files of a format of
/// their own (a `CONTENTS` stream; in Works 3 and 4, a `MatOST` storage), whose bytes read as
/// a Word document would be garbage. Excel and PowerPoint files come here renamed.
fn other_compound_file(file: &cfb::CompoundFile<Cursor<&[u8]>>) -> Option<&'static str> {
    if file.is_stream("/CONTENTS") || file.exists("/MatOST") {
        Some(
            "a Microsoft Works document (Works names its files .wps too), which zhclean does \
             not read: open it in LibreOffice and save it as .docx",
        )
    } else if file.is_stream("/Workbook") || file.is_stream("/Book") {
        Some("an Excel workbook, not a Word document")
    } else if file.is_stream("/PowerPoint Document") {
        Some("a PowerPoint presentation, not a Word document")
    } else {
        None
    }
}

fn corrupt(cause: impl Into<String>) -> DocumentError {
    DocumentError::Corrupt(cause.into())
}

fn read_stream(
    file: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    name: &str,
) -> Result<Vec<u8>, DocumentError> {
    let stream = file
        .open_stream(name)
        .map_err(|e| corrupt(format!("{}: {e}", &name[1..])))?;
    if stream.len() > MAX_PART_BYTES {
        return Err(DocumentError::TooLarge {
            what: name[1..].to_string(),
            limit_mib: MAX_PART_BYTES >> 20,
        });
    }
    let mut data = Vec::new();
    stream
        .take(MAX_PART_BYTES)
        .read_to_end(&mut data)
        .map_err(|e| corrupt(format!("{}: {e}", &name[1..])))?;
    Ok(data)
}

/// `bytes[range]`, or an error naming what the range was to hold.
fn slice<'a>(bytes: &'a [u8], range: Range<usize>, what: &str) -> Result<&'a [u8], DocumentError> {
    bytes
        .get(range)
        .ok_or_else(|| corrupt(format!("{what} lies outside its stream")))
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// What the File Information Block says, of what text extraction needs.
#[derive(Debug)]
struct Fib {
    which_table: bool,
    ccp_text: u32,
    ccp_ftn: u32,
    ccp_hdd: u32,
    ccp_atn: u32,
    ccp_edn: u32,
    ccp_txbx: u32,
    /// Where the CLX is in the table stream.
    clx: Range<usize>,
    /// Where the PlcBtePapx is in the table stream.
    bte_papx: Range<usize>,
    /// Where the PlcBteChpx is in the table stream.
    bte_chpx: Range<usize>,
    /// Where the STSH (styles), PlfLst (lists) and PlfLfo (list instances) are in the table
    /// stream; empty when the FIB has none.
    stshf: Range<usize>,
    plf_lst: Range<usize>,
    plf_lfo: Range<usize>,
    /// Where the footnote and endnote reference marks and texts are listed.
    ftn_ref: Range<usize>,
    ftn_txt: Range<usize>,
    edn_ref: Range<usize>,
    edn_txt: Range<usize>,
}

impl Fib {
    fn parse(word: &[u8]) -> Result<Fib, DocumentError> {
        let short = || corrupt("the WordDocument stream is cut short");
        let ident = u16_at(word, 0).ok_or_else(short)?;
        if ident != WORD_IDENT {
            return Err(corrupt(format!(
                "not a Word document (FIB identifier {ident:#06x})"
            )));
        }
        let flags = u16_at(word, 0x0A).ok_or_else(short)?;
        if flags & F_ENCRYPTED != 0 {
            return Err(DocumentError::Encrypted);
        }
        let nfib = u16_at(word, 2).ok_or_else(short)?;
        // Word 6/95 files say 101..=105 here (Word 97 and later files 0xC1 and up, some
        // writers 0x00C0 or less with a Word 97 layout: the layout, not nFib, decides below).
        if (101..=105).contains(&nfib) {
            return Err(corrupt(
                "a Word 6.0/95 document, which this reader does not read: save it as Word 97-2003 or .docx",
            ));
        }
        // FibBase (32 bytes), csw + fibRgW, cslw + fibRgLw, cbRgFcLcb + fibRgFcLcbBlob.
        let csw = usize::from(u16_at(word, 32).ok_or_else(short)?);
        let lw = 34 + 2 * csw;
        let cslw = usize::from(u16_at(word, lw).ok_or_else(short)?);
        let lw = lw + 2;
        if cslw < 11 {
            return Err(corrupt("the FIB has too few counts"));
        }
        let count = |index: usize| u32_at(word, lw + 4 * index).ok_or_else(short);
        let fc_lcb_count = lw + 4 * cslw;
        let pairs = usize::from(u16_at(word, fc_lcb_count).ok_or_else(short)?);
        if pairs <= CLX_PAIR {
            return Err(corrupt("the FIB has no piece table entry"));
        }
        let pair = |index: usize| -> Result<Range<usize>, DocumentError> {
            let at = fc_lcb_count + 2 + 8 * index;
            let fc = u32_at(word, at).ok_or_else(short)? as usize;
            let lcb = u32_at(word, at + 4).ok_or_else(short)? as usize;
            Ok(fc..fc.saturating_add(lcb))
        };
        // A FIB of fewer pairs (older writers) has no lists: no numbering, not an error.
        let optional = |index: usize| -> Result<Range<usize>, DocumentError> {
            if index < pairs {
                pair(index)
            } else {
                Ok(0..0)
            }
        };
        Ok(Fib {
            which_table: flags & F_WHICH_TBL_STM != 0,
            ccp_text: count(3)?,
            ccp_ftn: count(4)?,
            ccp_hdd: count(5)?,
            ccp_atn: count(7)?,
            ccp_edn: count(8)?,
            ccp_txbx: count(9)?,
            clx: pair(CLX_PAIR)?,
            bte_papx: pair(BTE_PAPX_PAIR)?,
            bte_chpx: pair(BTE_CHPX_PAIR)?,
            stshf: optional(STSHF_PAIR)?,
            plf_lst: optional(PLF_LST_PAIR)?,
            plf_lfo: optional(PLF_LFO_PAIR)?,
            ftn_ref: pair(FTN_REF_PAIR)?,
            ftn_txt: pair(FTN_TXT_PAIR)?,
            edn_ref: optional(EDN_REF_PAIR)?,
            edn_txt: optional(EDN_TXT_PAIR)?,
        })
    }
}

/// One piece of the piece table: the CPs it holds and where their bytes are.
#[derive(Clone, Copy, Debug)]
struct Piece {
    cp_start: u32,
    cp_end: u32,
    /// Byte offset of the first character in the WordDocument stream.
    offset: usize,
    /// 8-bit (cp1252) rather than UTF-16LE.
    compressed: bool,
}

struct Pieces(Vec<Piece>);

impl Pieces {
    /// The pieces of a CLX: any number of Prc (property modifiers, skipped), then the Pcdt.
    fn parse(clx: &[u8]) -> Result<Pieces, DocumentError> {
        let short = || corrupt("the piece table is cut short");
        let mut at = 0;
        loop {
            match clx.get(at) {
                Some(0x01) => {
                    let size = u16_at(clx, at + 1).ok_or_else(short)?;
                    // cbGrpprl is a signed 16-bit size; a negative one is damage.
                    if size > 0x3FA2 {
                        return Err(corrupt("a piece table modifier has a bad size"));
                    }
                    at += 3 + usize::from(size);
                }
                Some(0x02) => break,
                Some(other) => {
                    return Err(corrupt(format!(
                        "unexpected byte {other:#04x} in the piece table"
                    )))
                }
                None => return Err(short()),
            }
        }
        let lcb = u32_at(clx, at + 1).ok_or_else(short)? as usize;
        let plc = clx
            .get(at + 5..(at + 5).saturating_add(lcb))
            .ok_or_else(short)?;
        // PlcPcd: n + 1 CPs (4 bytes), then n PCDs (8 bytes).
        if plc.len() < 4 || (plc.len() - 4) % 12 != 0 {
            return Err(corrupt("the piece table has a bad size"));
        }
        let n = (plc.len() - 4) / 12;
        let mut pieces = Vec::with_capacity(n);
        for i in 0..n {
            let cp_start = u32_at(plc, 4 * i).ok_or_else(short)?;
            let cp_end = u32_at(plc, 4 * (i + 1)).ok_or_else(short)?;
            if cp_end < cp_start {
                return Err(corrupt("the piece table's positions go backwards"));
            }
            let fc = u32_at(plc, 4 * (n + 1) + 8 * i + 2).ok_or_else(short)?;
            let compressed = fc & 0x4000_0000 != 0;
            let fc = fc & 0x3FFF_FFFF;
            let offset = if compressed { fc / 2 } else { fc } as usize;
            pieces.push(Piece {
                cp_start,
                cp_end,
                offset,
                compressed,
            });
        }
        Ok(Pieces(pieces))
    }
}

/// The 512-byte FKP pages a bin table (PlcBtePapx or PlcBteChpx: n + 1 file offsets, then n
/// page numbers) points to, each page once (a damaged table listing one page a million times
/// must not multiply the work), those outside the WordDocument stream left out.
fn fkp_pages<'a>(word: &'a [u8], table: &'a [u8], bte: Range<usize>) -> Vec<&'a [u8]> {
    let Some(plc) = table.get(bte) else {
        return Vec::new();
    };
    if plc.len() < 4 || (plc.len() - 4) % 8 != 0 {
        return Vec::new();
    }
    let n = (plc.len() - 4) / 8;
    let mut seen = std::collections::HashSet::new();
    (0..n)
        .filter_map(|i| u32_at(plc, 4 * (n + 1) + 4 * i))
        .map(|pn| (pn & 0x003F_FFFF) as usize * 512)
        .filter(|&page| seen.insert(page))
        .filter_map(|page| word.get(page..page + 512))
        .collect()
}

/// The sprms of a grpprl, with their operands.
struct Sprms<'a>(&'a [u8]);

impl<'a> Iterator for Sprms<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let sprm = u16_at(self.0, 0)?;
        let rest = &self.0[2..];
        let size = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            // Variable. sprmTDefTable (table properties, in a row end's paragraph properties)
            // has a two-byte size, counting one byte more than follows it; sprmPChgTabs with
            // the size byte 255 has a layout of its own (never met in a row end): stop there.
            _ if sprm == 0xD608 => 2 + usize::from(u16_at(rest, 0)?).saturating_sub(1),
            _ if sprm == 0xC615 && rest.first() == Some(&255) => return None,
            _ => 1 + usize::from(*rest.first()?),
        };
        let operand = rest.get(..size)?;
        self.0 = &rest[size..];
        Some((sprm, operand))
    }
}

/// Reads stories out of the pieces.
struct Reader<'a> {
    word: &'a [u8],
    pieces: &'a Pieces,
    paragraphs: &'a Paragraphs,
    hidden: &'a HiddenRuns,
    /// The lists' counters; `None` in notes.
    numbering: Option<WordNumbering>,
    /// The notes to write after the paragraph citing them: (the CP of the reference mark,
    /// the note's lines until written), sorted.
    notes: Vec<(u32, Option<String>)>,
}

/// The text being written and the state of the story being read.
struct Story<'a> {
    out: &'a mut String,
    line: String,
    /// Open fields: whether each one is past its separator (showing its result).
    fields: Vec<bool>,
    /// The last paragraph mark or cell mark joined inside a table cell: a soft break.
    soft_break: bool,
    /// Just after a note number (0x02): the space Word types after it is not text either.
    after_note_number: bool,
    /// Notes cited in the current line, written after it.
    notes: String,
    /// No character of the current paragraph read yet: its number is still to be written.
    paragraph_start: bool,
    /// The line holds a paragraph's number and nothing else yet: an empty numbered paragraph
    /// writes no line (as the .docx reader writes none).
    label_only: bool,
    /// The paragraph's number was just written (`1.`): a space goes between it and a Latin
    /// word (`1. Scope`), as the .docx reader joins them, and none before Chinese (`1.完善`).
    after_label: bool,
}

impl Reader<'_> {
    /// Appends the text of the CPs `range` (one story) to `out`.
    fn story(&mut self, range: Range<u32>, out: &mut String) -> Result<(), DocumentError> {
        if range.is_empty() {
            return Ok(());
        }
        let mut story = Story {
            out,
            line: String::new(),
            fields: Vec::new(),
            soft_break: false,
            after_note_number: false,
            paragraph_start: true,
            after_label: false,
            label_only: false,
            notes: String::new(),
        };
        let mut covered = range.start;
        // Copied out of `self`, which each character borrows mutably (the counters).
        let (pieces, word) = (self.pieces, self.word);
        for piece in &pieces.0 {
            let start = piece.cp_start.max(range.start);
            let end = piece.cp_end.min(range.end);
            if start >= end {
                continue;
            }
            covered = covered.max(end);
            let width = if piece.compressed { 1 } else { 2 };
            let first = piece.offset + (start - piece.cp_start) as usize * width;
            let len = (end - start) as usize * width;
            let bytes = slice(word, first..first.saturating_add(len), "a piece of text")?;
            if piece.compressed {
                for (i, &b) in bytes.iter().enumerate() {
                    let c = if b < 0x80 { char::from(b) } else { cp1252(b) };
                    self.char(&mut story, c, first + i, start + i as u32);
                }
            } else {
                // The byte offset of each character (a pair of surrogates is 4 bytes): the
                // paragraph and character properties are found by it.
                let mut at = first;
                for unit in char::decode_utf16(
                    bytes
                        .chunks_exact(2)
                        .map(|pair| u16::from_le_bytes([pair[0], pair[1]])),
                ) {
                    // A lone surrogate is kept visible, not dropped.
                    let c = unit.unwrap_or(char::REPLACEMENT_CHARACTER);
                    let cp = start + ((at - first) / 2) as u32;
                    self.char(&mut story, c, at, cp);
                    at += 2 * c.len_utf16();
                }
            }
        }
        if covered < range.end {
            return Err(corrupt("the piece table does not cover the text"));
        }
        story.end_line();
        Ok(())
    }

    /// One character of a story, at byte `offset` of the WordDocument stream, CP `cp`.
    fn char(&mut self, story: &mut Story<'_>, c: char, offset: usize, cp: u32) {
        let paragraph = self.paragraphs.at(offset);
        let hidden = self.hidden.contains(offset, paragraph.style_vanish);
        if std::mem::take(&mut story.paragraph_start) {
            // Counted whatever the paragraph holds, as Word counts it; written unless its text
            // starts hidden (a hidden paragraph shows no number).
            if let (Some((ilfo, ilvl)), Some(numbering)) = (paragraph.list, &mut self.numbering) {
                let label = numbering.label(&ilfo.to_string(), usize::from(ilvl));
                if !hidden {
                    story.push_label(&label);
                }
            }
        }
        if c == '\u{02}' && !self.notes.is_empty() {
            // A reference mark: its notes go after this line (before the hidden-text check:
            // a note is never lost with its mark).
            let first = self.notes.partition_point(|&(at, _)| at < cp);
            for (_, text) in self.notes[first..]
                .iter_mut()
                .take_while(|(at, _)| *at == cp)
            {
                story.notes.push_str(&text.take().unwrap_or_default());
            }
        }
        if hidden {
            return;
        }
        match c {
            '\u{13}' => {
                story.fields.push(false);
                return;
            }
            '\u{14}' => {
                if let Some(top) = story.fields.last_mut() {
                    *top = true;
                }
                return;
            }
            '\u{15}' => {
                story.fields.pop();
                return;
            }
            _ => {}
        }
        if story.fields.iter().any(|&result| !result) {
            return;
        }
        match c {
            // Paragraph mark, page or section break, column break.
            '\r' | '\u{0C}' | '\u{0E}' => {
                match paragraph.table {
                    Some(_) if c == '\r' => story.soft_break = true,
                    _ => story.end_line(),
                }
                // A page or column break inside a paragraph does not start another.
                story.paragraph_start |= c == '\r';
            }
            '\u{0B}' => story.end_line(),
            '\u{07}' => {
                match paragraph.table {
                    Some(true) => story.end_line(),
                    _ => {
                        let kept = story.line.trim_end_matches(' ').len();
                        story.line.truncate(kept);
                        story.line.push('\t');
                        story.soft_break = false;
                    }
                }
                // A cell mark ends the cell's last paragraph.
                story.paragraph_start = true;
            }
            '\t' => story.push('\t'),
            // Non-breaking hyphen.
            '\u{1E}' => story.push('\u{2011}'),
            '\u{02}' => story.after_note_number = true,
            // Optional hyphen, the anchors of pictures, drawn objects, comments, note numbers
            // and every other control character: not text.
            c if c.is_control() => {}
            c => story.push(c),
        }
    }
}

impl Story<'_> {
    /// A paragraph's number, before its first character.
    fn push_label(&mut self, label: &str) {
        if label.is_empty() {
            return;
        }
        for c in label.chars() {
            self.push(c);
        }
        self.after_label = true;
        self.label_only = true;
    }

    fn push(&mut self, c: char) {
        self.label_only = false;
        if std::mem::take(&mut self.after_label)
            && self.line.ends_with(|b: char| b.is_ascii_graphic())
            && c.is_ascii_alphanumeric()
        {
            self.line.push(' ');
        }
        if std::mem::take(&mut self.after_note_number) && c == ' ' {
            self.after_note_number = true;
            return;
        }
        if std::mem::take(&mut self.soft_break) {
            // Paragraphs of one table cell: joined, with a space between two words only.
            let before = self.line.chars().next_back();
            if before.is_some_and(|b| b != '\t' && display_width(b) == 1 && display_width(c) == 1) {
                self.line.push(' ');
            }
        }
        self.line.push(c);
    }

    fn end_line(&mut self) {
        self.soft_break = false;
        let label_only = std::mem::take(&mut self.label_only);
        let content = self.line.trim_end();
        if !content.trim_start().is_empty() && !label_only {
            self.out.push_str(content);
            self.out.push('\n');
        }
        self.line.clear();
        self.out.push_str(&std::mem::take(&mut self.notes));
    }
}

/// The characters of cp1252 from 0x80 ([MS-DOC] 2.4.1: 8-bit pieces hold cp1252 text).
fn cp1252(b: u8) -> char {
    WINDOWS_1252
        .decode_without_bom_handling(&[b])
        .0
        .chars()
        .next()
        .unwrap_or(char::REPLACEMENT_CHARACTER)
}

#[cfg(test)]
mod tests;
