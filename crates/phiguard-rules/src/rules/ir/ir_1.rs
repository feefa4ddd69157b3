use crate::baseline::{SCENARIOS, days_from_civil, parse_date};
use crate::{Cx, declare_rule};

declare_rule! {
    /// ### What it checks
    /// The incident-response runbooks are attested in `phiguard.toml`
    /// (`[baseline.runbooks]`): their declared `location` is not on an
    /// AWS-hosted domain, they were `reviewed` within the last 365 days, and
    /// their `scenarios` cover all five that `phiguard runbooks` writes:
    /// `ec2-isolation`, `credential-rotation`, `database-failover`,
    /// `incident-declaration` and `restore-drill`.
    ///
    /// A location is AWS-hosted when it is an `s3://` URL or its host is under
    /// `amazonaws.com` (S3, API Gateway, ...), `amazonaws.com.cn`,
    /// `aws.amazon.com`, `awsapps.com` (WorkDocs, Identity Center),
    /// `cloudfront.net`, `amplifyapp.com`, `elasticbeanstalk.com`,
    /// `awsapprunner.com`, `on.aws` (Lambda function URLs) or `api.aws`. A
    /// custom domain or a path is taken as declared: where a custom domain is
    /// hosted (a CNAME to CloudFront) cannot be seen from the configuration.
    ///
    /// ### Why
    /// 164.308(a)(6) and (a)(7) require procedures to respond to incidents and
    /// emergencies. An incident can take away access to AWS itself (a
    /// compromised management account, a region outage), so the runbooks must
    /// be readable without it, and a runbook no one has read in a year names
    /// people, accounts and commands that have moved on.
    ///
    /// ### Sources
    /// The attestation in `phiguard.toml`, whatever the estate is read from:
    /// - Live: judged in every audit.
    /// - Terraform: judged with the plans and states.
    /// - CloudFormation: judged with the templates.
    ///
    /// With no attestation at all (no `[baseline.runbooks]` keys), the live
    /// audit fails the rule. `check --complete` reports it unknown, with that
    /// reason: the templates are the whole baseline, but the runbooks are
    /// documents that no template or plan holds. A plain `check` (some
    /// templates, checked apart from the organization's documents) does not
    /// judge the absence. Once any key is set, `check` judges the attestation
    /// like the audit does.
    pub static RULE = {
        id: "IR-1",
        control: IncidentResponse,
        severity: Medium,
        sources: [Live, Terraform, CloudFormation],
        reads: [],
        scope: Estate,
        title: "Incident-response runbooks are kept outside AWS and were reviewed within 365 days",
        remediation: "Write the runbooks with `phiguard runbooks --out DIR`, keep them outside AWS, review them, and record location, reviewed (YYYY-MM-DD) and scenarios under [baseline.runbooks] in phiguard.toml.",
        check: check,
    }
}

const AWS_DOMAINS: &[&str] = &[
    "amazonaws.com",
    "amazonaws.com.cn",
    "aws.amazon.com",
    "awsapps.com",
    "cloudfront.net",
    "amplifyapp.com",
    "elasticbeanstalk.com",
    "awsapprunner.com",
    "on.aws",
    "api.aws",
];

/// The AWS domain a location is hosted under, if any.
pub fn aws_hosted(location: &str) -> Option<String> {
    let l = location.trim().to_ascii_lowercase();
    if l.starts_with("s3://") {
        return Some("s3://".into());
    }
    let rest = l.split_once("://").map(|(_, r)| r)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host).trim_end_matches('.');
    AWS_DOMAINS
        .iter()
        .find(|d| host == **d || host.ends_with(&format!(".{d}")))
        .map(|d| d.to_string())
}

fn check(cx: &mut Cx) {
    let r = &cx.cfg.baseline.runbooks;
    if r.location.is_none() && r.reviewed.is_none() && r.scenarios.is_empty() {
        const NONE: &str = "no runbook attestation: [baseline.runbooks] in phiguard.toml sets no location, reviewed date or scenarios";
        if cx.inv.sources().contains(&phiguard_model::SourceKind::Live) {
            cx.estate_fail(NONE);
        } else if cx.complete {
            cx.estate_unknown(format!(
                "{NONE}; the runbooks are documents kept outside the templates: write them with `phiguard runbooks`, review them and record the attestation"
            ));
        }
        return;
    }
    let mut problems = Vec::new();
    match r.location.as_deref().map(str::trim) {
        None | Some("") => problems.push("no location is declared".to_string()),
        Some(l) => {
            if let Some(d) = aws_hosted(l) {
                problems.push(format!(
                    "the runbooks are kept at {l}, on AWS ({d}): they must be readable when AWS is not"
                ));
            }
        }
    }
    let today = cx.now.div_euclid(86_400);
    match r.reviewed.as_deref() {
        None => problems.push("no review date is declared".to_string()),
        Some(d) => match parse_date(d) {
            None => problems.push(format!("the review date {d:?} is not a date YYYY-MM-DD")),
            Some((y, m, day)) => {
                let age = today - days_from_civil(y, m, day);
                if age > 365 {
                    problems.push(format!("last reviewed {d}, {age} days ago (more than 365)"));
                } else if age < 0 {
                    problems.push(format!("the review date {d} is in the future"));
                }
            }
        },
    }
    let missing: Vec<&str> = SCENARIOS
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !r.scenarios.iter().any(|s| s == id))
        .collect();
    if !missing.is_empty() {
        problems.push(format!("scenarios missing: {}", missing.join(", ")));
    }
    if problems.is_empty() {
        cx.estate_pass(format!(
            "the runbooks ({} scenarios) are kept at {}, reviewed {}",
            SCENARIOS.len(),
            r.location.as_deref().unwrap_or_default(),
            r.reviewed.as_deref().unwrap_or_default()
        ));
    } else {
        cx.estate_fail(problems.join("; "));
    }
}

#[cfg(test)]
mod tests {
    use super::aws_hosted;

    #[test]
    fn aws_hosted_locations() {
        assert_eq!(
            aws_hosted("s3://bucket/runbooks.md").as_deref(),
            Some("s3://")
        );
        assert_eq!(
            aws_hosted("https://bucket.s3.us-east-1.amazonaws.com/r.html").as_deref(),
            Some("amazonaws.com")
        );
        assert_eq!(
            aws_hosted("https://d111.cloudfront.net/x").as_deref(),
            Some("cloudfront.net")
        );
        assert_eq!(
            aws_hosted("https://example.awsapps.com/workdocs").as_deref(),
            Some("awsapps.com")
        );
        assert_eq!(aws_hosted("https://wiki.example.com/runbooks"), None);
        assert_eq!(aws_hosted("https://notamazonaws.com/x"), None);
        assert_eq!(aws_hosted("/srv/binders/runbooks.pdf"), None);
    }
}
