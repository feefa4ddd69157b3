"""OpenSearch Service domains, per workload account and region: ENC-14
(encryption at rest under a customer-managed key), TLS-8 (HTTPS enforced with
TLS 1.2, node-to-node encryption) and NET-11 (no public domain with an open
access policy). Each violation stands next to a compliant twin.

Called by build_org.py as `plant(est, acct, role, region, key_arn, vpcs)`.
"""

import json


def short(region):
    return region.replace("us-east-1", "use1").replace("us-west-2", "usw2").replace("-", "")


def access(acct, region, name, condition=None, principal="*"):
    st = {"Effect": "Allow", "Principal": principal, "Action": "es:*",
          "Resource": f"arn:aws:es:{region}:{acct}:domain/{name}/*"}
    if condition:
        st["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [st]})


def plant(est, acct, role, region, key_arn, vpcs):
    osc = est.client(acct, "opensearch", region)
    es = est.client(acct, "es", region)
    tag = short(region)
    base = dict(EngineVersion="OpenSearch_2.11",
                ClusterConfig={"InstanceType": "r6g.large.search", "InstanceCount": 1},
                EBSOptions={"EBSEnabled": True, "VolumeSize": 20})
    secure = dict(EncryptionAtRestOptions={"Enabled": True, "KmsKeyId": key_arn},
                  NodeToNodeEncryptionOptions={"Enabled": True},
                  DomainEndpointOptions={"EnforceHTTPS": True, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10"})
    phi = [{"Key": "phi", "Value": "true"}]

    # The compliant domain: in the good VPC, encrypted under the customer
    # key, HTTPS with TLS 1.2, node-to-node encryption; its open access
    # policy is the usual VPC pattern (the network decides).
    _, subnets = vpcs["good"]
    name = f"{role}-{tag}-search"
    osc.create_domain(DomainName=name, VPCOptions={"SubnetIds": subnets[:1]},
                      AccessPolicies=access(acct, region, name, principal={"AWS": "*"}), TagList=phi, **base, **secure)
    est.exp("ENC-14", acct, region, name, "pass", "EncryptionAtRestOptions under the customer-managed key")
    est.exp("TLS-8", acct, region, name, "pass", "EnforceHTTPS, Policy-Min-TLS-1-2-PFS-2023-10, node-to-node encryption")
    est.exp("NET-11", acct, region, name, "pass", "in a VPC (VPCOptions with a subnet): not reachable from the internet")

    # Everything left at AWS's defaults: public, no access policy.
    name = f"{role}-{tag}-search-plain"
    osc.create_domain(DomainName=name, TagList=phi, **base)
    est.exp("ENC-14", acct, region, name, "fail", "no EncryptionAtRestOptions: not encrypted at rest")
    est.exp("TLS-8", acct, region, name, "fail",
            "no DomainEndpointOptions or NodeToNodeEncryptionOptions: HTTP allowed, TLS 1.0 policy, no node-to-node encryption")
    est.exp("NET-11", acct, region, name, "pass", "public endpoint, but no access policy: only signed, IAM-allowed requests")

    # Encrypted without a key id: the AWS-managed aws/es key.
    name = f"{role}-{tag}-search-awskey"
    osc.create_domain(DomainName=name, EncryptionAtRestOptions={"Enabled": True},
                      NodeToNodeEncryptionOptions={"Enabled": True},
                      DomainEndpointOptions={"EnforceHTTPS": True, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"}, **base)
    est.exp("ENC-14", acct, region, name, "fail",
            "EncryptionAtRestOptions without KmsKeyId: the AWS-managed aws/es key (moto returns no KmsKeyId; AWS returns the aws/es key's ARN)")
    if role == "prod" and region == est.regions[0]:
        est.notes.append("ENC-14: moto returns no KmsKeyId for a domain encrypted without one (AWS names the aws/es key's ARN); "
                         "the collector reads that as aws/es, so *-search-awskey fails as on AWS")
    est.exp("TLS-8", acct, region, name, "pass", "EnforceHTTPS, Policy-Min-TLS-1-2-2019-07, node-to-node encryption")

    # Public, with an access policy open to everyone: the violation NET-11 is about.
    name = f"{role}-{tag}-search-open"
    osc.create_domain(DomainName=name, AccessPolicies=access(acct, region, name), TagList=phi, **base, **secure)
    est.exp("NET-11", acct, region, name, "fail", "public endpoint and Allow es:* to Principal \"*\" with no condition")
    est.exp("ENC-14", acct, region, name, "pass", "EncryptionAtRestOptions under the customer-managed key")

    # Its twin: public, Principal "*" limited to one source IP range.
    name = f"{role}-{tag}-search-iplimited"
    osc.create_domain(DomainName=name, TagList=phi, **base, **secure,
                      AccessPolicies=access(acct, region, name, condition={"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}))
    est.exp("NET-11", acct, region, name, "pass", "public endpoint; Principal \"*\" limited by aws:SourceIp 203.0.113.0/24")

    # A legacy Elasticsearch domain through the es API: HTTPS enforced but TLS 1.0 accepted.
    name = f"{role}-{tag}-es-legacy"
    es.create_elasticsearch_domain(
        DomainName=name, ElasticsearchVersion="7.10",
        ElasticsearchClusterConfig={"InstanceType": "r6g.large.elasticsearch", "InstanceCount": 1},
        EBSOptions={"EBSEnabled": True, "VolumeSize": 20},
        EncryptionAtRestOptions={"Enabled": True, "KmsKeyId": key_arn},
        NodeToNodeEncryptionOptions={"Enabled": True},
        DomainEndpointOptions={"EnforceHTTPS": True, "TLSSecurityPolicy": "Policy-Min-TLS-1-0-2019-07"})
    est.exp("TLS-8", acct, region, name, "fail", "TLSSecurityPolicy Policy-Min-TLS-1-0-2019-07 accepts TLS 1.0")
    est.exp("ENC-14", acct, region, name, "pass", "EncryptionAtRestOptions under the customer-managed key")
    est.exp("NET-11", acct, region, name, "pass", "public endpoint, no access policy")
