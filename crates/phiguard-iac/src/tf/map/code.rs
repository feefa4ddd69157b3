//! Places where code may hold a credential: the environment variables of
//! `aws_lambda_function`. A value counts as written in the code only when the
//! configuration writes the `variables` map as a constant; a map built from
//! variables or references is not judged here (which of its entries is a
//! literal the plan does not tell).

use super::block;
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper, no_finish};
use crate::cfn::props::R;
use crate::cfn::value::Value;
use phiguard_model::{CodeValue, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_lambda_function"],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    let Val::Known(Some(env)) = block(p, "environment")? else {
        return Ok(());
    };
    let constant = m
        .est
        .expr(r.rid, "environment.variables")
        .is_some_and(|e| e.constant && e.references.is_empty());
    if !constant {
        return Ok(());
    }
    let Some(Value::Map(vars)) = env.get("variables").v else {
        return Ok(());
    };
    for (name, v) in vars {
        let literal = match v {
            Value::Str(s) | Value::Num(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            // A sensitive value is never read.
            _ => None,
        };
        m.inv.code_values.push(CodeValue {
            rid: r.rid,
            place: "Environment".into(),
            name: name.clone(),
            literal,
            no_echo: None,
        });
    }
    Ok(())
}
