"""CloudTrail trails: whether they log, and which management events they record."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact
from wa_audit.facts.cloudtrail_selectors import ManagementEvents, management_events

# What GetEventSelectors may answer a member account about its organization's trail, which lives
# in the management account: errors botocore's cloudtrail model lists for the operation ("Unknown
# trail ... for the user", "AccountID in ARN is wrong", not supported, not permitted) and an
# access denial. For a trail of this account each is a failure to read, not a fact.
FOREIGN_TRAIL_CODES = frozenset(
    {
        "AccessDeniedException",
        "TrailNotFoundException",
        "CloudTrailARNInvalidException",
        "UnsupportedOperationException",
        "OperationNotPermittedException",
    }
)


class Trail(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    arn: str
    home_region: str
    multi_region: bool
    log_file_validation: bool
    organization_trail: bool
    logging: bool
    include_global_service_events: bool = True
    """Optional in the model; absent, true for a multi-region trail: AWS refuses a multi-region
    trail without them (InvalidParameterCombinationException, "Multi-Region trail must include
    global service events")."""
    management_events: ManagementEvents | None = None
    """None when the selectors cannot be read: an organization trail seen from a member."""
    selectors_unread: str | None = None
    """Why ``management_events`` is None: the error GetEventSelectors answered here."""

    @property
    def owner_account(self) -> str:
        return self.arn.split(":")[4]


def _selectors(
    ctx: FetchContext, raw: dict[str, Any], home: str
) -> tuple[ManagementEvents | None, str | None]:
    """GetEventSelectors, in the trail's home region, by ARN (a name is ambiguous there); for
    another account's organization trail (as DescribeTrails says), a refusal is "not readable
    here" with its reason, not a failed fact."""
    client = ctx.client("cloudtrail", home)
    arn = raw["TrailARN"]
    foreign = arn.split(":")[4] != ctx.account_id and raw.get("IsOrganizationTrail", False)
    try:
        return management_events(client.get_event_selectors(TrailName=arn)), None
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if not foreign or code not in FOREIGN_TRAIL_CODES:
            raise
        return None, f"GetEventSelectors answered {code}: the trail is another account's"


@fact(
    "cloudtrail.trails",
    regional=False,
    permissions=[
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetTrailStatus",
        "cloudtrail:GetEventSelectors",
    ],
)
def trails(ctx: FetchContext) -> tuple[Trail, ...]:
    """The trails seen from the home region: its own, plus every multi-region and organization
    trail wherever (and by whichever account of the organization) it was created: AWS lists
    those everywhere as "shadow" trails.

    A trail's status and selectors are read in its home region with its ARN, where the trail
    lives: a shadow copy is not authoritative, and a member account must name its
    organization's trail by ARN (CloudTrail API reference, GetTrailStatus).
    """
    found = []
    for raw in ctx.client("cloudtrail").describe_trails(includeShadowTrails=True)["trailList"]:
        home = raw.get("HomeRegion", ctx.region)
        status = ctx.client("cloudtrail", home).get_trail_status(Name=raw["TrailARN"])
        events, unread = _selectors(ctx, raw, home)
        found.append(
            Trail(
                name=raw["Name"],
                arn=raw["TrailARN"],
                home_region=home,
                multi_region=raw.get("IsMultiRegionTrail", False),
                log_file_validation=raw.get("LogFileValidationEnabled", False),
                organization_trail=raw.get("IsOrganizationTrail", False),
                logging=status["IsLogging"],  # optional in the model: absent is not "off"
                include_global_service_events=raw.get(
                    "IncludeGlobalServiceEvents", raw.get("IsMultiRegionTrail", False)
                ),
                management_events=events,
                selectors_unread=unread,
            )
        )
    return tuple(found)
