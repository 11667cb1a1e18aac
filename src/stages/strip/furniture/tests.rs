use super::*;
use crate::stages::strip::page::{edge_key, MAX_HEADER_CHARS};

fn rules() -> FurnitureRules {
    FurnitureRules {
        page_numbers: true,
        running_headers: true,
        footnotes: true,
        footnote_markers: true,
    }
}

/// Runs the window over lines as a document (`\u{c}` alone is a form feed), learning from them
/// first as the strip stage does; the lines out, and what was counted.
fn run_lines(lines: &[&str]) -> (Vec<Line>, Counts) {
    run_lines_with(Furniture::new(rules()), lines)
}

fn run_lines_with(mut furniture: Furniture, lines: &[&str]) -> (Vec<Line>, Counts) {
    let batch: Vec<Line> = lines.iter().map(|l| Line::new(*l)).collect();
    if lines.contains(&"\u{000C}") {
        furniture.expect_form_feeds();
    }
    furniture.learn(&batch);
    let mut out = Vec::new();
    let mut counts = Counts::default();
    for line in lines {
        if *line == "\u{000C}" {
            furniture.form_feed(&mut out, &mut counts);
        } else {
            furniture.push(Line::new(*line), &mut out, &mut counts);
        }
    }
    furniture.finish(&mut out, &mut counts);
    (out, counts)
}

fn run(lines: &[&str]) -> (Vec<String>, Counts) {
    let (out, counts) = run_lines(lines);
    (out.into_iter().map(|l| l.text).collect(), counts)
}

fn texts(out: &[String]) -> Vec<&str> {
    out.iter()
        .map(String::as_str)
        .filter(|l| !l.is_empty())
        .collect()
}

fn page(n: usize) -> String {
    format!("第{n}页的正文，").repeat(30)
}

#[test]
fn bare_numbers_that_climb_between_breaks_are_page_numbers() {
    let (p1, p2, p3) = (page(1), page(2), page(3));
    let (out, counts) = run(&[&p1, "", "1", "", &p2, "", "2", "", &p3, "", "3"]);
    assert_eq!(counts.get(Rule::PageNumber), 3);
    assert_eq!(texts(&out), [&p1, &p2, &p3]);
}

/// Under `--blank-line` output a gap is two empty lines: cleaning puts one between any two
/// paragraphs, so a number the first cleaning kept (the fuzz finding: a page of text, then `2`
/// on the next line) stands between blank lines in its output and must stay there.
#[test]
fn under_blank_line_output_a_gap_is_two_empty_lines() {
    let p1 = page(1);
    let blank_line = || Furniture::new(rules()).with_blank_line_output(true);
    let numbers = |(out, counts): (Vec<Line>, Counts)| {
        let kept = out.iter().filter(|l| l.text == "2").count();
        (counts.get(Rule::PageNumber), kept)
    };
    // The first cleaning's input and its output, and a number between single blank lines.
    for lines in [
        &[p1.as_str(), "2"][..],
        &[&p1, "", "2"],
        &[&p1, "", "2", "", &p1],
    ] {
        assert_eq!(
            numbers(run_lines_with(blank_line(), lines)),
            (0, 1),
            "{lines:?}"
        );
    }
    // Two empty lines around it (what no cleaned text has): a page number still.
    for lines in [
        &[p1.as_str(), "", "", "2"][..],
        &[&p1, "", "", "2", "", "", &p1],
    ] {
        assert_eq!(
            numbers(run_lines_with(blank_line(), lines)),
            (1, 0),
            "{lines:?}"
        );
    }
    // Without the option one empty line is a gap.
    assert_eq!(numbers(run_lines(&[&p1, "", "2"])), (1, 0));
}

#[test]
fn numbers_in_a_table_or_list_are_kept() {
    // A numbered table: numbers climb, but no page of text lies between them.
    let (out, counts) = run(&["序号", "", "1", "", "张三", "", "2", "", "李四"]);
    assert_eq!(counts.get(Rule::PageNumber), 0);
    assert!(out.contains(&"1".to_string()) && out.contains(&"2".to_string()));
    // Not isolated: a number right before text.
    let p1 = page(1);
    let (_, counts) = run(&[&p1, "", "1", "正文"]);
    assert_eq!(counts.get(Rule::PageNumber), 0);
    // Not climbing: 7 after a page of text with no page 6 before it.
    let (_, counts) = run(&[&p1, "", "7", ""]);
    assert_eq!(counts.get(Rule::PageNumber), 0);
    // Not after a gap.
    let (_, counts) = run(&[&p1, "1", "", "正文"]);
    assert_eq!(counts.get(Rule::PageNumber), 0);
    // A number inside a page of a paged document is no page number.
    let (out, counts) = run(&[&p1, "", "5", "", &p1, "- 1 -", "\u{000C}", &p1]);
    assert_eq!(counts.get(Rule::PageNumber), 1);
    assert!(out.contains(&"5".to_string()));
}

#[test]
fn a_bare_footer_on_the_last_line_of_a_paged_document() {
    // The last page is short: the number is still the next one, at the page edge.
    let (p1, p2) = (page(1), page(2));
    let (out, counts) = run(&[
        &p1,
        "",
        "1",
        "\u{000C}",
        &p2,
        "",
        "2",
        "\u{000C}",
        "结束。",
        "3",
    ]);
    assert_eq!(counts.get(Rule::PageNumber), 3);
    assert_eq!(texts(&out), [p1.as_str(), p2.as_str(), "结束。"]);
}

#[test]
fn running_headers_at_page_edges() {
    let p1 = page(1);
    let (out, counts) = run(&[
        "运城市科技局文件",
        "关于年度报告的通知",
        &p1,
        "运城市科技局文件",
        "- 1 -",
        "\u{000C}",
        "运城市科技局文件",
        "正文",
        &p1,
        "运城市科技局文件",
        "- 2 -",
        "\u{000C}",
    ]);
    // At the top of page 1 (above the title) the header goes too; at the foot it is a footer.
    assert_eq!(counts.get(Rule::RunningHeader), 4);
    assert_eq!(counts.han(Rule::RunningHeader), 4 * 8);
    assert_eq!(counts.get(Rule::PageNumber), 2);
    assert_eq!(texts(&out), ["关于年度报告的通知", &p1, "正文", &p1]);
}

#[test]
fn a_line_next_to_a_page_number_is_not_furniture_for_that() {
    // Body lines stand next to `— N —` on every page; none repeats, none goes.
    let p = page(1);
    let lines = [
        &p as &str,
        "（一）加强组织领导",
        "— 1 —",
        "\u{000C}",
        "落实到具体责任科室。",
        &p,
        "二、存在的问题",
        "— 2 —",
        "\u{000C}",
        "三、下一步工作计划",
        &p,
        "确保及时解决。",
        "— 3 —",
    ];
    let (out, counts) = run(&lines);
    assert_eq!(counts.get(Rule::RunningHeader), 0);
    assert_eq!(counts.get(Rule::PageNumber), 3);
    for line in [
        "（一）加强组织领导",
        "落实到具体责任科室。",
        "二、存在的问题",
        "三、下一步工作计划",
        "确保及时解决。",
    ] {
        assert!(out.iter().any(|l| l == line), "{line} lost");
    }
}

#[test]
fn a_line_cut_after_a_comma_is_text_wherever_it_repeats() {
    // Paragraphs that open with the same words, wrapped after them at the foot of two pages
    // (synthetic damage, `export_score --damage 1`: 11 Han characters lost in doc016). A
    // footer never ends inside a sentence.
    let p = page(1);
    let lines = [
        &p as &str,
        "根据《运城市“九五”规划纲要》，",
        "第 1 页 共 3 页",
        "\u{000C}",
        &p,
        "根据《运城市“九五”规划纲要》，",
        "第 2 页 共 3 页",
        "\u{000C}",
        &p,
        "见附件《实施方案》、",
        "第 3 页 共 3 页",
    ];
    let (out, counts) = run(&lines);
    assert_eq!(counts.get(Rule::RunningHeader), 0);
    assert_eq!(counts.get(Rule::PageNumber), 3);
    assert_eq!(
        out.iter()
            .filter(|l| l.as_str() == "根据《运城市“九五”规划纲要》，")
            .count(),
        2
    );
    // The same line without the comma is a footer on both pages.
    let lines = lines.map(|l| l.strip_suffix('，').unwrap_or(l));
    let (_, counts) = run(&lines);
    assert_eq!(counts.get(Rule::RunningHeader), 2);
}

#[test]
fn a_repeated_sentence_wrapped_alike_is_text_at_two_depths_from_the_foot() {
    // A document that says one sentence twice, wrapped the same way by pdftotext: one copy of
    // a wrapped line one line in from the foot of page 1, the other at the foot of page 2
    // (a held-out export lost its 25 Han characters so). A footer keeps its place.
    let p = page(1);
    let wrapped = "宣传形式，大力宣传法律知识，让群众知法、学法、用法，增强大众";
    let lines = [
        "某某局",
        &p as &str,
        "利用各种媒体、平台、渠道及时发布相关政策信息，利用灵活多样的",
        wrapped,
        "利用法律武器保护自己合法权益的意识，从侧面推进法治政府建设。",
        "-1-",
        "\u{000C}",
        "某某局",
        &p,
        "利用各种媒体、平台、渠道及时发布相关政策信息，利用灵活多样的",
        wrapped,
        "-2-",
        "\u{000C}",
        "某某局",
        "利用法律武器保护自己合法权益的意识，从侧面推进法治政府建设。",
        &p,
        "-3-",
    ];
    let (out, counts) = run(&lines);
    assert_eq!(counts.han(Rule::RunningHeader), 3 * 3, "{out:#?}");
    assert_eq!(out.iter().filter(|l| l.as_str() == wrapped).count(), 2);
}

#[test]
fn a_footer_is_removed_once_per_page_and_only_from_the_edge() {
    // The signature equals the footer: the footer at the edge goes, the signature stays.
    let p = page(1);
    let (out, counts) = run(&[
        &p,
        "运城市科学技术局",
        "— 1 —",
        "\u{000C}",
        &p,
        "运城市科学技术局",
        "运城市科学技术局",
        "— 2 —",
        "\u{000C}",
    ]);
    assert_eq!(counts.get(Rule::RunningHeader), 2);
    assert_eq!(texts(&out), [&p, &p, "运城市科学技术局"]);
    // A footer behind a body line is not reached.
    let (out, _) = run(&[
        &p,
        "内部资料",
        "— 1 —",
        "\u{000C}",
        &p,
        "内部资料",
        "— 2 —",
        "\u{000C}",
        "内部资料",
        "结束。",
        "— 3 —",
    ]);
    assert_eq!(texts(&out), [&p, &p, "内部资料", "结束。"]);
}

#[test]
fn digits_may_differ_only_in_a_line_about_pages() {
    let p = page(1);
    let (out, counts) = run(&[
        &p,
        "年度报告 第1页",
        "\u{000C}",
        &p,
        "年度报告 第2页",
        "\u{000C}",
    ]);
    assert_eq!(counts.get(Rule::RunningHeader), 2);
    assert_eq!(texts(&out), [&p, &p]);
    // Appendix headings at page tops are headings.
    let (out, counts) = run(&["附件1", &p, "\u{000C}", "附件2", &p, "\u{000C}"]);
    assert_eq!(counts.get(Rule::RunningHeader), 0);
    assert_eq!(texts(&out), ["附件1", &p, "附件2", &p]);
}

#[test]
fn a_doubled_first_line_loses_its_first_copy() {
    let (out, counts) = run(&["年度报告", "年度报告", "正文。"]);
    assert_eq!(out, ["", "年度报告", "正文。"]);
    assert_eq!(counts.get(Rule::RunningHeader), 1);
    // Three copies: not a header printed above its title (and cleaning again would take
    // another).
    let lines = ["年度报告", "年度报告", "年度报告", "正文。"];
    assert_eq!(run(&lines).0, lines);
    // Nor when the line after them begins with the copy: reflow may have joined the next line
    // to a third copy (`年度报告` + `，正文。`), and a second cleaning reads this.
    let lines = ["年度报告", "年度报告", "年度报告，正文。"];
    assert_eq!(run(&lines).0, lines);
    // Not a short title line: kept.
    let (out, _) = run(&["正文。", "正文。"]);
    assert_eq!(out, ["正文。", "正文。"]);
    // Copies apart only by the spaces polish takes away are copies: the output has them
    // alike, and a second cleaning would take the first.
    let (out, _) = run(&["2021年度报告", "2021 年度报告", "正文。"]);
    assert_eq!(out, ["", "2021 年度报告", "正文。"]);
    // Spaces polish keeps (between English words) still tell lines apart.
    let lines = ["Annual report", "Annualreport", "正文。"];
    assert_eq!(run(&lines).0, lines);
    // Nor by the width of a bracket polish widens in Chinese text: both come out `年度（一）`.
    let (out, _) = run(&["年度(一)", "年度 （一）", "正文。"]);
    assert_eq!(out, ["", "年度 （一）", "正文。"]);
    // In English text the bracket stays narrow, and the lines stay apart.
    let lines = ["Report (1)", "Report （1）", "正文。"];
    assert_eq!(run(&lines).0, lines);
    // Nor by their script: convert decides each paragraph apart, and may make them alike.
    let (out, _) = run(&["國家報告", "国家报告", "正文。"]);
    assert_eq!(out, ["", "国家报告", "正文。"]);
    // So a third line that begins with the copy in the other script makes three: none goes.
    let lines = ["国家报告", "国家报告", "國家報告的正文。"];
    assert_eq!(run(&lines).0, lines);
}

#[test]
fn without_page_structure_nothing_changes() {
    let lines = [
        "标题",
        "正文一。",
        "标题",
        "",
        "3",
        "",
        "内部资料",
        "正文二。1",
        "1本文根据会议记录整理。",
    ];
    let (out, counts) = run(&lines);
    assert_eq!(out, lines);
    assert!(counts.is_empty());
}

#[test]
fn footnotes_at_the_page_foot() {
    let p = page(1);
    let (out, counts) = run_lines(&[
        &p,
        "请遵照执行。1",
        "接下来的正文，",
        "1本文根据会议记录",
        "整理。",
        "",
        "— 1 —",
        "\u{000C}",
        "继续。",
    ]);
    let text: Vec<&str> = out.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        text,
        [
            &p,
            "请遵照执行。",
            "接下来的正文，",
            "本文根据会议记录",
            "整理。",
            "",
            "",
            "",
            "继续。"
        ]
    );
    let marked: Vec<&str> = out
        .iter()
        .filter(|l| l.footnote)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(marked, ["本文根据会议记录", "整理。"]);
    assert_eq!(counts.get(Rule::Footnote), 1);
    // The reference and the note's own number.
    assert_eq!(counts.get(Rule::FootnoteMarker), 2);
}

#[test]
fn a_reference_alone_on_a_line_goes_with_its_footnote() {
    let p = page(1);
    let (out, counts) = run(&[
        &p,
        "将年度工作目标",
        "1",
        "",
        "分解落实。",
        "1本文根据会议记录整理。",
        "",
        "—1—",
        "\u{000C}",
    ]);
    assert_eq!(counts.get(Rule::FootnoteMarker), 2);
    assert!(!out.contains(&"1".to_string()));
    assert!(out.contains(&"本文根据会议记录整理。".to_string()));
}

#[test]
fn no_reference_without_its_footnote() {
    // The page ends in a number-led body line, not a footnote: the glued digit stays.
    let p = page(1);
    let (out, counts) = run(&[
        &p,
        "完成了目标。1",
        "证明事项",
        "5 项：企业产权归属证明",
        "— 1 —",
        "\u{000C}",
    ]);
    assert_eq!(counts.get(Rule::FootnoteMarker), 0);
    assert_eq!(counts.get(Rule::Footnote), 0);
    assert!(out.contains(&"完成了目标。1".to_string()));
    // Two places the reference could be: neither is touched.
    let (out, counts) = run(&[&p, "一是。1", "二是。1", "1本文。", "— 1 —", "\u{000C}"]);
    assert_eq!(counts.get(Rule::FootnoteMarker), 0);
    assert!(out.contains(&"一是。1".to_string()) && out.contains(&"二是。1".to_string()));
}

#[test]
fn a_long_page_is_released_as_it_grows() {
    let line = "长".repeat(1000);
    let mut furniture = Furniture::new(rules());
    let mut out = Vec::new();
    let mut counts = Counts::default();
    let mut held_max = 0;
    for _ in 0..1000 {
        furniture.push(Line::new(line.clone()), &mut out, &mut counts);
        held_max = held_max.max(furniture.page_bytes);
    }
    furniture.finish(&mut out, &mut counts);
    assert!(held_max <= MAX_PAGE_BYTES + line.len());
    assert_eq!(out.len(), 1000);
    assert!(out.iter().all(|l| l.text == line));
}

#[test]
fn a_header_printed_once_above_a_one_page_document() {
    // Tika's text of a .docx: the header, the body signed by the same office, the footer.
    let p = page(1);
    for footer in [&["— 1 —"] as &[&str], &["", "1"]] {
        let mut lines = vec![
            "义乌市商务局",
            "关于工作的通知",
            &p,
            "义乌市商务局",
            "1998年11月5日",
        ];
        lines.extend(footer);
        let (out, counts) = run(&lines);
        assert_eq!(
            texts(&out),
            ["关于工作的通知", &p, "义乌市商务局", "1998年11月5日"],
            "{footer:?}"
        );
        assert_eq!(counts.get(Rule::RunningHeader), 1);
        assert_eq!(counts.get(Rule::PageNumber), 1);
    }
    // Without the footer at the end it is the document's own first line (a seed begins and
    // signs with its office): kept.
    let lines = [
        "运城市科学技术局",
        &p as &str,
        "运城市科学技术局",
        "2021年12月30日",
    ];
    let (out, counts) = run(&lines);
    assert_eq!(out, lines);
    assert!(counts.is_empty());
    // A first page ending in its number, with pages after it: no lone header.
    let (out, _) = run(&[
        "运城市科学技术局",
        &p,
        "运城市科学技术局",
        "— 1 —",
        &p,
        "— 2 —",
    ]);
    assert_eq!(texts(&out)[0], "运城市科学技术局");
}

/// Tika's text of a .docx whose header holds the page number under its lines: the header's
/// lines, then the number, then the text, nothing between them; the number at the top tells
/// the lines above it for the header's, whether they repeat or not.
#[test]
fn a_header_above_the_page_number_on_top() {
    let p = page(1);
    let body = [
        "关于工作的报告",
        &p as &str,
        "义乌市教育局",
        "1998年7月28日",
    ];
    for (header, number) in [
        (&["义乌市教育局文件", "1998年第18期"] as &[&str], "— 1 —"),
        (&["南海区商务局"], "－1－"),
        (&["昆山市发展和改革委员会", "1998年第16期"], "- 1 -"),
        (&["义乌市教育局文件"], "第 1 页 共 4 页"),
    ] {
        let mut lines = header.to_vec();
        lines.push(number);
        lines.extend(body);
        // Tika writes the empty footer's paragraph last.
        lines.push("");
        let (out, counts) = run(&lines);
        assert_eq!(texts(&out), body, "{lines:?}");
        assert_eq!(
            counts.get(Rule::RunningHeader),
            header.len() as u64,
            "{lines:?}"
        );
        assert_eq!(counts.get(Rule::PageNumber), 1, "{lines:?}");
        // Cleaning the output again changes nothing.
        let (again, counts) = run(&body);
        assert_eq!(again, body);
        assert!(counts.is_empty());
    }
    // What it must not touch: a title above text (no header), a first paragraph or three
    // lines above the number, a number that is no `1`, and a `1` with a gap under it (a cover
    // page's number in a PDF's text). The number goes all the same.
    for lines in [
        vec!["关于工作的报告", &p, "义乌市教育局", "1998年7月28日"],
        vec!["本报告说明如下。", "— 1 —", &p],
        vec!["义乌市教育局", "内部资料", "1998年第18期", "— 1 —", &p],
        vec!["义乌市教育局", "— 3 —", &p],
        vec!["关于工作的报告", "— 1 —", "", &p],
    ] {
        let (out, counts) = run(&lines);
        let kept: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| !l.is_empty() && !l.contains('—'))
            .collect();
        assert_eq!(texts(&out), kept, "{lines:?}");
        assert_eq!(counts.get(Rule::RunningHeader), 0, "{lines:?}");
    }
    // Nor a bare `1`: kept (it is no evidence a second cleaning loses), its lines stay with it.
    for lines in [
        vec![
            "义乌市教育局文件",
            "1998年第18期",
            "1",
            "关于工作的报告",
            &p,
        ],
        vec!["目录", "1", "总则", "2", "附则", &p],
    ] {
        let (out, counts) = run(&lines);
        assert_eq!(out, lines, "{lines:?}");
        assert!(counts.is_empty(), "{lines:?}");
    }
}

/// The lone header is not taken where what is left would begin with a doubled line: the
/// doubled-first-line rule would take that line's first copy on a second cleaning (the fuzz
/// finding was three lines of `�`, then `第3頁共10頁`, which lost one `�` on each cleaning;
/// lines of U+FFFD alone now make no doubled line at all).
#[test]
fn a_lone_header_leaves_no_doubled_first_line() {
    let p = page(1);
    let lines = [
        "义乌市商务局",
        "年度报告",
        "年度报告",
        &p,
        "义乌市商务局",
        "— 1 —",
    ];
    let (out, counts) = run(&lines);
    let kept = &lines[..lines.len() - 1];
    assert_eq!(texts(&out), kept);
    assert_eq!(counts.get(Rule::RunningHeader), 0);
    assert_eq!(counts.get(Rule::PageNumber), 1);
    // And cleaning what is left changes nothing.
    let (again, counts) = run(kept);
    assert_eq!(again, kept);
    assert!(counts.is_empty());
    // Lines of U+FFFD alone make no doubled line: the lone header goes, and what is left
    // cleans to itself.
    let (out, counts) = run(&[
        "\u{FFFD}",
        "\u{FFFD}",
        "\u{FFFD}",
        "\u{FFFD}\u{FFFD}",
        "第3頁共10頁",
    ]);
    let kept = ["\u{FFFD}", "\u{FFFD}", "\u{FFFD}\u{FFFD}"];
    assert_eq!(texts(&out), kept);
    assert_eq!(counts.get(Rule::RunningHeader), 1);
    let (again, counts) = run(&kept);
    assert_eq!(again, kept);
    assert!(counts.is_empty());
    // What it must not touch: a lone header followed by two different lines still goes, and a
    // doubled first line still loses its first copy.
    let (out, counts) = run(&["义乌市商务局", "年度报告", &p, "义乌市商务局", "— 1 —"]);
    assert_eq!(texts(&out), ["年度报告", &p, "义乌市商务局"]);
    assert_eq!(counts.get(Rule::RunningHeader), 1);
    let (out, counts) = run(&["年度报告", "年度报告", &p, "— 1 —"]);
    assert_eq!(texts(&out), ["年度报告", &p]);
    assert_eq!(counts.get(Rule::RunningHeader), 1);
}

/// The doubled first line is decided on the lines as they come out: running headers taken off
/// the top of the first pages can leave two copies of a line first, which a second cleaning
/// would take (the fuzz finding: `�`, a form feed, `�` `�` `�`).
#[test]
fn a_doubled_first_line_left_by_other_removals() {
    let lines = ["年报", "\u{000C}", "年报", "年报", "年报"];
    let (out, counts) = run(&lines);
    assert_eq!(texts(&out), ["年报"]);
    assert_eq!(counts.get(Rule::RunningHeader), 3);
    let (again, counts) = run(&["年报"]);
    assert_eq!(again, ["年报"]);
    assert!(counts.is_empty());
    // Lines of U+FFFD alone are no header printed twice (`holds_a_letter`): the running
    // headers go, the two lines left stay, and cleaning them again changes nothing.
    let lines = ["\u{FFFD}", "\u{000C}", "\u{FFFD}", "\u{FFFD}", "\u{FFFD}"];
    let (out, counts) = run(&lines);
    assert_eq!(texts(&out), ["\u{FFFD}", "\u{FFFD}"]);
    assert_eq!(counts.get(Rule::RunningHeader), 2);
    let (again, counts) = run(&["\u{FFFD}", "\u{FFFD}"]);
    assert_eq!(again, ["\u{FFFD}", "\u{FFFD}"]);
    assert!(counts.is_empty());
    // What it must not take: three copies, or two apart, as they come out.
    for lines in [
        ["年度报告", "年度报告", "年度报告", "正文。"],
        ["年度报告", "正文。", "年度报告", "正文。"],
    ] {
        let (out, counts) = run(&lines);
        assert_eq!(out, lines);
        assert!(counts.is_empty(), "{lines:?}");
    }
}

/// The first copy of a doubled first line may be set over lines reflow joins: the rule sees
/// them joined, as a second cleaning would see the joined title and its copy (the fuzz finding
/// `clean-idempotence-ff8714c97ee7e788`: a title split by a page number, then the whole title).
#[test]
fn a_doubled_first_line_set_over_lines_is_seen_joined() {
    let title = "2021年法治政府建设年度情况报告";
    let (out, counts) = run(&["2021年法治政府建设年度", "—7—", "情况报告", title]);
    assert_eq!(texts(&out), [title]);
    assert_eq!(counts.get(Rule::RunningHeader), 2);
    assert_eq!(counts.get(Rule::PageNumber), 1);
    // Three parts, and ASCII words joined with a space.
    let (out, counts) = run(&[
        "2021年",
        "法治政府",
        "工作报告",
        "2021年法治政府工作报告",
        "正文。",
    ]);
    assert_eq!(texts(&out), ["2021年法治政府工作报告", "正文。"]);
    assert_eq!(counts.get(Rule::RunningHeader), 3);
    let (out, _) = run(&["Annual", "Report", "Annual Report", "正文。"]);
    assert_eq!(texts(&out), ["Annual Report", "正文。"]);
    // What it must not take: parts that make another line, the whole title three times over
    // (parts, then two copies), parts whose copy comes later, or more parts than are read.
    for lines in [
        vec!["2021年", "工作报告", "2021年度工作报告", "正文。"],
        vec!["2021年", "工作报告", "2021年工作报告", "2021年工作报告"],
        vec!["2021年", "工作报告", "正文。", "2021年工作报告"],
        vec!["一", "二", "三", "四", "一二三四", "正文。"],
        vec!["Annual", "Report", "Annual  Report", "正文。"],
    ] {
        let (out, counts) = run(&lines);
        assert_eq!(out, lines, "{lines:?}");
        assert!(counts.is_empty(), "{lines:?}");
    }
}

/// The second copy may be set over lines too (a form feed inside it, which reflow joins
/// across): the rule sees them joined, as a second cleaning sees the two copies (the fuzz
/// finding `clean-idempotence-52741e6c44e1f3b5`).
#[test]
fn a_doubled_first_line_whose_copy_is_set_over_lines_is_seen_joined() {
    let title = "2021年法治政府建设年度情况报告";
    let (out, counts) = run(&[
        title,
        "2021年法治政府",
        "\u{000C}",
        "建设年度情况报告",
        "正文。",
    ]);
    assert_eq!(
        texts(&out),
        ["2021年法治政府", "建设年度情况报告", "正文。"]
    );
    assert_eq!(counts.get(Rule::RunningHeader), 1);
    let (out, _) = run(&["Annual Report", "Annual", "Report", "正文。"]);
    assert_eq!(texts(&out), ["Annual", "Report", "正文。"]);
    // Both copies set over lines, split at different places (the fuzz finding
    // `clean-idempotence-468b401690e0c05b`: `��，` / `�`, then `��` / `，�`).
    let (out, counts) = run(&["年度工作", "报告", "年度", "工作报告", "正文。"]);
    assert_eq!(texts(&out), ["年度", "工作报告", "正文。"]);
    assert_eq!(counts.get(Rule::RunningHeader), 2);
    // A copy split between two digits, which reflow leaves apart (`202` / `1年…`, `2` /
    // `021年…`): no copy of the title as reflow leaves it, in the first cleaning or a second
    // (the fuzz findings `pipeline-idempotence-478c54d95afffd5e`, the first copy joined across
    // a page number, and `pipeline-idempotence-eb11fb6dff92d09d`, the second across a form
    // feed), so nothing goes but the page number.
    for lines in [
        vec![
            "2021年法治政府建设年度",
            "—7—",
            "情况报告",
            "202",
            "1年法治政府建设年度情况报告",
        ],
        vec![title, "202", "1年法治政府建设年度情况报告"],
        vec![
            "2",
            "021年法治政府建设年度情况报告",
            "2021年法",
            "\u{000C}",
            "治政府建设年度情况报告",
        ],
        vec!["2", "021年法治政府建设年度情况报告", title],
    ] {
        let (out, counts) = run(&lines);
        let kept: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|l| !matches!(*l, "—7—" | "\u{000C}"))
            .collect();
        assert_eq!(texts(&out), kept, "{lines:?}");
        assert_eq!(counts.get(Rule::RunningHeader), 0, "{lines:?}");
    }
    // What it must not take: parts that make another line, or a third copy after the parts.
    for lines in [
        vec![title, "2021年", "年度情况报告", "正文。"],
        vec!["年度报告", "年度", "报告", "年度报告"],
        vec!["年度报告", "年度", "报告", "年度报告，正文。"],
        // Both in parts: another line, or ASCII words that reflow joins with a space.
        vec!["年度工作", "报告", "年度", "工作总结", "正文。"],
        vec!["Annual Re", "port", "Annual", "Report", "正文。"],
    ] {
        let (out, counts) = run(&lines);
        assert_eq!(out, lines, "{lines:?}");
        assert!(counts.is_empty(), "{lines:?}");
    }
}

/// No first copy is taken where what is left begins with a doubled line again: a second
/// cleaning would take that one's first copy too (the fuzz finding
/// `clean-idempotence-5b5257f7a7100983`: `���`, `���`, `�`, `����`).
#[test]
fn a_doubled_first_line_leaves_no_doubled_first_line() {
    for lines in [
        ["年度", "年度", "报告", "年度报告", "正文。"],
        ["���", "���", "�", "����", "正文。"],
        // The title join makes `年度报告` of the second `年度` and `报告`: no copy of `年度`.
        ["年度", "年度", "报告", "正文。", "正文。"],
    ] {
        let (out, counts) = run(&lines);
        assert_eq!(out, lines, "{lines:?}");
        assert!(counts.is_empty(), "{lines:?}");
    }
    // What it must not keep: a doubled line whose copy is followed by other lines.
    let (out, counts) = run(&["年度", "年度", "本年度工作总结。", "正文。"]);
    assert_eq!(texts(&out), ["年度", "本年度工作总结。", "正文。"]);
    assert_eq!(counts.get(Rule::RunningHeader), 1);
}

#[test]
fn between_form_feeds_a_number_inside_a_page_is_text() {
    // A lone `2` between blank lines inside the first page of a form-fed document: the page
    // numbers stand at the page edges, and the `1` at its foot is the first.
    let p = page(1);
    let (out, counts) = run(&[
        &p, "", "1", "", &p, "", "1", "\u{000C}", &p, "", "2", "\u{000C}",
    ]);
    assert_eq!(counts.get(Rule::PageNumber), 2);
    assert_eq!(texts(&out), [&p as &str, "1", &p, &p]);
}

#[test]
fn an_unrecognised_footer_stays_and_takes_nothing_with_it() {
    // Footers in Chinese numerals are neither page numbers nor repeated text: they stay, and so
    // does the body line above each.
    let p = page(1);
    let lines = [
        &p as &str,
        "做到及时公开、更新",
        "·第一页·",
        "\u{000C}",
        &p,
        "二、存在的问题",
        "·第二页·",
        "\u{000C}",
    ];
    let (out, counts) = run(&lines);
    assert!(counts.is_empty(), "{counts:?}");
    assert_eq!(
        texts(&out),
        [
            &p as &str,
            "做到及时公开、更新",
            "·第一页·",
            &p,
            "二、存在的问题",
            "·第二页·"
        ]
    );
}

/// [`edge_key`] as a plain sequence of tests and a character-by-character copy.
fn slow_edge_key(text: &str) -> Option<String> {
    let text = text.trim_matches(is_line_space);
    if text.is_empty()
        || text.len() > MAX_HEADER_CHARS * 4
        || text.chars().count() > MAX_HEADER_CHARS
        || bare_number(text).is_some()
        || text.contains(char::is_control)
        || text.ends_with(['。', '！', '？', '；', '!', '?', ';'])
        || text.ends_with(['，', '、', ',', '《', '“', '（', '「', '『', '【', '〔'])
    {
        return None;
    }
    let mut key = String::new();
    let mut in_digits = false;
    for c in text.chars().filter(|c| !is_line_space(*c)) {
        if c.is_ascii_digit() {
            if !in_digits {
                key.push('#');
            }
            in_digits = true;
        } else {
            in_digits = false;
            key.push(c);
        }
    }
    Some(key)
}

#[test]
fn edge_keys_built_in_one_pass_are_the_plain_ones() {
    let long = "运".repeat(MAX_HEADER_CHARS);
    let inputs = [
        "",
        "   ",
        "运城市科学技术局",
        " 运城市 科学\u{3000}技术局 ",
        "第 1 页 共 10 页",
        "第12页",
        "1 2 3",
        "12 / 30",
        "3",
        "2021年工作要点",
        "附件1",
        "a\u{000C}b",
        "控制\u{0085}字符",
        "句子。",
        "Page 3 of 10",
        "\u{00A0}12\u{00A0}",
        long.as_str(),
        &format!("{long}x"),
        &format!("{long} "),
        &format!(" {long}1"),
        "《运城市》「科学」技术局、通知",
        "运城市\u{3000}科学",
        "运城市·科学°",
        "运城市\u{007F}科学",
        "运城市\t科学",
        "运城\u{0085}",
        "一〇〇",
        &format!("{long}运"),
        &format!("运{long}"),
    ];
    let mut key = String::from("stale");
    for text in inputs {
        assert_eq!(edge_key(text), slow_edge_key(text), "{text:?}");
        let built = edge_key_into(text, &mut key);
        assert_eq!(built.then(|| key.clone()), slow_edge_key(text), "{text:?}");
    }
    // Lines of every length to past the longest key, of characters the key is built from by
    // their bytes (spaces, digits, controls: their bytes and the bytes of their neighbours,
    // `C2` and `E3 80` characters that are none of them), in a sequence that puts each after
    // each.
    let alphabet = [
        "运", "1", "23", " ", "\u{3000}", "\u{00A0}", "·", "、", "〇", "a", "\t", "\u{0085}",
        "\u{000C}", "\u{007F}", "。", "，", "Ａ", "𠀀",
    ];
    let mut state = 7u64;
    for len in 0..=MAX_HEADER_CHARS + 2 {
        for _ in 0..200 {
            let text: String = (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    // Controls rarely, so that most lines are keys.
                    let pick = (state >> 33) as usize % (alphabet.len() * 4);
                    alphabet[if pick < alphabet.len() {
                        pick
                    } else {
                        pick % 10
                    }]
                })
                .collect();
            let built = edge_key_into(&text, &mut key);
            assert_eq!(built.then(|| key.clone()), slow_edge_key(&text), "{text:?}");
        }
    }
}

/// Pages `first..=last` of distinct text, each opening with `top[i]` (when given) and ended by
/// a decorated page number and a form feed.
fn pages_with_tops(tops: &[Option<&str>], numbers: impl Iterator<Item = usize>) -> Vec<String> {
    let mut lines = Vec::new();
    for (top, n) in tops.iter().zip(numbers) {
        if let Some(top) = top {
            lines.push(top.to_string());
        }
        lines.push(format!("第{n}页的正文，").repeat(20) + &"。".repeat(n));
        lines.push(format!("— {n} —"));
        lines.push("\u{000C}".to_string());
    }
    lines
}

#[test]
fn a_body_line_at_the_edges_of_pages_far_apart_is_kept() {
    // A boilerplate line that lands at the top of pages 1, 3 and 5 is no running header: a
    // header stands on page after page.
    let line = "本办法自发布之日起施行。";
    let tops = [Some(line), None, Some(line), None, Some(line)];
    let lines = pages_with_tops(&tops, 1..);
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, counts) = run(&refs);
    assert_eq!(counts.get(Rule::RunningHeader), 0);
    assert_eq!(out.iter().filter(|l| *l == line).count(), 3);
    // The same at the foot of the pages.
    let mut lines = Vec::new();
    for n in 1..=5 {
        lines.push(format!("第{n}页的正文，").repeat(20));
        if n % 2 == 1 {
            lines.push("甲方（盖章）：".to_string());
        }
        lines.push("\u{000C}".to_string());
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, counts) = run(&refs);
    assert_eq!(counts.get(Rule::RunningHeader), 0);
    assert_eq!(out.iter().filter(|l| *l == "甲方（盖章）：").count(), 3);
}

#[test]
fn a_document_repeating_its_content_keeps_it() {
    // One unit of three pages, printed three times (its page numbers starting again at 1):
    // the same lines stand at the same edges every third page, and all of them are text.
    let tops = ["一、工作要求", "二、职责分工", "三、保障措施"];
    let feet = ["特此通知。", "请遵照执行。", "此复。"];
    let unit: Vec<String> = (1..=3)
        .flat_map(|n| {
            [
                tops[n - 1].to_string(),
                format!("第{n}页的正文，").repeat(20),
                feet[n - 1].to_string(),
                format!("— {n} —"),
                "\u{000C}".to_string(),
            ]
        })
        .collect();
    let lines: Vec<String> = (0..3).flat_map(|_| unit.iter().cloned()).collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, counts) = run(&refs);
    assert_eq!(counts.get(Rule::RunningHeader), 0);
    let body = |lines: &[String]| -> Vec<String> {
        lines
            .iter()
            .filter(|l| !l.is_empty() && !l.starts_with('—') && *l != "\u{000C}")
            .cloned()
            .collect()
    };
    let kept: Vec<String> = out.into_iter().filter(|l| !l.is_empty()).collect();
    assert_eq!(kept, body(&lines));
}

#[test]
fn a_header_is_removed_on_the_pages_of_its_run_only() {
    let (one, two) = ("第一章　总则", "第二章　附则");
    // Chapter one's header on pages 1, 2 and 4 (page 3 a page of its own), chapter two's on
    // pages 5–7; on page 10 chapter one's title opens the page as text.
    let tops = [
        Some(one),
        Some(one),
        None,
        Some(one),
        Some(two),
        Some(two),
        Some(two),
        None,
        None,
        Some(one),
    ];
    let lines = pages_with_tops(&tops, 1..);
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, counts) = run(&refs);
    assert_eq!(counts.get(Rule::RunningHeader), 6);
    assert_eq!(out.iter().filter(|l| *l == one).count(), 1);
    assert_eq!(out.iter().filter(|l| *l == two).count(), 0);
    // Page 10's copy is the one kept: the last line but the page's own.
    let last_top = out
        .iter()
        .rposition(|l| l.starts_with("第10页"))
        .map(|i| i - 1);
    assert_eq!(last_top.map(|i| out[i].as_str()), Some(one));
}

#[test]
fn a_header_missing_from_one_page_runs_from_its_first_sighting() {
    // A word processor's header frame prints after the first lines of a page that opens with
    // a list: the header stands at the top of pages 1, 3 and 4 and not at page 2's. Its run
    // (pages 3–4) takes in page 1's copy, one missed page before it.
    let header = "注意保存";
    let tops = [Some(header), None, Some(header), Some(header)];
    let lines = pages_with_tops(&tops, 1..);
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, counts) = run(&refs);
    assert_eq!(counts.get(Rule::RunningHeader), 3);
    assert_eq!(out.iter().filter(|l| *l == header).count(), 0);
    // Not without a run after it: pages 1 and 3 alone (see
    // `a_body_line_at_the_edges_of_pages_far_apart_is_kept`), nor across two missed pages,
    // nor a heading whose number differs on the first sighting: page 1's copy stays.
    for (tops, kept) in [
        (vec![Some(header), None, Some(header), None], 2),
        (
            vec![Some(header), None, None, Some(header), Some(header)],
            1,
        ),
    ] {
        let lines = pages_with_tops(&tops, 1..);
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let (out, _) = run(&refs);
        assert_eq!(
            out.iter().filter(|l| *l == header).count(),
            kept,
            "{tops:?}"
        );
        assert_eq!(out.iter().position(|l| *l == header), Some(0), "{tops:?}");
    }
    let tops = [Some("附件1"), None, Some("附件2"), Some("附件2")];
    let lines = pages_with_tops(&tops, 1..);
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, counts) = run(&refs);
    // Pages 3–4 are a run of `附件2` (as before); page 1's `附件1` is another line.
    assert_eq!(counts.get(Rule::RunningHeader), 2);
    assert_eq!(out.first().map(String::as_str), Some("附件1"));
}

/// The simplified.pdf pages: a two-line header, the second line printed by pdftotext after the
/// list a page opens with. Pages 1, 3 and 4 have both lines on top, page 2 its first only.
fn two_line_header_pages(page_two: &[&str]) -> Vec<String> {
    let mut lines = Vec::new();
    for n in 1..=4 {
        lines.push("内部资料".to_string());
        if n == 2 {
            lines.extend(page_two.iter().map(|l| l.to_string()));
        } else {
            lines.push("注意保存".to_string());
            // A page of several lines: the edges are a page's first and last lines.
            for k in 0..4 {
                lines.push(format!("第{n}页第{k}行的正文，").repeat(5));
            }
        }
        lines.push(format!("第{n}页"));
        lines.push("\u{000C}".to_string());
    }
    lines
}

#[test]
fn a_header_line_printed_below_a_pages_first_lines_goes() {
    let list = [
        "1.",
        "完善法治建设责任清单。",
        "2.",
        "开展执法人员专题培训。",
    ];
    let mut page_two: Vec<&str> = list.to_vec();
    page_two.extend(["注意保存", "（五）推进科学决策"]);
    let lines = two_line_header_pages(&page_two);
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, counts) = run(&refs);
    assert_eq!(counts.get(Rule::RunningHeader), 8);
    assert!(!out.iter().any(|l| l == "注意保存" || l == "内部资料"));
    // Every line of the list and the heading after it stays.
    for line in list.iter().chain(&["（五）推进科学决策"]) {
        assert_eq!(out.iter().filter(|l| l == line).count(), 1, "{line}");
    }
}

#[test]
fn a_header_line_deep_in_a_page_or_outside_its_run_stays() {
    // Deeper than the page's first lines: text that quotes the header.
    let body: Vec<String> = (0..8).map(|i| format!("第{i}段正文。")).collect();
    let mut page_two: Vec<&str> = body.iter().map(String::as_str).collect();
    page_two.push("注意保存");
    let lines = two_line_header_pages(&page_two);
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, _) = run(&refs);
    assert_eq!(out.iter().filter(|l| *l == "注意保存").count(), 1);
    // A page whose own copy stood at its edge keeps a second copy (the office signing under
    // its text): one line of a key goes per page.
    let page_two = [
        "注意保存",
        "第二页的正文。",
        "注意保存",
        "正文一。",
        "正文二。",
    ];
    let mut lines = two_line_header_pages(&page_two);
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, _) = run(&refs);
    assert_eq!(out.iter().filter(|l| *l == "注意保存").count(), 1);
    // The last page of the run (no page after it has the header): its copy inside the page
    // is text.
    lines.truncate(lines.len() - 16);
    let tail = [
        "内部资料",
        "附记：",
        "注意保存",
        "正文一。",
        "正文二。",
        "第3页",
        "\u{000C}",
    ];
    lines.extend(tail.iter().map(|l| l.to_string()));
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, _) = run(&refs);
    assert_eq!(out.iter().filter(|l| *l == "注意保存").count(), 2);
}

#[test]
fn a_page_number_at_the_top_of_a_page_under_its_header() {
    // pdftotext of a Word header that holds two lines and the page number: the number stands
    // below the header at the top of each page, which ends at its form feed.
    let mut lines = Vec::new();
    let bodies: Vec<String> = (1..=3).map(page).collect();
    for (n, body) in bodies.iter().enumerate() {
        let n = n + 1;
        lines.extend([
            "昆山市发展和改革委员会".to_string(),
            "1998年第16期".to_string(),
            String::new(),
            format!("-{n}-"),
            String::new(),
            body.clone(),
            format!("{n}续行，"),
            format!("{n}再续行，"),
            "\u{000C}".to_string(),
        ]);
    }
    // The office signs the document on the last page.
    lines.insert(lines.len() - 1, "昆山市发展和改革委员会".to_string());
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, counts) = run(&refs);
    assert_eq!(counts.get(Rule::PageNumber), 3);
    // The header goes from every page, the first one's too (learned from the first pages
    // read as the stage reads them: a page ends at its form feed, not at the number).
    assert_eq!(counts.get(Rule::RunningHeader), 6);
    assert!(!out.iter().any(|l| l.contains("第16期")));
    // Every line of text stays, the signature too, and no page number.
    for body in &bodies {
        assert_eq!(out.iter().filter(|l| *l == body).count(), 1);
    }
    assert_eq!(texts(&out).last(), Some(&"昆山市发展和改革委员会"));
    assert!(!out.iter().any(|l| l.starts_with('-')));
}

#[test]
fn a_first_page_without_the_header_keeps_its_first_lines() {
    // Pages after the first carry a header with the page number under it; the first page
    // opens with the title and the document number, which stand on no other page.
    let bodies: Vec<String> = (1..=3).map(page).collect();
    let mut lines = vec![
        "关于印发工作要点的通知".to_string(),
        "昆发〔1998〕5号".to_string(),
    ];
    for (n, body) in bodies.iter().enumerate() {
        let n = n + 1;
        if n > 1 {
            lines.extend(["昆山市发展和改革委员会".to_string(), format!("-{n}-")]);
        }
        lines.extend([body.clone(), "\u{000C}".to_string()]);
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, counts) = run(&refs);
    assert_eq!(counts.get(Rule::RunningHeader), 2);
    assert_eq!(
        texts(&out)[..3],
        [
            "关于印发工作要点的通知",
            "昆发〔1998〕5号",
            bodies[0].as_str()
        ]
    );
}

#[test]
fn a_footer_of_the_office_and_the_page_number_on_one_line() {
    // Tika's text of a PDF: no form feeds, the footer's office and number on one line.
    let (p1, p2) = (page(1), page(2));
    let office = "沂源县发展和改革委员会";
    let lines = [
        office,
        &p1,
        "",
        "沂源县发展和改革委员会　　第 1 页 共 2 页",
        "",
        office,
        &p2,
        office,
        "",
        "沂源县发展和改革委员会　　第 2 页 共 2 页",
    ];
    let (out, counts) = run(&lines);
    assert_eq!(counts.get(Rule::PageNumber), 2);
    // The header above each page goes, and the office signing under the text stays.
    assert_eq!(texts(&out), [&p1, &p2, office]);
    // A line of a body that ends in a page reference stays.
    let lines = [&p1, "详见附件，第3页", "", "详见附件　第3页。"];
    let (out, counts) = run(&lines);
    assert_eq!(counts.get(Rule::PageNumber), 0);
    assert_eq!(
        texts(&out),
        lines
            .iter()
            .filter(|l| !l.is_empty())
            .copied()
            .collect::<Vec<_>>()
    );
}

#[test]
fn an_office_and_a_bare_number_on_one_line_end_pages_in_tika_text() {
    let bodies: Vec<String> = (1..=3).map(page).collect();
    let office = "大理市发展和改革委员会";
    let footers: Vec<String> = (1..=3).map(|n| format!("{office}　　{n}")).collect();
    let more: Vec<String> = (1..=3).map(|n| format!("{n}续行，")).collect();
    let again: Vec<String> = (1..=3).map(|n| format!("{n}再续行，")).collect();
    let mut lines: Vec<&str> = Vec::new();
    for (n, body) in bodies.iter().enumerate() {
        lines.extend([office, "1998年第5期", body.as_str(), &more[n], &again[n]]);
        if n == 2 {
            lines.push(office);
        }
        lines.extend(["", footers[n].as_str(), ""]);
    }
    let (out, counts) = run(&lines);
    assert_eq!(counts.get(Rule::PageNumber), 3);
    assert!(counts.get(Rule::RunningHeader) >= 4);
    // Every line of text stays, the office signing under the last page too.
    for body in &bodies {
        assert_eq!(out.iter().filter(|l| *l == body).count(), 1);
    }
    let last = out.iter().rev().find(|l| !l.is_empty());
    assert_eq!(last.map(String::as_str), Some(office));
    // A labelled number that does not climb, or without a page of text before it, stays.
    for lines in [
        &[bodies[0].as_str(), "", "附件一　　5", "", &bodies[1]][..],
        &["附件一　　1", "", &bodies[1]],
    ] {
        let (out, counts) = run(lines);
        assert_eq!(counts.get(Rule::PageNumber), 0, "{lines:?}");
        let kept: Vec<&str> = lines.iter().filter(|l| !l.is_empty()).copied().collect();
        assert_eq!(texts(&out), kept, "{lines:?}");
    }
}

#[test]
fn a_bare_number_under_the_header_at_the_top_of_a_page() {
    let bodies: Vec<String> = (1..=3).map(page).collect();
    let page_with = |number: &str, body: &str| {
        let more = format!("{number}续行，");
        let again = format!("{number}再续行，");
        [
            "义乌市教育局文件",
            "1998年第18期",
            "",
            number,
            "",
            body,
            &more,
            &again,
            "\u{000C}",
        ]
        .map(String::from)
    };
    let mut lines = Vec::new();
    for (n, body) in bodies.iter().enumerate() {
        lines.extend(page_with(&(n + 1).to_string(), body));
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, counts) = run(&refs);
    assert_eq!(counts.get(Rule::PageNumber), 3);
    assert_eq!(texts(&out).len(), 9);
    assert!(!out.iter().any(|l| l.contains("教育局") || l.len() == 1));
    // A page numbered at its foot keeps a number that opens its text (a table's row), and so
    // does a page whose first number is not the next page's.
    let mut lines = Vec::new();
    for (n, body) in bodies.iter().enumerate() {
        let n = n + 1;
        let top = if n == 2 { "3" } else { "7" };
        let page = [
            "义乌市教育局文件",
            "1998年第18期",
            top,
            body,
            "续行",
            "再续行",
        ];
        lines.extend(page.map(String::from));
        lines.extend([format!("— {n} —"), "\u{000C}".to_string()]);
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, counts) = run(&refs);
    assert_eq!(counts.get(Rule::PageNumber), 3);
    assert_eq!(out.iter().filter(|l| *l == "3" || *l == "7").count(), 3);
}

/// Tika's text of a PDF whose header holds the page number under its two lines: no form
/// feeds, each page opens with the header, a gap, its number and a gap; `first` opens the
/// document instead of the first page's own header and number when given.
fn tika_pages_numbered_under_the_header(first: Option<&[&str]>) -> (Vec<String>, Vec<String>) {
    let bodies: Vec<String> = ["一", "二", "三"]
        .iter()
        .map(|n| format!("第{n}页的正文，").repeat(30))
        .collect();
    let mut lines = Vec::new();
    for (n, body) in bodies.iter().enumerate() {
        let n = n + 1;
        match first {
            Some(first) if n == 1 => lines.extend(first.iter().map(|l| l.to_string())),
            _ => lines.extend(
                [
                    "",
                    "义乌市教育局文件",
                    "1998年第18期",
                    "",
                    &n.to_string(),
                    "",
                ]
                .map(String::from),
            ),
        }
        lines.extend([
            body.clone(),
            format!("{n}续行，"),
            String::new(),
            String::new(),
        ]);
    }
    lines.push("义乌市教育局文件".to_string());
    (lines, bodies)
}

#[test]
fn tika_pdf_headers_above_the_page_number_go_from_every_page() {
    let (lines, bodies) = tika_pages_numbered_under_the_header(None);
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, counts) = run(&refs);
    // Learned from the first batch (its empty lines are gaps to the scout too), the header
    // goes from the foot of the first page, where the second page's copy stands, and the
    // first page's own copy above its `1` goes with it.
    assert_eq!(counts.get(Rule::RunningHeader), 6);
    assert_eq!(counts.get(Rule::PageNumber), 3);
    let mut kept: Vec<&str> = Vec::new();
    for (n, body) in bodies.iter().enumerate() {
        kept.push(body);
        kept.push(
            lines
                .iter()
                .find(|l| l.starts_with(&format!("{}续", n + 1)))
                .unwrap(),
        );
    }
    // The office signing the document stays.
    kept.push("义乌市教育局文件");
    assert_eq!(texts(&out), kept);
}

#[test]
fn a_first_page_opening_like_the_header_without_its_number_keeps_it() {
    // The masthead repeats the header's text, but no `1` stands under it: a title, kept.
    let first: &[&str] = &["义乌市教育局文件", "1998年第18期", "关于工作的通知"];
    let (lines, _) = tika_pages_numbered_under_the_header(Some(first));
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, _) = run(&refs);
    assert_eq!(texts(&out)[..3], *first);
    // Nor a `1` under the lines when they are not the header's, all of them, in its order.
    let first: &[&str] = &["1998年第18期", "义乌市教育局文件", "", "1", ""];
    let (lines, _) = tika_pages_numbered_under_the_header(Some(first));
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (out, counts) = run(&refs);
    assert_eq!(texts(&out)[..2], ["1998年第18期", "义乌市教育局文件"]);
    assert_eq!(counts.get(Rule::PageNumber), 2);
}

/// Tika's text of a .docx prints the footer once, after the text and right under it, then an
/// empty line: the number goes at the document's end (and with it the header printed once
/// above the title). Not without the empty line after it (cleaned text ends so, and a second
/// cleaning must keep what the first kept), nor a number that is no first page number, nor
/// one after less than a page of text.
#[test]
fn a_number_right_under_the_text_then_an_empty_line_ends_the_document() {
    let p = page(1);
    let body = [
        "义乌市商务局",
        "关于工作的通知",
        &p,
        "义乌市商务局",
        "1998年11月5日",
    ];
    let with_footer = |footer: &[&'static str]| {
        let mut lines: Vec<&str> = body.to_vec();
        lines.extend(footer);
        lines
    };
    let (out, counts) = run(&with_footer(&["1", ""]));
    assert_eq!(texts(&out), body[1..]);
    assert_eq!(counts.get(Rule::PageNumber), 1);
    assert_eq!(counts.get(Rule::RunningHeader), 1);
    for footer in [&["1"][..], &["7", ""]] {
        let lines = with_footer(footer);
        let (out, counts) = run(&lines);
        assert_eq!(
            texts(&out),
            texts(&lines.iter().map(|l| l.to_string()).collect::<Vec<_>>())
        );
        assert!(counts.is_empty(), "{footer:?}");
    }
    let short = ["义乌市商务局", "通知如下。", "义乌市商务局", "1", ""];
    let (out, counts) = run(&short);
    assert_eq!(
        texts(&out),
        ["义乌市商务局", "通知如下。", "义乌市商务局", "1"]
    );
    assert!(counts.is_empty());
}

/// Tika's text of a PDF sets a page's number right under its footnotes, then the empty lines
/// that end every page (three): once pages are known to end at bare numbers, such a number
/// ends its page too, and the footnote above it is found at that page's foot. Not with only
/// a gap after it, nor before any page number is known, nor when it is not the next one: the
/// number stays.
#[test]
fn a_page_number_right_under_the_footnotes_in_tika_text() {
    // The note's reference glued after a full stop in the page's text.
    let (p1, p3) = (page(1), page(3));
    let p2 = format!("{}执行有关决议。1伊拉克方面", page(2));
    let note = "1 参见《义乌市“九五”计划纲要》第三章。";
    let lines = [
        &p1 as &str,
        "",
        "1",
        "",
        "",
        "",
        &p2,
        note,
        "2",
        "",
        "",
        "",
        &p3,
        "",
        "3",
        "",
        "",
        "",
    ];
    let (out, counts) = run_lines(&lines);
    assert_eq!(counts.get(Rule::PageNumber), 3);
    let kept: Vec<&str> = out
        .iter()
        .map(|l| l.text.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    let p2_unmarked = p2.replace("。1伊", "。伊");
    assert_eq!(
        kept,
        [
            &p1 as &str,
            &p2_unmarked,
            "参见《义乌市“九五”计划纲要》第三章。",
            &p3
        ]
    );
    assert!(out.iter().any(|l| l.text.starts_with("参见") && l.footnote));
    for lines in [
        // A gap after it only.
        [
            &p1 as &str,
            "",
            "1",
            "",
            "",
            "",
            &p2,
            note,
            "2",
            "",
            &p3,
            "",
            "",
            "",
        ],
        // No page number before it.
        [&p1, "", "", "", "", "", &p2, note, "1", "", "", "", &p3, ""],
        // Not the next page number.
        [
            &p1, "", "1", "", "", "", &p2, note, "5", "", "", "", &p3, "",
        ],
    ] {
        let (out, counts) = run_lines(&lines);
        let number = lines[8];
        assert!(out.iter().any(|l| l.text == number), "{lines:?}");
        let first_page_numbered = lines[2] == "1";
        assert_eq!(
            counts.get(Rule::PageNumber),
            u64::from(first_page_numbered),
            "{lines:?}"
        );
    }
}

/// Tika's text of a .docx whose header holds a bare `1` under its lines (the footer empty, an
/// empty line printed for it last): they go when the header's first line signs the document.
#[test]
fn a_header_above_a_bare_one_goes_when_its_first_line_signs_the_document() {
    let p = page(1);
    let body = ["关于工作的报告", &p as &str, "南海区商务局", "1998年8月7日"];
    for header in [
        &["南海区商务局", "内部资料 注意保存", "1"] as &[&str],
        &["南海区商务局", "1"],
        &["南海区商务局", "", "1", ""],
    ] {
        let mut lines = header.to_vec();
        lines.extend(body);
        lines.push("");
        let (out, counts) = run(&lines);
        assert_eq!(texts(&out), body, "{lines:?}");
        let header_lines = header.iter().filter(|l| !l.is_empty()).count() as u64 - 1;
        assert_eq!(counts.get(Rule::RunningHeader), header_lines, "{lines:?}");
        assert_eq!(counts.get(Rule::PageNumber), 1, "{lines:?}");
        let (again, counts) = run(&body);
        assert_eq!(again, body);
        assert!(counts.is_empty());
    }
}

/// What the bare-`1` header rule must not touch: a book's title above its first chapter's
/// number (the title signs nothing), a first paragraph or three lines above the number, a
/// document with no header, lines that would begin the same way again after the removal, a
/// document with another page number; and a document that does not end with a gap, as the
/// output of a cleaning never does (the fuzz finding: `�`, `1`, `第3頁`, `3`, `�`, whose page
/// label the first cleaning removes, kept by the first cleaning and so by the second).
#[test]
fn a_bare_one_under_short_lines_stays_without_the_evidence() {
    let p = page(1);
    let kept: [Vec<&str>; 8] = [
        vec!["我的书", "1", "第一章的第一段。", &p, ""],
        vec!["本报告说明如下。", "1", &p, "本报告说明如下。", ""],
        vec![
            "南海区商务局",
            "内部资料",
            "1998年第18期",
            "1",
            &p,
            "南海区商务局",
            "",
        ],
        vec!["关于工作的报告", &p, "南海区商务局", "1998年8月7日", ""],
        vec!["南海区商务局", "1", "内部资料", "1", &p, "南海区商务局", ""],
        vec!["南海区商务局", "1", &p, "南海区商务局", "1998年8月7日"],
        vec!["南海区商务局", "1", &p, "", "2", "", &p, "南海区商务局", ""],
        vec!["\u{FFFD}", "1", "第3頁", "3", "\u{FFFD}"],
    ];
    for lines in kept {
        let (out, counts) = run(&lines);
        let (kept_texts, lines_texts) = (texts(&out), lines.iter().filter(|l| !l.is_empty()));
        let header_kept = kept_texts.iter().take(2).eq(lines_texts.take(2));
        assert!(header_kept, "{lines:?} -> {out:?}");
        assert_eq!(counts.get(Rule::RunningHeader), 0, "{lines:?}");
    }
    // Under `--blank-line` output one empty line at the end is no gap: cleaning puts one
    // between any two paragraphs.
    let lines = ["南海区商务局", "1", &p, "南海区商务局", "1998年8月7日", ""];
    let blank_line = Furniture::new(rules()).with_blank_line_output(true);
    let (out, counts) = run_lines_with(blank_line, &lines);
    assert_eq!(out.iter().filter(|l| !l.text.is_empty()).count(), 5);
    assert!(counts.is_empty());
}

/// Copies are read as the output holds them: five copies of one line, each one line, are five
/// copies, no two copies set over two lines each (the fault campaign's
/// `pipeline-idempotence-78efedae034d0422`: the first cleaning kept the five lines its joins
/// made, the second took two); all stay, as they do in a second cleaning.
#[test]
fn copies_of_one_line_each_one_line_are_no_copy_set_over_lines() {
    for lines in [
        vec!["年度报告"; 5],
        [vec!["年度报告"; 5], vec!["正文。"]].concat(),
    ] {
        let (out, counts) = run(&lines);
        assert_eq!(out, lines, "{lines:?}");
        assert!(counts.is_empty(), "{lines:?}");
    }
    // Nor when reflow joins them as a title's parts (a bracket left open): it makes one
    // line of all five, which is no copy of anything.
    let lines = [vec!["（年度报告"; 5], vec!["正文。"]].concat();
    let (out, counts) = run(&lines);
    assert_eq!(out, lines);
    assert!(counts.is_empty());
    // Pieces the title join makes two lines of, which are the first line again: two copies.
    let lines = [
        "甲（乙丙）丁戊（己庚）辛",
        "甲（乙",
        "",
        "丙）丁",
        "",
        "戊（己",
        "",
        "庚）辛",
        "正文。",
    ];
    let (out, counts) = run(&lines);
    assert_eq!(
        texts(&out),
        ["甲（乙", "丙）丁", "戊（己", "庚）辛", "正文。"]
    );
    assert_eq!(counts.get(Rule::RunningHeader), 1);
}
