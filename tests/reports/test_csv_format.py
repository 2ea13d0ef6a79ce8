"""CSV: one row per finding, columns in their documented order."""

from __future__ import annotations

import csv
import io
import json

from tests.sample_report import BUCKET, sample_report
from wa_audit.reports.csv_format import COLUMNS, FORMAT


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_header_is_the_documented_column_order():
    text = FORMAT.render(sample_report())
    assert text.splitlines()[0] == (
        "account_id,check_id,title,pillar,severity,status,region,resource,message,"
        "best_practices,suppressed,suppression_reason,suppression_expires,change,"
        "previous_status,evidence"
    )
    assert tuple(text.splitlines()[0].split(",")) == COLUMNS


def test_one_row_per_finding_with_every_field():
    report = sample_report()
    parsed = rows(FORMAT.render(report))
    assert len(parsed) == len(report.findings)
    assert [r["status"] for r in parsed] == [f.status.value for f in report.findings]
    mfa, accepted = parsed[0], parsed[1]
    # A FAIL's title states the failure; a check without fail_title says which goal is not met.
    assert mfa["title"] == "Not met: Root user has MFA"
    assert mfa["message"] == (
        "The root user has no MFA | anyone with its password controls the account."
    )
    assert (mfa["change"], mfa["previous_status"]) == ("changed", "PASS")
    assert mfa["suppressed"] == "false"
    assert accepted["resource"] == BUCKET
    assert (accepted["suppressed"], accepted["suppression_reason"]) == (
        "true",
        "Public website bucket",
    )
    assert accepted["suppression_expires"] == "2027-01-31"
    assert accepted["best_practices"] == "SEC02-BP01"
    assert json.loads(accepted["evidence"]) == {}


def test_message_with_newline_and_comma_survives():
    report = sample_report()
    odd = report.findings[0].model_copy(update={"message": 'line one,\nline "two"'})
    parsed = rows(FORMAT.render(report.model_copy(update={"findings": (odd,)})))
    assert parsed[0]["message"] == 'line one,\nline "two"'


def test_without_baseline_change_columns_are_empty():
    parsed = rows(FORMAT.render(sample_report(with_baseline=False)))
    assert {(r["change"], r["previous_status"]) for r in parsed} == {("", "")}
