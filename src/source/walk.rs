//! Which files of a directory tree are documents: the walk of ripgrep and fd (the `ignore`
//! crate), with hidden files and `.gitignore`d ones left out, `--glob`/`--exclude` to choose,
//! and the rule that tells data and markup files (CSV, JSON, XML, source code) from prose.

use std::ffi::OsStr;
use std::path::{Component, Path};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

use super::UsageError;

/// How a directory is walked: `--hidden`, `--no-ignore`, `--glob`, `--exclude`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WalkOptions {
    /// Read hidden files and directories (a name starting with `.`), and hidden archive members.
    pub hidden: bool,
    /// Read the files `.gitignore`, `.ignore` and `.git/info/exclude` name as well.
    pub no_ignore: bool,
    /// Only the files matching one of these (all files without any).
    pub globs: Vec<String>,
    /// Not the files, nor the directories, matching one of these.
    pub excludes: Vec<String>,
}

/// `--glob` and `--exclude` compiled. A glob without `/` is matched against a name (`*.txt`,
/// `drafts`), one with `/` against the path below the walked directory (`2023/**/*.txt`), as in
/// a `.gitignore`.
#[derive(Clone, Debug)]
pub(super) struct Choice {
    names: GlobSet,
    paths: GlobSet,
    exclude_names: GlobSet,
    exclude_paths: GlobSet,
    any_include: bool,
}

impl Choice {
    pub(super) fn new(options: &WalkOptions) -> Result<Self, UsageError> {
        let (names, paths) = compile(&options.globs, "--glob")?;
        let (exclude_names, exclude_paths) = compile(&options.excludes, "--exclude")?;
        Ok(Choice {
            names,
            paths,
            exclude_names,
            exclude_paths,
            any_include: !options.globs.is_empty(),
        })
    }

    /// Is this file or directory (its path below the walked directory) left out by `--exclude`?
    pub(super) fn excluded(&self, relative: &Path) -> bool {
        let name = relative.file_name().unwrap_or(relative.as_os_str());
        self.exclude_names.is_match(name) || self.exclude_paths.is_match(relative)
    }

    /// Was some `--glob` given?
    pub(super) fn chooses(&self) -> bool {
        self.any_include
    }

    /// Is this file chosen by `--glob` (every file is, without one)?
    pub(super) fn included(&self, relative: &Path) -> bool {
        let name = relative.file_name().unwrap_or(relative.as_os_str());
        !self.any_include || self.names.is_match(name) || self.paths.is_match(relative)
    }
}

/// Name globs and path globs, apart. In a path glob `*` stays inside one directory and `**`
/// crosses them, as in `.gitignore`.
fn compile(globs: &[String], flag: &str) -> Result<(GlobSet, GlobSet), UsageError> {
    let mut names = GlobSetBuilder::new();
    let mut paths = GlobSetBuilder::new();
    for text in globs {
        let pattern = text.trim_start_matches("./").trim_end_matches('/');
        let invalid = |error: globset::Error| {
            UsageError(format!(
                "{flag} {text}: not a valid glob ({})",
                error.kind()
            ))
        };
        if pattern.contains('/') {
            let glob = GlobBuilder::new(pattern.trim_start_matches('/'))
                .literal_separator(true)
                .build()
                .map_err(invalid)?;
            paths.add(glob);
        } else {
            names.add(Glob::new(pattern).map_err(invalid)?);
        }
    }
    let build = |builder: GlobSetBuilder| {
        builder
            .build()
            .map_err(|error| UsageError(format!("{flag}: {error}")))
    };
    Ok((build(names)?, build(paths)?))
}

/// Extensions of files holding data or markup rather than prose: cleaning them as prose (joining
/// their lines, widening their commas) corrupts them. Documents with a reader (.html, .docx) and
/// plain text (.txt, .md) are not here.
const DATA_EXTENSIONS: &[&str] = &[
    // Data and configuration.
    "csv",
    "tsv",
    "json",
    "jsonl",
    "ndjson",
    "geojson",
    "ipynb",
    "xml",
    "xsd",
    "xsl",
    "xslt",
    "yaml",
    "yml",
    "toml",
    "ini",
    "cfg",
    "conf",
    "properties",
    "plist",
    "sql",
    "lock",
    "svg",
    // Source code and style sheets.
    "rs",
    "py",
    "pyi",
    "js",
    "mjs",
    "cjs",
    "jsx",
    "ts",
    "tsx",
    "vue",
    "c",
    "h",
    "cc",
    "cpp",
    "cxx",
    "hpp",
    "hh",
    "m",
    "mm",
    "java",
    "kt",
    "kts",
    "scala",
    "go",
    "rb",
    "php",
    "pl",
    "pm",
    "lua",
    "r",
    "swift",
    "cs",
    "fs",
    "vb",
    "dart",
    "sh",
    "bash",
    "zsh",
    "fish",
    "bat",
    "cmd",
    "ps1",
    "css",
    "scss",
    "sass",
    "less",
    "gradle",
    "cmake",
    "mk",
];

/// Why a file found in a walk (or an archive member) is data or markup and not prose, by its
/// extension: `Some(".csv")`; `None` for anything else.
pub fn data_file(path: &Path) -> Option<String> {
    let extension = path.extension().and_then(OsStr::to_str)?;
    let lower = extension.to_ascii_lowercase();
    DATA_EXTENSIONS
        .contains(&lower.as_str())
        .then(|| format!(".{extension}"))
}

/// Is some component of this path (an archive member's) hidden: a name starting with `.`,
/// other than `.` and `..` themselves?
pub fn is_hidden(path: &Path) -> bool {
    path.components().any(|component| match component {
        Component::Normal(name) => name.to_string_lossy().starts_with('.'),
        _ => false,
    })
}

/// What `path` is when it is neither a regular file nor a directory (a link is followed): a
/// named pipe, a socket or a device, which a directory walk does not read (opening a pipe
/// waits for a writer; a device may never end).
pub fn special_file(path: &Path) -> Option<&'static str> {
    special_kind(&std::fs::metadata(path).ok()?)
}

/// [`special_file`] of a file whose metadata is read already (the run reads it once for a
/// file it cleans: its kind decides this and how the file is opened).
pub fn special_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    if meta.is_file() || meta.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return Some("a named pipe");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
    }
    Some("not a regular file")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(globs: &[&str], excludes: &[&str]) -> Choice {
        Choice::new(&WalkOptions {
            globs: globs.iter().map(|g| g.to_string()).collect(),
            excludes: excludes.iter().map(|g| g.to_string()).collect(),
            ..WalkOptions::default()
        })
        .unwrap()
    }

    #[test]
    fn name_globs_match_at_any_depth_and_path_globs_stay_in_their_directory() {
        let c = choice(&["*.txt", "2023/*.md"], &["drafts"]);
        assert!(c.included(Path::new("a/b/x.txt")));
        assert!(c.included(Path::new("2023/x.md")));
        assert!(!c.included(Path::new("2023/sub/x.md")));
        assert!(!c.included(Path::new("x.md")));
        assert!(c.excluded(Path::new("a/drafts")));
        assert!(!c.excluded(Path::new("a/drafts.txt")));
        let all = choice(&[], &[]);
        assert!(all.included(Path::new("x.bin")) && !all.excluded(Path::new("x.bin")));
    }

    #[test]
    fn an_invalid_glob_is_a_usage_error_naming_the_flag() {
        let err = Choice::new(&WalkOptions {
            excludes: vec!["a[".into()],
            ..WalkOptions::default()
        })
        .unwrap_err();
        assert!(err.0.starts_with("--exclude a["), "{err}");
    }

    #[test]
    fn data_files_by_extension_and_prose_left_alone() {
        assert_eq!(data_file(Path::new("a/表.CSV")).as_deref(), Some(".CSV"));
        assert_eq!(data_file(Path::new("x.json")).as_deref(), Some(".json"));
        for prose in [
            "a.txt", "a.md", "a.html", "a.docx", "README", "a.log", ".csv",
        ] {
            assert_eq!(data_file(Path::new(prose)), None, "{prose}");
        }
    }

    #[test]
    fn hidden_components_but_not_dot_paths() {
        assert!(is_hidden(Path::new(".git/config")));
        assert!(is_hidden(Path::new("a/.DS_Store")));
        assert!(!is_hidden(Path::new("./a/b.txt")));
        assert!(!is_hidden(Path::new("a/b.txt")));
    }
}
