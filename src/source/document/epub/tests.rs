use super::*;
use crate::source::document::tests::stored_zip_of;

const CONTAINER: &str = r#"<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#;

const OPF: &str = r#"<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><manifest>
  <item id="nav" href="toc.xhtml" media-type="application/xhtml+xml" properties="nav"/>
  <item id="c2" href="text/ch%202.xhtml" media-type="application/xhtml+xml"/>
  <item id="c1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/>
  <item id="css" href="s.css" media-type="text/css"/>
</manifest><spine><itemref idref="nav"/><itemref idref="c1"/><itemref idref="c2"/></spine></package>"#;

fn xhtml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>书名</title><style>p {{ margin: 0 }}</style></head><body>{body}</body></html>"#
    )
}

fn epub(ch1: &str, ch2: &str) -> Vec<u8> {
    let (ch1, ch2) = (xhtml(ch1), xhtml(ch2));
    let toc = xhtml(
        "<nav epub:type=\"toc\"><ol><li><a href=\"text/ch1.xhtml\">第一章</a></li></ol></nav>",
    );
    stored_zip_of(&[
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", CONTAINER.as_bytes()),
        ("OEBPS/content.opf", OPF.as_bytes()),
        ("OEBPS/toc.xhtml", toc.as_bytes()),
        ("OEBPS/text/ch1.xhtml", ch1.as_bytes()),
        ("OEBPS/text/ch 2.xhtml", ch2.as_bytes()),
    ])
}

#[test]
fn spine_order_blocks_breaks_and_whitespace() {
    let ch1 = "<h1>第一章</h1><p>第一段\n  接着写。</p><div>甲<br/>乙<span> and </span>丙 AB</div>";
    let ch2 = "<p>第二章&nbsp;正文&#x3002;</p><script>var x = '<p>不是正文</p>';</script>";
    assert_eq!(
        extract(&epub(ch1, ch2), Notes::Keep).unwrap(),
        "第一章\n第一段接着写。\n甲\n乙 and 丙 AB\n第二章\u{a0}正文。\n"
    );
}

#[test]
fn tables_lists_and_ruby() {
    let ch1 = "<table><tr><th>项目</th><td><p>36</p><p>次</p></td></tr><tr><td>格</td><td/></tr></table><ol start=\"3\"><li>第三项</li><li>第四项</li></ol><ul><li>圆点</li></ul><p><ruby>习<rt>xí</rt></ruby>近平</p>";
    assert_eq!(
        extract(&epub(ch1, ""), Notes::Keep).unwrap(),
        "项目\t36 次\n格\t\n3.第三项\n4.第四项\n圆点\n习近平\n"
    );
}

#[test]
fn notes_follow_the_citing_block_or_are_dropped() {
    let ch1 = r##"<p>正文一。<sup id="r1"><a epub:type="noteref" href="#n1">1</a></sup>续。</p><p>正文二。</p><aside epub:type="footnote" id="n1"><p><sup><a href="#r1">1</a></sup>注文。</p></aside><aside epub:type="footnote" id="n2"><p>无人引用的注。</p></aside>"##;
    assert_eq!(
        extract(&epub(ch1, ""), Notes::Keep).unwrap(),
        "正文一。续。\n注文。\n正文二。\n无人引用的注。\n"
    );
    assert_eq!(
        extract(&epub(ch1, ""), Notes::Drop).unwrap(),
        "正文一。续。\n正文二。\n"
    );
}

#[test]
fn broken_markup_keeps_its_text_and_entities_are_not_expanded() {
    let ch1 = "<p>一<b>二</i>三</p><p>四&unknown;五";
    assert_eq!(
        extract(&epub(ch1, ""), Notes::Keep).unwrap(),
        "一二三\n四&unknown;五\n"
    );
}

#[test]
fn encrypted_and_damaged_books() {
    let encryption = r#"<encryption><EncryptedData><CipherData><CipherReference URI="OEBPS/text/ch1.xhtml"/></CipherData></EncryptedData></encryption>"#;
    let mut parts = vec![
        ("mimetype", &b"application/epub+zip"[..]),
        ("META-INF/container.xml", CONTAINER.as_bytes()),
        ("OEBPS/content.opf", OPF.as_bytes()),
        ("META-INF/encryption.xml", encryption.as_bytes()),
    ];
    assert!(matches!(
        extract(&stored_zip_of(&parts), Notes::Keep),
        Err(DocumentError::Encrypted)
    ));
    parts.truncate(1);
    let error = extract(&stored_zip_of(&parts), Notes::Keep)
        .unwrap_err()
        .to_string();
    assert!(error.contains("container.xml"), "{error}");
    // A book whose chapters are missing or empty has no text: empty, not an error.
    let parts = [
        ("mimetype", &b"application/epub+zip"[..]),
        ("META-INF/container.xml", CONTAINER.as_bytes()),
        ("OEBPS/content.opf", OPF.as_bytes()),
    ];
    assert_eq!(extract(&stored_zip_of(&parts), Notes::Keep).unwrap(), "");
}
