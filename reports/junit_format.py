"""JUnit XML, as Jenkins and GitLab read it: one test case per check and resource.

``<testsuites>`` holds one ``<testsuite>`` per pillar; each finding is a ``<testcase>`` whose
``classname`` is the check id (Jenkins shows ``sec`` as the package, ``root-mfa`` as the class) and
whose ``name`` is ``<region>: <resource>``. FAIL → ``<failure>`` (``type`` = severity), ERROR →
``<error>``, suppressed or NOT_APPLICABLE → ``<skipped>`` with the reason, PASS and WARN pass (a
WARN's message goes to ``<system-out>``). Every count attribute is filled in, because some readers
trust them instead of counting.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass

from wa_audit.models import Finding, Pillar, Report, Status

# Characters XML 1.0 cannot carry at all, even escaped; they are dropped from AWS-sourced text.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def outcome(finding: Finding) -> str:
    """``failure``, ``error``, ``skipped`` or ``passed``: how a CI server should count it."""
    if finding.suppressed or finding.status is Status.NOT_APPLICABLE:
        return "skipped"
    return {Status.FAIL: "failure", Status.ERROR: "error"}.get(finding.status, "passed")


def testcase(report: Report, finding: Finding) -> ET.Element:
    case = ET.Element(
        "testcase",
        classname=finding.check_id,
        name=xml_text(f"{finding.region}: {finding.resource}"),
        time="0",
    )
    kind = outcome(finding)
    spec = report.check_spec(finding.check_id)
    if kind == "failure":
        element = ET.SubElement(
            case, "failure", message=xml_text(finding.message), type=finding.severity.value
        )
        details = [finding.message, f"Resource: {finding.resource} ({finding.region})"]
        if spec is not None:
            details += [f"Remediation: {spec.remediation}", f"Docs: {spec.docs_url}"]
        details.append("Best practices: " + ", ".join(finding.best_practices))
        element.text = xml_text("\n".join(details))
    elif kind == "error":
        ET.SubElement(case, "error", message=xml_text(finding.message), type="not-assessed")
    elif kind == "skipped":
        if finding.suppression is not None:
            reason = (
                f"suppressed until {finding.suppression.expires.isoformat()}: "
                f"{finding.suppression.reason}"
            )
        else:
            reason = f"not applicable: {finding.message}"
        ET.SubElement(case, "skipped", message=xml_text(reason))
    elif finding.status is Status.WARN:
        ET.SubElement(case, "system-out").text = xml_text(f"WARN: {finding.message}")
    return case


def _count(element: ET.Element, counts: Counter[str], total: int) -> None:
    element.set("tests", str(total))
    element.set("failures", str(counts["failure"]))
    element.set("errors", str(counts["error"]))
    element.set("skipped", str(counts["skipped"]))


def junit_tree(report: Report) -> ET.Element:
    root = ET.Element("testsuites", name="wa-audit", time=f"{report.duration_seconds:.3f}")
    all_counts: Counter[str] = Counter()
    timestamp = report.started_at.strftime("%Y-%m-%dT%H:%M:%S")
    for pillar in Pillar:
        findings = [f for f in report.findings if f.pillar is pillar]
        if not findings:
            continue
        suite = ET.SubElement(root, "testsuite", name=pillar.label, timestamp=timestamp, time="0")
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="account_id", value=report.account_id)
        ET.SubElement(properties, "property", name="pillar", value=pillar.value)
        counts = Counter(outcome(f) for f in findings)
        _count(suite, counts, len(findings))
        all_counts += counts
        for finding in findings:
            suite.append(testcase(report, finding))
    _count(root, all_counts, len(report.findings))
    return root


@dataclass(frozen=True)
class JunitFormat:
    name: str = "junit"
    suffix: str = "junit.xml"
    description: str = "JUnit XML for Jenkins and GitLab: a test case per check and resource."

    def render(self, report: Report) -> str:
        tree = junit_tree(report)
        ET.indent(tree)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree, "unicode") + "\n"


FORMAT = JunitFormat()
