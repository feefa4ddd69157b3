//! Defaults AWS applies when code leaves a setting out: each rule that
//! assumes one says so in its findings and cites the AWS documentation
//! behind it in `explain`.

use phiguard_iac::load_texts;
use phiguard_rules::{Config, Outcome, RunOptions, registry};

fn findings(rule: &str, text: &str) -> Vec<(Outcome, String, String)> {
    let loaded = load_texts(&[("t.yaml", text)]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let opts = RunOptions {
        only: vec![rule.to_string()],
        ..RunOptions::default()
    };
    phiguard_rules::run(&loaded.inventory, &Config::default(), &opts)
        .into_iter()
        .map(|f| {
            let name = loaded.inventory.meta(f.rid.unwrap()).name.clone();
            (f.outcome, name, f.message.clone())
        })
        .collect()
}

#[test]
fn explain_cites_the_aws_page_behind_each_default() {
    for id in [
        "TLS-2", "TLS-3", "TLS-4", "ENC-1", "ENC-3", "EKS-4", "CVE-1", "ENC-10", "ENC-11",
        "ENC-12", "ENC-13", "TLS-2", "TLS-3", "TLS-4", "ENC-1", "ENC-3", "EKS-4", "CVE-1", "NET-4",
        "NET-5", "NET-6",
    ] {
        let rule = registry::find(id).unwrap();
        assert!(
            rule.doc.contains("### Defaults assumed") || rule.doc.contains("### Not applicable"),
            "{id}"
        );
        assert!(rule.doc.contains("https://docs.aws.amazon.com/"), "{id}");
    }
}

#[test]
fn eks_without_encryption_config_says_the_aws_owned_key_is_not_enough() {
    let t = "Resources:\n  C:\n    Type: AWS::EKS::Cluster\n    Properties:\n      RoleArn: arn:aws:iam::111122223333:role/eks\n      ResourcesVpcConfig: {SubnetIds: [subnet-1]}\n";
    let f = findings("EKS-4", t);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, Outcome::Fail);
    assert!(f[0].2.contains("AWS-owned key by default"), "{}", f[0].2);
    assert!(f[0].2.contains("Kubernetes 1.28"), "{}", f[0].2);
}

#[test]
fn an_unencrypted_volume_says_encryption_by_default_cannot_be_shown() {
    let t = "Resources:\n  V:\n    Type: AWS::EC2::Volume\n    Properties:\n      AvailabilityZone: us-east-1a\n      Size: 10\n";
    let f = findings("ENC-3", t);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, Outcome::Fail);
    assert!(
        f[0].2.contains("this estate does not show that setting"),
        "{}",
        f[0].2
    );
}

/// The defaults behind ENC-7, ENC-8 and ENC-9 and TLS-7: SSE-SQS for a queue
/// without a key, no encryption for a topic or a stream without one, no
/// queue policy, SNS's default topic policy.
#[test]
fn queues_topics_and_streams_cite_their_defaults() {
    for id in ["ENC-7", "ENC-8", "ENC-9", "TLS-7"] {
        let rule = registry::find(id).unwrap();
        assert!(rule.doc.contains("### Defaults assumed"), "{id}");
        assert!(rule.doc.contains("https://docs.aws.amazon.com/"), "{id}");
    }
    let t = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  T:\n    Type: AWS::SNS::Topic\n  S:\n    Type: AWS::Kinesis::Stream\n    Properties:\n      ShardCount: 1\n";
    let scoped = |rule: &str| {
        let loaded = load_texts(&[("t.yaml", t)]);
        let cfg = Config::from_toml("[scope]\nphi_scope = \"all\"\n").unwrap();
        let opts = RunOptions {
            only: vec![rule.to_string()],
            ..RunOptions::default()
        };
        phiguard_rules::run(&loaded.inventory, &cfg, &opts)
    };
    let f = scoped("ENC-7");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].outcome, Outcome::Fail);
    assert!(f[0].message.contains("SSE-SQS"), "{}", f[0].message);
    assert!(f[0].message.contains("default"), "{}", f[0].message);
    for rule in ["ENC-8", "ENC-9"] {
        let f = scoped(rule);
        assert_eq!(f.len(), 1, "{rule}");
        assert_eq!(f[0].outcome, Outcome::Fail, "{rule}");
        assert!(
            f[0].message.contains("not encrypted at rest"),
            "{}",
            f[0].message
        );
    }
    let f = scoped("TLS-7");
    assert_eq!(f.len(), 2);
    assert!(f.iter().all(|f| f.outcome == Outcome::Fail));
    assert!(f.iter().any(|f| f.message.contains("default policy")));
}

#[test]
fn a_file_system_without_encrypted_is_unencrypted_and_says_so() {
    let t = "Resources:\n  F:\n    Type: AWS::EFS::FileSystem\n    Properties:\n      PerformanceMode: generalPurpose\n";
    let f = findings("ENC-10", t);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, Outcome::Fail);
    assert!(f[0].2.contains("not encrypted"), "{}", f[0].2);
}

#[test]
fn a_repository_without_encryption_configuration_is_aes256() {
    let t = "Resources:\n  R:\n    Type: AWS::ECR::Repository\n    Properties: {}\n";
    let f = findings("ENC-11", t);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, Outcome::Fail);
    assert!(f[0].2.contains("AES256"), "{}", f[0].2);
}

#[test]
fn a_bucket_without_block_public_access_says_s3s_default_applies() {
    let t = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n  Acl:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n";
    let f = findings("NET-4", t);
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(f.iter().all(|x| x.0 == Outcome::Pass), "{f:?}");
    assert!(
        f[0].2.contains("S3's default for a new bucket"),
        "{}",
        f[0].2
    );
    assert!(f[1].2.contains("ACLs are disabled"), "{}", f[1].2);
}
