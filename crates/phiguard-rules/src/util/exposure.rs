//! Resource policies open to everyone, and policies that refuse plain HTTP.
//!
//! One evaluation for every resource policy phiguard reads (S3 buckets, SQS
//! queues, SNS topics, Lambda functions, KMS keys, Secrets Manager secrets,
//! OpenSearch domains), after the definition S3 uses for a "public" bucket
//! policy (Amazon S3 User Guide, "The meaning of 'public'"):
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status>.
//! A statement is public when it allows a wildcard principal (`"*"`,
//! `{"AWS": "*"}`, or an `Allow` with `NotPrincipal`) and no condition pins a
//! fixed value of a key that limits who can call: the caller's account,
//! organization, ARN or user id, or the network (source VPC, VPC endpoint, a
//! non-wildcard source IP range), or the calling resource (`aws:SourceArn`,
//! `aws:SourceAccount`). A negated operator (`StringNotEquals`, ...) does not
//! limit an `Allow`; in a `Deny` of every other caller on the same actions it
//! does.

use phiguard_model::{Condition, Effect, PolicyDoc, Statement};

/// Condition keys that, pinned to a fixed value, limit who a statement lets in.
const LIMITING_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceip",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalservicename",
    "aws:userid",
    "aws:vpcsourceip",
    "kms:calleraccount",
    "lambda:functionarn",
    "s3:dataaccesspointaccount",
    "s3:dataaccesspointarn",
];

fn limiting_key(key: &str) -> bool {
    LIMITING_KEYS.iter().any(|k| key.eq_ignore_ascii_case(k))
}

/// A value that pins nothing: empty, only wildcards, or an IP range that is everyone.
fn wide_value(key: &str, v: &str) -> bool {
    let v = v.trim();
    if v.is_empty() || v.chars().all(|c| c == '*' || c == '?') {
        return true;
    }
    if key.to_ascii_lowercase().ends_with("sourceip") {
        return matches!(v, "0.0.0.0/0" | "::/0");
    }
    // An account or org pattern that is all wildcards after the prefix (`arn:aws:iam::*:root`).
    if key.eq_ignore_ascii_case("aws:principalarn") || key.eq_ignore_ascii_case("aws:sourcearn") {
        let parts: Vec<&str> = v.split(':').collect();
        return parts.len() >= 5 && parts[4].chars().all(|c| c == '*');
    }
    false
}

fn negated(op: &str) -> bool {
    let op = op.to_ascii_lowercase();
    let op = op.strip_prefix("forallvalues:").unwrap_or(&op);
    let op = op.strip_prefix("foranyvalue:").unwrap_or(op);
    op.contains("not")
}

/// Does this condition, in an `Allow`, pin the caller to something fixed?
fn limits_allow(c: &Condition) -> bool {
    limiting_key(&c.key)
        && !negated(&c.operator)
        && !c.operator.to_ascii_lowercase().ends_with("ifexists")
        && !c.operator.eq_ignore_ascii_case("null")
        && !c.values.is_empty()
        && c.values.iter().all(|v| !wide_value(&c.key, v))
}

/// Is the statement's principal everyone?
fn to_everyone(s: &Statement) -> bool {
    s.principal_is_wildcard() || (s.principal.is_none() && s.not_principal.is_some())
}

/// A `Deny` of every caller outside a fixed account, organization, network or source.
fn fences(deny: &Statement, allow: &Statement) -> bool {
    deny.effect == Effect::Deny
        && to_everyone(deny)
        && deny.not_actions.is_empty()
        && (allow.actions.iter().all(|a| deny.covers_action(a))
            || deny.actions.iter().any(|a| a == "*"))
        && deny.conditions.iter().any(|c| {
            limiting_key(&c.key)
                && negated(&c.operator)
                && !c.values.is_empty()
                && c.values.iter().all(|v| !wide_value(&c.key, v))
        })
}

/// The statements that allow everyone in, with no condition that limits who.
pub fn public_statements(doc: &PolicyDoc) -> Vec<&Statement> {
    doc.statements
        .iter()
        .filter(|s| s.effect == Effect::Allow && to_everyone(s))
        .filter(|s| !s.conditions.iter().any(limits_allow))
        .filter(|s| !doc.statements.iter().any(|d| fences(d, s)))
        .collect()
}

/// "statement `Sid` allows sqs:SendMessage, sqs:ReceiveMessage to everyone": the
/// first public statement, for a finding's message; `None` when nothing is public.
pub fn describe_public(doc: &PolicyDoc) -> Option<String> {
    let s = *public_statements(doc).first()?;
    let what = match &s.sid {
        Some(sid) => format!("statement `{sid}`"),
        None => "a statement".to_string(),
    };
    let actions = if !s.not_actions.is_empty() {
        format!("every action but {}", s.not_actions.join(", "))
    } else {
        s.actions.join(", ")
    };
    let who = if s.principal.is_none() {
        "everyone outside its NotPrincipal"
    } else {
        "everyone (Principal \"*\")"
    };
    Some(format!(
        "{what} allows {actions} to {who} with no condition that limits the caller's account, organization, network or source"
    ))
}

/// A `Deny` for every principal of all of `actions` where `aws:SecureTransport` is false.
pub fn denies_insecure_transport(doc: &PolicyDoc, actions: &[&str]) -> bool {
    doc.statements.iter().any(|s| {
        s.effect == Effect::Deny
            && to_everyone(s)
            && actions.iter().all(|a| s.covers_action(a))
            && s.conditions.iter().any(|c| {
                let op = c.operator.to_ascii_lowercase();
                (op == "bool" || op == "boolifexists")
                    && c.key.eq_ignore_ascii_case("aws:SecureTransport")
                    && c.values.iter().any(|v| v.eq_ignore_ascii_case("false"))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use phiguard_model::Principals;

    fn st(
        effect: Effect,
        principal: Option<Principals>,
        actions: &[&str],
        conds: &[(&str, &str, &[&str])],
    ) -> Statement {
        Statement {
            sid: Some("S".into()),
            effect,
            principal,
            not_principal: None,
            actions: actions.iter().map(|s| s.to_string()).collect(),
            not_actions: vec![],
            resources: vec!["*".into()],
            not_resources: vec![],
            conditions: conds
                .iter()
                .map(|(op, k, v)| Condition {
                    operator: op.to_string(),
                    key: k.to_string(),
                    values: v.iter().map(|s| s.to_string()).collect(),
                })
                .collect(),
        }
    }

    fn star() -> Option<Principals> {
        Some(Principals {
            wildcard: true,
            ..Default::default()
        })
    }

    fn doc(s: Vec<Statement>) -> PolicyDoc {
        PolicyDoc { statements: s }
    }

    #[test]
    fn wildcard_without_condition_is_public() {
        let d = doc(vec![st(Effect::Allow, star(), &["s3:GetObject"], &[])]);
        assert_eq!(public_statements(&d).len(), 1);
        assert!(describe_public(&d).unwrap().contains("s3:GetObject"));
    }

    #[test]
    fn pinned_conditions_limit() {
        for (op, k, v) in [
            ("StringEquals", "aws:PrincipalOrgID", "o-abc"),
            ("StringEquals", "aws:SourceVpce", "vpce-1"),
            ("IpAddress", "aws:SourceIp", "10.0.0.0/8"),
            (
                "ArnLike",
                "aws:SourceArn",
                "arn:aws:sns:us-east-1:111122223333:t",
            ),
            ("StringEquals", "kms:CallerAccount", "111122223333"),
        ] {
            let d = doc(vec![st(Effect::Allow, star(), &["*"], &[(op, k, &[v])])]);
            assert!(public_statements(&d).is_empty(), "{k} should limit");
        }
    }

    #[test]
    fn wide_or_negated_conditions_do_not_limit() {
        for (op, k, v) in [
            ("IpAddress", "aws:SourceIp", "0.0.0.0/0"),
            ("StringNotEquals", "aws:PrincipalOrgID", "o-abc"),
            ("StringLike", "aws:PrincipalArn", "*"),
            ("Bool", "aws:SecureTransport", "true"),
            ("StringEqualsIfExists", "aws:SourceVpce", "vpce-1"),
        ] {
            let d = doc(vec![st(Effect::Allow, star(), &["*"], &[(op, k, &[v])])]);
            assert_eq!(
                public_statements(&d).len(),
                1,
                "{op} {k} {v} should not limit"
            );
        }
    }

    #[test]
    fn a_fencing_deny_limits() {
        let d = doc(vec![
            st(Effect::Allow, star(), &["sqs:SendMessage"], &[]),
            st(
                Effect::Deny,
                star(),
                &["sqs:*"],
                &[("StringNotEquals", "aws:PrincipalOrgID", &["o-abc"])],
            ),
        ]);
        assert!(public_statements(&d).is_empty());
    }

    #[test]
    fn named_principals_are_not_public() {
        let p = Some(Principals {
            aws: vec!["arn:aws:iam::111122223333:root".into()],
            ..Default::default()
        });
        let d = doc(vec![st(Effect::Allow, p, &["*"], &[])]);
        assert!(public_statements(&d).is_empty());
    }

    #[test]
    fn insecure_transport_deny() {
        let d = doc(vec![st(
            Effect::Deny,
            star(),
            &["sqs:*"],
            &[("Bool", "aws:SecureTransport", &["false"])],
        )]);
        assert!(denies_insecure_transport(
            &d,
            &["sqs:SendMessage", "sqs:ReceiveMessage"]
        ));
        assert!(!denies_insecure_transport(&d, &["sns:Publish"]));
    }
}
