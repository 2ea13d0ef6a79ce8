"""OCSF: every line is a Compliance Finding that py-ocsf-models (Prowler's models) accepts whole."""

from __future__ import annotations

import json

import pytest
from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding
from py_ocsf_models.objects.cloud import Cloud

from tests.sample_report import ROOT, sample_report
from wa_audit.reports.ocsf_format import FORMAT


def without_nulls(value):
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


@pytest.fixture(scope="module")
def events():
    text = FORMAT.render(sample_report())
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_every_line_is_a_compliance_finding_with_no_field_lost(events):
    for event in events:
        model = ComplianceFinding.model_validate(event)
        # py-ocsf-models ignores unknown fields, so compare what it kept with what we wrote.
        dumped = json.loads(model.model_dump_json(exclude_none=True))
        dumped["time_dt"] = event["time_dt"]  # the same instant, re-serialised by pydantic
        # ``cloud`` comes from the cloud profile, which the library's class does not include.
        cloud = Cloud.model_validate(event["cloud"])
        assert without_nulls(json.loads(cloud.model_dump_json())) == event["cloud"]
        assert without_nulls(dumped) == {k: v for k, v in event.items() if k != "cloud"}


def test_class_category_and_type(events):
    assert {(e["class_uid"], e["category_uid"], e["metadata"]["version"]) for e in events} == {
        (2003, 2, "1.5.0")
    }
    assert [(e["activity_id"], e["type_uid"]) for e in events] == [
        (2, 200302),  # changed since the baseline: an update
        (2, 200302),
        (1, 200301),  # new
        (1, 200301),
        (1, 200301),  # no baseline mark: created
        (1, 200301),
        (3, 200303),  # resolved and gone: closed
    ]


def test_statuses_and_compliance(events):
    mfa, accepted, warned, error, passed, not_applicable, closed = events
    assert (mfa["severity_id"], mfa["status_id"], mfa["compliance"]["status_id"]) == (5, 1, 3)
    assert mfa["compliance"]["checks"] == [
        {
            "uid": "sec.root-mfa",
            "name": "Root user has MFA",
            "severity": "Critical",
            "severity_id": 5,
            "standards": ["AWS Well-Architected Framework"],
            "status": "Fail",
            "status_id": 3,
        }
    ]
    assert mfa["compliance"]["requirements"] == ["SEC02-BP01"]
    assert mfa["compliance"]["control"] == "sec.root-mfa"
    assert mfa["resources"] == [{"uid": ROOT, "region": "global", "cloud_partition": "aws"}]
    assert mfa["cloud"]["account"]["uid"] == "123456789012"
    assert mfa["remediation"] == {
        "desc": "Fix sec.root-mfa.",
        "references": ["https://docs.example/sec.root-mfa"],
    }
    assert (accepted["status_id"], accepted["status"]) == (3, "Suppressed")
    assert accepted["comment"] == "Suppressed until 2027-01-31: Public website bucket"
    assert warned["compliance"]["status_id"] == 2
    assert error["compliance"]["status_id"] == 0
    assert passed["compliance"]["status_id"] == 1
    assert not_applicable["compliance"]["status_id"] == 99
    assert not_applicable["compliance"]["checks"][0]["status"] == "Not Applicable"
    assert (closed["status_id"], closed["status"]) == (4, "Resolved")
    assert "status_id" not in closed["compliance"]
    assert "status_id" not in closed["compliance"]["checks"][0]


def test_uid_is_stable_and_per_finding(events):
    uids = [e["finding_info"]["uid"] for e in events]
    assert len(set(uids)) == len(uids)
    again = [json.loads(line) for line in FORMAT.render(sample_report()).splitlines()]
    assert [e["finding_info"]["uid"] for e in again] == uids
    assert events[0]["time"] == 1795986900000  # 2026-11-29T21:15:00Z in milliseconds
