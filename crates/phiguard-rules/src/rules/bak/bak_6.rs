use crate::{Cx, declare_rule};
use phiguard_model::{Rid, Val};

/// Tag keys (any case) that name a resource's environment.
const ENV_TAGS: &[&str] = &["environment", "env"];
/// Values of those tags (any case) that mean production.
const PROD_VALUES: &[&str] = &["prod", "production"];

declare_rule! {
    /// ### What it checks
    /// Every production database has a standby or a replica in another
    /// Availability Zone:
    /// - an RDS DB instance outside a cluster has `MultiAZ` on;
    /// - a Multi-AZ DB cluster always has (a writer and two readers in three zones);
    /// - an Aurora cluster has instances in two Availability Zones or more.
    ///   Live, RDS reports this as the cluster's `MultiAZ`. In code, the
    ///   cluster's instances are counted: one instance fails; instances whose
    ///   `AvailabilityZone` is set and differs pass; instances left to RDS's
    ///   choice of zone cannot be told apart (unknown). Aurora Serverless v1
    ///   has no instance in another zone.
    ///
    /// A read replica is itself a copy and is not judged; Aurora instances
    /// are judged through their cluster.
    ///
    /// A database is production when its account's role is `prod`
    /// (`[accounts] prod` in `phiguard.toml`, the organization's OU or
    /// `phiguard:role` tag, or a template's `Metadata.Phiguard.AccountRole`),
    /// or when it is tagged `environment` or `env` = `prod` or `production`
    /// (either is enough). When neither says production, another
    /// environment tag or account role means it is not, and a single-AZ
    /// database there passes. When nothing tells, a multi-AZ database still
    /// passes and a single-AZ one is unknown, with the reason: phiguard does
    /// not fail a database that may be a development one. Terraform plans
    /// do not carry an account role: tag the database, or list the plan's
    /// account (`allowed_account_ids`) under `[accounts] prod`.
    ///
    /// ### Why
    /// HIPAA's contingency plan asks that ePHI stay available in an
    /// emergency. A single-AZ database is down for as long as its zone is,
    /// and recovering it from backups loses the writes since the last one;
    /// a Multi-AZ standby fails over in minutes with no data loss.
    ///
    /// ### Sources
    /// - Live: `rds:DescribeDBInstances` / `DescribeDBClusters` (`MultiAZ`), tags, account roles.
    /// - Terraform: `aws_db_instance.multi_az`; `aws_rds_cluster` with its
    ///   `aws_rds_cluster_instance`s (`availability_zone`); `tags`.
    /// - CloudFormation: `AWS::RDS::DBInstance.MultiAZ` (default `false`,
    ///   RDS API reference `CreateDBInstance`:
    ///   <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html>);
    ///   `AWS::RDS::DBCluster` with its instances (`AvailabilityZone`: left
    ///   out, "a random, system-chosen Availability Zone"); `Tags`.
    pub static RULE = {
        id: "BAK-6",
        control: DisasterRecovery,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Databases, Accounts],
        scope: Resource,
        title: "Production databases are Multi-AZ",
        remediation: "Set MultiAZ: true (multi_az = true) on production DB instances; give a production Aurora cluster a reader instance in another Availability Zone (AvailabilityZone set on each instance).",
        check: check,
    }
}

/// Is the resource production: tagged so, or in an account whose role is prod?
fn production(cx: &Cx, rid: Rid) -> Val<bool> {
    let inv = cx.inv;
    let meta = inv.meta(rid);
    let tag = match &meta.tags {
        Val::Known(tags) => Val::Known(
            tags.iter()
                .find(|(k, _)| ENV_TAGS.contains(&k.to_ascii_lowercase().as_str()))
                .map(|(_, v)| v.clone()),
        ),
        Val::Unknown(r) => Val::Unknown(r.clone()),
    };
    if let Val::Known(Some(v)) = &tag
        && PROD_VALUES.contains(&v.to_ascii_lowercase().as_str())
    {
        return Val::Known(true);
    }
    let unit = inv.unit(rid);
    let account = unit.and_then(|u| u.account.known());
    let configured = account.and_then(|a| cx.cfg.accounts.role_of(a).map(str::to_string));
    // Live, an account's role may come from its OU name or tag.
    let org = account
        .and_then(|a| inv.org_account(a))
        .and_then(|o| o.role.known().cloned().flatten());
    let role: Val<Option<String>> = match (configured, org) {
        (Some(r), _) | (None, Some(r)) => Val::Known(Some(r)),
        (None, None) => match unit.map(|u| &u.account_role) {
            Some(v) => v.clone(),
            None => Val::unknown("the resource's account is not known"),
        },
    };
    if let Val::Known(Some(r)) = &role
        && r.eq_ignore_ascii_case("prod")
    {
        return Val::Known(true);
    }
    match (tag, role) {
        (Val::Known(Some(_)), _) | (_, Val::Known(Some(_))) => Val::Known(false),
        (Val::Unknown(r), _) => Val::Unknown(r),
        (_, Val::Unknown(r)) => Val::Unknown(format!(
            "{r}, and the database has no environment or env tag"
        )),
        (_, Val::Known(None)) => Val::unknown(
            "its account has no role (set [accounts] in phiguard.toml, or the account's phiguard:role tag) and the database has no environment or env tag",
        ),
    }
}

fn check(cx: &mut Cx) {
    for db in &cx.inv.databases {
        if db.cluster.is_some() || db.read_replica.is_true() {
            continue;
        }
        let what = if db.is_cluster {
            "the DB cluster"
        } else {
            "the DB instance"
        };
        if db.multi_az.is_true() {
            cx.pass(
                db.rid,
                format!("{what} has a standby or replica in another Availability Zone"),
            );
            continue;
        }
        match (production(cx, db.rid), &db.multi_az) {
            (Val::Known(false), _) => cx.pass(
                db.rid,
                format!("{what} is not production: a single Availability Zone is allowed"),
            ),
            (Val::Known(true), Val::Known(_)) => cx.fail(
                db.rid,
                format!("{what} is production and has no standby or replica in another Availability Zone"),
            ),
            (Val::Known(true), Val::Unknown(r)) => cx.unknown(db.rid, r.clone()),
            (Val::Unknown(p), Val::Known(_)) => cx.unknown(
                db.rid,
                format!("{what} is in a single Availability Zone, and whether it is production cannot be told: {p}"),
            ),
            (Val::Unknown(p), Val::Unknown(r)) => cx.unknown(
                db.rid,
                format!("{r}; whether it is production cannot be told either: {p}"),
            ),
        }
    }
}
