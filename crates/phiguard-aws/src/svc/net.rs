//! Load balancers and listeners, API Gateway custom domains, CloudFront.

use crate::errors::ce;
use crate::scope::Scope;
use crate::{all, client};
use phiguard_model::{
    ApiDomain, CacheBehavior, CfOrigin, Collection, CustomOrigin, Distribution, Link, Listener,
    ListenerAction, LoadBalancer, Val,
};

fn actions(list: &[aws_sdk_elasticloadbalancingv2::types::Action]) -> Vec<ListenerAction> {
    list.iter()
        .map(|a| ListenerAction {
            action_type: a
                .r#type()
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
            redirect_protocol: a
                .redirect_config()
                .map(|r| Val::Known(r.protocol().unwrap_or("#{protocol}").to_string())),
        })
        .collect()
}

pub async fn elbv2(s: Scope) {
    let c = client!(aws_sdk_elasticloadbalancingv2, s);
    let lbs = match c
        .describe_load_balancers()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
    {
        Ok(l) => l,
        Err(e) => {
            s.gap(
                Collection::LoadBalancers,
                "elasticloadbalancing:DescribeLoadBalancers",
                &ce(e),
            );
            return;
        }
    };
    for lb in lbs {
        let name = lb.load_balancer_name().unwrap_or_default().to_string();
        let arn = lb.load_balancer_arn().unwrap_or_default().to_string();
        let rid = s.add(
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            &name,
            &arn,
            None,
        );
        let lb_type = lb
            .r#type()
            .map(|t| t.as_str().to_string())
            .unwrap_or_else(|| "application".into());
        s.with(|inv| {
            inv.load_balancers.push(LoadBalancer {
                rid,
                lb_type: Val::Known(lb_type),
            })
        });
        let listeners = match c
            .describe_listeners()
            .load_balancer_arn(&arn)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
        {
            Ok(l) => l,
            Err(e) => {
                s.gap(
                    Collection::LoadBalancers,
                    "elasticloadbalancing:DescribeListeners",
                    &ce(e),
                );
                continue;
            }
        };
        for l in listeners {
            let port = l.port().unwrap_or_default();
            let larn = l.listener_arn().unwrap_or_default().to_string();
            let lrid = s.add(
                "AWS::ElasticLoadBalancingV2::Listener",
                &format!("{name}:{port}"),
                &larn,
                None,
            );
            let protocol = l
                .protocol()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default();
            let mut acts = actions(l.default_actions());
            let all = match c.describe_rules().listener_arn(&larn).send().await {
                Ok(o) => {
                    for r in o.rules() {
                        if r.is_default() != Some(true) {
                            acts.extend(actions(r.actions()));
                        }
                    }
                    Val::Known(acts)
                }
                Err(e) => Val::unknown(format!("elasticloadbalancing:DescribeRules: {}", ce(e))),
            };
            let listener = Listener {
                rid: lrid,
                load_balancer: Val::Known(Link::Resource(rid)),
                // Only HTTPS and TLS listeners have a security policy in effect.
                ssl_policy: Val::Known(
                    l.ssl_policy()
                        .filter(|_| matches!(protocol.as_str(), "HTTPS" | "TLS"))
                        .map(str::to_string),
                ),
                protocol: Val::Known(protocol),
                default_actions: all,
            };
            s.with(|inv| inv.listeners.push(listener));
        }
    }
}

pub async fn apigateway(s: Scope) {
    let c = client!(aws_sdk_apigateway, s);
    if let Some(list) = s.listed(
        Collection::ApiDomains,
        "apigateway:GetDomainNames",
        all!(c.get_domain_names()),
    ) {
        for d in list {
            let name = d.domain_name().unwrap_or_default().to_string();
            let arn = format!(
                "arn:{}:apigateway:{}::/domainnames/{name}",
                s.partition, s.region
            );
            let rid = s.add("AWS::ApiGateway::DomainName", &name, &arn, None);
            let policy = d
                .security_policy()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "TLS_1_0".into());
            s.with(|inv| {
                inv.api_domains.push(ApiDomain {
                    rid,
                    api_version: 1,
                    domain_name: Val::Known(name),
                    security_policy: Val::Known(policy),
                })
            });
        }
    }
    let c2 = client!(aws_sdk_apigatewayv2, s);
    match c2.get_domain_names().send().await {
        Ok(o) => {
            for d in o.items() {
                let name = d.domain_name().unwrap_or_default().to_string();
                let arn = format!(
                    "arn:{}:apigateway:{}::/domainnames/{name}",
                    s.partition, s.region
                );
                let rid = s.add("AWS::ApiGatewayV2::DomainName", &name, &arn, None);
                let policy = d
                    .domain_name_configurations()
                    .first()
                    .and_then(|c| c.security_policy())
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_else(|| "TLS_1_2".into());
                s.with(|inv| {
                    inv.api_domains.push(ApiDomain {
                        rid,
                        api_version: 2,
                        domain_name: Val::Known(name),
                        security_policy: Val::Known(policy),
                    })
                });
            }
        }
        Err(e) => s.gap(
            Collection::ApiDomains,
            "apigateway:GetDomainNames (v2)",
            &ce(e),
        ),
    }
}

pub async fn cloudfront(s: Scope) {
    let c = client!(aws_sdk_cloudfront, s);
    let list = match c
        .list_distributions()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
    {
        Ok(l) => l,
        Err(e) => {
            s.gap(
                Collection::Distributions,
                "cloudfront:ListDistributions",
                &ce(e),
            );
            return;
        }
    };
    for d in list {
        let id = d.id().to_string();
        let rid = s.add("AWS::CloudFront::Distribution", &id, d.arn(), None);
        let mut behaviors = Vec::new();
        if let Some(b) = d.default_cache_behavior() {
            behaviors.push(CacheBehavior {
                path: "*".into(),
                viewer_protocol_policy: Val::Known(b.viewer_protocol_policy().as_str().to_string()),
            });
        }
        if let Some(cb) = d.cache_behaviors() {
            for b in cb.items() {
                behaviors.push(CacheBehavior {
                    path: b.path_pattern().to_string(),
                    viewer_protocol_policy: Val::Known(
                        b.viewer_protocol_policy().as_str().to_string(),
                    ),
                });
            }
        }
        let cert = d.viewer_certificate();
        let default_cert = cert
            .and_then(|c| c.cloud_front_default_certificate())
            .unwrap_or(cert.is_none());
        let min = if default_cert {
            "TLSv1".to_string()
        } else {
            cert.and_then(|c| c.minimum_protocol_version())
                .map(|m| m.as_str().to_string())
                .unwrap_or_else(|| "TLSv1".into())
        };
        let origins = d
            .origins()
            .map(|o| {
                o.items()
                    .iter()
                    .map(|o| CfOrigin {
                        id: o.id().to_string(),
                        custom: o.custom_origin_config().map(|c| CustomOrigin {
                            protocol_policy: Val::Known(
                                c.origin_protocol_policy().as_str().to_string(),
                            ),
                            ssl_protocols: Val::Known(
                                c.origin_ssl_protocols()
                                    .map(|p| {
                                        p.items().iter().map(|x| x.as_str().to_string()).collect()
                                    })
                                    .unwrap_or_default(),
                            ),
                        }),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let dist = Distribution {
            rid,
            behaviors: Val::Known(behaviors),
            default_certificate: Val::Known(default_cert),
            min_protocol: Val::Known(min),
            origins: Val::Known(origins),
        };
        s.with(|inv| inv.distributions.push(dist));
    }
}
