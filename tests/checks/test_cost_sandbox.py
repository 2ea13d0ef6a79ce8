"""Cost checks end to end: scenarios seeded in the sandbox, audited through boto3 over HTTP."""

from __future__ import annotations

from datetime import date

import pytest

from wa_audit.aws import AwsSession
from wa_audit.models import Pillar, Report, Status, SuppressionRule, SuppressionState
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit
from wa_audit.sandbox.seeders.common import Subscriber
from wa_audit.sandbox.seeders.cost import (
    AnomalyMonitor,
    BillingAlarm,
    Budget,
    BudgetNotification,
    CostSection,
    Topic,
)

REGIONS = ("us-east-1", "eu-west-1")
ACCOUNT = "123456789012"
ROOT = f"arn:aws:iam::{ACCOUNT}:root"


def _audit(*check_ids: str) -> Report:
    checks = select(discover(), pillars=[Pillar.COST_OPTIMIZATION], include=list(check_ids))
    return run_audit(AwsSession(), checks, RunOptions(regions=REGIONS))


# The cost checks this file covers (other files cover the cost checks added since).
COST_CHECKS = (
    "cost.budget",
    "cost.budget-alerts",
    "cost.billing-alarm",
    "cost.anomaly-detection",
    "cost.free-tier-usage",
    "cost.unattached-volumes",
    "cost.unassociated-eips",
)


def _statuses(report: Report) -> dict[str, set[Status]]:
    found: dict[str, set[Status]] = {}
    for finding in report.findings:
        if finding.check_id not in COST_CHECKS:
            continue
        found.setdefault(finding.check_id, set()).add(finding.status)
    return found


def test_sample_account(sample_report):
    report = sample_report
    assert _statuses(report) == {
        "cost.budget": {Status.PASS},
        "cost.budget-alerts": {Status.FAIL},
        "cost.billing-alarm": {Status.FAIL},
        "cost.anomaly-detection": {Status.FAIL},
        "cost.free-tier-usage": {Status.FAIL, Status.WARN},
        # The workload leaves a detached 200 GiB gp2 volume and an idle EIP in us-east-1 only.
        "cost.unattached-volumes": {Status.FAIL, Status.PASS},
        "cost.unassociated-eips": {Status.FAIL, Status.PASS},
    }
    waste = {
        (f.check_id, f.region): f.evidence
        for f in report.findings
        if f.check_id in ("cost.unattached-volumes", "cost.unassociated-eips")
        and f.status is Status.FAIL
    }
    assert set(waste) == {
        ("cost.unattached-volumes", "us-east-1"),
        ("cost.unassociated-eips", "us-east-1"),
    }
    by_check = {f.check_id: f for f in report.findings}
    alarm = by_check["cost.billing-alarm"]
    assert alarm.resource == f"arn:aws:cloudwatch:eu-west-1:{ACCOUNT}:alarm:bill-over-300-usd"
    assert alarm.evidence["gap"] == "alarm-only-in-another-region"
    anomaly = by_check["cost.anomaly-detection"]
    assert anomaly.resource.startswith(f"arn:aws:ce::{ACCOUNT}:anomalymonitor/")
    assert "no subscriber is CONFIRMED" in anomaly.message
    alerts = by_check["cost.budget-alerts"]
    assert alerts.resource == f"arn:aws:budgets::{ACCOUNT}:budget/monthly-cost"
    free_tier = sorted(
        (f.resource, f.status) for f in report.findings if f.check_id == "cost.free-tier-usage"
    )
    assert free_tier == [
        ("Amazon Elastic Compute Cloud/USE1-BoxUsage:freetier.micro", Status.FAIL),
        ("Amazon Simple Storage Service/USE1-TimedStorage-ByteHrs", Status.WARN),
    ]
    assert report.errors == ()


def test_clean_account_passes_every_cost_check(clean_report):
    report = clean_report
    assert _statuses(report) == {
        "cost.budget": {Status.PASS},
        "cost.budget-alerts": {Status.PASS},
        "cost.billing-alarm": {Status.PASS},
        "cost.anomaly-detection": {Status.PASS},
        "cost.free-tier-usage": {Status.NOT_APPLICABLE},
        "cost.unattached-volumes": {Status.PASS},
        "cost.unassociated-eips": {Status.PASS},
    }


def _cost(**changes: object) -> CostSection:
    billing = Topic(
        name="billing",
        region="us-east-1",
        subscribers=(Subscriber(protocol="email", endpoint="f@example.com", confirmed=True),),
    )
    defaults: dict[str, object] = {
        "topics": (billing,),
        "billing_alarms": (BillingAlarm(name="bill", threshold_usd=100.0, topic="billing"),),
    }
    return CostSection.model_validate(defaults | changes)


PENDING = Topic(
    name="billing",
    region="us-east-1",
    subscribers=(Subscriber(protocol="email", endpoint="f@example.com", confirmed=False),),
)


@pytest.mark.parametrize(
    ("section", "gap"),
    [
        (_cost(billing_alarms=()), "no-alarm"),
        (
            _cost(
                topics=(PENDING.model_copy(update={"region": "eu-west-1"}),),
                billing_alarms=(
                    BillingAlarm(name="bill", region="eu-west-1", threshold_usd=1, topic="billing"),
                ),
            ),
            "alarm-only-in-another-region",
        ),
        (_cost(billing_alarms=(BillingAlarm(name="bill", threshold_usd=1),)), "no-action"),
        (
            _cost(
                billing_alarms=(
                    BillingAlarm(
                        name="bill", threshold_usd=1, topic="billing", actions_enabled=False
                    ),
                )
            ),
            "no-action",
        ),
        (_cost(topics=(PENDING,)), "topic-without-confirmed-subscriber"),
        (_cost(billing_alerts_enabled=False), "billing-metrics-not-enabled"),
        (
            _cost(billing_alarms=(BillingAlarm(name="bill", threshold_usd=1, currency=None),)),
            "alarm-not-on-total-charges",
        ),
        (
            _cost(
                billing_alarms=(
                    BillingAlarm(name="ec2", threshold_usd=1, topic="billing", service="AmazonEC2"),
                )
            ),
            "alarm-not-on-total-charges",
        ),
        (
            _cost(
                billing_alarms=(
                    BillingAlarm(name="bill", threshold_usd=1, topic="billing", currency="EUR"),
                )
            ),
            "alarm-insufficient-data",
        ),
        (_cost(), None),
    ],
)
def test_billing_alarm_each_missing_link(sandbox, section, gap):
    sandbox.seed_section("cost", section, regions=REGIONS)
    [finding] = _audit("cost.billing-alarm").findings
    assert finding.region == "global"  # account-wide, wherever the alarm was read
    if gap is None:
        assert finding.status is Status.PASS
    else:
        assert (finding.status, finding.evidence["gap"]) == (Status.FAIL, gap)


@pytest.mark.parametrize(
    ("notifications", "status"),
    [
        ((), Status.FAIL),
        (
            (BudgetNotification(type="ACTUAL", threshold_percent=80, emails=("f@example.com",)),),
            Status.WARN,
        ),
        (
            (
                BudgetNotification(type="ACTUAL", threshold_percent=80, sns_topics=("billing",)),
                BudgetNotification(
                    type="FORECASTED", threshold_percent=100, emails=("f@example.com",)
                ),
            ),
            Status.PASS,
        ),
    ],
)
def test_budget_alerts_against_the_sandbox(sandbox, notifications, status):
    budget = Budget(name="monthly", limit_usd=300.0, notifications=notifications)
    sandbox.seed_section("cost", _cost(budgets=(budget,)), regions=REGIONS)
    report = _audit("cost.budget", "cost.budget-alerts")
    assert {(f.check_id, f.status, f.resource) for f in report.findings} == {
        ("cost.budget", Status.PASS, ROOT),
        ("cost.budget-alerts", status, f"arn:aws:budgets::{ACCOUNT}:budget/monthly"),
    }


def test_idle_volume_and_elastic_ip_cost_dollars(sandbox):
    ec2 = sandbox.client("ec2", "eu-west-1")
    volume = ec2.create_volume(AvailabilityZone="eu-west-1a", Size=50, VolumeType="gp2")
    address = ec2.allocate_address(Domain="vpc")
    report = _audit("cost.unattached-volumes", "cost.unassociated-eips")
    failed = {
        (f.check_id, f.region, f.resource): f for f in report.findings if f.status is Status.FAIL
    }
    volume_arn = f"arn:aws:ec2:eu-west-1:{ACCOUNT}:volume/{volume['VolumeId']}"
    eip_arn = f"arn:aws:ec2:eu-west-1:{ACCOUNT}:elastic-ip/{address['AllocationId']}"
    assert set(failed) == {
        ("cost.unattached-volumes", "eu-west-1", volume_arn),
        ("cost.unassociated-eips", "eu-west-1", eip_arn),
    }
    assert (
        failed[("cost.unattached-volumes", "eu-west-1", volume_arn)].evidence[
            "estimated_monthly_cost_usd"
        ]
        == 5.0
    )
    assert (
        "$3.65 a month (estimate)"
        in failed[("cost.unassociated-eips", "eu-west-1", eip_arn)].message
    )
    passed = {(f.check_id, f.region) for f in report.findings if f.status is Status.PASS}
    assert passed == {
        ("cost.unattached-volumes", "us-east-1"),
        ("cost.unassociated-eips", "us-east-1"),
    }


def test_denied_budgets_errors_the_budget_checks_only(sandbox, monkeypatch):
    sandbox.seed(sandbox.scenario("sample").only("cost"))
    sandbox.enforce_iam(monkeypatch, deny=["budgets:ViewBudget"])
    report = _audit()
    statuses = _statuses(report)
    assert statuses["cost.budget"] == statuses["cost.budget-alerts"] == {Status.ERROR}
    assert statuses["cost.billing-alarm"] == {Status.FAIL}
    [error] = report.errors
    assert (error.fact, error.missing_permission, error.checks) == (
        "budgets.budgets",
        "budgets:ViewBudget",
        ("cost.budget", "cost.budget-alerts"),
    )
    budget_finding = next(f for f in report.findings if f.check_id == "cost.budget")
    assert budget_finding.message == (
        "Not assessed: budgets.budgets unavailable (access denied: grant budgets:ViewBudget)."
    )


def test_a_global_suppression_matches_the_account_wide_billing_alarm(sandbox):
    """The alarm is read in us-east-1 but speaks for the account: region "global" matches it."""
    sandbox.seed(sandbox.scenario("sample").only("cost"))
    rule = SuppressionRule(
        check="cost.billing-alarm",
        region="global",
        reason="billing is watched by the payer account",
        expires=date(2099, 1, 1),
    )
    checks = select(discover(), include=["cost.billing-alarm"])
    report = run_audit(AwsSession(), checks, RunOptions(regions=REGIONS, suppressions=(rule,)))
    [finding] = report.findings
    assert (finding.status, finding.region) == (Status.FAIL, "global")
    assert finding.suppression is not None
    assert finding.suppression.reason == "billing is watched by the payer account"
    assert [outcome.state for outcome in report.suppressions] == [SuppressionState.ACTIVE]


@pytest.mark.parametrize(("declined", "status"), [(True, Status.FAIL), (False, Status.PASS)])
def test_anomaly_subscription_counts_only_confirmed_subscribers(sandbox, declined, status):
    monitor = AnomalyMonitor(
        name="aws-services", subscription="digest", emails=("f@example.com",), declined=declined
    )
    sandbox.seed_section("cost", _cost(anomaly_monitors=(monitor,)))
    [finding] = _audit("cost.anomaly-detection").findings
    assert (finding.status, finding.best_practices) == (
        status,
        ("COST01-BP06", "COST02-BP05", "COST03-BP05"),
    )
    assert finding.resource.startswith(f"arn:aws:ce::{ACCOUNT}:anomalymonitor/")
    assert finding.evidence["subscribers"] == {
        "digest": ["EMAIL:DECLINED" if declined else "EMAIL:CONFIRMED"]
    }
