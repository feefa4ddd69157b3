//! Load balancer joins: a listener's security policy, and listener rules'
//! actions added to their listener's.

use crate::cfn::estate::EvalRes;
use crate::cfn::map::Mapper;
use crate::cfn::props::{P, R};
use phiguard_model::{Listener, ListenerAction, Rid, Val};

/// The security policy of a listener: only HTTPS and TLS listeners have
/// one (`read` gives the written one, or ELB's default).
pub fn ssl_policy(
    protocol: &Val<String>,
    read: impl FnOnce() -> R<Val<String>>,
) -> R<Val<Option<String>>> {
    Ok(match protocol {
        Val::Known(pr) if pr == "HTTPS" || pr == "TLS" => read()?.map(Some),
        Val::Known(_) => Val::Known(None),
        Val::Unknown(r) => Val::Unknown(r.clone()),
    })
}

/// The index of the listener `rid`, as a list of candidates.
pub fn listener(listeners: &[Listener], rid: Rid) -> Vec<usize> {
    listeners
        .iter()
        .position(|l| l.rid == rid)
        .into_iter()
        .collect()
}

/// Adds listener rule `r`'s actions (`acts`, as read) to those of the
/// listeners it may belong to: `targets` gives them, and whether which of
/// them is not known (`None`: a listener outside the estate). A rule that
/// forwards on an HTTP listener serves plain HTTP as much as a default
/// action. When which listener is not known, each candidate's actions
/// become unknown: `when` says when it is known.
pub fn join_rule<'a>(
    m: &mut Mapper<'a>,
    r: &'a EvalRes,
    acts: R<Val<Vec<ListenerAction>>>,
    targets: impl FnOnce(&Mapper<'a>) -> Option<(Vec<usize>, bool)>,
    when: &str,
) {
    let acts = match acts {
        Ok(a) => a,
        Err(e) => {
            m.error(r, e);
            return;
        }
    };
    let Some((targets, unknown_target)) = targets(m) else {
        return;
    };
    let rule = &r.logical_id;
    for i in targets {
        let l = &mut m.inv.listeners[i];
        l.default_actions = match (&l.default_actions, &acts) {
            (Val::Known(a), Val::Known(b)) if !unknown_target => {
                Val::Known(a.iter().chain(b.iter()).cloned().collect())
            }
            (Val::Unknown(r), _) | (_, Val::Unknown(r)) => Val::Unknown(r.clone()),
            _ => Val::unknown(format!(
                "listener rule {rule} belongs to a listener known only {when}"
            )),
        };
    }
}

/// A listener's (or rule's) actions: their type, and where a redirect
/// sends (`redirect` reads it; it defaults to `#{protocol}`, the request's
/// own). `type_key` spells the type.
pub fn actions<'a>(
    p: P<'a>,
    type_key: &'static str,
    redirect: impl Fn(P<'a>) -> R<Val<String>>,
) -> R<Val<Vec<ListenerAction>>> {
    let items = match p.list()? {
        Val::Known(i) => i,
        Val::Unknown(r) => return Ok(Val::Unknown(r)),
    };
    let mut out = Vec::new();
    for a in items {
        let action_type = match a.get(type_key).str_opt()? {
            Val::Known(Some(t)) => t.to_ascii_lowercase(),
            Val::Known(None) => return a.error(format!("a listener action needs a {type_key}")),
            Val::Unknown(r) => return Ok(Val::Unknown(r)),
        };
        let redirect_protocol = if action_type == "redirect" {
            Some(redirect(a)?)
        } else {
            None
        };
        out.push(ListenerAction {
            action_type,
            redirect_protocol,
        });
    }
    Ok(Val::Known(out))
}
