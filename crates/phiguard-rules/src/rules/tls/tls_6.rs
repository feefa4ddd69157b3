use crate::{Cx, declare_rule};
use phiguard_model::{Collection, Database, Link, Val};

declare_rule! {
    /// ### What it checks
    /// Every RDS DB instance that is not part of a cluster, and every Aurora
    /// or Multi-AZ DB cluster, refuses connections without TLS: the
    /// parameter group in effect sets
    /// - `rds.force_ssl = 1` for PostgreSQL, Aurora PostgreSQL and SQL Server;
    /// - `require_secure_transport = ON` (or `1`) for MySQL, MariaDB and
    ///   Aurora MySQL.
    ///
    /// Instances are judged by their DB parameter group, clusters by their
    /// DB cluster parameter group (where Aurora keeps these parameters);
    /// Aurora instances are judged through their cluster. A group that
    /// leaves the parameter out, and the engine's default group, have the
    /// engine's default, which depends on the version:
    /// - RDS for PostgreSQL: `rds.force_ssl` is 1 from PostgreSQL 15 on, 0
    ///   before ("Requiring an SSL connection to a PostgreSQL DB instance":
    ///   <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html>;
    ///   "Updating applications to connect to PostgreSQL DB instances using
    ///   new SSL/TLS certificates" says the same:
    ///   <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/ssl-certificate-rotation-postgresql.html>).
    /// - Aurora PostgreSQL: 0
    ///   (<https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/ssl-certificate-rotation-aurora-postgresql.html>;
    ///   AWS Knowledge Center, "aurora-postgresql-ssl-certificates":
    ///   <https://repost.aws/knowledge-center/aurora-postgresql-ssl-certificates>).
    /// - RDS for SQL Server: 0
    ///   (<https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/SQLServer.Concepts.General.SSL.Using.html>).
    /// - RDS for MySQL: OFF up to 8.4, ON from 9.7
    ///   (<https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/mysql-ssl-connections.require-ssl.html>);
    ///   versions in between are unknown.
    /// - RDS for MariaDB: OFF up to 11.4, ON from 11.8; before 10.5 the
    ///   parameter does not exist, so TLS cannot be required
    ///   (<https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/mariadb-ssl-connections.require-ssl.html>).
    /// - Aurora MySQL: OFF
    ///   (<https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Security.html>).
    ///
    /// A database on the engine's default group whose code sets no engine
    /// version is unknown where the default depends on the version (RDS
    /// picks the version at creation). Oracle requires TLS through the `SSL`
    /// option of an option group, and Db2 and RDS Custom through settings
    /// phiguard does not read: unknown, with the reason.
    ///
    /// ### Why
    /// Storage encryption does nothing for the connection: without a
    /// server-side requirement, a client that does not ask for TLS (or is
    /// downgraded) sends credentials, queries and PHI results in clear text
    /// across the network.
    ///
    /// ### Sources
    /// - Live: `rds:DescribeDBInstances` / `DescribeDBClusters` (the group
    ///   and `EngineVersion`), `rds:DescribeDBParameterGroups` /
    ///   `DescribeDBClusterParameterGroups` (family), and
    ///   `rds:DescribeDBParameters` / `DescribeDBClusterParameters` with
    ///   `Source=user` (the values set).
    /// - Terraform: `aws_db_parameter_group` / `aws_rds_cluster_parameter_group`
    ///   (`family`, `parameter` blocks), joined by `parameter_group_name` /
    ///   `db_cluster_parameter_group_name`; `engine_version`.
    /// - CloudFormation: `AWS::RDS::DBParameterGroup` /
    ///   `AWS::RDS::DBClusterParameterGroup` (`Family`, `Parameters`), joined
    ///   by `DBParameterGroupName` / `DBClusterParameterGroupName`; `EngineVersion`.
    pub static RULE = {
        id: "TLS-6",
        control: InTransitEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Databases, DbParameterGroups],
        scope: Resource,
        title: "RDS databases require TLS",
        remediation: "Give the database a custom parameter group (a DB cluster parameter group for Aurora) that sets rds.force_ssl = 1 (PostgreSQL, SQL Server) or require_secure_transport = ON (MySQL, MariaDB, Aurora MySQL), and attach it.",
        check: check,
    }
}

/// The parameter that requires TLS for an engine, and its default by version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Knob {
    ForceSsl,
    SecureTransport,
}

impl Knob {
    fn name(self) -> &'static str {
        match self {
            Knob::ForceSsl => "rds.force_ssl",
            Knob::SecureTransport => "require_secure_transport",
        }
    }
}

/// How an engine requires TLS, or why phiguard cannot tell.
enum Engine {
    /// The parameter, and the engine's default as a function of the
    /// `(major, minor)` version (`None` when the version is not known).
    Param(Knob, fn(Option<(u32, u32)>) -> Val<bool>),
    Unjudged(String),
}

fn postgres(v: Option<(u32, u32)>) -> Val<bool> {
    match v {
        Some((major, _)) => Val::Known(major >= 15),
        None => Val::unknown(
            "the engine version is not set: RDS picks it at creation, and rds.force_ssl defaults to 1 only from PostgreSQL 15 on",
        ),
    }
}

fn off(_: Option<(u32, u32)>) -> Val<bool> {
    Val::Known(false)
}

fn mysql(v: Option<(u32, u32)>) -> Val<bool> {
    match v {
        Some(v) if v <= (8, 4) => Val::Known(false),
        Some(v) if v >= (9, 7) => Val::Known(true),
        Some((a, b)) => Val::unknown(format!(
            "the default of require_secure_transport for MySQL {a}.{b} is not documented (OFF up to 8.4, ON from 9.7)"
        )),
        None => Val::unknown(
            "the engine version is not set: RDS picks it at creation, and the default of require_secure_transport depends on it",
        ),
    }
}

fn mariadb(v: Option<(u32, u32)>) -> Val<bool> {
    match v {
        Some(v) if v <= (11, 4) => Val::Known(false),
        Some(v) if v >= (11, 8) => Val::Known(true),
        Some((a, b)) => Val::unknown(format!(
            "the default of require_secure_transport for MariaDB {a}.{b} is not documented (OFF up to 11.4, ON from 11.8)"
        )),
        None => Val::unknown(
            "the engine version is not set: RDS picks it at creation, and the default of require_secure_transport depends on it",
        ),
    }
}

fn engine(name: &str) -> Engine {
    let e = name.to_ascii_lowercase();
    match e.as_str() {
        "postgres" => Engine::Param(Knob::ForceSsl, postgres),
        "aurora-postgresql" => Engine::Param(Knob::ForceSsl, off),
        "mysql" => Engine::Param(Knob::SecureTransport, mysql),
        "mariadb" => Engine::Param(Knob::SecureTransport, mariadb),
        "aurora-mysql" | "aurora" => Engine::Param(Knob::SecureTransport, off),
        e if e.starts_with("sqlserver-") => Engine::Param(Knob::ForceSsl, off),
        e if e.starts_with("oracle-") || e.starts_with("custom-oracle") => Engine::Unjudged(
            "Oracle requires TLS through the SSL option of an option group, which phiguard does not read".into(),
        ),
        e if e.starts_with("db2-") => Engine::Unjudged(
            "Db2 takes TLS from its SSL port and certificate settings, which phiguard does not judge".into(),
        ),
        e if e.starts_with("custom-") => Engine::Unjudged(
            "RDS Custom databases are configured on their host, which phiguard does not read".into(),
        ),
        other => Engine::Unjudged(format!(
            "phiguard does not know how engine {other} requires TLS"
        )),
    }
}

/// `(major, minor)` of a version (`16.3`, `8.0.mysql_aurora.3.05.2`, `15`)
/// or of a family (`postgres16`, `aurora-mysql8.0`, `sqlserver-se-16.0`).
fn version(s: &str) -> Option<(u32, u32)> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let mut parts = s[start..].split(|c: char| !c.is_ascii_digit());
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor))
}

/// A parameter value that turns the requirement on (`1`, `ON`, `true`) or off.
fn value_on(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "on" | "true" => Some(true),
        "0" | "off" | "false" => Some(false),
        _ => None,
    }
}

/// Where the value in effect comes from, and what it is.
struct Verdict {
    on: Val<bool>,
    how: String,
}

fn judge(
    cx: &Cx,
    db: &Database,
    knob: Knob,
    default: fn(Option<(u32, u32)>) -> Val<bool>,
) -> Verdict {
    let db_version = match &db.engine_version {
        Val::Known(v) => v.as_deref().and_then(version),
        Val::Unknown(_) => None,
    };
    let engine = db
        .engine
        .known()
        .map(String::as_str)
        .unwrap_or("the engine");
    let engine_default = |v: Option<(u32, u32)>, whose: String| {
        let on = default(v);
        let how = match &on {
            Val::Known(b) => format!(
                "{whose} leaves {} at the default of {engine}{}, {}",
                knob.name(),
                v.map(|(a, b)| format!(" {a}.{b}")).unwrap_or_default(),
                match (knob, b) {
                    (Knob::ForceSsl, true) => "1",
                    (Knob::ForceSsl, false) => "0",
                    (Knob::SecureTransport, true) => "ON",
                    (Knob::SecureTransport, false) => "OFF",
                }
            ),
            Val::Unknown(_) => String::new(),
        };
        Verdict { on, how }
    };
    let group = match &db.parameter_group {
        Val::Unknown(r) => {
            return Verdict {
                on: Val::Unknown(r.clone()),
                how: String::new(),
            };
        }
        Val::Known(g) => g,
    };
    match group {
        None => engine_default(db_version, "the engine's default parameter group".into()),
        Some(Link::External(name)) if name.to_ascii_lowercase().starts_with("default.") => {
            let v = db_version.or_else(|| version(&name["default.".len()..]));
            engine_default(v, format!("the engine's default parameter group {name}"))
        }
        Some(Link::External(name)) => {
            let mut why = format!(
                "the parameter group {name} is not in the estate read, so its {} cannot be told",
                knob.name()
            );
            let account = cx.inv.meta(db.rid).account.known().cloned();
            if let Some(g) = cx.gap_note(&[Collection::DbParameterGroups], account.as_deref()) {
                why = format!("{why} ({g})");
            }
            Verdict {
                on: Val::Unknown(why),
                how: String::new(),
            }
        }
        Some(Link::Resource(rid)) => {
            let group_name = cx.inv.meta(*rid).name.clone();
            let Some(g) = cx.inv.db_parameter_groups.iter().find(|g| g.rid == *rid) else {
                return Verdict {
                    on: Val::unknown(format!("{group_name} is not a parameter group")),
                    how: String::new(),
                };
            };
            let params = match &g.parameters {
                Val::Known(p) => p,
                Val::Unknown(r) => {
                    return Verdict {
                        on: Val::Unknown(r.clone()),
                        how: String::new(),
                    };
                }
            };
            match params.get(knob.name()) {
                Some(Val::Known(v)) => match value_on(v) {
                    Some(on) => Verdict {
                        on: Val::Known(on),
                        how: format!("parameter group {group_name} sets {} = {v}", knob.name()),
                    },
                    None => Verdict {
                        on: Val::unknown(format!(
                            "parameter group {group_name} sets {} to {v:?}, which phiguard does not read as on or off",
                            knob.name()
                        )),
                        how: String::new(),
                    },
                },
                Some(Val::Unknown(r)) => Verdict {
                    on: Val::Unknown(r.clone()),
                    how: String::new(),
                },
                None => {
                    let v = g.family.known().and_then(|f| version(f)).or(db_version);
                    engine_default(v, format!("parameter group {group_name}"))
                }
            }
        }
    }
}

fn check(cx: &mut Cx) {
    let mut out = Vec::new();
    for db in &cx.inv.databases {
        if db.cluster.is_some() {
            continue;
        }
        let name = match &db.engine {
            Val::Known(e) => e,
            Val::Unknown(r) => {
                out.push((db.rid, Val::Unknown(r.clone()), String::new()));
                continue;
            }
        };
        let (knob, default) = match engine(name) {
            Engine::Param(k, d) => (k, d),
            Engine::Unjudged(why) => {
                out.push((db.rid, Val::Unknown(why), String::new()));
                continue;
            }
        };
        // MariaDB before 10.5 has no require_secure_transport at all.
        if name.eq_ignore_ascii_case("mariadb")
            && let Val::Known(Some(v)) = &db.engine_version
            && version(v).is_some_and(|v| v < (10, 5))
        {
            out.push((
                db.rid,
                Val::Known(false),
                format!("MariaDB {v} has no require_secure_transport parameter: upgrade to 10.5 or later to require TLS"),
            ));
            continue;
        }
        let v = judge(cx, db, knob, default);
        out.push((db.rid, v.on, v.how));
    }
    for (rid, on, how) in out {
        match on {
            Val::Known(true) => cx.pass(rid, format!("{how}: clients must connect with TLS")),
            Val::Known(false) => cx.fail(rid, format!("{how}: clients may connect without TLS")),
            Val::Unknown(r) => cx.unknown(rid, r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_of_engines_and_families() {
        assert_eq!(version("16.3"), Some((16, 3)));
        assert_eq!(version("8.0.mysql_aurora.3.05.2"), Some((8, 0)));
        assert_eq!(version("15"), Some((15, 0)));
        assert_eq!(version("postgres9.6"), Some((9, 6)));
        assert_eq!(version("aurora-mysql8.0"), Some((8, 0)));
        assert_eq!(version("sqlserver-se-16.0"), Some((16, 0)));
        assert_eq!(version("mariadb10.11"), Some((10, 11)));
        assert_eq!(version("aurora"), None);
    }

    #[test]
    fn engine_defaults() {
        assert_eq!(postgres(Some((15, 0))), Val::Known(true));
        assert_eq!(postgres(Some((14, 9))), Val::Known(false));
        assert!(!postgres(None).is_known());
        assert_eq!(mysql(Some((8, 4))), Val::Known(false));
        assert_eq!(mysql(Some((9, 7))), Val::Known(true));
        assert!(!mysql(Some((9, 1))).is_known());
        assert_eq!(mariadb(Some((10, 11))), Val::Known(false));
        assert_eq!(mariadb(Some((11, 8))), Val::Known(true));
    }

    #[test]
    fn values() {
        assert_eq!(value_on("1"), Some(true));
        assert_eq!(value_on("ON"), Some(true));
        assert_eq!(value_on("OFF"), Some(false));
        assert_eq!(value_on("0"), Some(false));
        assert_eq!(value_on("{TrueIfReplica}"), None);
    }
}
