"""The one write, when its answer cannot be read or its record cannot be kept.

A request that went out and came back unreadable may have been filed: it is "unknown", sent to
``wa-audit quotas history``, recorded, and exits 3, never "refused". A folder or record file that
would stop the record being kept is refused before anything is filed (exit 2). The sandbox breaks
``RequestServiceQuotaIncrease`` as a proxy or an outage would (``wa_audit.sandbox.faults``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wa_audit.exitcodes import ExitCode
from wa_audit.sandbox.extensions.servicequotas import account

ACCOUNT = "123456789012"
REQUEST = ("quotas", "request", "ec2/L-0263D0A3", "--value", "10", "--region", "us-east-1")
ACTION = "servicequotas:RequestServiceQuotaIncrease"


@pytest.fixture
def eips_at_80(sandbox):
    ec2 = sandbox.client("ec2")
    for _ in range(4):
        ec2.allocate_address(Domain="vpc")
    yield sandbox
    sandbox.state.clear_faults()


def _filed(sandbox) -> list:
    return account(sandbox.state, ACCOUNT).requests


@pytest.mark.parametrize(
    ("breakage", "key", "filed", "why"),
    [  # filed: whether the sandbox took the request before its answer was broken
        ("garbage", None, 1, f"{ACTION}: malformed response (HTTP 200): body is not valid JSON"),
        (
            "missing-key",
            "RequestedQuota",
            1,
            f"{ACTION}: unexpected response: no 'RequestedQuota'",
        ),
        ("short-body", None, 1, f"{ACTION}: malformed response (HTTP 200): body is "),
        ("html-500", None, 0, f"{ACTION}: HTTP 500 (no AWS error code)"),
    ],
)
def test_an_unreadable_answer_to_the_write_is_an_unknown_outcome(
    eips_at_80, run_cli, tmp_path, breakage, key, filed, why
):
    """Before: "refused: could not reach AWS: …" with a whole page, and nothing recorded."""
    eips_at_80.state.faults.break_operation(
        "service-quotas", "RequestServiceQuotaIncrease", breakage, key
    )
    config = tmp_path / "wa-audit.toml"
    config.write_text("max_attempts = 2\n")  # an HTML 500 is retried: keep it short
    result = run_cli(
        *REQUEST, "--yes", "--config", str(config), "--output-dir", str(tmp_path / "out")
    )
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    [line] = [line for line in result.output.splitlines() if "ec2/L-0263D0A3 us-east-1:" in line]
    assert line.split()[0] == "unknown"
    assert f"outcome unknown ({why}" in line
    assert line.endswith(") — check `wa-audit quotas history`")
    assert "refused" not in result.output
    assert len(line) < 300
    assert len(_filed(eips_at_80)) == filed  # AWS may well have it: hence "check the history"
    [record] = json.loads((tmp_path / "out" / "quota-requests.json").read_text())
    assert (record["quota_code"], record["desired_value"]) == ("L-0263D0A3", 10)
    assert (record["status"], record["request_id"]) == ("UNKNOWN", None)


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs a read-only /sys")
def test_a_folder_that_refuses_the_record_files_nothing(eips_at_80, run_cli):
    """Before: filed the increase, then crashed writing the record (PermissionError, exit 3)."""
    result = run_cli(*REQUEST, "--yes", "--output-dir", "/sys/kernel")
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.output.splitlines()[-1] == (
        "wa-audit: error: cannot write in /sys/kernel: Permission denied"
    )
    assert _filed(eips_at_80) == []


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("{not json", "cannot read {path}: Expecting property name enclosed in double quotes"),
        ('{"a": 1}', "cannot add to {path}: it is not a JSON list of requests"),
    ],
)
def test_a_record_file_that_cannot_be_added_to_files_nothing(
    eips_at_80, run_cli, tmp_path, content, error
):
    path = tmp_path / "quota-requests.json"
    path.write_text(content)
    result = run_cli(*REQUEST, "--yes", "--output-dir", str(tmp_path))
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.output.splitlines()[-1].startswith("wa-audit: error: " + error.format(path=path))
    assert _filed(eips_at_80) == []
    assert path.read_text() == content


def test_an_output_dir_that_is_a_file_files_nothing(eips_at_80, run_cli, tmp_path):
    taken = tmp_path / "out"
    taken.write_text("")
    result = run_cli(*REQUEST, "--yes", "--output-dir", str(taken))
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.output.splitlines()[-1] == (
        f"wa-audit: error: output directory {taken} is a file, not a directory"
    )
    assert _filed(eips_at_80) == []
