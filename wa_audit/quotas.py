"""Quota usage and request history across regions, read through the same facts as the audit.

``wa-audit quotas list`` and ``history``, the Report's ``quotas`` section and ``rel.service-quotas``
all read :mod:`wa_audit.facts.quota_usage`, so a run fetches each quota once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wa_audit.aws import AwsSession
from wa_audit.facts.base import Fact
from wa_audit.facts.quota_usage import QUOTA_USAGE_FACTS, global_usage, regional_usage
from wa_audit.facts.quotas import RequestedChange, requested_changes
from wa_audit.facts.store import FactFailure, FactStore, FactUnavailable
from wa_audit.models import Pillar, QuotaUsage
from wa_audit.runner import RegionScope, resolve_regions
from wa_audit.sections import ReportSection, SectionContext

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class RegionFailure:
    region: str
    failure: FactFailure


@dataclass(frozen=True)
class Gathered:
    usages: tuple[QuotaUsage, ...]
    failures: tuple[RegionFailure, ...]


def gather_usage(read: Callable[[Fact[Any], str], Any], regions: Sequence[str]) -> Gathered:
    """Every region's quotas plus the account-wide ones; a region that fails is reported apart."""
    usages: list[QuotaUsage] = []
    failures = []
    targets: list[tuple[Fact[Any], str]] = [(regional_usage, region) for region in regions]
    if regions:
        targets.append((global_usage, regions[0]))
    for fact_, region in targets:
        try:
            usages.extend(read(fact_, region))
        except FactUnavailable as missing:
            failures.append(RegionFailure(missing.region, missing.failure))
    return Gathered(tuple(usages), tuple(failures))


def _build_quotas(ctx: SectionContext) -> tuple[QuotaUsage, ...]:
    return gather_usage(ctx.fact, ctx.regions).usages


QUOTAS_SECTION = ReportSection(
    field="quotas", pillar=Pillar.RELIABILITY, facts=QUOTA_USAGE_FACTS, build=_build_quotas
)


@dataclass
class QuotaReader:
    """A fact store over the account's regions, for the ``wa-audit quotas`` commands."""

    session: AwsSession
    store: FactStore
    scope: RegionScope
    workers: int

    @classmethod
    def open(cls, session: AwsSession, regions: Sequence[str], workers: int) -> QuotaReader:
        identity = session.identity()
        store = FactStore(session, identity)
        fallback = session.default_region or identity.home_region
        return cls(session, store, resolve_regions(store, regions, fallback), workers)

    @property
    def regions(self) -> tuple[str, ...]:
        return self.scope.audited

    def usage(self) -> Gathered:
        plan = [
            (fact_, region)
            for fact_ in QUOTA_USAGE_FACTS
            for region in (self.regions if fact_.regional else self.regions[:1])
        ]
        self.store.prefetch(plan, self.workers)
        return gather_usage(self.store.get, self.regions)

    def history(self) -> tuple[tuple[RequestedChange, ...], tuple[RegionFailure, ...]]:
        """Requested changes of every region (global quotas' appear in the home region)."""
        self.store.prefetch([(requested_changes, r) for r in self.regions], self.workers)
        changes: list[RequestedChange] = []
        failures = []
        for region in self.regions:
            try:
                found: tuple[RequestedChange, ...] = self.store.get(requested_changes, region)
            except FactUnavailable as missing:
                failures.append(RegionFailure(region, missing.failure))
                continue
            changes.extend(found)
        changes.sort(key=lambda c: (c.created or EPOCH, c.id), reverse=True)
        return tuple(changes), tuple(failures)
