"""What AWS does to a long audit: throttling, opt-in regions, expired credentials."""

from __future__ import annotations

import json

import boto3
from botocore.stub import Stubber

from wa_audit.aws import AwsSession
from wa_audit.exitcodes import ExitCode
from wa_audit.models import Status
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit


def test_throttled_calls_are_retried(sandbox):
    sandbox.state.faults.throttle("iam", "GetAccountSummary", times=2)
    report = run_audit(
        AwsSession(),
        select(discover(), include=["sec.root-mfa"]),
        RunOptions(regions=("us-east-1",)),
    )
    [finding] = report.findings
    assert finding.status is Status.FAIL  # assessed, not ERROR: the third attempt got through
    assert report.api_calls["iam:GetAccountSummary"] == 1  # one operation, retried inside botocore
    assert sandbox.state.faults.throttles[("iam", "GetAccountSummary")] == 0


def test_throttling_that_never_ends_is_an_error_not_a_crash(sandbox):
    sandbox.state.faults.throttle("iam", "GetAccountSummary", times=100)
    report = run_audit(
        AwsSession(max_attempts=3),
        select(discover(), include=["sec.root-mfa"]),
        RunOptions(regions=("us-east-1",)),
    )
    [finding] = report.findings
    assert finding.status is Status.ERROR
    assert "throttled by AWS on iam:GetAccountSummary" in finding.message


def test_opt_in_region_not_enabled_is_skipped_with_a_note(sandbox, run_cli, tmp_path):
    result = run_cli(
        "run", "--region", "us-east-1", "--region", "ap-east-1", "--output-dir", str(tmp_path)
    )
    report = json.loads((tmp_path / "results.json").read_text())
    assert report["regions"] == ["us-east-1"]
    assert report["skipped_regions"] == [
        {"region": "ap-east-1", "reason": "opt-in region not enabled for this account"}
    ]
    assert "Skipped region ap-east-1" in result.output


def test_default_scope_is_the_enabled_regions_of_the_partition(sandbox):
    report = run_audit(AwsSession(), select(discover(), include=["sec.root-mfa"]), RunOptions())
    assert "us-east-1" in report.regions
    assert "ap-east-1" not in report.regions  # opt-in, not enabled
    assert not any(r.startswith(("cn-", "us-gov-")) for r in report.regions)  # other partitions


def test_expired_credentials_exit_4(run_cli, monkeypatch, tmp_path):
    """Stubber: no double issues expired STS tokens, so the error is stubbed at the client."""
    stubbed = boto3.client(
        "sts", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    stubber = Stubber(stubbed)
    stubber.add_client_error(
        "get_caller_identity",
        service_error_code="ExpiredToken",
        service_message="The security token included in the request is expired",
    )
    stubber.activate()
    monkeypatch.setattr(AwsSession, "_new_client", lambda self, service, region, config: stubbed)
    result = run_cli("run", "--output-dir", str(tmp_path))
    assert result.exit_code == ExitCode.CANNOT_AUDIT
    assert result.stderr == (
        "wa-audit: Identifying the account and its regions…\n"
        "wa-audit: error: the AWS credentials have expired: refresh them and run again\n"
    )
