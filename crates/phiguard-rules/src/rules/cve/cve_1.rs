use crate::{Cx, declare_rule};
use phiguard_model::{Val, any3};

declare_rule! {
    /// ### What it checks
    /// Every ECR repository scans its images: on push (`ScanOnPush: true`), or
    /// through the registry scanning configuration of its account and region
    /// when it covers every repository: a rule with the wildcard filter `*`
    /// that scans automatically, either `BASIC` with `SCAN_ON_PUSH` or
    /// `ENHANCED` (on push or continuous).
    ///
    /// ### Why
    /// Images that run PHI workloads must be checked for known vulnerabilities
    /// before and while they run; an unscanned image is an unknown risk.
    ///
    /// ### Sources
    /// - Live: `ecr:DescribeRepositories` (`imageScanningConfiguration`), `ecr:GetRegistryScanningConfiguration`.
    /// - Terraform: `aws_ecr_repository.image_scanning_configuration`, `aws_ecr_registry_scanning_configuration`.
    /// - CloudFormation: `AWS::ECR::Repository.ImageScanningConfiguration.ScanOnPush`
    ///   (default `false`), `AWS::ECR::RegistryScanningConfiguration` (`ScanType`,
    ///   `Rules[].ScanFrequency`, `Rules[].RepositoryFilters`). Registry scanning
    ///   limited by filters other than `*` is unknown for repositories that do
    ///   not scan on push.
    ///
    /// ### Defaults assumed
    /// - A registry's scanning configuration applies to every repository whose
    ///   name matches a rule's filter; with `BASIC` scanning, a `SCAN_ON_PUSH`
    ///   rule for `*` scans every image pushed to any repository, whatever the
    ///   repository's own `ScanOnPush` says (the repository-level setting is
    ///   superseded by registry-level filters). Amazon ECR User Guide, "Scan
    ///   images for software vulnerabilities" and "Configuring basic scanning":
    ///   <https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html>,
    ///   <https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-basic-enabling.html>.
    pub static RULE = {
        id: "CVE-1",
        control: Vulnerability,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Ecr],
        scope: Resource,
        title: "ECR repositories scan images on push, or the registry scans continuously",
        remediation: "Set ImageScanningConfiguration ScanOnPush: true on every repository, or configure enhanced registry scanning (ScanType ENHANCED, filter \"*\", CONTINUOUS_SCAN).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for r in &cx.inv.ecr_repositories {
        if r.scan_on_push.is_true() {
            cx.pass(r.rid, "the repository scans images on push");
            continue;
        }
        let registry = any3(
            cx.inv
                .ecr_registry_scanning
                .iter()
                .filter(|s| cx.inv.same_place(s.rid, r.rid))
                .map(|s| s.enhanced.clone()),
        );
        match (&r.scan_on_push, &registry) {
            (_, Val::Known(true)) => cx.pass(
                r.rid,
                "the registry's scanning configuration (a rule for *) covers every repository",
            ),
            (Val::Unknown(x), _) | (_, Val::Unknown(x)) => cx.unknown(r.rid, x.clone()),
            _ => cx.fail(
                r.rid,
                "the repository does not scan on push, and no registry scanning rule covers it",
            ),
        }
    }
}
