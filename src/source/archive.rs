//! Archives given as input: `.zip`, `.tar`, `.tar.gz`/`.tgz`, read member by member as streams
//! (never unpacked to disk first), so memory stays bounded whatever the archive holds.
//!
//! Member names are untrusted: a name is decoded (zip files made on Chinese Windows carry GBK names
//! without the UTF-8 flag) and then checked, so that no member can be written outside the output
//! directory (`../evil.txt`, `/etc/passwd`, `C:\x`).

use std::io::{self, Read, Seek};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// The archive formats zhclean reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchiveKind {
    Zip,
    Tar,
    TarGz,
}

impl ArchiveKind {
    /// Recognises an archive by its file name (case-insensitively). Content sniffing is not
    /// needed: a file given as an archive that is not one fails with the archive reader's message.
    pub fn of(path: &Path) -> Option<ArchiveKind> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        [
            (".tar.gz", ArchiveKind::TarGz),
            (".tgz", ArchiveKind::TarGz),
            (".tar", ArchiveKind::Tar),
            (".zip", ArchiveKind::Zip),
        ]
        .into_iter()
        .find(|(ext, _)| name.len() > ext.len() && name.ends_with(ext))
        .map(|(_, kind)| kind)
    }

    /// The file name without its archive extension: the directory its members go to when several
    /// inputs share one output directory (`docs.tar.gz` → `docs`).
    pub fn stem(self, path: &Path) -> PathBuf {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ext = match (self, name.to_ascii_lowercase()) {
            (ArchiveKind::TarGz, lower) if lower.ends_with(".tgz") => 4,
            (ArchiveKind::TarGz, _) => 7,
            (ArchiveKind::Tar, _) | (ArchiveKind::Zip, _) => 4,
        };
        PathBuf::from(&name[..name.len().saturating_sub(ext)])
    }
}

/// Decodes a member name from its raw bytes: UTF-8 when it is valid UTF-8 (whatever the flag
/// says: the flag is often missing on names that are UTF-8), otherwise GBK (GB18030, its
/// superset), which is what Chinese Windows writes, and only when that fails too, CP437, the zip
/// format's historical default (`cp437` is the archive reader's own decoding).
pub fn decode_member_name(raw: &[u8], cp437: impl FnOnce() -> String) -> String {
    if let Ok(name) = std::str::from_utf8(raw) {
        return name.to_owned();
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(raw) {
        Some(name) => name.into_owned(),
        None => cp437(),
    }
}

/// The relative path a member may be written to under the output directory, or why it may not:
/// absolute paths, drive letters and `..` components are refused. Both `/` and `\` separate
/// components (zip files made on Windows use `\`).
pub fn safe_member_path(name: &str) -> Result<PathBuf, String> {
    let refuse = |why: &str| {
        Err(format!(
            "member path refused ({why}): it would be written outside the output directory"
        ))
    };
    if name.starts_with(['/', '\\']) {
        return refuse("absolute path");
    }
    let mut path = PathBuf::new();
    for (i, part) in name.split(['/', '\\']).enumerate() {
        match part {
            "" | "." => {}
            ".." => return refuse("'..' in the path"),
            _ if i == 0 && part.len() >= 2 && part.as_bytes()[1] == b':' => {
                return refuse("drive letter")
            }
            _ if part.contains('\0') => return refuse("NUL in the name"),
            _ => path.push(part),
        }
    }
    if path.as_os_str().is_empty() {
        return Err("member has an empty name".into());
    }
    Ok(path)
}

/// What kind of entry a member is: only regular files are cleaned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberKind {
    File,
    Directory,
    /// A link, device or other special entry, by name.
    Other(&'static str),
}

/// One member of an archive, as it is read.
pub struct Member<'a> {
    /// The decoded name, as stored in the archive.
    pub name: String,
    pub kind: MemberKind,
    /// The member's content, or why it cannot be read (an unsupported compression method, an
    /// encrypted member).
    pub content: Result<&'a mut dyn Read, String>,
}

/// Why a whole archive could not be read (a member that cannot be read is reported on the member).
#[derive(Debug)]
pub struct ArchiveError(pub String);

impl std::fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Calls `each` on every member in archive order, streaming. `each` may stop early by returning
/// `ControlFlow::Break` (an interrupted run). Members are read through `reader` in order, so a zip
/// archive is read once for its directory and once for its members, a tar archive once.
pub fn for_each_member<R: Read + Seek>(
    kind: ArchiveKind,
    reader: R,
    each: &mut dyn FnMut(Member<'_>) -> ControlFlow<()>,
) -> Result<(), ArchiveError> {
    match kind {
        ArchiveKind::Zip => zip_members(reader, each),
        ArchiveKind::Tar => tar_members(reader, each),
        ArchiveKind::TarGz => tar_members(flate2::read::MultiGzDecoder::new(reader), each),
    }
}

fn zip_members<R: Read + Seek>(
    mut reader: R,
    each: &mut dyn FnMut(Member<'_>) -> ControlFlow<()>,
) -> Result<(), ArchiveError> {
    // The zip reader keeps one member per name (the last): a directory that lists a name
    // twice would lose a member without a word. Such an archive is read from its own directory.
    let listed = central_directory(&mut reader).ok().flatten();
    reader
        .seek(io::SeekFrom::Start(0))
        .map_err(|e| ArchiveError(format!("cannot read the archive: {e}")))?;
    let mut archive = zip::ZipArchive::new(reader)
        .map_err(|e| ArchiveError(format!("not a readable zip archive: {e}")))?;
    if let Some(listed) = listed.filter(|listed| listed.len() > archive.len()) {
        let offset = archive.offset();
        return listed_members(archive.into_inner(), offset, &listed, each);
    }
    for index in 0..archive.len() {
        let fallback_name = archive
            .name_for_index(index)
            .map_or_else(|| format!("#{}", index + 1), str::to_owned);
        let flow = match archive.by_index(index) {
            Ok(mut file) => {
                let name = decode_member_name(file.name_raw(), || file.name().to_owned());
                let kind = if file.is_dir() {
                    MemberKind::Directory
                } else if file.is_symlink() {
                    MemberKind::Other("symbolic link")
                } else {
                    MemberKind::File
                };
                each(Member {
                    name,
                    kind,
                    content: Ok(&mut file),
                })
            }
            Err(error) => each(Member {
                name: fallback_name,
                kind: MemberKind::File,
                content: Err(format!("cannot read this member: {error}")),
            }),
        };
        if flow.is_break() {
            break;
        }
    }
    Ok(())
}

/// A member as the central directory of a zip archive lists it.
struct Listed {
    name: Vec<u8>,
    flags: u16,
    method: u16,
    crc: u32,
    compressed: u64,
    /// Of the local header, from the start of the archive proper.
    header: u64,
    symlink: bool,
}

/// Every entry of a zip archive's central directory, duplicates included, in order; `None` for
/// what this small reader leaves to the zip crate (Zip64, a directory it cannot find).
fn central_directory(reader: &mut (impl Read + Seek)) -> io::Result<Option<Vec<Listed>>> {
    let size = reader.seek(io::SeekFrom::End(0))?;
    // The end record (22 bytes) is followed by a comment of at most 65,535 bytes.
    let tail_len = size.min(22 + 65_535);
    reader.seek(io::SeekFrom::Start(size - tail_len))?;
    let mut tail = vec![0; tail_len as usize];
    reader.read_exact(&mut tail)?;
    let Some(end) = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&at| tail[at..at + 4] == [0x50, 0x4b, 0x05, 0x06])
    else {
        return Ok(None);
    };
    let u16_at = |bytes: &[u8], at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
    let u32_at = |bytes: &[u8], at: usize| {
        u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
    };
    let count = u16_at(&tail, end + 10);
    let dir_size = u32_at(&tail, end + 12);
    let dir_end = size - tail_len + end as u64;
    if count == u16::MAX || dir_size == u32::MAX || u64::from(dir_size) > dir_end {
        return Ok(None);
    }
    // Where the directory is: just before the end record (prepended data shifts the offsets
    // it records, which the zip crate's `offset` accounts for).
    reader.seek(io::SeekFrom::Start(dir_end - u64::from(dir_size)))?;
    let mut dir = vec![0; dir_size as usize];
    reader.read_exact(&mut dir)?;
    let mut listed = Vec::new();
    let mut at = 0;
    while at + 46 <= dir.len() && dir[at..at + 4] == [0x50, 0x4b, 0x01, 0x02] {
        let name_len = u16_at(&dir, at + 28) as usize;
        let extra_len = u16_at(&dir, at + 30) as usize;
        let comment_len = u16_at(&dir, at + 32) as usize;
        let Some(name) = dir.get(at + 46..at + 46 + name_len) else {
            return Ok(None);
        };
        let (compressed, header) = (u32_at(&dir, at + 20), u32_at(&dir, at + 42));
        if compressed == u32::MAX || header == u32::MAX {
            return Ok(None);
        }
        let made_on_unix = dir[at + 5] == 3;
        let mode = u32_at(&dir, at + 38) >> 16;
        listed.push(Listed {
            name: name.to_vec(),
            flags: u16_at(&dir, at + 8),
            method: u16_at(&dir, at + 10),
            crc: u32_at(&dir, at + 16),
            compressed: u64::from(compressed),
            header: u64::from(header),
            symlink: made_on_unix && mode & 0o170_000 == 0o120_000,
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok((listed.len() == usize::from(count)).then_some(listed))
}

/// Reads the members `listed` (a central directory that names a member twice) one by one from
/// their local headers: stored and deflated members, as the zip crate is built to read.
fn listed_members<R: Read + Seek>(
    mut reader: R,
    offset: u64,
    listed: &[Listed],
    each: &mut dyn FnMut(Member<'_>) -> ControlFlow<()>,
) -> Result<(), ArchiveError> {
    for entry in listed {
        let name = decode_member_name(&entry.name, || {
            String::from_utf8_lossy(&entry.name).into_owned()
        });
        let kind = if name.ends_with('/') || name.ends_with('\\') {
            MemberKind::Directory
        } else if entry.symlink {
            MemberKind::Other("symbolic link")
        } else {
            MemberKind::File
        };
        let flow = match open_listed(&mut reader, offset, entry) {
            Ok(mut content) => each(Member {
                name,
                kind,
                content: Ok(&mut content),
            }),
            Err(why) => each(Member {
                name,
                kind,
                content: Err(format!("cannot read this member: {why}")),
            }),
        };
        if flow.is_break() {
            break;
        }
    }
    Ok(())
}

/// The content of one listed member, checked against its CRC-32 as it is read.
fn open_listed<'a, R: Read + Seek>(
    reader: &'a mut R,
    offset: u64,
    entry: &Listed,
) -> Result<Box<dyn Read + 'a>, String> {
    if entry.flags & 1 != 0 {
        return Err("it is encrypted".into());
    }
    let mut header = [0; 30];
    reader
        .seek(io::SeekFrom::Start(offset + entry.header))
        .and_then(|_| reader.read_exact(&mut header))
        .map_err(|e| e.to_string())?;
    if header[..4] != [0x50, 0x4b, 0x03, 0x04] {
        return Err("no local header where the directory says".into());
    }
    let skip = u16::from_le_bytes([header[26], header[27]]) as i64
        + u16::from_le_bytes([header[28], header[29]]) as i64;
    reader
        .seek(io::SeekFrom::Current(skip))
        .map_err(|e| e.to_string())?;
    let data = reader.take(entry.compressed);
    let content: Box<dyn Read + 'a> = match entry.method {
        0 => Box::new(data),
        8 => Box::new(flate2::read::DeflateDecoder::new(data)),
        method => return Err(format!("unsupported compression method {method}")),
    };
    Ok(Box::new(Checked {
        inner: content,
        crc: flate2::Crc::new(),
        expected: entry.crc,
    }))
}

/// Computes the CRC-32 of what it reads and fails at the end if it is not the expected one.
struct Checked<R> {
    inner: R,
    crc: flate2::Crc,
    expected: u32,
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.crc.update(&buf[..n]);
        if n == 0 && !buf.is_empty() && self.crc.sum() != self.expected {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "damaged member (its CRC-32 does not match)",
            ));
        }
        Ok(n)
    }
}

fn tar_members(
    reader: impl Read,
    each: &mut dyn FnMut(Member<'_>) -> ControlFlow<()>,
) -> Result<(), ArchiveError> {
    let broken = |e: io::Error| ArchiveError(format!("not a readable tar archive: {e}"));
    let mut archive = tar::Archive::new(reader);
    for entry in archive.entries().map_err(broken)? {
        let mut entry = entry.map_err(broken)?;
        let name = decode_member_name(&entry.path_bytes(), || {
            String::from_utf8_lossy(&entry.path_bytes()).into_owned()
        });
        let kind = match entry.header().entry_type() {
            t if t.is_file() || t.is_contiguous() => MemberKind::File,
            // A pax global header carries metadata only: nothing to clean, nothing to report.
            t if t.is_dir() || t.is_pax_global_extensions() => MemberKind::Directory,
            t if t.is_symlink() => MemberKind::Other("symbolic link"),
            t if t.is_hard_link() => MemberKind::Other("hard link"),
            // Headers the reader consumed itself (long names, pax) never reach us; anything else
            // is a device, a FIFO or an unknown type.
            _ => MemberKind::Other("special file"),
        };
        let flow = each(Member {
            name,
            kind,
            content: Ok(&mut entry),
        });
        if flow.is_break() {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name() {
        for (name, kind) in [
            ("a.zip", Some(ArchiveKind::Zip)),
            ("A.ZIP", Some(ArchiveKind::Zip)),
            ("a.tar", Some(ArchiveKind::Tar)),
            ("a.tar.gz", Some(ArchiveKind::TarGz)),
            ("a.tgz", Some(ArchiveKind::TarGz)),
            ("a.txt", None),
            ("a.gz", None),
            (".zip", None),
            ("zip", None),
        ] {
            assert_eq!(ArchiveKind::of(Path::new(name)), kind, "{name}");
        }
        assert_eq!(
            ArchiveKind::TarGz.stem(Path::new("d/x.tar.gz")),
            Path::new("x")
        );
        assert_eq!(ArchiveKind::TarGz.stem(Path::new("x.TGZ")), Path::new("x"));
        assert_eq!(
            ArchiveKind::Zip.stem(Path::new("文档.zip")),
            Path::new("文档")
        );
    }

    #[test]
    fn member_names_utf8_then_gbk_then_cp437() {
        let cp437 = || "cp437".to_string();
        assert_eq!(
            decode_member_name("报告/一.txt".as_bytes(), cp437),
            "报告/一.txt"
        );
        // 报告.txt in GBK, as Chinese Windows writes it without the UTF-8 flag.
        assert_eq!(
            decode_member_name(b"\xb1\xa8\xb8\xe6.txt", cp437),
            "报告.txt"
        );
        assert_eq!(decode_member_name(b"plain.txt", cp437), "plain.txt");
        // Not GBK either (a lone lead byte at the end): the archive's CP437 reading.
        assert_eq!(decode_member_name(b"a\x81", cp437), "cp437");
    }

    #[test]
    fn member_paths_that_escape_are_refused() {
        for name in [
            "../evil.txt",
            "a/../../evil.txt",
            "a/..",
            "/etc/passwd",
            "\\windows\\x.txt",
            "C:\\x.txt",
            "c:/x.txt",
            "..\\evil.txt",
            "",
            "./",
        ] {
            assert!(safe_member_path(name).is_err(), "{name:?}");
        }
    }

    #[test]
    fn ordinary_member_paths_are_kept() {
        for (name, path) in [
            ("a.txt", "a.txt"),
            ("dir/sub/a.txt", "dir/sub/a.txt"),
            ("./dir//a.txt", "dir/a.txt"),
            ("dir\\a.txt", "dir/a.txt"),
            ("..a.txt", "..a.txt"),
            ("报告/一.txt", "报告/一.txt"),
        ] {
            assert_eq!(safe_member_path(name).unwrap(), Path::new(path), "{name}");
        }
    }
}
