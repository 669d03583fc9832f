//! The disk: where the tools' temporary files go, and how much room is left.
//!
//! ChromeDriver gives every Chromium it starts a fresh profile under `$TMPDIR`
//! (about 100 MB once a page has run) and deletes it only when the session is
//! quit, not when the browser is stopped: four sessions of test runs left 493
//! of them, 12 GB, in `/tmp`, and a CI run on that machine then failed with
//! "No space left on device". So every tool this program starts gets `TMPDIR`
//! under the target folder, in a folder of this process's own ([`scratch`]);
//! the commands that start browsers hold a [`Scratch`], which removes it when
//! they end, with those of processes that are gone (a run stopped by Ctrl+C).

use std::{
    fs,
    path::{Path, PathBuf},
};

use crate::paths;

/// The folder of every process's temporary folder: `target/xtask/tmp`.
fn scratches() -> PathBuf {
    let target = paths::target();
    // Tools run in other folders: the path must not be relative.
    std::path::absolute(&target).unwrap_or(target).join("xtask").join("tmp")
}

/// This process's temporary folder for its tools: `target/xtask/tmp/<pid>`.
pub fn scratch() -> PathBuf {
    scratches().join(std::process::id().to_string())
}

/// Held while a command runs browsers: removes [`scratch`] when dropped,
/// and the folders of processes that no longer run.
#[derive(Debug)]
pub struct Scratch;

impl Drop for Scratch {
    fn drop(&mut self) {
        let gone = |pid: &str| pid.parse::<u32>().is_ok_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
        let mine = std::process::id().to_string();
        let Ok(entries) = fs::read_dir(scratches()) else { return };
        let mut freed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == mine || gone(&name) {
                let size = size_of(&entry.path());
                if fs::remove_dir_all(entry.path()).is_ok() {
                    freed += size;
                }
            }
        }
        if freed > 0 {
            println!(
                "note: removed {} of temporary files (browser profiles) from {}",
                human(freed),
                scratches().display()
            );
        }
    }
}

/// Bytes free for an unprivileged user on the disk holding `path`.
pub fn free_bytes(path: &Path) -> Option<u64> {
    let stat = nix::sys::statvfs::statvfs(path).ok()?;
    Some(stat.blocks_available().saturating_mul(stat.fragment_size()))
}

/// The total size of the files under `path` (0 when it does not exist).
pub fn size_of(path: &Path) -> u64 {
    let Ok(meta) = fs::symlink_metadata(path) else { return 0 };
    if !meta.is_dir() {
        return meta.len();
    }
    fs::read_dir(path).map(|entries| entries.flatten().map(|entry| size_of(&entry.path())).sum()).unwrap_or(0)
}

/// One line on the disk: the target folder's size and the room left.
pub fn summary() -> String {
    let target = paths::target();
    let free = free_bytes(&paths::root()).map_or_else(|| "unknown".to_owned(), human);
    format!("target/ holds {}, {free} free on its disk", human(size_of(&target)))
}

/// `bytes` in GB or MB with one decimal.
pub fn human(bytes: u64) -> String {
    let bytes = bytes as f64;
    if bytes >= 1e9 { format!("{:.1} GB", bytes / 1e9) } else { format!("{:.1} MB", bytes / 1e6) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_the_unit_that_suits_them() {
        assert_eq!(human(13_400_000_000), "13.4 GB");
        assert_eq!(human(287_000_000), "287.0 MB");
    }

    #[test]
    fn a_folder_size_adds_up_its_files_and_the_root_disk_has_room() {
        let dir = paths::target().join("xtask").join("disk-test");
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("inner")).unwrap();
        fs::write(dir.join("a"), [0u8; 1000]).unwrap();
        fs::write(dir.join("inner").join("b"), [0u8; 234]).unwrap();
        assert_eq!(size_of(&dir), 1234);
        assert_eq!(size_of(&dir.join("missing")), 0);
        fs::remove_dir_all(&dir).unwrap();
        assert!(free_bytes(&paths::root()).is_some_and(|free| free > 0));
    }
}
