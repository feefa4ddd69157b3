use crate::util::tls::show;
use crate::{Cx, declare_rule};
use phiguard_model::{SearchDomain, Val};

declare_rule! {
    /// ### What it checks
    /// Every Amazon OpenSearch Service domain (OpenSearch or legacy
    /// Elasticsearch engine) encrypts everything in transit:
    /// - its endpoint refuses plain HTTP (`DomainEndpointOptions.EnforceHTTPS`);
    /// - its HTTPS endpoint accepts TLS 1.2 or newer only
    ///   (`TLSSecurityPolicy` `Policy-Min-TLS-1-2-2019-07` or
    ///   `Policy-Min-TLS-1-2-PFS-2023-10`, not `Policy-Min-TLS-1-0-2019-07`);
    /// - traffic between its nodes is encrypted (`NodeToNodeEncryptionOptions.Enabled`).
    ///
    /// Every domain is judged, in PHI scope or not, as ENC-14 does. One
    /// finding per domain names every part that is missing.
    ///
    /// ### Why
    /// Queries and results carry the PHI the domain indexes. Without HTTPS
    /// enforced a client can send them in clear text; TLS 1.0 and 1.1 are
    /// deprecated (RFC 8996); without node-to-node encryption, shard
    /// replication and query fan-out cross the VPC in clear text.
    ///
    /// ### Sources
    /// - Live: `es:DescribeDomains` `DomainEndpointOptions` (`EnforceHTTPS`,
    ///   `TLSSecurityPolicy`), `NodeToNodeEncryptionOptions.Enabled`.
    /// - Terraform: `aws_opensearch_domain` / `aws_elasticsearch_domain`
    ///   `domain_endpoint_options` (`enforce_https`, `tls_security_policy`),
    ///   `node_to_node_encryption.enabled`.
    /// - CloudFormation: `AWS::OpenSearchService::Domain` / `AWS::Elasticsearch::Domain`
    ///   `DomainEndpointOptions` (`EnforceHTTPS`, `TLSSecurityPolicy`),
    ///   `NodeToNodeEncryptionOptions.Enabled`.
    ///
    /// ### Defaults assumed
    /// - `EnforceHTTPS` and `NodeToNodeEncryptionOptions.Enabled` are off when
    ///   left out (Amazon OpenSearch Service API Reference,
    ///   `DomainEndpointOptions` and `NodeToNodeEncryptionOptions`:
    ///   <https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DomainEndpointOptions.html>,
    ///   <https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_NodeToNodeEncryptionOptions.html>;
    ///   node-to-node encryption "if enabled":
    ///   <https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html>).
    ///   In Terraform, a `domain_endpoint_options` block that leaves out
    ///   `enforce_https` enforces HTTPS (the provider's default is `true`:
    ///   <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/opensearch_domain#enforce_https>);
    ///   without the block, AWS's default (off) applies.
    /// - The API reference names no default `TLSSecurityPolicy`; domains
    ///   created without one report `Policy-Min-TLS-1-0-2019-07`, which
    ///   accepts TLS 1.0 (AWS Security Hub control Opensearch.8 fails them:
    ///   <https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html#opensearch-8>).
    ///   Code that names no policy therefore does not require TLS 1.2, and
    ///   fails; set the policy explicitly.
    /// - A policy name is judged by the version it names
    ///   (`Policy-Min-TLS-<major>-<minor>-...`); a name that does not say is unknown.
    pub static RULE = {
        id: "TLS-8",
        control: InTransitEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [SearchDomains],
        scope: Resource,
        title: "OpenSearch domains enforce HTTPS with TLS 1.2 or newer and encrypt node-to-node traffic",
        remediation: "Set DomainEndpointOptions with EnforceHTTPS: true and TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10, and NodeToNodeEncryptionOptions.Enabled: true (Terraform: domain_endpoint_options { enforce_https = true, tls_security_policy = \"Policy-Min-TLS-1-2-PFS-2023-10\" }, node_to_node_encryption { enabled = true }).",
        check: check,
    }
}

/// The oldest TLS version a `Policy-Min-TLS-<major>-<minor>-...` policy accepts.
fn policy_min_tls(policy: &str) -> Option<(u8, u8)> {
    let rest = policy.strip_prefix("Policy-Min-TLS-")?;
    let mut parts = rest.split('-');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// What is missing, and what cannot be told, about one domain.
fn judge(d: &SearchDomain) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (mut ok, mut bad, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
    match &d.enforce_https {
        Val::Known(true) => ok.push("enforces HTTPS".to_string()),
        Val::Known(false) => bad.push(
            "does not enforce HTTPS (EnforceHTTPS is false, the default), so clients may send requests over plain HTTP"
                .to_string(),
        ),
        Val::Unknown(r) => unknown.push(r.clone()),
    }
    match &d.tls_policy {
        Val::Known(Some(p)) => match policy_min_tls(p) {
            Some(v) if v >= (1, 2) => ok.push(format!("has TLS policy {p}, which requires {} or newer", show(v))),
            Some(v) => bad.push(format!(
                "has TLS policy {p}, which accepts {}, older than TLS 1.2",
                show(v)
            )),
            None => unknown.push(format!(
                "the domain's TLS policy {p} does not name its minimum TLS version"
            )),
        },
        Val::Known(None) => bad.push(
            "names no TLSSecurityPolicy, so TLS 1.2 is not required (domains created without one report Policy-Min-TLS-1-0-2019-07, which accepts TLS 1.0)"
                .to_string(),
        ),
        Val::Unknown(r) => unknown.push(r.clone()),
    }
    match &d.node_to_node {
        Val::Known(true) => ok.push("encrypts node-to-node traffic".to_string()),
        Val::Known(false) => bad.push(
            "does not encrypt node-to-node traffic (NodeToNodeEncryptionOptions.Enabled is false, the default)"
                .to_string(),
        ),
        Val::Unknown(r) => unknown.push(r.clone()),
    }
    (ok, bad, unknown)
}

fn check(cx: &mut Cx) {
    for d in &cx.inv.search_domains {
        let (ok, bad, unknown) = judge(d);
        if !bad.is_empty() {
            cx.fail(d.rid, format!("the domain {}", bad.join("; it ")));
        } else if !unknown.is_empty() {
            cx.unknown(d.rid, unknown.join("; "));
        } else {
            cx.pass(d.rid, format!("the domain {}", ok.join(", ")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::policy_min_tls;

    #[test]
    fn policies_are_judged_by_the_version_they_name() {
        assert_eq!(policy_min_tls("Policy-Min-TLS-1-0-2019-07"), Some((1, 0)));
        assert_eq!(policy_min_tls("Policy-Min-TLS-1-2-2019-07"), Some((1, 2)));
        assert_eq!(
            policy_min_tls("Policy-Min-TLS-1-2-PFS-2023-10"),
            Some((1, 2))
        );
        assert_eq!(policy_min_tls("Policy-Min-TLS-1-3-2025-01"), Some((1, 3)));
        assert_eq!(policy_min_tls("Custom-Policy"), None);
    }
}
