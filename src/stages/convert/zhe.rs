//! 著 in `clean`'s Traditional → Simplified output: the particle and the verb become 着.
//!
//! Traditional text writes one character, 著, for two words that Simplified writes apart: zhù
//! "to write; notable" (著作, 著名, 显著), which stays 著, and the particle zhe and the verbs
//! zháo/zhuó (睡著, 穿著, 隨著, 著急, 著手), which are 着. OpenCC's `t2s` and `hk2s` keep every
//! 著 (`zhclean convert -c t2s.json` does too, for compatibility); its `tw2s` turns every 著
//! into 着 but for a list of zhù words. `clean` should write what a mainland reader expects
//! whatever the regional evidence of the paragraph, so after the converter has run, each 著
//! left in a converted paragraph is decided here, the same way for every source.
//!
//! The decision is by phrases around the 著, in their Simplified form (the paragraph is
//! converted by then): [`ZHU`] lists the words where it is zhù; everything else is the particle
//! or a verb, by far the more frequent use, and becomes 着. [`ZHE`] lists phrases where it is
//! the particle or a verb although a zhù word overlaps them (穿著名牌: 穿着 + 名牌, not
//! 穿 + 著名; 看著作业, 随著名气): of the phrases that cover a 著, the longest wins, and of
//! equally long ones the one that starts first (as maximum matching reads from the left).
//! Weak zhù words whose first character is common (新著, 所著) are listed with their context
//! (新著问世, 所著的) so that 重新著手 and 他所著重的 read as the verbs they are.

use std::borrow::Cow;
use std::sync::LazyLock;

/// Phrases in which 著 is zhù, "to write; notable": it stays 著. Reviewed against the 著 words
/// of OpenCC's `TWVariantsRevPhrases` and zhclean's overrides of it (every zhù word `tw2s`
/// keeps is here, so that `clean` decides alike whatever the source); OpenCC's odd entries
/// 著白, 著式, 著志 and 著於 are not zhù words and are left out.
pub(super) const ZHU: &[&str] = &[
    // 著 first.
    "著作",
    "著名",
    "著称",
    "著述",
    "著录",
    "著书",
    "著者",
    "著有",
    "著译",
    "著文",
    "著说",
    "著论",
    "著籍",
    "著姓",
    "著闻",
    "著于竹帛",
    // 著 last: the works and the notable.
    "显著",
    "昭著",
    "卓著",
    "彰著",
    "较著",
    "名著",
    "巨著",
    "钜著",
    "合著",
    "土著",
    "编著",
    "专著",
    "论著",
    "原著",
    "遗著",
    "译著",
    "撰著",
    "拙著",
    "旧著",
    "佳著",
    "杰著",
    "宏著",
    // Weak first characters: only with the context that makes them zhù.
    "新著问世",
    "新著出版",
    "其新著",
    "的新著",
    "所著的",
    "所著之",
    "所著《",
    "所著书",
    // A zhù word after a verb of [`ZHE`]: 代表著作 "representative work", not 代表着 + 作.
    "代表著作",
];

/// Verbs (one character) after which 著 is the particle zhe, when a zhù word overlaps the 著
/// (穿著名牌, 看著作业, 随著名气): each makes the phrase verb + 著. Left out on purpose: verbs
/// that take a zhù word as their object or complement more often than the particle before one
/// (有著名的, 成为著名, 经过著名, 这本著作, 撰写著作, 阅读著作): 有 为 过 本 写 读. Without an
/// overlapping zhù word their 著 is the particle anyway (有著悠久的历史 → 有着).
const VERBS: &str = "穿戴看拿带随沿顺朝向照接跟望听说笑哭坐站躺睡等盼唱跑走抱背提举握抓捧\
端挂贴放摆留守陪护围绕指盯瞪瞧忍闭睁开亮响飘闪挨靠顶扛牵领揣藏躲记念想怀含捂敞急忙活醉饿\
怕爱恨摸骑踩弯低仰侧歪冒淌流燃烧挺插披扶搂拉推扯拖托抬挑撑叼咬吃喝喊叫画盖铺晒泡煮喘哼\
闹逗骂问瞅瞄摇晃抖蹲跪趴伏候赶追逃转滚踢敲打拍对冲凭仗趁干";

/// Phrases longer than verb + 著 in which 著 is the particle or a verb (zhe, zháo, zhuó).
pub(super) const ZHE: &[&str] = &[
    // Two-character verbs with the particle.
    "意味著",
    "存在著",
    "代表著",
    "象征著",
    "标志著",
    "伴随著",
    "保持著",
    "进行著",
    "发生著",
    "影响著",
    "决定著",
    "关系著",
    "承担著",
    "面临著",
    "经历著",
    "享受著",
    "期待著",
    "等待著",
    "注视著",
    "凝视著",
    "坚持著",
    "努力著",
    "紧接著",
    "继续著",
    // zhuó and zháo words.
    "执著",
    "沉著",
    "附著",
    "衣著",
    "著手",
    "著力",
    "著眼",
    "著想",
    "著陆",
    "著装",
    "著凉",
    "著迷",
    "著急",
    "著火",
    "著色",
    "著重",
    "著落",
    "著实",
    "著墨",
    "著魔",
    "著意",
    "著笔",
    "著地",
    "著慌",
    "著恼",
    "著忙",
    "睡不著",
    "找不著",
    "用不著",
    "犯不著",
    "够不著",
];

/// 著 (U+8457) in UTF-8.
const ZHU_CHAR: &str = "著";

/// Its searcher, built once (building one costs more than searching a paragraph).
static FINDER: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new(ZHU_CHAR.as_bytes()));

/// The longest phrase of either list, in characters: how far around a 著 to look.
const LONGEST: usize = 4;

/// Turns each 著 of `text` (a paragraph converted to Simplified) that is not zhù into 着.
/// Returns the text and how many changed; unchanged text comes back borrowed.
pub(super) fn particle_zhe(text: &str) -> (Cow<'_, str>, u64) {
    let mut out = String::new();
    let mut copied_to = 0;
    let mut changed = 0;
    for at in FINDER.find_iter(text.as_bytes()) {
        if is_zhu(text, at) {
            continue;
        }
        if changed == 0 {
            out.reserve(text.len());
        }
        out.push_str(&text[copied_to..at]);
        out.push('着');
        copied_to = at + ZHU_CHAR.len();
        changed += 1;
    }
    if changed == 0 {
        return (Cow::Borrowed(text), 0);
    }
    out.push_str(&text[copied_to..]);
    (Cow::Owned(out), changed)
}

/// Is the 著 at byte `at` zhù? After a space it is the author's credit of a bibliographic line
/// (`鲁迅 著`, `曹雪芹　著`): prose never puts a space before the particle. Otherwise the longest
/// phrase of [`ZHU`], [`ZHE`] or verb + 著 that covers it decides; of equally long ones, the one
/// that starts first. No phrase: the particle.
fn is_zhu(text: &str, at: usize) -> bool {
    if text[..at]
        .chars()
        .next_back()
        .is_some_and(crate::text::is_line_space)
    {
        return true;
    }
    // Up to LONGEST - 1 characters before the 著: where a covering phrase may start.
    let starts: Vec<usize> = text[..at]
        .char_indices()
        .rev()
        .take(LONGEST - 1)
        .map(|(i, _)| i)
        .chain(std::iter::once(at))
        .collect();
    // (length in bytes, start, zhù?) of the best phrase so far.
    let mut best: Option<(usize, usize, bool)> = None;
    let mut consider = |phrase: &str, zhu: bool| {
        let Some(offset) = phrase.find(ZHU_CHAR) else {
            return;
        };
        let Some(start) = at.checked_sub(offset) else {
            return;
        };
        if !starts.contains(&start) || !text[start..].starts_with(phrase) {
            return;
        }
        let better = match best {
            None => true,
            Some((len, best_start, _)) => {
                phrase.len() > len || (phrase.len() == len && start < best_start)
            }
        };
        if better {
            best = Some((phrase.len(), start, zhu));
        }
    };
    for phrase in ZHU {
        consider(phrase, true);
    }
    for phrase in ZHE {
        consider(phrase, false);
    }
    if let Some(verb) = text[..at]
        .chars()
        .next_back()
        .filter(|&c| VERBS.contains(c))
    {
        let mut phrase = String::with_capacity(6);
        phrase.push(verb);
        phrase.push_str(ZHU_CHAR);
        consider(&phrase, false);
    }
    best.is_some_and(|(_, _, zhu)| zhu)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(text: &str) -> String {
        particle_zhe(text).0.into_owned()
    }

    #[test]
    fn the_particle_and_the_verbs_become_zhe() {
        for (input, expected) in [
            ("孩子睡著了", "孩子睡着了"),
            ("著手调查此案", "着手调查此案"),
            ("别为这件事著慌", "别为这件事着慌"),
            ("说著说著就哭了", "说着说着就哭了"),
            ("门开著", "门开着"),
            ("穿著名牌", "穿着名牌"),
            ("他看著作业发呆", "他看着作业发呆"),
            ("随著名气增长", "随着名气增长"),
            ("这意味著作者很用心", "这意味着作者很用心"),
            ("重新著手调查", "重新着手调查"),
            ("他所著重的是结果", "他所着重的是结果"),
            ("他大著胆子走进去", "他大着胆子走进去"),
            ("他总是执著于过去", "他总是执着于过去"),
            ("有著悠久的历史", "有着悠久的历史"),
            ("著", "着"),
        ] {
            assert_eq!(decide(input), expected, "{input}");
        }
    }

    #[test]
    fn zhu_words_keep_zhu() {
        for text in [
            "他的著作很多",
            "著名学者",
            "效果显著",
            "土著居民",
            "这是一部名著",
            "原著小说",
            "以风景秀丽著称",
            "王力编著",
            "他著有三部小说",
            "他所著的书",
            "著作权法",
            "恶名昭著",
            "新著问世",
            "有著名的景点",
            "这本著作",
            "鲁迅 著",
            "（清）曹雪芹　著",
            "",
            "没有那个字",
        ] {
            assert!(
                matches!(particle_zhe(text), (Cow::Borrowed(_), 0)),
                "{text}"
            );
        }
    }

    /// Every phrase of the lists holds exactly one 著, and none is longer than the window.
    #[test]
    fn the_lists_are_well_formed() {
        for phrase in ZHU.iter().chain(ZHE) {
            assert_eq!(phrase.matches(ZHU_CHAR).count(), 1, "{phrase}");
            assert!(phrase.chars().count() <= LONGEST, "{phrase}");
        }
        assert!(!VERBS.contains(ZHU_CHAR));
    }
}
