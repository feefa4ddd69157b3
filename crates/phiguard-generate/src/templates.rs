//! The baseline's templates, as JSON values (written as YAML).

use crate::Options;
use phiguard_rules::Config;
use serde_json::{Map, Value, json};

/// The custom resource type that turns on EBS encryption by default; ENC-3
/// credits exactly this resource backed by the function written here.
pub const EBS_DEFAULT_TYPE: &str = "Custom::PhiguardEbsEncryptionByDefault";

/// A workload environment that has (or will have) an account.
pub struct Env {
    pub name: &'static str,
    /// The e-mail of the account to create, when none exists.
    pub email: Option<String>,
    /// The VPC's CIDR block.
    pub cidr: String,
}

pub struct Plan<'a> {
    pub cfg: &'a Config,
    pub opts: Options,
    /// Lower-case, dash-separated organization name (at most 24 characters).
    pub slug: String,
    /// A stable 8-hex suffix that keeps global names (S3 buckets) unique.
    pub suffix: String,
    pub home: String,
    pub copy_region: String,
    pub envs: Vec<Env>,
}

fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let mut s: String = s.chars().take(24).collect();
    while s.ends_with('-') {
        s.pop();
    }
    if s.is_empty() { "phi".into() } else { s }
}

/// FNV-1a, 32 bits: deterministic across runs and platforms.
fn fnv(s: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

fn r(x: &str) -> Value {
    json!({ "Ref": x })
}
fn att(res: &str, a: &str) -> Value {
    json!({ "Fn::GetAtt": [res, a] })
}
fn sub(s: &str) -> Value {
    json!({ "Fn::Sub": s })
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn template(
    description: String,
    role: &str,
    region: &str,
    parameters: Value,
    resources: Map<String, Value>,
    outputs: Value,
) -> Value {
    let mut t = obj(json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": description,
        "Metadata": { "Phiguard": { "AccountRole": role, "Region": region } },
        "Resources": resources,
    }));
    if parameters.as_object().is_some_and(|m| !m.is_empty()) {
        t.insert("Parameters".into(), parameters);
    }
    if outputs.as_object().is_some_and(|m| !m.is_empty()) {
        t.insert("Outputs".into(), outputs);
    }
    Value::Object(t)
}

/// Checkov checks skipped on a resource, each with its reason.
fn skip(resource: &mut Value, checks: &[(&str, &str)]) {
    let list: Vec<Value> = checks
        .iter()
        .map(|(id, why)| json!({ "id": id, "comment": why }))
        .collect();
    if let Some(m) = resource.as_object_mut() {
        let meta = m.entry("Metadata").or_insert_with(|| json!({}));
        meta["checkov"] = json!({ "skip": list });
    }
}

const NO_ACCESS_LOGS: &str = "S3 server access logs can only go to an SSE-S3 bucket, which ENC-2 forbids; object-level access to this bucket is recorded by the organization trail's S3 data events (LOG-3)";

const ORG_ID_PARAM: &str = "OrganizationId";

fn org_id_param(id: &str) -> Value {
    json!({
        "Type": "String",
        "Default": id,
        "Description": "The organization's id (aws organizations describe-organization --query Organization.Id).",
        "AllowedPattern": "^o-[a-z0-9]{10,32}$"
    })
}

fn admin_statement() -> Value {
    json!({
        "Sid": "AccountAdmin",
        "Effect": "Allow",
        "Principal": { "AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root") },
        "Action": "kms:*",
        "Resource": "*"
    })
}

fn cmk(description: &str, extra: Vec<Value>) -> Value {
    let mut statements = vec![admin_statement()];
    statements.extend(extra);
    json!({
        "Type": "AWS::KMS::Key",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "Description": description,
            "EnableKeyRotation": true,
            "KeyPolicy": { "Version": "2012-10-17", "Statement": statements }
        }
    })
}

fn public_access_block() -> Value {
    json!({
        "BlockPublicAcls": true,
        "BlockPublicPolicy": true,
        "IgnorePublicAcls": true,
        "RestrictPublicBuckets": true
    })
}

fn sse_kms(key: Value) -> Value {
    json!({
        "ServerSideEncryptionConfiguration": [{
            "ServerSideEncryptionByDefault": { "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key },
            "BucketKeyEnabled": true
        }]
    })
}

fn deny_insecure(bucket: &str) -> Value {
    json!({
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [att(bucket, "Arn"), sub(&format!("${{{bucket}.Arn}}/*"))],
        "Condition": { "Bool": { "aws:SecureTransport": "false" } }
    })
}

fn service_role(service: &str, managed: &[&str], inline: Option<(&str, Value)>) -> Value {
    let mut p = obj(json!({
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": { "Service": service },
                "Action": "sts:AssumeRole",
                "Condition": { "StringEquals": { "aws:SourceAccount": r("AWS::AccountId") } }
            }]
        },
        "MaxSessionDuration": 3600
    }));
    if !managed.is_empty() {
        p.insert(
            "ManagedPolicyArns".into(),
            Value::Array(
                managed
                    .iter()
                    .map(|m| sub(&format!("arn:${{AWS::Partition}}:iam::aws:policy/{m}")))
                    .collect(),
            ),
        );
    }
    if let Some((name, statements)) = inline {
        p.insert(
            "Policies".into(),
            json!([{ "PolicyName": name, "PolicyDocument": { "Version": "2012-10-17", "Statement": statements } }]),
        );
    }
    json!({ "Type": "AWS::IAM::Role", "Properties": p })
}

impl<'a> Plan<'a> {
    pub fn new(cfg: &'a Config, opts: Options) -> Plan<'a> {
        let b = &cfg.baseline;
        let a = &cfg.accounts;
        let logs = a
            .logs
            .clone()
            .or_else(|| b.emails.logs.clone())
            .unwrap_or_default();
        let octets: Vec<u32> = b
            .vpc_cidr
            .split(['.', '/'])
            .filter_map(|p| p.parse().ok())
            .collect();
        let (o1, o2) = (
            octets.first().copied().unwrap_or(10),
            octets.get(1).copied().unwrap_or(20),
        );
        let mut envs = Vec::new();
        for (i, (name, ids, email)) in [
            ("prod", &a.prod, &b.emails.prod),
            ("staging", &a.staging, &b.emails.staging),
            ("dev", &a.dev, &b.emails.dev),
        ]
        .into_iter()
        .enumerate()
        {
            if ids.is_empty() && email.is_none() {
                continue;
            }
            envs.push(Env {
                name,
                email: if ids.is_empty() { email.clone() } else { None },
                cidr: format!("{o1}.{}.0.0/16", (o2 + i as u32) % 256),
            });
        }
        Plan {
            cfg,
            opts,
            slug: slug(&b.organization),
            suffix: fnv(&format!("{}|{logs}", b.organization)),
            home: b.home(&cfg.regions.approved).to_string(),
            copy_region: b.backup.copy_region.clone(),
            envs,
        }
    }

    /// The partition of the home region.
    pub fn partition(&self) -> &'static str {
        if self.home.starts_with("us-gov-") {
            "aws-us-gov"
        } else if self.home.starts_with("cn-") {
            "aws-cn"
        } else {
            "aws"
        }
    }

    pub fn org(&self) -> &str {
        &self.cfg.baseline.organization
    }
    pub fn trail_bucket(&self) -> String {
        format!("{}-org-trail-{}", self.slug, self.suffix)
    }
    pub fn flow_bucket(&self) -> String {
        format!("{}-flow-logs-{}", self.slug, self.suffix)
    }
    pub fn vault(&self, env: &str) -> String {
        format!("{}-{env}-vault", self.slug)
    }
    pub fn copy_vault(&self) -> String {
        format!("{}-copy-vault", self.slug)
    }
    pub fn isolation_sg(&self, env: &str) -> String {
        format!("{}-{env}-isolation", self.slug)
    }
    pub fn trail_name(&self) -> String {
        format!("{}-organization-trail", self.slug)
    }

    /// Every template, by path.
    pub fn templates(&self) -> Vec<(String, Value)> {
        let mut out = vec![
            (
                "management/organization.yaml".to_string(),
                self.organization(),
            ),
            (
                "management/identity-center.yaml".to_string(),
                self.identity_center(),
            ),
            ("logs/logs.yaml".to_string(), self.logs()),
            ("security/security.yaml".to_string(), self.security()),
            ("network/network.yaml".to_string(), self.network()),
        ];
        for e in &self.envs {
            out.push((
                format!("workload/workload-{}.yaml", e.name),
                self.workload(e),
            ));
        }
        out.push((
            "workload/backup-copy-vault.yaml".to_string(),
            self.copy_vault_template(),
        ));
        if self.opts.with_eks {
            for e in &self.envs {
                out.push((format!("workload/eks-{}.yaml", e.name), self.eks(e)));
            }
        }
        out
    }

    fn break_glass_condition(&self) -> Option<Value> {
        let p = &self.cfg.identity.break_glass_principals;
        (!p.is_empty()).then(|| json!({ "ArnNotLike": { "aws:PrincipalArn": p } }))
    }

    fn deny(&self, sid: &str, actions: &[&str]) -> Value {
        let mut s =
            obj(json!({ "Sid": sid, "Effect": "Deny", "Action": actions, "Resource": "*" }));
        if let Some(c) = self.break_glass_condition() {
            s.insert("Condition".into(), c);
        }
        Value::Object(s)
    }

    fn organization(&self) -> Value {
        let a = &self.cfg.accounts;
        let b = &self.cfg.baseline;
        let mut res = Map::new();
        let ou = |name: &str, parent: Value| {
            json!({
                "Type": "AWS::Organizations::OrganizationalUnit",
                "Properties": { "Name": name, "ParentId": parent }
            })
        };
        res.insert("SecurityOu".into(), ou("Security", r("OrganizationRootId")));
        res.insert(
            "LogArchiveOu".into(),
            ou("LogArchive", r("OrganizationRootId")),
        );
        res.insert(
            "InfrastructureOu".into(),
            ou("Infrastructure", r("OrganizationRootId")),
        );
        res.insert(
            "WorkloadsOu".into(),
            ou("Workloads", r("OrganizationRootId")),
        );
        for e in &self.envs {
            res.insert(env_ou(e.name), ou(&capitalize(e.name), r("WorkloadsOu")));
        }
        let mut outputs = Map::new();
        let mut account = |logical: &str,
                           role: &str,
                           id: Option<&String>,
                           email: Option<&String>,
                           parent: &str| {
            let out_name = format!("{}AccountId", capitalize(role));
            match (id, email) {
                (Some(id), _) => {
                    outputs.insert(out_name, json!({ "Value": id, "Description": format!("The {role} account (existing)") }));
                }
                (None, Some(mail)) => {
                    res.insert(
                        logical.into(),
                        json!({
                            "Type": "AWS::Organizations::Account",
                            "DeletionPolicy": "Retain",
                            "UpdateReplacePolicy": "Retain",
                            "Properties": {
                                "AccountName": format!("{} {role}", self.org()),
                                "Email": mail,
                                "ParentIds": [r(parent)],
                                "Tags": [{ "Key": "phiguard:role", "Value": role }]
                            }
                        }),
                    );
                    outputs.insert(out_name, json!({ "Value": att(logical, "AccountId"), "Description": format!("The {role} account (created)") }));
                }
                (None, None) => {}
            }
        };
        account(
            "SecurityAccount",
            "security",
            a.security.as_ref(),
            b.emails.security.as_ref(),
            "SecurityOu",
        );
        account(
            "LogsAccount",
            "logs",
            a.logs.as_ref(),
            b.emails.logs.as_ref(),
            "LogArchiveOu",
        );
        account(
            "NetworkAccount",
            "network",
            b.network_account.as_ref(),
            b.emails.network.as_ref(),
            "InfrastructureOu",
        );
        for e in &self.envs {
            if let Some(mail) = &e.email {
                account(
                    &format!("{}Account", capitalize(e.name)),
                    e.name,
                    None,
                    Some(mail),
                    &env_ou(e.name),
                );
            }
        }
        res.insert(
            "GuardrailsPolicy".into(),
            json!({
                "Type": "AWS::Organizations::Policy",
                "Properties": {
                    "Name": "phiguard-guardrails",
                    "Description": "Deny changes that would weaken the HIPAA baseline (SCP-1, SCP-2, SCP-4, SCP-5); break-glass principals are exempt.",
                    "Type": "SERVICE_CONTROL_POLICY",
                    "TargetIds": [r("OrganizationRootId")],
                    "Content": {
                        "Version": "2012-10-17",
                        "Statement": [
                            self.deny("ProtectS3PublicAccessBlock", &["s3:PutBucketPublicAccessBlock", "s3:PutAccountPublicAccessBlock"]),
                            self.deny("ProtectCloudTrail", &["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors"]),
                            self.deny("ProtectKmsKeys", &["kms:ScheduleKeyDeletion", "kms:DisableKey"]),
                            self.deny("NoIamUsers", &["iam:CreateUser", "iam:CreateAccessKey"])
                        ]
                    }
                }
            }),
        );
        let mut region = obj(json!({
            "Sid": "DenyOutsideApprovedRegions",
            "Effect": "Deny",
            "NotAction": phiguard_rules::util::scp::GLOBAL_SERVICES.iter().map(|s| format!("{s}:*")).collect::<Vec<_>>(),
            "Resource": "*",
            "Condition": { "StringNotEquals": { "aws:RequestedRegion": self.cfg.regions.approved } }
        }));
        if let Some(p) = self.break_glass_condition() {
            let c = region
                .get_mut("Condition")
                .and_then(Value::as_object_mut)
                .expect("object");
            c.extend(obj(p));
        }
        res.insert(
            "RegionPolicy".into(),
            json!({
                "Type": "AWS::Organizations::Policy",
                "Properties": {
                    "Name": "phiguard-approved-regions",
                    "Description": "Deny requests outside the approved regions (SCP-3); global services are exempt.",
                    "Type": "SERVICE_CONTROL_POLICY",
                    "TargetIds": [r("OrganizationRootId")],
                    "Content": { "Version": "2012-10-17", "Statement": [Value::Object(region)] }
                }
            }),
        );
        res.insert(
            "QuarantinePolicy".into(),
            json!({
                "Type": "AWS::Organizations::Policy",
                "Properties": {
                    "Name": "phiguard-quarantine",
                    "Description": "Incident response (IR-2): attach to an account under investigation to freeze it. Left unattached.",
                    "Type": "SERVICE_CONTROL_POLICY",
                    "Content": {
                        "Version": "2012-10-17",
                        "Statement": [{ "Sid": "DenyEverything", "Effect": "Deny", "Action": "*", "Resource": "*" }]
                    }
                }
            }),
        );
        for (name, ou) in [
            ("SecurityOuId", "SecurityOu"),
            ("LogArchiveOuId", "LogArchiveOu"),
            ("InfrastructureOuId", "InfrastructureOu"),
            ("WorkloadsOuId", "WorkloadsOu"),
        ] {
            outputs.insert(name.into(), json!({ "Value": r(ou) }));
        }
        outputs.insert(
            "WorkloadsOuArn".into(),
            json!({ "Value": att("WorkloadsOu", "Arn") }),
        );
        for e in &self.envs {
            outputs.insert(
                format!("{}Id", env_ou(e.name)),
                json!({ "Value": r(&env_ou(e.name)) }),
            );
        }
        outputs.insert(
            "QuarantinePolicyId".into(),
            json!({ "Value": att("QuarantinePolicy", "Id") }),
        );
        template(
            format!(
                "{}: organization units, accounts, guardrail SCPs and the quarantine SCP (management account).",
                self.org()
            ),
            "management",
            &self.home,
            json!({
                "OrganizationRootId": {
                    "Type": "String",
                    "Default": self.cfg.baseline.root_id,
                    "Description": "The organization's root (aws organizations list-roots --query 'Roots[0].Id').",
                    "AllowedPattern": "^r-[0-9a-z]{4,32}$"
                }
            }),
            res,
            Value::Object(outputs),
        )
    }

    fn identity_center(&self) -> Value {
        let h = self.cfg.baseline.session_hours;
        let mut res = Map::new();
        for (logical, name, desc, policies) in [
            (
                "PlatformAdminPermissionSet",
                "PlatformAdmin",
                "Administers the platform accounts.",
                vec!["AdministratorAccess"],
            ),
            (
                "SecurityAuditPermissionSet",
                "SecurityAudit",
                "Reads security configuration and findings.",
                vec!["SecurityAudit", "ReadOnlyAccess"],
            ),
            (
                "ReadOnlyPermissionSet",
                "ReadOnly",
                "Reads resources, no data access beyond ReadOnlyAccess.",
                vec!["ReadOnlyAccess"],
            ),
        ] {
            res.insert(
                logical.into(),
                json!({
                    "Type": "AWS::SSO::PermissionSet",
                    "Properties": {
                        "InstanceArn": r("IdentityCenterInstanceArn"),
                        "Name": name,
                        "Description": desc,
                        "SessionDuration": format!("PT{h}H"),
                        "ManagedPolicies": policies.iter().map(|p| sub(&format!("arn:${{AWS::Partition}}:iam::aws:policy/{p}"))).collect::<Vec<_>>()
                    }
                }),
            );
        }
        template(
            format!(
                "{}: IAM Identity Center permission sets, sessions of at most {h} hours (management account).",
                self.org()
            ),
            "management",
            &self.home,
            json!({
                "IdentityCenterInstanceArn": {
                    "Type": "String",
                    "Description": "aws sso-admin list-instances --query 'Instances[0].InstanceArn'",
                    "AllowedPattern": "^arn:(aws|aws-us-gov|aws-cn):sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$"
                }
            }),
            res,
            json!({}),
        )
    }

    fn logs(&self) -> Value {
        let years = self.cfg.baseline.log_retention_years;
        let mut res = Map::new();
        res.insert(
            "LogKey".into(),
            cmk(
                "Encrypts the organization trail and the flow-log archive.",
                vec![
                    json!({
                        "Sid": "CloudTrailEncrypt",
                        "Effect": "Allow",
                        "Principal": { "Service": "cloudtrail.amazonaws.com" },
                        "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"],
                        "Resource": "*",
                        "Condition": { "StringEquals": { "aws:SourceOrgID": r(ORG_ID_PARAM) } }
                    }),
                    json!({
                        "Sid": "FlowLogDelivery",
                        "Effect": "Allow",
                        "Principal": { "Service": "delivery.logs.amazonaws.com" },
                        "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                        "Resource": "*",
                        "Condition": { "StringEquals": { "aws:SourceOrgID": r(ORG_ID_PARAM) } }
                    }),
                ],
            ),
        );
        res.insert(
            "LogKeyAlias".into(),
            json!({ "Type": "AWS::KMS::Alias", "Properties": { "AliasName": "alias/phiguard-logs", "TargetKeyId": r("LogKey") } }),
        );
        let mut trail_bucket = json!({
            "Type": "AWS::S3::Bucket",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "BucketName": self.trail_bucket(),
                "ObjectLockEnabled": true,
                "ObjectLockConfiguration": {
                    "ObjectLockEnabled": "Enabled",
                    "Rule": { "DefaultRetention": { "Mode": "COMPLIANCE", "Years": years } }
                },
                "VersioningConfiguration": { "Status": "Enabled" },
                "BucketEncryption": sse_kms(att("LogKey", "Arn")),
                "PublicAccessBlockConfiguration": public_access_block(),
                "LifecycleConfiguration": {
                    "Rules": [{
                        "Id": "archive-after-90-days",
                        "Status": "Enabled",
                        "Transitions": [{ "StorageClass": "GLACIER", "TransitionInDays": 90 }]
                    }]
                }
            }
        });
        skip(&mut trail_bucket, &[("CKV_AWS_18", NO_ACCESS_LOGS)]);
        res.insert("TrailBucket".into(), trail_bucket);
        res.insert(
            "TrailBucketPolicy".into(),
            json!({
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": r("TrailBucket"),
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            deny_insecure("TrailBucket"),
                            {
                                "Sid": "DenyDeletes",
                                "Effect": "Deny",
                                "Principal": "*",
                                "Action": ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:DeleteBucket"],
                                "Resource": [att("TrailBucket", "Arn"), sub("${TrailBucket.Arn}/*")]
                            },
                            {
                                "Sid": "CloudTrailAclCheck",
                                "Effect": "Allow",
                                "Principal": { "Service": "cloudtrail.amazonaws.com" },
                                "Action": "s3:GetBucketAcl",
                                "Resource": att("TrailBucket", "Arn"),
                                "Condition": { "StringEquals": { "aws:SourceOrgID": r(ORG_ID_PARAM) } }
                            },
                            {
                                "Sid": "CloudTrailWrite",
                                "Effect": "Allow",
                                "Principal": { "Service": "cloudtrail.amazonaws.com" },
                                "Action": "s3:PutObject",
                                "Resource": sub("${TrailBucket.Arn}/AWSLogs/*"),
                                "Condition": { "StringEquals": {
                                    "s3:x-amz-acl": "bucket-owner-full-control",
                                    "aws:SourceOrgID": r(ORG_ID_PARAM)
                                } }
                            }
                        ]
                    }
                }
            }),
        );
        let mut flow_bucket = json!({
            "Type": "AWS::S3::Bucket",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "BucketName": self.flow_bucket(),
                "VersioningConfiguration": { "Status": "Enabled" },
                "BucketEncryption": sse_kms(att("LogKey", "Arn")),
                "PublicAccessBlockConfiguration": public_access_block()
            }
        });
        skip(&mut flow_bucket, &[("CKV_AWS_18", NO_ACCESS_LOGS)]);
        res.insert("FlowLogBucket".into(), flow_bucket);
        res.insert(
            "FlowLogBucketPolicy".into(),
            json!({
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": r("FlowLogBucket"),
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            deny_insecure("FlowLogBucket"),
                            {
                                "Sid": "LogDeliveryAclCheck",
                                "Effect": "Allow",
                                "Principal": { "Service": "delivery.logs.amazonaws.com" },
                                "Action": "s3:GetBucketAcl",
                                "Resource": att("FlowLogBucket", "Arn"),
                                "Condition": { "StringEquals": { "aws:SourceOrgID": r(ORG_ID_PARAM) } }
                            },
                            {
                                "Sid": "LogDeliveryWrite",
                                "Effect": "Allow",
                                "Principal": { "Service": "delivery.logs.amazonaws.com" },
                                "Action": "s3:PutObject",
                                "Resource": sub("${FlowLogBucket.Arn}/AWSLogs/*"),
                                "Condition": { "StringEquals": {
                                    "s3:x-amz-acl": "bucket-owner-full-control",
                                    "aws:SourceOrgID": r(ORG_ID_PARAM)
                                } }
                            }
                        ]
                    }
                }
            }),
        );
        let mut trail = json!({
            "Type": "AWS::CloudTrail::Trail",
            "DependsOn": "TrailBucketPolicy",
            "Properties": {
                "TrailName": self.trail_name(),
                "IsLogging": true,
                "IsOrganizationTrail": true,
                "IsMultiRegionTrail": true,
                "IncludeGlobalServiceEvents": true,
                "EnableLogFileValidation": true,
                "KMSKeyId": att("LogKey", "Arn"),
                "S3BucketName": r("TrailBucket"),
                "AdvancedEventSelectors": [
                    { "Name": "Management events", "FieldSelectors": [{ "Field": "eventCategory", "Equals": ["Management"] }] },
                    { "Name": "S3 data events", "FieldSelectors": [
                        { "Field": "eventCategory", "Equals": ["Data"] },
                        { "Field": "resources.type", "Equals": ["AWS::S3::Object"] }
                    ] },
                    { "Name": "DynamoDB data events", "FieldSelectors": [
                        { "Field": "eventCategory", "Equals": ["Data"] },
                        { "Field": "resources.type", "Equals": ["AWS::DynamoDB::Table"] }
                    ] }
                ]
            }
        });
        skip(
            &mut trail,
            &[
                (
                    "CKV_AWS_252",
                    "Delivery notifications are not needed: LOG-5 and the live audit watch delivery errors through GetTrailStatus",
                ),
                (
                    "CKV2_AWS_10",
                    "The trail is kept in S3 under Object Lock for the retention period; a CloudWatch Logs copy would be a second, shorter-lived store of the same events",
                ),
            ],
        );
        res.insert("OrganizationTrail".into(), trail);
        template(
            format!(
                "{}: the log archive (logs account). The organization trail, its KMS key, and its bucket under Object Lock COMPLIANCE for {years} years; the flow-log archive.",
                self.org()
            ),
            "logs",
            &self.home,
            json!({ ORG_ID_PARAM: org_id_param(&self.cfg.baseline.organization_id) }),
            res,
            json!({
                "TrailBucketName": { "Value": r("TrailBucket") },
                "FlowLogBucketArn": { "Value": att("FlowLogBucket", "Arn") },
                "LogKeyArn": { "Value": att("LogKey", "Arn") }
            }),
        )
    }

    /// An account's AWS Config recorder, its delivery channel and bucket.
    fn config_recorder(&self, res: &mut Map<String, Value>, key: &str) {
        let mut bucket = json!({
            "Type": "AWS::S3::Bucket",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "BucketEncryption": sse_kms(att(key, "Arn")),
                "PublicAccessBlockConfiguration": public_access_block(),
                "VersioningConfiguration": { "Status": "Enabled" }
            }
        });
        skip(&mut bucket, &[("CKV_AWS_18", NO_ACCESS_LOGS)]);
        res.insert("ConfigBucket".into(), bucket);
        res.insert(
            "ConfigBucketPolicy".into(),
            json!({
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": r("ConfigBucket"),
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            deny_insecure("ConfigBucket"),
                            {
                                "Sid": "ConfigAclCheck",
                                "Effect": "Allow",
                                "Principal": { "Service": "config.amazonaws.com" },
                                "Action": "s3:GetBucketAcl",
                                "Resource": att("ConfigBucket", "Arn"),
                                "Condition": { "StringEquals": { "aws:SourceAccount": r("AWS::AccountId") } }
                            },
                            {
                                "Sid": "ConfigWrite",
                                "Effect": "Allow",
                                "Principal": { "Service": "config.amazonaws.com" },
                                "Action": "s3:PutObject",
                                "Resource": sub("${ConfigBucket.Arn}/AWSLogs/${AWS::AccountId}/Config/*"),
                                "Condition": { "StringEquals": {
                                    "s3:x-amz-acl": "bucket-owner-full-control",
                                    "aws:SourceAccount": r("AWS::AccountId")
                                } }
                            }
                        ]
                    }
                }
            }),
        );
        res.insert(
            "ConfigRole".into(),
            service_role(
                "config.amazonaws.com",
                &["service-role/AWS_ConfigRole"],
                Some((
                    "deliver-config",
                    json!([
                        { "Effect": "Allow", "Action": "s3:PutObject", "Resource": sub("${ConfigBucket.Arn}/AWSLogs/${AWS::AccountId}/Config/*") },
                        { "Effect": "Allow", "Action": "s3:GetBucketAcl", "Resource": att("ConfigBucket", "Arn") },
                        { "Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": att(key, "Arn") }
                    ]),
                )),
            ),
        );
        res.insert(
            "ConfigRecorder".into(),
            json!({
                "Type": "AWS::Config::ConfigurationRecorder",
                "Properties": {
                    "RoleARN": att("ConfigRole", "Arn"),
                    "RecordingGroup": { "AllSupported": true, "IncludeGlobalResourceTypes": true }
                }
            }),
        );
        res.insert(
            "ConfigDeliveryChannel".into(),
            json!({
                "Type": "AWS::Config::DeliveryChannel",
                "DependsOn": "ConfigBucketPolicy",
                "Properties": {
                    "S3BucketName": r("ConfigBucket"),
                    "S3KmsKeyArn": att(key, "Arn"),
                    "ConfigSnapshotDeliveryProperties": { "DeliveryFrequency": "TwentyFour_Hours" }
                }
            }),
        );
    }

    fn security(&self) -> Value {
        let mut res = Map::new();
        res.insert(
            "SecurityKey".into(),
            cmk(
                "Encrypts the security account's AWS Config history.",
                vec![json!({
                    "Sid": "ConfigUse",
                    "Effect": "Allow",
                    "Principal": { "Service": "config.amazonaws.com" },
                    "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                    "Resource": "*",
                    "Condition": { "StringEquals": { "aws:SourceAccount": r("AWS::AccountId") } }
                })],
            ),
        );
        self.config_recorder(&mut res, "SecurityKey");
        res.insert(
            "Detector".into(),
            json!({
                "Type": "AWS::GuardDuty::Detector",
                "Properties": {
                    "Enable": true,
                    "FindingPublishingFrequency": "FIFTEEN_MINUTES",
                    "Features": [
                        { "Name": "S3_DATA_EVENTS", "Status": "ENABLED" },
                        { "Name": "EKS_AUDIT_LOGS", "Status": "ENABLED" },
                        { "Name": "RDS_LOGIN_EVENTS", "Status": "ENABLED" },
                        { "Name": "LAMBDA_NETWORK_LOGS", "Status": "ENABLED" },
                        { "Name": "EBS_MALWARE_PROTECTION", "Status": "ENABLED" }
                    ]
                }
            }),
        );
        res.insert(
            "SecurityHub".into(),
            json!({
                "Type": "AWS::SecurityHub::Hub",
                "Properties": { "EnableDefaultStandards": false, "ControlFindingGenerator": "SECURITY_CONTROL", "AutoEnableControls": true }
            }),
        );
        res.insert(
            "CisStandard".into(),
            json!({
                "Type": "AWS::SecurityHub::Standard",
                "DependsOn": "SecurityHub",
                "Properties": { "StandardsArn": sub(CIS_STANDARD) }
            }),
        );
        res.insert(
            "Macie".into(),
            json!({
                "Type": "AWS::Macie::Session",
                "Properties": { "Status": "ENABLED", "FindingPublishingFrequency": "ONE_HOUR" }
            }),
        );
        res.insert(
            "AggregatorRole".into(),
            service_role(
                "config.amazonaws.com",
                &["service-role/AWSConfigRoleForOrganizations"],
                None,
            ),
        );
        res.insert(
            "ConfigAggregator".into(),
            json!({
                "Type": "AWS::Config::ConfigurationAggregator",
                "Properties": {
                    "ConfigurationAggregatorName": "organization",
                    "OrganizationAggregationSource": {
                        "RoleArn": att("AggregatorRole", "Arn"),
                        "AwsRegions": self.cfg.regions.approved,
                        "AllAwsRegions": false
                    }
                }
            }),
        );
        res.insert(
            "RegistryScanning".into(),
            json!({
                "Type": "AWS::ECR::RegistryScanningConfiguration",
                "Properties": {
                    "ScanType": "ENHANCED",
                    "Rules": [{ "ScanFrequency": "CONTINUOUS_SCAN", "RepositoryFilters": [{ "Filter": "*", "FilterType": "WILDCARD" }] }]
                }
            }),
        );
        template(
            format!(
                "{}: detection for the organization (security account, delegated administrator): GuardDuty, Security Hub with CIS, Macie, Inspector (enabled by the README's commands) and an organization Config aggregator.",
                self.org()
            ),
            "security",
            &self.home,
            json!({}),
            res,
            json!({ "DetectorId": { "Value": r("Detector") } }),
        )
    }

    fn network(&self) -> Value {
        let mut res = Map::new();
        res.insert(
            "TransitGateway".into(),
            json!({
                "Type": "AWS::EC2::TransitGateway",
                "Properties": {
                    "Description": format!("{}: connects the workload VPCs", self.org()),
                    "AutoAcceptSharedAttachments": "disable",
                    "DefaultRouteTableAssociation": "enable",
                    "DefaultRouteTablePropagation": "enable",
                    "Tags": [{ "Key": "Name", "Value": format!("{}-tgw", self.slug) }]
                }
            }),
        );
        res.insert(
            "TransitGatewayShare".into(),
            json!({
                "Type": "AWS::RAM::ResourceShare",
                "Properties": {
                    "Name": format!("{}-transit-gateway", self.slug),
                    "AllowExternalPrincipals": false,
                    "ResourceArns": [sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:transit-gateway/${TransitGateway}")],
                    "Principals": [r("WorkloadsOuArn")]
                }
            }),
        );
        res.insert(
            "TransitGatewayFlowLog".into(),
            json!({
                "Type": "AWS::EC2::FlowLog",
                "Properties": {
                    "ResourceId": r("TransitGateway"),
                    "ResourceType": "TransitGateway",
                    "LogDestinationType": "s3",
                    "LogDestination": format!("arn:{}:s3:::{}", self.partition(), self.flow_bucket()),
                    "MaxAggregationInterval": 60
                }
            }),
        );
        template(
            format!(
                "{}: the shared network (network account): a transit gateway shared with the workload OU through AWS RAM, with its flow log to the log archive.",
                self.org()
            ),
            "network",
            &self.home,
            json!({
                "WorkloadsOuArn": {
                    "Type": "String",
                    "Description": "The Workloads OU's ARN (output WorkloadsOuArn of the organization stack)."
                }
            }),
            res,
            json!({ "TransitGatewayId": { "Value": r("TransitGateway") } }),
        )
    }

    fn workload(&self, e: &Env) -> Value {
        let cfg = self.cfg;
        let env = e.name;
        let mut res = Map::new();
        res.insert(
            "DataKey".into(),
            cmk(
                &format!("Encrypts PHI at rest in the {env} account: EBS, backups, logs, Config history."),
                vec![
                    json!({
                        "Sid": "CloudWatchLogs",
                        "Effect": "Allow",
                        "Principal": { "Service": sub("logs.${AWS::Region}.amazonaws.com") },
                        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                        "Resource": "*",
                        "Condition": { "ArnLike": { "kms:EncryptionContext:aws:logs:arn": sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*") } }
                    }),
                    json!({
                        "Sid": "ConfigUse",
                        "Effect": "Allow",
                        "Principal": { "Service": "config.amazonaws.com" },
                        "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                        "Resource": "*",
                        "Condition": { "StringEquals": { "aws:SourceAccount": r("AWS::AccountId") } }
                    }),
                ],
            ),
        );
        res.insert(
            "DataKeyAlias".into(),
            json!({ "Type": "AWS::KMS::Alias", "Properties": { "AliasName": format!("alias/{env}-phi"), "TargetKeyId": r("DataKey") } }),
        );
        self.ebs_default(&mut res);
        self.config_recorder(&mut res, "DataKey");
        res.insert(
            "RegistryScanning".into(),
            json!({
                "Type": "AWS::ECR::RegistryScanningConfiguration",
                "Properties": {
                    "ScanType": "ENHANCED",
                    "Rules": [{ "ScanFrequency": "CONTINUOUS_SCAN", "RepositoryFilters": [{ "Filter": "*", "FilterType": "WILDCARD" }] }]
                }
            }),
        );
        self.vpc(&mut res, e);
        self.backup(&mut res, e);
        let retention = cfg.limits.log_retention_days.max(365);
        let _ = retention;
        template(
            format!(
                "{}: the {env} workload account's baseline: AWS Config, EBS encryption by default, a private VPC with endpoints and flow logs, an isolation security group, and backups copied to {} with quarterly restore tests.",
                self.org(),
                self.copy_region
            ),
            env,
            &self.home,
            json!({ ORG_ID_PARAM: org_id_param(&self.cfg.baseline.organization_id) }),
            res,
            json!({
                "VpcId": { "Value": r("Vpc"), "Export": { "Name": format!("{env}-network-VpcId") } },
                "PrivateSubnets": {
                    "Value": { "Fn::Join": [",", [r("PrivateSubnetA"), r("PrivateSubnetB")]] },
                    "Export": { "Name": format!("{env}-network-PrivateSubnets") }
                },
                "IsolationSecurityGroupId": { "Value": r("IsolationSecurityGroup") },
                "DataKeyArn": { "Value": att("DataKey", "Arn"), "Export": { "Name": format!("{env}-DataKeyArn") } }
            }),
        )
    }

    fn ebs_default(&self, res: &mut Map<String, Value>) {
        res.insert(
            "EbsDefaultEncryptionLogGroup".into(),
            json!({
                "Type": "AWS::Logs::LogGroup",
                "Properties": {
                    "LogGroupName": "/phiguard/ebs-encryption-by-default",
                    "RetentionInDays": self.log_days(),
                    "KmsKeyId": att("DataKey", "Arn")
                }
            }),
        );
        res.insert(
            "EbsDefaultEncryptionRole".into(),
            service_role(
                "lambda.amazonaws.com",
                &[],
                Some((
                    "ebs-encryption-by-default",
                    json!([
                        {
                            "Effect": "Allow",
                            "Action": ["ec2:EnableEbsEncryptionByDefault", "ec2:ModifyEbsDefaultKmsKeyId", "ec2:GetEbsEncryptionByDefault", "ec2:GetEbsDefaultKmsKeyId"],
                            "Resource": "*"
                        },
                        { "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": att("EbsDefaultEncryptionLogGroup", "Arn") }
                    ]),
                )),
            ),
        );
        let mut func = json!({
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Description": "Turns on EBS encryption by default with the account's customer-managed key (CloudFormation has no resource for it).",
                "Runtime": "python3.12",
                "Handler": "index.handler",
                "Timeout": 60,
                "ReservedConcurrentExecutions": 1,
                "Role": att("EbsDefaultEncryptionRole", "Arn"),
                "LoggingConfig": { "LogGroup": r("EbsDefaultEncryptionLogGroup") },
                "Code": { "ZipFile": EBS_DEFAULT_CODE }
            }
        });
        skip(
            &mut func,
            &[
                (
                    "CKV_AWS_116",
                    "A CloudFormation custom resource: a failed call fails the stack operation, which reports it; a dead-letter queue would hold nothing to act on",
                ),
                (
                    "CKV_AWS_117",
                    "Calls only the EC2 control-plane API, holds no data and needs no network access to private resources",
                ),
                ("CKV_AWS_173", "The function has no environment variables"),
                (
                    "CKV_AWS_272",
                    "Inline code (ZipFile) written by phiguard and reviewed in this template; code signing applies to uploaded packages",
                ),
            ],
        );
        res.insert("EbsDefaultEncryptionFunction".into(), func);
        res.insert(
            "EbsEncryptionByDefault".into(),
            json!({
                "Type": EBS_DEFAULT_TYPE,
                "Properties": {
                    "ServiceToken": att("EbsDefaultEncryptionFunction", "Arn"),
                    "KmsKeyId": att("DataKey", "Arn")
                }
            }),
        );
    }

    fn log_days(&self) -> u32 {
        // The CloudWatch Logs retention values at or above the configured minimum.
        const ALLOWED: &[u32] = &[365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
        let want = self.cfg.limits.log_retention_days;
        ALLOWED.iter().copied().find(|d| *d >= want).unwrap_or(3653)
    }

    fn vpc(&self, res: &mut Map<String, Value>, e: &Env) {
        let env = e.name;
        let base: Vec<&str> = e.cidr.split('.').collect();
        let net = |third: u32| format!("{}.{}.{third}.0/20", base[0], base[1]);
        res.insert(
            "Vpc".into(),
            json!({
                "Type": "AWS::EC2::VPC",
                "Properties": {
                    "CidrBlock": e.cidr,
                    "EnableDnsHostnames": true,
                    "EnableDnsSupport": true,
                    "Tags": [{ "Key": "Name", "Value": format!("{}-{env}", self.slug) }]
                }
            }),
        );
        for (logical, az, third) in [("PrivateSubnetA", 0, 0), ("PrivateSubnetB", 1, 16)] {
            res.insert(
                logical.into(),
                json!({
                    "Type": "AWS::EC2::Subnet",
                    "Properties": {
                        "VpcId": r("Vpc"),
                        "CidrBlock": net(third),
                        "AvailabilityZone": { "Fn::Select": [az, { "Fn::GetAZs": "" }] },
                        "MapPublicIpOnLaunch": false
                    }
                }),
            );
            res.insert(
                format!("{logical}RouteTableAssociation"),
                json!({
                    "Type": "AWS::EC2::SubnetRouteTableAssociation",
                    "Properties": { "SubnetId": r(logical), "RouteTableId": r("PrivateRouteTable") }
                }),
            );
        }
        res.insert(
            "PrivateRouteTable".into(),
            json!({ "Type": "AWS::EC2::RouteTable", "Properties": { "VpcId": r("Vpc") } }),
        );
        res.insert(
            "EndpointSecurityGroup".into(),
            json!({
                "Type": "AWS::EC2::SecurityGroup",
                "Properties": {
                    "GroupDescription": "HTTPS to the interface endpoints from inside the VPC",
                    "VpcId": r("Vpc"),
                    "SecurityGroupIngress": [{ "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": e.cidr, "Description": "HTTPS from the VPC" }],
                    "SecurityGroupEgress": [{ "IpProtocol": "-1", "CidrIp": "127.0.0.1/32", "Description": "No outbound traffic: endpoints only answer" }]
                }
            }),
        );
        let mut iso = json!({
            "Type": "AWS::EC2::SecurityGroup",
            "Properties": {
                "GroupName": self.isolation_sg(env),
                "GroupDescription": "Incident response - attach to isolate an instance (no traffic in or out)",
                "VpcId": r("Vpc"),
                "SecurityGroupEgress": [{ "IpProtocol": "-1", "CidrIp": "127.0.0.1/32", "Description": "Placeholder that replaces the default allow-all egress" }]
            }
        });
        skip(
            &mut iso,
            &[(
                "CKV2_AWS_5",
                "Attached only during incident response, by the ec2-isolation runbook",
            )],
        );
        res.insert("IsolationSecurityGroup".into(), iso);
        let org_bounded = |action: &str| {
            json!({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "OrganizationOnly",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": action,
                    "Resource": "*",
                    "Condition": { "StringEquals": { "aws:PrincipalOrgID": r(ORG_ID_PARAM) } }
                }]
            })
        };
        for (logical, svc, action) in [
            ("S3Endpoint", "s3", "s3:*"),
            ("DynamoDbEndpoint", "dynamodb", "dynamodb:*"),
        ] {
            res.insert(
                logical.into(),
                json!({
                    "Type": "AWS::EC2::VPCEndpoint",
                    "Properties": {
                        "VpcId": r("Vpc"),
                        "ServiceName": sub(&format!("com.amazonaws.${{AWS::Region}}.{svc}")),
                        "VpcEndpointType": "Gateway",
                        "RouteTableIds": [r("PrivateRouteTable")],
                        "PolicyDocument": org_bounded(action)
                    }
                }),
            );
        }
        for svc in &self.cfg.network.required_interface_endpoints {
            res.insert(
                format!("{}Endpoint", logical_name(svc)),
                json!({
                    "Type": "AWS::EC2::VPCEndpoint",
                    "Properties": {
                        "VpcId": r("Vpc"),
                        "ServiceName": sub(&format!("com.amazonaws.${{AWS::Region}}.{svc}")),
                        "VpcEndpointType": "Interface",
                        "PrivateDnsEnabled": true,
                        "SubnetIds": [r("PrivateSubnetA"), r("PrivateSubnetB")],
                        "SecurityGroupIds": [r("EndpointSecurityGroup")],
                        "PolicyDocument": org_bounded("*")
                    }
                }),
            );
        }
        res.insert(
            "FlowLogGroup".into(),
            json!({
                "Type": "AWS::Logs::LogGroup",
                "Properties": {
                    "LogGroupName": format!("/vpc/{}-{env}/flow-logs", self.slug),
                    "RetentionInDays": self.log_days(),
                    "KmsKeyId": att("DataKey", "Arn")
                }
            }),
        );
        res.insert(
            "FlowLogRole".into(),
            service_role(
                "vpc-flow-logs.amazonaws.com",
                &[],
                Some((
                    "publish-flow-logs",
                    json!([{
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        "Resource": att("FlowLogGroup", "Arn")
                    }]),
                )),
            ),
        );
        res.insert(
            "VpcFlowLog".into(),
            json!({
                "Type": "AWS::EC2::FlowLog",
                "Properties": {
                    "ResourceId": r("Vpc"),
                    "ResourceType": "VPC",
                    "TrafficType": "ALL",
                    "LogDestinationType": "cloud-watch-logs",
                    "LogGroupName": r("FlowLogGroup"),
                    "DeliverLogsPermissionArn": att("FlowLogRole", "Arn")
                }
            }),
        );
    }

    fn backup(&self, res: &mut Map<String, Value>, e: &Env) {
        let b = &self.cfg.baseline.backup;
        let env = e.name;
        let days = b.retention_days;
        res.insert(
            "BackupVault".into(),
            json!({
                "Type": "AWS::Backup::BackupVault",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "BackupVaultName": self.vault(env),
                    "EncryptionKeyArn": att("DataKey", "Arn"),
                    "LockConfiguration": lock(days)
                }
            }),
        );
        let mut copies = vec![json!({
            "DestinationBackupVaultArn": sub(&format!(
                "arn:${{AWS::Partition}}:backup:{}:${{AWS::AccountId}}:backup-vault:{}",
                self.copy_region,
                self.copy_vault()
            )),
            "Lifecycle": { "DeleteAfterDays": days }
        })];
        if let Some(acct) = &b.copy_account {
            copies.push(json!({
                "DestinationBackupVaultArn": sub(&format!(
                    "arn:${{AWS::Partition}}:backup:{}:{acct}:backup-vault:{}",
                    self.copy_region,
                    self.copy_vault()
                )),
                "Lifecycle": { "DeleteAfterDays": days }
            }));
        }
        res.insert(
            "BackupPlan".into(),
            json!({
                "Type": "AWS::Backup::BackupPlan",
                "Properties": {
                    "BackupPlan": {
                        "BackupPlanName": format!("{}-{env}-daily", self.slug),
                        "BackupPlanRule": [{
                            "RuleName": format!("daily-{days}-days"),
                            "TargetBackupVault": r("BackupVault"),
                            "ScheduleExpression": b.schedule,
                            "StartWindowMinutes": 60,
                            "CompletionWindowMinutes": 1440,
                            "Lifecycle": { "DeleteAfterDays": days },
                            "CopyActions": copies
                        }]
                    }
                }
            }),
        );
        res.insert(
            "BackupRole".into(),
            service_role(
                "backup.amazonaws.com",
                &[
                    "service-role/AWSBackupServiceRolePolicyForBackup",
                    "service-role/AWSBackupServiceRolePolicyForRestores",
                ],
                None,
            ),
        );
        let tag = &self.cfg.scope;
        res.insert(
            "PhiSelection".into(),
            json!({
                "Type": "AWS::Backup::BackupSelection",
                "Properties": {
                    "BackupPlanId": r("BackupPlan"),
                    "BackupSelection": {
                        "SelectionName": format!("tagged-{}", tag.phi_tag_key),
                        "IamRoleArn": att("BackupRole", "Arn"),
                        "ListOfTags": [{ "ConditionType": "STRINGEQUALS", "ConditionKey": tag.phi_tag_key, "ConditionValue": tag.phi_tag_value }]
                    }
                }
            }),
        );
        res.insert(
            "RestoreTestingPlan".into(),
            json!({
                "Type": "AWS::Backup::RestoreTestingPlan",
                "Properties": {
                    "RestoreTestingPlanName": format!("{}_quarterly_restore", env),
                    "ScheduleExpression": "cron(0 6 1 1,4,7,10 ? *)",
                    "RecoveryPointSelection": {
                        "Algorithm": "LATEST_WITHIN_WINDOW",
                        "RecoveryPointTypes": ["SNAPSHOT"],
                        "IncludeVaults": [att("BackupVault", "BackupVaultArn")],
                        "SelectionWindowDays": 7
                    }
                }
            }),
        );
        for (logical, kind) in [
            ("RestoreTestEbs", "EBS"),
            ("RestoreTestRds", "Aurora"),
            ("RestoreTestDynamoDb", "DynamoDB"),
        ] {
            res.insert(
                logical.into(),
                json!({
                    "Type": "AWS::Backup::RestoreTestingSelection",
                    "Properties": {
                        "RestoreTestingPlanName": r("RestoreTestingPlan"),
                        "RestoreTestingSelectionName": format!("{}_{}", env, kind.to_ascii_lowercase()),
                        "ProtectedResourceType": kind,
                        "IamRoleArn": att("BackupRole", "Arn"),
                        "ProtectedResourceConditions": {
                            "StringEquals": [{ "Key": format!("aws:ResourceTag/{}", tag.phi_tag_key), "Value": tag.phi_tag_value }]
                        },
                        "ValidationWindowHours": 1
                    }
                }),
            );
        }
    }

    fn copy_vault_template(&self) -> Value {
        let days = self.cfg.baseline.backup.retention_days;
        let mut res = Map::new();
        res.insert(
            "CopyKey".into(),
            cmk(
                &format!("Encrypts the backup copies in {}.", self.copy_region),
                vec![],
            ),
        );
        res.insert(
            "CopyVault".into(),
            json!({
                "Type": "AWS::Backup::BackupVault",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "BackupVaultName": self.copy_vault(),
                    "EncryptionKeyArn": att("CopyKey", "Arn"),
                    "LockConfiguration": lock(days),
                    "AccessPolicy": {
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Sid": "CopyFromTheOrganization",
                            "Effect": "Allow",
                            "Principal": "*",
                            "Action": "backup:CopyIntoBackupVault",
                            "Resource": "*",
                            "Condition": { "StringEquals": { "aws:PrincipalOrgID": r(ORG_ID_PARAM) } }
                        }]
                    }
                }
            }),
        );
        template(
            format!(
                "{}: the vault that receives backup copies in {} (every workload account, and the copy account).",
                self.org(),
                self.copy_region
            ),
            "prod",
            &self.copy_region,
            json!({ ORG_ID_PARAM: org_id_param(&self.cfg.baseline.organization_id) }),
            res,
            json!({ "CopyVaultArn": { "Value": att("CopyVault", "BackupVaultArn") } }),
        )
    }

    fn eks(&self, e: &Env) -> Value {
        let env = e.name;
        let mut res = Map::new();
        res.insert(
            "ClusterRole".into(),
            json!({
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{ "Effect": "Allow", "Principal": { "Service": "eks.amazonaws.com" }, "Action": ["sts:AssumeRole", "sts:TagSession"] }]
                    },
                    "ManagedPolicyArns": [sub("arn:${AWS::Partition}:iam::aws:policy/AmazonEKSClusterPolicy")]
                }
            }),
        );
        let mut cluster = json!({
            "Type": "AWS::EKS::Cluster",
            "Properties": {
                "Name": format!("{}-{env}", self.slug),
                "RoleArn": att("ClusterRole", "Arn"),
                "ResourcesVpcConfig": {
                    "SubnetIds": { "Fn::Split": [",", { "Fn::ImportValue": format!("{env}-network-PrivateSubnets") }] },
                    "EndpointPublicAccess": false,
                    "EndpointPrivateAccess": true
                },
                "EncryptionConfig": [{ "Provider": { "KeyArn": { "Fn::ImportValue": format!("{env}-DataKeyArn") } }, "Resources": ["secrets"] }],
                "AccessConfig": { "AuthenticationMode": "API" },
                "Logging": { "ClusterLogging": { "EnabledTypes": [
                    { "Type": "api" }, { "Type": "audit" }, { "Type": "authenticator" }, { "Type": "controllerManager" }, { "Type": "scheduler" }
                ] } }
            }
        });
        let _ = &mut cluster;
        res.insert("Cluster".into(), cluster);
        res.insert(
            "PodIdentityAgent".into(),
            json!({
                "Type": "AWS::EKS::Addon",
                "Properties": { "ClusterName": r("Cluster"), "AddonName": "eks-pod-identity-agent" }
            }),
        );
        res.insert(
            "ExampleWorkloadRole".into(),
            json!({
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "MaxSessionDuration": 3600,
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [{ "Effect": "Allow", "Principal": { "Service": "pods.eks.amazonaws.com" }, "Action": ["sts:AssumeRole", "sts:TagSession"] }]
                    }
                }
            }),
        );
        res.insert(
            "ExamplePodIdentity".into(),
            json!({
                "Type": "AWS::EKS::PodIdentityAssociation",
                "Properties": {
                    "ClusterName": r("Cluster"),
                    "Namespace": "example",
                    "ServiceAccount": "example-app",
                    "RoleArn": att("ExampleWorkloadRole", "Arn")
                }
            }),
        );
        template(
            format!(
                "{}: an EKS cluster in the {env} account, Kubernetes secrets under the account's customer-managed key, Pod Identity for workloads.",
                self.org()
            ),
            env,
            &self.home,
            json!({}),
            res,
            json!({}),
        )
    }
}

fn lock(days: u32) -> Value {
    json!({
        "MinRetentionDays": days.min(7),
        "MaxRetentionDays": days.max(3650),
        "ChangeableForDays": 3
    })
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

fn env_ou(env: &str) -> String {
    format!("{}Ou", capitalize(env))
}

/// `ecr.api` → `EcrApi`.
fn logical_name(svc: &str) -> String {
    svc.split(['.', '-']).map(capitalize).collect()
}

const CIS_STANDARD: &str = "arn:${AWS::Partition}:securityhub:${AWS::Region}::standards/cis-aws-foundations-benchmark/v/3.0.0";

/// The function behind [`EBS_DEFAULT_TYPE`]: on create and update it turns on
/// EBS encryption by default and sets the default key; on delete it leaves the
/// setting on (turning encryption off is never what a baseline wants).
pub const EBS_DEFAULT_CODE: &str = r#"import json
import urllib.request

import boto3


def respond(event, context, status, reason=""):
    body = json.dumps({
        "Status": status,
        "Reason": reason or "see log stream " + context.log_stream_name,
        "PhysicalResourceId": "ebs-encryption-by-default",
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
    }).encode()
    req = urllib.request.Request(event["ResponseURL"], data=body, method="PUT",
                                 headers={"Content-Type": ""})
    urllib.request.urlopen(req, timeout=30)


def handler(event, context):
    try:
        if event["RequestType"] in ("Create", "Update"):
            ec2 = boto3.client("ec2")
            ec2.enable_ebs_encryption_by_default()
            ec2.modify_ebs_default_kms_key_id(KmsKeyId=event["ResourceProperties"]["KmsKeyId"])
        respond(event, context, "SUCCESS")
    except Exception as e:  # reported to CloudFormation, which fails the stack operation
        print(e)
        respond(event, context, "FAILED", str(e)[:200])
"#;
