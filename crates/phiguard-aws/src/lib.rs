//! phiguard's live collector: reads an AWS organization (or one account),
//! read-only, into the typed model.
//!
//! Only List/Describe/Get calls are made, plus `sts:AssumeRole` into each
//! member account and `iam:GenerateCredentialReport`; [`operations::OPERATIONS`]
//! lists them all with their IAM actions, and `policy/phiguard-audit-policy.json`
//! grants exactly those. Every failure is kept as a [`phiguard_model::Gap`],
//! so that a rule that needed the data says `unknown`, never `pass`.

pub mod errors;
pub mod evidence;
pub mod operations;
mod org;
pub mod policy;
mod progress;
pub mod record;
mod resolve;
pub mod scope;
pub mod securityhub;
pub mod shard;
mod svc;

use crate::errors::ce;
use crate::record::Recorder;
use crate::scope::{Scope, Sink};
use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_types::SdkConfig;
use aws_types::region::Region;
use futures::StreamExt;
use phiguard_model::{Collection, Inventory, SourceKind, Unit, Val};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Which regions to read.
#[derive(Debug, Clone)]
pub enum Regions {
    /// These regions (from `phiguard.toml`, or `--regions a,b`).
    List(Vec<String>),
    /// Every region enabled for the account (`--regions all`).
    AllEnabled,
}

#[derive(Debug, Clone)]
pub struct AuditOptions {
    pub profile: Option<String>,
    /// The home region, for global services and STS (default `us-east-1`).
    pub region: Option<String>,
    pub regions: Regions,
    pub role_name: String,
    pub external_id: Option<String>,
    /// Audit only these accounts (empty: all).
    pub accounts: Vec<String>,
    /// `(i, n)`: audit the i-th of n stable shards of the accounts (1-based).
    pub shard: Option<(u32, u32)>,
    /// A custom endpoint for every service (an emulator, a VPC endpoint).
    pub endpoint_url: Option<String>,
    /// Calls in flight across the whole audit.
    pub concurrency: usize,
    /// Calls in flight within one account.
    pub account_concurrency: usize,
    /// Accounts read at once.
    pub accounts_in_flight: usize,
    /// Timeout of each call, retries included.
    pub call_timeout: Duration,
    /// Attempts per call (standard retry: exponential backoff with jitter).
    pub max_attempts: u32,
    /// Account roles from `phiguard.toml` (account id → `management`, `prod`, ...).
    pub roles: BTreeMap<String, String>,
    /// Show progress on stderr.
    pub progress: bool,
    /// An HTTP client to use instead of the default (tests inject faults and
    /// canned responses with it).
    pub http_client: Option<aws_smithy_runtime_api::client::http::SharedHttpClient>,
    /// Credentials to use instead of the default chain.
    pub credentials: Option<aws_credential_types::Credentials>,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            profile: None,
            region: None,
            regions: Regions::List(vec!["us-east-1".into(), "us-west-2".into()]),
            role_name: "PhiguardAudit".into(),
            external_id: None,
            accounts: Vec::new(),
            shard: None,
            endpoint_url: None,
            concurrency: 64,
            account_concurrency: 16,
            accounts_in_flight: 8,
            call_timeout: Duration::from_secs(60),
            max_attempts: 5,
            roles: BTreeMap::new(),
            progress: false,
            http_client: None,
            credentials: None,
        }
    }
}

/// What an audit read, and what it cost.
#[derive(Debug)]
pub struct Audit {
    pub inventory: Inventory,
    pub caller_account: String,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    pub calls: u64,
    pub operations: BTreeMap<(String, String), u64>,
    pub elapsed: Duration,
}

/// The audit could not start: nothing could be read.
#[derive(Debug)]
pub struct FatalError(pub String);

impl std::fmt::Display for FatalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for FatalError {}

/// Loads the SDK configuration the AWS way: environment, profiles, SSO, web
/// identity, instance metadata.
pub async fn base_config(opts: &AuditOptions) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(
            RetryConfig::standard()
                .with_initial_backoff(Duration::from_millis(500))
                .with_max_backoff(Duration::from_secs(20))
                .with_max_attempts(opts.max_attempts.max(1)),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .operation_timeout(opts.call_timeout)
                .operation_attempt_timeout(opts.call_timeout / 2)
                .connect_timeout(Duration::from_secs(10))
                .build(),
        );
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &opts.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(e) = &opts.endpoint_url {
        loader = loader.endpoint_url(e);
    }
    if let Some(c) = &opts.http_client {
        loader = loader.http_client(c.clone());
    }
    if let Some(c) = &opts.credentials {
        loader = loader.credentials_provider(c.clone());
    }
    let conf = loader.load().await;
    if conf.region().is_none() {
        conf.into_builder().region(Region::new("us-east-1")).build()
    } else {
        conf
    }
}

/// Runs the audit. Fails only when nothing can be read (no credentials).
pub async fn audit(opts: &AuditOptions) -> Result<Audit, FatalError> {
    let started = Instant::now();
    let rec = Recorder::new();
    let base = base_config(opts).await;
    let home = base
        .region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| "us-east-1".into());

    let sts = client!(
        aws_sdk_sts,
        Scope0 {
            sdk: base.clone(),
            rec: rec.clone()
        }
    );
    let who = sts.get_caller_identity().send().await.map_err(|e| {
        let err = ce(e);
        FatalError(format!(
            "could not read the caller's identity (sts:GetCallerIdentity): {err}\n\
             phiguard audit uses the AWS default credential chain: set AWS_PROFILE or pass --profile, \
             run `aws sso login`, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY for a principal \
             with the policy in policy/phiguard-audit-policy.json"
        ))
    })?;
    let caller = who.account().unwrap_or_default().to_string();
    let partition = who
        .arn()
        .and_then(|a| a.split(':').nth(1))
        .unwrap_or("aws")
        .to_string();

    let sink: Sink = Arc::new(Mutex::new(Inventory::default()));
    let global_sem = Arc::new(Semaphore::new(opts.concurrency.max(1)));

    // The organization, once.
    let org = org::read(&base, &rec, &sink, &caller, opts).await;

    // Which accounts, which regions.
    let mut accounts: Vec<String> = match &org.accounts {
        Some(list) => list.clone(),
        None => vec![caller.clone()],
    };
    if !opts.accounts.is_empty() {
        accounts.retain(|a| opts.accounts.contains(a));
        for a in &opts.accounts {
            if !accounts.contains(a) && org.accounts.is_none() && a != &caller {
                eprintln!(
                    "phiguard: account {a} is not readable without an organization; auditing {caller} only"
                );
            }
        }
    }
    if let Some((i, n)) = opts.shard {
        accounts.retain(|a| shard::shard_of(a, n) == i);
    }
    accounts.sort();
    let regions = match &opts.regions {
        Regions::List(l) => l.clone(),
        Regions::AllEnabled => {
            let ec2 = client!(
                aws_sdk_ec2,
                Scope0 {
                    sdk: base.clone(),
                    rec: rec.clone()
                }
            );
            match ec2.describe_regions().send().await {
                Ok(out) => {
                    let mut v: Vec<String> = out
                        .regions()
                        .iter()
                        .filter_map(|r| r.region_name().map(str::to_string))
                        .collect();
                    v.sort();
                    v
                }
                Err(e) => {
                    return Err(FatalError(format!(
                        "--regions all: could not list the enabled regions (ec2:DescribeRegions): {}",
                        ce(e)
                    )));
                }
            }
        }
    };

    // Single-account mode: the caller's account still needs a record.
    if org.accounts.is_none() {
        let mut inv = sink.lock().unwrap_or_else(|p| p.into_inner());
        let unit = (inv.units.len() as u32).saturating_sub(1);
        let rid = inv.add_meta(
            "AWS::Organizations::Account",
            &caller,
            phiguard_model::Origin::Live {
                arn: format!("arn:{partition}:iam::{caller}:root"),
                account: caller.clone(),
                region: "global".into(),
            },
            unit,
        );
        inv.org_accounts.push(phiguard_model::OrgAccount {
            rid,
            id: caller.clone(),
            name: Val::unknown("the account is not in an organization"),
            status: Val::Known("ACTIVE".into()),
            path: if org.not_in_use {
                Val::Known(Vec::new())
            } else {
                Val::unknown("the organization could not be read")
            },
            role: Val::Known(opts.roles.get(&caller).cloned()),
            public_access_block: Val::unknown("not read yet"),
            tags: Val::Known(BTreeMap::new()),
            audited: true,
        });
    }

    // Units, up front: one global unit and one per region for each account.
    let mut units: BTreeMap<(String, String), u32> = BTreeMap::new();
    {
        let mut inv = sink.lock().unwrap_or_else(|p| p.into_inner());
        for a in &accounts {
            let role = org
                .roles
                .get(a)
                .cloned()
                .or_else(|| opts.roles.get(a).cloned());
            for r in std::iter::once("global".to_string()).chain(regions.iter().cloned()) {
                let idx = inv.units.len() as u32;
                inv.units.push(Unit {
                    name: format!("{a}/{r}"),
                    source: SourceKind::Live,
                    account: Val::Known(a.clone()),
                    region: Val::Known(r.clone()),
                    account_role: Val::Known(role.clone()),
                });
                units.insert((a.clone(), r), idx);
            }
        }
        for acc in inv.org_accounts.iter_mut() {
            acc.audited = accounts.contains(&acc.id);
        }
    }
    let units = Arc::new(Mutex::new(units));

    let progress = progress::Progress::start(opts.progress, accounts.len(), regions.len() + 1);

    let run_account = |account: String| {
        let base = base.clone();
        let rec = rec.clone();
        let sink = sink.clone();
        let global_sem = global_sem.clone();
        let partition = partition.clone();
        let home = home.clone();
        let regions = regions.clone();
        let units = units.clone();
        let caller = caller.clone();
        let progress = progress.clone();
        async move {
            let sdk = if account == caller {
                Ok(base.clone())
            } else {
                org::assume(&base, &rec, &account, &partition, opts).await
            };
            let unit_of = |r: &str| {
                units
                    .lock()
                    .map(|u| u.get(&(account.clone(), r.to_string())).copied())
                    .ok()
                    .flatten()
                    .unwrap_or(0)
            };
            let sdk = match sdk {
                Ok(s) => s,
                Err(reason) => {
                    let mut inv = sink.lock().unwrap_or_else(|p| p.into_inner());
                    for r in std::iter::once("global").chain(regions.iter().map(String::as_str)) {
                        inv.gaps.push(phiguard_model::Gap {
                            unit: unit_of(r),
                            collection: Collection::Accounts,
                            operation: "sts:AssumeRole".into(),
                            reason: reason.clone(),
                        });
                        for c in svc::collections_of(r == "global") {
                            inv.gaps.push(phiguard_model::Gap {
                                unit: unit_of(r),
                                collection: c,
                                operation: "sts:AssumeRole".into(),
                                reason: reason.clone(),
                            });
                        }
                    }
                    progress.account_done(regions.len() + 1, true);
                    return;
                }
            };
            let acct_sem = Arc::new(Semaphore::new(opts.account_concurrency.max(1)));
            let mut tasks = Vec::new();
            for r in std::iter::once("global".to_string()).chain(regions.iter().cloned()) {
                let call_region = if r == "global" {
                    home.clone()
                } else {
                    r.clone()
                };
                let sdk = sdk
                    .clone()
                    .into_builder()
                    .region(Region::new(call_region.clone()))
                    .build();
                let scope = Scope {
                    sdk,
                    rec: rec.clone(),
                    account: account.clone(),
                    region: r.clone(),
                    call_region,
                    unit: unit_of(&r),
                    partition: partition.clone(),
                    sink: sink.clone(),
                    endpoint: opts.endpoint_url.clone(),
                };
                for job in svc::jobs(r == "global") {
                    let scope = scope.clone();
                    let g = global_sem.clone();
                    let a = acct_sem.clone();
                    let units = units.clone();
                    tasks.push(async move {
                        let _gp = g.acquire_owned().await;
                        let _ap = a.acquire_owned().await;
                        job(scope, units).await;
                    });
                }
            }
            futures::future::join_all(tasks).await;
            let errors = sink
                .lock()
                .map(|inv| {
                    inv.gaps.iter().any(|g| {
                        inv.units
                            .get(g.unit as usize)
                            .is_some_and(|u| u.account == Val::Known(account.clone()))
                    })
                })
                .unwrap_or(false);
            progress.account_done(regions.len() + 1, errors);
        }
    };

    futures::stream::iter(accounts.clone())
        .map(run_account)
        .buffer_unordered(opts.accounts_in_flight.max(1))
        .collect::<Vec<()>>()
        .await;
    progress.finish();

    let mut inventory = Arc::try_unwrap(sink)
        .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
        .unwrap_or_else(|arc| arc.lock().map(|i| i.clone()).unwrap_or_default());
    // GuardDuty's organization settings are answered only in the delegated
    // administrator; they hold for every detector of the organization.
    let org_auto = inventory
        .guardduty
        .iter()
        .find_map(|g| g.org_auto_enable.known().copied());
    for g in inventory.guardduty.iter_mut() {
        g.admin_account = org.guardduty_admin.clone();
        if let (Val::Unknown(_), Some(a)) = (&g.org_auto_enable, org_auto) {
            g.org_auto_enable = Val::Known(a);
        }
    }
    resolve::links(&mut inventory);
    Ok(Audit {
        inventory,
        caller_account: caller,
        accounts,
        regions,
        calls: rec.total(),
        operations: rec.operations(),
        elapsed: started.elapsed(),
    })
}

/// A scope-like view for the calls made before any account is chosen.
pub(crate) struct Scope0 {
    pub sdk: SdkConfig,
    pub rec: Recorder,
}
