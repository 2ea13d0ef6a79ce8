"""The WA Tool client against the sandbox: finding workloads, and AWS's refusals as one-liners."""

from __future__ import annotations

import pytest

from wa_audit.aws import AwsSession
from wa_audit.errors import UsageError
from wa_audit.exitcodes import ExitCode
from wa_audit.wa_tool.client import WaToolClient, WaToolError, region_of, workload_id_of

REGION = "us-east-1"


def _client(max_attempts: int = 8) -> WaToolClient:
    return WaToolClient(AwsSession(max_attempts=max_attempts), REGION)


def test_finds_by_name_ignoring_spaces_and_case_or_by_arn(sandbox):
    client = _client()
    created = client.create_workload(
        "Shop Prod", "PRODUCTION", [REGION], "owner@example", "the shop"
    )
    client.create_workload("Shop Production", "PRODUCTION", [REGION], "owner@example", "other")
    assert client.find_workload("Shop Prod") == created
    # Names that no WorkloadNamePrefix of theirs would list: found all the same.
    assert client.find_workload("shopprod") == created
    assert client.find_workload("SHOP  PROD") == created
    assert client.find_workload(created.arn) == created
    assert client.find_workload("Shop") is None
    gone = created.arn[:-1] + ("0" if created.arn[-1] != "0" else "1")
    assert client.find_workload(gone) is None
    assert workload_id_of(created.arn) == created.workload_id
    assert region_of(created.arn) == REGION


def test_throttling_that_never_ends_exits_3_in_one_line(sandbox):
    client = _client(max_attempts=2)
    workload = client.create_workload("shop", "PRODUCTION", [REGION], "owner@example", "the shop")
    sandbox.state.faults.throttle("wellarchitected", "UpdateAnswer", times=10)
    with pytest.raises(WaToolError) as raised:
        client.update_answer(workload.workload_id, "securely-operate", Notes="x")
    assert raised.value.exit_code is ExitCode.INCOMPLETE
    assert "UpdateAnswer: ThrottlingException" in str(raised.value)


def test_access_denied_names_the_policy_command(sandbox, monkeypatch):
    workload = _client().create_workload("shop", "PRODUCTION", [REGION], "owner@example", "shop")
    sandbox.enforce_iam(monkeypatch, deny=["wellarchitected:UpdateAnswer"])
    with pytest.raises(WaToolError) as raised:
        _client().update_answer(workload.workload_id, "securely-operate", Notes="x")
    assert "wellarchitected:UpdateAnswer (see wa-audit policy --wa-tool)" in str(raised.value)


def test_requests_botocore_refuses_and_unknown_workloads_are_usage_errors(sandbox):
    client = _client()
    with pytest.raises(UsageError, match="not a valid Well-Architected Tool request"):
        client.create_workload("ab", "PRODUCTION", [REGION], "owner@example", "the shop")
    with pytest.raises(UsageError, match="ResourceNotFoundException"):
        client.answer("0" * 32, "securely-operate")
