//! Records every AWS operation the collector calls, as an SDK interceptor: the
//! call count reported after an audit, and the proof that the shipped IAM
//! policy covers what the collector does.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_types::config_bag::ConfigBag;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Counts calls per `(service, operation)` as the SDK names them.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    total: AtomicU64,
    ops: Mutex<BTreeMap<(String, String), u64>>,
}

impl Recorder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Every call started, retries not counted.
    pub fn total(&self) -> u64 {
        self.inner.total.load(Ordering::Relaxed)
    }

    /// `(service, operation) -> calls`, service and operation as the SDK names them
    /// (`S3`, `GetBucketEncryption`).
    pub fn operations(&self) -> BTreeMap<(String, String), u64> {
        self.inner.ops.lock().map(|m| m.clone()).unwrap_or_default()
    }

    fn record(&self, service: &str, operation: &str) {
        self.inner.total.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut m) = self.inner.ops.lock() {
            *m.entry((service.to_string(), operation.to_string()))
                .or_default() += 1;
        }
    }
}

impl Intercept for Recorder {
    fn name(&self) -> &'static str {
        "phiguard-operation-recorder"
    }

    // Not `read_before_execution`: client interceptors run that before the
    // operation's configuration (which names it) is applied.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(m) = cfg.load::<Metadata>() {
            self.record(m.service(), m.name());
        }
        Ok(())
    }
}
