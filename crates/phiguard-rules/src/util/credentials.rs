//! Telling credential-looking names and values apart in code.

/// Does the text contain an AWS access key id (`AKIA`/`ASIA` and 16 upper-case
/// letters or digits)?
pub fn has_access_key_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(20).enumerate().any(|(i, w)| {
        (w.starts_with(b"AKIA") || w.starts_with(b"ASIA"))
            && w[4..]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            // Not part of a longer token.
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            && b.get(i + 20).is_none_or(|c| !c.is_ascii_alphanumeric())
    })
}

/// Name parts that say "this names a credential, it is not one"
/// (`DB_SECRET_ARN`, `TokenUrl`).
const POINTERS: &[&str] = &[
    "ARN",
    "NAME",
    "ID",
    "PATH",
    "PARAM",
    "PARAMETER",
    "URL",
    "URI",
    "FILE",
    "REF",
    "KEYID",
    "LENGTH",
    "TTL",
    "HEADER",
    "ENDPOINT",
];

/// Does a name (parameter or variable) say it holds a credential? Matches
/// password, secret, token, API key, private key, credentials, in any case
/// and separator style; a name ending in a pointer word (`ARN`, `NAME`, `ID`,
/// `URL`, ...) names where a credential lives and does not count.
pub fn secret_name(name: &str) -> bool {
    let words = words(name);
    let joined: String = words.concat();
    // `TOKEN` only as (the end of) a word: `AUTH_TOKEN`, `githubtoken`, not `MAX_TOKENS`.
    let hit = [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "APIKEY",
        "PRIVATEKEY",
        "CREDENTIAL",
    ]
    .iter()
    .any(|w| joined.contains(w))
        || words.iter().any(|w| w.ends_with("TOKEN"));
    hit && !words.last().is_some_and(|w| POINTERS.contains(&w.as_str()))
}

/// The upper-case words of a name: `DbPassword` → `DB PASSWORD`, `api_key` → `API KEY`.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let boundary = c.is_ascii_uppercase()
            && i > 0
            && (chars[i - 1].is_ascii_lowercase()
                || chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase())
                    && chars[i - 1].is_ascii_uppercase());
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A value that points at a credential instead of holding one: a dynamic
/// reference or an ARN.
pub fn is_reference(value: &str) -> bool {
    value.contains("{{resolve:") || value.starts_with("arn:")
}

/// A value too plain to be a credential: a boolean flag.
pub fn is_flag(value: &str) -> bool {
    ["true", "false", "yes", "no", "on", "off"]
        .iter()
        .any(|f| value.trim().eq_ignore_ascii_case(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(secret_name("DbPassword"));
        assert!(secret_name("API_KEY"));
        assert!(secret_name("apiKey"));
        assert!(secret_name("GITHUB_TOKEN"));
        assert!(secret_name("ClientSecret"));
        assert!(!secret_name("DB_SECRET_ARN"));
        assert!(!secret_name("DbSecretName"));
        assert!(!secret_name("TABLE_NAME"));
        assert!(!secret_name("KeyName"));
        assert!(!secret_name("MAX_TOKENS"));
        assert!(secret_name("githubtoken"));
    }

    #[test]
    fn key_ids() {
        assert!(has_access_key_id("AKIAIOSFODNN7EXAMPLE"));
        assert!(has_access_key_id("id=ASIAIOSFODNN7EXAMPLE;"));
        assert!(!has_access_key_id("AKIAIOSFODNN7EXAMPLEX"));
        assert!(!has_access_key_id("AKIAshort"));
    }
}
