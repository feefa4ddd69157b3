//! `AWS::SageMaker::NotebookInstance`.

use super::{Domain, Mapper, no_finish};
use crate::cfn::estate::EvalRes;
use crate::cfn::props::R;
use phiguard_model::NotebookInstance;

pub static DOMAIN: Domain = Domain {
    types: &["AWS::SageMaker::NotebookInstance"],
    map,
    finish: no_finish,
};

fn map<'a>(m: &mut Mapper<'a>, r: &'a EvalRes) -> R<()> {
    let p = m.props(r);
    m.inv.notebook_instances.push(NotebookInstance {
        rid: r.rid,
        // No KmsKeyId: SageMaker encrypts the volumes with a system-managed key.
        key: p.get("KmsKeyId").key_opt(),
    });
    Ok(())
}
