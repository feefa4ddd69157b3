//! Every AWS operation the collector can call, with the IAM action that
//! authorises it. `policy/phiguard-audit-policy.json` is generated from this
//! table (`phiguard audit --print-policy`), and the tests check that every
//! operation recorded during an audit is here and that all are reads.

/// `(service as the SDK names it, operation, IAM action)`.
pub const OPERATIONS: &[(&str, &str, &str)] = &[
    ("STS", "GetCallerIdentity", "sts:GetCallerIdentity"),
    ("STS", "AssumeRole", "sts:AssumeRole"),
    (
        "Organizations",
        "DescribeOrganization",
        "organizations:DescribeOrganization",
    ),
    ("Organizations", "ListRoots", "organizations:ListRoots"),
    (
        "Organizations",
        "ListAccountsForParent",
        "organizations:ListAccountsForParent",
    ),
    (
        "Organizations",
        "ListOrganizationalUnitsForParent",
        "organizations:ListOrganizationalUnitsForParent",
    ),
    (
        "Organizations",
        "ListAccounts",
        "organizations:ListAccounts",
    ),
    (
        "Organizations",
        "ListTagsForResource",
        "organizations:ListTagsForResource",
    ),
    (
        "Organizations",
        "ListPolicies",
        "organizations:ListPolicies",
    ),
    (
        "Organizations",
        "DescribePolicy",
        "organizations:DescribePolicy",
    ),
    (
        "Organizations",
        "ListTargetsForPolicy",
        "organizations:ListTargetsForPolicy",
    ),
    (
        "Organizations",
        "ListDelegatedAdministrators",
        "organizations:ListDelegatedAdministrators",
    ),
    ("IAM", "GetAccountSummary", "iam:GetAccountSummary"),
    ("IAM", "ListUsers", "iam:ListUsers"),
    (
        "IAM",
        "GenerateCredentialReport",
        "iam:GenerateCredentialReport",
    ),
    ("IAM", "GetCredentialReport", "iam:GetCredentialReport"),
    ("IAM", "ListAccessKeys", "iam:ListAccessKeys"),
    ("IAM", "ListRoles", "iam:ListRoles"),
    (
        "IAM",
        "ListAttachedRolePolicies",
        "iam:ListAttachedRolePolicies",
    ),
    ("IAM", "ListRolePolicies", "iam:ListRolePolicies"),
    ("IAM", "GetRolePolicy", "iam:GetRolePolicy"),
    ("IAM", "GetPolicy", "iam:GetPolicy"),
    ("IAM", "GetPolicyVersion", "iam:GetPolicyVersion"),
    ("S3", "ListBuckets", "s3:ListAllMyBuckets"),
    ("S3", "GetBucketLocation", "s3:GetBucketLocation"),
    ("S3", "GetBucketTagging", "s3:GetBucketTagging"),
    ("S3", "GetBucketEncryption", "s3:GetEncryptionConfiguration"),
    ("S3", "GetBucketVersioning", "s3:GetBucketVersioning"),
    (
        "S3",
        "GetObjectLockConfiguration",
        "s3:GetBucketObjectLockConfiguration",
    ),
    (
        "S3",
        "GetBucketLifecycleConfiguration",
        "s3:GetLifecycleConfiguration",
    ),
    ("S3", "GetBucketPolicy", "s3:GetBucketPolicy"),
    (
        "S3",
        "GetPublicAccessBlock",
        "s3:GetBucketPublicAccessBlock",
    ),
    (
        "S3 Control",
        "GetPublicAccessBlock",
        "s3:GetAccountPublicAccessBlock",
    ),
    ("S3", "GetBucketAcl", "s3:GetBucketAcl"),
    (
        "S3",
        "GetBucketOwnershipControls",
        "s3:GetBucketOwnershipControls",
    ),
    ("KMS", "ListKeys", "kms:ListKeys"),
    ("KMS", "ListAliases", "kms:ListAliases"),
    ("KMS", "DescribeKey", "kms:DescribeKey"),
    ("KMS", "GetKeyRotationStatus", "kms:GetKeyRotationStatus"),
    ("KMS", "GetKeyPolicy", "kms:GetKeyPolicy"),
    ("KMS", "ListResourceTags", "kms:ListResourceTags"),
    ("EC2", "DescribeRegions", "ec2:DescribeRegions"),
    ("EC2", "DescribeVolumes", "ec2:DescribeVolumes"),
    (
        "EC2",
        "GetEbsEncryptionByDefault",
        "ec2:GetEbsEncryptionByDefault",
    ),
    ("EC2", "GetEbsDefaultKmsKeyId", "ec2:GetEbsDefaultKmsKeyId"),
    ("EC2", "DescribeVpcs", "ec2:DescribeVpcs"),
    ("EC2", "DescribeVpcEndpoints", "ec2:DescribeVpcEndpoints"),
    (
        "EC2",
        "DescribeTransitGateways",
        "ec2:DescribeTransitGateways",
    ),
    ("EC2", "DescribeFlowLogs", "ec2:DescribeFlowLogs"),
    (
        "EC2",
        "DescribeSecurityGroups",
        "ec2:DescribeSecurityGroups",
    ),
    ("EC2", "DescribeInstances", "ec2:DescribeInstances"),
    ("EC2", "DescribeSnapshots", "ec2:DescribeSnapshots"),
    (
        "EC2",
        "DescribeSnapshotAttribute",
        "ec2:DescribeSnapshotAttribute",
    ),
    ("EC2", "DescribeImages", "ec2:DescribeImages"),
    ("RDS", "DescribeDBClusters", "rds:DescribeDBClusters"),
    ("RDS", "DescribeDBInstances", "rds:DescribeDBInstances"),
    (
        "RDS",
        "DescribeDBParameterGroups",
        "rds:DescribeDBParameterGroups",
    ),
    ("RDS", "DescribeDBParameters", "rds:DescribeDBParameters"),
    (
        "RDS",
        "DescribeDBClusterParameterGroups",
        "rds:DescribeDBClusterParameterGroups",
    ),
    (
        "RDS",
        "DescribeDBClusterParameters",
        "rds:DescribeDBClusterParameters",
    ),
    ("RDS", "DescribeDBSnapshots", "rds:DescribeDBSnapshots"),
    (
        "RDS",
        "DescribeDBSnapshotAttributes",
        "rds:DescribeDBSnapshotAttributes",
    ),
    (
        "RDS",
        "DescribeDBClusterSnapshots",
        "rds:DescribeDBClusterSnapshots",
    ),
    (
        "RDS",
        "DescribeDBClusterSnapshotAttributes",
        "rds:DescribeDBClusterSnapshotAttributes",
    ),
    ("DynamoDB", "ListTables", "dynamodb:ListTables"),
    ("DynamoDB", "DescribeTable", "dynamodb:DescribeTable"),
    (
        "DynamoDB",
        "ListTagsOfResource",
        "dynamodb:ListTagsOfResource",
    ),
    (
        "Secrets Manager",
        "ListSecrets",
        "secretsmanager:ListSecrets",
    ),
    ("Lambda", "ListFunctions", "lambda:ListFunctions"),
    ("OpenSearch", "ListDomainNames", "es:ListDomainNames"),
    ("OpenSearch", "DescribeDomains", "es:DescribeDomains"),
    ("OpenSearch", "ListTags", "es:ListTags"),
    ("Lambda", "GetPolicy", "lambda:GetPolicy"),
    ("Lambda", "ListAliases", "lambda:ListAliases"),
    (
        "Lambda",
        "GetFunctionUrlConfig",
        "lambda:GetFunctionUrlConfig",
    ),
    (
        "Secrets Manager",
        "GetResourcePolicy",
        "secretsmanager:GetResourcePolicy",
    ),
    (
        "Elastic Load Balancing v2",
        "DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancers",
    ),
    (
        "Elastic Load Balancing v2",
        "DescribeListeners",
        "elasticloadbalancing:DescribeListeners",
    ),
    (
        "Elastic Load Balancing v2",
        "DescribeRules",
        "elasticloadbalancing:DescribeRules",
    ),
    ("API Gateway", "GetDomainNames", "apigateway:GET"),
    ("ApiGatewayV2", "GetDomainNames", "apigateway:GET"),
    (
        "CloudFront",
        "ListDistributions",
        "cloudfront:ListDistributions",
    ),
    ("CloudTrail", "DescribeTrails", "cloudtrail:DescribeTrails"),
    ("CloudTrail", "GetTrailStatus", "cloudtrail:GetTrailStatus"),
    (
        "CloudTrail",
        "GetEventSelectors",
        "cloudtrail:GetEventSelectors",
    ),
    (
        "CloudWatch Logs",
        "DescribeLogGroups",
        "logs:DescribeLogGroups",
    ),
    ("GuardDuty", "ListDetectors", "guardduty:ListDetectors"),
    ("GuardDuty", "GetDetector", "guardduty:GetDetector"),
    (
        "GuardDuty",
        "DescribeOrganizationConfiguration",
        "guardduty:DescribeOrganizationConfiguration",
    ),
    ("SecurityHub", "DescribeHub", "securityhub:DescribeHub"),
    (
        "SecurityHub",
        "GetEnabledStandards",
        "securityhub:GetEnabledStandards",
    ),
    ("Macie2", "GetMacieSession", "macie2:GetMacieSession"),
    (
        "Config Service",
        "DescribeConfigurationRecorders",
        "config:DescribeConfigurationRecorders",
    ),
    (
        "Config Service",
        "DescribeConfigurationRecorderStatus",
        "config:DescribeConfigurationRecorderStatus",
    ),
    (
        "Config Service",
        "DescribeDeliveryChannels",
        "config:DescribeDeliveryChannels",
    ),
    (
        "Inspector2",
        "BatchGetAccountStatus",
        "inspector2:BatchGetAccountStatus",
    ),
    ("Inspector2", "ListFindings", "inspector2:ListFindings"),
    ("ECR", "DescribeRepositories", "ecr:DescribeRepositories"),
    (
        "ECR",
        "GetRegistryScanningConfiguration",
        "ecr:GetRegistryScanningConfiguration",
    ),
    ("Backup", "ListBackupVaults", "backup:ListBackupVaults"),
    ("Backup", "ListBackupPlans", "backup:ListBackupPlans"),
    ("Backup", "GetBackupPlan", "backup:GetBackupPlan"),
    (
        "Backup",
        "ListBackupSelections",
        "backup:ListBackupSelections",
    ),
    ("Backup", "GetBackupSelection", "backup:GetBackupSelection"),
    (
        "Backup",
        "ListRestoreTestingPlans",
        "backup:ListRestoreTestingPlans",
    ),
    (
        "Backup",
        "GetRestoreTestingPlan",
        "backup:GetRestoreTestingPlan",
    ),
    ("Backup", "ListRestoreJobs", "backup:ListRestoreJobs"),
    ("EKS", "ListClusters", "eks:ListClusters"),
    ("EKS", "DescribeCluster", "eks:DescribeCluster"),
    ("EKS", "ListAddons", "eks:ListAddons"),
    (
        "EKS",
        "ListPodIdentityAssociations",
        "eks:ListPodIdentityAssociations",
    ),
    (
        "EKS",
        "DescribePodIdentityAssociation",
        "eks:DescribePodIdentityAssociation",
    ),
    ("EKS", "ListNodegroups", "eks:ListNodegroups"),
    ("EKS", "DescribeNodegroup", "eks:DescribeNodegroup"),
    ("SSO Admin", "ListInstances", "sso:ListInstances"),
    ("SSO Admin", "ListPermissionSets", "sso:ListPermissionSets"),
    (
        "SSO Admin",
        "DescribePermissionSet",
        "sso:DescribePermissionSet",
    ),
    (
        "Artifact",
        "ListCustomerAgreements",
        "artifact:ListCustomerAgreements",
    ),
    ("SQS", "ListQueues", "sqs:ListQueues"),
    ("SQS", "GetQueueAttributes", "sqs:GetQueueAttributes"),
    ("SQS", "ListQueueTags", "sqs:ListQueueTags"),
    ("SNS", "ListTopics", "sns:ListTopics"),
    ("SNS", "GetTopicAttributes", "sns:GetTopicAttributes"),
    ("SNS", "ListTagsForResource", "sns:ListTagsForResource"),
    ("Kinesis", "ListStreams", "kinesis:ListStreams"),
    (
        "Kinesis",
        "DescribeStreamSummary",
        "kinesis:DescribeStreamSummary",
    ),
    ("Kinesis", "ListTagsForStream", "kinesis:ListTagsForStream"),
    (
        "CloudWatch Logs",
        "ListTagsForResource",
        "logs:ListTagsForResource",
    ),
    (
        "EFS",
        "DescribeFileSystems",
        "elasticfilesystem:DescribeFileSystems",
    ),
    (
        "SageMaker",
        "ListNotebookInstances",
        "sagemaker:ListNotebookInstances",
    ),
    (
        "SageMaker",
        "DescribeNotebookInstance",
        "sagemaker:DescribeNotebookInstance",
    ),
    (
        "ElastiCache",
        "DescribeReplicationGroups",
        "elasticache:DescribeReplicationGroups",
    ),
    (
        "ElastiCache",
        "DescribeCacheClusters",
        "elasticache:DescribeCacheClusters",
    ),
    (
        "ElastiCache",
        "DescribeServerlessCaches",
        "elasticache:DescribeServerlessCaches",
    ),
    (
        "ElastiCache",
        "ListTagsForResource",
        "elasticache:ListTagsForResource",
    ),
    ("Redshift", "DescribeClusters", "redshift:DescribeClusters"),
    (
        "Redshift",
        "DescribeClusterParameters",
        "redshift:DescribeClusterParameters",
    ),
];

/// The IAM action of an operation the SDK reports, if the collector may call it.
pub fn iam_action(service: &str, operation: &str) -> Option<&'static str> {
    OPERATIONS
        .iter()
        .find(|(s, o, _)| *s == service && *o == operation)
        .map(|(_, _, a)| *a)
}

/// Actions that change nothing although their names do not say so.
const READ_EXCEPTIONS: &[&str] = &[
    // Assuming the audit role in each member account.
    "sts:AssumeRole",
    // Asks IAM to build the credential report; reads nothing secret.
    "iam:GenerateCredentialReport",
    // API Gateway authorises reads by HTTP method.
    "apigateway:GET",
];

/// Is the action a read: List/Describe/Get/BatchGet, or a known exception?
pub fn is_read(action: &str) -> bool {
    if READ_EXCEPTIONS.contains(&action) {
        return true;
    }
    let Some((_, name)) = action.split_once(':') else {
        return false;
    };
    let read = ["List", "Describe", "Get", "BatchGet"]
        .iter()
        .any(|p| name.starts_with(p));
    // Never the content of a secret or an object.
    read && !matches!(
        name,
        "GetSecretValue" | "GetObject" | "GetObjectVersion" | "GetParameter" | "GetParameters"
    )
}

/// The least-privilege policy document for the audit role.
pub fn policy_json() -> String {
    let mut actions: Vec<&str> = OPERATIONS.iter().map(|(_, _, a)| *a).collect();
    actions.sort();
    actions.dedup();
    // Written by hand to keep IAM's usual key order.
    let list: Vec<String> = actions.iter().map(|a| format!("        \"{a}\"")).collect();
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Sid\": \"PhiguardAuditReadOnly\",\n      \"Effect\": \"Allow\",\n      \"Action\": [\n{}\n      ],\n      \"Resource\": \"*\"\n    }}\n  ]\n}}\n",
        list.join(",\n")
    )
}
