//! Places where code may hold a credential: environment variables of
//! `AWS::Lambda::Function` and `AWS::ECS::TaskDefinition` containers. (Template
//! parameters are registered by the collector itself.)

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use crate::yaml::{Node, NodeKind};
use phiguard_model::CodeValue;

pub static DOMAIN: Domain = Domain {
    types: &["AWS::Lambda::Function", "AWS::ECS::TaskDefinition"],
    map,
    finish: no_finish,
};

fn push(m: &mut Mapper, r: &EvalRes, name: &str, value: &Node) {
    m.inv.code_values.push(CodeValue {
        rid: r.rid,
        place: "Environment".into(),
        name: name.to_string(),
        literal: value.literal(),
        no_echo: None,
    });
}

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    // The raw nodes: a value written in the template, not one evaluated from a
    // parameter's default (the parameter is judged on its own).
    let Some(props) = r.node.as_ref() else {
        return Ok(());
    };
    if r.ty == "AWS::Lambda::Function" {
        let vars = props
            .get("Environment")
            .and_then(|e| e.get("Variables"))
            .filter(|v| v.tag.is_none())
            .and_then(|v| v.entries());
        for (name, _, value) in vars.unwrap_or(&[]) {
            push(m, r, name, value);
        }
    } else {
        let containers = match props.get("ContainerDefinitions").map(|c| (&c.tag, &c.kind)) {
            Some((None, NodeKind::Seq(items))) => items.as_slice(),
            _ => &[],
        };
        for c in containers {
            let env = match c.get("Environment").map(|e| (&e.tag, &e.kind)) {
                Some((None, NodeKind::Seq(items))) => items.as_slice(),
                _ => &[],
            };
            for e in env {
                if let (Some(name), Some(value)) =
                    (e.get("Name").and_then(|n| n.as_str()), e.get("Value"))
                {
                    push(m, r, name, value);
                }
            }
        }
    }
    Ok(())
}
