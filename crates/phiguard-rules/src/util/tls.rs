//! TLS versions of the security policies AWS offers.

/// A minimum TLS version, comparable: `(1, 2)` is TLS 1.2.
pub type TlsVersion = (u8, u8);

/// Elastic Load Balancing predefined security policies (Application and
/// Network Load Balancers) and the oldest TLS version each accepts, as the
/// data file `data/elb-security-policies.txt` lists them (one `NAME MIN-TLS`
/// per line; update it there). A policy not in it is not judged (unknown),
/// never passed.
pub const ELB_POLICY_TABLE: &str = include_str!("../../data/elb-security-policies.txt");

/// The table, read once.
pub fn elb_policies() -> &'static [(String, TlsVersion)] {
    static TABLE: std::sync::OnceLock<Vec<(String, TlsVersion)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        parse_policy_table(ELB_POLICY_TABLE).expect("the bundled ELB policy table is well formed")
    })
}

/// Reads `NAME MAJOR.MINOR` lines (`#` comments and blank lines skipped).
pub fn parse_policy_table(text: &str) -> Result<Vec<(String, TlsVersion)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(name), Some(v), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!(
                "line {}: expected NAME MIN-TLS, found {line:?}",
                i + 1
            ));
        };
        let version = v
            .split_once('.')
            .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
            .ok_or_else(|| format!("line {}: {v:?} is not a TLS version like 1.2", i + 1))?;
        out.push((name.to_string(), version));
    }
    Ok(out)
}

/// The oldest TLS version an ELB security policy accepts, if the policy is known.
pub fn elb_min_tls(policy: &str) -> Option<TlsVersion> {
    elb_policies()
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(policy))
        .map(|(_, v)| *v)
}

/// The oldest TLS version an API Gateway custom domain security policy
/// accepts: `TLS_1_0`, `TLS_1_2`, and the `SecurityPolicy_TLS13_1_3_*`,
/// `SecurityPolicy_TLS13_1_2_*`, `SecurityPolicy_TLS12_*` and
/// `SecurityPolicy_TLS13_*_EDGE` families.
pub fn api_gateway_min_tls(policy: &str) -> Option<TlsVersion> {
    let p = policy.to_ascii_uppercase();
    if p == "TLS_1_0" {
        Some((1, 0))
    } else if p == "TLS_1_2" {
        Some((1, 2))
    } else if p.starts_with("SECURITYPOLICY_TLS13_1_3_") {
        Some((1, 3))
    } else if p.starts_with("SECURITYPOLICY_TLS13_1_2_") || p.starts_with("SECURITYPOLICY_TLS12_") {
        Some((1, 2))
    } else if p.starts_with("SECURITYPOLICY_TLS13_") && p.ends_with("_EDGE") {
        Some((1, 3))
    } else {
        None
    }
}

/// `1.2` for messages.
pub fn show(v: TlsVersion) -> String {
    format!("TLS {}.{}", v.0, v.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_table_agrees_with_the_names() {
        // Each TLS13 policy names its minimum (`TLS13-1-2-...` is TLS 1.2).
        let table = elb_policies();
        assert!(table.len() >= 40);
        for (name, v) in table {
            if let Some(rest) = name.strip_prefix("ELBSecurityPolicy-TLS13-") {
                let named = (rest.as_bytes()[0] - b'0', rest.as_bytes()[2] - b'0');
                assert_eq!(named, *v, "{name}");
            }
        }
        let mut names: Vec<&str> = table.iter().map(|(n, _)| n.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), table.len(), "a policy is listed twice");
        assert!(parse_policy_table("X 1").is_err());
        assert!(parse_policy_table("X 1.2 extra").is_err());
    }

    #[test]
    fn policies() {
        assert_eq!(elb_min_tls("ELBSecurityPolicy-2016-08"), Some((1, 0)));
        assert_eq!(
            elb_min_tls("ELBSecurityPolicy-TLS13-1-2-2021-06"),
            Some((1, 2))
        );
        assert_eq!(elb_min_tls("ELBSecurityPolicy-Made-Up"), None);
        assert_eq!(
            elb_min_tls("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"),
            Some((1, 2))
        );
        assert_eq!(
            elb_min_tls("ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09"),
            Some((1, 3))
        );
        assert_eq!(
            elb_min_tls("ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP4-FIPS-2023-07"),
            Some((1, 2))
        );
        assert_eq!(api_gateway_min_tls("TLS_1_0"), Some((1, 0)));
        assert_eq!(
            api_gateway_min_tls("SecurityPolicy_TLS13_1_2_2021_06"),
            Some((1, 2))
        );
        assert_eq!(
            api_gateway_min_tls("SecurityPolicy_TLS13_2025_EDGE"),
            Some((1, 3))
        );
        assert_eq!(api_gateway_min_tls("Bogus"), None);
    }
}
