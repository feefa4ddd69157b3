//! `aws_lambda_function` resource policies, from the `aws_lambda_permission`
//! resources that name the function (directly or through an
//! `aws_lambda_alias`), and `aws_lambda_function_url`. (The functions'
//! environment variables are read by `code`.)
//!
//! A permission or URL joins the function its `function_name` expression
//! references, or else the function of the estate whose name (or ARN) it
//! writes; one whose function is known only after apply may add to any
//! function's policy.

use super::{link_to, omitted};
use crate::cfn::estate::{Estate, EvalRes};
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::{P, R};
use crate::joins::lambda::{self, Permission, Spelling, Target, by_name};
use phiguard_model::{LambdaFunction, Link, Rid, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_lambda_function_url", "aws_lambda_permission"],
    map,
    finish,
};

const SPELLING: Spelling = Spelling {
    function: "aws_lambda_function",
    function_name: "function_name",
    unnamed: "no function_name is set",
    url: "aws_lambda_function_url",
    url_function: "function_name",
    auth_type: "authorization_type",
    permission: "aws_lambda_permission",
    permission_function: "function_name",
    action: "action",
    principal: "principal",
    permission_label: "",
    when: "after apply",
};

const FUNCTION_KINDS: &[&str] = &["aws_lambda_function", "aws_lambda_alias"];

/// What `attr` names: a function or alias it references, else the function
/// whose name or ARN it writes.
fn target(
    est: &Estate,
    functions: &[LambdaFunction],
    p: P,
    rid: Rid,
    attr: &str,
    depth: u8,
) -> Target {
    match link_to(p, attr, rid, FUNCTION_KINDS) {
        Val::Known(Link::Resource(t)) if est.kind(t) == "aws_lambda_function" => {
            Target::Function(t)
        }
        Val::Known(Link::Resource(t)) if depth < 2 => match est.get(t) {
            Some(a) => target(est, functions, est.props(a), t, "function_name", depth + 1),
            None => Target::Outside(est.name(t).to_string()),
        },
        Val::Known(Link::Resource(t)) => Target::Outside(est.name(t).to_string()),
        Val::Known(Link::External(id)) => match by_name(functions, &id) {
            Some(i) => Target::Function(functions[i].rid),
            None => Target::Outside(id),
        },
        Val::Unknown(why) => Target::Unknown(why),
    }
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    lambda::map(m, r, &SPELLING)
}

/// An attribute's text, `None` when the configuration leaves it out; a value
/// known only after apply is kept as a placeholder (it still pins something).
fn opt_text(p: P, rid: Rid, attr: &str) -> Option<String> {
    if omitted(p.get(attr), rid, attr) {
        return None;
    }
    let v = p.get(attr);
    Some(v.text().unwrap_or_else(|| format!("${{{attr}}}")))
}

/// The rest of a permission, given its action and principal.
fn permission(r: &EvalRes, p: P, action: String, principal: String) -> R<Permission> {
    let sid = match p.get("statement_id").text() {
        Some(s) if !s.is_empty() => s,
        _ => r.logical_id.clone(),
    };
    Ok(Permission {
        sid,
        action,
        principal,
        source_arn: opt_text(p, r.rid, "source_arn"),
        source_account: opt_text(p, r.rid, "source_account"),
        principal_org_id: opt_text(p, r.rid, "principal_org_id"),
        function_url_auth_type: opt_text(p, r.rid, "function_url_auth_type"),
        invoked_via_function_url: None,
    })
}

fn finish(m: &mut Mapper) {
    lambda::finish(
        m,
        &SPELLING,
        |m, r, attr| {
            target(
                m.est,
                &m.inv.lambda_functions,
                m.est.props(r),
                r.rid,
                attr,
                0,
            )
        },
        permission,
    );
}
