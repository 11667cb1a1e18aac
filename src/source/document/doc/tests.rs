use std::io::Write;

use proptest::prelude::*;

use super::*;

const FIXTURE: &[u8] = include_bytes!("../../../../fixtures/documents/doc-report.doc");

/// A .doc as Word lays one out, reduced to what text extraction reads: a FIB, the text in the
/// given pieces (UTF-16, or 8-bit when `compressed`), a CLX in the table stream. `stories` are
/// the CP counts of main text, footnotes, headers, comments and endnotes, in that order; the
/// pieces' text is all the stories one after another.
fn build(pieces: &[(&str, bool)], stories: [u32; 5], flags: u16) -> Vec<u8> {
    const TEXT_AT: usize = 1024;
    let mut word = vec![0u8; TEXT_AT];
    word[0..2].copy_from_slice(&WORD_IDENT.to_le_bytes());
    word[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
    word[0x0A..0x0C].copy_from_slice(&flags.to_le_bytes());
    word[32..34].copy_from_slice(&14u16.to_le_bytes());
    word[62..64].copy_from_slice(&22u16.to_le_bytes());
    for (index, count) in [3, 4, 5, 7, 8].into_iter().zip(stories) {
        word[64 + 4 * index..68 + 4 * index].copy_from_slice(&count.to_le_bytes());
    }
    word[152..154].copy_from_slice(&93u16.to_le_bytes());
    // Text and piece descriptors.
    let mut cps = vec![0u32];
    let mut pcds = Vec::new();
    for &(text, compressed) in pieces {
        let fc = word.len() as u32;
        if compressed {
            word.extend(text.chars().map(|c| c as u8));
            pcds.extend_from_slice(&0u16.to_le_bytes());
            pcds.extend_from_slice(&((fc * 2) | 0x4000_0000).to_le_bytes());
        } else {
            word.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            pcds.extend_from_slice(&0u16.to_le_bytes());
            pcds.extend_from_slice(&fc.to_le_bytes());
        }
        pcds.extend_from_slice(&0u16.to_le_bytes());
        cps.push(cps[cps.len() - 1] + text.encode_utf16().count() as u32);
    }
    let mut plc: Vec<u8> = cps.iter().flat_map(|cp| cp.to_le_bytes()).collect();
    plc.extend(pcds);
    // A Prc before the Pcdt, as Word writes when pieces have properties.
    let mut clx = vec![0x01, 0x02, 0x00, 0xAA, 0xBB, 0x02];
    clx.extend((plc.len() as u32).to_le_bytes());
    clx.extend(plc);
    let mut table = vec![0u8; 16];
    let clx_at = table.len() as u32;
    table.extend(&clx);
    let pair = 154 + 8 * CLX_PAIR;
    word[pair..pair + 4].copy_from_slice(&clx_at.to_le_bytes());
    word[pair + 4..pair + 8].copy_from_slice(&(clx.len() as u32).to_le_bytes());

    let table_name = if flags & F_WHICH_TBL_STM != 0 {
        "/1Table"
    } else {
        "/0Table"
    };
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    file.create_stream("/WordDocument")
        .unwrap()
        .write_all(&word)
        .unwrap();
    file.create_stream(table_name)
        .unwrap()
        .write_all(&table)
        .unwrap();
    file.flush().unwrap();
    file.into_inner().into_inner()
}

fn read(pieces: &[(&str, bool)], stories: [u32; 5], notes: Notes) -> String {
    extract(&build(pieces, stories, 0), notes).expect("the built document reads")
}

fn cps(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

#[test]
fn paragraphs_and_pieces_of_both_widths() {
    let text = "标题\r正文第一段。\r";
    let latin = "Word 97 \u{93}quoted\u{94}\r";
    let out = read(
        &[(text, false), ("Word 97 \u{93}quoted\u{94}\r", true)],
        [cps(text) + cps(latin), 0, 0, 0, 0],
        Notes::Keep,
    );
    // Bytes 0x93 and 0x94 of an 8-bit piece are cp1252's curly quotes.
    assert_eq!(out, "标题\n正文第一段。\nWord 97 \u{201C}quoted\u{201D}\n");
}

#[test]
fn field_codes_are_removed_and_results_kept_nested_too() {
    let text = "见\u{13} HYPERLINK \"http://x\" \u{14}链接\u{15}文\u{13} IF \u{13} PAGE \u{14}1\u{15} = 1 \
                \u{14}是\u{15}末\u{13} PAGE \u{15}。\r";
    let out = read(&[(text, false)], [cps(text), 0, 0, 0, 0], Notes::Keep);
    assert_eq!(out, "见链接文是末。\n");
}

#[test]
fn special_characters_and_breaks() {
    let text = "图\u{01}形\u{08}批\u{05}注\u{02}一行\u{0B}二行\u{0C}新页\u{1F}可\u{1E}断\u{07}格\r";
    let out = read(&[(text, false)], [cps(text), 0, 0, 0, 0], Notes::Keep);
    assert_eq!(out, "图形批注一行\n二行\n新页可\u{2011}断\t格\n");
}

#[test]
fn notes_follow_the_main_text_and_headers_and_comments_never_come() {
    let main = "正文\u{02}。\r";
    let footnote = "\u{02} 脚注内容。\r";
    let header = "页眉文字\r\r";
    let comment = "\u{05}批注文字\r";
    let endnote = "\u{02} 尾注内容。\r";
    let all = format!("{main}{footnote}{header}{comment}{endnote}\r");
    let stories = [
        cps(main),
        cps(footnote),
        cps(header),
        cps(comment),
        cps(endnote),
    ];
    let kept = read(&[(&all, false)], stories, Notes::Keep);
    assert_eq!(kept, "正文。\n脚注内容。\n尾注内容。\n");
    assert_eq!(read(&[(&all, false)], stories, Notes::Drop), "正文。\n");
}

#[test]
fn an_encrypted_document_says_so() {
    let doc = build(&[("密\r", false)], [2, 0, 0, 0, 0], F_ENCRYPTED);
    assert!(matches!(
        extract(&doc, Notes::Keep),
        Err(DocumentError::Encrypted)
    ));
}

#[test]
fn the_table_stream_is_the_one_the_fib_names() {
    let doc = build(&[("一\r", false)], [2, 0, 0, 0, 0], F_WHICH_TBL_STM);
    assert_eq!(extract(&doc, Notes::Keep).unwrap(), "一\n");
}

#[test]
fn damage_is_a_clear_error() {
    let err = |bytes: &[u8]| match extract(bytes, Notes::Keep) {
        Err(DocumentError::Corrupt(cause)) => cause,
        other => panic!("expected a corrupt document, got {other:?}"),
    };
    assert!(err(b"not a compound file at all").contains("compound file"));
    // Text past the piece table's end.
    let doc = build(&[("短\r", false)], [10, 0, 0, 0, 0], 0);
    assert!(err(&doc).contains("does not cover"));
    // A compound file without a Word document inside, nor anything else known.
    let compound = |stream: &str| {
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        file.create_stream(stream).unwrap().write_all(b"x").unwrap();
        file.flush().unwrap();
        file.into_inner().into_inner()
    };
    assert!(err(&compound("/Unknown")).contains("WordDocument"));
    // An Excel workbook renamed .doc is named, not called damaged.
    assert!(matches!(
        extract(&compound("/Workbook"), Notes::Keep),
        Err(DocumentError::OtherFormat(what)) if what.contains("Excel")
    ));
}

#[test]
fn the_libreoffice_fixture_has_its_body_table_and_note_and_no_furniture() {
    let out = extract(FIXTURE, Notes::Keep).unwrap();
    assert!(
        out.contains("项目\t2020年\t2021年\n行政执法检查（次）\t36\t42\n"),
        "{out}"
    );
    // The note on the line after the paragraph citing it (its mark's CP), not at the end.
    let note = out
        .find("\n数据来源：东城区科信局2021年工作台账。\n")
        .expect("the note");
    let citing = out[..note].rsplit('\n').next().unwrap_or_default();
    assert!(
        citing.starts_with("根据《东城区2021年推进法治政府建设"),
        "{out}"
    );
    assert!(!out.ends_with("工作台账。\n"), "{out}");
    assert!(!out.contains("内部资料") && !out.contains("第1页"), "{out}");
    let dropped = extract(FIXTURE, Notes::Drop).unwrap();
    assert!(!dropped.contains("工作台账"));
}

#[test]
fn every_truncation_is_an_error_or_text_never_a_panic() {
    for len in (0..FIXTURE.len()).step_by(97) {
        let _ = extract(&FIXTURE[..len], Notes::Keep);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Bytes of the fixture overwritten anywhere (the FIB, the piece table, the FKPs, the
    /// compound file's own sectors): a result or an error, never a panic.
    #[test]
    fn mutated_documents_never_panic(
        edits in proptest::collection::vec((0usize..FIXTURE.len(), any::<u8>()), 1..16)
    ) {
        let mut bytes = FIXTURE.to_vec();
        for (at, byte) in edits {
            bytes[at] = byte;
        }
        let _ = extract(&bytes, Notes::Keep);
    }

    /// The same for the FIB and the table stream of a built document, where every offset
    /// read is one of ours.
    #[test]
    fn mutated_fibs_and_piece_tables_never_panic(
        edits in proptest::collection::vec((0usize..1200, any::<u8>()), 1..8)
    ) {
        let text = "甲乙\u{13}域\u{14}果\u{15}\r丙\u{07}丁\u{07}\u{07}\r";
        let mut bytes = build(&[(text, false), ("abc\r", true)], [cps(text) + 4, 0, 0, 0, 0], 0);
        // Find the WordDocument stream's start by its identifier, and mutate from there.
        let start = memchr::memmem::find(&bytes, &[0xEC, 0xA5, 0xC1, 0x00]).unwrap();
        for (at, byte) in edits {
            if let Some(b) = bytes.get_mut(start + at) {
                *b = byte;
            }
        }
        let _ = extract(&bytes, Notes::Keep);
    }
}

#[test]
fn the_libreoffice_fixture_meets_the_targets() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/documents/");
    let expected = std::fs::read_to_string(format!("{dir}doc-report.expected.txt")).unwrap();
    let furniture = std::fs::read_to_string(format!("{dir}doc-report.furniture.txt")).unwrap();
    let out = extract(FIXTURE, Notes::Keep).unwrap();
    crate::source::document::html::tests::check_fixture(
        "doc-report.doc",
        &out,
        &expected,
        &furniture,
    );
}

#[test]
fn tracked_deletions_and_hidden_text_are_left_out_insertions_kept() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/documents/");
    let doc = std::fs::read(format!("{dir}doc-revisions.doc")).unwrap();
    let expected = std::fs::read_to_string(format!("{dir}doc-revisions.expected.txt")).unwrap();
    let furniture = std::fs::read_to_string(format!("{dir}doc-revisions.furniture.txt")).unwrap();
    let out = extract(&doc, Notes::Keep).unwrap();
    crate::source::document::html::tests::check_fixture(
        "doc-revisions.doc",
        &out,
        &expected,
        &furniture,
    );
}

#[test]
fn characters_outside_the_basic_plane_are_read_whole() {
    // A surrogate pair is one character (and four bytes of the stream).
    let text = "𠀀字\u{0B}后\u{07}格\r";
    let out = read(&[(text, false)], [cps(text), 0, 0, 0, 0], Notes::Keep);
    assert_eq!(out, "𠀀字\n后\t格\n");
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/fixtures/documents/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn fixture_text(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap()
}

#[test]
fn automatic_numbers_are_written_as_the_lists_say() {
    let out = extract(&fixture("numbering.doc"), Notes::Keep).unwrap();
    assert_eq!(out, fixture_text("numbering.doc.expected.txt"));
    // What must not be touched: paragraphs without numbering keep no marker, a list restarts
    // on its own (the decimal list after another one), a style's number is the style's.
    for line in [
        "这一段是正文，没有自动编号，也不应有编号。\n",
        "另一份清单从头编号。\n1.加强备案审查。\n",
        "\n2.开展专题培训。\n",
        "\n第二章附则\n",
        "\n关于推进法治政府建设的报告\n",
    ] {
        let line = line.trim_start_matches('\n');
        assert!(out.contains(line), "{line:?} in {out}");
    }
}

#[test]
fn the_main_text_of_the_report_fixtures_is_numbered() {
    for twin in ["simplified", "traditional"] {
        let out = extract(&fixture(&format!("{twin}.doc")), Notes::Keep).unwrap();
        assert_eq!(out, fixture_text(&format!("{twin}.expected.txt")), "{twin}");
        // Notes have lists of their own: dropping them leaves the body's numbers as they are.
        let dropped = extract(&fixture(&format!("{twin}.doc")), Notes::Drop).unwrap();
        assert!(dropped.contains("\n（六）"), "{dropped}");
    }
}

#[test]
fn text_boxes_follow_the_main_text_and_styles_hide_text() {
    let out = extract(&fixture("boxes.doc"), Notes::Keep).unwrap();
    assert_eq!(out, fixture_text("boxes.expected.txt"));
    for hidden in fixture_text("boxes.hidden.txt").lines() {
        assert!(!out.contains(hidden), "{hidden} in {out}");
    }
    // A text box is body text: kept when notes are dropped, and read once.
    let dropped = extract(&fixture("boxes.doc"), Notes::Drop).unwrap();
    assert_eq!(dropped.matches("文本框里的说明文字").count(), 1);
}

#[test]
fn the_word_feature_fixtures_cut_or_mutated_never_panic() {
    for name in ["numbering.doc", "boxes.doc"] {
        let bytes = fixture(name);
        for len in (0..bytes.len()).step_by(211) {
            let _ = extract(&bytes[..len], Notes::Keep);
        }
        // Every seventh byte overwritten in turn (as 0xFF: counts and sizes at their largest):
        // the FIB, the lists, the styles, the note tables, the FKPs, the text.
        for at in (0..bytes.len()).step_by(7) {
            let mut mutated = bytes.clone();
            mutated[at] = 0xFF;
            let _ = extract(&mutated, Notes::Keep);
        }
    }
}

#[test]
fn a_number_alone_writes_no_line_and_joins_latin_with_a_space() {
    let mut out = String::new();
    let mut story = Story {
        out: &mut out,
        line: String::new(),
        fields: Vec::new(),
        soft_break: false,
        after_note_number: false,
        paragraph_start: false,
        after_label: false,
        label_only: false,
        notes: String::new(),
    };
    // An empty numbered paragraph: counted by the caller, but no line of its own.
    story.push_label("3.");
    story.end_line();
    story.push_label("4.");
    for c in "Scope".chars() {
        story.push(c);
    }
    story.end_line();
    story.push_label("一、");
    story.push('总');
    story.end_line();
    // No number: nothing added.
    story.push_label("");
    story.push('正');
    story.end_line();
    assert_eq!(out, "4. Scope\n一、总\n正\n");
}
