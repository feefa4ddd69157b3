//! `aws_sagemaker_notebook_instance`.

use super::{key_opt, omitted};
use crate::cfn::estate::EvalRes;
use crate::cfn::map::{Domain, Mapper, no_finish};
use crate::cfn::props::R;
use phiguard_model::{NotebookInstance, Val};

pub static DOMAIN: Domain = Domain {
    types: &["aws_sagemaker_notebook_instance"],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    // No kms_key_id: SageMaker encrypts the volumes with a system-managed key.
    let key = if omitted(p.get("kms_key_id"), r.rid, "kms_key_id") {
        Val::Known(None)
    } else {
        key_opt(p, "kms_key_id")
    };
    m.inv
        .notebook_instances
        .push(NotebookInstance { rid: r.rid, key });
    Ok(())
}
