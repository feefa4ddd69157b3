use crate::{Config, Cx, declare_rule};
use phiguard_model::{Effect, Statement, Val};

declare_rule! {
    /// ### What it checks
    /// Every VPC endpoint has a restrictive policy: not the default
    /// full-access policy (what an endpoint without `PolicyDocument` gets),
    /// and every `Allow` statement is bounded to the organization, either by a
    /// condition on `aws:PrincipalOrgID`, `aws:ResourceOrgID`,
    /// `aws:ResourceAccount` or `aws:PrincipalAccount` (with a positive
    /// operator such as `StringEquals`), or by naming only resources whose ARN
    /// carries an account of the organization (an account of `[accounts]` in
    /// `phiguard.toml`, or `${AWS::AccountId}`, the endpoint's own account).
    ///
    /// ### Why
    /// The default endpoint policy lets anyone inside the VPC reach any
    /// bucket or table of any account through the endpoint: the classic path
    /// for exfiltrating PHI to an attacker-owned bucket. Bounding each Allow
    /// to the organization closes it.
    ///
    /// ### Sources
    /// - Live: `ec2:DescribeVpcEndpoints` `PolicyDocument`.
    /// - Terraform: `aws_vpc_endpoint.policy` (or `aws_vpc_endpoint_policy`).
    /// - CloudFormation: `AWS::EC2::VPCEndpoint.PolicyDocument` (absent: full access).
    pub static RULE = {
        id: "NET-3",
        control: NetworkIsolation,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [VpcEndpoints],
        scope: Resource,
        title: "VPC endpoint policies restrict access to the organization",
        remediation: "Give the endpoint a PolicyDocument whose Allow statements carry a condition on aws:PrincipalOrgID or aws:ResourceOrgID (or aws:ResourceAccount / aws:PrincipalAccount).",
        check: check,
    }
}

const ORG_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:resourceorgid",
    "aws:resourceaccount",
    "aws:principalaccount",
];

/// A positive condition on one of the organization keys.
fn org_condition(s: &Statement) -> bool {
    s.conditions.iter().any(|c| {
        let op = c.operator.to_ascii_lowercase();
        ORG_KEYS.contains(&c.key.to_ascii_lowercase().as_str())
            && !op.contains("not")
            && !op.contains("ifexists")
            && (op.contains("equals") || op.contains("like"))
            && !c.values.is_empty()
            // A pattern (`o-*`) bounds nothing: every value must be exact.
            && c.values.iter().all(|v| !v.contains(['*', '?']))
    })
}

fn own_accounts(cfg: &Config) -> Vec<String> {
    let a = &cfg.accounts;
    let mut v: Vec<String> = [&a.management, &a.security, &a.logs]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    v.extend(a.prod.iter().chain(&a.staging).chain(&a.dev).cloned());
    v.push("${AWS::AccountId}".into());
    v
}

/// The `:`-separated fields of an ARN, a `${AWS::Region}` counting as one field.
fn arn_fields(arn: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0;
    for c in arn.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ':' if depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        out.last_mut().expect("never empty").push(c);
    }
    out
}

/// Every resource names an account of the organization (the fifth ARN field).
fn own_resources(s: &Statement, own: &[String]) -> bool {
    s.not_resources.is_empty()
        && !s.resources.is_empty()
        && s.resources.iter().all(|r| {
            let parts = arn_fields(r);
            parts.len() >= 6 && parts[0] == "arn" && own.iter().any(|a| *a == parts[4])
        })
}

fn check(cx: &mut Cx) {
    let own = own_accounts(cx.cfg);
    for e in &cx.inv.vpc_endpoints {
        match &e.policy {
            Val::Unknown(r) => cx.unknown(e.rid, r.clone()),
            Val::Known(None) => cx.fail(
                e.rid,
                "the endpoint has no policy, so the default full-access policy applies",
            ),
            Val::Known(Some(doc)) => {
                let open: Vec<String> = doc
                    .statements
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.effect == Effect::Allow)
                    .filter(|(_, s)| !org_condition(s) && !own_resources(s, &own))
                    .map(|(i, s)| s.sid.clone().unwrap_or_else(|| format!("#{}", i + 1)))
                    .collect();
                if open.is_empty() {
                    cx.pass(
                        e.rid,
                        "every Allow of the endpoint policy is bounded to the organization",
                    );
                } else {
                    cx.fail(
                        e.rid,
                        format!(
                            "Allow statement(s) {} of the endpoint policy are not bounded by aws:PrincipalOrgID, aws:ResourceOrgID, aws:ResourceAccount or aws:PrincipalAccount, nor limited to the organization's accounts",
                            open.join(", ")
                        ),
                    );
                }
            }
        }
    }
}
