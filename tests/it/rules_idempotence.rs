//! Cleaning is idempotent — `clean(clean(x)) == clean(x)` — over generated documents full of
//! the artifacts the rules look for, and text that is already clean passes unchanged.

use proptest::prelude::*;

use zhclean::pipeline::ConvertMode;
use zhclean::{clean_str, Options};

fn options() -> Options {
    Options {
        convert: ConvertMode::Never,
        ..Options::default()
    }
}

fn clean(text: &str) -> String {
    clean_str(text, &options()).0
}

/// Pieces of text that real documents are made of, artifacts included.
const PIECES: &[&str] = &[
    "根据《条例》",
    "，",
    "。",
    "、",
    "：",
    "；",
    "结合工作实际",
    "加强组织领导",
    "習(xí)近平",
    "建設(shè)",
    "們(men)",
    "學(xue)",
    "(2021-2025年)",
    "(一)",
    "（一）",
    "(LED)",
    "世界卫生组织(WHO)",
    "1. ",
    "一、",
    "第三条　",
    " 2021 ",
    "年",
    "APP",
    " ",
    "  ",
    "\u{3000}",
    "\u{00A0}",
    "\t",
    "GB 50180",
    "3,000",
    "12:30",
    "Hello, world",
    "!",
    "?",
    ",",
    ":",
    "[bookmark: _GoBack]",
    "[image: 图片 1]",
    "[footnoteRef:2]",
    "\u{000C}",
    "100%",
    "http://a.cn/x?y=1,2",
    "“放管服”",
    "总 结 报 告",
];

/// Whole lines that mean something on their own.
const LINES: &[&str] = &[
    "",
    "",
    " ",
    "— 3 —",
    "- 4 -",
    "第5页 共10页",
    "2",
    "7",
    "运城市科学技术局",
    "2021年12月30日",
    "第 一 章  总 则",
    "[bookmark: _Toc123]",
];

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::collection::vec(prop::sample::select(PIECES), 1..30).prop_map(|p| p.concat()),
        1 => prop::sample::select(LINES).prop_map(str::to_string),
    ]
}

fn document() -> impl Strategy<Value = String> {
    (prop::collection::vec(line(), 0..40), prop::bool::ANY).prop_map(|(lines, final_newline)| {
        let mut text = lines.join("\n");
        if final_newline {
            text.push('\n');
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn cleaning_twice_changes_nothing(doc in document()) {
        let once = clean(&doc);
        let twice = clean(&once);
        prop_assert_eq!(twice, once);
    }
}

/// Pieces of text extracted from PDF files. Converter markers and pinyin annotations do not come
/// from PDFs: strip removes them line by line, before reflow, so one cut in half by a hard wrap
/// would only be whole (and removed) on a second run.
fn pdf_pieces() -> Vec<&'static str> {
    PIECES
        .iter()
        .copied()
        .filter(|p| {
            !p.contains('[')
                && !p.contains('\u{000C}')
                && !p.contains(['ī', 'è', 'í'])
                && !p.contains("(men)")
                && !p.contains("(xue)")
        })
        .collect()
}

/// A hard-wrapped document: paragraphs of Chinese cut every `width` characters, a heading before
/// each, as pdftotext writes them.
fn wrapped_document() -> impl Strategy<Value = String> {
    let paragraph =
        prop::collection::vec(prop::sample::select(pdf_pieces()), 20..80).prop_map(|p| p.concat());
    (prop::collection::vec(paragraph, 1..12), 14usize..40).prop_map(|(paragraphs, width)| {
        let mut lines = Vec::new();
        for (i, paragraph) in paragraphs.iter().enumerate() {
            lines.push(format!(
                "{}、标题",
                [
                    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"
                ][i]
            ));
            let chars: Vec<char> = paragraph.chars().filter(|c| *c != '\n').collect();
            for chunk in chars.chunks(width) {
                lines.push(chunk.iter().collect::<String>());
            }
        }
        lines.join("\n") + "\n"
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn cleaning_a_hard_wrapped_document_twice_changes_nothing(doc in wrapped_document()) {
        let once = clean(&doc);
        let twice = clean(&once);
        prop_assert_eq!(twice, once);
    }
}

#[test]
fn clean_documents_pass_unchanged() {
    let documents = [
        "东城区科信局\n2021年法治政府建设年度情况报告\n（一）加强组织领导\n根据《要点》，结合实际。\n",
        "第一条　根据宪法，制定本条例。\n总理　李克强\n标准GB 50180规定，共3,000元，于12:30召开。\n",
        "关于2021年法治政府建设的年度报告\n1.按照要求开展工作，学习强国APP学习。\n世界卫生组织（WHO）发布《纲要（2021-2025年）》。\n",
        "网址https://www.gov.cn/a?b=c见附件。\nHello, world.\n",
    ];
    for doc in documents {
        let (out, report) = clean_str(doc, &options());
        assert_eq!(out, doc);
        assert!(report.rules.is_empty(), "{:?}", report.rules);
    }
}

/// A line of more than a mebibyte is cleaned in pieces, and a piece never ends inside a
/// converter marker: the fault campaign's line of `[bookmark: _]` markers among replacement
/// characters (seed 3, a JSONL record) was cut after the marker's space, both halves were kept,
/// and a second cleaning, which reads the shorter output whole, removed the marker.
#[test]
fn a_line_over_a_mebibyte_loses_every_marker_once_for_all() {
    let input = "e缺\u{FFFD}[bookmark: _]\u{FFFD}\u{FFFD}\u{FFFD}".repeat(41_939);
    assert!(input.len() > zhclean::stages::MAX_LINE_BYTES);
    let once = clean(&input);
    assert!(!once.contains("bookmark"), "a marker cut in two is kept");
    assert_eq!(once.matches('缺').count(), 41_939);
    assert!(clean(&once) == once, "a second cleaning changed the output");
}

/// A line of more than a mebibyte made of pages (form feeds) is cut just after a form feed, so
/// no short line is cut in two: a cut inside one made an open piece, which reflow's title join
/// does not join, where a second cleaning, reading the output's short lines, joined the line
/// whole (the fault campaign's seed 5, input 688: IBM866 text with 67,000 form feeds and no
/// line break; each `╜(ш` is title-joined across the page break to the `к)…` that closes it).
#[test]
fn a_line_over_a_mebibyte_of_pages_is_cut_at_a_page_break() {
    let unit = "(gшк)Ёаешкч╜(шк)Ёаешкч\u{c}(gш\u{c}к)Ёаешкч\u{c}╜(ш\u{c}к)Ёаешкч";
    let copies = zhclean::stages::MAX_LINE_BYTES / unit.len() + 6;
    let input = unit.repeat(copies);
    assert!(input.len() > zhclean::stages::MAX_LINE_BYTES);
    let once = clean(&input);
    assert_eq!(
        once.matches("╜(шк)").count(),
        2 * copies,
        "a title join was not made"
    );
    assert!(clean(&once) == once, "a second cleaning changed the output");
}
