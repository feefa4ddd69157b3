//! Account-level S3 Block Public Access of the account a resource is in:
//! live, the account's record (`s3control:GetPublicAccessBlock`); in code,
//! the estate's `aws_s3_account_public_access_block` for that account.
//! CloudFormation has no resource for it.

use phiguard_model::{AccountBlock, Inventory, Origin, PublicAccessBlock, Rid, SourceKind, Val};

/// What is known of an account's Block Public Access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountBpa {
    /// Read live or set by the code: the settings, `None` when the account has none.
    Known(Option<PublicAccessBlock>),
    /// It cannot be told (a live read failed, a value known only after apply).
    Unknown(String),
    /// The code (of this source) does not set it: the account may have any settings.
    NotInCode(SourceKind),
}

impl AccountBpa {
    /// Is this setting known to be on?
    pub fn on(&self, pick: fn(&PublicAccessBlock) -> bool) -> bool {
        matches!(self, AccountBpa::Known(Some(b)) if pick(b))
    }

    /// All four settings known to be on.
    pub fn all_on(&self) -> bool {
        matches!(self, AccountBpa::Known(Some(b)) if b.all_on())
    }

    /// "account-level Block Public Access has IgnorePublicAcls off", for messages.
    pub fn describe(&self) -> String {
        match self {
            AccountBpa::Known(Some(b)) if b.all_on() => {
                "account-level Block Public Access is on with all four settings".into()
            }
            AccountBpa::Known(Some(b)) => format!(
                "account-level Block Public Access has {} off",
                off_settings(b).join(", ")
            ),
            AccountBpa::Known(None) => "the account has no account-level Block Public Access".into(),
            AccountBpa::Unknown(r) => {
                format!("account-level Block Public Access cannot be told ({r})")
            }
            AccountBpa::NotInCode(SourceKind::CloudFormation) => {
                "account-level Block Public Access cannot be set in CloudFormation, so nothing in this code holds it".into()
            }
            AccountBpa::NotInCode(_) => {
                "this code sets no account-level Block Public Access for the account (aws_s3_account_public_access_block)".into()
            }
        }
    }
}

/// The names of the settings that are off.
pub fn off_settings(b: &PublicAccessBlock) -> Vec<&'static str> {
    [
        (b.block_public_acls, "BlockPublicAcls"),
        (b.ignore_public_acls, "IgnorePublicAcls"),
        (b.block_public_policy, "BlockPublicPolicy"),
        (b.restrict_public_buckets, "RestrictPublicBuckets"),
    ]
    .iter()
    .filter(|(on, _)| !on)
    .map(|(_, n)| *n)
    .collect()
}

/// The account a code block configures: its `account_id`, else its unit's account.
fn block_account(inv: &Inventory, b: &AccountBlock) -> Val<String> {
    match &b.account {
        Val::Known(Some(a)) => Val::Known(a.clone()),
        Val::Known(None) => inv.meta(b.rid).account.clone(),
        Val::Unknown(r) => Val::Unknown(r.clone()),
    }
}

/// Does the code block apply to the resource `rid`? The same plan (unless
/// the block names another account than the plan's known one), or the same
/// known account.
fn applies(inv: &Inventory, b: &AccountBlock, rid: Rid) -> bool {
    let (mb, mr) = (inv.meta(b.rid), inv.meta(rid));
    let acct = block_account(inv, b);
    if mb.unit == mr.unit {
        return match (&b.account, &mr.account) {
            (Val::Known(Some(a)), Val::Known(x)) => a == x,
            _ => true,
        };
    }
    matches!((&acct, &mr.account), (Val::Known(a), Val::Known(x)) if a == x)
}

/// Account-level Block Public Access for the account of `rid`.
pub fn for_resource(inv: &Inventory, rid: Rid) -> AccountBpa {
    if let Origin::Live { account, .. } = &inv.meta(rid).origin {
        return match inv.org_account(account) {
            Some(a) => match &a.public_access_block {
                Val::Known(b) => AccountBpa::Known(*b),
                Val::Unknown(r) => AccountBpa::Unknown(r.clone()),
            },
            None => AccountBpa::Unknown(format!("account {account} was not read")),
        };
    }
    let mut found: Option<AccountBpa> = None;
    for b in inv.account_blocks.iter().filter(|b| applies(inv, b, rid)) {
        let v = match &b.block {
            Val::Known(x) => AccountBpa::Known(Some(*x)),
            Val::Unknown(r) => AccountBpa::Unknown(r.clone()),
        };
        // Two blocks for one account: the weaker one is what can be relied on.
        found = Some(match (found, v) {
            (None, v) => v,
            (Some(AccountBpa::Known(Some(a))), AccountBpa::Known(Some(b))) => {
                AccountBpa::Known(Some(PublicAccessBlock {
                    block_public_acls: a.block_public_acls && b.block_public_acls,
                    ignore_public_acls: a.ignore_public_acls && b.ignore_public_acls,
                    block_public_policy: a.block_public_policy && b.block_public_policy,
                    restrict_public_buckets: a.restrict_public_buckets && b.restrict_public_buckets,
                }))
            }
            (Some(u @ AccountBpa::Unknown(_)), _) | (_, u @ AccountBpa::Unknown(_)) => u,
            (Some(other), _) => other,
        });
    }
    found.unwrap_or(AccountBpa::NotInCode(inv.meta(rid).origin.source_kind()))
}
