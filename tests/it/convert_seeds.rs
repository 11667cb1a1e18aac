//! The script gate on the real sample documents: the Simplified seeds pass untouched, the
//! Traditional one is converted.

use zhclean::pipeline::Target;
use zhclean::report::Measure;
use zhclean::rules::{Rule, RuleSet};
use zhclean::stages::convert::ConvertMode;
use zhclean::{clean_str, Options};

fn seed(prefix: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds");
    let path = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("seed {prefix}"));
    String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned()
}

fn options(mode: ConvertMode) -> Options {
    Options {
        rules: RuleSet::only(&[Rule::ConvertScript]),
        target: Target::Simplified,
        convert: mode,
        ..Options::default()
    }
}

#[test]
fn simplified_seeds_pass_the_gate_unchanged() {
    for prefix in ["000", "001", "003", "004"] {
        let text = seed(prefix);
        let (_, report) = clean_str(&text, &options(ConvertMode::Auto));
        assert_eq!(
            report.rules.measure(Measure::ConvertScriptChars),
            0,
            "seed {prefix}"
        );
        assert_eq!(report.facts["script"], "simplified", "seed {prefix}");
        let (_, forced) = clean_str(&text, &options(ConvertMode::Always));
        println!(
            "seed {prefix}: {} characters changed when forced",
            forced.rules.measure(Measure::ConvertScriptChars)
        );
    }
}

#[test]
fn traditional_seed_is_converted() {
    let text = seed("002");
    let (out, report) = clean_str(&text, &options(ConvertMode::Auto));
    println!("{:?}", report.facts);
    assert_eq!(report.facts["script"], "traditional");
    assert!(report.rules.get(Rule::ConvertScript) > 0);
    let evidence = zhclean::stages::convert::Evidence::of(&out);
    assert_eq!(evidence.traditional, 0, "Traditional characters left");
}
