"""CloudTrail trails and whether they are logging."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class Trail(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    arn: str
    home_region: str
    multi_region: bool
    log_file_validation: bool
    organization_trail: bool
    logging: bool


@fact(
    "cloudtrail.trails",
    regional=False,
    permissions=["cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus"],
)
def trails(ctx: FetchContext) -> tuple[Trail, ...]:
    """The trails seen from the home region: its own, plus every multi-region and organization
    trail wherever it was created (AWS lists those everywhere as "shadow" trails).

    A trail's status is read in its home region, where the trail lives: a shadow copy's status is
    not authoritative, and a single-region trail elsewhere is not a shadow at all.
    """
    found = []
    for raw in ctx.client("cloudtrail").describe_trails(includeShadowTrails=True)["trailList"]:
        home = raw.get("HomeRegion", ctx.region)
        status = ctx.client("cloudtrail", home).get_trail_status(Name=raw["TrailARN"])
        found.append(
            Trail(
                name=raw["Name"],
                arn=raw["TrailARN"],
                home_region=home,
                multi_region=raw.get("IsMultiRegionTrail", False),
                log_file_validation=raw.get("LogFileValidationEnabled", False),
                organization_trail=raw.get("IsOrganizationTrail", False),
                logging=status["IsLogging"],  # optional in the model: absent is not "off"
            )
        )
    return tuple(found)
