use crate::util::account_bpa::{self, AccountBpa, off_settings};
use crate::util::exposure::describe_public;
use crate::{Cx, Severity, declare_rule};
use phiguard_model::{AclGrant, Bucket, ObjectOwnership, Origin, PublicAccessBlock, Val};

declare_rule! {
    /// ### What it checks
    /// No S3 bucket is public, and none is one policy change away from it.
    /// For each bucket:
    ///
    /// - **fail** (critical) when the bucket is public in effect: its bucket
    ///   policy allows everyone (`Principal: "*"` or `{"AWS": "*"}`, or a
    ///   `NotPrincipal`) with no condition that pins the caller's account,
    ///   organization, network or source, and `RestrictPublicBuckets` is off
    ///   both on the bucket and on the account; or its ACL grants access to
    ///   `AllUsers` (anyone) or `AuthenticatedUsers` (any AWS account: a
    ///   canned `public-read`, `public-read-write` or `authenticated-read`,
    ///   or such a grant), ACLs are enabled (Object Ownership is not
    ///   `BucketOwnerEnforced`), and `IgnorePublicAcls` is off on the bucket
    ///   and on the account;
    /// - **fail** (medium) when no policy or ACL grants public access in
    ///   effect today, but the bucket's own Block Public Access is off or
    ///   incomplete and
    ///   account-level Block Public Access is not known to be on with all
    ///   four settings: one `PutBucketPolicy` or `PutBucketAcl` makes it public;
    /// - **pass** otherwise. A public policy or ACL that Block Public Access
    ///   neutralises (on the bucket or the account) passes with a note
    ///   saying so, and so does a bucket whose own Block Public Access is
    ///   incomplete while the account's has all four settings on.
    ///
    /// S3 applies the most restrictive combination of the bucket's and the
    /// account's settings. Only `RestrictPublicBuckets` neutralises a public
    /// policy already in place and only `IgnorePublicAcls` (or ACLs disabled)
    /// a public ACL: `BlockPublicPolicy` and `BlockPublicAcls` refuse new
    /// ones and leave existing ones in effect
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PublicAccessBlockConfiguration.html>,
    /// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html>).
    ///
    /// ### Defaults assumed
    /// Since April 2023, S3 creates every new bucket with all four Block
    /// Public Access settings on and ACLs disabled (Object Ownership
    /// `BucketOwnerEnforced`), whether through the API, the SDKs or
    /// CloudFormation
    /// (<https://aws.amazon.com/blogs/aws/heads-up-amazon-s3-security-changes-are-coming-in-april-of-2023/>,
    /// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-new-bucket.html>).
    /// So in code, a bucket without `PublicAccessBlockConfiguration` (or an
    /// `aws_s3_bucket_public_access_block`) has all four settings on, and one
    /// without `OwnershipControls` (or `aws_s3_bucket_ownership_controls`)
    /// has ACLs disabled: a canned `PublicRead` there grants nothing (S3
    /// refuses it and the deploy fails). A configuration that is given
    /// leaves the settings it omits off, as the API does. Live, a bucket
    /// without a Block Public Access configuration has none, and one
    /// without ownership controls has ACLs enabled (`ObjectWriter`): buckets
    /// created before April 2023 may be such.
    ///
    /// Account-level Block Public Access is read live
    /// (`s3control:GetPublicAccessBlock`) and from Terraform's
    /// `aws_s3_account_public_access_block` for the bucket's account;
    /// CloudFormation cannot set it, so a template's bucket relies on its own.
    ///
    /// ### Why
    /// A public bucket is how most PHI leaks from AWS: anyone who finds the
    /// name can list and download it, without credentials and without a
    /// trace in the owner's IAM. Block Public Access is the brake that holds
    /// even when a policy or ACL is wrong.
    ///
    /// ### Sources
    /// - Live: `s3:GetPublicAccessBlock`, `s3:GetBucketPolicy`,
    ///   `s3:GetBucketAcl`, `s3:GetBucketOwnershipControls`, and the
    ///   account's `s3control:GetPublicAccessBlock`.
    /// - Terraform: `aws_s3_bucket` (`acl`, `grant`, `policy`) with
    ///   `aws_s3_bucket_public_access_block`, `aws_s3_bucket_policy`,
    ///   `aws_s3_bucket_acl`, `aws_s3_bucket_ownership_controls` and
    ///   `aws_s3_account_public_access_block`.
    /// - CloudFormation: `AWS::S3::Bucket` (`PublicAccessBlockConfiguration`,
    ///   `AccessControl`, `OwnershipControls`) with `AWS::S3::BucketPolicy`.
    pub static RULE = {
        id: "NET-4",
        control: NetworkIsolation,
        severity: Critical,
        sources: [Live, Terraform, CloudFormation],
        reads: [Buckets, AccountPublicAccessBlock],
        scope: Resource,
        title: "S3 buckets are not public",
        remediation: "Turn on all four Block Public Access settings on the bucket (PublicAccessBlockConfiguration, aws_s3_bucket_public_access_block) and on the account; remove Principal \"*\" statements that no condition bounds to your organization, and grants to AllUsers or AuthenticatedUsers (keep Object Ownership BucketOwnerEnforced).",
        check: check,
    }
}

/// Whether a setting is on for the bucket, from its own configuration or
/// the account's: where it is on, `None` when it is off.
fn setting(
    own: &Val<Option<PublicAccessBlock>>,
    acct: &AccountBpa,
    pick: fn(&PublicAccessBlock) -> bool,
) -> Val<Option<&'static str>> {
    match own {
        Val::Known(Some(b)) if pick(b) => return Val::Known(Some("the bucket's own")),
        _ if acct.on(pick) => return Val::Known(Some("account-level")),
        Val::Unknown(r) => return Val::Unknown(r.clone()),
        _ => {}
    }
    match acct {
        AccountBpa::Unknown(r) => Val::Unknown(r.clone()),
        _ => Val::Known(None),
    }
}

fn grants(g: &[AclGrant]) -> String {
    g.iter()
        .map(|g| {
            let who = match g.group.as_str() {
                "AllUsers" => "AllUsers (everyone)",
                "AuthenticatedUsers" => "AuthenticatedUsers (any AWS account)",
                other => other,
            };
            format!("{} to {who}", g.permission)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the bucket's own Block Public Access is, for messages.
fn own_state(own: &Option<PublicAccessBlock>) -> String {
    match own {
        None => "the bucket has no Block Public Access configuration".into(),
        Some(b) if b.all_on() => "its own Block Public Access is on with all four settings".into(),
        Some(b) => format!(
            "its own Block Public Access has {} off",
            off_settings(b).join(", ")
        ),
    }
}

fn judge(cx: &mut Cx, b: &Bucket) {
    let acct = account_bpa::for_resource(cx.inv, b.rid);
    // In code, an omitted setting is S3's default for a new bucket.
    let code = !matches!(cx.inv.meta(b.rid).origin, Origin::Live { .. });
    let (bpa_default, acl_default) = if code {
        (
            " (as written, or S3's default for a new bucket whose code leaves it out)",
            ", S3's default for a new bucket whose code sets no ownership controls",
        )
    } else {
        ("", "")
    };
    let own = &b.public_access_block;
    let mut exposed: Vec<String> = Vec::new();
    let mut neutralised: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();

    match &b.policy {
        Val::Unknown(r) => unknown.push(format!("the bucket policy cannot be read: {r}")),
        Val::Known(None) => {}
        Val::Known(Some(doc)) => {
            if let Some(d) = describe_public(doc) {
                match setting(own, &acct, |p| p.restrict_public_buckets) {
                    Val::Known(None) => exposed.push(format!("its policy is public: {d}")),
                    Val::Known(Some(at)) => neutralised.push(format!(
                        "its policy is public ({d}), but {at} Block Public Access has RestrictPublicBuckets on, so only AWS services and the bucket owner's account can use it"
                    )),
                    Val::Unknown(r) => unknown.push(format!(
                        "its policy is public ({d}), and whether RestrictPublicBuckets neutralises it cannot be told: {r}"
                    )),
                }
            }
        }
    }

    match &b.public_acl {
        Val::Unknown(r) => unknown.push(format!("the bucket ACL cannot be read: {r}")),
        Val::Known(g) if g.is_empty() => {}
        Val::Known(g) => {
            let g = grants(g);
            let ignored = setting(own, &acct, |p| p.ignore_public_acls);
            match (&b.object_ownership, ignored) {
                (Val::Known(ObjectOwnership::BucketOwnerEnforced), _) => neutralised.push(format!(
                    "its ACL grants {g}, but ACLs are disabled (Object Ownership BucketOwnerEnforced{acl_default}), so the ACL grants nothing"
                )),
                (_, Val::Known(Some(at))) => neutralised.push(format!(
                    "its ACL grants {g}, but {at} Block Public Access has IgnorePublicAcls on, so S3 ignores it"
                )),
                (Val::Unknown(r), _) => unknown.push(format!(
                    "its ACL grants {g}, and whether ACLs are enabled cannot be told: {r}"
                )),
                (_, Val::Known(None)) => exposed.push(format!("its ACL grants {g}")),
                (_, Val::Unknown(r)) => unknown.push(format!(
                    "its ACL grants {g}, and whether IgnorePublicAcls neutralises it cannot be told: {r}"
                )),
            }
        }
    }

    let notes = if neutralised.is_empty() {
        String::new()
    } else {
        format!("; {}", neutralised.join("; "))
    };

    if !exposed.is_empty() {
        let own_s = match own {
            Val::Known(o) => own_state(o),
            Val::Unknown(r) => format!("its own Block Public Access cannot be told ({r})"),
        };
        cx.fail(
            b.rid,
            format!(
                "the bucket is public: {}; {own_s}, and {}{notes}",
                exposed.join("; "),
                acct.describe()
            ),
        );
        return;
    }
    if !unknown.is_empty() {
        cx.unknown(b.rid, format!("{}{notes}", unknown.join("; ")));
        return;
    }
    match own {
        Val::Known(Some(p)) if p.all_on() => cx.pass(
            b.rid,
            format!("Block Public Access is on with all four settings{bpa_default}{notes}"),
        ),
        _ if acct.all_on() => {
            let own_s = match own {
                Val::Known(o) => own_state(o),
                Val::Unknown(r) => format!("its own Block Public Access cannot be told ({r})"),
            };
            cx.pass(
                b.rid,
                format!(
                    "no policy or ACL grants public access in effect; {own_s}, but account-level Block Public Access is on with all four settings, which S3 applies to every bucket of the account{notes}"
                ),
            )
        }
        Val::Unknown(r) => cx.unknown(
            b.rid,
            format!(
                "no policy or ACL grants public access in effect, but the bucket's own Block Public Access cannot be told ({r}), and {}{notes}",
                acct.describe()
            ),
        ),
        Val::Known(o) => match &acct {
            AccountBpa::Unknown(_) => cx.unknown(
                b.rid,
                format!(
                    "no policy or ACL grants public access in effect; {}, and {}{notes}",
                    own_state(o),
                    acct.describe()
                ),
            ),
            _ => cx.fail_at(
                b.rid,
                Severity::Medium,
                format!(
                    "no policy or ACL grants public access in effect today, but {} and {}: one bucket policy or ACL change would make it public{notes}",
                    own_state(o),
                    acct.describe()
                ),
            ),
        },
    }
}

fn check(cx: &mut Cx) {
    for b in &cx.inv.buckets {
        judge(cx, b);
    }
}
