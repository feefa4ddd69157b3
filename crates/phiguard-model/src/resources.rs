//! Typed resources: what the rules read, and nothing more.
//!
//! Each struct carries the `rid` of its [`crate::Meta`]. Collectors apply AWS's
//! (or the provider's) documented default when a source omits an attribute, and
//! record `Unknown` only when the value cannot be known.

use crate::{KeyRef, Link, PolicyDoc, Rid, Val};
use serde::Serialize;
use std::collections::BTreeMap;

// ---------------------------------------------------------------- storage

/// Default encryption of an S3 bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum BucketSse {
    /// No default encryption configured (S3 then applies SSE-S3).
    None,
    /// SSE-S3 (`AES256`).
    S3,
    /// SSE-KMS or DSSE-KMS, with its key (`AwsManaged("aws/s3")` when no key id is given).
    Kms(Val<KeyRef>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LockMode {
    Compliance,
    Governance,
}

/// Object Lock default retention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retention {
    pub mode: LockMode,
    pub days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifecycleRule {
    pub id: Option<String>,
    pub enabled: bool,
    pub prefix: Option<String>,
    /// Current-version expiration, in days.
    pub expiration_days: Option<u32>,
    /// Noncurrent-version expiration, in days.
    pub noncurrent_expiration_days: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    /// All four settings on: what S3 gives every new bucket since April 2023.
    pub const ALL_ON: PublicAccessBlock = PublicAccessBlock {
        block_public_acls: true,
        ignore_public_acls: true,
        block_public_policy: true,
        restrict_public_buckets: true,
    };

    pub fn all_on(&self) -> bool {
        self.block_public_acls
            && self.ignore_public_acls
            && self.block_public_policy
            && self.restrict_public_buckets
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Bucket {
    pub rid: Rid,
    pub name: Val<String>,
    pub encryption: Val<BucketSse>,
    pub versioning: Val<bool>,
    pub mfa_delete: Val<bool>,
    pub object_lock: Val<bool>,
    /// The default retention, `None` when Object Lock has no default rule.
    pub lock_retention: Val<Option<Retention>>,
    pub lifecycle: Val<Vec<LifecycleRule>>,
    /// The bucket policy, `None` when the bucket has none.
    pub policy: Val<Option<PolicyDoc>>,
    pub public_access_block: Val<Option<PublicAccessBlock>>,
    /// The grants of the bucket ACL to everyone (`AllUsers`) or to any AWS
    /// account (`AuthenticatedUsers`); empty when it has none.
    pub public_acl: Val<Vec<AclGrant>>,
    /// Object Ownership: `BucketOwnerEnforced` disables ACLs.
    pub object_ownership: Val<ObjectOwnership>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum KeyManager {
    Customer,
    Aws,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum KeyState {
    Enabled,
    Disabled,
    PendingDeletion,
    Other(String),
}

#[derive(Debug, Clone, Serialize)]
pub struct KmsKey {
    pub rid: Rid,
    pub key_id: Val<String>,
    pub manager: Val<KeyManager>,
    /// `SYMMETRIC_DEFAULT` used for `ENCRYPT_DECRYPT`: the keys that can rotate automatically.
    pub symmetric: Val<bool>,
    /// Where the key material is: `AWS_KMS`, `EXTERNAL` (imported),
    /// `AWS_CLOUDHSM` or `EXTERNAL_KEY_STORE` (custom key stores). Only
    /// `AWS_KMS` keys can rotate automatically.
    pub origin: Val<String>,
    pub rotation_enabled: Val<bool>,
    pub policy: Val<PolicyDoc>,
    pub state: Val<KeyState>,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EbsVolume {
    pub rid: Rid,
    pub encrypted: Val<bool>,
    /// Meaningful when encrypted: `AwsManaged("aws/ebs")` when no key is named.
    pub key: Val<KeyRef>,
}

/// EBS encryption-by-default settings of one account and region.
#[derive(Debug, Clone, Serialize)]
pub struct EbsDefaults {
    pub rid: Rid,
    pub enabled: Val<bool>,
    pub key: Val<KeyRef>,
}

/// An RDS DB instance or an Aurora/Multi-AZ DB cluster.
#[derive(Debug, Clone, Serialize)]
pub struct Database {
    pub rid: Rid,
    pub is_cluster: bool,
    pub engine: Val<String>,
    /// An instance that belongs to a cluster takes storage encryption and its
    /// master user from the cluster.
    pub cluster: Option<Link>,
    pub storage_encrypted: Val<bool>,
    /// Meaningful when encrypted: `AwsManaged("aws/rds")` when no key is named.
    pub key: Val<KeyRef>,
    pub master_password: Val<Credential>,
    /// The engine version as the source gives it (`16.4`,
    /// `8.0.mysql_aurora.3.05.2`); `None` when omitted (RDS picks its
    /// default version at creation).
    pub engine_version: Val<Option<String>>,
    /// `PubliclyAccessible` of an instance (Aurora instances each have their
    /// own) or of a Multi-AZ DB cluster; `None` for an Aurora cluster, which
    /// has no such setting.
    pub publicly_accessible: Val<Option<bool>>,
    /// `DeletionProtection` (default false). Aurora instances take it from
    /// their cluster.
    pub deletion_protection: Val<bool>,
    /// A standby in another Availability Zone: `MultiAZ` of an instance;
    /// for a cluster, Multi-AZ DB clusters always, Aurora clusters when
    /// their instances are in two Availability Zones or more.
    pub multi_az: Val<bool>,
    /// The instance's Availability Zone where the source sets it; `None`
    /// when RDS picks one.
    pub availability_zone: Val<Option<String>>,
    /// Days automated backups are kept (`0`: off). Aurora instances take it
    /// from their cluster.
    pub backup_retention_days: Val<u32>,
    /// The DB parameter group (instances) or DB cluster parameter group
    /// (clusters); `None` means the engine's default group. A name of the
    /// form `default.<family>` is also an engine default group.
    pub parameter_group: Val<Option<Link>>,
    /// A read replica of another instance or cluster: its source keeps the
    /// automated backups.
    pub read_replica: Val<bool>,
    /// The port it listens on (the engine's default when the source sets
    /// none); `None` for an instance of a cluster, which listens on the
    /// cluster's port.
    pub port: Val<Option<u16>>,
}

/// Where a credential comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Credential {
    /// None is set (e.g. a cluster member, a snapshot restore).
    Absent,
    /// Managed by Secrets Manager (`ManageMasterUserPassword`, `manage_master_user_password`).
    Managed,
    /// A dynamic reference to Secrets Manager or an SSM SecureString.
    SecretReference(String),
    /// A literal in the code.
    Literal,
    /// A template parameter; `no_echo` says whether it is hidden.
    Parameter { name: String, no_echo: bool },
}

#[derive(Debug, Clone, Serialize)]
pub struct DynamoTable {
    pub rid: Rid,
    /// `AwsOwned` by default; `AwsManaged("aws/dynamodb")` for SSE-KMS without a key.
    pub key: Val<KeyRef>,
}

// ---------------------------------------------------------------- in transit

#[derive(Debug, Clone, Serialize)]
pub struct LoadBalancer {
    pub rid: Rid,
    /// `application`, `network` or `gateway`.
    pub lb_type: Val<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListenerAction {
    /// `forward`, `redirect`, `fixed-response`, `authenticate-oidc`, ...
    pub action_type: String,
    /// For redirects, the target protocol (`HTTPS`, `#{protocol}`).
    pub redirect_protocol: Option<Val<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Listener {
    pub rid: Rid,
    pub load_balancer: Val<Link>,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, `GENEVE`.
    pub protocol: Val<String>,
    /// For HTTPS/TLS listeners, the policy in effect (the default applied when omitted).
    pub ssl_policy: Val<Option<String>>,
    /// The actions it takes: its default actions, then those of its listener rules.
    pub default_actions: Val<Vec<ListenerAction>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApiDomain {
    pub rid: Rid,
    /// 1 for REST APIs (`AWS::ApiGateway::DomainName`), 2 for HTTP/WebSocket.
    pub api_version: u8,
    pub domain_name: Val<String>,
    /// `TLS_1_0`, `TLS_1_2`, or a `SecurityPolicy_TLS13_...` policy; the default applied.
    pub security_policy: Val<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CacheBehavior {
    /// `*` for the default behavior.
    pub path: String,
    pub viewer_protocol_policy: Val<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CfOrigin {
    pub id: String,
    /// `None` for S3 (and other non-custom) origins.
    pub custom: Option<CustomOrigin>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomOrigin {
    pub protocol_policy: Val<String>,
    pub ssl_protocols: Val<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Distribution {
    pub rid: Rid,
    pub behaviors: Val<Vec<CacheBehavior>>,
    /// `true` when the distribution uses `*.cloudfront.net`'s default certificate.
    pub default_certificate: Val<bool>,
    /// The viewer minimum protocol (`TLSv1`, `TLSv1.2_2021`, ...); `TLSv1` for the default certificate.
    pub min_protocol: Val<String>,
    pub origins: Val<Vec<CfOrigin>>,
}

// ---------------------------------------------------------------- network

#[derive(Debug, Clone, Serialize)]
pub struct Vpc {
    pub rid: Rid,
    pub vpc_id: Val<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EndpointType {
    Gateway,
    Interface,
    GatewayLoadBalancer,
}

#[derive(Debug, Clone, Serialize)]
pub struct VpcEndpoint {
    pub rid: Rid,
    pub vpc: Val<Link>,
    /// The short service name: `s3`, `dynamodb`, `ecr.api`, `kms`, ...
    pub service: Val<String>,
    pub endpoint_type: Val<EndpointType>,
    /// `None` means the default, full-access policy.
    pub policy: Val<Option<PolicyDoc>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TransitGateway {
    pub rid: Rid,
}

#[derive(Debug, Clone, Serialize)]
pub struct FlowLog {
    pub rid: Rid,
    /// The VPC, subnet, interface or transit gateway it watches.
    pub target: Val<Link>,
    /// `VPC`, `Subnet`, `NetworkInterface`, `TransitGateway`, `TransitGatewayAttachment`.
    pub target_type: Val<String>,
    /// `ALL`, `ACCEPT`, `REJECT` (transit gateway flow logs capture everything).
    pub traffic_type: Val<String>,
    /// `cloud-watch-logs`, `s3`, `kinesis-data-firehose`.
    pub destination_type: Val<String>,
    /// The log group or bucket it delivers to.
    pub destination: Val<Link>,
    /// Live: `FlowLogStatus = ACTIVE` and no delivery error. Code: true.
    pub active: Val<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LogGroup {
    pub rid: Rid,
    pub name: Val<String>,
    /// `None` when not encrypted with a KMS key.
    pub key: Val<Option<KeyRef>>,
    /// `None` means never expire.
    pub retention_days: Val<Option<u32>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SgRule {
    /// `-1` for all protocols.
    pub protocol: String,
    pub cidr: Option<String>,
    pub peer: Option<String>,
    /// The ports of its protocol it admits ([`sg_ports`]): every port for
    /// protocol `-1`; `None` for ICMP, which has no ports.
    pub ports: Val<Option<PortRange>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecurityGroup {
    pub rid: Rid,
    pub vpc: Val<Link>,
    pub ingress: Val<Vec<SgRule>>,
    /// The egress rules in effect (the default allow-all when the source sets none).
    pub egress: Val<Vec<SgRule>>,
}

// ---------------------------------------------------------------- identity

#[derive(Debug, Clone, Serialize)]
pub struct IamUser {
    pub rid: Rid,
    pub name: Val<String>,
    /// Live: a console password is set.
    pub console_password: Val<bool>,
    /// Live: an MFA device is enabled.
    pub mfa: Val<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccessKey {
    pub rid: Rid,
    pub user: Val<Link>,
    pub active: Val<bool>,
}

/// The root user's summary (live only).
#[derive(Debug, Clone, Serialize)]
pub struct RootUser {
    pub rid: Rid,
    pub mfa: Val<bool>,
    pub access_keys: Val<bool>,
}

/// A policy attached to a role: managed (by ARN) or inline.
#[derive(Debug, Clone, Serialize)]
pub struct AttachedPolicy {
    /// The managed policy's ARN (or the inline policy's name).
    pub name: Val<String>,
    /// `Some` for policies of this inventory (inline or customer-managed),
    /// `None` for an AWS-managed policy that the inventory does not hold.
    pub document: Option<Val<PolicyDoc>>,
    pub aws_managed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct IamRole {
    pub rid: Rid,
    pub name: Val<String>,
    pub trust: Val<PolicyDoc>,
    /// Seconds; 3600 by default.
    pub max_session_secs: Val<u32>,
    pub policies: Val<Vec<AttachedPolicy>>,
}

/// IAM Identity Center.
#[derive(Debug, Clone, Serialize)]
pub struct SsoInstance {
    pub rid: Rid,
}

#[derive(Debug, Clone, Serialize)]
pub struct PermissionSet {
    pub rid: Rid,
    pub name: Val<String>,
    /// Seconds; one hour by default.
    pub session_secs: Val<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EksCluster {
    pub rid: Rid,
    pub name: Val<String>,
    /// The key that encrypts Kubernetes secrets; `None` when envelope encryption is off.
    pub secrets_key: Val<Option<KeyRef>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EksAddon {
    pub rid: Rid,
    pub cluster: Val<Link>,
    pub name: Val<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PodIdentityAssociation {
    pub rid: Rid,
    pub cluster: Val<Link>,
    pub role: Val<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NodeGroup {
    pub rid: Rid,
    pub cluster: Val<Link>,
    pub node_role: Val<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Secret {
    pub rid: Rid,
    pub name: Val<String>,
    /// `AwsManaged("aws/secretsmanager")` by default.
    pub key: Val<KeyRef>,
    pub rotation_enabled: Val<bool>,
    /// The rotation interval in days, where rotation is on.
    pub rotation_days: Val<Option<u32>>,
    /// Live: when it last rotated, as seconds since the epoch.
    pub last_rotated: Val<Option<i64>>,
    /// Its resource-based policy, `None` when it has none.
    pub policy: Val<Option<PolicyDoc>>,
}

/// A template parameter, a Lambda or ECS environment variable: places the code
/// may hold a credential.
#[derive(Debug, Clone, Serialize)]
pub struct CodeValue {
    pub rid: Rid,
    /// Where in the resource: `Parameter DbPassword`, `Environment API_TOKEN`.
    pub place: String,
    pub name: String,
    /// The literal value, when the code holds one.
    pub literal: Option<String>,
    /// For parameters: whether `NoEcho` hides it.
    pub no_echo: Option<bool>,
}

// ---------------------------------------------------------------- logging

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ReadWrite {
    All,
    ReadOnly,
    WriteOnly,
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum DataCoverage {
    /// Every object / table.
    All,
    /// Only the resources named (ARN prefixes).
    Some(Vec<String>),
    None,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trail {
    pub rid: Rid,
    pub name: Val<String>,
    pub organization: Val<bool>,
    pub multi_region: Val<bool>,
    pub global_events: Val<bool>,
    pub logging: Val<bool>,
    pub management_events: Val<ReadWrite>,
    pub s3_data: Val<DataCoverage>,
    pub dynamodb_data: Val<DataCoverage>,
    pub log_validation: Val<bool>,
    /// `None` when not KMS-encrypted.
    pub key: Val<Option<KeyRef>>,
    pub bucket: Val<Link>,
    pub log_group: Val<Option<Link>>,
    /// Live: the latest delivery error, `None` when there is none.
    pub delivery_error: Val<Option<String>>,
}

// ---------------------------------------------------------------- detection

#[derive(Debug, Clone, Serialize)]
pub struct GuardDuty {
    pub rid: Rid,
    pub enabled: Val<bool>,
    /// Live: new accounts are enrolled automatically by the delegated administrator.
    pub org_auto_enable: Val<bool>,
    /// Live: the delegated administrator account.
    pub admin_account: Val<Option<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SecurityHub {
    pub rid: Rid,
    pub enabled: Val<bool>,
    /// Enabled standards (ARNs).
    pub standards: Val<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Macie {
    pub rid: Rid,
    pub enabled: Val<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfigRecorder {
    pub rid: Rid,
    pub all_supported: Val<bool>,
    pub include_global: Val<bool>,
    pub recording: Val<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeliveryChannel {
    pub rid: Rid,
}

#[derive(Debug, Clone, Serialize)]
pub struct Inspector {
    pub rid: Rid,
    pub ec2: Val<bool>,
    pub ecr: Val<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EcrRepository {
    pub rid: Rid,
    pub scan_on_push: Val<bool>,
    /// The KMS key of a `KMS` or `KMS_DSSE` repository (`AwsManaged("aws/ecr")`
    /// when no key is named); `None` for `AES256`, the default (SSE-S3).
    pub kms_key: Val<Option<KeyRef>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EcrRegistryScanning {
    pub rid: Rid,
    pub enhanced: Val<bool>,
}

// ---------------------------------------------------------------- recovery

#[derive(Debug, Clone, Serialize)]
pub struct BackupVault {
    pub rid: Rid,
    pub name: Val<String>,
    /// `AwsManaged("aws/backup")` by default.
    pub key: Val<KeyRef>,
    pub locked: Val<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BackupRule {
    pub name: String,
    /// Destination vaults of copy actions (ARNs as written, or vaults of the inventory).
    pub copy_to: Vec<Val<Link>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BackupPlan {
    pub rid: Rid,
    pub rules: Val<Vec<BackupRule>>,
}

/// What a backup selection picks: a resource, an ARN pattern, or a tag condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Selector {
    Resource(Rid),
    /// An ARN or ARN pattern with `*` (`arn:aws:dynamodb:*:*:table/*`).
    Pattern(String),
    /// `STRINGEQUALS` on a tag.
    Tag {
        key: String,
        value: String,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct BackupSelection {
    pub rid: Rid,
    pub plan: Val<Link>,
    pub select: Val<Vec<Selector>>,
    pub exclude: Val<Vec<Selector>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RestoreTestingPlan {
    pub rid: Rid,
    /// The schedule expression, `cron(...)` or `rate(...)`.
    pub schedule: Val<String>,
    /// Live: the last successful restore job, seconds since the epoch.
    pub last_success: Val<Option<i64>>,
}

// ---------------------------------------------------------------- organization

#[derive(Debug, Clone, Serialize)]
pub struct OrgPolicy {
    pub rid: Rid,
    pub name: Val<String>,
    /// `SERVICE_CONTROL_POLICY`, `TAG_POLICY`, ...
    pub policy_type: Val<String>,
    pub document: Val<PolicyDoc>,
    /// Roots, OUs and accounts it is attached to.
    pub targets: Val<Vec<String>>,
}

// ---------------------------------------------------------------- queues

/// An SQS queue.
#[derive(Debug, Clone, Serialize)]
pub struct Queue {
    pub rid: Rid,
    pub name: Val<String>,
    /// `None` when messages are not encrypted at rest; `AwsOwned` for SSE-SQS
    /// (SQS-owned keys, the default of queues created since October 2022);
    /// `AwsManaged("aws/sqs")` for `alias/aws/sqs`.
    pub key: Val<Option<KeyRef>>,
    /// The queue policy, `None` when the queue has none (only its account may use it).
    pub policy: Val<Option<PolicyDoc>>,
}

/// An SNS topic.
#[derive(Debug, Clone, Serialize)]
pub struct Topic {
    pub rid: Rid,
    pub name: Val<String>,
    /// `None` when messages are not encrypted at rest (the default);
    /// `AwsManaged("aws/sns")` for `alias/aws/sns`.
    pub key: Val<Option<KeyRef>>,
    /// The topic policy, `None` for SNS's default policy (the owner account only).
    pub policy: Val<Option<PolicyDoc>>,
}

/// A Kinesis data stream.
#[derive(Debug, Clone, Serialize)]
pub struct Stream {
    pub rid: Rid,
    pub name: Val<String>,
    /// `None` when records are not encrypted at rest (the default);
    /// `AwsManaged("aws/kinesis")` for `alias/aws/kinesis`.
    pub key: Val<Option<KeyRef>>,
}

// ---------------------------------------------------------------- search

/// An Amazon OpenSearch Service domain, OpenSearch or legacy Elasticsearch
/// engine (`AWS::OpenSearchService::Domain`, `AWS::Elasticsearch::Domain`).
#[derive(Debug, Clone, Serialize)]
pub struct SearchDomain {
    pub rid: Rid,
    /// The domain name, where known (Terraform's domain policies name it).
    pub name: Val<String>,
    /// `EncryptionAtRestOptions.Enabled`: off when omitted.
    pub encrypted: Val<bool>,
    /// Meaningful when encrypted: `AwsManaged("aws/es")` when no key is named.
    pub key: Val<KeyRef>,
    /// `DomainEndpointOptions.EnforceHTTPS`: off when omitted.
    pub enforce_https: Val<bool>,
    /// `DomainEndpointOptions.TLSSecurityPolicy`; `None` when the source names none.
    pub tls_policy: Val<Option<String>>,
    /// `NodeToNodeEncryptionOptions.Enabled`: off when omitted.
    pub node_to_node: Val<bool>,
    /// The domain's endpoint is in a VPC (`VPCOptions` with subnets); false
    /// means a public endpoint, reachable from the internet.
    pub in_vpc: Val<bool>,
    /// The domain access policy, `None` when the domain has none.
    pub access_policy: Val<Option<PolicyDoc>>,
}

// ---------------------------------------------------------------- stores

/// An Amazon EFS file system.
#[derive(Debug, Clone, Serialize)]
pub struct EfsFileSystem {
    pub rid: Rid,
    /// Fixed at creation; `false` when the API, CloudFormation or Terraform
    /// leaves it out (only the console turns it on by default).
    pub encrypted: Val<bool>,
    /// Meaningful when encrypted: `AwsManaged("aws/elasticfilesystem")` when no key is named.
    pub key: Val<KeyRef>,
}

/// A SageMaker notebook instance.
#[derive(Debug, Clone, Serialize)]
pub struct NotebookInstance {
    pub rid: Rid,
    /// The key of its ML storage volume; `None` when no `KmsKeyId` is given
    /// (SageMaker then encrypts the volumes with a system-managed key).
    pub key: Val<Option<KeyRef>>,
}

// ---------------------------------------------------------------- rds

/// An RDS DB parameter group (`AWS::RDS::DBParameterGroup`,
/// `aws_db_parameter_group`) or DB cluster parameter group
/// (`AWS::RDS::DBClusterParameterGroup`, `aws_rds_cluster_parameter_group`).
#[derive(Debug, Clone, Serialize)]
pub struct DbParameterGroup {
    pub rid: Rid,
    /// The name RDS knows it by (lowercase), where the source tells it.
    pub name: Val<String>,
    /// A DB cluster parameter group.
    pub cluster: bool,
    /// The family: `postgres16`, `aurora-mysql8.0`, `sqlserver-se-16.0`, ...
    pub family: Val<String>,
    /// The parameters the group sets, by name; a parameter left out has the
    /// family's default value.
    pub parameters: Val<BTreeMap<String, Val<String>>>,
}

// ---------------------------------------------------------------- s3pub

/// A grant of an S3 ACL to one of the groups that mean the public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AclGrant {
    /// `AllUsers` (anyone on the internet) or `AuthenticatedUsers` (anyone
    /// with an AWS account).
    pub group: String,
    /// `READ`, `WRITE`, `READ_ACP`, `WRITE_ACP` or `FULL_CONTROL`.
    pub permission: String,
}

/// S3 Object Ownership of a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ObjectOwnership {
    /// ACLs are disabled and grant nothing (the default for new buckets
    /// since April 2023).
    BucketOwnerEnforced,
    BucketOwnerPreferred,
    /// ACLs are enabled (a bucket without ownership controls behaves so).
    ObjectWriter,
}

/// Account-level S3 Block Public Access as code sets it
/// (`aws_s3_account_public_access_block`); live, it is on [`crate::OrgAccount`].
#[derive(Debug, Clone, Serialize)]
pub struct AccountBlock {
    pub rid: Rid,
    /// The account it configures when the code names one (`account_id`);
    /// `None`: the account the code deploys to.
    pub account: Val<Option<String>>,
    pub block: Val<PublicAccessBlock>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SnapshotKind {
    /// An EBS snapshot.
    Ebs,
    /// An RDS DB snapshot.
    DbInstance,
    /// An Aurora (or Multi-AZ) DB cluster snapshot.
    DbCluster,
    /// An Amazon Machine Image.
    Image,
}

impl SnapshotKind {
    pub fn describe(self) -> &'static str {
        match self {
            SnapshotKind::Ebs => "EBS snapshot",
            SnapshotKind::DbInstance => "DB snapshot",
            SnapshotKind::DbCluster => "DB cluster snapshot",
            SnapshotKind::Image => "AMI",
        }
    }
}

/// A snapshot or machine image, and whether it is shared with everyone.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    pub rid: Rid,
    pub kind: SnapshotKind,
    /// Shared publicly: `createVolumePermission` group `all` (EBS), the
    /// `restore` attribute holding `all` (RDS), a launch permission for
    /// group `all` (AMI).
    pub public: Val<bool>,
    /// The accounts it is shared with, besides everyone.
    pub shared_with: Val<Vec<String>>,
}

// ---------------------------------------------------------------- netpub

/// An inclusive range of ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PortRange {
    pub from: u16,
    pub to: u16,
}

impl PortRange {
    pub const ALL: PortRange = PortRange { from: 0, to: 65535 };

    pub fn covers(&self, port: u16) -> bool {
        self.from <= port && port <= self.to
    }
}

impl std::fmt::Display for PortRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if *self == PortRange::ALL {
            f.write_str("every port")
        } else if self.from == self.to {
            write!(f, "port {}", self.from)
        } else {
            write!(f, "ports {}-{}", self.from, self.to)
        }
    }
}

/// The ports a security group rule admits, as EC2 reads its protocol and
/// port range (the `IpPermission` of the EC2 API reference): protocol `-1`,
/// and any protocol other than TCP, UDP, ICMP and ICMPv6, admit every port
/// whatever range is written; TCP and UDP admit the range (a negative bound
/// meaning every port); ICMP and ICMPv6 have no ports. `from`/`to` are the
/// written bounds, `None` when not written.
pub fn sg_ports(protocol: &str, from: Option<i64>, to: Option<i64>) -> Val<Option<PortRange>> {
    match protocol.trim().to_ascii_lowercase().as_str() {
        "icmp" | "icmpv6" | "1" | "58" => Val::Known(None),
        "tcp" | "udp" | "6" | "17" => match (from, to) {
            (Some(f), Some(t)) if f < 0 || t < 0 => Val::Known(Some(PortRange::ALL)),
            (Some(f), Some(t)) => {
                let clamp = |n: i64| n.clamp(0, 65535) as u16;
                let (f, t) = (clamp(f), clamp(t));
                Val::Known(Some(PortRange {
                    from: f.min(t),
                    to: f.max(t),
                }))
            }
            _ => Val::unknown(format!(
                "a {protocol} rule without a port range: EC2 requires one"
            )),
        },
        _ => Val::Known(Some(PortRange::ALL)),
    }
}

/// Is the protocol TCP (by name or number), or every protocol?
pub fn carries_tcp(protocol: &str) -> bool {
    matches!(
        protocol.trim().to_ascii_lowercase().as_str(),
        "tcp" | "6" | "-1" | "all"
    )
}

/// The port an RDS or Aurora engine listens on when none is given
/// (`CreateDBInstance`/`CreateDBCluster` `Port`: MySQL, MariaDB and Aurora
/// MySQL 3306; PostgreSQL and Aurora PostgreSQL 5432; Oracle 1521; SQL Server
/// 1433; Db2 50000). `None` for an engine phiguard does not know.
pub fn default_db_port(engine: &str) -> Option<u16> {
    let e = engine.trim().to_ascii_lowercase();
    let e = e.strip_prefix("custom-").unwrap_or(&e);
    if e == "aurora" || e.starts_with("aurora-mysql") || e == "mysql" || e == "mariadb" {
        Some(3306)
    } else if e.starts_with("aurora-postgresql") || e == "postgres" || e == "postgresql" {
        Some(5432)
    } else if e.starts_with("oracle") {
        Some(1521)
    } else if e.starts_with("sqlserver") {
        Some(1433)
    } else if e.starts_with("db2") {
        Some(50000)
    } else {
        None
    }
}

/// A Lambda function, with its resource-based policy.
#[derive(Debug, Clone, Serialize)]
pub struct LambdaFunction {
    pub rid: Rid,
    pub name: Val<String>,
    /// The statements of its resource-based policy (the permissions granted
    /// on the function and on its aliases); `None` when it has none.
    pub policy: Val<Option<PolicyDoc>>,
}

/// A Lambda function URL.
#[derive(Debug, Clone, Serialize)]
pub struct FunctionUrl {
    pub rid: Rid,
    pub function: Val<Link>,
    /// `AWS_IAM` or `NONE`.
    pub auth_type: Val<String>,
}

#[cfg(test)]
mod netpub_tests {
    use super::*;

    #[test]
    fn security_group_ports() {
        let all = Val::Known(Some(PortRange::ALL));
        assert_eq!(sg_ports("-1", Some(0), Some(0)), all);
        assert_eq!(sg_ports("50", Some(22), Some(22)), all);
        assert_eq!(sg_ports("icmp", Some(-1), Some(-1)), Val::Known(None));
        assert_eq!(
            sg_ports("tcp", Some(5432), Some(5432)),
            Val::Known(Some(PortRange {
                from: 5432,
                to: 5432
            }))
        );
        assert_eq!(sg_ports("TCP", Some(-1), Some(-1)), all);
        assert!(!sg_ports("udp", None, None).is_known());
        assert!(PortRange { from: 0, to: 1024 }.covers(22));
        assert!(!PortRange { from: 443, to: 443 }.covers(22));
    }

    #[test]
    fn engine_ports() {
        assert_eq!(default_db_port("aurora-postgresql"), Some(5432));
        assert_eq!(default_db_port("aurora-mysql"), Some(3306));
        assert_eq!(default_db_port("sqlserver-se"), Some(1433));
        assert_eq!(default_db_port("oracle-ee-cdb"), Some(1521));
        assert_eq!(default_db_port("custom-oracle-ee"), Some(1521));
        assert_eq!(default_db_port("db2-se"), Some(50000));
        assert_eq!(default_db_port("neptune"), None);
    }
}

// ---------------------------------------------------------------- cachewh

/// What kind of ElastiCache cache a [`CacheCluster`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CacheKind {
    /// A node-based Valkey or Redis OSS replication group.
    ReplicationGroup,
    /// A node-based cache cluster outside any replication group: a single
    /// Redis OSS node, or a Memcached cluster.
    Standalone,
    /// A serverless cache: always encrypted at rest and in transit.
    Serverless,
}

/// Whether an ElastiCache cache accepts connections without TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TransitMode {
    /// In-transit encryption is off: only plaintext connections.
    Off,
    /// TLS is offered but plaintext connections are still accepted.
    Preferred,
    /// Only TLS connections are accepted.
    Required,
}

/// An ElastiCache cache (Valkey, Redis OSS or Memcached).
#[derive(Debug, Clone, Serialize)]
pub struct CacheCluster {
    pub rid: Rid,
    pub kind: CacheKind,
    /// `valkey`, `redis` or `memcached`, lower case.
    pub engine: Val<String>,
    /// At-rest encryption is on.
    pub at_rest_encrypted: Val<bool>,
    /// Meaningful when encrypted: `AwsOwned` for the ElastiCache
    /// service-managed key (what an omitted key id means).
    pub key: Val<KeyRef>,
    pub transit: Val<TransitMode>,
}

/// A Redshift provisioned cluster, or a Redshift Serverless namespace.
#[derive(Debug, Clone, Serialize)]
pub struct Warehouse {
    pub rid: Rid,
    pub serverless: bool,
    pub encrypted: Val<bool>,
    /// Meaningful when encrypted: `AwsOwned` when no key is named.
    pub key: Val<KeyRef>,
    /// The cluster parameter group's name, `None` for the default group
    /// (provisioned clusters only).
    pub parameter_group: Val<Option<String>>,
    /// The parameter group's `require_ssl` (provisioned clusters only).
    pub require_ssl: Val<bool>,
    pub publicly_accessible: Val<bool>,
}
