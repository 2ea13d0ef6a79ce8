"""AWS Support: the account's support plan, and ``DescribeSeverityLevels`` that reveals it.

moto has a Support backend without ``DescribeSeverityLevels``. AWS has no API that sets a plan, so
the plan lives in the sandbox's state (seeders set it). As on AWS, Basic and Developer accounts get
``SubscriptionRequiredException`` from the Support API (and from the Health API, which reads the
same plan); Business Support+ and Business answer low to urgent; Enterprise Support, Unified
Operations and Enterprise On-Ramp add critical (the plans of botocore's support model).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from werkzeug.wrappers import Response

from wa_audit.sandbox.app import Handlers
from wa_audit.sandbox.protocol import AwsRequest, error_response, json_response
from wa_audit.sandbox.state import SandboxState

handlers = Handlers(service="support", signing_name="support")

PlanName = Literal[
    "basic",
    "developer",
    "business",
    "business-support-plus",
    "enterprise-on-ramp",
    "enterprise",
    "unified-operations",
]
SUBSCRIPTION_REQUIRED = "SubscriptionRequiredException"
_WITHOUT_API: frozenset[str] = frozenset({"basic", "developer"})
_BUSINESS_LEVELS = (("low", "Low"), ("normal", "Normal"), ("high", "High"), ("urgent", "Urgent"))
_CRITICAL = (("critical", "Critical"),)
_WITH_CRITICAL: frozenset[str] = frozenset(
    {"enterprise-on-ramp", "enterprise", "unified-operations"}
)


@dataclass
class SupportSubscription:
    """A new AWS account starts on Basic support."""

    plan: PlanName = "basic"

    @property
    def has_api(self) -> bool:
        """Business and above: the Support API, the Health API, all Trusted Advisor checks."""
        return self.plan not in _WITHOUT_API


def support_subscription(state: SandboxState, account_id: str) -> SupportSubscription:
    return state.area(account_id, "support.plan", SupportSubscription)


def subscription_required(request: AwsRequest, message: str) -> Response:
    return error_response(request, SUBSCRIPTION_REQUIRED, message)


@handlers.operation("DescribeSeverityLevels")
def describe_severity_levels(request: AwsRequest, state: SandboxState) -> Response:
    subscription = support_subscription(state, request.account_id)
    if not subscription.has_api:
        return subscription_required(
            request, "AWS Premium Support Subscription is required to use this service."
        )
    levels = _BUSINESS_LEVELS + (_CRITICAL if subscription.plan in _WITH_CRITICAL else ())
    return json_response({"severityLevels": [{"code": c, "name": n} for c, n in levels]})
