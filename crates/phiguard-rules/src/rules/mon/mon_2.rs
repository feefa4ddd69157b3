use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every Security Hub hub is enabled with a CIS AWS Foundations Benchmark
    /// standard (any version). With no hub at all, the estate fails when it is
    /// complete (`--complete`, or live).
    ///
    /// ### Why
    /// Security Hub with the CIS benchmark continuously evaluates the accounts
    /// that hold PHI against a recognised baseline, which is the evidence of
    /// ongoing review that HIPAA's evaluation standard asks for.
    ///
    /// ### Sources
    /// - Live: `securityhub:DescribeHub`, `GetEnabledStandards`.
    /// - Terraform: `aws_securityhub_account` (`enable_default_standards`), `aws_securityhub_standards_subscription`.
    /// - CloudFormation: `AWS::SecurityHub::Hub` (`EnableDefaultStandards`, default
    ///   `true`, turns on CIS v1.2.0 and AWS Foundational Security Best Practices),
    ///   joined with the `AWS::SecurityHub::Standard` resources of its account and region.
    pub static RULE = {
        id: "MON-2",
        control: Monitoring,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [SecurityHub],
        scope: Estate,
        title: "Security Hub is enabled with the CIS AWS Foundations Benchmark",
        remediation: "Enable Security Hub in every account and approved region, and enable the CIS AWS Foundations Benchmark standard (AWS::SecurityHub::Standard with the CIS standard ARN).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    if cx.inv.security_hubs.is_empty() {
        cx.absent("no Security Hub hub is in the estate");
        return;
    }
    for h in &cx.inv.security_hubs {
        match (&h.enabled, &h.standards) {
            (Val::Known(false), _) => cx.fail(h.rid, "Security Hub is not enabled"),
            (Val::Unknown(r), _) | (_, Val::Unknown(r)) => cx.unknown(h.rid, r.clone()),
            (Val::Known(true), Val::Known(s)) => cx.judge(
                h.rid,
                Val::Known(
                    s.iter()
                        .any(|a| a.contains("cis-aws-foundations-benchmark")),
                ),
                "Security Hub is enabled with the CIS AWS Foundations Benchmark",
                "Security Hub is enabled without the CIS AWS Foundations Benchmark standard",
            ),
        }
    }
}
