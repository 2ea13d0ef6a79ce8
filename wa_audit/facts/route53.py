"""Route 53 facts: hosted zones with their record sets, and health checks. Route 53 is global.

Records are read per hosted zone (ListResourceRecordSets takes one zone; no call lists the records
of every zone). A record answers for an endpoint's health when it names a health check
(``HealthCheckId``) or is an alias that evaluates its target's health (``EvaluateTargetHealth``):
https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from wa_audit.facts.base import FetchContext, fact


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class RecordSet(_Model):
    name: str
    type: str
    set_identifier: str | None = None
    routing: str = "simple"
    """simple, failover-primary, failover-secondary, weighted, multivalue, latency,
    geolocation, geoproximity or cidr."""
    health_check_id: str | None = None
    evaluates_target_health: bool = False
    alias_target: str | None = None


class HostedZone(_Model):
    id: str
    """Without the ``/hostedzone/`` prefix."""
    name: str
    private: bool
    records: tuple[RecordSet, ...]


class HealthCheck(_Model):
    id: str
    type: str
    disabled: bool = False
    """A disabled health check is considered healthy by Route 53, whatever the endpoint does."""


def _routing(raw: dict[str, Any]) -> str:
    if "Failover" in raw:
        return f"failover-{raw['Failover'].lower()}"
    for key, name in (
        ("Weight", "weighted"),
        ("MultiValueAnswer", "multivalue"),
        ("Region", "latency"),
        ("GeoLocation", "geolocation"),
        ("GeoProximityLocation", "geoproximity"),
        ("CidrRoutingConfig", "cidr"),
    ):
        if key in raw:
            return name
    return "simple"


def _record(raw: dict[str, Any]) -> RecordSet:
    alias = raw.get("AliasTarget") or {}
    return RecordSet(
        name=raw["Name"],
        type=raw["Type"],
        set_identifier=raw.get("SetIdentifier"),
        routing=_routing(raw),
        health_check_id=raw.get("HealthCheckId"),
        evaluates_target_health=bool(alias.get("EvaluateTargetHealth", False)),
        alias_target=alias.get("DNSName"),
    )


@fact(
    "route53.hosted_zones",
    regional=False,
    permissions=["route53:ListHostedZones", "route53:ListResourceRecordSets"],
)
def hosted_zones(ctx: FetchContext) -> tuple[HostedZone, ...]:
    zones = []
    for raw in ctx.paginate("route53", "list_hosted_zones", "HostedZones"):
        zone_id = raw["Id"].rsplit("/", 1)[-1]
        records = ctx.paginate(
            "route53", "list_resource_record_sets", "ResourceRecordSets", HostedZoneId=zone_id
        )
        zones.append(
            HostedZone(
                id=zone_id,
                name=raw["Name"],
                private=bool(raw.get("Config", {}).get("PrivateZone", False)),
                records=tuple(_record(record) for record in records),
            )
        )
    return tuple(zones)


@fact("route53.health_checks", regional=False, permissions=["route53:ListHealthChecks"])
def health_checks(ctx: FetchContext) -> dict[str, HealthCheck]:
    return {
        raw["Id"]: HealthCheck(
            id=raw["Id"],
            type=raw["HealthCheckConfig"]["Type"],
            disabled=bool(raw["HealthCheckConfig"].get("Disabled", False)),
        )
        for raw in ctx.paginate("route53", "list_health_checks", "HealthChecks")
    }
