use crate::{Cx, declare_rule};
use phiguard_model::{Credential, Val};

declare_rule! {
    /// ### What it checks
    /// The master password of every RDS DB instance and DB cluster is
    /// managed by Secrets Manager (`ManageMasterUserPassword`), not set in
    /// the code. A dynamic reference to a Secrets Manager secret passes with
    /// a note; a literal, a template parameter or an SSM SecureString fails.
    /// Instances that belong to a cluster take the master user from the
    /// cluster and are not judged.
    ///
    /// ### Why
    /// When RDS manages the master password in Secrets Manager, no person
    /// or pipeline ever sees it, and it rotates. A password passed in the
    /// code or a parameter ends up in deploy logs, shells and change sets.
    ///
    /// ### Sources
    /// - Live: `rds:DescribeDBInstances` / `DescribeDBClusters` (`MasterUserSecret`).
    /// - Terraform: `manage_master_user_password`, `password`.
    /// - CloudFormation: `ManageMasterUserPassword` (default `false`), `MasterUserPassword`.
    pub static RULE = {
        id: "SEC-4",
        control: SecretManagement,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Databases],
        scope: Resource,
        title: "RDS master passwords are managed by Secrets Manager",
        remediation: "Set ManageMasterUserPassword: true (manage_master_user_password = true) and remove MasterUserPassword.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for db in &cx.inv.databases {
        if db.cluster.is_some() {
            continue;
        }
        match &db.master_password {
            Val::Unknown(r) => cx.unknown(db.rid, r.clone()),
            Val::Known(Credential::Managed) => cx.pass(
                db.rid,
                "the master password is managed by Secrets Manager (ManageMasterUserPassword)",
            ),
            Val::Known(Credential::SecretReference(r)) if r.contains("resolve:secretsmanager") => {
                cx.pass(
                    db.rid,
                    "the master password is a dynamic reference to a Secrets Manager secret; \
                     note that RDS does not rotate it: the secret's own rotation (SEC-1) must, \
                     and ManageMasterUserPassword is preferred",
                )
            }
            Val::Known(Credential::SecretReference(_)) => cx.fail(
                db.rid,
                "the master password is read from an SSM SecureString, not managed by Secrets Manager",
            ),
            Val::Known(Credential::Literal) => cx.fail(
                db.rid,
                "the master password is a literal value in the code, not managed by Secrets Manager",
            ),
            Val::Known(Credential::Parameter { name, .. }) => cx.fail(
                db.rid,
                format!(
                    "the master password comes from the template parameter {name}, not managed by Secrets Manager"
                ),
            ),
            Val::Known(Credential::Absent) => cx.unknown(
                db.rid,
                "no master password is set in the code (a snapshot restore or a replica): \
                 whether Secrets Manager manages it is not known",
            ),
        }
    }
}
