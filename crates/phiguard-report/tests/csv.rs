//! The CSV report: RFC 4180, one row per finding, hostile text kept as data.

mod common;

use phiguard_report::{Format, Style, csv::HEADER, render};

fn rows(text: &str) -> Vec<Vec<String>> {
    let mut r = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    r.records()
        .map(|rec| {
            rec.expect("RFC 4180 record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

#[test]
fn one_row_per_finding_with_a_header() {
    let report = common::report(vec![]);
    let text = render(Format::Csv, &report, Style::default());
    let rows = rows(&text);
    assert_eq!(rows[0], HEADER);
    assert_eq!(rows.len(), report.findings.len() + 1);
    for row in &rows {
        assert_eq!(row.len(), HEADER.len(), "every record has every field");
    }
    // RFC 4180: CRLF after every record, the last one included.
    assert!(text.ends_with("\r\n"));
    assert_eq!(
        text.matches("\r\n").count(),
        rows.len() + multiline(&report)
    );
    let col = |name: &str| HEADER.iter().position(|h| *h == name).unwrap();
    let outcomes: Vec<&str> = rows[1..]
        .iter()
        .map(|r| r[col("outcome")].as_str())
        .collect();
    assert_eq!(
        outcomes,
        ["fail", "fail", "fail", "pass", "unknown", "waived"]
    );
    assert_eq!(rows[2][col("location")], "stacks/app.yaml:12");
    assert_eq!(
        rows[2][col("hipaa")],
        "164.312(a)(2)(iv); 164.312(e)(2)(ii)"
    );
    assert!(rows[6][col("waiver")].contains("sec-team"));
}

/// Line breaks inside quoted fields (none in the common report).
fn multiline(r: &phiguard_report::Report) -> usize {
    r.findings
        .iter()
        .map(|f| f.message.matches("\r\n").count())
        .sum()
}

#[test]
fn hostile_text_survives_as_data() {
    let mut report = common::report(vec![]);
    let hostile = "a,b \"c\"\r\nd\n<img src=x onerror=alert(1)>";
    report.findings[1].message = hostile.into();
    report.findings[2].message = "=HYPERLINK(\"http://x\",\"y\")".into();
    let rows = rows(&render(Format::Csv, &report, Style::default()));
    let msg = HEADER.iter().position(|h| *h == "message").unwrap();
    let name = HEADER.iter().position(|h| *h == "resource_name").unwrap();
    assert_eq!(
        rows[2][msg], hostile,
        "commas, quotes and line breaks round-trip"
    );
    assert_eq!(rows[3][name], common::ODD_NAME);
    // A formula is defused, and otherwise unchanged.
    assert_eq!(rows[3][msg], "'=HYPERLINK(\"http://x\",\"y\")");
}
