use crate::{Cx, declare_rule};
use phiguard_model::Val;

declare_rule! {
    /// ### What it checks
    /// Every AWS Config configuration recorder records all supported resource
    /// types, is recording, and has a delivery channel in its account and
    /// region. With no recorder at all, the estate fails when it is complete
    /// (`--complete`, or live).
    ///
    /// ### Why
    /// The configuration history of every resource is how changes to the
    /// systems that hold PHI are reconstructed after the fact; a recorder that
    /// skips types, or has nowhere to deliver, loses that history.
    ///
    /// ### Sources
    /// - Live: `config:DescribeConfigurationRecorders`, `DescribeConfigurationRecorderStatus`,
    ///   `DescribeDeliveryChannels`.
    /// - Terraform: `aws_config_configuration_recorder`, `aws_config_configuration_recorder_status`,
    ///   `aws_config_delivery_channel`.
    /// - CloudFormation: `AWS::Config::ConfigurationRecorder.RecordingGroup` (none
    ///   records all supported types; inside one, `AllSupported` defaults to
    ///   `false`) and `AWS::Config::DeliveryChannel`. CloudFormation starts a
    ///   recorder once a delivery channel of its account and region exists.
    pub static RULE = {
        id: "MON-4",
        control: Monitoring,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Config],
        scope: Estate,
        title: "AWS Config records all resource types with a delivery channel",
        remediation: "Create a configuration recorder with RecordingGroup AllSupported: true (and IncludeGlobalResourceTypes: true in one region) and a delivery channel in every account and approved region.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    if cx.inv.config_recorders.is_empty() {
        cx.absent("no AWS Config configuration recorder is in the estate");
        return;
    }
    for r in &cx.inv.config_recorders {
        let has_channel = cx
            .inv
            .delivery_channels
            .iter()
            .any(|c| cx.inv.same_place(c.rid, r.rid));
        if !has_channel {
            let msg = "no delivery channel is in the recorder's account and region";
            if cx.complete {
                cx.fail(r.rid, msg);
            } else {
                cx.unknown(
                    r.rid,
                    format!("{msg} in these templates (judge with --complete if they are the whole baseline)"),
                );
            }
            continue;
        }
        match (&r.all_supported, &r.recording) {
            (Val::Known(false), _) => cx.fail(
                r.rid,
                "the recorder does not record all supported resource types",
            ),
            (_, Val::Known(false)) => cx.fail(r.rid, "the recorder is not recording"),
            (Val::Unknown(x), _) | (_, Val::Unknown(x)) => cx.unknown(r.rid, x.clone()),
            (Val::Known(true), Val::Known(true)) => cx.pass(
                r.rid,
                "the recorder records all supported resource types and has a delivery channel",
            ),
        }
    }
}
