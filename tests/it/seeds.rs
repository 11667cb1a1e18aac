//! The five seed documents, cleaned by the whole pipeline (without script conversion, which is
//! tested elsewhere), against expected files written and checked by hand: insta snapshots,
//! `fixtures/expected/<seed>.snap.txt` (the exact bytes; `<seed>.snap` holds insta's metadata).
//! After a change meant to change them, `INSTA_UPDATE=always cargo test --test it seeds::`
//! rewrites them, and the diff is reviewed; without it a difference fails the test (and, outside
//! CI, leaves the new output beside the old as `.snap.new.txt`).

use std::path::{Path, PathBuf};

use zhclean::pipeline::ConvertMode;
use zhclean::rules::Rule;
use zhclean::{clean_str, Options};

fn options() -> Options {
    Options {
        convert: ConvertMode::Never,
        ..Options::default()
    }
}

fn seeds() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seeds");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 5);
    paths
}

const EXPECTED_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/expected");

/// The seed's name without `.txt`: its snapshot's name.
fn stem(seed: &Path) -> &str {
    seed.file_stem().unwrap().to_str().unwrap()
}

fn expected_path(seed: &Path) -> PathBuf {
    Path::new(EXPECTED_DIR).join(format!("{}.snap.txt", stem(seed)))
}

#[test]
fn seeds_clean_to_their_expected_files() {
    for seed in seeds() {
        let input = std::fs::read_to_string(&seed).unwrap();
        let (output, _) = clean_str(&input, &options());
        insta::with_settings!({snapshot_path => EXPECTED_DIR, prepend_module_to_snapshot => false}, {
            insta::assert_binary_snapshot!(&format!("{}.txt", stem(&seed)), output.into_bytes());
        });
    }
}

fn seed(prefix: &str) -> String {
    let path = seeds()
        .into_iter()
        .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(prefix))
        .unwrap();
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn seed_002_loses_all_225_pinyin_annotations_and_nothing_else_in_parentheses() {
    let (output, report) = clean_str(&seed("002"), &options());
    assert_eq!(report.rules.get(Rule::PinyinAnnotation), 225);
    assert_eq!(
        report.facts.get("pinyin-annotations").map(String::as_str),
        Some("tone-marked")
    );
    assert!(output.contains("《法治政府建設實施綱要（2021-2025年）》"));
    assert!(output.contains("網民留言（12345市長熱線）14宗"));
    assert!(output.contains("LED顯示屏"));
    assert!(output.contains("堅持以習近平新時代"));
}

#[test]
fn seed_004_joins_its_six_paragraphs_split_by_page_breaks_and_no_heading() {
    let (output, report) = clean_str(&seed("004"), &options());
    assert_eq!(report.rules.get(Rule::JoinPageBreak), 6);
    assert_eq!(report.rules.get(Rule::JoinHardWrap), 0);
    for joined in [
        "收入专项审计或鉴证报告、经具有资质",
        "（重点实验室和工程技术中心）、科技型中小企业评价",
        "组织新申报人员参加行政执法资格考试",
        "根据《运城市2021年度政务公开工作考核方案》",
        "每月开展主题党日活动，集中、重点学习",
        "完善行政规范性文件制定程序，全面推行",
    ] {
        assert!(output.contains(joined), "{joined}");
    }
    let lines: Vec<&str> = output.lines().collect();
    for own_line in [
        "运城市科学技术局",
        "关于2021年法治政府建设的年度报告",
        "一、推进法治政府建设的主要举措和成效",
        "（一）依法全面履行政府职能",
        "2021年12月30日",
    ] {
        assert!(lines.contains(&own_line), "{own_line}");
    }
}

#[test]
fn markers_and_whitespace_in_seeds_001_and_003() {
    let (output, report) = clean_str(&seed("001"), &options());
    assert_eq!(report.rules.get(Rule::Bookmark), 1);
    assert!(!output.contains("bookmark"));
    let (output, report) = clean_str(&seed("003"), &options());
    assert_eq!(report.rules.get(Rule::Bookmark), 1);
    assert!(output.starts_with("沂源县科技局"));
    assert!(output.ends_with("幸福感。\n"));
}

#[test]
fn expected_files_are_clean_already() {
    for seed in seeds() {
        let expected = std::fs::read_to_string(expected_path(&seed)).unwrap();
        let (again, report) = clean_str(&expected, &options());
        assert_eq!(again, expected, "{}", seed.display());
        assert!(
            report.rules.is_empty(),
            "{}: {:?}",
            seed.display(),
            report.rules
        );
    }
}
