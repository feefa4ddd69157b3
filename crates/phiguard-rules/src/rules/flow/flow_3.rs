use crate::util::keys::judge_cmk;
use crate::{Cx, declare_rule};
use phiguard_model::{BucketSse, Link, Val};

declare_rule! {
    /// ### What it checks
    /// Every flow log delivers to a destination encrypted with a
    /// customer-managed KMS key: a CloudWatch Logs log group with a
    /// customer-managed `KmsKeyId`, or an S3 bucket whose default encryption
    /// is SSE-KMS under a customer-managed key.
    ///
    /// ### Why
    /// Flow logs reveal the network layout and who talks to the systems that
    /// hold PHI; their store deserves the same key control as the PHI itself.
    ///
    /// ### Sources
    /// - Live: `logs:DescribeLogGroups` (`kmsKeyId`); `s3:GetBucketEncryption` for bucket destinations.
    /// - Terraform: `aws_flow_log.log_destination` joined to `aws_cloudwatch_log_group.kms_key_id`
    ///   or the bucket's encryption configuration.
    /// - CloudFormation: `AWS::EC2::FlowLog` (`LogDestinationType` default `cloud-watch-logs`,
    ///   `LogGroupName` or `LogDestination`) joined to `AWS::Logs::LogGroup.KmsKeyId` or
    ///   `AWS::S3::Bucket.BucketEncryption`.
    ///
    /// A destination outside the estate, or a Kinesis Data Firehose stream, is unknown.
    pub static RULE = {
        id: "FLOW-3",
        control: NetworkVisibility,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [FlowLogs, LogGroups, Buckets, KmsKeys],
        scope: Resource,
        title: "Flow log destinations are encrypted with a customer-managed key",
        remediation: "Set KmsKeyId on the destination log group (or SSE-KMS with a customer-managed key on the destination bucket).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for f in &cx.inv.flow_logs {
        let dtype = match &f.destination_type {
            Val::Known(t) => t.as_str(),
            Val::Unknown(r) => {
                cx.unknown(f.rid, r.clone());
                continue;
            }
        };
        let dest = match &f.destination {
            Val::Known(Link::Resource(rid)) => *rid,
            Val::Known(Link::External(s)) => {
                cx.unknown(
                    f.rid,
                    format!("the flow log delivers to {s}, which is not in the estate"),
                );
                continue;
            }
            Val::Unknown(r) => {
                cx.unknown(f.rid, r.clone());
                continue;
            }
        };
        let dname = cx.inv.meta(dest).name.clone();
        match dtype {
            "cloud-watch-logs" => match cx.inv.log_group(dest) {
                Some(g) => match &g.key {
                    Val::Known(Some(k)) => judge_cmk(
                        cx,
                        f.rid,
                        &format!("log group {dname}"),
                        &Val::Known(k.clone()),
                    ),
                    Val::Known(None) => cx.fail(
                        f.rid,
                        format!("log group {dname} has no KmsKeyId (not encrypted with a KMS key)"),
                    ),
                    Val::Unknown(r) => cx.unknown(f.rid, r.clone()),
                },
                None => cx.unknown(f.rid, format!("{dname} is not a log group of the estate")),
            },
            "s3" => match cx.inv.bucket(dest) {
                Some(b) => match &b.encryption {
                    Val::Known(BucketSse::Kms(k)) => {
                        judge_cmk(cx, f.rid, &format!("bucket {dname}"), k)
                    }
                    Val::Known(_) => cx.fail(
                        f.rid,
                        format!("bucket {dname} is not encrypted with SSE-KMS"),
                    ),
                    Val::Unknown(r) => cx.unknown(f.rid, r.clone()),
                },
                None => cx.unknown(f.rid, format!("{dname} is not a bucket of the estate")),
            },
            other => cx.unknown(
                f.rid,
                format!("the encryption of a {other} destination cannot be judged from the code"),
            ),
        }
    }
}
