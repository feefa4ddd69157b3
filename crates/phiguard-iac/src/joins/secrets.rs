//! Secrets Manager: rotation schedules joined to the secret they name.

use phiguard_model::{Inventory, Secret, Val};

/// Whether `id` (a name or an ARN) names the secret called `n`. A secret's
/// ARN ends with its name, a hyphen and six random characters; a secret
/// whose name merely starts with `n` is another secret.
pub fn names(id: &str, n: &str) -> bool {
    if id == n {
        return true;
    }
    let Some((_, rest)) = id.split_once(":secret:") else {
        return false;
    };
    if rest == n {
        return true;
    }
    rest.strip_prefix(n)
        .and_then(|t| t.strip_prefix('-'))
        .is_some_and(|suffix| {
            suffix.len() == 6 && suffix.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// The estate's secret a written name or ARN names.
pub fn by_name(secrets: &[Secret], id: &str) -> Option<usize> {
    secrets
        .iter()
        .position(|s| s.name.known().is_some_and(|n| names(id, n)))
}

/// The rotation schedules found, per secret, and why the secret of some
/// schedule is not known (then every secret without a known schedule may
/// be the one it rotates).
pub struct Rotations {
    scheduled: Vec<bool>,
    unresolved: Option<String>,
}

impl Rotations {
    pub fn new(inv: &Inventory) -> Self {
        Rotations {
            scheduled: vec![false; inv.secrets.len()],
            unresolved: None,
        }
    }

    /// A schedule whose secret is known only at deploy or apply.
    pub fn unresolved(&mut self, why: String) {
        self.unresolved.get_or_insert(why);
    }

    /// A schedule of secret `i`.
    pub fn rotate(
        &mut self,
        inv: &mut Inventory,
        i: usize,
        enabled: Val<bool>,
        days: Val<Option<u32>>,
    ) {
        self.scheduled[i] = true;
        let s = &mut inv.secrets[i];
        s.rotation_enabled = enabled;
        s.rotation_days = days;
    }

    /// Secrets no known schedule rotates may be rotated by the unresolved one.
    pub fn finish(self, inv: &mut Inventory) {
        if let Some(why) = self.unresolved {
            for (s, has) in inv.secrets.iter_mut().zip(self.scheduled) {
                if !has {
                    s.rotation_enabled = Val::Unknown(why.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn secret_names_and_arns() {
        let arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbC123";
        assert!(names("prod/db", "prod/db"));
        assert!(names(arn, "prod/db"));
        assert!(!names(arn, "prod"));
        assert!(!names(
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-old-AbC123",
            "prod/db"
        ));
        assert!(!names("prod/db-old", "prod/db"));
    }
}
