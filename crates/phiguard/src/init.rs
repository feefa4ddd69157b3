//! `phiguard init`: writes a commented `phiguard.toml` with every key a
//! generated baseline needs.

use clap::Args;
use phiguard_rules::Config;
use phiguard_rules::baseline::{SCENARIOS, render_errors};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The file to write. It is never overwritten.
    #[arg(
        long,
        short = 'o',
        value_name = "FILE",
        default_value = "phiguard.toml"
    )]
    output: PathBuf,
    /// Set a key, e.g. `--set baseline.organization="Example Health"` or
    /// `--set accounts.prod='["111122223333"]'` (repeatable). The value is read
    /// as a TOML value when it is one, else as a string.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// The organization's name (same as --set baseline.organization=NAME).
    #[arg(long, value_name = "NAME")]
    organization: Option<String>,
    /// Never ask; keys that have no value are written commented out.
    #[arg(long)]
    no_input: bool,
}

struct Entry {
    key: &'static str,
    /// The TOML value written when none is set; `None`: commented out.
    default: Option<&'static str>,
    /// An example shown when commented out.
    example: &'static str,
    comment: &'static str,
    /// Asked for on a terminal when unset.
    ask: Option<&'static str>,
}

const fn e(
    key: &'static str,
    default: Option<&'static str>,
    example: &'static str,
    comment: &'static str,
) -> Entry {
    Entry {
        key,
        default,
        example,
        comment,
        ask: None,
    }
}

fn sections() -> Vec<(&'static str, &'static str, Vec<Entry>)> {
    vec![
        (
            "scope",
            "Which resources hold PHI: those tagged phi_tag_key = phi_tag_value, or \"all\".",
            vec![
                e("phi_scope", Some("\"tagged\""), "", "\"tagged\" or \"all\""),
                e(
                    "phi_tag_key",
                    Some("\"phi\""),
                    "",
                    "the PHI tag (backup selection, scope of the rules)",
                ),
                e("phi_tag_value", Some("\"true\""), "", ""),
            ],
        ),
        (
            "regions",
            "Approved regions: an SCP denies every other region.",
            vec![e(
                "approved",
                Some("[\"us-east-1\", \"us-west-2\"]"),
                "",
                "",
            )],
        ),
        (
            "limits",
            "Limits the rules judge against.",
            vec![
                e(
                    "max_session_hours",
                    Some("12"),
                    "",
                    "longest session for permission sets and roles (IAM-4, IAM-5)",
                ),
                e(
                    "rotation_days",
                    Some("90"),
                    "",
                    "longest secret rotation interval (SEC-1)",
                ),
                e(
                    "log_retention_days",
                    Some("365"),
                    "",
                    "shortest retention of audit and flow log groups (RET-5)",
                ),
                e(
                    "object_lock_days",
                    Some("2190"),
                    "",
                    "shortest Object Lock retention of the trail bucket: six years (RET-2)",
                ),
                e(
                    "restore_test_days",
                    Some("92"),
                    "",
                    "longest interval between restore tests (BAK-4)",
                ),
                e(
                    "critical_sla_hours",
                    Some("48"),
                    "",
                    "patch SLA for critical vulnerabilities (CVE-2)",
                ),
                e(
                    "high_sla_days",
                    Some("14"),
                    "",
                    "patch SLA for high vulnerabilities (CVE-2)",
                ),
            ],
        ),
        (
            "accounts",
            "Existing accounts by role (12-digit ids). A role with no id here is created\n# by the organization template from its e-mail under [baseline.emails].",
            vec![
                e("management", None, "\"111111111111\"", ""),
                e("security", None, "\"222222222222\"", ""),
                e("logs", None, "\"333333333333\"", ""),
                e("prod", None, "[\"444444444444\"]", ""),
                e("staging", None, "[\"555555555555\"]", ""),
                e("dev", None, "[\"666666666666\"]", ""),
            ],
        ),
        (
            "identity",
            "Break-glass: IAM users allowed to exist, and principals the SCPs exempt.",
            vec![
                e("break_glass_users", Some("[]"), "", ""),
                e(
                    "break_glass_principals",
                    Some("[\"arn:aws:iam::*:role/BreakGlassAdmin\"]"),
                    "",
                    "role ARNs (globs) exempted from the guardrail SCPs",
                ),
            ],
        ),
        (
            "baseline",
            "What `phiguard generate` and `phiguard runbooks` need.",
            vec![
                Entry {
                    ask: Some("Organization name"),
                    ..e(
                        "organization",
                        None,
                        "\"Example Health\"",
                        "the organization's name (descriptions, resource names)",
                    )
                },
                Entry {
                    ask: Some(
                        "Organization id (aws organizations describe-organization --query Organization.Id)",
                    ),
                    ..e(
                        "organization_id",
                        None,
                        "\"o-a1b2c3d4e5\"",
                        "the organization's id: aws organizations describe-organization --query Organization.Id",
                    )
                },
                Entry {
                    ask: Some(
                        "Organization root id (aws organizations list-roots --query 'Roots[0].Id')",
                    ),
                    ..e(
                        "root_id",
                        None,
                        "\"r-a1b2\"",
                        "the root's id, where the SCPs attach: aws organizations list-roots --query 'Roots[0].Id'",
                    )
                },
                e(
                    "home_region",
                    None,
                    "\"us-east-1\"",
                    "where the baseline is deployed from (default: the first approved region)",
                ),
                e(
                    "session_hours",
                    Some("8"),
                    "",
                    "Identity Center session length, hours (at most limits.max_session_hours)",
                ),
                e(
                    "log_retention_years",
                    Some("6"),
                    "",
                    "Object Lock COMPLIANCE retention of the organization trail (six or more)",
                ),
                e(
                    "network_account",
                    None,
                    "\"777777777777\"",
                    "the shared-network account's id (transit gateway), if it exists",
                ),
                e(
                    "vpc_cidr",
                    Some("\"10.20.0.0/16\""),
                    "",
                    "the prod VPC's /16; staging and dev take the next ones",
                ),
            ],
        ),
        (
            "baseline.emails",
            "E-mail addresses of the accounts to create (roles with no id under [accounts]).",
            vec![
                Entry {
                    ask: Some(
                        "E-mail of the security account to create (empty: set accounts.security later)",
                    ),
                    ..e("security", None, "\"aws-security@example.com\"", "")
                },
                Entry {
                    ask: Some("E-mail of the logs account to create"),
                    ..e("logs", None, "\"aws-logs@example.com\"", "")
                },
                Entry {
                    ask: Some("E-mail of the shared-network account to create"),
                    ..e("network", None, "\"aws-network@example.com\"", "")
                },
                Entry {
                    ask: Some("E-mail of the prod account to create"),
                    ..e("prod", None, "\"aws-prod@example.com\"", "")
                },
                e("staging", None, "\"aws-staging@example.com\"", ""),
                e("dev", None, "\"aws-dev@example.com\"", ""),
            ],
        ),
        (
            "baseline.backup",
            "AWS Backup: a daily plan selecting the PHI tag, copied to another region.",
            vec![
                e(
                    "schedule",
                    Some("\"cron(0 5 * * ? *)\""),
                    "",
                    "AWS Backup schedule expression (UTC)",
                ),
                e(
                    "retention_days",
                    Some("35"),
                    "",
                    "days each recovery point (and its copy) is kept",
                ),
                e(
                    "copy_region",
                    Some("\"us-west-2\""),
                    "",
                    "another approved region (BAK-2)",
                ),
                e(
                    "copy_account",
                    None,
                    "\"888888888888\"",
                    "an account to copy to as well (its vault is made by the same template)",
                ),
            ],
        ),
        (
            "baseline.incident_response",
            "Printed in the runbooks.",
            vec![e(
                "escalation",
                None,
                "[\"On-call engineer\", \"Security officer\", \"Privacy officer\", \"CEO\"]",
                "who is called, in order",
            )],
        ),
        (
            "baseline.incident_response.privacy_officer",
            "",
            vec![
                Entry {
                    ask: Some("Privacy officer's name"),
                    ..e("name", None, "\"Dana Smith\"", "")
                },
                Entry {
                    ask: Some("Privacy officer's phone"),
                    ..e("phone", None, "\"+1 555 0100\"", "")
                },
                Entry {
                    ask: Some("Privacy officer's e-mail"),
                    ..e("email", None, "\"privacy@example.com\"", "")
                },
            ],
        ),
        (
            "baseline.incident_response.security_officer",
            "",
            vec![
                Entry {
                    ask: Some("Security officer's name"),
                    ..e("name", None, "\"Lee Jones\"", "")
                },
                Entry {
                    ask: Some("Security officer's phone"),
                    ..e("phone", None, "\"+1 555 0101\"", "")
                },
                Entry {
                    ask: Some("Security officer's e-mail"),
                    ..e("email", None, "\"security@example.com\"", "")
                },
            ],
        ),
        (
            "baseline.runbooks",
            "The runbooks' attestation, judged by IR-1: where `phiguard runbooks` output is\n# kept (outside AWS), the date it was last reviewed, the scenarios it covers.",
            vec![
                e(
                    "location",
                    None,
                    "\"https://wiki.example.com/security/runbooks\"",
                    "a URL or path outside AWS",
                ),
                e(
                    "reviewed",
                    None,
                    "\"2026-01-15\"",
                    "YYYY-MM-DD of the last review (IR-1 wants one within 365 days)",
                ),
                e(
                    "scenarios",
                    None,
                    SCENARIO_EXAMPLE,
                    "the scenarios your kept runbooks cover",
                ),
            ],
        ),
    ]
}

const SCENARIO_EXAMPLE: &str = "[\"ec2-isolation\", \"credential-rotation\", \"database-failover\", \"incident-declaration\", \"restore-drill\"]";

/// A flag's value as a TOML value: itself when it parses as one, else a string.
fn as_toml_value(v: &str) -> String {
    let probe = format!("x = {v}");
    if toml::from_str::<toml::Table>(&probe).is_ok() {
        v.to_string()
    } else {
        toml::Value::String(v.to_string()).to_string()
    }
}

/// The file's text: every key, with `values` (full dotted key → TOML value).
pub fn render(values: &std::collections::BTreeMap<String, String>) -> String {
    let mut s = String::from(
        "# phiguard.toml: the HIPAA baseline's configuration.\n\
         # `phiguard generate --out DIR` writes the CloudFormation baseline from it,\n\
         # `phiguard runbooks --out DIR` the incident-response runbooks, and\n\
         # `phiguard check` / `phiguard audit` judge against it. Commented keys are unset.\n",
    );
    for (name, comment, entries) in sections() {
        s.push('\n');
        if !comment.is_empty() {
            s += &format!("# {comment}\n");
        }
        s += &format!("[{name}]\n");
        for en in entries {
            if !en.comment.is_empty() {
                s += &format!("# {}\n", en.comment);
            }
            let full = format!("{name}.{}", en.key);
            match values.get(&full).map(String::as_str).or(en.default) {
                Some(v) => s += &format!("{} = {v}\n", en.key),
                None => s += &format!("# {} = {}\n", en.key, en.example),
            }
        }
    }
    let _ = SCENARIOS;
    s
}

/// Every key, and whether its value is a string.
fn known_keys() -> Vec<(String, bool)> {
    sections()
        .into_iter()
        .flat_map(|(n, _, es)| {
            es.into_iter().map(move |e| {
                let sample = e.default.unwrap_or(e.example);
                (format!("{n}.{}", e.key), sample.starts_with('"'))
            })
        })
        .collect()
}

pub fn run(a: InitArgs) -> Result<u8, String> {
    if a.output.exists() {
        eprintln!(
            "phiguard: {} exists; init never overwrites it (edit it, or pass --output)",
            a.output.display()
        );
        return Ok(2);
    }
    let keys = known_keys();
    let mut values = std::collections::BTreeMap::new();
    if let Some(o) = &a.organization {
        values.insert("baseline.organization".to_string(), as_toml_value_str(o));
    }
    for kv in &a.set {
        let Some((k, v)) = kv.split_once('=') else {
            eprintln!("phiguard: --set {kv:?}: expected KEY=VALUE");
            return Ok(2);
        };
        let k = k.trim();
        let Some((_, is_string)) = keys.iter().find(|(x, _)| x == k) else {
            let names: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
            eprintln!(
                "phiguard: --set: no key {k:?}; the keys are:\n  {}",
                names.join("\n  ")
            );
            return Ok(2);
        };
        let v = v.trim();
        let value = if *is_string && !v.starts_with('"') && !v.starts_with('\'') {
            as_toml_value_str(v)
        } else {
            as_toml_value(v)
        };
        values.insert(k.to_string(), value);
    }
    if !a.no_input && std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        let stdin = std::io::stdin();
        let mut lines = stdin.lock().lines();
        for (name, _, entries) in sections() {
            for en in entries {
                let full = format!("{name}.{}", en.key);
                let Some(q) = en.ask else { continue };
                if values.contains_key(&full) {
                    continue;
                }
                eprint!("{q} (e.g. {}; empty to leave unset): ", en.example);
                let _ = std::io::stderr().flush();
                let Some(Ok(line)) = lines.next() else { break };
                let line = line.trim();
                if !line.is_empty() {
                    values.insert(full, as_toml_value_str(line));
                }
            }
        }
    }
    let text = render(&values);
    if let Err(e) = Config::from_toml(&text) {
        eprintln!("phiguard: the values given do not make a valid configuration:\n{e}");
        return Ok(2);
    }
    let cfg = Config::from_toml(&text).expect("checked");
    let missing = cfg.generation_errors();
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&a.output)
    {
        Ok(f) => f,
        Err(e) => return Err(format!("{}: {e}", a.output.display())),
    };
    f.write_all(text.as_bytes())
        .map_err(|e| format!("{}: {e}", a.output.display()))?;
    eprintln!("phiguard: wrote {}", a.output.display());
    if !missing.is_empty() {
        eprintln!(
            "phiguard: before `phiguard generate`, set:\n{}",
            render_errors(&text, &missing)
        );
    }
    Ok(0)
}

/// A typed answer is always a string.
fn as_toml_value_str(v: &str) -> String {
    toml::Value::String(v.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_file_parses_and_has_every_key_commented_or_set() {
        let text = render(&Default::default());
        let cfg = Config::from_toml(&text).unwrap();
        assert_eq!(cfg.baseline.log_retention_years, 6);
        assert!(text.contains("# organization = \"Example Health\""));
        assert!(!cfg.generation_errors().is_empty());
    }

    #[test]
    fn flag_values_are_toml_or_strings() {
        assert_eq!(as_toml_value("[\"a\"]"), "[\"a\"]");
        assert_eq!(as_toml_value("12"), "12");
        assert_eq!(as_toml_value("Example Health"), "\"Example Health\"");
    }
}
