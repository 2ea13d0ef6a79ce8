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

from datetime import UTC, datetime
from enum import StrEnum

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict, field_validator

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


LIMIT_INCREASE_SERVICE = "service-limit-increase"
"""The service code of the Support Center's service limit increase cases."""


class SupportCase(BaseModel):
    """One service limit increase case, as ``DescribeCases`` answers it (no communications)."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    display_id: str | None = None
    subject: str
    status: str
    category_code: str | None = None
    created: datetime | None = None

    @field_validator("created")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        """AWS writes ``2024-01-10T18:21:32.582Z``; a time without a zone is taken as UTC."""
        return value.replace(tzinfo=UTC) if value and value.tzinfo is None else value


class LimitIncreaseCases(BaseModel):
    """The account's service limit increase cases, or that its plan has no Support API."""

    model_config = ConfigDict(frozen=True)

    cases: tuple[SupportCase, ...] = ()
    subscription_required: bool = False


@fact("support.limit_increase_cases", regional=False, permissions=["support:DescribeCases"])
def limit_increase_cases(ctx: FetchContext) -> LimitIncreaseCases:
    """Open and resolved cases of service code ``service-limit-increase`` (DescribeCases has no
    service filter, so the others are left out here); Basic and Developer plans have no Support
    API and get ``SubscriptionRequiredException``, which is a fact about the account."""
    pages = ctx.paginate(
        "support", "describe_cases", "cases", includeResolvedCases=True, includeCommunications=False
    )
    try:
        cases = tuple(
            SupportCase(
                case_id=raw["caseId"],
                display_id=raw.get("displayId"),
                subject=raw.get("subject", ""),
                status=raw.get("status", ""),
                category_code=raw.get("categoryCode"),
                created=raw.get("timeCreated"),
            )
            for raw in pages
            if raw.get("serviceCode") == LIMIT_INCREASE_SERVICE
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != SUBSCRIPTION_REQUIRED:
            raise
        return LimitIncreaseCases(subscription_required=True)
    return LimitIncreaseCases(cases=cases)
