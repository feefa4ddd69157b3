//! IAM-style policy documents (identity, resource, trust, endpoint, key and SCP policies).
//!
//! Strings keep what the source wrote; a part the source could not resolve is
//! rendered as `${Name}` (e.g. `arn:aws:s3:::${LogBucket}/*`), so that rules can
//! still match on the parts that are literal.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// A principal block: `"*"`, or typed lists.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Principals {
    /// `Principal: "*"` or `{"AWS": "*"}`.
    pub wildcard: bool,
    pub aws: Vec<String>,
    pub service: Vec<String>,
    pub federated: Vec<String>,
    pub canonical_user: Vec<String>,
}

impl Principals {
    pub fn is_empty(&self) -> bool {
        !self.wildcard
            && self.aws.is_empty()
            && self.service.is_empty()
            && self.federated.is_empty()
            && self.canonical_user.is_empty()
    }
}

/// One condition: operator, key and values, e.g. `StringEquals aws:PrincipalOrgID [o-123]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    /// `None` when the statement has no `Principal` (identity policies, SCPs).
    pub principal: Option<Principals>,
    pub not_principal: Option<Principals>,
    pub actions: Vec<String>,
    pub not_actions: Vec<String>,
    pub resources: Vec<String>,
    pub not_resources: Vec<String>,
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PolicyDoc {
    pub statements: Vec<Statement>,
}

/// Does an IAM action pattern (`s3:Put*`, `*`, `cloudtrail:*`) match `action`
/// (`s3:PutBucketPublicAccessBlock`)? Case-insensitive, as IAM is.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    glob_match(&pattern.to_ascii_lowercase(), &action.to_ascii_lowercase())
}

/// `*` matches any run, `?` one character.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

impl Statement {
    /// Does this statement cover `action` (through `Action`, or through `NotAction` not naming it)?
    pub fn covers_action(&self, action: &str) -> bool {
        if !self.not_actions.is_empty() {
            return !self.not_actions.iter().any(|p| action_matches(p, action));
        }
        self.actions.iter().any(|p| action_matches(p, action))
    }

    /// Does the statement apply to every principal (`Principal: "*"` or `{"AWS": "*"}`)?
    pub fn principal_is_wildcard(&self) -> bool {
        self.principal
            .as_ref()
            .is_some_and(|p| p.wildcard || p.aws.iter().any(|a| a == "*"))
    }

    /// The condition keys the statement uses, lower-cased.
    pub fn condition_keys(&self) -> impl Iterator<Item = String> + '_ {
        self.conditions.iter().map(|c| c.key.to_ascii_lowercase())
    }

    pub fn has_condition_key(&self, key: &str) -> bool {
        self.conditions
            .iter()
            .any(|c| c.key.eq_ignore_ascii_case(key))
    }

    /// Covers every resource (`Resource: "*"` or no resource element).
    pub fn all_resources(&self) -> bool {
        self.not_resources.is_empty()
            && (self.resources.is_empty() || self.resources.iter().any(|r| r == "*"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(action_matches("s3:Put*", "s3:PutBucketPublicAccessBlock"));
        assert!(action_matches("*", "kms:DisableKey"));
        assert!(action_matches("CloudTrail:*", "cloudtrail:StopLogging"));
        assert!(!action_matches("s3:Get*", "s3:PutObject"));
        assert!(action_matches("iam:Create?ser", "iam:CreateUser"));
        assert!(!action_matches("iam:CreateUser", "iam:CreateUserX"));
    }
}
