"""JUnit XML: read as Jenkins and GitLab read it, and checked element by element."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from junitparser import Error, Failure, JUnitXml, Skipped

from tests.sample_report import ROOT, sample_report
from wa_audit.reports.junit_format import FORMAT


def test_structure_and_counts():
    root = ET.fromstring(FORMAT.render(sample_report()).encode())
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == (
        "6",
        "1",
        "1",
        "2",
    )
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["Security", "Reliability"]
    security = suites[0]
    assert (security.get("tests"), security.get("failures"), security.get("skipped")) == (
        "3",
        "1",
        "1",
    )
    cases = security.findall("testcase")
    assert [c.get("classname") for c in cases] == [
        "sec.root-mfa",
        "sec.bucket-policy",
        "sec.bucket-policy",
    ]
    failure = cases[0].find("failure")
    assert cases[0].get("name") == f"global: {ROOT}"
    assert failure.get("type") == "critical"
    assert "Remediation: Fix sec.root-mfa." in failure.text
    assert cases[1].find("skipped").get("message") == (
        "suppressed until 2027-01-31: Public website bucket"
    )
    assert cases[2].find("system-out").text.startswith("WARN: ")
    assert len(list(cases[2])) == 1  # a WARN passes


def test_junitparser_reads_every_outcome():
    xml = JUnitXml.fromstring(FORMAT.render(sample_report()))
    outcomes = {}
    for suite in xml:
        for case in suite:
            kinds = [type(r).__name__ for r in case.result] or ["passed"]
            outcomes[(case.classname, case.name)] = kinds[0]
    assert outcomes == {
        ("sec.root-mfa", f"global: {ROOT}"): Failure.__name__,
        ("sec.bucket-policy", "global: arn:aws:s3:::logs|bucket"): Skipped.__name__,
        ("sec.bucket-policy", "global: arn:aws:s3:::assets"): "passed",
        ("rel.backups", "eu-west-1: 123456789012/eu-west-1"): Error.__name__,
        ("rel.backups", "eu-west-1: arn:aws:rds:eu-west-1:123456789012:db:main"): "passed",
        ("rel.backups", "eu-west-1: 123456789012/eu-west-2"): Skipped.__name__,
    }


def test_control_characters_from_aws_do_not_break_the_xml():
    report = sample_report()
    odd = report.findings[0].model_copy(update={"message": "bad \x00\x1b byte & <tag>"})
    text = FORMAT.render(report.model_copy(update={"findings": (odd,)}))
    failure = ET.fromstring(text.encode()).find("testsuite/testcase/failure")
    assert failure.get("message") == "bad  byte & <tag>"
