//! Typed resources: what the rules read, and nothing more.
//!
//! Each struct carries the `rid` of its [`crate::Meta`]. Collectors apply AWS's
//! (or the provider's) documented default when a source omits an attribute, and
//! record `Unknown` only when the value cannot be known.

use crate::{KeyRef, Link, PolicyDoc, Rid, Val};
use serde::Serialize;

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
