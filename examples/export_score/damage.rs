//! Synthetic damage: the faults of exported text, made on purpose from a clean reference (one
//! paragraph per line), so that the cleaner is scored on many more layouts than the real
//! exports hold. Shared by `examples/export_score` (`--damage SEED`) and `tests/it/exports.rs`
//! (the ceilings).
//!
//! Each kind imitates what a tool does to a document, with the settings a document would have
//! drawn from the seed:
//!
//! - `wrap`: hard wraps at a page's width, as pdftotext writes a PDF's lines. Widths are
//!   measured in columns (Han and full-width punctuation 2, ASCII 1); a Latin word or number is
//!   never cut; closing punctuation that does not fit hangs at the end of its line, as Word
//!   sets it. A document indents the first line of its paragraphs (the indent dropped, as
//!   pdftotext drops it, or printed as two ideographic spaces) or not, and sets its paragraphs
//!   a blank line apart or not.
//! - `pages`: `wrap`, then pages of 25 to 40 lines: a running header on every page (or none),
//!   a page-number footer in one of the common styles, a form feed between pages.
//! - `pinyin`: pinyin glued after characters (`设(shè)`), as content farms and Word's phonetic
//!   guide leave it: the pairs of the fifth seed, on about a third of their occurrences.
//! - `markers`: Tika's bookmark and image markers: `[bookmark: _GoBack]` at a paragraph's end,
//!   `[bookmark: _Toc…]` before headings, an `[image: 图片 1]` line between paragraphs.
//! - `tika`: pinyin and markers, as Tika reads a Word document that holds both (no wraps: Word's
//!   text has none).
//! - `pages-pinyin`: pinyin, then pages: a document with glued pinyin printed to PDF and read by
//!   pdftotext (the annotations take room in the line, and a wrap may fall between a character
//!   and its annotation).

/// The kinds of damage, in the order reports list them.
pub const KINDS: [&str; 6] = ["wrap", "pages", "pinyin", "markers", "tika", "pages-pinyin"];

/// A small deterministic generator (xorshift64*): a seed must give the same damage whatever the
/// version of a random-number crate.
pub struct Rng(u64);

impl Rng {
    /// A generator for one document and kind: the seed, the document's name and the kind mixed,
    /// so that adding a document or a kind changes no other document's damage.
    pub fn for_case(seed: u64, doc: &str, kind: &str) -> Rng {
        // FNV-1a over the names, then the seed.
        let mut h: u64 = 0xCBF2_9CE4_8422_2325;
        for b in doc.bytes().chain([0]).chain(kind.bytes()) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
        }
        Rng((h ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// `reference` damaged by `kind` (one of [`KINDS`]), deterministic in `seed` and `doc`.
pub fn damage(reference: &str, doc: &str, kind: &str, seed: u64) -> String {
    let mut rng = Rng::for_case(seed, doc, kind);
    let paragraphs: Vec<String> = reference.lines().map(str::to_owned).collect();
    let traditional = doc.ends_with("-tw");
    let lines = match kind {
        "wrap" => wrap(&paragraphs, &mut rng),
        "pages" => paginate(wrap(&paragraphs, &mut rng), &paragraphs, &mut rng),
        "pinyin" => annotate(&paragraphs, traditional, &mut rng),
        "markers" => mark(&paragraphs, &mut rng),
        "tika" => mark(&annotate(&paragraphs, traditional, &mut rng), &mut rng),
        "pages-pinyin" => {
            let annotated = annotate(&paragraphs, traditional, &mut rng);
            paginate(wrap(&annotated, &mut rng), &paragraphs, &mut rng)
        }
        _ => panic!("unknown kind of damage: {kind} (one of {KINDS:?})"),
    };
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Columns a character takes in a PDF's line: ASCII and Latin letters (pinyin's tone marks
/// among them) 1, everything else 2.
fn columns(c: char) -> usize {
    if (c as u32) < 0x250 {
        1
    } else {
        2
    }
}

/// Closing punctuation, which Word lets overhang the margin rather than start a line.
fn hangs(c: char) -> bool {
    "，。、；：？！）」』”’》〉】,.;:?!)".contains(c)
}

/// A paragraph cut into what a line break may not split: a marker (`[bookmark: …]`), a run of
/// Latin letters and digits (a word, a number, a pinyin annotation), or one character.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = if rest.starts_with("[bookmark: ") || rest.starts_with("[image: ") {
            rest.find(']').map_or(rest.len(), |end| end + 1)
        } else if c != ' ' && columns(c) == 1 {
            rest.find(|c: char| c == ' ' || columns(c) != 1)
                .unwrap_or(rest.len())
        } else {
            c.len_utf8()
        };
        out.push(&rest[..len]);
        rest = &rest[len..];
    }
    out
}

/// How a document sets the first line of its paragraphs.
#[derive(Clone, Copy, PartialEq)]
enum Indent {
    None,
    /// Indented two characters in the layout, the indent lost in the text (pdftotext).
    Dropped,
    /// Indented with two ideographic spaces typed in the text.
    Typed,
}

/// Hard wraps at a width drawn for the document (18 to 36 Han characters).
fn wrap(paragraphs: &[String], rng: &mut Rng) -> Vec<String> {
    let width = 2 * (18 + rng.below(19));
    let indent = [Indent::None, Indent::Dropped, Indent::Typed][rng.below(3)];
    let blank_between = rng.chance(30);
    let mut out = Vec::new();
    for (n, paragraph) in paragraphs.iter().enumerate() {
        if blank_between && n > 0 {
            out.push(String::new());
        }
        // The title (the first line) and the short lines (headings) are not indented.
        let indented = indent != Indent::None && n > 0 && paragraph.chars().count() > 20;
        let mut line = String::new();
        let mut used = 0;
        if indented {
            used = 4;
            if indent == Indent::Typed {
                line.push_str("\u{3000}\u{3000}");
            }
        }
        for token in tokens(paragraph) {
            let w: usize = token.chars().map(columns).sum();
            let first = token.chars().next().unwrap_or(' ');
            let hanging = token.chars().count() == 1 && hangs(first);
            if used + w > width && used > 0 && !hanging {
                out.push(line.trim_end_matches(' ').to_owned());
                line.clear();
                used = 0;
                if token == " " {
                    continue;
                }
            }
            line.push_str(token);
            used += w;
        }
        out.push(line);
    }
    out
}

/// The page-number styles a footer takes, `{n}` the page and `{m}` the count.
const FOOTERS: [&str; 7] = [
    "— {n} —",
    "- {n} -",
    "第 {n} 页 共 {m} 页",
    "第{n}页",
    "{n}",
    "{n} / {m}",
    "·{n}·",
];

/// Running headers a document carries on every page, or none (the empty one).
const HEADERS: [&str; 5] = [
    "",
    "",
    "某某市人民政府办公室",
    "法治政府建设年度报告",
    "人民日报",
];

/// Lines set in pages: the header at the top, the number at the foot, a form feed between.
fn paginate(lines: Vec<String>, paragraphs: &[String], rng: &mut Rng) -> Vec<String> {
    let per_page = 25 + rng.below(16);
    let footer = rng.pick(&FOOTERS);
    // A header may also repeat the document's title, as Word's "same as the title" header does.
    let title = paragraphs.first().map(String::as_str).unwrap_or("");
    let header = if rng.chance(15) && title.chars().count() <= 20 {
        title
    } else {
        rng.pick(&HEADERS)
    };
    let pages: Vec<&[String]> = lines.chunks(per_page).collect();
    let count = pages.len();
    let mut out = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let mut first = String::new();
        if i > 0 {
            first.push('\u{c}');
        }
        if !header.is_empty() {
            first.push_str(header);
            out.push(std::mem::take(&mut first));
        }
        for line in page.iter() {
            first.push_str(line);
            out.push(std::mem::take(&mut first));
        }
        let number = (i + 1).to_string();
        out.push(
            footer
                .replace("{n}", &number)
                .replace("{m}", &count.to_string()),
        );
    }
    // pdftotext ends the last page with a form feed too.
    out.push("\u{c}".to_owned());
    out
}

/// Pinyin annotations as the fifth seed carries them: the character (Traditional, Simplified)
/// and its syllable.
const ANNOTATED: [(char, char, &str); 30] = [
    ('設', '设', "shè"),
    ('規', '规', "guī"),
    ('責', '责', "zé"),
    ('務', '务', "wù"),
    ('學', '学', "xué"),
    ('執', '执', "zhí"),
    ('習', '习', "xí"),
    ('創', '创', "chuàng"),
    ('關', '关', "guān"),
    ('復', '复', "fù"),
    ('領', '领', "lǐng"),
    ('網', '网', "wǎng"),
    ('發', '发', "fā"),
    ('應', '应', "yīng"),
    ('導', '导', "dǎo"),
    ('現', '现', "xiàn"),
    ('續', '续', "xù"),
    ('優', '优', "yōu"),
    ('風', '风', "fēng"),
    ('質', '质', "zhì"),
    ('訓', '训', "xùn"),
    ('術', '术', "shù"),
    ('結', '结', "jié"),
    ('監', '监', "jiān"),
    ('環', '环', "huán"),
    ('權', '权', "quán"),
    ('數', '数', "shù"),
    ('態', '态', "tài"),
    ('協', '协', "xié"),
    ('內', '内', "nèi"),
];

fn annotate(paragraphs: &[String], traditional: bool, rng: &mut Rng) -> Vec<String> {
    paragraphs
        .iter()
        .map(|p| {
            let mut out = String::with_capacity(p.len() * 2);
            for c in p.chars() {
                out.push(c);
                let found = ANNOTATED
                    .iter()
                    .find(|&&(t, s, _)| c == if traditional { t } else { s });
                if let Some((_, _, syllable)) = found {
                    if rng.chance(35) {
                        out.push('(');
                        out.push_str(syllable);
                        out.push(')');
                    }
                }
            }
            out
        })
        .collect()
}

fn mark(paragraphs: &[String], rng: &mut Rng) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(paragraphs.len() + 1);
    let go_back = rng.below(paragraphs.len().max(1));
    let image_after = if paragraphs.len() > 3 && rng.chance(50) {
        Some(1 + rng.below(paragraphs.len() - 2))
    } else {
        None
    };
    for (n, p) in paragraphs.iter().enumerate() {
        let heading = n > 0 && p.chars().count() <= 20;
        let mut line = String::new();
        if heading && rng.chance(50) {
            line.push_str(&format!("[bookmark: _Toc{}]", 100_000 + rng.below(900_000)));
        }
        line.push_str(p);
        if n == go_back {
            line.push_str("[bookmark: _GoBack]");
        }
        out.push(line);
        if image_after == Some(n) {
            out.push("[image: 图片 1]".to_owned());
        }
    }
    out
}
