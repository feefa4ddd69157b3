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
use crate::joins::lambda::{Permission, by_name};
use crate::joins::policies::Joined;
use phiguard_model::{FunctionUrl, LambdaFunction, Link, Rid, Statement, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_lambda_function_url", "aws_lambda_permission"],
    map,
    finish,
};

const FUNCTION_KINDS: &[&str] = &["aws_lambda_function", "aws_lambda_alias"];

enum Target {
    Function(Rid),
    Outside(String),
    Unknown(String),
}

fn target(est: &Estate, functions: &[LambdaFunction], p: P, rid: Rid, depth: u8) -> Target {
    match link_to(p, "function_name", rid, FUNCTION_KINDS) {
        Val::Known(Link::Resource(t)) if est.kind(t) == "aws_lambda_function" => {
            Target::Function(t)
        }
        Val::Known(Link::Resource(t)) if depth < 2 => match est.get(t) {
            Some(a) => target(est, functions, est.props(a), t, depth + 1),
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
    if r.ty != "aws_lambda_function_url" {
        // Permissions are joined in `finish`, once every function is known.
        return Ok(());
    }
    let p = m.props(r);
    let auth_type = match p.get("authorization_type").str_opt()? {
        Val::Known(Some(a)) => Val::Known(a),
        Val::Known(None) => Val::unknown("authorization_type is not set (it is required)"),
        Val::Unknown(why) => Val::Unknown(why),
    };
    m.inv.function_urls.push(FunctionUrl {
        rid: r.rid,
        function: Val::Unknown("joined in finish".into()),
        auth_type,
    });
    Ok(())
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

/// The statement a permission adds to its function's policy.
fn statement(r: &EvalRes, p: P) -> R<Val<Statement>> {
    let mut required = Vec::new();
    for k in ["action", "principal"] {
        match p.get(k).str_opt()? {
            Val::Known(Some(v)) => required.push(v),
            Val::Known(None) => return p.get(k).error("is required"),
            Val::Unknown(why) => {
                return Ok(Val::unknown(format!(
                    "{}: {k} is known only after apply ({why})",
                    r.logical_id
                )));
            }
        }
    }
    let sid = match p.get("statement_id").text() {
        Some(s) if !s.is_empty() => s,
        _ => r.logical_id.clone(),
    };
    let perm = Permission {
        sid,
        action: required[0].clone(),
        principal: required[1].clone(),
        source_arn: opt_text(p, r.rid, "source_arn"),
        source_account: opt_text(p, r.rid, "source_account"),
        principal_org_id: opt_text(p, r.rid, "principal_org_id"),
        function_url_auth_type: opt_text(p, r.rid, "function_url_auth_type"),
        invoked_via_function_url: None,
    };
    Ok(Val::Known(perm.statement()))
}

fn finish(m: &mut Mapper) {
    let est = m.est;
    let mut est_functions = 0;
    for r in est.of_type("aws_lambda_function") {
        est_functions += 1;
        let p = est.props(r);
        let name = match p.get("function_name").str_opt() {
            Ok(Val::Known(Some(n))) => Val::Known(n),
            Ok(Val::Known(None)) => Val::unknown("no function_name is set"),
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
        let rid = m.inv.function_urls[i].rid;
        let Some(r) = est.get(rid) else { continue };
        let f = target(est, &m.inv.lambda_functions, est.props(r), rid, 0);
        m.inv.function_urls[i].function = match f {
            Target::Function(f) => Val::Known(Link::Resource(f)),
            Target::Outside(s) => Val::Known(Link::External(s)),
            Target::Unknown(why) => Val::Unknown(why),
        };
    }
    // The functions of this estate (the inventory may hold other sources').
    let first = m.inv.lambda_functions.len() - est_functions;
    let mut joined = Joined::new(est_functions);
    for r in est.of_type("aws_lambda_permission") {
        let p = est.props(r);
        let f = match target(est, &m.inv.lambda_functions, p, r.rid, 0) {
            Target::Function(f) => f,
            Target::Outside(_) => continue,
            Target::Unknown(why) => {
                joined.unresolved(format!(
                    "{} names a function known only after apply ({why})",
                    r.logical_id
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
        match statement(r, p) {
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
