"""ElastiCache and Redshift, planted in every workload account and region:
caches and clusters without a customer-managed key or TLS next to compliant
twins (ENC-15, TLS-9, ENC-16, TLS-10). What moto cannot plant is said in the
notes and in MOTO_GAPS.md."""


def short(region):
    return region.replace("us-east-1", "use1").replace("us-west-2", "usw2").replace("-", "")


def plant(est, acct, role, region, key_arn, vpcs):
    plant_caches(est, acct, role, region, key_arn)
    plant_warehouses(est, acct, role, region, key_arn)


def plant_caches(est, acct, role, region, key_arn):
    ec = est.client(acct, "elasticache", region)
    tag = short(region)
    node = dict(CacheNodeType="cache.t4g.small", NumCacheClusters=1)

    name = f"{role}-{tag}-sessions"
    ec.create_replication_group(ReplicationGroupId=name, ReplicationGroupDescription="sessions", Engine="valkey",
                                AtRestEncryptionEnabled=True, KmsKeyId=key_arn, TransitEncryptionEnabled=True,
                                TransitEncryptionMode="required", Tags=[{"Key": "phi", "Value": "true"}], **node)
    est.exp("ENC-15", acct, region, name, "pass", "AtRestEncryptionEnabled under the customer-managed key")
    est.exp("TLS-9", acct, region, name, "pass", "TransitEncryptionEnabled, TransitEncryptionMode required")

    name = f"{role}-{tag}-plain"
    ec.create_replication_group(ReplicationGroupId=name, ReplicationGroupDescription="plain", Engine="redis", **node)
    est.exp("ENC-15", acct, region, name, "fail", "Redis OSS without AtRestEncryptionEnabled")
    est.exp("TLS-9", acct, region, name, "fail", "no TransitEncryptionEnabled")

    name = f"{role}-{tag}-migrating"
    ec.create_replication_group(ReplicationGroupId=name, ReplicationGroupDescription="migrating", Engine="redis",
                                AtRestEncryptionEnabled=True, TransitEncryptionEnabled=True,
                                TransitEncryptionMode="preferred", **node)
    est.exp("ENC-15", acct, region, name, "fail", "encrypted at rest without KmsKeyId: the service-managed key")
    est.exp("TLS-9", acct, region, name, "fail", "TransitEncryptionMode preferred still accepts plaintext")

    name = f"{role}-{tag}-single"
    ec.create_cache_cluster(CacheClusterId=name, Engine="redis", CacheNodeType="cache.t4g.small", NumCacheNodes=1)
    est.exp("ENC-15", acct, region, name, "fail", "a standalone Redis OSS cache cluster cannot be encrypted at rest")
    est.exp("TLS-9", acct, region, name, "fail", "no TransitEncryptionEnabled")

    name = f"{role}-{tag}-memcached"
    ec.create_cache_cluster(CacheClusterId=name, Engine="memcached", CacheNodeType="cache.t4g.small", NumCacheNodes=1,
                            TransitEncryptionEnabled=True)
    est.exp("TLS-9", acct, region, name, "pass", "Memcached with TransitEncryptionEnabled (ENC-15: out of scope)")
    if role == "prod" and region == est.regions[0]:
        est.notes.append("ElastiCache serverless caches cannot be planted: moto 5.2.5 answers CreateServerlessCache and "
                         "DescribeServerlessCaches with HTTP 500, so every account and region has a gap in caches (ENC-15 and "
                         "TLS-9 report it as unknown on the estate) while the node-based caches are judged")


def plant_warehouses(est, acct, role, region, key_arn):
    rs = est.client(acct, "redshift", region)
    tag = short(region)
    base = dict(NodeType="ra3.large", ClusterType="single-node", MasterUsername="admin",
                MasterUserPassword="Not-a-real-password-1")

    group = f"{role}-{tag}-require-ssl"
    rs.create_cluster_parameter_group(ParameterGroupName=group, ParameterGroupFamily="redshift-1.0",
                                      Description="require TLS")
    name = f"{role}-{tag}-claims"
    rs.create_cluster(ClusterIdentifier=name, Encrypted=True, KmsKeyId=key_arn, ClusterParameterGroupName=group,
                      Tags=[{"Key": "phi", "Value": "true"}], **base)
    est.exp("ENC-16", acct, region, name, "pass", "Encrypted under the customer-managed key")
    if role == "prod" and region == est.regions[0]:
        est.notes.append(f"TLS-10: the compliant twin {name} uses its own parameter group {group}, but moto 5.2.5 cannot "
                         "set require_ssl (ModifyClusterParameterGroup answers HTTP 500, and DescribeClusterParameters "
                         "returns require_ssl=false for every group), so TLS-10 fails on it against moto; on AWS it would pass")

    name = f"{role}-{tag}-legacy"
    rs.create_cluster(ClusterIdentifier=name, Encrypted=False, **base)
    est.exp("ENC-16", acct, region, name, "fail", "Encrypted=false (a cluster made before encryption became mandatory)")
    est.exp("TLS-10", acct, region, name, "fail", "the default parameter group default.redshift-1.0, require_ssl false")

    name = f"{role}-{tag}-defaultkey"
    rs.create_cluster(ClusterIdentifier=name, Encrypted=True, **base)
    est.exp("ENC-16", acct, region, name, "fail", "Encrypted without KmsKeyId: the key Redshift picks, not customer-managed")
