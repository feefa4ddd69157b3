//! The shipped least-privilege policy and role template say exactly what the
//! collector may call, and all of it is a read.

use phiguard_aws::operations::{OPERATIONS, is_read, policy_json};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_shipped_policy_is_generated_from_the_operation_table() {
    let shipped =
        std::fs::read_to_string(root().join("policy/phiguard-audit-policy.json")).unwrap();
    assert_eq!(
        shipped,
        policy_json(),
        "policy/phiguard-audit-policy.json is stale: regenerate it with `phiguard audit --print-policy`"
    );
}

#[test]
fn every_action_is_a_read_and_nothing_reads_contents() {
    for (service, op, action) in OPERATIONS {
        assert!(
            is_read(action),
            "{service} {op} needs {action}, which is not a read"
        );
        for forbidden in [
            "GetSecretValue",
            "GetObject",
            "GetParameter",
            "Decrypt",
            "Put",
            "Create",
            "Delete",
            "Update",
        ] {
            assert!(
                !action
                    .split(':')
                    .nth(1)
                    .unwrap_or("")
                    .starts_with(forbidden),
                "{action} must not be in the audit policy"
            );
        }
    }
    assert!(!is_read("secretsmanager:GetSecretValue"));
    assert!(!is_read("s3:GetObject"));
    assert!(!is_read("s3:PutBucketPolicy"));
}

#[test]
fn the_role_template_grants_exactly_the_policy() {
    let tpl = std::fs::read_to_string(root().join("policy/phiguard-audit-role.yaml")).unwrap();
    let in_template: BTreeSet<String> = tpl
        .lines()
        .map(str::trim)
        .filter_map(|l| l.strip_prefix("- "))
        .filter(|a| a.contains(':') && !a.contains(' '))
        .map(str::to_string)
        .collect();
    let in_policy: BTreeSet<String> = OPERATIONS.iter().map(|(_, _, a)| a.to_string()).collect();
    assert_eq!(in_template, in_policy);
}
