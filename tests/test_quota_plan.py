"""Planning increases: each refusal, the cap, the factor, and leaving open requests alone."""

from __future__ import annotations

from tests.quota_fixtures import quota_usage
from wa_audit.models import QuotaRequest
from wa_audit.quotas.plan import Action, plan_above, plan_request

_usage = quota_usage


def test_an_adjustable_quota_is_filed_as_asked():
    plan = plan_request(_usage(4, 5), 10)
    assert (plan.action, plan.requested, plan.current, plan.usage) == (Action.FILE, 10, 5, 4)


def test_not_above_the_current_limit_is_refused():
    plan = plan_request(_usage(4, 5), 5)
    assert plan.action is Action.REFUSED
    assert plan.reason == "5 is not above the current limit of 5"


def test_not_adjustable_is_refused_and_sent_to_the_support_center():
    """The Support API takes no limit increases (CreateCase, botocore's support model): only a
    person can, in the Support Center's form."""
    fixed = _usage(4000, 5000, adjustable=False)
    refused = plan_request(fixed, 6000)
    assert refused.action is Action.REFUSED
    assert refused.needs_support_center
    assert refused.reason == (
        "not adjustable through Service Quotas: submit a service limit increase in the Support "
        "Center (below)"
    )
    assert not plan_request(_usage(4, 5), 5).needs_support_center


def test_an_open_request_is_left_alone_and_shown():
    request = QuotaRequest(id="abc", status="CASE_OPENED", desired_value=8)
    plan = plan_request(_usage(4, 5, open_request=request), 10)
    assert plan.action is Action.ALREADY_OPEN
    assert plan.reason == "increase to 8: abc (CASE_OPENED)"


def test_requests_are_capped_at_the_documented_maximum():
    capped = plan_request(_usage(250, 300), 600, maximum=500)
    assert (capped.action, capped.requested) == (Action.FILE, 500)
    assert "capped" in capped.reason
    at_max = plan_request(_usage(450, 500), 1000, maximum=500)
    assert at_max.action is Action.REFUSED
    assert at_max.reason == "already at the documented maximum of 500"


def test_above_takes_quotas_at_or_over_the_percent_and_multiplies():
    usages = [
        _usage(4, 5),  # 80%
        _usage(14, 16, quota_code="L-1216C47A"),  # 87.5%
        _usage(1, 5, quota_code="L-F678F1CE", service_code="vpc"),  # 20%
        _usage(280, 300, quota_code="L-F4A5425F", service_code="iam", region="global"),
    ]
    plans = {p.key: p for p in plan_above(usages, 80, 2)}
    assert set(plans) == {"ec2/L-0263D0A3", "ec2/L-1216C47A", "iam/L-F4A5425F"}
    assert plans["ec2/L-0263D0A3"].requested == 10
    assert plans["ec2/L-1216C47A"].requested == 32
    assert plans["iam/L-F4A5425F"].requested == 500  # the catalog's maximum for groups
    assert plans["iam/L-F4A5425F"].api_region("us-east-1") == "us-east-1"
    assert {p.key for p in plan_above(usages, 85, 1.5)} == {"ec2/L-1216C47A", "iam/L-F4A5425F"}
