"""Checks: the ``@check`` decorator, entry-point discovery and selection.

Built-in checks register through the ``wa_audit.checks`` entry-point group exactly as a third-party
package does; the engine never imports a check module by name.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from wa_audit.errors import RegistryError, UsageError
from wa_audit.facts.base import Fact, all_permissions
from wa_audit.models import CheckSpec, Finding, Pillar, Severity

if TYPE_CHECKING:
    from wa_audit.context import CheckContext

ENTRY_POINT_GROUP = "wa_audit.checks"
_MARK = "__wa_audit_check__"

CheckFunction = Callable[["CheckContext"], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    spec: CheckSpec
    run: CheckFunction
    facts: tuple[Fact[Any], ...]
    params: type[BaseModel] | None = None
    distribution: str = "unknown"

    @property
    def id(self) -> str:
        return self.spec.id

    def permissions(self) -> set[str]:
        actions: set[str] = set()
        for fact_ in self.facts:
            actions |= all_permissions(fact_)
        return actions


def check(
    *,
    id: str,
    pillar: Pillar,
    title: str,
    severity: Severity,
    best_practices: Sequence[str],
    remediation: str,
    docs_url: str,
    facts: Sequence[Fact[Any]],
    regional: bool = False,
    params: type[BaseModel] | None = None,
    fail_title: str | None = None,
) -> Callable[[CheckFunction], CheckFunction]:
    """Attach a check's metadata to a pure function that turns facts into findings.

    A check must yield at least one finding for each account (or region, when ``regional``):
    a PASS when nothing is wrong, so the scorecard can tell "assessed and fine" from "not assessed".
    ``title`` names the compliant state ("Root user has MFA"), ``fail_title`` the failure as a fact
    ("Root user has no MFA"): outputs head a FAIL or WARN with the latter.
    ``params`` is a pydantic model of its tunable parameters (``[params."<id>"]`` in the config).
    """
    spec = CheckSpec(
        id=id,
        pillar=pillar,
        title=title,
        fail_title=fail_title,
        severity=severity,
        best_practices=tuple(best_practices),
        remediation=remediation,
        docs_url=docs_url,
        facts=tuple(f.name for f in facts),
        regional=regional,
    )

    def attach(function: CheckFunction) -> CheckFunction:
        setattr(function, _MARK, Check(spec=spec, run=function, facts=tuple(facts), params=params))
        return function

    return attach


def checks_in(module: ModuleType | object) -> list[Check]:
    """The checks a module defines, in definition order (or the one decorated object itself)."""
    if isinstance(module, ModuleType):
        candidates: Iterable[object] = vars(module).values()
    else:
        candidates = [module]
    return [
        getattr(obj, _MARK) for obj in candidates if isinstance(getattr(obj, _MARK, None), Check)
    ]


def _with_distribution_names(found: Iterable[EntryPoint]) -> list[tuple[str, EntryPoint]]:
    """Each entry point's distribution name, reading each distribution's metadata once: every
    read parses its METADATA file, and one distribution registers a module per pillar."""
    by_dist: dict[object, str] = {}
    named: list[tuple[str, EntryPoint]] = []
    for entry_point in found:
        dist = entry_point.dist
        if dist is None:
            named.append(("unknown distribution", entry_point))
            continue
        key = getattr(dist, "_path", dist)  # importlib.metadata makes a new object per lookup
        if key not in by_dist:
            by_dist[key] = dist.name
        named.append((by_dist[key], entry_point))
    return named


def discover(entry_points_: Iterable[EntryPoint] | None = None) -> list[Check]:
    """Load every registered check, in a deterministic order (distribution, entry point, source)."""
    found = entry_points(group=ENTRY_POINT_GROUP) if entry_points_ is None else entry_points_
    ordered = sorted(_with_distribution_names(found), key=lambda pair: (pair[0], pair[1].name))
    checks: list[Check] = []
    owners: dict[str, str] = {}
    for distribution, entry_point in ordered:
        try:
            loaded = entry_point.load()
        except Exception as error:  # a broken plugin must be named, whatever it raised
            raise RegistryError(
                f"check plugin {entry_point.name!r} from {distribution} failed to load: "
                f"{type(error).__name__}: {error}"
            ) from error
        for found_check in checks_in(loaded):
            if found_check.id in owners:
                raise RegistryError(
                    f"check id {found_check.id!r} is defined twice: by {owners[found_check.id]} "
                    f"and by {distribution} ({entry_point.name})"
                )
            owners[found_check.id] = f"{distribution} ({entry_point.name})"
            checks.append(replace(found_check, distribution=distribution))
    return checks


def select(
    checks: Sequence[Check],
    *,
    pillars: Sequence[Pillar] = (),
    include: Sequence[str] = (),
    skip: Sequence[str] = (),
) -> list[Check]:
    """Narrow by pillar and id; an unknown id is a usage error that suggests the closest one."""
    known = [c.id for c in checks]
    for wanted in [*include, *skip]:
        if wanted not in known:
            close = difflib.get_close_matches(wanted, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UsageError(f"unknown check id {wanted!r}{hint}; 'wa-audit checks' lists them")
    return [
        c
        for c in checks
        if (not pillars or c.spec.pillar in pillars)
        and (not include or c.id in include)
        and c.id not in skip
    ]
