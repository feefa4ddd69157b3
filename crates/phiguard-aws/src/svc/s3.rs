//! S3: every bucket of the account (in the unit of its region) with its
//! encryption, versioning, Object Lock, lifecycle, policy, Block Public Access,
//! ACL, Object Ownership and tags; and the account-level Block Public Access.

use super::Units;
use crate::errors::{CallError, ce};
use crate::scope::{Scope, tag_map};
use phiguard_model::{
    AclGrant, BucketSse, Collection, KeyRef, LifecycleRule, LockMode, ObjectOwnership,
    PublicAccessBlock, Retention, SourceKind, Unit, Val,
};
use std::collections::HashMap;

fn s3_client(s: &Scope, region: &str) -> aws_sdk_s3::Client {
    let mut b = aws_sdk_s3::config::Builder::from(&s.sdk)
        .interceptor(s.rec.clone())
        .region(aws_types::region::Region::new(region.to_string()));
    if s.endpoint.is_some() {
        b = b.force_path_style(true);
    }
    aws_sdk_s3::Client::from_conf(b.build())
}

/// The unit of `region` in this account, made when the region is outside the audit's list.
fn unit_of(s: &Scope, units: &Units, region: &str) -> u32 {
    let mut u = units.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(i) = u.get(&(s.account.clone(), region.to_string())) {
        return *i;
    }
    let role = s.with(|inv| inv.units[s.unit as usize].account_role.clone());
    let idx = s.with(|inv| {
        inv.units.push(Unit {
            name: format!("{}/{region}", s.account),
            source: SourceKind::Live,
            account: Val::Known(s.account.clone()),
            region: Val::Known(region.to_string()),
            account_role: role,
        });
        (inv.units.len() - 1) as u32
    });
    u.insert((s.account.clone(), region.to_string()), idx);
    idx
}

pub async fn collect(s: Scope, units: Units) {
    account_block(&s).await;
    let c = s3_client(&s, &s.call_region);
    let buckets = match c
        .list_buckets()
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
    {
        Ok(pages) => pages
            .into_iter()
            .flat_map(|p| p.buckets.unwrap_or_default())
            .collect::<Vec<_>>(),
        Err(e) => {
            s.gap(Collection::Buckets, "s3:ListBuckets", &ce(e));
            return;
        }
    };
    let mut clients: HashMap<String, aws_sdk_s3::Client> = HashMap::new();
    for b in buckets {
        let Some(name) = b.name().map(str::to_string) else {
            continue;
        };
        let region = match b.bucket_region() {
            Some(r) if !r.is_empty() => r.to_string(),
            _ => match c.get_bucket_location().bucket(&name).send().await {
                Ok(o) => match o.location_constraint().map(|l| l.as_str().to_string()) {
                    None => "us-east-1".to_string(),
                    Some(l) if l.is_empty() => "us-east-1".to_string(),
                    Some(l) if l == "EU" => "eu-west-1".to_string(),
                    Some(l) => l,
                },
                Err(e) => {
                    s.gap(Collection::Buckets, "s3:GetBucketLocation", &ce(e));
                    s.call_region.clone()
                }
            },
        };
        let unit = unit_of(&s, &units, &region);
        let rc = clients
            .entry(region.clone())
            .or_insert_with(|| s3_client(&s, &region))
            .clone();
        bucket(&s, &rc, unit, &region, &name).await;
    }
}

fn absent_ok<T>(r: Result<T, CallError>, codes: &[&str]) -> Result<Option<T>, CallError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.code_is(codes) => Ok(None),
        Err(e) => Err(e),
    }
}

fn val<T>(op: &str, r: Result<T, CallError>) -> Val<T> {
    match r {
        Ok(v) => Val::Known(v),
        Err(e) => Val::unknown(format!("{op}: {e}")),
    }
}

async fn bucket(s: &Scope, c: &aws_sdk_s3::Client, unit: u32, region: &str, name: &str) {
    let tags = absent_ok(
        c.get_bucket_tagging().bucket(name).send().await.map_err(ce),
        &["NoSuchTagSet"],
    )
    .map(|o| {
        o.map(|t| tag_map(t.tag_set().iter().map(|t| (t.key(), t.value()))))
            .unwrap_or_default()
    });
    let encryption = absent_ok(
        c.get_bucket_encryption()
            .bucket(name)
            .send()
            .await
            .map_err(ce),
        &["ServerSideEncryptionConfigurationNotFoundError"],
    )
    .map(|o| {
        let rule = o.as_ref().and_then(|o| {
            o.server_side_encryption_configuration()
                .and_then(|c| c.rules().first())
                .and_then(|r| r.apply_server_side_encryption_by_default())
        });
        match rule {
            None => BucketSse::None,
            Some(d) => match d.sse_algorithm().as_str() {
                "AES256" => BucketSse::S3,
                _ => BucketSse::Kms(Val::Known(match d.kms_master_key_id() {
                    Some(k) if !k.is_empty() => KeyRef::External(k.to_string()),
                    _ => KeyRef::AwsManaged("aws/s3".into()),
                })),
            },
        }
    });
    let versioning = c
        .get_bucket_versioning()
        .bucket(name)
        .send()
        .await
        .map_err(ce);
    let (versioning, mfa_delete) = match versioning {
        Ok(v) => (
            Val::Known(v.status().map(|s| s.as_str()) == Some("Enabled")),
            Val::Known(v.mfa_delete().map(|s| s.as_str()) == Some("Enabled")),
        ),
        Err(e) => (
            Val::unknown(format!("s3:GetBucketVersioning: {e}")),
            Val::unknown(format!("s3:GetBucketVersioning: {e}")),
        ),
    };
    let lock = absent_ok(
        c.get_object_lock_configuration()
            .bucket(name)
            .send()
            .await
            .map_err(ce),
        &["ObjectLockConfigurationNotFoundError"],
    );
    let (object_lock, lock_retention) = match lock {
        Ok(None) => (Val::Known(false), Val::Known(None)),
        Ok(Some(o)) => {
            let conf = o.object_lock_configuration();
            let on = conf
                .and_then(|c| c.object_lock_enabled())
                .map(|e| e.as_str() == "Enabled")
                .unwrap_or(false);
            let ret = conf
                .and_then(|c| c.rule())
                .and_then(|r| r.default_retention())
                .map(|d| {
                    let days = d.days().map(|d| d as u32).unwrap_or(0)
                        + d.years().map(|y| y as u32 * 365).unwrap_or(0);
                    Retention {
                        mode: if d.mode().map(|m| m.as_str()) == Some("COMPLIANCE") {
                            LockMode::Compliance
                        } else {
                            LockMode::Governance
                        },
                        days,
                    }
                });
            (Val::Known(on), Val::Known(ret))
        }
        Err(e) => (
            Val::unknown(format!("s3:GetObjectLockConfiguration: {e}")),
            Val::unknown(format!("s3:GetObjectLockConfiguration: {e}")),
        ),
    };
    let lifecycle = absent_ok(
        c.get_bucket_lifecycle_configuration()
            .bucket(name)
            .send()
            .await
            .map_err(ce),
        &["NoSuchLifecycleConfiguration"],
    )
    .map(|o| {
        o.map(|o| {
            o.rules()
                .iter()
                .map(|r| LifecycleRule {
                    id: r.id().map(str::to_string),
                    enabled: r.status().as_str() == "Enabled",
                    prefix: r.filter().and_then(|f| f.prefix().map(str::to_string)),
                    expiration_days: r.expiration().and_then(|e| e.days()).map(|d| d as u32),
                    noncurrent_expiration_days: r
                        .noncurrent_version_expiration()
                        .and_then(|e| e.noncurrent_days())
                        .map(|d| d as u32),
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    });
    let policy = absent_ok(
        c.get_bucket_policy().bucket(name).send().await.map_err(ce),
        &["NoSuchBucketPolicy"],
    );
    let policy = match policy {
        Ok(None) => Val::Known(None),
        Ok(Some(o)) => match o.policy() {
            Some(p) => match crate::policy::parse(p) {
                Ok(d) => Val::Known(Some(d)),
                Err(e) => Val::unknown(format!("the bucket policy could not be read: {e}")),
            },
            None => Val::Known(None),
        },
        Err(e) => Val::unknown(format!("s3:GetBucketPolicy: {e}")),
    };
    let pab = absent_ok(
        c.get_public_access_block()
            .bucket(name)
            .send()
            .await
            .map_err(ce),
        &["NoSuchPublicAccessBlockConfiguration"],
    )
    .map(|o| o.and_then(|o| o.public_access_block_configuration().map(pab_s3)));
    let (public_acl, object_ownership) = acl(c, name).await;
    let arn = format!("arn:{}:s3:::{name}", s.partition);
    let rid = s.add_in(unit, region, "AWS::S3::Bucket", name, &arn, None);
    s.with(|inv| {
        match tags {
            Ok(t) => inv.meta_mut(rid).tags = Val::Known(t),
            Err(e) => inv.meta_mut(rid).tags = Val::unknown(format!("s3:GetBucketTagging: {e}")),
        }
        inv.buckets.push(phiguard_model::Bucket {
            rid,
            name: Val::Known(name.to_string()),
            encryption: val("s3:GetBucketEncryption", encryption),
            versioning,
            mfa_delete,
            object_lock,
            lock_retention,
            lifecycle: val("s3:GetBucketLifecycleConfiguration", lifecycle),
            policy,
            public_access_block: val("s3:GetPublicAccessBlock", pab),
            public_acl,
            object_ownership,
        })
    });
}

/// The bucket ACL's grants to `AllUsers` and `AuthenticatedUsers`, and
/// Object Ownership (a bucket without ownership controls has ACLs enabled,
/// as `ObjectWriter`), read together.
async fn acl(c: &aws_sdk_s3::Client, name: &str) -> (Val<Vec<AclGrant>>, Val<ObjectOwnership>) {
    let (acl, own) = futures::join!(
        c.get_bucket_acl().bucket(name).send(),
        c.get_bucket_ownership_controls().bucket(name).send()
    );
    let grants = match acl.map_err(ce) {
        Ok(o) => Val::Known(
            o.grants()
                .iter()
                .filter_map(|g| {
                    let uri = g.grantee()?.uri()?;
                    if !uri.contains("acs.amazonaws.com/groups/global/") {
                        return None;
                    }
                    let group = match uri.rsplit('/').next()? {
                        "AllUsers" => "AllUsers",
                        "AuthenticatedUsers" => "AuthenticatedUsers",
                        _ => return None,
                    };
                    Some(AclGrant {
                        group: group.into(),
                        permission: g.permission()?.as_str().to_string(),
                    })
                })
                .collect(),
        ),
        Err(e) => Val::unknown(format!("s3:GetBucketAcl: {e}")),
    };
    let ownership = match absent_ok(own.map_err(ce), &["OwnershipControlsNotFoundError"]) {
        Ok(None) => Val::Known(ObjectOwnership::ObjectWriter),
        Ok(Some(o)) => {
            match o
                .ownership_controls()
                .and_then(|c| c.rules().first())
                .map(|r| r.object_ownership().as_str())
            {
                Some("BucketOwnerEnforced") => Val::Known(ObjectOwnership::BucketOwnerEnforced),
                Some("BucketOwnerPreferred") => Val::Known(ObjectOwnership::BucketOwnerPreferred),
                Some("ObjectWriter") | None => Val::Known(ObjectOwnership::ObjectWriter),
                Some(other) => Val::unknown(format!("Object Ownership {other:?}")),
            }
        }
        Err(e) => Val::unknown(format!("s3:GetBucketOwnershipControls: {e}")),
    };
    (grants, ownership)
}

fn pab_s3(p: &aws_sdk_s3::types::PublicAccessBlockConfiguration) -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: p.block_public_acls().unwrap_or(false),
        ignore_public_acls: p.ignore_public_acls().unwrap_or(false),
        block_public_policy: p.block_public_policy().unwrap_or(false),
        restrict_public_buckets: p.restrict_public_buckets().unwrap_or(false),
    }
}

/// Account-level Block Public Access, through s3control.
async fn account_block(s: &Scope) {
    let mut b = aws_sdk_s3control::config::Builder::from(&s.sdk).interceptor(s.rec.clone());
    if let Some(url) = &s.endpoint {
        // A loopback emulator cannot take the `{account}.` host prefix.
        b = b.endpoint_resolver(FixedEndpoint(url.clone()));
    }
    let c = aws_sdk_s3control::Client::from_conf(b.build());
    let r = absent_ok(
        c.get_public_access_block()
            .account_id(&s.account)
            .send()
            .await
            .map_err(ce),
        &["NoSuchPublicAccessBlockConfiguration"],
    );
    let v = match r {
        Ok(o) => Val::Known(o.and_then(|o| {
            o.public_access_block_configuration()
                .map(|p| PublicAccessBlock {
                    block_public_acls: p.block_public_acls().unwrap_or(false),
                    ignore_public_acls: p.ignore_public_acls().unwrap_or(false),
                    block_public_policy: p.block_public_policy().unwrap_or(false),
                    restrict_public_buckets: p.restrict_public_buckets().unwrap_or(false),
                })
        })),
        Err(e) => {
            s.gap(
                Collection::AccountPublicAccessBlock,
                "s3control:GetPublicAccessBlock",
                &e,
            );
            Val::unknown(format!("s3control:GetPublicAccessBlock: {e}"))
        }
    };
    s.with(|inv| {
        for a in inv.org_accounts.iter_mut().filter(|a| a.id == s.account) {
            a.public_access_block = v.clone();
        }
    });
}

#[derive(Debug, Clone)]
struct FixedEndpoint(String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for FixedEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        _params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(
            aws_smithy_types::endpoint::Endpoint::builder()
                .url(self.0.clone())
                .build(),
        ))
    }
}
