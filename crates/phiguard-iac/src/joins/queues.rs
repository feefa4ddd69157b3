//! SQS queues and SNS topics: resource policies joined to the queues and
//! topics they name. The CloudFormation and Terraform mappers each read
//! their own spelling of a policy's target (`Queues`, `queue_url`,
//! `Topics`, `arn`) into a [`Link`]; which queue or topic that is, and what
//! a policy with an unknown target means, is decided here.

use phiguard_model::{Inventory, Link, PolicyDoc, Rid, Val};

/// The queue a queue URL (`https://sqs.us-east-1.amazonaws.com/1111/name`)
/// or ARN (`arn:aws:sqs:us-east-1:1111:name`) names: its last segment.
pub fn queue_name(url_or_arn: &str) -> &str {
    let s = url_or_arn.trim_end_matches('/');
    if s.starts_with("arn:") {
        s.rsplit(':').next().unwrap_or(s)
    } else {
        s.rsplit('/').next().unwrap_or(s)
    }
}

/// The topic an ARN (`arn:aws:sns:us-east-1:1111:name`) names.
pub fn topic_name(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

/// The index, among `targets` (`(rid, known name)` of the estate's queues or
/// topics), of the one a link names: a resource of the estate, or a written
/// URL or ARN whose name (by `name_of`) is that of one of them.
pub fn target<'n>(
    link: &Val<Link>,
    targets: impl Iterator<Item = (Rid, Option<&'n str>)>,
    name_of: fn(&str) -> &str,
) -> Option<usize> {
    let mut targets = targets;
    match link {
        Val::Known(Link::Resource(rid)) => targets.position(|(r, _)| r == *rid),
        Val::Known(Link::External(s)) => {
            let n = name_of(s);
            targets.position(|(_, name)| name == Some(n))
        }
        Val::Unknown(_) => None,
    }
}

/// What a kind of policy protects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Queues,
    Topics,
}

impl Kind {
    fn slot(self, inv: &mut Inventory, i: usize) -> &mut Val<Option<PolicyDoc>> {
        match self {
            Kind::Queues => &mut inv.queues[i].policy,
            Kind::Topics => &mut inv.topics[i].policy,
        }
    }
}

/// The policies joined so far, per queue (or topic), and why the target of
/// some policy is not known: then every queue without a known policy may be
/// the one it protects.
pub struct Policies {
    kind: Kind,
    /// The queues (or topics): `(rid, known name)`.
    names: Vec<(Rid, Option<String>)>,
    joined: Vec<bool>,
    unresolved: Option<String>,
}

impl Policies {
    /// The queues (or topics) of the inventory, none joined yet.
    pub fn new(inv: &Inventory, kind: Kind) -> Self {
        let names: Vec<(Rid, Option<String>)> = match kind {
            Kind::Queues => inv
                .queues
                .iter()
                .map(|q| (q.rid, q.name.known().cloned()))
                .collect(),
            Kind::Topics => inv
                .topics
                .iter()
                .map(|t| (t.rid, t.name.known().cloned()))
                .collect(),
        };
        Policies {
            kind,
            joined: vec![false; names.len()],
            names,
            unresolved: None,
        }
    }

    /// A policy whose target is known only at deploy or apply time.
    pub fn unresolved(&mut self, why: String) {
        self.unresolved.get_or_insert(why);
    }

    /// Joins a policy to the queue (or topic) `link` names; the last one
    /// written wins, as the service keeps one policy per queue or topic. A
    /// link known only later is unresolved: `unresolved` says why, given
    /// the link's reason.
    pub fn add(
        &mut self,
        inv: &mut Inventory,
        link: &Val<Link>,
        doc: Val<PolicyDoc>,
        unresolved: impl FnOnce(&str) -> String,
    ) {
        if let Val::Unknown(why) = link {
            self.unresolved(unresolved(why));
        }
        let name_of = match self.kind {
            Kind::Queues => queue_name,
            Kind::Topics => topic_name,
        };
        let by_name = self.names.iter().map(|(rid, n)| (*rid, n.as_deref()));
        if let Some(i) = target(link, by_name, name_of) {
            self.joined[i] = true;
            *self.kind.slot(inv, i) = doc.map(Some);
        }
    }

    /// The policies of the queues no known policy names are unknown when a
    /// policy's target is.
    pub fn finish(self, inv: &mut Inventory) {
        if let Some(why) = self.unresolved {
            for (i, joined) in self.joined.into_iter().enumerate() {
                if !joined {
                    *self.kind.slot(inv, i) = Val::Unknown(why.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use phiguard_model::Queue;

    #[test]
    fn names_from_urls_and_arns() {
        assert_eq!(
            queue_name("https://sqs.us-east-1.amazonaws.com/111122223333/intake"),
            "intake"
        );
        assert_eq!(
            queue_name("arn:aws:sqs:us-east-1:111122223333:intake.fifo"),
            "intake.fifo"
        );
        assert_eq!(
            topic_name("arn:aws:sns:us-east-1:111122223333:alerts"),
            "alerts"
        );
    }

    #[test]
    fn a_target_by_resource_or_by_name() {
        let targets = [(Rid(3), Some("intake")), (Rid(5), None)];
        let by = |l: Val<Link>| target(&l, targets.iter().copied(), queue_name);
        assert_eq!(by(Val::Known(Link::Resource(Rid(5)))), Some(1));
        assert_eq!(
            by(Val::Known(Link::External(
                "https://sqs.us-east-1.amazonaws.com/111122223333/intake".into()
            ))),
            Some(0)
        );
        assert_eq!(by(Val::Known(Link::External("other".into()))), None);
        assert_eq!(by(Val::unknown("deploy time")), None);
    }

    #[test]
    fn an_unresolved_policy_makes_the_others_unknown() {
        let mut inv = Inventory::default();
        for (rid, name) in [(3, "intake"), (5, "outbox")] {
            inv.queues.push(Queue {
                rid: Rid(rid),
                name: Val::Known(name.into()),
                key: Val::Known(None),
                policy: Val::Known(None),
            });
        }
        let mut p = Policies::new(&inv, Kind::Queues);
        let doc = Val::Known(PolicyDoc::default());
        p.add(
            &mut inv,
            &Val::Known(Link::Resource(Rid(3))),
            doc,
            |_| unreachable!(),
        );
        let why = "a policy names its queue from a parameter";
        p.add(
            &mut inv,
            &Val::unknown(why),
            Val::Known(PolicyDoc::default()),
            |w| w.to_string(),
        );
        p.finish(&mut inv);
        assert_eq!(inv.queues[0].policy, Val::Known(Some(PolicyDoc::default())));
        assert_eq!(inv.queues[1].policy, Val::unknown(why));
    }
}
