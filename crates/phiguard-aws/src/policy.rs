//! IAM-style policy documents from the JSON AWS returns (URL-encoded for IAM).

use phiguard_model::{Condition, Effect, PolicyDoc, Principals, Statement};
use serde_json::Value;

/// Parses a policy document; IAM's URL-encoded form is decoded first. A
/// document that is JSON as it stands (key, bucket, endpoint and SCP policies)
/// is never decoded: a `%22` inside one of its strings is text.
pub fn parse(text: &str) -> Result<PolicyDoc, String> {
    let decoded;
    let text = if !text.trim_start().starts_with('{') {
        decoded = percent_encoding::percent_decode_str(text)
            .decode_utf8()
            .map_err(|e| format!("the policy is not valid URL-encoded UTF-8: {e}"))?
            .into_owned();
        decoded.as_str()
    } else {
        text
    };
    let v: Value =
        serde_json::from_str(text).map_err(|e| format!("the policy is not valid JSON: {e}"))?;
    from_value(&v)
}

pub fn from_value(v: &Value) -> Result<PolicyDoc, String> {
    let stmts = match v.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect::<Vec<_>>(),
        Some(s @ Value::Object(_)) => vec![s],
        Some(_) => return Err("Statement is not a list".into()),
        None => return Err("the policy has no Statement".into()),
    };
    let statements = stmts
        .into_iter()
        .map(statement)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PolicyDoc { statements })
}

fn texts(v: Option<&Value>) -> Vec<String> {
    match v {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(a)) => a.iter().map(text).collect(),
        Some(v) => vec![text(v)],
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn principals(v: Option<&Value>) -> Result<Option<Principals>, String> {
    let Some(v) = v else { return Ok(None) };
    let mut p = Principals::default();
    match v {
        Value::String(s) if s == "*" => p.wildcard = true,
        Value::Object(m) => {
            for (k, val) in m {
                let list = texts(Some(val));
                match k.as_str() {
                    "AWS" => p.aws.extend(list),
                    "Service" => p.service.extend(list),
                    "Federated" => p.federated.extend(list),
                    "CanonicalUser" => p.canonical_user.extend(list),
                    _ => return Err(format!("unknown principal type {k}")),
                }
            }
            if p.aws.iter().any(|a| a == "*") {
                p.wildcard = true;
            }
        }
        _ => return Err("a principal that is not \"*\" or an object".into()),
    }
    Ok(Some(p))
}

fn statement(s: &Value) -> Result<Statement, String> {
    let effect = match s.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        other => return Err(format!("Effect must be Allow or Deny, found {other:?}")),
    };
    let mut conditions = Vec::new();
    if let Some(c) = s.get("Condition") {
        let ops = c.as_object().ok_or("Condition is not an object")?;
        for (op, keys) in ops {
            let kv = keys
                .as_object()
                .ok_or_else(|| format!("condition {op} is not an object"))?;
            for (k, vals) in kv {
                conditions.push(Condition {
                    operator: op.clone(),
                    key: k.clone(),
                    values: texts(Some(vals)),
                });
            }
        }
    }
    Ok(Statement {
        sid: s.get("Sid").and_then(Value::as_str).map(str::to_string),
        effect,
        principal: principals(s.get("Principal"))?,
        not_principal: principals(s.get("NotPrincipal"))?,
        actions: texts(s.get("Action")),
        not_actions: texts(s.get("NotAction")),
        resources: texts(s.get("Resource")),
        not_resources: texts(s.get("NotResource")),
        conditions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_url_encoded_trust_policies() {
        let t = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22pods.eks.amazonaws.com%22%7D%2C%22Action%22%3A%5B%22sts%3AAssumeRole%22%2C%22sts%3ATagSession%22%5D%7D%5D%7D";
        let d = parse(t).unwrap();
        assert_eq!(d.statements.len(), 1);
        assert_eq!(
            d.statements[0].principal.as_ref().unwrap().service,
            ["pods.eks.amazonaws.com"]
        );
        assert_eq!(d.statements[0].actions.len(), 2);
    }

    #[test]
    fn plain_json_is_not_url_decoded() {
        let d = parse(
            r#"{"Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringLike":{"aws:UserAgent":"a%22b"}}}]}"#,
        )
        .unwrap();
        assert_eq!(d.statements[0].conditions[0].values, ["a%22b"]);
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse("{").is_err());
        assert!(parse(r#"{"Statement":[{"Effect":"Maybe"}]}"#).is_err());
    }
}
