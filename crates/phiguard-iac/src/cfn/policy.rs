//! Policy documents from evaluated CloudFormation values.

use super::estate::Estate;
use super::value::Value;
use crate::yaml;
use phiguard_model::{Condition, Effect, PolicyDoc, Principals, Statement, Val};

/// Reads a policy document: a mapping, or a JSON string. Errors are shape
/// errors; a part known only at deploy time makes the document unknown.
pub fn from_value(v: &Value, est: &Estate) -> Result<Val<PolicyDoc>, String> {
    match v {
        Value::Map(_) => doc(v, est),
        Value::Str(s) => {
            let node = yaml::parse(s)
                .map_err(|e| format!("the policy is not valid JSON: {}", e.message))?;
            let empty = Default::default();
            let exports = Default::default();
            let scope = super::eval::Scope {
                params: &empty,
                mappings: None,
                conditions: None,
                resources: &Default::default(),
                exports: &exports,
                names: &[],
                skipped: None,
                cond_cache: Default::default(),
                guard: Default::default(),
            };
            let v = scope.eval(&node).map_err(|e| e.message)?;
            doc(&v, est)
        }
        Value::Unknown(r) => Ok(Val::Unknown(r.clone())),
        Value::Expr(..) | Value::Ref(_) | Value::Att(..) => {
            Ok(Val::unknown("the policy is known only at deploy time"))
        }
        other => Err(format!(
            "expected a policy document, found {}",
            other.type_name()
        )),
    }
}

struct Unresolved(String);

fn text(v: &Value, est: &Estate) -> Result<String, Unresolved> {
    match v {
        Value::Str(s) | Value::Num(s) | Value::Expr(s, _) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Ref(r) => Ok(format!("${{{}}}", est.name(*r))),
        Value::Att(r, a) => Ok(format!("${{{}.{a}}}", est.name(*r))),
        Value::Unknown(r) => Err(Unresolved(r.clone())),
        _ => Err(Unresolved(format!(
            "a {} where a string belongs",
            v.type_name()
        ))),
    }
}

fn texts(v: Option<&Value>, est: &Estate) -> Result<Vec<String>, Unresolved> {
    match v {
        None | Some(Value::Null) | Some(Value::NoValue) => Ok(vec![]),
        Some(Value::List(items)) => items.iter().map(|i| text(i, est)).collect(),
        Some(v) => Ok(vec![text(v, est)?]),
    }
}

fn principals(v: Option<&Value>, est: &Estate) -> Result<Option<Principals>, Unresolved> {
    let Some(v) = v else { return Ok(None) };
    let mut p = Principals::default();
    match v {
        Value::Str(s) if s == "*" => p.wildcard = true,
        Value::Map(m) => {
            for (k, val) in m {
                let list = texts(Some(val), est)?;
                match k.as_str() {
                    "AWS" => p.aws.extend(list),
                    "Service" => p.service.extend(list),
                    "Federated" => p.federated.extend(list),
                    "CanonicalUser" => p.canonical_user.extend(list),
                    _ => return Err(Unresolved(format!("unknown principal type {k}"))),
                }
            }
            if p.aws.iter().any(|a| a == "*") {
                p.wildcard = true;
            }
        }
        Value::Unknown(r) => return Err(Unresolved(r.clone())),
        _ => {
            return Err(Unresolved(
                "a principal that is not \"*\" or a mapping".into(),
            ));
        }
    }
    Ok(Some(p))
}

fn doc(v: &Value, est: &Estate) -> Result<Val<PolicyDoc>, String> {
    let stmts = match v.get("Statement") {
        Some(Value::List(l)) => l.clone(),
        Some(s @ Value::Map(_)) => vec![s.clone()],
        Some(Value::Unknown(r)) => return Ok(Val::Unknown(r.clone())),
        None => return Err("the policy has no Statement".into()),
        Some(other) => {
            return Err(format!(
                "Statement must be a list, found {}",
                other.type_name()
            ));
        }
    };
    let mut out = Vec::with_capacity(stmts.len());
    for s in &stmts {
        match statement(s, est) {
            Ok(Ok(st)) => out.push(st),
            Ok(Err(Unresolved(r))) => {
                return Ok(Val::Unknown(format!(
                    "a policy statement is known only at deploy time ({r})"
                )));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Val::Known(PolicyDoc { statements: out }))
}

fn statement(s: &Value, est: &Estate) -> Result<Result<Statement, Unresolved>, String> {
    if let Value::Unknown(r) = s {
        return Ok(Err(Unresolved(r.clone())));
    }
    if !matches!(s, Value::Map(_)) {
        return Err(format!(
            "a policy statement must be a mapping, found {}",
            s.type_name()
        ));
    }
    let effect = match s.get("Effect") {
        Some(Value::Str(e)) if e == "Allow" => Effect::Allow,
        Some(Value::Str(e)) if e == "Deny" => Effect::Deny,
        Some(Value::Unknown(r)) => return Ok(Err(Unresolved(r.clone()))),
        Some(other) => {
            return Err(format!(
                "Effect must be Allow or Deny, found {}",
                other.as_lit().unwrap_or(other.type_name())
            ));
        }
        None => return Err("a policy statement has no Effect".into()),
    };
    let build = || -> Result<Statement, Unresolved> {
        let mut conditions = Vec::new();
        if let Some(c) = s.get("Condition") {
            match c {
                Value::Map(ops) => {
                    for (op, keys) in ops {
                        match keys {
                            Value::Map(kv) => {
                                for (k, vals) in kv {
                                    conditions.push(Condition {
                                        operator: op.clone(),
                                        key: k.clone(),
                                        values: texts(Some(vals), est)?,
                                    });
                                }
                            }
                            Value::Unknown(r) => return Err(Unresolved(r.clone())),
                            _ => {
                                return Err(Unresolved(format!("condition {op} is not a mapping")));
                            }
                        }
                    }
                }
                Value::Unknown(r) => return Err(Unresolved(r.clone())),
                _ => return Err(Unresolved("Condition is not a mapping".into())),
            }
        }
        Ok(Statement {
            sid: s.get("Sid").and_then(|v| v.as_lit()).map(str::to_string),
            effect,
            principal: principals(s.get("Principal"), est)?,
            not_principal: principals(s.get("NotPrincipal"), est)?,
            actions: texts(s.get("Action"), est)?,
            not_actions: texts(s.get("NotAction"), est)?,
            resources: texts(s.get("Resource"), est)?,
            not_resources: texts(s.get("NotResource"), est)?,
            conditions,
        })
    };
    Ok(build())
}
