//! What only the live audit can see: the organization's structure, agreements,
//! open vulnerabilities, workloads, and the gaps left where collection failed.

use crate::{Rid, Val};
use serde::Serialize;

/// The AWS Organization, read once from the management (or a delegated) account.
#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    pub rid: Rid,
    pub id: Val<String>,
    /// `ALL` or `CONSOLIDATED_BILLING`.
    pub feature_set: Val<String>,
    pub management_account: Val<String>,
}

/// A root or organizational unit on an account's path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgNode {
    /// `r-...` for the root, `ou-...` for an OU.
    pub id: String,
    pub name: String,
}

/// An account of the organization (or the one account of a single-account audit).
#[derive(Debug, Clone, Serialize)]
pub struct OrgAccount {
    pub rid: Rid,
    pub id: String,
    pub name: Val<String>,
    /// `ACTIVE`, `SUSPENDED`, ...
    pub status: Val<String>,
    /// The root, then each OU down to the account's parent: the targets whose
    /// SCPs apply to the account besides the account itself.
    pub path: Val<Vec<OrgNode>>,
    /// Its role, from `phiguard.toml`, else from its OU name or `phiguard:role` tag.
    pub role: Val<Option<String>>,
    /// Account-level S3 Block Public Access (`s3control:GetPublicAccessBlock`);
    /// `None` when the account has none.
    pub public_access_block: Val<Option<crate::PublicAccessBlock>>,
    /// The account's tags (`organizations:ListTagsForResource`).
    pub tags: Val<std::collections::BTreeMap<String, String>>,
    /// Whether this run audited the account (it may be outside `--accounts` or the shard).
    pub audited: bool,
}

/// An AWS Artifact customer agreement (`artifact:ListCustomerAgreements`).
#[derive(Debug, Clone, Serialize)]
pub struct Agreement {
    pub rid: Rid,
    pub name: Val<String>,
    /// `ACTIVE`, `CUSTOMER_TERMINATED`, `AWS_TERMINATED`.
    pub state: Val<String>,
    /// `ORGANIZATION` (the summary has an `organizationArn`) or `ACCOUNT`.
    pub scope: Val<String>,
}

/// An Amazon Inspector finding (`inspector2:ListFindings`).
#[derive(Debug, Clone, Serialize)]
pub struct VulnFinding {
    pub rid: Rid,
    pub title: Val<String>,
    /// `CRITICAL`, `HIGH`, `MEDIUM`, `LOW`, `INFORMATIONAL`, `UNTRIAGED`.
    pub severity: Val<String>,
    /// `ACTIVE`, `SUPPRESSED`, `CLOSED`.
    pub status: Val<String>,
    /// Seconds since the epoch.
    pub first_observed: Val<i64>,
    /// The affected resource (instance id, image ARN, ...).
    pub resource: Val<String>,
}

/// Something that runs code: an EC2 instance or a Lambda function.
#[derive(Debug, Clone, Serialize)]
pub struct Workload {
    pub rid: Rid,
    /// `running`, `stopped`, ... for instances; `Active` for functions.
    pub state: Val<String>,
}

/// One kind of thing the live collector reads. A [`Gap`] names the kind it
/// could not read; rules that read it cannot decide from absence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Collection {
    Organization,
    Accounts,
    Agreements,
    Buckets,
    AccountPublicAccessBlock,
    KmsKeys,
    EbsVolumes,
    EbsDefaults,
    Databases,
    DynamoTables,
    LoadBalancers,
    ApiDomains,
    Distributions,
    Vpcs,
    VpcEndpoints,
    TransitGateways,
    FlowLogs,
    LogGroups,
    SecurityGroups,
    IamUsers,
    RootUser,
    IamRoles,
    Sso,
    Eks,
    Secrets,
    Trails,
    GuardDuty,
    SecurityHub,
    Macie,
    Config,
    Inspector,
    VulnFindings,
    Ecr,
    Backup,
    RestoreTesting,
    OrgPolicies,
    Workloads,
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
}

impl Collection {
    pub fn name(self) -> String {
        let mut out = String::new();
        for (i, c) in format!("{self:?}").chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }
}

/// A part of an account and region that the live audit could not read: access
/// denied, a service not enabled or subscribed, a timeout, a malformed response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// The unit (account and region) it concerns.
    pub unit: u32,
    pub collection: Collection,
    /// The operation that failed, `service:Operation`.
    pub operation: String,
    pub reason: String,
}
