//! Terraform rule fixtures: `fixtures/tf/<RULE>/<pass|fail>-<case>/` holds a
//! `plan.json` or `state.json` (`terraform show -json` output) and an `expect`
//! file whose lines are those of the CloudFormation fixture headers
//! (`expect: fail aws_s3_bucket.logs`), asserted the same way.

mod common;

use phiguard_iac::load_texts;
use phiguard_rules::registry;
use std::path::{Path, PathBuf};

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/tf")
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn check_case(rule_id: &str, dir: &Path) -> Result<(), String> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let expect = std::fs::read_to_string(dir.join("expect"))
        .map_err(|e| format!("{name}: no expect file: {e}"))?;
    let headers: Vec<(String, String)> = expect
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(common::header)
        .collect();
    let files: Vec<PathBuf> = sorted_entries(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    if files.is_empty() {
        return Err(format!("{name}: no plan.json or state.json"));
    }
    common::check_fixture(rule_id, &name, &files, &headers)
}

/// Every Terraform fixture of every rule.
#[test]
fn terraform_rule_fixtures() {
    let mut errors = Vec::new();
    let mut count = 0;
    for dir in sorted_entries(&fixtures_root()) {
        let rule_id = dir.file_name().unwrap().to_string_lossy().to_string();
        match registry::find(&rule_id) {
            None => {
                errors.push(format!("fixtures/tf/{rule_id}: no such rule"));
                continue;
            }
            Some(r) if !r.claims(phiguard_model::SourceKind::Terraform) => {
                errors.push(format!(
                    "fixtures/tf/{rule_id}: the rule does not claim Terraform"
                ));
                continue;
            }
            Some(_) => {}
        }
        for case in sorted_entries(&dir) {
            let n = case.file_name().unwrap().to_string_lossy().to_string();
            if !(n.starts_with("pass-") || n.starts_with("fail-")) || !case.is_dir() {
                errors.push(format!(
                    "{rule_id}/{n}: fixtures are directories named pass-* or fail-*"
                ));
                continue;
            }
            count += 1;
            if let Err(msg) = check_case(&rule_id, &case) {
                errors.push(format!("{rule_id}/{msg}"));
            }
        }
    }
    assert!(count >= 10, "only {count} Terraform fixtures found");
    assert!(
        errors.is_empty(),
        "{} fixture(s) failed:\n{}",
        errors.len(),
        errors.join("\n\n")
    );
}

const MINIMAL: &str = r#"{
  "format_version": "1.2",
  "terraform_version": "1.7.5",
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_kms_key.phi",
          "mode": "managed",
          "type": "aws_kms_key",
          "name": "phi",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "schema_version": 0,
          "values": {"enable_key_rotation": true},
          "sensitive_values": {}
        }
      ]
    }
  }
}
"#;

#[test]
fn a_plan_is_read_into_the_model() {
    let loaded = load_texts(&[("plan.json", MINIMAL)]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert_eq!(loaded.templates, vec!["plan.json".to_string()]);
    let inv = &loaded.inventory;
    assert_eq!(inv.units.len(), 1);
    assert_eq!(inv.units[0].source, phiguard_model::SourceKind::Terraform);
    assert_eq!(inv.metas[0].kind, "AWS::KMS::Key");
    assert_eq!(inv.metas[0].name, "aws_kms_key.phi");
    assert_eq!(
        inv.metas[0].origin,
        phiguard_model::Origin::Terraform {
            file: "plan.json".into(),
            address: "aws_kms_key.phi".into(),
            line: Some(8)
        }
    );
    assert!(inv.kms_keys[0].rotation_enabled.is_true());
}

#[test]
fn an_unsupported_format_version_is_an_input_error_at_its_position() {
    let text = MINIMAL.replace("\"1.2\"", "\"2.0\"");
    let loaded = load_texts(&[("plan.json", &text)]);
    assert_eq!(loaded.errors.len(), 1, "{:?}", loaded.errors);
    let e = &loaded.errors[0];
    assert_eq!((e.file.as_str(), e.line, e.column), ("plan.json", 2, 3));
    assert!(
        e.message.contains("format_version \"2.0\""),
        "{}",
        e.message
    );
    assert!(loaded.inventory.metas.is_empty());
}

#[test]
fn a_truncated_plan_is_an_input_error_with_serde_json_position() {
    let text = &MINIMAL[..MINIMAL.find("\"values\"").unwrap() + 12];
    let loaded = load_texts(&[("plan.json", text)]);
    assert_eq!(loaded.errors.len(), 1, "{:?}", loaded.errors);
    let e = &loaded.errors[0];
    let line = text.lines().count() as u32;
    assert_eq!(e.line, line, "{e}");
    assert!(e.column > 1, "{e}");
    assert!(
        e.to_string().starts_with(&format!("plan.json:{line}:")),
        "{e}"
    );
}

#[test]
fn json_that_is_no_plan_is_skipped() {
    let loaded = load_texts(&[(
        "package.json",
        r#"{"format_version": "1.0", "name": "x", "values": 3}"#,
    )]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert_eq!(loaded.skipped, vec!["package.json".to_string()]);
}

#[test]
fn a_state_with_values_of_the_wrong_type_is_malformed() {
    let loaded = load_texts(&[(
        "state.json",
        r#"{"format_version": "1.0", "terraform_version": "1.7.5", "values": 3}"#,
    )]);
    assert!(loaded.skipped.is_empty());
    let e: Vec<String> = loaded.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        e,
        [
            "state.json:1:57: state.json is not a valid Terraform plan or state: values must be an object, found a number"
        ]
    );
}

#[test]
fn a_change_of_the_wrong_type_is_an_input_error_and_the_rest_is_judged() {
    let text = r#"{"format_version": "1.2", "terraform_version": "1.7.5",
 "planned_values": {"root_module": {"resources": [
  {"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k", "values": {"enable_key_rotation": true}},
  {"address": "aws_ebs_volume.v", "mode": "managed", "type": "aws_ebs_volume", "name": "v", "values": {"encrypted": false}}]}},
 "resource_changes": [
  {"address": "aws_kms_key.k", "change": {"actions": ["create"], "after": {"enable_key_rotation": true}}},
  {"address": "aws_ebs_volume.v", "change": {"actions": ["create"], "after": 7}}]}"#;
    let loaded = load_texts(&[("plan.json", text)]);
    let e: Vec<String> = loaded.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        e,
        [
            "plan.json:7:69: malformed Terraform JSON: resource_changes[1].change.after (aws_ebs_volume.v) must be an object or null, found a number"
        ]
    );
    // The key is judged; the volume, whose change cannot be read, is not.
    assert_eq!(loaded.inventory.kms_keys.len(), 1);
    assert!(loaded.inventory.ebs_volumes.is_empty());
}

#[test]
fn sensitive_values_are_never_read_or_printed() {
    let text = r#"{
  "format_version": "1.2",
  "terraform_version": "1.7.5",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_s3_bucket.phi", "mode": "managed", "type": "aws_s3_bucket", "name": "phi",
     "values": {"bucket": "acme-phi"}, "sensitive_values": {}},
    {"address": "aws_s3_bucket_server_side_encryption_configuration.phi", "mode": "managed",
     "type": "aws_s3_bucket_server_side_encryption_configuration", "name": "phi",
     "values": {}, "sensitive_values": {}}
  ]}},
  "resource_changes": [
    {"address": "aws_s3_bucket_server_side_encryption_configuration.phi", "mode": "managed",
     "type": "aws_s3_bucket_server_side_encryption_configuration", "name": "phi",
     "change": {"actions": ["create"], "before": null,
       "after": {"bucket": "acme-phi", "rule": [{"apply_server_side_encryption_by_default": [
         {"sse_algorithm": "hunter2-secret", "kms_master_key_id": "hunter2-key"}]}]},
       "after_unknown": {"id": true},
       "after_sensitive": {"rule": [{"apply_server_side_encryption_by_default": [
         {"sse_algorithm": true, "kms_master_key_id": true}]}]}}}
  ]
}"#;
    let loaded = load_texts(&[("plan.json", text)]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let shown = format!("{:?}", loaded.inventory);
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(loaded.inventory.buckets[0].encryption.reason().is_some());
    let findings = phiguard_rules::run(
        &loaded.inventory,
        &Default::default(),
        &phiguard_rules::RunOptions {
            complete: false,
            today: "2026-01-01".into(),
            only: vec![],
            now_epoch: None,
        },
    );
    assert!(
        findings.iter().all(|f| !f.message.contains("hunter2")),
        "{findings:?}"
    );
}

/// No Terraform resource type is mapped by two modules.
#[test]
fn each_terraform_type_has_one_mapper() {
    let mut seen = std::collections::HashSet::new();
    for t in phiguard_iac::tf::map::modelled_types() {
        assert!(seen.insert(t), "{t} is mapped twice");
    }
}

/// A plan of one bucket with `after`, `after_unknown` and its configuration's
/// expressions, plus further resource changes.
fn bucket_plan(
    after: serde_json::Value,
    unknown: serde_json::Value,
    expressions: serde_json::Value,
    more_changes: Vec<serde_json::Value>,
) -> String {
    use serde_json::json;
    let mut changes = vec![json!({
        "address": "aws_s3_bucket.phi", "mode": "managed", "type": "aws_s3_bucket", "name": "phi",
        "change": {"actions": ["create"], "before": null, "after": after,
                   "after_unknown": unknown, "after_sensitive": {}}
    })];
    changes.extend(more_changes);
    json!({
        "format_version": "1.2",
        "terraform_version": "1.7.5",
        "planned_values": {"root_module": {"resources": [
            {"address": "aws_s3_bucket.phi", "mode": "managed", "type": "aws_s3_bucket", "name": "phi",
             "values": {}, "sensitive_values": {}}
        ]}},
        "resource_changes": changes,
        "configuration": {"root_module": {"resources": [
            {"address": "aws_s3_bucket.phi", "mode": "managed", "type": "aws_s3_bucket", "name": "phi",
             "expressions": expressions}
        ]}}
    })
    .to_string()
}

#[test]
fn an_inline_policy_known_only_after_apply_is_unknown_and_a_computed_one_is_none() {
    use serde_json::json;
    let set = bucket_plan(
        json!({"bucket": "acme-phi"}),
        json!({"policy": true, "versioning": true}),
        json!({"bucket": {"constant_value": "acme-phi"},
               "policy": {"references": ["data.aws_caller_identity.me.account_id", "data.aws_caller_identity.me"]}}),
        vec![],
    );
    let loaded = load_texts(&[("plan.json", &set)]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let b = &loaded.inventory.buckets[0];
    assert!(b.policy.reason().is_some(), "{:?}", b.policy);
    // `versioning` is computed and not configured: AWS's default, off.
    assert_eq!(b.versioning, phiguard_model::Val::Known(false));

    let computed = bucket_plan(
        json!({"bucket": "acme-phi"}),
        json!({"policy": true}),
        json!({"bucket": {"constant_value": "acme-phi"}}),
        vec![],
    );
    let loaded = load_texts(&[("plan.json", &computed)]);
    assert_eq!(
        loaded.inventory.buckets[0].policy,
        phiguard_model::Val::Known(None)
    );
}

#[test]
fn a_deposed_object_being_destroyed_does_not_hide_its_replacement() {
    use serde_json::json;
    let text = bucket_plan(
        json!({"bucket": "acme-phi", "object_lock_enabled": true}),
        json!({}),
        json!({"bucket": {"constant_value": "acme-phi"}, "object_lock_enabled": {"constant_value": true}}),
        vec![json!({
            "address": "aws_s3_bucket.phi", "deposed": "00000001", "mode": "managed",
            "type": "aws_s3_bucket", "name": "phi",
            "change": {"actions": ["delete"], "before": {"bucket": "acme-phi"}, "after": null,
                       "after_unknown": {}, "after_sensitive": false}
        })],
    );
    let loaded = load_texts(&[("plan.json", &text)]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert_eq!(loaded.inventory.buckets.len(), 1);
    assert!(loaded.inventory.buckets[0].object_lock.is_true());
}

/// Every rule that claims Terraform has pass and fail fixtures in each form
/// (plan, state, `.tf` source), except where the form cannot decide it; the
/// exceptions must really lack the fixture, so the list only shrinks.
#[test]
fn every_terraform_rule_has_pass_and_fail_fixtures_in_every_form() {
    // (rule, form, kind, why the form cannot give that outcome)
    const EXCEPTIONS: &[(&str, &str, &str, &str)] = &[
        (
            "SEC-4",
            "state",
            "fail",
            "a state keeps no configuration: a sensitive password may be a literal or a secret",
        ),
        (
            "SEC-5",
            "state",
            "fail",
            "a state keeps no configuration: literals cannot be told from references",
        ),
        (
            "BAK-2",
            "state",
            "pass",
            "a state does not record the provider's region",
        ),
        (
            "RET-1",
            "state",
            "pass",
            "a state does not record the provider's allowed_account_ids",
        ),
        (
            "RET-1",
            "source",
            "pass",
            "the .tf reader does not read allowed_account_ids yet",
        ),
    ];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let cases = |dir: std::path::PathBuf, file: &str| -> Vec<String> {
        std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .filter(|e| e.path().join(file).exists())
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut problems = Vec::new();
    for r in phiguard_rules::registry::RULES {
        if !r.claims(phiguard_model::SourceKind::Terraform) {
            continue;
        }
        for (form, names) in [
            // A plan case is a plan.json, or several plans of one estate.
            ("plan", {
                let mut v = cases(root.join("tf").join(r.id), "plan.json");
                v.extend(cases(root.join("tf").join(r.id), "logs.json"));
                v
            }),
            ("state", cases(root.join("tf").join(r.id), "state.json")),
            ("source", cases(root.join("tf-src").join(r.id), "main.tf")),
        ] {
            for kind in ["pass", "fail"] {
                let has = names.iter().any(|n| n.starts_with(kind));
                let excused = EXCEPTIONS
                    .iter()
                    .any(|(id, f, k, _)| *id == r.id && *f == form && *k == kind);
                match (has, excused) {
                    (false, false) => {
                        problems.push(format!("{} has no {kind} fixture in {form} form", r.id))
                    }
                    (true, true) => problems.push(format!(
                        "{} has a {kind} {form} fixture now: drop its exception",
                        r.id
                    )),
                    _ => {}
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
