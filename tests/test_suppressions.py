"""Suppressions: strict config entries, matching by glob, expiry that re-fails, stale entries."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.helpers import ROOT_CHECKS
from tests.sample_report import ROOT, finding
from wa_audit.config import load_config
from wa_audit.errors import ConfigError
from wa_audit.exitcodes import ExitCode, decide_exit_code
from wa_audit.models import Severity, Status, SuppressionRule, SuppressionState
from wa_audit.suppressions import SUPPRESSION_EXPIRED, apply_suppressions, validate_rules

TODAY = date(2026, 11, 29)


def rule(**values) -> SuppressionRule:
    base = {"check": "sec.root-mfa", "reason": "Break-glass account", "expires": date(2026, 12, 31)}
    return SuppressionRule(**(base | values))


def test_matching_rule_marks_the_finding_and_keeps_it():
    failing = finding("sec.root-mfa", Status.FAIL)
    result = apply_suppressions(
        [failing], [rule(resource="arn:aws:iam::*:root")], today=TODAY, checks_run={"sec.root-mfa"}
    )
    [marked] = result.findings
    assert marked.status is Status.FAIL
    assert marked.suppression is not None
    assert marked.suppression.reason == "Break-glass account"
    assert marked.suppression.expires == date(2026, 12, 31)
    assert [o.state for o in result.outcomes] == [SuppressionState.ACTIVE]
    assert result.outcomes[0].matched == 1
    assert result.checks == ()
    assert decide_exit_code(result.findings, Severity.HIGH) is ExitCode.OK


def test_resource_and_region_globs_must_both_match():
    failing = finding("sec.root-mfa", Status.FAIL)
    rules = [rule(resource="arn:aws:iam::999999999999:*"), rule(region="eu-*")]
    result = apply_suppressions([failing], rules, today=TODAY, checks_run={"sec.root-mfa"})
    assert result.findings[0].suppression is None
    assert [o.state for o in result.outcomes] == [SuppressionState.UNUSED] * 2


def test_last_day_still_applies_and_next_day_refails():
    failing = finding("sec.root-mfa", Status.FAIL)
    on_the_day = apply_suppressions(
        [failing], [rule(expires=TODAY)], today=TODAY, checks_run={"sec.root-mfa"}
    )
    assert on_the_day.findings[0].suppressed

    expired = apply_suppressions(
        [failing], [rule(expires=date(2026, 11, 28))], today=TODAY, checks_run={"sec.root-mfa"}
    )
    refailed, warning = expired.findings
    assert refailed.suppression is None
    assert decide_exit_code(expired.findings, Severity.HIGH) is ExitCode.FAILED
    assert warning.check_id == SUPPRESSION_EXPIRED.id
    assert warning.status is Status.WARN
    assert warning.resource == "suppression:sec.root-mfa:*:*"
    assert "expired on 2026-11-28" in warning.message
    assert "the 1 finding it accepted counts again" in warning.message
    assert expired.checks == (SUPPRESSION_EXPIRED,)
    assert expired.outcomes[0].state is SuppressionState.EXPIRED


def test_passing_findings_are_not_suppressed_so_the_rule_is_unused():
    passing = finding("sec.root-mfa", Status.PASS)
    result = apply_suppressions([passing], [rule()], today=TODAY, checks_run={"sec.root-mfa"})
    assert result.findings[0].suppression is None
    assert result.outcomes[0].state is SuppressionState.UNUSED


def test_rule_for_a_check_that_did_not_run_is_not_called_unused():
    result = apply_suppressions([], [rule()], today=TODAY, checks_run={"sec.root-access-keys"})
    assert result.outcomes[0].state is SuppressionState.NOT_RUN


def test_first_unexpired_rule_gives_the_reason_and_every_match_counts():
    failing = finding("sec.root-mfa", Status.FAIL)
    rules = [
        rule(reason="old", expires=date(2020, 1, 1)),
        rule(reason="current"),
        rule(reason="also"),
    ]
    result = apply_suppressions([failing], rules, today=TODAY, checks_run={"sec.root-mfa"})
    assert result.findings[0].suppression.reason == "current"
    assert [o.state for o in result.outcomes] == [
        SuppressionState.EXPIRED,
        SuppressionState.ACTIVE,
        SuppressionState.ACTIVE,
    ]


def test_unknown_check_id_suggests_the_closest():
    expected = r"suppressions\[0\]\.check: .*did you mean 'sec\.root-mfa'"
    with pytest.raises(ConfigError, match=expected):
        validate_rules([rule(check="sec.root-mfaa")], ["sec.root-mfa"])


TOML_ENTRY = """
[[suppressions]]
check = "sec.root-mfa"
resource = "{resource}"
reason = "Break-glass account"
expires = 2026-12-31
"""


def test_config_entry_loads_with_native_date(tmp_path):
    path = tmp_path / "wa-audit.toml"
    path.write_text(TOML_ENTRY.format(resource=ROOT))
    [loaded] = load_config(path).suppressions
    assert loaded.model_dump() == rule(resource=ROOT).model_dump()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('check = "sec.root-mfa"\nexpires = 2026-12-31\n', "missing key 'suppressions[0].reason'"),
        ('check = "sec.root-mfa"\nreason = "r"\n', "missing key 'suppressions[0].expires'"),
        (
            'check = "sec.root-mfa"\nreason = "r"\nexpires = 2026-12-31\nowner = "me"\n',
            "unknown key 'suppressions[0].owner'",
        ),
        (
            'check = "sec.root-mfa"\nreason = "r"\nexpires = "2026-12-31"\n',
            "bad value for 'suppressions[0].expires'",
        ),
        (
            'check = "sec.root-mfa"\nreason = " "\nexpires = 2026-12-31\n',
            "bad value for 'suppressions[0].reason'",
        ),
    ],
)
def test_bad_entries_name_the_key(tmp_path, entry, message):
    path = tmp_path / "wa-audit.toml"
    path.write_text("[[suppressions]]\n" + entry)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(f"{path}: {message}")


def _config(tmp_path, expires: str):
    path = tmp_path / "wa-audit.toml"
    path.write_text(
        TOML_ENTRY.format(resource="arn:aws:iam::*:root").replace("2026-12-31", expires)
        + '\n[[suppressions]]\ncheck = "sec.root-access-keys"\nreason = "stale"\n'
        "expires = 2099-01-01\n"
    )
    return path


def test_run_with_active_suppression_exits_0_and_keeps_the_finding(sandbox, run_cli, tmp_path):
    config = _config(tmp_path, "2099-12-31")
    out = tmp_path / "out"
    result = run_cli("run", *ROOT_CHECKS, "--config", str(config), "--output-dir", str(out))
    assert result.exit_code == ExitCode.OK, result.output
    report = json.loads((out / "results.json").read_text())
    by_check = {f["check_id"]: f for f in report["findings"]}
    assert by_check["sec.root-mfa"]["status"] == "FAIL"
    assert by_check["sec.root-mfa"]["suppression"] == {
        "reason": "Break-glass account",
        "expires": "2099-12-31",
    }
    states = [(s["rule"]["check"], s["state"], s["matched"]) for s in report["suppressions"]]
    assert states == [("sec.root-mfa", "active", 1), ("sec.root-access-keys", "unused", 0)]
    assert "Suppression matches nothing (remove it?): sec.root-access-keys * *" in result.output
    assert "Suppressed (1): still in every output, not counted." in result.output


def test_run_with_expired_suppression_refails_and_warns(sandbox, run_cli, tmp_path):
    config = _config(tmp_path, "2020-01-31")
    out = tmp_path / "out"
    result = run_cli("run", *ROOT_CHECKS, "--config", str(config), "--output-dir", str(out))
    assert result.exit_code == ExitCode.FAILED, result.output
    report = json.loads((out / "results.json").read_text())
    statuses = {(f["check_id"], f["status"], f["suppression"]) for f in report["findings"]}
    assert statuses == {
        ("sec.root-mfa", "FAIL", None),
        ("sec.root-access-keys", "PASS", None),
        ("ops.suppression-expired", "WARN", None),
    }
    assert "ops.suppression-expired" in [c["id"] for c in report["checks"]]
    assert report["suppressions"][0]["state"] == "expired"
    assert "Suppression expired on 2020-01-31: sec.root-mfa * arn:aws:iam::*:root" in result.output


def test_suppression_of_unknown_check_exits_2(sandbox, run_cli, tmp_path):
    path = tmp_path / "wa-audit.toml"
    path.write_text(TOML_ENTRY.format(resource="*").replace("sec.root-mfa", "sec.root-mfx"))
    result = run_cli("run", *ROOT_CHECKS, "--config", str(path))
    assert result.exit_code == ExitCode.USAGE
    assert "suppressions[0].check: unknown check id 'sec.root-mfx'" in result.output
