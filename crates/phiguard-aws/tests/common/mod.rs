//! A mock AWS for the faults and the services moto does not serve: an SDK
//! HTTP connector that answers each call from a router, in the wire format
//! each service's API reference documents.

#![allow(dead_code)]

use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpClient, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_types::body::SdkBody;
use phiguard_aws::{AuditOptions, Regions};
use std::sync::{Arc, Mutex};

/// What the mock saw of a request.
#[derive(Debug, Clone)]
pub struct Req {
    /// The signing name: `kms`, `ec2`, `s3`, `guardduty`, ...
    pub service: String,
    /// `Action=` of query protocols, the `X-Amz-Target` operation of JSON ones,
    /// else empty.
    pub op: String,
    pub method: String,
    pub path: String,
    pub body: String,
}

pub enum Reply {
    Ok(u16, Vec<(&'static str, String)>, String),
    /// Never answers (for timeouts).
    Hang,
}

pub fn json(body: &str) -> Option<Reply> {
    Some(Reply::Ok(
        200,
        vec![("content-type", "application/json".into())],
        body.to_string(),
    ))
}

pub fn xml(body: &str) -> Option<Reply> {
    Some(Reply::Ok(
        200,
        vec![("content-type", "text/xml".into())],
        body.to_string(),
    ))
}

/// The error a service returns, in its protocol.
pub fn error(service: &str, status: u16, code: &str, message: &str) -> Reply {
    match service {
        "sts" | "iam" | "elasticloadbalancing" | "rds" | "cloudfront" => Reply::Ok(
            status,
            vec![("content-type", "text/xml".into())],
            format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>r</RequestId></ErrorResponse>"
            ),
        ),
        "ec2" => Reply::Ok(
            status,
            vec![("content-type", "text/xml".into())],
            format!(
                "<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>r</RequestID></Response>"
            ),
        ),
        "s3" => Reply::Ok(
            status,
            vec![("content-type", "application/xml".into())],
            format!("<Error><Code>{code}</Code><Message>{message}</Message></Error>"),
        ),
        _ => Reply::Ok(
            status,
            vec![
                ("content-type", "application/json".into()),
                ("x-amzn-errortype", code.into()),
            ],
            format!(r#"{{"__type":"{code}","message":"{message}"}}"#),
        ),
    }
}

type Router = dyn Fn(&Req) -> Option<Reply> + Send + Sync;

#[derive(Clone)]
pub struct Mock {
    router: Arc<Router>,
    pub seen: Arc<Mutex<Vec<Req>>>,
}

impl std::fmt::Debug for Mock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Mock")
    }
}

fn parse(req: &HttpRequest) -> Req {
    let auth = req.headers().get("authorization").unwrap_or("");
    // Credential=AKID/20261130/us-east-1/kms/aws4_request
    let service = auth
        .split("Credential=")
        .nth(1)
        .and_then(|c| c.split('/').nth(3))
        .unwrap_or("")
        .to_string();
    let body = req
        .body()
        .bytes()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let op = if let Some(t) = req.headers().get("x-amz-target") {
        t.rsplit('.').next().unwrap_or("").to_string()
    } else if let Some(a) = body.split('&').find_map(|kv| kv.strip_prefix("Action=")) {
        a.to_string()
    } else {
        String::new()
    };
    let uri = req.uri().to_string();
    let path = uri
        .split_once("://")
        .map(|(_, rest)| {
            rest.find('/')
                .map(|i| rest[i..].to_string())
                .unwrap_or_else(|| "/".into())
        })
        .unwrap_or(uri);
    Req {
        service,
        op,
        method: req.method().to_string(),
        path,
        body,
    }
}

impl HttpConnector for Mock {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let req = parse(&request);
        self.seen.lock().unwrap().push(req.clone());
        let reply = (self.router)(&req).unwrap_or_else(|| {
            error(
                &req.service,
                403,
                if req.service == "ec2" {
                    "UnauthorizedOperation"
                } else {
                    "AccessDenied"
                },
                "not granted in this test",
            )
        });
        match reply {
            Reply::Hang => HttpConnectorFuture::new(async {
                tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
                unreachable!()
            }),
            Reply::Ok(status, headers, body) => {
                let mut r = HttpResponse::new(status.try_into().unwrap(), SdkBody::from(body));
                for (k, v) in headers {
                    r.headers_mut().insert(k, v);
                }
                HttpConnectorFuture::ready(Ok(r))
            }
        }
    }
}

impl Mock {
    pub fn new(router: impl Fn(&Req) -> Option<Reply> + Send + Sync + 'static) -> Mock {
        Mock {
            router: Arc::new(router),
            seen: Arc::new(Mutex::new(Vec::new())),
        }
    }

    pub fn client(&self) -> SharedHttpClient {
        let m = self.clone();
        http_client_fn(move |_, _| SharedHttpConnector::new(m.clone()))
    }

    pub fn count(&self, service: &str, op: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.service == service && r.op == op)
            .count()
    }
}

pub const ACCOUNT: &str = "111122223333";

/// The answers every mock audit needs: who the caller is, and no organization.
pub fn basics(r: &Req) -> Option<Reply> {
    match (r.service.as_str(), r.op.as_str()) {
        ("sts", "GetCallerIdentity") => xml(&format!(
            "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::{ACCOUNT}:user/auditor</Arn><UserId>AIDA</UserId><Account>{ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
        )),
        ("organizations", "DescribeOrganization") => Some(error(
            "organizations",
            400,
            "AWSOrganizationsNotInUseException",
            "Your account is not a member of an organization.",
        )),
        _ => None,
    }
}

pub fn options(mock: &Mock) -> AuditOptions {
    AuditOptions {
        endpoint_url: Some("http://127.0.0.1:9".into()),
        region: Some("us-east-1".into()),
        regions: Regions::List(vec!["us-east-1".into()]),
        credentials: Some(aws_credential_types::Credentials::new(
            "AKIDTEST", "secret", None, None, "test",
        )),
        http_client: Some(mock.client()),
        call_timeout: std::time::Duration::from_secs(2),
        max_attempts: 5,
        ..Default::default()
    }
}

/// The moto server's address (`scripts/moto.sh start`, which the test command
/// runs). Missing: a failure in CI or under `PHIGUARD_REQUIRE_MOTO`, else the
/// test is skipped with a message.
pub fn moto_endpoint() -> Option<String> {
    match std::env::var("PHIGUARD_MOTO_ENDPOINT") {
        Ok(e) if !e.is_empty() => Some(e),
        _ => {
            let required = std::env::var_os("CI").is_some()
                || std::env::var_os("PHIGUARD_REQUIRE_MOTO").is_some();
            assert!(
                !required,
                "PHIGUARD_MOTO_ENDPOINT is not set: the live tests need the moto server (scripts/moto.sh start)"
            );
            eprintln!(
                "SKIPPED: PHIGUARD_MOTO_ENDPOINT is not set; run scripts/test.sh, which starts moto"
            );
            None
        }
    }
}
