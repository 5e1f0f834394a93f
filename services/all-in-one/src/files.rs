//! The data directory holds the databases, the bus, the generated secrets and the mail and SMS
//! that would be sent and the attachments: it is the owner's alone (0700, files 0600, the mail
//! and documents directories 0700),
//! whatever the umask the process was started with. Modes asked at
//! creation are reduced by the umask, so they are set again explicitly afterwards.

use std::{fs, io, path::Path};

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

/// Creates the directory (and its parents) if missing; the directory itself ends up 0700.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir)?;
    set_mode(dir, 0o700)
}

/// Opens a new file for writing, 0600; fails if it exists.
pub fn create_private(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let file = options.open(path)?;
    #[cfg(unix)]
    file.set_permissions(fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

/// Creates an empty SQLite database file, 0600, unless it exists. SQLite gives its journal,
/// WAL and shared-memory files the mode of the database file, so they follow.
pub fn private_database(path: &Path) -> io::Result<()> {
    match create_private(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Sets every file directly in `dir` to 0600 and every directory to 0700 (a directory made
/// by an earlier version, or under a looser umask, is tightened at start).
pub fn tighten(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let mode = if kind.is_file() {
            0o600
        } else if kind.is_dir() {
            0o700
        } else {
            continue;
        };
        match set_mode(&entry.path(), mode) {
            // Listed a moment ago and gone: SQLite removes a database's `-wal` and `-shm`
            // files when its last connection closes, which a run that has just stopped may
            // still be doing. Nothing is left to tighten.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            done => done?,
        }
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn loose_modes_are_tightened() {
        let dir = std::env::temp_dir().join(format!("tachawor-files-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        set_mode(&dir, 0o755).unwrap();
        let old = dir.join("old.db");
        fs::write(&old, b"").unwrap();
        set_mode(&old, 0o644).unwrap();

        private_dir(&dir).unwrap();
        tighten(&dir).unwrap();
        private_database(&dir.join("new.db")).unwrap();
        private_database(&dir.join("new.db")).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&old), 0o600);
        assert_eq!(mode(&dir.join("new.db")), 0o600);
        fs::remove_dir_all(&dir).unwrap();
    }
}
