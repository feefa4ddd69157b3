//! `AWS::Lambda::Function` resource policies, from the
//! `AWS::Lambda::Permission` resources that name the function (directly or
//! through an alias or version), and `AWS::Lambda::Url`. (The functions'
//! environment variables are read by `code`.)

use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::{P, R};
use crate::joins::lambda::{self, Permission, Spelling, Target, by_name};
use phiguard_model::{Link, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::Lambda::Url", "AWS::Lambda::Permission"],
    map,
    finish,
};

const SPELLING: Spelling = Spelling {
    function: "AWS::Lambda::Function",
    function_name: "FunctionName",
    unnamed: "the function name is generated at deploy time",
    url: "AWS::Lambda::Url",
    url_function: "TargetFunctionArn",
    auth_type: "AuthType",
    permission: "AWS::Lambda::Permission",
    permission_function: "FunctionName",
    action: "Action",
    principal: "Principal",
    permission_label: "permission ",
    when: "at deploy time",
};

/// What a `FunctionName` or `TargetFunctionArn` names.
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
    lambda::map(m, r, &SPELLING)
}

/// A property's text, `None` when absent; a value known only at deploy
/// time is kept as a placeholder (it still pins something).
fn opt_text(p: P) -> Option<String> {
    if p.is_absent() {
        return None;
    }
    Some(p.text().unwrap_or_else(|| format!("${{{}}}", p.name())))
}

/// The rest of a permission, given its action and principal.
fn permission(r: &EvalRes, p: P, action: String, principal: String) -> R<Permission> {
    let invoked_via_function_url = match p.get("InvokedViaFunctionUrl").bool_or(false)? {
        Val::Known(b) => (!p.get("InvokedViaFunctionUrl").is_absent()).then_some(b),
        // Unknown: the condition is there with some value; it limits nobody either way.
        Val::Unknown(_) => Some(true),
    };
    Ok(Permission {
        sid: r.logical_id.clone(),
        action,
        principal,
        source_arn: opt_text(p.get("SourceArn")),
        source_account: opt_text(p.get("SourceAccount")),
        principal_org_id: opt_text(p.get("PrincipalOrgID")),
        function_url_auth_type: opt_text(p.get("FunctionUrlAuthType")),
        invoked_via_function_url,
    })
}

fn finish(m: &mut Mapper) {
    lambda::finish(
        m,
        &SPELLING,
        |m, r, key| target(m, m.est.props(r).get(key), 0),
        permission,
    );
}
