//! `phiguard runbooks`: the incident-response runbooks, filled with the
//! organization's accounts, regions, vaults, security groups and contacts, as
//! Markdown and as one self-contained, printable HTML file.

use crate::File;
use crate::templates::Plan;
use phiguard_rules::Config;
use phiguard_rules::baseline::SCENARIOS;

/// A block of a runbook.
pub enum Block {
    P(String),
    /// Shell commands, ready to paste.
    Cmd(String),
    /// Numbered steps.
    Steps(Vec<String>),
    List(Vec<String>),
    Table(Vec<String>, Vec<Vec<String>>),
    H(String),
}

pub struct Runbook {
    /// The attestation name (`ec2-isolation`, ...).
    pub id: &'static str,
    pub title: String,
    pub blocks: Vec<Block>,
}

use Block::*;

fn s(x: &str) -> String {
    x.to_string()
}

fn account(id: Option<&String>, role: &str) -> String {
    match id {
        Some(id) => format!("`{id}`"),
        None => format!(
            "the {role} account (created by the organization stack: output `{}AccountId`)",
            cap(role)
        ),
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// The runbooks, in the order of [`SCENARIOS`].
pub fn build(cfg: &Config) -> Vec<Runbook> {
    let plan = Plan::new(cfg, crate::Options::default());
    let b = &cfg.baseline;
    let a = &cfg.accounts;
    let home = &plan.home;
    let copy = &plan.copy_region;
    let ir = &b.incident_response;
    let envs: Vec<(String, String, String, String)> = plan
        .envs
        .iter()
        .map(|e| {
            let ids = match e.name {
                "prod" => &a.prod,
                "staging" => &a.staging,
                _ => &a.dev,
            };
            let acct = if ids.is_empty() {
                account(None, e.name)
            } else {
                ids.iter()
                    .map(|i| format!("`{i}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            (
                e.name.to_string(),
                acct,
                plan.isolation_sg(e.name),
                plan.vault(e.name),
            )
        })
        .collect();
    let env_table = Table(
        vec![
            s("Environment"),
            s("Account"),
            s("Region"),
            s("Isolation security group"),
            s("Backup vault"),
            s("Copy vault"),
        ],
        envs.iter()
            .map(|(n, acct, sg, vault)| {
                vec![
                    n.clone(),
                    acct.clone(),
                    format!("`{home}`"),
                    format!("`{sg}`"),
                    format!("`{vault}`"),
                    format!("`{}` in `{copy}`", plan.copy_vault()),
                ]
            })
            .collect(),
    );
    let prod_sg = envs.first().map(|e| e.2.clone()).unwrap_or_default();
    let prod_vault = envs.first().map(|e| e.3.clone()).unwrap_or_default();
    let mgmt = account(a.management.as_ref(), "management");
    let security = account(a.security.as_ref(), "security");
    let contacts = Table(
        vec![s("Role"), s("Name"), s("Phone"), s("E-mail")],
        vec![
            vec![
                s("Security officer"),
                ir.security_officer.name.clone(),
                ir.security_officer.phone.clone(),
                ir.security_officer.email.clone(),
            ],
            vec![
                s("Privacy officer"),
                ir.privacy_officer.name.clone(),
                ir.privacy_officer.phone.clone(),
                ir.privacy_officer.email.clone(),
            ],
        ],
    );
    let escalation = if ir.escalation.is_empty() {
        Steps(vec![s("Security officer"), s("Privacy officer")])
    } else {
        Steps(ir.escalation.clone())
    };
    vec![
        Runbook {
            id: "ec2-isolation",
            title: s("Isolate a compromised EC2 instance"),
            blocks: vec![
                P(s(
                    "Use when GuardDuty, an alarm or a person reports an instance that may be compromised. Goal: stop it talking to anything, keep its disks and memory state for forensics, and remove the credentials it holds. Do not terminate or reboot it.",
                )),
                env_table,
                H(s("1. Record the incident and the instance")),
                Cmd(format!(
                    "export AWS_REGION={home}\nexport INCIDENT_ID=IR-$(date -u +%Y%m%d-%H%M)\nexport INSTANCE_ID=i-0123456789abcdef0   # the instance under investigation\naws ec2 describe-instances --instance-ids \"$INSTANCE_ID\" --output json > \"$INCIDENT_ID-instance.json\"\naws ec2 create-tags --resources \"$INSTANCE_ID\" --tags Key=incident,Value=\"$INCIDENT_ID\""
                )),
                H(s(
                    "2. Keep it from being terminated or stopped by automation",
                )),
                Cmd(s(
                    "aws ec2 modify-instance-attribute --instance-id \"$INSTANCE_ID\" --disable-api-termination\naws ec2 modify-instance-attribute --instance-id \"$INSTANCE_ID\" --disable-api-stop",
                )),
                P(s(
                    "If the instance belongs to an Auto Scaling group, detach it first so that the group does not replace or terminate it:",
                )),
                Cmd(s(
                    "aws autoscaling describe-auto-scaling-instances --instance-ids \"$INSTANCE_ID\"\naws autoscaling detach-instances --instance-ids \"$INSTANCE_ID\" --auto-scaling-group-name \"$ASG_NAME\" --should-decrement-desired-capacity",
                )),
                H(s("3. Take forensic snapshots of every attached volume")),
                Cmd(s(
                    "for VOLUME_ID in $(aws ec2 describe-volumes --filters Name=attachment.instance-id,Values=\"$INSTANCE_ID\" --query 'Volumes[].VolumeId' --output text); do\n  aws ec2 create-snapshot --volume-id \"$VOLUME_ID\" --description \"forensic $INCIDENT_ID $INSTANCE_ID\" --tag-specifications \"ResourceType=snapshot,Tags=[{Key=incident,Value=$INCIDENT_ID}]\"\ndone",
                )),
                P(s(
                    "The snapshots are encrypted under the account's customer-managed key, like the volumes (EBS encryption by default). Never share them outside the organization.",
                )),
                H(s("4. Move the instance into the isolation security group")),
                P(format!(
                    "Each workload VPC has a security group with no inbound and no outbound rules, created by the baseline (`{prod_sg}` in prod). Replacing all of the instance's groups with it cuts every connection that is not already tracked."
                )),
                Cmd(format!(
                    "ISOLATION_SG=$(aws ec2 describe-security-groups --filters Name=group-name,Values={prod_sg} --query 'SecurityGroups[0].GroupId' --output text)\nfor ENI in $(aws ec2 describe-instances --instance-ids \"$INSTANCE_ID\" --query 'Reservations[].Instances[].NetworkInterfaces[].NetworkInterfaceId' --output text); do\n  aws ec2 modify-network-interface-attribute --network-interface-id \"$ENI\" --groups \"$ISOLATION_SG\"\ndone"
                )),
                H(s(
                    "5. Remove the instance profile, and revoke the role's sessions",
                )),
                Cmd(s(
                    "ASSOCIATION_ID=$(aws ec2 describe-iam-instance-profile-associations --filters Name=instance-id,Values=\"$INSTANCE_ID\" --query 'IamInstanceProfileAssociations[0].AssociationId' --output text)\naws ec2 disassociate-iam-instance-profile --association-id \"$ASSOCIATION_ID\"",
                )),
                P(s(
                    "Credentials already taken from the instance metadata stay valid until they expire. Deny every session of the role issued before now (the policy AWS's console applies for \"Revoke active sessions\"):",
                )),
                Cmd(s(
                    "cat > revoke-sessions.json <<JSON\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\",\n  \"Condition\": {\"DateLessThan\": {\"aws:TokenIssueTime\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}}}]}\nJSON\naws iam put-role-policy --role-name \"$ROLE_NAME\" --policy-name AWSRevokeOlderSessions --policy-document file://revoke-sessions.json",
                )),
                H(s(
                    "6. If the whole account may be compromised: quarantine it",
                )),
                P(format!(
                    "From the management account ({mgmt}), attach the quarantine SCP `phiguard-quarantine` (deny everything) to the account. Break-glass roles are not exempt from it: detach it to work in the account."
                )),
                Cmd(s(
                    "QUARANTINE_ID=$(aws organizations list-policies --filter SERVICE_CONTROL_POLICY --query \"Policies[?Name=='phiguard-quarantine'].Id\" --output text)\naws organizations attach-policy --policy-id \"$QUARANTINE_ID\" --target-id \"$ACCOUNT_ID\"",
                )),
                H(s("7. Hand over")),
                List(vec![
                    s(
                        "Notify the security officer (see \"Declare a security incident\") with the incident id, instance id, snapshot ids and the time of isolation.",
                    ),
                    s(
                        "Memory capture, if needed, is done by the forensic team through SSM before the instance is stopped.",
                    ),
                    s(
                        "Keep the instance isolated until the investigation closes; then terminate it and keep the snapshots for six years.",
                    ),
                ]),
            ],
        },
        Runbook {
            id: "credential-rotation",
            title: s("Rotate an exposed IAM key or credential"),
            blocks: vec![
                P(s(
                    "Use when an access key, a secret or a password may have been exposed (a commit, a log, a ticket, a GuardDuty finding). Goal: make the credential useless within minutes, find what it did, and replace it.",
                )),
                P(format!(
                    "The baseline denies creating IAM users and access keys (SCP `phiguard-guardrails`) except to break-glass principals, and people sign in through IAM Identity Center with sessions of at most {} hours. An exposed long-lived key is therefore a break-glass key or one that predates the baseline.",
                    b.session_hours
                )),
                H(s(
                    "1. Deactivate the key (do not delete it yet: its id is the thread to follow)",
                )),
                Cmd(s(
                    "export KEY_ID=AKIA...    # the exposed key\nUSER_NAME=$(aws iam get-access-key-last-used --access-key-id \"$KEY_ID\" --query UserName --output text)\naws iam get-access-key-last-used --access-key-id \"$KEY_ID\"\naws iam update-access-key --user-name \"$USER_NAME\" --access-key-id \"$KEY_ID\" --status Inactive",
                )),
                H(s("2. Find what it did")),
                P(format!(
                    "The organization trail `{}` records every account and region; the last 90 days of management events are also searchable per account and region:",
                    plan.trail_name()
                )),
                Cmd(format!(
                    "aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=\"$KEY_ID\" --max-results 50 --region {home}"
                )),
                P(format!(
                    "For older events and data events, query the trail's files in `{}` (logs account) with Athena.",
                    plan.trail_bucket()
                )),
                H(s("3. Revoke what the key may have created")),
                List(vec![
                    s(
                        "Sessions: temporary credentials obtained with the key stay valid until they expire; apply the revoke-sessions policy of the EC2 runbook (step 5) to every role the key could assume.",
                    ),
                    s(
                        "New keys, users, roles or policies found in step 2: deactivate or delete them the same way.",
                    ),
                    s(
                        "Resources launched in unusual regions are denied by the region SCP; check GuardDuty for the rest.",
                    ),
                ]),
                H(s(
                    "4. Delete the key and issue a replacement where one is still needed",
                )),
                Cmd(s(
                    "aws iam delete-access-key --user-name \"$USER_NAME\" --access-key-id \"$KEY_ID\"\naws iam list-access-keys --user-name \"$USER_NAME\"",
                )),
                H(s(
                    "5. A Secrets Manager secret (database password, API token)",
                )),
                P(format!(
                    "Every secret rotates automatically at least every {} days; rotate an exposed one now. The rotation function sets a new value in the service and in the secret.",
                    cfg.limits.rotation_days
                )),
                Cmd(s(
                    "export SECRET_ID=arn:aws:secretsmanager:...   # the exposed secret\naws secretsmanager rotate-secret --secret-id \"$SECRET_ID\"\naws secretsmanager describe-secret --secret-id \"$SECRET_ID\" --query '{Last:LastRotatedDate,Next:NextRotationDate}'",
                )),
                H(s("6. An Identity Center user")),
                P(s(
                    "Disable the user in the identity source (or the Identity Center directory), then revoke its active sessions from the IAM Identity Center console (Users, Active sessions). Sessions end at the latest when their session duration expires.",
                )),
            ],
        },
        Runbook {
            id: "database-failover",
            title: s("Fail over a database"),
            blocks: vec![
                P(format!(
                    "Use when a production database is lost, corrupted or its region is impaired. Two paths: an Aurora global database fails over to its secondary region in minutes; otherwise restore from the backups that AWS Backup copies every day to `{copy}` (vault `{}`).",
                    plan.copy_vault()
                )),
                H(s(
                    "A. Aurora global database: managed failover to the secondary region",
                )),
                P(s(
                    "Use the switchover when both regions are healthy (no data loss); use the failover when the primary region is impaired (the data not yet replicated is lost: note the replication lag for the RPO).",
                )),
                Cmd(format!(
                    "export GLOBAL_CLUSTER=records-global       # the global cluster's identifier\nexport SECONDARY_CLUSTER_ARN=arn:aws:rds:{copy}:ACCOUNT_ID:cluster:records-secondary\naws rds describe-global-clusters --global-cluster-identifier \"$GLOBAL_CLUSTER\"\naws rds switchover-global-cluster --global-cluster-identifier \"$GLOBAL_CLUSTER\" --target-db-cluster-identifier \"$SECONDARY_CLUSTER_ARN\"\n# primary region impaired:\naws rds failover-global-cluster --global-cluster-identifier \"$GLOBAL_CLUSTER\" --target-db-cluster-identifier \"$SECONDARY_CLUSTER_ARN\" --allow-data-loss"
                )),
                P(s(
                    "Then point the application at the new writer endpoint (or rely on the global writer endpoint), and watch it:",
                )),
                Cmd(format!(
                    "aws rds describe-db-clusters --db-cluster-identifier \"$SECONDARY_CLUSTER_ARN\" --region {copy} --query 'DBClusters[0].{{Status:Status,Writer:Endpoint}}'"
                )),
                H(s(
                    "B. Within the region: fail over an Aurora cluster to its replica",
                )),
                Cmd(format!(
                    "aws rds failover-db-cluster --db-cluster-identifier \"$CLUSTER_ID\" --region {home}"
                )),
                H(format!("C. Restore in {copy} from the copied backups")),
                Steps(vec![
                    format!(
                        "List the recovery points of the database in the copy vault `{}` (region `{copy}`).",
                        plan.copy_vault()
                    ),
                    s(
                        "Read the restore metadata of the chosen point and adjust it (subnet group, security groups, KMS key of the target region).",
                    ),
                    s("Start the restore job with the backup role, and wait for it to complete."),
                    s(
                        "Point the application at the restored cluster; record the recovery point's time (RPO) and the time to restore (RTO).",
                    ),
                ]),
                Cmd(format!(
                    "export AWS_REGION={copy}\naws backup list-recovery-points-by-backup-vault --backup-vault-name {} --by-resource-type Aurora --query 'RecoveryPoints[].[RecoveryPointArn,CreationDate,ResourceArn]' --output table\nexport RECOVERY_POINT_ARN=arn:aws:backup:...   # the chosen point\naws backup get-recovery-point-restore-metadata --backup-vault-name {} --recovery-point-arn \"$RECOVERY_POINT_ARN\" --query RestoreMetadata > restore-metadata.json\n# edit restore-metadata.json: DBClusterIdentifier, DBSubnetGroupName, VpcSecurityGroupIds, KmsKeyId\naws backup start-restore-job --recovery-point-arn \"$RECOVERY_POINT_ARN\" --iam-role-arn \"$BACKUP_ROLE_ARN\" --metadata file://restore-metadata.json\naws backup describe-restore-job --restore-job-id \"$RESTORE_JOB_ID\"",
                    plan.copy_vault(),
                    plan.copy_vault()
                )),
                P(format!(
                    "The copies are kept {} days under Vault Lock; the same steps restore EBS volumes and DynamoDB tables (`--by-resource-type EBS` or `DynamoDB`). In the home region, the daily recovery points are in `{prod_vault}`.",
                    b.backup.retention_days
                )),
            ],
        },
        Runbook {
            id: "incident-declaration",
            title: s("Declare a security incident"),
            blocks: vec![
                P(s(
                    "Anyone may raise a suspected incident; the security officer declares it. A declared incident has an id, an incident lead, a scribe, and a clock.",
                )),
                H(s("Contacts")),
                contacts,
                H(s("Escalation order")),
                escalation,
                H(s("1. Declare")),
                List(vec![
                    s(
                        "Open the incident record (id `IR-YYYYMMDD-HHMM`), name the incident lead and the scribe; every action from here on is written down with its UTC time.",
                    ),
                    s(
                        "Open a private channel and a bridge line; share nothing about PHI in tickets visible outside the incident team.",
                    ),
                    format!(
                        "Accounts: management {mgmt}, security {security}, logs {}; home region `{home}`, backup copies in `{copy}`.",
                        account(a.logs.as_ref(), "logs")
                    ),
                ]),
                H(s("2. Contain and preserve evidence")),
                P(s(
                    "Use the isolation and rotation runbooks. Preserve what AWS holds before it expires:",
                )),
                Cmd(format!(
                    "DETECTOR_ID=$(aws guardduty list-detectors --query 'DetectorIds[0]' --output text --region {home})\naws guardduty list-findings --detector-id \"$DETECTOR_ID\" --region {home} --finding-criteria '{{\"Criterion\":{{\"severity\":{{\"Gte\":7}}}}}}'\naws securityhub get-findings --region {home} --filters '{{\"RecordState\":[{{\"Value\":\"ACTIVE\",\"Comparison\":\"EQUALS\"}}]}}' --max-items 100 > \"$INCIDENT_ID-securityhub.json\"\naws cloudtrail lookup-events --start-time \"$(date -u -d '-24 hours' +%Y-%m-%dT%H:%M:%SZ)\" --region {home} > \"$INCIDENT_ID-cloudtrail.json\""
                )),
                P(format!(
                    "The organization trail's files in `{}` are under Object Lock (COMPLIANCE, {} years): they cannot be altered or deleted, by anyone, for that time.",
                    plan.trail_bucket(),
                    b.log_retention_years
                )),
                H(s(
                    "3. Decide whether PHI was involved: the HIPAA breach-notification clock",
                )),
                P(s(
                    "An impermissible use or disclosure of unsecured PHI is presumed a breach unless a documented risk assessment (45 CFR 164.402) shows a low probability that the PHI was compromised. The clock starts on the day the breach is discovered, or would have been known with reasonable diligence.",
                )),
                Table(
                    vec![s("Who"), s("When"), s("Rule")],
                    vec![
                        vec![
                            s("Each affected individual"),
                            s(
                                "Without unreasonable delay, at the latest 60 calendar days after discovery",
                            ),
                            s("45 CFR 164.404"),
                        ],
                        vec![
                            s("HHS (500 or more individuals)"),
                            s("At the same time as the individuals (within 60 days)"),
                            s("45 CFR 164.408"),
                        ],
                        vec![
                            s("HHS (fewer than 500)"),
                            s(
                                "In the annual log, within 60 days after the end of the calendar year",
                            ),
                            s("45 CFR 164.408"),
                        ],
                        vec![
                            s(
                                "Prominent media (more than 500 residents of a state or jurisdiction)",
                            ),
                            s("Within 60 days after discovery"),
                            s("45 CFR 164.406"),
                        ],
                        vec![
                            s("The covered entity (when we are its business associate)"),
                            s(
                                "Without unreasonable delay, at the latest 60 days after discovery, or sooner if the BAA says so",
                            ),
                            s("45 CFR 164.410"),
                        ],
                    ],
                ),
                P(s(
                    "Encrypted PHI whose keys were not compromised is not \"unsecured PHI\": record which customer-managed KMS keys protected the data and whether they were exposed. State laws may set shorter deadlines: the privacy officer checks them.",
                )),
                H(s("4. Close")),
                List(vec![
                    s("The privacy officer decides on notification and signs the risk assessment."),
                    s(
                        "Write the post-incident review within two weeks: timeline, root cause, what the runbooks missed; update the runbooks and the review date in phiguard.toml.",
                    ),
                    s(
                        "Keep the incident record, evidence and decisions for six years (45 CFR 164.316(b)(2)).",
                    ),
                ]),
            ],
        },
        Runbook {
            id: "restore-drill",
            title: s("Quarterly restore drill"),
            blocks: vec![
                P(format!(
                    "Every quarter, prove that the backups restore, and measure how long it takes. AWS Backup's restore testing plans (`<env>_quarterly_restore`, on the first day of January, April, July and October) restore the latest recovery point of resources tagged `{}={}` and delete the copies after validation; this drill checks their results and adds a restore from the copy region that a person carries out.",
                    cfg.scope.phi_tag_key, cfg.scope.phi_tag_value
                )),
                H(s("1. Check the automated restore tests")),
                Cmd(format!(
                    "aws backup list-restore-testing-plans --region {home}\naws backup get-restore-testing-plan --restore-testing-plan-name prod_quarterly_restore --region {home}\naws backup list-restore-jobs --by-restore-testing-plan-arn \"$RESTORE_TESTING_PLAN_ARN\" --region {home} --query 'RestoreJobs[].[RestoreJobId,Status,CreationDate,CompletionDate,ValidationStatus]' --output table"
                )),
                H(format!(
                    "2. Restore one PHI resource from the copy vault in {copy}"
                )),
                P(s(
                    "Pick a different resource type each quarter (an Aurora cluster, an EBS volume, a DynamoDB table). Follow \"Fail over a database\", part C, with a target name ending in -drill, then check the data (row counts, a known record, checksums) and delete the restored resource.",
                )),
                Cmd(format!(
                    "aws backup list-recovery-points-by-backup-vault --backup-vault-name {} --region {copy} --query 'RecoveryPoints[0:5].[RecoveryPointArn,ResourceType,CreationDate]' --output table\naws backup describe-restore-job --restore-job-id \"$RESTORE_JOB_ID\" --region {copy} --query '{{Created:CreationDate,Completed:CompletionDate,Status:Status}}'",
                    plan.copy_vault()
                )),
                H(s("3. Record")),
                P(s(
                    "RTO measured: from the start of the restore job to the application reading the restored data. RPO measured: from the recovery point's creation time to the simulated loss. Compare with the targets and file this record with the incident-response documents.",
                )),
                Table(
                    vec![s("Field"), s("Value")],
                    vec![
                        vec![s("Date of the drill"), s("")],
                        vec![s("Performed by / witnessed by"), s("")],
                        vec![s("Resource and type restored"), s("")],
                        vec![s("Recovery point (ARN, creation time)"), s("")],
                        vec![
                            s("Source vault and region"),
                            format!("{} / {copy}", plan.copy_vault()),
                        ],
                        vec![s("Restore started (UTC)"), s("")],
                        vec![s("Restore completed (UTC)"), s("")],
                        vec![s("Data verified (how)"), s("")],
                        vec![s("RTO measured / target"), s("")],
                        vec![s("RPO measured / target"), s("")],
                        vec![
                            s("Automated restore tests this quarter (jobs, failures)"),
                            s(""),
                        ],
                        vec![s("Findings and follow-ups"), s("")],
                        vec![s("Signature"), s("")],
                    ],
                ),
            ],
        },
    ]
}

fn md_block(out: &mut String, b: &Block) {
    match b {
        P(t) => *out += &format!("{t}\n\n"),
        H(t) => *out += &format!("### {t}\n\n"),
        Cmd(c) => *out += &format!("```sh\n{c}\n```\n\n"),
        Steps(v) => {
            for (i, x) in v.iter().enumerate() {
                *out += &format!("{}. {x}\n", i + 1);
            }
            out.push('\n');
        }
        List(v) => {
            for x in v {
                *out += &format!("- {x}\n");
            }
            out.push('\n');
        }
        Table(h, rows) => {
            *out += &format!("| {} |\n", h.join(" | "));
            *out += &format!("|{}\n", "---|".repeat(h.len()));
            for r in rows {
                let cells: Vec<String> = r
                    .iter()
                    .map(|c| {
                        if c.is_empty() {
                            " ".into()
                        } else {
                            c.replace('|', "\\|")
                        }
                    })
                    .collect();
                *out += &format!("| {} |\n", cells.join(" | "));
            }
            out.push('\n');
        }
    }
}

fn header(cfg: &Config) -> (String, Vec<String>) {
    let b = &cfg.baseline;
    let title = format!("{}: incident-response runbooks", b.organization);
    let mut intro = vec![
        "Generated by `phiguard runbooks` from phiguard.toml. Keep this document outside AWS (an incident may take AWS access away), print it, and review it at least once a year: IR-1 reads the location and review date recorded under `[baseline.runbooks]`.".to_string(),
    ];
    if let Some(l) = &b.runbooks.location {
        intro.push(format!("Kept at: {l}"));
    }
    if let Some(d) = &b.runbooks.reviewed {
        intro.push(format!("Last reviewed: {d}"));
    }
    (title, intro)
}

pub fn markdown(cfg: &Config, books: &[Runbook]) -> String {
    let (title, intro) = header(cfg);
    let mut out = format!("# {title}\n\n");
    for p in intro {
        out += &format!("{p}\n\n");
    }
    out += "## Contents\n\n";
    for (i, r) in books.iter().enumerate() {
        out += &format!("{}. [{}](#{})\n", i + 1, r.title, r.id);
    }
    out.push('\n');
    for r in books {
        out += &format!("<a id=\"{}\"></a>\n\n## {}\n\n", r.id, r.title);
        for b in &r.blocks {
            md_block(&mut out, b);
        }
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Escaped text with `code` spans.
fn inline(s: &str) -> String {
    s.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", esc(part))
            } else {
                esc(part)
            }
        })
        .collect()
}

fn html_block(out: &mut String, b: &Block) {
    match b {
        P(t) => *out += &format!("<p>{}</p>\n", inline(t)),
        H(t) => *out += &format!("<h3>{}</h3>\n", inline(t)),
        Cmd(c) => *out += &format!("<pre><code>{}</code></pre>\n", esc(c)),
        Steps(v) => {
            *out += "<ol>\n";
            for x in v {
                *out += &format!("<li>{}</li>\n", inline(x));
            }
            *out += "</ol>\n";
        }
        List(v) => {
            *out += "<ul>\n";
            for x in v {
                *out += &format!("<li>{}</li>\n", inline(x));
            }
            *out += "</ul>\n";
        }
        Table(h, rows) => {
            *out += "<table>\n<thead><tr>";
            for c in h {
                *out += &format!("<th>{}</th>", inline(c));
            }
            *out += "</tr></thead>\n<tbody>\n";
            for r in rows {
                *out += "<tr>";
                for c in r {
                    *out += &format!("<td>{}</td>", inline(c));
                }
                *out += "</tr>\n";
            }
            *out += "</tbody>\n</table>\n";
        }
    }
}

const CSS: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#111}\
h1{font-size:1.7rem}h2{font-size:1.35rem;border-bottom:2px solid #333;padding-bottom:.2rem;margin-top:2.5rem}h3{font-size:1.05rem;margin-top:1.4rem}\
pre{background:#f4f4f4;border:1px solid #ccc;padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all;font-size:.85rem}\
code{font-family:ui-monospace,'SFMono-Regular',Menlo,Consolas,monospace}\
table{border-collapse:collapse;margin:.6rem 0;width:100%}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#eee}\
td:empty::after{content:'\\00a0';display:inline-block;min-width:12rem}\
@media print{body{margin:0;max-width:none;font-size:10.5pt}section.runbook{break-before:page}pre{break-inside:avoid}h2,h3{break-after:avoid}a{color:inherit;text-decoration:none}}";

pub fn html(cfg: &Config, books: &[Runbook]) -> String {
    let (title, intro) = header(cfg);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        esc(&title),
        esc(&title)
    );
    for p in intro {
        out += &format!("<p>{}</p>\n", inline(&p));
    }
    out += "<nav><h2>Contents</h2>\n<ol>\n";
    for r in books {
        out += &format!("<li><a href=\"#{}\">{}</a></li>\n", r.id, esc(&r.title));
    }
    out += "</ol></nav>\n";
    for r in books {
        out += &format!(
            "<section class=\"runbook\" id=\"{}\">\n<h2>{}</h2>\n",
            r.id,
            esc(&r.title)
        );
        for b in &r.blocks {
            html_block(&mut out, b);
        }
        out += "</section>\n";
    }
    out += "</body>\n</html>\n";
    out
}

/// `runbooks.md` and `runbooks.html`. The configuration must have passed
/// [`Config::runbook_errors`].
pub fn runbooks(cfg: &Config) -> Vec<File> {
    let books = build(cfg);
    debug_assert_eq!(books.len(), SCENARIOS.len());
    vec![
        File {
            path: "runbooks.md".into(),
            text: markdown(cfg, &books),
        },
        File {
            path: "runbooks.html".into(),
            text: html(cfg, &books),
        },
    ]
}
