//! Lambda: a permission (`AWS::Lambda::Permission`, `aws_lambda_permission`)
//! as the policy statement Lambda writes for it, the function a written
//! name or ARN names, and the joins of function URLs and permissions to
//! their functions.

use crate::cfn::estate::EvalRes;
use crate::cfn::map::Mapper;
use crate::cfn::props::{P, R};
use crate::joins::policies::Joined;
use phiguard_model::{
    Condition, Effect, FunctionUrl, LambdaFunction, Link, Principals, Rid, Statement, Val,
};

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

/// How a source spells Lambda functions, function URLs and permissions.
pub struct Spelling {
    /// The function resource type, and the attribute that names a function.
    pub function: &'static str,
    pub function_name: &'static str,
    /// Why a function that writes no name has no known one.
    pub unnamed: &'static str,
    /// The function URL resource type, and its attributes.
    pub url: &'static str,
    pub url_function: &'static str,
    pub auth_type: &'static str,
    /// The permission resource type, and its attributes.
    pub permission: &'static str,
    pub permission_function: &'static str,
    pub action: &'static str,
    pub principal: &'static str,
    /// What messages put before a permission's id (`permission ` where the
    /// id does not say what it is).
    pub permission_label: &'static str,
    /// When a value the code leaves open is known (`at deploy time`,
    /// `after apply`).
    pub when: &'static str,
}

/// What a permission's or function URL's function name (or ARN) names.
pub enum Target {
    Function(Rid),
    /// A function outside the estate.
    Outside(String),
    Unknown(String),
}

impl Target {
    fn link(self) -> Val<Link> {
        match self {
            Target::Function(f) => Val::Known(Link::Resource(f)),
            Target::Outside(s) => Val::Known(Link::External(s)),
            Target::Unknown(why) => Val::Unknown(why),
        }
    }
}

/// Maps a function URL (permissions are joined in [`finish`], once every
/// function is known).
pub fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes, sp: &Spelling) -> R<()> {
    if r.ty != sp.url {
        return Ok(());
    }
    let p = m.props(r);
    let auth_type = match p.get(sp.auth_type).str_opt()? {
        Val::Known(Some(a)) => Val::Known(a),
        Val::Known(None) => Val::unknown(format!("{} is not set (it is required)", sp.auth_type)),
        Val::Unknown(why) => Val::Unknown(why),
    };
    m.inv.function_urls.push(FunctionUrl {
        rid: r.rid,
        function: Val::Unknown("joined in finish".into()),
        auth_type,
    });
    Ok(())
}

/// The statement a permission adds to its function's policy: `permission`
/// reads the rest of it, given its action and principal (both required).
fn statement<'a>(
    r: &'a EvalRes,
    p: P<'a>,
    sp: &Spelling,
    permission: &impl Fn(&'a EvalRes, P<'a>, String, String) -> R<Permission>,
) -> R<Val<Statement>> {
    let mut required = [String::new(), String::new()];
    for (slot, k) in required.iter_mut().zip([sp.action, sp.principal]) {
        match p.get(k).str_opt()? {
            Val::Known(Some(v)) => *slot = v,
            Val::Known(None) => return p.get(k).error("is required"),
            Val::Unknown(why) => {
                return Ok(Val::unknown(format!(
                    "{}{}: {k} is known only {} ({why})",
                    sp.permission_label, r.logical_id, sp.when
                )));
            }
        }
    }
    let [action, principal] = required;
    Ok(Val::Known(permission(r, p, action, principal)?.statement()))
}

/// Names the estate's functions, then joins each function URL to its
/// function and adds each permission's statement to its function's policy.
/// `target` reads what a resource's attribute (the one given) names; a
/// permission whose function is known only later may add to any function's
/// policy.
pub fn finish<'a>(
    m: &mut Mapper<'a>,
    sp: &Spelling,
    target: impl Fn(&Mapper<'a>, &'a EvalRes, &'static str) -> Target,
    permission: impl Fn(&'a EvalRes, P<'a>, String, String) -> R<Permission>,
) {
    let est = m.est;
    let mut est_functions = 0;
    for r in est.of_type(sp.function) {
        est_functions += 1;
        let name = match est.props(r).get(sp.function_name).str_opt() {
            Ok(Val::Known(Some(n))) => Val::Known(n),
            Ok(Val::Known(None)) => Val::unknown(sp.unnamed),
            Ok(Val::Unknown(why)) => Val::Unknown(why),
            Err(e) => Val::Unknown(e.message),
        };
        m.inv.lambda_functions.push(LambdaFunction {
            rid: r.rid,
            name,
            policy: Val::Known(None),
        });
    }
    for i in 0..m.inv.function_urls.len() {
        let Some(r) = est.get(m.inv.function_urls[i].rid) else {
            continue;
        };
        m.inv.function_urls[i].function = target(m, r, sp.url_function).link();
    }
    // The functions of this estate (the inventory may hold other sources').
    let first = m.inv.lambda_functions.len() - est_functions;
    let mut joined = Joined::new(est_functions);
    for r in est.of_type(sp.permission) {
        let p = est.props(r);
        let f = match target(m, r, sp.permission_function) {
            Target::Function(f) => f,
            Target::Outside(_) => continue,
            Target::Unknown(why) => {
                joined.unresolved(format!(
                    "{}{} names a function known only {} ({why})",
                    sp.permission_label, r.logical_id, sp.when
                ));
                continue;
            }
        };
        let Some(i) = m.inv.lambda_functions[first..]
            .iter()
            .position(|x| x.rid == f)
        else {
            continue;
        };
        match statement(r, p, sp, &permission) {
            Ok(s) => joined.add(i, s.map(|s| vec![s])),
            Err(e) => m.error(r, e),
        }
    }
    for (f, policy) in m.inv.lambda_functions[first..]
        .iter_mut()
        .zip(joined.finish(false))
    {
        f.policy = policy;
    }
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
