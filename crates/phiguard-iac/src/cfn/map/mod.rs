//! CloudFormation resource types into typed model resources, one module per
//! service area. A module declares the types it reads, maps each resource, and
//! then joins what other resources say about it (`finish`).

mod apigw;
mod backup;
mod cachewh;
mod cloudfront;
mod cloudtrail;
mod code;
mod db_port;
mod detect;
mod dynamodb;
mod ebs;
mod ecr;
mod efs;
mod eks;
mod elb;
mod endpoints;
mod flowlog;
pub(crate) mod iam;
mod kms;
mod lambda;
mod logs;
mod organizations;
mod queues;
mod rds;
mod s3;
mod sagemaker;
mod search;
mod secret_policy;
mod secrets;
mod sg;
mod vpc;

use super::estate::{Estate, EvalRes};
use super::props::{MapError, P};
use crate::InputError;
use phiguard_model::{Inventory, Rid, Val};
use std::collections::{BTreeMap, HashMap};

pub struct Mapper<'a> {
    /// Where mapped resources go. While resources are mapped (`Domain::map`,
    /// on several threads) this is the part of the estate one thread maps,
    /// empty at first: what was there before mapping began is read through
    /// [`Mapper::before`]. In the joins (`Domain::finish`) it is the whole
    /// inventory.
    pub inv: &'a mut Inventory,
    /// The inventory as it was before mapping began, while resources are mapped.
    before: Option<&'a Inventory>,
    pub est: &'a Estate<'a>,
    pub errors: Vec<InputError>,
    /// Tags a mapping found, set on the resources' metadata once every part
    /// of the estate is mapped.
    tags: Vec<(Rid, Val<BTreeMap<String, String>>)>,
}

impl<'a> Mapper<'a> {
    pub fn props(&self, r: &'a EvalRes) -> P<'a> {
        self.est.props(r)
    }

    /// The inventory as it was before mapping began: the units, every
    /// resource's metadata and the templates' parameters. A mapping reads
    /// them here, never what other resources' mappings made (that is the
    /// joins' work, in `finish`, when every resource is mapped).
    pub fn before(&self) -> &Inventory {
        self.before.unwrap_or(self.inv)
    }

    /// Sets the tags of resource `rid`'s metadata (where a resource type
    /// keeps its tags under another property than `Tags`).
    pub fn set_tags(&mut self, rid: Rid, tags: Val<BTreeMap<String, String>>) {
        if self.before.is_some() {
            self.tags.push((rid, tags));
        } else {
            self.inv.meta_mut(rid).tags = tags;
        }
    }

    /// Records an error about resource `r` (it stays out of the model).
    pub fn error(&mut self, r: &EvalRes, e: MapError) {
        self.errors.push(InputError {
            file: r.file.clone(),
            line: e.pos.line,
            column: e.pos.col,
            message: format!("resource {}: {}", r.logical_id, e.message),
        });
    }
}

/// One service area's mapping.
pub struct Domain {
    /// The resource types `map` reads.
    pub types: &'static [&'static str],
    pub map: for<'a> fn(&mut Mapper<'a>, &'a EvalRes) -> Result<(), MapError>,
    /// Joins (bucket policies to buckets, rotation schedules to secrets, ...),
    /// after every resource is mapped. Errors go to [`Mapper::error`].
    pub finish: for<'a> fn(&mut Mapper<'a>),
}

pub fn no_finish(_: &mut Mapper) {}

static DOMAINS: &[&Domain] = &[
    &s3::DOMAIN,
    &kms::DOMAIN,
    &vpc::DOMAIN,
    &ebs::DOMAIN,
    &dynamodb::DOMAIN,
    &elb::DOMAIN,
    &apigw::DOMAIN,
    &cloudfront::DOMAIN,
    &detect::DOMAIN,
    &ecr::DOMAIN,
    &logs::DOMAIN,
    &flowlog::DOMAIN,
    &cloudtrail::DOMAIN,
    &organizations::DOMAIN,
    &rds::DOMAIN,
    &secrets::DOMAIN,
    &code::DOMAIN,
    &backup::DOMAIN,
    &endpoints::DOMAIN,
    &sg::DOMAIN,
    &iam::DOMAIN,
    &eks::DOMAIN,
    &queues::DOMAIN,
    &search::DOMAIN,
    &efs::DOMAIN,
    &sagemaker::DOMAIN,
    &lambda::DOMAIN,
    &secret_policy::DOMAIN,
    &cachewh::DOMAIN,
];

/// The resource types phiguard models from CloudFormation.
pub fn modelled_types() -> impl Iterator<Item = &'static str> {
    DOMAINS.iter().flat_map(|d| d.types.iter().copied())
}

pub fn map_all(inv: &mut Inventory, est: &Estate) -> Vec<InputError> {
    run_domains(DOMAINS, inv, est)
}

/// How many parts the estate is mapped in: a few per thread, so that a
/// thread that finishes early takes another.
fn parts() -> usize {
    #[cfg(test)]
    if let Some(n) = tests::PARTS.get() {
        return n;
    }
    crate::threads() * 4
}

/// Maps every resource of the estate with the domain that reads its type,
/// then runs every domain's joins. Shared by the CloudFormation and
/// Terraform mappers.
pub fn run_domains(domains: &[&Domain], inv: &mut Inventory, est: &Estate) -> Vec<InputError> {
    let mut by_type: HashMap<&str, &Domain> = HashMap::new();
    for d in domains {
        for t in d.types {
            by_type.insert(t, d);
        }
    }
    // 1. Every resource, mapped on every core: the estate in consecutive
    // parts, each into an inventory of its own, joined in the estate's
    // order (the lists come out as one thread would make them).
    let per_part = est.resources.len().div_ceil(parts()).max(1);
    let parts: Vec<&[EvalRes]> = est.resources.chunks(per_part).collect();
    let before: &Inventory = inv;
    let mapped = crate::in_parallel(&parts, |part| {
        let mut mine = Inventory::default();
        let mut m = Mapper {
            inv: &mut mine,
            before: Some(before),
            est,
            errors: Vec::new(),
            tags: Vec::new(),
        };
        for r in *part {
            if let Some(d) = by_type.get(r.ty.as_str()) {
                if let Err(e) = (d.map)(&mut m, r) {
                    m.error(r, e);
                }
            }
        }
        let (errors, tags) = (m.errors, m.tags);
        (mine, errors, tags)
    });
    let mut errors = Vec::new();
    for (mine, errs, tags) in mapped {
        inv.append(mine);
        errors.extend(errs);
        for (rid, t) in tags {
            inv.meta_mut(rid).tags = t;
        }
    }
    // 2. The joins, on one thread, over the whole inventory.
    let mut m = Mapper {
        inv,
        before: None,
        est,
        errors,
        tags: Vec::new(),
    };
    for d in domains {
        (d.finish)(&mut m);
    }
    m.errors
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::path::PathBuf;

    thread_local! {
        /// The number of parts this test thread maps an estate in.
        pub(super) static PARTS: Cell<Option<usize>> = const { Cell::new(None) };
    }

    fn inventory_in(parts: usize, path: &PathBuf) -> String {
        PARTS.set(Some(parts));
        let loaded = crate::load(std::slice::from_ref(path), &crate::LoadOptions::default());
        PARTS.set(None);
        let mut s = serde_json::to_string(&loaded.inventory).unwrap();
        if let Some((other, _)) = &loaded.without_undecided {
            s.push_str(&serde_json::to_string(other).unwrap());
        }
        for e in &loaded.errors {
            s.push_str(&e.to_string());
        }
        s
    }

    /// Mapped in one part, in a few, or one resource a part, every fixture
    /// estate is the same inventory, with its lists in the same order.
    #[test]
    fn the_model_does_not_depend_on_how_the_estate_is_split() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        for dir in ["cfn", "tf", "tf-src"] {
            let path = root.join(dir);
            let one = inventory_in(1, &path);
            assert!(one.len() > 100_000, "{dir}: a real estate");
            for n in [2, 7, 100_000] {
                assert!(inventory_in(n, &path) == one, "{dir} in {n} parts");
            }
        }
    }
}
