//! `aws_sqs_queue`, `aws_sns_topic` and `aws_kinesis_stream`, joined with
//! `aws_sqs_queue_policy` (by `queue_url`) and `aws_sns_topic_policy` (by `arn`).

use super::{link_to, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper};
use crate::cfn::props::{P, R};
use crate::cfn::value::Value;
use crate::joins::queues::{Kind, Policies};
use phiguard_model::{KeyRef, PolicyDoc, Queue, Rid, Stream, Topic, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_sqs_queue", "aws_sns_topic", "aws_kinesis_stream"],
    map,
    finish,
};

/// `name`, or why it is known only after apply (generated, or from `name_prefix`).
fn name(p: P) -> R<Val<String>> {
    Ok(match p.get("name").str_opt()? {
        Val::Known(Some(n)) => Val::Known(n),
        Val::Known(None) => Val::unknown("the name is generated at apply time"),
        Val::Unknown(_) if !p.get("name_prefix").is_absent() => {
            Val::unknown("the name is generated from name_prefix at apply time")
        }
        Val::Unknown(r) => Val::Unknown(r),
    })
}

/// An attribute the configuration leaves out, or that the provider writes
/// empty in a state.
fn unset(v: P, rid: Rid, path: &str) -> bool {
    omitted(v, rid, path) || matches!(v.v, Some(Value::Str(s)) if s.trim().is_empty())
}

/// A key attribute (`kms_master_key_id`, `kms_key_id`); `None` when unset.
fn key(p: P, rid: Rid, attr: &str, aws_default: &str) -> Val<Option<KeyRef>> {
    let k = p.get(attr);
    if unset(k, rid, attr) {
        Val::Known(None)
    } else {
        k.key_ref(aws_default).map(Some)
    }
}

/// The resource's own `policy` attribute (optional and computed): `None`
/// when left out or empty.
fn policy(p: P, rid: Rid) -> R<Val<Option<PolicyDoc>>> {
    let v = p.get("policy");
    if unset(v, rid, "policy") {
        return Ok(Val::Known(None));
    }
    match v.v {
        Some(Value::Str(_)) => Ok(v.policy()?.map(Some)),
        _ => {
            Ok(Val::Unknown(v.unknown_reason().unwrap_or_else(|| {
                "policy is known only after apply".into()
            })))
        }
    }
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    match r.ty.as_str() {
        "aws_sqs_queue" => {
            // kms_master_key_id names the key; otherwise SSE-SQS, which
            // sqs_managed_sse_enabled (optional, computed) leaves on by default.
            let key = match key(p, r.rid, "kms_master_key_id", "aws/sqs") {
                Val::Known(None) => {
                    let sse = p.get("sqs_managed_sse_enabled");
                    let on = if omitted(sse, r.rid, "sqs_managed_sse_enabled") {
                        Val::Known(true)
                    } else {
                        sse.bool_or(true)?
                    };
                    on.map(|on| on.then_some(KeyRef::AwsOwned))
                }
                k => k,
            };
            let q = Queue {
                rid: r.rid,
                name: name(p)?,
                key,
                policy: policy(p, r.rid)?,
            };
            m.inv.queues.push(q);
        }
        "aws_sns_topic" => {
            let t = Topic {
                rid: r.rid,
                name: name(p)?,
                key: key(p, r.rid, "kms_master_key_id", "aws/sns"),
                policy: policy(p, r.rid)?,
            };
            m.inv.topics.push(t);
        }
        _ => {
            // encryption_type defaults to NONE.
            let key = match p.get("encryption_type").str_or("NONE")? {
                Val::Known(t) if t == "KMS" => p.get("kms_key_id").key_ref("aws/kinesis").map(Some),
                Val::Known(t) if t == "NONE" => Val::Known(None),
                Val::Known(t) => {
                    return p
                        .get("encryption_type")
                        .error(format!("expected KMS or NONE, found {t:?}"));
                }
                Val::Unknown(why) => Val::Unknown(why),
            };
            let s = Stream {
                rid: r.rid,
                name: name(p)?,
                key,
            };
            m.inv.streams.push(s);
        }
    }
    Ok(())
}

/// Joins every policy of `kind` to the queue (or topic) it names.
fn join(m: &mut Mapper, kind: Kind) {
    let (ty, attr, kinds): (_, _, &[&str]) = match kind {
        Kind::Queues => ("aws_sqs_queue_policy", "queue_url", &["aws_sqs_queue"]),
        Kind::Topics => ("aws_sns_topic_policy", "arn", &["aws_sns_topic"]),
    };
    let est = m.est;
    let mut policies = Policies::new(m.inv, kind);
    for r in est.of_type(ty) {
        let p = est.props(r);
        let link = link_to(p, attr, r.rid, kinds);
        let doc = match p.get("policy").policy() {
            Ok(d) => d,
            Err(e) => {
                m.error(r, e);
                continue;
            }
        };
        policies.add(m.inv, &link, doc, |why| {
            format!(
                "{} names its target only after apply ({why})",
                est.name(r.rid)
            )
        });
    }
    policies.finish(m.inv);
}

fn finish(m: &mut Mapper) {
    join(m, Kind::Queues);
    join(m, Kind::Topics);
}
