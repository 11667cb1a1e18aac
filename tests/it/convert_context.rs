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

/// Context cases through `clean --convert always` to Simplified
/// (`fixtures/convert/clean-context.tsv`): 著 as the particle and the verbs (→ 着) and as zhù
/// (kept), whatever the regional evidence, and the characters in use in both scripts. Each
/// input is a document of its own. All but at most one must be right (before `clean` decided
/// 著 itself: 119 of 195).
#[test]
fn clean_context_cases() {
    use zhclean::pipeline::Target;
    use zhclean::stages::convert::ConvertMode;
    use zhclean::{clean_str, Options};

    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/convert/clean-context.tsv"
    ))
    .unwrap();
    let options = Options {
        target: Target::Simplified,
        convert: ConvertMode::Always,
        ..Options::default()
    };
    let mut failures = Vec::new();
    let mut total = 0;
    for (number, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            fields.len(),
            2,
            "clean-context.tsv:{}: two columns",
            number + 1
        );
        let (out, _) = clean_str(&format!("{}\n", fields[0]), &options);
        total += 1;
        if out.trim_end_matches('\n') != fields[1] {
            failures.push(format!(
                "clean-context.tsv:{} {}\n  expected {}\n  actual   {}",
                number + 1,
                fields[0],
                fields[1],
                out.trim_end_matches('\n')
            ));
        }
    }
    println!("{} of {total} right", total - failures.len());
    assert!(total >= 130, "only {total} cases read");
    assert!(failures.len() <= 1, "{}", failures.join("\n"));
}
