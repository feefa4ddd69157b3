//! Who else can reach a resource: a Lambda function's resource policy and
//! URLs, a secret's resource policy. Called by the jobs that list them.

use crate::all;
use crate::errors::{CallError, ce};
use crate::scope::Scope;
use phiguard_model::{Collection, FunctionUrl, LambdaFunction, Link, PolicyDoc, Rid, Val};

/// Lambda answers `ResourceNotFoundException` for a function without a
/// policy or without a URL.
fn not_found(e: &CallError) -> bool {
    e.code_is(&["ResourceNotFoundException"])
}

fn parse(text: Option<&str>, what: &str) -> Val<Option<PolicyDoc>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Val::Known(None),
        Some(t) => match crate::policy::parse(t) {
            Ok(doc) => Val::Known(Some(doc)),
            Err(e) => Val::unknown(format!("{what} could not be read: {e}")),
        },
    }
}

/// The policy of the function (`qualifier` `None`) or of one alias.
async fn function_policy(
    c: &aws_sdk_lambda::Client,
    name: &str,
    qualifier: Option<&str>,
) -> Val<Option<PolicyDoc>> {
    match c
        .get_policy()
        .function_name(name)
        .set_qualifier(qualifier.map(str::to_string))
        .send()
        .await
        .map_err(ce)
    {
        Ok(o) => parse(o.policy(), "the function policy"),
        Err(e) if not_found(&e) => Val::Known(None),
        Err(e) => Val::unknown(format!("lambda:GetPolicy: {e}")),
    }
}

/// Adds the statements of an alias's policy to the function's, each named
/// with its alias.
fn merge(
    into: Val<Option<PolicyDoc>>,
    alias: &str,
    add: Val<Option<PolicyDoc>>,
) -> Val<Option<PolicyDoc>> {
    match (into, add) {
        (Val::Unknown(why), _) | (_, Val::Unknown(why)) => Val::Unknown(why),
        (doc, Val::Known(None)) => doc,
        (Val::Known(doc), Val::Known(Some(more))) => {
            let mut doc = doc.unwrap_or_default();
            doc.statements
                .extend(more.statements.into_iter().map(|mut s| {
                    let sid = s.sid.take().unwrap_or_default();
                    s.sid = Some(format!("{sid} (alias {alias})"));
                    s
                }));
            Val::Known(Some(doc))
        }
    }
}

/// One function's resource policy (the function's and its aliases') and its
/// URLs. A URL belongs to `$LATEST` or to an alias, never to a version, so
/// `GetFunctionUrlConfig` for the function and for each alias finds them all.
pub async fn lambda_function(s: &Scope, c: &aws_sdk_lambda::Client, rid: Rid, name: &str) {
    let aliases: Result<Vec<String>, CallError> = all!(c.list_aliases().function_name(name))
        .map(|l| l.into_iter().filter_map(|a| a.name).collect());
    let mut policy = function_policy(c, name, None).await;
    let mut qualifiers: Vec<Option<String>> = vec![None];
    match &aliases {
        Ok(names) => {
            for a in names {
                let p = function_policy(c, name, Some(a)).await;
                policy = merge(policy, a, p);
                qualifiers.push(Some(a.clone()));
            }
        }
        Err(e) => {
            policy = Val::unknown(format!(
                "lambda:ListAliases: {e}: the policies of the function's aliases cannot be read"
            ));
            s.gap(Collection::FunctionUrls, "lambda:ListAliases", e);
        }
    }
    s.with(|inv| {
        inv.lambda_functions.push(LambdaFunction {
            rid,
            name: Val::Known(name.to_string()),
            policy,
        })
    });
    for q in qualifiers {
        let r = c
            .get_function_url_config()
            .function_name(name)
            .set_qualifier(q.clone())
            .send()
            .await
            .map_err(ce);
        match r {
            Ok(o) => {
                let url_name = match &q {
                    Some(a) => format!("{name}:{a}"),
                    None => name.to_string(),
                };
                let arn = o.function_arn().to_string();
                let url = s.add("AWS::Lambda::Url", &url_name, &arn, None);
                let auth = o.auth_type().as_str().to_string();
                s.with(|inv| {
                    inv.function_urls.push(FunctionUrl {
                        rid: url,
                        function: Val::Known(Link::Resource(rid)),
                        auth_type: Val::Known(auth),
                    })
                });
            }
            Err(e) if not_found(&e) => {}
            Err(e) => s.gap(Collection::FunctionUrls, "lambda:GetFunctionUrlConfig", &e),
        }
    }
}

/// A secret's resource policy (`GetResourcePolicy` returns the policy, never
/// the secret's value); `None` when it has none.
pub async fn secret_policy(
    c: &aws_sdk_secretsmanager::Client,
    arn: &str,
) -> Val<Option<PolicyDoc>> {
    match c
        .get_resource_policy()
        .secret_id(arn)
        .send()
        .await
        .map_err(ce)
    {
        Ok(o) => parse(o.resource_policy(), "the secret's resource policy"),
        Err(e) => Val::unknown(format!("secretsmanager:GetResourcePolicy: {e}")),
    }
}
