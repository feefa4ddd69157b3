use crate::util::iam::{data_actions, linked_role, policy_name};
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// The node role of every EKS managed node group carries no permission
    /// to reach data. It may carry the standard AWS-managed node policies
    /// (`AmazonEKSWorkerNodePolicy`, `AmazonEKS_CNI_Policy`,
    /// `AmazonEC2ContainerRegistryReadOnly` or `...PullOnly`,
    /// `AmazonSSMManagedInstanceCore`); any other AWS-managed policy
    /// (`AmazonS3ReadOnlyAccess`, `AdministratorAccess`, ...) fails, and an
    /// inline or customer-managed policy fails when an `Allow` covers an S3 or
    /// DynamoDB data action, `secretsmanager:GetSecretValue` or `kms:Decrypt`
    /// (wildcards such as `s3:*` or `*` included). A policy whose document
    /// cannot be read, or a role outside the estate, is unknown.
    ///
    /// ### Why
    /// Every pod on a node can reach the node role's credentials through the
    /// instance metadata service. Data access belongs to per-workload pod
    /// identity roles, not to the node.
    ///
    /// ### Sources
    /// - Live: `eks:DescribeNodegroup` `nodeRole`, the role's attached and inline policies.
    /// - Terraform: `aws_eks_node_group.node_role_arn`, the role's policy attachments.
    /// - CloudFormation: `AWS::EKS::Nodegroup.NodeRole` joined to `AWS::IAM::Role`
    ///   (`ManagedPolicyArns`, `Policies`) and the `AWS::IAM::Policy` /
    ///   `AWS::IAM::ManagedPolicy` that name it in `Roles`.
    pub static RULE = {
        id: "EKS-3",
        control: WorkloadAccess,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Eks, IamRoles],
        scope: Resource,
        title: "EKS node roles carry no data-access permissions",
        remediation: "Keep only the worker, CNI, ECR read-only and SSM policies on the node role; move data access to pod identity roles.",
        check: check,
    }
}

const STANDARD: &[&str] = &[
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonEC2ContainerRegistryPullOnly",
    "AmazonSSMManagedInstanceCore",
];

fn check(cx: &mut Cx) {
    for g in &cx.inv.node_groups {
        let role = match linked_role(cx.inv, &g.node_role) {
            Ok(r) => r,
            Err(reason) => {
                cx.unknown(g.rid, reason);
                continue;
            }
        };
        let rname = cx.inv.meta(role.rid).name.clone();
        let policies = match &role.policies {
            Val::Known(p) => p,
            Val::Unknown(r) => {
                cx.unknown(g.rid, r.clone());
                continue;
            }
        };
        let mut bad = Vec::new();
        let mut unknown = Vec::new();
        for p in policies {
            let name = policy_name(p);
            if p.aws_managed {
                if !STANDARD.contains(&name.as_str()) {
                    bad.push(format!(
                        "AWS-managed policy {name} is not a standard node policy"
                    ));
                }
                continue;
            }
            match &p.document {
                Some(Val::Known(doc)) => {
                    let a = data_actions(doc);
                    if !a.is_empty() {
                        bad.push(format!("policy {name} allows {}", a.join(", ")));
                    }
                }
                Some(Val::Unknown(r)) => unknown.push(format!("policy {name}: {r}")),
                None => unknown.push(format!("the document of policy {name} is not known")),
            }
        }
        if !bad.is_empty() {
            cx.fail(g.rid, format!("node role {rname}: {}", bad.join("; ")));
        } else if !unknown.is_empty() {
            cx.unknown(g.rid, format!("node role {rname}: {}", unknown.join("; ")));
        } else {
            cx.pass(
                g.rid,
                format!("node role {rname} carries only standard node policies and no data access"),
            );
        }
    }
}
