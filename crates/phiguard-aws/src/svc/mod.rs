//! The service collectors. A job reads one service (or a few related ones)
//! for one account and region, and writes what it read into the inventory.

mod data;
mod detect;
mod ec2;
mod elasticache;
mod exposure;
mod iam;
mod kms;
mod logging;
mod net;
mod ops;
mod queues;
mod redshift;
mod s3;
mod search;
mod snapshots;
mod stores;

use crate::scope::Scope;
use futures::future::BoxFuture;
use phiguard_model::Collection;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// `(account, region)` → unit index; S3 adds units for buckets outside the regions audited.
pub type Units = Arc<Mutex<BTreeMap<(String, String), u32>>>;
pub type Job = fn(Scope, Units) -> BoxFuture<'static, ()>;

macro_rules! job {
    ($f:path) => {
        |s: Scope, _u: Units| -> BoxFuture<'static, ()> { Box::pin($f(s)) }
    };
}

const GLOBAL: &[Job] = &[
    job!(iam::collect),
    |s, u| Box::pin(s3::collect(s, u)),
    job!(net::cloudfront),
    job!(ops::artifact),
];

const REGIONAL: &[Job] = &[
    job!(kms::collect),
    job!(ec2::collect),
    job!(data::rds),
    job!(data::dynamodb),
    job!(data::secrets),
    job!(data::lambda),
    job!(net::elbv2),
    job!(net::apigateway),
    job!(logging::cloudtrail),
    job!(logging::logs),
    job!(detect::guardduty),
    job!(detect::securityhub),
    job!(detect::macie),
    job!(detect::config),
    job!(detect::inspector),
    job!(detect::ecr),
    job!(ops::backup),
    job!(ops::eks),
    job!(ops::sso),
    job!(queues::sqs),
    job!(queues::sns),
    job!(queues::kinesis),
    job!(search::opensearch),
    job!(stores::efs),
    job!(stores::sagemaker),
    job!(snapshots::ec2),
    job!(snapshots::rds),
    job!(elasticache::collect),
    job!(redshift::collect),
];

pub fn jobs(global: bool) -> &'static [Job] {
    if global { GLOBAL } else { REGIONAL }
}

/// What the jobs of a unit read: all of it is missing when the account cannot be entered.
pub fn collections_of(global: bool) -> Vec<Collection> {
    use Collection::*;
    if global {
        vec![
            IamUsers,
            RootUser,
            IamRoles,
            Buckets,
            AccountPublicAccessBlock,
            Distributions,
            Agreements,
        ]
    } else {
        vec![
            KmsKeys,
            EbsVolumes,
            EbsDefaults,
            Vpcs,
            VpcEndpoints,
            TransitGateways,
            FlowLogs,
            SecurityGroups,
            Workloads,
            Databases,
            DynamoTables,
            Secrets,
            LoadBalancers,
            ApiDomains,
            Trails,
            LogGroups,
            GuardDuty,
            SecurityHub,
            Macie,
            Config,
            Inspector,
            VulnFindings,
            Ecr,
            Backup,
            RestoreTesting,
            Eks,
            Sso,
            Queues,
            Topics,
            Streams,
            SearchDomains,
            EfsFileSystems,
            NotebookInstances,
            DbParameterGroups,
            Snapshots,
            FunctionUrls,
            Caches,
            Warehouses,
        ]
    }
}
