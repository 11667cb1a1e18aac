use super::*;
use std::borrow::Cow;

fn run(stage: &mut ConvertStage, texts: &[&str]) -> (Vec<String>, Counts, Facts) {
    crate::stages::run_stage_on(stage, texts.iter().map(|t| Line::new(*t)).collect())
}

fn stage(target: Target, mode: ConvertMode) -> ConvertStage {
    ConvertStage::new(&RuleSet::default(), target, mode)
}

/// The language of each paragraph the gate looks at goes on with the line (`Line::language`),
/// for polish: counted for a paragraph looked at closely, Chinese for one the gate's scan finds
/// neither the other script nor a kana or Hangul letter in.
#[test]
fn the_language_of_a_paragraph_looked_at_goes_on_with_it() {
    let mut convert = stage(Target::Simplified, ConvertMode::Auto);
    let texts = [
        "東京都の會議で國語の学習について話し合った。",
        "大韓民國의 憲法은 國民의 權利를 定한다.",
        "會議指出，要堅持穩中求進工作總基調。",
        "会议指出，要坚持稳中求进工作总基调。",
    ];
    let batch: Vec<Line> = texts.iter().map(|t| Line::new(*t)).collect();
    let mut facts = Facts::default();
    convert.prepare(&batch, &mut facts);
    let mut out = Vec::new();
    let mut counts = Counts::default();
    for line in batch {
        convert.push(line, &mut out, &mut counts);
    }
    let languages: Vec<Option<Language>> = out.iter().map(|l| l.language).collect();
    assert_eq!(
        languages,
        [
            Some(Language::Japanese),
            Some(Language::Korean),
            Some(Language::Chinese),
            // Simplified already: no Traditional character, and no kana or Hangul letter in
            // the same scan, so Chinese by its own letters, without counting.
            Some(Language::Chinese),
        ]
    );
    assert_eq!(out[0].text, texts[0]);
    assert_eq!(out[2].text, "会议指出，要坚持稳中求进工作总基调。");
}

#[test]
fn converts_only_paragraphs_in_the_other_script() {
    let (out, counts, facts) = run(
        &mut stage(Target::Simplified, ConvertMode::Auto),
        &[
            "這是繁體中文的段落。",
            "这是简体中文的段落。",
            "Plain ASCII, 123.",
            "中文人民",
        ],
    );
    assert_eq!(
        out,
        [
            "这是繁体中文的段落。",
            "这是简体中文的段落。",
            "Plain ASCII, 123.",
            "中文人民"
        ]
    );
    assert_eq!(counts.get(Rule::ConvertScript), 1);
    assert_eq!(counts.measure(Measure::ConvertScriptChars), 2); // 這 體
    assert_eq!(facts["script"], "mixed");
}

#[test]
fn text_in_the_target_script_is_the_same_allocation() {
    let mut stage = stage(Target::Simplified, ConvertMode::Auto);
    let line = Line::new("萧乾的散文，乾隆年间，覆盖了瞭望塔。");
    let pointer = line.text.as_ptr();
    let mut out = Vec::new();
    let mut counts = Counts::default();
    stage.push(line, &mut out, &mut counts);
    assert_eq!(out[0].text.as_ptr(), pointer);
    assert!(counts.is_empty());
}

#[test]
fn taiwan_documents_use_the_taiwan_tables() {
    let (out, _, facts) = run(
        &mut stage(Target::Simplified, ConvertMode::Auto),
        &["為什麼你在床裡面睡著？", "他的著作很多，效果顯著。"],
    );
    assert_eq!(out, ["为什么你在床里面睡着？", "他的著作很多，效果显著。"]);
    assert_eq!(facts["script-source"], "tw");
    assert_eq!(facts["convert-config"], "tw2s");
    assert_eq!(facts["script"], "traditional");
}

#[test]
fn hong_kong_documents_use_the_hong_kong_tables() {
    let (out, _, facts) = run(
        &mut stage(Target::Simplified, ConvertMode::Auto),
        &["他説這條綫路很好"],
    );
    assert_eq!(out, ["他说这条线路很好"]);
    assert_eq!(facts["convert-config"], "hk2s");
}

#[test]
fn to_traditional_converts_simplified_paragraphs_only() {
    let (out, counts, _) = run(
        &mut stage(Target::Tw, ConvertMode::Auto),
        &["这里的软件", "這裡的軟體"],
    );
    // s2tw: standard Taiwan forms, no vocabulary swap (软件 stays 軟件).
    assert_eq!(out, ["這裡的軟件", "這裡的軟體"]);
    assert_eq!(counts.get(Rule::ConvertScript), 1);
}

#[test]
fn a_simplified_paragraph_quoting_a_traditional_title_is_left_alone() {
    let text = "他在书中引用了《說文》的说法，这个问题很重要。";
    let (out, counts, _) = run(&mut stage(Target::Simplified, ConvertMode::Auto), &[text]);
    assert_eq!(out, [text]);
    assert!(counts.is_empty());
}

#[test]
fn never_mode_and_the_disabled_rule_pass_everything() {
    let text = "這是繁體中文。";
    let (out, counts, _) = run(&mut stage(Target::Simplified, ConvertMode::Never), &[text]);
    assert_eq!((out[0].as_str(), counts.is_empty()), (text, true));
    let mut rules = RuleSet::default();
    rules.set(Rule::ConvertScript, false);
    let mut disabled = ConvertStage::new(&rules, Target::Simplified, ConvertMode::Auto);
    let (out, counts, _) = run(&mut disabled, &[text]);
    assert_eq!((out[0].as_str(), counts.is_empty()), (text, true));
}

#[test]
fn always_mode_converts_common_paragraphs_but_keeps_simplified_text() {
    let (out, _, facts) = run(
        &mut stage(Target::Simplified, ConvertMode::Always),
        &["萧乾的散文，乾隆年间", "國家"],
    );
    assert_eq!(out, ["萧乾的散文，乾隆年间", "国家"]);
    assert_eq!(facts["convert-config"], "t2s");
}

#[test]
fn quotation_marks_are_left_alone() {
    let (out, _, _) = run(
        &mut stage(Target::Simplified, ConvertMode::Auto),
        &["他說：「這裡『很好』。」"],
    );
    assert_eq!(out, ["他说：「这里『很好』。」"]);
}

#[test]
fn config_names_parse_with_a_helpful_error() {
    assert_eq!("t2s".parse::<Config>(), Ok(Config::T2s));
    assert_eq!("tw2sp.json".parse::<Config>(), Ok(Config::Tw2sp));
    let error = "t2x".parse::<Config>().unwrap_err().to_string();
    assert_eq!(
        error,
        "unknown conversion config 't2x'; expected one of: t2s, s2t, tw2s, tw2sp, hk2s, hk2sp, \
         s2tw, s2twp, s2hk, s2hkp, t2tw, t2hk, tw2t, hk2t, jp2t, t2jp (a .json suffix is \
         accepted), or the path of an OpenCC config file"
    );
    for config in Config::ALL {
        assert_eq!(config.name().parse::<Config>(), Ok(config));
    }
}

#[test]
fn converter_borrows_unchanged_text_and_normalizes_compatibility_ideographs() {
    let converter = Converter::new(Config::T2s, ConvertOptions::default());
    assert!(matches!(converter.convert("简体中文"), Cow::Borrowed(_)));
    assert_eq!(converter.convert("\u{F9B5}"), "例"); // CJK COMPATIBILITY IDEOGRAPH-F9B5
    assert_eq!(converter.convert(""), "");
}

#[test]
fn rare_characters_only_on_request() {
    let plain = Converter::new(Config::T2s, ConvertOptions::default());
    let rare = Converter::new(Config::T2s, ConvertOptions { rare_chars: true });
    assert_eq!(plain.convert("殢"), "殢");
    assert_eq!(rare.convert("殢"), "𣨼");
}

/// Every code point of the CJK compatibility blocks, through every configuration, alone and
/// inside Traditional text: those the normalization table maps become their unified form (as
/// with OpenCC); the others — unassigned code points (U+FA6E, U+FADA…U+FAFF, U+2FA1E) and the
/// unified ideographs of the block (U+FA0E 﨎) — pass through unchanged, and never stop the
/// conversion of the text around them.
#[test]
fn every_compatibility_code_point_converts_or_passes_through() {
    let norm = super::table::TableId::Norm.get();
    let mut unmapped = Vec::new();
    for code in (0xF900..=0xFAFF).chain(0x2F800..=0x2FA1F) {
        let Some(c) = char::from_u32(code) else {
            continue;
        };
        let alone = c.to_string();
        let mut normalized = String::new();
        norm.convert_into(&alone, &mut normalized, true).unwrap();
        if normalized == alone {
            unmapped.push(code);
        }
        for config in Config::ALL {
            for rare_chars in [false, true] {
                let converter = Converter::new(config, ConvertOptions { rare_chars });
                // The unified form, converted as the configuration converts it.
                let expected = converter.convert(&normalized).into_owned();
                assert_eq!(converter.convert(&alone), expected, "{config} U+{code:04X}");
                if normalized == alone && config == Config::T2s {
                    assert_eq!(expected, alone, "U+{code:04X} passes through");
                }
                let text = format!("這個{c}國家");
                let (converted, _) = converter.convert_counting(&text);
                let unified = converter
                    .convert(&format!("這個{normalized}國家"))
                    .into_owned();
                assert_eq!(converted, unified, "{config} U+{code:04X}");
                if config == Config::T2s {
                    assert!(converted.starts_with("这个"), "{converted}");
                    assert!(converted.ends_with("国家"), "{converted}");
                }
            }
        }
    }
    let unmapped_in = |range: std::ops::RangeInclusive<u32>| {
        unmapped.iter().filter(|c| range.contains(c)).count()
    };
    // The list: U+FA6E, U+FA6F, U+FADA–U+FAFF, U+2FA1E, U+2FA1F; and the twelve
    // unified ideographs of the block (U+FA0E, U+FA0F, U+FA11, …, U+FA29).
    assert!(unmapped.contains(&0xFA6E) && unmapped.contains(&0xFA6F));
    assert_eq!(unmapped_in(0xFADA..=0xFAFF), 0xFAFF - 0xFADA + 1);
    assert!(unmapped.contains(&0x2FA1E) && unmapped.contains(&0x2FA1F));
    assert_eq!(unmapped_in(0xFA0E..=0xFA29), 12);
    assert_eq!(unmapped.len(), 54, "{unmapped:X?}");
}

/// Issue 18: `--convert always` converts a paragraph once. Text already in the target script
/// (the first pass's output) is left as it is, where the converter's phrases would otherwise
/// match across what it converted before (`面人` → `麪人`, `了解` → `瞭解`).
#[test]
fn always_mode_leaves_text_already_in_the_target_script() {
    for target in [Target::Traditional, Target::Tw, Target::Hk] {
        let inputs = ["见面人", "关了解"];
        let (first, counts, _) = run(&mut stage(target, ConvertMode::Always), &inputs);
        assert_eq!(first, ["見面人", "關了解"], "{target:?}");
        assert_eq!(counts.get(Rule::ConvertScript), 2, "{target:?}");
        let again: Vec<&str> = first.iter().map(String::as_str).collect();
        let (second, counts, _) = run(&mut stage(target, ConvertMode::Always), &again);
        assert_eq!(second, first, "{target:?}");
        assert!(counts.is_empty(), "{target:?}");
    }
    // The converter alone (`zhclean convert -c s2t`, byte-compatible with OpenCC) still
    // applies its phrases to whatever it is given: the gate is what keeps them off.
    let s2t = Converter::new(Config::S2t, ConvertOptions::default());
    assert_eq!(s2t.convert("見面人"), "見麪人");
    assert_eq!(s2t.convert("關了解"), "關瞭解");
}

/// What must still change under `--convert always`: Simplified paragraphs, mixed ones, and
/// those of shared characters only, whose phrases tell the script (以后 → 以後).
#[test]
fn always_mode_still_converts_simplified_mixed_and_common_paragraphs() {
    let (out, counts, _) = run(
        &mut stage(Target::Traditional, ConvertMode::Always),
        &["这是简体中文。", "這是简体", "以后", "面人"],
    );
    assert_eq!(out, ["這是簡體中文。", "這是簡體", "以後", "麪人"]);
    assert_eq!(counts.get(Rule::ConvertScript), 4);
    let (out, _, _) = run(
        &mut stage(Target::Simplified, ConvertMode::Always),
        &["這是繁體中文。", "這是繁体"],
    );
    assert_eq!(out, ["这是繁体中文。", "这是繁体"]);
}

/// The same gate to Simplified: a paragraph showing Simplified characters only is left as
/// written under `--convert always` (a name such as 李乾光 keeps its 乾).
#[test]
fn always_mode_leaves_simplified_text_to_simplified() {
    let text = "李乾光藉以说明这个问题";
    let (out, counts, _) = run(&mut stage(Target::Simplified, ConvertMode::Always), &[text]);
    assert_eq!(out, [text]);
    assert!(counts.is_empty());
}
