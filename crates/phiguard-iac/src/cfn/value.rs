//! Evaluated CloudFormation values: intrinsics resolved where the estate allows.

use phiguard_model::Rid;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number, as written.
    Num(String),
    Str(String),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
    /// `!Ref` to a resource of the estate.
    Ref(Rid),
    /// `!GetAtt` of a resource of the estate.
    Att(Rid, String),
    /// A string with parts known only at deploy time, rendered as `${Name}`,
    /// and the estate's resources it mentions.
    Expr(String, Vec<Rid>),
    /// `AWS::NoValue`: the property is removed.
    NoValue,
    /// Cannot be known before deploy; the reason.
    Unknown(String),
}

impl Value {
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Num(_) => "a number",
            Value::Str(_) | Value::Expr(..) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "a mapping",
            Value::Ref(_) | Value::Att(..) => "a reference",
            Value::NoValue => "AWS::NoValue",
            Value::Unknown(_) => "an unknown value",
        }
    }

    /// The literal string (strings and numbers).
    pub fn as_lit(&self) -> Option<&str> {
        match self {
            Value::Str(s) | Value::Num(s) => Some(s),
            _ => None,
        }
    }
}
