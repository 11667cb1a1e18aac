//! OpenCC's own conversion test cases (`fixtures/convert/testcases.json`, copied from OpenCC):
//! scores every configuration we implement and holds the Traditional → Simplified ones to their
//! thresholds. Run with `--nocapture` to see the per-config table.

use std::collections::BTreeMap;

use zhclean::stages::convert::{Config, ConvertOptions, Converter};

/// The test-case file is JSON with `//` comments and trailing commas; strip both.
fn relaxed_json(text: &str) -> serde_json::Value {
    let mut clean = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            clean.push(c);
            if c == '\\' {
                clean.extend(chars.next());
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            clean.push(c);
        } else if c == '/' && chars.peek() == Some(&'/') {
            for c in chars.by_ref() {
                if c == '\n' {
                    clean.push('\n');
                    break;
                }
            }
        } else if c == ',' {
            // A comma followed (after whitespace) by a closing bracket is dropped.
            let rest: String = chars.clone().take_while(|c| c.is_whitespace()).collect();
            let after = chars.clone().nth(rest.chars().count());
            if !matches!(after, Some('}' | ']')) {
                clean.push(c);
            }
        } else {
            clean.push(c);
        }
    }
    serde_json::from_str(&clean).expect("testcases.json parses")
}

#[derive(Default)]
struct Score {
    passed: usize,
    total: usize,
    failures: Vec<String>,
}

/// Per configuration named in the test file, its score; a name we do not implement scores
/// every one of its cases as failed (under the name as written).
fn score(options: ConvertOptions) -> BTreeMap<String, Score> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/convert/testcases.json"
    ))
    .unwrap();
    let json = relaxed_json(&text);
    let mut scores = BTreeMap::new();
    for case in json["cases"].as_array().expect("cases") {
        let input = case["input"].as_str().expect("input");
        for (name, expected) in case["expected"].as_object().expect("expected") {
            let expected = expected.as_str().expect("expected string");
            let score: &mut Score = scores.entry(name.clone()).or_default();
            score.total += 1;
            let Ok(config) = name.parse::<Config>() else {
                score
                    .failures
                    .push(format!("{name}: unknown conversion config"));
                continue;
            };
            let actual = Converter::new(config, options).convert(input);
            if actual == expected {
                score.passed += 1;
            } else {
                score.failures.push(format!(
                    "{} {name}\n   input    {input}\n   expected {expected}\n   actual   {actual}",
                    case["id"].as_str().unwrap_or("?")
                ));
            }
        }
    }
    scores
}

fn print(title: &str, scores: &BTreeMap<String, Score>) {
    println!("OpenCC test cases, {title}:");
    for (name, s) in scores {
        println!(
            "  {name:6} {:3}/{:3} {:6.1} %",
            s.passed,
            s.total,
            100.0 * s.passed as f64 / s.total as f64
        );
    }
    for s in scores.values() {
        for failure in &s.failures {
            println!("  FAIL {failure}");
        }
    }
}

const TO_SIMPLIFIED: [&str; 5] = ["t2s", "tw2s", "tw2sp", "hk2s", "hk2sp"];

#[test]
fn traditional_to_simplified_agrees_with_opencc() {
    let scores = score(ConvertOptions::default());
    print("default options", &scores);
    let (passed, total) = TO_SIMPLIFIED
        .iter()
        .map(|name| &scores[*name])
        .fold((0, 0), |(p, t), s| (p + s.passed, t + s.total));
    let percent = 100.0 * passed as f64 / total as f64;
    println!("  *2s* configs together: {passed}/{total} = {percent:.1} %");
    assert!(total > 150, "the *2s* cases were not all read");
    assert!(percent >= 97.0, "*2s* agreement {percent:.1} % < 97 %");
}

#[test]
fn t2s_with_rare_characters_agrees_fully() {
    let scores = score(ConvertOptions { rare_chars: true });
    let t2s = &scores["t2s"];
    for failure in &t2s.failures {
        println!("  FAIL {failure}");
    }
    println!("t2s with rare characters: {}/{}", t2s.passed, t2s.total);
    assert_eq!(t2s.passed, t2s.total);
}

/// Every configuration towards Traditional (and between regional standards) agrees with OpenCC
/// on all its cases, `s2twp` included (which needs the phrases generated from the regional
/// dictionaries, see `build.rs`).
#[test]
fn to_traditional_agrees_fully() {
    let scores = score(ConvertOptions::default());
    let mut short = Vec::new();
    for name in [
        "s2t", "s2tw", "s2twp", "s2hk", "s2hkp", "t2tw", "t2hk", "tw2t", "hk2t", "jp2t", "t2jp",
    ] {
        let s = &scores[name];
        assert!(s.total > 0, "no {name} cases read");
        if s.passed < s.total {
            short.push(format!(
                "{name} {}/{}: {}",
                s.passed,
                s.total,
                s.failures.join("\n")
            ));
        }
    }
    assert!(short.is_empty(), "{}", short.join("\n"));
}

/// Over every configuration the test file names (one we lacked would count all its cases as
/// failed), at least 99 % of OpenCC's cases come out as OpenCC writes them.
#[test]
fn every_config_of_the_test_file_agrees() {
    let scores = score(ConvertOptions::default());
    let (passed, total) = scores
        .values()
        .fold((0, 0), |(p, t), s| (p + s.passed, t + s.total));
    let percent = 100.0 * passed as f64 / total as f64;
    println!("  all configs together: {passed}/{total} = {percent:.1} %");
    assert!(total > 500, "the cases were not all read");
    assert!(
        scores.keys().all(|name| name.parse::<Config>().is_ok()),
        "a configuration of the test file is not built in"
    );
    assert!(percent >= 99.0, "agreement {percent:.1} % < 99 %");
}
