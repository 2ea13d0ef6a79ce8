"""Which regions a run covers: the account's enabled regions, narrowed to what the user asked for.

Shared by the audit and ``wa-audit quotas``; kept apart from the runner so neither imports the other.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import botocore.session

from wa_audit.errors import UsageError
from wa_audit.facts.regions import account_regions
from wa_audit.facts.store import FactStore, FactUnavailable
from wa_audit.models import RegionNote


@dataclass(frozen=True)
class RegionScope:
    audited: tuple[str, ...]
    skipped: tuple[RegionNote, ...]


def resolve_regions(store: FactStore, requested: Sequence[str], fallback: str) -> RegionScope:
    """The enabled regions, narrowed to ``requested``; disabled ones are skipped with a note."""
    try:
        listed = store.get(account_regions, fallback)
    except FactUnavailable as error:
        audited = tuple(requested) or (fallback,)
        note = RegionNote(region="*", reason=f"cannot list regions ({error.failure.reason})")
        return RegionScope(audited=audited, skipped=(note,))
    foreign = foreign_regions(store.identity.partition)
    known = {r.name: r for r in listed if r.name not in foreign}
    if not requested:
        enabled = tuple(name for name, region in known.items() if region.enabled)
        disabled = tuple(
            RegionNote(region=name, reason="opt-in region not enabled")
            for name, region in known.items()
            if not region.enabled
        )
        return RegionScope(audited=enabled, skipped=disabled)
    for name in requested:
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UsageError(f"unknown region {name!r}{hint}")
    audited = tuple(dict.fromkeys(name for name in requested if known[name].enabled))
    skipped = tuple(
        RegionNote(region=name, reason="opt-in region not enabled for this account")
        for name in dict.fromkeys(requested)
        if not known[name].enabled
    )
    return RegionScope(audited=audited, skipped=skipped)


def foreign_regions(partition: str) -> frozenset[str]:
    """Regions botocore places in other partitions (a region list should never mix them; a
    double's may). Regions botocore does not know yet are kept."""
    session = botocore.session.get_session()
    others = (p for p in session.get_available_partitions() if p != partition)
    return frozenset(r for p in others for r in session.get_available_regions("ec2", p))
