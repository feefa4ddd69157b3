//! NET-10's judgement of SQS queue and SNS topic policies ("Resource
//! policies do not open PHI services to everyone"), called from NET-10's
//! check: one finding per queue and per topic, after
//! [`crate::util::exposure::describe_public`].

use crate::Cx;
use crate::util::exposure::describe_public;
use phiguard_model::{PolicyDoc, Rid, Val};

fn judge(cx: &mut Cx, rid: Rid, what: &str, none: &str, policy: &Val<Option<PolicyDoc>>) {
    match policy {
        Val::Unknown(r) => cx.unknown(rid, r.clone()),
        Val::Known(None) => cx.pass(rid, none),
        Val::Known(Some(doc)) => match describe_public(doc) {
            Some(why) => cx.fail(rid, format!("the {what} policy is open to everyone: {why}")),
            None => cx.pass(
                rid,
                format!("the {what} policy allows no one outside named principals, accounts, the organization or a network"),
            ),
        },
    }
}

/// Every SQS queue: its queue policy is not open to everyone. A queue
/// without a policy is usable only by its own account.
pub fn judge_queues(cx: &mut Cx) {
    let inv = cx.inv;
    for q in &inv.queues {
        judge(
            cx,
            q.rid,
            "queue",
            "the queue has no queue policy: only its own account can use it",
            &q.policy,
        );
    }
}

/// Every SNS topic: its topic policy is not open to everyone. SNS's default
/// policy allows only the owner account (`AWS:SourceOwner`).
pub fn judge_topics(cx: &mut Cx) {
    let inv = cx.inv;
    for t in &inv.topics {
        judge(
            cx,
            t.rid,
            "topic",
            "the topic has SNS's default policy: only its own account can use it",
            &t.policy,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Config, Outcome, declare_rule};
    use phiguard_model::{
        Condition, Effect, Inventory, Origin, Principals, Queue, SourceKind, Statement, Topic, Unit,
    };

    declare_rule! {
        /// ### What it checks
        /// A stand-in for NET-10 that runs only these two loops.
        ///
        /// ### Why
        /// Tests.
        ///
        /// ### Sources
        /// - Live: queue and topic policies.
        pub static TEST_RULE = {
            id: "NET-10",
            control: NetworkIsolation,
            severity: High,
            sources: [Live],
            reads: [Queues, Topics],
            scope: Resource,
            title: "Resource policies do not open PHI services to everyone",
            remediation: "Limit Principal \"*\" statements with aws:PrincipalOrgID or name the principals.",
            check: both,
        }
    }

    fn both(cx: &mut Cx) {
        judge_queues(cx);
        judge_topics(cx);
    }

    fn stmt(
        sid: &str,
        principal: Principals,
        actions: &[&str],
        conds: &[(&str, &str, &str)],
    ) -> Statement {
        Statement {
            sid: Some(sid.into()),
            effect: Effect::Allow,
            principal: Some(principal),
            not_principal: None,
            actions: actions.iter().map(|a| a.to_string()).collect(),
            not_actions: vec![],
            resources: vec!["*".into()],
            not_resources: vec![],
            conditions: conds
                .iter()
                .map(|(o, k, v)| Condition {
                    operator: o.to_string(),
                    key: k.to_string(),
                    values: vec![v.to_string()],
                })
                .collect(),
        }
    }

    fn everyone() -> Principals {
        Principals {
            wildcard: true,
            ..Default::default()
        }
    }

    fn doc(s: Statement) -> Val<Option<PolicyDoc>> {
        Val::Known(Some(PolicyDoc {
            statements: vec![s],
        }))
    }

    fn inventory() -> Inventory {
        let mut inv = Inventory::default();
        inv.units.push(Unit {
            name: "111111111111/us-east-1".into(),
            source: SourceKind::Live,
            account: Val::Known("111111111111".into()),
            region: Val::Known("us-east-1".into()),
            account_role: Val::Known(None),
        });
        let add = |inv: &mut Inventory, kind: &str, name: &str| {
            inv.add_meta(
                kind,
                name,
                Origin::Live {
                    arn: format!("arn:aws:x:us-east-1:111111111111:{name}"),
                    account: "111111111111".into(),
                    region: "us-east-1".into(),
                },
                0,
            )
        };
        let queues: Vec<(&str, Val<Option<PolicyDoc>>)> = vec![
            (
                "open-queue",
                doc(stmt("Open", everyone(), &["sqs:SendMessage"], &[])),
            ),
            (
                "org-queue",
                doc(stmt(
                    "Org",
                    everyone(),
                    &["sqs:SendMessage"],
                    &[("StringEquals", "aws:PrincipalOrgID", "o-abc")],
                )),
            ),
            ("no-policy-queue", Val::Known(None)),
            (
                "unknown-queue",
                Val::unknown("the policy is known only at deploy time"),
            ),
        ];
        for (name, policy) in queues {
            let rid = add(&mut inv, "AWS::SQS::Queue", name);
            inv.queues.push(Queue {
                rid,
                name: Val::Known(name.into()),
                key: Val::Known(None),
                policy,
            });
        }
        let topics: Vec<(&str, Val<Option<PolicyDoc>>)> = vec![
            ("default-topic", Val::Known(None)),
            (
                // SNS's own default policy: Principal AWS "*" limited by AWS:SourceOwner.
                "owner-topic",
                doc(stmt(
                    "__default_statement_ID",
                    Principals {
                        aws: vec!["*".into()],
                        ..Default::default()
                    },
                    &["SNS:Publish", "SNS:Subscribe"],
                    &[("StringEquals", "AWS:SourceOwner", "111111111111")],
                )),
            ),
            (
                "open-topic",
                doc(stmt("Anyone", everyone(), &["sns:Publish"], &[])),
            ),
            (
                "named-topic",
                doc(stmt(
                    "App",
                    Principals {
                        aws: vec!["arn:aws:iam::111111111111:role/app".into()],
                        ..Default::default()
                    },
                    &["sns:Publish"],
                    &[],
                )),
            ),
        ];
        for (name, policy) in topics {
            let rid = add(&mut inv, "AWS::SNS::Topic", name);
            inv.topics.push(Topic {
                rid,
                name: Val::Known(name.into()),
                key: Val::Known(None),
                policy,
            });
        }
        inv
    }

    #[test]
    fn queues_and_topics_open_to_everyone_fail() {
        let inv = inventory();
        let cfg = Config::default();
        let mut cx = Cx::new(&inv, &cfg, true, &TEST_RULE);
        both(&mut cx);
        let got: Vec<(String, Outcome)> = cx
            .into_findings()
            .into_iter()
            .map(|f| (f.subject.unwrap().name, f.outcome))
            .collect();
        let want = [
            ("open-queue", Outcome::Fail),
            ("org-queue", Outcome::Pass),
            ("no-policy-queue", Outcome::Pass),
            ("unknown-queue", Outcome::Unknown),
            ("default-topic", Outcome::Pass),
            ("owner-topic", Outcome::Pass),
            ("open-topic", Outcome::Fail),
            ("named-topic", Outcome::Pass),
        ];
        let want: Vec<(String, Outcome)> = want.iter().map(|(n, o)| (n.to_string(), *o)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn the_failure_names_the_statement_and_its_actions() {
        let inv = inventory();
        let cfg = Config::default();
        let mut cx = Cx::new(&inv, &cfg, true, &TEST_RULE);
        judge_queues(&mut cx);
        let f = cx.into_findings();
        let open = f
            .iter()
            .find(|f| f.subject.as_ref().unwrap().name == "open-queue")
            .unwrap();
        assert!(
            open.message.contains("statement `Open`"),
            "{}",
            open.message
        );
        assert!(open.message.contains("sqs:SendMessage"), "{}", open.message);
        assert!(f.iter().all(|f| f.rule == "NET-10"));
    }
}
