//! All templates of one run, evaluated: the resources the mappers read.

use super::props::P;
use super::value::Value;
use crate::yaml::{Node, Pos};
use phiguard_model::{KeyRef, Rid, Val};
use std::collections::HashMap;

/// One resource, with its properties evaluated.
pub struct EvalRes<'t> {
    pub rid: Rid,
    pub ty: String,
    pub logical_id: String,
    pub pos: Pos,
    pub unit: u32,
    /// `None` when the resource has no `Properties`.
    pub props: Option<Value>,
    pub node: Option<&'t Node>,
    /// The file, for errors.
    pub file: String,
}

#[derive(Default)]
pub struct Estate<'t> {
    pub resources: Vec<EvalRes<'t>>,
    /// Rid → position in `resources` (`u32::MAX`: not a resource here). Rids
    /// are small and dense: a list, not a hash map.
    index: Vec<u32>,
    /// Resource type → positions in `resources`, in document order.
    by_type: HashMap<String, Vec<usize>>,
    /// Alias name (`alias/x`) → the key it targets.
    aliases: HashMap<String, Val<KeyRef>>,
    /// `AWS::KMS::Alias` resource → the key it targets.
    alias_res: HashMap<Rid, Val<KeyRef>>,
    /// Key → the alias resources that target it, made on first use (after
    /// every alias is recorded).
    aliases_by_key: std::sync::OnceLock<HashMap<Rid, Vec<Rid>>>,
    /// Written key ids and ARNs of the estate's keys (Terraform knows them
    /// once a key exists) → the key.
    key_ids: HashMap<String, Rid>,
    /// Terraform: the resources an attribute's expression references, by
    /// (resource, top-level attribute); every attribute the configuration
    /// sets has an entry.
    refs: HashMap<(Rid, String), Vec<Rid>>,
    /// Terraform: how the configuration writes an attribute, by (resource,
    /// path): whether some block writes it as a constant, and the names its
    /// expression references (`var.db_password`, `data.x.y.z`).
    exprs: HashMap<(Rid, String), TfExpr>,
}

/// How the configuration writes a Terraform attribute (never its value).
#[derive(Default, Clone, Debug)]
pub struct TfExpr {
    /// Written as a literal (`constant_value`) in some block.
    pub constant: bool,
    /// The names the expression references.
    pub references: Vec<String>,
}

impl<'t> Estate<'t> {
    pub fn new(resources: Vec<EvalRes<'t>>) -> Self {
        let len = resources
            .iter()
            .map(|r| r.rid.0 as usize + 1)
            .max()
            .unwrap_or(0);
        let mut index = vec![u32::MAX; len];
        let mut by_type: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in resources.iter().enumerate() {
            index[r.rid.0 as usize] = i as u32;
            match by_type.get_mut(&r.ty) {
                Some(v) => v.push(i),
                None => {
                    by_type.insert(r.ty.clone(), vec![i]);
                }
            }
        }
        let mut e = Estate {
            resources,
            index,
            by_type,
            ..Default::default()
        };
        let mut aliases = Vec::new();
        for r in e.of_type("AWS::KMS::Alias") {
            let p = e.props(r);
            let target = p.get("TargetKeyId").key_ref("");
            if let Some(name) = p.get("AliasName").text() {
                aliases.push((Some(name), r.rid, target));
            } else {
                aliases.push((None, r.rid, target));
            }
        }
        for (name, rid, target) in aliases {
            if let Some(n) = name {
                e.aliases.insert(n, target.clone());
            }
            e.alias_res.insert(rid, target);
        }
        e
    }

    /// The alias resources whose target is the key `key`, in the order of
    /// the estate (one lookup, not a scan of every alias for every key).
    pub fn aliases_targeting(&self, key: Rid) -> &[Rid] {
        let by_key = self.aliases_by_key.get_or_init(|| {
            let mut m: HashMap<Rid, Vec<Rid>> = HashMap::new();
            for r in &self.resources {
                if let Some(Val::Known(KeyRef::Key(k))) = self.alias_res.get(&r.rid) {
                    m.entry(*k).or_default().push(r.rid);
                }
            }
            m
        });
        by_key.get(&key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Records a KMS alias read by another collector (Terraform).
    pub fn add_alias(&mut self, rid: Rid, name: Option<String>, target: Val<KeyRef>) {
        if let Some(n) = name {
            self.aliases.insert(n, target.clone());
        }
        self.alias_res.insert(rid, target);
    }

    /// Records an id or ARN a key of the estate is known by.
    pub fn add_key_id(&mut self, id: String, key: Rid) {
        self.key_ids.insert(id, key);
    }

    /// Records an attribute the configuration sets, and the resources it
    /// references. A path set in several blocks (`rule.x` of two `rule`
    /// blocks) references what any of them does.
    pub fn add_refs(&mut self, rid: Rid, attr: String, to: Vec<Rid>) {
        let e = self.refs.entry((rid, attr)).or_default();
        for t in to {
            if !e.contains(&t) {
                e.push(t);
            }
        }
    }

    /// Records how the configuration writes an attribute (Terraform).
    pub fn add_expr(&mut self, rid: Rid, attr: String, constant: bool, references: Vec<String>) {
        let e = self.exprs.entry((rid, attr)).or_default();
        e.constant |= constant;
        for r in references {
            if !e.references.contains(&r) {
                e.references.push(r);
            }
        }
    }

    /// How the configuration writes an attribute of `rid` (Terraform).
    pub fn expr(&self, rid: Rid, attr: &str) -> Option<&TfExpr> {
        self.exprs.get(&(rid, attr.to_string()))
    }

    /// Does the configuration set this attribute of `rid` (Terraform)?
    pub fn configured(&self, rid: Rid, attr: &str) -> bool {
        self.refs.contains_key(&(rid, attr.to_string()))
    }

    /// The resources an attribute of `rid` references (Terraform).
    pub fn refs(&self, rid: Rid, attr: &str) -> &[Rid] {
        self.refs
            .get(&(rid, attr.to_string()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn get(&self, rid: Rid) -> Option<&EvalRes<'t>> {
        match self.index.get(rid.0 as usize) {
            Some(&i) if i != u32::MAX => Some(&self.resources[i as usize]),
            _ => None,
        }
    }

    pub fn kind(&self, rid: Rid) -> &str {
        self.get(rid).map(|r| r.ty.as_str()).unwrap_or("")
    }

    pub fn name(&self, rid: Rid) -> &str {
        self.get(rid).map(|r| r.logical_id.as_str()).unwrap_or("")
    }

    pub fn of_type<'a>(&'a self, ty: &'a str) -> impl Iterator<Item = &'a EvalRes<'t>> + 'a {
        self.by_type
            .get(ty)
            .into_iter()
            .flatten()
            .map(|i| &self.resources[*i])
    }

    /// The properties of a resource, for reading.
    pub fn props<'a>(&'a self, r: &'a EvalRes<'t>) -> P<'a> {
        P::root(r.props.as_ref(), r.node, r.pos, self)
    }

    /// The key a resource reference means: a KMS key itself, or the key an alias targets.
    pub fn key_of(&self, rid: Rid) -> Val<KeyRef> {
        match self.kind(rid) {
            "AWS::KMS::Key"
            | "AWS::KMS::ReplicaKey"
            | "aws_kms_key"
            | "aws_kms_external_key"
            | "aws_kms_replica_key" => Val::Known(KeyRef::Key(rid)),
            "AWS::KMS::Alias" | "aws_kms_alias" => self
                .alias_res
                .get(&rid)
                .cloned()
                .unwrap_or(Val::unknown("alias without a target")),
            other => Val::unknown(format!(
                "the key is taken from {} ({other}), not a KMS key",
                self.name(rid)
            )),
        }
    }

    /// The key a written id, ARN or alias means.
    pub fn external_key(&self, s: &str) -> KeyRef {
        let alias = s
            .rsplit_once(":alias/")
            .map(|(_, a)| format!("alias/{a}"))
            .or_else(|| s.starts_with("alias/").then(|| s.to_string()));
        if let Some(a) = alias {
            if a.starts_with("alias/aws/") {
                return KeyRef::AwsManaged(a.trim_start_matches("alias/").to_string());
            }
            if let Some(Val::Known(k)) = self.aliases.get(&a) {
                return k.clone();
            }
        }
        if let Some(k) = self.key_ids.get(s) {
            return KeyRef::Key(*k);
        }
        KeyRef::External(s.to_string())
    }
}
