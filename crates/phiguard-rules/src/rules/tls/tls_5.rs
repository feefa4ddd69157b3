use crate::{Cx, declare_rule};
use phiguard_model::{Effect, PolicyDoc, Statement, Val};

declare_rule! {
    /// ### What it checks
    /// Every S3 bucket in PHI scope has a bucket policy with a `Deny` for every
    /// principal (`Principal: "*"`) on S3 actions (`s3:*` or `*`) over the
    /// bucket's objects, under the condition `Bool` `aws:SecureTransport` =
    /// `false`. A bucket in scope with no policy fails; a bucket whose scope
    /// cannot be told (tags known only at deploy time) is unknown.
    ///
    /// ### Why
    /// S3 accepts plain HTTP requests unless the bucket policy refuses them;
    /// only such a Deny guarantees PHI never leaves the bucket unencrypted.
    ///
    /// ### Sources
    /// - Live: `s3:GetBucketPolicy`.
    /// - Terraform: `aws_s3_bucket_policy`, joined to its bucket.
    /// - CloudFormation: `AWS::S3::BucketPolicy.PolicyDocument`, joined to its bucket.
    pub static RULE = {
        id: "TLS-5",
        control: InTransitEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Buckets],
        scope: Resource,
        title: "S3 buckets in PHI scope deny requests without TLS",
        remediation: "Add a bucket policy statement: Effect Deny, Principal \"*\", Action s3:*, Resource the bucket and bucket/*, Condition Bool aws:SecureTransport \"false\".",
        check: check,
    }
}

/// A statement that refuses every non-TLS S3 request on the bucket's objects.
fn denies_plain_http(s: &Statement) -> bool {
    s.effect == Effect::Deny
        && s.principal_is_wildcard()
        && s.not_actions.is_empty()
        && s.covers_action("s3:*")
        && s.not_resources.is_empty()
        && (s.resources.is_empty() || s.resources.iter().any(|r| r == "*" || r.ends_with("/*")))
        && s.conditions.iter().any(|c| {
            let op = c.operator.to_ascii_lowercase();
            (op == "bool" || op == "boolifexists")
                && c.key.eq_ignore_ascii_case("aws:SecureTransport")
                && c.values.iter().any(|v| v.eq_ignore_ascii_case("false"))
        })
}

fn denies(doc: &PolicyDoc) -> bool {
    doc.statements.iter().any(denies_plain_http)
}

fn check(cx: &mut Cx) {
    for b in &cx.inv.buckets {
        if !cx.phi_scoped(b.rid) {
            continue;
        }
        match &b.policy {
            Val::Unknown(r) => cx.unknown(b.rid, r.clone()),
            Val::Known(None) => cx.fail(
                b.rid,
                "the bucket has no bucket policy, so requests over plain HTTP are allowed",
            ),
            Val::Known(Some(doc)) => cx.judge(
                b.rid,
                Val::Known(denies(doc)),
                "the bucket policy denies requests where aws:SecureTransport is false",
                "the bucket policy has no Deny for every principal on s3:* where aws:SecureTransport is false",
            ),
        }
    }
}
