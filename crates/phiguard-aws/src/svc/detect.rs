//! GuardDuty, Security Hub, Macie, AWS Config, Inspector (status and open
//! findings) and ECR scanning: one record per account and region, even when
//! the service is off.

use crate::errors::ce;
use crate::scope::{Scope, epoch};
use crate::{all, client};
use phiguard_model::{
    Collection, ConfigRecorder, DeliveryChannel, EcrRegistryScanning, EcrRepository, GuardDuty,
    Inspector, KeyRef, Macie, SecurityHub, Val, VulnFinding,
};

pub async fn guardduty(s: Scope) {
    let c = client!(aws_sdk_guardduty, s);
    let Some(ids) = s.listed(
        Collection::GuardDuty,
        "guardduty:ListDetectors",
        all!(c.list_detectors()),
    ) else {
        return;
    };
    if ids.is_empty() {
        let rid = s.add(
            "AWS::GuardDuty::Detector",
            "GuardDuty",
            &s.arn("guardduty", "detector"),
            None,
        );
        s.with(|inv| {
            inv.guardduty.push(GuardDuty {
                rid,
                enabled: Val::Known(false),
                org_auto_enable: Val::unknown("no detector in this account and region"),
                admin_account: Val::Known(None),
            })
        });
        return;
    }
    for id in ids {
        let enabled = match c.get_detector().detector_id(&id).send().await {
            Ok(d) => Val::Known(d.status().map(|s| s.as_str()) == Some("ENABLED")),
            Err(e) => Val::unknown(format!("guardduty:GetDetector: {}", ce(e))),
        };
        let auto = match c
            .describe_organization_configuration()
            .detector_id(&id)
            .send()
            .await
        {
            Ok(o) => Val::Known(
                o.auto_enable_organization_members()
                    .is_some_and(|m| m.as_str() != "NONE"),
            ),
            Err(e) => Val::unknown(format!(
                "guardduty:DescribeOrganizationConfiguration (answered only in the delegated administrator): {}",
                ce(e)
            )),
        };
        let rid = s.add(
            "AWS::GuardDuty::Detector",
            &id,
            &s.arn("guardduty", &format!("detector/{id}")),
            None,
        );
        s.with(|inv| {
            inv.guardduty.push(GuardDuty {
                rid,
                enabled,
                org_auto_enable: auto,
                admin_account: Val::Known(None),
            })
        });
    }
}

pub async fn securityhub(s: Scope) {
    let c = client!(aws_sdk_securityhub, s);
    let enabled = match c.describe_hub().send().await {
        Ok(_) => true,
        Err(e) => {
            let e = ce(e);
            if e.code_is(&["InvalidAccessException", "ResourceNotFoundException"]) && !e.denied() {
                false
            } else {
                s.gap(Collection::SecurityHub, "securityhub:DescribeHub", &e);
                return;
            }
        }
    };
    let standards = if enabled {
        match c
            .get_enabled_standards()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
        {
            Ok(list) => Val::Known(
                list.iter()
                    .filter(|s| s.standards_status().map(|x| x.as_str()) != Some("DELETING"))
                    .filter_map(|s| s.standards_arn().map(str::to_string))
                    .collect(),
            ),
            Err(e) => Val::unknown(format!("securityhub:GetEnabledStandards: {}", ce(e))),
        }
    } else {
        Val::Known(Vec::new())
    };
    let rid = s.add(
        "AWS::SecurityHub::Hub",
        "SecurityHub",
        &s.arn("securityhub", "hub/default"),
        None,
    );
    s.with(|inv| {
        inv.security_hubs.push(SecurityHub {
            rid,
            enabled: Val::Known(enabled),
            standards,
        })
    });
}

pub async fn macie(s: Scope) {
    let c = client!(aws_sdk_macie2, s);
    let enabled = match c.get_macie_session().send().await {
        Ok(o) => o.status().map(|s| s.as_str()) == Some("ENABLED"),
        Err(e) => {
            let e = ce(e);
            let msg = e.reason.to_ascii_lowercase();
            if msg.contains("not enabled")
                || msg.contains("macie is not")
                || e.code_is(&["ResourceNotFoundException"])
            {
                false
            } else {
                s.gap(Collection::Macie, "macie2:GetMacieSession", &e);
                return;
            }
        }
    };
    let rid = s.add(
        "AWS::Macie::Session",
        "Macie",
        &s.arn("macie2", "session"),
        None,
    );
    s.with(|inv| {
        inv.macie.push(Macie {
            rid,
            enabled: Val::Known(enabled),
        })
    });
}

pub async fn config(s: Scope) {
    let c = client!(aws_sdk_config, s);
    let recorders = match c.describe_configuration_recorders().send().await {
        Ok(o) => o.configuration_recorders.unwrap_or_default(),
        Err(e) => {
            s.gap(
                Collection::Config,
                "config:DescribeConfigurationRecorders",
                &ce(e),
            );
            return;
        }
    };
    let status = c
        .describe_configuration_recorder_status()
        .send()
        .await
        .map_err(ce);
    if recorders.is_empty() {
        let rid = s.add(
            "AWS::Config::ConfigurationRecorder",
            "Config",
            &s.arn("config", "config-recorder"),
            None,
        );
        s.with(|inv| {
            inv.config_recorders.push(ConfigRecorder {
                rid,
                all_supported: Val::Known(false),
                include_global: Val::Known(false),
                recording: Val::Known(false),
            })
        });
    }
    for r in recorders {
        let name = r.name().unwrap_or("default").to_string();
        let group = r.recording_group();
        let recording = match &status {
            Ok(st) => Val::Known(
                st.configuration_recorders_status()
                    .iter()
                    .any(|x| x.name() == Some(name.as_str()) && x.recording()),
            ),
            Err(e) => Val::unknown(format!("config:DescribeConfigurationRecorderStatus: {e}")),
        };
        let rid = s.add(
            "AWS::Config::ConfigurationRecorder",
            &name,
            &s.arn("config", &format!("config-recorder/{name}")),
            None,
        );
        let rec = ConfigRecorder {
            rid,
            all_supported: Val::Known(group.map(|g| g.all_supported()).unwrap_or(true)),
            include_global: Val::Known(
                group
                    .map(|g| g.include_global_resource_types())
                    .unwrap_or(false),
            ),
            recording,
        };
        s.with(|inv| inv.config_recorders.push(rec));
    }
    match c.describe_delivery_channels().send().await {
        Ok(o) => {
            for d in o.delivery_channels() {
                let name = d.name().unwrap_or("default");
                let rid = s.add(
                    "AWS::Config::DeliveryChannel",
                    name,
                    &s.arn("config", &format!("delivery-channel/{name}")),
                    None,
                );
                s.with(|inv| inv.delivery_channels.push(DeliveryChannel { rid }));
            }
        }
        Err(e) => s.gap(
            Collection::Config,
            "config:DescribeDeliveryChannels",
            &ce(e),
        ),
    }
}

pub async fn inspector(s: Scope) {
    let c = client!(aws_sdk_inspector2, s);
    match c
        .batch_get_account_status()
        .account_ids(&s.account)
        .send()
        .await
    {
        Ok(o) => {
            let acc = o.accounts().iter().find(|a| a.account_id() == s.account);
            let on = |st: Option<&aws_sdk_inspector2::types::Status>| {
                Val::Known(st.map(|x| x.as_str()) == Some("ENABLED"))
            };
            let (ec2, ecr) = match acc.and_then(|a| a.resource_state()) {
                Some(rs) => (
                    on(rs.ec2().map(|x| x.status())),
                    on(rs.ecr().map(|x| x.status())),
                ),
                // AWS answers every account asked about; an empty answer says nothing.
                None => (
                    Val::unknown("inspector2:BatchGetAccountStatus did not answer for the account"),
                    Val::unknown("inspector2:BatchGetAccountStatus did not answer for the account"),
                ),
            };
            let rid = s.add(
                "AWS::Inspector2::Enabler",
                "Inspector",
                &s.arn("inspector2", "enabler"),
                None,
            );
            s.with(|inv| inv.inspectors.push(Inspector { rid, ec2, ecr }));
        }
        Err(e) => s.gap(
            Collection::Inspector,
            "inspector2:BatchGetAccountStatus",
            &ce(e),
        ),
    }
    use aws_sdk_inspector2::types::{FilterCriteria, StringComparison, StringFilter};
    let sf = |v: &str| {
        StringFilter::builder()
            .comparison(StringComparison::Equals)
            .value(v)
            .build()
    };
    let filter = match (sf("ACTIVE"), sf("CRITICAL"), sf("HIGH")) {
        (Ok(a), Ok(c1), Ok(h)) => FilterCriteria::builder()
            .finding_status(a)
            .severity(c1)
            .severity(h)
            .build(),
        _ => return,
    };
    match c
        .list_findings()
        .filter_criteria(filter)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
    {
        Ok(list) => {
            for f in list {
                let arn = f.finding_arn().to_string();
                let title = f.title().unwrap_or_default().to_string();
                let resource = f
                    .resources()
                    .first()
                    .map(|r| r.id().to_string())
                    .unwrap_or_default();
                let rid = s.add(
                    "AWS::Inspector2::Finding",
                    &format!("{resource}: {title}"),
                    &arn,
                    None,
                );
                let v = VulnFinding {
                    rid,
                    title: Val::Known(title),
                    severity: Val::Known(f.severity().as_str().to_string()),
                    status: Val::Known(f.status().as_str().to_string()),
                    first_observed: Val::Known(epoch(f.first_observed_at())),
                    resource: Val::Known(resource),
                };
                s.with(|inv| inv.vuln_findings.push(v));
            }
        }
        Err(e) => {
            let e = ce(e);
            // An account without Inspector has no findings to list.
            if !e.code_is(&["ValidationException"]) || e.denied() {
                s.gap(Collection::VulnFindings, "inspector2:ListFindings", &e);
            }
        }
    }
}

pub async fn ecr(s: Scope) {
    let c = client!(aws_sdk_ecr, s);
    if let Some(list) = s.listed(
        Collection::Ecr,
        "ecr:DescribeRepositories",
        all!(c.describe_repositories()),
    ) {
        for r in list {
            let name = r.repository_name().unwrap_or_default();
            let arn = r
                .repository_arn()
                .map(str::to_string)
                .unwrap_or_else(|| s.arn("ecr", &format!("repository/{name}")));
            let rid = s.add("AWS::ECR::Repository", name, &arn, None);
            let scan = r
                .image_scanning_configuration()
                .map(|c| c.scan_on_push())
                .unwrap_or(false);
            // No encryption configuration, or AES256: Amazon S3-managed keys.
            let kms_key =
                r.encryption_configuration()
                    .and_then(|e| match e.encryption_type().as_str() {
                        "AES256" => None,
                        _ => Some(match e.kms_key() {
                            Some(k) => KeyRef::External(k.to_string()),
                            None => KeyRef::AwsManaged("aws/ecr".into()),
                        }),
                    });
            s.with(|inv| {
                inv.ecr_repositories.push(EcrRepository {
                    rid,
                    scan_on_push: Val::Known(scan),
                    kms_key: Val::Known(kms_key),
                })
            });
        }
    }
    match c.get_registry_scanning_configuration().send().await {
        Ok(o) => {
            // Registry scanning covers every repository when a rule with the
            // filter `*` scans automatically (BASIC on push, or ENHANCED).
            let enhanced = o.scanning_configuration().is_some_and(|c| {
                let kind = c.scan_type().map(|t| t.as_str()).unwrap_or("");
                (kind == "ENHANCED" || kind == "BASIC")
                    && c.rules().iter().any(|r| {
                        let freq = r.scan_frequency().as_str();
                        let automatic = if kind == "BASIC" {
                            freq == "SCAN_ON_PUSH"
                        } else {
                            freq != "MANUAL"
                        };
                        automatic && r.repository_filters().iter().any(|f| f.filter() == "*")
                    })
            });
            let rid = s.add(
                "AWS::ECR::RegistryScanningConfiguration",
                "EcrRegistryScanning",
                &s.arn("ecr", "registry"),
                None,
            );
            s.with(|inv| {
                inv.ecr_registry_scanning.push(EcrRegistryScanning {
                    rid,
                    enhanced: Val::Known(enhanced),
                })
            });
        }
        Err(e) => s.gap(
            Collection::Ecr,
            "ecr:GetRegistryScanningConfiguration",
            &ce(e),
        ),
    }
}
