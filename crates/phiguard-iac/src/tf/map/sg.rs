//! `aws_security_group`, joined with the standalone rules that name it:
//! `aws_vpc_security_group_ingress_rule`, `aws_vpc_security_group_egress_rule`
//! and `aws_security_group_rule`.
//!
//! Unlike CloudFormation, Terraform removes the allow-all egress rule EC2
//! adds to a new group in a VPC (the provider's "NOTE on Egress rules"): a
//! group without `egress` blocks or egress rule resources has no egress.
//!
//! A rule joins the group its `security_group_id` references, or else the
//! group of the same plan or state whose known id it writes. A rule whose
//! group is known only after apply may be any group's: their rules of that
//! direction are unknown.

use super::{link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::{P, R};
use crate::cfn::value::Value;
use crate::joins::ports::{bound, rule_ports};
use phiguard_model::{Link, PortRange, SecurityGroup, SgRule, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_security_group"],
    map,
    finish,
};

/// `-1` for all protocols (Terraform also accepts `all`).
fn protocol(p: P) -> R<Val<String>> {
    Ok(match p.str_opt()? {
        Val::Known(Some(s)) if s == "all" || s == "-1" => Val::Known("-1".into()),
        Val::Known(Some(s)) => Val::Known(s),
        Val::Known(None) => return p.error("a rule needs a protocol"),
        Val::Unknown(r) => Val::Unknown(r),
    })
}

/// The strings of a list attribute; absent means none.
fn strings(p: P) -> R<Val<Vec<String>>> {
    if p.is_absent() {
        return Ok(Val::Known(vec![]));
    }
    p.strings()
}

/// The peers (groups, prefix lists) an attribute names. A peer known only
/// after apply (`security_groups = [aws_security_group.alb.id]`) is still a
/// peer, not a CIDR: it is named by what its value references, or by the
/// attribute.
fn peer_names(p: P) -> R<Vec<String>> {
    let name = |v: P| -> String {
        v.text().unwrap_or_else(|| match v.v {
            Some(Value::Att(rid, _)) | Some(Value::Ref(rid)) => {
                format!("${{{}}}", v.est.name(*rid))
            }
            _ => format!("{} (known only after apply)", v.name()),
        })
    };
    match p.v {
        None | Some(Value::Null) => Ok(vec![]),
        Some(Value::List(_)) => Ok(match p.list()? {
            Val::Known(items) => items.into_iter().map(name).collect(),
            Val::Unknown(_) => vec![name(p)],
        }),
        _ => Ok(vec![name(p)]),
    }
}

/// The ports a rule with this protocol admits, from its `from_port` and
/// `to_port` attributes.
fn ports(protocol: &str, from: P, to: P) -> Val<Option<PortRange>> {
    let b = |v: P| bound(v.str_opt().unwrap_or_else(|e| Val::Unknown(e.message)));
    rule_ports(protocol, b(from), b(to))
}

/// One rule per CIDR and peer, as EC2 records them. `cidrs` and `peers`
/// name the list attributes holding them; `self_peer` whether `self = true`
/// names the group itself; `range` the `from_port` and `to_port` attributes.
fn expand(
    proto: Val<String>,
    cidrs: &[P],
    peers: &[P],
    self_peer: bool,
    range: (P, P),
) -> R<Val<Vec<SgRule>>> {
    let protocol = match proto {
        Val::Known(p) => p,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let ports = ports(&protocol, range.0, range.1);
    let mut out = Vec::new();
    for c in cidrs {
        match strings(*c)? {
            Val::Known(l) => out.extend(l.into_iter().map(|cidr| SgRule {
                protocol: protocol.clone(),
                cidr: Some(cidr),
                peer: None,
                ports: ports.clone(),
            })),
            Val::Unknown(r) => return Ok(Val::Unknown(r)),
        }
    }
    for p in peers {
        out.extend(peer_names(*p)?.into_iter().map(|peer| SgRule {
            protocol: protocol.clone(),
            cidr: None,
            peer: Some(peer),
            ports: ports.clone(),
        }));
    }
    if self_peer {
        out.push(SgRule {
            protocol: protocol.clone(),
            cidr: None,
            peer: Some("self".into()),
            ports: ports.clone(),
        });
    }
    if out.is_empty() {
        // A rule naming no source or destination lets nothing through; kept
        // as written so that it is not mistaken for no rule.
        out.push(SgRule {
            protocol,
            cidr: None,
            peer: None,
            ports,
        });
    }
    Ok(Val::Known(out))
}

/// `self = true` on a rule.
fn self_set(p: P) -> R<bool> {
    Ok(p.get("self").bool_or(false)?.is_true())
}

/// Inline `ingress` / `egress` blocks; left out (computed): none.
fn inline(p: P, rid: phiguard_model::Rid, key: &'static str) -> R<Val<Vec<SgRule>>> {
    if omitted(p.get(key), rid, key) {
        return Ok(Val::Known(vec![]));
    }
    let items = match p.get(key).list()? {
        Val::Known(i) => i,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut out = Vec::new();
    for i in items {
        let rules = expand(
            protocol(i.get("protocol"))?,
            &[i.get("cidr_blocks"), i.get("ipv6_cidr_blocks")],
            &[i.get("security_groups"), i.get("prefix_list_ids")],
            self_set(i)?,
            (i.get("from_port"), i.get("to_port")),
        )?;
        match rules {
            Val::Known(r) => out.extend(r),
            Val::Unknown(r) => return Ok(Val::Unknown(r)),
        }
    }
    Ok(Val::Known(out))
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let vpc = if omitted(p.get("vpc_id"), r.rid, "vpc_id") {
        Val::unknown("no vpc_id: the group is created in the account's default VPC")
    } else {
        link_to(p, "vpc_id", r.rid, &["aws_vpc"])
    };
    m.inv.security_groups.push(SecurityGroup {
        rid: r.rid,
        vpc,
        ingress: inline(p, r.rid, "ingress")?,
        // No egress blocks: no egress (Terraform removes EC2's default rule).
        egress: inline(p, r.rid, "egress")?,
    });
    Ok(())
}

/// A standalone rule: its direction and rules.
fn standalone(r: &EvalRes, p: P) -> R<(bool, Val<Vec<SgRule>>)> {
    if r.ty == "aws_security_group_rule" {
        let ingress = match p.get("type").str_opt()? {
            Val::Known(Some(t)) if t == "ingress" => true,
            Val::Known(Some(t)) if t == "egress" => false,
            _ => return p.get("type").error("type must be ingress or egress"),
        };
        let rules = expand(
            protocol(p.get("protocol"))?,
            &[p.get("cidr_blocks"), p.get("ipv6_cidr_blocks")],
            &[p.get("source_security_group_id"), p.get("prefix_list_ids")],
            self_set(p)?,
            (p.get("from_port"), p.get("to_port")),
        )?;
        return Ok((ingress, rules));
    }
    let ingress = r.ty == "aws_vpc_security_group_ingress_rule";
    let peer = p.get("referenced_security_group_id");
    let mut cidr = None;
    for k in ["cidr_ipv4", "cidr_ipv6"] {
        match p.get(k).str_opt()? {
            Val::Known(Some(c)) => cidr = Some(c),
            Val::Known(None) => {}
            Val::Unknown(why) => return Ok((ingress, Val::Unknown(why))),
        }
    }
    let mut peer_text = None;
    for k in [peer, p.get("prefix_list_id")] {
        if let Some(n) = peer_names(k)?.into_iter().next() {
            peer_text = Some(n);
        }
    }
    let rules = match protocol(p.get("ip_protocol"))? {
        Val::Known(protocol) => Val::Known(vec![SgRule {
            ports: ports(&protocol, p.get("from_port"), p.get("to_port")),
            protocol,
            cidr,
            peer: peer_text,
        }]),
        Val::Unknown(r) => Val::Unknown(r),
    };
    Ok((ingress, rules))
}

const RULE_TYPES: &[&str] = &[
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_security_group_rule",
];

fn finish(m: &mut Mapper) {
    let est = m.est;
    let unit_of = |rid| est.get(rid).map(|r| r.unit);
    let known_id = |rid| est.get(rid).and_then(|x| est.props(x).get("id").text());
    // Written VPC ids: the VPC of the same plan or state with that known id.
    for i in 0..m.inv.security_groups.len() {
        let g = &m.inv.security_groups[i];
        let Some(unit) = unit_of(g.rid) else { continue };
        if let Val::Known(Link::External(id)) = &g.vpc {
            if let Some(v) =
                m.inv.vpcs.iter().find(|v| {
                    unit_of(v.rid) == Some(unit) && v.vpc_id.known().is_some_and(|x| x == id)
                })
            {
                m.inv.security_groups[i].vpc = Val::Known(Link::Resource(v.rid));
            }
        }
    }
    for ty in RULE_TYPES {
        for r in est.of_type(ty) {
            let p = est.props(r);
            let (ingress, rules) = match standalone(r, p) {
                Ok(x) => x,
                Err(e) => {
                    m.error(r, e);
                    continue;
                }
            };
            let n = m.inv.security_groups.len();
            let same_unit = |i: &usize| unit_of(m.inv.security_groups[*i].rid) == Some(r.unit);
            let (targets, certain): (Vec<usize>, bool) =
                match link_to(p, "security_group_id", r.rid, &["aws_security_group"]) {
                    Val::Known(Link::Resource(gid)) => (
                        m.inv
                            .security_groups
                            .iter()
                            .position(|g| g.rid == gid)
                            .into_iter()
                            .collect(),
                        true,
                    ),
                    Val::Known(Link::External(id)) => {
                        let by_id: Vec<usize> = (0..n)
                            .filter(same_unit)
                            .filter(|i| {
                                known_id(m.inv.security_groups[*i].rid).is_some_and(|x| x == id)
                            })
                            .collect();
                        if by_id.is_empty() {
                            let unknown_ids: Vec<usize> = (0..n)
                                .filter(same_unit)
                                .filter(|i| known_id(m.inv.security_groups[*i].rid).is_none())
                                .collect();
                            (unknown_ids, false)
                        } else {
                            (by_id, true)
                        }
                    }
                    Val::Unknown(_) => ((0..n).filter(same_unit).collect(), false),
                };
            for i in targets {
                let g = &mut m.inv.security_groups[i];
                let list = if ingress {
                    &mut g.ingress
                } else {
                    &mut g.egress
                };
                *list = match (list.clone(), &rules, certain) {
                    (Val::Unknown(why), _, _) => Val::Unknown(why),
                    (Val::Known(_), _, false) => Val::unknown(format!(
                        "rule {} belongs to a group known only after apply, which may be this one",
                        r.logical_id
                    )),
                    (Val::Known(mut l), Val::Known(x), true) => {
                        l.extend(x.iter().cloned());
                        Val::Known(l)
                    }
                    (Val::Known(_), Val::Unknown(why), true) => {
                        Val::unknown(format!("rule {} is unknown: {why}", r.logical_id))
                    }
                };
            }
        }
    }
}
