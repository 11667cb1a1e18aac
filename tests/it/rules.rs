//! Each rule alone over its fixtures: `fixtures/<stage>/<rule>/<case>.in.txt` cleaned with only
//! that rule switched on must give `<case>.snap.txt`, an insta snapshot of the exact bytes
//! (`<case>.snap` holds insta's metadata). Cases named `traps` hold text the rule must NOT
//! change: their output is their input. After a change meant to change an output,
//! `INSTA_UPDATE=always cargo test --test it rules::` rewrites the snapshots, and the diff is
//! reviewed; without it a difference fails the test.

use std::path::{Path, PathBuf};

use zhclean::pipeline::ConvertMode;
use zhclean::rules::{Rule, RuleSet, Stage};
use zhclean::{clean_str, Options};

const STAGES: [Stage; 3] = [Stage::Strip, Stage::Reflow, Stage::Polish];

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every (rule, input file) pair under the fixture directories, sorted.
fn cases() -> Vec<(Rule, PathBuf)> {
    let mut cases = Vec::new();
    for stage in STAGES {
        let stage_dir = fixture_root().join(stage.to_string());
        for rule_dir in std::fs::read_dir(&stage_dir).unwrap() {
            let rule_dir = rule_dir.unwrap().path();
            let name = rule_dir.file_name().unwrap().to_str().unwrap();
            let rule: Rule = name
                .parse()
                .unwrap_or_else(|e| panic!("{}: {e}", rule_dir.display()));
            assert_eq!(rule.stage(), stage, "{name} is not a rule of {stage}");
            for file in std::fs::read_dir(&rule_dir).unwrap() {
                let file = file.unwrap().path();
                if file.to_str().unwrap().ends_with(".in.txt") {
                    cases.push((rule, file));
                }
            }
        }
    }
    cases.sort();
    cases
}

fn clean_with_only(rule: Rule, input: &str) -> (String, zhclean::report::CleanReport) {
    let options = Options {
        rules: RuleSet::only(&[rule]),
        convert: ConvertMode::Never,
        ..Options::default()
    };
    clean_str(input, &options)
}

#[test]
fn each_rule_alone_over_its_fixtures() {
    let mut failures = Vec::new();
    let mut outputs = Vec::new();
    for (rule, input_path) in cases() {
        let input = std::fs::read_to_string(&input_path).unwrap();
        let (output, report) = clean_with_only(rule, &input);
        let case = input_path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .strip_suffix(".in.txt")
            .unwrap()
            .to_string();
        if case.starts_with("traps") {
            // The only difference allowed is the final newline the output format adds.
            if output != input {
                failures.push(format!("{}: a trap was changed", input_path.display()));
            }
            if report.rules.get(rule) != 0 {
                failures.push(format!("{}: a trap was counted", input_path.display()));
            }
        } else if report.rules.get(rule) == 0 {
            failures.push(format!("{}: {rule} did nothing", input_path.display()));
        }
        // Only this rule acted (line endings are counted by the driver whatever the rules).
        for (name, _) in report.rules.iter() {
            if name != rule.name() {
                failures.push(format!("{}: {name} fired", input_path.display()));
            }
        }
        let dir = input_path.parent().unwrap().to_path_buf();
        outputs.push((dir, case, output));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for (dir, case, output) in outputs {
        insta::with_settings!({snapshot_path => dir, prepend_module_to_snapshot => false}, {
            insta::assert_binary_snapshot!(&format!("{case}.txt"), output.into_bytes());
        });
    }
}

#[test]
fn every_cleaning_rule_has_fixtures_with_traps() {
    let cases = cases();
    for rule in Rule::ALL
        .into_iter()
        .filter(|r| STAGES.contains(&r.stage()))
    {
        let files: Vec<&PathBuf> = cases
            .iter()
            .filter(|(r, _)| *r == rule)
            .map(|(_, p)| p)
            .collect();
        assert!(!files.is_empty(), "{rule} has no fixtures");
        let has_traps = files.iter().any(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("traps")
        });
        // Rules whose every input changes something by definition need no trap file of their own.
        let exempt = [Rule::FormFeed, Rule::BlankLines];
        assert!(has_traps || exempt.contains(&rule), "{rule} has no traps");
    }
}
