use super::*;
use crate::source::document::tests::zip_of;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}<w:sectPr><w:headerReference w:type="default" r:id="rId1"/></w:sectPr></w:body></w:document>"#
    )
}

fn read(body: &str, extra: &[(&str, &str)], notes: Notes) -> String {
    let main = document(body);
    let mut parts: Vec<(&str, &[u8])> = vec![("word/document.xml", main.as_bytes())];
    parts.extend(extra.iter().map(|(n, t)| (*n, t.as_bytes())));
    extract(&zip_of(&parts), notes).unwrap()
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

#[test]
fn paragraphs_runs_tabs_and_breaks() {
    let body = format!(
        r#"{}<w:p><w:r><w:t xml:space="preserve">甲 </w:t></w:r><w:r><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t><w:br w:type="page"/><w:t>丁</w:t></w:r></w:p><w:p/><w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr></w:p>"#,
        p("第一段。")
    );
    assert_eq!(read(&body, &[], Notes::Keep), "第一段。\n甲 \t乙\n丙丁\n");
}

#[test]
fn tables_one_row_a_line_cells_by_tabs() {
    let cell = |t: &str| format!("<w:tc><w:tcPr><w:tcW w:w=\"100\"/></w:tcPr>{}</w:tc>", p(t));
    let body = format!(
        "<w:tbl><w:tblPr/><w:tblGrid/><w:tr>{}{}</w:tr><w:tr>{}<w:tc>{}{}</w:tc></w:tr></w:tbl>{}",
        cell("项目"),
        cell("数量"),
        cell("检查"),
        p("36"),
        p("次"),
        p("表后。")
    );
    assert_eq!(
        read(&body, &[], Notes::Keep),
        "项目\t数量\n检查\t36 次\n表后。\n"
    );
}

const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
  <w:abstractNum w:abstractNumId="0">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="1">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"#;

const STYLES: &str = r#"<w:styles xmlns:w="w">
  <w:style w:type="paragraph" w:styleId="Heading1"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="MyHeading"><w:basedOn w:val="Heading1"/></w:style>
</w:styles>"#;

fn numbered(num: &str, level: u8, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

#[test]
fn automatic_numbering_is_rendered() {
    let body = [
        numbered("1", 0, "总体情况"),
        numbered("1", 1, "加强领导"),
        numbered("1", 2, "完善清单。"),
        numbered("1", 2, "开展培训。"),
        numbered("1", 1, "提升服务"),
        // Through a style (and a style based on it).
        r#"<w:p><w:pPr><w:pStyle w:val="MyHeading"/></w:pPr><w:r><w:t>主要做法</w:t></w:r></w:p>"#.into(),
        // numId 0 takes a style's numbering away.
        r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>无编号</w:t></w:r></w:p>"#.into(),
        numbered("2", 0, "Scope"),
    ]
    .concat();
    let numbering = [
        ("word/numbering.xml", NUMBERING),
        ("word/styles.xml", STYLES),
    ];
    assert_eq!(
        read(&body, &numbering, Notes::Keep),
        "一、总体情况\n（一）加强领导\n1.完善清单。\n2.开展培训。\n（二）提升服务\n二、主要做法\n无编号\nI. Scope\n"
    );
    // Without a numbering part the paragraphs are still read.
    assert_eq!(
        read(&numbered("1", 0, "总体情况"), &[], Notes::Keep),
        "总体情况\n"
    );
}

const FOOTNOTES: &str = r#"<w:footnotes xmlns:w="w">
  <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
  <w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> 数据来源：统计局。</w:t></w:r></w:p></w:footnote>
  <w:footnote w:id="2"><w:p><w:r><w:t>第二个注。</w:t></w:r></w:p><w:p><w:r><w:t>注的第二段。</w:t></w:r></w:p></w:footnote>
</w:footnotes>"#;

#[test]
fn footnotes_follow_their_paragraph_or_are_dropped() {
    let body = format!(
        r#"<w:p><w:r><w:t>正文一。</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r><w:r><w:t>续。</w:t></w:r></w:p>{}<w:tbl><w:tr><w:tc><w:p><w:r><w:t>格</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p></w:tc></w:tr></w:tbl>"#,
        p("正文二。")
    );
    let notes = [("word/footnotes.xml", FOOTNOTES)];
    assert_eq!(
        read(&body, &notes, Notes::Keep),
        "正文一。续。\n 数据来源：统计局。\n正文二。\n格\n第二个注。\n注的第二段。\n"
    );
    assert_eq!(
        read(&body, &notes, Notes::Drop),
        "正文一。续。\n正文二。\n格\n"
    );
    let endnotes = FOOTNOTES.replace("footnote", "endnote");
    let body = r#"<w:p><w:r><w:t>文。</w:t></w:r><w:r><w:endnoteReference w:id="1"/></w:r></w:p>"#;
    assert_eq!(
        read(body, &[("word/endnotes.xml", &endnotes)], Notes::Keep),
        "文。\n 数据来源：统计局。\n"
    );
}

#[test]
fn furniture_and_revisions_are_left_out() {
    let body = r#"<w:p>
      <w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/>
      <w:commentRangeStart w:id="3"/><w:r><w:t>留</w:t></w:r><w:commentRangeEnd w:id="3"/>
      <w:r><w:commentReference w:id="3"/></w:r>
      <w:del w:id="4" w:author="a"><w:r><w:delText>删</w:delText></w:r></w:del>
      <w:ins w:id="5" w:author="a"><w:r><w:t>增</w:t></w:r></w:ins>
      <w:moveFrom w:id="6"><w:r><w:t>移走</w:t></w:r></w:moveFrom>
      <w:r><w:rPr><w:vanish/></w:rPr><w:t>隐</w:t></w:r>
      <w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>显</w:t></w:r>
      <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE \* MERGEFORMAT </w:instrText></w:r>
      <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
      <w:fldSimple w:instr=" DATE "><w:r><w:t>二〇二四年</w:t></w:r></w:fldSimple>
      <w:r><w:ruby><w:rt><w:r><w:t>xí</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>习</w:t></w:r></w:rubyBase></w:ruby></w:r>
      <mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>框</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>框</w:t></w:r></mc:Fallback></mc:AlternateContent>
    </w:p>"#;
    assert_eq!(read(body, &[], Notes::Keep), "留增显7二〇二四年习框\n");
}

#[test]
fn nested_fields_show_only_results() {
    let field = |instr: &str, inner: &str| {
        format!(
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>{instr}</w:instrText></w:r>{inner}<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>结果</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#
        )
    };
    let body = format!("<w:p>{}</w:p>", field("IF ", &field("PAGE", "")));
    assert_eq!(read(&body, &[], Notes::Keep), "结果\n");
}

#[test]
fn headers_and_footers_are_other_parts() {
    let header = r#"<w:hdr xmlns:w="w"><w:p><w:r><w:t>内部资料</w:t></w:r></w:p></w:hdr>"#;
    let out = read(&p("正文。"), &[("word/header1.xml", header)], Notes::Keep);
    assert_eq!(out, "正文。\n");
}

#[test]
fn no_text_is_empty_not_an_error() {
    assert_eq!(read("", &[], Notes::Keep), "");
    assert_eq!(
        read("<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>", &[], Notes::Keep),
        ""
    );
}

#[test]
fn damaged_documents_say_why() {
    let no_main = zip_of(&[("word/other.xml", b"<a/>")]);
    let error = extract(&no_main, Notes::Keep).unwrap_err().to_string();
    assert!(error.contains("word/document.xml"), "{error}");
    let bad_xml = zip_of(&[("word/document.xml", b"<w:document><w:body><w:p>")]);
    let error = extract(&bad_xml, Notes::Keep).unwrap_err().to_string();
    assert!(error.contains("word/document.xml"), "{error}");
    let good = zip_of(&[("word/document.xml", document(&p("正文。")).as_bytes())]);
    assert!(extract(&good[..good.len() - 30], Notes::Keep).is_err());
    assert!(matches!(
        extract(b"not a zip at all", Notes::Keep),
        Err(DocumentError::Zip(_))
    ));
}

#[test]
fn the_main_part_is_found_through_its_relationship() {
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document2.xml"/></Relationships>"#;
    let main = document(&p("正文。"));
    let bytes = zip_of(&[
        ("_rels/.rels", rels.as_bytes()),
        ("word/document2.xml", main.as_bytes()),
    ]);
    assert_eq!(extract(&bytes, Notes::Keep).unwrap(), "正文。\n");
}

#[test]
fn hidden_styles_hide_their_text_and_nothing_else() {
    let styles = format!(
        r#"<w:styles {W}>
        <w:style w:type="paragraph" w:styleId="Hidden"><w:rPr><w:vanish/></w:rPr></w:style>
        <w:style w:type="paragraph" w:styleId="Shown"><w:basedOn w:val="Hidden"/><w:rPr><w:vanish w:val="0"/></w:rPr></w:style>
        <w:style w:type="paragraph" w:styleId="MarkOnly"><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr></w:style>
        <w:style w:type="character" w:styleId="Secret"><w:rPr><w:vanish/></w:rPr></w:style>
        </w:styles>"#
    );
    let para = |style: &str, runs: &str| {
        format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p>"#)
    };
    let run =
        |props: &str, text: &str| format!("<w:r><w:rPr>{props}</w:rPr><w:t>{text}</w:t></w:r>");
    let body = [
        para("Hidden", &run("", "整段隐藏。")),
        // The run's own w:vanish val=0 shows it in a hidden paragraph style.
        para("Hidden", &run(r#"<w:vanish w:val="0"/>"#, "单独显示。")),
        para("Shown", &run("", "重新显示。")),
        // A w:vanish in the style's paragraph-mark properties hides the mark only.
        para("MarkOnly", &run("", "段落标记隐藏，文字照常。")),
        para(
            "Normal",
            &format!(
                "{}{}{}",
                run("", "前文"),
                run(r#"<w:rStyle w:val="Secret"/>"#, "批示"),
                run(
                    r#"<w:rStyle w:val="Secret"/><w:vanish w:val="false"/>"#,
                    "后文。"
                )
            ),
        ),
    ]
    .concat();
    let out = read(&body, &[("word/styles.xml", &styles)], Notes::Keep);
    assert_eq!(
        out,
        "单独显示。\n重新显示。\n段落标记隐藏，文字照常。\n前文后文。\n"
    );
}

#[test]
fn a_text_box_follows_its_anchor_once() {
    let inner = p("框内文字。");
    let body = format!(
        r#"<w:p><w:r><w:t>锚定段落，</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>{inner}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>{inner}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>句子继续。</w:t></w:r></w:p>{}"#,
        p("下一段。")
    );
    assert_eq!(
        read(&body, &[], Notes::Keep),
        "锚定段落，句子继续。\n框内文字。\n下一段。\n"
    );
}
