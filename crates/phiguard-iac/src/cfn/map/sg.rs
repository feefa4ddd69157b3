//! `AWS::EC2::SecurityGroup`, joined with the standalone
//! `AWS::EC2::SecurityGroupIngress` and `AWS::EC2::SecurityGroupEgress` rules
//! that name it.

use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use crate::joins::ports::{bound, rule_ports};
use phiguard_model::{Link, PortRange, SecurityGroup, SgRule, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::EC2::SecurityGroup"],
    map,
    finish,
};

/// One rule. `peers` names the source (ingress) or destination (egress)
/// properties besides the CIDRs.
fn rule(p: P, peers: &[&'static str]) -> R<Val<SgRule>> {
    let protocol = match p.get("IpProtocol").str_opt()? {
        Val::Known(Some(s)) => s,
        Val::Known(None) => return p.error("IpProtocol is required"),
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut cidr = None;
    for k in ["CidrIp", "CidrIpv6"] {
        match p.get(k).str_opt()? {
            Val::Known(Some(c)) => cidr = Some(c),
            Val::Known(None) => {}
            Val::Unknown(r) => return Ok(Val::Unknown(r)),
        }
    }
    let peer = peers.iter().find_map(|k| p.get(k).text());
    let ports = rule_ports(
        &protocol,
        bound(
            p.get("FromPort")
                .str_opt()
                .unwrap_or_else(|e| Val::Unknown(e.message)),
        ),
        bound(
            p.get("ToPort")
                .str_opt()
                .unwrap_or_else(|e| Val::Unknown(e.message)),
        ),
    );
    Ok(Val::Known(SgRule {
        protocol,
        cidr,
        peer,
        ports,
    }))
}

fn rules(p: P, peers: &[&'static str]) -> R<Val<Vec<SgRule>>> {
    let items = match p.list()? {
        Val::Known(i) => i,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut out = Vec::new();
    for i in items {
        match rule(i, peers)? {
            Val::Known(r) => out.push(r),
            Val::Unknown(r) => return Ok(Val::Unknown(r)),
        }
    }
    Ok(Val::Known(out))
}

const INGRESS_PEERS: &[&str] = &[
    "SourceSecurityGroupId",
    "SourceSecurityGroupName",
    "SourcePrefixListId",
];
const EGRESS_PEERS: &[&str] = &["DestinationSecurityGroupId", "DestinationPrefixListId"];

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let ingress = rules(p.get("SecurityGroupIngress"), INGRESS_PEERS)?;
    let eg = p.get("SecurityGroupEgress");
    // Without SecurityGroupEgress, EC2 adds the default rule that allows all
    // outbound traffic; it is removed only when the group lists one or more
    // egress rules.
    // An empty list removes nothing either.
    let allow_all = || {
        vec![SgRule {
            protocol: "-1".into(),
            cidr: Some("0.0.0.0/0".into()),
            peer: None,
            ports: Val::Known(Some(PortRange::ALL)),
        }]
    };
    let egress = match rules(eg, EGRESS_PEERS)? {
        Val::Known(l) if l.is_empty() => Val::Known(allow_all()),
        other => other,
    };
    let vpc_p = p.get("VpcId");
    let vpc = if vpc_p.is_absent() {
        Val::unknown("no VpcId: the group is created in the account's default VPC")
    } else {
        vpc_p.link()
    };
    m.inv.security_groups.push(SecurityGroup {
        rid: r.rid,
        vpc,
        ingress,
        egress,
    });
    Ok(())
}

fn join(m: &mut Mapper, ty: &str, ingress: bool) {
    let rs: Vec<&EvalRes> = m.est.of_type(ty).collect();
    for r in rs {
        let p = m.est.props(r);
        let gid = match p.get("GroupId").link() {
            Val::Known(Link::Resource(gid)) => gid,
            // A group outside the estate.
            Val::Known(Link::External(_)) => continue,
            // A rule for a group known only at deploy time may be any group's.
            Val::Unknown(why) => {
                let why = format!(
                    "rule {} belongs to a group known only at deploy time ({why})",
                    r.logical_id
                );
                for g in &mut m.inv.security_groups {
                    if ingress {
                        g.ingress = Val::Unknown(why.clone());
                    } else {
                        g.egress = Val::Unknown(why.clone());
                    }
                }
                continue;
            }
        };
        let Some(i) = phiguard_model::position_by_rid(&m.inv.security_groups, gid, |x| x.rid)
        else {
            continue;
        };
        let peers = if ingress { INGRESS_PEERS } else { EGRESS_PEERS };
        let rule = match rule(p, peers) {
            Ok(v) => v,
            Err(e) => {
                m.error(r, e);
                continue;
            }
        };
        let g = &mut m.inv.security_groups[i];
        let list = if ingress {
            &mut g.ingress
        } else {
            &mut g.egress
        };
        match (list.clone(), rule) {
            (Val::Known(mut l), Val::Known(x)) => {
                l.push(x);
                *list = Val::Known(l);
            }
            (Val::Known(_), Val::Unknown(reason)) => {
                *list = Val::unknown(format!("rule {} is unknown: {reason}", r.logical_id));
            }
            (Val::Unknown(_), _) => {}
        }
    }
}

fn finish(m: &mut Mapper) {
    join(m, "AWS::EC2::SecurityGroupIngress", true);
    join(m, "AWS::EC2::SecurityGroupEgress", false);
}
