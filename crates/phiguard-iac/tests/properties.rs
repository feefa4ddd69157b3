//! Properties of the collectors: they never panic, whatever the text
//! (CloudFormation templates, Terraform plans and states), and what the rules
//! find does not depend on the order of resources.

use phiguard_iac::load_texts;
use phiguard_rules::{Config, RunOptions};
use proptest::prelude::*;
use proptest::test_runner::Config as PropConfig;

// ---------------------------------------------------------------------------
// Arbitrary YAML-ish documents.

#[derive(Debug, Clone)]
enum Node {
    Scalar(String),
    Map(Vec<(String, Node)>),
    List(Vec<Node>),
    Tagged(&'static str, Box<Node>),
}

const KEYS: &[&str] = &[
    "Resources",
    "Type",
    "Properties",
    "Parameters",
    "Conditions",
    "Outputs",
    "Default",
    "Condition",
    "DependsOn",
    "Export",
    "Name",
    "Value",
    "BucketEncryption",
    "ServerSideEncryptionConfiguration",
    "ServerSideEncryptionByDefault",
    "SSEAlgorithm",
    "KMSMasterKeyID",
    "EnableKeyRotation",
    "KeySpec",
    "TargetKeyId",
    "AliasName",
    "Bucket",
    "PolicyDocument",
    "Statement",
    "Effect",
    "Fn::GetAtt",
    "Ref",
    "Fn::Sub",
    "Fn::If",
];

const TAGS: &[&str] = &[
    "!Ref",
    "!Sub",
    "!GetAtt",
    "!If",
    "!ImportValue",
    "!Join",
    "!Select",
    "!Split",
    "!Equals",
    "!Not",
    "!FindInMap",
    "!Base64",
    "!GetAZs",
    "!Condition",
    "!And",
    "!Or",
    "!Cidr",
    "!Bogus",
];

const TYPES: &[&str] = &[
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
    "AWS::KMS::Key",
    "AWS::KMS::Alias",
    "AWS::EC2::VPC",
    "AWS::EC2::TransitGateway",
    "AWS::Nope::Thing",
];

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(KEYS).prop_map(str::to_string),
        prop::sample::select(TYPES).prop_map(str::to_string),
        "[A-Za-z][A-Za-z0-9]{0,8}",
        "[A-Za-z][A-Za-z0-9]{0,6}\\.(Arn|KeyId|Name)",
        "\\$\\{[A-Za-z:.]{0,12}\\}",
        Just("true".to_string()),
        Just("false".to_string()),
        Just("~".to_string()),
        Just("".to_string()),
        Just("aws:kms".to_string()),
        Just("AES256".to_string()),
        Just("alias/aws/s3".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| n.to_string()),
        // Anything, double-quoted with JSON escapes (valid YAML too).
        any::<String>().prop_map(|s| json_string(&s)),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(KEYS).prop_map(str::to_string),
        1 => "[A-Za-z][A-Za-z0-9]{0,8}",
        1 => any::<String>().prop_map(|s| json_string(&s)),
    ]
}

fn node() -> impl Strategy<Value = Node> {
    scalar()
        .prop_map(Node::Scalar)
        .prop_recursive(5, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec((key(), inner.clone()), 0..6).prop_map(Node::Map),
                prop::collection::vec(inner.clone(), 0..5).prop_map(Node::List),
                (prop::sample::select(TAGS), inner).prop_map(|(t, n)| Node::Tagged(t, Box::new(n))),
            ]
        })
}

/// A document shaped like a template: `Resources` of typed resources with
/// arbitrary properties, plus arbitrary sections.
fn template_node() -> impl Strategy<Value = Node> {
    let resource =
        (prop::sample::select(TYPES), node(), any::<bool>()).prop_map(|(t, props, with_props)| {
            let mut body = vec![("Type".to_string(), Node::Scalar(t.to_string()))];
            if with_props {
                body.push(("Properties".to_string(), props));
            }
            Node::Map(body)
        });
    (
        prop::collection::vec(
            (
                "[A-Za-z][A-Za-z0-9]{0,6}",
                prop_oneof![4 => resource, 1 => node()],
            ),
            0..6,
        ),
        prop::collection::vec((key(), node()), 0..3),
    )
        .prop_map(|(resources, extra)| {
            let mut root = vec![(
                "Resources".to_string(),
                Node::Map(resources.into_iter().collect()),
            )];
            root.extend(extra);
            Node::Map(root)
        })
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Flow style: `{k: v, l: [a, !Ref b]}`.
fn flow(n: &Node, out: &mut String) {
    match n {
        Node::Scalar(s) => out.push_str(s),
        Node::Map(kv) => {
            out.push('{');
            for (i, (k, v)) in kv.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push_str(": ");
                flow(v, out);
            }
            out.push('}');
        }
        Node::List(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                flow(v, out);
            }
            out.push(']');
        }
        Node::Tagged(t, v) => {
            out.push_str(t);
            out.push(' ');
            flow(v, out);
        }
    }
}

/// Block style for maps and lists, flow style inside tags.
fn block(n: &Node, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match n {
        Node::Map(kv) if !kv.is_empty() => {
            for (k, v) in kv {
                out.push_str(&pad);
                out.push_str(k);
                out.push(':');
                nested(v, indent, out);
            }
        }
        Node::List(items) if !items.is_empty() => {
            for v in items {
                out.push_str(&pad);
                out.push('-');
                nested(v, indent, out);
            }
        }
        other => {
            out.push_str(&pad);
            flow(other, out);
            out.push('\n');
        }
    }
}

fn nested(v: &Node, indent: usize, out: &mut String) {
    match v {
        Node::Map(kv) if !kv.is_empty() => {
            out.push('\n');
            block(v, indent + 2, out);
        }
        Node::List(items) if !items.is_empty() => {
            out.push('\n');
            block(v, indent + 2, out);
        }
        other => {
            out.push(' ');
            flow(other, out);
            out.push('\n');
        }
    }
}

/// JSON: tags become `{"Fn::X": ...}` / `{"Ref": ...}`, scalars strings.
fn json(n: &Node, out: &mut String) {
    match n {
        Node::Scalar(s) => {
            let literal =
                s.starts_with('"') || s.parse::<i64>().is_ok() || s == "true" || s == "false";
            if literal {
                out.push_str(s)
            } else {
                out.push_str(&json_string(s))
            }
        }
        Node::Map(kv) => {
            out.push('{');
            for (i, (k, v)) in kv.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if k.starts_with('"') {
                    out.push_str(k);
                } else {
                    out.push_str(&json_string(k));
                }
                out.push(':');
                json(v, out);
            }
            out.push('}');
        }
        Node::List(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json(v, out);
            }
            out.push(']');
        }
        Node::Tagged(t, v) => {
            let name = &t[1..];
            let key = if name == "Ref" {
                "Ref".to_string()
            } else {
                format!("Fn::{name}")
            };
            out.push('{');
            out.push_str(&json_string(&key));
            out.push(':');
            json(v, out);
            out.push('}');
        }
    }
}

fn load_one(name: &str, text: &str) {
    // Any outcome (a template, a skip, input errors) is fine; a panic is not.
    let loaded = load_texts(&[(name, text)]);
    let _ = phiguard_rules::run(
        &loaded.inventory,
        &Config::default(),
        &RunOptions::default(),
    );
}

proptest! {
    #![proptest_config(PropConfig { cases: 256, ..PropConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(s in any::<String>()) {
        load_one("t.yaml", &s);
    }

    #[test]
    fn yaml_punctuation_never_panics(s in "[ -~\n\t]{0,200}") {
        load_one("t.yaml", &s);
    }

    #[test]
    fn yaml_structures_never_panic(n in template_node(), as_block in any::<bool>()) {
        let mut text = String::new();
        if as_block {
            block(&n, 0, &mut text);
        } else {
            flow(&n, &mut text);
        }
        load_one("t.yaml", &text);
    }

    #[test]
    fn arbitrary_yaml_never_panics(n in node()) {
        let mut text = String::new();
        block(&n, 0, &mut text);
        load_one("t.yaml", &text);
    }

    #[test]
    fn json_structures_never_panic(n in template_node()) {
        let mut text = String::new();
        json(&n, &mut text);
        load_one("t.json", &text);
    }
}

// ---------------------------------------------------------------------------
// Arbitrary JSON fed as a Terraform plan or state.

const TF_KEYS: &[&str] = &[
    "format_version",
    "planned_values",
    "values",
    "root_module",
    "child_modules",
    "resources",
    "address",
    "mode",
    "type",
    "name",
    "resource_changes",
    "change",
    "actions",
    "after",
    "after_unknown",
    "after_sensitive",
    "sensitive_values",
    "configuration",
    "module_calls",
    "module",
    "expressions",
    "references",
    "constant_value",
    "bucket",
    "rule",
    "apply_server_side_encryption_by_default",
    "sse_algorithm",
    "kms_master_key_id",
    "enable_key_rotation",
    "versioning_configuration",
    "status",
    "mfa_delete",
    "default_retention",
    "policy",
    "tags_all",
    "target_key_id",
    "s3_bucket_name",
    "encrypted",
    "kms_key_id",
    "snapshot_id",
    "server_side_encryption",
    "enabled",
    "kms_key_arn",
    "storage_encrypted",
    "cluster_identifier",
    "engine_mode",
    "password",
    "manage_master_user_password",
];

const TF_STRINGS: &[&str] = &[
    "1.2",
    "2.0",
    "managed",
    "data",
    "create",
    "delete",
    "aws_s3_bucket",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_object_lock_configuration",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_public_access_block",
    "aws_kms_key",
    "aws_kms_alias",
    "aws_cloudtrail",
    "aws_ebs_volume",
    "aws_ebs_encryption_by_default",
    "aws_ebs_default_kms_key",
    "aws_dynamodb_table",
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_rds_cluster_instance",
    "aws_s3_bucket.b",
    "aws_s3_bucket.b.id",
    "aws_kms_key.k",
    "aws_kms_key.k.arn",
    "module.m",
    "module.m.aws_s3_bucket.b",
    "var.v",
    "var.v[0]",
    "aws:kms",
    "AES256",
    "Enabled",
    "COMPLIANCE",
    "alias/aws/s3",
    "{\"Statement\":[{\"Effect\":\"Deny\"}]}",
    "{\"Statement\":",
    "",
    "module.m[\"x\"].aws_s3_bucket.b[0]",
];

fn tf_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value as J;
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i64>().prop_map(J::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(J::Number)
            .unwrap_or(J::Null)),
        proptest::sample::select(TF_STRINGS).prop_map(|s| J::String(s.to_string())),
        "[ -~]{0,12}".prop_map(J::String),
    ];
    leaf.prop_recursive(6, 96, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(J::Array),
            prop::collection::vec(
                (
                    proptest::sample::select(TF_KEYS).prop_map(str::to_string),
                    inner
                ),
                0..6
            )
            .prop_map(|kv| J::Object(kv.into_iter().collect())),
        ]
    })
}

/// A plan skeleton whose parts are arbitrary.
fn tf_plan() -> impl Strategy<Value = serde_json::Value> {
    (
        prop::collection::vec(
            (
                proptest::sample::select(TF_STRINGS),
                proptest::sample::select(TF_STRINGS),
                tf_json(),
                tf_json(),
                tf_json(),
                tf_json(),
            ),
            0..6,
        ),
        tf_json(),
        any::<bool>(),
    )
        .prop_map(|(resources, extra, state)| {
            use serde_json::json;
            let res: Vec<_> = resources
                .iter()
                .map(|(ty, addr, values, _, _, _)| {
                    json!({"address": addr, "mode": "managed", "type": ty, "name": "b", "values": values})
                })
                .collect();
            let changes: Vec<_> = resources
                .iter()
                .map(|(_, addr, after, unknown, sensitive, _)| {
                    json!({"address": addr, "change": {"actions": ["create"], "after": after,
                        "after_unknown": unknown, "after_sensitive": sensitive}})
                })
                .collect();
            let conf: Vec<_> = resources
                .iter()
                .map(|(ty, _, _, _, _, expr)| {
                    json!({"address": format!("{ty}.b"), "mode": "managed", "type": ty, "name": "b", "expressions": expr})
                })
                .collect();
            let modules = json!({"resources": res, "child_modules": [{"address": "module.m", "resources": res}]});
            if state {
                json!({"format_version": "1.0", "terraform_version": "1.7.5", "values": {"root_module": modules}, "extra": extra})
            } else {
                json!({"format_version": "1.2", "terraform_version": "1.7.5",
                    "planned_values": {"root_module": modules},
                    "resource_changes": changes,
                    "configuration": {"root_module": {"resources": conf,
                        "module_calls": {"m": {"expressions": extra, "module": {"resources": conf}}}}}})
            }
        })
}

/// Terraform source of resources, variables and locals whose attributes
/// are literals, references (also to themselves), templates and calls.
fn tf_source() -> impl Strategy<Value = String> {
    let names = prop::sample::select(vec!["a", "b", "c"]);
    let types = prop::sample::select(vec![
        "aws_s3_bucket",
        "aws_kms_key",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_versioning",
    ]);
    let expr = prop_oneof![
        Just("true".to_string()),
        Just("42".to_string()),
        Just("\"aws:kms\"".to_string()),
        names.clone().prop_map(|n| format!("local.{n}")),
        names.clone().prop_map(|n| format!("var.{n}")),
        names
            .clone()
            .prop_map(|n| format!("[local.{n}, local.{n}]")),
        names.clone().prop_map(|n| format!("\"${{local.{n}}}-x\"")),
        names.clone().prop_map(|n| format!("aws_kms_key.{n}.arn")),
        names.clone().prop_map(|n| format!("aws_s3_bucket.{n}.id")),
        names
            .clone()
            .prop_map(|n| format!("jsonencode({{ k = local.{n} }})")),
        names.clone().prop_map(|n| format!("local.{n}[0].x")),
        Just("count.index".to_string()),
    ];
    let attr = prop::sample::select(vec![
        "bucket",
        "kms_master_key_id",
        "enable_key_rotation",
        "policy",
        "count",
        "tags",
    ]);
    let item = prop_oneof![
        (
            types,
            names.clone(),
            prop::collection::vec((attr, expr.clone()), 0..4),
            any::<bool>()
        )
            .prop_map(|(t, n, attrs, nested)| {
                let body: String = attrs
                    .iter()
                    .map(|(k, v)| format!("  {k} = {v}\n"))
                    .collect();
                let inner = if nested {
                    format!("  rule {{\n{body}  }}\n  dynamic \"x\" {{\n  }}\n")
                } else {
                    String::new()
                };
                format!("resource \"{t}\" \"{n}\" {{\n{body}{inner}}}\n")
            }),
        (names.clone(), expr.clone()).prop_map(|(n, e)| format!("locals {{\n  {n} = {e}\n}}\n")),
        (names, prop::option::of(expr)).prop_map(|(n, e)| match e {
            Some(e) => format!("variable \"{n}\" {{\n  default = {e}\n}}\n"),
            None => format!("variable \"{n}\" {{}}\n"),
        }),
    ];
    prop::collection::vec(item, 0..8).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(PropConfig { cases: 256, ..PropConfig::default() })]

    #[test]
    fn arbitrary_json_as_a_plan_never_panics(v in tf_json()) {
        let mut text = serde_json::to_string(&v).unwrap();
        load_one("plan.json", &text);
        // With the keys that make it read as a plan or a state.
        if let serde_json::Value::Object(mut m) = v {
            m.insert("format_version".into(), "1.2".into());
            m.insert("terraform_version".into(), "1.7.5".into());
            m.entry("planned_values").or_insert(serde_json::json!({}));
            text = serde_json::to_string(&m).unwrap();
            load_one("plan.json", &text);
        }
    }

    #[test]
    fn arbitrary_text_as_terraform_source_never_panics(s in any::<String>()) {
        load_one("m/main.tf", &s);
    }

    #[test]
    fn terraform_like_source_never_panics(s in tf_source()) {
        load_one("m/main.tf", &s);
    }

    #[test]
    fn arbitrary_plans_never_panic(p in tf_plan()) {
        load_one("plan.json", &serde_json::to_string_pretty(&p).unwrap());
    }

    #[test]
    fn truncated_plans_are_input_errors(p in tf_plan(), cut in any::<prop::sample::Index>()) {
        let text = serde_json::to_string_pretty(&p).unwrap();
        let mut at = cut.index(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        if at < text.len() {
            let loaded = load_texts(&[("plan.json", &text[..at])]);
            if phiguard_iac::tf::looks_like(&text[..at]) {
                prop_assert!(!loaded.errors.is_empty());
                prop_assert!(loaded.errors.iter().all(|e| e.line >= 1));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Findings do not depend on the order of resources.

/// How many resource snippets `snippet` knows.
const SNIPPETS: u8 = 15;

fn is_key(kind: u8) -> bool {
    (7..=10).contains(&kind) || kind == 13
}

fn is_bucket(kind: u8) -> bool {
    kind <= 6 || kind == 14
}

/// Resource `name` of snippet `kind`; `key` and `bucket` name another
/// resource of the template (or `None` when there is none).
fn snippet(kind: u8, name: &str, key: Option<&str>, bucket: Option<&str>) -> String {
    let kms = |id: &str| {
        format!(
            "    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: aws:kms\n{id}"
        )
    };
    let key_name = key.unwrap_or("NoSuchKey");
    let body = match kind {
        0 => "    Type: AWS::S3::Bucket\n".to_string(),
        1 => "    Type: AWS::S3::Bucket\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: AES256\n".to_string(),
        2 => kms(""),
        3 => match key {
            Some(k) => kms(&format!("              KMSMasterKeyID: !GetAtt {k}.Arn\n")),
            None => kms("              KMSMasterKeyID: alias/aws/s3\n"),
        },
        4 => match key {
            Some(k) => kms(&format!("              KMSMasterKeyID: !Ref {k}\n")),
            None => kms("              KMSMasterKeyID: arn:aws:kms:eu-west-1:111122223333:key/abc\n"),
        },
        5 => kms(&format!("              KMSMasterKeyID: alias/a-{key_name}\n")),
        6 => kms("              KMSMasterKeyID: !Ref KeyParam\n"),
        7 => "    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n".to_string(),
        8 => "    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: false\n".to_string(),
        9 => "    Type: AWS::KMS::Key\n".to_string(),
        10 => "    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: !Ref RotateParam\n".to_string(),
        11 => match key {
            Some(k) => format!(
                "    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: alias/a-{k}\n      TargetKeyId: !Ref {k}\n"
            ),
            None => "    Type: AWS::KMS::Alias\n    Properties:\n      AliasName: alias/orphan\n      TargetKeyId: arn:aws:kms:eu-west-1:111122223333:key/abc\n".to_string(),
        },
        12 => {
            let b = match bucket {
                Some(b) => format!("!Ref {b}"),
                None => "some-other-bucket".to_string(),
            };
            format!(
                "    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: {b}\n      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Deny\n            Principal: \"*\"\n            Action: \"s3:*\"\n            Resource: \"*\"\n            Condition:\n              Bool:\n                aws:SecureTransport: \"false\"\n"
            )
        }
        13 => "    Type: AWS::KMS::Key\n    Properties:\n      KeySpec: RSA_2048\n      KeyUsage: SIGN_VERIFY\n".to_string(),
        _ => kms(&format!(
            "                SSEAlgorithm: aws:kms:dsse\n              KMSMasterKeyID: !Sub \"arn:${{AWS::Partition}}:kms:${{AWS::Region}}:${{AWS::AccountId}}:alias/a-{key_name}\"\n"
        ))
        .replace("              SSEAlgorithm: aws:kms\n                SSEAlgorithm", "              SSEAlgorithm"),
    };
    format!("  {name}:\n{body}")
}

/// Resources as (kind, pick): `pick` chooses the key or bucket referred to.
fn estate() -> impl Strategy<Value = (Vec<(u8, usize)>, Vec<usize>)> {
    prop::collection::vec((0..SNIPPETS, any::<usize>()), 1..14).prop_flat_map(|rs| {
        let order: Vec<usize> = (0..rs.len()).collect();
        (Just(rs), Just(order).prop_shuffle())
    })
}

fn template(resources: &[(u8, usize)], order: &[usize]) -> String {
    let names: Vec<String> = (0..resources.len()).map(|i| format!("Res{i}")).collect();
    let keys: Vec<&str> = resources
        .iter()
        .zip(&names)
        .filter(|((k, _), _)| is_key(*k))
        .map(|(_, n)| n.as_str())
        .collect();
    let buckets: Vec<&str> = resources
        .iter()
        .zip(&names)
        .filter(|((k, _), _)| is_bucket(*k))
        .map(|(_, n)| n.as_str())
        .collect();
    let mut text = String::from(
        "AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  KeyParam:\n    Type: String\n  RotateParam:\n    Type: String\nResources:\n",
    );
    for &i in order {
        let (kind, pick) = resources[i];
        let key = (!keys.is_empty()).then(|| keys[pick % keys.len()]);
        let bucket = (!buckets.is_empty()).then(|| buckets[pick % buckets.len()]);
        text.push_str(&snippet(kind, &names[i], key, bucket));
    }
    text
}

type Judgement = (String, String, String, String);

fn judgements(text: &str) -> (Vec<Judgement>, usize) {
    let loaded = load_texts(&[("t.yaml", text)]);
    let findings = phiguard_rules::run(
        &loaded.inventory,
        &Config::default(),
        &RunOptions::default(),
    );
    let mut out: Vec<Judgement> = findings
        .into_iter()
        .map(|f| {
            (
                f.rule.to_string(),
                f.subject.map(|s| s.name).unwrap_or_else(|| "estate".into()),
                f.outcome.name().to_string(),
                f.message,
            )
        })
        .collect();
    out.sort();
    (out, loaded.errors.len())
}

proptest! {
    #![proptest_config(PropConfig { cases: 256, ..PropConfig::default() })]

    #[test]
    fn findings_do_not_depend_on_resource_order((resources, order) in estate()) {
        let identity: Vec<usize> = (0..resources.len()).collect();
        let in_order = template(&resources, &identity);
        let shuffled = template(&resources, &order);
        let (a, errors_a) = judgements(&in_order);
        let (b, errors_b) = judgements(&shuffled);
        prop_assert_eq!(errors_a, 0, "input errors in\n{}", in_order);
        prop_assert_eq!(errors_b, 0, "input errors in\n{}", shuffled);
        // ENC-2 judges every bucket: the comparison is not vacuous.
        let buckets = resources.iter().filter(|(k, _)| is_bucket(*k)).count();
        prop_assert!(
            a.iter().filter(|j| j.0 == "ENC-2").count() >= buckets,
            "a bucket without an ENC-2 finding in\n{}",
            in_order
        );
        prop_assert_eq!(a, b, "\n{}\n---\n{}", in_order, shuffled);
    }
}

#[test]
fn the_snippets_are_valid_templates() {
    // Every snippet alone and with a partner loads without input errors.
    for kind in 0..SNIPPETS {
        let text = template(&[(kind, 0), (7, 0), (0, 0)], &[0, 1, 2]);
        let loaded = load_texts(&[("t.yaml", &text)]);
        assert!(loaded.errors.is_empty(), "{:?}\n{text}", loaded.errors);
        assert_eq!(loaded.templates.len(), 1, "{text}");
    }
}

#[test]
fn the_structure_generators_reach_the_collector() {
    // Not vacuous: many generated documents are templates with resources.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = template_node();
    let (mut yaml, mut json_ok, mut resources) = (0, 0, 0);
    for i in 0..200 {
        let n = strategy.new_tree(&mut runner).unwrap().current();
        let mut text = String::new();
        if i % 2 == 0 {
            block(&n, 0, &mut text);
        } else {
            flow(&n, &mut text);
        }
        let loaded = load_texts(&[("t.yaml", &text)]);
        yaml += loaded.templates.len();
        resources += loaded.inventory.metas.len();
        let mut text = String::new();
        json(&n, &mut text);
        json_ok += load_texts(&[("t.json", &text)]).templates.len();
    }
    eprintln!("templates: yaml {yaml}/200, json {json_ok}/200; resources {resources}");
    assert!(
        yaml >= 50,
        "only {yaml} of 200 YAML documents were templates"
    );
    assert!(
        json_ok >= 50,
        "only {json_ok} of 200 JSON documents were templates"
    );
    assert!(resources >= 100, "only {resources} resources collected");
}

// ---------------------------------------------------------------------------
// Reference cycles: found wherever they are, reported as input errors, and
// never a stack overflow.

/// How element `i` of a group of four refers to the others: `None` for a
/// literal, `Some(j)` for a reference to element `j` (itself when `j == i`).
type Links = Vec<Option<usize>>;

fn links() -> impl Strategy<Value = Links> {
    prop::collection::vec(prop::option::weighted(0.6, 0..4usize), 4)
}

/// Does following `links` from some element come back to it?
fn has_cycle(links: &[Option<usize>]) -> bool {
    (0..links.len()).any(|start| {
        let mut at = start;
        for _ in 0..links.len() {
            match links[at] {
                Some(next) if next == start => return true,
                Some(next) => at = next,
                None => return false,
            }
        }
        false
    })
}

/// A template whose parameters, mappings, conditions, resources (through
/// Ref, GetAtt, Sub or DependsOn) and exports refer to each other as `links`
/// say, each group in its own way.
fn cyclic_template(
    params: &[Option<usize>],
    maps: &[Option<usize>],
    conds: &[Option<usize>],
    res: &[Option<usize>],
    exports: &[Option<usize>],
    how: &[u8],
) -> String {
    let mut t = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n");
    for (i, l) in params.iter().enumerate() {
        let d = match (l, how[i] % 2) {
            (None, _) => "plain".to_string(),
            (Some(j), 0) => format!("!Ref P{j}"),
            (Some(j), _) => format!("!Sub \"x-${{P{j}}}\""),
        };
        t += &format!("  P{i}:\n    Type: String\n    Default: {d}\n");
    }
    t += "Mappings:\n  M:\n    k:\n";
    for (i, l) in maps.iter().enumerate() {
        let v = match l {
            None => "plain".to_string(),
            Some(j) => format!("!FindInMap [M, k, v{j}]"),
        };
        t += &format!("      v{i}: {v}\n");
    }
    t += "Conditions:\n";
    for (i, l) in conds.iter().enumerate() {
        let c = match (l, how[i] % 3) {
            (None, _) => "!Equals [a, b]".to_string(),
            (Some(j), 0) => format!("!Condition C{j}"),
            (Some(j), 1) => format!("!Not [!Condition C{j}]"),
            (Some(j), _) => format!("!Or [!Equals [a, b], !Condition C{j}]"),
        };
        t += &format!("  C{i}: {c}\n");
    }
    t += "Resources:\n";
    for (i, l) in res.iter().enumerate() {
        t += &format!("  R{i}:\n    Type: AWS::SQS::Queue\n");
        match (l, how[i] % 4) {
            (None, _) => t += "    Properties:\n      QueueName: !Ref P0\n",
            (Some(j), 0) => t += &format!("    Properties:\n      QueueName: !Ref R{j}\n"),
            (Some(j), 1) => {
                t += &format!("    Properties:\n      QueueName: !GetAtt R{j}.QueueName\n")
            }
            (Some(j), 2) => {
                t += &format!("    Properties:\n      QueueName: !Sub \"${{R{j}.Arn}}-q\"\n")
            }
            (Some(j), _) => t += &format!("    DependsOn: [R{j}]\n"),
        }
    }
    t += "Outputs:\n";
    for (i, l) in exports.iter().enumerate() {
        let v = match l {
            None => "!FindInMap [M, k, v0]".to_string(),
            Some(j) => format!("!ImportValue E{j}"),
        };
        t += &format!("  O{i}:\n    Value: {v}\n    Export:\n      Name: E{i}\n");
    }
    t
}

proptest! {
    #![proptest_config(PropConfig { cases: 256, ..PropConfig::default() })]

    #[test]
    fn reference_cycles_are_input_errors(
        params in links(), maps in links(), conds in links(), res in links(),
        exports in links(), how in prop::collection::vec(any::<u8>(), 4),
    ) {
        let text = cyclic_template(&params, &maps, &conds, &res, &exports, &how);
        let loaded = load_texts(&[("t.yaml", &text), ("other.yaml", SQS_WITH_KEY)]);
        let said = |needle: &str| loaded.errors.iter().any(|e| e.message.contains(needle) && e.line > 0 && e.file == "t.yaml");
        prop_assert_eq!(has_cycle(&params), said("→ parameter P"), "{}\n{:?}", text, loaded.errors);
        prop_assert_eq!(has_cycle(&maps), said("→ mapping M.k."), "{}\n{:?}", text, loaded.errors);
        prop_assert_eq!(has_cycle(&conds), said("→ condition C"), "{}\n{:?}", text, loaded.errors);
        prop_assert_eq!(has_cycle(&res), said("circular dependency between resources"), "{}\n{:?}", text, loaded.errors);
        prop_assert_eq!(has_cycle(&exports), said("imports itself"), "{}\n{:?}", text, loaded.errors);
        // The other file of the run is judged, whatever this one holds.
        prop_assert!(loaded.errors.iter().all(|e| e.file == "t.yaml"));
        prop_assert_eq!(loaded.inventory.kms_keys.len(), 1);
        let _ = phiguard_rules::run(&loaded.inventory, &Config::default(), &RunOptions::default());
    }
}

const SQS_WITH_KEY: &str =
    "Resources:\n  K:\n    Type: AWS::KMS::Key\n    Properties:\n      EnableKeyRotation: true\n";

#[test]
fn a_long_chain_of_references_is_refused_not_a_stack_overflow() {
    // Parameter defaults that refer to the next, 10,000 deep: no cycle, but
    // deeper than any template needs. Run on a small stack, as test threads are.
    let mut text = String::from("Parameters:\n");
    for i in 0..10_000 {
        text += &format!("  P{i}:\n    Type: String\n    Default: !Ref P{}\n", i + 1);
    }
    text += "  P10000:\n    Type: String\n    Default: end\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref P0\n";
    let loaded = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || load_texts(&[("deep.yaml", &text)]).errors)
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert!(
        loaded
            .iter()
            .any(|e| e.message.contains("references nest deeper than 64 levels")),
        "{loaded:?}"
    );
}

// ---------------------------------------------------------------------------
// Wrong types at every position.

/// Every path into `v`, depth first.
fn paths(v: &serde_json::Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                at.push(k.clone());
                paths(x, at, out);
                at.pop();
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                at.push(i.to_string());
                paths(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn replace(v: &mut serde_json::Value, path: &[String], with: serde_json::Value) {
    let mut at = v;
    for p in path {
        at = match at {
            serde_json::Value::Object(m) => m.get_mut(p).unwrap(),
            serde_json::Value::Array(a) => &mut a[p.parse::<usize>().unwrap()],
            _ => unreachable!(),
        };
    }
    *at = with;
}

fn wrong_types() -> Vec<serde_json::Value> {
    use serde_json::json;
    vec![
        json!(7),
        json!("x"),
        json!(true),
        json!(null),
        json!([1]),
        json!({"k": 1}),
    ]
}

/// The plan's fields phiguard reads for their structure, and the types they
/// may have (by `serde_json::Value` variant name).
fn structural(path: &[String]) -> Option<&'static [&'static str]> {
    let p: Vec<&str> = path
        .iter()
        .map(|s| {
            if s.parse::<usize>().is_ok() {
                "#"
            } else {
                s.as_str()
            }
        })
        .collect();
    Some(match p.as_slice() {
        ["planned_values"] | ["configuration"] => &["object"],
        ["planned_values", "root_module"] | ["configuration", "root_module"] => &["object"],
        ["resource_changes"] | ["planned_values", "root_module", "resources"] => &["array"],
        ["resource_changes", "#"] | ["resource_changes", "#", "change"] => &["object"],
        ["resource_changes", "#", "change", "after"] => &["object", "null"],
        ["resource_changes", "#", "change", "actions"] => &["array"],
        ["planned_values", "root_module", "resources", "#"] => &["object"],
        ["planned_values", "root_module", "resources", "#", "values"] => &["object", "null"],
        _ => return None,
    })
}

fn variant(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

#[test]
fn a_plan_with_a_wrong_type_at_any_position_never_panics_and_structure_is_checked() {
    let plan = serde_json::json!({
        "format_version": "1.2", "terraform_version": "1.7.5",
        "planned_values": {"root_module": {"resources": [
            {"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k",
             "values": {"enable_key_rotation": true, "tags": {"a": "b"}}}]}},
        "resource_changes": [{"address": "aws_kms_key.k", "change": {"actions": ["create"],
            "after": {"enable_key_rotation": true}, "after_unknown": {"arn": true}}}],
        "configuration": {"root_module": {"resources": [{"address": "aws_kms_key.k",
            "mode": "managed", "type": "aws_kms_key", "name": "k",
            "expressions": {"enable_key_rotation": {"constant_value": true}}}]}}
    });
    let other = ("other.yaml", SQS_WITH_KEY);
    let mut all = Vec::new();
    paths(&plan, &mut Vec::new(), &mut all);
    let mut checked = 0;
    for path in all.iter().filter(|p| !p.is_empty()) {
        for w in wrong_types() {
            let mut p = plan.clone();
            replace(&mut p, path, w.clone());
            let text = serde_json::to_string_pretty(&p).unwrap();
            let loaded = load_texts(&[("plan.json", &text), other]);
            let _ = phiguard_rules::run(
                &loaded.inventory,
                &Config::default(),
                &RunOptions::default(),
            );
            // The other file is judged whatever this one holds.
            assert!(
                loaded
                    .inventory
                    .kms_keys
                    .iter()
                    .any(|k| loaded.inventory.meta(k.rid).name == "K"),
                "{path:?}"
            );
            if let Some(ok) = structural(path) {
                if !ok.contains(&variant(&w)) {
                    checked += 1;
                    assert!(
                        loaded
                            .errors
                            .iter()
                            .any(|e| e.file == "plan.json" && e.line > 0),
                        "{path:?} = {w}: no input error"
                    );
                }
            }
        }
    }
    assert!(checked > 40, "{checked}");
}

#[test]
fn a_template_with_a_wrong_type_at_any_position_never_panics() {
    let template = serde_json::json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"P": {"Type": "String", "Default": "x"}},
        "Mappings": {"M": {"k": {"v": "aws:kms"}}},
        "Conditions": {"C": {"Fn::Equals": [{"Ref": "P"}, "x"]}},
        "Resources": {
            "K": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": true}},
            "B": {"Type": "AWS::S3::Bucket", "Condition": "C", "DependsOn": ["K"], "Properties": {
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {
                    "SSEAlgorithm": {"Fn::FindInMap": ["M", "k", "v"]},
                    "KMSMasterKeyID": {"Fn::GetAtt": ["K", "Arn"]}}}]},
                "BucketName": {"Fn::Sub": ["${P}-${K}", {"X": {"Ref": "P"}}]},
                "Tags": [{"Key": "a", "Value": {"Fn::If": ["C", "y", {"Ref": "AWS::NoValue"}]}}]}}
        },
        "Outputs": {"O": {"Value": {"Fn::Join": ["-", [{"Ref": "K"}, {"Fn::ImportValue": "E"}]]},
            "Export": {"Name": "E2"}}}
    });
    let mut all = Vec::new();
    paths(&template, &mut Vec::new(), &mut all);
    for path in all.iter().filter(|p| !p.is_empty()) {
        for w in wrong_types() {
            let mut t = template.clone();
            replace(&mut t, path, w.clone());
            let text = serde_json::to_string_pretty(&t).unwrap();
            let loaded = load_texts(&[("t.json", &text), ("other.yaml", SQS_WITH_KEY)]);
            let _ = phiguard_rules::run(
                &loaded.inventory,
                &Config::default(),
                &RunOptions::default(),
            );
            assert!(loaded.errors.iter().all(|e| e.file == "t.json"), "{path:?}");
        }
    }
}
