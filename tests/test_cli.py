"""The CLI end to end against the sandbox: every exit code, one-line errors, files written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wa_audit.exitcodes import ExitCode


def test_version(run_cli):
    result = run_cli("--version")
    assert result.exit_code == 0
    assert "wa-audit, version" in result.output


def test_help_documents_exit_codes(run_cli):
    result = run_cli("run", "--help")
    assert "4  Could not audit at all" in result.output


def test_fail_on_critical_finding_exits_1_and_writes_results(sandbox, run_cli, tmp_path):
    result = run_cli("run", "--region", "us-east-1", "--output-dir", str(tmp_path))
    assert result.exit_code == ExitCode.FAILED, result.output
    report = json.loads((tmp_path / "results.json").read_text())
    by_check = {f["check_id"]: f for f in report["findings"]}
    assert by_check["sec.root-mfa"]["status"] == "FAIL"
    assert by_check["sec.root-mfa"]["resource"] == "arn:aws:iam::123456789012:root"
    assert by_check["sec.root-access-keys"]["status"] == "PASS"
    assert report["account_id"] == "123456789012"
    assert report["regions"] == ["us-east-1"]
    assert report["exit_code"] == 1
    assert "Top failures (" in result.output


def test_passing_selection_exits_0(sandbox, run_cli, tmp_path):
    result = run_cli(
        "run",
        "--check",
        "sec.root-access-keys",
        "--region",
        "us-east-1",
        "--output-dir",
        str(tmp_path),
    )
    assert result.exit_code == ExitCode.OK, result.output


def test_fail_on_never_exits_0_despite_failures(sandbox, run_cli, tmp_path):
    result = run_cli(
        "run", "--fail-on", "never", "--region", "us-east-1", "--output-dir", str(tmp_path)
    )
    assert result.exit_code == ExitCode.OK


def test_access_denied_on_one_fact_exits_3(sandbox, run_cli, tmp_path, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["iam:GetAccountSummary"])
    readers = ("--check", "sec.root-mfa", "--check", "sec.root-access-keys")
    result = run_cli("run", *readers, "--region", "us-east-1", "--output-dir", str(tmp_path))
    assert result.exit_code == ExitCode.INCOMPLETE, result.output
    report = json.loads((tmp_path / "results.json").read_text())
    assert {f["status"] for f in report["findings"]} == {"ERROR"}
    assert report["errors"][0]["missing_permission"] == "iam:GetAccountSummary"
    assert "grant iam:GetAccountSummary" in report["findings"][0]["message"]


def test_unknown_check_suggests_closest(sandbox, run_cli):
    result = run_cli("run", "--check", "sec.root-mfaa")
    assert result.exit_code == ExitCode.USAGE
    assert "unknown check id 'sec.root-mfaa' (did you mean 'sec.root-mfa'?)" in result.output


def test_bad_flag_exits_2(run_cli):
    result = run_cli("run", "--fail-on", "sometimes")
    assert result.exit_code == ExitCode.USAGE


def test_unknown_config_key_exits_2(sandbox, run_cli, tmp_path):
    config = tmp_path / "wa-audit.toml"
    config.write_text('regions = ["us-east-1"]\nfail_onn = "low"\n')
    result = run_cli("run", "--config", str(config))
    assert result.exit_code == ExitCode.USAGE
    assert result.output.strip() == f"wa-audit: error: {config}: unknown key 'fail_onn'"


def test_unknown_region_exits_2(sandbox, run_cli):
    result = run_cli("run", "--region", "us-east-7")
    assert result.exit_code == ExitCode.USAGE
    assert "unknown region 'us-east-7'" in result.output


def _wa_audit(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wa_audit", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def _clean_env(tmp_path: Path) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_DEFAULT_REGION": "us-east-1",
    }


def test_no_credentials_exits_4_with_one_line(tmp_path):
    result = _wa_audit(_clean_env(tmp_path), "run", "--output-dir", str(tmp_path))
    assert result.returncode == ExitCode.CANNOT_AUDIT
    # What it set out to do (stderr is a pipe here), then the error on one line.
    said, error = result.stderr.strip().splitlines()
    assert said == "wa-audit: Identifying the account and its regions…"
    assert error.startswith("wa-audit: error: no AWS credentials found")
    assert "Traceback" not in result.stderr


def test_unreachable_endpoint_exits_4(tmp_path):
    env = _clean_env(tmp_path) | {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",  # discard port: nothing listens
    }
    result = _wa_audit(env, "run", "--output-dir", str(tmp_path))
    assert result.returncode == ExitCode.CANNOT_AUDIT
    assert "cannot reach the AWS endpoint" in result.stderr
    assert "Traceback" not in result.stderr


def test_profile_not_found_exits_2(tmp_path):
    result = _wa_audit(_clean_env(tmp_path), "run", "--profile", "nope")
    assert result.returncode == ExitCode.USAGE
    assert "AWS profile 'nope' not found" in result.stderr


@pytest.mark.parametrize("command", ["checks", "policy", "schema"])
def test_offline_commands_succeed(run_cli, command):
    assert run_cli(command).exit_code == 0


def test_account_alias_heads_the_report(sandbox, run_cli, tmp_path):
    sandbox.client("iam").create_account_alias(AccountAlias="mublog-prod")
    run_cli(
        "run", "--check", "sec.root-mfa", "--region", "us-east-1", "--output-dir", str(tmp_path)
    )
    report = json.loads((tmp_path / "results.json").read_text())
    assert report["account_alias"] == "mublog-prod"
    assert '<span class="alias">mublog-prod</span>' in (tmp_path / "results.html").read_text()


def test_account_without_alias(sandbox, run_cli, tmp_path):
    run_cli(
        "run", "--check", "sec.root-mfa", "--region", "us-east-1", "--output-dir", str(tmp_path)
    )
    assert json.loads((tmp_path / "results.json").read_text())["account_alias"] is None
