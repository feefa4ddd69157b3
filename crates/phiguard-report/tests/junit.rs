//! The JUnit report parses as XML, counts right, and escapes hostile text.

mod common;

use phiguard_report::{Format, Problem, Style, render};

fn junit(problems: Vec<Problem>) -> String {
    render(Format::Junit, &common::report(problems), Style::default())
}

fn attr<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> &'a str {
    n.attribute(name)
        .unwrap_or_else(|| panic!("{} has no {name}", n.tag_name().name()))
}

#[test]
fn counts_and_structure() {
    let xml = junit(vec![]);
    let doc = roxmltree::Document::parse(&xml).expect("JUnit output is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(attr(root, "tests"), "6");
    assert_eq!(attr(root, "failures"), "3");
    assert_eq!(attr(root, "skipped"), "2");
    assert_eq!(attr(root, "errors"), "0");

    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1, "one suite per control with findings");
    let suite = suites[0];
    assert_eq!(attr(suite, "name"), "4 · At-rest encryption");
    assert_eq!(attr(suite, "tests"), "6");
    assert_eq!(attr(suite, "failures"), "3");
    assert_eq!(attr(suite, "skipped"), "2");

    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 6);
    // The counts agree with the elements.
    let failures = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    let skipped = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("skipped")))
        .count();
    assert_eq!((failures, skipped), (3, 2));

    assert_eq!(attr(cases[0], "classname"), "ENC-1");
    assert_eq!(attr(cases[0], "name"), "estate");
    assert_eq!(attr(cases[1], "classname"), "ENC-2");
    assert_eq!(attr(cases[1], "name"), "AppBucket (stacks/app.yaml:12)");
    let failure = cases[1]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(attr(failure, "type"), "high");
    assert!(attr(failure, "message").contains("no default encryption"));

    // A pass is an empty test case.
    assert_eq!(cases[3].children().filter(|n| n.is_element()).count(), 0);
    let unknown = cases[4]
        .children()
        .find(|n| n.has_tag_name("skipped"))
        .unwrap();
    assert!(attr(unknown, "message").starts_with("unknown: the key comes from parameter"));
    let waived = cases[5]
        .children()
        .find(|n| n.has_tag_name("skipped"))
        .unwrap();
    assert!(attr(waived, "message").starts_with("waived: waived by sec-team"));
    assert!(attr(waived, "message").contains("<planned> & \"tracked\""));
}

#[test]
fn hostile_text_is_escaped() {
    let xml = junit(vec![]);
    assert!(
        !xml.contains('\u{1}'),
        "a forbidden control character reached the XML"
    );
    assert!(
        !xml.contains("<script>"),
        "markup reached the XML unescaped"
    );
    let doc = roxmltree::Document::parse(&xml).expect("well-formed despite hostile names");
    let case = doc
        .descendants()
        .find(|n| n.has_tag_name("testcase") && attr(*n, "name").starts_with("Bucket <script>"))
        .expect("the hostile test case");
    assert_eq!(
        attr(case, "name"),
        format!("Bucket <script>&\"' ✓ ({}:42)", common::ODD_FILE)
    );
    let failure = case.children().find(|n| n.has_tag_name("failure")).unwrap();
    assert_eq!(
        attr(failure, "message"),
        "hostile <script>alert('x')</script> & \"quotes\"  ✓"
    );
    let body = failure.text().unwrap();
    assert!(body.contains("hostile <script>alert('x')</script>"));
    assert!(!body.contains('\u{1}') && !body.contains('\u{7f}'));
}

#[test]
fn problems_are_errors() {
    let xml = junit(vec![Problem {
        file: "bad <1>.yaml".into(),
        line: 3,
        column: 7,
        message: "expected a mapping & more".into(),
    }]);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(attr(root, "errors"), "1");
    assert_eq!(attr(root, "tests"), "7");
    let err = doc.descendants().find(|n| n.has_tag_name("error")).unwrap();
    assert_eq!(attr(err, "message"), "expected a mapping & more");
}

#[test]
fn escaping_helpers() {
    use phiguard_report::junit::{attr, text};
    assert_eq!(
        attr("a\"b'c<d>&e\u{1}\u{b}\tf\n"),
        "a&quot;b&apos;c&lt;d&gt;&amp;e&#9;f&#10;"
    );
    assert_eq!(text("<a> & \u{0}\u{1f}\u{fffe}b"), "&lt;a&gt; &amp; b");
}
