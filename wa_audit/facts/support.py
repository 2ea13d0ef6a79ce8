"""The account's AWS Support plan, read without side effects from the severity levels it may use.

There is no API that names the plan. ``DescribeSeverityLevels`` (a global API answered in the
home region, us-east-1 for the ``aws`` partition) refuses with
``SubscriptionRequiredException`` on Basic and Developer; Business offers low to urgent; Enterprise
On-Ramp and Enterprise add ``critical`` (business-critical system down).
"""

from __future__ import annotations

from enum import StrEnum

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

SUBSCRIPTION_REQUIRED = "SubscriptionRequiredException"


class SupportTier(StrEnum):
    BASIC_OR_DEVELOPER = "Basic or Developer"
    BUSINESS = "Business"
    ENTERPRISE = "Enterprise On-Ramp or Enterprise"


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
