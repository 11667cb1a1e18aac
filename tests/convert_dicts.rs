//! Lints the dictionaries in `dicts/`: every entry line is `KEY<TAB>TARGET[ TARGET…]`, no key is
//! listed twice in one file, and nothing hides in whitespace.

use std::collections::HashMap;

#[test]
fn dictionaries_are_well_formed_without_duplicate_keys() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/dicts");
    let mut files: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .chain(std::fs::read_dir(format!("{root}/overrides")).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter(|p| !p.ends_with("both-scripts.txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 17, "dictionaries missing: {files:?}");
    let mut problems = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let at = format!("{}:{}", path.display(), i + 1);
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, targets)) = line.split_once('\t') else {
                problems.push(format!("{at}: no tab"));
                continue;
            };
            if key.is_empty() || key.chars().any(char::is_whitespace) {
                problems.push(format!("{at}: bad key {key:?}"));
            }
            if targets.contains('\t')
                || targets
                    .split(' ')
                    .any(|t| t.is_empty() || t.chars().any(char::is_whitespace))
            {
                problems.push(format!("{at}: bad targets {targets:?}"));
            }
            if let Some(first) = seen.insert(key, i + 1) {
                problems.push(format!("{at}: key {key} already on line {first}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn both_scripts_list_holds_single_han_characters() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/dicts/overrides/both-scripts.txt"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let chars: Vec<char> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(chars.contains(&'乾') && chars.contains(&'於'));
    assert!(chars.iter().all(|&c| zhclean::text::is_han(c)), "{chars:?}");
}

#[test]
fn notice_names_opencc_and_its_commit() {
    let notice =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/dicts/NOTICE")).unwrap();
    assert!(notice.contains("OpenCC"));
    assert!(notice.contains("5249273a3e5606852f088c9a8b23522145d94f78"));
    assert!(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/dicts/LICENSE")).exists());
}
