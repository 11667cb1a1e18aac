//! `check` and `diff` take `--dict` and `--config` as `clean` does, so that they judge a file
//! with the conversion `clean` would use: a file `clean --dict` leaves alone is one `check
//! --dict` passes, and `diff --dict` shows the user's phrases where `clean --dict` writes them.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn zhclean(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("zhclean").unwrap().args(args).assert()
}

/// A file of `text` in `dir`, by its path as a string.
fn file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// A Traditional paragraph, which `clean` converts.
const TEXT: &str = "他吃了一個麥旋風，還買了新的軟體。\n";

const CONFIG: &str = r#"{
  "name": "t2s, with my phrases",
  "conversion_chain": [{
    "dict": {
      "type": "group",
      "dicts": [
        { "type": "inline", "entries": { "麥旋風": "冰炫风", "軟體": "软件" } },
        { "type": "ocd2", "file": "TSPhrases.ocd2" },
        { "type": "ocd2", "file": "TSCharacters.ocd2" },
      ],
    },
  }],
}
"#;

#[test]
fn check_passes_what_clean_with_the_same_dictionary_leaves_alone() {
    let tmp = tempfile::tempdir().unwrap();
    // Every Traditional phrase of the text kept as it is: `clean --convert always --dict`
    // leaves the file alone, while without the dictionary it converts it.
    let keep = file(
        tmp.path(),
        "keep.txt",
        "他吃了一個麥旋風，還買了新的軟體。\t他吃了一個麥旋風，還買了新的軟體。\n",
    );
    let input = file(tmp.path(), "in.txt", TEXT);
    let always = ["--convert", "always"];
    let with_dict = [&always[..], &["--dict", &keep, &input]].concat();
    zhclean(&[&["clean"], &with_dict[..]].concat()).stdout(TEXT);
    zhclean(&[&["check"], &with_dict[..]].concat())
        .code(0)
        .stdout("");
    zhclean(&[&["check"], &always[..], &[&input]].concat())
        .code(1)
        .stdout(predicate::str::contains("in.txt"));
    zhclean(&[&["diff"], &with_dict[..]].concat())
        .code(0)
        .stdout("");
}

#[test]
fn diff_shows_the_user_phrases_clean_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let dict = file(tmp.path(), "mine.txt", "麥旋風\t冰炫风\n");
    let input = file(tmp.path(), "in.txt", TEXT);
    let cleaned = "他吃了一个冰炫风，还买了新的软体。";
    zhclean(&["clean", "--dict", &dict, &input]).stdout(format!("{cleaned}\n"));
    zhclean(&["diff", "--dict", &dict, "--color", "never", &input])
        .code(1)
        .stdout(predicate::str::contains(format!("+{cleaned}")));
    zhclean(&["diff", "--color", "never", &input])
        .code(1)
        .stdout(predicate::str::contains(
            "+他吃了一个麦旋风，还买了新的软体。",
        ));
    // A dictionary's errors are named as `clean` names them.
    let bad = file(tmp.path(), "bad.txt", "麥旋風 冰炫风\n");
    for command in ["check", "diff"] {
        zhclean(&[command, "--dict", &bad, &input])
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{bad}:1: expected PHRASE<TAB>REPLACEMENT"
            )));
    }
}

#[test]
fn check_and_diff_take_an_opencc_config_file() {
    let tmp = tempfile::tempdir().unwrap();
    let config = file(tmp.path(), "my.json", CONFIG);
    let input = file(tmp.path(), "in.txt", TEXT);
    let cleaned = "他吃了一个冰炫风，还买了新的软件。\n";
    zhclean(&["clean", "--config", &config, &input]).stdout(cleaned);
    zhclean(&["diff", "--config", &config, "--color", "never", &input])
        .code(1)
        .stdout(predicate::str::contains(format!("+{}", cleaned.trim_end())));
    // What `clean --config` wrote, `check --config` passes.
    let output = file(tmp.path(), "out.txt", cleaned);
    zhclean(&["check", "--config", &config, &output])
        .code(0)
        .stdout("");
    // And with --jsonl, a record's field judged the same way.
    let record = format!(
        "{{\"text\":{}}}\n",
        serde_json::to_string(TEXT.trim_end()).unwrap()
    );
    let shard = file(tmp.path(), "in.jsonl", &record);
    zhclean(&[
        "diff", "--jsonl", "--config", &config, "--color", "never", &shard,
    ])
    .code(1)
    .stdout(predicate::str::contains(format!("+{}", cleaned.trim_end())));
    let missing = tmp.path().join("missing.json").display().to_string();
    zhclean(&["check", "--config", &missing, &input])
        .code(2)
        .stderr(predicate::str::contains("missing.json"));
}
