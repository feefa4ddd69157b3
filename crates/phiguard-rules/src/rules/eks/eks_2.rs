use crate::util::iam::linked_role;
use crate::{Cx, declare_rule};
use phiguard_model::{Effect, PolicyDoc, Val};

declare_rule! {
    /// ### What it checks
    /// The role of every EKS pod identity association trusts only the
    /// service principal `pods.eks.amazonaws.com`, for exactly the actions
    /// `sts:AssumeRole` and `sts:TagSession`: every `Allow` of its trust
    /// policy names that service and nothing else (no account, user, role,
    /// federated or `"*"` principal), and the actions allowed are those two,
    /// not a wildcard. A role outside the estate is unknown.
    ///
    /// ### Why
    /// A pod identity role holds a workload's access to PHI. If its trust
    /// policy also admits people, other services or other accounts, they can
    /// take that access around Kubernetes' service-account boundaries.
    ///
    /// ### Sources
    /// - Live: `eks:ListPodIdentityAssociations`, the role's trust policy.
    /// - Terraform: `aws_eks_pod_identity_association.role_arn`, `aws_iam_role.assume_role_policy`.
    /// - CloudFormation: `AWS::EKS::PodIdentityAssociation.RoleArn` joined to
    ///   `AWS::IAM::Role.AssumeRolePolicyDocument`.
    pub static RULE = {
        id: "EKS-2",
        control: WorkloadAccess,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Eks, IamRoles],
        scope: Resource,
        title: "Pod identity roles trust only pods.eks.amazonaws.com",
        remediation: "Make the role's trust policy a single Allow for Service pods.eks.amazonaws.com with Action [sts:AssumeRole, sts:TagSession].",
        check: check,
    }
}

const SERVICE: &str = "pods.eks.amazonaws.com";
const ACTIONS: [&str; 2] = ["sts:assumerole", "sts:tagsession"];

/// The problems of a trust policy, empty when it is as it should be.
fn problems(doc: &PolicyDoc) -> Vec<String> {
    let mut out = Vec::new();
    let mut actions: Vec<String> = Vec::new();
    let mut allows = 0;
    for (i, s) in doc.statements.iter().enumerate() {
        if s.effect != Effect::Allow {
            continue;
        }
        allows += 1;
        let sid = s.sid.clone().unwrap_or_else(|| format!("#{}", i + 1));
        let only_pods = s.not_principal.is_none()
            && s.principal.as_ref().is_some_and(|p| {
                !p.wildcard
                    && p.aws.is_empty()
                    && p.federated.is_empty()
                    && p.canonical_user.is_empty()
                    && !p.service.is_empty()
                    && p.service.iter().all(|x| x == SERVICE)
            });
        if !only_pods {
            out.push(format!(
                "statement {sid} trusts principals other than {SERVICE}"
            ));
        }
        if !s.not_actions.is_empty() {
            out.push(format!("statement {sid} uses NotAction"));
        }
        actions.extend(s.actions.iter().map(|a| a.to_ascii_lowercase()));
    }
    if allows == 0 {
        out.push("the trust policy allows nothing".into());
        return out;
    }
    actions.sort();
    actions.dedup();
    if actions != ACTIONS {
        out.push(format!(
            "the trust policy allows {}, not exactly sts:AssumeRole and sts:TagSession",
            actions.join(", ")
        ));
    }
    out
}

fn check(cx: &mut Cx) {
    for a in &cx.inv.pod_identity_associations {
        let role = match linked_role(cx.inv, &a.role) {
            Ok(r) => r,
            Err(reason) => {
                cx.unknown(a.rid, reason);
                continue;
            }
        };
        let rname = cx.inv.meta(role.rid).name.clone();
        match &role.trust {
            Val::Unknown(r) => cx.unknown(a.rid, r.clone()),
            Val::Known(doc) => {
                let p = problems(doc);
                if p.is_empty() {
                    cx.pass(
                        a.rid,
                        format!("role {rname} trusts only {SERVICE} for sts:AssumeRole and sts:TagSession"),
                    );
                } else {
                    cx.fail(a.rid, format!("role {rname}: {}", p.join("; ")));
                }
            }
        }
    }
}
