use crate::util::credentials::{has_access_key_id, is_flag, is_reference, secret_name};
use crate::{Cx, declare_rule};
use phiguard_model::{Credential, Rid, Val};
use std::collections::BTreeMap;

declare_rule! {
    /// ### What it checks
    /// The code holds no literal credentials:
    /// - no database master password written as a literal (`MasterUserPassword`, `password`);
    /// - no template parameter whose name says it holds a credential
    ///   (password, secret, token, API key) without `NoEcho: true`, or with a
    ///   literal `Default`;
    /// - no Lambda or ECS environment variable holding an AWS access key id
    ///   (`AKIA...`/`ASIA...`), or a literal value under a credential-like name
    ///   (`DB_PASSWORD`, `API_KEY`, `GITHUB_TOKEN`). Dynamic references
    ///   (`{{resolve:...}}`) and ARNs are pointers, not credentials.
    ///
    /// Clean databases and functions get a pass finding, so the report shows
    /// what was checked. Messages never repeat the value.
    ///
    /// ### Why
    /// Code is copied into repositories, CI logs, artifacts and change sets,
    /// where anyone with read access to the code can read a credential to PHI.
    /// Environment variables are shown in clear text in the Lambda and ECS consoles.
    ///
    /// ### Sources
    /// - Terraform: `password` and `master_password` attributes, Lambda
    ///   `environment.variables`, ECS `container_definitions` environment.
    /// - CloudFormation: `MasterUserPassword`, `Parameters` (`NoEcho`, `Default`),
    ///   `AWS::Lambda::Function.Environment.Variables`,
    ///   `AWS::ECS::TaskDefinition.ContainerDefinitions[].Environment`.
    pub static RULE = {
        id: "SEC-5",
        control: SecretManagement,
        severity: High,
        sources: [Terraform, CloudFormation],
        reads: [Databases, Workloads],
        scope: Resource,
        title: "The code holds no literal credentials",
        remediation: "Move the credential to Secrets Manager and reference it (ManageMasterUserPassword, {{resolve:secretsmanager:...}}, ECS secrets valueFrom); mark credential parameters NoEcho: true without a Default.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for db in &cx.inv.databases {
        match &db.master_password {
            Val::Known(Credential::Literal) => cx.fail(
                db.rid,
                "the master password is written in the code as a literal value",
            ),
            Val::Known(Credential::Absent) | Val::Unknown(_) => {}
            Val::Known(c) => {
                let how = match c {
                    Credential::Managed => "managed by Secrets Manager".to_string(),
                    Credential::SecretReference(_) => "a dynamic reference".to_string(),
                    Credential::Parameter { name, .. } => format!("the parameter {name}"),
                    _ => "not a literal".to_string(),
                };
                cx.pass(
                    db.rid,
                    format!("the master password is not a literal in the code ({how})"),
                )
            }
        }
    }

    // Environment variables, gathered per function or task definition.
    let mut env: BTreeMap<Rid, (usize, Vec<String>)> = BTreeMap::new();
    for v in &cx.inv.code_values {
        if v.place == "Parameter" {
            if !secret_name(&v.name) {
                continue;
            }
            let mut bad = Vec::new();
            if v.no_echo != Some(true) {
                bad.push("is not NoEcho".to_string());
            }
            if let Some(d) = v
                .literal
                .as_deref()
                .filter(|d| !d.is_empty() && !is_reference(d))
            {
                bad.push(format!(
                    "has a literal Default value ({} characters)",
                    d.chars().count()
                ));
            }
            if bad.is_empty() {
                cx.pass(
                    v.rid,
                    format!(
                        "the credential parameter {} is NoEcho and has no literal default",
                        v.name
                    ),
                );
            } else {
                cx.fail(
                    v.rid,
                    format!("the credential parameter {} {}", v.name, bad.join(" and ")),
                );
            }
        } else if v.place == "Environment" {
            let e = env.entry(v.rid).or_default();
            e.0 += 1;
            let Some(val) = v.literal.as_deref() else {
                continue;
            };
            if has_access_key_id(val) {
                e.1.push(format!("{} holds an AWS access key id", v.name));
            } else if secret_name(&v.name)
                && !val.trim().is_empty()
                && !is_reference(val)
                && !is_flag(val)
            {
                e.1.push(format!(
                    "{} holds a literal value ({} characters)",
                    v.name,
                    val.chars().count()
                ));
            }
        }
    }
    for (rid, (n, bad)) in env {
        if bad.is_empty() {
            cx.pass(
                rid,
                format!("none of its {n} environment variables holds a literal credential"),
            );
        } else {
            cx.fail(
                rid,
                format!(
                    "environment variable {}",
                    bad.join("; environment variable ")
                ),
            );
        }
    }
}
