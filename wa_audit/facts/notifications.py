"""AWS User Notifications configurations that notify about AWS Health events.

User Notifications is a global service homed in us-east-1; each configuration holds event rules
(a source such as ``aws.health`` and the regions it listens in, with a status per region) and the
delivery channels (e-mail contacts, chat, the console mobile app) it sends to. The service filters
by source itself (``eventRuleSource``), so only Health configurations are read further.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact
from wa_audit.facts.events import HEALTH_SOURCE

LIVE_CONFIGURATION = frozenset({"ACTIVE", "PARTIALLY_ACTIVE"})


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class NotificationConfiguration(_Model):
    arn: str
    name: str
    status: str
    active_regions: tuple[str, ...]
    """Regions where one of its ``aws.health`` event rules is ``ACTIVE``."""
    channels: tuple[str, ...]

    def delivers_in(self, region: str) -> bool:
        return (
            self.status in LIVE_CONFIGURATION
            and region in self.active_regions
            and bool(self.channels)
        )


@fact(
    "notifications.health_configurations",
    regional=False,
    permissions=[
        "notifications:ListNotificationConfigurations",
        "notifications:ListEventRules",
        "notifications:ListChannels",
    ],
)
def health_configurations(ctx: FetchContext) -> tuple[NotificationConfiguration, ...]:
    found = []
    for raw in ctx.paginate(
        "notifications",
        "list_notification_configurations",
        "notificationConfigurations",
        eventRuleSource=HEALTH_SOURCE,
    ):
        arn = raw["arn"]
        active: set[str] = set()
        for rule in ctx.paginate(
            "notifications", "list_event_rules", "eventRules", notificationConfigurationArn=arn
        ):
            if rule.get("source") != HEALTH_SOURCE:
                continue
            for region, summary in rule.get("statusSummaryByRegion", {}).items():
                if summary.get("status") == "ACTIVE":
                    active.add(region)
        channels = ctx.paginate(
            "notifications", "list_channels", "channels", notificationConfigurationArn=arn
        )
        found.append(
            NotificationConfiguration(
                arn=arn,
                name=raw["name"],
                status=raw["status"],
                active_regions=tuple(sorted(active)),
                channels=tuple(channels),
            )
        )
    return tuple(found)
