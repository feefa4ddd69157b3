//! `aws_s3_account_public_access_block`: account-level S3 Block Public
//! Access. Each setting left out is `false`, the provider's default
//! (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_account_public_access_block>);
//! `account_id` left out is the provider's account.

use super::omitted;
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper, no_finish};
use crate::cfn::props::R;
use phiguard_model::{AccountBlock, PublicAccessBlock, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_s3_account_public_access_block"],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let f = |k: &'static str| p.get(k).bool_or(false);
    let vals = [
        f("block_public_acls")?,
        f("ignore_public_acls")?,
        f("block_public_policy")?,
        f("restrict_public_buckets")?,
    ];
    let block = match vals.iter().find_map(|v| v.reason()) {
        Some(why) => Val::unknown(why),
        None => Val::Known(PublicAccessBlock {
            block_public_acls: vals[0].is_true(),
            ignore_public_acls: vals[1].is_true(),
            block_public_policy: vals[2].is_true(),
            restrict_public_buckets: vals[3].is_true(),
        }),
    };
    let account = if omitted(p.get("account_id"), r.rid, "account_id") {
        Val::Known(None)
    } else {
        p.get("account_id").str_opt()?
    };
    m.inv.account_blocks.push(AccountBlock {
        rid: r.rid,
        account,
        block,
    });
    Ok(())
}
