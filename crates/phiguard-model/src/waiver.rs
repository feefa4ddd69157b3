//! Waivers written as one line of text, the form shared by a Terraform
//! comment above a resource block and the `phiguard:waive` tag of a plan,
//! state or live resource:
//!
//! ```text
//! # phiguard:waive ENC-2 owner=platform-team expires=2027-03-31 reason="migrating to the PHI key, SEC-142"
//! phiguard:waive = ENC-2 owner=platform-team expires=2027-03-31 reason=migrating to the PHI key
//! ```
//!
//! A value is a `"quoted string"` or runs to the next `key=`; so a tag value
//! (where AWS allows no quotes) can still hold a reason with spaces.

use crate::ResourceWaiver;
use std::collections::BTreeMap;

/// The marker in a comment, and the tag key (or its prefix: `phiguard:waive:2`
/// for a second waiver on the same resource).
pub const WAIVE: &str = "phiguard:waive";

/// Whether a tag key declares a waiver.
pub fn is_waiver_tag(key: &str) -> bool {
    key == WAIVE || key.strip_prefix(WAIVE).is_some_and(|r| r.starts_with(':'))
}

/// Parses `RULE owner=… expires=YYYY-MM-DD reason=…`.
pub fn parse_waiver(spec: &str) -> Result<ResourceWaiver, String> {
    let spec = spec.trim();
    let (rule, mut rest) = spec.split_once(char::is_whitespace).unwrap_or((spec, ""));
    let form = "expected `RULE owner=NAME expires=YYYY-MM-DD reason=\"WHY\"`";
    if rule.is_empty()
        || rule.contains('=')
        || !rule.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(format!("a waiver starts with the rule id: {form}"));
    }
    let mut fields: BTreeMap<&str, String> = BTreeMap::new();
    let mut last: Option<&str> = None;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let key = ["owner=", "expires=", "reason="]
            .iter()
            .find(|k| rest.starts_with(**k))
            .map(|k| &k[..k.len() - 1]);
        match key {
            Some(k) => {
                if fields.contains_key(k) {
                    return Err(format!("a waiver gives {k}= twice"));
                }
                rest = &rest[k.len() + 1..];
                if let Some(q) = rest.strip_prefix('"') {
                    let mut value = String::new();
                    let mut chars = q.char_indices();
                    let mut end = None;
                    while let Some((i, c)) = chars.next() {
                        match c {
                            '\\' => {
                                if let Some((_, n)) = chars.next() {
                                    value.push(n);
                                }
                            }
                            '"' => {
                                end = Some(i);
                                break;
                            }
                            c => value.push(c),
                        }
                    }
                    let Some(end) = end else {
                        return Err(format!("the quoted {k} of a waiver does not end"));
                    };
                    fields.insert(k, value);
                    rest = &q[end + 1..];
                    last = None;
                } else {
                    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                    fields.insert(k, rest[..end].to_string());
                    rest = &rest[end..];
                    last = Some(k);
                }
            }
            None => {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let word = &rest[..end];
                match last {
                    // An unquoted value runs on to the next `key=`.
                    Some(k) => {
                        let v = fields.get_mut(k).expect("the last field is set");
                        v.push(' ');
                        v.push_str(word);
                    }
                    None => return Err(format!("unexpected {word:?} in a waiver: {form}")),
                }
                rest = &rest[end..];
            }
        }
    }
    let mut take = |k: &str| -> Result<String, String> {
        match fields.remove(k) {
            Some(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
            _ => Err(format!("the waiver of {rule} has no {k}=: {form}")),
        }
    };
    let owner = take("owner")?;
    let expires = take("expires")?;
    let reason = take("reason")?;
    if !is_date(&expires) {
        return Err(format!(
            "the waiver of {rule}: expires must be a date YYYY-MM-DD, found {expires:?}"
        ));
    }
    Ok(ResourceWaiver {
        rule: rule.to_string(),
        owner,
        reason,
        expires,
    })
}

/// The waivers declared by a resource's tags, or what is wrong with each
/// one that cannot be read, keyed by its tag.
pub fn waivers_from_tags(tags: &BTreeMap<String, String>) -> Vec<Result<ResourceWaiver, String>> {
    tags.iter()
        .filter(|(k, _)| is_waiver_tag(k))
        .map(|(k, v)| parse_waiver(v).map_err(|e| format!("tag {k}: {e}")))
        .collect()
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_and_unquoted_reasons() {
        let w = parse_waiver(
            "ENC-2 owner=platform-team expires=2027-03-31 reason=\"migrating, \\\"SEC-142\\\"\"",
        )
        .unwrap();
        assert_eq!(w.rule, "ENC-2");
        assert_eq!(w.owner, "platform-team");
        assert_eq!(w.expires, "2027-03-31");
        assert_eq!(w.reason, "migrating, \"SEC-142\"");
        let w = parse_waiver("ENC-2 reason=migrating to the PHI key owner=ops expires=2027-01-01")
            .unwrap();
        assert_eq!(w.reason, "migrating to the PHI key");
        assert_eq!(w.owner, "ops");
    }

    #[test]
    fn missing_or_bad_fields_are_errors() {
        let e = parse_waiver("ENC-2 owner=ops reason=x").unwrap_err();
        assert!(e.contains("no expires="), "{e}");
        let e = parse_waiver("ENC-2 owner=ops expires=soon reason=x").unwrap_err();
        assert!(e.contains("YYYY-MM-DD"), "{e}");
        assert!(parse_waiver("owner=ops expires=2027-01-01 reason=x").is_err());
        assert!(parse_waiver("").is_err());
        assert!(parse_waiver("ENC-2 owner=a owner=b expires=2027-01-01 reason=x").is_err());
        assert!(parse_waiver("ENC-2 owner=a expires=2027-01-01 reason=\"open").is_err());
        assert!(parse_waiver("ENC-2 stray owner=a expires=2027-01-01 reason=x").is_err());
    }

    #[test]
    fn tag_keys() {
        assert!(is_waiver_tag("phiguard:waive"));
        assert!(is_waiver_tag("phiguard:waive:2"));
        assert!(!is_waiver_tag("phiguard:waiver"));
        assert!(!is_waiver_tag("Name"));
    }
}
