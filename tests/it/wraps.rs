//! Reflow's wrap decisions on whole documents, as `clean_str` runs them: what a hard-wrapped
//! document's width model must join, and what it must not (titles, headings, a paragraph's
//! short last line, signatures and dates). The inputs imitate pdftotext's text of a Word
//! document, as the synthetic damage (`examples/export_score/damage.rs`) makes them.

use zhclean::pipeline::ConvertMode;
use zhclean::{clean_str, Options};

fn options() -> Options {
    Options {
        convert: ConvertMode::Never,
        ..Options::default()
    }
}

/// Cleans `input`, checks that the output is its own fixed point, and returns it.
fn clean(input: &str) -> String {
    let (output, _) = clean_str(input, &options());
    let (again, _) = clean_str(&output, &options());
    assert_eq!(again, output, "a second cleaning changed the output");
    output
}

/// A title wrapped at the page's margin, paragraphs indented by two U+3000 (strip takes them
/// off) and closing marks hung past the margin: 19 em a line, hung ones 20. The title join
/// makes one line of the title's two, 33 em wide; taken for a paragraph joined already, it
/// kept the width model from being fitted, and the older column count, which a hung line made
/// two columns wider, left every first line (17 em after its indent) apart from its paragraph.
const TITLE_WRAPPED_AT_THE_MARGIN: &str = "\
沂源县统计局关于印发《沂源县1998年加强
组织领导工作要点》的通知
一、强化责任落实
\u{3000}\u{3000}二十多年过去了，女儿、儿子都大学毕
业走上了工作岗位。现在面对着一碗面条，
他们认为是再普通不过的了，哪里还记得那
加了五分钱的一碗榨菜肉丝面啊！
\u{3000}\u{3000}我们是在经济基础比较薄弱、国际竞争
日趋激烈、发达国家多方面居于发展强势的
情况下，实施跨世纪工程，追赶发达国家发
展步伐的。这一严峻的形势和艰巨的任务，
决定了我们必须牢固树立长期艰苦创业的思
想。不只我们这一代，我们之后的几代、几
十代人都要做好这种思想准备，长期奋斗。
\u{3000}\u{3000}发扬艰苦奋斗精神，就要坚持勤俭建国、
勤俭办一切事业的方针，作计划，办事情，
都要注意精打细算。能不花的，坚决不花；
能少花的，尽量少花。为建设有中国特色社
会主义的伟大事业，节省每一分钱。我们国
家大、摊子大，多花一点就是巨大浪费，节
约一点集中起来就是巨大财富。要坚决摒弃
那种讲排场，比阔气，甚至是穷抖阔的作风。
二、提升服务水平
\u{3000}\u{3000}艰苦奋斗是一种精神和品格。我们正处
在一个励精图治、奋发有为的年代。我们的
各项事业正处在攻坚阶段，不论是扶贫攻坚、
科技攻坚、国企改革攻坚，还是其它各项工
作，都需要不怕困难，不畏艰险，殚精竭虑，
决战决胜的精神。
沂源县统计局
1998年1月13日
";

const TITLE_WRAPPED_AT_THE_MARGIN_CLEANED: &str = "\
沂源县统计局关于印发《沂源县1998年加强组织领导工作要点》的通知
一、强化责任落实
二十多年过去了，女儿、儿子都大学毕业走上了工作岗位。现在面对着一碗面条，他们认为是再普通不过的了，哪里还记得那加了五分钱的一碗榨菜肉丝面啊！
我们是在经济基础比较薄弱、国际竞争日趋激烈、发达国家多方面居于发展强势的情况下，实施跨世纪工程，追赶发达国家发展步伐的。这一严峻的形势和艰巨的任务，决定了我们必须牢固树立长期艰苦创业的思想。不只我们这一代，我们之后的几代、几十代人都要做好这种思想准备，长期奋斗。
发扬艰苦奋斗精神，就要坚持勤俭建国、勤俭办一切事业的方针，作计划，办事情，都要注意精打细算。能不花的，坚决不花；能少花的，尽量少花。为建设有中国特色社会主义的伟大事业，节省每一分钱。我们国家大、摊子大，多花一点就是巨大浪费，节约一点集中起来就是巨大财富。要坚决摒弃那种讲排场，比阔气，甚至是穷抖阔的作风。
二、提升服务水平
艰苦奋斗是一种精神和品格。我们正处在一个励精图治、奋发有为的年代。我们的各项事业正处在攻坚阶段，不论是扶贫攻坚、科技攻坚、国企改革攻坚，还是其它各项工作，都需要不怕困难，不畏艰险，殚精竭虑，决战决胜的精神。
沂源县统计局
1998年1月13日
";

#[test]
fn a_title_wrapped_at_the_margin_does_not_hide_the_page() {
    assert_eq!(
        clean(TITLE_WRAPPED_AT_THE_MARGIN),
        TITLE_WRAPPED_AT_THE_MARGIN_CLEANED
    );
}

/// What it must not join: the same title over two lines above a clean document (a paragraph a
/// line, headings, a signature and a date) leaves every line of the body as it is.
#[test]
fn a_title_wrapped_over_a_clean_document_joins_nothing_below_it() {
    let body: Vec<&str> = TITLE_WRAPPED_AT_THE_MARGIN_CLEANED
        .lines()
        .skip(1)
        .collect();
    let input = format!(
        "沂源县统计局关于印发《沂源县1998年加强\n组织领导工作要点》的通知\n{}\n",
        body.join("\n")
    );
    assert_eq!(clean(&input), TITLE_WRAPPED_AT_THE_MARGIN_CLEANED);
}

/// A title set in the body's font and ending a little short of the margin, the document's
/// number under it, paragraphs indented by two U+3000 (the width model reads their indentation)
/// over a page of 32 em: the title measures as full (31.2 em, and the number's first character
/// would not have fitted as measured), but it ends with its kind (`…的情况通报`), its brackets
/// closed, and at the top of a document that is a whole title.
const TITLE_NEAR_THE_MARGIN: &str = "\
义乌市民政局关于印发《义乌市1998年总体情况工作要点》的情况通报
义民发〔1998〕60号
一、工作目标
（一）加强组织领导
\u{3000}\u{3000}据新华社拉巴特1月25日电（记者刘莹）巴勒斯坦民族权力机构主席
阿拉法特25日上午结束了对摩洛哥的短暂访问离开这里，前往阿尔及利亚
（义政发〔1998〕9号）。
\u{3000}\u{3000}阿拉法特在机场对新闻界发表讲话说，他向摩洛哥国王哈桑二世通报
了他在访美期间和克林顿总统会谈的情况，ISO9000指标增长11.1%。他已
与哈桑二世达成共识，要依靠阿拉伯和伊斯兰国家的潜力和耶路撒冷委员
会，继续共同努力，迎接各个领域和不同层面的挑战。
\u{3000}\u{3000}他批评以色列总理内塔尼亚胡在访美期间没有提出任何他曾许诺过的
建议，如以从巴勒斯坦被占领土撤军，停止诸如对耶路撒冷进行犹太化和
修建犹太人定居点的单方面行动等问题。
二、保障措施
\u{3000}\u{3000}根据《义乌市“九五”规划纲要》，据新华社阿尔及尔1月25日电（
记者王连志）巴勒斯坦民族权力机构主席阿拉法特25日在这里呼吁阿拉伯
国家采取主动行动，特别是需要尽快召开阿拉伯首脑会议。
\u{3000}\u{3000}阿拉法特当天上午抵达这里对阿尔及利亚进行短暂访问，并同阿总统
泽鲁阿勒举行了会谈。
三、推进重点任务
\u{3000}\u{3000}阿拉法特会谈后对报界说，他向泽鲁阿勒通报了他在华盛顿与美国总
统克林顿会谈的情况，关于召开阿拉伯首脑会议是他这次访问一些阿拉伯
国家的重要议题。
四、提升服务水平
\u{3000}\u{3000}本报突尼斯1月26日电记者吕志星报道：巴勒斯坦民族权力机构主席
阿拉法特昨天傍晚抵达突尼斯，在这里作短暂工作访问。当晚，阿拉法特
在同突尼斯总统本·阿里举行会谈后发表谈话说，他同本·阿里总统的会谈
内容涉及他的华盛顿之行。阿拉法特指出，以色列总理没有作出任何推动
和维护和平进程以及打破和谈僵局的表示。他说，值得一提的是，美国总
统克林顿称要同“作为自己土地上的自由人民的巴勒斯坦人民站在一起”，
他称克林顿的这一讲话具有深刻的政治含义和其他方面的意义。阿拉法特
还说，美国国务卿奥尔布赖特同意将继续进行推动中东和平进程的努力。
";

const TITLE_NEAR_THE_MARGIN_CLEANED: &str = "\
义乌市民政局关于印发《义乌市1998年总体情况工作要点》的情况通报
义民发〔1998〕60号
一、工作目标
（一）加强组织领导
据新华社拉巴特1月25日电（记者刘莹）巴勒斯坦民族权力机构主席阿拉法特25日上午结束了对摩洛哥的短暂访问离开这里，前往阿尔及利亚（义政发〔1998〕9号）。
阿拉法特在机场对新闻界发表讲话说，他向摩洛哥国王哈桑二世通报了他在访美期间和克林顿总统会谈的情况，ISO9000指标增长11.1%。他已与哈桑二世达成共识，要依靠阿拉伯和伊斯兰国家的潜力和耶路撒冷委员会，继续共同努力，迎接各个领域和不同层面的挑战。
他批评以色列总理内塔尼亚胡在访美期间没有提出任何他曾许诺过的建议，如以从巴勒斯坦被占领土撤军，停止诸如对耶路撒冷进行犹太化和修建犹太人定居点的单方面行动等问题。
二、保障措施
根据《义乌市“九五”规划纲要》，据新华社阿尔及尔1月25日电（记者王连志）巴勒斯坦民族权力机构主席阿拉法特25日在这里呼吁阿拉伯国家采取主动行动，特别是需要尽快召开阿拉伯首脑会议。
阿拉法特当天上午抵达这里对阿尔及利亚进行短暂访问，并同阿总统泽鲁阿勒举行了会谈。
三、推进重点任务
阿拉法特会谈后对报界说，他向泽鲁阿勒通报了他在华盛顿与美国总统克林顿会谈的情况，关于召开阿拉伯首脑会议是他这次访问一些阿拉伯国家的重要议题。
四、提升服务水平
本报突尼斯1月26日电记者吕志星报道：巴勒斯坦民族权力机构主席阿拉法特昨天傍晚抵达突尼斯，在这里作短暂工作访问。当晚，阿拉法特在同突尼斯总统本·阿里举行会谈后发表谈话说，他同本·阿里总统的会谈内容涉及他的华盛顿之行。阿拉法特指出，以色列总理没有作出任何推动和维护和平进程以及打破和谈僵局的表示。他说，值得一提的是，美国总统克林顿称要同“作为自己土地上的自由人民的巴勒斯坦人民站在一起”，他称克林顿的这一讲话具有深刻的政治含义和其他方面的意义。阿拉法特还说，美国国务卿奥尔布赖特同意将继续进行推动中东和平进程的努力。
";

#[test]
fn a_whole_title_near_the_margin_takes_nothing_after_it() {
    assert_eq!(clean(TITLE_NEAR_THE_MARGIN), TITLE_NEAR_THE_MARGIN_CLEANED);
}

/// What it must still join at the top: a title that leaves a bracket open though its first
/// line ends with a kind's word (`…工作要点`), and a first line of running text (a clause, so
/// no title) that ends with one (`…工作计划`).
#[test]
fn a_line_at_the_top_that_only_ends_like_a_title_goes_on() {
    let body: Vec<&str> = TITLE_NEAR_THE_MARGIN.lines().skip(1).collect();
    let body = body.join("\n");
    let cleaned: Vec<&str> = TITLE_NEAR_THE_MARGIN_CLEANED.lines().skip(1).collect();
    let cleaned = cleaned.join("\n");
    let open_title =
        format!("义乌市民政局关于印发《义乌市1998年总体情况工作要点\n》的情况通报\n{body}\n");
    assert_eq!(
        clean(&open_title),
        format!("义乌市民政局关于印发《义乌市1998年总体情况工作要点》的情况通报\n{cleaned}\n")
    );
    let clause = format!(
        "根据市委的统一部署，结合本单位实际情况，现制定全局本年度工作计划\n如下，请认真贯彻执行。\n{body}\n"
    );
    assert_eq!(
        clean(&clause),
        format!("根据市委的统一部署，结合本单位实际情况，现制定全局本年度工作计划如下，请认真贯彻执行。\n{cleaned}\n")
    );
}

/// A wrap before a year in a list of years (`1994、` / `1995、1996三年`): four digits and a
/// `、` are no list item's number, and the full line before goes on into it.
const YEARS_AT_A_LINE_START: &str = "\
關於1998年強化責任落實工作的情況通報
一、總體情況
第二，中國外貿企業非價格因素的競爭力增強。與1994年初相比，1994、
1995、1996三年人民幣實際升值44.3%，今年人民幣名義匯率升值幅度雖不大，
但相對東南亞國家貨幣貶值，實際上也產生了人民幣升值效應。在人民幣匯率升
值的同時，近年中國出口仍保持了較快增長，進出口順差，表明中國企業的非價
格因素的出口競爭力在不斷提高。
第三，人民幣匯率人為貶值是不可取的，GDP指標增長12.3%。1994年外匯體
制改革後，人民幣匯率由外匯市場供求關係決定，中央銀行外匯調控只是防止匯
率劇烈波動，不可能逆勢操作。在1997年貿易順差400多億美元，外匯儲備增加
300多億美元的情況下，人為地進行人民幣官方貶值只會增加中國與其他國家在
進出口貿易上的摩擦。
總之，市場應該對人民幣匯率穩定抱有信心。同時，有必要指出的是，穩定
並不意味著固定不動，它會隨市場供求變化出現小幅波動，這屬於正常的市場規
律，應該理智地看待這一現象。
二、存在的問題
（一）推進重點任務
新華社北京1月6日電（記者汪金福）沒有送別儀式，沒有保留骨灰，CPI指
標增長13.1%。劉瀾濤同志的遺體今天在京火化，他的親屬將骨灰撒在八寶山革
命公墓的一棵常青樹下，以實現這位忠誠的共產主義戰士、久經考驗的無產階級
革命家喪事從簡的遺願。
劉瀾濤同志是我黨黨務工作和統一戰線工作的傑出領導人，原中共中央顧問
委員會常務委員會委員，中國人民政治協商會議第四、五、六屆全國委員會副主
席。他因病於1997年12月31日在京逝世，享年88歲（海政發〔1998〕57號）。
";

const YEARS_AT_A_LINE_START_CLEANED: &str = "\
關於1998年強化責任落實工作的情況通報
一、總體情況
第二，中國外貿企業非價格因素的競爭力增強。與1994年初相比，1994、1995、1996三年人民幣實際升值44.3%，今年人民幣名義匯率升值幅度雖不大，但相對東南亞國家貨幣貶值，實際上也產生了人民幣升值效應。在人民幣匯率升值的同時，近年中國出口仍保持了較快增長，進出口順差，表明中國企業的非價格因素的出口競爭力在不斷提高。
第三，人民幣匯率人為貶值是不可取的，GDP指標增長12.3%。1994年外匯體制改革後，人民幣匯率由外匯市場供求關係決定，中央銀行外匯調控只是防止匯率劇烈波動，不可能逆勢操作。在1997年貿易順差400多億美元，外匯儲備增加300多億美元的情況下，人為地進行人民幣官方貶值只會增加中國與其他國家在進出口貿易上的摩擦。
總之，市場應該對人民幣匯率穩定抱有信心。同時，有必要指出的是，穩定並不意味著固定不動，它會隨市場供求變化出現小幅波動，這屬於正常的市場規律，應該理智地看待這一現象。
二、存在的問題
（一）推進重點任務
新華社北京1月6日電（記者汪金福）沒有送別儀式，沒有保留骨灰，CPI指標增長13.1%。劉瀾濤同志的遺體今天在京火化，他的親屬將骨灰撒在八寶山革命公墓的一棵常青樹下，以實現這位忠誠的共產主義戰士、久經考驗的無產階級革命家喪事從簡的遺願。
劉瀾濤同志是我黨黨務工作和統一戰線工作的傑出領導人，原中共中央顧問委員會常務委員會委員，中國人民政治協商會議第四、五、六屆全國委員會副主席。他因病於1997年12月31日在京逝世，享年88歲（海政發〔1998〕57號）。
";

#[test]
fn a_year_at_a_line_start_is_no_list_item() {
    assert_eq!(clean(YEARS_AT_A_LINE_START), YEARS_AT_A_LINE_START_CLEANED);
    // What it must not join: a number of two digits and a `、` still starts a list item.
    let item = YEARS_AT_A_LINE_START.replace("\n1995、1996三年", "\n10、1996三年");
    let cleaned = clean(&item);
    assert!(
        cleaned.contains("與1994年初相比，1994、\n10、1996三年"),
        "{cleaned}"
    );
}

/// Documents of the synthetic damage's `wrap` kind (`examples/export_score/damage.rs`) that
/// each rule of the width model above made exact: a title wrapped at the margin (`doc018`,
/// seed 2), a whole title near it (`doc022`), years at a line's start (`doc014-tw`), and lines
/// that hang a closing quotation mark past the margin (`doc003`, `doc020-tw`: counted as wider
/// than the page, they made the fit weigh a curly quotation mark at 0.35 or 0.7 em where the
/// page sets it one em wide, and full lines of quotes read as short).
#[test]
fn wrap_damage_that_the_width_model_now_reads_is_cleaned_exactly() {
    let references = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/exports/lo-txt");
    for (doc, seed) in [
        ("doc018", 2),
        ("doc022", 1),
        ("doc014-tw", 1),
        ("doc003", 1),
        ("doc020-tw", 1),
    ] {
        let reference = std::fs::read_to_string(format!("{references}/{doc}.expected.txt"))
            .expect("the reference is readable");
        let damaged = crate::damage::damage(&reference, doc, "wrap", seed);
        assert_ne!(damaged, reference);
        let (output, _) = clean_str(&damaged, &crate::score::options_for(doc));
        assert_eq!(output, reference, "{doc}, seed {seed}");
    }
}
