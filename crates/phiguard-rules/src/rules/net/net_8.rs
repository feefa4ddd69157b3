use crate::{Cx, declare_rule};
use phiguard_model::{SgRule, Val, carries_tcp};

declare_rule! {
    /// ### What it checks
    /// No security group admits the whole internet (`0.0.0.0/0` or `::/0`)
    /// over TCP to an administration, database, cache or search port: SSH
    /// 22, RDP 3389, MySQL 3306, PostgreSQL 5432, SQL Server 1433, Oracle
    /// 1521, Redis 6379, OpenSearch/Elasticsearch 9200, MongoDB 27017, and
    /// the port of every RDS or Aurora database of the estate. A rule for
    /// every protocol (`-1`) admits every port.
    ///
    /// A database that sets no port listens on its engine's default
    /// (MySQL, MariaDB and Aurora MySQL 3306; PostgreSQL and Aurora
    /// PostgreSQL 5432; Oracle 1521; SQL Server 1433; Db2 50000), per `Port`
    /// of
    /// <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html>
    /// and
    /// <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html>;
    /// a restore or a replica takes its source's port, which phiguard then
    /// cannot know from code. Protocol `-1`, and any protocol number other
    /// than TCP, UDP, ICMP and ICMPv6, admit every port whatever range is
    /// written (`IpProtocol` of
    /// <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html>).
    ///
    /// ### Why
    /// A database, cache or remote shell reachable from anywhere is one
    /// leaked or guessed password, or one unpatched service, away from a
    /// PHI breach, and scanners find such ports within minutes. These
    /// services belong behind the VPC, reached from named security groups
    /// or private ranges.
    ///
    /// ### Sources
    /// - Live: `ec2:DescribeSecurityGroups` (`IpPermissions`: `IpRanges`,
    ///   `Ipv6Ranges`, `FromPort`, `ToPort`); the ports from
    ///   `rds:DescribeDBInstances`/`DescribeDBClusters`.
    /// - Terraform: `aws_security_group` `ingress` blocks,
    ///   `aws_security_group_rule` (`type = "ingress"`) and
    ///   `aws_vpc_security_group_ingress_rule`, joined to their group; the
    ///   `port` of `aws_db_instance` and `aws_rds_cluster`.
    /// - CloudFormation: `AWS::EC2::SecurityGroup.SecurityGroupIngress` and
    ///   `AWS::EC2::SecurityGroupIngress` joined by `GroupId`; the `Port` of
    ///   `AWS::RDS::DBInstance` and `AWS::RDS::DBCluster`.
    ///
    /// UDP rules are not counted: these services listen on TCP. A port
    /// range written with a parameter without a default is unknown.
    pub static RULE = {
        id: "NET-8",
        control: NetworkIsolation,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [SecurityGroups, Databases],
        scope: Resource,
        title: "Security groups do not open database, cache or administration ports to the internet",
        remediation: "Remove the 0.0.0.0/0 and ::/0 ingress on these ports; admit the clients' security group (SourceSecurityGroupId) or a private CIDR instead, and reach hosts through Session Manager rather than SSH or RDP.",
        check: check,
    }
}

/// The ports that are never opened to the internet, with what listens there.
const PORTS: &[(u16, &str)] = &[
    (22, "SSH"),
    (3389, "RDP"),
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (6379, "Redis"),
    (9200, "OpenSearch"),
    (27017, "MongoDB"),
];

/// RDS accepts ports from 1150 up: a rule below that admits no database.
const LOWEST_DB_PORT: u16 = 1150;

fn to_internet(r: &SgRule) -> bool {
    r.cidr.as_deref().is_some_and(|c| c.trim().ends_with("/0"))
}

fn check(cx: &mut Cx) {
    let mut ports: Vec<(u16, String)> = PORTS.iter().map(|(p, n)| (*p, n.to_string())).collect();
    let mut unknown_db = None;
    for d in &cx.inv.databases {
        match &d.port {
            Val::Known(Some(p)) => {
                if !ports.iter().any(|(x, _)| x == p) {
                    ports.push((*p, format!("database {}", cx.inv.meta(d.rid).name)));
                }
            }
            Val::Known(None) => {}
            Val::Unknown(why) => {
                unknown_db.get_or_insert_with(|| {
                    format!(
                        "the port of database {} is not known ({why})",
                        cx.inv.meta(d.rid).name
                    )
                });
            }
        }
    }
    for g in &cx.inv.security_groups {
        let rules = match &g.ingress {
            Val::Known(r) => r,
            Val::Unknown(why) => {
                cx.unknown(g.rid, why.clone());
                continue;
            }
        };
        let mut open = Vec::new();
        let mut unknown = None;
        for r in rules
            .iter()
            .filter(|r| to_internet(r) && carries_tcp(&r.protocol))
        {
            let cidr = r.cidr.as_deref().unwrap_or_default();
            match &r.ports {
                Val::Known(Some(range)) => {
                    for (p, what) in &ports {
                        if range.covers(*p) {
                            open.push(format!("{what} ({p}) from {cidr}"));
                        }
                    }
                    if range.to >= LOWEST_DB_PORT {
                        if let Some(why) = &unknown_db {
                            unknown.get_or_insert_with(|| {
                                format!("{cidr} is admitted to {range}, and {why}")
                            });
                        }
                    }
                }
                Val::Known(None) => {}
                Val::Unknown(why) => {
                    unknown.get_or_insert_with(|| {
                        format!("a rule admits {cidr}, but its ports are not known: {why}")
                    });
                }
            }
        }
        open.dedup();
        if !open.is_empty() {
            cx.fail(
                g.rid,
                format!("the group admits the internet to {}", open.join(", ")),
            );
        } else if let Some(why) = unknown {
            cx.unknown(g.rid, why);
        } else {
            cx.pass(
                g.rid,
                "no ingress rule admits 0.0.0.0/0 or ::/0 to an administration, database, cache or search port",
            );
        }
    }
}
