use crate::{Cx, declare_rule};
use phiguard_model::{Effect, Link, OrgPolicy, SecurityGroup, SgRule, Val};

declare_rule! {
    /// ### What it checks
    /// A containment path exists for incident response: a quarantine service
    /// control policy (an unconditional `Deny` of `*` on `*`) ready to attach
    /// to a compromised account, or, in every workload VPC, an isolation
    /// security group with no inbound and no outbound rules to move a
    /// compromised instance into.
    ///
    /// ### Why
    /// When PHI may be exposed, containment has to take minutes, not a change
    /// request. A deny-all SCP freezes an account; an empty security group cuts
    /// an instance off while keeping it for forensics.
    ///
    /// ### Sources
    /// - Live: SCP documents (`organizations:DescribePolicy`) and security groups.
    /// - Terraform: `aws_organizations_policy`, `aws_security_group`.
    /// - CloudFormation: `AWS::Organizations::Policy`, `AWS::EC2::SecurityGroup`.
    ///
    /// CloudFormation adds an allow-all egress rule to a group that declares
    /// none, so an isolation group declares a single placeholder egress rule to
    /// `127.0.0.1/32`, which counts as no rule. Without `--complete`, a VPC with
    /// no isolation group is not failed: the quarantine SCP may live in another
    /// template.
    pub static RULE = {
        id: "IR-2",
        control: IncidentResponse,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [OrgPolicies, Vpcs, SecurityGroups],
        scope: Estate,
        title: "A containment path exists: a quarantine SCP or an isolation security group",
        remediation: "Create a deny-all SCP (unattached, ready for incident response), or a security group with no rules in each workload VPC.",
        check: check,
    }
}

/// An unconditional deny of every action on every resource.
fn is_quarantine(p: &OrgPolicy) -> Val<bool> {
    let is_scp = p
        .policy_type
        .as_ref()
        .map(|t| t == "SERVICE_CONTROL_POLICY");
    let denies_all = p.document.as_ref().map(|d| {
        d.statements.iter().any(|s| {
            s.effect == Effect::Deny
                && s.not_actions.is_empty()
                && s.actions.iter().any(|a| a == "*")
                && s.all_resources()
                && s.conditions.is_empty()
        })
    });
    phiguard_model::all3([is_scp, denies_all])
}

/// A rule that lets nothing through: the loopback placeholder CloudFormation needs.
fn is_placeholder(r: &SgRule) -> bool {
    r.cidr.as_deref() == Some("127.0.0.1/32") && r.peer.is_none()
}

fn is_isolation(g: &SecurityGroup) -> Val<bool> {
    let ingress = g.ingress.as_ref().map(|i| i.is_empty());
    let egress = g.egress.as_ref().map(|e| e.iter().all(is_placeholder));
    phiguard_model::all3([ingress, egress])
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    for p in &inv.org_policies {
        if is_quarantine(p).is_true() {
            cx.pass(
                p.rid,
                "a deny-all quarantine SCP is ready to attach to a compromised account",
            );
            return;
        }
    }
    for vpc in &inv.vpcs {
        let mut verdict = Val::Known(false);
        let mut group = None;
        for g in &inv.security_groups {
            match &g.vpc {
                Val::Known(Link::Resource(r)) if *r == vpc.rid => {}
                Val::Known(_) => continue,
                Val::Unknown(_) => continue,
            }
            match is_isolation(g) {
                Val::Known(true) => {
                    verdict = Val::Known(true);
                    group = Some(g.rid);
                    break;
                }
                Val::Unknown(r) => verdict = Val::Unknown(r),
                Val::Known(false) => {}
            }
        }
        match verdict {
            Val::Known(true) => {
                let name = group.map(|g| inv.meta(g).name.clone()).unwrap_or_default();
                cx.pass(vpc.rid, format!("isolation security group {name} has no inbound or outbound rules"))
            }
            Val::Unknown(r) => cx.unknown(vpc.rid, r),
            Val::Known(false) if cx.complete => cx.fail(
                vpc.rid,
                "the VPC has no isolation security group (no rules in or out), and no quarantine SCP is in the estate",
            ),
            Val::Known(false) => {}
        }
    }
    if inv.vpcs.is_empty() {
        cx.absent(
            "no quarantine SCP (deny all) and no workload VPC with an isolation security group",
        );
    }
}
