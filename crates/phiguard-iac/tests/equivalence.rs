//! One scenario, every source: `fixtures/equivalence/<scenario>/` holds the
//! same resources as a CloudFormation template, a Terraform plan, the
//! Terraform source it was planned from (`main.tf`) and (where present) a
//! Terraform state, with `names` mapping logical ids to addresses.
//! Every rule that claims both sources must decide each resource the same way
//! from each of them.

use phiguard_iac::load;
use phiguard_model::SourceKind;
use phiguard_rules::{Config, Outcome, RunOptions, registry};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Verdicts = BTreeMap<(String, String), BTreeSet<Outcome>>;

fn verdicts(file: &Path, rename: &BTreeMap<String, String>) -> Verdicts {
    let loaded = load(&[file.to_path_buf()], &Default::default());
    assert!(
        loaded.errors.is_empty(),
        "{}: {:?}",
        file.display(),
        loaded.errors
    );
    assert_eq!(loaded.templates.len(), 1, "{} was not read", file.display());
    let opts = RunOptions {
        complete: false,
        today: "2026-01-01".into(),
        only: vec![],
        now_epoch: None,
    };
    let mut out: Verdicts = BTreeMap::new();
    for f in phiguard_rules::run(&loaded.inventory, &Config::default(), &opts) {
        let rule = registry::find(f.rule).unwrap();
        if !(rule.claims(SourceKind::CloudFormation) && rule.claims(SourceKind::Terraform)) {
            continue;
        }
        let name = match &f.subject {
            Some(s) => match rename.get(&s.name) {
                Some(n) => n.clone(),
                // Resources of one source only (a Terraform join resource,
                // a template parameter) have no counterpart to compare.
                None => continue,
            },
            None => "estate".to_string(),
        };
        out.entry((f.rule.to_string(), name))
            .or_default()
            .insert(f.outcome);
    }
    out
}

#[test]
fn the_same_scenario_is_judged_the_same_from_every_source() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/equivalence");
    let mut scenarios: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    scenarios.sort();
    assert!(!scenarios.is_empty());
    for dir in scenarios {
        let names = std::fs::read_to_string(dir.join("names")).unwrap();
        let mut to_common = BTreeMap::new();
        for l in names.lines().filter(|l| !l.trim().is_empty()) {
            let (cfn, tf) = l.split_once(' ').unwrap();
            to_common.insert(cfn.to_string(), cfn.to_string());
            to_common.insert(tf.trim().to_string(), cfn.to_string());
        }
        let cfn = verdicts(&dir.join("template.yaml"), &to_common);
        assert!(
            cfn.len() >= 3,
            "{}: too few verdicts to compare: {cfn:?}",
            dir.display()
        );
        for other in ["plan.json", "main.tf", "state.json"] {
            let p = dir.join(other);
            if !p.exists() {
                continue;
            }
            let tf = verdicts(&p, &to_common);
            assert_eq!(
                cfn,
                tf,
                "{}: CloudFormation and {other} disagree",
                dir.display()
            );
        }
    }
}
