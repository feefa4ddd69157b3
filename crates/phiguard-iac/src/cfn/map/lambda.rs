//! `AWS::Lambda::Function` resource policies, from the
//! `AWS::Lambda::Permission` resources that name the function (directly or
//! through an alias or version), and `AWS::Lambda::Url`. (The functions'
//! environment variables are read by `code`.)

use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use crate::joins::lambda::{Permission, by_name};
use crate::joins::policies::Joined;
use phiguard_model::{FunctionUrl, LambdaFunction, Link, Rid, Statement, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::Lambda::Url", "AWS::Lambda::Permission"],
    map,
    finish,
};

/// What a `FunctionName` or `TargetFunctionArn` names.
enum Target {
    Function(Rid),
    /// A function outside the estate.
    Outside(String),
    Unknown(String),
}

fn target(m: &Mapper, p: P, depth: u8) -> Target {
    match p.link() {
        Val::Known(Link::Resource(rid)) => match m.est.kind(rid) {
            "AWS::Lambda::Function" => Target::Function(rid),
            "AWS::Lambda::Alias" | "AWS::Lambda::Version" if depth < 2 => match m.est.get(rid) {
                Some(a) => target(m, m.est.props(a).get("FunctionName"), depth + 1),
                None => Target::Outside(m.est.name(rid).to_string()),
            },
            _ => Target::Outside(m.est.name(rid).to_string()),
        },
        Val::Known(Link::External(id)) => match by_name(&m.inv.lambda_functions, &id) {
            Some(i) => Target::Function(m.inv.lambda_functions[i].rid),
            None => Target::Outside(id),
        },
        Val::Unknown(why) => Target::Unknown(why),
    }
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    if r.ty != "AWS::Lambda::Url" {
        // Permissions are joined in `finish`, once every function is known.
        return Ok(());
    }
    let p = m.props(r);
    let auth_type = match p.get("AuthType").str_opt()? {
        Val::Known(Some(a)) => Val::Known(a),
        Val::Known(None) => Val::unknown("AuthType is not set (it is required)"),
        Val::Unknown(why) => Val::Unknown(why),
    };
    m.inv.function_urls.push(FunctionUrl {
        rid: r.rid,
        function: Val::Unknown("joined in finish".into()),
        auth_type,
    });
    Ok(())
}

/// A property's text, `None` when absent; a value known only at deploy
/// time is kept as a placeholder (it still pins something).
fn opt_text(p: P) -> Option<String> {
    if p.is_absent() {
        return None;
    }
    Some(p.text().unwrap_or_else(|| format!("${{{}}}", p.name())))
}

/// The statement a permission adds to its function's policy.
fn statement(r: &EvalRes, p: P) -> R<Val<Statement>> {
    let mut required = Vec::new();
    for k in ["Action", "Principal"] {
        match p.get(k).str_opt()? {
            Val::Known(Some(v)) => required.push(v),
            Val::Known(None) => return p.get(k).error("is required"),
            Val::Unknown(why) => {
                return Ok(Val::unknown(format!(
                    "permission {}: {k} is known only at deploy time ({why})",
                    r.logical_id
                )));
            }
        }
    }
    let invoked_via_function_url = match p.get("InvokedViaFunctionUrl").bool_or(false)? {
        Val::Known(b) => (!p.get("InvokedViaFunctionUrl").is_absent()).then_some(b),
        // Unknown: the condition is there with some value; it limits nobody either way.
        Val::Unknown(_) => Some(true),
    };
    let perm = Permission {
        sid: r.logical_id.clone(),
        action: required[0].clone(),
        principal: required[1].clone(),
        source_arn: opt_text(p.get("SourceArn")),
        source_account: opt_text(p.get("SourceAccount")),
        principal_org_id: opt_text(p.get("PrincipalOrgID")),
        function_url_auth_type: opt_text(p.get("FunctionUrlAuthType")),
        invoked_via_function_url,
    };
    Ok(Val::Known(perm.statement()))
}

fn finish(m: &mut Mapper) {
    let est = m.est;
    let mut est_functions = 0;
    for r in est.of_type("AWS::Lambda::Function") {
        est_functions += 1;
        let name = match est.props(r).get("FunctionName").str_opt() {
            Ok(Val::Known(Some(n))) => Val::Known(n),
            Ok(Val::Known(None)) => Val::unknown("the function name is generated at deploy time"),
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
        m.inv.function_urls[i].function = match target(m, est.props(r).get("TargetFunctionArn"), 0)
        {
            Target::Function(f) => Val::Known(Link::Resource(f)),
            Target::Outside(s) => Val::Known(Link::External(s)),
            Target::Unknown(why) => Val::Unknown(why),
        };
    }
    // The functions of this estate (the inventory may hold other sources').
    let first = m.inv.lambda_functions.len() - est_functions;
    let mut joined = Joined::new(est_functions);
    for r in est.of_type("AWS::Lambda::Permission") {
        let p = est.props(r);
        let f = match target(m, p.get("FunctionName"), 0) {
            Target::Function(f) => f,
            Target::Outside(_) => continue,
            Target::Unknown(why) => {
                joined.unresolved(format!(
                    "permission {} names a function known only at deploy time ({why})",
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
