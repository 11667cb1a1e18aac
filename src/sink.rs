//! Where cleaned text goes: standard output or a file written atomically. One of the two modules
//! that touch the file system (with `source`).
//!
//! A file output is written to a temporary file in the target directory and renamed into place
//! only once it is complete, so an interrupted run never leaves a half-written output: either the
//! old file (or none) or the whole new one. A temporary file that is dropped without being
//! committed is removed.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Prefix of the temporary files, so a user who finds one after a `kill -9` knows what it is.
pub const TEMP_PREFIX: &str = ".zhclean-tmp-";

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
            .prefix(TEMP_PREFIX)
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
