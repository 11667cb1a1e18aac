//! Lints the dictionaries in `dicts/` and checks the tables `build.rs` compiles from them, both
//! read with the same parser and blob reader as the build (`crates/zhclean-dicts`): every entry
//! line is `KEY<TAB>TARGET[ TARGET…]`, no key is listed twice in one file, nothing hides in
//! whitespace, and a compiled table gives each entry of its first dictionary.

use std::path::{Path, PathBuf};

use zhclean_dicts::{blob, dict};

fn dicts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dicts")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A dictionary (`dicts/NAME.txt`) that the lint below has found well-formed.
fn entries(name: &str) -> Vec<dict::Entry> {
    let path = dicts_dir().join(format!("{name}.txt"));
    dict::parse(&read(&path))
        .into_result()
        .unwrap_or_else(|problems| panic!("{}: {problems:?}", path.display()))
}

/// A table compiled by `build.rs`, as it is embedded in the library.
fn compiled(name: &str) -> blob::TableData {
    let path = Path::new(env!("OUT_DIR")).join(format!("{name}.bin"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    blob::read_table(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn dictionaries_are_well_formed_without_duplicate_keys() {
    let root = dicts_dir();
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .chain(std::fs::read_dir(root.join("overrides")).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter(|p| !p.ends_with("both-scripts.txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 17, "dictionaries missing: {files:?}");
    let mut problems = Vec::new();
    for path in &files {
        let parsed = dict::parse(&read(path));
        assert!(
            !parsed.entries.is_empty() || !parsed.problems.is_empty(),
            "{}: no entries",
            path.display()
        );
        for problem in parsed.problems {
            problems.push(format!("{}:{problem}", path.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The tag that `build.rs` derives OpenCC's `TSCharactersExt` from is where the build looks for
/// it: on entries whose rare form is an alternative, not the default.
#[test]
fn tofu_risk_tags_mark_entries_that_keep_the_character() {
    let tagged: Vec<dict::Entry> = entries("TSCharacters")
        .into_iter()
        .filter(|entry| entry.has_tag("tofu-risk"))
        .collect();
    assert!(tagged.len() > 800, "{} tagged entries", tagged.len());
    for entry in &tagged {
        assert_eq!(entry.targets[0], entry.key, "line {}", entry.line);
        assert!(entry.targets.len() > 1, "line {}", entry.line);
    }
    // 㑮 keeps itself by default; its rare form 𫝈 is only in the rare-character table.
    let ts = compiled("ts");
    let ts_ext = compiled("ts_ext");
    assert_eq!(ts.lookup("㑮"), None);
    assert_eq!(ts_ext.lookup("㑮"), Some("𫝈"));
}

/// Each compiled table holds every entry of the dictionary that has priority in it, with the
/// entry's default target (where no override file corrects that dictionary).
#[test]
fn compiled_tables_hold_their_first_dictionary() {
    for (table, first) in [
        ("norm", "CJK_Compatibility_Ideographs"),
        ("st", "STPhrases"),
        ("tw", "TWVariantsPhrases"),
        ("tw_p", "TWPhrases"),
        ("tw_rev_p", "TWPhrasesRev"),
        ("hk", "HKVariantsPhrases"),
        ("hk_rev", "HKVariantsRevPhrases"),
        ("hk_rev_p", "HKPhrasesRev"),
        ("hk_p", "HKPhrases"),
        ("jp", "JPShinjitaiPhrases"),
    ] {
        assert!(
            !dicts_dir()
                .join("overrides")
                .join(format!("{first}.txt"))
                .exists(),
            "{first} has overrides: compare against the merged entries"
        );
        let compiled = compiled(table);
        let entries = entries(first);
        assert!(!entries.is_empty(), "{first}");
        for entry in entries {
            let expected = (entry.key != entry.targets[0] || entry.key.chars().count() > 1)
                .then_some(entry.targets[0].as_str());
            assert_eq!(
                compiled.lookup(&entry.key),
                expected,
                "{table}: {first} line {} ({})",
                entry.line,
                entry.key
            );
        }
    }
}

/// `t2jp`'s table is `JPShinjitaiCharacters` reversed, as OpenCC derives
/// `JPShinjitaiCharactersRev`: each old form maps back to the first new form that lists it.
#[test]
fn japanese_reverse_table_maps_old_forms_back() {
    let compiled = compiled("jp_rev");
    let mut first_key: std::collections::HashMap<String, String> = Default::default();
    for entry in entries("JPShinjitaiCharacters") {
        for target in &entry.targets {
            first_key
                .entry(target.clone())
                .or_insert_with(|| entry.key.clone());
        }
    }
    assert!(first_key.len() > 300, "{} old forms", first_key.len());
    for (old, new) in &first_key {
        let expected = (old != new).then_some(new.as_str());
        assert_eq!(compiled.lookup(old), expected, "{old}");
    }
}

#[test]
fn evidence_sets_are_disjoint_where_they_must_be() {
    let path = Path::new(env!("OUT_DIR")).join("evidence.bin");
    let sets = blob::read_char_sets(&std::fs::read(path).unwrap(), 4).unwrap();
    let [traditional, simplified, taiwan, hong_kong] = &sets[..] else {
        unreachable!("four sets")
    };
    assert!(traditional.contains(&'國') && simplified.contains(&'国'));
    assert!(taiwan.contains(&'為') && hong_kong.contains(&'説'));
    assert!(traditional.iter().all(|c| !simplified.contains(c)));
    // No character in use in both scripts is evidence of either.
    let both = dict::parse_char_list(&read(&dicts_dir().join("overrides/both-scripts.txt")));
    for set in &sets {
        assert!(both.iter().all(|c| !set.contains(c)), "{set:?}");
    }
}

#[test]
fn both_scripts_list_holds_single_han_characters() {
    let chars = dict::parse_char_list(&read(&dicts_dir().join("overrides/both-scripts.txt")));
    assert!(chars.contains(&'乾') && chars.contains(&'於'));
    assert!(chars.iter().all(|&c| zhclean::text::is_han(c)), "{chars:?}");
}

#[test]
fn notice_names_opencc_and_its_commit() {
    let notice = read(&dicts_dir().join("NOTICE"));
    assert!(notice.contains("OpenCC"));
    assert!(notice.contains("5249273a3e5606852f088c9a8b23522145d94f78"));
    assert!(dicts_dir().join("LICENSE").exists());
}
