"""A run that loses its credentials half-way keeps what it gathered and still exits 4."""

from __future__ import annotations

import json

import botocore.client
import pytest
from botocore.exceptions import ClientError

from tests.helpers import IDENTITY, ROOT_CHECKS
from wa_audit.aws import AwsSession
from wa_audit.errors import CannotAuditError
from wa_audit.exitcodes import ExitCode
from wa_audit.facts.base import fact
from wa_audit.facts.store import FactStore, FactUnavailable


@fact("test.fetched", regional=False, permissions=["test:Fetched"])
def fetched(ctx):
    return "fetched"


@fact("test.expired", regional=True, permissions=["test:Expired"])
def expired(ctx):
    raise CannotAuditError("the AWS credentials have expired: refresh them and run again")


def test_prefetch_keeps_what_was_fetched_and_marks_the_rest():
    store = FactStore(AwsSession.__new__(AwsSession), IDENTITY)
    plan = [(fetched, "us-east-1"), (expired, "us-east-1"), (expired, "eu-west-1")]
    stopped = store.prefetch(plan, workers=1)
    assert str(stopped) == "the AWS credentials have expired: refresh them and run again"
    assert store.get(fetched, "us-east-1") == "fetched"
    for region in ("us-east-1", "eu-west-1"):
        with pytest.raises(FactUnavailable) as missing:
            store.get(expired, region)
        assert missing.value.failure.reason == (
            "not fetched: the audit stopped "
            "(the AWS credentials have expired: refresh them and run again)"
        )


def test_prefetch_without_trouble_returns_none():
    store = FactStore(AwsSession.__new__(AwsSession), IDENTITY)
    assert store.prefetch([(fetched, "us-east-1")], workers=2) is None


@pytest.fixture
def credentials_expire_on(monkeypatch):
    """Make AWS answer ExpiredToken to one operation, as it does when a session runs out."""

    def expire(operation: str) -> None:
        real = botocore.client.BaseClient._make_api_call

        def call(client, name, params):
            if name == operation:
                error = {"Error": {"Code": "ExpiredToken", "Message": "The token has expired"}}
                raise ClientError(error, name)
            return real(client, name, params)

        monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", call)

    return expire


def test_results_are_written_when_credentials_expire_mid_run(
    sandbox, run_cli, tmp_path, credentials_expire_on
):
    credentials_expire_on("GetAccountSummary")
    result = run_cli(
        "run",
        *ROOT_CHECKS,
        "--region",
        "us-east-1",
        "--format",
        "json,markdown",
        "--output-dir",
        str(tmp_path),
    )
    assert result.exit_code == ExitCode.CANNOT_AUDIT
    assert (
        "wa-audit: error: the AWS credentials have expired: refresh them and run again "
        f"(partial results written to {tmp_path})"
    ) in result.output
    report = json.loads((tmp_path / "results.json").read_text())
    assert report["aborted"] == "the AWS credentials have expired: refresh them and run again"
    assert report["exit_code"] == ExitCode.CANNOT_AUDIT
    assert report["regions"] == ["us-east-1"]  # gathered before the credentials ran out
    assert {(f["check_id"], f["status"]) for f in report["findings"]} == {
        ("sec.root-mfa", "ERROR"),
        ("sec.root-access-keys", "ERROR"),
    }
    assert all("the audit stopped" in f["message"] for f in report["findings"])
    assert "**The audit stopped early**" in (tmp_path / "results.md").read_text()


def test_expiry_before_the_audit_starts_writes_nothing(
    sandbox, run_cli, tmp_path, credentials_expire_on
):
    credentials_expire_on("GetCallerIdentity")
    result = run_cli("run", *ROOT_CHECKS, "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == ExitCode.CANNOT_AUDIT
    assert not (tmp_path / "out").exists()
