//! `check` reads and parses its inputs on several threads: the report is
//! byte-identical whatever the number of threads.

use std::path::Path;
use std::process::Command;

fn check(threads: &str, format: &str, paths: &[&Path]) -> (Option<i32>, Vec<u8>, Vec<u8>) {
    let o = Command::new(env!("CARGO_BIN_EXE_phiguard"))
        .arg("check")
        .args(["--format", format, "--no-store"])
        .args(paths)
        .env("PHIGUARD_THREADS", threads)
        .output()
        .expect("runs");
    (o.status.code(), o.stdout, o.stderr)
}

#[test]
fn the_report_does_not_depend_on_the_number_of_threads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    // Every CloudFormation fixture, the Terraform plans and sources, and a
    // broken file: errors, skips and findings in one run.
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("broken.yaml"),
        "Resources:\n  B:\n    Type: [x\n",
    )
    .unwrap();
    let paths = [
        root.join("cfn"),
        root.join("tf"),
        root.join("tf-src/LOG-4"),
        d.path().to_path_buf(),
    ];
    let paths: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
    for format in ["text", "json", "sarif"] {
        let one = check("1", format, &paths);
        assert_eq!(one.0, Some(2), "{}", String::from_utf8_lossy(&one.2));
        assert!(one.1.len() > 10_000, "a real report");
        for n in ["2", "3", "8"] {
            let many = check(n, format, &paths);
            assert_eq!(one.0, many.0, "{format} with {n} threads");
            assert!(one.1 == many.1, "{format} stdout differs with {n} threads");
            assert!(one.2 == many.2, "{format} stderr differs with {n} threads");
        }
    }
}
