//! `phiguard generate`: the HIPAA baseline as CloudFormation, from
//! `phiguard.toml`. Pure: a configuration in, files (relative path, text) out.
//! The same configuration always gives byte-identical files.

mod readme;
pub mod runbooks;
mod templates;
pub mod yaml;

use phiguard_rules::Config;

/// One generated file: its path under the output directory and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub text: String,
}

/// What to generate beyond the baseline.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// An EKS cluster per workload environment.
    pub with_eks: bool,
}

/// Every template of the baseline, and `README.md` with the deployment order.
/// The configuration must have passed [`Config::generation_errors`].
pub fn generate(cfg: &Config, opts: Options) -> Vec<File> {
    let plan = templates::Plan::new(cfg, opts);
    let mut files: Vec<File> = plan
        .templates()
        .into_iter()
        .map(|(path, v)| File {
            path,
            text: yaml::to_yaml(&v),
        })
        .collect();
    files.push(File {
        path: "README.md".into(),
        text: readme::readme(&plan),
    });
    files
}
