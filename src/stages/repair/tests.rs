use proptest::prelude::*;

use super::*;
use crate::stages::{Line, LineStage};

fn repair(text: &str) -> (String, Counts) {
    let mut counts = Counts::default();
    let out = Repair::from_rules(&RuleSet::default())
        .line(text, &mut counts)
        .into_owned();
    (out, counts)
}

/// GBK read as Latin-1: every byte one character.
fn gbk_as_latin1(text: &str) -> String {
    let (bytes, _, errors) = encoding_rs::GBK.encode(text);
    assert!(!errors, "{text}");
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// UTF-8 read as Windows-1252 (WHATWG: the undefined bytes become C1 controls).
fn utf8_as_cp1252(text: &str) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(text.as_bytes())
        .0
        .into_owned()
}

/// UTF-8 read as GBK by `encoding_rs` (lossless: 0x80 is `€`, user-defined pairs are PUA).
fn utf8_as_gbk(text: &str) -> String {
    encoding_rs::GBK
        .decode_without_bom_handling(text.as_bytes())
        .0
        .into_owned()
}

#[test]
fn repairs_each_case_and_counts_it() {
    let text = "中华人民共和国国务院关于进一步加强法治政府建设的通知";
    let utf8_as_latin1 = utf8_as_latin1(text);
    for (mojibake, rule) in [
        (utf8_as_gbk(text), Rule::MojibakeUtf8AsGbk),
        (gbk_as_latin1(text), Rule::MojibakeGbkAsLatin1),
        (utf8_as_cp1252(text), Rule::MojibakeUtf8AsCp1252),
        (utf8_as_latin1, Rule::MojibakeUtf8AsLatin1),
    ] {
        let (out, counts) = repair(&mojibake);
        assert_eq!(out, text, "{rule}: {mojibake}");
        assert_eq!(counts.get(rule), 1, "{rule}");
    }
}

#[test]
fn short_runs_and_runs_inside_a_line() {
    for (input, expected) in [
        ("ÖÐ¹ú", "中国"),
        ("2021Äê¹¤×÷±¨¸æ", "2021年工作报告"),
        ("ä¸\u{AD}æ–‡", "中文"),
        (
            "标题：ÖÐ»ªÈËÃñ¹²ºÍ¹ú（正文）",
            "标题：中华人民共和国（正文）",
        ),
    ] {
        assert_eq!(repair(input).0, expected, "{input}");
    }
    let input = format!("Hello {} and café", utf8_as_cp1252("中华实业"));
    assert_eq!(repair(&input).0, "Hello 中华实业 and café", "{input}");
}

#[test]
fn lost_bytes_of_a_lossy_decoder_are_guessed() {
    // Python's `gbk` codec with errors="replace" on "一、中国。" in UTF-8: the 0x80 of 一, 、
    // and 。 are lost. `一` and `中` (0xAD) are both likely before `、`: no guess there.
    let text = "一、中国。现将有关事项通知如下：";
    let mojibake = python_gbk_replace(text.as_bytes());
    assert!(mojibake.contains('\u{FFFD}'), "{mojibake}");
    assert_eq!(repair(&mojibake).0, text.replacen('一', "\u{FFFD}", 1));
}

/// What Python's `bytes.decode("gbk", "replace")` makes of `bytes`: a byte that starts no GBK
/// character (0x80, 0xFF, or a lead byte whose pair is undefined or cut) is one U+FFFD, and
/// decoding goes on at the next byte.
fn python_gbk_replace(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            out.push(char::from(b));
            i += 1;
            continue;
        }
        match bytes
            .get(i + 1)
            .and_then(|&t| codecs::gbk_char(b, t))
            .filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c))
        {
            Some(c) => {
                out.push(c);
                i += 2;
            }
            None => {
                out.push('\u{FFFD}');
                i += 1;
            }
        }
    }
    out
}

/// What Python's `bytes.decode("cp1252", "replace")` makes of UTF-8 text: its five undefined
/// bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) are U+FFFD.
fn python_cp1252_replace(text: &str) -> String {
    utf8_as_cp1252(text)
        .chars()
        .map(|c| match c {
            '\u{81}' | '\u{8D}' | '\u{8F}' | '\u{90}' | '\u{9D}' => '\u{FFFD}',
            _ => c,
        })
        .collect()
}

#[test]
fn a_lost_byte_is_chosen_by_the_characters_around_it() {
    // UTF-8 read as GBK: `平` at the end of a line (0x80–0xBF lost: `年` is commoner, `水平`
    // the word); two lost bytes of `强。` at the end (`加强`, and `。` ending the line).
    for text in [
        "（二）提升服务水平",
        "（五）推进科学决策",
        "二是，法律意识和依法行政能力有待加强，工作人员法治意识不够强烈，学习动力不足，法律素养有待加强。",
    ] {
        let mojibake = python_gbk_replace(text.as_bytes());
        assert!(mojibake.contains('\u{FFFD}'), "{mojibake}");
        assert_eq!(repair(&mojibake).0, text, "{mojibake}");
    }
    // UTF-8 read as Windows-1252: `依` and `侍`, `意` and `愁`, `权` and `恃`, `运` and `迁` differ
    // in one of its five undefined bytes; `、` before a digit is no line end.
    for text in [
        "二是，法律意识和依法行政能力有待加强，工作人员法治意识不够强烈，学习动力不足，法律素养有待加强。",
        "（三）规范权力运行",
        "一、2021年推进法治政府建设的主要举措和成效",
    ] {
        let mojibake = python_cp1252_replace(text);
        assert!(mojibake.contains('\u{FFFD}'), "{mojibake}");
        assert_eq!(repair(&mojibake).0, text, "{mojibake}");
    }
}

#[test]
fn a_lost_byte_without_a_clear_reading_stays_lost() {
    // `提升` read as Windows-1252 loses three bytes: `提` (0x8F and 0x90 lost) could be `材`
    // as well, `升` (0x8D) `假`, and each is the other's only Chinese neighbour. The rest of
    // the line is repaired.
    let mojibake = python_cp1252_replace("（二）提升服务水平");
    let (out, _) = repair(&mojibake);
    assert!(
        out.starts_with("（二）") && out.ends_with("服务水平"),
        "{out}"
    );
    assert!(!out.contains("恍假"), "{out}");
}

#[test]
fn double_mojibake_is_undone() {
    let text = "关于开展专项检查工作的通知";
    let once = utf8_as_gbk(text);
    let twice = utf8_as_cp1252(&once);
    assert_eq!(repair(&twice).0, text, "{twice}");
}

/// UTF-8 read as Latin-1: every byte one character.
fn utf8_as_latin1(text: &str) -> String {
    text.bytes().map(char::from).collect()
}

#[test]
fn a_byte_the_outer_layer_lost_is_told_by_the_inner_one() {
    // UTF-8 read as GBK, saved and read as Windows-1252 by Python: four bytes of the first
    // layer's UTF-8 are lost (`鑳` of `能` is E9 91 B3), each one of five; the first layer is
    // mojibake no model can choose among, the text below it is Chinese.
    for text in [
        "二是，法律意识和依法行政能力有待加强",
        "中华人民共和国国务院关于进一步加强法治政府建设的通知",
    ] {
        let twice = python_cp1252_replace(&utf8_as_gbk(text));
        assert!(twice.contains('\u{FFFD}'), "{twice}");
        assert_eq!(repair(&twice).0, text, "{twice}");
    }
    // Python's lossy `gbk` below: its own lost bytes are guessed too.
    let text = "认真贯彻落实习近平法治思想，全面推进政务公开工作";
    let twice = python_cp1252_replace(&python_gbk_replace(text.as_bytes()));
    assert_eq!(repair(&twice).0, text, "{twice}");
}

#[test]
fn latin1_mojibake_under_latin1_mojibake_is_undone() {
    let text = "关于开展专项检查工作的通知";
    for twice in [
        utf8_as_latin1(&gbk_as_latin1(text)),
        utf8_as_cp1252(&utf8_as_cp1252(text)),
        python_cp1252_replace(&python_cp1252_replace(text)),
    ] {
        assert_eq!(repair(&twice).0, text, "{twice}");
    }
}

#[test]
fn leaves_correct_text_alone() {
    for line in [
        "中华人民共和国国务院关于2021年工作的通知，现将有关事项通知如下：",
        "這是繁體中文的句子，香港特別行政區政府於今日公佈。",
        "日本語のテキストです。東京都千代田区。",
        "한국어 텍스트입니다. 서울특별시.",
        "Café, Müller, naïve, Zürich, ±5 °C, 25 m², ½ × ¾, © 2021 ®, « guillemets », señor",
        "Düsseldorf Köln München Ärger Öl Übung größer Straße çà ções Ø å æ þ ð",
        "温度为25°C±2°C，误差±0.5%，面积12m²，单价¥300。",
        "fn main() { let s = \"naïve\"; } // https://example.com/café?q=é&x=ü",
        "pīnyīn: Zhōngguó rénmín, nǐ hǎo, lǜ, nǚ; à á è é ì í ò ó ù ú ü",
        "“引号”‘单引号’——破折号……省略号·间隔号",
        "涓 is a rare character and so is 浗; 鍖 and 鐢 too.",
    ] {
        let (out, counts) = repair(line);
        assert_eq!(out, line);
        for rule in RULES {
            assert_eq!(counts.get(rule), 0, "{rule} on {line}");
        }
    }
}

#[test]
fn a_rule_switched_off_repairs_nothing() {
    let mut rules = RuleSet::default();
    rules.set(Rule::MojibakeGbkAsLatin1, false);
    let mut counts = Counts::default();
    let input = "ÖÐ»ªÈËÃñ¹²ºÍ¹ú";
    assert_eq!(Repair::from_rules(&rules).line(input, &mut counts), input);
}

#[test]
fn c1_controls_reach_repair_before_normalize_deletes_them() {
    // UTF-8 read as Latin-1: 文 is æ U+0096 U+0087, two C1 controls `invisible` deletes.
    let text = "中文文件\n";
    let mojibake: String = text.bytes().map(char::from).collect();
    let (clean, report) = crate::clean_str(&mojibake, &crate::Options::default());
    assert_eq!(clean, text);
    assert_eq!(report.rules.get(Rule::MojibakeUtf8AsLatin1), 1);
    assert_eq!(report.rules.get(Rule::Invisible), 0);
}

/// Chinese text drawn from real sentences' characters, with punctuation, digits and spaces.
fn chinese() -> impl Strategy<Value = String> {
    let chars: Vec<char> = "中华人民共和国国务院关于进一步加强法治政府建设的通知现将有关事项如下\
        按照区委全面依法治统一安排部署科工信局年度工作情况报告一二三四五六七八九十我们在这是了\
        个为上以地到说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方\
        多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日\
        镕蔚璐彧赟，。、：；“”（）《》？！——…0123456789 abc"
        .chars()
        .collect();
    proptest::collection::vec(proptest::sample::select(chars), 1..80)
        .prop_map(|v| v.into_iter().collect())
}

/// Whether two or more characters in a row of `text` are UTF-8 Chinese read as GBK: their GBK
/// bytes are UTF-8 with a Han character in it.
fn holds_utf8_read_as_gbk(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).any(|start| {
        (start + 2..=chars.len()).any(|end| {
            let run: String = chars[start..end].iter().collect();
            let (bytes, _, errors) = encoding_rs::GBK.encode(&run);
            !errors
                && std::str::from_utf8(&bytes)
                    .is_ok_and(|utf8| !run.is_ascii() && utf8.chars().any(crate::text::is_han))
        })
    })
}

#[test]
fn mojibake_of_mojibake_is_repaired_to_the_end() {
    // `璐告彧` is 贸揪 (UTF-8) read as GBK; read as Latin-1 once more, both repairs are undone.
    assert!(holds_utf8_read_as_gbk("璐告彧中中"));
    assert!(!holds_utf8_read_as_gbk("贸揪中中"));
    let mojibake = gbk_as_latin1("璐告彧中中");
    assert_eq!(repair(&mojibake).0, "贸揪中中");
}

proptest! {
    #[test]
    fn lossless_mojibake_is_undone(text in chinese()) {
        // Repair needs something to read: a line's repairs must give two Han characters that
        // read clearly as Chinese (rare ones alone, or one between digits, are left as found).
        // (Han characters only: a full-width comma is above U+4E00 too, and `，，中` holds one.)
        prop_assume!(text.chars().filter(|&c| crate::text::is_han(c) && score::rank(c, false) >= 20).count() >= 3);
        let (_, _, errors) = encoding_rs::GBK.encode(&text);
        prop_assume!(!errors);
        // A text that is itself mojibake (`璐告彧` is 贸揪 read as GBK) is repaired past the
        // original when its mojibake is: `è´¸æ\u{8f}ª` gives 璐告彧 and then 贸揪, as it should.
        prop_assume!(!holds_utf8_read_as_gbk(&text));
        let (as_gbk, _, lossy) = encoding_rs::GBK.decode(text.as_bytes());
        let mut pairs = vec![gbk_as_latin1(&text), utf8_as_cp1252(&text)];
        // UTF-8 read as GBK is lossless unless a byte is left over (an odd count of bytes
        // before ASCII or the end).
        if !lossy {
            pairs.push(as_gbk.into_owned());
        }
        for mojibake in pairs {
            prop_assert_eq!(repair(&mojibake).0, text.clone(), "{}", mojibake);
        }
    }

    #[test]
    fn correct_text_is_left_alone(text in chinese()) {
        prop_assert_eq!(repair(&text).0, text);
    }
}

#[test]
fn replacement_characters_beside_correct_chinese_are_left_alone() {
    // A lossy decoder's U+FFFD next to correct text is no sign of mojibake: `规定` stays.
    for text in [
        "���规定",
        "\u{FFFD}规定",
        "第三条\u{FFFD}\u{FFFD}依照本规定执行",
    ] {
        let (out, counts) = repair(text);
        assert_eq!(out, text);
        assert!(counts.is_empty(), "{counts:?}");
    }
}

#[test]
fn lines_of_one_character_each_are_repaired_together() {
    // `获` in GBK read as Latin-1, one character a line: too little alone, but reflow may join
    // the lines, and a second cleaning would then repair the joined line. The document's
    // evidence decides for both.
    let (lines, counts) =
        crate::stages::run_stage(RepairStage::new(&RuleSet::default()), &["(»ñ", "»ñ"]);
    assert_eq!(lines, ["(获", "获"]);
    assert_eq!(counts.get(Rule::MojibakeGbkAsLatin1), 2);
    // One alone is still left as found.
    let (lines, counts) =
        crate::stages::run_stage(RepairStage::new(&RuleSet::default()), &["(»ñ", "abc"]);
    assert_eq!(lines, ["(»ñ", "abc"]);
    assert!(counts.is_empty(), "{counts:?}");
}

#[test]
fn evidence_after_the_first_batch_repairs_the_lines_after_it() {
    let mut stage = RepairStage::new(&RuleSet::default());
    let mut facts = crate::report::Facts::default();
    let line = |text: &str| Line {
        text: text.to_string(),
        ..Line::default()
    };
    stage.prepare(&[line("abc")], &mut facts);
    let mut out = Vec::new();
    let mut counts = Counts::default();
    for text in ["abc", "(»ñ", "»ñ", "x»ñ"] {
        stage.push(line(text), &mut out, &mut counts);
    }
    let texts: Vec<&str> = out.iter().map(|l| l.text.as_str()).collect();
    // The first is left (the evidence was not complete yet), the rest are repaired.
    assert_eq!(texts, ["abc", "(»ñ", "获", "x获"]);
}

#[test]
fn correct_text_beside_mojibake_does_not_keep_it_from_repair() {
    // `习` is the bytes of `ϰ` in UTF-8: read with the mojibake before it, the stretch is no
    // repair as a whole; its part before `ϰ` is.
    let mut counts = Counts::default();
    let out = gbk_runs(
        "\u{E705}寮哄浗 习领",
        true,
        &mut Bar::new(MIN_HAN),
        &mut counts,
        &mut Uncertain::new(),
    );
    assert_eq!(out.as_deref(), Some("\u{E705}强国 习领"));
}

#[test]
fn other_alphabets_are_foreign_to_chinese() {
    for c in ['쌏', 'ϰ', 'ͼ', 'ก', 'ß'] {
        assert!(score::is_foreign(c), "{c}");
    }
    for c in ['中', '，', '“', 'あ', '习'] {
        assert!(!score::is_foreign(c), "{c}");
    }
}

#[test]
fn mojibake_that_normalize_would_complete_is_repaired_at_once() {
    // A C1 control and a soft hyphen inside GBK read as Latin-1: normalize deletes them, and a
    // second cleaning would read the rest as GBK. Repair reads the run as it will be.
    let input = "è\u{90}é»¨\u{AD}nÁ³e";
    let options = crate::Options::default();
    let (once, _) = crate::clean_str(input, &options);
    let (twice, _) = crate::clean_str(&once, &options);
    assert_eq!(twice, once);
    assert!(!once.contains('»'), "{once}");
}

/// A run repair leaves must not become one a second cleaning repairs once convert has written
/// it in Traditional. `鏂肩繏锛坸` is `於習（x`: scored as a symbol, the full-width bracket
/// did not carry the whole run, which was left, and on the Traditional output (`錛坸`, no
/// longer UTF-8 with the run) the second cleaning repaired `於習` alone.
#[test]
fn convert_output_of_a_run_left_is_left() {
    let line = "\u{FFFD}寰硅惤瀵\u{FFFD}\u{FFFD})鏂肩繏锛坸脟";
    // The lost byte after `瀵` is `實` beside `落` (`落实`).
    let repaired = "\u{FFFD}徹落實\u{FFFD})於習（xÇ";
    assert_eq!(repair(line).0, repaired);
    for line in [repaired, "\u{FFFD}徹落實\u{FFFD}）於習（xÇ"] {
        assert_eq!(repair(line).0, line);
    }
    // Convert wrote `東 歡` for `东 欢` (GBK bytes that complete UTF-8 with their neighbours:
    // `廖|剛g`) and `級` for `级` (`長）`); a line without Simplified-only characters is scored
    // as its Simplified form, as the first cleaning scored it.
    for line in [
        "這裡繒\u{E421}寤東鍒歡",
        "這裡繒\u{E421}寤东鍒欢",
        "是一闊闀匡級衝\u{E1BC}逕闀匡級",
        "是一闊闀匡级衝\u{E1BC}逕闀匡级",
    ] {
        assert_eq!(repair(line).0, line);
    }
    // The mojibake of Traditional text is repaired.
    for text in [
        "認真學習貫徹落實黨的二十大精神，推進法治政府建設。",
        "香港特別行政區政府於今日公佈關於東區的發展計劃。",
    ] {
        assert_eq!(repair(&utf8_as_gbk(text)).0, text);
        assert_eq!(repair(&gbk_as_latin1(text)).0, text);
    }
}

/// A character is not guessed from two lost bytes and the first byte of a GBK pair: any byte
/// makes some character with two guessed ones (convert made `员` `員`, GBK 0x86 0x54, after
/// two U+FFFD: a second cleaning read `妆T`). One lost byte is still guessed
/// (`lost_bytes_of_a_lossy_decoder_are_guessed`).
#[test]
fn one_known_byte_of_three_is_no_character() {
    let line = "\u{FFFD}[\u{FFFD}5\u{FFFD}\u{FFFD}yC\u{FFFD}<\u{FFFD}\u{FFFD}員\u{FFFD}栍";
    assert_eq!(repair(line).0, line);
}

/// Correct GBK text whose bytes are valid UTF-8 by chance (`璐告。` is the UTF-8 of `贸档`)
/// is left: its sentence end scores as Chinese as the reading does.
#[test]
fn a_correct_sentence_end_is_not_read_as_bytes() {
    for line in ["璐告。你", "璐告。"] {
        assert_eq!(repair(line).0, line);
    }
    // Mojibake ending in a sentence end is still repaired.
    for text in ["贸易档案。", "关于开展档案工作的通知。"] {
        assert_eq!(repair(&utf8_as_gbk(text)).0, text);
    }
}

/// A reading of a Latin-1 run that takes its invisible characters into a repair, as the bytes
/// of a character, is not given up for the reading without them when that reads no better:
/// `中…彧` (a soft hyphen and a C1 control inside `…彧`) is not `中—`, a character lost.
#[test]
fn invisible_bytes_of_a_character_are_read_with_it() {
    let text = "中…彧0中中";
    let mojibake = gbk_as_latin1(text);
    assert!(mojibake.contains('\u{AD}') && mojibake.contains('\u{8F}'));
    assert_eq!(repair(&mojibake).0, text);
    let options = crate::Options::default();
    let (once, _) = crate::clean_str(&mojibake, &options);
    assert_eq!(once.trim_end(), text);
    // Where the reading without them reads better, it is still taken (a second cleaning would
    // take it once normalize had deleted them).
    let input = "è\u{90}é»¨\u{AD}nÁ³e";
    let (once, _) = crate::clean_str(input, &options);
    assert_eq!(crate::clean_str(&once, &options).0, once);
    assert!(!once.contains('»'), "{once}");
}

#[test]
fn no_guess_from_the_bytes_of_convert_output() {
    // `镇` and a lost byte, twice, converted to Traditional: `鎮` (0xE6 0x82) with a guess is
    // `悄`, a reading the first cleaning, which saw `镇`, never had.
    assert_eq!(repair("鎮\u{FFFD}鎮\u{FFFD}").0, "鎮\u{FFFD}鎮\u{FFFD}");
    assert_eq!(repair("鎮\u{FFFD}是鎮\u{FFFD}").0, "鎮\u{FFFD}是鎮\u{FFFD}");
    // Beside a Simplified-only character the line is no Traditional output, and the same bytes
    // are mojibake whose lost byte may be guessed; but nothing around them tells `悬` and `悄`
    // from the other characters they can be, so they stay.
    assert_eq!(repair("这鎮\u{FFFD}鎮\u{FFFD}").0, "这鎮\u{FFFD}鎮\u{FFFD}");
}

#[test]
fn a_reading_too_weak_to_make_yields_to_the_visible_one() {
    // Windows-1252 mojibake of UTF-8 with a C1 control inside: read whole, `数斏` (one rare
    // character of two, chance) is too weak to be made, and normalize then deletes the
    // control; the second cleaning would read the rest as `数斡`, so the first does.
    assert_eq!(repair("¡æ•°æ–\u{8F}¡š").0, "¡数斡š");
    // `（一）` and `求` read as Windows-1252, a C1 control among them.
    let (out, _) = repair("ï¼ˆä¸€ï¼‰¦\u{81}æ±‚");
    assert!(out.contains("（一）"), "{out}");
    // Correct Latin-1 text with a control is left.
    for text in ["café\u{85}naïve", "Grüße\u{8F}aus Köln"] {
        assert_eq!(repair(text).0, text);
    }
}
