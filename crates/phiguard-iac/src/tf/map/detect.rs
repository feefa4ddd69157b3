//! Detection services: `aws_guardduty_detector`, `aws_securityhub_account`
//! (joined with the `aws_securityhub_standards_subscription` of its plan),
//! `aws_macie2_account`, `aws_config_configuration_recorder` (joined with
//! its `aws_config_configuration_recorder_status`),
//! `aws_config_delivery_channel` and `aws_inspector2_enabler`.

use super::{block, link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::R;
use crate::joins::detect::default_standards;
use phiguard_model::{
    ConfigRecorder, DeliveryChannel, GuardDuty, Inspector, Link, Macie, SecurityHub, Val,
};

pub static DOMAIN: Domain = Domain {
    types: &[
        "aws_guardduty_detector",
        "aws_securityhub_account",
        "aws_macie2_account",
        "aws_config_configuration_recorder",
        "aws_config_delivery_channel",
        "aws_inspector2_enabler",
    ],
    map,
    finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    match r.ty.as_str() {
        "aws_guardduty_detector" => {
            // enable defaults to true.
            let enabled = if omitted(p.get("enable"), r.rid, "enable") {
                Val::Known(true)
            } else {
                p.get("enable").bool_or(true)?
            };
            m.inv.guardduty.push(GuardDuty {
                rid: r.rid,
                enabled,
                org_auto_enable: Val::unknown(
                    "organization auto-enable is set by the delegated administrator, not by a detector",
                ),
                admin_account: Val::unknown(
                    "the delegated administrator is known only from the live organization",
                ),
            });
        }
        "aws_securityhub_account" => {
            // enable_default_standards defaults to true: the CIS AWS Foundations
            // Benchmark v1.2.0 and AWS Foundational Security Best Practices.
            let region = m
                .before()
                .unit(r.rid)
                .and_then(|u| u.region.known().cloned())
                .unwrap_or_default();
            let defaults = if omitted(
                p.get("enable_default_standards"),
                r.rid,
                "enable_default_standards",
            ) {
                Val::Known(true)
            } else {
                p.get("enable_default_standards").bool_or(true)?
            };
            let standards = defaults.map(|on| default_standards(on, &region));
            m.inv.security_hubs.push(SecurityHub {
                rid: r.rid,
                enabled: Val::Known(true),
                standards,
            });
        }
        "aws_macie2_account" => {
            // status defaults to ENABLED (computed when left out).
            let enabled = if omitted(p.get("status"), r.rid, "status") {
                Val::Known(true)
            } else {
                p.get("status").str_or("ENABLED")?.map(|s| s == "ENABLED")
            };
            m.inv.macie.push(Macie {
                rid: r.rid,
                enabled,
            });
        }
        "aws_config_configuration_recorder" => {
            // Without recording_group, Config records every supported regional
            // resource type; in the block, all_supported defaults to true and
            // include_global_resource_types to false.
            let (all_supported, include_global) =
                if omitted(p.get("recording_group"), r.rid, "recording_group") {
                    (Val::Known(true), Val::Known(false))
                } else {
                    match block(p, "recording_group")? {
                        Val::Known(Some(g)) => (
                            g.get("all_supported").bool_or(true)?,
                            g.get("include_global_resource_types").bool_or(false)?,
                        ),
                        Val::Known(None) => (Val::Known(true), Val::Known(false)),
                        Val::Unknown(why) => (Val::Unknown(why.clone()), Val::Unknown(why)),
                    }
                };
            m.inv.config_recorders.push(ConfigRecorder {
                rid: r.rid,
                all_supported,
                include_global,
                // A recorder starts only with an
                // aws_config_configuration_recorder_status that enables it.
                recording: Val::Known(false),
            });
        }
        "aws_config_delivery_channel" => {
            m.inv.delivery_channels.push(DeliveryChannel { rid: r.rid })
        }
        _ => {
            let types = p.get("resource_types").strings()?;
            m.inv.inspectors.push(Inspector {
                rid: r.rid,
                ec2: types.clone().map(|t| t.iter().any(|x| x == "EC2")),
                ecr: types.map(|t| t.iter().any(|x| x == "ECR")),
            });
        }
    }
    Ok(())
}

fn finish(m: &mut Mapper) {
    let est = m.est;
    // A standards subscription belongs to the hub of its plan.
    for s in est.of_type("aws_securityhub_standards_subscription") {
        let arn = match est.props(s).get("standards_arn").str_opt() {
            Ok(Val::Known(Some(a))) => Val::Known(a),
            Ok(Val::Known(None)) => {
                if let Err(e) = est.props(s).get("standards_arn").error::<()>("is required") {
                    m.error(s, e);
                }
                continue;
            }
            Ok(Val::Unknown(why)) => Val::Unknown(why),
            Err(e) => {
                m.error(s, e);
                continue;
            }
        };
        crate::joins::detect::add_standard(m.inv, s.rid, &arn);
    }
    // A recorder status joins the recorder its name references, or else the
    // recorder with that known name; one naming a recorder known only after
    // apply makes the recorders without their own status unknown.
    let mut unresolved: Option<String> = None;
    let mut has = vec![false; m.inv.config_recorders.len()];
    for s in est.of_type("aws_config_configuration_recorder_status") {
        let p = est.props(s);
        let target = match link_to(p, "name", s.rid, &["aws_config_configuration_recorder"]) {
            Val::Known(Link::Resource(rid)) => {
                phiguard_model::position_by_rid(&m.inv.config_recorders, rid, |x| x.rid)
            }
            Val::Known(Link::External(name)) => m.inv.config_recorders.iter().position(|c| {
                est.get(c.rid).is_some_and(|r| {
                    // The recorder's name defaults to "default".
                    let n = est.props(r).get("name").text();
                    n.as_deref().unwrap_or("default") == name
                })
            }),
            Val::Unknown(why) => {
                unresolved.get_or_insert(format!(
                    "{} names a recorder known only after apply ({why})",
                    s.logical_id
                ));
                None
            }
        };
        let Some(i) = target else { continue };
        let on = match p.get("is_enabled").bool_or(false) {
            Ok(v) => v,
            Err(e) => {
                m.error(s, e);
                continue;
            }
        };
        has[i] = true;
        m.inv.config_recorders[i].recording = on;
    }
    if let Some(why) = unresolved {
        for (c, h) in m.inv.config_recorders.iter_mut().zip(has) {
            if !h {
                c.recording = Val::Unknown(why.clone());
            }
        }
    }
}
