use super::*;
use crate::source::document::tests::stored_zip_of;

const NS: &str = r#"xmlns:office="o" xmlns:text="t" xmlns:table="ta" xmlns:style="s" xmlns:loext="l" xmlns:fo="f""#;

fn content(styles: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:automatic-styles>{styles}</office:automatic-styles><office:body><office:text><text:sequence-decls><text:sequence-decl text:name="Table"/></text:sequence-decls>{body}</office:text></office:body></office:document-content>"#
    )
}

fn odt(content: &str, styles: Option<&str>) -> Vec<u8> {
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_bytes()),
    ];
    if let Some(styles) = styles {
        parts.push(("styles.xml", styles.as_bytes()));
    }
    stored_zip_of(&parts)
}

fn read(styles: &str, body: &str, notes: Notes) -> String {
    extract(&odt(&content(styles, body), None), notes).unwrap()
}

#[test]
fn paragraphs_spaces_tabs_breaks_and_tables() {
    let body = r#"<text:h text:outline-level="1">标题</text:h><text:p>甲<text:s/>乙<text:s text:c="2"/>丙<text:tab/>丁<text:line-break/>戊<text:soft-page-break/>己</text:p><text:p/>
      <table:table><table:table-column table:number-columns-repeated="2"/><table:table-row><table:table-cell><text:p>项目</text:p></table:table-cell><table:table-cell><text:p>36</text:p><text:p>次</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>格</text:p></table:table-cell><table:covered-table-cell/></table:table-row></table:table>"#;
    assert_eq!(
        read("", body, Notes::Keep),
        "标题\n甲 乙  丙\t丁\n戊己\n项目\t36 次\n格\t\n"
    );
}

const LIST_STYLE: &str = r#"<text:list-style style:name="L1">
  <text:list-level-style-number text:level="1" loext:num-list-format="%1%、" style:num-suffix="、" style:num-format="一, 二, 三, ..."/>
  <text:list-level-style-number text:level="2" style:num-prefix="（" style:num-suffix="）" style:num-format="一, 二, 三, ..."/>
  <text:list-level-style-number text:level="3" text:display-levels="2" style:num-suffix="." style:num-format="1"/>
</text:list-style>
<text:list-style style:name="B1"><text:list-level-style-bullet text:level="1" text:bullet-char="•"/></text:list-style>
<style:style style:name="T9" style:family="text"><style:text-properties text:display="none"/></style:style>"#;

#[test]
fn white_space_of_the_markup_collapses() {
    let body = "<text:p>\n    <text:span>第一句，</text:span>\n    <text:span>第二句。</text:span> A  B\n</text:p>";
    assert_eq!(read("", body, Notes::Keep), "第一句， 第二句。 A B\n");
}

#[test]
fn list_numbering_is_rendered_and_continues() {
    let body = r#"<text:list text:style-name="L1"><text:list-item><text:p>总体情况</text:p><text:list><text:list-item><text:p>加强领导</text:p></text:list-item></text:list></text:list-item></text:list>
      <text:p>正文。</text:p>
      <text:list text:continue-numbering="true" text:style-name="L1"><text:list-item><text:list><text:list-item><text:p>提升服务</text:p><text:list><text:list-item><text:p>清单。</text:p></text:list-item></text:list></text:list-item></text:list></text:list-item><text:list-item><text:p>主要做法</text:p><text:p>同一项的第二段。</text:p></text:list-item></text:list>
      <text:list text:style-name="L1"><text:list-item><text:p>重新开始</text:p></text:list-item><text:list-item text:start-value="5"><text:p>从五起</text:p></text:list-item></text:list>
      <text:list text:style-name="B1"><text:list-item><text:p>圆点</text:p></text:list-item></text:list>"#;
    assert_eq!(
        read(LIST_STYLE, body, Notes::Keep),
        "一、总体情况\n（一）加强领导\n正文。\n（二）提升服务\n二.1.清单。\n二、主要做法\n同一项的第二段。\n一、重新开始\n五、从五起\n圆点\n"
    );
}

#[test]
fn notes_follow_their_paragraph_or_are_dropped() {
    let body = r#"<text:p>正文一。<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>本节数据来源。</text:p></text:note-body></text:note>续。</text:p><text:p>正文二。</text:p>"#;
    assert_eq!(
        read("", body, Notes::Keep),
        "正文一。续。\n本节数据来源。\n正文二。\n"
    );
    assert_eq!(read("", body, Notes::Drop), "正文一。续。\n正文二。\n");
}

#[test]
fn furniture_deletions_and_hidden_text_are_left_out() {
    let body = r#"<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>删去的</text:p></text:deletion></text:changed-region></text:tracked-changes>
      <text:p><text:bookmark text:name="_GoBack"/>留<text:change text:change-id="c1"/><office:annotation><text:p>批注</text:p></office:annotation>增<text:hidden-text text:string-value="隐"/><text:span text:style-name="T9">藏</text:span><text:span>显</text:span><text:ruby><text:ruby-base>习</text:ruby-base><text:ruby-text>xí</text:ruby-text></text:ruby></text:p>"#;
    assert_eq!(read(LIST_STYLE, body, Notes::Keep), "留增显习\n");
}

#[test]
fn headers_in_styles_are_never_read_and_outline_numbers_headings() {
    let styles = format!(
        r#"<office:document-styles {NS}><office:styles><text:outline-style style:name="Outline"><text:outline-level-style text:level="1" style:num-suffix="、" style:num-format="一, 二, 三, ..."/></text:outline-style></office:styles><office:master-styles><style:master-page style:name="Standard"><style:header><text:p>内部资料</text:p></style:header><style:footer><text:p><text:page-number>1</text:page-number></text:p></style:footer></style:master-page></office:master-styles></office:document-styles>"#
    );
    let body = r#"<text:h text:outline-level="1">总体情况</text:h><text:p>正文。</text:p><text:h text:outline-level="1">下一步</text:h>"#;
    let bytes = odt(&content("", body), Some(&styles));
    assert_eq!(
        extract(&bytes, Notes::Keep).unwrap(),
        "一、总体情况\n正文。\n二、下一步\n"
    );
}

#[test]
fn encrypted_and_damaged_packages() {
    let manifest = r#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#;
    let bytes = stored_zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", b"\x8f\x00garbage"),
    ]);
    assert!(matches!(
        extract(&bytes, Notes::Keep),
        Err(DocumentError::Encrypted)
    ));
    let no_content = stored_zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.text")]);
    let error = extract(&no_content, Notes::Keep).unwrap_err().to_string();
    assert!(error.contains("content.xml"), "{error}");
    assert_eq!(read("", "", Notes::Keep), "");
}

#[test]
fn libreoffice_list_format_in_word_notation() {
    assert_eq!(word_notation("%1%、"), "%1、");
    assert_eq!(word_notation("（%2%）"), "（%2）");
    assert_eq!(word_notation("%1%.%2%."), "%1.%2.");
    assert_eq!(word_notation("100%"), "100%");
}
