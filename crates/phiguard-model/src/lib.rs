//! phiguard's typed inventory.
//!
//! Collectors (CloudFormation, Terraform, live AWS) fill an [`Inventory`]; rules
//! read it. This crate has no I/O and no async: it is plain data.

mod live;
mod meta;
pub mod par;
mod policy;
mod resources;
pub mod schedule;
pub mod selectors;
mod val;
mod waiver;

pub use live::*;
pub use meta::*;
pub use policy::*;
pub use resources::*;
pub use val::*;
pub use waiver::*;

use serde::Serialize;

/// One unit of deployment: a template, a plan, or an account and region.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    /// The file, or `account/region`.
    pub name: String,
    pub source: SourceKind,
    pub account: Val<String>,
    pub region: Val<String>,
    /// The account's role (`management`, `security`, `logs`, `prod`, ...) where known.
    pub account_role: Val<Option<String>>,
}

/// Everything the collectors found, as one estate.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Inventory {
    /// Every resource read, modelled or not, indexed by [`Rid`].
    pub metas: Vec<Meta>,
    pub units: Vec<Unit>,

    pub buckets: Vec<Bucket>,
    pub kms_keys: Vec<KmsKey>,
    pub ebs_volumes: Vec<EbsVolume>,
    pub ebs_defaults: Vec<EbsDefaults>,
    pub databases: Vec<Database>,
    pub dynamo_tables: Vec<DynamoTable>,
    pub load_balancers: Vec<LoadBalancer>,
    pub listeners: Vec<Listener>,
    pub api_domains: Vec<ApiDomain>,
    pub distributions: Vec<Distribution>,
    pub vpcs: Vec<Vpc>,
    pub vpc_endpoints: Vec<VpcEndpoint>,
    pub transit_gateways: Vec<TransitGateway>,
    pub flow_logs: Vec<FlowLog>,
    pub log_groups: Vec<LogGroup>,
    pub security_groups: Vec<SecurityGroup>,
    pub iam_users: Vec<IamUser>,
    pub access_keys: Vec<AccessKey>,
    pub root_users: Vec<RootUser>,
    pub iam_roles: Vec<IamRole>,
    pub sso_instances: Vec<SsoInstance>,
    pub permission_sets: Vec<PermissionSet>,
    pub eks_clusters: Vec<EksCluster>,
    pub eks_addons: Vec<EksAddon>,
    pub pod_identity_associations: Vec<PodIdentityAssociation>,
    pub node_groups: Vec<NodeGroup>,
    pub secrets: Vec<Secret>,
    pub code_values: Vec<CodeValue>,
    pub trails: Vec<Trail>,
    pub guardduty: Vec<GuardDuty>,
    pub security_hubs: Vec<SecurityHub>,
    pub macie: Vec<Macie>,
    pub config_recorders: Vec<ConfigRecorder>,
    pub delivery_channels: Vec<DeliveryChannel>,
    pub inspectors: Vec<Inspector>,
    pub ecr_repositories: Vec<EcrRepository>,
    pub ecr_registry_scanning: Vec<EcrRegistryScanning>,
    pub backup_vaults: Vec<BackupVault>,
    pub backup_plans: Vec<BackupPlan>,
    pub backup_selections: Vec<BackupSelection>,
    pub restore_testing_plans: Vec<RestoreTestingPlan>,
    pub org_policies: Vec<OrgPolicy>,
    pub search_domains: Vec<SearchDomain>,
    pub efs_file_systems: Vec<EfsFileSystem>,
    pub notebook_instances: Vec<NotebookInstance>,
    pub lambda_functions: Vec<LambdaFunction>,
    pub function_urls: Vec<FunctionUrl>,

    // Live only.
    pub organizations: Vec<Organization>,
    pub org_accounts: Vec<OrgAccount>,
    pub agreements: Vec<Agreement>,
    pub vuln_findings: Vec<VulnFinding>,
    pub workloads: Vec<Workload>,
    /// What the live audit could not read.
    pub gaps: Vec<Gap>,
    pub queues: Vec<Queue>,
    pub topics: Vec<Topic>,
    pub streams: Vec<Stream>,
    /// RDS DB parameter groups and DB cluster parameter groups.
    pub db_parameter_groups: Vec<DbParameterGroup>,

    /// Account-level S3 Block Public Access set by code.
    pub account_blocks: Vec<AccountBlock>,
    pub snapshots: Vec<Snapshot>,
    pub cache_clusters: Vec<CacheCluster>,
    pub warehouses: Vec<Warehouse>,
}

impl Inventory {
    /// Registers a resource and returns its id.
    pub fn add_meta(
        &mut self,
        kind: impl Into<String>,
        name: impl Into<String>,
        origin: Origin,
        unit: u32,
    ) -> Rid {
        let meta = Meta::new(kind, name, origin, self.units.get(unit as usize));
        self.register(meta, unit)
    }

    /// Registers resources whose metadata was made beforehand (by
    /// [`Meta::new`], say on another thread), in order: each gets the next
    /// rid, and `unit`. Returns the rid the first gets.
    pub fn add_metas(&mut self, metas: Vec<Meta>, unit: u32) -> Rid {
        let first = Rid(self.metas.len() as u32);
        self.metas.reserve(metas.len());
        for m in metas {
            self.register(m, unit);
        }
        first
    }

    /// Gives `meta` the next rid and `unit`, and keeps it.
    fn register(&mut self, mut meta: Meta, unit: u32) -> Rid {
        let rid = Rid(self.metas.len() as u32);
        meta.rid = rid;
        meta.unit = unit;
        self.metas.push(meta);
        rid
    }

    /// Moves every resource of `other` to the end of this inventory's lists,
    /// keeping their order: how the parts of an estate mapped on several
    /// threads are joined. `other` holds resources only: its `metas` and
    /// `units` must be empty (resources refer to this inventory's).
    pub fn append(&mut self, other: Inventory) {
        /// `a` then `b`; the first part is moved, not copied.
        fn join<T>(a: &mut Vec<T>, mut b: Vec<T>) {
            if a.is_empty() {
                *a = b;
            } else {
                a.append(&mut b);
            }
        }
        // Every field is named: a list added to the inventory does not
        // compile until it is joined here.
        let Inventory {
            metas,
            units,
            buckets,
            kms_keys,
            ebs_volumes,
            ebs_defaults,
            databases,
            dynamo_tables,
            load_balancers,
            listeners,
            api_domains,
            distributions,
            vpcs,
            vpc_endpoints,
            transit_gateways,
            flow_logs,
            log_groups,
            security_groups,
            iam_users,
            access_keys,
            root_users,
            iam_roles,
            sso_instances,
            permission_sets,
            eks_clusters,
            eks_addons,
            pod_identity_associations,
            node_groups,
            secrets,
            code_values,
            trails,
            guardduty,
            security_hubs,
            macie,
            config_recorders,
            delivery_channels,
            inspectors,
            ecr_repositories,
            ecr_registry_scanning,
            backup_vaults,
            backup_plans,
            backup_selections,
            restore_testing_plans,
            org_policies,
            search_domains,
            efs_file_systems,
            notebook_instances,
            lambda_functions,
            function_urls,
            organizations,
            org_accounts,
            agreements,
            vuln_findings,
            workloads,
            gaps,
            queues,
            topics,
            streams,
            db_parameter_groups,
            account_blocks,
            snapshots,
            cache_clusters,
            warehouses,
        } = other;
        assert!(
            metas.is_empty() && units.is_empty(),
            "only resources are appended to an inventory"
        );
        join(&mut self.buckets, buckets);
        join(&mut self.kms_keys, kms_keys);
        join(&mut self.ebs_volumes, ebs_volumes);
        join(&mut self.ebs_defaults, ebs_defaults);
        join(&mut self.databases, databases);
        join(&mut self.dynamo_tables, dynamo_tables);
        join(&mut self.load_balancers, load_balancers);
        join(&mut self.listeners, listeners);
        join(&mut self.api_domains, api_domains);
        join(&mut self.distributions, distributions);
        join(&mut self.vpcs, vpcs);
        join(&mut self.vpc_endpoints, vpc_endpoints);
        join(&mut self.transit_gateways, transit_gateways);
        join(&mut self.flow_logs, flow_logs);
        join(&mut self.log_groups, log_groups);
        join(&mut self.security_groups, security_groups);
        join(&mut self.iam_users, iam_users);
        join(&mut self.access_keys, access_keys);
        join(&mut self.root_users, root_users);
        join(&mut self.iam_roles, iam_roles);
        join(&mut self.sso_instances, sso_instances);
        join(&mut self.permission_sets, permission_sets);
        join(&mut self.eks_clusters, eks_clusters);
        join(&mut self.eks_addons, eks_addons);
        join(
            &mut self.pod_identity_associations,
            pod_identity_associations,
        );
        join(&mut self.node_groups, node_groups);
        join(&mut self.secrets, secrets);
        join(&mut self.code_values, code_values);
        join(&mut self.trails, trails);
        join(&mut self.guardduty, guardduty);
        join(&mut self.security_hubs, security_hubs);
        join(&mut self.macie, macie);
        join(&mut self.config_recorders, config_recorders);
        join(&mut self.delivery_channels, delivery_channels);
        join(&mut self.inspectors, inspectors);
        join(&mut self.ecr_repositories, ecr_repositories);
        join(&mut self.ecr_registry_scanning, ecr_registry_scanning);
        join(&mut self.backup_vaults, backup_vaults);
        join(&mut self.backup_plans, backup_plans);
        join(&mut self.backup_selections, backup_selections);
        join(&mut self.restore_testing_plans, restore_testing_plans);
        join(&mut self.org_policies, org_policies);
        join(&mut self.search_domains, search_domains);
        join(&mut self.efs_file_systems, efs_file_systems);
        join(&mut self.notebook_instances, notebook_instances);
        join(&mut self.lambda_functions, lambda_functions);
        join(&mut self.function_urls, function_urls);
        join(&mut self.organizations, organizations);
        join(&mut self.org_accounts, org_accounts);
        join(&mut self.agreements, agreements);
        join(&mut self.vuln_findings, vuln_findings);
        join(&mut self.workloads, workloads);
        join(&mut self.gaps, gaps);
        join(&mut self.queues, queues);
        join(&mut self.topics, topics);
        join(&mut self.streams, streams);
        join(&mut self.db_parameter_groups, db_parameter_groups);
        join(&mut self.account_blocks, account_blocks);
        join(&mut self.snapshots, snapshots);
        join(&mut self.cache_clusters, cache_clusters);
        join(&mut self.warehouses, warehouses);
    }

    pub fn meta(&self, rid: Rid) -> &Meta {
        &self.metas[rid.0 as usize]
    }

    pub fn meta_mut(&mut self, rid: Rid) -> &mut Meta {
        &mut self.metas[rid.0 as usize]
    }

    /// Every resource's identity, in the order they were registered.
    pub fn metas(&self) -> &[Meta] {
        &self.metas
    }

    /// Adds the waivers declared by `phiguard:waive` tags to every resource
    /// whose tags are known; returns the tags that could not be read, with
    /// the resource and what is wrong.
    pub fn add_tag_waivers(&mut self) -> Vec<(Rid, String)> {
        let mut errors = Vec::new();
        for m in &mut self.metas {
            if let Val::Known(tags) = &m.tags {
                for w in waivers_from_tags(tags) {
                    match w {
                        Ok(w) => m.waivers.push(w),
                        Err(e) => errors.push((m.rid, e)),
                    }
                }
            }
        }
        errors
    }

    pub fn unit(&self, rid: Rid) -> Option<&Unit> {
        self.units.get(self.meta(rid).unit as usize)
    }

    /// The source kinds present in this inventory.
    pub fn sources(&self) -> Vec<SourceKind> {
        let mut v: Vec<SourceKind> = self.units.iter().map(|u| u.source).collect();
        v.sort();
        v.dedup();
        v
    }

    pub fn kms_key(&self, rid: Rid) -> Option<&KmsKey> {
        by_rid(&self.kms_keys, rid, |k| k.rid)
    }
    pub fn bucket(&self, rid: Rid) -> Option<&Bucket> {
        by_rid(&self.buckets, rid, |b| b.rid)
    }
    pub fn role(&self, rid: Rid) -> Option<&IamRole> {
        by_rid(&self.iam_roles, rid, |r| r.rid)
    }
    pub fn log_group(&self, rid: Rid) -> Option<&LogGroup> {
        by_rid(&self.log_groups, rid, |g| g.rid)
    }

    /// Is this key customer-managed? A key of the inventory answers for itself;
    /// `alias/aws/*` and omitted keys are AWS-managed; a customer alias is
    /// customer-managed; a bare key id or ARN outside the inventory cannot be told.
    pub fn customer_managed(&self, key: &KeyRef) -> Val<bool> {
        match key {
            KeyRef::Key(rid) => match self.kms_key(*rid) {
                Some(k) => k.manager.as_ref().map(|m| *m == KeyManager::Customer),
                None => Val::unknown("the key is not a KMS key of the estate"),
            },
            KeyRef::AwsManaged(_) | KeyRef::AwsOwned => Val::Known(false),
            KeyRef::External(s) => {
                let alias = s
                    .rsplit_once(":alias/")
                    .map(|(_, a)| a)
                    .or_else(|| s.strip_prefix("alias/"));
                match alias {
                    Some(a) if a.starts_with("aws/") => Val::Known(false),
                    Some(_) => Val::Known(true),
                    None => Val::unknown(format!(
                        "key {s} is not in the estate, so whether it is customer-managed cannot be told"
                    )),
                }
            }
        }
    }

    /// A description of a key for messages.
    pub fn describe_key(&self, key: &KeyRef) -> String {
        match key {
            KeyRef::Key(rid) => format!("key {}", self.meta(*rid).name),
            KeyRef::AwsManaged(a) => format!("the AWS-managed key {a}"),
            KeyRef::AwsOwned => "an AWS-owned key".to_string(),
            KeyRef::External(s) => format!("key {s}"),
        }
    }

    /// Do two resources deploy to the same account and region? The same unit
    /// (template, plan, or account/region), or units whose account and region
    /// are both known and equal.
    pub fn same_place(&self, a: Rid, b: Rid) -> bool {
        let (ma, mb) = (self.meta(a), self.meta(b));
        if ma.unit == mb.unit {
            return true;
        }
        matches!((&ma.account, &mb.account), (Val::Known(x), Val::Known(y)) if x == y)
            && matches!((&ma.region, &mb.region), (Val::Known(x), Val::Known(y)) if x == y)
    }

    /// The gaps left by the live audit in these collections.
    pub fn gaps_in<'a>(
        &'a self,
        collections: &'a [Collection],
    ) -> impl Iterator<Item = &'a Gap> + 'a {
        self.gaps
            .iter()
            .filter(move |g| collections.contains(&g.collection))
    }

    /// The account of the organization with this id.
    pub fn org_account(&self, id: &str) -> Option<&OrgAccount> {
        self.org_accounts.iter().find(|a| a.id == id)
    }

    /// Whether the resource carries the tag `key=value` (case-insensitive value).
    pub fn has_tag(&self, rid: Rid, key: &str, value: &str) -> Val<bool> {
        self.meta(rid)
            .tags
            .as_ref()
            .map(|t| t.get(key).is_some_and(|v| v.eq_ignore_ascii_case(value)))
    }
}

/// The item of `items` for `rid`. The mappers push resources in the order
/// their rids were given, so a binary search finds it at once; where a list
/// is not in that order the search may miss, and the whole list is read.
fn by_rid<T>(items: &[T], rid: Rid, rid_of: impl Fn(&T) -> Rid) -> Option<&T> {
    position_by_rid(items, rid, rid_of).map(|i| &items[i])
}

/// Where the item of resource `rid` is in `items`. A model list is made in
/// rid order, so this is a binary search; a list in another order is
/// scanned whole.
pub fn position_by_rid<T>(items: &[T], rid: Rid, rid_of: impl Fn(&T) -> Rid) -> Option<usize> {
    match items.binary_search_by_key(&rid, &rid_of) {
        Ok(i) => Some(i),
        Err(_) => items.iter().position(|x| rid_of(x) == rid),
    }
}

#[cfg(test)]
mod by_rid_tests {
    use super::*;

    #[test]
    fn finds_an_item_in_rid_order_or_not() {
        let sorted = [Rid(1), Rid(4), Rid(9)];
        assert_eq!(by_rid(&sorted, Rid(4), |r| *r), Some(&Rid(4)));
        assert_eq!(by_rid(&sorted, Rid(5), |r| *r), None);
        // A list not in rid order is still searched whole.
        let unsorted = [Rid(9), Rid(1), Rid(7), Rid(3), Rid(2)];
        for r in unsorted {
            assert_eq!(by_rid(&unsorted, r, |x| *x), Some(&r));
        }
        assert_eq!(by_rid(&unsorted, Rid(5), |x| *x), None);
        assert_eq!(position_by_rid(&unsorted, Rid(7), |x| *x), Some(2));
        assert_eq!(position_by_rid(&sorted, Rid(9), |x| *x), Some(2));
        assert_eq!(position_by_rid(&sorted, Rid(0), |x| *x), None);
    }
}
