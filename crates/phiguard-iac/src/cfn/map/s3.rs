//! `AWS::S3::Bucket`, joined with `AWS::S3::BucketPolicy`.

use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use crate::joins::s3acl;
use phiguard_model::{
    Bucket, BucketSse, LifecycleRule, Link, LockMode, ObjectOwnership, PublicAccessBlock,
    Retention, Val,
};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::S3::Bucket"],
    map,
    finish,
};

fn encryption(p: P) -> R<Val<BucketSse>> {
    let enc = p.get("BucketEncryption");
    if enc.is_absent() {
        return Ok(Val::Known(BucketSse::None));
    }
    let rules = match enc.get("ServerSideEncryptionConfiguration").list()? {
        Val::Known(r) => r,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let Some(rule) = rules.first() else {
        return Ok(Val::Known(BucketSse::None));
    };
    let by_default = rule.get("ServerSideEncryptionByDefault");
    if by_default.is_absent() {
        return Ok(Val::Known(BucketSse::None));
    }
    Ok(match by_default.get("SSEAlgorithm").str_opt()? {
        Val::Known(Some(a)) if a == "AES256" => Val::Known(BucketSse::S3),
        Val::Known(Some(a)) if a == "aws:kms" || a == "aws:kms:dsse" => Val::Known(BucketSse::Kms(
            by_default.get("KMSMasterKeyID").key_ref("aws/s3"),
        )),
        Val::Known(Some(a)) => {
            return by_default
                .get("SSEAlgorithm")
                .error(format!("unknown SSEAlgorithm {a:?}"));
        }
        Val::Known(None) => return by_default.error("SSEAlgorithm is required"),
        Val::Unknown(r) => Val::Unknown(r),
    })
}

fn object_lock(p: P) -> R<(Val<bool>, Val<Option<Retention>>)> {
    let enabled = p.get("ObjectLockEnabled").bool_or(false)?;
    let conf = p.get("ObjectLockConfiguration");
    let conf_on = match conf.get("ObjectLockEnabled").str_opt()? {
        Val::Known(s) => Val::Known(s.as_deref() == Some("Enabled")),
        Val::Unknown(r) => Val::Unknown(r),
    };
    let enabled = match (enabled, conf_on) {
        (Val::Known(true), _) | (_, Val::Known(true)) => Val::Known(true),
        (Val::Unknown(r), _) | (_, Val::Unknown(r)) => Val::Unknown(r),
        _ => Val::Known(false),
    };
    let dr = conf.get("Rule").get("DefaultRetention");
    if dr.is_absent() {
        return Ok((enabled, Val::Known(None)));
    }
    let mode = match dr.get("Mode").str_opt()? {
        Val::Known(Some(m)) if m == "COMPLIANCE" => LockMode::Compliance,
        Val::Known(Some(m)) if m == "GOVERNANCE" => LockMode::Governance,
        Val::Known(other) => {
            return dr.get("Mode").error(format!(
                "expected COMPLIANCE or GOVERNANCE, found {other:?}"
            ));
        }
        Val::Unknown(r) => return Ok((enabled, Val::Unknown(r))),
    };
    let days = match (dr.get("Days").u32_opt()?, dr.get("Years").u32_opt()?) {
        (Val::Known(Some(d)), _) => d,
        (_, Val::Known(Some(y))) => y.saturating_mul(365),
        (Val::Unknown(r), _) | (_, Val::Unknown(r)) => return Ok((enabled, Val::Unknown(r))),
        _ => return dr.error("a default retention needs Days or Years"),
    };
    Ok((enabled, Val::Known(Some(Retention { mode, days }))))
}

fn lifecycle(p: P) -> R<Val<Vec<LifecycleRule>>> {
    let rules = match p.get("LifecycleConfiguration").get("Rules").list()? {
        Val::Known(r) => r,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut out = Vec::new();
    for r in rules {
        let status = r.get("Status").str_or("Enabled")?;
        let exp = r.get("ExpirationInDays").u32_opt()?;
        let nc_old = r.get("NoncurrentVersionExpirationInDays").u32_opt()?;
        let nc_new = r
            .get("NoncurrentVersionExpiration")
            .get("NoncurrentDays")
            .u32_opt()?;
        let (Val::Known(status), Val::Known(exp), Val::Known(nc_old), Val::Known(nc_new)) =
            (status, exp, nc_old, nc_new)
        else {
            return Ok(Val::unknown(
                "a lifecycle rule is known only at deploy time",
            ));
        };
        out.push(LifecycleRule {
            id: r.get("Id").text(),
            enabled: status == "Enabled",
            prefix: r.get("Prefix").text(),
            expiration_days: exp,
            noncurrent_expiration_days: nc_old.or(nc_new),
        });
    }
    Ok(Val::Known(out))
}

fn public_access_block(p: P) -> R<Val<Option<PublicAccessBlock>>> {
    let c = p.get("PublicAccessBlockConfiguration");
    if c.is_absent() {
        // S3 turns all four settings on for every new bucket (April 2023).
        return Ok(Val::Known(Some(PublicAccessBlock::ALL_ON)));
    }
    let f = |k: &'static str| c.get(k).bool_or(false);
    let vals = [
        f("BlockPublicAcls")?,
        f("IgnorePublicAcls")?,
        f("BlockPublicPolicy")?,
        f("RestrictPublicBuckets")?,
    ];
    if let Some(r) = vals.iter().find_map(|v| v.reason()) {
        return Ok(Val::unknown(r));
    }
    let b = |i: usize| vals[i].is_true();
    Ok(Val::Known(Some(PublicAccessBlock {
        block_public_acls: b(0),
        ignore_public_acls: b(1),
        block_public_policy: b(2),
        restrict_public_buckets: b(3),
    })))
}

/// `OwnershipControls.Rules[0].ObjectOwnership`; absent, ACLs are disabled
/// (`BucketOwnerEnforced`, the default for new buckets since April 2023).
fn ownership(p: P) -> R<Val<ObjectOwnership>> {
    let rules = match p.get("OwnershipControls").get("Rules").list()? {
        Val::Known(r) => r,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let Some(rule) = rules.first() else {
        return Ok(Val::Known(s3acl::NEW_BUCKET_OWNERSHIP));
    };
    let o = rule.get("ObjectOwnership");
    Ok(match o.str_opt()? {
        Val::Known(None) => Val::Known(s3acl::NEW_BUCKET_OWNERSHIP),
        Val::Known(Some(v)) => match s3acl::ownership(&v) {
            Some(x) => Val::Known(x),
            None => return o.error(format!("unknown ObjectOwnership {v:?}")),
        },
        Val::Unknown(r) => Val::Unknown(r),
    })
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let (object_lock, lock_retention) = object_lock(p)?;
    let versioning = match p.get("VersioningConfiguration").get("Status").str_opt()? {
        Val::Known(s) => Val::Known(s.as_deref() == Some("Enabled")),
        Val::Unknown(r) => Val::Unknown(r),
    };
    m.inv.buckets.push(Bucket {
        rid: r.rid,
        name: match p.get("BucketName").str_opt()? {
            Val::Known(Some(n)) => Val::Known(n),
            Val::Known(None) => Val::unknown("the bucket name is generated at deploy time"),
            Val::Unknown(r) => Val::Unknown(r),
        },
        encryption: encryption(p)?,
        versioning,
        mfa_delete: Val::unknown(
            "MFA Delete cannot be set in CloudFormation; only the root user can enable it",
        ),
        object_lock,
        lock_retention,
        lifecycle: lifecycle(p)?,
        policy: Val::Known(None),
        public_access_block: public_access_block(p)?,
        public_acl: p
            .get("AccessControl")
            .str_opt()?
            .map(|a| a.map(|a| s3acl::canned(&a)).unwrap_or_default()),
        object_ownership: ownership(p)?,
    });
    Ok(())
}

/// The bucket a policy's `Bucket` names: a resource of the estate, or a
/// bucket of the estate with that literal name.
fn target_bucket(m: &Mapper, link: &Val<Link>) -> Option<usize> {
    match link {
        Val::Known(Link::Resource(rid)) => {
            phiguard_model::position_by_rid(&m.inv.buckets, *rid, |x| x.rid)
        }
        Val::Known(Link::External(name)) => m
            .inv
            .buckets
            .iter()
            .position(|b| b.name.known().is_some_and(|n| n == name)),
        Val::Unknown(_) => None,
    }
}

fn finish(m: &mut Mapper) {
    let mut unresolved: Option<String> = None;
    let mut has_policy = vec![false; m.inv.buckets.len()];
    // The documents are read on every core; they are joined in order.
    let policies: Vec<&EvalRes> = m.est.of_type("AWS::S3::BucketPolicy").collect();
    let est = m.est;
    let read = crate::in_parallel(&policies, |r| {
        let p = est.props(r);
        (p.get("Bucket").link(), p.get("PolicyDocument").policy())
    });
    for (r, (link, doc)) in policies.into_iter().zip(read) {
        let doc = match doc {
            Ok(d) => d,
            Err(e) => {
                m.error(r, e);
                continue;
            }
        };
        if let Val::Unknown(why) = &link {
            unresolved.get_or_insert(format!(
                "bucket policy {} names its bucket only at deploy time ({why})",
                r.logical_id
            ));
        }
        if let Some(i) = target_bucket(m, &link) {
            has_policy[i] = true;
            m.inv.buckets[i].policy = doc.map(Some);
        }
    }
    // A policy whose bucket is unknown may be any bucket's that has none.
    if let Some(why) = unresolved {
        for (b, has) in m.inv.buckets.iter_mut().zip(has_policy) {
            if !has {
                b.policy = Val::Unknown(why.clone());
            }
        }
    }
}
