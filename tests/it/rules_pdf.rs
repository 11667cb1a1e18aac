//! The rules together on a document as pdftotext writes it: running headers, page numbers, form
//! feeds and lines hard-wrapped at the page width, with a paragraph running over a page break.

use zhclean::pipeline::ConvertMode;
use zhclean::rules::Rule;
use zhclean::{clean_str, Options};

const PDFTOTEXT: &str = "\
关于2021年法治政府建设的年度报告
一、推进法治政府建设的主要举措和成效
2021年，市科技局按照市委全面依法治市委员会的工
作要点，全面落实法治建设总体目标，大力推进法治建
设，加强法治宣传教育，结合科技工作实际，不断深化
科技项目申报管理。
（一）依法全面履行政府职能
按照市行政审批服务管理局的要求，开展证明事项梳理
工作，共梳理法律、法规规定的证明事项0项，部门规
运城市科学技术局
— 1 —
\u{000C}运城市科学技术局
章规定的证明事项5项，全部按要求进行了公布，并在运
城市人民政府网站上进行公示，接受社会各界的监督。
二、推进法治政府建设存在的问题
多数干部职工的法律意识、法治观念与过去相比有较大
的进步，但个别执法人员依法行政的观念比较淡薄。
运城市科学技术局
— 2 —
\u{000C}运城市科学技术局
三、下一步工作计划
进一步加强依法行政工作，加大督查力度，加强责任追
究，全面完成法治政府建设的各项工作任务。
运城市科学技术局
— 3 —
\u{000C}";

const EXPECTED: &str = "\
关于2021年法治政府建设的年度报告
一、推进法治政府建设的主要举措和成效
2021年，市科技局按照市委全面依法治市委员会的工作要点，全面落实法治建设总体目标，大力推进法治建设，加强法治宣传教育，结合科技工作实际，不断深化科技项目申报管理。
（一）依法全面履行政府职能
按照市行政审批服务管理局的要求，开展证明事项梳理工作，共梳理法律、法规规定的证明事项0项，部门规章规定的证明事项5项，全部按要求进行了公布，并在运城市人民政府网站上进行公示，接受社会各界的监督。
二、推进法治政府建设存在的问题
多数干部职工的法律意识、法治观念与过去相比有较大的进步，但个别执法人员依法行政的观念比较淡薄。
三、下一步工作计划
进一步加强依法行政工作，加大督查力度，加强责任追究，全面完成法治政府建设的各项工作任务。
";

fn options() -> Options {
    Options {
        convert: ConvertMode::Never,
        ..Options::default()
    }
}

#[test]
fn pdftotext_pages_become_paragraphs() {
    let (output, report) = clean_str(PDFTOTEXT, &options());
    assert_eq!(output, EXPECTED);
    assert_eq!(report.rules.get(Rule::PageNumber), 3);
    assert_eq!(report.rules.get(Rule::FormFeed), 3);
    assert_eq!(report.rules.get(Rule::RunningHeader), 5);
    assert_eq!(report.rules.get(Rule::JoinPageBreak), 1);
    assert_eq!(report.rules.get(Rule::JoinHardWrap), 7);
    assert_eq!(
        report.facts.get("wrap-width").map(String::as_str),
        // 24 Han characters a line: the page is 24 ems, 48 columns.
        Some("48")
    );
    assert_eq!(clean_str(&output, &options()).0, output);
}
