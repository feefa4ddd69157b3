use crate::{Cx, declare_rule};
use phiguard_model::{Link, Val};

declare_rule! {
    /// ### What it checks
    /// Every EKS cluster has the `eks-pod-identity-agent` add-on: an add-on
    /// with that name whose cluster is this cluster (a `!Ref` to it, or its
    /// literal name). An add-on of another cluster does not count; an add-on
    /// whose cluster is known only at deploy time makes a cluster that has no
    /// add-on of its own unknown.
    ///
    /// ### Why
    /// EKS Pod Identity gives each workload its own short-lived role
    /// credentials, so pods do not share the node's role (and its access to
    /// PHI). The agent add-on is what delivers those credentials.
    ///
    /// ### Sources
    /// - Live: `eks:ListAddons`, `eks:DescribeAddon`.
    /// - Terraform: `aws_eks_addon` (`addon_name`, `cluster_name`).
    /// - CloudFormation: `AWS::EKS::Addon` (`AddonName`, `ClusterName`) joined to `AWS::EKS::Cluster`.
    pub static RULE = {
        id: "EKS-1",
        control: WorkloadAccess,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [Eks],
        scope: Resource,
        title: "Every EKS cluster runs the eks-pod-identity-agent add-on",
        remediation: "Add an AWS::EKS::Addon with AddonName eks-pod-identity-agent and ClusterName !Ref the cluster.",
        check: check,
    }
}

const AGENT: &str = "eks-pod-identity-agent";

fn check(cx: &mut Cx) {
    for c in &cx.inv.eks_clusters {
        let mut unknown = None;
        let mut found = None;
        for a in &cx.inv.eks_addons {
            let is_agent = match &a.name {
                Val::Known(n) => Val::Known(n == AGENT),
                Val::Unknown(r) => Val::Unknown(r.clone()),
            };
            let here = match &a.cluster {
                Val::Known(Link::Resource(r)) => Val::Known(*r == c.rid),
                Val::Known(Link::External(n)) => match &c.name {
                    Val::Known(cn) => Val::Known(cn == n),
                    Val::Unknown(_) => Val::unknown(format!(
                        "add-on {} names cluster {n}, and this cluster's name is generated at deploy time",
                        cx.inv.meta(a.rid).name
                    )),
                },
                Val::Unknown(r) => Val::unknown(format!(
                    "the cluster of add-on {} is known only at deploy time ({r})",
                    cx.inv.meta(a.rid).name
                )),
            };
            match phiguard_model::all3([is_agent, here]) {
                Val::Known(true) => {
                    found = Some(a.rid);
                    break;
                }
                Val::Known(false) => {}
                Val::Unknown(r) => {
                    unknown.get_or_insert(r);
                }
            }
        }
        match (found, unknown) {
            (Some(a), _) => cx.pass(
                c.rid,
                format!(
                    "the cluster has the {AGENT} add-on ({})",
                    cx.inv.meta(a).name
                ),
            ),
            (None, Some(r)) => cx.unknown(c.rid, r),
            (None, None) => cx.fail(c.rid, format!("the cluster has no {AGENT} add-on")),
        }
    }
}
