//! Lambda: a permission (`AWS::Lambda::Permission`, `aws_lambda_permission`)
//! as the policy statement Lambda writes for it, and the function a written
//! name or ARN names.

use phiguard_model::{Condition, Effect, LambdaFunction, Principals, Statement};

/// One permission, as written: each field the text of the property, `None`
/// when it is not set.
#[derive(Debug, Default, Clone)]
pub struct Permission {
    pub sid: String,
    pub action: String,
    pub principal: String,
    pub source_arn: Option<String>,
    pub source_account: Option<String>,
    pub principal_org_id: Option<String>,
    pub function_url_auth_type: Option<String>,
    pub invoked_via_function_url: Option<bool>,
}

fn condition(operator: &str, key: &str, value: &str) -> Condition {
    Condition {
        operator: operator.into(),
        key: key.into(),
        values: vec![value.into()],
    }
}

/// The principal Lambda writes: `*`, an account (as its root), a service
/// (`s3.amazonaws.com`), or an ARN.
fn principal(p: &str) -> Principals {
    let p = p.trim();
    if p == "*" {
        return Principals {
            wildcard: true,
            ..Default::default()
        };
    }
    if p.len() == 12 && p.chars().all(|c| c.is_ascii_digit()) {
        return Principals {
            aws: vec![format!("arn:aws:iam::{p}:root")],
            ..Default::default()
        };
    }
    if !p.starts_with("arn:") && p.contains('.') {
        return Principals {
            service: vec![p.to_string()],
            ..Default::default()
        };
    }
    Principals {
        aws: vec![p.to_string()],
        ..Default::default()
    }
}

impl Permission {
    /// The statement Lambda adds to the function's policy for it (the
    /// conditions `GetPolicy` shows for `SourceArn`, `SourceAccount`,
    /// `PrincipalOrgID`, `FunctionUrlAuthType` and `InvokedViaFunctionUrl`).
    pub fn statement(&self) -> Statement {
        let mut conditions = Vec::new();
        if let Some(v) = &self.source_arn {
            conditions.push(condition("ArnLike", "AWS:SourceArn", v));
        }
        if let Some(v) = &self.source_account {
            conditions.push(condition("StringEquals", "AWS:SourceAccount", v));
        }
        if let Some(v) = &self.principal_org_id {
            conditions.push(condition("StringEquals", "aws:PrincipalOrgID", v));
        }
        if let Some(v) = &self.function_url_auth_type {
            conditions.push(condition("StringEquals", "lambda:FunctionUrlAuthType", v));
        }
        if let Some(v) = self.invoked_via_function_url {
            conditions.push(condition(
                "Bool",
                "lambda:InvokedViaFunctionUrl",
                if v { "true" } else { "false" },
            ));
        }
        Statement {
            sid: Some(self.sid.clone()),
            effect: Effect::Allow,
            principal: Some(principal(&self.principal)),
            not_principal: None,
            actions: vec![self.action.clone()],
            not_actions: vec![],
            resources: vec![],
            not_resources: vec![],
            conditions,
        }
    }
}

/// The function name a written `FunctionName` names: a name, a partial ARN
/// (`123456789012:function:name`) or an ARN, each with an optional version
/// or alias.
pub fn function_name(id: &str) -> &str {
    let rest = match id.split_once("function:") {
        Some((_, r)) => r,
        None => id,
    };
    rest.split(':').next().unwrap_or(rest)
}

/// The estate's function a written name or ARN names.
pub fn by_name(functions: &[LambdaFunction], id: &str) -> Option<usize> {
    let name = function_name(id);
    functions
        .iter()
        .position(|f| f.name.known().is_some_and(|n| n == name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names() {
        assert_eq!(function_name("my-fn"), "my-fn");
        assert_eq!(function_name("my-fn:live"), "my-fn");
        assert_eq!(function_name("123456789012:function:my-fn"), "my-fn");
        assert_eq!(
            function_name("arn:aws:lambda:us-east-1:123456789012:function:my-fn:3"),
            "my-fn"
        );
    }

    #[test]
    fn principals() {
        assert!(principal("*").wildcard);
        assert_eq!(
            principal("123456789012").aws,
            ["arn:aws:iam::123456789012:root"]
        );
        assert_eq!(principal("s3.amazonaws.com").service, ["s3.amazonaws.com"]);
        let s = Permission {
            sid: "x".into(),
            action: "lambda:InvokeFunction".into(),
            principal: "s3.amazonaws.com".into(),
            source_arn: Some("arn:aws:s3:::b".into()),
            ..Default::default()
        }
        .statement();
        assert_eq!(s.conditions[0].key, "AWS:SourceArn");
    }
}
