//! Terraform resource types into typed model resources, one module per
//! service area, in the same shape as the CloudFormation mappers
//! ([`Domain`]: the types read, a map per resource, then the joins).

mod apigw;
mod backup;
mod cachewh;
mod cloudfront;
mod cloudtrail;
mod code;
mod db_port;
mod detect;
mod dynamodb;
mod ebs;
mod ecr;
mod efs;
mod eks;
mod elb;
mod endpoints;
mod flow;
mod iam;
mod kms;
mod lambda;
mod organizations;
mod queues;
mod rds;
mod resource_policies;
mod s3;
mod s3_account;
mod sagemaker;
mod search;
mod secrets;
mod sg;
mod snapshots;
mod trail_selectors;

use crate::InputError;
use crate::cfn::estate::Estate;
use crate::cfn::map::Domain;
use crate::cfn::props::P;
use phiguard_model::{Inventory, KeyRef, Link, Val};

static DOMAINS: &[&Domain] = &[
    &s3::DOMAIN,
    &kms::DOMAIN,
    &ebs::DOMAIN,
    &dynamodb::DOMAIN,
    &rds::DOMAIN,
    &cloudtrail::DOMAIN,
    &flow::DOMAIN,
    &endpoints::DOMAIN,
    &elb::DOMAIN,
    &organizations::DOMAIN,
    &sg::DOMAIN,
    &secrets::DOMAIN,
    &iam::DOMAIN,
    &eks::DOMAIN,
    &backup::DOMAIN,
    &detect::DOMAIN,
    &ecr::DOMAIN,
    &code::DOMAIN,
    &apigw::DOMAIN,
    &cloudfront::DOMAIN,
    &queues::DOMAIN,
    &search::DOMAIN,
    &efs::DOMAIN,
    &sagemaker::DOMAIN,
    &s3_account::DOMAIN,
    &snapshots::DOMAIN,
    &lambda::DOMAIN,
    &resource_policies::DOMAIN,
    &cachewh::DOMAIN,
];

/// The Terraform resource types phiguard models.
pub fn modelled_types() -> impl Iterator<Item = &'static str> {
    DOMAINS.iter().flat_map(|d| d.types.iter().copied())
}

/// What the estate must know before mapping: the ids and ARNs of the keys,
/// and the keys the aliases target.
pub fn prepare(est: &mut Estate) {
    let mut ids = Vec::new();
    for r in est
        .of_type("aws_kms_key")
        .chain(est.of_type("aws_kms_replica_key"))
    {
        let p = est.props(r);
        for a in ["arn", "key_id", "id"] {
            if let Some(v) = p.get(a).v.and_then(|v| v.as_lit()) {
                ids.push((v.to_string(), r.rid));
            }
        }
    }
    for (id, rid) in ids {
        est.add_key_id(id, rid);
    }
    let mut aliases = Vec::new();
    for r in est.of_type("aws_kms_alias") {
        let p = est.props(r);
        let name = p.get("name").v.and_then(|v| v.as_lit()).map(str::to_string);
        aliases.push((r.rid, name, p.get("target_key_id").key_ref("")));
    }
    for (rid, name, target) in aliases {
        est.add_alias(rid, name, target);
    }
}

/// A nested block of a resource (Terraform writes blocks as lists): the
/// first one, `None` when there is none.
pub fn block<'a>(p: P<'a>, key: &'a str) -> crate::cfn::props::R<Val<Option<P<'a>>>> {
    let b = p.get(key);
    if b.is_absent() {
        return Ok(Val::Known(None));
    }
    if matches!(b.v, Some(crate::cfn::value::Value::Map(_))) {
        return Ok(Val::Known(Some(b)));
    }
    Ok(b.list()?.map(|l| l.into_iter().next()))
}

/// What an attribute names: the estate's resource its expression references
/// (of one of `kinds`), else the written value.
pub fn link_to(p: P, attr: &str, rid: phiguard_model::Rid, kinds: &[&str]) -> Val<Link> {
    if let Some(to) = p
        .est
        .refs(rid, attr)
        .iter()
        .find(|t| kinds.contains(&p.est.kind(**t)))
    {
        return Val::Known(Link::Resource(*to));
    }
    match p.get(attr).link() {
        // An unknown value referencing a resource of another type names nothing of the estate.
        Val::Known(Link::Resource(t)) if !kinds.contains(&p.est.kind(t)) => Val::unknown(format!(
            "{attr} is taken from {}, known only after apply",
            p.est.name(t)
        )),
        other => other,
    }
}

/// An attribute the configuration leaves out: absent, or computed by the
/// provider and so known only after apply although nothing sets it. AWS's
/// default then applies, as for an omitted CloudFormation property. `v` is
/// the attribute, `path` its path from the resource (`a.b` for nested blocks).
pub fn omitted(v: P, rid: phiguard_model::Rid, path: &str) -> bool {
    v.is_absent()
        || (matches!(v.v, Some(crate::cfn::value::Value::Unknown(r)) if r.ends_with(super::AFTER_APPLY))
            && !v.est.configured(rid, path))
}

/// The key a `kms_key_id`-like attribute names; `None` when unset.
pub fn key_opt(p: P, attr: &str) -> Val<Option<KeyRef>> {
    p.get(attr).key_opt()
}

pub fn map_all(inv: &mut Inventory, est: &Estate) -> Vec<InputError> {
    crate::cfn::map::run_domains(DOMAINS, inv, est)
}
