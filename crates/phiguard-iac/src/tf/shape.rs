//! The structure of a plan or state (`terraform show -json`, format 1.x):
//! each field phiguard reads has the JSON type Terraform writes, or the
//! document is malformed. A field of the wrong type is an input error, never
//! read as "nothing".

use serde_json::Value as J;

/// A field of the wrong type: where (a JSON path), the resource address it
/// belongs to (when there is one), and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    pub path: String,
    pub address: Option<String>,
    pub message: String,
}

/// The JSON type of a value, as a message names it.
pub fn type_name(v: &J) -> &'static str {
    match v {
        J::Null => "null",
        J::Bool(_) => "a boolean",
        J::Number(_) => "a number",
        J::String(_) => "a string",
        J::Array(_) => "a list",
        J::Object(_) => "an object",
    }
}

#[derive(Clone, Copy)]
enum Want {
    Object,
    /// An object, or null (`change.after` of a delete).
    ObjectOrNull,
    /// An object, or a boolean for a value wholly unknown or sensitive.
    ObjectOrBool,
    List,
    Str,
}

impl Want {
    fn accepts(self, v: &J) -> bool {
        match self {
            Want::Object => v.is_object(),
            Want::ObjectOrNull => v.is_object() || v.is_null(),
            Want::ObjectOrBool => v.is_object() || v.is_boolean(),
            Want::List => v.is_array(),
            Want::Str => v.is_string(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Want::Object => "an object",
            Want::ObjectOrNull => "an object or null",
            Want::ObjectOrBool => "an object or a boolean",
            Want::List => "a list",
            Want::Str => "a string",
        }
    }
}

struct Check<'a> {
    errors: &'a mut Vec<ShapeError>,
}

impl Check<'_> {
    /// Checks `v[key]` when present; returns it when it has the right type.
    fn field<'v>(
        &mut self,
        v: &'v J,
        path: &str,
        key: &str,
        want: Want,
        address: Option<&str>,
    ) -> Option<&'v J> {
        let f = v.get(key)?;
        if want.accepts(f) {
            Some(f)
        } else {
            self.errors.push(ShapeError {
                path: format!("{path}.{key}"),
                address: address.map(str::to_string),
                message: format!("must be {}, found {}", want.name(), type_name(f)),
            });
            None
        }
    }

    fn item_is_object(&mut self, v: &J, path: &str) -> bool {
        if v.is_object() {
            return true;
        }
        self.errors.push(ShapeError {
            path: path.to_string(),
            address: None,
            message: format!("must be an object, found {}", type_name(v)),
        });
        false
    }

    fn module(&mut self, m: &J, path: &str, depth: u32) {
        if depth > 64 {
            return;
        }
        self.field(m, path, "address", Want::Str, None);
        if let Some(rs) = self.field(m, path, "resources", Want::List, None) {
            for (i, r) in rs.as_array().into_iter().flatten().enumerate() {
                let p = format!("{path}.resources[{i}]");
                if !self.item_is_object(r, &p) {
                    continue;
                }
                let addr = r.get("address").and_then(J::as_str);
                for k in ["address", "mode", "type", "name"] {
                    self.field(r, &p, k, Want::Str, addr);
                }
                self.field(r, &p, "values", Want::ObjectOrNull, addr);
                self.field(r, &p, "sensitive_values", Want::ObjectOrBool, addr);
            }
        }
        if let Some(cs) = self.field(m, path, "child_modules", Want::List, None) {
            for (i, c) in cs.as_array().into_iter().flatten().enumerate() {
                let p = format!("{path}.child_modules[{i}]");
                if self.item_is_object(c, &p) {
                    self.module(c, &p, depth + 1);
                }
            }
        }
    }

    fn config_module(&mut self, m: &J, path: &str, depth: u32) {
        if depth > 64 {
            return;
        }
        if let Some(rs) = self.field(m, path, "resources", Want::List, None) {
            for (i, r) in rs.as_array().into_iter().flatten().enumerate() {
                let p = format!("{path}.resources[{i}]");
                if self.item_is_object(r, &p) {
                    let addr = r.get("address").and_then(J::as_str);
                    self.field(r, &p, "address", Want::Str, addr);
                    self.field(r, &p, "expressions", Want::Object, addr);
                }
            }
        }
        if let Some(calls) = self.field(m, path, "module_calls", Want::Object, None) {
            for (name, call) in calls.as_object().into_iter().flatten() {
                let p = format!("{path}.module_calls.{name}");
                if !self.item_is_object(call, &p) {
                    continue;
                }
                self.field(call, &p, "expressions", Want::Object, None);
                if let Some(cm) = self.field(call, &p, "module", Want::Object, None) {
                    self.config_module(cm, &format!("{p}.module"), depth + 1);
                }
            }
        }
    }
}

/// Every field of the wrong type in a plan or state, in document order.
pub fn check(root: &J) -> Vec<ShapeError> {
    let mut errors = Vec::new();
    let mut c = Check {
        errors: &mut errors,
    };
    for top in ["planned_values", "values"] {
        if let Some(v) = c.field(root, "", top, Want::Object, None) {
            if let Some(m) = c.field(v, top, "root_module", Want::Object, None) {
                c.module(m, &format!("{top}.root_module"), 0);
            }
        }
    }
    if let Some(changes) = c.field(root, "", "resource_changes", Want::List, None) {
        for (i, rc) in changes.as_array().into_iter().flatten().enumerate() {
            let p = format!("resource_changes[{i}]");
            if !c.item_is_object(rc, &p) {
                continue;
            }
            let addr = rc.get("address").and_then(J::as_str);
            c.field(rc, &p, "address", Want::Str, addr);
            let Some(change) = c.field(rc, &p, "change", Want::Object, addr) else {
                continue;
            };
            let p = format!("{p}.change");
            if let Some(actions) = c.field(change, &p, "actions", Want::List, addr) {
                for (j, a) in actions.as_array().into_iter().flatten().enumerate() {
                    if !a.is_string() {
                        c.errors.push(ShapeError {
                            path: format!("{p}.actions[{j}]"),
                            address: addr.map(str::to_string),
                            message: format!("must be a string, found {}", type_name(a)),
                        });
                    }
                }
            }
            c.field(change, &p, "after", Want::ObjectOrNull, addr);
            c.field(change, &p, "after_unknown", Want::ObjectOrBool, addr);
            c.field(change, &p, "after_sensitive", Want::ObjectOrBool, addr);
        }
    }
    if let Some(conf) = c.field(root, "", "configuration", Want::Object, None) {
        if let Some(m) = c.field(conf, "configuration", "root_module", Want::Object, None) {
            c.config_module(m, "configuration.root_module", 0);
        }
    }
    for e in &mut errors {
        e.path = e.path.trim_start_matches('.').to_string();
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_well_formed_plan_has_no_errors() {
        let plan = json!({"format_version": "1.2", "planned_values": {"root_module": {
            "resources": [{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket",
                "name": "b", "values": {"bucket": "x"}, "sensitive_values": {}}],
            "child_modules": []}},
            "resource_changes": [{"address": "aws_s3_bucket.b", "change": {"actions": ["delete"],
                "after": null, "after_unknown": {}, "after_sensitive": false}}],
            "configuration": {"root_module": {"resources": [], "module_calls": {}}}});
        assert_eq!(check(&plan), vec![]);
    }

    #[test]
    fn wrong_types_are_named_with_their_path() {
        let plan = json!({"format_version": "1.2", "planned_values": {"root_module": {"resources": [7]}},
            "resource_changes": [{"address": "aws_s3_bucket.b", "change": {"actions": "create", "after": 7}}]});
        let e = check(&plan);
        let paths: Vec<&str> = e.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "planned_values.root_module.resources[0]",
                "resource_changes[0].change.actions",
                "resource_changes[0].change.after"
            ]
        );
        assert_eq!(e[2].message, "must be an object or null, found a number");
        assert_eq!(e[2].address.as_deref(), Some("aws_s3_bucket.b"));
    }
}
