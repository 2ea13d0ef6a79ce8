"""Reliability: DNS routing that steers around unhealthy endpoints."""

from __future__ import annotations

from collections.abc import Iterator

from wa_audit.context import CheckContext
from wa_audit.facts.route53 import HealthCheck, HostedZone, RecordSet, health_checks, hosted_zones
from wa_audit.models import Finding, Pillar, Severity
from wa_audit.registry import check

HEALTH_ROUTED = frozenset(
    {"failover-primary", "weighted", "multivalue", "latency", "geolocation", "geoproximity", "cidr"}
)
"""Routing whose choice among records depends on health; a secondary failover record is the last
resort and is answered whatever its health, and simple routing has one record to answer."""


def _record_id(zone: HostedZone, record: RecordSet) -> str:
    """Record sets have no ARN: the zone's id, the name, type and set identifier name one."""
    return f"hostedzone/{zone.id}/{record.name}/{record.type}/{record.set_identifier or ''}"


def _gap(record: RecordSet, checks: dict[str, HealthCheck]) -> str | None:
    if record.health_check_id:
        health_check = checks.get(record.health_check_id)
        if health_check is not None and health_check.disabled:
            return f"its health check {health_check.id} is disabled, so Route 53 counts it healthy"
        return None
    if record.evaluates_target_health:
        return None
    return "it has no health check and does not evaluate its alias target's health"


@check(
    id="rel.route53-health-checks",
    pillar=Pillar.RELIABILITY,
    title="Failover, weighted and multivalue DNS records check their endpoints' health",
    fail_title="DNS records route to endpoints whose health nobody checks",
    severity=Severity.MEDIUM,
    best_practices=["REL11-BP01", "REL13-BP05", "REL02-BP01"],
    remediation=(
        "Associate a Route 53 health check with each record of a failover (primary), weighted, "
        "latency, geolocation or multivalue set, or for an alias to a load balancer set "
        "Evaluate target health to Yes; re-enable disabled health checks."
    ),
    docs_url="https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-configuring.html",
    facts=[hosted_zones, health_checks],
)
def route53_health_checks(ctx: CheckContext) -> Iterator[Finding]:
    """Per record whose routing picks among endpoints: without health, Route 53 keeps answering
    with a dead endpoint and a failover never happens."""
    checks = ctx.fact(health_checks)
    for zone in ctx.fact(hosted_zones):
        for record in zone.records:
            if record.routing not in HEALTH_ROUTED:
                continue
            label = f"{record.name} {record.type} ({record.routing}, {record.set_identifier})"
            evidence = {
                "hosted_zone": zone.id,
                "routing": record.routing,
                "health_check_id": record.health_check_id,
                "evaluates_target_health": record.evaluates_target_health,
            }
            gap = _gap(record, checks)
            if gap:
                message = (
                    f"Record {label}: {gap}; Route 53 keeps sending users to it when it fails."
                )
                yield ctx.failed(_record_id(zone, record), message, evidence=evidence)
            else:
                yield ctx.passed(
                    _record_id(zone, record),
                    f"Record {label} is answered only while healthy.",
                    evidence=evidence,
                )
