//! `aws_opensearch_domain` and `aws_elasticsearch_domain`, joined with
//! `aws_opensearch_domain_policy` / `aws_elasticsearch_domain_policy`.

use super::{block, link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::{P, R};
use phiguard_model::{KeyRef, Link, Rid, SearchDomain, Val};

const DOMAINS: &[&str] = &["aws_opensearch_domain", "aws_elasticsearch_domain"];
const POLICIES: &[&str] = &[
    "aws_opensearch_domain_policy",
    "aws_elasticsearch_domain_policy",
];

pub static DOMAIN: Domain = Domain {
    types: DOMAINS,
    map,
    finish,
};

/// A nested block, `None` when the configuration leaves it out (the
/// provider then shows it as computed: AWS's defaults apply).
fn opt_block<'a>(p: P<'a>, rid: Rid, key: &'a str) -> R<Val<Option<P<'a>>>> {
    if omitted(p.get(key), rid, key) {
        Ok(Val::Known(None))
    } else {
        block(p, key)
    }
}

/// A flag of a block: the block's default when the block is left out, the
/// attribute's when the block leaves it out.
fn flag(b: &Val<Option<P>>, attr: &'static str, absent: bool, default: bool) -> R<Val<bool>> {
    match b {
        Val::Unknown(why) => Ok(Val::Unknown(why.clone())),
        Val::Known(None) => Ok(Val::Known(absent)),
        Val::Known(Some(b)) => b.get(attr).bool_or(default),
    }
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let rid = r.rid;
    let name = match p.get("domain_name").str_opt()? {
        Val::Known(Some(n)) => Val::Known(n),
        Val::Known(None) => Val::unknown("domain_name is not set"),
        Val::Unknown(why) => Val::Unknown(why),
    };
    // Encryption at rest is off without the block; on without kms_key_id, the
    // AWS-managed aws/es key.
    let ear = opt_block(p, rid, "encrypt_at_rest")?;
    let encrypted = flag(&ear, "enabled", false, false)?;
    let key = match &ear {
        Val::Known(Some(b)) if !omitted(b.get("kms_key_id"), rid, "encrypt_at_rest.kms_key_id") => {
            b.get("kms_key_id").key_ref("aws/es")
        }
        _ => Val::Known(KeyRef::AwsManaged("aws/es".into())),
    };
    // Without domain_endpoint_options, AWS's defaults: HTTPS not enforced, no
    // policy named. In the block, the provider defaults enforce_https to true.
    let endpoint = opt_block(p, rid, "domain_endpoint_options")?;
    let enforce_https = flag(&endpoint, "enforce_https", false, true)?;
    let tls_policy = match &endpoint {
        Val::Unknown(why) => Val::Unknown(why.clone()),
        Val::Known(None) => Val::Known(None),
        Val::Known(Some(b)) => {
            if omitted(
                b.get("tls_security_policy"),
                rid,
                "domain_endpoint_options.tls_security_policy",
            ) {
                Val::Known(None)
            } else {
                b.get("tls_security_policy").str_opt()?
            }
        }
    };
    let n2n = opt_block(p, rid, "node_to_node_encryption")?;
    let node_to_node = flag(&n2n, "enabled", false, false)?;
    // A vpc_options block places the domain in a VPC (its subnets may be
    // known only after apply); without one the endpoint is public.
    let in_vpc = match block(p, "vpc_options")? {
        Val::Unknown(why) => Val::Unknown(why),
        Val::Known(None) => Val::Known(false),
        Val::Known(Some(b)) => match b.get("subnet_ids").strings()? {
            Val::Known(ids) if ids.is_empty() => Val::Known(false),
            _ => Val::Known(true),
        },
    };
    let access_policy = if omitted(p.get("access_policies"), rid, "access_policies") {
        Val::Known(None)
    } else {
        p.get("access_policies").policy()?.map(Some)
    };
    m.inv.search_domains.push(SearchDomain {
        rid,
        name,
        encrypted,
        key,
        enforce_https,
        tls_policy,
        node_to_node,
        in_vpc,
        access_policy,
    });
    Ok(())
}

/// A domain policy resource sets its domain's access policy: the domain its
/// `domain_name` references, or the domain of the estate with that name. A
/// policy whose domain cannot be told may be that of any domain without one.
fn finish(m: &mut Mapper) {
    let est = m.est;
    let mut has_policy = vec![false; m.inv.search_domains.len()];
    let mut undecided: Option<String> = None;
    for ty in POLICIES {
        for r in est.of_type(ty) {
            let p = est.props(r);
            let target = match link_to(p, "domain_name", r.rid, DOMAINS) {
                Val::Known(Link::Resource(rid)) => {
                    phiguard_model::position_by_rid(&m.inv.search_domains, rid, |x| x.rid)
                }
                Val::Known(Link::External(name)) => m
                    .inv
                    .search_domains
                    .iter()
                    .position(|d| d.name.known().is_some_and(|n| *n == name)),
                Val::Unknown(why) => {
                    undecided = Some(format!(
                        "domain policy {} names its domain only after apply ({why})",
                        r.logical_id
                    ));
                    None
                }
            };
            let Some(i) = target else { continue };
            match p.get("access_policies").policy() {
                Ok(doc) => {
                    has_policy[i] = true;
                    m.inv.search_domains[i].access_policy = doc.map(Some);
                }
                Err(e) => m.error(r, e),
            }
        }
    }
    if let Some(why) = undecided {
        for (d, has) in m.inv.search_domains.iter_mut().zip(has_policy) {
            if !has && matches!(d.access_policy, Val::Known(None)) {
                d.access_policy = Val::Unknown(why.clone());
            }
        }
    }
}
