//! One account and region being read: its SDK configuration, the unit its
//! resources belong to, and the shared inventory they are written into.

use crate::errors::CallError;
use crate::record::Recorder;
use aws_types::SdkConfig;
use phiguard_model::{Collection, Gap, Inventory, Origin, Rid, Val};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

pub type Sink = Arc<Mutex<Inventory>>;

#[derive(Clone)]
pub struct Scope {
    pub sdk: SdkConfig,
    pub rec: Recorder,
    pub account: String,
    /// The AWS region, or `global`.
    pub region: String,
    /// The region calls go to (the home region for global services).
    pub call_region: String,
    pub unit: u32,
    pub partition: String,
    pub sink: Sink,
    /// A custom endpoint (an emulator) is in use: S3 path-style, no s3control host prefix.
    pub endpoint: Option<String>,
}

impl Scope {
    pub fn with<R>(&self, f: impl FnOnce(&mut Inventory) -> R) -> R {
        let mut inv = self.sink.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut inv)
    }

    /// Registers a resource of this unit.
    pub fn add(
        &self,
        kind: &str,
        name: &str,
        arn: &str,
        tags: Option<BTreeMap<String, String>>,
    ) -> Rid {
        self.add_in(self.unit, &self.region, kind, name, arn, tags)
    }

    /// Registers a resource in another unit of this account (S3 buckets live
    /// in their own region).
    pub fn add_in(
        &self,
        unit: u32,
        region: &str,
        kind: &str,
        name: &str,
        arn: &str,
        tags: Option<BTreeMap<String, String>>,
    ) -> Rid {
        let origin = Origin::Live {
            arn: arn.to_string(),
            account: self.account.clone(),
            region: region.to_string(),
        };
        self.with(|inv| {
            let rid = inv.add_meta(kind, name, origin, unit);
            if let Some(t) = tags {
                inv.meta_mut(rid).tags = Val::Known(t);
            }
            rid
        })
    }

    pub fn gap(&self, collection: Collection, operation: &str, err: &CallError) {
        self.gap_in(self.unit, collection, operation, &err.reason);
    }

    /// The items of a list call, or `None` once its failure is recorded as a gap.
    pub fn listed<T>(
        &self,
        collection: Collection,
        operation: &str,
        r: Result<Vec<T>, CallError>,
    ) -> Option<Vec<T>> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.gap(collection, operation, &e);
                None
            }
        }
    }

    pub fn gap_in(&self, unit: u32, collection: Collection, operation: &str, reason: &str) {
        let g = Gap {
            unit,
            collection,
            operation: operation.to_string(),
            reason: reason.to_string(),
        };
        self.with(|inv| {
            if !inv.gaps.contains(&g) {
                inv.gaps.push(g)
            }
        });
    }

    pub fn arn(&self, service: &str, resource: &str) -> String {
        let region = if self.region == "global" {
            ""
        } else {
            &self.region
        };
        format!(
            "arn:{}:{service}:{region}:{}:{resource}",
            self.partition, self.account
        )
    }
}

/// Builds a service client from the scope's configuration, with the recorder.
#[macro_export]
macro_rules! client {
    ($krate:ident, $scope:expr) => {{
        let conf = $krate::config::Builder::from(&$scope.sdk)
            .interceptor($scope.rec.clone())
            .build();
        $krate::Client::from_conf(conf)
    }};
}

/// Every item of a paginated list call, or the call's error.
#[macro_export]
macro_rules! all {
    ($req:expr) => {
        $req.into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err($crate::errors::ce)
    };
}

/// Tags as AWS lists them (`Key`/`Value` pairs) into a map.
pub fn tag_map<I, K, V>(items: I) -> BTreeMap<String, String>
where
    I: IntoIterator<Item = (K, V)>,
    K: Into<String>,
    V: Into<String>,
{
    items
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect()
}

/// Seconds since the epoch of an SDK date-time.
pub fn epoch(t: &aws_smithy_types::DateTime) -> i64 {
    t.secs()
}
