//! Terraform source fixtures: `fixtures/tf-src/<RULE>/<pass|fail>-<case>/`
//! holds `.tf` files (one module, with its `.tfvars`) and an `expect` file
//! whose lines are those of the plan fixtures
//! (`expect: fail aws_s3_bucket.logs`), asserted the same way: source is judged by the same mappers and rules as plans.

mod common;

use phiguard_iac::load_texts;
use phiguard_model::Origin;
use phiguard_rules::registry;
use std::path::{Path, PathBuf};

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/tf-src")
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
    // The directory, as a user gives it: its modules (`.tf`, `.tf.json`,
    // `.tfvars`), the modules they call, and other configurations in
    // subdirectories.
    let (files, _) = phiguard_iac::discover(&[dir.to_path_buf()]);
    if !files.iter().any(|p| {
        let n = p.to_string_lossy();
        n.ends_with(".tf") || n.ends_with(".tf.json")
    }) {
        return Err(format!("{name}: no .tf file"));
    }
    common::check_fixture(rule_id, &name, &[dir.to_path_buf()], &headers)
}

/// Every Terraform source fixture of every rule.
#[test]
fn terraform_source_fixtures() {
    let mut errors = Vec::new();
    let mut count = 0;
    for dir in sorted_entries(&fixtures_root()) {
        let rule_id = dir.file_name().unwrap().to_string_lossy().to_string();
        match registry::find(&rule_id) {
            Some(r) if r.claims(phiguard_model::SourceKind::Terraform) => {}
            _ => {
                errors.push(format!(
                    "fixtures/tf-src/{rule_id}: no such rule claiming Terraform"
                ));
                continue;
            }
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
    assert!(count >= 8, "only {count} Terraform source fixtures found");
    assert!(
        errors.is_empty(),
        "{} fixture(s) failed:\n{}",
        errors.len(),
        errors.join("\n\n")
    );
}

#[test]
fn resources_point_to_their_block() {
    let main = "variable \"x\" {\n  default = 1\n}\n\nresource \"aws_kms_key\" \"phi\" {\n  enable_key_rotation = true\n}\n";
    let other = "\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"acme\"\n}\n";
    let loaded = load_texts(&[("m/main.tf", main), ("m/s3.tf", other)]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let inv = &loaded.inventory;
    assert_eq!(inv.units.len(), 1);
    let origin = |name: &str| {
        inv.metas
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.origin.clone())
            .unwrap()
    };
    assert_eq!(
        origin("aws_kms_key.phi"),
        Origin::Terraform {
            file: "m/main.tf".into(),
            address: "aws_kms_key.phi".into(),
            line: Some(5),
        }
    );
    assert_eq!(
        origin("aws_s3_bucket.b"),
        Origin::Terraform {
            file: "m/s3.tf".into(),
            address: "aws_s3_bucket.b".into(),
            line: Some(3),
        }
    );
}

#[test]
fn a_syntax_error_is_a_positioned_input_error() {
    let bad = "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = \n}\n";
    let good = "resource \"aws_kms_key\" \"ok\" {\n  enable_key_rotation = true\n}\n";
    let plan_dir = ("other/main.tf", good);
    let loaded = load_texts(&[("m/main.tf", bad), plan_dir]);
    assert_eq!(loaded.errors.len(), 1, "{:?}", loaded.errors);
    let e = &loaded.errors[0];
    assert_eq!(e.file, "m/main.tf");
    assert!(e.line >= 2 && e.column >= 1, "{e}");
    assert!(e.message.contains("not valid Terraform"), "{e}");
    // The other module is still read.
    assert!(
        loaded
            .inventory
            .metas
            .iter()
            .any(|m| m.name == "aws_kms_key.ok")
    );
    assert!(
        !loaded
            .inventory
            .metas
            .iter()
            .any(|m| m.name == "aws_kms_key.k")
    );
}

#[test]
fn the_provider_gives_region_and_default_tags() {
    let main = "resource \"aws_kms_key\" \"k\" {\n  tags = merge(local.t, { Name = \"k\" })\n}\nlocals {\n  t = { Team = var.team }\n}\nvariable \"team\" {\n  default = \"records\"\n}\n";
    let providers = "provider \"aws\" {\n  alias  = \"dr\"\n  region = \"us-west-2\"\n}\nprovider \"aws\" {\n  region = \"us-east-1\"\n  default_tags {\n    tags = { phi = \"true\" }\n  }\n}\n";
    let loaded = load_texts(&[("m/main.tf", main), ("m/providers.tf", providers)]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let inv = &loaded.inventory;
    assert_eq!(
        inv.units[0].region,
        phiguard_model::Val::Known("us-east-1".into())
    );
    let tags = match &inv.metas[0].tags {
        phiguard_model::Val::Known(t) => t.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(tags.get("phi").map(String::as_str), Some("true"));
    assert_eq!(tags.get("Team").map(String::as_str), Some("records"));
    assert_eq!(tags.get("Name").map(String::as_str), Some("k"));
}

#[test]
fn auto_loaded_variable_files_set_variables() {
    let main = "variable \"rotate\" {\n  type = bool\n}\nvariable \"other\" {\n  default = false\n}\nresource \"aws_kms_key\" \"a\" {\n  enable_key_rotation = var.rotate\n}\nresource \"aws_kms_key\" \"b\" {\n  enable_key_rotation = var.other\n}\n";
    let loaded = load_texts(&[
        ("m/main.tf", main),
        ("m/terraform.tfvars", "rotate = false\nother = true\n"),
        ("m/z.auto.tfvars", "rotate = true\n"),
        // Given only on the command line: not read.
        ("m/prod.tfvars", "other = false\n"),
    ]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let keys = &loaded.inventory.kms_keys;
    assert_eq!(keys.len(), 2);
    for k in keys {
        assert_eq!(k.rotation_enabled, phiguard_model::Val::Known(true));
    }
    // A directory of variable files only is no module.
    let loaded = load_texts(&[("v/terraform.tfvars", "x = 1\n")]);
    assert!(loaded.errors.is_empty() && loaded.inventory.units.is_empty());
}

#[test]
fn module_calls_that_cannot_be_read_are_noted() {
    let main = "module \"vpc\" {\n  source = \"./no-such-dir\"\n}\n\nmodule \"db\" {\n  source = \"terraform-aws-modules/rds/aws\"\n}\n";
    let loaded = load_texts(&[("m/main.tf", main)]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert_eq!(loaded.notes.len(), 2, "{:?}", loaded.notes);
    assert!(
        loaded.notes[0].starts_with("m/main.tf:1: module \"vpc\" (./no-such-dir) is not followed"),
        "{:?}",
        loaded.notes
    );
    assert!(loaded.notes[1].starts_with("m/main.tf:5: module \"db\""));
    assert!(loaded.notes[1].contains("terraform init"));
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn addresses(loaded: &phiguard_iac::Loaded) -> Vec<String> {
    let mut a: Vec<String> = loaded
        .inventory
        .metas
        .iter()
        .map(|m| m.name.clone())
        .collect();
    a.sort();
    a
}

#[test]
fn installed_modules_are_followed_from_modules_json() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        &[
            (
                "main.tf",
                "module \"logs\" {\n  source  = \"terraform-aws-modules/s3-bucket/aws\"\n  version = \"4.1.0\"\n  bucket  = \"logs\"\n}\n",
            ),
            (
                ".terraform/modules/modules.json",
                r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"logs","Source":"registry.terraform.io/terraform-aws-modules/s3-bucket/aws","Version":"4.1.0","Dir":".terraform/modules/logs"},{"Key":"logs.inner","Source":"./inner","Dir":".terraform/modules/logs/inner"}]}"#,
            ),
            (
                ".terraform/modules/logs/main.tf",
                "variable \"bucket\" {}\nresource \"aws_s3_bucket\" \"this\" {\n  bucket = var.bucket\n}\nmodule \"inner\" {\n  source = \"./inner\"\n  name   = \"${var.bucket}-inner\"\n}\n",
            ),
            (
                ".terraform/modules/logs/inner/main.tf",
                "variable \"name\" {}\nresource \"aws_sqs_queue\" \"q\" {\n  name = var.name\n}\n",
            ),
        ],
    );
    let loaded = phiguard_iac::load(&[d.path().to_path_buf()], &Default::default());
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert!(loaded.notes.is_empty(), "{:?}", loaded.notes);
    assert_eq!(
        addresses(&loaded),
        [
            "module.logs.aws_s3_bucket.this",
            "module.logs.module.inner.aws_sqs_queue.q"
        ]
    );
    let bucket = loaded
        .inventory
        .buckets
        .iter()
        .find(|b| loaded.inventory.meta(b.rid).name == "module.logs.aws_s3_bucket.this")
        .unwrap();
    match &loaded.inventory.meta(bucket.rid).origin {
        Origin::Terraform { file, line, .. } => {
            assert!(file.ends_with(".terraform/modules/logs/main.tf"), "{file}");
            assert_eq!(*line, Some(2));
        }
        o => panic!("{o:?}"),
    }
}

#[test]
fn count_and_for_each_instances_are_read_where_known() {
    let main = r#"
variable "names" {
  default = ["a", "b"]
}
resource "aws_s3_bucket" "counted" {
  count  = 2
  bucket = "counted-${count.index}"
}
resource "aws_s3_bucket" "each" {
  for_each = toset(var.names)
  bucket   = "each-${each.key}"
}
resource "aws_s3_bucket" "by_map" {
  for_each = { logs = "l", data = "d" }
  bucket   = each.value
}
resource "aws_s3_bucket" "unknowable" {
  count  = length(data.aws_availability_zones.all.names)
  bucket = "az"
}
"#;
    let loaded = load_texts(&[("m/main.tf", main)]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert_eq!(
        addresses(&loaded),
        [
            "aws_s3_bucket.by_map[\"data\"]",
            "aws_s3_bucket.by_map[\"logs\"]",
            "aws_s3_bucket.counted[0]",
            "aws_s3_bucket.counted[1]",
            "aws_s3_bucket.each[\"a\"]",
            "aws_s3_bucket.each[\"b\"]",
            "aws_s3_bucket.unknowable",
        ]
    );
}

#[test]
fn terraform_json_is_read_at_its_lines() {
    let json = r#"{
  "resource": {
    "aws_kms_key": {
      "phi": { "enable_key_rotation": true }
    },
    "aws_s3_bucket": {
      "data": {
        "bucket": "data",
        "tags": { "Name": "prod \"data\"" }
      }
    },
    "aws_s3_bucket_server_side_encryption_configuration": {
      "data": {
        "bucket": "${aws_s3_bucket.data.id}",
        "rule": {
          "apply_server_side_encryption_by_default": {
            "sse_algorithm": "aws:kms",
            "kms_master_key_id": "${aws_kms_key.phi.arn}"
          }
        }
      }
    }
  }
}
"#;
    let loaded = load_texts(&[("m/main.tf.json", json)]);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert_eq!(loaded.inventory.buckets.len(), 1);
    let b = &loaded.inventory.buckets[0];
    let meta = loaded.inventory.meta(b.rid);
    match &meta.origin {
        Origin::Terraform { file, line, .. } => {
            assert_eq!(file, "m/main.tf.json");
            assert_eq!(*line, Some(7));
        }
        o => panic!("{o:?}"),
    }
    assert_eq!(
        meta.tags
            .known()
            .and_then(|t| t.get("Name"))
            .map(String::as_str),
        Some("prod \"data\"")
    );
    let cfg = phiguard_rules::Config::default();
    let opts = phiguard_rules::RunOptions {
        only: vec!["ENC-2".into()],
        ..Default::default()
    };
    let f = phiguard_rules::run(&loaded.inventory, &cfg, &opts);
    assert!(
        f.iter().any(|f| f.outcome == phiguard_rules::Outcome::Pass),
        "{f:?}"
    );
}

#[test]
fn a_plan_with_its_source_is_judged_once_at_the_blocks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/equivalence/phi-bucket");
    let plan = std::fs::read_to_string(dir.join("plan.json")).unwrap();
    let main = std::fs::read_to_string(dir.join("main.tf")).unwrap();
    let both = load_texts(&[("m/plan.json", &plan), ("m/main.tf", &main)]);
    assert!(both.errors.is_empty(), "{:?}", both.errors);
    let plan_only = load_texts(&[("m/plan.json", &plan)]);
    let names = |l: &phiguard_iac::Loaded| {
        let mut v: Vec<String> = l.inventory.metas.iter().map(|m| m.name.clone()).collect();
        v.sort();
        v
    };
    // Judged once: the same resources as the plan alone.
    assert_eq!(names(&both), names(&plan_only));
    let line_of =
        |needle: &str| main.lines().position(|l| l.starts_with(needle)).unwrap() as u32 + 1;
    let origin = |name: &str| {
        both.inventory
            .metas
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.origin.clone())
            .unwrap()
    };
    assert_eq!(
        origin("aws_kms_key.phi"),
        Origin::Terraform {
            file: "m/main.tf".into(),
            address: "aws_kms_key.phi".into(),
            line: Some(line_of("resource \"aws_kms_key\" \"phi\"")),
        }
    );
    assert_eq!(
        origin("aws_s3_bucket.phi"),
        Origin::Terraform {
            file: "m/main.tf".into(),
            address: "aws_s3_bucket.phi".into(),
            line: Some(line_of("resource \"aws_s3_bucket\" \"phi\"")),
        }
    );
    // A plan from another directory keeps its own lines, and the source
    // there is judged on its own.
    let apart = load_texts(&[("p/plan.json", &plan), ("m/main.tf", &main)]);
    assert_eq!(
        apart.inventory.metas.len(),
        2 * plan_only.inventory.metas.len()
    );
    assert!(apart.inventory.metas.iter().any(|m| matches!(
        &m.origin,
        Origin::Terraform { file, .. } if file == "p/plan.json"
    )));
}
