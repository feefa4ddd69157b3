//! Amazon OpenSearch Service domains (OpenSearch and legacy Elasticsearch engines).

use crate::client;
use crate::errors::ce;
use crate::scope::{Scope, tag_map};
use aws_sdk_opensearch::types::{DomainStatus, EngineType};
use phiguard_model::{Collection, KeyRef, SearchDomain, Val};
use std::collections::BTreeMap;

/// `DescribeDomains` takes at most five names per call.
const BATCH: usize = 5;

pub async fn opensearch(s: Scope) {
    let c = client!(aws_sdk_opensearch, s);
    // Each domain's engine, as ListDomainNames gives it: the kind it is reported as.
    let engines: BTreeMap<String, bool> = match c.list_domain_names().send().await {
        Ok(o) => o
            .domain_names()
            .iter()
            .filter_map(|d| {
                let legacy = d.engine_type() == Some(&EngineType::Elasticsearch);
                Some((d.domain_name()?.to_string(), legacy))
            })
            .collect(),
        Err(e) => {
            s.gap(Collection::SearchDomains, "es:ListDomainNames", &ce(e));
            return;
        }
    };
    let names: Vec<String> = engines.keys().cloned().collect();
    for batch in names.chunks(BATCH) {
        let list = match c
            .describe_domains()
            .set_domain_names(Some(batch.to_vec()))
            .send()
            .await
        {
            Ok(o) => o.domain_status_list,
            Err(e) => {
                s.gap(Collection::SearchDomains, "es:DescribeDomains", &ce(e));
                continue;
            }
        };
        for d in list {
            if d.deleted() == Some(true) {
                continue;
            }
            let tags = match c.list_tags().arn(d.arn()).send().await {
                Ok(o) => Some(tag_map(o.tag_list().iter().map(|t| (t.key(), t.value())))),
                Err(_) => None,
            };
            let legacy = engines.get(d.domain_name()).copied().unwrap_or(false);
            let kind = if legacy {
                "AWS::Elasticsearch::Domain"
            } else {
                "AWS::OpenSearchService::Domain"
            };
            let rid = s.add(kind, d.domain_name(), d.arn(), tags);
            let domain = model(rid, &d);
            s.with(|inv| inv.search_domains.push(domain));
        }
    }
}

fn model(rid: phiguard_model::Rid, d: &DomainStatus) -> SearchDomain {
    let ear = d.encryption_at_rest_options();
    let encrypted = ear.and_then(|e| e.enabled()).unwrap_or(false);
    // AWS names the aws/es key by its ARN when encryption is on; without
    // one (emulators), the default key is the AWS-managed aws/es.
    let key = match ear.and_then(|e| e.kms_key_id()) {
        Some(k) if !k.is_empty() => KeyRef::External(k.to_string()),
        _ => KeyRef::AwsManaged("aws/es".into()),
    };
    let endpoint = d.domain_endpoint_options();
    let in_vpc = d.vpc_options().is_some_and(|v| !v.subnet_ids().is_empty())
        || d.endpoints().is_some_and(|e| e.contains_key("vpc"));
    let access_policy = match d.access_policies().map(str::trim) {
        None | Some("") => Val::Known(None),
        Some(p) => match crate::policy::parse(p) {
            Ok(doc) if doc.statements.is_empty() => Val::Known(None),
            Ok(doc) => Val::Known(Some(doc)),
            Err(e) => Val::unknown(format!("the access policy could not be read: {e}")),
        },
    };
    SearchDomain {
        rid,
        name: Val::Known(d.domain_name().to_string()),
        encrypted: Val::Known(encrypted),
        key: Val::Known(key),
        enforce_https: Val::Known(endpoint.and_then(|e| e.enforce_https()).unwrap_or(false)),
        tls_policy: Val::Known(
            endpoint
                .and_then(|e| e.tls_security_policy())
                .map(|p| p.as_str().to_string()),
        ),
        node_to_node: Val::Known(
            d.node_to_node_encryption_options()
                .and_then(|n| n.enabled())
                .unwrap_or(false),
        ),
        in_vpc: Val::Known(in_vpc),
        access_policy,
    }
}
