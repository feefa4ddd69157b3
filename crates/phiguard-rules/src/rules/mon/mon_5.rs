use crate::{Cx, declare_rule};

declare_rule! {
    /// ### What it checks
    /// Amazon Inspector is enabled for EC2 and ECR scanning in every account and
    /// region the source reports. With no Inspector status at all, the estate
    /// fails when it is complete (live).
    ///
    /// ### Why
    /// Inspector finds the known vulnerabilities of the instances and images
    /// that process PHI; it feeds the patch SLAs of the vulnerability
    /// management control.
    ///
    /// ### Sources
    /// - Live: `inspector2:BatchGetAccountStatus` (`resourceState.ec2`, `resourceState.ecr`).
    /// - Terraform: `aws_inspector2_enabler.resource_types`.
    ///
    /// CloudFormation has no resource that enables Inspector (the
    /// `AWS::InspectorV2::*` types configure filters and CIS scans of an
    /// Inspector that is already on), so a template can neither pass nor fail
    /// this rule, and it does not run on CloudFormation.
    pub static RULE = {
        id: "MON-5",
        control: Monitoring,
        severity: High,
        sources: [Live, Terraform],
        reads: [Inspector],
        scope: Estate,
        title: "Inspector is enabled for EC2 and ECR",
        remediation: "Enable Amazon Inspector for EC2 and ECR in every account and approved region (from the delegated administrator, with auto-enable for the organization).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    if cx.inv.inspectors.is_empty() {
        cx.absent("no Inspector status is in the estate");
        return;
    }
    for i in &cx.inv.inspectors {
        let verdict = phiguard_model::all3([i.ec2.clone(), i.ecr.clone()]);
        let missing: Vec<&str> = [("EC2", &i.ec2), ("ECR", &i.ecr)]
            .into_iter()
            .filter(|(_, v)| v.is_false())
            .map(|(n, _)| n)
            .collect();
        cx.judge(
            i.rid,
            verdict,
            "Inspector scans EC2 and ECR",
            format!("Inspector does not scan {}", missing.join(" or ")),
        );
    }
}
