"""cost.log-retention: log groups that never expire, or (with the parameter) keep too long."""

from __future__ import annotations

import pytest

from tests.checks.monitoring_accounts import ACCOUNT, REGION, findings
from tests.checks.sandbox_audit import assert_errors_naming
from wa_audit.facts.logs import LogGroup
from wa_audit.models import Status


def _arn(name: str) -> str:
    return f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{name}"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (None, {"/app/forever": Status.FAIL, "/app/year": Status.PASS, "/app/week": Status.PASS}),
        (
            {"max_retention_days": 90},
            {"/app/forever": Status.FAIL, "/app/year": Status.FAIL, "/app/week": Status.PASS},
        ),
    ],
)
def test_log_groups_that_never_expire_fail(sandbox, params, expected):
    logs = sandbox.client("logs")
    for name, days in (("/app/forever", None), ("/app/year", 365), ("/app/week", 7)):
        logs.create_log_group(logGroupName=name)
        if days:
            logs.put_retention_policy(logGroupName=name, retentionInDays=days)
    verdicts = {f.resource: f for f in findings("cost.log-retention", params)}
    assert {arn: f.status for arn, f in verdicts.items()} == {
        _arn(n): s for n, s in expected.items()
    }
    assert "never expires its events" in verdicts[_arn("/app/forever")].message
    assert {f.best_practices for f in verdicts.values()} == {("COST04-BP05", "SUS04-BP05")}


def test_the_delivery_class_expires_after_a_day_whatever_the_setting():
    """DescribeLogGroups, botocore's logs model: Delivery-class events are kept one day."""
    group = LogGroup(name="/aws/vendedlogs/x", arn="arn", retention_days=None, log_class="DELIVERY")
    assert group.expires
    assert not LogGroup(name="/x", arn="arn", retention_days=None).expires


def test_a_denied_read_is_an_error_naming_the_action(sandbox, monkeypatch):
    sandbox.enforce_iam(monkeypatch, deny=["logs:DescribeLogGroups"])
    assert_errors_naming(findings("cost.log-retention"), "logs:DescribeLogGroups")
