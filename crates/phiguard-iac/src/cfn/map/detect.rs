//! Detection services: `AWS::GuardDuty::Detector`, `AWS::SecurityHub::Hub`
//! (joined with `AWS::SecurityHub::Standard`), `AWS::Macie::Session`,
//! `AWS::Config::ConfigurationRecorder` and `AWS::Config::DeliveryChannel`.

use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use crate::joins::detect::default_standards;
use phiguard_model::{ConfigRecorder, DeliveryChannel, GuardDuty, Macie, Rid, SecurityHub, Val};

pub static DOMAIN: Domain = Domain {
    types: &[
        "AWS::GuardDuty::Detector",
        "AWS::SecurityHub::Hub",
        "AWS::Macie::Session",
        "AWS::Config::ConfigurationRecorder",
        "AWS::Config::DeliveryChannel",
    ],
    map,
    finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    match r.ty.as_str() {
        "AWS::GuardDuty::Detector" => {
            if p.get("Enable").is_absent() {
                return p.get("Enable").error("is required");
            }
            let enabled = p.get("Enable").bool_or(false)?;
            m.inv.guardduty.push(GuardDuty {
                rid: r.rid,
                enabled,
                org_auto_enable: Val::unknown(
                    "organization auto-enable is set by the delegated administrator, not by a detector template",
                ),
                admin_account: Val::unknown(
                    "the delegated administrator is known only from the live organization",
                ),
            });
        }
        "AWS::SecurityHub::Hub" => {
            let standards = p
                .get("EnableDefaultStandards")
                .bool_or(true)?
                .map(|on| default_standards(on, "${AWS::Region}"));
            m.inv.security_hubs.push(SecurityHub {
                rid: r.rid,
                enabled: Val::Known(true),
                standards,
            });
        }
        "AWS::Macie::Session" => {
            let enabled = p.get("Status").str_or("ENABLED")?.map(|s| s == "ENABLED");
            m.inv.macie.push(Macie {
                rid: r.rid,
                enabled,
            });
        }
        "AWS::Config::ConfigurationRecorder" => {
            let g = p.get("RecordingGroup");
            // Without a RecordingGroup, Config records every supported
            // resource type (not the global ones); inside one, both flags
            // default to false.
            let (all_supported, include_global) = if g.is_absent() {
                (Val::Known(true), Val::Known(false))
            } else {
                (
                    g.get("AllSupported").bool_or(false)?,
                    g.get("IncludeGlobalResourceTypes").bool_or(false)?,
                )
            };
            m.inv.config_recorders.push(ConfigRecorder {
                rid: r.rid,
                all_supported,
                include_global,
                recording: Val::unknown("joined with the delivery channels"),
            });
        }
        _ => m.inv.delivery_channels.push(DeliveryChannel { rid: r.rid }),
    }
    Ok(())
}

fn finish(m: &mut Mapper) {
    // A standard belongs to the hub of its account and region.
    for s in m.est.of_type("AWS::SecurityHub::Standard") {
        let arn = m.est.props(s).get("StandardsArn");
        let arn = match arn.str_opt() {
            Ok(Val::Known(Some(a))) => Val::Known(a),
            Ok(Val::Known(None)) => {
                if let Err(e) = arn.error::<()>("is required") {
                    m.error(s, e);
                }
                continue;
            }
            Ok(Val::Unknown(_)) => match arn.text() {
                Some(t) => Val::Known(t),
                None => Val::unknown("a standard's ARN is known only at deploy time"),
            },
            Err(e) => {
                m.error(s, e);
                continue;
            }
        };
        crate::joins::detect::add_standard(m.inv, s.rid, &arn);
    }
    // CloudFormation starts a recorder once a delivery channel exists in its
    // account and region; without one it does not record.
    let channels: Vec<Rid> = m.inv.delivery_channels.iter().map(|c| c.rid).collect();
    for i in 0..m.inv.config_recorders.len() {
        let rid = m.inv.config_recorders[i].rid;
        let has_channel = channels.iter().any(|c| m.inv.same_place(*c, rid));
        m.inv.config_recorders[i].recording = if has_channel {
            Val::Known(true)
        } else {
            Val::unknown(
                "CloudFormation starts the recorder only once a delivery channel exists in its account and region, and none is in the estate",
            )
        };
    }
}
