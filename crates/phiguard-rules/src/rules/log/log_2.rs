use crate::util::trails::judged_trails;
use crate::{Cx, declare_rule};
use phiguard_model::{ReadWrite, Val};

declare_rule! {
    /// ### What it checks
    /// The organization trail (or every trail, when there is no organization
    /// trail) records management events, both read and write.
    ///
    /// ### Why
    /// Read events (who listed, described, got) matter as much as writes when
    /// reconstructing who accessed PHI; a trail with write-only management
    /// events cannot answer an auditor's access question.
    ///
    /// ### Sources
    /// - Live: `cloudtrail:GetEventSelectors` (basic or advanced selectors).
    /// - Terraform: `aws_cloudtrail.event_selector` (`read_write_type`, `include_management_events`)
    ///   or `advanced_event_selector`.
    /// - CloudFormation: `AWS::CloudTrail::Trail.EventSelectors` (`ReadWriteType` default `All`,
    ///   `IncludeManagementEvents` default `true`) or `AdvancedEventSelectors`
    ///   (`eventCategory = Management`, `readOnly`). A trail with no selectors records all
    ///   management events.
    pub static RULE = {
        id: "LOG-2",
        control: AuditTrails,
        severity: High,
        sources: [Live, Terraform, CloudFormation],
        reads: [Trails],
        scope: Resource,
        title: "The organization trail records read and write management events",
        remediation: "Record management events with ReadWriteType All (or an advanced selector on eventCategory Management without a readOnly filter).",
        check: check,
    }
}

fn check(cx: &mut Cx) {
    for t in judged_trails(cx.inv) {
        match &t.management_events {
            Val::Known(ReadWrite::All) => {
                cx.pass(t.rid, "the trail records read and write management events")
            }
            Val::Known(ReadWrite::ReadOnly) => {
                cx.fail(t.rid, "the trail records only read-only management events")
            }
            Val::Known(ReadWrite::WriteOnly) => {
                cx.fail(t.rid, "the trail records only write management events")
            }
            Val::Known(ReadWrite::None) => cx.fail(t.rid, "the trail records no management events"),
            Val::Unknown(r) => cx.unknown(t.rid, r.clone()),
        }
    }
}
