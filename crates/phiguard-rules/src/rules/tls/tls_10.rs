use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every Redshift provisioned cluster's parameter group sets
    /// `require_ssl` to `true`, so the cluster refuses connections without
    /// TLS. A cluster left on the default parameter group, or on a group that
    /// does not set `require_ssl`, fails in code: the template does not make
    /// the guarantee, and the default group cannot be changed. The live audit
    /// reads the value the cluster's group actually holds. Every cluster is
    /// judged, whatever its tags. Redshift Serverless workgroups are not
    /// judged here.
    ///
    /// ### Why
    /// SQL clients send queries and receive result sets full of PHI. Unless
    /// the cluster requires SSL, a client that does not ask for it (or an
    /// attacker who strips it) gets a plaintext connection.
    ///
    /// ### Sources
    /// - Live: `redshift:DescribeClusters` (`ClusterParameterGroups`,
    ///   `PubliclyAccessible`) and `redshift:DescribeClusterParameters` of
    ///   each group (`require_ssl`).
    /// - Terraform: `aws_redshift_cluster.cluster_parameter_group_name`, joined to
    ///   its `aws_redshift_parameter_group` (`parameter` blocks).
    /// - CloudFormation: `AWS::Redshift::Cluster.ClusterParameterGroupName`, joined
    ///   to its `AWS::Redshift::ClusterParameterGroup` (`Parameters`).
    ///
    /// ### Defaults assumed
    /// - A cluster without a parameter group gets the default group, and a
    ///   group that does not set `require_ssl` takes the family default: "By
    ///   default, cluster databases accept a connection whether it uses SSL or
    ///   not. To configure your cluster to require an SSL connection, set the
    ///   require_SSL parameter to true in the parameter group that is
    ///   associated with the cluster" (Redshift Management Guide,
    ///   "Configuring security options for connections":
    ///   <https://docs.aws.amazon.com/redshift/latest/mgmt/connecting-ssl-support.html>).
    ///   Both fail in code. Whatever AWS's defaults become, the default group
    ///   cannot be modified, so only a group of the estate's own makes the
    ///   requirement explicit.
    /// - A group named by a string that is not in the code (and not a
    ///   `default.*` group) is unknown.
    /// - A live group whose `require_ssl` is `true` but not yet applied
    ///   (`pending-reboot`) is unknown until the cluster reboots.
    pub static RULE = {
        id: "TLS-10",
        control: InTransitEncryption,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Warehouses],
        scope: Resource,
        title: "Redshift clusters require TLS",
        remediation: "Associate the cluster with its own parameter group (AWS::Redshift::ClusterParameterGroup or aws_redshift_parameter_group) that sets require_ssl to true, then reboot the cluster; the default parameter group cannot be changed.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for w in cx.inv.warehouses.iter().filter(|w| !w.serverless) {
        // A default group: none named (code), or a `default.*` one.
        let default = match &w.parameter_group {
            Val::Known(None) => Some(String::new()),
            Val::Known(Some(n)) if n.starts_with("default.") => Some(format!(" {n}")),
            _ => None,
        };
        let group = match &w.parameter_group {
            Val::Known(Some(n)) => format!("parameter group {n}"),
            Val::Known(None) => "the default parameter group".to_string(),
            Val::Unknown(_) => "its parameter group".to_string(),
        };
        let public = if matches!(w.publicly_accessible, Val::Known(true)) {
            ", and the cluster is publicly accessible"
        } else {
            ""
        };
        match (&w.require_ssl, default) {
            (Val::Unknown(r), _) => cx.unknown(w.rid, r.clone()),
            (Val::Known(true), _) => cx.pass(
                w.rid,
                format!("the cluster uses {group}, which sets require_ssl to true"),
            ),
            (Val::Known(false), Some(n)) => cx.fail(
                w.rid,
                format!(
                    "the cluster uses the default parameter group{n}, whose require_ssl is false: it accepts connections without TLS, and a default group cannot be changed{public}"
                ),
            ),
            (Val::Known(false), None) => cx.fail(
                w.rid,
                format!(
                    "the cluster uses {group}, whose require_ssl is false: it accepts connections without TLS{public}"
                ),
            ),
        }
    }
}
