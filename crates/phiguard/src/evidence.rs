//! `phiguard evidence`: one scan as a pack an auditor can verify: its
//! reports, the configuration and the inventory that was judged, and a
//! manifest with the SHA-256 of every file.

use clap::{Args, Subcommand, ValueEnum};
use phiguard_evidence::{PackFile, PackInfo, Verification, Written};
use phiguard_report::{Format, Report, Style};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct EvidenceArgs {
    #[command(subcommand)]
    command: Option<EvidenceCommand>,
    /// The directory to write the pack to (new, or empty: a pack never
    /// overwrites).
    #[arg(long, value_name = "DIR", required = true)]
    out: Option<PathBuf>,
    /// The scan to pack: its id in `phiguard history` [default: the latest].
    #[arg(value_name = "SCAN")]
    scan: Option<String>,
    #[command(flatten)]
    store: crate::history::StoreArgs,
    #[command(flatten)]
    upload: UploadArgs,
}

#[derive(Subcommand, Debug)]
enum EvidenceCommand {
    /// Check a pack: every file against the manifest's SHA-256, and nothing
    /// added or removed. Exit 0 when intact, 1 when anything differs, 2 when
    /// the directory is not a pack.
    Verify {
        /// The pack's directory.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// The digest printed when the pack was written (SHA-256 of
        /// manifest.json): also catches a pack whose files and manifest were
        /// rewritten together.
        #[arg(long, value_name = "SHA256")]
        digest: Option<String>,
    },
}

#[derive(Args, Debug, Default)]
pub struct UploadArgs {
    /// Also store the pack in S3 under Object Lock, at s3://BUCKET/PREFIX (the
    /// bucket must have Object Lock enabled). Needs s3:PutObject,
    /// s3:PutObjectRetention and s3:GetBucketObjectLockConfiguration on it.
    #[arg(long, value_name = "S3URL")]
    upload: Option<String>,
    /// How long the uploaded objects are locked, in days [default: 2190, six years].
    #[arg(long, value_name = "DAYS", conflicts_with = "retain_until")]
    retain_days: Option<u32>,
    /// Lock the uploaded objects until this date (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    retain_until: Option<String>,
    /// Object Lock mode: compliance (nobody can shorten it, root included)
    /// or governance.
    #[arg(long, value_enum, default_value_t = LockMode::Compliance)]
    lock_mode: LockMode,
    /// The AWS profile for the upload [default: the default credential chain].
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// The bucket's region [default: the profile's, else us-east-1].
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// Send the upload to this endpoint (an S3-compatible emulator).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, ValueEnum, PartialEq, Eq)]
enum LockMode {
    #[default]
    Compliance,
    Governance,
}

/// What a pack holds, apart from its manifest.
struct PackContents<'a> {
    report: &'a Report,
    /// Other files: (path in the pack, contents).
    extra: Vec<(String, Vec<u8>)>,
    scan: Option<i64>,
    created: i64,
}

fn write_pack(dir: &Path, c: PackContents) -> Result<Written, String> {
    let render = |f: Format, verbose: bool| {
        phiguard_report::render(
            f,
            c.report,
            Style {
                color: false,
                verbose,
            },
        )
        .into_bytes()
    };
    let mut files = vec![
        PackFile {
            path: "report.json".into(),
            contents: render(Format::Json, false),
        },
        PackFile {
            path: "report.html".into(),
            contents: render(Format::Html, false),
        },
        PackFile {
            path: "report.txt".into(),
            contents: render(Format::Text, true),
        },
    ];
    files.extend(
        c.extra
            .into_iter()
            .map(|(path, contents)| PackFile { path, contents }),
    );
    phiguard_evidence::write(
        dir,
        &PackInfo {
            tool: "phiguard".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            created: phiguard_cve::format_time(c.created),
            scan: c.scan.map(|i| i.to_string()),
        },
        &files,
    )
    .map_err(|e| e.to_string())
}

/// `check --evidence DIR` / `audit --evidence DIR`: the pack of the scan
/// just run, with its configuration and the inventory that was judged.
pub(crate) fn at_scan(
    dir: &Path,
    report: &Report,
    config: Option<&PathBuf>,
    cfg: &phiguard_rules::Config,
    inventory: &phiguard_model::Inventory,
    scan: Option<i64>,
    now: i64,
) -> Result<(), String> {
    let mut extra = Vec::new();
    let file = config
        .cloned()
        .unwrap_or_else(|| PathBuf::from("phiguard.toml"));
    match std::fs::read(&file) {
        Ok(t) => extra.push(("config/phiguard.toml".to_string(), t)),
        Err(e) if config.is_none() && e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("{}: {e}", file.display())),
    }
    let effective = toml::to_string(cfg).map_err(|e| format!("the configuration as TOML: {e}"))?;
    extra.push(("config/effective.toml".to_string(), effective.into_bytes()));
    let inv = serde_json::to_vec(inventory).map_err(|e| format!("the inventory as JSON: {e}"))?;
    extra.push(("inventory.json".to_string(), inv));
    let w = write_pack(
        dir,
        PackContents {
            report,
            extra,
            scan,
            created: now,
        },
    )?;
    eprintln!(
        "phiguard: evidence pack written to {} ({} files); digest (SHA-256 of manifest.json): {}",
        dir.display(),
        w.manifest.files.len() + 1,
        w.digest
    );
    Ok(())
}

/// Prints what was written and, when asked, stores it in S3.
pub(crate) fn finish(dir: &Path, w: &Written, upload: &UploadArgs) -> Result<(), String> {
    println!(
        "phiguard: evidence pack written to {} ({} files)",
        dir.display(),
        w.manifest.files.len() + 1
    );
    println!(
        "digest (SHA-256 of manifest.json): {}\nKeep the digest apart from the pack; `phiguard evidence verify {} --digest {}` checks both.",
        w.digest,
        dir.display(),
        w.digest
    );
    if let Some(url) = &upload.upload {
        upload_pack(dir, w, upload, url)?;
    }
    Ok(())
}

#[cfg(feature = "aws")]
fn upload_pack(dir: &Path, w: &Written, a: &UploadArgs, url: &str) -> Result<(), String> {
    use phiguard_aws::evidence::{Mode, S3Location};
    let loc = S3Location::parse(url)?;
    let until = retain_until(a)?;
    let mut files: Vec<String> = w.manifest.files.iter().map(|e| e.path.clone()).collect();
    files.push(phiguard_evidence::MANIFEST.to_string());
    let opts = phiguard_aws::AuditOptions {
        profile: a.profile.clone(),
        region: a.region.clone(),
        endpoint_url: a.endpoint_url.clone(),
        ..Default::default()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the async runtime: {e}"))?;
    let mode = match a.lock_mode {
        LockMode::Compliance => Mode::Compliance,
        LockMode::Governance => Mode::Governance,
    };
    let stored = rt.block_on(async {
        let sdk = phiguard_aws::base_config(&opts).await;
        phiguard_aws::evidence::upload_pack(
            &sdk,
            a.endpoint_url.is_some(),
            &loc,
            dir,
            &files,
            until,
            mode,
        )
        .await
    })?;
    println!(
        "stored {} object(s) under s3://{}/{} locked ({}) until {}",
        stored.len(),
        loc.bucket,
        loc.prefix,
        match mode {
            Mode::Compliance => "COMPLIANCE",
            Mode::Governance => "GOVERNANCE",
        },
        phiguard_cve::format_time(until)
    );
    Ok(())
}

#[cfg(not(feature = "aws"))]
fn upload_pack(_: &Path, _: &Written, _: &UploadArgs, _: &str) -> Result<(), String> {
    Err("--upload needs phiguard built with the `aws` feature".into())
}

/// The retention date, seconds since the epoch.
#[cfg_attr(not(feature = "aws"), allow(dead_code))]
fn retain_until(a: &UploadArgs) -> Result<i64, String> {
    let now = crate::history::now();
    let until = match (&a.retain_until, a.retain_days) {
        (Some(d), _) => phiguard_cve::parse_time(&format!("{d}T00:00:00Z"))
            .ok_or_else(|| format!("--retain-until {d:?}: expected a date YYYY-MM-DD"))?,
        (None, days) => now + i64::from(days.unwrap_or(2190)) * 86_400,
    };
    if until <= now {
        return Err(format!(
            "--retain-until {}: the date is not in the future",
            phiguard_cve::format_time(until)
        ));
    }
    Ok(until)
}

pub fn run(a: EvidenceArgs) -> Result<u8, String> {
    if let Some(EvidenceCommand::Verify { dir, digest }) = a.command {
        return verify(&dir, digest.as_deref());
    }
    let out = a.out.ok_or("--out DIR is required")?;
    let mut store = crate::history::open(&a.store, true)?
        .ok_or("the evidence pack is written from the history store, which is off")?;
    let scan = match &a.scan {
        Some(id) => {
            let id: i64 = id.trim().parse().map_err(|_| {
                format!("scan {id:?}: expected a scan id as `phiguard history` lists them")
            })?;
            store
                .scan(id)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no scan {id} in {}", store.name()))?
        }
        None => store
            .scans(None, Some(1))
            .map_err(|e| e.to_string())?
            .into_iter()
            .next()
            .ok_or_else(|| format!("{} records no scan yet", store.name()))?,
    };
    let json = store
        .report_json(scan.id)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("scan {} was recorded without its report", scan.id))?;
    let report = crate::merge::report_from_json(&json, &format!("scan {}", scan.id))?;
    let record = serde_json::to_vec_pretty(&serde_json::json!({
        "id": scan.id,
        "time": phiguard_cve::format_time(scan.time),
        "command": scan.command,
        "scope": scan.scope,
        "inputs": scan.inputs,
        "tool_version": scan.tool_version,
        "config_sha256": scan.config_hash,
        "counts": {
            "pass": scan.counts.pass,
            "fail": scan.counts.fail,
            "unknown": scan.counts.unknown,
            "waived": scan.counts.waived,
        },
    }))
    .map_err(|e| e.to_string())?;
    let w = write_pack(
        &out,
        PackContents {
            report: &report,
            extra: vec![("scan.json".to_string(), record)],
            scan: Some(scan.id),
            created: crate::history::now(),
        },
    )?;
    finish(&out, &w, &a.upload)?;
    Ok(0)
}

fn verify(dir: &Path, digest: Option<&str>) -> Result<u8, String> {
    let v = phiguard_evidence::verify(dir, digest).map_err(|e| e.to_string())?;
    print!("{}", verification_text(dir, &v, digest.is_some()));
    Ok(if v.intact() { 0 } else { 1 })
}

fn verification_text(dir: &Path, v: &Verification, digest_checked: bool) -> String {
    let mut s = String::new();
    let n = v.manifest.as_ref().map_or(0, |m| m.files.len());
    if v.intact() {
        s += &format!(
            "phiguard: {}: intact: {n} file(s) match the manifest{}\n",
            dir.display(),
            if digest_checked {
                ", and the manifest matches the kept digest"
            } else {
                " (give --digest to check the manifest itself)"
            }
        );
    } else {
        s += &format!(
            "phiguard: {}: NOT INTACT: the pack differs from its manifest\n",
            dir.display()
        );
        for p in &v.changed {
            s += &format!("  changed  {p}\n");
        }
        for p in &v.missing {
            s += &format!("  removed  {p}\n");
        }
        for p in &v.added {
            s += &format!("  added    {p}\n");
        }
        if let Some(want) = &v.digest_mismatch {
            s += &format!(
                "  manifest.json has digest {} where {want} was kept: the manifest was rewritten\n",
                v.digest
            );
        }
    }
    if let Some(m) = &v.manifest {
        s += &format!(
            "  written by {} {} at {}{}\n  digest {}\n",
            m.tool,
            m.version,
            m.created,
            m.scan
                .as_ref()
                .map(|x| format!(" from scan {x}"))
                .unwrap_or_default(),
            v.digest
        );
    }
    s
}
