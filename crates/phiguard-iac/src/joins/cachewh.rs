//! ElastiCache and Redshift: the readings the CloudFormation and Terraform
//! mappers share (engine and transit defaults, and the join of a Redshift
//! cluster to its parameter group's `require_ssl`).

use crate::cfn::estate::Estate;
use crate::cfn::props::R;
use phiguard_model::{KeyRef, Link, Rid, TransitMode, Val, Warehouse};

/// A cache engine as written (`None`: omitted, which means `redis`), lower case.
pub fn engine(written: Val<Option<String>>) -> Val<String> {
    written.map(|e| {
        e.map(|e| e.to_ascii_lowercase())
            .unwrap_or_else(|| "redis".into())
    })
}

/// The API's at-rest encryption default for a replication group: on for
/// Valkey, off for Redis OSS.
pub fn at_rest_default(engine: &Val<String>) -> Val<bool> {
    match engine {
        Val::Known(e) => Val::Known(e == "valkey"),
        Val::Unknown(r) => Val::unknown(format!(
            "whether at-rest encryption is on depends on the engine, which is not known: {r}"
        )),
    }
}

/// Whether a node-based cache accepts plaintext: transit encryption (default
/// off) and its mode. With encryption on and no mode the cache requires TLS:
/// `preferred` must be asked for.
pub fn transit(enabled: Val<bool>, mode: Val<Option<String>>) -> Val<TransitMode> {
    match enabled {
        Val::Unknown(r) => Val::Unknown(r),
        Val::Known(false) => Val::Known(TransitMode::Off),
        Val::Known(true) => mode.and_then(|m| match m {
            None => Val::Known(TransitMode::Required),
            Some(m) if m.eq_ignore_ascii_case("required") => Val::Known(TransitMode::Required),
            Some(m) if m.eq_ignore_ascii_case("preferred") => Val::Known(TransitMode::Preferred),
            Some(m) => Val::unknown(format!(
                "transit encryption mode {m} is not one phiguard knows"
            )),
        }),
    }
}

/// A Redshift cluster parameter group of the code.
pub struct ParamGroup {
    pub rid: Rid,
    /// Its name, where the code writes it (`None`: generated at deploy).
    pub name: Option<String>,
    /// What messages call it: its name, else the resource's.
    pub label: String,
    /// Its parameters: `(name, value)`.
    pub params: Val<Vec<(Val<String>, Val<String>)>>,
}

/// How a source spells a Redshift parameter group.
pub struct GroupSpelling {
    /// The resource type, and the attribute that names the group.
    pub ty: &'static str,
    pub name: &'static str,
    /// The list of parameters, and the keys of each one's name and value.
    pub parameters: &'static str,
    pub parameter_name: &'static str,
    pub parameter_value: &'static str,
    /// What messages put before a missing key (`parameter `, or nothing).
    pub missing_label: &'static str,
}

/// The estate's Redshift parameter groups.
pub fn groups(est: &Estate, sp: &GroupSpelling) -> R<Vec<ParamGroup>> {
    let mut out = Vec::new();
    for g in est.of_type(sp.ty) {
        let p = est.props(g);
        let name = match p.get(sp.name).str_opt()? {
            Val::Known(n) => n,
            Val::Unknown(_) => None,
        };
        let params = p.get(sp.parameters).list()?.map(|items| {
            items
                .iter()
                .map(|i| -> (Val<String>, Val<String>) {
                    let text = |k| match i.get(k).str_opt() {
                        Ok(Val::Known(Some(s))) => Val::Known(s),
                        Ok(Val::Known(None)) => {
                            Val::unknown(format!("{}{k} is missing", sp.missing_label))
                        }
                        Ok(Val::Unknown(r)) => Val::Unknown(r),
                        Err(e) => Val::Unknown(e.message),
                    };
                    (text(sp.parameter_name), text(sp.parameter_value))
                })
                .collect()
        });
        out.push(ParamGroup {
            rid: g.rid,
            label: name.clone().unwrap_or_else(|| g.logical_id.clone()),
            name,
            params,
        });
    }
    Ok(out)
}

/// A Redshift Serverless namespace: always encrypted (with `key`), never
/// public, and without a cluster parameter group.
pub fn serverless_namespace(rid: Rid, key: Val<KeyRef>) -> Warehouse {
    Warehouse {
        rid,
        serverless: true,
        encrypted: Val::Known(true),
        key,
        parameter_group: Val::Known(None),
        require_ssl: Val::unknown("a Serverless namespace has no cluster parameter group"),
        publicly_accessible: Val::Known(false),
    }
}

/// A parameter value as a boolean (`true`/`on`/`1`, `false`/`off`/`0`).
fn truth(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "on" | "1" => Some(true),
        "false" | "off" | "0" => Some(false),
        _ => None,
    }
}

/// A group's `require_ssl`: the family default (`false`) when it does not set it.
pub fn require_ssl(params: &Val<Vec<(Val<String>, Val<String>)>>) -> Val<bool> {
    let params = match params {
        Val::Known(p) => p,
        Val::Unknown(r) => return Val::Unknown(r.clone()),
    };
    let mut unknown_name = None;
    for (name, value) in params {
        match name {
            Val::Known(n) if n.eq_ignore_ascii_case("require_ssl") => {
                return match value {
                    Val::Known(v) => match truth(v) {
                        Some(b) => Val::Known(b),
                        None => Val::unknown(format!("require_ssl is {v:?}, not true or false")),
                    },
                    Val::Unknown(r) => Val::Unknown(r.clone()),
                };
            }
            Val::Known(_) => {}
            Val::Unknown(r) => unknown_name = Some(r.clone()),
        }
    }
    match unknown_name {
        Some(r) => Val::unknown(format!(
            "a parameter's name is not known, so whether require_ssl is set cannot be told: {r}"
        )),
        None => Val::Known(false),
    }
}

/// The parameter group a cluster names (`None`: the default group), and its
/// `require_ssl`: the group of the code it references or names, the default
/// group (`default.*`, or nothing named), else unknown.
pub fn cluster_group(
    named: Option<Val<Link>>,
    groups: &[ParamGroup],
) -> (Val<Option<String>>, Val<bool>) {
    let Some(link) = named else {
        return (Val::Known(None), Val::Known(false));
    };
    let group = match &link {
        Val::Known(Link::Resource(r)) => groups.iter().find(|g| g.rid == *r),
        Val::Known(Link::External(s)) => groups
            .iter()
            .find(|g| g.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(s))),
        Val::Unknown(_) => None,
    };
    if let Some(g) = group {
        return (Val::Known(Some(g.label.clone())), require_ssl(&g.params));
    }
    match link {
        Val::Known(Link::External(s)) if s.to_ascii_lowercase().starts_with("default.") => {
            (Val::Known(Some(s)), Val::Known(false))
        }
        Val::Known(Link::External(s)) => (
            Val::Known(Some(s.clone())),
            Val::unknown(format!(
                "parameter group {s} is not in the code, so its require_ssl cannot be told"
            )),
        ),
        Val::Known(Link::Resource(_)) => (
            Val::unknown("the parameter group is not a Redshift parameter group of the code"),
            Val::unknown(
                "the cluster's parameter group is not a Redshift parameter group of the code",
            ),
        ),
        Val::Unknown(r) => (Val::Unknown(r.clone()), Val::Unknown(r)),
    }
}
