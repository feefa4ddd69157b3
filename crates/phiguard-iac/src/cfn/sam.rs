//! The AWS SAM transform (`Transform: AWS::Serverless-2016-10-31`): each
//! `AWS::Serverless::*` resource becomes the CloudFormation resources the
//! transform creates, as far as phiguard judges them, before the template is
//! evaluated. The `Globals` section is merged into every resource of its
//! kind first, as SAM merges it (the resource's own value wins; mappings are
//! merged key by key; lists are joined, the global entries first).
//!
//! | SAM | CloudFormation |
//! |---|---|
//! | `Function` | `AWS::Lambda::Function` (same logical id; `Environment`, `KmsKeyArn`, ...) |
//! | `Function.FunctionUrlConfig` | `AWS::Lambda::Url` `<id>Url`; with `AuthType: NONE` also the public `AWS::Lambda::Permission`s `<id>UrlPublicPermissions` and `<id>URLInvokeAllowPublicAccess` |
//! | `SimpleTable` | `AWS::DynamoDB::Table` (`SSESpecification`, `PrimaryKey`) |
//! | `Api` | `AWS::ApiGateway::RestApi`, a `Stage`, and `Domain` as `AWS::ApiGateway::DomainName` |
//! | `HttpApi` | `AWS::ApiGatewayV2::Api`, a `Stage`, and `Domain` as `AWS::ApiGatewayV2::DomainName` |
//! | `StateMachine` | `AWS::StepFunctions::StateMachine` |
//! | `LayerVersion` | `AWS::Lambda::LayerVersion` |
//!
//! Functions whose `Api`/`HttpApi` events name no API get the implicit
//! `ServerlessRestApi`/`ServerlessHttpApi`, built from `Globals` as SAM does.
//! What the transform adds beyond these (execution roles from `Policies`,
//! event source mappings, the permissions of events) is not modelled; a
//! note says so.

use crate::yaml::{Node, NodeKind, Pos, Scalar};

pub const TRANSFORM: &str = "AWS::Serverless-2016-10-31";

fn s(text: &str, pos: Pos) -> Node {
    Node {
        kind: NodeKind::Scalar(Scalar::Str(text.to_string())),
        tag: None,
        pos,
    }
}

fn map(entries: Vec<(&str, Node)>, pos: Pos) -> Node {
    Node {
        kind: NodeKind::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.pos, v))
                .collect(),
        ),
        tag: None,
        pos,
    }
}

fn seq(items: Vec<Node>, pos: Pos) -> Node {
    Node {
        kind: NodeKind::Seq(items),
        tag: None,
        pos,
    }
}

/// Merges `global` under `own` as SAM's Globals do.
fn merge(own: &Node, global: &Node) -> Node {
    if own.tag.is_some() || global.tag.is_some() {
        return own.clone();
    }
    match (&own.kind, &global.kind) {
        (NodeKind::Map(o), NodeKind::Map(g)) => {
            let mut out: Vec<(String, Pos, Node)> = Vec::new();
            for (k, kp, gv) in g {
                match o.iter().find(|(ok, _, _)| ok == k) {
                    Some((_, okp, ov)) => out.push((k.clone(), *okp, merge(ov, gv))),
                    None => out.push((k.clone(), *kp, gv.clone())),
                }
            }
            for (k, kp, ov) in o {
                if !g.iter().any(|(gk, _, _)| gk == k) {
                    out.push((k.clone(), *kp, ov.clone()));
                }
            }
            Node {
                kind: NodeKind::Map(out),
                tag: None,
                pos: own.pos,
            }
        }
        (NodeKind::Seq(o), NodeKind::Seq(g)) => {
            let mut items = g.clone();
            items.extend(o.iter().cloned());
            seq(items, own.pos)
        }
        _ => own.clone(),
    }
}

/// SAM's `Tags` (a mapping) as CloudFormation's list of `{Key, Value}`.
fn tag_list(tags: &Node) -> Node {
    match tags.entries().filter(|_| tags.tag.is_none()) {
        Some(entries) => seq(
            entries
                .iter()
                .map(|(k, kp, v)| map(vec![("Key", s(k, *kp)), ("Value", v.clone())], *kp))
                .collect(),
            tags.pos,
        ),
        None => tags.clone(),
    }
}

/// Copies the properties named in `keys` (`(from, to)`) that are set.
fn copy(props: &Node, keys: &[(&str, &str)]) -> Vec<(String, Pos, Node)> {
    let mut out = Vec::new();
    for (k, kp, v) in props.entries().unwrap_or(&[]) {
        if let Some((_, to)) = keys.iter().find(|(from, _)| from == k) {
            out.push((to.to_string(), *kp, v.clone()));
        }
    }
    out
}

/// A resource node `{Type, Properties, ...}` keeping the source's
/// `Condition`, `DependsOn` and `Metadata` (waivers).
fn resource(ty: &str, props: Vec<(String, Pos, Node)>, src: &Node) -> Node {
    let mut e = vec![("Type".to_string(), src.pos, s(ty, src.pos))];
    for k in ["Condition", "DependsOn", "Metadata", "DeletionPolicy"] {
        if let Some((k, kp, v)) = src
            .entries()
            .unwrap_or(&[])
            .iter()
            .find(|(key, _, _)| key == k)
        {
            e.push((k.clone(), *kp, v.clone()));
        }
    }
    e.push((
        "Properties".into(),
        src.pos,
        Node {
            kind: NodeKind::Map(props),
            tag: None,
            pos: src.pos,
        },
    ));
    Node {
        kind: NodeKind::Map(e),
        tag: None,
        pos: src.pos,
    }
}

fn with_tags(
    mut props: Vec<(String, Pos, Node)>,
    p: &Node,
    as_list: bool,
) -> Vec<(String, Pos, Node)> {
    if let Some((_, kp, t)) = p
        .entries()
        .unwrap_or(&[])
        .iter()
        .find(|(k, _, _)| k == "Tags")
    {
        props.push((
            "Tags".into(),
            *kp,
            if as_list { tag_list(t) } else { t.clone() },
        ));
    }
    props
}

type Out = Vec<(String, Pos, Node)>;

fn function(id: &str, kp: Pos, r: &Node, p: &Node, out: &mut Out) {
    let props = copy(
        p,
        &[
            ("Handler", "Handler"),
            ("Runtime", "Runtime"),
            ("Environment", "Environment"),
            ("KmsKeyArn", "KmsKeyArn"),
            ("MemorySize", "MemorySize"),
            ("Timeout", "Timeout"),
            ("Role", "Role"),
            ("VpcConfig", "VpcConfig"),
            ("Layers", "Layers"),
            (
                "ReservedConcurrentExecutions",
                "ReservedConcurrentExecutions",
            ),
            ("Architectures", "Architectures"),
            ("EphemeralStorage", "EphemeralStorage"),
            ("FunctionName", "FunctionName"),
            ("Description", "Description"),
            ("PackageType", "PackageType"),
            ("LoggingConfig", "LoggingConfig"),
            ("SnapStart", "SnapStart"),
            ("FileSystemConfigs", "FileSystemConfigs"),
            ("CodeSigningConfigArn", "CodeSigningConfigArn"),
            ("ImageConfig", "ImageConfig"),
            ("RuntimeManagementConfig", "RuntimeManagementConfig"),
            ("DeadLetterQueue", "DeadLetterConfig"),
        ],
    );
    let props = with_tags(props, p, true);
    out.push((
        id.to_string(),
        kp,
        resource("AWS::Lambda::Function", props, r),
    ));
    function_url(id, r, p, out);
}

/// `FunctionUrlConfig`: the URL, and for `AuthType: NONE` the two permissions
/// SAM adds to open it to everyone (none when `AuthType` is an intrinsic,
/// as SAM skips them then).
fn function_url(id: &str, r: &Node, p: &Node, out: &mut Out) {
    let Some(c) = p.get("FunctionUrlConfig").filter(|c| c.tag.is_none()) else {
        return;
    };
    let mut props = copy(
        c,
        &[
            ("AuthType", "AuthType"),
            ("Cors", "Cors"),
            ("InvokeMode", "InvokeMode"),
        ],
    );
    props.push(("TargetFunctionArn".into(), c.pos, ref_to(id, c.pos)));
    out.push((
        format!("{id}Url"),
        c.pos,
        resource("AWS::Lambda::Url", props, r),
    ));
    if c.get("AuthType").and_then(|a| a.as_str()) != Some("NONE") {
        return;
    }
    let permission = |action: &str, condition: (&str, Node)| {
        let props = vec![
            ("Action".to_string(), c.pos, s(action, c.pos)),
            ("FunctionName".to_string(), c.pos, ref_to(id, c.pos)),
            ("Principal".to_string(), c.pos, s("*", c.pos)),
            (condition.0.to_string(), c.pos, condition.1),
        ];
        resource("AWS::Lambda::Permission", props, r)
    };
    out.push((
        format!("{id}UrlPublicPermissions"),
        c.pos,
        permission(
            "lambda:InvokeFunctionUrl",
            ("FunctionUrlAuthType", s("NONE", c.pos)),
        ),
    ));
    out.push((
        format!("{id}URLInvokeAllowPublicAccess"),
        c.pos,
        permission(
            "lambda:InvokeFunction",
            ("InvokedViaFunctionUrl", s("true", c.pos)),
        ),
    ));
}

fn simple_table(id: &str, kp: Pos, r: &Node, p: &Node, out: &mut Out) {
    let mut props = copy(
        p,
        &[
            ("TableName", "TableName"),
            ("SSESpecification", "SSESpecification"),
            ("ProvisionedThroughput", "ProvisionedThroughput"),
            (
                "PointInTimeRecoverySpecification",
                "PointInTimeRecoverySpecification",
            ),
        ],
    );
    if p.get("ProvisionedThroughput").is_none() {
        props.push(("BillingMode".into(), r.pos, s("PAY_PER_REQUEST", r.pos)));
    }
    // PrimaryKey defaults to a string attribute `id`.
    let pk = p.get("PrimaryKey");
    let name = pk
        .and_then(|k| k.get("Name"))
        .cloned()
        .unwrap_or(s("id", r.pos));
    let ty = pk
        .and_then(|k| k.get("Type"))
        .cloned()
        .unwrap_or(s("String", r.pos));
    let short = match ty.as_str() {
        Some("Number") => s("N", ty.pos),
        Some("Binary") => s("B", ty.pos),
        Some(_) => s("S", ty.pos),
        None => ty.clone(),
    };
    props.push((
        "AttributeDefinitions".into(),
        r.pos,
        seq(
            vec![map(
                vec![("AttributeName", name.clone()), ("AttributeType", short)],
                r.pos,
            )],
            r.pos,
        ),
    ));
    props.push((
        "KeySchema".into(),
        r.pos,
        seq(
            vec![map(
                vec![("AttributeName", name), ("KeyType", s("HASH", r.pos))],
                r.pos,
            )],
            r.pos,
        ),
    ));
    let props = with_tags(props, p, true);
    out.push((
        id.to_string(),
        kp,
        resource("AWS::DynamoDB::Table", props, r),
    ));
}

/// `EndpointConfiguration` of a SAM Api: `REGIONAL` or `{Type, VPCEndpointIds}`.
fn endpoint_configuration(n: &Node) -> Node {
    match n.as_str() {
        Some(t) => map(vec![("Types", seq(vec![s(t, n.pos)], n.pos))], n.pos),
        None => match n.get("Type") {
            Some(t) if n.tag.is_none() => {
                let mut e = vec![("Types", seq(vec![t.clone()], t.pos))];
                if let Some(ids) = n.get("VPCEndpointIds") {
                    e.push(("VpcEndpointIds", ids.clone()));
                }
                map(e, n.pos)
            }
            _ => n.clone(),
        },
    }
}

fn rest_api(id: &str, kp: Pos, r: &Node, p: &Node, out: &mut Out) {
    let mut props = copy(
        p,
        &[
            ("Name", "Name"),
            ("Description", "Description"),
            ("DefinitionBody", "Body"),
            ("BinaryMediaTypes", "BinaryMediaTypes"),
            ("MinimumCompressionSize", "MinimumCompressionSize"),
            ("DisableExecuteApiEndpoint", "DisableExecuteApiEndpoint"),
            ("Mode", "Mode"),
            ("ApiKeySourceType", "ApiKeySourceType"),
        ],
    );
    if let Some(e) = p.get("EndpointConfiguration") {
        props.push((
            "EndpointConfiguration".into(),
            e.pos,
            endpoint_configuration(e),
        ));
    }
    out.push((
        id.to_string(),
        kp,
        resource("AWS::ApiGateway::RestApi", props, r),
    ));
    let stage_name = p
        .get("StageName")
        .and_then(|n| n.as_str())
        .unwrap_or("Stage");
    let mut stage = copy(
        p,
        &[
            ("StageName", "StageName"),
            ("AccessLogSetting", "AccessLogSetting"),
            ("MethodSettings", "MethodSettings"),
            ("TracingEnabled", "TracingEnabled"),
            ("Variables", "Variables"),
            ("CacheClusterEnabled", "CacheClusterEnabled"),
            ("CacheClusterSize", "CacheClusterSize"),
            ("CanarySetting", "CanarySetting"),
        ],
    );
    stage.push(("RestApiId".into(), r.pos, ref_to(id, r.pos)));
    let stage = with_tags(stage, p, true);
    out.push((
        format!("{id}{}Stage", alnum(stage_name)),
        kp,
        resource("AWS::ApiGateway::Stage", stage, r),
    ));
    if let Some(d) = p.get("Domain").filter(|d| d.entries().is_some()) {
        let regional = match d.get("EndpointConfiguration").and_then(|e| e.as_str()) {
            Some(e) => e != "EDGE",
            None => true,
        };
        let mut dp = copy(
            d,
            &[
                ("DomainName", "DomainName"),
                ("SecurityPolicy", "SecurityPolicy"),
                ("MutualTlsAuthentication", "MutualTlsAuthentication"),
                (
                    "OwnershipVerificationCertificateArn",
                    "OwnershipVerificationCertificateArn",
                ),
            ],
        );
        if let Some(c) = d.get("CertificateArn") {
            let k = if regional {
                "RegionalCertificateArn"
            } else {
                "CertificateArn"
            };
            dp.push((k.into(), c.pos, c.clone()));
        }
        let types = if regional { "REGIONAL" } else { "EDGE" };
        dp.push((
            "EndpointConfiguration".into(),
            d.pos,
            map(vec![("Types", seq(vec![s(types, d.pos)], d.pos))], d.pos),
        ));
        out.push((
            format!("{id}DomainName"),
            d.pos,
            resource("AWS::ApiGateway::DomainName", dp, r),
        ));
    }
}

fn http_api(id: &str, kp: Pos, r: &Node, p: &Node, out: &mut Out) {
    let mut props = copy(
        p,
        &[
            ("Name", "Name"),
            ("Description", "Description"),
            ("DefinitionBody", "Body"),
            ("DisableExecuteApiEndpoint", "DisableExecuteApiEndpoint"),
            ("CorsConfiguration", "CorsConfiguration"),
            ("Tags", "Tags"),
        ],
    );
    props.push(("ProtocolType".into(), r.pos, s("HTTP", r.pos)));
    out.push((
        id.to_string(),
        kp,
        resource("AWS::ApiGatewayV2::Api", props, r),
    ));
    let stage_name = p
        .get("StageName")
        .and_then(|n| n.as_str())
        .unwrap_or("$default");
    let mut stage = copy(
        p,
        &[
            ("AccessLogSettings", "AccessLogSettings"),
            ("DefaultRouteSettings", "DefaultRouteSettings"),
            ("RouteSettings", "RouteSettings"),
            ("StageVariables", "StageVariables"),
        ],
    );
    stage.push(("StageName".into(), r.pos, s(stage_name, r.pos)));
    stage.push(("AutoDeploy".into(), r.pos, s("true", r.pos)));
    stage.push(("ApiId".into(), r.pos, ref_to(id, r.pos)));
    let stage_id = if stage_name == "$default" {
        format!("{id}ApiGatewayDefaultStage")
    } else {
        format!("{id}{}Stage", alnum(stage_name))
    };
    out.push((stage_id, kp, resource("AWS::ApiGatewayV2::Stage", stage, r)));
    if let Some(d) = p.get("Domain").filter(|d| d.entries().is_some()) {
        let mut dp = copy(
            d,
            &[
                ("DomainName", "DomainName"),
                ("MutualTlsAuthentication", "MutualTlsAuthentication"),
            ],
        );
        let mut conf = copy(
            d,
            &[
                ("CertificateArn", "CertificateArn"),
                ("SecurityPolicy", "SecurityPolicy"),
                (
                    "OwnershipVerificationCertificateArn",
                    "OwnershipVerificationCertificateArn",
                ),
            ],
        );
        let endpoint = d
            .get("EndpointConfiguration")
            .cloned()
            .unwrap_or(s("REGIONAL", d.pos));
        conf.push(("EndpointType".into(), endpoint.pos, endpoint));
        dp.push((
            "DomainNameConfigurations".into(),
            d.pos,
            seq(
                vec![Node {
                    kind: NodeKind::Map(conf),
                    tag: None,
                    pos: d.pos,
                }],
                d.pos,
            ),
        ));
        out.push((
            format!("{id}DomainName"),
            d.pos,
            resource("AWS::ApiGatewayV2::DomainName", dp, r),
        ));
    }
}

fn state_machine(id: &str, kp: Pos, r: &Node, p: &Node, out: &mut Out) {
    let props = copy(
        p,
        &[
            ("Definition", "Definition"),
            ("DefinitionUri", "DefinitionS3Location"),
            ("DefinitionSubstitutions", "DefinitionSubstitutions"),
            ("Logging", "LoggingConfiguration"),
            ("Name", "StateMachineName"),
            ("Role", "RoleArn"),
            ("Tracing", "TracingConfiguration"),
            ("Type", "StateMachineType"),
        ],
    );
    let props = with_tags(props, p, true);
    out.push((
        id.to_string(),
        kp,
        resource("AWS::StepFunctions::StateMachine", props, r),
    ));
}

fn layer_version(id: &str, kp: Pos, r: &Node, p: &Node, out: &mut Out) {
    let props = copy(
        p,
        &[
            ("ContentUri", "Content"),
            ("LayerName", "LayerName"),
            ("CompatibleRuntimes", "CompatibleRuntimes"),
            ("CompatibleArchitectures", "CompatibleArchitectures"),
            ("Description", "Description"),
            ("LicenseInfo", "LicenseInfo"),
        ],
    );
    out.push((
        id.to_string(),
        kp,
        resource("AWS::Lambda::LayerVersion", props, r),
    ));
}

fn alnum(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).collect()
}

fn ref_to(id: &str, pos: Pos) -> Node {
    Node {
        kind: NodeKind::Scalar(Scalar::Str(id.to_string())),
        tag: Some("Ref".into()),
        pos,
    }
}

/// Whether a function's events use an implicit API: `(rest, http)`.
fn implicit_apis(p: &Node) -> (bool, bool) {
    let (mut rest, mut http) = (false, false);
    for (_, _, e) in p.get("Events").and_then(|e| e.entries()).unwrap_or(&[]) {
        let props = e.get("Properties");
        match e.get("Type").and_then(|t| t.as_str()) {
            Some("Api") if props.and_then(|p| p.get("RestApiId")).is_none() => rest = true,
            Some("HttpApi") if props.and_then(|p| p.get("ApiId")).is_none() => http = true,
            _ => {}
        }
    }
    (rest, http)
}

/// Expands the `AWS::Serverless::*` resources of `root` in place; returns
/// notes on what is not modelled.
pub fn expand(root: &mut Node) -> Vec<String> {
    let mut notes = Vec::new();
    let globals = root.get("Globals").cloned();
    let global = |kind: &str| globals.as_ref().and_then(|g| g.get(kind)).cloned();
    let Some(NodeKind::Map(entries)) = root
        .kind
        .as_map_mut()
        .and_then(|m| m.iter_mut().find(|(k, _, _)| k == "Resources"))
        .map(|(_, _, r)| &mut r.kind)
    else {
        return notes;
    };
    let mut out: Out = Vec::with_capacity(entries.len());
    let (mut rest, mut http) = (false, false);
    let mut roles = Vec::new();
    let empty = map(vec![], Pos::default());
    for (id, kp, r) in std::mem::take(entries) {
        let Some(ty) = r
            .get("Type")
            .and_then(|t| t.as_str())
            .and_then(|t| t.strip_prefix("AWS::Serverless::"))
            .map(str::to_string)
        else {
            out.push((id, kp, r));
            continue;
        };
        let own = r.get("Properties").cloned().unwrap_or(empty.clone());
        let global_key = match ty.as_str() {
            "Function" => "Function",
            "SimpleTable" => "SimpleTable",
            "Api" => "Api",
            "HttpApi" => "HttpApi",
            "StateMachine" => "StateMachine",
            "LayerVersion" => "LayerVersion",
            _ => "",
        };
        let p = match global(global_key) {
            Some(g) => merge(&own, &g),
            None => own,
        };
        match ty.as_str() {
            "Function" => {
                let (r1, h1) = implicit_apis(&p);
                rest |= r1;
                http |= h1;
                if p.get("Role").is_none() {
                    roles.push(id.clone());
                }
                function(&id, kp, &r, &p, &mut out);
            }
            "SimpleTable" => simple_table(&id, kp, &r, &p, &mut out),
            "Api" => rest_api(&id, kp, &r, &p, &mut out),
            "HttpApi" => http_api(&id, kp, &r, &p, &mut out),
            "StateMachine" => state_machine(&id, kp, &r, &p, &mut out),
            "LayerVersion" => layer_version(&id, kp, &r, &p, &mut out),
            other => {
                notes.push(format!(
                    "{}:{}: {id}: AWS::Serverless::{other} is not expanded by phiguard: the resources it creates are not judged",
                    kp.line, kp.col
                ));
                out.push((id, kp, r));
            }
        }
    }
    let implicit = |name: &str, kind: &str, stage: Option<&str>, out: &mut Out| {
        if out.iter().any(|(k, _, _)| k == name) {
            return;
        }
        let g = global(kind).unwrap_or(empty.clone());
        let pos = g.pos;
        let mut p = g.clone();
        if let (Some(st), NodeKind::Map(e)) = (stage, &mut p.kind) {
            if !e.iter().any(|(k, _, _)| k == "StageName") {
                e.push(("StageName".into(), pos, s(st, pos)));
            }
        }
        let r = map(vec![("Type", s(kind, pos))], pos);
        if kind == "Api" {
            rest_api(name, pos, &r, &p, out);
        } else {
            http_api(name, pos, &r, &p, out);
        }
    };
    if rest {
        implicit("ServerlessRestApi", "Api", Some("Prod"), &mut out);
    }
    if http {
        implicit("ServerlessHttpApi", "HttpApi", None, &mut out);
    }
    if !roles.is_empty() {
        notes.push(format!(
            "the execution roles SAM creates for {} (from Policies) are not judged",
            roles.join(", ")
        ));
    }
    *entries = out;
    notes
}

trait MapMut {
    fn as_map_mut(&mut self) -> Option<&mut Vec<(String, Pos, Node)>>;
}

impl MapMut for NodeKind {
    fn as_map_mut(&mut self) -> Option<&mut Vec<(String, Pos, Node)>> {
        match self {
            NodeKind::Map(m) => Some(m),
            _ => None,
        }
    }
}
