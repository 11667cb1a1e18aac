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
pub fn safe_member_path(name: &str) -> Result<PathBuf, RefusedPath> {
    let refuse = |why| Err(RefusedPath::Escapes(why));
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
        return Err(RefusedPath::Empty);
    }
    Ok(path)
}

/// Why a member's path is not written to.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RefusedPath {
    /// An absolute path, a drive letter, `..`, a NUL: what is wrong, in a few words.
    #[error("member path refused ({0}): it would be written outside the output directory")]
    Escapes(&'static str),
    #[error("member has an empty name")]
    Empty,
}

/// Why one member cannot be read (the other members still are).
#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    #[error("cannot read this member: {0}")]
    Zip(#[source] zip::result::ZipError),
    #[error("cannot read this member: it is encrypted")]
    Encrypted,
    #[error("cannot read this member: no local header where the directory says")]
    NoLocalHeader,
    #[error("cannot read this member: unsupported compression method {0}")]
    Method(u16),
    #[error("cannot read this member: {0}")]
    Read(#[source] io::Error),
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
    pub content: Result<&'a mut dyn Read, MemberError>,
}

/// Why a whole archive could not be read (a member that cannot be read is reported on the member).
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("cannot read the archive: {0}")]
    Read(#[source] io::Error),
    #[error("not a readable zip archive: {0}")]
    Zip(#[source] zip::result::ZipError),
    #[error("not a readable tar archive: {0}")]
    Tar(#[source] io::Error),
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
    // twice would lose a member without a word. Such an archive (its end record counts more
    // entries than the reader has) is read from its own directory.
    let end = end_record(&mut reader).ok().flatten();
    let unreadable = ArchiveError::Read;
    reader.seek(io::SeekFrom::Start(0)).map_err(unreadable)?;
    let open = |reader| zip::ZipArchive::new(reader).map_err(ArchiveError::Zip);
    let mut archive = open(reader)?;
    if let Some(end) = end.filter(|end| usize::from(end.count) > archive.len()) {
        let offset = archive.offset();
        let mut reader = archive.into_inner();
        if let Ok(Some(listed)) = central_directory(&mut reader, &end) {
            return listed_members(reader, offset, &listed, each);
        }
        reader.seek(io::SeekFrom::Start(0)).map_err(unreadable)?;
        archive = open(reader)?;
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
                content: Err(MemberError::Zip(error)),
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

/// What a zip archive's end record says: how many entries its central directory has, and
/// where that directory is (its size, and its end, where the end record starts). `None` for
/// what this small reader leaves to the zip crate (Zip64, no end record found).
struct EndRecord {
    count: u16,
    dir_size: u32,
    dir_end: u64,
}

fn end_record(reader: &mut (impl Read + Seek)) -> io::Result<Option<EndRecord>> {
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
    let count = u16::from_le_bytes([tail[end + 10], tail[end + 11]]);
    let dir_size = u32::from_le_bytes([
        tail[end + 12],
        tail[end + 13],
        tail[end + 14],
        tail[end + 15],
    ]);
    let dir_end = size - tail_len + end as u64;
    if count == u16::MAX || dir_size == u32::MAX || u64::from(dir_size) > dir_end {
        return Ok(None);
    }
    Ok(Some(EndRecord {
        count,
        dir_size,
        dir_end,
    }))
}

/// Every entry of a zip archive's central directory, duplicates included, in order; `None`
/// when it is not as its end record says, or uses Zip64.
fn central_directory(
    reader: &mut (impl Read + Seek),
    end: &EndRecord,
) -> io::Result<Option<Vec<Listed>>> {
    // Where the directory is: just before the end record (prepended data shifts the offsets
    // it records, which the zip crate's `offset` accounts for).
    reader.seek(io::SeekFrom::Start(end.dir_end - u64::from(end.dir_size)))?;
    let u16_at = |bytes: &[u8], at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
    let u32_at = |bytes: &[u8], at: usize| {
        u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
    };
    let mut listed = Vec::with_capacity(usize::from(end.count));
    let mut fixed = [0; 46];
    let mut variable = Vec::new();
    // Entry by entry, so that memory follows the entries, not what a damaged record claims.
    for _ in 0..end.count {
        reader.read_exact(&mut fixed)?;
        if fixed[..4] != [0x50, 0x4b, 0x01, 0x02] {
            return Ok(None);
        }
        let name_len = usize::from(u16_at(&fixed, 28));
        let rest = name_len + usize::from(u16_at(&fixed, 30)) + usize::from(u16_at(&fixed, 32));
        variable.resize(rest, 0);
        reader.read_exact(&mut variable)?;
        let (compressed, header) = (u32_at(&fixed, 20), u32_at(&fixed, 42));
        if compressed == u32::MAX || header == u32::MAX {
            return Ok(None);
        }
        let made_on_unix = fixed[5] == 3;
        let mode = u32_at(&fixed, 38) >> 16;
        listed.push(Listed {
            name: variable[..name_len].to_vec(),
            flags: u16_at(&fixed, 8),
            method: u16_at(&fixed, 10),
            crc: u32_at(&fixed, 16),
            compressed: u64::from(compressed),
            header: u64::from(header),
            symlink: made_on_unix && mode & 0o170_000 == 0o120_000,
        });
    }
    Ok(Some(listed))
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
                content: Err(why),
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
) -> Result<Box<dyn Read + 'a>, MemberError> {
    if entry.flags & 1 != 0 {
        return Err(MemberError::Encrypted);
    }
    let mut header = [0; 30];
    reader
        .seek(io::SeekFrom::Start(offset + entry.header))
        .and_then(|_| reader.read_exact(&mut header))
        .map_err(MemberError::Read)?;
    if header[..4] != [0x50, 0x4b, 0x03, 0x04] {
        return Err(MemberError::NoLocalHeader);
    }
    let skip = u16::from_le_bytes([header[26], header[27]]) as i64
        + u16::from_le_bytes([header[28], header[29]]) as i64;
    reader
        .seek(io::SeekFrom::Current(skip))
        .map_err(MemberError::Read)?;
    let data = reader.take(entry.compressed);
    let content: Box<dyn Read + 'a> = match entry.method {
        0 => Box::new(data),
        8 => Box::new(flate2::read::DeflateDecoder::new(data)),
        method => return Err(MemberError::Method(method)),
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
    let broken = ArchiveError::Tar;
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

    /// A zip archive of the members given (name, content, deflated?), with a CRC-32 that is
    /// wrong where asked: each member as the zip crate would write it.
    fn zip_of(members: &[(&str, &[u8], bool, bool)]) -> Vec<u8> {
        use std::io::Write;
        let (mut out, mut central) = (Vec::new(), Vec::new());
        let put16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
        let put32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
        for &(name, data, deflate, bad_crc) in members {
            let mut crc = flate2::Crc::new();
            crc.update(data);
            let crc = crc.sum() ^ u32::from(bad_crc);
            let stored = if deflate {
                let mut encoder =
                    flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
                encoder.write_all(data).unwrap();
                encoder.finish().unwrap()
            } else {
                data.to_vec()
            };
            let method = if deflate { 8 } else { 0 };
            let offset = out.len() as u32;
            for (v, central_entry) in [(&mut out, false), (&mut central, true)] {
                put32(
                    v,
                    if central_entry {
                        0x0201_4b50
                    } else {
                        0x0403_4b50
                    },
                );
                if central_entry {
                    put16(v, 20);
                }
                for x in [20, 1 << 11, method, 0, 0x21] {
                    put16(v, x);
                }
                for x in [crc, stored.len() as u32, data.len() as u32] {
                    put32(v, x);
                }
                put16(v, name.len() as u16);
                put16(v, 0);
                if central_entry {
                    for x in [0, 0, 0] {
                        put16(v, x);
                    }
                    put32(v, 0);
                    put32(v, offset);
                    v.extend_from_slice(name.as_bytes());
                } else {
                    v.extend_from_slice(name.as_bytes());
                    v.extend_from_slice(&stored);
                }
            }
        }
        let central_offset = out.len() as u32;
        out.extend_from_slice(&central);
        put32(&mut out, 0x0605_4b50);
        put32(&mut out, 0);
        put16(&mut out, members.len() as u16);
        put16(&mut out, members.len() as u16);
        put32(&mut out, central.len() as u32);
        put32(&mut out, central_offset);
        put16(&mut out, 0);
        out
    }

    fn read_members(zip: Vec<u8>) -> Vec<(String, Result<String, String>)> {
        let mut members = Vec::new();
        for_each_member(ArchiveKind::Zip, io::Cursor::new(zip), &mut |member| {
            let content = member
                .content
                .map_err(|e| e.to_string())
                .and_then(|reader| {
                    let mut text = String::new();
                    reader
                        .read_to_string(&mut text)
                        .map(|_| text)
                        .map_err(|e| e.to_string())
                });
            members.push((member.name, content));
            ControlFlow::Continue(())
        })
        .unwrap();
        members
    }

    /// A name listed twice: every member is read, in the directory's order, stored or
    /// deflated, and a damaged one says so instead of giving wrong text.
    #[test]
    fn a_zip_that_lists_a_name_twice_gives_every_member() {
        let long = "第二份，压缩过的。".repeat(50);
        let members = read_members(zip_of(&[
            ("a.txt", "第一份".as_bytes(), false, false),
            ("b.txt", "另一个".as_bytes(), true, false),
            ("a.txt", long.as_bytes(), true, false),
            ("a.txt", "坏的".as_bytes(), false, true),
        ]));
        let names: Vec<&str> = members.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["a.txt", "b.txt", "a.txt", "a.txt"]);
        assert_eq!(members[0].1.as_deref(), Ok("第一份"));
        assert_eq!(members[1].1.as_deref(), Ok("另一个"));
        assert_eq!(members[2].1.as_deref(), Ok(long.as_str()));
        assert!(members[3].1.as_ref().unwrap_err().contains("CRC-32"));
        // Without a name listed twice, the zip crate reads it as before.
        let members = read_members(zip_of(&[
            ("a.txt", "第一份".as_bytes(), false, false),
            ("b.txt", "另一个".as_bytes(), true, false),
        ]));
        assert_eq!(members.len(), 2);
        assert_eq!(members[1].1.as_deref(), Ok("另一个"));
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
