//! An evidence pack: the files that show what one scan judged and found (its
//! reports, the configuration, the inventory), and a manifest with the SHA-256
//! of every file, so that anyone can show later that nothing was added,
//! removed or changed.
//!
//! The manifest lists every file but itself. Its own SHA-256, the pack's
//! *digest*, is what to keep apart from the pack (in the ticket, in the
//! history store, in the Object Lock bucket's key names): a pack whose files
//! and manifest were both rewritten still verifies on its own, but no longer
//! against the digest that was kept.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// The manifest's file name, at the top of the pack.
pub const MANIFEST: &str = "manifest.json";
/// The manifest's format; a pack of another format is refused.
pub const FORMAT: &str = "phiguard-evidence/1";

/// What the pack holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub tool: String,
    pub version: String,
    /// When the pack was written (RFC 3339, UTC).
    pub created: String,
    /// The scan of the history store the pack shows, when it came from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan: Option<String>,
    /// Every file of the pack but the manifest, sorted by path.
    pub files: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Relative to the pack, `/`-separated.
    pub path: String,
    /// Lower-case hex.
    pub sha256: String,
    pub bytes: u64,
}

/// One file to put in a pack.
#[derive(Debug, Clone)]
pub struct PackFile {
    /// Relative, `/`-separated, e.g. `report.html` or `inputs/phiguard.toml`.
    pub path: String,
    pub contents: Vec<u8>,
}

/// Who wrote the pack, when, and for which scan.
#[derive(Debug, Clone)]
pub struct PackInfo {
    pub tool: String,
    pub version: String,
    pub created: String,
    pub scan: Option<String>,
}

/// A pack as written.
#[derive(Debug, Clone)]
pub struct Written {
    pub manifest: Manifest,
    /// SHA-256 of `manifest.json` as written: keep it apart from the pack.
    pub digest: String,
}

#[derive(Debug)]
pub enum Error {
    Io {
        path: PathBuf,
        source: io::Error,
    },
    /// The output directory exists and holds something: a pack never overwrites.
    NotEmpty(PathBuf),
    /// A file name that is not a plain relative path inside the pack.
    BadPath(String),
    /// The directory has no manifest: it is not an evidence pack.
    NoManifest(PathBuf),
    BadManifest {
        path: PathBuf,
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::NotEmpty(p) => write!(
                f,
                "{}: the directory exists and is not empty; an evidence pack is written to a new or empty directory",
                p.display()
            ),
            Error::BadPath(p) => write!(
                f,
                "{p:?} is not a relative path inside the pack (no `..`, no absolute path, not {MANIFEST})"
            ),
            Error::NoManifest(p) => write!(
                f,
                "{}: no {MANIFEST}; this is not an evidence pack written by `phiguard evidence`",
                p.display()
            ),
            Error::BadManifest { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for Error {}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The path's parts when it is a plain relative path (no `.`/`..`, no root,
/// no empty part), else `None`.
fn safe_parts(path: &str) -> Option<Vec<&str>> {
    if path.is_empty() || path.contains('\\') || path == MANIFEST {
        return None;
    }
    let parts: Vec<&str> = path.split('/').collect();
    let plain = parts.iter().all(|p| {
        !p.is_empty()
            && *p != "."
            && *p != ".."
            && matches!(Path::new(p).components().next(), Some(Component::Normal(_)))
            && Path::new(p).components().count() == 1
    });
    plain.then_some(parts)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of bytes, lower-case hex.
pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// SHA-256 and size of a file, read in blocks.
fn hash_file(path: &Path) -> Result<(String, u64), Error> {
    let mut f = fs::File::open(path).map_err(io_err(path))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0u64;
    loop {
        let read = f.read(&mut buf).map_err(io_err(path))?;
        if read == 0 {
            break;
        }
        n += read as u64;
        h.update(&buf[..read]);
    }
    Ok((hex(&h.finalize()), n))
}

/// Writes the files and their manifest into `dir` (created; it must not hold
/// anything yet). The manifest is written last.
pub fn write(dir: &Path, info: &PackInfo, files: &[PackFile]) -> Result<Written, Error> {
    let mut seen = std::collections::BTreeSet::new();
    for f in files {
        safe_parts(&f.path).ok_or_else(|| Error::BadPath(f.path.clone()))?;
        if !seen.insert(f.path.as_str()) {
            return Err(Error::BadPath(f.path.clone()));
        }
    }
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::NotEmpty(dir.to_path_buf()));
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        Err(e) => return Err(io_err(dir)(e)),
    }
    let mut entries = Vec::with_capacity(files.len());
    for f in files {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        write_new(&path, &f.contents)?;
        entries.push(Entry {
            path: f.path.clone(),
            sha256: sha256(&f.contents),
            bytes: f.contents.len() as u64,
        });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest = Manifest {
        format: FORMAT.into(),
        tool: info.tool.clone(),
        version: info.version.clone(),
        created: info.created.clone(),
        scan: info.scan.clone(),
        files: entries,
    };
    let mut text = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::BadManifest {
        path: dir.join(MANIFEST),
        message: e.to_string(),
    })?;
    text.push(b'\n');
    write_new(&dir.join(MANIFEST), &text)?;
    Ok(Written {
        manifest,
        digest: sha256(&text),
    })
}

fn write_new(path: &Path, contents: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io_err(path))?;
    f.write_all(contents).map_err(io_err(path))?;
    f.sync_all().map_err(io_err(path))
}

/// What verification found.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    pub manifest: Option<Manifest>,
    /// SHA-256 of the manifest as found.
    pub digest: String,
    /// Listed in the manifest, not in the pack.
    pub missing: Vec<String>,
    /// In the pack, not listed (a link counts here: a pack holds plain files).
    pub added: Vec<String>,
    /// Listed, present, with other contents.
    pub changed: Vec<String>,
    /// The digest that was expected, when it differs from the manifest's.
    pub digest_mismatch: Option<String>,
}

impl Verification {
    pub fn intact(&self) -> bool {
        self.missing.is_empty()
            && self.added.is_empty()
            && self.changed.is_empty()
            && self.digest_mismatch.is_none()
    }
}

/// Checks every file of the pack against its manifest, and the manifest
/// against `expected_digest` when one is given.
pub fn verify(dir: &Path, expected_digest: Option<&str>) -> Result<Verification, Error> {
    let mpath = dir.join(MANIFEST);
    let text = match fs::read(&mpath) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if !dir.is_dir() {
                return Err(io_err(dir)(e));
            }
            return Err(Error::NoManifest(dir.to_path_buf()));
        }
        Err(e) => return Err(io_err(&mpath)(e)),
    };
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| Error::BadManifest {
        path: mpath.clone(),
        message: format!(
            "not a phiguard evidence manifest (line {}, column {}): {e}",
            e.line(),
            e.column()
        ),
    })?;
    if manifest.format != FORMAT {
        return Err(Error::BadManifest {
            path: mpath,
            message: format!(
                "format {:?}; this phiguard reads {FORMAT:?}",
                manifest.format
            ),
        });
    }
    let mut out = Verification {
        digest: sha256(&text),
        ..Verification::default()
    };
    if let Some(want) = expected_digest {
        if !want.trim().eq_ignore_ascii_case(&out.digest) {
            out.digest_mismatch = Some(want.trim().to_ascii_lowercase());
        }
    }
    let mut listed = std::collections::BTreeSet::new();
    for e in &manifest.files {
        let parts = safe_parts(&e.path).ok_or_else(|| Error::BadManifest {
            path: mpath.clone(),
            message: format!("lists {:?}, which is not a path inside the pack", e.path),
        })?;
        if !listed.insert(e.path.clone()) {
            return Err(Error::BadManifest {
                path: mpath.clone(),
                message: format!("lists {:?} twice", e.path),
            });
        }
        let path = parts.iter().fold(dir.to_path_buf(), |p, x| p.join(x));
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_file() => {
                let (sha, bytes) = hash_file(&path)?;
                if sha != e.sha256.to_ascii_lowercase() || bytes != e.bytes {
                    out.changed.push(e.path.clone());
                }
            }
            // A link or a directory where a file was: not the file listed.
            Ok(_) => out.changed.push(e.path.clone()),
            Err(err) if err.kind() == io::ErrorKind::NotFound => out.missing.push(e.path.clone()),
            Err(err) => return Err(io_err(&path)(err)),
        }
    }
    let mut found = Vec::new();
    walk(dir, "", &mut found)?;
    out.added = found
        .into_iter()
        .filter(|p| p != MANIFEST && !listed.contains(p))
        .collect();
    out.manifest = Some(manifest);
    Ok(out)
}

/// Every entry under `dir` that is not a directory (files and links alike),
/// relative and `/`-separated; links are not followed.
fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), Error> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(io_err(dir))?
        .collect::<Result<_, _>>()
        .map_err(io_err(dir))?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let ty = e.file_type().map_err(io_err(&e.path()))?;
        if ty.is_dir() {
            walk(&e.path(), &rel, out)?;
        } else {
            out.push(rel);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths() {
        for ok in ["a", "report.html", "inputs/phiguard.toml", "a/b/c.json"] {
            assert!(safe_parts(ok).is_some(), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "./a",
            "a//b",
            "a\\b",
            MANIFEST,
            "a/",
        ] {
            assert!(safe_parts(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
