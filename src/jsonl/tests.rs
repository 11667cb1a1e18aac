use super::*;

fn config(field: &str, report_field: Option<&str>) -> JsonlConfig {
    JsonlConfig {
        field: FieldPath::parse(field).unwrap(),
        report_field: report_field.map(str::to_string),
    }
}

/// Cleans one line with the default settings: the line written, and what became of it.
fn clean(line: &str, config: &JsonlConfig) -> (String, LineResult) {
    let mut out = Vec::new();
    let result = clean_line(
        line.as_bytes(),
        config,
        &Settings::default(),
        &mut Scratch::default(),
        &mut out,
    );
    (String::from_utf8(out).unwrap(), result)
}

/// What `zhclean clean` writes for a file holding `text`.
fn as_file(text: &str) -> String {
    let mut out = Vec::new();
    clean_stream(&mut text.as_bytes(), &mut out, &Settings::default()).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn field_paths() {
    assert_eq!(FieldPath::parse("text").unwrap(), FieldPath::default());
    assert_eq!(
        FieldPath::parse("meta.body").unwrap().keys(),
        ["meta", "body"]
    );
    for bad in ["", "a..b", ".a", "a."] {
        assert!(FieldPath::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn the_field_is_found_with_its_span_and_text() {
    let line = r#"{"id": 7, "text" : "一\n二", "z":null}"#;
    let record = Record::parse(line).unwrap();
    let field = record.field(&FieldPath::default()).unwrap();
    assert_eq!(&line[field.span.clone()], r#""一\n二""#);
    assert_eq!(field.text(&mut String::new()).unwrap(), "一\n二");
    assert!(!field.ascii);
    let nested = r#"{"meta":{"a":1,"body":"\u4e2d\u6587"},"text":1}"#;
    let field = Record::parse(nested)
        .unwrap()
        .field(&FieldPath::parse("meta.body").unwrap())
        .unwrap();
    assert_eq!(field.text(&mut String::new()).unwrap(), "中文");
    assert!(field.ascii);
    assert_eq!(&nested[field.span], r#""\u4e2d\u6587""#);
}

#[test]
fn records_without_a_string_field_say_why() {
    let path = FieldPath::default();
    let error = |line: &str| {
        Record::parse(line)
            .and_then(|r| r.field(&path).map(|_| ()))
            .unwrap_err()
    };
    assert_eq!(
        error(r#"{"body":"x"}"#),
        RecordError::Missing("text".into())
    );
    assert_eq!(
        error(r#"{"text":3}"#).to_string(),
        "the field 'text' is a number, not a string"
    );
    assert_eq!(
        error(r#"{"text":null}"#).to_string(),
        "the field 'text' is null, not a string"
    );
    assert!(matches!(error(r#"{"text":"a""#), RecordError::Malformed(_)));
    assert!(matches!(
        error(r#"{"text":"a"} trailing"#),
        RecordError::Malformed(_)
    ));
    assert_eq!(error(r#"["text"]"#), RecordError::NotAnObject);
    assert_eq!(
        error(r#"{"text":"a","text":"b"}"#).to_string(),
        "the field 'text' appears twice in one object"
    );
    let nested = FieldPath::parse("meta.body").unwrap();
    let record = Record::parse(r#"{"meta":"flat"}"#).unwrap();
    assert_eq!(
        record.field(&nested).unwrap_err().to_string(),
        "'meta' is a string, not an object with the field 'meta.body'"
    );
}

/// Only the field's value changes: every other byte (spacing, key order, escapes, big numbers)
/// is the input's.
#[test]
fn only_the_field_is_rewritten() {
    let line = r#"{ "id":12345678901234567890123, "text":"　　第一段\r\n\r\n第二段", "k\u00e9y" : [1.0e3, "\u4e2d"] }"#;
    let (out, result) = clean(line, &JsonlConfig::default());
    assert!(matches!(result, LineResult::Cleaned { changed: true, .. }));
    let cleaned = serde_json::to_string(&as_file("　　第一段\r\n\r\n第二段")).unwrap();
    assert_eq!(
        out,
        format!(
            r#"{{ "id":12345678901234567890123, "text":{cleaned}, "k\u00e9y" : [1.0e3, "\u4e2d"] }}"#
        )
    );
}

#[test]
fn the_cleaned_field_equals_cleaning_the_text_as_a_file() {
    for text in [
        "",
        "正文。",
        "　　根據《條例》,現將情況報告如下:\r\n\r\n[bookmark: _GoBack]一、總體情況\r\n",
        "第一行\n- 3 -\n\n第二行\n",
    ] {
        let line = serde_json::json!({ "text": text }).to_string();
        let (out, _) = clean(&line, &JsonlConfig::default());
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["text"], as_file(text), "{text:?}");
    }
}

/// A record whose text is already clean comes out byte for byte, its escapes included.
#[test]
fn a_clean_record_is_copied_byte_for_byte() {
    let line = r#"{"text":"\u6b63\u6587\u3002\n","n":1}"#;
    let (out, result) = clean(line, &JsonlConfig::default());
    assert!(matches!(result, LineResult::Cleaned { changed: false, .. }));
    assert_eq!(out, line);
}

/// A field written with `\u` escapes (Python's `ensure_ascii`) is written back the same way.
#[test]
fn ascii_escaped_fields_stay_ascii() {
    let line = r#"{"text":"\u3000\u3000\u6b63\u6587\u3002 \ud840\udc00"}"#;
    let (out, _) = clean(line, &JsonlConfig::default());
    assert!(out.is_ascii(), "{out}");
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["text"], as_file("\u{3000}\u{3000}正文。 \u{20000}"));
    let mut plain = Vec::new();
    write_string("a\"\\\n\u{1}中", true, &mut plain);
    assert_eq!(
        String::from_utf8(plain).unwrap(),
        r#""a\"\\\n\u0001\u4e2d""#
    );
}

#[test]
fn bad_lines_are_copied_as_they_are() {
    for line in [
        "not json",
        r#"{"text": 1}"#,
        r#"{"body":"x"}"#,
        "{\"text\":\"%PDF-1.4\u{0}\"}",
    ] {
        let (out, result) = clean(line, &config("text", Some("zhclean")));
        assert_eq!(out, line);
        assert!(matches!(result, LineResult::Bad(_)), "{line}: {result:?}");
    }
    let mut out = Vec::new();
    let result = clean_line(
        b"{\"text\":\"\xff\"}",
        &JsonlConfig::default(),
        &Settings::default(),
        &mut Scratch::default(),
        &mut out,
    );
    assert!(matches!(result, LineResult::Bad(RecordError::NotUtf8)));
    assert_eq!(out, b"{\"text\":\"\xff\"}");
    let (out, result) = clean("  ", &JsonlConfig::default());
    assert_eq!(
        (out.as_str(), matches!(result, LineResult::Blank)),
        ("  ", true)
    );
}

#[test]
fn the_report_field_is_added_or_replaced() {
    let with = config("text", Some("zhclean"));
    let (out, _) = clean(r#"{"text":"　　正文。"}"#, &with);
    assert_eq!(
        out,
        r#"{"text":"正文。\n","zhclean":{"changed":true,"rules":{"indentation":1},"removed_han":{}}}"#
    );
    let (out, _) = clean(r#"{"zhclean":0,"text":"正文。\n"} "#, &with);
    assert_eq!(
        out,
        r#"{"zhclean":{"changed":false,"rules":{},"removed_han":{}},"text":"正文。\n"} "#
    );
}

/// The unescaping of a field reads every escape JSON has, as serde_json does, and refuses a
/// half surrogate pair as it does.
#[test]
fn escapes_read_as_serde_json_reads_them() {
    for raw in [
        r#""plain 中文""#,
        r#""\"\\\/\b\f\n\r\t""#,
        r#""\u4e2d\u6587 \ud840\udc00 \u00e9 end""#,
        r#""a\nb\u3000""#,
    ] {
        let line = format!("{{\"text\":{raw}}}");
        let record = Record::parse(&line).unwrap();
        let field = record.field(&FieldPath::default()).unwrap();
        let expected: String = serde_json::from_str(raw).unwrap();
        assert_eq!(field.text(&mut String::new()).unwrap(), expected, "{raw}");
    }
    for raw in [r#""\ud840""#, r#""\udc00x""#, r#""\ud840\u0041""#] {
        let line = format!("{{\"text\":{raw}}}");
        let record = Record::parse(&line).unwrap();
        let field = record.field(&FieldPath::default()).unwrap();
        assert!(
            matches!(
                field.text(&mut String::new()),
                Err(RecordError::Malformed(_))
            ),
            "{raw}"
        );
        assert!(serde_json::from_str::<String>(raw).is_err(), "{raw}");
    }
}

/// What serde_json's way says of a line: the error `clean_line` gave before the scan.
fn serde_error(line: &[u8], config: &JsonlConfig) -> Option<RecordError> {
    let (_, field) = match locate(line, config) {
        Ok(found) => found,
        Err(error) => return Some(error),
    };
    field.text(&mut String::new()).err()
}

/// A line the fast scan refuses or cannot finish goes serde_json's way: it is named with the
/// very error serde_json's way gives, and copied as it was.
#[test]
fn bad_lines_are_named_as_serde_json_names_them() {
    let lines: [&[u8]; 12] = [
        b"{\"text\":\"a\tb\"}",
        b"{\"text\":\"a\\xb\"}",
        b"{\"text\":\"a\\u12\"}",
        b"{\"text\":\"a\\ud800b\"}",
        b"{\"text\":\"\xe4\xb8\"}",
        b"{\"text\":\"\xe4\xb8\\n\"}",
        b"{\"id\":\"\xff\",\"text\":\"a\"}",
        b"{\"text\":\"a\",\"text\":\"b\"}",
        b"{\"text\":\"a\"",
        b"{\"text\":\"a\"} x",
        b"{\"n\":01,\"text\":\"a\"}",
        b"{\"meta\":{\"body\":1},\"text\":\"a\"}",
    ];
    for config in [config("text", None), config("meta.body", Some("r"))] {
        for line in lines {
            let mut out = Vec::new();
            let result = clean_line(
                line,
                &config,
                &Settings::default(),
                &mut Scratch::default(),
                &mut out,
            );
            // A line bad for one field may be a good record for the other.
            match (result, serde_error(line, &config)) {
                (LineResult::Bad(error), Some(expected)) => {
                    assert_eq!(error, expected, "{line:?}");
                    assert_eq!(out, line);
                }
                (LineResult::Cleaned { .. }, None) => {}
                (other, expected) => panic!("{line:?}: {other:?}, serde_json: {expected:?}"),
            }
        }
    }
}

/// Lines the scan takes are cleaned as serde_json's way cleans them: the same field, the same
/// output, nested or not, with escaped keys elsewhere, whatever the spacing.
#[test]
fn the_scan_finds_the_field_serde_json_finds() {
    let lines = [
        r#"{"id":12345678901234567890,"text":"　　正文。","x":[1,{"y":null},"z"]}"#,
        r#" { "te\u0078t2" : "k" , "text" : "　　一\n二" } "#,
        r#"{"meta":{"body":"　　正文。","n":-1.5e+3},"text":"t"}"#,
        r#"{"text":"\u3000\u3000\u6b63\u6587\u3002"}"#,
    ];
    for field in ["text", "meta.body"] {
        for line in lines {
            let config = config(field, Some("r"));
            let (out, result) = clean(line, &config);
            let Ok((record, found)) = locate(line.as_bytes(), &config) else {
                assert!(matches!(result, LineResult::Bad(_)), "{line}");
                continue;
            };
            let text = found.text(&mut String::new()).unwrap().to_string();
            let mut expected = line[..found.span.start].to_string();
            let mut value = Vec::new();
            write_string(&as_file(&text), found.ascii, &mut value);
            expected.push_str(std::str::from_utf8(&value).unwrap());
            expected.push_str(&line[found.span.end..]);
            // The report field goes in where `place_for` says (here: before the last brace).
            assert!(matches!(record.place_for("r"), Placement::Insert { .. }));
            let at = expected.rfind('}').unwrap();
            assert!(out.starts_with(&expected[..at]), "{line}\n{out}");
            assert!(out[at..].starts_with(r#","r":{"changed":true"#), "{out}");
        }
    }
}
