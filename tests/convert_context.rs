//! Context-dependent conversions (`fixtures/convert/context.tsv`): where OpenCC is wrong for
//! archived Traditional documents and zhclean's overrides do better, and what must not change.

use zhclean::stages::convert::{Config, ConvertOptions, Converter};

#[test]
fn context_dependent_cases() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/convert/context.tsv"
    ))
    .unwrap();
    let mut failures = Vec::new();
    let mut total = 0;
    for (number, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 3, "context.tsv:{}: three columns", number + 1);
        let config: Config = fields[0].parse().unwrap();
        let actual = Converter::new(config, ConvertOptions::default()).convert(fields[1]);
        total += 1;
        if actual != fields[2] {
            failures.push(format!(
                "context.tsv:{} {} {}\n  expected {}\n  actual   {}",
                number + 1,
                fields[0],
                fields[1],
                fields[2],
                actual
            ));
        }
    }
    assert!(total >= 30, "only {total} cases read");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
