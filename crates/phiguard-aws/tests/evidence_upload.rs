//! `phiguard evidence --upload`: an evidence pack stored under Object Lock,
//! against the moto server (`scripts/moto.sh start`, which the test command
//! runs), which implements buckets with Object Lock and object retention.

mod common;
use aws_credential_types::Credentials;
use common::moto_endpoint as endpoint;
use phiguard_aws::evidence::{Mode, S3Location, upload_pack};
use phiguard_aws::{AuditOptions, base_config};

async fn sdk(endpoint: &str) -> aws_types::SdkConfig {
    base_config(&AuditOptions {
        endpoint_url: Some(endpoint.to_string()),
        region: Some("us-east-1".into()),
        credentials: Some(Credentials::for_tests()),
        ..AuditOptions::default()
    })
    .await
}

fn s3(sdk: &aws_types::SdkConfig) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(sdk)
            .force_path_style(true)
            .build(),
    )
}

fn pack() -> (tempfile::TempDir, Vec<String>) {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir(t.path().join("inputs")).unwrap();
    std::fs::write(t.path().join("report.json"), br#"{"findings":[]}"#).unwrap();
    std::fs::write(t.path().join("inputs/phiguard.toml"), b"# config\n").unwrap();
    std::fs::write(t.path().join("manifest.json"), b"{}\n").unwrap();
    let files = vec![
        "inputs/phiguard.toml".to_string(),
        "report.json".to_string(),
        "manifest.json".to_string(),
    ];
    (t, files)
}

#[tokio::test]
async fn a_pack_is_stored_locked_until_its_retention_date() {
    let Some(ep) = endpoint() else { return };
    let sdk = sdk(&ep).await;
    let s3 = s3(&sdk);
    let bucket = "phiguard-evidence-locked";
    s3.create_bucket()
        .bucket(bucket)
        .object_lock_enabled_for_bucket(true)
        .send()
        .await
        .expect("moto creates a bucket with Object Lock");
    let (dir, files) = pack();
    let loc = S3Location::parse(&format!("s3://{bucket}/scans/7/")).unwrap();
    // 2032-12-06T00:00:00Z
    let until = 1_985_472_000;
    let stored = upload_pack(
        &sdk,
        true,
        &loc,
        dir.path(),
        &files,
        until,
        Mode::Compliance,
    )
    .await
    .expect("upload");
    let keys: Vec<_> = stored.iter().map(|u| u.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "scans/7/inputs/phiguard.toml",
            "scans/7/report.json",
            "scans/7/manifest.json"
        ]
    );
    for u in &stored {
        // HeadObject carries the lock (moto 5.2.5 answers GetObjectRetention
        // with the object itself; AWS with the retention).
        let h = s3
            .head_object()
            .bucket(bucket)
            .key(&u.key)
            .send()
            .await
            .expect("head");
        assert_eq!(
            h.object_lock_mode().map(|m| m.as_str()),
            Some("COMPLIANCE"),
            "{}",
            u.key
        );
        assert_eq!(
            h.object_lock_retain_until_date().map(|d| d.secs()),
            Some(until),
            "{}",
            u.key
        );
        assert!(
            u.version_id.is_some(),
            "{}: a locked bucket is versioned",
            u.key
        );
    }
    // What was stored is what the pack holds.
    let body = s3
        .get_object()
        .bucket(bucket)
        .key("scans/7/report.json")
        .send()
        .await
        .unwrap()
        .body
        .collect()
        .await
        .unwrap()
        .into_bytes();
    assert_eq!(&body[..], br#"{"findings":[]}"#);
    // A locked version cannot be deleted.
    let v = stored[1].version_id.clone().unwrap();
    let del = s3
        .delete_object()
        .bucket(bucket)
        .key("scans/7/report.json")
        .version_id(v)
        .send()
        .await;
    assert!(
        del.is_err(),
        "a version under COMPLIANCE retention was deleted"
    );
}

#[tokio::test]
async fn a_bucket_without_object_lock_is_refused_before_anything_is_sent() {
    let Some(ep) = endpoint() else { return };
    let sdk = sdk(&ep).await;
    let s3 = s3(&sdk);
    let bucket = "phiguard-evidence-unlocked";
    s3.create_bucket().bucket(bucket).send().await.unwrap();
    let (dir, files) = pack();
    let loc = S3Location::parse(&format!("s3://{bucket}/x")).unwrap();
    let err = upload_pack(
        &sdk,
        true,
        &loc,
        dir.path(),
        &files,
        1_985_472_000,
        Mode::Compliance,
    )
    .await
    .unwrap_err();
    assert!(err.contains("has no Object Lock"), "{err}");
    let listed = s3.list_objects_v2().bucket(bucket).send().await.unwrap();
    assert_eq!(listed.key_count(), Some(0));

    let loc = S3Location::parse("s3://phiguard-no-such-bucket/x").unwrap();
    let err = upload_pack(
        &sdk,
        true,
        &loc,
        dir.path(),
        &files,
        1_985_472_000,
        Mode::Compliance,
    )
    .await
    .unwrap_err();
    assert!(err.contains("phiguard-no-such-bucket"), "{err}");
}
