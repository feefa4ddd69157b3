//! Lambda function policies and URLs on aliases, and a secret policy that
//! cannot be read: what moto does not serve (it keeps one URL per function
//! and no alias policies), from responses shaped as the Lambda and Secrets
//! Manager API references document them.

mod common;

use common::*;
use phiguard_model::{Link, Val};
use phiguard_rules::{Config, Outcome, RunOptions};

const FN_ARN: &str = "arn:aws:lambda:us-east-1:111122223333:function:webhook";

fn policy(statements: &str) -> String {
    let doc = format!(r#"{{"Version":"2012-10-17","Id":"default","Statement":[{statements}]}}"#);
    serde_json::json!({ "Policy": doc, "RevisionId": "r-1" }).to_string()
}

fn url(qualified: &str, auth: &str) -> String {
    format!(
        r#"{{"FunctionUrl":"https://abc.lambda-url.us-east-1.on.aws/","FunctionArn":"{qualified}","AuthType":"{auth}","CreationTime":"2026-01-01T00:00:00.000+0000","LastModifiedTime":"2026-01-01T00:00:00.000+0000"}}"#
    )
}

fn route(r: &Req) -> Option<Reply> {
    if let Some(b) = basics(r) {
        return Some(b);
    }
    let not_found = || {
        Some(error(
            "lambda",
            404,
            "ResourceNotFoundException",
            "The resource you requested does not exist.",
        ))
    };
    match (r.service.as_str(), r.op.as_str(), r.path.as_str()) {
        ("lambda", _, "/2015-03-31/functions") | ("lambda", _, "/2015-03-31/functions/") => {
            json(&format!(
                r#"{{"Functions":[{{"FunctionName":"webhook","FunctionArn":"{FN_ARN}","State":"Active"}}]}}"#
            ))
        }
        ("lambda", _, p) if p.starts_with("/2015-03-31/functions/webhook/aliases") => {
            json(&format!(
                r#"{{"Aliases":[{{"Name":"live","AliasArn":"{FN_ARN}:live","FunctionVersion":"3"}}]}}"#
            ))
        }
        // The function itself: a URL permission for everyone.
        ("lambda", _, "/2015-03-31/functions/webhook/policy") => json(&policy(&format!(
            r#"{{"Sid":"FunctionURLAllowPublicAccess","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl","Resource":"{FN_ARN}","Condition":{{"StringEquals":{{"lambda:FunctionUrlAuthType":"NONE"}}}}}}"#
        ))),
        // The alias: an S3 permission bounded by its bucket.
        ("lambda", _, "/2015-03-31/functions/webhook/policy?Qualifier=live") => {
            json(&policy(&format!(
                r#"{{"Sid":"FromUploads","Effect":"Allow","Principal":{{"Service":"s3.amazonaws.com"}},"Action":"lambda:InvokeFunction","Resource":"{FN_ARN}:live","Condition":{{"ArnLike":{{"AWS:SourceArn":"arn:aws:s3:::uploads"}}}}}}"#
            )))
        }
        // No URL on $LATEST; one without IAM auth on the alias.
        ("lambda", _, "/2021-10-31/functions/webhook/url") => not_found(),
        ("lambda", _, "/2021-10-31/functions/webhook/url?Qualifier=live") => {
            json(&url(&format!("{FN_ARN}:live"), "NONE"))
        }
        ("secretsmanager", "ListSecrets", _) => json(
            r#"{"SecretList":[{"ARN":"arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbC123","Name":"prod/db"}]}"#,
        ),
        ("secretsmanager", "GetResourcePolicy", _) => Some(error(
            "secretsmanager",
            400,
            "AccessDeniedException",
            "not granted in this test",
        )),
        _ => None,
    }
}

#[test]
fn alias_policies_and_urls_are_read_and_an_unread_policy_is_unknown() {
    let mock = Mock::new(route);
    let audit = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(phiguard_aws::audit(&options(&mock)))
        .expect("the audit runs");
    let inv = &audit.inventory;

    assert_eq!(inv.lambda_functions.len(), 1, "{:#?}", inv.gaps);
    let Val::Known(Some(doc)) = &inv.lambda_functions[0].policy else {
        panic!("{:#?}", inv.lambda_functions)
    };
    let sids: Vec<_> = doc
        .statements
        .iter()
        .filter_map(|s| s.sid.clone())
        .collect();
    assert_eq!(
        sids,
        ["FunctionURLAllowPublicAccess", "FromUploads (alias live)"]
    );

    assert_eq!(inv.function_urls.len(), 1, "{:#?}", inv.gaps);
    let u = &inv.function_urls[0];
    assert_eq!(inv.meta(u.rid).name, "webhook:live");
    assert_eq!(u.auth_type, Val::Known("NONE".into()));
    assert_eq!(
        u.function,
        Val::Known(Link::Resource(inv.lambda_functions[0].rid))
    );
    // A missing URL is no gap.
    assert!(
        !inv.gaps
            .iter()
            .any(|g| g.collection == phiguard_model::Collection::FunctionUrls),
        "{:#?}",
        inv.gaps
    );

    assert_eq!(inv.secrets.len(), 1);
    assert!(
        inv.secrets[0]
            .policy
            .reason()
            .is_some_and(|r| r.contains("secretsmanager:GetResourcePolicy")),
        "{:?}",
        inv.secrets[0].policy
    );

    let f = phiguard_rules::run(
        inv,
        &Config::default(),
        &RunOptions {
            complete: true,
            today: "2026-11-30".into(),
            ..Default::default()
        },
    );
    let on = |rule: &str, name: &str| -> Vec<Outcome> {
        f.iter()
            .filter(|x| x.rule == rule && x.subject.as_ref().is_some_and(|s| s.name == name))
            .map(|x| x.outcome)
            .collect()
    };
    assert_eq!(on("NET-9", "webhook:live"), [Outcome::Fail]);
    assert_eq!(on("NET-10", "webhook"), [Outcome::Fail]);
    assert_eq!(on("NET-10", "prod/db"), [Outcome::Unknown]);
    for (op, action) in [
        ("GetPolicy", "lambda:GetPolicy"),
        ("ListAliases", "lambda:ListAliases"),
        ("GetFunctionUrlConfig", "lambda:GetFunctionUrlConfig"),
    ] {
        assert_eq!(
            phiguard_aws::operations::iam_action("Lambda", op),
            Some(action)
        );
        assert!(
            audit
                .operations
                .contains_key(&("Lambda".to_string(), op.to_string())),
            "{op} was not called: {:?}",
            audit.operations.keys()
        );
    }
}
