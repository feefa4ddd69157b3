use crate::util::keys::{customer_managed, judge_cmk};
use crate::{Cx, declare_rule};
use phiguard_model::{CacheKind, KeyRef, Val};

declare_rule! {
    /// ### What it checks
    /// Every ElastiCache Valkey or Redis OSS cache is encrypted at rest under
    /// a customer-managed KMS key:
    /// - a replication group has at-rest encryption on and names a
    ///   customer-managed `KmsKeyId` (without one, ElastiCache uses its
    ///   service-managed key);
    /// - a serverless cache (always encrypted at rest) names a
    ///   customer-managed `KmsKeyId`; serverless Memcached caches too;
    /// - a standalone Redis OSS cache cluster (`AWS::ElastiCache::CacheCluster`,
    ///   `aws_elasticache_cluster` outside a replication group) fails: ElastiCache
    ///   encrypts only replication groups and serverless caches at rest.
    ///
    /// Node-based Memcached clusters are out of scope: Memcached keeps data in
    /// memory only, never writes it to disk and has no backups, and
    /// ElastiCache offers no at-rest encryption for it (their transit
    /// encryption is TLS-9's). Every cache is judged, whatever its tags, as
    /// ENC-4 judges every database.
    ///
    /// ### Why
    /// A cache holds copies of PHI read from the databases behind it, and
    /// writes them to disk during sync, backup and swap, and to S3 as backups.
    /// A customer-managed key puts those copies under a key policy the
    /// organization controls and logs every use of the key in CloudTrail.
    ///
    /// ### Sources
    /// - Live: `elasticache:DescribeReplicationGroups` (`AtRestEncryptionEnabled`,
    ///   `KmsKeyId`), `DescribeServerlessCaches` (`KmsKeyId`), `DescribeCacheClusters`
    ///   (clusters without a `ReplicationGroupId`).
    /// - Terraform: `aws_elasticache_replication_group` (`at_rest_encryption_enabled`,
    ///   `kms_key_id`, `engine`), `aws_elasticache_serverless_cache` (`kms_key_id`),
    ///   `aws_elasticache_cluster` (`engine`).
    /// - CloudFormation: `AWS::ElastiCache::ReplicationGroup` (`AtRestEncryptionEnabled`,
    ///   `KmsKeyId`, `Engine`), `AWS::ElastiCache::ServerlessCache` (`KmsKeyId`),
    ///   `AWS::ElastiCache::CacheCluster` (`Engine`).
    ///
    /// ### Defaults assumed
    /// - An omitted engine is `redis`.
    /// - The API's `AtRestEncryptionEnabled` default is `true` for Valkey and
    ///   `false` for Redis OSS (ElastiCache API Reference, CreateReplicationGroup:
    ///   <https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html>);
    ///   the Terraform provider leaves it to the API ("When engine is redis,
    ///   default is false. When engine is valkey, default is true":
    ///   <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_replication_group#at_rest_encryption_enabled>).
    ///   CloudFormation documents `false` whatever the engine
    ///   (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-elasticache-replicationgroup.html#cfn-elasticache-replicationgroup-atrestencryptionenabled>),
    ///   so a Valkey group that omits it in a template is unknown when it names
    ///   a key, and fails when it names none (no customer-managed key either way).
    /// - An omitted `KmsKeyId` means the ElastiCache service-managed key;
    ///   serverless caches are always encrypted at rest, and at-rest encryption
    ///   is supported only on replication groups and serverless caches
    ///   (ElastiCache User Guide, "At-Rest Encryption in ElastiCache":
    ///   <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html>).
    /// - A group that joins a global datastore takes the global datastore's
    ///   encryption: unknown unless the code says so.
    pub static RULE = {
        id: "ENC-15",
        control: AtRestEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Caches, KmsKeys],
        scope: Resource,
        title: "ElastiCache Valkey and Redis OSS caches are encrypted at rest with a customer-managed key",
        remediation: "Create the replication group with AtRestEncryptionEnabled: true and KmsKeyId naming a customer-managed key (at-rest encryption and its key are fixed at creation: restore a backup into a new group), give serverless caches a customer-managed KmsKeyId, and replace standalone Redis OSS cache clusters with replication groups.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for c in &cx.inv.cache_clusters {
        let memcached = matches!(&c.engine, Val::Known(e) if e == "memcached");
        let what = match c.kind {
            CacheKind::ReplicationGroup => "the replication group",
            CacheKind::Serverless => "the serverless cache",
            CacheKind::Standalone => {
                match &c.engine {
                    Val::Known(_) if memcached => {}
                    Val::Known(_) => cx.fail(
                        c.rid,
                        "a standalone Redis OSS cache cluster cannot be encrypted at rest: ElastiCache encrypts only replication groups and serverless caches",
                    ),
                    Val::Unknown(r) => cx.unknown(
                        c.rid,
                        format!("the cache cluster's engine is not known ({r}): a Redis OSS cluster cannot be encrypted at rest, a Memcached one is out of scope"),
                    ),
                }
                continue;
            }
        };
        match &c.at_rest_encrypted {
            Val::Known(false) => cx.fail(c.rid, format!("{what} has at-rest encryption off")),
            Val::Known(true) if matches!(c.key, Val::Known(KeyRef::AwsOwned)) => cx.fail(
                c.rid,
                format!(
                    "{what} is encrypted at rest with the ElastiCache service-managed key (no KmsKeyId), not a customer-managed key"
                ),
            ),
            Val::Known(true) => judge_cmk(cx, c.rid, what, &c.key),
            Val::Unknown(r) => match customer_managed(cx.inv, &c.key) {
                (Val::Known(false), desc) => cx.fail(
                    c.rid,
                    format!(
                        "{what} is not encrypted at rest with a customer-managed key: it is unencrypted or under {}",
                        if matches!(c.key, Val::Known(KeyRef::AwsOwned)) {
                            "the ElastiCache service-managed key".to_string()
                        } else {
                            desc
                        }
                    ),
                ),
                _ => cx.unknown(c.rid, r.clone()),
            },
        }
    }
}
