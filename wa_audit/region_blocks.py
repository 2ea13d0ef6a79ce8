"""Regions an AWS Organizations service control policy closes to this account.

An SCP that denies a region (AWS Organizations' example "Deny access to AWS based on the requested
AWS Region") makes almost every regional read there fail with an explicit deny naming the SCP.
Reporting that once, as a region left out, says what happened; an ERROR per check ("grant X")
would send the reader to fix IAM, which cannot help.

A region counts as blocked when more of its regional reads were denied by an SCP than succeeded
there (the example exempts a few services, such as AWS Config), and at least one read denied
there succeeded in another audited region: the region, not the action, is what the SCP denies.
Anything less (an SCP denying one service) stays as per-check ERRORs naming the SCP.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from wa_audit.facts.base import Fact
from wa_audit.facts.denials import ScpDenial
from wa_audit.facts.store import FactFailure
from wa_audit.models import RegionNote


def blocked_regions(
    plan: Iterable[tuple[Fact[Any], str]],
    failures: Iterable[tuple[str, str, FactFailure]],
    audited: Sequence[str],
) -> tuple[RegionNote, ...]:
    """A note for each audited region an SCP blocks, naming the policy and the reads denied."""
    regional = {(f.name, region) for f, region in plan if f.regional and region in audited}
    failed = {(name, region): failure for name, region, failure in failures}
    denied: dict[str, dict[str, ScpDenial]] = {region: {} for region in audited}
    fetched: Counter[str] = Counter()
    worked: set[str] = set()
    for name, region in regional:
        failure = failed.get((name, region))
        if failure is None:
            fetched[region] += 1
            worked.add(name)
        elif failure.scp is not None:
            denied[region][name] = failure.scp
    notes = []
    for region in audited:
        by_fact = denied[region]
        region_specific = any(name in worked for name in by_fact)  # it succeeded elsewhere
        if by_fact and len(by_fact) > fetched[region] and region_specific:
            notes.append(_note(region, by_fact, fetched[region]))
    return tuple(notes)


def _note(region: str, by_fact: dict[str, ScpDenial], fetched: int) -> RegionNote:
    policies = sorted({denial.policy for denial in by_fact.values()})
    reads = f"{len(by_fact)} of {len(by_fact) + fetched} regional reads"
    return RegionNote(
        region=region,
        reason=f"blocked by a service control policy: {', '.join(policies)} denied {reads}",
    )
