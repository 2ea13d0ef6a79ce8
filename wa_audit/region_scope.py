"""Which regions a run covers: the account's enabled regions, narrowed to what the user asked for.

Shared by the audit and ``wa-audit quotas``; kept apart from the runner so neither imports the other.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Collection, Sequence
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
        # Without the account's list, botocore's is all we know: a typo must not become a
        # region audited in name only (every call failing, or a double answering anything).
        refuse_unknown(requested, partition_regions(store.identity.partition))
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
    refuse_unknown(requested, known)
    audited = tuple(dict.fromkeys(name for name in requested if known[name].enabled))
    skipped = tuple(
        RegionNote(region=name, reason="opt-in region not enabled for this account")
        for name in dict.fromkeys(requested)
        if not known[name].enabled
    )
    return RegionScope(audited=audited, skipped=skipped)


def refuse_unknown(requested: Sequence[str], known: Collection[str]) -> None:
    """A usage error naming the first requested region that is not in ``known``."""
    for name in requested:
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UsageError(f"unknown region {name!r}{hint}")


@functools.cache
def partition_regions(partition: str) -> frozenset[str]:
    """The regions botocore knows in ``partition`` (any service's endpoints, EC2's the widest).
    Cached: botocore's endpoint data is fixed for the process, and each new botocore session
    parses it again."""
    session = botocore.session.get_session()
    return frozenset(session.get_available_regions("ec2", partition))


@functools.cache
def foreign_regions(partition: str) -> frozenset[str]:
    """Regions botocore places in other partitions (a region list should never mix them; a
    double's may). Regions botocore does not know yet are kept."""
    partitions = botocore.session.get_session().get_available_partitions()
    return frozenset(r for p in partitions if p != partition for r in partition_regions(p))
