//! The page model on real pdftotext output: Word-like documents printed to PDF by LibreOffice
//! (`fixtures/pdftotext/make.py`), with a running header, a page-number footer in several styles
//! and footnotes. Every character of the document comes out, and nothing of the page furniture.

use crate::common;

use std::fs;
use std::path::Path;

use common::*;
use zhclean::pipeline::ConvertMode;
use zhclean::rules::Rule;
use zhclean::{clean_str, Options};

fn read(name: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/pdftotext")
            .join(name),
    )
    .unwrap()
}

fn han(text: &str) -> Vec<char> {
    text.chars().filter(|c| zhclean::text::is_han(*c)).collect()
}

/// Is `small` a subsequence of `big`?
fn is_subsequence(small: &[char], big: &[char]) -> bool {
    let mut big = big.iter();
    small.iter().all(|c| big.any(|b| b == c))
}

/// The footnotes `make.py` writes (their number in the body and at the foot removed).
fn footnote(n: usize) -> String {
    format!("本文第{n}条注释根据有关会议记录整理，仅供参考。")
}

fn clean(input: &str) -> (String, zhclean::report::CleanReport) {
    let options = Options {
        convert: ConvertMode::Never,
        ..Options::default()
    };
    clean_str(input, &options)
}

/// The body comes out whole and in order, the footnotes whole, and no other Han character: no
/// page number (`第1页共2页`), no running header.
fn assert_whole(input: &str, body: &str, footnotes: usize) -> String {
    let (output, report) = clean(input);
    let mut rest = output.clone();
    for n in 1..=footnotes {
        let note = footnote(n);
        assert!(
            output.lines().any(|l| l == note),
            "footnote {n} is not a paragraph of its own:\n{output}"
        );
        rest = rest.replacen(&note, "", 1);
    }
    let (want, got) = (han(body), han(&rest));
    assert!(is_subsequence(&want, &got), "body text lost:\n{output}");
    assert_eq!(got.len(), want.len(), "furniture left:\n{output}");
    // Each footnote's reference in the body and its own number at the foot.
    assert_eq!(report.rules.get(Rule::FootnoteMarker), 2 * footnotes as u64);
    assert_eq!(clean(&output).0, output, "not idempotent");
    output
}

#[test]
fn em_dash_footer_and_running_header() {
    let body = read("body-000.txt");
    let output = assert_whole(&read("emdash-footer.txt"), &body, 2);
    // The header printed above the title on page 1 is gone: the title is the first line.
    assert!(output.starts_with("东城区科信局\n"), "{output}");
}

#[test]
fn chinese_total_footer_in_layout_mode() {
    assert_whole(&read("total-footer.layout.txt"), &read("body-000.txt"), 2);
}

#[test]
fn bare_number_footer() {
    assert_whole(&read("bare-footer.txt"), &read("body-000.txt"), 2);
}

#[test]
fn five_pages_with_header_and_footnotes() {
    let (output, report) = clean(&read("header-footnotes.txt"));
    assert_eq!(report.rules.get(Rule::PageNumber), 5);
    assert_eq!(report.rules.get(Rule::RunningHeader), 5);
    // `第1页共5页` holds four Han characters, the header `内部资料` four.
    assert_eq!(report.rules.han(Rule::PageNumber), 5 * 4);
    assert_eq!(report.rules.han(Rule::RunningHeader), 5 * 4);
    assert_whole(&read("header-footnotes.txt"), &read("body-004.txt"), 5);
    assert!(!output.contains("内部资料"));
}

#[test]
fn check_diff_and_report_show_the_han_characters_removed() {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(
        tmp.path(),
        &[("doc.txt", read("header-footnotes.txt").as_bytes())],
    );
    zhclean()
        .current_dir(tmp.path())
        .args(["check", "doc.txt"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "page-number ×5 (20 Han removed), running-header ×5 (20 Han removed)",
        ));
    zhclean()
        .current_dir(tmp.path())
        .args(["diff", "doc.txt"])
        .assert()
        .code(1)
        .stdout(predicates::str::starts_with(
            "# Han characters removed: page-number 20, running-header 20\n--- doc.txt",
        ));
    zhclean()
        .current_dir(tmp.path())
        .args(["clean", "doc.txt", "-o", "out.txt", "--report", "r.jsonl"])
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_str(
        fs::read_to_string(tmp.path().join("r.jsonl"))
            .unwrap()
            .trim(),
    )
    .unwrap();
    assert_eq!(
        report["clean"]["removed_han"],
        serde_json::json!({"page-number": 20, "running-header": 20}),
        "{report}"
    );
}

#[test]
fn the_stages_after_strip_see_the_start_of_a_document_strip_holds_back() {
    // A short document is held whole while its page is read: conversion still finds its script
    // and reflow its wrap width in the first batch.
    for name in ["body-000.txt", "emdash-footer.txt"] {
        let (_, report) = clean_str(&read(name), &Options::default());
        assert_eq!(
            report.facts.get("script").map(String::as_str),
            Some("simplified"),
            "{name}"
        );
    }
}
