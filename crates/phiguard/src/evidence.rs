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
    store: crate::store::StoreArgs,
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
pub(crate) struct PackContents<'a> {
    pub report: &'a Report,
    /// The configuration file as read, when there was one: (name, text).
    pub config_file: Option<(String, String)>,
    /// The effective configuration, defaults included, as TOML.
    pub effective_config: String,
    /// The inventory that was judged, as JSON, when it was kept.
    pub inventory: Option<Vec<u8>>,
    pub scan: Option<String>,
    pub created: String,
}

pub(crate) fn write_pack(dir: &Path, c: &PackContents) -> Result<Written, String> {
    let mut files = vec![
        PackFile {
            path: "report.json".into(),
            contents: phiguard_report::render(Format::Json, c.report, Style::default())
                .into_bytes(),
        },
        PackFile {
            path: "report.txt".into(),
            contents: phiguard_report::render(
                Format::Text,
                c.report,
                Style {
                    color: false,
                    verbose: true,
                },
            )
            .into_bytes(),
        },
        PackFile {
            path: "config/effective.toml".into(),
            contents: c.effective_config.clone().into_bytes(),
        },
    ];
    if let Some((_, text)) = &c.config_file {
        files.push(PackFile {
            path: "config/phiguard.toml".into(),
            contents: text.clone().into_bytes(),
        });
    }
    if let Some(inv) = &c.inventory {
        files.push(PackFile {
            path: "inventory.json".into(),
            contents: inv.clone(),
        });
    }
    phiguard_evidence::write(
        dir,
        &PackInfo {
            tool: "phiguard".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            created: c.created.clone(),
            scan: c.scan.clone(),
        },
        &files,
    )
    .map_err(|e| e.to_string())
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
        crate::cli::date_of(until)
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
    let now = crate::cli::now_secs();
    let until = match (&a.retain_until, a.retain_days) {
        (Some(d), _) => crate::cli::parse_date(d)
            .ok_or_else(|| format!("--retain-until {d:?}: expected a date YYYY-MM-DD"))?,
        (None, days) => now + i64::from(days.unwrap_or(2190)) * 86_400,
    };
    if until <= now {
        return Err(format!(
            "--retain-until {}: the date is not in the future",
            crate::cli::date_of(until)
        ));
    }
    Ok(until)
}

pub fn run(a: EvidenceArgs) -> Result<u8, String> {
    if let Some(EvidenceCommand::Verify { dir, digest }) = a.command {
        return verify(&dir, digest.as_deref());
    }
    let out = a.out.ok_or("--out DIR is required")?;
    let store = a.store.open_required()?;
    let scan = store.evidence_of(a.scan.as_deref())?;
    let w = write_pack(&out, &scan.contents())?;
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
