"""SQS queues, SNS topics and Kinesis data streams (ENC-7, ENC-8, ENC-9, TLS-7).

Called by build_org.py for every workload account and region. Each violation
sits next to a compliant twin: a PHI queue with SSE-SQS (the default) and one
with the customer-managed key, a topic without a key and one with it, a stream
unencrypted and one encrypted, a queue policy without a TLS deny and one with it.
"""

import json

# NET-10 ("Resource policies do not open PHI services to everyone") judges
# queue and topic policies once it is merged with its queue and topic loops;
# until then the open queue and topic below are planted without expectations.
WITH_NET_10 = True

PHI = {"phi": "true"}


def policy(statements):
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def deny_plain_http(action, resource):
    return {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": action,
            "Resource": resource, "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def plant(est, acct, role, region, key_arn, vpcs):
    plant_sqs(est, acct, role, region, key_arn)
    plant_sns(est, acct, role, region, key_arn)
    plant_kinesis(est, acct, role, region, key_arn)


def plant_sqs(est, acct, role, region, key_arn):
    sqs = est.client(acct, "sqs", region)
    arn = lambda n: f"arn:aws:sqs:{region}:{acct}:{n}"  # noqa: E731
    # Good twin: the customer-managed key, and a policy refusing plain HTTP.
    q = f"{role}-phi-intake"
    sqs.create_queue(QueueName=q, tags=PHI, Attributes={
        "KmsMasterKeyId": key_arn, "Policy": policy([deny_plain_http("sqs:*", arn(q))])})
    est.exp("ENC-7", acct, region, q, "pass", "KmsMasterKeyId is the customer-managed key")
    est.exp("TLS-7", acct, region, q, "pass", "phi=true; the queue policy denies sqs:* where aws:SecureTransport is false")
    # Nothing set: SSE-SQS, and no policy.
    q = f"{role}-phi-intake-sse-sqs"
    sqs.create_queue(QueueName=q, tags=PHI)
    est.exp("ENC-7", acct, region, q, "fail", "no KmsMasterKeyId: SSE-SQS (SqsManagedSseEnabled=true), SQS-owned keys")
    est.exp("TLS-7", acct, region, q, "fail", "phi=true and no queue policy")
    # The AWS-managed key, and a policy that only allows.
    q = f"{role}-phi-results"
    sqs.create_queue(QueueName=q, tags=PHI, Attributes={
        "KmsMasterKeyId": "alias/aws/sqs", "Policy": policy([{
            "Sid": "SnsDelivers", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage", "Resource": arn(q)}])})
    est.exp("ENC-7", acct, region, q, "fail", "KmsMasterKeyId alias/aws/sqs: the AWS-managed key")
    est.exp("TLS-7", acct, region, q, "fail", "phi=true; the queue policy only allows, no aws:SecureTransport deny")
    # Not PHI, open to everyone: no ENC-7 or TLS-7 finding.
    q = f"{role}-partner-inbox"
    sqs.create_queue(QueueName=q, tags={"phi": "false"}, Attributes={"Policy": policy([{
        "Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": arn(q)}])})
    if WITH_NET_10:
        est.exp("NET-10", acct, region, q, "fail", "Allow sqs:SendMessage to Principal \"*\" without a condition")
        est.exp("NET-10", acct, region, f"{role}-phi-intake", "pass", "the policy only denies")


def plant_sns(est, acct, role, region, key_arn):
    sns = est.client(acct, "sns", region)
    tags = [{"Key": k, "Value": v} for k, v in PHI.items()]
    t = f"{role}-phi-alerts"
    topic = sns.create_topic(Name=t, Tags=tags, Attributes={"KmsMasterKeyId": key_arn})["TopicArn"]
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=policy([
        {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{acct}:root"},
         "Action": ["sns:Publish", "sns:Subscribe"], "Resource": topic},
        deny_plain_http("sns:Publish", topic)]))
    est.exp("ENC-8", acct, region, t, "pass", "KmsMasterKeyId is the customer-managed key")
    est.exp("TLS-7", acct, region, t, "pass", "phi=true; the topic policy denies sns:Publish where aws:SecureTransport is false")
    t = f"{role}-phi-alerts-plain"
    sns.create_topic(Name=t, Tags=tags)
    est.exp("ENC-8", acct, region, t, "fail", "no KmsMasterKeyId: not encrypted at rest")
    est.exp("TLS-7", acct, region, t, "fail", "phi=true; SNS's default policy (AWS:SourceOwner) has no aws:SecureTransport deny")
    t = f"{role}-public-status"
    topic = sns.create_topic(Name=t, Tags=[{"Key": "phi", "Value": "false"}])["TopicArn"]
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=policy([{
        "Sid": "AnyoneSubscribes", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sns:Subscribe", "Resource": topic}]))
    if WITH_NET_10:
        est.exp("NET-10", acct, region, t, "fail", "Allow sns:Subscribe to {\"AWS\": \"*\"} without a condition")
        est.exp("NET-10", acct, region, f"{role}-phi-alerts-plain", "pass", "SNS's default policy: AWS:SourceOwner")


def plant_kinesis(est, acct, role, region, key_arn):
    kin = est.client(acct, "kinesis", region)
    s = f"{role}-phi-device-events"
    kin.create_stream(StreamName=s, ShardCount=1)
    kin.add_tags_to_stream(StreamName=s, Tags=PHI)
    kin.start_stream_encryption(StreamName=s, EncryptionType="KMS", KeyId=key_arn)
    est.exp("ENC-9", acct, region, s, "pass", "EncryptionType KMS with the customer-managed key")
    s = f"{role}-phi-device-events-plain"
    kin.create_stream(StreamName=s, ShardCount=1)
    kin.add_tags_to_stream(StreamName=s, Tags=PHI)
    est.exp("ENC-9", acct, region, s, "fail", "EncryptionType NONE: stream encryption never started")
