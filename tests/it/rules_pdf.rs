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

/// A content-farm page with pinyin annotations (`裁(cái)判`) printed to PDF, as pdftotext
/// writes it: 16 ems a line, the annotations' letters about half an em each, each paragraph's
/// first line two ems short (its indent dropped). A line that held annotations is full on the
/// page though short without them; and a wrap fell between `履` and its annotation, with the
/// page's number and a form feed between the two.
const PDFTOTEXT_WITH_PINYIN: &str = "\
关于做好应诉工作的通知

各区县人民政府，市政府各部门：
按照行政诉讼法，各级机关要认
真做好行政应(yīng)诉工作，依法履

— 1 —
\u{000C}(lǚ)行出庭应诉职责，支持人民法院
依法受理和审理行政案件，尊重并执
行人民法院生效裁(cái)判，不得以
任何理由干预、阻碍人民法院受理和
审理行政案件。
行政机关负责人出庭应诉，是落
实行政诉讼法的重要举措，有利于化
解行政争(zhēng)议，有利于推进法
治政府建(jiàn)设，各地区、各部门
要高度重视，切实抓好落实。
各地区、各部门要加强对行政应
诉工作的组织领导，明确工作机构和
人员，建立健全行政应诉工作制度，
完善行政应诉工作机制，为行政应诉
工作提供必要的保障。

— 2 —
\u{000C}";

#[test]
fn pinyin_printed_in_a_pdf_is_measured_as_printed_and_taken_across_a_page_break() {
    let (output, report) = clean_str(PDFTOTEXT_WITH_PINYIN, &options());
    assert_eq!(
        output,
        "\
关于做好应诉工作的通知
各区县人民政府，市政府各部门：
按照行政诉讼法，各级机关要认真做好行政应诉工作，依法履行出庭应诉职责，支持人民法院依法受理和审理行政案件，尊重并执行人民法院生效裁判，不得以任何理由干预、阻碍人民法院受理和审理行政案件。
行政机关负责人出庭应诉，是落实行政诉讼法的重要举措，有利于化解行政争议，有利于推进法治政府建设，各地区、各部门要高度重视，切实抓好落实。
各地区、各部门要加强对行政应诉工作的组织领导，明确工作机构和人员，建立健全行政应诉工作制度，完善行政应诉工作机制，为行政应诉工作提供必要的保障。
"
    );
    // Four taken by strip, one (`(lǚ)`, on the next page) at the join.
    assert_eq!(report.rules.get(Rule::PinyinAnnotation), 5);
    assert_eq!(report.rules.get(Rule::PageNumber), 2);
    assert_eq!(clean_str(&output, &options()).0, output);
}
