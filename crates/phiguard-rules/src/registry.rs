//! The ordered catalogue. A new rule is one file and one line here, in
//! control order.

use crate::Rule;
#[allow(unused_imports)]
use crate::rules::*;

pub static RULES: &[&Rule] = &[
    // 1. BAA
    &baa::baa_1::RULE,
    &baa::baa_2::RULE,
    // 2. Account structure
    &org::org_1::RULE,
    &org::org_2::RULE,
    &org::org_3::RULE,
    &org::org_4::RULE,
    // 3. Guardrails (SCPs)
    &scp::scp_1::RULE,
    &scp::scp_2::RULE,
    &scp::scp_3::RULE,
    &scp::scp_4::RULE,
    &scp::scp_5::RULE,
    // 4. At-rest encryption
    &enc::enc_1::RULE,
    &enc::enc_2::RULE,
    &enc::enc_3::RULE,
    &enc::enc_4::RULE,
    &enc::enc_5::RULE,
    &enc::enc_6::RULE,
    &enc::enc_7::RULE,
    &enc::enc_8::RULE,
    &enc::enc_9::RULE,
    &enc::enc_10::RULE,
    &enc::enc_11::RULE,
    &enc::enc_12::RULE,
    &enc::enc_13::RULE,
    &enc::enc_14::RULE,
    &enc::enc_15::RULE,
    &enc::enc_16::RULE,
    // 5. In-transit encryption
    &tls::tls_1::RULE,
    &tls::tls_2::RULE,
    &tls::tls_3::RULE,
    &tls::tls_4::RULE,
    &tls::tls_5::RULE,
    &tls::tls_6::RULE,
    &tls::tls_7::RULE,
    &tls::tls_8::RULE,
    &tls::tls_9::RULE,
    &tls::tls_10::RULE,
    // 6. Network isolation
    &net::net_1::RULE,
    &net::net_2::RULE,
    &net::net_3::RULE,
    &net::net_4::RULE,
    &net::net_5::RULE,
    &net::net_6::RULE,
    &net::net_7::RULE,
    &net::net_8::RULE,
    &net::net_9::RULE,
    &net::net_10::RULE,
    &net::net_11::RULE,
    // 7. Access keys and human identity
    &iam::iam_1::RULE,
    &iam::iam_2::RULE,
    &iam::iam_3::RULE,
    &iam::iam_4::RULE,
    &iam::iam_5::RULE,
    // 8. Workload access
    &eks::eks_1::RULE,
    &eks::eks_2::RULE,
    &eks::eks_3::RULE,
    &eks::eks_4::RULE,
    // 9. Secret management
    &sec::sec_1::RULE,
    &sec::sec_2::RULE,
    &sec::sec_3::RULE,
    &sec::sec_4::RULE,
    &sec::sec_5::RULE,
    // 10. Audit trails
    &log::log_1::RULE,
    &log::log_2::RULE,
    &log::log_3::RULE,
    &log::log_4::RULE,
    &log::log_5::RULE,
    // 11. Network visibility
    &flow::flow_1::RULE,
    &flow::flow_2::RULE,
    &flow::flow_3::RULE,
    // 12. Retention and integrity
    &ret::ret_1::RULE,
    &ret::ret_2::RULE,
    &ret::ret_3::RULE,
    &ret::ret_4::RULE,
    &ret::ret_5::RULE,
    // 13. Continuous monitoring
    &mon::mon_1::RULE,
    &mon::mon_2::RULE,
    &mon::mon_3::RULE,
    &mon::mon_4::RULE,
    &mon::mon_5::RULE,
    // 14. Vulnerability management
    &cve::cve_1::RULE,
    &cve::cve_2::RULE,
    // 15. Disaster recovery
    &bak::bak_1::RULE,
    &bak::bak_2::RULE,
    &bak::bak_3::RULE,
    &bak::bak_4::RULE,
    &bak::bak_5::RULE,
    &bak::bak_6::RULE,
    &bak::bak_7::RULE,
    // 16. Incident response
    &ir::ir_1::RULE,
    &ir::ir_2::RULE,
];

/// A rule by id, case-insensitive.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Position in the catalogue, for ordering findings.
pub fn position(id: &str) -> usize {
    RULES.iter().position(|r| r.id == id).unwrap_or(usize::MAX)
}
