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
        "TLS-2", "TLS-3", "TLS-4", "ENC-1", "ENC-3", "EKS-4", "CVE-1", "NET-4", "NET-5", "NET-6",
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
