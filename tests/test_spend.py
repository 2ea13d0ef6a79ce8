"""The spend section: Cost Explorer's numbers in the Report, and an audit that goes on without them."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

import pytest

from wa_audit.aws import AwsSession
from wa_audit.console import spend_lines
from wa_audit.facts.ce import months_before
from wa_audit.models import MonthlyCost, Pillar, Report, ServiceCost, SpendSummary, Status
from wa_audit.policy import required_actions
from wa_audit.registry import discover, select
from wa_audit.runner import RunOptions, run_audit
from wa_audit.sandbox.extensions.ce import cost_explorer
from wa_audit.sandbox.seeders.cost import Budget, CostSection, ServiceSpend, daily_costs

REGIONS = ("us-east-1", "eu-west-1")
EC2 = "Amazon Elastic Compute Cloud - Compute"
RDS = "Amazon Relational Database Service"
SMALL_SERVICES = [f"Service {letter}" for letter in "ABCDE"]


def _section(**changes: object) -> CostSection:
    spend = [
        ServiceSpend(service=EC2, monthly_usd=(140.0, 150.0, 160.0), daily_usd_this_month=5.0),
        ServiceSpend(service=RDS, monthly_usd=(90.0, 90.0, 90.0), daily_usd_this_month=3.0),
        *[
            ServiceSpend(service=name, monthly_usd=(n, n, n), daily_usd_this_month=0.1)
            for n, name in enumerate(SMALL_SERVICES, start=1)
        ],
    ]
    defaults: dict[str, object] = {
        "spend": tuple(spend),
        "budgets": (
            Budget(name="small", limit_usd=100.0),
            Budget(name="monthly", limit_usd=400.0),
        ),
    }
    return CostSection.model_validate(defaults | changes)


def _audit(*, check_ids: tuple[str, ...] = ()) -> Report:
    checks = select(discover(), pillars=[Pillar.COST_OPTIMIZATION], include=list(check_ids))
    return run_audit(AwsSession(), checks, RunOptions(regions=REGIONS))


def test_spend_from_cost_explorer(sandbox):
    sandbox.seed_section("cost", _section(), regions=REGIONS)
    report = _audit()
    spend = report.spend
    assert spend is not None
    assert spend.available is True
    today = datetime.now(UTC).date()
    months = [months_before(today.replace(day=1), n).strftime("%Y-%m") for n in (3, 2, 1)]
    assert [(m.month, m.amount) for m in spend.last_months] == list(
        zip(months, [245.0, 255.0, 265.0], strict=True)
    )
    assert spend.last_months[0].by_service == (
        ServiceCost(service=EC2, amount=140.0),
        ServiceCost(service=RDS, amount=90.0),
        ServiceCost(service="Service E", amount=5.0),
        ServiceCost(service="Service D", amount=4.0),
        ServiceCost(service="Service C", amount=3.0),
    )
    assert [s.service for s in spend.top_services] == [
        EC2,
        RDS,
        "Service E",
        "Service D",
        "Service C",
    ]
    assert spend.top_services[0].amount == 450.0
    seeded: dict[date, float] = {}
    for service in _section().spend:
        for day, amount in daily_costs(service, today).items():
            seeded[day] = seeded.get(day, 0.0) + amount
    month_to_date = sum(v for d, v in seeded.items() if d >= today.replace(day=1))
    last_week = [
        seeded[today - timedelta(n)] for n in range(1, 8) if today - timedelta(n) in seeded
    ]
    days_left = calendar.monthrange(today.year, today.month)[1] - today.day + 1
    assert spend.month_to_date == round(month_to_date, 2)
    assert spend.forecast_month_end == pytest.approx(
        month_to_date + sum(last_week) / len(last_week) * days_left, abs=0.01
    )
    assert (spend.largest_budget_name, spend.largest_budget_limit) == ("monthly", 400.0)
    assert spend.forecast_vs_budget_percent == pytest.approx(
        100 * spend.forecast_month_end / 400.0, abs=0.1
    )


def test_an_audit_makes_ten_cost_explorer_requests(sandbox):
    """Cost Explorer bills each request ($0.01): every operation once per audit."""
    sandbox.seed(sandbox.scenario("sample").only("cost"))
    report = _audit()
    cost_explorer_calls = {k: v for k, v in report.api_calls.items() if k.startswith("ce:")}
    assert cost_explorer_calls == {
        "ce:GetCostAndUsage": 1,
        "ce:GetCostForecast": 1,
        "ce:GetAnomalyMonitors": 1,
        "ce:GetAnomalySubscriptions": 1,
        "ce:ListCostAllocationTags": 1,
        "ce:ListCostCategoryDefinitions": 1,
        "ce:GetSavingsPlansCoverage": 1,
        "ce:GetReservationCoverage": 1,
        "ce:GetSavingsPlansUtilization": 1,
        "ce:GetReservationUtilization": 1,
    }
    assert sum(cost_explorer_calls.values()) == 10


def test_no_cost_explorer_request_without_cost_checks(sandbox):
    sandbox.seed(sandbox.scenario("sample").only("cost"))
    checks = select(discover(), pillars=[Pillar.SECURITY])
    report = run_audit(AwsSession(), checks, RunOptions(regions=REGIONS))
    assert report.spend is None
    assert not [k for k in report.api_calls if k.startswith("ce:")]


def test_denied_cost_explorer_leaves_the_rest_of_the_audit(sandbox, monkeypatch):
    sandbox.seed(sandbox.scenario("sample").only("cost"))
    sandbox.enforce_iam(monkeypatch, deny=["ce:GetCostAndUsage"])
    report = _audit()
    assert report.spend == SpendSummary(
        available=False, reason="access denied: grant ce:GetCostAndUsage"
    )
    [error] = report.errors
    assert (error.fact, error.missing_permission, error.checks) == (
        "ce.cost_history",
        "ce:GetCostAndUsage",
        (),
    )
    assert Status.ERROR not in {f.status for f in report.findings}
    assert {f.check_id for f in report.findings if f.status is Status.FAIL} >= {
        "cost.budget-alerts",
        "cost.billing-alarm",
    }


def test_cost_explorer_not_enabled(sandbox):
    sandbox.seed_section("cost", _section(cost_explorer_enabled=False), regions=REGIONS)
    report = _audit(check_ids=("cost.budget",))
    assert report.spend is not None
    assert report.spend.available is False
    assert report.spend.reason is not None
    assert report.spend.reason.startswith("Cost Explorer is not enabled for this account")
    assert [f.status for f in report.findings] == [Status.PASS]


def test_a_new_account_has_spend_but_no_forecast(sandbox):
    sandbox.seed_section("cost", _section(spend=()), regions=REGIONS)
    spend = _audit(check_ids=("cost.budget",)).spend
    assert spend is not None
    assert (spend.available, spend.month_to_date, spend.forecast_month_end) == (True, 0.0, None)
    assert spend.forecast_vs_budget_percent is None
    assert spend.largest_budget_name == "monthly"


def test_spend_actions_join_the_policy():
    assert {"ce:GetCostAndUsage", "ce:GetCostForecast", "budgets:ViewBudget"} <= set(
        required_actions(select(discover(), include=["cost.unassociated-eips"]))
    )


def test_console_spend_lines():
    spend = SpendSummary(
        available=True,
        month_to_date=312.5,
        forecast_month_end=401.25,
        forecast_vs_budget_percent=114.6,
        last_months=(MonthlyCost(month="2026-10", amount=350.0),),
    )
    assert spend_lines(spend) == [
        "",
        "Spend: $312.50 month to date, forecast $401.25 by month end (115% of the largest monthly "
        "budget)",
        "  last months: 2026-10 $350.00",
    ]
    assert spend_lines(SpendSummary(available=False, reason="access denied: grant x")) == [
        "",
        "Spend: not available (access denied: grant x)",
    ]
    assert spend_lines(None) == []


def test_sandbox_state_holds_the_seeded_bill(sandbox):
    sandbox.seed_section("cost", _section(), regions=REGIONS)
    data = cost_explorer(sandbox.state, "123456789012")
    first = months_before(datetime.now(UTC).date().replace(day=1), 3)
    month = [d for d in data.daily_costs if (d.year, d.month) == (first.year, first.month)]
    assert sum(data.daily_costs[d][EC2] for d in month) == pytest.approx(140.0)
