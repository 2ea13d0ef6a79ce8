"""Planning quota increases: what to ask for, and what to refuse, before anything is filed.

Pure functions over :class:`~wa_audit.models.QuotaUsage`, so every refusal is decided (and tested)
without AWS: a quota with an open request is left alone, a non-adjustable one is refused (it is
raised only through a service limit increase case in the Support Center, which no API opens), and a
value not above the current limit is refused.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from wa_audit.models import GLOBAL_REGION, QuotaRequest, QuotaUsage
from wa_audit.quotas.catalog import load_catalog


class Action(StrEnum):
    FILE = "file"
    ALREADY_OPEN = "already-open"
    REFUSED = "refused"


NOT_ADJUSTABLE = (
    "not adjustable through Service Quotas: submit a service limit increase in the Support "
    "Center (below)"
)


@dataclass(frozen=True)
class PlannedRequest:
    service_code: str
    quota_code: str
    quota_name: str
    region: str
    """Where the quota lives: an AWS region, or ``global``."""
    current: float
    usage: float | None
    requested: float | None
    adjustable: bool
    action: Action
    reason: str = ""
    open_request: QuotaRequest | None = None

    @property
    def needs_support_center(self) -> bool:
        """Refused only because Service Quotas cannot raise it: a person can still ask AWS."""
        return self.action is Action.REFUSED and self.reason == NOT_ADJUSTABLE

    @property
    def key(self) -> str:
        return f"{self.service_code}/{self.quota_code}"

    def api_region(self, home_region: str) -> str:
        """The region to call: global quotas are requested in the partition's home region."""
        return home_region if self.region == GLOBAL_REGION else self.region


def _planned(
    usage: QuotaUsage, requested: float | None, action: Action, reason: str = ""
) -> PlannedRequest:
    return PlannedRequest(
        service_code=usage.service_code,
        quota_code=usage.quota_code,
        quota_name=usage.quota_name,
        region=usage.region,
        current=usage.limit,
        usage=usage.usage,
        requested=requested,
        adjustable=usage.adjustable,
        action=action,
        reason=reason,
        open_request=usage.open_request,
    )


def _fmt(value: float) -> str:
    return f"{value:g}"


def plan_request(
    usage: QuotaUsage, desired: float, *, maximum: float | None = None
) -> PlannedRequest:
    """One quota's plan: file, leave an open request alone, or refuse."""
    if usage.open_request is not None:
        request = usage.open_request
        reason = f"increase to {_fmt(request.desired_value)}: {request.id} ({request.status})"
        return _planned(usage, request.desired_value, Action.ALREADY_OPEN, reason)
    capped = min(desired, maximum) if maximum is not None else desired
    if capped <= usage.limit:
        if capped < desired:
            reason = f"already at the documented maximum of {_fmt(capped)}"
        else:
            reason = f"{_fmt(desired)} is not above the current limit of {_fmt(usage.limit)}"
        return _planned(usage, desired, Action.REFUSED, reason)
    note = f"capped at the documented maximum {_fmt(capped)}" if capped < desired else ""
    if not usage.adjustable:
        return _planned(usage, capped, Action.REFUSED, NOT_ADJUSTABLE)
    return _planned(usage, capped, Action.FILE, note)


DEFAULT_FACTOR = 2.0
"""``quotas request --above``: twice the current limit leaves room to grow before the next request."""


def plan_above(usages: Iterable[QuotaUsage], percent: float, factor: float) -> list[PlannedRequest]:
    """Every quota at or above ``percent`` used, raised to ``factor`` times its current limit."""
    catalog = load_catalog()
    plans = []
    for usage in usages:
        if usage.percent is None or usage.percent < percent:
            continue
        entry = catalog.entry(f"{usage.service_code}/{usage.quota_code}")
        desired = float(math.ceil(usage.limit * factor)) if usage.limit > 0 else 1.0
        if usage.usage is not None and desired <= usage.usage:
            desired = float(math.ceil(usage.usage * factor))
        plans.append(plan_request(usage, desired, maximum=entry.maximum if entry else None))
    return plans


def refused(plan: PlannedRequest, reason: str) -> PlannedRequest:
    """The same plan, refused while filing (AWS said no)."""
    return replace(plan, action=Action.REFUSED, reason=reason)
