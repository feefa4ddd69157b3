//! `phiguard runbooks`: the incident-response runbooks.

use crate::File;
use phiguard_rules::Config;

pub fn runbooks(_cfg: &Config) -> Vec<File> {
    Vec::new()
}
