//! Data stores judged for encryption at rest: EFS file systems and SageMaker
//! notebook instances.

use crate::errors::ce;
use crate::scope::{Scope, tag_map};
use crate::{all, client};
use phiguard_model::{Collection, EfsFileSystem, KeyRef, NotebookInstance, Val};

pub async fn efs(s: Scope) {
    let c = client!(aws_sdk_efs, s);
    let Some(list) = s.listed(
        Collection::EfsFileSystems,
        "elasticfilesystem:DescribeFileSystems",
        all!(c.describe_file_systems()),
    ) else {
        return;
    };
    for f in list {
        let id = f.file_system_id().to_string();
        let arn = f
            .file_system_arn()
            .map(str::to_string)
            .unwrap_or_else(|| s.arn("elasticfilesystem", &format!("file-system/{id}")));
        let tags = tag_map(f.tags().iter().map(|t| (t.key(), t.value())));
        let rid = s.add("AWS::EFS::FileSystem", &id, &arn, Some(tags));
        let encrypted = f.encrypted().unwrap_or(false);
        // EFS reports the key of an encrypted file system, the AWS-managed
        // aws/elasticfilesystem key included.
        let key = match f.kms_key_id() {
            Some(k) => KeyRef::External(k.to_string()),
            None => KeyRef::AwsManaged("aws/elasticfilesystem".into()),
        };
        s.with(|inv| {
            inv.efs_file_systems.push(EfsFileSystem {
                rid,
                encrypted: Val::Known(encrypted),
                key: Val::Known(key),
            })
        });
    }
}

pub async fn sagemaker(s: Scope) {
    let c = client!(aws_sdk_sagemaker, s);
    let Some(list) = s.listed(
        Collection::NotebookInstances,
        "sagemaker:ListNotebookInstances",
        all!(c.list_notebook_instances()),
    ) else {
        return;
    };
    for n in list {
        let name = n.notebook_instance_name().unwrap_or_default().to_string();
        let arn = n
            .notebook_instance_arn()
            .map(str::to_string)
            .unwrap_or_else(|| s.arn("sagemaker", &format!("notebook-instance/{name}")));
        // The summary does not carry the key: one DescribeNotebookInstance each.
        let key = match c
            .describe_notebook_instance()
            .notebook_instance_name(&name)
            .send()
            .await
        {
            Ok(d) => Val::Known(d.kms_key_id().map(|k| KeyRef::External(k.to_string()))),
            Err(e) => {
                let e = ce(e);
                s.gap(
                    Collection::NotebookInstances,
                    "sagemaker:DescribeNotebookInstance",
                    &e,
                );
                Val::unknown(format!("sagemaker:DescribeNotebookInstance: {e}"))
            }
        };
        let rid = s.add("AWS::SageMaker::NotebookInstance", &name, &arn, None);
        s.with(|inv| inv.notebook_instances.push(NotebookInstance { rid, key }));
    }
}
