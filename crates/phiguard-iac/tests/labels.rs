//! A finding names what people call its resource, from every code source:
//! CloudFormation `Tags`, Terraform `tags`/`default_tags`, KMS aliases.

use phiguard_iac::load_texts;
use phiguard_rules::{Config, RunOptions, run};

fn labels(files: &[(&str, &str)], rule: &str) -> Vec<(String, Option<String>)> {
    let loaded = load_texts(files);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let opts = RunOptions {
        only: vec![rule.to_string()],
        ..Default::default()
    };
    let mut out: Vec<(String, Option<String>)> = run(&loaded.inventory, &Config::default(), &opts)
        .into_iter()
        .filter_map(|f| f.subject)
        .map(|s| (s.name, s.label))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn cloudformation_name_tags_and_key_aliases() {
    let t = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  EtlKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: false
      Tags:
        - Key: Name
          Value: etl key
  EtlAlias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/prod-legacy-etl
      TargetKeyId: !Ref EtlKey
  Untagged:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: false
"#;
    assert_eq!(
        labels(&[("k.yaml", t)], "ENC-1"),
        [
            (
                "EtlKey".to_string(),
                Some("alias/prod-legacy-etl".to_string())
            ),
            ("Untagged".to_string(), None),
        ]
    );
    let v = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Shared:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n      Tags:\n        - Key: Name\n          Value: prod-shared\n";
    assert_eq!(
        labels(&[("v.yaml", v)], "FLOW-1"),
        [("Shared".to_string(), Some("prod-shared".to_string()))]
    );
}

#[test]
fn terraform_tags_and_default_tags() {
    let main = r#"
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { Name = "from-defaults" }
  }
}
resource "aws_vpc" "shared" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = "prod-shared" }
}
resource "aws_vpc" "other" {
  cidr_block = "10.1.0.0/16"
}
"#;
    assert_eq!(
        labels(&[("m/main.tf", main)], "FLOW-1"),
        [
            (
                "aws_vpc.other".to_string(),
                Some("from-defaults".to_string())
            ),
            (
                "aws_vpc.shared".to_string(),
                Some("prod-shared".to_string())
            ),
        ]
    );
}
