//! Terraform plan and state JSON (`terraform show -json`) into the typed model.
//!
//! A plan's resources are read from `resource_changes[].change.after` (what
//! the resource will be after apply), with `after_unknown` leaves as values
//! known only after apply. `configuration` says what each attribute
//! references, so `kms_key_id = aws_kms_key.phi.arn` links to that key even
//! while its ARN is unknown. A state's resources are read from
//! `values.root_module`. Each plan or state is one unit of deployment.
//!
//! The resources are read into the same [`Estate`] the CloudFormation
//! collector builds (with Terraform's resource types and attribute names), so
//! the mappers share its typed accessors.

pub mod json_source;
pub mod map;
pub mod shape;
pub mod source;

use crate::InputError;
use crate::cfn::estate::{Estate, EvalRes};
use crate::cfn::value::Value;
use crate::yaml::Pos;
use phiguard_model::{Inventory, Origin, Rid, SourceKind, Unit, Val};
use serde_json::Value as J;
use std::collections::HashMap;

/// How a value the plan leaves unknown until apply is described (and told
/// apart from a sensitive value, which is never read).
pub const AFTER_APPLY: &str = " is known only after apply";

/// A parsed plan or state, not yet read into the model.
pub struct Plan {
    pub file: String,
    pub root: J,
    /// The text, for positions.
    text: String,
    /// Read from source: each resource's `.tf` file and block position.
    src: HashMap<String, (String, Pos)>,
    /// Read from source: the `# phiguard:waive` comments above each resource
    /// block, by address.
    waivers: HashMap<String, Vec<phiguard_model::ResourceWaiver>>,
    /// Read from source: waiver comments that could not be read.
    waiver_errors: Vec<InputError>,
}

impl Plan {
    /// Whether this plan was synthesised from `.tf` source.
    pub fn is_source(&self) -> bool {
        self.text.is_empty()
    }

    /// Takes the `.tf` resource blocks of the module this plan or state was
    /// made from: its resources are judged from the plan and point at their
    /// blocks (matched by address).
    pub fn adopt_source(&mut self, source: &Plan) {
        for (addr, at) in &source.src {
            self.src.entry(addr.clone()).or_insert_with(|| at.clone());
        }
        self.waiver_errors
            .extend(source.waiver_errors.iter().cloned());
        for (addr, w) in &source.waivers {
            self.waivers
                .entry(addr.clone())
                .or_insert_with(|| w.clone());
        }
    }

    fn is_state(&self) -> bool {
        self.root.get("planned_values").is_none()
    }

    /// The position of the first `"address": "..."` of each resource
    /// address, in one pass over the text.
    fn address_positions(&self) -> HashMap<String, Pos> {
        let t = self.text.as_str();
        let mut out = HashMap::new();
        let (mut line, mut line_start, mut scanned) = (1u32, 0usize, 0usize);
        let mut from = 0;
        while let Some(off) = t[from..].find("\"address\"") {
            let key = from + off;
            from = key + 9;
            let rest = t[from..].trim_start();
            let Some(rest) = rest.strip_prefix(':') else {
                continue;
            };
            let rest = rest.trim_start();
            if !rest.starts_with('"') {
                continue;
            }
            let q = t.len() - rest.len();
            // The closing quote: the first one not escaped.
            let mut end = None;
            let mut escaped = false;
            for (j, c) in t[q + 1..].char_indices() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        end = Some(q + 1 + j);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            let Some(end) = end else { break };
            let Ok(addr) = serde_json::from_str::<String>(&t[q..=end]) else {
                continue;
            };
            for (j, b) in t.as_bytes()[scanned..q].iter().enumerate() {
                if *b == b'\n' {
                    line += 1;
                    line_start = scanned + j + 1;
                }
            }
            scanned = q;
            let col = t[line_start..q].chars().count() as u32 + 1;
            out.entry(addr).or_insert(Pos { line, col });
            from = end + 1;
        }
        out
    }

    /// Where a field of the wrong type is: its key, after the resource's
    /// address in the section the path names (or the first such key).
    fn shape_pos(&self, e: &shape::ShapeError) -> Pos {
        let t = self.text.as_str();
        let section = e.path.split(['.', '[']).next().unwrap_or("");
        let mut from = t.find(&format!("\"{section}\"")).unwrap_or(0);
        if let Some(a) = &e.address {
            if let Ok(quoted) = serde_json::to_string(a) {
                if let Some(i) = t[from..].find(&quoted) {
                    from += i;
                }
            }
        }
        let key = e.path.rsplit('.').next().unwrap_or(&e.path);
        let key = key.split('[').next().unwrap_or(key);
        match t[from..].find(&format!("\"{key}\"")) {
            Some(i) => offset_pos(t, from + i),
            None => self.pos_of(&format!("\"{key}\"")),
        }
    }

    /// The 1-based position of the first occurrence of `needle`, or 1:1.
    fn pos_of(&self, needle: &str) -> Pos {
        match self.text.find(needle) {
            Some(i) => offset_pos(&self.text, i),
            None => Pos { line: 1, col: 1 },
        }
    }
}

fn offset_pos(text: &str, i: usize) -> Pos {
    let before = &text[..i];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    Pos { line, col }
}

/// Does this text look like `terraform show -json` output? Decided before
/// parsing, so that a truncated plan is reported as a broken plan.
pub fn looks_like(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('{')
        && t.contains("\"format_version\"")
        && t.contains("\"terraform_version\"")
        && (t.contains("\"planned_values\"") || t.contains("\"values\""))
        && !t.contains("\"AWSTemplateFormatVersion\"")
}

/// Is this JSON document a plan or a state?
pub fn is_plan_or_state(root: &J) -> bool {
    root.is_object()
        && root.get("format_version").is_some()
        && (root.get("planned_values").is_some_and(J::is_object)
            || root.get("values").is_some_and(J::is_object))
}

/// Parses a plan or state; `Ok(None)` when the JSON is something else.
pub fn parse(label: &str, text: &str) -> Result<Option<Plan>, InputError> {
    let name = label.rsplit('/').next().unwrap_or(label);
    let root: J = serde_json::from_str(text).map_err(|e| InputError {
        file: label.to_string(),
        line: e.line().max(1) as u32,
        column: e.column().max(1) as u32,
        message: format!("{name} is not a valid Terraform JSON document: {e}"),
    })?;
    if !is_plan_or_state(&root) {
        // It has a plan's or state's keys, with the wrong types: malformed.
        let e = shape::check(&root);
        if let (true, Some(e)) = (root.get("format_version").is_some(), e.first()) {
            let key = e.path.rsplit('.').next().unwrap_or(&e.path);
            let pos = offset_pos(text, text.find(&format!("\"{key}\"")).unwrap_or(0));
            return Err(InputError {
                file: label.to_string(),
                line: pos.line,
                column: pos.col,
                message: format!(
                    "{name} is not a valid Terraform plan or state: {} {}",
                    e.path, e.message
                ),
            });
        }
        return Ok(None);
    }
    let plan = Plan {
        file: label.to_string(),
        root,
        text: text.to_string(),
        src: HashMap::new(),
        waivers: HashMap::new(),
        waiver_errors: Vec::new(),
    };
    let version = plan.root.get("format_version").and_then(J::as_str);
    let supported = version.is_some_and(|v| v == "1" || v.starts_with("1."));
    if !supported {
        let pos = plan.pos_of("\"format_version\"");
        return Err(InputError {
            file: label.to_string(),
            line: pos.line,
            column: pos.col,
            message: format!(
                "Terraform JSON format_version {} is not supported; phiguard reads format 1.x (terraform show -json of Terraform 1.x)",
                match version {
                    Some(v) => format!("{v:?}"),
                    None => plan.root["format_version"].to_string(),
                }
            ),
        });
    }
    Ok(Some(plan))
}

/// The CloudFormation type a Terraform resource type corresponds to: the
/// canonical kind every source reports.
pub fn cfn_kind(tf_type: &str) -> String {
    let exact = match tf_type {
        "aws_s3_bucket" => "AWS::S3::Bucket",
        "aws_s3_bucket_policy" => "AWS::S3::BucketPolicy",
        "aws_kms_key" | "aws_kms_external_key" => "AWS::KMS::Key",
        "aws_kms_replica_key" => "AWS::KMS::ReplicaKey",
        "aws_kms_alias" => "AWS::KMS::Alias",
        "aws_cloudtrail" => "AWS::CloudTrail::Trail",
        "aws_ebs_volume" => "AWS::EC2::Volume",
        "aws_dynamodb_table" => "AWS::DynamoDB::Table",
        "aws_db_instance" => "AWS::RDS::DBInstance",
        "aws_rds_cluster" => "AWS::RDS::DBCluster",
        "aws_rds_cluster_instance" => "AWS::RDS::DBInstance",
        "aws_db_parameter_group" => "AWS::RDS::DBParameterGroup",
        "aws_rds_cluster_parameter_group" => "AWS::RDS::DBClusterParameterGroup",
        "aws_instance" => "AWS::EC2::Instance",
        "aws_vpc" => "AWS::EC2::VPC",
        "aws_subnet" => "AWS::EC2::Subnet",
        "aws_security_group" => "AWS::EC2::SecurityGroup",
        "aws_flow_log" => "AWS::EC2::FlowLog",
        "aws_vpc_endpoint" => "AWS::EC2::VPCEndpoint",
        "aws_iam_role" => "AWS::IAM::Role",
        "aws_iam_user" => "AWS::IAM::User",
        "aws_iam_policy" => "AWS::IAM::ManagedPolicy",
        "aws_cloudwatch_log_group" => "AWS::Logs::LogGroup",
        "aws_lb" | "aws_alb" => "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "aws_lb_listener" | "aws_alb_listener" => "AWS::ElasticLoadBalancingV2::Listener",
        "aws_secretsmanager_secret" => "AWS::SecretsManager::Secret",
        "aws_eks_cluster" => "AWS::EKS::Cluster",
        "aws_ecr_repository" => "AWS::ECR::Repository",
        "aws_backup_vault" => "AWS::Backup::BackupVault",
        "aws_backup_plan" => "AWS::Backup::BackupPlan",
        "aws_guardduty_detector" => "AWS::GuardDuty::Detector",
        "aws_sns_topic" => "AWS::SNS::Topic",
        "aws_sqs_queue" => "AWS::SQS::Queue",
        "aws_lambda_function" => "AWS::Lambda::Function",
        "aws_ec2_transit_gateway" => "AWS::EC2::TransitGateway",
        "aws_vpc_security_group_ingress_rule" => "AWS::EC2::SecurityGroupIngress",
        "aws_vpc_security_group_egress_rule" => "AWS::EC2::SecurityGroupEgress",
        "aws_organizations_policy" => "AWS::Organizations::Policy",
        "aws_lb_listener_rule" | "aws_alb_listener_rule" => {
            "AWS::ElasticLoadBalancingV2::ListenerRule"
        }
        "aws_iam_access_key" => "AWS::IAM::AccessKey",
        "aws_ssoadmin_permission_set" => "AWS::SSO::PermissionSet",
        "aws_secretsmanager_secret_rotation" => "AWS::SecretsManager::RotationSchedule",
        "aws_eks_addon" => "AWS::EKS::Addon",
        "aws_eks_pod_identity_association" => "AWS::EKS::PodIdentityAssociation",
        "aws_eks_node_group" => "AWS::EKS::Nodegroup",
        "aws_backup_selection" => "AWS::Backup::BackupSelection",
        "aws_backup_restore_testing_plan" => "AWS::Backup::RestoreTestingPlan",
        "aws_securityhub_account" => "AWS::SecurityHub::Hub",
        "aws_securityhub_standards_subscription" => "AWS::SecurityHub::Standard",
        "aws_macie2_account" => "AWS::Macie::Session",
        "aws_config_configuration_recorder" => "AWS::Config::ConfigurationRecorder",
        "aws_config_delivery_channel" => "AWS::Config::DeliveryChannel",
        "aws_ecr_registry_scanning_configuration" => "AWS::ECR::RegistryScanningConfiguration",
        "aws_api_gateway_domain_name" => "AWS::ApiGateway::DomainName",
        "aws_apigatewayv2_domain_name" => "AWS::ApiGatewayV2::DomainName",
        "aws_cloudfront_distribution" => "AWS::CloudFront::Distribution",
        "aws_ecs_task_definition" => "AWS::ECS::TaskDefinition",
        "aws_sqs_queue_policy" => "AWS::SQS::QueuePolicy",
        "aws_sns_topic_policy" => "AWS::SNS::TopicPolicy",
        "aws_kinesis_stream" => "AWS::Kinesis::Stream",
        "aws_opensearch_domain" => "AWS::OpenSearchService::Domain",
        "aws_elasticsearch_domain" => "AWS::Elasticsearch::Domain",
        "aws_efs_file_system" => "AWS::EFS::FileSystem",
        "aws_sagemaker_notebook_instance" => "AWS::SageMaker::NotebookInstance",
        "aws_s3_account_public_access_block" => "AWS::S3::AccountPublicAccessBlock",
        "aws_ebs_snapshot" | "aws_ebs_snapshot_copy" | "aws_ebs_snapshot_import" => {
            "AWS::EC2::Snapshot"
        }
        "aws_db_snapshot" | "aws_db_snapshot_copy" => "AWS::RDS::DBSnapshot",
        "aws_db_cluster_snapshot" | "aws_rds_cluster_snapshot_copy" => {
            "AWS::RDS::DBClusterSnapshot"
        }
        "aws_ami" | "aws_ami_copy" | "aws_ami_from_instance" => "AWS::EC2::Image",
        "aws_ami_launch_permission" => "AWS::EC2::ImageLaunchPermission",
        "aws_lambda_permission" => "AWS::Lambda::Permission",
        "aws_lambda_function_url" => "AWS::Lambda::Url",
        "aws_lambda_alias" => "AWS::Lambda::Alias",
        "aws_secretsmanager_secret_policy" => "AWS::SecretsManager::ResourcePolicy",
        "aws_elasticache_replication_group" => "AWS::ElastiCache::ReplicationGroup",
        "aws_elasticache_cluster" => "AWS::ElastiCache::CacheCluster",
        "aws_elasticache_serverless_cache" => "AWS::ElastiCache::ServerlessCache",
        "aws_redshift_cluster" => "AWS::Redshift::Cluster",
        "aws_redshift_parameter_group" => "AWS::Redshift::ClusterParameterGroup",
        "aws_redshiftserverless_namespace" => "AWS::RedshiftServerless::Namespace",
        _ => "",
    };
    if !exact.is_empty() {
        return exact.to_string();
    }
    // Other types of the AWS provider: the service namespace, which is what
    // BAA-2 and the reports read, and the Terraform type.
    const NS: &[(&str, &str)] = &[
        ("aws_s3_", "S3"),
        ("aws_kms_", "KMS"),
        ("aws_cloudtrail_", "CloudTrail"),
        ("aws_ebs_", "EC2"),
        ("aws_dynamodb_", "DynamoDB"),
        ("aws_db_", "RDS"),
        ("aws_rds_", "RDS"),
        ("aws_iam_", "IAM"),
        ("aws_cloudwatch_log_", "Logs"),
        ("aws_lb_", "ElasticLoadBalancingV2"),
        ("aws_eks_", "EKS"),
        ("aws_backup_", "Backup"),
        ("aws_alb_", "ElasticLoadBalancingV2"),
        ("aws_ec2_", "EC2"),
        ("aws_vpc_", "EC2"),
        ("aws_security_group", "EC2"),
        ("aws_subnet", "EC2"),
        ("aws_route53", "Route53"),
        ("aws_route", "EC2"),
        ("aws_internet_gateway", "EC2"),
        ("aws_nat_gateway", "EC2"),
        ("aws_eip", "EC2"),
        ("aws_instance", "EC2"),
        ("aws_launch_template", "EC2"),
        ("aws_network_", "EC2"),
        ("aws_organizations_", "Organizations"),
        ("aws_secretsmanager_", "SecretsManager"),
        ("aws_ssoadmin_", "SSO"),
        ("aws_securityhub_", "SecurityHub"),
        ("aws_macie2_", "Macie"),
        ("aws_config_", "Config"),
        ("aws_inspector2_", "InspectorV2"),
        ("aws_ecr_", "ECR"),
        ("aws_guardduty_", "GuardDuty"),
        ("aws_apigatewayv2_", "ApiGatewayV2"),
        ("aws_api_gateway_", "ApiGateway"),
        ("aws_cloudfront_", "CloudFront"),
        ("aws_ecs_", "ECS"),
        ("aws_lambda_", "Lambda"),
        ("aws_sns_", "SNS"),
        ("aws_sqs_", "SQS"),
        ("aws_efs_", "EFS"),
        ("aws_elasticache_", "ElastiCache"),
        ("aws_opensearch_", "OpenSearchService"),
        ("aws_elasticsearch_", "Elasticsearch"),
        ("aws_sagemaker_", "SageMaker"),
        ("aws_kinesis_", "Kinesis"),
        ("aws_sfn_", "StepFunctions"),
        ("aws_ssm_", "SSM"),
        ("aws_acm_", "CertificateManager"),
        ("aws_wafv2_", "WAFv2"),
        ("aws_athena_", "Athena"),
        ("aws_glue_", "Glue"),
        ("aws_redshift_", "Redshift"),
        ("aws_docdb_", "DocDB"),
        ("aws_neptune_", "Neptune"),
        ("aws_msk_", "MSK"),
        ("aws_mq_", "AmazonMQ"),
        ("aws_emr_", "EMR"),
        ("aws_batch_", "Batch"),
        ("aws_codebuild_", "CodeBuild"),
        ("aws_cognito_", "Cognito"),
        ("aws_lightsail_", "Lightsail"),
        ("aws_gamelift_", "GameLift"),
        ("aws_simpledb_", "SDB"),
        ("aws_devicefarm_", "DeviceFarm"),
    ];
    match NS.iter().find(|(p, _)| tf_type.starts_with(p)) {
        Some((_, ns)) => format!("AWS::{ns}::{tf_type}"),
        None => format!("Terraform::{tf_type}"),
    }
}

/// A resource as the plan or state gives it.
struct Raw<'p> {
    address: String,
    /// `module.a.module.b` (instance keys included), empty at the root.
    module: String,
    ty: String,
    name: String,
    values: Option<&'p J>,
    unknown: Option<&'p J>,
    sensitive: Option<&'p J>,
}

fn collect_module<'p>(m: &'p J, changes: &HashMap<&str, &'p J>, out: &mut Vec<Raw<'p>>) {
    let module = m
        .get("address")
        .and_then(J::as_str)
        .unwrap_or("")
        .to_string();
    for r in m
        .get("resources")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
    {
        if r.get("mode").and_then(J::as_str) != Some("managed") {
            continue; // data sources are read, not deployed: not judged
        }
        let Some(address) = r.get("address").and_then(J::as_str) else {
            continue;
        };
        let ty = r.get("type").and_then(J::as_str).unwrap_or("").to_string();
        let name = r.get("name").and_then(J::as_str).unwrap_or("").to_string();
        let mut raw = Raw {
            address: address.to_string(),
            module: module.clone(),
            ty,
            name,
            values: r.get("values"),
            unknown: None,
            sensitive: r.get("sensitive_values"),
        };
        if let Some(change) = changes.get(address).and_then(|c| c.get("change")) {
            let actions: Vec<&str> = change
                .get("actions")
                .and_then(J::as_array)
                .map(|a| a.iter().filter_map(J::as_str).collect())
                .unwrap_or_default();
            if actions == ["delete"] {
                continue;
            }
            if let Some(after) = change.get("after").filter(|a| a.is_object()) {
                raw.values = Some(after);
                raw.unknown = change.get("after_unknown");
                raw.sensitive = change.get("after_sensitive");
            }
        }
        out.push(raw);
    }
    for c in m
        .get("child_modules")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
    {
        collect_module(c, changes, out);
    }
}

/// Drops instance keys: `module.a["x"].module.b[0]` → `module.a.module.b`.
fn strip_keys(addr: &str) -> String {
    let mut out = String::with_capacity(addr.len());
    let mut depth = 0;
    let mut in_str = false;
    for c in addr.chars() {
        match c {
            '"' if depth > 0 => in_str = !in_str,
            '[' if !in_str => depth += 1,
            ']' if !in_str => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Where the resource address of a reference ends (`type.name` with its
/// instance key, if any): `aws_s3_bucket.b[0].id` → `aws_s3_bucket.b[0]`.
fn instance_end(r: &str) -> Option<usize> {
    let first = r.find('.')?;
    let rest = &r[first + 1..];
    let mut depth = 0;
    let mut in_str = false;
    for (i, c) in rest.char_indices() {
        match c {
            '"' if depth > 0 => in_str = !in_str,
            '[' if !in_str => depth += 1,
            ']' if !in_str => depth -= 1,
            '.' if depth == 0 && !in_str => return Some(first + 1 + i),
            _ => {}
        }
    }
    Some(r.len())
}

/// The configuration of a plan: modules by path, with the expressions of
/// the call that created them.
struct Config<'p> {
    modules: HashMap<String, &'p J>,
    calls: HashMap<String, &'p J>,
}

impl<'p> Config<'p> {
    fn new(root: Option<&'p J>) -> Self {
        let mut c = Config {
            modules: HashMap::new(),
            calls: HashMap::new(),
        };
        if let Some(r) = root {
            c.add(String::new(), r, 0);
        }
        c
    }

    fn add(&mut self, path: String, m: &'p J, depth: u32) {
        if depth > 64 {
            return;
        }
        if let Some(calls) = m.get("module_calls").and_then(J::as_object) {
            for (name, call) in calls {
                let child = if path.is_empty() {
                    format!("module.{name}")
                } else {
                    format!("{path}.module.{name}")
                };
                if let Some(e) = call.get("expressions") {
                    self.calls.insert(child.clone(), e);
                }
                if let Some(cm) = call.get("module") {
                    self.add(child, cm, depth + 1);
                }
            }
        }
        self.modules.insert(path, m);
    }

    /// The expressions of a resource.
    fn expressions(&self, module: &str, ty: &str, name: &str) -> Option<&'p J> {
        let m = self.modules.get(&strip_keys(module))?;
        let want = format!("{ty}.{name}");
        m.get("resources")?
            .as_array()?
            .iter()
            .find(|r| {
                r.get("address").and_then(J::as_str) == Some(want.as_str())
                    && r.get("mode").and_then(J::as_str) != Some("data")
            })?
            .get("expressions")
    }
}

/// Resolves references to the plan's resources.
struct Refs<'a, 'p> {
    config: &'a Config<'p>,
    /// Address → rid, within the plan.
    addrs: &'a HashMap<String, Rid>,
}

impl Refs<'_, '_> {
    /// The resources an expression's `references` name, in `module`'s scope.
    fn resolve(&self, expr: Option<&J>, module: &str, depth: u32) -> Vec<(Rid, String)> {
        let mut out: Vec<(Rid, String)> = Vec::new();
        let Some(refs) = expr.and_then(|e| e.get("references")).and_then(J::as_array) else {
            return out;
        };
        for r in refs.iter().filter_map(J::as_str) {
            for found in self.resolve_one(r, module, depth) {
                if !out.iter().any(|(rid, _)| *rid == found.0) {
                    out.push(found);
                }
            }
        }
        out
    }

    fn resolve_one(&self, r: &str, module: &str, depth: u32) -> Vec<(Rid, String)> {
        let parts: Vec<&str> = r.split('.').collect();
        match parts.first().copied() {
            Some("var") if depth < 32 && !module.is_empty() => {
                let Some(var) = parts.get(1) else {
                    return vec![];
                };
                let var = strip_keys(var);
                let call = self.config.calls.get(&strip_keys(module));
                let parent = module.rfind(".module.").map(|i| &module[..i]).unwrap_or("");
                self.resolve(call.and_then(|c| c.get(&var)), parent, depth + 1)
            }
            Some(
                "var" | "data" | "local" | "module" | "path" | "each" | "count" | "self"
                | "terraform",
            )
            | None => {
                vec![]
            }
            Some(_) if parts.len() >= 2 => {
                let prefix = if module.is_empty() {
                    String::new()
                } else {
                    format!("{module}.")
                };
                // `aws_s3_bucket.b[0].id` names the instance `aws_s3_bucket.b[0]`.
                let plain = strip_keys(r);
                let plain: Vec<&str> = plain.split('.').collect();
                let attr = plain.get(2).map(|a| a.to_string()).unwrap_or_default();
                if let Some(end) = instance_end(r) {
                    if let Some(rid) = self.addrs.get(&format!("{prefix}{}", &r[..end])) {
                        return vec![(*rid, attr)];
                    }
                }
                let addr = format!("{prefix}{}.{}", plain[0], plain.get(1).unwrap_or(&""));
                if let Some(rid) = self.addrs.get(&addr) {
                    return vec![(*rid, attr)];
                }
                // A resource with count or for_each referenced by an index
                // known only per instance (`b[count.index]`): the instance
                // when there is only one; otherwise which one cannot be told.
                let inst: Vec<&Rid> = self
                    .addrs
                    .iter()
                    .filter(|(a, _)| a.starts_with(&addr) && a[addr.len()..].starts_with('['))
                    .map(|(_, rid)| rid)
                    .collect();
                match inst.as_slice() {
                    [one] => vec![(**one, attr)],
                    _ => vec![],
                }
            }
            Some(_) => vec![],
        }
    }
}

/// JSON into an evaluated value: unknown leaves become a reference to the
/// one resource their expression names, or unknown; sensitive leaves are
/// never read.
fn convert(
    v: Option<&J>,
    unk: Option<&J>,
    sens: Option<&J>,
    expr: Option<&J>,
    path: &str,
    cx: &(&Refs, &str),
) -> Value {
    if sens.is_some_and(|s| s == &J::Bool(true)) {
        return Value::Unknown(format!(
            "{path} is sensitive; phiguard does not read sensitive values"
        ));
    }
    if unk.is_some_and(|u| u == &J::Bool(true)) {
        let targets = cx.0.resolve(expr, cx.1, 0);
        if let [(rid, attr)] = targets.as_slice() {
            return Value::Att(*rid, attr.clone());
        }
        // At the root, a variable has a value in a plan; in source, one
        // without a default is given only at plan time.
        let names: Vec<&str> = expr
            .and_then(|e| e.get("references"))
            .and_then(J::as_array)
            .into_iter()
            .flatten()
            .filter_map(J::as_str)
            .collect();
        let only_vars = !names.is_empty() && names.iter().all(|r| r.starts_with("var."));
        if let (true, "") = (only_vars, cx.1) {
            let var = names.join(", ");
            return Value::Unknown(format!(
                "{path} is set from {var}, which has no default, so it{AFTER_APPLY}"
            ));
        }
        return Value::Unknown(format!("{path}{AFTER_APPLY}"));
    }
    let is_expr_leaf = |e: &J| e.get("references").is_some() || e.get("constant_value").is_some();
    match v {
        None | Some(J::Null) => Value::Null,
        Some(J::Bool(b)) => Value::Bool(*b),
        Some(J::Number(n)) => Value::Num(n.to_string()),
        // The provider writes an unset optional string as "".
        Some(J::String(s)) if s.is_empty() => Value::Null,
        Some(J::String(s)) => Value::Str(s.clone()),
        Some(J::Array(items)) => Value::List(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let e = expr.and_then(|e| e.as_array()).and_then(|a| a.get(i));
                    convert(
                        Some(item),
                        unk.and_then(|u| u.get(i)),
                        sens.and_then(|s| s.get(i)),
                        e,
                        path,
                        cx,
                    )
                })
                .collect(),
        ),
        Some(J::Object(m)) => {
            let mut keys: Vec<&String> = m.keys().collect();
            if let Some(J::Object(u)) = unk {
                for k in u.keys() {
                    if !m.contains_key(k) {
                        keys.push(k);
                    }
                }
            }
            Value::Map(
                keys.into_iter()
                    .map(|k| {
                        let e = expr
                            .filter(|e| e.is_object() && !is_expr_leaf(e))
                            .and_then(|e| e.get(k));
                        // A nested block's expressions are a list of one object.
                        let e = match e {
                            Some(J::Array(a)) if !m.get(k).is_some_and(J::is_array) => a.first(),
                            other => other,
                        };
                        (
                            k.clone(),
                            convert(
                                m.get(k),
                                unk.and_then(|u| u.get(k)),
                                sens.and_then(|s| s.get(k)),
                                e,
                                k,
                                cx,
                            ),
                        )
                    })
                    .collect(),
            )
        }
    }
}

/// An attribute the configuration sets: the resource, the path, the
/// resources referenced, whether it is a constant, the names referenced.
type ExprLink = (Rid, String, Vec<Rid>, bool, Vec<String>);

/// Records every attribute an expression tree sets, by path
/// (`rule.apply_server_side_encryption_by_default.kms_master_key_id`), with
/// the resources it references.
fn record(
    e: &J,
    prefix: &str,
    refs: &Refs,
    module: &str,
    rid: Rid,
    out: &mut Vec<ExprLink>,
    depth: u32,
) {
    let Some(m) = e.as_object() else { return };
    if depth > 32 {
        return;
    }
    for (k, ex) in m {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        let to: Vec<Rid> = refs
            .resolve(Some(ex), module, 0)
            .into_iter()
            .map(|(rid, _)| rid)
            .collect();
        let names = ex
            .get("references")
            .and_then(J::as_array)
            .into_iter()
            .flatten()
            .filter_map(J::as_str)
            .map(str::to_string)
            .collect();
        let constant = ex.get("constant_value").is_some();
        out.push((rid, path.clone(), to, constant, names));
        let leaf = ex.get("references").is_some() || ex.get("constant_value").is_some();
        match ex {
            J::Array(items) => {
                for i in items {
                    record(i, &path, refs, module, rid, out, depth + 1);
                }
            }
            J::Object(_) if !leaf => record(ex, &path, refs, module, rid, out, depth + 1),
            _ => {}
        }
    }
}

/// Reads the plans and states into `inv`; returns the input errors found.
pub fn build(plans: &[Plan], inv: &mut Inventory) -> Vec<InputError> {
    let mut errors = Vec::new();
    let mut waiver_errors: Vec<InputError> = plans
        .iter()
        .flat_map(|p| p.waiver_errors.iter().cloned())
        .collect();
    let mut evaluated = Vec::new();
    let mut links = Vec::new();
    for plan in plans {
        let state = plan.is_state();
        let unit = inv.units.len() as u32;
        let region = plan
            .root
            .pointer("/configuration/provider_config/aws/expressions/region/constant_value")
            .and_then(J::as_str);
        // The aws provider refuses to run against any other account than
        // one of `allowed_account_ids`: a single constant names the account.
        let allowed: Option<Vec<String>> = plan
            .root
            .pointer(
                "/configuration/provider_config/aws/expressions/allowed_account_ids/constant_value",
            )
            .and_then(J::as_array)
            .map(|a| a.iter().filter_map(J::as_str).map(str::to_string).collect());
        inv.units.push(Unit {
            name: plan.file.clone(),
            source: SourceKind::Terraform,
            account: match allowed.as_deref() {
                Some([one]) => Val::Known(one.clone()),
                _ => Val::unknown(
                    "the account a Terraform plan deploys to is not written in the plan (no single allowed_account_ids in its aws provider)",
                ),
            },
            region: match region {
                Some(r) => Val::Known(r.to_string()),
                None => Val::unknown("the region of the plan's aws provider is not a constant"),
            },
            account_role: Val::unknown(
                "the role of the account a Terraform plan deploys to is not written in the plan",
            ),
        });
        // Fields of the wrong type: input errors; a resource whose own fields
        // are malformed is left out, the rest is judged.
        let mut broken = std::collections::HashSet::new();
        let positions = plan.address_positions();
        for e in shape::check(&plan.root) {
            let pos = plan.shape_pos(&e);
            let what = match &e.address {
                Some(a) => format!("{} ({a})", e.path),
                None => e.path.clone(),
            };
            errors.push(InputError {
                file: plan.file.clone(),
                line: pos.line,
                column: pos.col,
                message: format!("malformed Terraform JSON: {what} {}", e.message),
            });
            broken.extend(e.address);
        }
        let changes: HashMap<&str, &J> = plan
            .root
            .get("resource_changes")
            .and_then(J::as_array)
            .into_iter()
            .flatten()
            // A deposed object (create_before_destroy) shares the address of
            // the current one: its change is not the resource's.
            .filter(|c| c.get("deposed").is_none())
            .filter_map(|c| Some((c.get("address")?.as_str()?, c)))
            .collect();
        let values_root = if state {
            plan.root.pointer("/values/root_module")
        } else {
            plan.root.pointer("/planned_values/root_module")
        };
        let mut raws = Vec::new();
        if let Some(root) = values_root {
            collect_module(root, &changes, &mut raws);
        }
        raws.retain(|r| !broken.contains(&r.address));
        let config = Config::new(plan.root.pointer("/configuration/root_module"));
        let mut addrs = HashMap::new();
        let mut rids = Vec::with_capacity(raws.len());
        for r in &raws {
            let origin = match plan.src.get(&r.address) {
                // The resource block in its `.tf` file.
                Some((file, pos)) => Origin::Terraform {
                    file: file.clone(),
                    address: r.address.clone(),
                    line: Some(pos.line),
                },
                None => Origin::Terraform {
                    file: plan.file.clone(),
                    address: r.address.clone(),
                    // Where the plan first names the resource.
                    line: positions.get(&r.address).map(|p| p.line),
                },
            };
            let rid = inv.add_meta(cfn_kind(&r.ty), r.address.clone(), origin, unit);
            if let Some(w) = plan.waivers.get(&r.address) {
                inv.meta_mut(rid).waivers = w.clone();
            }
            addrs.insert(r.address.clone(), rid);
            rids.push(rid);
        }
        let refs = Refs {
            config: &config,
            addrs: &addrs,
        };
        for (r, rid) in raws.iter().zip(rids) {
            let exprs = config.expressions(&r.module, &r.ty, &r.name);
            let props = convert(
                r.values,
                r.unknown,
                r.sensitive,
                exprs,
                &r.address,
                &(&refs, r.module.as_str()),
            );
            if let Some(e) = exprs {
                record(e, "", &refs, &r.module, rid, &mut links, 0);
            }
            // Input errors point where the values are read: the plan's text,
            // or (read from source) the resource block.
            let (file, pos) = match (positions.get(&r.address), plan.src.get(&r.address)) {
                (Some(p), _) => (plan.file.clone(), *p),
                (None, Some((f, p))) => (f.clone(), *p),
                (None, None) => (plan.file.clone(), Pos { line: 1, col: 1 }),
            };
            evaluated.push(EvalRes {
                rid,
                ty: r.ty.clone(),
                logical_id: r.address.clone(),
                pos,
                unit,
                props: Some(props),
                node: None,
                file,
            });
        }
    }
    let mut est = Estate::new(evaluated);
    for (rid, attr, to, constant, names) in links {
        est.add_expr(rid, attr.clone(), constant, names);
        est.add_refs(rid, attr, to);
    }
    map::prepare(&mut est);
    for r in &est.resources {
        let p = est.props(r);
        let tags = match p.get("tags_all").tags() {
            Val::Known(t) if !t.is_empty() => Val::Known(t),
            _ => p.get("tags").tags(),
        };
        // `phiguard:waive` tags: waivers declared on the resource.
        if let Val::Known(t) = &tags {
            for w in phiguard_model::waivers_from_tags(t) {
                match w {
                    Ok(w) => inv.meta_mut(r.rid).waivers.push(w),
                    Err(e) => waiver_errors.push(InputError {
                        file: r.file.clone(),
                        line: r.pos.line,
                        column: r.pos.col,
                        message: format!("{}: {e}", r.logical_id),
                    }),
                }
            }
        }
        inv.meta_mut(r.rid).tags = tags;
    }
    errors.extend(map::map_all(inv, &est));
    errors.extend(waiver_errors);
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_name_the_service() {
        assert_eq!(
            cfn_kind("aws_route53_zone"),
            "AWS::Route53::aws_route53_zone"
        );
        assert_eq!(cfn_kind("aws_route_table"), "AWS::EC2::aws_route_table");
        assert_eq!(cfn_kind("aws_eks_addon"), "AWS::EKS::Addon");
        assert_eq!(
            cfn_kind("aws_gamelift_fleet"),
            "AWS::GameLift::aws_gamelift_fleet"
        );
        assert_eq!(
            cfn_kind("google_storage_bucket"),
            "Terraform::google_storage_bucket"
        );
    }

    #[test]
    fn address_positions_in_one_pass() {
        let text = "{\n  \"format_version\": \"1.2\",\n  \"a\": [\n    {\"address\": \"aws_s3_bucket.b[\\\"x\\\"]\"},\n    {\"address\" : \"aws_kms_key.k\"},\n    {\"address\": \"aws_kms_key.k\"}\n  ]\n}\n";
        let plan = Plan {
            file: "p.json".into(),
            root: serde_json::from_str(text).unwrap(),
            text: text.into(),
            src: HashMap::new(),
            waivers: HashMap::new(),
            waiver_errors: Vec::new(),
        };
        let p = plan.address_positions();
        assert_eq!(p["aws_s3_bucket.b[\"x\"]"], Pos { line: 4, col: 17 });
        assert_eq!(p["aws_kms_key.k"], Pos { line: 5, col: 18 });
        assert_eq!(p.len(), 2);
    }
}
