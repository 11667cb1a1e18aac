//! Japanese and Korean are not Chinese: `clean` (and `check`, `diff`, which predict it) leaves
//! every Han character, kana, Hangul letter and CJK punctuation mark of a Japanese or Korean
//! paragraph as it is; a Chinese paragraph beside one is still converted; `detect` names the
//! language; `convert` with an explicit configuration converts whatever it is given.
//! Fixtures and their licences: `fixtures/languages/README.md`.

use crate::common;

use std::path::{Path, PathBuf};

use common::zhclean;
use zhclean::pipeline::Target;
use zhclean::rules::Rule;
use zhclean::stages::convert::ConvertMode;
use zhclean::{clean_str, Options};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/languages")
        .join(name)
}

/// Han (with compatibility ideographs and the astral planes), kana, Hangul and CJK punctuation,
/// in order: what must come out of `clean` as it went in.
fn cjk(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            matches!(c,
                '\u{1100}'..='\u{11FF}' | '\u{3001}'..='\u{30FF}' | '\u{3131}'..='\u{318E}'
                | '\u{3400}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7A3}' | '\u{F900}'..='\u{FAFF}'
                | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}'
                | '\u{FF5B}'..='\u{FF9F}' | '\u{20000}'..)
        })
        .collect()
}

fn clean_file(path: &Path, args: &[&str]) -> String {
    let output = zhclean()
        .arg("clean")
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", path.display());
    String::from_utf8(output.stdout).unwrap()
}

/// chardet's Japanese and Korean test files, in their legacy encodings: not one CJK character
/// or mark changes, in `auto` mode and when every paragraph is forced through the converter.
/// (Before the language gate, `clean` changed 10 to 265 characters in each Japanese file and 5
/// to 12 Hanja in each Korean one, and widened the Korean full-width text's half-width
/// parentheses.)
#[test]
fn chardet_japanese_and_korean_files_keep_every_cjk_character() {
    let files = [
        ("SHIFT_JIS._ude_1.txt", encoding_rs::SHIFT_JIS, "ja"),
        ("EUC-JP._ude_1.txt", encoding_rs::EUC_JP, "ja"),
        ("EUC-KR._ude_euc2.txt", encoding_rs::EUC_KR, "ko"),
        ("EUC-KR.poliplus.egloos.com.xml", encoding_rs::EUC_KR, "ko"),
        ("UTF-8._ude_2.txt", encoding_rs::UTF_8, "ko"),
    ];
    for (name, encoding, language) in files {
        let path = fixture(&format!("chardet/{name}"));
        let bytes = std::fs::read(&path).unwrap();
        let (input, _, malformed) = encoding.decode(&bytes);
        assert!(!malformed, "{name}");
        let expected = cjk(&input);
        assert!(
            expected.len() > 100,
            "{name}: {} CJK characters",
            expected.len()
        );
        for mode in ["auto", "always"] {
            let out = clean_file(&path, &["--convert", mode]);
            assert_eq!(cjk(&out), expected, "{name} --convert {mode}");
        }
        let detected = zhclean()
            .arg("detect")
            .arg("--json")
            .arg(&path)
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&detected.stdout).unwrap();
        assert_eq!(json["language"], language, "{name}");
    }
}

/// Paragraphs written for these tests, already in the output format: `clean` writes them back
/// byte for byte, and `check` finds nothing to do.
#[test]
fn japanese_and_korean_paragraphs_come_out_unchanged() {
    for name in ["ja-wikipedia.txt", "ko-wikipedia.txt"] {
        let path = fixture(name);
        let input = std::fs::read_to_string(&path).unwrap();
        for mode in ["auto", "always"] {
            assert_eq!(
                clean_file(&path, &["--convert", mode]),
                input,
                "{name} {mode}"
            );
        }
        zhclean().arg("check").arg(&path).assert().success();
        // To Traditional too: Japanese shinjitai (国 学 会) look Simplified.
        assert_eq!(clean_file(&path, &["--to", "traditional"]), input, "{name}");
    }
}

/// A Traditional Chinese document quoting a Japanese paragraph: the Chinese is converted, the
/// Japanese is not, and the report says the document is Chinese with one Japanese paragraph.
#[test]
fn a_japanese_paragraph_in_a_chinese_document_is_left_alone() {
    let input = std::fs::read_to_string(fixture("zh-with-ja.txt")).unwrap();
    let (out, report) = clean_str(&input, &Options::default());
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "这是一篇关于东亚语言的文章，讨论汉字在各国的使用情况。",
            "日本語の文章です。東京都の會議で國語の学習について話し合った。",
            "上面这段日文说明了日本的国语教育，汉字在日本语中仍然广泛使用。",
            "在韩国，汉字称为「한자」，过去的报纸和书籍中经常可以看到汉字与韩文混用。",
        ]
    );
    assert_eq!(report.facts["language"], "zh");
    assert_eq!(report.facts["other-language-paragraphs"], "ja=1");
    assert_eq!(report.rules.get(Rule::ConvertScript), 3);
    // `diff` predicts it: the Japanese line is not among the changes.
    let diff = zhclean()
        .arg("diff")
        .arg(fixture("zh-with-ja.txt"))
        .output()
        .unwrap();
    let diff = String::from_utf8(diff.stdout).unwrap();
    assert!(diff.contains("+这是一篇"), "{diff}");
    assert!(!diff.contains("+日本語"), "{diff}");
}

/// What must not be taken for Japanese: Chinese prose with a stray kana (a brand name, `ー` as a
/// dash, `・` in a foreign name) is still converted, stray kana and all left as they are.
#[test]
fn chinese_with_a_stray_kana_is_still_converted() {
    let cases = [
        (
            "我們在「午後の紅茶」的廣告裡看到這個說法，覺得這個設計很有意思。",
            "我们在「午后の红茶」的广告里看到这个说法，觉得这个设计很有意思。",
        ),
        (
            "這家店的招牌菜ー牛肉飯ー賣得最好，每天中午都要排隊。",
            "这家店的招牌菜ー牛肉饭ー卖得最好，每天中午都要排队。",
        ),
        (
            "列奧納多・達文西是文藝復興時期的畫家。",
            "列奥纳多・达文西是文艺复兴时期的画家。",
        ),
    ];
    for (input, expected) in cases {
        let (out, _) = clean_str(input, &Options::default());
        assert_eq!(out.trim_end(), expected);
    }
}

/// Only `convert`, with a configuration the user chose, converts Japanese: it converts what it
/// is given.
#[test]
fn convert_with_an_explicit_config_converts_japanese_too() {
    let output = zhclean()
        .args(["convert", "-c", "t2s"])
        .write_stdin("東京都の會議で國語について話し合った。\n")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "东京都の会议で国语について话し合った。\n"
    );
}

/// The whole pipeline forced to convert (`--convert always`, as `clean` is asked to when the
/// script evidence is thin) still leaves Japanese and Korean alone.
#[test]
fn forced_conversion_leaves_japanese_and_korean_alone() {
    let options = Options {
        convert: ConvertMode::Always,
        target: Target::Simplified,
        ..Options::default()
    };
    for text in [
        "日本語の文章です。東京都の會議で國語の学習について話し合った。\n",
        "大韓民國憲法 第1條: 大韓民國은 民主共和國이다.\n",
    ] {
        assert_eq!(clean_str(text, &options).0, text);
    }
}
