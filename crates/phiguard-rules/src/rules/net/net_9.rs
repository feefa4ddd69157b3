use crate::{Cx, declare_rule};
use phiguard_model::{Link, Val};

declare_rule! {
    /// ### What it checks
    /// Every Lambda function URL requires IAM authentication
    /// (`AuthType: AWS_IAM`). `AuthType: NONE` fails: anyone on the internet
    /// who learns the URL can invoke the function. `AuthType` has no
    /// default; CloudFormation, SAM and Terraform require it
    /// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-url.html>,
    /// <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-functionurlconfig.html>).
    ///
    /// ### Why
    /// A function URL is an HTTPS endpoint outside any API gateway, WAF or
    /// VPC. Without IAM auth, the function's own code is the only control in
    /// front of whatever PHI its role can read.
    ///
    /// ### Sources
    /// - Live: `lambda:ListFunctions`, then for each function
    ///   `lambda:GetFunctionUrlConfig` for the function and for each of its
    ///   aliases (`lambda:ListAliases`): a URL belongs to `$LATEST` or to an
    ///   alias, never to a published version
    ///   (<https://docs.aws.amazon.com/lambda/latest/dg/lambda-urls.html>).
    /// - Terraform: `aws_lambda_function_url.authorization_type`.
    /// - CloudFormation: `AWS::Lambda::Url.AuthType`, and SAM's
    ///   `FunctionUrlConfig.AuthType` on `AWS::Serverless::Function`.
    pub static RULE = {
        id: "NET-9",
        control: NetworkIsolation,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Workloads, FunctionUrls],
        scope: Resource,
        title: "Lambda function URLs require IAM auth",
        remediation: "Set AuthType (authorization_type) to AWS_IAM and have callers sign requests with SigV4 (or put the function behind API Gateway or CloudFront with origin access control); remove the Principal \"*\" lambda:InvokeFunctionUrl permission.",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    for u in &inv.function_urls {
        let of = match &u.function {
            Val::Known(Link::Resource(f)) => format!(" of function {}", inv.meta(*f).name),
            Val::Known(Link::External(f)) => format!(" of function {f}"),
            Val::Unknown(_) => String::new(),
        };
        match &u.auth_type {
            Val::Known(a) if a.eq_ignore_ascii_case("AWS_IAM") => cx.pass(
                u.rid,
                format!("the function URL{of} requires IAM auth (AWS_IAM)"),
            ),
            Val::Known(a) if a.eq_ignore_ascii_case("NONE") => cx.fail(
                u.rid,
                format!(
                    "the function URL{of} has AuthType NONE: anyone on the internet can invoke it"
                ),
            ),
            Val::Known(a) => cx.unknown(
                u.rid,
                format!(
                    "the function URL{of} has AuthType {a:?}, which is neither AWS_IAM nor NONE"
                ),
            ),
            Val::Unknown(why) => cx.unknown(u.rid, why.clone()),
        }
    }
}
