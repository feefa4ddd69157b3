//! What CloudTrail event selectors record, accumulated the same way from a
//! CloudFormation template a Terraform plan and the live CloudTrail API.

use crate::{DataCoverage, ReadWrite, Val};

/// What the selectors record, accumulated.
#[derive(Default)]
pub struct Acc {
    pub read: bool,
    pub write: bool,
    /// Why the management events recorded are only some of them.
    pub partial: Option<String>,
    pub s3: Cov,
    pub ddb: Cov,
}

#[derive(Default)]
pub struct Cov {
    pub all: bool,
    pub some: Vec<String>,
}

impl Cov {
    pub fn done(self) -> DataCoverage {
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
    pub fn rw(&mut self, rw: &str) {
        match rw {
            "ReadOnly" => self.read = true,
            "WriteOnly" => self.write = true,
            _ => {
                self.read = true;
                self.write = true;
            }
        }
    }
    pub fn management(&self) -> ReadWrite {
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
pub fn names_all(v: &str, service: &str) -> bool {
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

impl Acc {
    /// A basic selector's data resources of type `ty`, recorded `rw`.
    pub fn data_resources(&mut self, ty: &str, rw: &str, values: Vec<String>) {
        let (cov, service) = match ty {
            "AWS::S3::Object" => (&mut self.s3, "s3"),
            "AWS::DynamoDB::Table" => (&mut self.ddb, "dynamodb"),
            _ => return,
        };
        if rw != "All" {
            cov.some
                .extend(values.into_iter().map(|v| format!("{v} ({rw})")));
        } else if values.iter().any(|v| names_all(v, service)) {
            cov.all = true;
        } else {
            cov.some.extend(values);
        }
    }

    /// One advanced selector, read: its category, resource type, `readOnly`
    /// value, and whether other fields (`narrowing`) keep only some events.
    pub fn advanced(
        &mut self,
        category: Option<&str>,
        rtype: Option<&str>,
        read_only: Option<&str>,
        narrowed: bool,
        narrowing: Vec<String>,
    ) {
        let rw = match read_only {
            Some("true") => "ReadOnly",
            Some("false") => "WriteOnly",
            _ => "All",
        };
        match category {
            Some("Management") => {
                self.rw(rw);
                if narrowed {
                    self.partial.get_or_insert(format!(
                        "the management event selector records only some events ({})",
                        narrowing.join(", ")
                    ));
                }
            }
            Some("Data") => {
                let (cov, service) = match rtype {
                    Some("AWS::S3::Object") => (&mut self.s3, "s3"),
                    Some("AWS::DynamoDB::Table") => (&mut self.ddb, "dynamodb"),
                    _ => return,
                };
                let everything = !narrowed
                    || (!narrowing.is_empty() && narrowing.iter().all(|a| names_all(a, service)));
                if rw == "All" && everything {
                    cov.all = true;
                } else if rw != "All" {
                    cov.some.push(format!("{service} data events ({rw})"));
                } else {
                    cov.some.extend(narrowing);
                }
            }
            _ => {}
        }
    }

    /// Management events recorded: never "all" when a selector keeps only some.
    pub fn management_events(&mut self) -> Val<ReadWrite> {
        match (self.management(), self.partial.take()) {
            (ReadWrite::All, Some(why)) => Val::Unknown(why),
            (m, _) => Val::Known(m),
        }
    }
}
