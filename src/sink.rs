//! Where cleaned text goes: standard output or a file written atomically. One of the two modules
//! that touch the file system (with `source`).
//!
//! A file output is written to a temporary file in the target directory and renamed into place
//! only once it is complete, so an interrupted run never leaves a half-written output: either the
//! old file (or none) or the whole new one. A temporary file that is dropped without being
//! committed is removed.
//!
//! A run killed outright (`kill -9`, a machine that went down) cannot remove its temporary
//! files. Their names say which process on which machine wrote them, so a later run into the
//! same directory removes those whose writer is gone ([`remove_stale_temps`]) and leaves alone
//! those of a run still writing there (two runs into one directory are allowed). The files of
//! older versions, whose names do not say their writer, are removed once no run can still be
//! writing them: a day after they were last written ([`OLDER_VERSION_TEMP_AGE`]).

use std::ffi::OsStr;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

/// Prefix of the temporary files, so a user who finds one after a `kill -9` knows what it is.
pub const TEMP_PREFIX: &str = ".zhclean-tmp-";

/// How long a temporary file named by an older version (no writer in its name) must have gone
/// unwritten before it is removed: a run writes its output as it cleans, and one that wrote
/// nothing for a day is not a run of that version still writing (one waiting a day on standard
/// input would be; that is the risk taken for not leaving such files forever).
pub const OLDER_VERSION_TEMP_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// The write buffer of an output file.
const WRITE_BUFFER_BYTES: usize = 32 * 1024;

/// A file being written; it appears under its real name only on [`AtomicFile::commit`].
pub struct AtomicFile {
    temp: Option<tempfile::NamedTempFile>,
    writer: Option<BufWriter<File>>,
    target: PathBuf,
}

impl AtomicFile {
    /// Starts writing `target`, creating its parent directories.
    ///
    /// A target that is a device, a named pipe or a socket (`-o /dev/null`, `--report
    /// /dev/stdout`) is written in place: a rename would put a regular file where the device
    /// was (for every program on the machine), and such a target has no old content to keep.
    pub fn create(target: &Path) -> io::Result<Self> {
        if fs::metadata(target).is_ok_and(|meta| !meta.is_file() && !meta.is_dir()) {
            let file = fs::OpenOptions::new().write(true).open(target)?;
            return Ok(AtomicFile {
                temp: None,
                writer: Some(BufWriter::with_capacity(WRITE_BUFFER_BYTES, file)),
                target: target.to_path_buf(),
            });
        }
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        fs::create_dir_all(dir).map_err(|error| {
            // create_dir_all says only "file exists" when a file stands where the directory
            // should be.
            if dir.is_file() {
                io::Error::other(format!("{} is a file, not a directory", dir.display()))
            } else {
                error
            }
        })?;
        let temp = tempfile::Builder::new()
            .prefix(own_temp_prefix())
            .tempfile_in(dir)?;
        // Smaller than the pieces the pipeline writes (a 64 KiB chunk's worth), so that those
        // go to the file directly instead of through a copy in the buffer; small files and the
        // last piece of a file are still written in one go.
        let writer = BufWriter::with_capacity(WRITE_BUFFER_BYTES, temp.as_file().try_clone()?);
        Ok(AtomicFile {
            temp: Some(temp),
            writer: Some(writer),
            target: target.to_path_buf(),
        })
    }

    /// Flushes, syncs nothing more than the OS would (corpora are rebuilt, not journaled), and
    /// renames the temporary file over the target. Keeps the permissions of a file it replaces.
    pub fn commit(mut self) -> io::Result<()> {
        let mut writer = self.writer.take().expect("committed twice");
        writer.flush()?;
        drop(writer);
        let Some(temp) = self.temp.take() else {
            // Written in place (a device or a pipe): nothing to rename.
            return Ok(());
        };
        if let Ok(meta) = fs::metadata(&self.target) {
            fs::set_permissions(temp.path(), meta.permissions())?;
        } else {
            // tempfile creates files readable by the owner only; an output is an ordinary file.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(temp.path(), fs::Permissions::from_mode(0o644))?;
            }
        }
        temp.persist(&self.target).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.as_mut().expect("write after commit").write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.as_mut().expect("flush after commit").flush()
    }
}

/// Keeps the current content of `path` as `path` + `suffix` (replacing an older backup), before
/// `path` is replaced: a hard link when the file system allows one (instant, no copy), a copy
/// otherwise.
pub fn backup(path: &Path, suffix: &str) -> io::Result<PathBuf> {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    let backup = PathBuf::from(name);
    match fs::remove_file(&backup) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    if fs::hard_link(path, &backup).is_err() {
        fs::copy(path, &backup)?;
    }
    Ok(backup)
}

/// This process's temporary names begin so: the prefix, the process id and a tag of the
/// machine, then tempfile's random letters (`.zhclean-tmp-4242-1f2e3d4c-AbC123`).
fn own_temp_prefix() -> &'static str {
    static PREFIX: OnceLock<String> = OnceLock::new();
    PREFIX.get_or_init(|| format!("{TEMP_PREFIX}{}-{:08x}-", std::process::id(), host_tag()))
}

/// Is this the name of a temporary file of a version that did not record its writer: the
/// prefix and tempfile's six random letters and digits (`.zhclean-tmp-AbC123`)?
fn is_older_version_temp(name: &OsStr) -> bool {
    name.to_str()
        .and_then(|name| name.strip_prefix(TEMP_PREFIX))
        .is_some_and(|rest| rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The process and machine tag a temporary name was made with; `None` for a name that is not
/// a temporary file's, or one from a version that did not record its writer.
fn temp_writer(name: &OsStr) -> Option<(u32, u32)> {
    let rest = name.to_str()?.strip_prefix(TEMP_PREFIX)?;
    let mut parts = rest.splitn(3, '-');
    let pid = parts.next()?;
    let host = parts.next()?;
    parts.next()?;
    if !pid.bytes().all(|b| b.is_ascii_digit()) || host.len() != 8 {
        return None;
    }
    Some((pid.parse().ok()?, u32::from_str_radix(host, 16).ok()?))
}

/// A tag of this machine: an output directory on a shared file system (NFS, a volume several
/// containers mount) holds files of processes another machine runs, whose ids say nothing
/// here.
fn host_tag() -> u32 {
    // FNV-1a: stable across versions and builds, which `std`'s hasher does not promise.
    host_name().bytes().fold(0x811c_9dc5_u32, |hash, b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(unix)]
fn host_name() -> String {
    let mut name = [0u8; 256];
    // SAFETY: the buffer is writable for its whole length, which is what is passed.
    let done = unsafe { libc::gethostname(name.as_mut_ptr().cast(), name.len()) };
    if done != 0 {
        return String::new();
    }
    let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
    String::from_utf8_lossy(&name[..end]).into_owned()
}

#[cfg(not(unix))]
fn host_name() -> String {
    std::env::var("COMPUTERNAME").unwrap_or_default()
}

/// Whether process `pid` of this machine may still be running: only a process known to be
/// gone lets its files be removed.
#[cfg(unix)]
fn may_be_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    if pid <= 0 {
        return true;
    }
    // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
    if unsafe { libc::kill(pid, 0) } == 0 {
        // A process that has ended but was not yet waited for by its parent still answers.
        return !is_zombie(pid);
    }
    // EPERM: it exists, under another user.
    io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// Whether `pid` has ended and only waits for its parent to collect its status (state `Z` in
/// `/proc/PID/stat`, after the command name in parentheses).
#[cfg(unix)]
fn is_zombie(pid: libc::pid_t) -> bool {
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    stat.rfind(')')
        .and_then(|end| stat[end + 1..].trim_start().chars().next())
        == Some('Z')
}

#[cfg(not(unix))]
fn may_be_running(_pid: u32) -> bool {
    true
}

/// A temporary file [`remove_stale_temps`] removed, and the process that had left it (`None`:
/// an older version, whose names do not say it, and the file unwritten for
/// [`OLDER_VERSION_TEMP_AGE`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleTemp {
    pub path: PathBuf,
    pub pid: Option<u32>,
}

/// What [`remove_stale_temps`] found: the files it removed, and the files of an older version
/// it left because they were written less than [`OLDER_VERSION_TEMP_AGE`] ago (a run of that
/// version may still be writing them), for the user to remove once none is.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Leftovers {
    pub removed: Vec<StaleTemp>,
    pub recent_of_older_version: Vec<PathBuf>,
}

/// Removes the temporary files in `dir` (not below it) that a process of this machine left and
/// that is no longer running: a run killed before it could remove them. Files of a process
/// still running (another run writing into the same directory) or of another machine are left
/// alone; so are those named by a version that did not record its writer, until they have
/// gone unwritten for [`OLDER_VERSION_TEMP_AGE`]. A directory that cannot be read (or does not
/// exist yet) holds nothing to remove; a file that cannot be removed is left.
pub fn remove_stale_temps(dir: &Path) -> Leftovers {
    let mut found = Leftovers::default();
    sweep(dir, host_tag(), &mut found, None);
    found.sort();
    found
}

/// [`remove_stale_temps`] in `dir` and every directory below it (symbolic links are not
/// followed: they may lead out of the tree, or loop).
pub fn remove_stale_temps_under(dir: &Path) -> Leftovers {
    let host = host_tag();
    let mut found = Leftovers::default();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        sweep(&dir, host, &mut found, Some(&mut dirs));
    }
    found.sort();
    found
}

impl Leftovers {
    fn sort(&mut self) {
        self.removed.sort_by(|a, b| a.path.cmp(&b.path));
        self.recent_of_older_version.sort();
    }
}

/// One reading of `dir`: removes the stale temporary files of `host`'s processes and the old
/// ones of older versions into `found`, and adds the directories in it to `below` when the
/// tree is swept.
fn sweep(dir: &Path, host: u32, found: &mut Leftovers, mut below: Option<&mut Vec<PathBuf>>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let own = std::process::id();
    for entry in entries.flatten() {
        // Never a directory or a link's target: only the regular file tempfile made.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if let Some(dirs) = below.as_deref_mut() {
                dirs.push(entry.path());
            }
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let name = entry.file_name();
        let pid = match temp_writer(&name) {
            Some((pid, tag)) if tag == host && pid != own && !may_be_running(pid) => Some(pid),
            Some(_) => continue,
            None if is_older_version_temp(&name) => {
                if !unwritten_for(&entry, OLDER_VERSION_TEMP_AGE) {
                    found.recent_of_older_version.push(entry.path());
                    continue;
                }
                None
            }
            None => continue,
        };
        let path = entry.path();
        if fs::remove_file(&path).is_ok() {
            found.removed.push(StaleTemp { path, pid });
        }
    }
}

/// Was the file last written at least `age` ago? A time that cannot be read, or one in the
/// future (a clock set back), says no.
fn unwritten_for(entry: &fs::DirEntry, age: Duration) -> bool {
    entry
        .metadata()
        .and_then(|meta| meta.modified())
        .ok()
        .and_then(|written| SystemTime::now().duration_since(written).ok())
        .is_some_and(|since| since >= age)
}

/// Is this error a closed pipe on stdout (`zhclean clean big.txt | head`)? Such a run ends
/// quietly: the reader has all it wanted.
pub fn is_broken_pipe(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::BrokenPipe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_appears_only_on_commit_and_no_temp_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub/out.txt");
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all("正文\n".as_bytes()).unwrap();
        assert!(!target.exists(), "visible before commit");
        file.commit().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "正文\n");
        let names: Vec<_> = fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.txt")]);
    }

    /// A named pipe (as /dev/null or /dev/stdout would be) is written through, and stays a
    /// pipe: no temporary file is renamed over it.
    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_written_in_place_and_stays_a_pipe() {
        use std::io::Read;
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut text = String::new();
                File::open(fifo).unwrap().read_to_string(&mut text).unwrap();
                text
            })
        };
        let mut file = AtomicFile::create(&fifo).unwrap();
        file.write_all("净化后的文本\n".as_bytes()).unwrap();
        file.commit().unwrap();
        // Before the join: a reader left waiting for a writer that never comes would hang it.
        assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(reader.join().unwrap(), "净化后的文本\n");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
    }

    /// The name says who wrote the file, and only names of that form are read so.
    #[test]
    fn temporary_names_say_their_writer() {
        let dir = tempfile::tempdir().unwrap();
        let file = AtomicFile::create(&dir.path().join("out.txt")).unwrap();
        let name = fs::read_dir(dir.path())
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .file_name();
        assert_eq!(
            temp_writer(&name),
            Some((std::process::id(), host_tag())),
            "{name:?}"
        );
        drop(file);
        for other in [
            ".zhclean-tmp-AbC123",
            ".zhclean-tmp-12x-1f2e3d4c-AbC123",
            ".zhclean-tmp-12-1f2e3d-AbC123",
            ".zhclean-tmp-12-1f2e3d4c",
            "zhclean-tmp-12-1f2e3d4c-AbC123",
        ] {
            assert_eq!(temp_writer(OsStr::new(other)), None, "{other}");
        }
        assert_eq!(
            temp_writer(OsStr::new(".zhclean-tmp-12-1f2e3d4c-AbC123")),
            Some((12, 0x1f2e_3d4c))
        );
        // An older version's name: tempfile's six letters and digits alone.
        assert!(is_older_version_temp(OsStr::new(".zhclean-tmp-AbC123")));
        for other in [
            name.to_str().unwrap(),
            ".zhclean-tmp-12-1f2e3d4c-AbC123",
            ".zhclean-tmp-AbC12",
            ".zhclean-tmp-AbC1234",
            ".zhclean-tmp-notes.",
            "zhclean-tmp-AbC123",
        ] {
            assert!(!is_older_version_temp(OsStr::new(other)), "{other}");
        }
    }

    /// Only the files of a process of this machine that is gone are removed: not those of a
    /// running process (this one, or another), of another machine, nor of an older version
    /// written today (named, to be removed by the user).
    #[cfg(unix)]
    #[test]
    fn only_files_whose_writer_is_gone_are_removed() {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        let mut running = std::process::Command::new("sleep")
            .arg("60")
            .spawn()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let host = host_tag();
        let name = |pid: u32, host: u32| format!("{TEMP_PREFIX}{pid}-{host:08x}-AbC123");
        let stale = name(gone, host);
        let kept = [
            name(running.id(), host),
            name(std::process::id(), host),
            name(gone, host.wrapping_add(1)),
            format!("{TEMP_PREFIX}AbC123"),
            "notes.txt".to_string(),
        ];
        for file in kept.iter().chain([&stale]) {
            fs::write(dir.path().join(file), "半个").unwrap();
        }
        let removed = remove_stale_temps(dir.path());
        running.kill().unwrap();
        running.wait().unwrap();
        assert_eq!(
            removed.removed,
            vec![StaleTemp {
                path: dir.path().join(&stale),
                pid: Some(gone)
            }]
        );
        assert_eq!(
            removed.recent_of_older_version,
            vec![dir.path().join(format!("{TEMP_PREFIX}AbC123"))]
        );
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut expected = kept.to_vec();
        expected.sort();
        assert_eq!(left, expected);
        assert_eq!(
            remove_stale_temps(&dir.path().join("missing")),
            Leftovers::default()
        );
    }

    #[test]
    fn dropped_file_leaves_the_old_output_and_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        fs::write(&target, "old\n").unwrap();
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"half").unwrap();
        drop(file);
        assert_eq!(fs::read_to_string(&target).unwrap(), "old\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
