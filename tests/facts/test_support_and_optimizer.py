"""The support plan from severity levels, and Compute Optimizer enrollment."""

from __future__ import annotations

import pytest

from wa_audit.aws import AwsSession
from wa_audit.facts.compute_optimizer import enrollment
from wa_audit.facts.store import FactStore
from wa_audit.facts.support import SupportTier, support_plan
from wa_audit.sandbox.extensions.support import support_subscription


def _store() -> FactStore:
    session = AwsSession()
    return FactStore(session, session.identity())


@pytest.mark.parametrize(
    ("plan", "tier"),
    [
        ("basic", SupportTier.BASIC_OR_DEVELOPER),
        ("developer", SupportTier.BASIC_OR_DEVELOPER),
        ("business", SupportTier.BUSINESS),
        ("business-support-plus", SupportTier.BUSINESS),
        ("enterprise-on-ramp", SupportTier.ENTERPRISE),
        ("enterprise", SupportTier.ENTERPRISE),
        ("unified-operations", SupportTier.ENTERPRISE),
    ],
)
def test_support_tier(sandbox, plan, tier):
    support_subscription(sandbox.state, "123456789012").plan = plan
    found = _store().get(support_plan, "eu-west-1")
    assert found.tier is tier
    assert found.has_support_api is (tier is not SupportTier.BASIC_OR_DEVELOPER)


def test_enrollment(sandbox):
    assert _store().get(enrollment, "us-east-1").enrolled is False
    sandbox.client("compute-optimizer").update_enrollment_status(status="Active")
    found = _store().get(enrollment, "us-east-1")
    assert (found.enrolled, found.status) == (True, "Active")
    assert found.last_updated is not None
