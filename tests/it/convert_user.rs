//! The user's own conversion: `--dict FILE` for `convert` and `clean`, and OpenCC config files
//! (`convert -c my.json`, `clean --config my.json`), through the command line and the library.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use assert_cmd::Command;
use predicates::prelude::*;
use zhclean::stages::convert::{Config, ConfigFile, ConvertOptions, Converter};

fn zhclean(args: &[&str], stdin: &str) -> assert_cmd::assert::Assert {
    Command::cargo_bin("zhclean")
        .unwrap()
        .args(args)
        .write_stdin(stdin)
        .assert()
}

fn stdout(args: &[&str], stdin: &str) -> String {
    let output = zhclean(args, stdin).success().get_output().stdout.clone();
    String::from_utf8(output).unwrap()
}

/// A file of `text` in `dir`, by its path as a string.
fn file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path.display().to_string()
}

const TEXT: &str = "他吃了一個麥旋風，還買了新的軟體。\n";

#[test]
fn a_user_dictionary_changes_what_convert_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let dict = file(
        tmp.path(),
        "mine.txt",
        "# my phrases\n麥旋風\t冰炫风 麦旋风\n\n軟體\t软件\n",
    );
    assert_eq!(
        stdout(&["convert", "-c", "t2s"], TEXT),
        "他吃了一个麦旋风，还买了新的软体。\n"
    );
    assert_eq!(
        stdout(&["convert", "-c", "t2s", "--dict", &dict], TEXT),
        "他吃了一个冰炫风，还买了新的软件。\n"
    );
    // Repeatable: the first file given wins a phrase both have; the longest phrase wins.
    let other = file(
        tmp.path(),
        "other.txt",
        "軟體\t軟體\n麥旋\tX\n新的軟體\t新软件\n",
    );
    assert_eq!(
        stdout(
            &["convert", "-c", "t2s", "--dict", &dict, "--dict", &other],
            TEXT
        ),
        "他吃了一个冰炫风，还买了新软件。\n"
    );
    // Its output is final: a later step of the chain (tw2s: Taiwan forms, then t2s) does not
    // convert it again.
    let keep = file(tmp.path(), "keep.txt", "裡面\t裡面\n");
    assert_eq!(stdout(&["convert", "-c", "tw2s"], "裡面\n"), "里面\n");
    assert_eq!(
        stdout(&["convert", "-c", "tw2s", "--dict", &keep], "裡面\n"),
        "裡面\n"
    );
}

#[test]
fn a_user_dictionary_changes_what_clean_writes_where_the_gate_converts() {
    let tmp = tempfile::tempdir().unwrap();
    let dict = file(tmp.path(), "mine.txt", "麥旋風\t冰炫风\n麦旋风\t冰炫风\n");
    let input = "他吃了一個麥旋風，還買了新的軟體。\n\n我们吃了麦旋风。\n";
    assert_eq!(
        stdout(&["clean"], input),
        "他吃了一个麦旋风，还买了新的软体。\n我们吃了麦旋风。\n"
    );
    // The Traditional paragraph converts, with the user's phrase; the Simplified one is not
    // converted, so the dictionary does not touch it.
    assert_eq!(
        stdout(&["clean", "--dict", &dict], input),
        "他吃了一个冰炫风，还买了新的软体。\n我们吃了麦旋风。\n"
    );
    assert_eq!(
        stdout(&["clean", "--convert", "never", "--dict", &dict], input),
        "他吃了一個麥旋風，還買了新的軟體。\n我们吃了麦旋风。\n"
    );
}

#[test]
fn malformed_dictionaries_are_named_with_their_line() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = file(tmp.path(), "bad.txt", "# ok\n麥旋風\t冰炫风\n軟體 软件\n");
    for command in ["convert", "clean"] {
        let mut args = vec![command, "--dict", &bad];
        if command == "convert" {
            args.extend(["-c", "t2s"]);
        }
        zhclean(&args, TEXT)
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{bad}:3: expected PHRASE<TAB>REPLACEMENT"
            )));
    }
    let missing = tmp.path().join("missing.txt").display().to_string();
    zhclean(&["convert", "-c", "t2s", "--dict", &missing], TEXT)
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{missing}: cannot read the dictionary"
        )));
}

const MY_CONFIG: &str = r#"{
  "name": "t2s, with my phrases",
  /* OpenCC's t2s, with a text dictionary and an inline one first */
  "conversion_chain": [{
    "dict": {
      "type": "group",
      "dicts": [
        { "type": "text", "file": "dicts/mine.txt" },
        { "type": "inline", "entries": { "麥旋風": "冰炫风" } },
        { "type": "ocd2", "file": "TSPhrases.ocd2" },
        { "type": "ocd2", "file": "TSCharactersExt.ocd2", "may_output_tofu": true },
        { "type": "ocd2", "file": "TSCharacters.ocd2" }, // trailing commas, as OpenCC takes
      ],
    },
  }],
}
"#;

#[test]
fn a_config_file_with_a_text_and_an_inline_dictionary() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("dicts")).unwrap();
    file(tmp.path(), "dicts/mine.txt", "軟體\t软件\n");
    let config = file(tmp.path(), "my.json", MY_CONFIG);
    let expected = "他吃了一个冰炫风，还买了新的软件。\n";
    assert_eq!(stdout(&["convert", "-c", &config], TEXT), expected);
    // A file name without a directory is a file when it is not a built-in name.
    let converted = Command::cargo_bin("zhclean")
        .unwrap()
        .current_dir(tmp.path())
        .args(["convert", "-c", "my.json"])
        .write_stdin(TEXT)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(converted.stdout).unwrap(), expected);
    // `clean --config`: the gate decides which paragraphs convert, the file how.
    assert_eq!(
        stdout(
            &["clean", "--config", &config],
            "還買了新的軟體。\n\n买了新的软体。\n"
        ),
        "还买了新的软件。\n买了新的软体。\n"
    );
}

#[test]
fn config_file_errors_say_where() {
    let tmp = tempfile::tempdir().unwrap();
    let broken = file(
        tmp.path(),
        "broken.json",
        "{\n  \"conversion_chain\": [ }\n}\n",
    );
    zhclean(&["convert", "-c", &broken], TEXT)
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{broken}:2:25: expected value"
        )));
    let unknown = file(
        tmp.path(),
        "unknown.json",
        "{\"conversion_chain\": [{\"dict\": {\"type\": \"marisa\", \"file\": \"x\"}}]}",
    );
    zhclean(&["clean", "--config", &unknown], TEXT)
        .code(2)
        .stderr(predicate::str::contains("unknown variant `marisa`"))
        .stderr(predicate::str::contains(format!("{unknown}:1:")));
    let missing = file(
        tmp.path(),
        "missing.json",
        "{\"conversion_chain\": [{\"dict\": {\"type\": \"text\", \"file\": \"nope.txt\"}}]}",
    );
    zhclean(&["convert", "-c", &missing], TEXT)
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{missing}:1:57: dictionary file not found"
        )));
    // A built-in name is never taken for a file, and an unknown name that is no file says so.
    zhclean(&["convert", "-c", "t2x.json"], TEXT)
        .code(2)
        .stderr(predicate::str::contains(
            "or the path of an OpenCC config file",
        ));
}

fn opencc_config_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/convert/opencc-config")
}

/// OpenCC's own config files, read as files, convert every input of OpenCC's test cases as
/// the built-in configuration of the same name does.
#[test]
fn opencc_config_files_convert_as_the_built_in_configs() {
    let cases = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/convert/testcases.json"),
    )
    .unwrap();
    // Every quoted string of the test cases: inputs and expected outputs of every script.
    let texts: Vec<&str> = cases.split('"').skip(1).step_by(2).collect();
    assert!(texts.len() > 500);
    let mut checked = 0;
    for entry in fs::read_dir(opencc_config_dir()).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let Ok(config) = name.parse::<Config>() else {
            continue;
        };
        for rare_chars in [false, true] {
            let options = ConvertOptions { rare_chars };
            let file = Converter::from_file(Arc::new(ConfigFile::load(&path, options).unwrap()));
            let builtin = Converter::new(config, options);
            for text in &texts {
                assert_eq!(
                    file.convert(text),
                    builtin.convert(text),
                    "{name} (rare chars {rare_chars}): {text}"
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, Config::ALL.len());
}
