use crate::util::scp::management_account;
use crate::{Cx, declare_rule};
use phiguard_model::{Collection, Rid, Val, glob_match};

declare_rule! {
    /// ### What it checks
    /// The management account runs no workloads: in every region, it has no
    /// EC2 instance (other than terminated ones), Lambda function, RDS
    /// instance or Aurora cluster, DynamoDB table, EKS cluster, or S3 bucket
    /// other than those `accounts.management_allowed_buckets` allows (glob
    /// patterns on the bucket name; none by default: the organization trail's
    /// bucket belongs in the logs account). The finding names up to ten of
    /// the resources found.
    ///
    /// The management account is the organization's (`MasterAccountId`),
    /// else `accounts.management` in `phiguard.toml`. The finding is on that
    /// account. Where the audit could not read one of these kinds in a region
    /// of the management account, and found nothing else, the rule is
    /// `unknown`, not a pass.
    ///
    /// ### Why
    /// The management account is exempt from every SCP and can change every
    /// account of the organization. Anything that runs there, and any PHI
    /// kept there, sits outside the guardrails, and a compromise of it is a
    /// compromise of the organization.
    ///
    /// ### Sources
    /// - Live: in the management account, in every region:
    ///   `ec2:DescribeInstances` (`State.Name`), `lambda:ListFunctions`,
    ///   `rds:DescribeDBInstances`, `rds:DescribeDBClusters`,
    ///   `dynamodb:ListTables`, `eks:ListClusters`, `s3:ListBuckets`; and
    ///   `organizations:DescribeOrganization` (`MasterAccountId`).
    pub static RULE = {
        id: "ORG-3",
        control: AccountStructure,
        severity: High,
        sources: [Live],
        reads: [Organization, Workloads, Databases, DynamoTables, Eks, Buckets],
        scope: Estate,
        title: "The management account runs no workloads",
        remediation: "Move workloads, databases, tables, clusters and buckets out of the management account into member accounts (the trail bucket into the logs account).",
        check: check,
    }
}

const KINDS: &[Collection] = &[
    Collection::Workloads,
    Collection::Databases,
    Collection::DynamoTables,
    Collection::Eks,
    Collection::Buckets,
];

const SHOWN: usize = 10;

fn check(cx: &mut Cx) {
    let inv = cx.inv;
    let Some(mgmt) = management_account(cx) else {
        cx.estate_unknown(
            "the management account is not known: the organization could not be read and accounts.management is not set",
        );
        return;
    };
    let in_mgmt = |rid: Rid| inv.meta(rid).account.known() == Some(&mgmt);
    let allowed = &cx.cfg.accounts.management_allowed_buckets;
    let mut found: Vec<Rid> = Vec::new();
    found.extend(
        inv.workloads
            .iter()
            .filter(|w| !matches!(&w.state, Val::Known(s) if s.eq_ignore_ascii_case("terminated")))
            .map(|w| w.rid),
    );
    found.extend(inv.databases.iter().map(|d| d.rid));
    found.extend(inv.dynamo_tables.iter().map(|t| t.rid));
    found.extend(inv.eks_clusters.iter().map(|c| c.rid));
    found.extend(
        inv.buckets
            .iter()
            .filter(|b| {
                let name = b.name.known().unwrap_or(&inv.meta(b.rid).name);
                !allowed.iter().any(|p| glob_match(p, name))
            })
            .map(|b| b.rid),
    );
    found.retain(|r| in_mgmt(*r));
    found.sort_by(|a, b| {
        let (a, b) = (inv.meta(*a), inv.meta(*b));
        (&a.kind, &a.name).cmp(&(&b.kind, &b.name))
    });
    let acct = inv
        .org_accounts
        .iter()
        .find(|a| a.id == mgmt)
        .map(|a| a.rid);
    if !found.is_empty() {
        let mut names: Vec<String> = found
            .iter()
            .take(SHOWN)
            .map(|r| {
                let m = inv.meta(*r);
                format!("{} {}", m.kind, m.name)
            })
            .collect();
        if found.len() > SHOWN {
            names.push(format!("and {} more", found.len() - SHOWN));
        }
        let msg = format!(
            "the management account {mgmt} runs workloads or holds data: {}",
            names.join(", ")
        );
        match acct {
            Some(a) => cx.fail(a, msg),
            None => cx.estate_fail(msg),
        }
        return;
    }
    if let Some(g) = cx.gap_note(KINDS, Some(&mgmt)) {
        let msg =
            format!("no workload was found in the management account {mgmt}, but the audit {g}");
        match acct {
            Some(a) => cx.unknown(a, msg),
            None => cx.estate_unknown(msg),
        }
        return;
    }
    let msg = format!("the management account {mgmt} runs no workloads and holds no data");
    match acct {
        Some(a) => cx.pass(a, msg),
        None => cx.estate_pass(msg),
    }
}
