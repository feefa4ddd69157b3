//! The rule declaration, findings and the context a check reports into.

use crate::{Config, Control};
use phiguard_model::{Collection, Gap, Inventory, Origin, Rid, SourceKind, Val};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s.to_ascii_lowercase().as_str() {
            "info" => Severity::Info,
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    Unknown,
    Waived,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Unknown => "unknown",
            Outcome::Waived => "waived",
        }
    }
}

/// What one finding of a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The rule judges each resource of a kind (ENC-2: every bucket).
    Resource,
    /// The rule judges the estate as a whole (LOG-1: an organization trail
    /// exists). On code, the absence of what it looks for is only a failure with
    /// `--complete`; what is there is always judged.
    Estate,
}

/// A rule of the catalogue. Declared with [`crate::declare_rule!`].
pub struct Rule {
    pub id: &'static str,
    pub control: Control,
    pub severity: Severity,
    /// Which sources can decide it (`controls.md`'s L, T, C).
    pub sources: &'static [SourceKind],
    /// Which inventory collections its check reads. Where the live audit
    /// could not read one of them (a [`phiguard_model::Gap`]), the engine
    /// reports the gap under this rule and does not let an estate-level
    /// failure (often an absence) stand as a failure.
    pub reads: &'static [Collection],
    pub scope: Scope,
    pub title: &'static str,
    pub remediation: &'static str,
    /// The rule's full documentation (markdown), from its doc comment.
    pub doc: &'static str,
    pub check: fn(&mut Cx),
    /// Where the rule is declared.
    pub file: &'static str,
    pub line: u32,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

impl Rule {
    pub fn claims(&self, source: SourceKind) -> bool {
        self.sources.contains(&source)
    }
    /// `LTC`-style letters.
    pub fn source_letters(&self) -> String {
        SourceKind::ALL
            .iter()
            .filter(|s| self.claims(**s))
            .map(|s| s.letter())
            .collect()
    }
}

/// Declares a rule next to its check function. The doc comment is the rule's
/// documentation, shown by `phiguard explain`.
///
/// ```text
/// declare_rule! {
///     /// ### What it checks
///     /// ...
///     pub static RULE = {
///         id: "ENC-2",
///         control: AtRestEncryption,
///         severity: High,
///         sources: [Live, Terraform, CloudFormation],
///         reads: [Buckets, KmsKeys],
///         scope: Resource,
///         title: "S3 buckets encrypt with a customer-managed KMS key",
///         remediation: "Set default encryption to SSE-KMS with a customer-managed key.",
///         check: check,
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $name:ident = {
            id: $id:literal,
            control: $control:ident,
            severity: $sev:ident,
            sources: [$($src:ident),* $(,)?],
            reads: [$($reads:ident),* $(,)?],
            scope: $scope:ident,
            title: $title:literal,
            remediation: $rem:literal,
            check: $check:path $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub static $name: $crate::Rule = $crate::Rule {
            id: $id,
            control: $crate::Control::$control,
            severity: $crate::Severity::$sev,
            sources: &[$(::phiguard_model::SourceKind::$src),*],
            reads: &[$(::phiguard_model::Collection::$reads),*],
            scope: $crate::Scope::$scope,
            title: $title,
            remediation: $rem,
            doc: concat!($($doc, "\n"),*),
            check: $check,
            file: file!(),
            line: line!(),
        };
    };
}

/// Seconds since the epoch, from the system clock.
pub fn now_epoch() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `could not read <collection> in <unit>: <operation>: <reason>`.
pub fn describe_gap(inv: &Inventory, g: &Gap) -> String {
    let unit = inv
        .units
        .get(g.unit as usize)
        .map(|u| u.name.as_str())
        .unwrap_or("an unknown unit");
    format!(
        "could not read {} in {unit}: {}: {}",
        g.collection.name().replace('_', " "),
        g.operation,
        g.reason
    )
}

/// The resource a finding is about, copied out of the inventory for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    pub kind: String,
    pub name: String,
    pub origin: Origin,
    /// What people call it: a KMS key's aliases, else its `Name` tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Its tags, where the source knows them.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

impl Subject {
    /// What people call a resource: its KMS aliases (a key), else its
    /// non-empty `Name` tag.
    pub fn label_of(inv: &Inventory, rid: Rid) -> Option<String> {
        let key = (inv.meta(rid).kind == "AWS::KMS::Key")
            .then(|| inv.kms_key(rid))
            .flatten();
        if let Some(k) = key {
            if !k.aliases.is_empty() {
                return Some(k.aliases.join(", "));
            }
        }
        inv.meta(rid)
            .tags
            .known()
            .and_then(|t| t.get("Name"))
            .filter(|n| !n.trim().is_empty())
            .cloned()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub control: Control,
    pub severity: Severity,
    pub outcome: Outcome,
    /// `None` for an estate-wide finding.
    pub subject: Option<Subject>,
    #[serde(skip)]
    pub rid: Option<Rid>,
    pub message: String,
    /// For waived findings: who, why, until when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<String>,
    /// For a failure that earlier scans of the same scope also failed (the
    /// history store): the time of the first scan of that unbroken run, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failing_since: Option<String>,
}

/// What a check reads and where it reports.
pub struct Cx<'a> {
    pub inv: &'a Inventory,
    pub cfg: &'a Config,
    /// The paths given are claimed to be the whole baseline (`--complete`), or
    /// the source is live: what is absent is absent.
    pub complete: bool,
    /// Now, in seconds since the epoch: the clock of age limits (SEC-2, CVE-2).
    pub now: i64,
    pub(crate) rule: &'static Rule,
    pub(crate) findings: Vec<Finding>,
}

impl<'a> Cx<'a> {
    pub fn new(inv: &'a Inventory, cfg: &'a Config, complete: bool, rule: &'static Rule) -> Self {
        Cx {
            inv,
            cfg,
            complete,
            now: now_epoch(),
            rule,
            findings: Vec::new(),
        }
    }

    /// The gaps in any of `collections` whose unit is in `account` (any
    /// account when `None`), described for a message; `None` when there are none.
    pub fn gap_note(&self, collections: &[Collection], account: Option<&str>) -> Option<String> {
        let mut v: Vec<String> = Vec::new();
        for g in &self.inv.gaps {
            if !collections.contains(&g.collection) {
                continue;
            }
            if let Some(a) = account {
                let unit = self.inv.units.get(g.unit as usize);
                if unit.and_then(|u| u.account.known()).is_some_and(|x| x != a) {
                    continue;
                }
            }
            let d = describe_gap(self.inv, g);
            if !v.contains(&d) {
                v.push(d);
            }
        }
        (!v.is_empty()).then(|| v.join("; "))
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    fn push(&mut self, rid: Option<Rid>, outcome: Outcome, severity: Severity, message: String) {
        let subject = rid.map(|r| {
            let m = self.inv.meta(r);
            Subject {
                kind: m.kind.clone(),
                name: m.name.clone(),
                origin: m.origin.clone(),
                label: Subject::label_of(self.inv, r),
                tags: m.tags.known().cloned().unwrap_or_default(),
            }
        });
        self.findings.push(Finding {
            rule: self.rule.id,
            control: self.rule.control,
            severity,
            outcome,
            subject,
            rid,
            message,
            waiver: None,
            failing_since: None,
        });
    }

    pub fn pass(&mut self, rid: Rid, msg: impl Into<String>) {
        self.push(Some(rid), Outcome::Pass, self.rule.severity, msg.into());
    }
    pub fn fail(&mut self, rid: Rid, msg: impl Into<String>) {
        self.push(Some(rid), Outcome::Fail, self.rule.severity, msg.into());
    }
    /// A failure at a severity other than the rule's (a lesser finding).
    pub fn fail_at(&mut self, rid: Rid, severity: Severity, msg: impl Into<String>) {
        self.push(Some(rid), Outcome::Fail, severity, msg.into());
    }
    pub fn unknown(&mut self, rid: Rid, reason: impl Into<String>) {
        self.push(
            Some(rid),
            Outcome::Unknown,
            self.rule.severity,
            reason.into(),
        );
    }

    /// Reports a `Val<bool>` verdict: true passes with `ok`, false fails with
    /// `bad`, unknown reports the reason.
    pub fn judge(
        &mut self,
        rid: Rid,
        verdict: Val<bool>,
        ok: impl Into<String>,
        bad: impl Into<String>,
    ) {
        match verdict {
            Val::Known(true) => self.pass(rid, ok),
            Val::Known(false) => self.fail(rid, bad),
            Val::Unknown(r) => self.unknown(rid, r),
        }
    }

    pub fn estate_pass(&mut self, msg: impl Into<String>) {
        self.push(None, Outcome::Pass, self.rule.severity, msg.into());
    }
    pub fn estate_fail(&mut self, msg: impl Into<String>) {
        self.push(None, Outcome::Fail, self.rule.severity, msg.into());
    }
    pub fn estate_unknown(&mut self, msg: impl Into<String>) {
        self.push(None, Outcome::Unknown, self.rule.severity, msg.into());
    }

    /// What an estate rule looks for is absent: a failure when the estate is
    /// complete (or live), otherwise nothing (the rest of the baseline may hold it).
    pub fn absent(&mut self, msg: impl Into<String>) {
        if self.complete {
            self.estate_fail(msg);
        }
    }

    /// Should a PHI-scoped rule judge `rid`? True when it is in PHI scope;
    /// when that cannot be told, reports `unknown` with the reason and
    /// returns false.
    pub fn phi_scoped(&mut self, rid: Rid) -> bool {
        match self.in_phi_scope(rid) {
            Val::Known(b) => b,
            Val::Unknown(r) => {
                self.unknown(
                    rid,
                    format!("whether the resource is in PHI scope cannot be told: {r}"),
                );
                false
            }
        }
    }

    /// Is the resource in PHI scope (tagged, or every resource with `phi_scope = "all"`)?
    pub fn in_phi_scope(&self, rid: Rid) -> Val<bool> {
        self.cfg.in_phi_scope(self.inv, rid)
    }
}
