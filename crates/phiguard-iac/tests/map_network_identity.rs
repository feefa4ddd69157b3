//! Mapping of security groups, IAM roles and EKS links from CloudFormation.

use phiguard_iac::load_texts;
use phiguard_model::{Link, Val};

const SG: &str = r#"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Open:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: default egress
      VpcId: !Ref Vpc
  Isolation:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: no rules
      VpcId: !Ref Vpc
      SecurityGroupEgress:
        - IpProtocol: "-1"
          CidrIp: 127.0.0.1/32
  HttpsIn:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Open.GroupId
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      SourceSecurityGroupId: !Ref Isolation
"#;

#[test]
fn security_groups_join_their_rules() {
    let l = load_texts(&[("sg.yaml", SG)]);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let inv = &l.inventory;
    let by = |n: &str| {
        inv.security_groups
            .iter()
            .find(|g| inv.meta(g.rid).name == n)
            .unwrap()
    };
    let open = by("Open");
    let Val::Known(eg) = &open.egress else {
        panic!()
    };
    assert_eq!(eg.len(), 1);
    assert_eq!(eg[0].cidr.as_deref(), Some("0.0.0.0/0"));
    let Val::Known(ing) = &open.ingress else {
        panic!()
    };
    assert_eq!(ing.len(), 1);
    assert_eq!(ing[0].protocol, "tcp");
    assert!(matches!(open.vpc, Val::Known(Link::Resource(_))));
    let iso = by("Isolation");
    assert_eq!(iso.ingress, Val::Known(vec![]));
    let Val::Known(eg) = &iso.egress else {
        panic!()
    };
    assert_eq!(eg[0].cidr.as_deref(), Some("127.0.0.1/32"));
}

const IAM: &str = r#"
Resources:
  Extra:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: extra
      # By name: a !Ref Role here as well as the role's !Ref Extra would be
      # a circular dependency, which CloudFormation refuses.
      Roles: [app]
      PolicyDocument:
        Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]
      ManagedPolicyArns:
        - !Ref Extra
        - arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy
      Policies:
        - PolicyName: inline
          PolicyDocument:
            Statement: [{Effect: Allow, Action: "logs:*", Resource: "*"}]
  Other:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: other
      Roles: [some-other-role]
      PolicyDocument:
        Statement: [{Effect: Allow, Action: "*", Resource: "*"}]
  ByName:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: by-name
      Roles: [app]
      PolicyDocument:
        Statement: [{Effect: Allow, Action: "sqs:*", Resource: "*"}]
  Key:
    Type: AWS::IAM::AccessKey
    Properties: {UserName: someone}
"#;

#[test]
fn roles_join_their_policies() {
    let l = load_texts(&[("iam.yaml", IAM)]);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    let inv = &l.inventory;
    let role = &inv.iam_roles[0];
    assert_eq!(role.max_session_secs, Val::Known(3600));
    let Val::Known(p) = &role.policies else {
        panic!()
    };
    let names: Vec<&str> = p
        .iter()
        .map(|a| a.name.known().map(String::as_str).unwrap_or("?"))
        .collect();
    // The managed policy is attached once, though both sides name it.
    assert_eq!(
        names,
        [
            "Extra",
            "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
            "inline",
            "by-name"
        ]
    );
    assert!(p[1].aws_managed && p[1].document.is_none());
    assert!(matches!(p[0].document, Some(Val::Known(_))));
    assert_eq!(inv.access_keys[0].active, Val::Known(true));
}
