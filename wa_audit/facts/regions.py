"""Which regions the account can use: the default audit scope."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact

ENABLED_OPT_IN = frozenset({"opt-in-not-required", "opted-in"})


class Region(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    opt_in_status: str

    @property
    def enabled(self) -> bool:
        return self.opt_in_status in ENABLED_OPT_IN


@fact("ec2.regions", regional=False, permissions=["ec2:DescribeRegions"])
def account_regions(ctx: FetchContext) -> tuple[Region, ...]:
    response = ctx.client("ec2").describe_regions(AllRegions=True)
    regions = (
        Region(name=r["RegionName"], opt_in_status=r.get("OptInStatus", "opt-in-not-required"))
        for r in response["Regions"]
    )
    return tuple(sorted(regions, key=lambda region: region.name))
