"""EventBridge rules that could carry AWS Health events, with their targets.

AWS Health delivers to the default event bus of the region an event concerns (global events to
us-east-1), so only that bus is listed. Targets are fetched only for enabled rules whose pattern
admits Health events: one ``ListTargetsByRule`` per such rule, not per rule of the account.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.event_pattern import parse_pattern, pattern_admits
from wa_audit.facts.base import FetchContext, fact

HEALTH_SOURCE = "aws.health"
HEALTH_DETAIL_TYPES = ("AWS Health Event", "AWS Health Abuse Event")
_HEALTH_WORD = re.compile(r"health(?![a-z])")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class RuleTarget(_Model):
    id: str
    arn: str

    @property
    def service(self) -> str:
        """``sns``, ``lambda``, ``sqs`` … from the ARN (``arn:<partition>:sns:region:account:name``)."""
        parts = self.arn.split(":")
        return parts[2] if len(parts) > 2 else ""

    @property
    def region(self) -> str:
        parts = self.arn.split(":")
        return parts[3] if len(parts) > 3 else ""


class HealthRule(_Model):
    """A default-bus rule that admits Health events or whose ``source`` names them (perhaps wrongly).

    ``targets`` is None when they were not fetched (the rule is disabled or does not admit them).
    """

    name: str
    arn: str
    state: str
    event_pattern: str
    admits_health: bool
    targets: tuple[RuleTarget, ...] | None = None

    @property
    def enabled(self) -> bool:
        """``ENABLED`` or ``ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS``."""
        return self.state.startswith("ENABLED")


def admits_health_events(pattern: dict[str, Any]) -> bool:
    return any(
        pattern_admits(pattern, {"source": HEALTH_SOURCE, "detail-type": detail_type})
        for detail_type in HEALTH_DETAIL_TYPES
    )


def names_health(pattern: dict[str, Any]) -> bool:
    """The rule's ``source`` names health (not HealthLake): meant for Health events, matching or not."""
    return _HEALTH_WORD.search(json.dumps(pattern.get("source", "")).lower()) is not None


@fact(
    "events.health_rules",
    regional=True,
    permissions=["events:ListRules", "events:ListTargetsByRule"],
)
def health_rules(ctx: FetchContext) -> tuple[HealthRule, ...]:
    found = []
    for raw in ctx.paginate("events", "list_rules", "Rules"):
        pattern = parse_pattern(raw.get("EventPattern"))
        if pattern is None or raw.get("ManagedBy"):
            continue  # scheduled rules; rules other services manage (User Notifications' own)
        admits = admits_health_events(pattern)
        if not (admits or names_health(pattern)):
            continue
        rule = HealthRule(
            name=raw["Name"],
            arn=raw["Arn"],
            state=raw.get("State", "DISABLED"),
            event_pattern=raw["EventPattern"],
            admits_health=admits,
        )
        if rule.enabled and admits:
            targets = ctx.paginate("events", "list_targets_by_rule", "Targets", Rule=rule.name)
            rule = rule.model_copy(
                update={"targets": tuple(RuleTarget(id=t["Id"], arn=t["Arn"]) for t in targets)}
            )
        found.append(rule)
    return tuple(found)
