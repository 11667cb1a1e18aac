//! Each rule alone over its fixtures: `fixtures/<stage>/<rule>/<case>.in.txt` cleaned with only
//! that rule switched on must give `<case>.out.txt`. Cases named `traps` hold text the rule must
//! NOT change: their output is their input.

use std::path::{Path, PathBuf};

use zhclean::pipeline::ConvertMode;
use zhclean::rules::{self, RuleSet};
use zhclean::{clean_str, Options};

const STAGES: [&str; 3] = ["strip", "reflow", "polish"];

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every (rule, input file) pair under the fixture directories, sorted.
fn cases() -> Vec<(String, PathBuf)> {
    let mut cases = Vec::new();
    for stage in STAGES {
        let stage_dir = fixture_root().join(stage);
        for rule_dir in std::fs::read_dir(&stage_dir).unwrap() {
            let rule_dir = rule_dir.unwrap().path();
            let rule = rule_dir.file_name().unwrap().to_str().unwrap().to_string();
            for file in std::fs::read_dir(&rule_dir).unwrap() {
                let file = file.unwrap().path();
                if file.to_str().unwrap().ends_with(".in.txt") {
                    cases.push((rule.clone(), file));
                }
            }
        }
    }
    cases.sort();
    cases
}

fn clean_with_only(rule: &str, input: &str) -> (String, zhclean::report::CleanReport) {
    let options = Options {
        rules: RuleSet::only(&[rule]).unwrap(),
        convert: ConvertMode::Never,
        ..Options::default()
    };
    clean_str(input, &options)
}

#[test]
fn each_rule_alone_over_its_fixtures() {
    let mut failures = Vec::new();
    for (rule, input_path) in cases() {
        let input = std::fs::read_to_string(&input_path).unwrap();
        let (output, report) = clean_with_only(&rule, &input);
        let expected_path =
            PathBuf::from(input_path.to_str().unwrap().replace(".in.txt", ".out.txt"));
        if std::env::var_os("ZHCLEAN_WRITE_ACTUAL").is_some() {
            std::fs::write(expected_path.with_extension("actual"), &output).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let is_trap = input_path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("traps");
        if output != expected {
            failures.push(format!(
                "{}: output differs from its .out.txt",
                input_path.display()
            ));
        }
        if is_trap {
            // The only difference allowed is the final newline the output format adds.
            if output != input {
                failures.push(format!("{}: a trap was changed", input_path.display()));
            }
            if report.rules.get(&rule) != 0 {
                failures.push(format!("{}: a trap was counted", input_path.display()));
            }
        } else if report.rules.get(&rule) == 0 {
            failures.push(format!("{}: {rule} did nothing", input_path.display()));
        }
        // Only this rule acted (line endings are counted by the driver whatever the rules).
        for (name, _) in report.rules.iter() {
            if name != rule {
                failures.push(format!("{}: {name} fired", input_path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_cleaning_rule_has_fixtures_with_traps() {
    let cases = cases();
    for rule in rules::RULES
        .iter()
        .filter(|r| STAGES.contains(&r.stage.to_string().as_str()))
    {
        let files: Vec<&PathBuf> = cases
            .iter()
            .filter(|(r, _)| r == rule.name)
            .map(|(_, p)| p)
            .collect();
        assert!(!files.is_empty(), "{} has no fixtures", rule.name);
        let has_traps = files.iter().any(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("traps")
        });
        // Rules whose every input changes something by definition need no trap file of their own.
        let exempt = ["form-feed", "blank-lines"];
        assert!(
            has_traps || exempt.contains(&rule.name),
            "{} has no traps",
            rule.name
        );
    }
}
