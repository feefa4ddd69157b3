//! What went wrong with a call, said for a person, and which errors mean a
//! service is simply off.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// A call's failure: its error code (when the service gave one) and a reason.
#[derive(Debug, Clone)]
pub struct CallError {
    pub code: Option<String>,
    pub reason: String,
}

impl CallError {
    pub fn code_is(&self, codes: &[&str]) -> bool {
        self.code
            .as_deref()
            .is_some_and(|c| codes.iter().any(|x| x.eq_ignore_ascii_case(c)))
    }

    /// Access denied, in any of the spellings AWS services use.
    pub fn denied(&self) -> bool {
        self.code_is(&[
            "AccessDenied",
            "AccessDeniedException",
            "UnauthorizedOperation",
            "UnauthorizedException",
            "AuthorizationError",
            "Forbidden",
        ])
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

pub fn classify<E>(e: &SdkError<E, HttpResponse>) -> CallError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match e {
        SdkError::ServiceError(se) => {
            let err = se.err();
            let status = se.raw().status().as_u16();
            let code = err.code().map(str::to_string);
            let msg = err.message().unwrap_or("").trim();
            let reason = match (&code, msg.is_empty()) {
                (Some(c), false) => format!("{c}: {msg} (HTTP {status})"),
                (Some(c), true) => format!("{c} (HTTP {status})"),
                (None, _) if status < 300 => {
                    format!("the response was malformed (HTTP {status}): it could not be parsed")
                }
                (None, _) => {
                    format!(
                        "the service answered HTTP {status} without an error code phiguard could read"
                    )
                }
            };
            CallError { code, reason }
        }
        SdkError::TimeoutError(_) => CallError {
            code: None,
            reason: "the call timed out".into(),
        },
        SdkError::DispatchFailure(_) => CallError {
            code: None,
            reason: format!("the request could not be sent: {}", DisplayErrorContext(e)),
        },
        SdkError::ResponseError(r) => CallError {
            code: None,
            reason: format!(
                "the response was malformed (HTTP {}): it could not be read",
                r.raw().status().as_u16()
            ),
        },
        _ => CallError {
            code: None,
            reason: format!("the call failed: {}", DisplayErrorContext(e)),
        },
    }
}

/// `?`-friendly conversion: `client.op().send().await.map_err(ce)?`.
pub fn ce<E>(e: SdkError<E, HttpResponse>) -> CallError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    classify(&e)
}
