use crate::util::exposure::describe_public;
use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// No Amazon OpenSearch Service domain (OpenSearch or legacy
    /// Elasticsearch engine) with a public endpoint has an access policy that
    /// lets everyone in: a statement that allows `Principal: "*"` (or
    /// `{"AWS": "*"}`, or everyone outside a `NotPrincipal`) with no condition
    /// that pins the caller's account, organization, network or source. The
    /// evaluation is the one every resource-policy rule uses
    /// (`util/exposure.rs`, after S3's definition of a public policy); a
    /// wildcard principal limited by `aws:SourceIp` to a fixed range, by
    /// `aws:PrincipalOrgID` or by `aws:SourceVpce` is limited and passes.
    ///
    /// - A domain in a VPC passes: its endpoint has no public address, and
    ///   who reaches it is decided by the VPC and the domain's security groups.
    /// - A public domain without an access policy passes: no resource policy
    ///   lets anyone in, so only signed requests of principals whose own IAM
    ///   policies allow `es:ESHttp*` are served.
    ///
    /// Every domain is judged, in PHI scope or not.
    ///
    /// This rule is the whole OpenSearch part of "resource policies do not
    /// open PHI services to everyone": an open policy on a domain in a VPC is
    /// the usual AWS pattern there (the network decides), and an open policy
    /// on a public domain is judged here.
    ///
    /// ### Why
    /// A public domain with an open policy answers unsigned requests from the
    /// whole internet: anyone who finds the endpoint can read and delete every
    /// index. Search clusters left open this way are one of the most common
    /// sources of large health-record leaks.
    ///
    /// ### Sources
    /// - Live: `es:DescribeDomains` `VPCOptions` / `Endpoints` and `AccessPolicies`.
    /// - Terraform: `aws_opensearch_domain` / `aws_elasticsearch_domain`
    ///   `vpc_options` and `access_policies`, or the separate
    ///   `aws_opensearch_domain_policy` / `aws_elasticsearch_domain_policy`
    ///   joined to its domain by `domain_name`.
    /// - CloudFormation: `AWS::OpenSearchService::Domain` / `AWS::Elasticsearch::Domain`
    ///   `VPCOptions` and `AccessPolicies`.
    ///
    /// ### Defaults assumed
    /// - Without `VPCOptions` a domain gets a public endpoint ("public
    ///   access domains can receive requests from any internet-connected
    ///   device"; Amazon OpenSearch Service Developer Guide, "Launching your
    ///   Amazon OpenSearch Service domains within a VPC":
    ///   <https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html>).
    /// - Without `AccessPolicies` a domain has no resource-based policy; access
    ///   then needs an identity-based policy of the caller and a signed
    ///   request (Developer Guide, "Identity and Access Management in Amazon
    ///   OpenSearch Service":
    ///   <https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html>).
    pub static RULE = {
        id: "NET-11",
        control: NetworkIsolation,
        severity: Critical,
        sources: [Live, Terraform, CloudFormation],
        reads: [SearchDomains],
        scope: Resource,
        title: "OpenSearch domains outside a VPC do not have an open access policy",
        remediation: "Put the domain in a VPC (VPCOptions with private subnets and security groups; a new domain is needed), or replace the access policy's Principal \"*\" statements with named IAM principals or a condition that limits callers (aws:SourceIp with your ranges, aws:PrincipalOrgID).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for d in &cx.inv.search_domains {
        match &d.in_vpc {
            Val::Unknown(r) => cx.unknown(d.rid, r.clone()),
            Val::Known(true) => cx.pass(
                d.rid,
                "the domain is in a VPC: its endpoint is not reachable from the internet, whatever its access policy says",
            ),
            Val::Known(false) => match &d.access_policy {
                Val::Unknown(r) => cx.unknown(
                    d.rid,
                    format!("the domain has a public endpoint and its access policy cannot be read: {r}"),
                ),
                Val::Known(None) => cx.pass(
                    d.rid,
                    "the domain has a public endpoint but no access policy: only signed requests of principals whose IAM policies allow es:ESHttp* are served",
                ),
                Val::Known(Some(doc)) => match describe_public(doc) {
                    Some(why) => cx.fail(
                        d.rid,
                        format!("the domain has a public endpoint and its access policy is open: {why}"),
                    ),
                    None => cx.pass(
                        d.rid,
                        "the domain has a public endpoint, and its access policy lets in only named principals or callers limited by a condition",
                    ),
                },
            },
        }
    }
}
