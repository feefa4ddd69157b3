use phiguard_evidence::{Error, MANIFEST, PackFile, PackInfo, verify, write};
use std::fs;
use std::path::Path;

fn info() -> PackInfo {
    PackInfo {
        tool: "phiguard".into(),
        version: "0.1.0".into(),
        created: "2026-12-06T23:00:00Z".into(),
        scan: Some("42".into()),
    }
}

fn files() -> Vec<PackFile> {
    vec![
        PackFile {
            path: "report.json".into(),
            contents: br#"{"findings":[]}"#.to_vec(),
        },
        PackFile {
            path: "report.html".into(),
            contents: b"<!doctype html><title>r</title>".to_vec(),
        },
        PackFile {
            path: "inputs/phiguard.toml".into(),
            contents: b"[regions]\napproved = [\"us-east-1\"]\n".to_vec(),
        },
    ]
}

fn pack(dir: &Path) -> String {
    write(dir, &info(), &files()).unwrap().digest
}

#[test]
fn a_written_pack_verifies_against_its_digest() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("pack");
    let digest = pack(&dir);
    let v = verify(&dir, Some(&digest)).unwrap();
    assert!(v.intact(), "{v:?}");
    assert_eq!(v.digest, digest);
    let m = v.manifest.unwrap();
    let paths: Vec<_> = m.files.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        ["inputs/phiguard.toml", "report.html", "report.json"]
    );
    assert_eq!(m.scan.as_deref(), Some("42"));
    assert_eq!(
        m.files[2].sha256,
        phiguard_evidence::sha256(br#"{"findings":[]}"#)
    );
}

#[test]
fn the_same_files_give_the_same_digest() {
    let t = tempfile::tempdir().unwrap();
    assert_eq!(pack(&t.path().join("a")), pack(&t.path().join("b")));
}

#[test]
fn a_changed_file_is_named() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("pack");
    pack(&dir);
    fs::write(dir.join("report.json"), br#"{"findings":[1]}"#).unwrap();
    let v = verify(&dir, None).unwrap();
    assert!(!v.intact());
    assert_eq!(v.changed, ["report.json"]);
    assert!(v.missing.is_empty() && v.added.is_empty());
}

#[test]
fn a_change_of_the_same_size_is_caught() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("pack");
    pack(&dir);
    let p = dir.join("inputs/phiguard.toml");
    let mut b = fs::read(&p).unwrap();
    b[0] = b'#';
    fs::write(&p, b).unwrap();
    assert_eq!(
        verify(&dir, None).unwrap().changed,
        ["inputs/phiguard.toml"]
    );
}

#[test]
fn a_removed_and_an_added_file_are_named() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("pack");
    pack(&dir);
    fs::remove_file(dir.join("report.html")).unwrap();
    fs::write(dir.join("inputs/extra.txt"), b"x").unwrap();
    let v = verify(&dir, None).unwrap();
    assert_eq!(v.missing, ["report.html"]);
    assert_eq!(v.added, ["inputs/extra.txt"]);
}

#[cfg(unix)]
#[test]
fn a_file_replaced_by_a_link_is_changed() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("pack");
    pack(&dir);
    let copy = t.path().join("copy.json");
    fs::copy(dir.join("report.json"), &copy).unwrap();
    fs::remove_file(dir.join("report.json")).unwrap();
    std::os::unix::fs::symlink(&copy, dir.join("report.json")).unwrap();
    assert_eq!(verify(&dir, None).unwrap().changed, ["report.json"]);
}

#[test]
fn a_rewritten_manifest_verifies_alone_but_not_against_the_kept_digest() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("pack");
    let kept = pack(&dir);
    // Someone changes a file and writes a new manifest to match.
    fs::remove_dir_all(&dir).unwrap();
    let mut forged = files();
    forged[0].contents = br#"{"findings":["forged"]}"#.to_vec();
    write(&dir, &info(), &forged).unwrap();
    assert!(verify(&dir, None).unwrap().intact());
    let v = verify(&dir, Some(&kept)).unwrap();
    assert!(!v.intact());
    assert_eq!(v.digest_mismatch.as_deref(), Some(kept.as_str()));
}

#[test]
fn a_manifest_naming_a_path_outside_the_pack_is_refused() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("pack");
    pack(&dir);
    let m = fs::read_to_string(dir.join(MANIFEST)).unwrap();
    fs::write(
        dir.join(MANIFEST),
        m.replace("\"report.html\"", "\"../../etc/passwd\""),
    )
    .unwrap();
    let e = verify(&dir, None).unwrap_err();
    assert!(matches!(e, Error::BadManifest { .. }), "{e}");
    assert!(e.to_string().contains("../../etc/passwd"), "{e}");
}

#[test]
fn not_a_pack_and_not_a_manifest_are_clear_errors() {
    let t = tempfile::tempdir().unwrap();
    let e = verify(t.path(), None).unwrap_err();
    assert!(matches!(e, Error::NoManifest(_)), "{e}");
    assert!(e.to_string().contains("not an evidence pack"), "{e}");

    fs::write(t.path().join(MANIFEST), b"{\"format\": 7").unwrap();
    let e = verify(t.path(), None).unwrap_err();
    assert!(e.to_string().contains("line 1"), "{e}");

    fs::write(
        t.path().join(MANIFEST),
        br#"{"format":"other/9","tool":"x","version":"1","created":"","files":[]}"#,
    )
    .unwrap();
    let e = verify(t.path(), None).unwrap_err();
    assert!(e.to_string().contains("other/9"), "{e}");

    let e = verify(&t.path().join("absent"), None).unwrap_err();
    assert!(matches!(e, Error::Io { .. }), "{e}");
}

#[test]
fn a_pack_never_overwrites() {
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("keep.txt"), b"mine").unwrap();
    let e = write(t.path(), &info(), &files()).unwrap_err();
    assert!(matches!(e, Error::NotEmpty(_)), "{e}");
    assert_eq!(fs::read(t.path().join("keep.txt")).unwrap(), b"mine");
    // An empty directory is fine.
    let empty = t.path().join("empty");
    fs::create_dir(&empty).unwrap();
    pack(&empty);
}

#[test]
fn bad_file_names_are_refused_before_anything_is_written() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("pack");
    for bad in ["../escape", MANIFEST, "/abs"] {
        let mut f = files();
        f.push(PackFile {
            path: bad.into(),
            contents: vec![],
        });
        assert!(matches!(write(&dir, &info(), &f), Err(Error::BadPath(_))));
        assert!(!dir.exists());
    }
    let mut f = files();
    f.push(f[0].clone());
    assert!(matches!(write(&dir, &info(), &f), Err(Error::BadPath(_))));
}
