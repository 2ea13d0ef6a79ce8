"""EventBridge rules for AWS Health: which rules are kept, and targets read only where they matter."""

from __future__ import annotations

import json

from wa_audit.aws import AwsSession
from wa_audit.facts.events import health_rules
from wa_audit.facts.store import FactStore

REGION = "eu-west-1"


def _rule(
    events, name: str, pattern: dict | None, state: str = "ENABLED", target: str = ""
) -> None:
    if pattern is None:
        events.put_rule(Name=name, ScheduleExpression="rate(1 hour)", State=state)
    else:
        events.put_rule(Name=name, EventPattern=json.dumps(pattern), State=state)
    if target:
        events.put_targets(Rule=name, Targets=[{"Id": "t", "Arn": target}])


def test_health_rules_and_their_targets(sandbox):
    events = sandbox.client("events", REGION)
    topic = f"arn:aws:sns:{REGION}:123456789012:alerts"
    _rule(events, "health", {"source": ["aws.health"]}, target=topic)
    _rule(events, "health-off", {"source": ["aws.health"]}, state="DISABLED", target=topic)
    _rule(events, "health-typo", {"source": ["aws.health*"]}, target=topic)
    _rule(events, "ec2", {"source": ["aws.ec2"]}, target=topic)
    _rule(events, "nightly", None, target=topic)
    session = AwsSession()
    found = {r.name: r for r in FactStore(session, session.identity()).get(health_rules, REGION)}

    assert sorted(found) == ["health", "health-off", "health-typo"]
    assert [t.arn for t in found["health"].targets or ()] == [topic]
    assert found["health"].targets[0].service == "sns"
    assert (found["health-off"].enabled, found["health-off"].targets) == (False, None)
    assert (found["health-typo"].admits_health, found["health-typo"].targets) == (False, None)
    calls = session.calls.by_action()
    assert calls["events:ListRules"] == 1
    assert calls["events:ListTargetsByRule"] == 1  # only the enabled rule that admits Health
