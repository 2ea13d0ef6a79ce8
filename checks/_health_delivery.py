"""Would anyone hear of an AWS Health event? The chain from an EventBridge rule to a person.

A rule delivers Health events when it exists, is enabled, admits ``source`` ``aws.health``, has a
target, and that target reaches someone: an SNS topic with a confirmed subscription, or another
kind of target (Lambda, SQS, …) that wa-audit cannot follow further and takes on trust. Each rule
stops at its first missing link; the rule that gets furthest speaks for the region.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from wa_audit.facts.events import HEALTH_SOURCE, HealthRule, RuleTarget


class Link(IntEnum):
    """How far along the chain a rule gets, in the order the links are checked."""

    NO_RULE = 0
    DISABLED = 1
    PATTERN_MISMATCH = 2
    NO_TARGET = 3
    NO_CONFIRMED_SUBSCRIBER = 4
    DELIVERS = 5


@dataclass(frozen=True)
class RuleVerdict:
    link: Link
    message: str
    rule: HealthRule | None = None
    delivering_targets: tuple[str, ...] = field(default=())

    def evidence(self) -> dict[str, Any]:
        if self.rule is None:
            return {}
        return {
            "rule": self.rule.name,
            "rule_arn": self.rule.arn,
            "state": self.rule.state,
            "source_pattern": _source_pattern(self.rule),
            "targets": [t.arn for t in self.rule.targets or ()],
            "delivering_targets": list(self.delivering_targets),
        }


ConfirmedCount = Callable[[RuleTarget], int]
"""The number of confirmed subscriptions of an SNS topic target."""


def best_verdict(
    rules: Iterable[HealthRule], confirmed: ConfirmedCount, region: str
) -> RuleVerdict:
    """The verdict of the rule that gets furthest (the first such rule, in listing order)."""
    best = RuleVerdict(
        Link.NO_RULE,
        f"No EventBridge rule in {region} matches AWS Health events (source {HEALTH_SOURCE}).",
    )
    for rule in rules:
        verdict = rule_verdict(rule, confirmed)
        if verdict.link > best.link:
            best = verdict
    return best


def rule_verdict(rule: HealthRule, confirmed: ConfirmedCount) -> RuleVerdict:
    name = rule.name
    if not rule.enabled:
        return RuleVerdict(Link.DISABLED, f"EventBridge rule {name} is disabled.", rule)
    if not rule.admits_health:
        return RuleVerdict(
            Link.PATTERN_MISMATCH,
            f"EventBridge rule {name} does not match source {HEALTH_SOURCE}: its pattern says "
            f"{_source_pattern(rule)} (values match exactly unless a filter such as prefix or "
            "wildcard says otherwise).",
            rule,
        )
    targets = rule.targets or ()
    if not targets:
        return RuleVerdict(Link.NO_TARGET, f"EventBridge rule {name} has no target.", rule)
    delivering = tuple(t.arn for t in targets if t.service != "sns" or confirmed(t) > 0)
    if not delivering:
        topics = ", ".join(t.arn for t in targets)
        return RuleVerdict(
            Link.NO_CONFIRMED_SUBSCRIBER,
            f"EventBridge rule {name} sends AWS Health events to SNS topic {topics}, which has no "
            "confirmed subscription.",
            rule,
        )
    return RuleVerdict(
        Link.DELIVERS,
        f"EventBridge rule {name} sends AWS Health events to {_describe(targets, delivering)}.",
        rule,
        delivering,
    )


def _describe(targets: Iterable[RuleTarget], delivering: tuple[str, ...]) -> str:
    kept = [t for t in targets if t.arn in delivering]
    if any(t.service == "sns" for t in kept):
        topic = next(t for t in kept if t.service == "sns")
        return f"SNS topic {topic.arn}, which has a confirmed subscription"
    first = kept[0]
    return (
        f"a {first.service or 'non-SNS'} target ({first.arn}); wa-audit cannot see whom it notifies"
    )


def _source_pattern(rule: HealthRule) -> str:
    try:
        pattern = json.loads(rule.event_pattern)
    except ValueError:
        return rule.event_pattern
    return json.dumps(pattern.get("source")) if isinstance(pattern, dict) else rule.event_pattern
