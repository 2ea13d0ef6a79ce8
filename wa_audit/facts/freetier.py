"""AWS Free Tier: each offer's usage this month and AWS's forecast of it at month end.

``GetFreeTierUsage`` lists nothing for an account without Free Tier offers (its 12 months are over
and it uses no always-free offer, or it is a member account of an organization).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class FreeTierOffer(BaseModel):
    model_config = ConfigDict(frozen=True)

    service: str
    usage_type: str
    region: str = ""
    description: str = ""
    offer_type: str = ""
    """``12 Months Free``, ``Always Free`` or ``Free Trial``."""
    actual: float
    forecast: float
    limit: float
    unit: str = ""

    @property
    def forecast_percent(self) -> float | None:
        return 100.0 * self.forecast / self.limit if self.limit > 0 else None

    @property
    def key(self) -> str:
        """A stable name for the offer (Free Tier offers have no ARN)."""
        return f"{self.service}/{self.usage_type}"


@fact("freetier.usage", regional=False, permissions=["freetier:GetFreeTierUsage"])
def free_tier_usage(ctx: FetchContext) -> tuple[FreeTierOffer, ...]:
    return tuple(
        FreeTierOffer(
            service=raw.get("service", ""),
            usage_type=raw.get("usageType", ""),
            region=raw.get("region", ""),
            description=raw.get("description", ""),
            offer_type=raw.get("freeTierType", ""),
            actual=raw.get("actualUsageAmount", 0.0),
            forecast=raw.get("forecastedUsageAmount", 0.0),
            limit=raw.get("limit", 0.0),
            unit=raw.get("unit", ""),
        )
        for raw in ctx.paginate("freetier", "get_free_tier_usage", "freeTierUsages")
    )
