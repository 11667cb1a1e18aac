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
