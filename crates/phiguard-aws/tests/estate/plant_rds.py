"""RDS exposure, TLS and availability: a publicly accessible database
(NET-7), one without deletion protection (BAK-5), a single-AZ database (BAK-6:
a failure only in the prod account), one keeping backups a day (BAK-7), and one
on a parameter group that does not force TLS (TLS-6); each fails exactly one
of these rules, and a compliant twin passes them all. Two Aurora clusters: one
compliant (a cluster parameter group requiring TLS, instances in two zones),
one single-instance cluster on the engine's default group.

Every database sets PubliclyAccessible: moto leaves it out of
DescribeDBInstances when the create call did (AWS always reports it)."""


def short(region):
    return region.replace("us-east-1", "use1").replace("us-west-2", "usw2").replace("-", "")


NOTES = [
    "RDS DB clusters with ManageMasterUserPassword get a secret rds!cluster-<uuid> without rotation in moto: "
    "SEC-1 findings on rds!cluster-* secrets are a moto artefact",
    "moto leaves PubliclyAccessible out of DescribeDBInstances when the create call did: NET-7 is unknown on the "
    "databases build_org.py plants without it",
    "moto reports default.aurora8.0 as the parameter group of every Aurora cluster created without one; TLS-6 judges "
    "an engine default group by the cluster's engine and version",
]


def plant(est, acct, role, region, key_arn, vpcs):
    for n in NOTES:
        if n not in est.notes:
            est.notes.append(n)
    rds = est.client(acct, "rds", region)
    tag = short(region)
    prod = role == "prod"

    # PostgreSQL 14 groups: one forcing TLS, one that only turns on logging
    # (rds.force_ssl keeps PostgreSQL 14's default, 0).
    tls_group, lax_group = f"{role}-{tag}-pg14-tls", f"{role}-{tag}-pg14-logging"
    rds.create_db_parameter_group(DBParameterGroupName=tls_group, DBParameterGroupFamily="postgres14",
                                  Description="PostgreSQL 14, TLS required")
    rds.modify_db_parameter_group(DBParameterGroupName=tls_group, Parameters=[
        {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "pending-reboot"}])
    rds.create_db_parameter_group(DBParameterGroupName=lax_group, DBParameterGroupFamily="postgres14",
                                  Description="PostgreSQL 14, connection logging")
    rds.modify_db_parameter_group(DBParameterGroupName=lax_group, Parameters=[
        {"ParameterName": "log_connections", "ParameterValue": "1", "ApplyMethod": "immediate"}])

    good = dict(Engine="postgres", EngineVersion="16.3", DBInstanceClass="db.t3.micro", AllocatedStorage=20,
                MasterUsername="app", ManageMasterUserPassword=True, StorageEncrypted=True, KmsKeyId=key_arn,
                PubliclyAccessible=False, DeletionProtection=True, MultiAZ=True, BackupRetentionPeriod=14)

    def db(suffix, **change):
        name = f"{role}-{tag}-{suffix}"
        rds.create_db_instance(DBInstanceIdentifier=name, **{**good, **change})
        return name

    twin = db("guarded")
    for rule, why in (("NET-7", "PubliclyAccessible=false"), ("BAK-5", "DeletionProtection=true"),
                      ("BAK-6", "MultiAZ=true"), ("BAK-7", "BackupRetentionPeriod=14"),
                      ("TLS-6", "PostgreSQL 16.3 on default.postgres16: rds.force_ssl defaults to 1 from 15 on")):
        est.exp(rule, acct, region, twin, "pass", why)
    name = db("pg14-tls", EngineVersion="14.10", DBParameterGroupName=tls_group)
    est.exp("TLS-6", acct, region, name, "pass", f"PostgreSQL 14 on {tls_group}, which sets rds.force_ssl=1")

    name = db("public", PubliclyAccessible=True)
    est.exp("NET-7", acct, region, name, "fail", "PubliclyAccessible=true")
    est.exp("BAK-5", acct, region, name, "pass", "DeletionProtection=true")
    name = db("unprotected", DeletionProtection=False)
    est.exp("BAK-5", acct, region, name, "fail", "DeletionProtection=false")
    est.exp("NET-7", acct, region, name, "pass", "PubliclyAccessible=false")
    name = db("single-az", MultiAZ=False)
    if prod:
        est.exp("BAK-6", acct, region, name, "fail", "MultiAZ=false in the prod account")
    else:
        est.exp("BAK-6", acct, region, name, "pass", f"MultiAZ=false, but the {role} account is not production")
    name = db("one-day-backups", BackupRetentionPeriod=1)
    est.exp("BAK-7", acct, region, name, "fail", "BackupRetentionPeriod=1")
    est.exp("BAK-6", acct, region, name, "pass", "MultiAZ=true")
    name = db("pg14-logging", EngineVersion="14.10", DBParameterGroupName=lax_group)
    est.exp("TLS-6", acct, region, name, "fail", f"PostgreSQL 14 on {lax_group}, which leaves rds.force_ssl at 0")
    est.exp("BAK-7", acct, region, name, "pass", "BackupRetentionPeriod=14")

    # Aurora MySQL: require_secure_transport in the cluster parameter group,
    # a writer and a reader in two zones (moto reports MultiAZ from them).
    cpg = f"{role}-{tag}-aurora-mysql-tls"
    rds.create_db_cluster_parameter_group(DBClusterParameterGroupName=cpg, DBParameterGroupFamily="aurora-mysql8.0",
                                          Description="Aurora MySQL 8.0, TLS required")
    rds.modify_db_cluster_parameter_group(DBClusterParameterGroupName=cpg, Parameters=[
        {"ParameterName": "require_secure_transport", "ParameterValue": "ON", "ApplyMethod": "immediate"}])
    cluster = f"{role}-{tag}-claims"
    rds.create_db_cluster(DBClusterIdentifier=cluster, Engine="aurora-mysql", EngineVersion="8.0.mysql_aurora.3.05.2",
                          MasterUsername="app", ManageMasterUserPassword=True, StorageEncrypted=True, KmsKeyId=key_arn,
                          DBClusterParameterGroupName=cpg, DeletionProtection=True, BackupRetentionPeriod=7)
    for i, zone in ((1, "a"), (2, "b")):
        member = f"{cluster}-{i}"
        rds.create_db_instance(DBInstanceIdentifier=member, DBClusterIdentifier=cluster, Engine="aurora-mysql",
                               DBInstanceClass="db.r6g.large", AvailabilityZone=region + zone, PubliclyAccessible=False)
        est.exp("NET-7", acct, region, member, "pass", "Aurora instance with PubliclyAccessible=false")
    est.exp("TLS-6", acct, region, cluster, "pass", f"cluster parameter group {cpg} sets require_secure_transport=ON")
    est.exp("BAK-5", acct, region, cluster, "pass", "DeletionProtection=true")
    est.exp("BAK-6", acct, region, cluster, "pass", "instances in two Availability Zones: MultiAZ")
    est.exp("BAK-7", acct, region, cluster, "pass", "BackupRetentionPeriod=7")

    # Aurora PostgreSQL with one instance, on the default cluster parameter group.
    cluster = f"{role}-{tag}-billing"
    rds.create_db_cluster(DBClusterIdentifier=cluster, Engine="aurora-postgresql", EngineVersion="16.3",
                          MasterUsername="app", ManageMasterUserPassword=True, StorageEncrypted=True, KmsKeyId=key_arn)
    rds.create_db_instance(DBInstanceIdentifier=f"{cluster}-1", DBClusterIdentifier=cluster, Engine="aurora-postgresql",
                           DBInstanceClass="db.r6g.large", PubliclyAccessible=False)
    est.exp("TLS-6", acct, region, cluster, "fail", "Aurora PostgreSQL's default cluster parameter group: rds.force_ssl=0")
    est.exp("BAK-5", acct, region, cluster, "fail", "DeletionProtection left out: false")
    est.exp("BAK-7", acct, region, cluster, "fail", "BackupRetentionPeriod left out: 1 day")
    if prod:
        est.exp("BAK-6", acct, region, cluster, "fail", "one instance in the prod account: no other Availability Zone")
    else:
        est.exp("BAK-6", acct, region, cluster, "pass", f"one instance, but the {role} account is not production")
