"""SARIF: valid against the OASIS 2.1.0 schema, with what GitHub code scanning requires."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.sample_report import BUCKET, ROOT, sample_report
from wa_audit.reports.sarif_format import FINGERPRINT_NAME, FORMAT

SCHEMA = json.loads((Path(__file__).parent.parent / "data" / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture(scope="module")
def sarif():
    return json.loads(FORMAT.render(sample_report()))


def test_valid_against_the_sarif_schema(sarif):
    jsonschema.Draft4Validator(SCHEMA).validate(sarif)
    assert sarif["version"] == "2.1.0"


def test_schema_validation_is_not_vacuous(sarif):
    broken = json.loads(json.dumps(sarif))
    broken["runs"][0]["results"][0]["level"] = "critical"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SCHEMA).validate(broken)


def test_one_rule_per_check_with_remediation_and_wa_ids(sarif):
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["sec.root-mfa", "sec.bucket-policy", "rel.backups"]
    mfa = rules[0]
    assert mfa["help"]["text"] == "Fix sec.root-mfa."
    assert mfa["helpUri"] == "https://docs.example/sec.root-mfa"
    assert mfa["properties"]["bestPractices"] == ["SEC02-BP01"]
    assert mfa["properties"]["pillar"] == "security"
    assert mfa["properties"]["security-severity"] == "9.5"
    assert "security" in mfa["properties"]["tags"]
    assert "security-severity" not in rules[2]["properties"]  # reliability is not security


def test_results_are_the_problems_with_github_required_fields(sarif):
    run = sarif["runs"][0]
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("sec.root-mfa", "error"),
        ("sec.bucket-policy", "warning"),
        ("sec.bucket-policy", "warning"),
    ]
    rules = run["tool"]["driver"]["rules"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        [location] = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uri"]
        assert location["physicalLocation"]["region"]["startLine"] == 1
        assert len(result["partialFingerprints"][FINGERPRINT_NAME]) == 64
    mfa = results[0]
    assert mfa["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": ROOT, "kind": "resource"}
    ]
    assert mfa["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        f"aws/123456789012/global/{ROOT}"
    )
    assert mfa["baselineState"] == "updated"
    accepted = results[1]
    assert accepted["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == BUCKET
    assert accepted["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "Public website bucket (until 2027-01-31)",
        }
    ]


def test_errors_are_tool_notifications_not_results(sarif):
    [invocation] = sarif["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["descriptor"] == {"id": "rel.backups"}
    assert note["level"] == "error"


def test_fingerprint_is_stable_across_runs():
    first = json.loads(FORMAT.render(sample_report()))
    later = json.loads(FORMAT.render(sample_report(with_baseline=False)))
    assert [r["partialFingerprints"] for r in first["runs"][0]["results"]] == [
        r["partialFingerprints"] for r in later["runs"][0]["results"]
    ]
