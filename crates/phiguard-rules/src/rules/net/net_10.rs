use crate::util::exposure::describe_public;
use crate::{Cx, declare_rule};
use phiguard_model::{KeyManager, PolicyDoc, Rid, Val};

declare_rule! {
    /// ### What it checks
    /// No resource policy of a service that holds or guards PHI allows
    /// everyone in. A statement is open when it allows `Principal: "*"` (or
    /// `{"AWS": "*"}`, or an `Allow` with `NotPrincipal`) and no condition pins
    /// the caller's account, organization or network, or the calling
    /// resource (`aws:SourceArn`, `aws:SourceAccount`, `aws:PrincipalOrgID`,
    /// `aws:SourceVpce`, a source IP range, ...); the evaluation follows S3's
    /// definition of a public policy
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status>).
    /// Judged per resource:
    ///
    /// - Lambda functions: the permissions of the function and its aliases.
    ///   A function without permissions has no policy and passes.
    /// - KMS keys (customer-managed): the key policy. A key without
    ///   `KeyPolicy` gets the default policy, which names the account.
    /// - Secrets Manager secrets: the resource policy; a secret without one
    ///   is reachable only through IAM policies of its own account.
    /// - SQS queues and SNS topics: the queue or topic policy. A queue without
    ///   a policy, and a topic with SNS's default policy (`AWS:SourceOwner`),
    ///   serve only their own account.
    ///
    /// OpenSearch domain access policies are judged by NET-11, with the
    /// domain's network placement.
    ///
    /// ### Why
    /// A resource policy open to everyone lets any AWS account (or anyone at
    /// all, for a function URL) invoke the function that reads PHI, decrypt
    /// with the key that protects it, or read the credentials that guard it.
    /// Identity policies of the account cannot take such access back.
    ///
    /// ### Sources
    /// - Live: `lambda:GetPolicy` for each function and alias;
    ///   `kms:GetKeyPolicy`; `secretsmanager:GetResourcePolicy` (the policy,
    ///   never the secret's value); `sqs:GetQueueAttributes` (`Policy`);
    ///   `sns:GetTopicAttributes` (`Policy`).
    /// - Terraform: `aws_lambda_permission` (`principal`, `source_arn`,
    ///   `source_account`, `principal_org_id`) joined to its function;
    ///   `aws_kms_key.policy`; `aws_secretsmanager_secret.policy` and
    ///   `aws_secretsmanager_secret_policy`; `aws_sqs_queue.policy`,
    ///   `aws_sqs_queue_policy`, `aws_sns_topic.policy`, `aws_sns_topic_policy`.
    /// - CloudFormation: `AWS::Lambda::Permission` (`Principal`, `SourceArn`,
    ///   `SourceAccount`, `PrincipalOrgID`) joined to its function, and the
    ///   permission SAM adds for a `FunctionUrlConfig` with `AuthType: NONE`;
    ///   `AWS::KMS::Key.KeyPolicy`; `AWS::SecretsManager::ResourcePolicy`;
    ///   `AWS::SQS::QueuePolicy`, `AWS::SNS::TopicPolicy`.
    ///
    /// A permission or secret policy whose target is known only at deploy
    /// time may be any function's or secret's: those without a known policy
    /// are then unknown.
    pub static RULE = {
        id: "NET-10",
        control: NetworkIsolation,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Workloads, KmsKeys, Secrets, Queues, Topics],
        scope: Resource,
        title: "Resource policies do not open PHI services to everyone",
        remediation: "Name the principals (accounts, roles or service principals) in each Allow, or bound Principal \"*\" with a condition on aws:PrincipalOrgID, aws:SourceArn or aws:SourceAccount; for Lambda, remove the permission (aws lambda remove-permission) and re-add it with --source-arn or --principal-org-id.",
        check: check,
    }
}

/// Judges one resource policy: `what` names the resource in messages (`the function`).
fn judge_policy(cx: &mut Cx, rid: Rid, what: &str, policy: &Val<Option<PolicyDoc>>) {
    match policy {
        Val::Unknown(why) => cx.unknown(rid, why.clone()),
        Val::Known(None) => cx.pass(rid, format!("{what} has no resource policy")),
        Val::Known(Some(doc)) => match describe_public(doc) {
            Some(open) => cx.fail(rid, format!("the resource policy of {what}: {open}")),
            None => cx.pass(
                rid,
                format!("the resource policy of {what} allows nobody in without naming them or a limiting condition"),
            ),
        },
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;

    // Lambda functions.
    for f in &inv.lambda_functions {
        judge_policy(cx, f.rid, "the function", &f.policy);
    }

    // KMS keys: AWS-managed keys' policies are AWS's.
    for k in &inv.kms_keys {
        if matches!(k.manager, Val::Known(KeyManager::Aws)) {
            continue;
        }
        judge_policy(cx, k.rid, "the key", &k.policy.clone().map(Some));
    }

    // Secrets Manager secrets.
    for s in &inv.secrets {
        judge_policy(cx, s.rid, "the secret", &s.policy);
    }

    // SQS queues and SNS topics.
    super::net_10_queues::judge_queues(cx);
    super::net_10_queues::judge_topics(cx);
}
