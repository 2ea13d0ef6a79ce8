"""The Report's quota section: every region's quota usage plus the account-wide quotas.

``wa-audit quotas list`` and ``history``, this section and ``rel.service-quotas`` all read
:mod:`wa_audit.facts.quota_usage`, so a run fetches each quota once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from wa_audit.facts.base import Fact
from wa_audit.facts.quota_usage import QUOTA_USAGE_FACTS, global_usage, regional_usage
from wa_audit.facts.store import FactFailure, FactUnavailable
from wa_audit.models import Pillar, QuotaUsage
from wa_audit.quotas.thresholds import with_thresholds
from wa_audit.sections import ReportSection, SectionContext


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
    return with_thresholds(gather_usage(ctx.fact, ctx.regions).usages, ctx.quota_levels)


QUOTAS_SECTION = ReportSection(
    field="quotas", pillar=Pillar.RELIABILITY, facts=QUOTA_USAGE_FACTS, build=_build_quotas
)
