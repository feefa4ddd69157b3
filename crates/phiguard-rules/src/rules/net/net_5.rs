use crate::util::account_bpa::off_settings;
use crate::{Cx, declare_rule};
use phiguard_model::{PublicAccessBlock, SourceKind, Val};

declare_rule! {
    /// ### What it checks
    /// Account-level S3 Block Public Access is on with all four settings
    /// (`BlockPublicAcls`, `IgnorePublicAcls`, `BlockPublicPolicy`,
    /// `RestrictPublicBuckets`), one finding per account.
    ///
    /// Live, each audited account's configuration is read. In Terraform,
    /// each `aws_s3_account_public_access_block` is judged. When the estate
    /// holds no such resource, the rule fails only with `--complete`
    /// (another configuration of the baseline may set it). CloudFormation
    /// has no resource for account-level Block Public Access, so it cannot
    /// be decided from a template.
    ///
    /// ### Defaults assumed
    /// - An account that was never configured has no account-level Block
    ///   Public Access: `s3control:GetPublicAccessBlock`, which returns the
    ///   configuration in effect for the account (an organization-level S3
    ///   policy included), answers `NoSuchPublicAccessBlockConfiguration`
    ///   (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetPublicAccessBlock.html>),
    ///   and nothing is blocked at the account level. S3's April 2023
    ///   defaults concern new buckets, not accounts
    ///   (<https://aws.amazon.com/blogs/aws/heads-up-amazon-s3-security-changes-are-coming-in-april-of-2023/>).
    /// - In `aws_s3_account_public_access_block`, each setting left out is
    ///   `false`, the provider's default, and `account_id` left out is the
    ///   provider's account
    ///   (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_account_public_access_block>).
    ///
    /// SCP-1 also requires it, together with the SCP that stops anyone
    /// from turning it off; this rule reports it on its own.
    ///
    /// ### Why
    /// Account-level settings apply to every bucket of the account, present
    /// and future, and S3 applies the most restrictive combination of them
    /// and each bucket's own
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html>).
    /// It is the one switch that keeps a bucket created by hand, by a script
    /// or by a tool without phiguard's checks from being made public.
    ///
    /// ### Sources
    /// - Live: `s3control:GetPublicAccessBlock` for each audited account.
    /// - Terraform: `aws_s3_account_public_access_block`.
    pub static RULE = {
        id: "NET-5",
        control: NetworkIsolation,
        severity: High,
        sources: [Live, Terraform],
        reads: [Accounts, AccountPublicAccessBlock],
        scope: Estate,
        title: "Account-level S3 Block Public Access is on",
        remediation: "Turn on all four account-level Block Public Access settings in every account (aws s3control put-public-access-block, or aws_s3_account_public_access_block with all four set to true), and deny s3:PutAccountPublicAccessBlock by SCP (SCP-1).",
        check: check,
    }
}

fn verdict(b: &PublicAccessBlock) -> Result<String, String> {
    if b.all_on() {
        Ok("account-level Block Public Access is on with all four settings".into())
    } else {
        Err(format!(
            "account-level Block Public Access has {} off",
            off_settings(b).join(", ")
        ))
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    for a in inv.org_accounts.iter().filter(|a| a.audited) {
        match &a.public_access_block {
            Val::Known(Some(b)) => match verdict(b) {
                Ok(m) => cx.pass(a.rid, m),
                Err(m) => cx.fail(a.rid, m),
            },
            Val::Known(None) => cx.fail(
                a.rid,
                "the account has no account-level Block Public Access configuration: nothing is blocked at the account level",
            ),
            Val::Unknown(r) => cx.unknown(
                a.rid,
                format!("the account's Block Public Access cannot be read: {r}"),
            ),
        }
    }
    for b in &inv.account_blocks {
        match &b.block {
            Val::Known(x) => match verdict(x) {
                Ok(m) => cx.pass(b.rid, m),
                Err(m) => cx.fail(b.rid, m),
            },
            Val::Unknown(r) => cx.unknown(b.rid, r.clone()),
        }
    }
    let terraform = inv.units.iter().any(|u| u.source == SourceKind::Terraform);
    if terraform && inv.account_blocks.is_empty() {
        cx.absent(
            "no aws_s3_account_public_access_block in the estate: the code does not turn on account-level S3 Block Public Access",
        );
    }
}
