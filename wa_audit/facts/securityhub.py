"""Security Hub: whether the account is subscribed, per region."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact, response_unless

# DescribeHub's answer for an account that has not enabled Security Hub in the region.
NOT_SUBSCRIBED = "InvalidAccessException"


class Hub(BaseModel):
    model_config = ConfigDict(frozen=True)

    enabled: bool
    arn: str | None = None
    subscribed_at: str | None = None
    reason: str | None = None
    """Why it counts as off."""


@fact("securityhub.hub", regional=True, permissions=["securityhub:DescribeHub"])
def hub(ctx: FetchContext) -> Hub:
    raw = response_unless({NOT_SUBSCRIBED}, ctx.client("securityhub").describe_hub)
    if raw is None:
        return Hub(enabled=False, reason=f"DescribeHub answered {NOT_SUBSCRIBED}: not subscribed")
    return Hub(enabled=True, arn=raw["HubArn"], subscribed_at=raw.get("SubscribedAt"))
