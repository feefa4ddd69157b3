//! `aws_s3_bucket`, joined with the bucket's configuration resources of
//! provider v4 and later: `aws_s3_bucket_server_side_encryption_configuration`,
//! `_versioning`, `_object_lock_configuration`, `_public_access_block`,
//! `_policy`, `_lifecycle_configuration`, `_acl` and `_ownership_controls`.
//!
//! A configuration resource joins the bucket its `bucket` expression
//! references, or else the bucket whose known name it writes. The older
//! inline blocks of `aws_s3_bucket` count where their values are known (a
//! state, or a plan that sets them); otherwise AWS's defaults apply.

use super::{block, link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::{P, R};
use crate::joins::s3acl;
use phiguard_model::{
    AclGrant, Bucket, BucketSse, LifecycleRule, Link, LockMode, ObjectOwnership, PublicAccessBlock,
    Retention, Val,
};

pub static DOMAIN: Domain = Domain {
    types: &["aws_s3_bucket"],
    map,
    finish,
};

/// A string attribute compared with `on`; absent means `default`.
fn is(p: P, on: &str, default: bool) -> R<Val<bool>> {
    Ok(match p.str_opt()? {
        Val::Known(Some(s)) => Val::Known(s == on),
        Val::Known(None) => Val::Known(default),
        Val::Unknown(r) => Val::Unknown(r),
    })
}

/// `rule { apply_server_side_encryption_by_default { ... } }`, as written by
/// the SSE resource and the inline block alike.
fn sse(rules: P) -> R<Val<BucketSse>> {
    let rules = match rules.list()? {
        Val::Known(r) => r,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let Some(rule) = rules.into_iter().next() else {
        return Ok(Val::Known(BucketSse::None));
    };
    let by_default = match block(rule, "apply_server_side_encryption_by_default")? {
        Val::Known(Some(b)) => b,
        Val::Known(None) => return Ok(Val::Known(BucketSse::None)),
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    Ok(match by_default.get("sse_algorithm").str_opt()? {
        Val::Known(Some(a)) if a == "AES256" => Val::Known(BucketSse::S3),
        Val::Known(Some(a)) if a == "aws:kms" || a == "aws:kms:dsse" => Val::Known(BucketSse::Kms(
            // No kms_master_key_id: the AWS-managed key aws/s3.
            by_default.get("kms_master_key_id").key_ref("aws/s3"),
        )),
        Val::Known(Some(a)) => {
            return by_default
                .get("sse_algorithm")
                .error(format!("unknown sse_algorithm {a:?}"));
        }
        Val::Known(None) => return by_default.error("sse_algorithm is required"),
        Val::Unknown(r) => Val::Unknown(r),
    })
}

/// `rule { default_retention { mode days years } }`.
fn retention(p: P) -> R<Val<Option<Retention>>> {
    let rule = match block(p, "rule")? {
        Val::Known(Some(r)) => r,
        Val::Known(None) => return Ok(Val::Known(None)),
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let dr = match block(rule, "default_retention")? {
        Val::Known(Some(d)) => d,
        Val::Known(None) => return Ok(Val::Known(None)),
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mode = match dr.get("mode").str_opt()? {
        Val::Known(Some(m)) if m == "COMPLIANCE" => LockMode::Compliance,
        Val::Known(Some(m)) if m == "GOVERNANCE" => LockMode::Governance,
        Val::Known(other) => {
            return dr.get("mode").error(format!(
                "expected COMPLIANCE or GOVERNANCE, found {other:?}"
            ));
        }
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let days = match (dr.get("days").u32_opt()?, dr.get("years").u32_opt()?) {
        (Val::Known(Some(d)), _) if d > 0 => d,
        (_, Val::Known(Some(y))) if y > 0 => y.saturating_mul(365),
        (Val::Unknown(r), _) | (_, Val::Unknown(r)) => return Ok(Val::Unknown(r)),
        _ => return dr.error("a default retention needs days or years"),
    };
    Ok(Val::Known(Some(Retention { mode, days })))
}

/// The first of a list of blocks' `key` number (`expiration { days }`); the
/// provider writes an unset number as 0.
fn nested_u32(p: P, blk: &'static str, key: &'static str) -> R<Val<Option<u32>>> {
    Ok(match block(p, blk)? {
        Val::Known(Some(b)) => b.get(key).u32_opt()?.map(|d| d.filter(|d| *d > 0)),
        Val::Known(None) => Val::Known(None),
        Val::Unknown(r) => Val::Unknown(r),
    })
}

/// `aws_s3_bucket_lifecycle_configuration` rules (`inline`: the older
/// `lifecycle_rule` blocks of `aws_s3_bucket`).
fn lifecycle(rules: P, inline: bool) -> R<Val<Vec<LifecycleRule>>> {
    let rules = match rules.list()? {
        Val::Known(r) => r,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut out = Vec::new();
    for r in rules {
        let enabled = if inline {
            r.get("enabled").bool_or(false)?
        } else {
            is(r.get("status"), "Enabled", false)?
        };
        let exp = nested_u32(r, "expiration", "days")?;
        let nc = if inline {
            nested_u32(r, "noncurrent_version_expiration", "days")?
        } else {
            nested_u32(r, "noncurrent_version_expiration", "noncurrent_days")?
        };
        let prefix = match block(r, "filter")? {
            Val::Known(Some(f)) => f.get("prefix").text(),
            _ => r.get("prefix").text(),
        };
        let (Val::Known(enabled), Val::Known(exp), Val::Known(nc)) = (enabled, exp, nc) else {
            return Ok(Val::unknown("a lifecycle rule is known only after apply"));
        };
        out.push(LifecycleRule {
            id: r.get("id").text(),
            enabled,
            prefix,
            expiration_days: exp,
            noncurrent_expiration_days: nc,
        });
    }
    Ok(Val::Known(out))
}

/// An inline block of `aws_s3_bucket` that is set: its value is known and
/// not empty.
fn inline_set<'a>(p: P<'a>, key: &'a str) -> Option<P<'a>> {
    let b = p.get(key);
    match b.list() {
        Ok(Val::Known(items)) if !items.is_empty() => Some(b),
        _ => None,
    }
}

/// Why an inline attribute the configuration sets is unknown (known only
/// after apply), if it is: then neither it nor the default can be told.
fn inline_unknown(p: P, rid: phiguard_model::Rid, key: &str) -> Option<String> {
    match p.get(key).v {
        Some(crate::cfn::value::Value::Unknown(r)) if !omitted(p.get(key), rid, key) => {
            Some(r.clone())
        }
        Some(crate::cfn::value::Value::Att(..) | crate::cfn::value::Value::Expr(..)) => {
            Some(format!("{key} is known only after apply"))
        }
        _ => None,
    }
}

/// Grants to the public groups among `grant` blocks: the inline blocks of
/// `aws_s3_bucket` (`type`, `uri`, `permissions`) or those of
/// `aws_s3_bucket_acl`'s `access_control_policy` (`grantee { uri }`, `permission`).
fn group_grants(grants: P) -> R<Val<Vec<AclGrant>>> {
    let items = match grants.list()? {
        Val::Known(i) => i,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut out = Vec::new();
    for g in items {
        let grantee = match block(g, "grantee")? {
            Val::Known(Some(x)) => x,
            Val::Known(None) => g,
            Val::Unknown(r) => return Ok(Val::Unknown(r)),
        };
        let uri = match grantee.get("uri").str_opt()? {
            Val::Known(Some(u)) => u,
            Val::Known(None) => continue,
            Val::Unknown(r) => return Ok(Val::Unknown(r)),
        };
        let perms = if g.get("permissions").is_absent() {
            g.get("permission").strings()?
        } else {
            g.get("permissions").strings()?
        };
        let perms = match perms {
            Val::Known(p) => p,
            Val::Unknown(r) => return Ok(Val::Unknown(r)),
        };
        out.extend(perms.iter().filter_map(|p| s3acl::group_grant(&uri, p)));
    }
    Ok(Val::Known(out))
}

/// Both known: the grants of each; either unknown: unknown.
fn union(a: Val<Vec<AclGrant>>, b: Val<Vec<AclGrant>>) -> Val<Vec<AclGrant>> {
    match (a, b) {
        (Val::Known(mut a), Val::Known(b)) => {
            a.extend(b);
            Val::Known(a)
        }
        (Val::Unknown(r), _) | (_, Val::Unknown(r)) => Val::Unknown(r),
    }
}

/// A canned ACL attribute (`acl`), as public grants.
fn canned(p: P) -> R<Val<Vec<AclGrant>>> {
    Ok(p.str_opt()?
        .map(|a| a.map(|a| s3acl::canned(&a)).unwrap_or_default()))
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let name = match p.get("bucket").str_opt()? {
        Val::Known(Some(n)) => Val::Known(n),
        Val::Known(None) => Val::unknown("the bucket name is generated at apply time"),
        Val::Unknown(_) if !p.get("bucket_prefix").is_absent() => {
            Val::unknown("the bucket name is generated from bucket_prefix at apply time")
        }
        Val::Unknown(r) => Val::Unknown(r),
    };
    // S3 encrypts every bucket with SSE-S3 when nothing else is configured.
    let encryption = match inline_set(p, "server_side_encryption_configuration") {
        _ if let Some(why) = inline_unknown(p, r.rid, "server_side_encryption_configuration") => {
            Val::Unknown(why)
        }
        Some(b) => match block(b, "server_side_encryption_configuration")? {
            Val::Known(Some(c)) => sse(c.get("rule"))?,
            Val::Known(None) => Val::Known(BucketSse::None),
            Val::Unknown(r) => Val::Unknown(r),
        },
        None => Val::Known(BucketSse::None),
    };
    let (versioning, mfa_delete) = match inline_set(p, "versioning") {
        _ if let Some(why) = inline_unknown(p, r.rid, "versioning") => {
            (Val::Unknown(why.clone()), Val::Unknown(why))
        }
        Some(b) => match block(b, "versioning")? {
            Val::Known(Some(v)) => (
                v.get("enabled").bool_or(false)?,
                v.get("mfa_delete").bool_or(false)?,
            ),
            _ => (Val::Known(false), Val::Known(false)),
        },
        None => (Val::Known(false), Val::Known(false)),
    };
    // object_lock_enabled is computed when left out: off, AWS's default.
    let object_lock = if omitted(p.get("object_lock_enabled"), r.rid, "object_lock_enabled") {
        Val::Known(false)
    } else {
        p.get("object_lock_enabled").bool_or(false)?
    };
    let lock_retention = match inline_set(p, "object_lock_configuration") {
        _ if let Some(why) = inline_unknown(p, r.rid, "object_lock_configuration") => {
            Val::Unknown(why)
        }
        Some(b) => match block(b, "object_lock_configuration")? {
            Val::Known(Some(c)) => retention(c)?,
            _ => Val::Known(None),
        },
        None => Val::Known(None),
    };
    let lifecycle_rules = match inline_set(p, "lifecycle_rule") {
        _ if let Some(why) = inline_unknown(p, r.rid, "lifecycle_rule") => Val::Unknown(why),
        Some(b) => lifecycle(b, true)?,
        None => Val::Known(vec![]),
    };
    let policy = match p.get("policy").v {
        _ if let Some(why) = inline_unknown(p, r.rid, "policy") => Val::Unknown(why),
        Some(crate::cfn::value::Value::Str(_)) => p.get("policy").policy()?.map(Some),
        _ => Val::Known(None),
    };
    let acl = if omitted(p.get("acl"), r.rid, "acl") {
        Val::Known(vec![])
    } else {
        canned(p.get("acl"))?
    };
    let grants = match inline_set(p, "grant") {
        _ if let Some(why) = inline_unknown(p, r.rid, "grant") => Val::Unknown(why),
        Some(g) => group_grants(g)?,
        None => Val::Known(vec![]),
    };
    let public_acl = union(acl, grants);
    // Public grants the configuration does not write are what AWS reported
    // (a state): ACLs are enabled on that bucket. Written ones meet S3's
    // default for a new bucket, ACLs disabled.
    let applied = public_acl.known().is_some_and(|g| !g.is_empty())
        && !m.est.configured(r.rid, "acl")
        && !m.est.configured(r.rid, "grant");
    let object_ownership = Val::Known(if applied {
        ObjectOwnership::ObjectWriter
    } else {
        s3acl::NEW_BUCKET_OWNERSHIP
    });
    m.inv.buckets.push(Bucket {
        rid: r.rid,
        name,
        encryption,
        versioning,
        mfa_delete,
        object_lock,
        lock_retention,
        lifecycle: lifecycle_rules,
        policy,
        // No public access block resource: S3 turns all four settings on
        // for every new bucket (April 2023).
        public_access_block: Val::Known(Some(PublicAccessBlock::ALL_ON)),
        public_acl,
        object_ownership,
    });
    Ok(())
}

/// The bucket a configuration resource's `bucket` names: the bucket its
/// expression references, or the bucket of the estate with that known name.
fn target_bucket(m: &Mapper, r: &EvalRes) -> Option<usize> {
    let p = m.est.props(r);
    match link_to(p, "bucket", r.rid, &["aws_s3_bucket"]) {
        Val::Known(Link::Resource(rid)) => {
            phiguard_model::position_by_rid(&m.inv.buckets, rid, |x| x.rid)
        }
        Val::Known(Link::External(name)) => m
            .inv
            .buckets
            .iter()
            .position(|b| b.name.known().is_some_and(|n| *n == name)),
        Val::Unknown(_) => None,
    }
}

/// Joins every resource of `ty` to its bucket with `apply`.
fn join(m: &mut Mapper, ty: &'static str, apply: for<'b> fn(P<'b>, &mut Bucket) -> R<()>) {
    let est = m.est;
    for r in est.of_type(ty) {
        let Some(i) = target_bucket(m, r) else {
            continue;
        };
        let p = est.props(r);
        let mut b = m.inv.buckets[i].clone();
        match apply(p, &mut b) {
            Ok(()) => m.inv.buckets[i] = b,
            Err(e) => m.error(r, e),
        }
    }
}

fn finish(m: &mut Mapper) {
    join(
        m,
        "aws_s3_bucket_server_side_encryption_configuration",
        |p, b| {
            b.encryption = sse(p.get("rule"))?;
            Ok(())
        },
    );
    join(m, "aws_s3_bucket_versioning", |p, b| {
        let c = match block(p, "versioning_configuration")? {
            Val::Known(Some(c)) => c,
            Val::Known(None) => return p.error("versioning_configuration is required"),
            Val::Unknown(r) => {
                b.versioning = Val::Unknown(r.clone());
                b.mfa_delete = Val::Unknown(r);
                return Ok(());
            }
        };
        b.versioning = is(c.get("status"), "Enabled", false)?;
        // mfa_delete defaults to Disabled.
        b.mfa_delete = is(c.get("mfa_delete"), "Enabled", false)?;
        Ok(())
    });
    join(m, "aws_s3_bucket_object_lock_configuration", |p, b| {
        // The resource applies to a bucket created with Object Lock enabled.
        let conf_on = is(p.get("object_lock_enabled"), "Enabled", true)?;
        b.object_lock = match conf_on {
            Val::Known(true) => Val::Known(true),
            Val::Known(false) => b.object_lock.clone(),
            Val::Unknown(_) if b.object_lock.is_true() => Val::Known(true),
            Val::Unknown(r) => Val::Unknown(r),
        };
        b.lock_retention = retention(p)?;
        Ok(())
    });
    join(m, "aws_s3_bucket_public_access_block", |p, b| {
        let f = |k: &'static str| p.get(k).bool_or(false);
        let vals = [
            f("block_public_acls")?,
            f("ignore_public_acls")?,
            f("block_public_policy")?,
            f("restrict_public_buckets")?,
        ];
        b.public_access_block = match vals.iter().find_map(|v| v.reason()) {
            Some(r) => Val::unknown(r),
            None => Val::Known(Some(PublicAccessBlock {
                block_public_acls: vals[0].is_true(),
                ignore_public_acls: vals[1].is_true(),
                block_public_policy: vals[2].is_true(),
                restrict_public_buckets: vals[3].is_true(),
            })),
        };
        Ok(())
    });
    join(m, "aws_s3_bucket_policy", |p, b| {
        b.policy = p.get("policy").policy()?.map(Some);
        Ok(())
    });
    join(m, "aws_s3_bucket_lifecycle_configuration", |p, b| {
        b.lifecycle = lifecycle(p.get("rule"), false)?;
        Ok(())
    });
    join_acls(m);
    join(m, "aws_s3_bucket_ownership_controls", |p, b| {
        let rule = match block(p, "rule")? {
            Val::Known(Some(r)) => r,
            Val::Known(None) => return p.error("rule is required"),
            Val::Unknown(r) => {
                b.object_ownership = Val::Unknown(r);
                return Ok(());
            }
        };
        let o = rule.get("object_ownership");
        b.object_ownership = match o.str_opt()? {
            Val::Known(Some(v)) => match s3acl::ownership(&v) {
                Some(x) => Val::Known(x),
                None => return o.error(format!("unknown object_ownership {v:?}")),
            },
            Val::Known(None) => return o.error("object_ownership is required"),
            Val::Unknown(r) => Val::Unknown(r),
        };
        Ok(())
    });
}

/// `aws_s3_bucket_acl`: its canned `acl` or its `access_control_policy`
/// grants replace the bucket's. One the configuration does not write is
/// what AWS accepted (a state): ACLs are enabled on that bucket, unless
/// `aws_s3_bucket_ownership_controls` (joined after) says otherwise.
fn join_acls(m: &mut Mapper) {
    let est = m.est;
    for r in est.of_type("aws_s3_bucket_acl") {
        let Some(i) = target_bucket(m, r) else {
            continue;
        };
        let p = est.props(r);
        let read = || -> R<Val<Vec<AclGrant>>> {
            // Each is computed by the provider when the other is set.
            let acl = if omitted(p.get("acl"), r.rid, "acl") {
                Val::Known(vec![])
            } else {
                canned(p.get("acl"))?
            };
            let acp = p.get("access_control_policy");
            let grants = if omitted(acp, r.rid, "access_control_policy") {
                Val::Known(vec![])
            } else {
                match block(p, "access_control_policy")? {
                    Val::Known(Some(c)) => group_grants(c.get("grant"))?,
                    Val::Known(None) => Val::Known(vec![]),
                    Val::Unknown(r) => Val::Unknown(r),
                }
            };
            Ok(union(acl, grants))
        };
        match read() {
            Ok(g) => {
                let applied = g.known().is_some_and(|g| !g.is_empty())
                    && !est.configured(r.rid, "acl")
                    && !est.configured(r.rid, "access_control_policy");
                let b = &mut m.inv.buckets[i];
                b.public_acl = g;
                if applied {
                    b.object_ownership = Val::Known(ObjectOwnership::ObjectWriter);
                }
            }
            Err(e) => m.error(r, e),
        }
    }
}
