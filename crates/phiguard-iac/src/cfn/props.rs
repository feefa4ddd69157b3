//! Typed access to a resource's evaluated properties, for the mappers.
//!
//! Every accessor applies the rule "an omission is a choice": the caller names
//! AWS's default for an absent property; a value known only at deploy time is
//! `Unknown` with the reason; a value of the wrong type is an error at its
//! position.

use super::estate::Estate;
use super::value::Value;
use crate::yaml::{Node, NodeKind, Pos};
use phiguard_model::{KeyRef, Link, PolicyDoc, Val};
use std::collections::BTreeMap;

/// A mapping error: a property of the wrong type or shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapError {
    pub pos: Pos,
    pub message: String,
}

pub type R<T> = Result<T, MapError>;

/// `${X}`, `${X.Arn}`, an ARN whose last segment is one
/// (`arn:aws:s3:::${Bucket}`, `arn:...:db:${Db}`), or a path below one
/// (`${Bucket.Arn}/flow-logs/`): text that names the resource it mentions,
/// not something derived from its name (`${Cluster}-canary`).
fn names_the_reference(text: &str, name: &str) -> bool {
    let Some(start) = text
        .find(&format!("${{{name}}}"))
        .or_else(|| text.find(&format!("${{{name}.")))
    else {
        return false;
    };
    let Some(len) = text[start..].find('}') else {
        return false;
    };
    let (before, after) = (&text[..start], &text[start + len + 1..]);
    (before.is_empty() || before.ends_with([':', '/']))
        && (after.is_empty() || after.starts_with('/'))
}

/// A property (or the whole `Properties` block) of one resource.
#[cfg(test)]
mod tests {
    #[test]
    fn references_that_name_the_resource() {
        let n = super::names_the_reference;
        assert!(n("${Bucket}", "Bucket"));
        assert!(n("${Bucket.Arn}", "Bucket"));
        assert!(n("arn:${AWS::Partition}:s3:::${Bucket}", "Bucket"));
        assert!(n("${Bucket.Arn}/flow-logs/", "Bucket"));
        assert!(n(
            "arn:aws:rds:${AWS::Region}:${AWS::AccountId}:db:${Db}",
            "Db"
        ));
        assert!(!n("${Cluster}-canary", "Cluster"));
        assert!(!n("legacy-${Bucket}", "Bucket"));
        assert!(!n("${BucketX}", "Bucket"));
    }
}

#[derive(Clone, Copy)]
pub struct P<'a> {
    pub v: Option<&'a Value>,
    node: Option<&'a Node>,
    pos: Pos,
    name: &'a str,
    pub est: &'a Estate<'a>,
}

fn reason_of(v: &Value, what: &str) -> String {
    match v {
        Value::Unknown(r) => r.clone(),
        Value::Expr(s, _) => format!("{what} is {s}, known only at deploy time"),
        _ => format!("{what} is known only at deploy time"),
    }
}

impl<'a> P<'a> {
    pub fn root(
        v: Option<&'a Value>,
        node: Option<&'a Node>,
        pos: Pos,
        est: &'a Estate<'a>,
    ) -> Self {
        P {
            v,
            node,
            pos,
            name: "Properties",
            est,
        }
    }

    pub fn pos(&self) -> Pos {
        self.node.map(|n| n.pos).unwrap_or(self.pos)
    }

    pub fn name(&self) -> &'a str {
        self.name
    }

    pub fn error<T>(&self, message: impl Into<String>) -> R<T> {
        Err(MapError {
            pos: self.pos(),
            message: format!("{}: {}", self.name, message.into()),
        })
    }

    fn wrong<T>(&self, expected: &str) -> R<T> {
        let found = self.v.map(|v| v.type_name()).unwrap_or("nothing");
        self.error(format!("expected {expected}, found {found}"))
    }

    /// A child property.
    pub fn get(&self, key: &'a str) -> P<'a> {
        // A child of a value known only at deploy time (an `!If` on an
        // undecidable condition, say) is just as unknown: never absent.
        let v = match self.v {
            Some(u @ Value::Unknown(_)) => Some(u),
            v => v.and_then(|v| v.get(key)),
        };
        let node = self
            .node
            .filter(|n| n.tag.is_none())
            .and_then(|n| n.get(key));
        P {
            v,
            node,
            pos: self.pos(),
            name: key,
            est: self.est,
        }
    }

    /// Absent, null, or removed with `AWS::NoValue`.
    pub fn is_absent(&self) -> bool {
        matches!(self.v, None | Some(Value::Null) | Some(Value::NoValue))
    }

    /// Whether the property is set: unknown when its value is known only at deploy time.
    pub fn presence(&self) -> Val<bool> {
        match self.v {
            Some(Value::Unknown(r)) => Val::Unknown(r.clone()),
            _ => Val::Known(!self.is_absent()),
        }
    }

    /// The value is known only at deploy time (an unresolved parameter, a condition).
    pub fn unknown_reason(&self) -> Option<String> {
        match self.v {
            Some(v @ (Value::Unknown(_) | Value::Expr(..))) => Some(reason_of(v, self.name)),
            _ => None,
        }
    }

    pub fn bool_or(&self, default: bool) -> R<Val<bool>> {
        match self.v {
            None | Some(Value::Null) | Some(Value::NoValue) => Ok(Val::Known(default)),
            Some(Value::Bool(b)) => Ok(Val::Known(*b)),
            Some(Value::Str(s)) if s.eq_ignore_ascii_case("true") => Ok(Val::Known(true)),
            Some(Value::Str(s)) if s.eq_ignore_ascii_case("false") => Ok(Val::Known(false)),
            Some(v @ (Value::Unknown(_) | Value::Expr(..) | Value::Ref(_) | Value::Att(..))) => {
                Ok(Val::Unknown(reason_of(v, self.name)))
            }
            _ => self.wrong("true or false"),
        }
    }

    /// A string, or `None` when absent.
    pub fn str_opt(&self) -> R<Val<Option<String>>> {
        match self.v {
            None | Some(Value::Null) | Some(Value::NoValue) => Ok(Val::Known(None)),
            Some(Value::Str(s)) | Some(Value::Num(s)) => Ok(Val::Known(Some(s.clone()))),
            Some(Value::Bool(b)) => Ok(Val::Known(Some(b.to_string()))),
            Some(v @ (Value::Unknown(_) | Value::Expr(..) | Value::Ref(_) | Value::Att(..))) => {
                Ok(Val::Unknown(reason_of(v, self.name)))
            }
            _ => self.wrong("a string"),
        }
    }

    /// A string that the estate must name; `absent` says why it is unknown when it does not.
    pub fn str_or_unknown(&self, absent: &str) -> R<Val<String>> {
        Ok(match self.str_opt()? {
            Val::Known(Some(s)) => Val::Known(s),
            Val::Known(None) => Val::unknown(absent),
            Val::Unknown(r) => Val::Unknown(r),
        })
    }

    /// A string, with the default AWS applies when absent.
    pub fn str_or(&self, default: &str) -> R<Val<String>> {
        Ok(self
            .str_opt()?
            .map(|o| o.unwrap_or_else(|| default.to_string())))
    }

    /// The text of a string, with deploy-time parts rendered as `${Name}`.
    pub fn text(&self) -> Option<String> {
        match self.v? {
            Value::Str(s) | Value::Num(s) | Value::Expr(s, _) => Some(s.clone()),
            Value::Ref(r) => Some(format!("${{{}}}", self.est.name(*r))),
            Value::Att(r, a) => Some(format!("${{{}.{a}}}", self.est.name(*r))),
            _ => None,
        }
    }

    /// A whole number, or `None` when absent.
    pub fn u32_opt(&self) -> R<Val<Option<u32>>> {
        match self.v {
            None | Some(Value::Null) | Some(Value::NoValue) => Ok(Val::Known(None)),
            Some(Value::Num(s)) | Some(Value::Str(s)) => match s.trim().parse::<u32>() {
                Ok(n) => Ok(Val::Known(Some(n))),
                Err(_) => self.wrong("a whole number"),
            },
            Some(v @ (Value::Unknown(_) | Value::Expr(..) | Value::Ref(_) | Value::Att(..))) => {
                Ok(Val::Unknown(reason_of(v, self.name)))
            }
            _ => self.wrong("a whole number"),
        }
    }

    /// The items of a list (empty when absent). A list known only at deploy
    /// time is unknown; a scalar or mapping where a list belongs is an error.
    pub fn list(&self) -> R<Val<Vec<P<'a>>>> {
        match self.v {
            None | Some(Value::Null) | Some(Value::NoValue) => Ok(Val::Known(vec![])),
            Some(Value::List(items)) => {
                let nodes: Option<&Vec<Node>> =
                    self.node
                        .filter(|n| n.tag.is_none())
                        .and_then(|n| match &n.kind {
                            NodeKind::Seq(s) if s.len() == items.len() => Some(s),
                            _ => None,
                        });
                Ok(Val::Known(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| P {
                            v: Some(v),
                            node: nodes.map(|n| &n[i]),
                            pos: self.pos(),
                            name: self.name,
                            est: self.est,
                        })
                        .collect(),
                ))
            }
            Some(v @ (Value::Unknown(_) | Value::Expr(..) | Value::Ref(_) | Value::Att(..))) => {
                Ok(Val::Unknown(reason_of(v, self.name)))
            }
            _ => self.wrong("a list"),
        }
    }

    /// A list of strings (a single string is accepted where AWS accepts one).
    pub fn strings(&self) -> R<Val<Vec<String>>> {
        if let Some(Value::Str(s)) = self.v {
            return Ok(Val::Known(vec![s.clone()]));
        }
        let items = match self.list()? {
            Val::Known(i) => i,
            Val::Unknown(r) => return Ok(Val::Unknown(r)),
        };
        let mut out = Vec::with_capacity(items.len());
        for i in items {
            match i.str_opt()? {
                Val::Known(Some(s)) => out.push(s),
                Val::Known(None) => {}
                Val::Unknown(r) => return Ok(Val::Unknown(r)),
            }
        }
        Ok(Val::Known(out))
    }

    /// A reference to another resource: `!Ref`/`!GetAtt` of the estate, a
    /// string naming something outside it, or a string built from one resource.
    pub fn link(&self) -> Val<Link> {
        match self.v {
            Some(Value::Ref(r)) | Some(Value::Att(r, _)) => Val::Known(Link::Resource(*r)),
            Some(Value::Expr(text, refs))
                if refs.len() == 1 && names_the_reference(text, self.est.name(refs[0])) =>
            {
                Val::Known(Link::Resource(refs[0]))
            }
            Some(Value::Str(s)) | Some(Value::Num(s)) => Val::Known(Link::External(s.clone())),
            Some(v) => Val::Unknown(reason_of(v, self.name)),
            None => Val::Unknown(format!("{} is not set", self.name)),
        }
    }

    /// The KMS key a property names; `aws_default` (e.g. `aws/s3`) when absent.
    pub fn key_ref(&self, aws_default: &str) -> Val<KeyRef> {
        if self.is_absent() {
            return Val::Known(KeyRef::AwsManaged(aws_default.to_string()));
        }
        // `arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/x`
        // names alias x whatever the account and region.
        if let Some(Value::Expr(t, refs)) = self.v {
            if let Some((_, alias)) = t.rsplit_once(":alias/") {
                if refs.is_empty() && !alias.contains("${") {
                    return Val::Known(self.est.external_key(&format!("alias/{alias}")));
                }
            }
        }
        match self.link() {
            Val::Known(Link::Resource(r)) => self.est.key_of(r),
            Val::Known(Link::External(s)) => Val::Known(self.est.external_key(&s)),
            Val::Unknown(r) => Val::Unknown(r),
        }
    }

    /// A KMS key that may be absent (`None`: not KMS-encrypted).
    pub fn key_opt(&self) -> Val<Option<KeyRef>> {
        if self.is_absent() {
            Val::Known(None)
        } else {
            self.key_ref("").map(Some)
        }
    }

    /// A policy document (a mapping, or a JSON string).
    pub fn policy(&self) -> R<Val<PolicyDoc>> {
        match self.v {
            None | Some(Value::Null) | Some(Value::NoValue) => {
                self.error("the policy document is missing")
            }
            Some(v) => match super::policy::from_value(v, self.est) {
                Ok(p) => Ok(p),
                Err(e) => self.error(e),
            },
        }
    }

    /// `Tags` as a list of `{Key, Value}` or as a mapping.
    pub fn tags(&self) -> Val<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        match self.v {
            None | Some(Value::Null) | Some(Value::NoValue) => {}
            Some(Value::List(items)) => {
                for t in items {
                    match (t.get("Key"), t.get("Value")) {
                        (Some(Value::Str(k)), Some(v)) => match v {
                            Value::Str(s) | Value::Num(s) => {
                                out.insert(k.clone(), s.clone());
                            }
                            Value::Bool(b) => {
                                out.insert(k.clone(), b.to_string());
                            }
                            other => return Val::Unknown(reason_of(other, &format!("tag {k}"))),
                        },
                        _ => return Val::Unknown("a tag known only at deploy time".into()),
                    }
                }
            }
            Some(Value::Map(m)) => {
                for (k, v) in m {
                    match v {
                        Value::Str(s) | Value::Num(s) => {
                            out.insert(k.clone(), s.clone());
                        }
                        Value::Bool(b) => {
                            out.insert(k.clone(), b.to_string());
                        }
                        other => return Val::Unknown(reason_of(other, &format!("tag {k}"))),
                    }
                }
            }
            Some(v) => return Val::Unknown(reason_of(v, "Tags")),
        }
        Val::Known(out)
    }
}
