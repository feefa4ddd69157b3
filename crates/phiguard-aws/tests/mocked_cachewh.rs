//! ElastiCache and Redshift as the API reference documents them, for what
//! moto cannot serve: serverless caches, group members listed by
//! DescribeCacheClusters, and a parameter group whose `require_ssl` is true.

mod common;

use common::*;
use phiguard_model::{CacheKind, KeyRef, TransitMode, Val};
use phiguard_rules::{Config, Outcome, RunOptions};

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1b2c3d4e-0000-1111-2222-333344445555";

fn elasticache(body: &str, op: &str) -> Option<Reply> {
    xml(&format!(
        "<{op}Response xmlns=\"http://elasticache.amazonaws.com/doc/2015-02-02/\"><{op}Result>{body}</{op}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{op}Response>"
    ))
}

fn redshift(body: &str, op: &str) -> Option<Reply> {
    xml(&format!(
        "<{op}Response xmlns=\"http://redshift.amazonaws.com/doc/2012-12-01/\"><{op}Result>{body}</{op}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></{op}Response>"
    ))
}

fn route(r: &Req) -> Option<Reply> {
    if let Some(b) = basics(r) {
        return Some(b);
    }
    match (r.service.as_str(), r.op.as_str()) {
        ("elasticache", op @ "DescribeReplicationGroups") => elasticache(
            &format!(
                "<ReplicationGroups><ReplicationGroup><ReplicationGroupId>sessions</ReplicationGroupId><Engine>valkey</Engine><AtRestEncryptionEnabled>true</AtRestEncryptionEnabled><KmsKeyId>{KEY}</KmsKeyId><TransitEncryptionEnabled>true</TransitEncryptionEnabled><ARN>arn:aws:elasticache:us-east-1:111122223333:replicationgroup:sessions</ARN></ReplicationGroup></ReplicationGroups>"
            ),
            op,
        ),
        ("elasticache", op @ "DescribeCacheClusters") => elasticache(
            "<CacheClusters><CacheCluster><CacheClusterId>sessions-001</CacheClusterId><Engine>valkey</Engine><ReplicationGroupId>sessions</ReplicationGroupId></CacheCluster><CacheCluster><CacheClusterId>lookup</CacheClusterId><Engine>memcached</Engine><TransitEncryptionEnabled>false</TransitEncryptionEnabled><ARN>arn:aws:elasticache:us-east-1:111122223333:cluster:lookup</ARN></CacheCluster></CacheClusters>",
            op,
        ),
        ("elasticache", op @ "DescribeServerlessCaches") => elasticache(
            "<ServerlessCaches><member><ServerlessCacheName>events</ServerlessCacheName><Engine>redis</Engine><ARN>arn:aws:elasticache:us-east-1:111122223333:serverlesscache:events</ARN></member></ServerlessCaches>",
            op,
        ),
        ("elasticache", op @ "ListTagsForResource") => elasticache(
            "<TagList><Tag><Key>phi</Key><Value>true</Value></Tag></TagList>",
            op,
        ),
        ("redshift", op @ "DescribeClusters") => redshift(
            &format!(
                "<Clusters><Cluster><ClusterIdentifier>claims</ClusterIdentifier><Encrypted>true</Encrypted><KmsKeyId>{KEY}</KmsKeyId><PubliclyAccessible>false</PubliclyAccessible><ClusterParameterGroups><ClusterParameterGroup><ParameterGroupName>phi-ssl</ParameterGroupName><ParameterApplyStatus>in-sync</ParameterApplyStatus></ClusterParameterGroup></ClusterParameterGroups></Cluster><Cluster><ClusterIdentifier>reports</ClusterIdentifier><Encrypted>true</Encrypted><ClusterParameterGroups><ClusterParameterGroup><ParameterGroupName>phi-ssl</ParameterGroupName><ParameterApplyStatus>pending-reboot</ParameterApplyStatus></ClusterParameterGroup></ClusterParameterGroups></Cluster></Clusters>"
            ),
            op,
        ),
        ("redshift", op @ "DescribeClusterParameters")
            if r.body.contains("ParameterGroupName=phi-ssl") =>
        {
            redshift(
                "<Parameters><Parameter><ParameterName>enable_user_activity_logging</ParameterName><ParameterValue>true</ParameterValue></Parameter><Parameter><ParameterName>require_ssl</ParameterName><ParameterValue>true</ParameterValue><Source>user</Source></Parameter></Parameters>",
                op,
            )
        }
        _ => None,
    }
}

#[test]
fn caches_and_warehouses_are_read_as_documented() {
    let mock = Mock::new(route);
    let audit = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(phiguard_aws::audit(&options(&mock)))
        .expect("the audit runs");
    let inv = &audit.inventory;
    for op in [
        "DescribeReplicationGroups",
        "DescribeCacheClusters",
        "DescribeServerlessCaches",
    ] {
        assert!(
            audit
                .operations
                .contains_key(&("ElastiCache".to_string(), op.to_string())),
            "{op}: {:?}",
            audit.operations.keys()
        );
    }
    // The parameter group is read once for both clusters.
    assert_eq!(mock.count("redshift", "DescribeClusterParameters"), 1);

    // The group member is judged with its group.
    let names: Vec<&str> = inv
        .cache_clusters
        .iter()
        .map(|c| inv.meta(c.rid).name.as_str())
        .collect();
    assert_eq!(names, ["sessions", "lookup", "events"], "{:#?}", inv.gaps);
    let c = &inv.cache_clusters;
    assert_eq!(c[0].kind, CacheKind::ReplicationGroup);
    assert_eq!(c[0].key, Val::Known(KeyRef::External(KEY.into())));
    // Encrypted in transit without a mode: TLS is required.
    assert_eq!(c[0].transit, Val::Known(TransitMode::Required));
    assert_eq!(c[1].transit, Val::Known(TransitMode::Off));
    assert_eq!(c[2].kind, CacheKind::Serverless);
    assert_eq!(c[2].key, Val::Known(KeyRef::AwsOwned));
    assert_eq!(inv.meta(c[0].rid).tags.known().unwrap()["phi"], "true");

    let w = &inv.warehouses;
    assert_eq!(w.len(), 2, "{:#?}", inv.gaps);
    assert_eq!(w[0].parameter_group, Val::Known(Some("phi-ssl".into())));
    assert_eq!(w[0].require_ssl, Val::Known(true));
    assert!(
        w[1].require_ssl
            .reason()
            .is_some_and(|r| r.contains("reboot")),
        "{:?}",
        w[1].require_ssl
    );
    assert_eq!(w[1].key, Val::Known(KeyRef::AwsOwned));

    let f = phiguard_rules::run(
        inv,
        &Config::default(),
        &RunOptions {
            complete: true,
            today: "2026-11-30".into(),
            ..Default::default()
        },
    );
    let on = |rule: &str, name: &str| -> Vec<Outcome> {
        f.iter()
            .filter(|x| x.rule == rule && x.subject.as_ref().is_some_and(|s| s.name == name))
            .map(|x| x.outcome)
            .collect()
    };
    assert_eq!(on("ENC-15", "events"), [Outcome::Fail]);
    assert_eq!(on("ENC-15", "lookup"), Vec::<Outcome>::new());
    assert_eq!(on("TLS-9", "events"), [Outcome::Pass]);
    assert_eq!(on("TLS-9", "sessions"), [Outcome::Pass]);
    assert_eq!(on("TLS-9", "lookup"), [Outcome::Fail]);
    assert_eq!(on("ENC-16", "reports"), [Outcome::Fail]);
    assert_eq!(on("TLS-10", "claims"), [Outcome::Pass]);
    assert_eq!(on("TLS-10", "reports"), [Outcome::Unknown]);
}
