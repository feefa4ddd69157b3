//! S3 bucket ACLs and Object Ownership, as CloudFormation and Terraform
//! write them: which grants mean the public, and what an omission means.

use phiguard_model::{AclGrant, ObjectOwnership};

fn grant(group: &str, permission: &str) -> AclGrant {
    AclGrant {
        group: group.into(),
        permission: permission.into(),
    }
}

/// The public grants of a canned ACL, by either spelling (CloudFormation's
/// `PublicRead`, Terraform's `public-read`). `public-read` gives `AllUsers`
/// READ, `public-read-write` READ and WRITE, `authenticated-read` gives
/// `AuthenticatedUsers` READ; the others grant nothing to the public
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl>).
pub fn canned(name: &str) -> Vec<AclGrant> {
    match name.to_ascii_lowercase().replace('-', "").as_str() {
        "publicread" => vec![grant("AllUsers", "READ")],
        "publicreadwrite" => vec![grant("AllUsers", "READ"), grant("AllUsers", "WRITE")],
        "authenticatedread" => vec![grant("AuthenticatedUsers", "READ")],
        _ => vec![],
    }
}

/// The public group a grantee URI names
/// (`http://acs.amazonaws.com/groups/global/AllUsers`), if it names one.
pub fn public_group(uri: &str) -> Option<&'static str> {
    let last = uri.trim_end_matches('/').rsplit('/').next()?;
    if !uri.contains("acs.amazonaws.com/groups/global/") {
        return None;
    }
    match last {
        "AllUsers" => Some("AllUsers"),
        "AuthenticatedUsers" => Some("AuthenticatedUsers"),
        _ => None,
    }
}

/// A grant to a grantee URI with a permission, if the URI is a public group.
pub fn group_grant(uri: &str, permission: &str) -> Option<AclGrant> {
    public_group(uri).map(|g| grant(g, permission))
}

/// `BucketOwnerEnforced`, `BucketOwnerPreferred` or `ObjectWriter`.
pub fn ownership(v: &str) -> Option<ObjectOwnership> {
    Some(match v {
        "BucketOwnerEnforced" => ObjectOwnership::BucketOwnerEnforced,
        "BucketOwnerPreferred" => ObjectOwnership::BucketOwnerPreferred,
        "ObjectWriter" => ObjectOwnership::ObjectWriter,
        _ => return None,
    })
}

/// Object Ownership of a bucket the code creates without ownership
/// controls: ACLs disabled, the default for new buckets since April 2023
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-new-bucket.html>).
pub const NEW_BUCKET_OWNERSHIP: ObjectOwnership = ObjectOwnership::BucketOwnerEnforced;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canned_acls_and_groups() {
        assert_eq!(canned("PublicRead").len(), 1);
        assert_eq!(canned("public-read-write").len(), 2);
        assert_eq!(canned("authenticated-read")[0].group, "AuthenticatedUsers");
        assert!(canned("Private").is_empty());
        assert!(canned("log-delivery-write").is_empty());
        assert_eq!(
            public_group("http://acs.amazonaws.com/groups/global/AllUsers"),
            Some("AllUsers")
        );
        assert_eq!(
            public_group("http://acs.amazonaws.com/groups/s3/LogDelivery"),
            None
        );
    }
}
