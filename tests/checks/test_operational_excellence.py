"""Operational excellence checks: on facts built in the test, and end to end against the sandbox."""

from __future__ import annotations

import json

import pytest

from tests.checks.sandbox_audit import assert_errors_naming, audit
from tests.helpers import ACCOUNT_ID, run_on_facts
from wa_audit.aws import Identity
from wa_audit.checks.operational_excellence import (
    config_recorder,
    health_notifications,
    operations_contacts,
    support_plan_fits,
)
from wa_audit.facts.account import AlternateContact, AlternateContacts, alternate_contacts
from wa_audit.facts.config import ConfigRecorder, recorders
from wa_audit.facts.events import HealthRule, RuleTarget, health_rules
from wa_audit.facts.notifications import NotificationConfiguration, health_configurations
from wa_audit.facts.sns import Subscription, TopicSubscriptions, subscriptions
from wa_audit.facts.store import FactFailure
from wa_audit.facts.support import SupportPlan, SupportTier, support_plan
from wa_audit.models import Status
from wa_audit.sandbox.scenario import Scenario, SeedEnv
from wa_audit.sandbox.seeders.common import Subscriber, ensure_topic
from wa_audit.sandbox.seeders.health import HealthRuleSpec, HealthSection, UserNotificationSpec
from wa_audit.sandbox.seeders.operations import AlternateContactSpec, OperationsSection

REGION = "eu-west-1"
REGIONS = ("us-east-1", "eu-west-1")
ROOT = f"arn:aws:iam::{ACCOUNT_ID}:root"
TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:alerts"
HEALTH = json.dumps({"source": ["aws.health"]})
HEALTH_IDS = ("OPS04-BP04", "OPS08-BP04", "REL11-BP06")


def _rule(
    pattern: str = HEALTH,
    state: str = "ENABLED",
    targets: tuple[str, ...] | None = (TOPIC,),
    name: str = "health",
) -> HealthRule:
    from wa_audit.facts.events import admits_health_events

    admits = admits_health_events(json.loads(pattern))
    fetched = targets if state.startswith("ENABLED") and admits else None
    return HealthRule(
        name=name,
        arn=f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/{name}",
        state=state,
        event_pattern=pattern,
        admits_health=admits,
        targets=None
        if fetched is None
        else tuple(RuleTarget(id=str(i), arn=a) for i, a in enumerate(fetched)),
    )


def _subscribers(confirmed: bool) -> TopicSubscriptions:
    arn = f"{TOPIC}:abc" if confirmed else "PendingConfirmation"
    subscription = Subscription(
        topic_arn=TOPIC, protocol="email", endpoint="ops@example.com", subscription_arn=arn
    )
    return TopicSubscriptions(by_topic={TOPIC: (subscription,)})


def _health(rules, *, confirmed: bool = True, configurations=(), failures=None):
    return run_on_facts(
        health_notifications,
        {
            health_rules: tuple(rules),
            subscriptions: _subscribers(confirmed),
            health_configurations: tuple(configurations),
        },
        region=REGION,
        regions=(REGION,),
        failures=failures,
    )


@pytest.mark.parametrize(
    ("rules", "confirmed", "link", "words"),
    [
        ((), True, "no_rule", "No EventBridge rule in eu-west-1 matches"),
        ((_rule(state="DISABLED"),), True, "disabled", "rule health is disabled"),
        (
            (_rule(pattern=json.dumps({"source": ["aws.health*"]})),),
            True,
            "pattern_mismatch",
            'does not match source aws.health: its pattern says ["aws.health*"]',
        ),
        ((_rule(targets=()),), True, "no_target", "rule health has no target"),
        ((_rule(),), False, "no_confirmed_subscriber", "which has no confirmed subscription"),
    ],
)
def test_health_notifications_names_the_first_missing_link(rules, confirmed, link, words):
    [finding] = _health(rules, confirmed=confirmed)
    assert (finding.status, finding.region) == (Status.FAIL, REGION)
    assert finding.resource == f"{ACCOUNT_ID}/{REGION}"
    assert finding.best_practices == HEALTH_IDS
    assert finding.evidence["failed_link"] == link
    assert words in finding.message


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (_rule(), f"to SNS topic {TOPIC}, which has a confirmed subscription"),
        (
            _rule(pattern=json.dumps({"source": [{"wildcard": "aws.health*"}]})),
            "which has a confirmed subscription",
        ),
        (
            _rule(targets=(f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:page-oncall",)),
            "a lambda target",
        ),
        (
            _rule(state="ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"),
            "which has a confirmed subscription",
        ),
    ],
)
def test_health_notifications_pass(rule, words):
    [finding] = _health([rule])
    assert finding.status is Status.PASS
    assert words in finding.message
    assert finding.evidence["rule"] == "health"


def test_the_rule_that_gets_furthest_speaks_for_the_region():
    rules = [
        _rule(name="off", state="DISABLED"),
        _rule(name="typo", pattern=json.dumps({"source": ["aws.health*"]})),
        _rule(name="pending"),
    ]
    [finding] = _health(rules, confirmed=False)
    assert finding.evidence["failed_link"] == "no_confirmed_subscriber"
    assert finding.evidence["rule"] == "pending"


def _configuration(
    regions: tuple[str, ...], channels: tuple[str, ...]
) -> NotificationConfiguration:
    return NotificationConfiguration(
        arn=f"arn:aws:notifications::{ACCOUNT_ID}:configuration/abc",
        name="health-email",
        status="ACTIVE",
        active_regions=regions,
        channels=channels,
    )


def test_user_notifications_count_when_they_deliver_in_the_region():
    delivering = _configuration((REGION,), ("arn:aws:notifications-contacts::1:emailcontact/x",))
    [finding] = _health([], configurations=[delivering])
    assert finding.status is Status.PASS
    assert "User Notifications configuration health-email" in finding.message


@pytest.mark.parametrize(
    "configuration",
    [
        _configuration((REGION,), ()),
        _configuration(("us-east-1",), ("arn:aws:notifications-contacts::1:emailcontact/x",)),
    ],
)
def test_user_notifications_without_channel_or_region_do_not_count(configuration):
    [finding] = _health([], configurations=[configuration])
    assert finding.status is Status.FAIL
    assert finding.evidence["user_notifications"][0]["name"] == "health-email"


def test_a_delivering_rule_needs_no_user_notifications_permission():
    failure = FactFailure("access denied", "notifications:ListNotificationConfigurations")
    [finding] = _health([_rule()], failures={health_configurations: failure})
    assert finding.status is Status.PASS


@pytest.mark.parametrize(
    ("partition", "region", "global_events"),
    [
        ("aws", "us-east-1", True),
        ("aws", "eu-west-1", False),
        ("aws-us-gov", "us-gov-west-1", True),
        ("aws-us-gov", "us-gov-east-1", False),
        ("aws-cn", "cn-northwest-1", True),  # global.health.amazonaws.com.cn signs there
        ("aws-cn", "cn-north-1", False),
        (
            "aws-iso",
            "us-iso-east-1",
            "not applicable: no known home region in the aws-iso partition",
        ),
    ],
)
def test_health_global_events_are_expected_in_the_partitions_home_region(
    partition, region, global_events
):
    """Global services' Health events arrive where the partition's global Health endpoint is (as
    botocore's endpoint data says); a partition without one is not applicable, not us-east-1."""
    identity = Identity(
        account_id=ACCOUNT_ID, arn=f"arn:{partition}:iam::{ACCOUNT_ID}:user/a", partition=partition
    )
    [finding] = run_on_facts(
        health_notifications,
        {
            health_rules: (),
            subscriptions: TopicSubscriptions(by_topic={}),
            health_configurations: (),
        },
        region=region,
        regions=(region,),
        identity=identity,
    )
    assert (finding.status, finding.region) == (Status.FAIL, region)
    assert finding.evidence["global_events_too"] == global_events


def test_health_notifications_error_names_the_missing_permission():
    failure = FactFailure("access denied: grant events:ListRules", "events:ListRules")
    [finding] = _health([], failures={health_rules: failure})
    assert finding.status is Status.ERROR
    assert finding.evidence["missing_permission"] == "events:ListRules"


def _contact(kind: str) -> AlternateContact:
    return AlternateContact(type=kind, name="team", email=f"{kind.lower()}@example.com")


@pytest.mark.parametrize(
    ("present", "status", "words"),
    [
        (("OPERATIONS", "BILLING"), Status.PASS, "are set"),
        (("BILLING", "SECURITY"), Status.FAIL, "No OPERATIONS alternate contact"),
        ((), Status.FAIL, "No OPERATIONS or BILLING alternate contact"),
    ],
)
def test_alternate_contacts(present, status, words):
    contacts = AlternateContacts(
        by_type={t: (_contact(t) if t in present else None) for t in ("BILLING", "OPERATIONS")}
    )
    [finding] = run_on_facts(operations_contacts, {alternate_contacts: contacts})
    assert (finding.status, finding.resource, finding.region) == (status, ROOT, "global")
    assert words in finding.message
    assert finding.best_practices == ("OPS02-BP03", "OPS10-BP04")


@pytest.mark.parametrize(
    ("found", "status", "words"),
    [
        ((ConfigRecorder(name="default", recording=True),), Status.PASS, "is recording"),
        ((ConfigRecorder(name="default", recording=False),), Status.FAIL, "is stopped"),
        ((), Status.FAIL, "No AWS Config recorder"),
        (
            (ConfigRecorder(name="slr", recording=True, service_principal="x.amazonaws.com"),),
            Status.FAIL,
            "No AWS Config recorder",
        ),
    ],
)
def test_config_recorder(found, status, words):
    [finding] = run_on_facts(config_recorder, {recorders: found}, region=REGION, regions=(REGION,))
    assert (finding.status, finding.region, finding.best_practices) == (
        status,
        REGION,
        ("OPS05-BP03",),
    )
    assert words in finding.message


@pytest.mark.parametrize(
    ("tier", "status"),
    [
        (SupportTier.BASIC_OR_DEVELOPER, Status.WARN),
        (SupportTier.BUSINESS, Status.PASS),
        (SupportTier.ENTERPRISE, Status.PASS),
    ],
)
def test_support_plan(tier, status):
    [finding] = run_on_facts(support_plan_fits, {support_plan: SupportPlan(tier=tier)})
    assert (finding.status, finding.resource) == (status, ROOT)
    assert finding.evidence["plan"] == tier.value
    assert finding.best_practices == ("OPS07-BP06",)


def test_support_plans_are_named_as_aws_names_them_today():
    """botocore's support model: Business Support+, Enterprise Support, Unified Operations (the
    legacy Business and Enterprise On-Ramp still answer the same severity levels)."""
    business, enterprise = (
        run_on_facts(support_plan_fits, {support_plan: SupportPlan(tier=tier)})[0].message
        for tier in (SupportTier.BUSINESS, SupportTier.ENTERPRISE)
    )
    assert business == "The account's support plan is Business Support+ (or Business)."
    assert enterprise == (
        "The account's support plan is Enterprise Support or Unified Operations (or Enterprise "
        "On-Ramp)."
    )


# --- end to end, against the sandbox -----------------------------------------------------------


def _audit(check_ids: list[str], regions: tuple[str, ...] = REGIONS):
    return audit(check_ids, regions)


def _by_region(report) -> dict[str, object]:
    return {f.region: f for f in report.findings}


def _seed_health(sandbox, section: HealthSection, confirmed: bool = True) -> None:
    env = SeedEnv(url=sandbox.url, state=sandbox.state, regions=REGIONS)
    for region in REGIONS:
        ensure_topic(
            env,
            region,
            "alerts",
            [Subscriber(protocol="email", endpoint="ops@example.com", confirmed=confirmed)],
        )
    sandbox.seed(Scenario("test", REGIONS, {"health": section}))


def test_health_sample_shape_passes_in_us_east_1_and_fails_in_eu_west_1(sandbox):
    _seed_health(
        sandbox,
        HealthSection(rules=(HealthRuleSpec(region="us-east-1", name="h", topic="alerts"),)),
    )
    findings = _by_region(_audit(["ops.health-notifications"]))
    assert findings["us-east-1"].status is Status.PASS
    assert findings["us-east-1"].evidence["global_events_too"] is True
    assert findings["eu-west-1"].status is Status.FAIL
    assert findings["eu-west-1"].evidence["failed_link"] == "no_rule"


@pytest.mark.parametrize(
    ("rule", "confirmed", "link"),
    [
        (HealthRuleSpec(region=REGION, name="h", topic="alerts", enabled=False), True, "disabled"),
        (
            HealthRuleSpec(
                region=REGION, name="h", topic="alerts", pattern='{"source": ["aws.health*"]}'
            ),
            True,
            "pattern_mismatch",
        ),
        (HealthRuleSpec(region=REGION, name="h", topic=None), True, "no_target"),
        (HealthRuleSpec(region=REGION, name="h", topic="alerts"), False, "no_confirmed_subscriber"),
        (HealthRuleSpec(region=REGION, name="h", topic="alerts"), True, None),
        (
            HealthRuleSpec(
                region=REGION,
                name="h",
                topic="alerts",
                pattern='{"source": [{"wildcard": "aws.health*"}]}',
            ),
            True,
            None,
        ),
    ],
)
def test_health_links_against_the_sandbox(sandbox, rule, confirmed, link):
    _seed_health(sandbox, HealthSection(rules=(rule,)), confirmed=confirmed)
    [finding] = _audit(["ops.health-notifications"], regions=(REGION,)).findings
    assert finding.status is (Status.PASS if link is None else Status.FAIL)
    assert finding.evidence["failed_link"] == link


def test_user_notifications_against_the_sandbox(sandbox):
    section = HealthSection(
        user_notifications=(
            UserNotificationSpec(
                name="health-email",
                regions=(REGION,),
                channels=("arn:aws:notifications-contacts::{account_id}:emailcontact/oncall",),
            ),
        )
    )
    sandbox.seed(Scenario("test", REGIONS, {"health": section}))
    findings = _by_region(_audit(["ops.health-notifications"]))
    assert findings[REGION].status is Status.PASS
    assert findings["us-east-1"].status is Status.FAIL


CONTACT = {"name": "team", "title": "t", "email": "x@example.com", "phone": "+1-555-0100"}
OPERATIONS_IDS = ["ops.alternate-contacts", "ops.config-recorder", "ops.support-plan"]


def test_sample_operations_against_the_sandbox(sandbox):
    sample = OperationsSection(config_recorder_regions=("us-east-1",))
    sandbox.seed(Scenario("test", REGIONS, {"operations": sample}))
    got = {(f.check_id, f.region): f.status for f in _audit(OPERATIONS_IDS).findings}
    assert got == {
        ("ops.alternate-contacts", "global"): Status.FAIL,
        ("ops.config-recorder", "us-east-1"): Status.PASS,
        ("ops.config-recorder", "eu-west-1"): Status.FAIL,
        ("ops.support-plan", "global"): Status.WARN,
    }


def test_clean_operations_against_the_sandbox(sandbox):
    clean = OperationsSection(
        config_recorder_regions=REGIONS,
        support_plan="business",
        compute_optimizer_enrolled=True,
        alternate_contacts=tuple(
            AlternateContactSpec(type=kind, **CONTACT) for kind in ("OPERATIONS", "BILLING")
        ),
    )
    sandbox.seed(Scenario("test", REGIONS, {"operations": clean}))
    findings = _audit(OPERATIONS_IDS).findings
    assert len(findings) == 4
    assert {f.status for f in findings} == {Status.PASS}


@pytest.mark.parametrize(
    ("check_id", "denied"),
    [
        ("ops.health-notifications", "events:ListRules"),
        ("ops.config-recorder", "config:DescribeConfigurationRecorders"),
        ("ops.alternate-contacts", "account:GetAlternateContact"),
        ("ops.support-plan", "support:DescribeSeverityLevels"),
    ],
)
def test_access_denied_is_error_naming_the_action(sandbox, monkeypatch, check_id, denied):
    sandbox.enforce_iam(monkeypatch, deny=[denied])
    assert_errors_naming(_audit([check_id], regions=(REGION,)).findings, denied)
