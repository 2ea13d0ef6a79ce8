"""Checks of the operational excellence pillar."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from wa_audit.checks._findings import region_resource
from wa_audit.checks._health_delivery import RuleVerdict, best_verdict
from wa_audit.context import CheckContext
from wa_audit.endpoint_data import endpoint_data
from wa_audit.facts.account import alternate_contacts
from wa_audit.facts.config import recorders
from wa_audit.facts.events import RuleTarget, health_rules
from wa_audit.facts.notifications import NotificationConfiguration, health_configurations
from wa_audit.facts.sns import subscriptions
from wa_audit.facts.support import support_plan
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check
from wa_audit.text import plural


@functools.cache
def global_events_region(partition: str) -> str | None:
    """Where AWS Health delivers its events of global services (IAM, CloudFront, Route 53): the
    region behind the partition's global Health endpoint in botocore's endpoint data (us-east-1
    in ``aws``, cn-northwest-1 in ``aws-cn``, us-gov-west-1 in ``aws-us-gov``). None where
    botocore knows no such endpoint, so the evidence says "not applicable" rather than guessing.
    """
    for data in endpoint_data()["partitions"]:
        if data["partition"] != partition:
            continue
        health = data["services"].get("health", {})
        # aws-us-gov names its global endpoint without marking it the partition endpoint.
        name = health.get("partitionEndpoint", f"{partition}-global")
        endpoint = health.get("endpoints", {}).get(name, {})
        region = endpoint.get("credentialScope", {}).get("region")
        return region if isinstance(region, str) else None
    return None


@check(
    id="ops.health-notifications",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="AWS Health events reach someone",
    fail_title="AWS Health events reach no one",
    severity=Severity.HIGH,
    best_practices=["OPS04-BP04", "OPS08-BP04", "REL11-BP06"],
    remediation=(
        "Create an EventBridge rule on the default bus of every region you use, with the pattern "
        '{"source": ["aws.health"]}, targeting an SNS topic with a confirmed subscription (or '
        "a Lambda function or queue that pages someone); or an AWS User Notifications "
        "configuration for AWS Health with a delivery channel."
    ),
    docs_url="https://docs.aws.amazon.com/health/latest/ug/cloudwatch-events-health.html",
    facts=[health_rules, subscriptions, health_configurations],
    regional=True,
)
def health_notifications(ctx: CheckContext) -> Iterator[Finding]:
    """One finding per region: Health events are delivered in the region they concern."""

    def confirmed(target: RuleTarget) -> int:
        topics = ctx.fact(subscriptions, region=target.region or ctx.region)
        return len(topics.confirmed(target.arn))

    verdict = best_verdict(ctx.fact(health_rules), confirmed, ctx.region)
    evidence: dict[str, Any] = {
        "global_events_too": _global_events_too(ctx),
        "failed_link": None,
        **verdict.evidence(),
    }
    if verdict.delivering_targets:
        yield ctx.passed(region_resource(ctx), verdict.message, evidence=evidence)
        return
    configurations = ctx.fact(health_configurations)
    evidence["user_notifications"] = [_describe(c) for c in configurations]
    delivering = [c for c in configurations if c.delivers_in(ctx.region)]
    if delivering:
        first = delivering[0]
        message = (
            f"AWS User Notifications configuration {first.name} sends AWS Health events for "
            f"{ctx.region} to {plural(len(first.channels), 'delivery channel')}."
        )
        yield ctx.passed(region_resource(ctx), message, evidence=evidence)
        return
    evidence["failed_link"] = verdict.link.name.lower()
    yield ctx.failed(region_resource(ctx), _failure_message(verdict), evidence=evidence)


def _global_events_too(ctx: CheckContext) -> bool | str:
    home = global_events_region(ctx.partition)
    if home is None:
        return f"not applicable: no known home region in the {ctx.partition} partition"
    return ctx.region == home


def _failure_message(verdict: RuleVerdict) -> str:
    return f"{verdict.message} Nobody would hear of AWS service events affecting this region."


def _describe(configuration: NotificationConfiguration) -> dict[str, Any]:
    return {
        "name": configuration.name,
        "arn": configuration.arn,
        "status": configuration.status,
        "active_regions": list(configuration.active_regions),
        "channels": len(configuration.channels),
    }


@check(
    id="ops.alternate-contacts",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="Operations and billing alternate contacts are set",
    fail_title="Operations or billing alternate contact is missing",
    severity=Severity.LOW,
    best_practices=["OPS02-BP03", "OPS10-BP04"],
    remediation=(
        "In the account settings, set the OPERATIONS and BILLING alternate contacts to team "
        "addresses (distribution lists), so AWS reaches people and not just the root mailbox."
    ),
    docs_url=(
        "https://docs.aws.amazon.com/accounts/latest/reference/"
        "manage-acct-update-contact-alternate.html"
    ),
    facts=[alternate_contacts],
)
def operations_contacts(ctx: CheckContext) -> Iterator[Finding]:
    contacts = ctx.fact(alternate_contacts)
    missing = contacts.missing("OPERATIONS", "BILLING")
    evidence = {"missing": missing, "set": sorted(t for t, c in contacts.by_type.items() if c)}
    if missing:
        yield ctx.failed(
            ctx.account_arn,
            f"No {' or '.join(missing)} alternate contact: AWS writes only to the root mailbox.",
            evidence=evidence,
        )
    else:
        yield ctx.passed(
            ctx.account_arn,
            "The OPERATIONS and BILLING alternate contacts are set.",
            evidence=evidence,
        )


@check(
    id="ops.config-recorder",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="AWS Config is recording",
    fail_title="AWS Config is not recording",
    severity=Severity.MEDIUM,
    best_practices=["OPS05-BP03"],
    remediation=(
        "Set up AWS Config in the region (a configuration recorder and a delivery channel) and "
        "start the recorder, so configuration changes are recorded and can be audited."
    ),
    docs_url="https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html",
    facts=[recorders],
    regional=True,
)
def config_recorder(ctx: CheckContext) -> Iterator[Finding]:
    found = [r for r in ctx.fact(recorders) if not r.service_linked]
    evidence = {
        "recorders": [
            {"name": r.name, "recording": r.recording, "last_status": r.last_status} for r in found
        ]
    }
    recording = [r for r in found if r.recording]
    if recording:
        message = f"AWS Config recorder {recording[0].name} is recording in {ctx.region}."
        yield ctx.passed(region_resource(ctx), message, evidence=evidence)
    elif found:
        message = f"AWS Config recorder {found[0].name} exists in {ctx.region} but is stopped."
        yield ctx.failed(region_resource(ctx), message, evidence=evidence)
    else:
        message = f"No AWS Config recorder in {ctx.region}: configuration changes go unrecorded."
        yield ctx.failed(region_resource(ctx), message, evidence=evidence)


@check(
    id="ops.support-plan",
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    title="Support plan fits production workloads",
    fail_title="Support plan is too small for production workloads",
    severity=Severity.LOW,
    best_practices=["OPS07-BP06"],
    remediation=(
        "For production workloads, subscribe to Business Support+ or above (Enterprise "
        "Support, Unified Operations): it brings the Health and Support APIs, all Trusted "
        "Advisor checks and a one-hour response for production outages."
    ),
    docs_url="https://aws.amazon.com/premiumsupport/plans/",
    facts=[support_plan],
)
def support_plan_fits(ctx: CheckContext) -> Iterator[Finding]:
    plan = ctx.fact(support_plan)
    evidence = {"plan": plan.tier.value, "severity_levels": list(plan.severity_levels)}
    if plan.has_support_api:
        yield ctx.passed(
            ctx.account_arn, f"The account's support plan is {plan.tier.value}.", evidence=evidence
        )
    else:
        yield ctx.warned(
            ctx.account_arn,
            f"The account's support plan is {plan.tier.value}: no Health API, only part of Trusted "
            "Advisor, and no fast response for production outages.",
            evidence=evidence,
        )
