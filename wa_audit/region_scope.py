"""Which regions a run covers: the account's enabled regions, narrowed to what the user asked for.

Shared by the audit and ``wa-audit quotas``; kept apart from the runner so neither imports the other.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from wa_audit.endpoint_data import foreign_regions, partition_regions
from wa_audit.errors import UsageError
from wa_audit.facts.regions import account_regions
from wa_audit.facts.store import FactStore, FactUnavailable
from wa_audit.models import ALL_REGIONS, RegionNote


@dataclass(frozen=True)
class RegionScope:
    audited: tuple[str, ...]
    skipped: tuple[RegionNote, ...]
    guessed: bool = False
    """No region was asked for and the account's could not be listed: the audited ones are a
    fallback, so the audit cannot vouch for the account (exit 3 at best)."""


def resolve_regions(
    store: FactStore, requested: Sequence[str], fallback: str, source: str | None = None
) -> RegionScope:
    """The enabled regions, narrowed to ``requested``; disabled ones are skipped with a note.

    ``source`` is the config file ``requested`` came from (None: ``--region``), named when one
    of them does not exist.
    """
    try:
        listed = store.get(account_regions, fallback)
    except FactUnavailable as error:
        # Without the account's list, botocore's is all we know: a typo must not become a
        # region audited in name only (every call failing, or a double answering anything).
        refuse_unknown(requested, partition_regions(store.identity.partition), source)
        audited = tuple(requested) or (fallback,)
        note = RegionNote(
            region=ALL_REGIONS, reason=f"cannot list regions ({error.failure.reason})"
        )
        return RegionScope(audited=audited, skipped=(note,), guessed=not requested)
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
    refuse_unknown(requested, known, source)
    audited = tuple(dict.fromkeys(name for name in requested if known[name].enabled))
    skipped = tuple(
        RegionNote(region=name, reason="opt-in region not enabled for this account")
        for name in dict.fromkeys(requested)
        if not known[name].enabled
    )
    return RegionScope(audited=audited, skipped=skipped)


def refuse_unknown(
    requested: Sequence[str], known: Collection[str], source: str | None = None
) -> None:
    """A usage error naming the first requested region that is not in ``known`` (and the config
    file ``source`` that asked for it, if one did)."""
    for name in requested:
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            where = f"{source}: bad value for 'regions': " if source else ""
            raise UsageError(f"{where}unknown region {name!r}{hint}")
