//! What CloudTrail event selectors record, accumulated the same way from a
//! CloudFormation template and a Terraform plan.

use phiguard_model::{DataCoverage, ReadWrite};

/// What the selectors record, accumulated.
#[derive(Default)]
pub(crate) struct Acc {
    pub(crate) read: bool,
    pub(crate) write: bool,
    /// Why the management events recorded are only some of them.
    pub(crate) partial: Option<String>,
    pub(crate) s3: Cov,
    pub(crate) ddb: Cov,
}

#[derive(Default)]
pub(crate) struct Cov {
    pub(crate) all: bool,
    pub(crate) some: Vec<String>,
}

impl Cov {
    pub(crate) fn done(self) -> DataCoverage {
        if self.all {
            DataCoverage::All
        } else if self.some.is_empty() {
            DataCoverage::None
        } else {
            DataCoverage::Some(self.some)
        }
    }
}

impl Acc {
    pub(crate) fn rw(&mut self, rw: &str) {
        match rw {
            "ReadOnly" => self.read = true,
            "WriteOnly" => self.write = true,
            _ => {
                self.read = true;
                self.write = true;
            }
        }
    }
    pub(crate) fn management(&self) -> ReadWrite {
        match (self.read, self.write) {
            (true, true) => ReadWrite::All,
            (true, false) => ReadWrite::ReadOnly,
            (false, true) => ReadWrite::WriteOnly,
            (false, false) => ReadWrite::None,
        }
    }
}

/// An ARN value that names every object or table (`arn:aws:s3`,
/// `arn:aws:s3:::`, `arn:${AWS::Partition}:dynamodb`, `arn:aws-us-gov:s3`).
pub(crate) fn names_all(v: &str, service: &str) -> bool {
    let v = v.trim_end_matches(':');
    let Some(rest) = v.strip_prefix("arn:") else {
        return false;
    };
    if let Some(svc) = rest.strip_prefix("${AWS::Partition}:") {
        return svc == service;
    }
    let Some((partition, svc)) = rest.split_once(':') else {
        return false;
    };
    (partition == "aws" || partition.starts_with("aws-")) && svc == service
}
