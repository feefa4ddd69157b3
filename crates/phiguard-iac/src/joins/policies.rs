//! Resource policies assembled from separate resources: Lambda permissions
//! added to their function, a Secrets Manager resource policy set on its
//! secret.

use phiguard_model::{PolicyDoc, Statement, Val};

/// Statements joined to the functions (or secrets) they govern, and why the
/// target of some is not known.
pub struct Joined {
    docs: Vec<Val<Option<PolicyDoc>>>,
    touched: Vec<bool>,
    unresolved: Option<String>,
}

impl Joined {
    pub fn new(n: usize) -> Self {
        Joined {
            docs: vec![Val::Known(None); n],
            touched: vec![false; n],
            unresolved: None,
        }
    }

    /// Adds statements to resource `i`'s policy.
    pub fn add(&mut self, i: usize, statements: Val<Vec<Statement>>) {
        self.touched[i] = true;
        self.docs[i] = match (
            std::mem::replace(&mut self.docs[i], Val::Known(None)),
            statements,
        ) {
            (Val::Unknown(why), _) | (_, Val::Unknown(why)) => Val::Unknown(why),
            (Val::Known(doc), Val::Known(s)) => {
                let mut doc = doc.unwrap_or_default();
                doc.statements.extend(s);
                Val::Known(Some(doc))
            }
        };
    }

    /// Statements whose resource is known only at deploy or apply time.
    pub fn unresolved(&mut self, why: String) {
        self.unresolved.get_or_insert(why);
    }

    /// Each resource's policy. With `exclusive` (a resource has one policy,
    /// as a secret does), an unresolved policy may be that of any resource
    /// without a known one; otherwise (Lambda permissions add up) it may add
    /// to any resource.
    pub fn finish(self, exclusive: bool) -> Vec<Val<Option<PolicyDoc>>> {
        let Some(why) = self.unresolved else {
            return self.docs;
        };
        self.docs
            .into_iter()
            .zip(self.touched)
            .map(|(d, touched)| {
                if exclusive && touched {
                    d
                } else {
                    Val::Unknown(why.clone())
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unresolved_target_makes_policies_unknown() {
        let mut j = Joined::new(2);
        j.add(0, Val::Known(vec![]));
        j.unresolved("why".into());
        let exclusive = j.finish(true);
        assert!(exclusive[0].is_known() && !exclusive[1].is_known());
        let mut j = Joined::new(2);
        j.add(0, Val::Known(vec![]));
        j.unresolved("why".into());
        assert!(j.finish(false).iter().all(|d| !d.is_known()));
    }
}
