"""Quota usage: each catalog quota's limit, usage and open request, ready for checks and reports.

Usage comes from the quota's CloudWatch metric when it has data, else from the catalog's API counter.
A counter or metric that cannot be read leaves the quota's usage unknown with the reason, rather than
failing every quota of the region; only a missing limit (Service Quotas unreadable) fails the fact.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from wa_audit.facts.base import Fact, FetchContext, fact
from wa_audit.facts.quota_counters import COUNTERS, Count, counter_facts
from wa_audit.facts.quotas import (
    MetricReadings,
    QuotaValue,
    QuotaValues,
    RequestedChange,
    global_quota_metrics,
    global_quotas,
    regional_quota_metrics,
    regional_quotas,
    requested_changes,
    usage_metric_for,
)
from wa_audit.facts.store import FactUnavailable
from wa_audit.models import GLOBAL_REGION, QuotaRequest, QuotaUsage
from wa_audit.quotas.catalog import CatalogEntry, load_catalog

DEFAULT_LIMIT_NOTE = "no applied value listed; the AWS default is shown"


def percent_of(usage: float, limit: float) -> float:
    """Usage as a percentage of the limit; a zero limit is full as soon as anything uses it."""
    if limit > 0:
        return round(100.0 * usage / limit, 1)
    return 0.0 if usage <= 0 else 100.0


def open_request_of(changes: Sequence[RequestedChange], key: str) -> QuotaRequest | None:
    """The latest open (PENDING or CASE_OPENED) request for the quota (``service/code``)."""
    open_ = sorted(
        (c for c in changes if c.key == key and c.is_open),
        key=lambda c: (c.created is None, c.created),
    )
    if not open_:
        return None
    latest = open_[-1]
    return QuotaRequest(
        id=latest.id,
        status=latest.status,
        desired_value=latest.desired_value,
        created=latest.created,
    )


def _optional(ctx: FetchContext, fact_: Fact[Any], notes: list[str], what: str) -> Any:
    """A fact the usage can do without: None (and a note) when it is unavailable."""
    try:
        return ctx.get(fact_)
    except FactUnavailable as missing:
        notes.append(f"{what} unavailable ({missing.failure.reason})")
        return None


def _usage_of(
    ctx: FetchContext, entry: CatalogEntry, quota: QuotaValue, readings: MetricReadings | None
) -> tuple[Count | None, str]:
    """(usage, source) from the metric if it has data, else from the counter."""
    metric = usage_metric_for(entry, quota)
    reading = readings.by_key.get(entry.key) if readings is not None else None
    if metric is not None and reading is not None:
        source = f"cloudwatch:{metric.namespace}/{metric.name}:{metric.statistic}"
        return Count(reading, source), source
    try:
        count = COUNTERS[entry.counter].count(ctx, entry.counter_arg)
    except FactUnavailable as missing:
        return None, f"usage unavailable ({missing.failure.reason})"
    return count, count.source


def assemble_usage(
    ctx: FetchContext,
    entries: Iterable[CatalogEntry],
    values: QuotaValues,
    readings: MetricReadings | None,
    changes: Sequence[RequestedChange],
    region: str,
    shared_notes: Sequence[str],
) -> tuple[QuotaUsage, ...]:
    found = []
    for entry in entries:
        quota = values.by_key.get(entry.key)
        if quota is None:
            continue  # the quota does not exist in this region
        count, source = _usage_of(ctx, entry, quota, readings)
        notes = [*shared_notes]
        if quota.source == "default":
            notes.append(DEFAULT_LIMIT_NOTE)
        if count is None:
            notes.append(source)
        elif count.note:
            notes.append(count.note)
        found.append(
            QuotaUsage(
                region=region,
                service_code=entry.service,
                quota_code=entry.code,
                quota_name=quota.name,
                usage=count.value if count else None,
                limit=quota.value,
                limit_source=quota.source,
                percent=percent_of(count.value, quota.value) if count else None,
                adjustable=quota.adjustable,
                usage_source=count.source if count else f"api:{entry.counter}",
                open_request=open_request_of(changes, entry.key),
                quota_arn=quota.arn or None,
                note="; ".join(notes) or None,
            )
        )
    return tuple(sorted(found, key=lambda u: (u.service_code, u.quota_code)))


def _build(
    ctx: FetchContext,
    *,
    global_scope: bool,
    values_fact: Fact[QuotaValues],
    metrics_fact: Fact[MetricReadings],
) -> tuple[QuotaUsage, ...]:
    values = ctx.get(values_fact)  # without limits there is nothing to assess: let it fail
    notes: list[str] = []
    readings = _optional(ctx, metrics_fact, notes, "CloudWatch usage metrics")
    changes = _optional(ctx, requested_changes, notes, "increase request history") or ()
    entries = (e for e in load_catalog().quotas if e.is_global is global_scope)
    region = GLOBAL_REGION if global_scope else ctx.region
    return assemble_usage(ctx, entries, values, readings, changes, region, notes)


@fact(
    "quotas.regional_usage",
    regional=True,
    permissions=(),
    needs=(
        regional_quotas,
        regional_quota_metrics,
        requested_changes,
        *counter_facts(global_scope=False),
    ),
)
def regional_usage(ctx: FetchContext) -> tuple[QuotaUsage, ...]:
    return _build(
        ctx, global_scope=False, values_fact=regional_quotas, metrics_fact=regional_quota_metrics
    )


@fact(
    "quotas.global_usage",
    regional=False,
    permissions=(),
    needs=(
        global_quotas,
        global_quota_metrics,
        requested_changes,
        *counter_facts(global_scope=True),
    ),
)
def global_usage(ctx: FetchContext) -> tuple[QuotaUsage, ...]:
    """Account-wide quotas, read in the home region and reported once with region ``global``."""
    return _build(
        ctx, global_scope=True, values_fact=global_quotas, metrics_fact=global_quota_metrics
    )


def _with_needs(facts: Iterable[Fact[Any]]) -> tuple[Fact[Any], ...]:
    every: dict[str, Fact[Any]] = {}
    for fact_ in facts:
        every[fact_.name] = fact_
        every.update({f.name: f for f in _with_needs(fact_.needs)})
    return tuple(every.values())


QUOTA_USAGE_FACTS: tuple[Fact[Any], ...] = _with_needs((regional_usage, global_usage))
"""Every fact behind quota usage: declared by readers so the plan fetches them concurrently."""
