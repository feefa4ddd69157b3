use crate::util::keys::judge_cmk;
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every CloudWatch Logs log group in PHI scope (tagged `phi=true` by
    /// default, or every log group with `phi_scope = "all"`) is encrypted
    /// with a customer-managed KMS key named by its `KmsKeyId`.
    ///
    /// ### Why
    /// Application logs of systems that handle PHI end up holding it:
    /// request bodies, identifiers, error dumps. Without a KMS key of the
    /// account, anyone with `logs:GetLogEvents` reads them; with a
    /// customer-managed key, the key policy must consent too, and every
    /// decrypt is in CloudTrail.
    ///
    /// ### Sources
    /// - Live: `logs:DescribeLogGroups` (`kmsKeyId`), `logs:ListTagsForResource` for PHI scope.
    /// - Terraform: `aws_cloudwatch_log_group` (`kms_key_id`, `tags`).
    /// - CloudFormation: `AWS::Logs::LogGroup` (`KmsKeyId`, `Tags`).
    ///
    /// Log groups outside PHI scope are not judged here. The destination log
    /// group of a flow log is judged by FLOW-3 on the flow log, whatever its
    /// scope; a flow-log group in PHI scope is judged by both, each on its
    /// own resource.
    ///
    /// ### Defaults assumed
    /// - Without `KmsKeyId`, CloudWatch Logs still encrypts the log data, with
    ///   keys of its own that the account cannot see, restrict or audit: not a
    ///   customer-managed key. Amazon CloudWatch Logs User Guide, "Encrypt log
    ///   data in CloudWatch Logs using AWS Key Management Service":
    ///   <https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html>.
    pub static RULE = {
        id: "ENC-12",
        control: AtRestEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [LogGroups, KmsKeys],
        scope: Resource,
        title: "CloudWatch Logs log groups in PHI scope are encrypted with a customer-managed KMS key",
        remediation: "Set KmsKeyId on the log group to the ARN of a customer-managed key whose key policy lets the logs.<region>.amazonaws.com service principal use it (aws logs associate-kms-key for an existing group; it applies to data ingested afterwards).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    for g in &inv.log_groups {
        if !cx.phi_scoped(g.rid) {
            continue;
        }
        match &g.key {
            Val::Unknown(r) => cx.unknown(g.rid, r.clone()),
            Val::Known(None) => cx.fail(
                g.rid,
                "the log group is in PHI scope and names no KMS key: CloudWatch Logs encrypts it with its own service keys, not a customer-managed key",
            ),
            Val::Known(Some(k)) => {
                judge_cmk(cx, g.rid, "the log group", &Val::Known(k.clone()))
            }
        }
    }
}
