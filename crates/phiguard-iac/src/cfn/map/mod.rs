//! CloudFormation resource types into typed model resources, one module per
//! service area. A module declares the types it reads, maps each resource, and
//! then joins what other resources say about it (`finish`).

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
mod flowlog;
pub(crate) mod iam;
mod kms;
mod lambda;
mod logs;
mod organizations;
mod queues;
mod rds;
mod s3;
mod sagemaker;
mod search;
mod secret_policy;
mod secrets;
mod sg;
mod vpc;

use super::estate::{Estate, EvalRes};
use super::props::{MapError, P};
use crate::InputError;
use phiguard_model::Inventory;
use std::collections::HashMap;

pub struct Mapper<'a> {
    pub inv: &'a mut Inventory,
    pub est: &'a Estate<'a>,
    pub errors: Vec<InputError>,
}

impl<'a> Mapper<'a> {
    pub fn props(&self, r: &'a EvalRes) -> P<'a> {
        self.est.props(r)
    }

    /// Records an error about resource `r` (it stays out of the model).
    pub fn error(&mut self, r: &EvalRes, e: MapError) {
        self.errors.push(InputError {
            file: r.file.clone(),
            line: e.pos.line,
            column: e.pos.col,
            message: format!("resource {}: {}", r.logical_id, e.message),
        });
    }
}

/// One service area's mapping.
pub struct Domain {
    /// The resource types `map` reads.
    pub types: &'static [&'static str],
    pub map: for<'a> fn(&mut Mapper<'a>, &'a EvalRes) -> Result<(), MapError>,
    /// Joins (bucket policies to buckets, rotation schedules to secrets, ...),
    /// after every resource is mapped. Errors go to [`Mapper::error`].
    pub finish: for<'a> fn(&mut Mapper<'a>),
}

pub fn no_finish(_: &mut Mapper) {}

static DOMAINS: &[&Domain] = &[
    &s3::DOMAIN,
    &kms::DOMAIN,
    &vpc::DOMAIN,
    &ebs::DOMAIN,
    &dynamodb::DOMAIN,
    &elb::DOMAIN,
    &apigw::DOMAIN,
    &cloudfront::DOMAIN,
    &detect::DOMAIN,
    &ecr::DOMAIN,
    &logs::DOMAIN,
    &flowlog::DOMAIN,
    &cloudtrail::DOMAIN,
    &organizations::DOMAIN,
    &rds::DOMAIN,
    &secrets::DOMAIN,
    &code::DOMAIN,
    &backup::DOMAIN,
    &endpoints::DOMAIN,
    &sg::DOMAIN,
    &iam::DOMAIN,
    &eks::DOMAIN,
    &queues::DOMAIN,
    &search::DOMAIN,
    &efs::DOMAIN,
    &sagemaker::DOMAIN,
    &lambda::DOMAIN,
    &secret_policy::DOMAIN,
    &cachewh::DOMAIN,
];

/// The resource types phiguard models from CloudFormation.
pub fn modelled_types() -> impl Iterator<Item = &'static str> {
    DOMAINS.iter().flat_map(|d| d.types.iter().copied())
}

pub fn map_all(inv: &mut Inventory, est: &Estate) -> Vec<InputError> {
    run_domains(DOMAINS, inv, est)
}

/// Maps every resource of the estate with the domain that reads its type,
/// then runs every domain's joins. Shared by the CloudFormation and
/// Terraform mappers.
pub fn run_domains(domains: &[&Domain], inv: &mut Inventory, est: &Estate) -> Vec<InputError> {
    let mut by_type: HashMap<&str, &Domain> = HashMap::new();
    for d in domains {
        for t in d.types {
            by_type.insert(t, d);
        }
    }
    let mut m = Mapper {
        inv,
        est,
        errors: Vec::new(),
    };
    for r in &est.resources {
        if let Some(d) = by_type.get(r.ty.as_str()) {
            if let Err(e) = (d.map)(&mut m, r) {
                m.error(r, e);
            }
        }
    }
    for d in domains {
        (d.finish)(&mut m);
    }
    m.errors
}
