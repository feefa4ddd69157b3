//! Joins and readings that the CloudFormation and Terraform mappers share.
//!
//! Each mapper reads its own syntax (`AdvancedEventSelectors` or
//! `advanced_event_selector` blocks) into the plain values here, and the
//! meaning is decided once, so that a fix to a join is made in one place.

pub mod apigw;
pub mod backup;
pub mod cachewh;
pub mod detect;
pub mod ecr;
pub mod eks;
pub mod elb;
pub mod endpoints;
pub mod iam;
pub mod lambda;
pub mod logs;
pub mod policies;
pub mod ports;
pub mod queues;
pub mod rds;
pub mod s3acl;
pub mod secrets;
pub mod trail;
