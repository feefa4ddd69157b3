use crate::{Cx, declare_rule};
use phiguard_model::{CacheKind, TransitMode, Val};

declare_rule! {
    /// ### What it checks
    /// Every ElastiCache cache accepts only TLS connections: in-transit
    /// encryption is on and its mode is `required`. A mode of `preferred`
    /// still accepts plaintext connections and fails. Serverless caches
    /// always require TLS. Replication groups, standalone cache clusters
    /// (Redis OSS and Memcached) and serverless caches are all judged,
    /// whatever their tags.
    ///
    /// ### Why
    /// Cache traffic carries PHI between the application and the cache, and
    /// between the nodes of a replication group. Without TLS it crosses the
    /// VPC in the clear, with the AUTH token that protects the cache.
    ///
    /// ### Sources
    /// - Live: `elasticache:DescribeReplicationGroups` and `DescribeCacheClusters`
    ///   (`TransitEncryptionEnabled`, `TransitEncryptionMode`),
    ///   `DescribeServerlessCaches`.
    /// - Terraform: `aws_elasticache_replication_group` (`transit_encryption_enabled`,
    ///   `transit_encryption_mode`), `aws_elasticache_cluster`
    ///   (`transit_encryption_enabled`), `aws_elasticache_serverless_cache`.
    /// - CloudFormation: `AWS::ElastiCache::ReplicationGroup` (`TransitEncryptionEnabled`,
    ///   `TransitEncryptionMode`), `AWS::ElastiCache::CacheCluster`
    ///   (`TransitEncryptionEnabled`), `AWS::ElastiCache::ServerlessCache`.
    ///
    /// ### Defaults assumed
    /// - `TransitEncryptionEnabled` defaults to `false` (ElastiCache API
    ///   Reference, CreateReplicationGroup:
    ///   <https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html>;
    ///   the CloudFormation resource schema and the Terraform provider agree).
    /// - With in-transit encryption on and no mode, the mode is `required`:
    ///   `preferred` is the migration mode a request must ask for ("When
    ///   setting TransitEncryptionEnabled to true, you can set your
    ///   TransitEncryptionMode to preferred in the same request, to allow both
    ///   encrypted and unencrypted connections", same page; ElastiCache User
    ///   Guide, "Enabling in-transit encryption":
    ///   <https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption-enable.html>).
    /// - All serverless caches have in-transit encryption enabled
    ///   (<https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html>).
    /// - A CloudFormation Valkey replication group must set
    ///   `TransitEncryptionEnabled` (cfn-lint E3704); one that omits it is unknown.
    pub static RULE = {
        id: "TLS-9",
        control: InTransitEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Caches],
        scope: Resource,
        title: "ElastiCache caches require TLS",
        remediation: "Set TransitEncryptionEnabled: true and TransitEncryptionMode: required on the replication group (an existing group moves through preferred to required once every client uses TLS), TransitEncryptionEnabled: true on standalone cache clusters, or use a serverless cache.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for c in &cx.inv.cache_clusters {
        let what = match c.kind {
            CacheKind::ReplicationGroup => "the replication group",
            CacheKind::Standalone => "the cache cluster",
            CacheKind::Serverless => "the serverless cache",
        };
        match &c.transit {
            Val::Unknown(r) => cx.unknown(c.rid, r.clone()),
            Val::Known(TransitMode::Required) => {
                cx.pass(c.rid, format!("{what} accepts only TLS connections"))
            }
            Val::Known(TransitMode::Preferred) => cx.fail(
                c.rid,
                format!(
                    "{what} has TransitEncryptionMode preferred: it still accepts plaintext connections"
                ),
            ),
            Val::Known(TransitMode::Off) => {
                cx.fail(c.rid, format!("{what} has in-transit encryption off"))
            }
        }
    }
}
