"""Report sections that are not checks (spend, quota usage): built from facts, shown as data.

A section is fetched through the same fact store as checks, so its calls are made once and its
IAM actions join ``wa-audit policy``; it runs when a selected check belongs to its pillar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wa_audit.facts.base import Fact, all_permissions
from wa_audit.facts.store import FactStore
from wa_audit.models import Pillar
from wa_audit.quotas.thresholds import ServiceQuotaParams


@dataclass(frozen=True)
class SectionContext:
    store: FactStore
    regions: tuple[str, ...]
    quota_levels: ServiceQuotaParams = field(default_factory=ServiceQuotaParams)
    """The configured quota levels, whether or not the check that judges quotas is selected."""

    def fact(self, fact_: Fact[Any], region: str | None = None) -> Any:
        return self.store.get(fact_, region or self.store.identity.home_region)


@dataclass(frozen=True)
class ReportSection:
    """``field`` names the Report field that ``build`` fills."""

    field: str
    pillar: Pillar
    facts: tuple[Fact[Any], ...]
    build: Callable[[SectionContext], Any]

    def permissions(self) -> set[str]:
        actions: set[str] = set()
        for fact_ in self.facts:
            actions |= all_permissions(fact_)
        return actions
