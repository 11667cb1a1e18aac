use super::*;
use crate::report::{Counts, Facts};

fn clean(text: &str) -> String {
    clean_str(text, &Options::default()).0
}

#[test]
fn output_format() {
    let cases = [
        // Blank lines between paragraphs dropped, indentation and trailing spaces removed.
        (
            "标题\n\n　　第一段。\n\n第二段。  \n",
            "标题\n第一段。\n第二段。\n",
        ),
        // CRLF and lone CR become LF; a final newline is added.
        ("第一行\r\n第二行\r第三行", "第一行\n第二行\n第三行\n"),
        // Empty input stays empty: no lone newline is invented.
        ("", ""),
        ("\n\n  \n", ""),
    ];
    for (input, expected) in cases {
        assert_eq!(clean(input), expected, "{input:?}");
    }
}

#[test]
fn clean_text_is_unchanged_and_cleaning_is_idempotent() {
    let clean_doc = "东城区科信局\n2021年法治政府建设年度情况报告\n（一）加强组织领导\n根据《要点》，结合实际。\n";
    assert_eq!(clean(clean_doc), clean_doc);
    let messy = "  标题 \r\n\r\n\u{200B}正文２０２１。\r\n";
    let once = clean(messy);
    assert_eq!(clean(&once), once);
}

#[test]
fn chunk_boundaries_do_not_matter() {
    let input = "第一行\r\n　第二行\r\r\n第三行。\n\n最后";
    let whole = clean(input);
    let chars: Vec<char> = input.chars().collect();
    for split in 0..=chars.len() {
        let (a, b): (String, String) = (
            chars[..split].iter().collect(),
            chars[split..].iter().collect(),
        );
        let mut cleaner = Cleaner::new(&Options::default());
        let mut out = String::new();
        cleaner.push_str(&a, &mut out);
        cleaner.push_str(&b, &mut out);
        cleaner.finish(&mut out);
        assert_eq!(out, whole, "split at {split}");
    }
}

#[test]
fn overlong_line_is_cut_into_open_pieces_without_a_line_break() {
    let sentence = "这是一个很长的句子，没有换行。";
    let input = sentence.repeat(MAX_LINE_BYTES / sentence.len() * 3);
    let mut cleaner = Cleaner::new(&Options::default());
    let mut out = String::new();
    for chunk in input.as_bytes().chunks(4096 * 3) {
        cleaner.push_str(std::str::from_utf8(chunk).unwrap(), &mut out);
    }
    cleaner.finish(&mut out);
    assert_eq!(out.len(), input.len() + 1);
    assert_eq!(out.trim_end_matches('\n'), input);
    assert_eq!(out.matches('\n').count(), 1);
}

#[test]
fn blank_line_option_separates_paragraphs() {
    let options = Options {
        blank_line: true,
        ..Options::default()
    };
    assert_eq!(
        clean_str("一\n二\n\n\n三\n", &options).0,
        "一\n\n二\n\n三\n"
    );
}

#[test]
fn counts_what_it_did() {
    let (_, report) = clean_str("　缩进\r\n\r\n正文 \n", &Options::default());
    assert_eq!(report.rules.get(Rule::Indentation), 1);
    assert_eq!(report.rules.get(Rule::TrailingSpace), 1);
    assert_eq!(report.rules.get(Rule::BlankLines), 1);
    assert_eq!(report.rules.get(Rule::LineEndings), 2);
    assert_eq!(report.lines_in, 3);
    assert_eq!(report.lines_out, 2);
}

/// A stage that releases every line but the last `keep` it took (they are out at the end),
/// and records the lines its `prepare` was shown.
struct Holding {
    keep: usize,
    taken: Vec<Line>,
    shown: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl LineStage for Holding {
    fn prepare(&mut self, first_batch: &[Line], _facts: &mut Facts) {
        if let Ok(mut shown) = self.shown.lock() {
            shown.extend(first_batch.iter().map(|l| l.text.clone()));
        }
    }

    fn push(&mut self, line: Line, out: &mut Vec<Line>, _counts: &mut Counts) {
        self.taken.push(line);
        if self.taken.len() > self.keep {
            out.push(self.taken.remove(0));
        }
    }

    fn finish(&mut self, out: &mut Vec<Line>, _counts: &mut Counts) {
        out.append(&mut self.taken);
    }
}

/// Every stage's first look at a short document is the whole of it, in order, however many
/// lines the stages before it hold back; and what they hold still comes out, once.
#[test]
fn each_stage_prepares_on_the_whole_of_a_short_document() {
    let shown: Vec<_> = (0..4)
        .map(|_| std::sync::Arc::new(std::sync::Mutex::new(Vec::new())))
        .collect();
    let keeps = [2, 0, 3, 1];
    let mut cleaner = Cleaner::new(&Options::default());
    cleaner.stages = keeps
        .iter()
        .zip(&shown)
        .map(|(&keep, shown)| {
            Box::new(Holding {
                keep,
                taken: Vec::new(),
                shown: shown.clone(),
            }) as Box<dyn LineStage + Send>
        })
        .collect();
    cleaner.unprepared = cleaner
        .stages
        .iter()
        .map(|_| Some(Gathered::default()))
        .collect();
    let input: String = (1..=6).map(|n| format!("第{n}行\n")).collect();
    let mut out = String::new();
    cleaner.push_str(&input, &mut out);
    cleaner.finish(&mut out);
    assert_eq!(out, input);
    let lines: Vec<String> = input.lines().map(String::from).collect();
    for (stage, shown) in shown.iter().enumerate() {
        let seen = shown.lock().map(|s| s.clone()).unwrap_or_default();
        assert_eq!(seen, lines, "stage {stage}");
    }
}

/// A stage that removes the lines that start with `页眉`, as strip removes running headers.
struct RemovingHeaders;

impl LineStage for RemovingHeaders {
    fn push(&mut self, line: Line, out: &mut Vec<Line>, _counts: &mut Counts) {
        if !line.text.starts_with("页眉") {
            out.push(line);
        }
    }
}

/// A stage's first batch is the first lines *it takes*, cut as the driver cuts a batch: the
/// lines an earlier stage removes are not among them, and the lines it keeps come from past
/// the driver's first batch to make the bytes.
#[test]
fn a_stage_prepares_on_the_first_batch_of_the_lines_it_takes() {
    let line = |kind: &str, n: usize| format!("{kind}{n:04}{}", "x".repeat(1000));
    let input: String = (0..200)
        .map(|n| line(if n % 2 == 0 { "页眉" } else { "正文" }, n) + "\n")
        .collect();
    let shown: Vec<_> = (0..2)
        .map(|_| std::sync::Arc::new(std::sync::Mutex::new(Vec::new())))
        .collect();
    let mut cleaner = Cleaner::new(&Options::default());
    cleaner.stages = vec![
        Box::new(Holding {
            keep: 0,
            taken: Vec::new(),
            shown: shown[0].clone(),
        }),
        Box::new(RemovingHeaders),
        Box::new(Holding {
            keep: 3,
            taken: Vec::new(),
            shown: shown[1].clone(),
        }),
    ];
    cleaner.unprepared = cleaner
        .stages
        .iter()
        .map(|_| Some(Gathered::default()))
        .collect();
    let mut out = String::new();
    cleaner.push_str(&input, &mut out);
    cleaner.finish(&mut out);
    let kept: Vec<String> = (1..200).step_by(2).map(|n| line("正文", n)).collect();
    assert_eq!(
        out,
        kept.iter().map(|l| format!("{l}\n")).collect::<String>()
    );
    let bytes_per_line = line("正文", 0).len();
    let first_batch = BATCH_BYTES.div_ceil(bytes_per_line);
    let seen = |stage: usize| shown[stage].lock().map(|s| s.clone()).unwrap_or_default();
    // The first stage: the driver's first batch, headers and all.
    assert_eq!(seen(0), input.lines().take(first_batch).collect::<Vec<_>>());
    // The stage after the removal: as many lines, all of them kept ones.
    assert_eq!(seen(1), kept[..first_batch]);
}

/// A running header strip removes at a page's end is not among the lines the later stages take
/// facts from: a Korean header over a Chinese text (Hangul 15 of 27 letters with it) made
/// convert read the document as Korean and leave `這是後來的事。`, and a second cleaning,
/// reading the output without the header, converted it (the fuzz finding
/// `clean-idempotence-58926dfc8c9088dd`).
#[test]
fn a_running_header_strip_removes_does_not_decide_the_language() {
    let header = "머리글 보고서";
    let input =
        format!("{header}\n第一页。\n\u{c}{header}\n第二页。\n\u{c}{header}\n這是後來的事。\n");
    let (once, report) = clean_str(&input, &Options::default());
    assert_eq!(once, "第一页。\n第二页。\n这是后来的事。\n");
    assert_eq!(report.facts.get("language").map(String::as_str), Some("zh"));
    assert_eq!(clean(&once), once);
}

/// A paragraph reflow joins across the end of the driver's first batch is whole in the first
/// batch of the lines convert takes, as it is in the output's: the document's language is read
/// with all its Han characters (5 Hangul and 1 Han character in the driver's first batch read
/// as Korean; with the paragraph's second part, 30 Han characters, as Chinese, which is what a
/// second cleaning reads; the fuzz finding `clean-idempotence-c275575e8f58b31d`).
#[test]
fn a_paragraph_across_the_first_batch_end_counts_whole_for_the_language() {
    let long = "x".repeat(BATCH_BYTES);
    let input = format!(
        "가나다라마\n蹤{long}\n\n這是後來的事情，就是這樣發生的經過，我們後來才知道這件事的經過。\n"
    );
    // The long run of letters shown short.
    let short = |text: &str| text.replace(&long, "x…");
    let (once, report) = clean_str(&input, &Options::default());
    assert_eq!(
        short(&once),
        "가나다라마\n踪x…这是后来的事情，就是这样发生的经过，我们后来才知道这件事的经过。\n"
    );
    assert_eq!(report.facts.get("language").map(String::as_str), Some("zh"));
    assert_eq!(short(&clean(&once)), short(&once));
}

/// What a stage holds back at the end of the first batch is part of what the later stages
/// take whole-document facts from: reflow's last paragraph too (the fuzz finding
/// `clean-idempotence-a4245bccbeeb27d7`, where convert read the rest as Korean). Cleaning the
/// output again changes nothing, and both cleanings read the document alike.
#[test]
fn later_stages_see_the_paragraph_reflow_holds_in_the_first_batch() {
    let input = "\u{FFFD}\n걺\n쵼\n蹤㬅幂\n最后一行。\u{c}幤奺";
    let (once, report) = clean_str(input, &Options::default());
    assert_eq!(once, "\u{FFFD}\n걺\n쵼\n踪㬅幂\n最后一行。\n幤奺\n");
    assert_eq!(report.facts.get("language").map(String::as_str), Some("zh"));
    let (twice, again) = clean_str(&once, &Options::default());
    assert_eq!(twice, once);
    assert_eq!(again.facts.get("language"), report.facts.get("language"));
}

#[test]
fn mojibake_a_later_stage_completes_is_repaired_by_the_first_cleaning() {
    // Three lines of Windows-1252 mojibake, one chance character each (too little alone), that
    // reflow joins into two lines whose readings give two: a second cleaning, reading the joined
    // lines, would repair both. The first does (and the fuzz regressions `repair-after-*` hold
    // the other stages' cases, as bytes).
    let input = "è¡\n””ª«\nè¡€”\n";
    let (once, report) = clean_str(input, &Options::default());
    assert_eq!(once, "衔”ª«\n血”\n");
    assert_eq!(report.rules.get(Rule::MojibakeUtf8AsCp1252), 2);
    let (twice, again) = clean_str(&once, &Options::default());
    assert_eq!(twice, once);
    assert!(again.rules.is_empty(), "{:?}", again.rules);
}

#[test]
fn a_line_the_fixed_point_repairs_is_joined_as_a_second_cleaning_would() {
    // Windows-1252 mojibake of `寨 规.《丌`, a form feed, `è`: only the half strip cuts off at
    // the form feed is a repair, so the fixed-point stage makes it, after reflow decided on the
    // mojibake not to join it to `è`. Cleaned again with its neighbours, as a second cleaning
    // reads it, the repaired title half is joined.
    let input = "å¯¨\u{a0}¹æ.ã€Šä¸Œ\u{c}è";
    let (once, report) = clean_str(input, &Options::default());
    assert_eq!(once, "寨 规.《丌è\n");
    assert_eq!(report.rules.get(Rule::JoinTitle), 1);
    assert_eq!(clean(&once), once);
    // Under `--blank-line` the output is read again with its empty lines, which are not
    // counted as the input's: the same blank lines are dropped as without it.
    let options = Options {
        blank_line: true,
        ..Options::default()
    };
    let (once, blank_line_report) = clean_str(input, &options);
    assert_eq!(clean_str(&once, &options).0, once);
    assert_eq!(
        blank_line_report.rules.get(Rule::BlankLines),
        report.rules.get(Rule::BlankLines),
        "{once:?}"
    );
}

#[test]
fn correct_text_is_not_repaired_again() {
    // The fixed-point stage asks repair of the output: correct text of every script, and
    // legitimate Latin-1, come out as the first stages leave them.
    for options in [
        Options::default(),
        Options {
            target: Target::Tw,
            ..Options::default()
        },
    ] {
        for text in [
            "这是繁體中文的句子，香港特別行政區政府。\n",
            "日本語のテキストです。\n한국어 텍스트입니다.\n",
            "Café, naïve, Ærøskøbing, São Paulo.\n",
            "之关没关，认真学习。\n",
        ] {
            let (once, report) = clean_str(text, &options);
            for rule in crate::stages::repair::RULES {
                assert_eq!(report.rules.get(rule), 0, "{text:?} -> {once:?}");
            }
        }
    }
}

/// The texts of joined and blank lines come back as spares (`LineStage::give_spare_texts`),
/// the next document of the thread starts with them, and a text is kept only while it is
/// small enough and the set is not full: the lines of a hard-wrapped document after the first
/// read into texts already allocated, which a document's output does not show but its
/// allocations do.
#[test]
fn texts_of_joined_lines_are_kept_for_later_lines() {
    std::thread::spawn(|| {
        let wrapped: String = (0..1500)
            .map(|i| {
                format!(
                    "这是第{i:04}行硬换行的正文，内容一直写到页面的右边才断开，然后接着写下去\n"
                )
            })
            .collect();
        let mut cleaner = Cleaner::new(&Options::default());
        let mut out = String::new();
        cleaner.push_str(&wrapped, &mut out);
        let kept_while_reading = cleaner.spare_texts.len();
        cleaner.finish(&mut out);
        assert_eq!(
            out.lines().count(),
            1,
            "the wrapped lines make one paragraph"
        );
        assert!(kept_while_reading > 0);
        let next = Cleaner::new(&Options::default());
        assert!(
            !next.spare_texts.is_empty(),
            "the next document starts with them"
        );
        assert!(next.spare_texts.iter().all(String::is_empty));

        let mut spare = Vec::new();
        keep_spare_text(&mut spare, String::new());
        keep_spare_text(&mut spare, String::with_capacity(SPARE_TEXT_CAPACITY + 1));
        assert!(spare.is_empty(), "no allocation, or too large to keep");
        for _ in 0..SPARE_TEXTS + 3 {
            keep_spare_text(&mut spare, "正文".to_string());
        }
        assert_eq!(spare.len(), SPARE_TEXTS);
    })
    .join()
    .unwrap();
}
