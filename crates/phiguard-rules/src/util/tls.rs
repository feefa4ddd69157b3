//! TLS versions of the security policies AWS offers.

/// A minimum TLS version, comparable: `(1, 2)` is TLS 1.2.
pub type TlsVersion = (u8, u8);

/// Elastic Load Balancing predefined security policies (Application and
/// Network Load Balancers) and the oldest TLS version each accepts. A policy
/// not in this table is not judged (unknown), never passed.
pub const ELB_POLICIES: &[(&str, TlsVersion)] = &[
    ("ELBSecurityPolicy-TLS13-1-3-2021-06", (1, 3)),
    ("ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", (1, 3)),
    ("ELBSecurityPolicy-TLS13-1-2-2021-06", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-Res-2021-06", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04", (1, 2)),
    ("ELBSecurityPolicy-TLS13-1-1-2021-06", (1, 1)),
    ("ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", (1, 1)),
    ("ELBSecurityPolicy-TLS13-1-0-2021-06", (1, 0)),
    ("ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04", (1, 0)),
    ("ELBSecurityPolicy-FS-1-2-Res-2020-10", (1, 2)),
    ("ELBSecurityPolicy-FS-1-2-Res-2019-08", (1, 2)),
    ("ELBSecurityPolicy-FS-1-2-2019-08", (1, 2)),
    ("ELBSecurityPolicy-FS-1-1-2019-08", (1, 1)),
    ("ELBSecurityPolicy-FS-2018-06", (1, 0)),
    ("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", (1, 2)),
    ("ELBSecurityPolicy-TLS-1-2-2017-01", (1, 2)),
    ("ELBSecurityPolicy-TLS-1-1-2017-01", (1, 1)),
    ("ELBSecurityPolicy-2016-08", (1, 0)),
    ("ELBSecurityPolicy-2015-05", (1, 0)),
];

/// The oldest TLS version an ELB security policy accepts, if the policy is known.
pub fn elb_min_tls(policy: &str) -> Option<TlsVersion> {
    ELB_POLICIES
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
    fn policies() {
        assert_eq!(elb_min_tls("ELBSecurityPolicy-2016-08"), Some((1, 0)));
        assert_eq!(
            elb_min_tls("ELBSecurityPolicy-TLS13-1-2-2021-06"),
            Some((1, 2))
        );
        assert_eq!(elb_min_tls("ELBSecurityPolicy-Made-Up"), None);
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
