use std::path::Path;

use super::super::{Config, Converter};
use super::*;

fn options() -> ConvertOptions {
    ConvertOptions::default()
}

/// Comments and trailing commas become spaces, character for character: lines and columns
/// stay, and what is inside strings is untouched.
#[test]
fn relaxed_json_blanks_comments_and_trailing_commas() {
    let text = "{ // 註釋\n \"a\": \"x // y, ]\", /* b\n c */ \"b\": [1, 2, /* z */ ],\n}";
    let relaxed = relaxed_json(text);
    assert_eq!(relaxed.chars().count(), text.chars().count());
    assert_eq!(relaxed.lines().count(), text.lines().count());
    let value: serde_json::Value = serde_json::from_str(&relaxed).unwrap();
    assert_eq!(value["a"], "x // y, ]");
    assert_eq!(value["b"], serde_json::json!([1, 2]));
    // A comma between items stays.
    assert_eq!(relaxed_json("[1,2]"), "[1,2]");
    assert_eq!(relaxed_json("[\"\\\"\",]"), "[\"\\\"\" ]");
}

/// OpenCC's own config files read as the built-in configurations they are, on OpenCC's test
/// cases of those configurations.
#[test]
fn opencc_configs_convert_as_the_built_in_ones() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/convert/opencc-config");
    let texts = [
        "這裡的資料，頭髮很長。我們在會議上討論了滑鼠和軟體的問題。",
        "鼠标里面的硅，与计算机的内存、软件。",
    ];
    for name in ["t2s", "tw2sp", "s2twp", "s2hk"] {
        let path = dir.join(format!("{name}.json"));
        let file = ConfigFile::load(&path, options()).unwrap();
        let builtin = Converter::new(name.parse().unwrap(), options());
        for text in texts {
            assert_eq!(file.convert(text), builtin.convert(text), "{name}: {text}");
        }
    }
}

/// A text dictionary relative to the config file and an inline one, in a group before the
/// built-in tables: each wins its phrases, and the rest converts as `t2s` does.
#[test]
fn text_and_inline_dictionaries_come_first() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("d")).unwrap();
    std::fs::write(tmp.path().join("d/mine.txt"), "# mine\n軟體\t软件 軟件\n").unwrap();
    let config = r#"{
      "name": "mine", // a comment
      "conversion_chain": [{
        "dict": {
          "type": "group",
          "dicts": [
            { "type": "text", "file": "d/mine.txt" },
            { "type": "inline", "entries": { "麥旋風": "冰炫风", "後": ["後", "后"] } },
            { "type": "ocd2", "file": "TSPhrases.ocd2" },
            { "type": "text", "file": "TSCharacters.txt" },
          ],
        },
      }],
    }"#;
    let path = tmp.path().join("my.json");
    std::fs::write(&path, config).unwrap();
    let file = ConfigFile::load(&path, options()).unwrap();
    assert_eq!(
        file.convert("吃麥旋風，後來的軟體很長"),
        "吃冰炫风，後来的软件很长"
    );
    let t2s = Converter::new(Config::T2s, options());
    assert_eq!(
        t2s.convert("吃麥旋風，後來的軟體很長"),
        "吃麦旋风，后来的软体很长"
    );
}

fn error(config: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bad.json");
    std::fs::write(&path, config).unwrap();
    let error = ConfigFile::load(&path, options()).unwrap_err().to_string();
    error.replace(&tmp.path().display().to_string(), "DIR")
}

#[test]
fn errors_name_the_file_and_the_place() {
    // Malformed JSON: the line and column, past comments.
    assert_eq!(
        error("{ // x\n  \"conversion_chain\": [ }"),
        "DIR/bad.json:2:25: expected value"
    );
    // An unknown dictionary type.
    let unknown =
        error("{\"conversion_chain\": [\n  {\"dict\": {\"type\": \"marisa\", \"file\": \"a\"}}]}");
    assert!(
        unknown.starts_with("DIR/bad.json:2:")
            && unknown.contains("unknown variant `marisa`, expected one of `text`"),
        "{unknown}"
    );
    // A missing text file, placed where it is named.
    assert_eq!(
        error(
            "{\"conversion_chain\": [\n {\"dict\": {\"type\": \"text\", \"file\": \"no.txt\"}}]}"
        ),
        "DIR/bad.json:2:36: dictionary file not found: DIR/no.txt"
    );
    // Built-in dictionaries outside the groups they are compiled in.
    let split = error(
        "{\"conversion_chain\": [{\"dict\": {\"type\": \"group\", \"dicts\": [\n\
         {\"type\": \"ocd2\", \"file\": \"TSCharacters.ocd2\"}, {\"type\": \"ocd2\", \"file\": \"TWVariants.ocd2\"}]}}]}",
    );
    assert!(
        split.starts_with("DIR/bad.json:2:26: the built-in dictionaries TSCharacters + TWVariants"),
        "{split}"
    );
    // No chain at all.
    assert!(error("{}").contains("missing field `conversion_chain`"));
    let missing = ConfigFile::load(Path::new("/no/such/dir/x.json"), options()).unwrap_err();
    assert!(missing
        .to_string()
        .starts_with("/no/such/dir/x.json: cannot read"));
}
