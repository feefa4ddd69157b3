//! `AWS::SecretsManager::ResourcePolicy`, joined to the secret it names.

use super::{Domain, Mapper};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use crate::joins::policies::Joined;
use crate::joins::secrets::by_name;
use phiguard_model::{Link, Val};

pub static DOMAIN: Domain = Domain {
    types: &["AWS::SecretsManager::ResourcePolicy"],
    map,
    finish,
};

/// Read in `finish`, once every secret is mapped.
fn map<'a>(_: &mut Mapper<'a>, _: &'a EvalRes) -> R<()> {
    Ok(())
}

fn finish(m: &mut Mapper) {
    // The secrets of this estate (the inventory may hold other sources').
    let mine: Vec<usize> = (0..m.inv.secrets.len())
        .filter(|i| m.est.get(m.inv.secrets[*i].rid).is_some())
        .collect();
    let mut joined = Joined::new(mine.len());
    for r in m.est.of_type("AWS::SecretsManager::ResourcePolicy") {
        let p = m.est.props(r);
        let target = match p.get("SecretId").link() {
            Val::Known(Link::Resource(rid)) => {
                phiguard_model::position_by_rid(&m.inv.secrets, rid, |x| x.rid)
            }
            Val::Known(Link::External(id)) => by_name(&m.inv.secrets, &id),
            Val::Unknown(why) => {
                joined.unresolved(format!(
                    "resource policy {} names a secret known only at deploy time ({why})",
                    r.logical_id
                ));
                None
            }
        };
        let Some(i) = target.and_then(|t| mine.iter().position(|x| *x == t)) else {
            continue;
        };
        match p.get("ResourcePolicy").policy() {
            Ok(doc) => joined.add(i, doc.map(|d| d.statements)),
            Err(e) => m.error(r, e),
        }
    }
    for (i, policy) in mine.into_iter().zip(joined.finish(true)) {
        if policy != Val::Known(None) {
            m.inv.secrets[i].policy = policy;
        }
    }
}
