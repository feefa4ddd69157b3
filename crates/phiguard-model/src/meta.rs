//! What every resource carries: its identity, where it came from, its tags.

use crate::Val;
use serde::Serialize;
use std::collections::BTreeMap;

/// Index of a resource in its [`crate::Inventory`]. Links between resources are `Rid`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Rid(pub u32);

/// The kind of source a resource was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// The live AWS APIs.
    Live,
    /// Terraform plan, state or source.
    Terraform,
    /// A CloudFormation template.
    CloudFormation,
}

impl SourceKind {
    pub const ALL: [SourceKind; 3] = [
        SourceKind::Live,
        SourceKind::Terraform,
        SourceKind::CloudFormation,
    ];

    /// The one-letter code used in `controls.md` (L, T, C).
    pub fn letter(self) -> char {
        match self {
            SourceKind::Live => 'L',
            SourceKind::Terraform => 'T',
            SourceKind::CloudFormation => 'C',
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Live => "live",
            SourceKind::Terraform => "terraform",
            SourceKind::CloudFormation => "cloudformation",
        }
    }
}

/// Where a resource (or a value) was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Origin {
    /// A resource of a CloudFormation template. `line` is 1-based, `column` 1-based.
    Template {
        file: String,
        logical_id: String,
        line: u32,
        column: u32,
    },
    /// A Terraform resource, by address; the `.tf` line where known.
    Terraform {
        file: String,
        address: String,
        line: Option<u32>,
    },
    /// A live resource.
    Live {
        arn: String,
        account: String,
        region: String,
    },
}

impl Origin {
    pub fn source_kind(&self) -> SourceKind {
        match self {
            Origin::Template { .. } => SourceKind::CloudFormation,
            Origin::Terraform { .. } => SourceKind::Terraform,
            Origin::Live { .. } => SourceKind::Live,
        }
    }
    /// The file this came from, for code sources.
    pub fn file(&self) -> Option<&str> {
        match self {
            Origin::Template { file, .. } | Origin::Terraform { file, .. } => Some(file),
            Origin::Live { .. } => None,
        }
    }
    /// 1-based line, where known.
    pub fn line(&self) -> Option<u32> {
        match self {
            Origin::Template { line, .. } => Some(*line),
            Origin::Terraform { line, .. } => *line,
            Origin::Live { .. } => None,
        }
    }
    /// `file:line`, an address, or an ARN: how a person finds this resource.
    pub fn location(&self) -> String {
        match self {
            Origin::Template { file, line, .. } => format!("{file}:{line}"),
            Origin::Terraform {
                file,
                line: Some(l),
                ..
            } => format!("{file}:{l}"),
            Origin::Terraform {
                file,
                address,
                line: None,
            } => format!("{file} ({address})"),
            Origin::Live { arn, .. } => arn.clone(),
        }
    }
}

/// Identity and provenance, shared by every resource.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub rid: Rid,
    /// The CloudFormation resource type name (`AWS::S3::Bucket`), used by every
    /// source as the canonical kind.
    pub kind: String,
    /// A name a person recognises: logical id, Terraform address, or resource name.
    pub name: String,
    pub origin: Origin,
    pub tags: Val<BTreeMap<String, String>>,
    /// The account the resource lives in, where the source knows it.
    pub account: Val<String>,
    /// The region the resource lives in, where the source knows it.
    pub region: Val<String>,
    /// Estate-wide grouping: the template (or plan, or account/region) it came from.
    /// Resources of one unit are deployed together, into the same account and region.
    pub unit: u32,
    /// Waivers declared on the resource itself (a template's
    /// `Metadata.Phiguard.Waivers`).
    pub waivers: Vec<ResourceWaiver>,
}

impl Meta {
    /// The metadata of a resource of `unit` (its account and region), with
    /// no tags or waivers yet; its rid and unit index are given when it is
    /// registered ([`crate::Inventory::add_metas`]).
    pub fn new(
        kind: impl Into<String>,
        name: impl Into<String>,
        origin: Origin,
        unit: Option<&crate::Unit>,
    ) -> Meta {
        let (account, region) = match unit {
            Some(u) => (u.account.clone(), u.region.clone()),
            None => (Val::unknown("no unit"), Val::unknown("no unit")),
        };
        Meta {
            rid: Rid(u32::MAX),
            kind: kind.into(),
            name: name.into(),
            origin,
            tags: Val::Known(BTreeMap::new()),
            account,
            region,
            unit: u32::MAX,
            waivers: Vec::new(),
        }
    }
}

/// A waiver declared next to the resource it waives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceWaiver {
    pub rule: String,
    pub owner: String,
    pub reason: String,
    /// `YYYY-MM-DD`, the last day the waiver counts.
    pub expires: String,
}

/// A reference from one resource to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Link {
    /// A resource of this inventory.
    Resource(Rid),
    /// Something outside the inventory: a name, id or ARN as written.
    External(String),
}

impl Link {
    pub fn rid(&self) -> Option<Rid> {
        match self {
            Link::Resource(r) => Some(*r),
            Link::External(_) => None,
        }
    }
}

/// Which KMS key protects something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum KeyRef {
    /// A key of this inventory (its `manager` says who manages it).
    Key(Rid),
    /// An AWS-managed key, e.g. `aws/s3` (also what an omitted key id means).
    AwsManaged(String),
    /// A key owned by the service (DynamoDB's default, not in the account at all).
    AwsOwned,
    /// A key id, ARN or alias not found in the inventory, as written.
    External(String),
}
