use super::*;

fn text(html: &str) -> String {
    extract(html.as_bytes(), Notes::Keep).expect("an HTML page reads")
}

#[test]
fn blocks_are_lines_and_inline_markup_flows() {
    let page = "<html><body><h1>标题</h1><p>第一段<b>加粗</b>文字。</p><div>第二段</div>\
                <ul><li>甲</li><li>乙</li></ul></body></html>";
    assert_eq!(text(page), "标题\n第一段加粗文字。\n第二段\n甲\n乙\n");
}

#[test]
fn a_source_line_break_inside_chinese_adds_no_space_but_one_between_words() {
    let page =
        "<p>根据《东城区\n   2021年工作要点》，结合\n  实际</p><p>Hello\n   world  again</p>";
    assert_eq!(
        text(page),
        "根据《东城区2021年工作要点》，结合实际\nHello world again\n"
    );
    // Spaces typed between Chinese characters on one source line are content.
    assert_eq!(text("<p>王 明</p>"), "王 明\n");
    // Between inline elements: no space is invented.
    assert_eq!(text("<p><span>东城</span><span>区</span></p>"), "东城区\n");
}

#[test]
fn br_breaks_the_line_and_empty_blocks_give_no_line() {
    let page = "<p>电话：010-1234<br>联系人：王明<br/><br></p><p>&nbsp;</p><div>  </div><p>完</p>";
    assert_eq!(text(page), "电话：010-1234\n联系人：王明\n完\n");
}

#[test]
fn tables_are_rows_of_tab_separated_cells() {
    let page = "<table><tr><th>项目</th><th>2021年</th></tr>\
                <tr><td><p>执法</p><p>检查</p></td><td> 42 </td></tr>\
                <tr><td></td><td>3</td></tr></table><p>后</p>";
    assert_eq!(text(page), "项目\t2021年\n执法检查\t42\n\t3\n后\n");
}

#[test]
fn furniture_code_and_hidden_text_are_left_out() {
    let page = "<html><head><title>网页标题</title><style>p{color:red}</style></head><body>\
        <header>网站名</header><nav><a>首页</a></nav><script>var a='脚本';</script>\
        <noscript>请开启脚本</noscript><template><p>模板</p></template>\
        <article><header><h1>文章标题</h1></header><p>正文<span style=\"display: none\">隐藏</span></p>\
        <p hidden>也隐藏</p></article><aside>相关</aside><footer>版权所有</footer></body></html>";
    assert_eq!(text(page), "文章标题\n正文\n");
}

#[test]
fn pre_keeps_its_spaces_and_lines() {
    let page = "<p>前</p><pre>第一行\n  缩进  两格\n\n末行</pre><p>后</p>";
    assert_eq!(text(page), "前\n第一行\n  缩进  两格\n末行\n后\n");
}

#[test]
fn entities_are_decoded_and_nbsp_is_kept() {
    let page = "<p>A&amp;B &lt;C&gt; &copy; &#x4E2D;&#25991;&nbsp;&nbsp;文</p>";
    assert_eq!(text(page), "A&B <C> © 中文\u{a0}\u{a0}文\n");
}

#[test]
fn word_html_paragraphs_come_out_clean() {
    let page = "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>\
        <!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>作者</o:Author></o:DocumentProperties></xml><![endif]-->\
        </head><body><div class=WordSection1>\
        <p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>\
        <p class=MsoListParagraph style='margin-left:18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]>\
        <span lang=EN-US style='mso-list:Ignore'>1.<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp;\n</span></span><![endif]>\
        <span style='font-family:宋体'>完善清单</span><span lang=EN-US><o:p></o:p></span></p>\
        <p class=MsoNormal>正文<a style='mso-footnote-id:ftn1' href=\"#_ftn1\" name=\"_ftnref1\">\
        <span class=MsoFootnoteReference>[1]</span></a>继续<span class=MsoCommentReference>[A1]</span></p>\
        <div style='mso-element:comment-list'><p>批注内容</p></div>\
        <div style='mso-element:footnote-list'><div style='mso-element:footnote' id=ftn1>\
        <p class=MsoFootnoteText><a style='mso-footnote-id:ftn1' href=\"#_ftnref1\" name=\"_ftn1\">\
        <span class=MsoFootnoteReference>[1]</span></a>注释文字</p></div></div>\
        </div></body></html>";
    assert_eq!(text(page), "1.完善清单\n正文继续\n注释文字\n");
    let dropped = extract(page.as_bytes(), Notes::Drop).unwrap();
    assert_eq!(dropped, "1.完善清单\n正文继续\n");
}

#[test]
fn notes_follow_the_paragraph_citing_them() {
    let page = "<p>甲<a class=sdfootnoteanc href=\"#sdfootnote1sym\"><sup>1</sup></a>段</p><p>乙段\
        <a class=sdfootnoteanc href=\"#sdfootnote2sym\">2</a></p><p>丙段</p>\
        <div id=sdfootnote1><p><a class=sdfootnotesym name=sdfootnote1sym href=\"#x\">1</a>注一</p>\
        <p>注一续</p></div>\
        <div id=sdfootnote2><p><a class=sdfootnotesym name=sdfootnote2sym href=\"#x\">2</a>注二</p></div>\
        <div id=sdfootnote3><p>注三无人引</p></div>";
    assert_eq!(
        text(page),
        "甲段\n注一\n注一续\n乙段\n注二\n丙段\n注三无人引\n"
    );
    // A note cited from inside something left out stays where the page has it.
    let hidden = "<p>正文</p><nav><a href=\"#_ftn1\">1</a></nav><p>末</p>\
        <div style='mso-element:footnote' id=ftn1><p>注</p></div>";
    assert_eq!(text(hidden), "正文\n末\n注\n");
}

#[test]
fn libreoffice_notes_headers_and_footers() {
    let page = "<body><div title=\"header\"><p>内部资料</p></div>\
        <p>正文<a class=\"sdfootnoteanc\" name=\"sdfootnote1anc\" href=\"#sdfootnote1sym\"><sup>1</sup></a>。</p>\
        <div id=\"sdfootnote1\"><p><a class=\"sdfootnotesym\" href=\"#sdfootnote1anc\">1</a>注文</p></div>\
        <div title=\"footer\"><p>第<sdfield type=PAGE>1</sdfield>页</p></div></body>";
    assert_eq!(text(page), "正文。\n注文\n");
    assert_eq!(extract(page.as_bytes(), Notes::Drop).unwrap(), "正文。\n");
    let xhtml = "<body><p>正文<span title=\"Footnote: 注文\"><a href=\"#ftn1\" id=\"body_ftn1\">1</a></span></p>\
        <p class=\"Standard\"><span class=\"footnodeNumber\"><a id=\"ftn1\" href=\"#body_ftn1\">1</a></span>注文</p></body>";
    assert_eq!(text(xhtml), "正文\n注文\n");
    assert_eq!(extract(xhtml.as_bytes(), Notes::Drop).unwrap(), "正文\n");
}

#[test]
fn the_charset_comes_from_the_bom_the_declaration_or_detection() {
    let body = "<p>东城区科信局法治政府建设年度情况报告，全面贯彻落实各项要求。</p>";
    let gbk = |s: &str| encoding_rs::GBK.encode(s).0.into_owned();
    let big5 = |s: &str| encoding_rs::BIG5.encode(s).0.into_owned();
    let expected = "东城区科信局法治政府建设年度情况报告，全面贯彻落实各项要求。\n";
    // Declared, in both forms.
    let meta = format!("<html><head><meta charset=\"gb2312\"></head><body>{body}</body></html>");
    assert_eq!(extract(&gbk(&meta), Notes::Keep).unwrap(), expected);
    let http = format!(
        "<head><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=GBK'></head>{body}"
    );
    assert_eq!(extract(&gbk(&http), Notes::Keep).unwrap(), expected);
    // Undeclared: detected.
    assert_eq!(extract(&gbk(body), Notes::Keep).unwrap(), expected);
    let traditional = "<p>東城區科信局法治政府建設年度情況報告，全面貫徹落實各項要求。</p>";
    assert_eq!(
        extract(&big5(traditional), Notes::Keep).unwrap(),
        "東城區科信局法治政府建設年度情況報告，全面貫徹落實各項要求。\n"
    );
    // A declaration the bytes contradict (a UTF-8 page still tagged gb2312): detection wins.
    let lying = format!("<meta charset=gb2312>{body}");
    assert_eq!(extract(lying.as_bytes(), Notes::Keep).unwrap(), expected);
    // A BOM beats the declaration.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(format!("<meta charset=gbk>{body}").as_bytes());
    assert_eq!(extract(&bom, Notes::Keep).unwrap(), expected);
    let utf16: Vec<u8> = "\u{feff}<p>中文</p>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(extract(&utf16, Notes::Keep).unwrap(), "中文\n");
}

#[test]
fn declarations_are_found_in_their_forms() {
    assert_eq!(
        declared_encoding(b"<?xml version=\"1.0\" encoding=\"GB2312\"?><html>"),
        Some(encoding_rs::GBK)
    );
    assert_eq!(
        declared_encoding(b"<meta charset=big5>"),
        Some(encoding_rs::BIG5)
    );
    assert_eq!(
        declared_encoding(b"<meta charset='utf-16'>"),
        Some(encoding_rs::UTF_8)
    );
    assert_eq!(
        declared_encoding(b"<meta name=x content=y><p>charset=gbk</p>"),
        None
    );
    assert_eq!(declared_encoding(b"<meta charset=nonsense>"), None);
}

#[test]
fn an_empty_page_is_empty_and_deep_nesting_does_not_overflow() {
    assert_eq!(text(""), "");
    assert_eq!(text("<html><body><script>x</script></body></html>"), "");
    let deep = format!(
        "{}深{}",
        "<div><span>".repeat(3_000),
        "</span></div>".repeat(3_000)
    );
    assert_eq!(text(&deep), "深\n");
    // Past the limit: refused before parsing (html5ever would take hours on a million).
    let attack = "<div>".repeat(1_000_000);
    match extract(attack.as_bytes(), Notes::Keep) {
        Err(DocumentError::Corrupt(cause)) => assert!(cause.contains("nested"), "{cause}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn nesting_is_estimated_without_counting_what_the_parser_closes() {
    assert_eq!(
        nesting_depth("<div><p>a<p>b<br><img src=x/><span>c</span></div>"),
        2
    );
    assert_eq!(
        nesting_depth("<ul><li>a<li>b</ul><x/><!-- <div> --> 1 < 2"),
        1
    );
    // A long page of unclosed paragraphs and cells is shallow.
    assert_eq!(nesting_depth(&"<p>段落<td>格".repeat(100_000)), 0);
}

#[test]
fn binary_data_is_not_a_page() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert!(matches!(
        extract(png, Notes::Keep),
        Err(DocumentError::Corrupt(_))
    ));
}

/// How a reader's text compares with the text it must give: the character error rate (edit
/// distance over the expected length), the expected characters missing from the output
/// (whitespace aside), and the furniture lines found in it.
pub(in crate::source::document) struct Comparison {
    pub cer: f64,
    pub lost: String,
    pub furniture: Vec<String>,
}

pub(in crate::source::document) fn compare(
    output: &str,
    expected: &str,
    furniture: &str,
) -> Comparison {
    let out: Vec<char> = output.chars().collect();
    let want: Vec<char> = expected.chars().collect();
    // Levenshtein distance, two rows.
    let mut previous: Vec<usize> = (0..=out.len()).collect();
    let mut current = vec![0; out.len() + 1];
    for (i, &w) in want.iter().enumerate() {
        current[0] = i + 1;
        for (j, &o) in out.iter().enumerate() {
            let substitution = previous[j] + usize::from(w != o);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let cer = previous[out.len()] as f64 / want.len().max(1) as f64;
    let diff = similar::TextDiff::from_chars(expected, output);
    let lost = diff
        .iter_all_changes()
        .filter(|change| change.tag() == similar::ChangeTag::Delete)
        .map(|change| change.value())
        .filter(|value| !value.trim().is_empty())
        .collect();
    let furniture = furniture
        .lines()
        .filter(|line| !line.is_empty() && output.contains(line))
        .map(str::to_string)
        .collect();
    Comparison {
        cer,
        lost,
        furniture,
    }
}

/// Checks a reader's output against the fixture's expected text and furniture list: CER at most
/// 0.5 %, no character of the body lost, no furniture. The furniture must not be in the
/// expected text either (else the check could not fail).
pub(in crate::source::document) fn check_fixture(
    name: &str,
    output: &str,
    expected: &str,
    furniture: &str,
) {
    for line in furniture.lines().filter(|l| !l.is_empty()) {
        assert!(
            !expected.contains(line),
            "{name}: furniture {line:?} is in the body"
        );
    }
    let comparison = compare(output, expected, furniture);
    assert!(
        comparison.cer <= 0.005,
        "{name}: CER {:.4}\n--- output\n{output}--- expected\n{expected}",
        comparison.cer
    );
    assert_eq!(
        comparison.lost, "",
        "{name}: body characters lost\n{output}"
    );
    assert!(
        comparison.furniture.is_empty(),
        "{name}: furniture {:?}",
        comparison.furniture
    );
}

macro_rules! fixture {
    ($file:literal) => {
        include_str!(concat!("../../../../fixtures/documents/", $file))
    };
}

#[test]
fn the_comparison_sees_losses_errors_and_furniture() {
    let c = compare("甲乙丁\n页眉\n", "甲乙丙丁\n", "页眉\n");
    assert!(c.cer > 0.5);
    assert_eq!(c.lost, "丙");
    assert_eq!(c.furniture, ["页眉"]);
    assert_eq!(compare("甲\n", "甲\n", "").cer, 0.0);
}

#[test]
fn libreoffice_html_and_xhtml_give_the_document() {
    let expected = fixture!("html-report.expected.txt");
    let furniture = fixture!("html-report.furniture.txt");
    let html = include_bytes!("../../../../fixtures/documents/html-report.html");
    let out = extract(html, Notes::Keep).unwrap();
    check_fixture("html-report.html", &out, expected, furniture);
    let xhtml = include_bytes!("../../../../fixtures/documents/html-report.xhtml");
    let out = extract(xhtml, Notes::Keep).unwrap();
    check_fixture("html-report.xhtml", &out, expected, furniture);
    // `--notes drop` leaves exactly the note out.
    let note = "数据来源：东城区科信局2021年工作台账。\n";
    assert!(expected.contains(note));
    let without_note = &expected.replacen(note, "", 1);
    for page in [&html[..], &xhtml[..]] {
        let out = extract(page, Notes::Drop).unwrap();
        check_fixture("html-report (notes dropped)", &out, without_note, furniture);
    }
}

#[test]
fn a_gbk_portal_page_gives_its_article_only() {
    let page = include_bytes!("../../../../fixtures/documents/html-gbk-portal.html");
    assert!(
        String::from_utf8(page.to_vec()).is_err(),
        "the fixture is GBK"
    );
    let out = extract(page, Notes::Keep).unwrap();
    check_fixture(
        "html-gbk-portal.html",
        &out,
        fixture!("html-gbk-portal.expected.txt"),
        fixture!("html-gbk-portal.furniture.txt"),
    );
}

#[test]
fn word_save_as_html_gives_clean_paragraphs() {
    let page = include_bytes!("../../../../fixtures/documents/html-word-filtered.html");
    let out = extract(page, Notes::Keep).unwrap();
    check_fixture(
        "html-word-filtered.html",
        &out,
        fixture!("html-word-filtered.expected.txt"),
        fixture!("html-word-filtered.furniture.txt"),
    );
}
