//! Storing an evidence pack in S3 under Object Lock (`phiguard evidence
//! --upload s3://bucket/prefix`).
//!
//! This is one of the few places where phiguard writes to AWS, and only when
//! asked: it needs `s3:GetBucketObjectLockConfiguration`, `s3:PutObject` and
//! `s3:PutObjectRetention` on the bucket, none of which the read-only audit
//! policy grants. Each file is sent with a SHA-256 checksum that S3 checks on
//! receipt, and a retention date that nobody, the root user included, can
//! shorten in COMPLIANCE mode.

use aws_sdk_s3::primitives::{ByteStream, DateTime};
use aws_sdk_s3::types::{ChecksumAlgorithm, ObjectLockMode};
use aws_types::SdkConfig;
use std::path::Path;

/// `s3://bucket/prefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Location {
    pub bucket: String,
    /// Without leading or trailing `/`; may be empty.
    pub prefix: String,
}

impl S3Location {
    pub fn parse(url: &str) -> Result<S3Location, String> {
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| format!("{url:?}: expected s3://BUCKET/PREFIX"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
            && bucket.as_bytes()[0].is_ascii_alphanumeric()
            && bucket.as_bytes()[bucket.len() - 1].is_ascii_alphanumeric();
        if !valid {
            return Err(format!(
                "{url:?}: {bucket:?} is not an S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens)"
            ));
        }
        Ok(S3Location {
            bucket: bucket.to_string(),
            prefix: prefix.trim_matches('/').to_string(),
        })
    }

    pub fn key(&self, path: &str) -> String {
        if self.prefix.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.prefix)
        }
    }
}

/// Object Lock retention mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Nobody can shorten or remove the retention, the root user included.
    Compliance,
    /// Users with `s3:BypassGovernanceRetention` can.
    Governance,
}

/// One object stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uploaded {
    pub key: String,
    pub version_id: Option<String>,
}

/// Stores the files of the pack in `dir` (relative paths, the manifest last)
/// under `loc`, each locked until `retain_until` (seconds since the epoch).
/// Refuses a bucket without Object Lock before sending anything.
pub async fn upload_pack(
    sdk: &SdkConfig,
    path_style: bool,
    loc: &S3Location,
    dir: &Path,
    files: &[String],
    retain_until: i64,
    mode: Mode,
) -> Result<Vec<Uploaded>, String> {
    let mut b = aws_sdk_s3::config::Builder::from(sdk);
    if path_style {
        b = b.force_path_style(true);
    }
    let s3 = aws_sdk_s3::Client::from_conf(b.build());
    let bucket = &loc.bucket;
    match s3
        .get_object_lock_configuration()
        .bucket(bucket)
        .send()
        .await
    {
        Ok(out) => {
            let enabled = out
                .object_lock_configuration()
                .and_then(|c| c.object_lock_enabled())
                .is_some_and(|e| e.as_str() == "Enabled");
            if !enabled {
                return Err(no_lock(bucket));
            }
        }
        Err(e) => {
            let code = e.as_service_error().and_then(|s| {
                use aws_sdk_s3::error::ProvideErrorMetadata;
                s.code().map(str::to_string)
            });
            return Err(match code.as_deref() {
                Some("ObjectLockConfigurationNotFoundError") => no_lock(bucket),
                Some(c) => format!("s3://{bucket}: GetObjectLockConfiguration: {c}"),
                None => format!(
                    "s3://{bucket}: GetObjectLockConfiguration: {}",
                    aws_smithy_types::error::display::DisplayErrorContext(&e)
                ),
            });
        }
    }
    let lock_mode = match mode {
        Mode::Compliance => ObjectLockMode::Compliance,
        Mode::Governance => ObjectLockMode::Governance,
    };
    let mut done = Vec::with_capacity(files.len());
    for rel in files {
        let path = dir.join(rel);
        let body = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let key = loc.key(rel);
        let out = s3
            .put_object()
            .bucket(bucket)
            .key(&key)
            .body(ByteStream::from(body))
            .content_type(content_type(rel))
            .checksum_algorithm(ChecksumAlgorithm::Sha256)
            .object_lock_mode(lock_mode.clone())
            .object_lock_retain_until_date(DateTime::from_secs(retain_until))
            .send()
            .await
            .map_err(|e| {
                format!(
                    "s3://{bucket}/{key}: PutObject: {}{}",
                    aws_smithy_types::error::display::DisplayErrorContext(&e),
                    if done.is_empty() {
                        String::new()
                    } else {
                        format!(" ({} file(s) were stored before it)", done.len())
                    }
                )
            })?;
        done.push(Uploaded {
            key,
            version_id: out.version_id().map(str::to_string),
        });
    }
    Ok(done)
}

fn no_lock(bucket: &str) -> String {
    format!(
        "s3://{bucket} has no Object Lock: evidence is stored only where it cannot be altered; \
         create the bucket with Object Lock enabled (`aws s3api create-bucket --bucket {bucket} \
         --object-lock-enabled-for-bucket`)"
    )
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("json") => "application/json",
        Some("html") => "text/html; charset=utf-8",
        Some("toml") | Some("txt") | Some("md") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_urls() {
        let l = S3Location::parse("s3://phi-evidence/audits/2026/").unwrap();
        assert_eq!(l.bucket, "phi-evidence");
        assert_eq!(l.prefix, "audits/2026");
        assert_eq!(l.key("manifest.json"), "audits/2026/manifest.json");
        let l = S3Location::parse("s3://phi-evidence").unwrap();
        assert_eq!(l.key("a.json"), "a.json");
        for bad in [
            "https://x/y",
            "s3://",
            "s3://UPPER/x",
            "s3://ab",
            "s3://-lead/x",
            "s3://under_score",
        ] {
            assert!(S3Location::parse(bad).is_err(), "{bad}");
        }
    }
}
