"""The account's AWS Support plan, read without side effects from the severity levels it may use.

There is no API that names the plan. ``DescribeSeverityLevels`` (a global API answered in the
home region, us-east-1 for the ``aws`` partition) refuses with ``SubscriptionRequiredException``
without a plan that includes the Support API. AWS's plans today (botocore's support model and
https://docs.aws.amazon.com/awssupport/latest/user/about-support-api.html) are Basic, Business
Support+, Enterprise Support and Unified Operations; Developer and Business end on 2027-01-01 and
Enterprise On-Ramp moves to Enterprise Support during 2026. Basic and Developer have no Support
API; Business Support+ (and Business) offer low to urgent; Enterprise Support, Unified Operations
(and Enterprise On-Ramp) add ``critical`` (business-critical system down).
"""

from __future__ import annotations

from enum import StrEnum

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

SUBSCRIPTION_REQUIRED = "SubscriptionRequiredException"


class SupportTier(StrEnum):
    """The plans one severity-level answer cannot tell apart, named as AWS names them today."""

    BASIC_OR_DEVELOPER = "Basic or Developer"
    BUSINESS = "Business Support+ (or Business)"
    ENTERPRISE = "Enterprise Support or Unified Operations (or Enterprise On-Ramp)"


class SupportPlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    tier: SupportTier
    severity_levels: tuple[str, ...] = ()

    @property
    def has_support_api(self) -> bool:
        """The Support and Health APIs, and the full Trusted Advisor checks."""
        return self.tier is not SupportTier.BASIC_OR_DEVELOPER


def tier_from_levels(levels: tuple[str, ...]) -> SupportTier:
    return SupportTier.ENTERPRISE if "critical" in levels else SupportTier.BUSINESS


@fact("support.plan", regional=False, permissions=["support:DescribeSeverityLevels"])
def support_plan(ctx: FetchContext) -> SupportPlan:
    try:
        response = ctx.client("support").describe_severity_levels(language="en")
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != SUBSCRIPTION_REQUIRED:
            raise
        return SupportPlan(tier=SupportTier.BASIC_OR_DEVELOPER)
    levels = tuple(level["code"] for level in response["severityLevels"])
    return SupportPlan(tier=tier_from_levels(levels), severity_levels=levels)
