"""API counters: a quota's usage counted through its service's API, when no metric has data.

Each counter reads existing facts (so nothing is fetched twice) and returns the usage in the quota's
own measure: a count, GiB or TiB as the quota's name says. The catalog names counters by key.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wa_audit.facts import autoscaling, awslambda, dynamodb, ec2, iam, rds, vpc
from wa_audit.facts.base import Fact, FetchContext
from wa_audit.quotas.catalog import load_catalog
from wa_audit.text import plural

ON_DEMAND_STATES = frozenset({"pending", "running"})
NAT_COUNTED_STATES = frozenset({"pending", "available", "deleting"})
GIB = 1024**3


@dataclass(frozen=True)
class Count:
    value: float
    source: str
    note: str | None = None


@dataclass(frozen=True)
class UsageCounter:
    name: str
    facts: tuple[Fact[Any], ...]
    count: Callable[[FetchContext, str | None], Count]


def _on_demand_vcpus(ctx: FetchContext, group: str | None) -> Count:
    catalog = load_catalog()
    running = [
        instance
        for instance in ctx.get(ec2.instances)
        if instance.state in ON_DEMAND_STATES
        and instance.lifecycle is None
        and catalog.family_group(instance.type) == group
    ]
    types = ctx.get(ec2.instance_types) if any(i.vcpus is None for i in running) else {}
    total = 0
    for instance in running:
        known = types.get(instance.type)
        total += instance.vcpus or (known.default_vcpus if known else 0)
    return Count(
        float(total),
        "api:ec2:DescribeInstances",
        f"{plural(len(running), 'running On-Demand instance')}, cores x threads per core",
    )


def _elastic_ips(ctx: FetchContext, _: str | None) -> Count:
    vpc_addresses = [a for a in ctx.get(ec2.addresses) if a.domain == "vpc"]
    return Count(float(len(vpc_addresses)), "api:ec2:DescribeAddresses")


def _length(fact_: Fact[Any], source: str) -> Callable[[FetchContext, str | None], Count]:
    def count(ctx: FetchContext, _: str | None) -> Count:
        return Count(float(len(ctx.get(fact_))), source)

    return count


def _rules_per_security_group(ctx: FetchContext, _: str | None) -> Count:
    """The fullest group, direction and IP family: AWS limits IPv4 and IPv6 rules separately
    (VPC User Guide, "Amazon VPC quotas"), so the quota is reached by the fullest of the four.
    Prefix lists are weighed from DescribeManagedPrefixLists, read only when one is referenced."""
    groups = ctx.get(vpc.security_groups)
    directions = [(g, "inbound", g.inbound) for g in groups] + [
        (g, "outbound", g.outbound) for g in groups
    ]
    referenced = any(targets.prefix_lists for _, _, targets in directions)
    source = "api:ec2:DescribeSecurityGroups" + (
        "+ec2:DescribeManagedPrefixLists" if referenced else ""
    )
    if not groups:
        return Count(0.0, source)
    lists = ctx.get(vpc.managed_prefix_lists) if referenced else {}
    rules, where = max(
        (count, f"{group.id} {direction} {family}")
        for group, direction, targets in directions
        for family, count in targets.rules_by_family(lists).items()
    )
    notes = [f"fullest: {where} (IPv4 and IPv6 are limited apart)"]
    unweighted = sorted({pl for _, _, targets in directions for pl in targets.unweighted(lists)})
    if unweighted:
        notes.append(f"prefix lists of unknown weight counted as 1 rule: {', '.join(unweighted)}")
    return Count(float(rules), source, "; ".join(notes))


def _nat_gateways_per_az(ctx: FetchContext, _: str | None) -> Count:
    zone_of = {subnet.id: subnet.availability_zone for subnet in ctx.get(vpc.subnets)}
    per_zone = Tally(
        zone_of.get(gateway.subnet_id, "unknown")
        for gateway in ctx.get(vpc.nat_gateways)
        if gateway.state in NAT_COUNTED_STATES
    )
    if not per_zone:
        return Count(0.0, "api:ec2:DescribeNatGateways")
    zone, busiest = per_zone.most_common(1)[0]
    return Count(float(busiest), "api:ec2:DescribeNatGateways", f"busiest zone: {zone}")


def _storage_tib(ctx: FetchContext, volume_type: str | None) -> Count:
    gib = sum(v.size_gib for v in ctx.get(ec2.volumes) if v.type == volume_type)
    return Count(round(gib / 1024, 3), "api:ec2:DescribeVolumes")


def _iam_summary(ctx: FetchContext, key: str | None) -> Count:
    summary = ctx.get(iam.account_summary).summary
    return Count(float(summary.get(key or "", 0)), "api:iam:GetAccountSummary")


def _rds_account_quota(ctx: FetchContext, name: str | None) -> Count:
    quota = ctx.get(rds.account_attributes).get(name or "")
    return Count(float(quota.used if quota else 0), "api:rds:DescribeAccountAttributes")


def _reserved_concurrency(ctx: FetchContext, _: str | None) -> Count:
    settings = ctx.get(awslambda.account_settings)
    return Count(
        float(settings.reserved_concurrency),
        "api:lambda:GetAccountSettings",
        "reserved concurrency; peak concurrency is in the AWS/Lambda ConcurrentExecutions metric",
    )


def _code_storage_gib(ctx: FetchContext, _: str | None) -> Count:
    stored = ctx.get(awslambda.account_settings).total_code_size
    return Count(round(stored / GIB, 3), "api:lambda:GetAccountSettings")


COUNTERS: dict[str, UsageCounter] = {
    counter.name: counter
    for counter in (
        UsageCounter("ec2.on_demand_vcpus", (ec2.instances, ec2.instance_types), _on_demand_vcpus),
        UsageCounter("ec2.elastic_ips", (ec2.addresses,), _elastic_ips),
        UsageCounter("vpc.vpcs", (vpc.vpcs,), _length(vpc.vpcs, "api:ec2:DescribeVpcs")),
        UsageCounter(
            "vpc.security_groups",
            (vpc.security_groups,),
            _length(vpc.security_groups, "api:ec2:DescribeSecurityGroups"),
        ),
        UsageCounter(
            "vpc.rules_per_security_group",
            (vpc.security_groups, vpc.managed_prefix_lists),
            _rules_per_security_group,
        ),
        UsageCounter(
            "vpc.nat_gateways_per_az", (vpc.nat_gateways, vpc.subnets), _nat_gateways_per_az
        ),
        UsageCounter(
            "vpc.internet_gateways",
            (vpc.internet_gateways,),
            _length(vpc.internet_gateways, "api:ec2:DescribeInternetGateways"),
        ),
        UsageCounter(
            "vpc.network_interfaces",
            (vpc.network_interfaces,),
            _length(vpc.network_interfaces, "api:ec2:DescribeNetworkInterfaces"),
        ),
        UsageCounter("ebs.storage_tib", (ec2.volumes,), _storage_tib),
        UsageCounter("iam.account_summary", (iam.account_summary,), _iam_summary),
        UsageCounter("rds.account_quota", (rds.account_attributes,), _rds_account_quota),
        UsageCounter(
            "lambda.reserved_concurrency", (awslambda.account_settings,), _reserved_concurrency
        ),
        UsageCounter("lambda.code_storage_gib", (awslambda.account_settings,), _code_storage_gib),
        UsageCounter(
            "dynamodb.tables",
            (dynamodb.tables,),
            _length(dynamodb.tables, "api:dynamodb:ListTables"),
        ),
        UsageCounter(
            "autoscaling.groups",
            (autoscaling.groups,),
            _length(autoscaling.groups, "api:autoscaling:DescribeAutoScalingGroups"),
        ),
    )
}


def counter_facts(*, global_scope: bool) -> tuple[Fact[Any], ...]:
    """The facts the catalog's counters of one scope read (for ``needs`` and the policy)."""
    facts: dict[str, Fact[Any]] = {}
    for entry in load_catalog().quotas:
        if entry.is_global is global_scope:
            facts.update({f.name: f for f in COUNTERS[entry.counter].facts})
    return tuple(facts.values())
