//! Compiles the conversion dictionaries in `dicts/` into the tables `src/stages/convert` loads at run
//! time, so that no automaton is ever built while converting.
//!
//! A *table* is one group of OpenCC dictionaries merged in priority order (an earlier dictionary
//! wins a key both define), plus our corrections from `dicts/overrides/<Dictionary>.txt`, which
//! win over the dictionary they are named after. Each table is written as one blob. The
//! dictionary text format and the blob layout live in the `zhclean-dicts` crate
//! (`crates/zhclean-dicts`), which the tests read the dictionaries and blobs with too.
//!
//! The script-evidence sets used by the `clean` gate are derived here too (see `evidence`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use zhclean_dicts::{blob, closure, dict};

/// One dictionary: keys in file order, each with its targets (the first is the default).
type Dict = Vec<(String, Vec<String>)>;

/// The tables the converter can load, each a group of dictionaries in priority order. The names
/// are the OpenCC dictionary names; `*Rev` and `TSCharactersExt` are derived below.
const TABLES: &[(&str, &[&str])] = &[
    ("norm", &["CJK_Compatibility_Ideographs"]),
    ("ts", &["TSPhrases", "TSCharacters"]),
    ("ts_ext", &["TSPhrases", "TSCharactersExt", "TSCharacters"]),
    ("tw_rev", &["TWVariantsRevPhrases", "TWVariantsRev"]),
    (
        "tw_rev_p",
        &["TWPhrasesRev", "TWVariantsRevPhrases", "TWVariantsRev"],
    ),
    ("hk_rev", &["HKVariantsRevPhrases", "HKVariantsRev"]),
    (
        "hk_rev_p",
        &["HKPhrasesRev", "HKVariantsRevPhrases", "HKVariantsRev"],
    ),
    (
        "st",
        &[
            "STPhrases",
            "STPhrases_GeneratedFromRegionalPhrases",
            "STCharacters",
        ],
    ),
    ("tw", &["TWVariantsPhrases", "TWVariants"]),
    ("tw_p", &["TWPhrases", "TWVariantsPhrases", "TWVariants"]),
    ("hk", &["HKVariantsPhrases", "HKVariants"]),
    ("hk_p", &["HKPhrases", "HKVariantsPhrases", "HKVariants"]),
    ("jp", &["JPShinjitaiPhrases", "JPShinjitaiCharacters"]),
    ("jp_rev", &["JPShinjitaiCharactersRev"]),
];

fn main() {
    let dicts_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dicts");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=dicts");
    println!("cargo:rerun-if-changed=dicts/overrides");

    let mut loader = Loader {
        dir: dicts_dir,
        cache: HashMap::new(),
    };
    let mut tables: Vec<BTreeMap<String, String>> = TABLES
        .iter()
        .map(|(_, sources)| {
            let dicts: Vec<Dict> = sources.iter().map(|source| loader.get(source)).collect();
            table_entries(&dicts)
        })
        .collect();
    close_chains(&mut tables);
    for ((name, _), entries) in TABLES.iter().zip(&tables) {
        let entries: BTreeMap<&str, &str> = entries
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        fs::write(
            out_dir.join(format!("{name}.bin")),
            blob::write_table(&entries),
        )
        .expect("write table");
    }
    fs::write(out_dir.join("evidence.bin"), evidence(&mut loader)).expect("write evidence");
}

struct Loader {
    dir: PathBuf,
    cache: HashMap<String, Dict>,
}

impl Loader {
    /// A dictionary by OpenCC name, with its overrides applied.
    fn get(&mut self, name: &str) -> Dict {
        if let Some(dict) = self.cache.get(name) {
            return dict.clone();
        }
        let base = match name {
            "TWVariantsRev" => reverse(&self.get("TWVariants")),
            "HKVariantsRev" => reverse(&self.get("HKVariants")),
            "JPShinjitaiCharactersRev" => reverse(&self.get("JPShinjitaiCharacters")),
            "TSCharactersExt" => ts_characters_ext(&self.dir),
            "STPhrases_GeneratedFromRegionalPhrases" => {
                let ts = [self.get("TSPhrases"), self.get("TSCharacters")];
                let regional = [self.get("TWPhrases"), self.get("HKPhrases")];
                generated_from_regional_phrases(&ts, &regional)
            }
            _ => parse(&self.dir.join(format!("{name}.txt"))),
        };
        let overrides = self.dir.join("overrides").join(format!("{name}.txt"));
        let dict = if overrides.exists() {
            apply_overrides(base, parse(&overrides))
        } else {
            base
        };
        self.cache.insert(name.to_string(), dict.clone());
        dict
    }
}

/// Reads an OpenCC text dictionary (format: `zhclean_dicts::dict`). Malformed lines are a
/// build error, each named with its file and line (the dictionary lint test names them too).
fn parse(path: &Path) -> Dict {
    parse_entries(path)
        .into_iter()
        .map(|entry| (entry.key, entry.targets))
        .collect()
}

fn parse_entries(path: &Path) -> Vec<dict::Entry> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    dict::parse(&text).into_result().unwrap_or_else(|problems| {
        let lines: Vec<String> = problems
            .iter()
            .map(|problem| format!("{}:{problem}", path.display()))
            .collect();
        panic!("malformed dictionary:\n{}", lines.join("\n"))
    })
}

/// Our corrections replace the entry of the same key or are added.
fn apply_overrides(base: Dict, overrides: Dict) -> Dict {
    let replaced: BTreeSet<&str> = overrides.iter().map(|(k, _)| k.as_str()).collect();
    let mut dict: Dict = base
        .into_iter()
        .filter(|(k, _)| !replaced.contains(k.as_str()))
        .collect();
    dict.extend(overrides);
    dict
}

/// The reverse of a variants dictionary, as OpenCC derives `*VariantsRev`: every target maps
/// back to its keys, in file order (so the first key listed becomes the default).
fn reverse(dict: &Dict) -> Dict {
    let mut order: Vec<String> = Vec::new();
    let mut reversed: HashMap<String, Vec<String>> = HashMap::new();
    for (key, targets) in dict {
        for target in targets {
            let keys = reversed.entry(target.clone()).or_insert_with(|| {
                order.push(target.clone());
                Vec::new()
            });
            if !keys.contains(key) {
                keys.push(key.clone());
            }
        }
    }
    order
        .into_iter()
        .map(|target| {
            let keys = reversed.remove(&target).unwrap_or_default();
            (target, keys)
        })
        .collect()
}

/// OpenCC's `TSCharactersExt` (Traditional → Simplified character pairs whose Simplified form
/// many fonts lack, "tofu") is generated by OpenCC and not in the data we have. It is derived
/// from `TSCharacters.txt` itself: an entry preceded by a `# @tofu-risk` comment keeps the
/// Traditional character as its default and names the rare Simplified form as a later
/// candidate; the extension maps the character to that rare form.
fn ts_characters_ext(dir: &Path) -> Dict {
    parse_entries(&dir.join("TSCharacters.txt"))
        .into_iter()
        .filter(|entry| entry.has_tag("tofu-risk"))
        .filter_map(|entry| {
            let rare: Vec<String> = entry
                .targets
                .into_iter()
                .filter(|t| *t != entry.key)
                .collect();
            (!rare.is_empty()).then_some((entry.key, rare))
        })
        .collect()
}

/// OpenCC's `STPhrases_GeneratedFromRegionalPhrases`, which it generates and which is not in
/// the data we have. The regional phrase dictionaries are keyed by standard Traditional phrases
/// (`大數據`, `正當程序`, `計算機`); Simplified → Traditional segments the text by `STPhrases`
/// first, and a later regional stage only sees whole segments, so each regional key needs its
/// Simplified spelling as a phrase there: `大数据 → 大數據` keeps `大數據` one segment, where
/// the Taiwan table's `數據 → 資料` cannot reach inside it. Each key is converted to
/// Simplified with `TSPhrases` and `TSCharacters` (maximum forward matching, as the converter
/// does) and mapped back to the key.
///
/// A key that lists itself as a later alternative (`低級 → 低階 低級`) is a replacement that
/// only sometimes applies; it gets no Simplified phrase, so that it does not capture text that
/// other phrases segment better (`低级别` is `低` + `級別`). This matches OpenCC's own test
/// cases for `s2twp`; OpenCC's generator itself is not in the data we have.
fn generated_from_regional_phrases(ts: &[Dict], regional: &[Dict]) -> Dict {
    let mut ts_map: HashMap<&str, &str> = HashMap::new();
    for dict in ts {
        for (key, targets) in dict {
            ts_map.entry(key.as_str()).or_insert(targets[0].as_str());
        }
    }
    let longest = ts_map.keys().map(|k| k.chars().count()).max().unwrap_or(1);
    let to_simplified =
        |text: &str| zhclean_dicts::closure::convert_longest(&ts_map, longest, text);
    let mut seen = BTreeSet::new();
    let mut generated = Dict::new();
    for dict in regional {
        for (key, targets) in dict {
            if targets[1..].contains(key) {
                continue;
            }
            let simplified = to_simplified(key);
            if seen.insert(simplified.clone()) {
                generated.push((simplified, vec![key.clone()]));
            }
        }
    }
    generated
}

fn table_entries(dicts: &[Dict]) -> BTreeMap<String, String> {
    // The first dictionary of the group that defines a key wins it.
    let mut entries: BTreeMap<String, String> = BTreeMap::new();
    for dict in dicts {
        for (key, targets) in dict {
            entries
                .entry(key.clone())
                .or_insert_with(|| targets[0].clone());
        }
    }
    // Converting converted text must change nothing (`clean --convert always` converts its own
    // output): every phrase target the table would split differently becomes a phrase of its
    // own (`干預 → 干預`, since `干` alone is `幹`). See `zhclean_dicts::closure`.
    closure::close(&mut entries);
    entries
}

/// The chains the converter runs (`Config::chain` in `src/convert/config.rs`, with either
/// Traditional → Simplified table): the segmentation table, then the stages, by table name.
const CHAINS: &[(&str, &[&str])] = &[
    ("st", &["st", "tw"]),
    ("st", &["st", "tw_p"]),
    ("st", &["st", "hk"]),
    ("st", &["st", "hk_p"]),
    ("ts", &["tw_rev", "ts"]),
    ("ts", &["tw_rev_p", "ts"]),
    ("ts", &["hk_rev", "ts"]),
    ("ts", &["hk_rev_p", "ts"]),
    ("ts", &["tw_rev", "ts_ext"]),
    ("ts", &["tw_rev_p", "ts_ext"]),
    ("ts", &["hk_rev", "ts_ext"]),
    ("ts", &["hk_rev_p", "ts_ext"]),
];

/// Closes every chain under its own output (`zhclean_dicts::closure::close_chain`), on the keys
/// of its tables: converting a chain's output again must change nothing either (`云为` →
/// `云為` in `s2tw`, which `st` alone would make `雲為`). A phrase added for one chain is in a
/// table others share, so this goes round until no chain adds one, closing each table it
/// added to on its own again.
fn close_chains(tables: &mut [BTreeMap<String, String>]) {
    let index = |name: &str| {
        TABLES
            .iter()
            .position(|(n, _)| *n == name)
            .expect("a chain's table is in TABLES")
    };
    loop {
        let mut added = false;
        for (segment_by, stages) in CHAINS {
            let segment_by = index(segment_by);
            let stages: Vec<usize> = stages.iter().map(|name| index(name)).collect();
            let mut inputs: BTreeSet<String> = tables[segment_by].keys().cloned().collect();
            for &t in &stages {
                inputs.extend(tables[t].keys().cloned());
            }
            let inputs: Vec<String> = inputs.into_iter().collect();
            let closure = closure::close_chain(tables, segment_by, &stages, &inputs);
            let touched: BTreeSet<usize> = closure.added.iter().map(|(t, _)| *t).collect();
            for t in touched {
                closure::close(&mut tables[t]);
                added = true;
            }
        }
        if !added {
            return;
        }
    }
}

/// Single characters of a dictionary whose default target is a different character.
fn changing_chars(dict: &Dict) -> BTreeSet<char> {
    dict.iter()
        .filter_map(|(key, targets)| {
            let mut chars = key.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if targets[0] != *key => Some(c),
                _ => None,
            }
        })
        .collect()
}

/// Every single character named as a target anywhere in a dictionary.
fn target_chars(dict: &Dict) -> BTreeSet<char> {
    dict.iter()
        .flat_map(|(_, targets)| targets.iter())
        .filter_map(|t| {
            let mut chars = t.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some(c),
                _ => None,
            }
        })
        .collect()
}

/// The character evidence of script and regional standard, as four sets of characters (layout:
/// `zhclean_dicts::blob`):
///
/// 1. Traditional-only: converted by `TSCharacters` and never a Simplified target there.
/// 2. Simplified-only: converted by `STCharacters`, never a Traditional target there nor a
///    Taiwan or Hong Kong form.
/// 3. Taiwan forms: targets of `TWVariants` that are Traditional-only (為 裡 眾 啟 …).
/// 4. Hong Kong forms: targets of `HKVariants` that are neither Taiwan nor OpenCC-standard
///    forms (説 温 綫 衞 …).
///
/// Characters listed in `dicts/overrides/both-scripts.txt` (in use in both scripts: 乾 於 …)
/// are never evidence.
fn evidence(loader: &mut Loader) -> Vec<u8> {
    let both: BTreeSet<char> = dict::parse_char_list(
        &fs::read_to_string(loader.dir.join("overrides/both-scripts.txt"))
            .expect("dicts/overrides/both-scripts.txt"),
    )
    .into_iter()
    .collect();
    let ts = loader.get("TSCharacters");
    let st = loader.get("STCharacters");
    let tw = loader.get("TWVariants");
    let hk = loader.get("HKVariants");
    let simplified_targets = target_chars(&ts);
    let traditional_targets = target_chars(&st);
    let traditional_only: BTreeSet<char> = changing_chars(&ts)
        .into_iter()
        .filter(|c| !simplified_targets.contains(c) && !both.contains(c))
        .collect();
    // Taiwan and Hong Kong write some characters as Simplified does (床 for OpenCC's 牀):
    // those are no evidence of Simplified text.
    let regional_targets: BTreeSet<char> = target_chars(&tw)
        .union(&target_chars(&hk))
        .copied()
        .collect();
    let simplified_only: BTreeSet<char> = changing_chars(&st)
        .into_iter()
        .filter(|c| !traditional_targets.contains(c) && !regional_targets.contains(c))
        .filter(|c| !both.contains(c))
        .collect();
    let standard_forms: BTreeSet<char> = tw
        .iter()
        .chain(hk.iter())
        .flat_map(|(k, _)| k.chars())
        .collect();
    let tw_forms: BTreeSet<char> = target_chars(&tw)
        .into_iter()
        .filter(|c| traditional_only.contains(c) && !standard_forms.contains(c))
        .collect();
    let tw_targets = target_chars(&tw);
    let hk_forms: BTreeSet<char> = target_chars(&hk)
        .into_iter()
        .filter(|c| !tw_targets.contains(c) && !standard_forms.contains(c))
        .filter(|c| !simplified_targets.contains(c) && !both.contains(c))
        .collect();
    blob::write_char_sets(&[&traditional_only, &simplified_only, &tw_forms, &hk_forms])
}
