//! SQS queues and SNS topics: resource policies joined to the queues and
//! topics they name. The CloudFormation and Terraform mappers each read
//! their own spelling of a policy's target (`Queues`, `queue_url`,
//! `Topics`, `arn`) into a [`Link`]; which queue or topic that is, and what
//! a policy with an unknown target means, is decided here.

use phiguard_model::{Link, PolicyDoc, Rid, Val};

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

/// The policies joined so far, per queue (or topic), and why the target of
/// some policy is not known: then every queue without a known policy may be
/// the one it protects.
pub struct Policies {
    joined: Vec<bool>,
    unresolved: Option<String>,
}

impl Policies {
    pub fn new(count: usize) -> Self {
        Policies {
            joined: vec![false; count],
            unresolved: None,
        }
    }

    /// A policy whose target is known only at deploy or apply time.
    pub fn unresolved(&mut self, why: String) {
        self.unresolved.get_or_insert(why);
    }

    /// The policy of queue (or topic) `i`; the last one written wins, as the
    /// service keeps one policy per queue or topic.
    pub fn join(&mut self, slot: &mut Val<Option<PolicyDoc>>, i: usize, doc: Val<PolicyDoc>) {
        self.joined[i] = true;
        *slot = doc.map(Some);
    }

    /// The policies of the queues no known policy names are unknown when a
    /// policy's target is.
    pub fn finish<'a>(self, slots: impl Iterator<Item = &'a mut Val<Option<PolicyDoc>>>) {
        if let Some(why) = self.unresolved {
            for (slot, joined) in slots.zip(self.joined) {
                if !joined {
                    *slot = Val::Unknown(why.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut slots = [Val::Known(None), Val::Known(None)];
        let mut p = Policies::new(2);
        p.join(&mut slots[0], 0, Val::Known(PolicyDoc::default()));
        p.unresolved("a policy names its queue from a parameter".into());
        p.finish(slots.iter_mut());
        assert_eq!(slots[0], Val::Known(Some(PolicyDoc::default())));
        assert!(!slots[1].is_known());
    }
}
