use crate::util::keys::customer_managed;
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every trail has log file validation on and encrypts its log files with
    /// a customer-managed KMS key. Each trail is judged for its own integrity,
    /// as Security Hub's CloudTrail.2 and CloudTrail.4 do: an organization
    /// trail may carry the coverage (LOG-1, LOG-3), but the other trails of
    /// the estate still deliver logs someone relies on, so each gets a pass or
    /// a fail of its own.
    ///
    /// ### Why
    /// Validation digests prove to an auditor that no log file was altered or
    /// deleted after delivery; a customer-managed key makes reading the audit
    /// log need both S3 and KMS permissions, and every read shows in CloudTrail.
    ///
    /// ### Sources
    /// - Live: `cloudtrail:DescribeTrails` (`LogFileValidationEnabled`, `KmsKeyId`).
    /// - Terraform: `aws_cloudtrail` (`enable_log_file_validation`, `kms_key_id`).
    /// - CloudFormation: `AWS::CloudTrail::Trail` (`EnableLogFileValidation` default `false`,
    ///   `KMSKeyId`; without it the files get SSE-S3 only).
    pub static RULE = {
        id: "LOG-4",
        control: AuditTrails,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Trails, KmsKeys],
        scope: Resource,
        title: "Every trail validates log files and encrypts them with a customer-managed key",
        remediation: "Set EnableLogFileValidation: true and KMSKeyId to a customer-managed KMS key on the trail.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for t in &cx.inv.trails {
        let mut bad = Vec::new();
        let mut unknown = None;
        match &t.log_validation {
            Val::Known(true) => {}
            Val::Known(false) => bad.push("log file validation is off".to_string()),
            Val::Unknown(r) => unknown = Some(r.clone()),
        }
        let mut key_desc = String::new();
        match &t.key {
            Val::Known(None) => bad.push("the log files are not KMS-encrypted".to_string()),
            Val::Known(Some(k)) => {
                let (v, desc) = customer_managed(cx.inv, &Val::Known(k.clone()));
                match v {
                    Val::Known(true) => key_desc = desc,
                    Val::Known(false) => bad.push(format!(
                        "the log files are encrypted with {desc}, not a customer-managed key"
                    )),
                    Val::Unknown(r) => {
                        unknown.get_or_insert(r);
                    }
                }
            }
            Val::Unknown(r) => {
                unknown.get_or_insert(r.clone());
            }
        }
        if !bad.is_empty() {
            cx.fail(t.rid, bad.join("; "));
        } else if let Some(r) = unknown {
            cx.unknown(t.rid, r);
        } else {
            cx.pass(
                t.rid,
                format!(
                    "log file validation is on and the log files are encrypted with customer-managed {key_desc}"
                ),
            );
        }
    }
}
