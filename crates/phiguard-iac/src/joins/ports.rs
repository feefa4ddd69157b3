//! The port a database listens on, as the CloudFormation and Terraform
//! mappers read it.

use phiguard_model::{Val, default_db_port};

/// The port of a database: `None` for an instance of a cluster (it listens
/// on the cluster's port); the written port; else, for a restore or a
/// replica (`inherited` names the property that makes it one), its
/// source's port, which the code does not show; else the engine's default.
pub fn db_port(
    member: bool,
    written: Val<Option<u32>>,
    engine: &Val<String>,
    inherited: Option<&str>,
) -> Val<Option<u16>> {
    if member {
        return Val::Known(None);
    }
    match written {
        Val::Known(Some(p)) => match u16::try_from(p) {
            Ok(p) => Val::Known(Some(p)),
            Err(_) => Val::unknown(format!("port {p} is not a TCP port")),
        },
        Val::Unknown(why) => Val::Unknown(why),
        Val::Known(None) => {
            if let Some(src) = inherited {
                return Val::unknown(format!(
                    "the port is the source's, named by {src}, which the code does not show"
                ));
            }
            match engine {
                Val::Known(e) => match default_db_port(e) {
                    Some(p) => Val::Known(Some(p)),
                    None => Val::unknown(format!("the default port of engine {e} is not known")),
                },
                Val::Unknown(why) => Val::Unknown(why.clone()),
            }
        }
    }
}

/// The ports a security group rule admits ([`phiguard_model::sg_ports`]),
/// from its protocol and written bounds; a bound known only at deploy or
/// apply time leaves a TCP or UDP range unknown.
pub fn rule_ports(
    protocol: &str,
    from: Val<Option<i64>>,
    to: Val<Option<i64>>,
) -> Val<Option<phiguard_model::PortRange>> {
    match (from, to) {
        (Val::Known(f), Val::Known(t)) => phiguard_model::sg_ports(protocol, f, t),
        (Val::Unknown(why), _) | (_, Val::Unknown(why)) => {
            match phiguard_model::sg_ports(protocol, Some(0), Some(0)) {
                // The protocol's ports do not depend on the range.
                Val::Known(None) => Val::Known(None),
                Val::Known(Some(r)) if r == phiguard_model::PortRange::ALL => Val::Known(Some(r)),
                _ => Val::Unknown(why),
            }
        }
    }
}

/// A written port bound: a whole number (possibly negative), `None` when
/// absent; anything else cannot be read.
pub fn bound(v: Val<Option<String>>) -> Val<Option<i64>> {
    match v {
        Val::Known(Some(s)) => match s.trim().parse::<i64>() {
            Ok(n) => Val::Known(Some(n)),
            Err(_) => Val::unknown(format!("port {s:?} is not a number")),
        },
        Val::Known(None) => Val::Known(None),
        Val::Unknown(why) => Val::Unknown(why),
    }
}
